//! The measured figures of a month, per evaluated person, each taken from
//! the room that owns it (nothing recomputed here): the monthly exam's
//! sheet, phone tests, the reading ledger, drills and study (as the
//! scorecard loads them), satisfaction, inspections and the 360.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::scheme::EvalRole;
use crate::db::Conn;
use crate::domain::org::OrgTree;
use crate::domain::score::{percent_text, share, two_decimals};
use crate::domain::Month;
use crate::inspect::model::Kind;
use crate::schema::{role_assignments, users};

/// A measured figure and how it reads ("86.50 分（3 通）").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub value: i64,
    pub text: String,
}

/// Someone evaluated this month, with their figures by metric code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Person {
    pub user_id: i32,
    pub staff_no: String,
    pub name: String,
    pub hall_id: i32,
    pub hall: String,
    pub area_id: Option<i32>,
    pub area: String,
    pub figures: BTreeMap<String, Figure>,
}

/// The active people holding the role, with their hall (a team leader's
/// hall is the one they lead), by 工号.
fn people(conn: &mut Conn, role: EvalRole, tree: &OrgTree) -> QueryResult<Vec<(i32, String, String, i32)>> {
    let grants: Vec<(i32, i32)> = role_assignments::table
        .filter(role_assignments::role.eq(role.role().code()))
        .select((role_assignments::user_id, role_assignments::org_unit_id))
        .load(conn)?;
    // A team leader who also serves at the counter is evaluated as a team leader only.
    let leaders: Vec<i32> = if role == EvalRole::Clerk {
        role_assignments::table
            .filter(role_assignments::role.eq(crate::auth::Role::TeamLeader.code()))
            .select(role_assignments::user_id)
            .load(conn)?
    } else {
        Vec::new()
    };
    let ids: Vec<i32> = grants.iter().map(|g| g.0).filter(|id| !leaders.contains(id)).collect();
    let rows: Vec<(i32, Option<String>, String, Option<i32>)> = users::table
        .filter(users::id.eq_any(&ids))
        .filter(users::active.eq(true))
        .order((users::staff_no.asc(), users::id.asc()))
        .select((users::id, users::staff_no, users::name, users::hall_id))
        .load(conn)?;
    let is_hall = |u: i32| tree.node(u).is_some_and(|n| n.kind == crate::domain::org::UnitKind::Hall);
    Ok(rows
        .into_iter()
        .filter_map(|(id, no, name, hall)| {
            let granted = grants.iter().find(|(u, unit)| *u == id && is_hall(*unit)).map(|g| g.1);
            let hall = match role {
                EvalRole::TeamLeader => granted.or(hall),
                EvalRole::Clerk => hall,
            }?;
            Some((id, no.unwrap_or_default(), name, hall))
        })
        .collect())
}

/// Everyone of `role` with their month's figures.
pub fn load(conn: &mut Conn, role: EvalRole, month: Month) -> QueryResult<Vec<Person>> {
    use crate::scorecard::model as card;
    let tree = OrgTree::load(conn)?;
    let staff = people(conn, role, &tree)?;
    let exams = card::exam_scores(conn, month)?;
    let phone = card::phone_averages(conn, month)?;
    let reading = card::readings(conn, month)?;
    let drills: HashMap<i32, crate::training::drills::ClerkDrills> =
        crate::training::drills::clerk_month(conn, month)?.into_iter().map(|d| (d.clerk_id, d)).collect();
    let study = crate::training::study::summary::attendance(conn, month)?;
    let minutes = crate::training::study::summary::study_minutes_by_hall(conn, month)?;
    let target = crate::settings::number(conn, &crate::settings::STUDY_TARGET_MINUTES)?;
    let own_sat = crate::satisfaction::model::clerk_rates(conn, month)?;
    let hall_sat = crate::satisfaction::model::hall_rates(conn, month)?;
    let scored = crate::inspect::library::scored(conn, month)?;
    let three_sixty = super::three_sixty::model::overall_by_leader(conn, month)?;
    // Per hall: the drill weeks of its clerks (drilled, due).
    let mut weeks: HashMap<i32, (i64, i64)> = HashMap::new();
    for d in drills.values() {
        let w = weeks.entry(d.hall_id).or_default();
        *w = (w.0 + d.weeks_drilled, w.1 + d.weeks_due);
    }
    Ok(staff
        .into_iter()
        .map(|(id, staff_no, name, hall_id)| {
            let mut f: BTreeMap<String, Figure> = BTreeMap::new();
            let mut put = |code: &str, value: Option<i64>, text: String| {
                if let Some(value) = value {
                    f.insert(code.into(), Figure { value, text });
                }
            };
            if let Some(Some(score)) = exams.get(&id) {
                put("exam", Some(*score), format!("{} 分", two_decimals(*score)));
            } else if let Some(None) = exams.get(&id) {
                // 缺考 is a figure: no points, not a missing one.
                put("exam", Some(0), crate::web::msg::EVAL_ABSENT.into());
            }
            if let Some((mean, calls)) = phone.get(&id) {
                put("phone", Some(*mean), format!("{} 分（{calls} 通）", two_decimals(*mean)));
            }
            if let Some((on_time, due, _)) = reading.get(&id) {
                let v = share(*on_time as i64, *due as i64);
                put("reading", v, format!("{}（{on_time} / {due} 条）", percent_text(v)));
            }
            if let Some(d) = drills.get(&id) {
                put("drill_accuracy", d.accuracy, format!("{}（{} 次）", percent_text(d.accuracy), d.drills));
                put("drill_speed", d.median_vs_target, percent_text(d.median_vs_target));
            }
            let held = study.held.get(&hall_id).map_or(0, |h| h.0);
            let went = study.attended.get(&id).map_or(0, |a| a.0).min(held);
            let attendance = share(went, held);
            put("attendance", attendance, format!("{}（{went} / {held} 次）", percent_text(attendance)));
            if let Some((rate, n)) = own_sat.get(&id) {
                put("satisfaction", Some(*rate), format!("{}（{n} 条回复）", percent_text(Some(*rate))));
            }
            if let Some(rate) = hall_sat.get(&hall_id) {
                put("hall_satisfaction", Some(*rate), percent_text(Some(*rate)));
            }
            let mine: Vec<&crate::inspect::library::Scored> =
                scored.iter().filter(|s| s.hall == hall_id).collect();
            if !mine.is_empty() {
                let mean =
                    crate::domain::score::div_half_up(mine.iter().map(|s| s.score).sum(), mine.len() as i64);
                put("inspection", Some(mean), format!("{} 分（{} 次）", two_decimals(mean), mine.len()));
                let zero: i64 = mine.iter().filter(|s| s.kind != Kind::Daily).map(|s| s.zero_hits).sum();
                put("zero_tolerance", Some(zero), format!("{zero} 次"));
            }
            let m = minutes.get(&hall_id).copied().unwrap_or(0);
            let hours = share(m.min(target), target);
            put("study_hours", hours, format!("{} 分钟 / 目标 {target} 分钟", m));
            if let Some((drilled, due)) = weeks.get(&hall_id) {
                let v = share(*drilled, *due);
                put("drill_weeks", v, format!("{}（{drilled} / {due} 人周）", percent_text(v)));
            }
            if let Some((mean, groups)) = three_sixty.get(&id) {
                put("three_sixty", Some(*mean), format!("{} 分（{groups}）", two_decimals(*mean)));
            }
            let area = tree.area_of(Some(hall_id));
            Person {
                user_id: id,
                staff_no,
                name,
                hall_id,
                hall: tree.name(Some(hall_id)),
                area_id: area.map(|a| a.id),
                area: area.map(|a| a.name.clone()).unwrap_or_default(),
                figures: f,
            }
        })
        .collect())
}
