//! What the weak-spot views and the dashboard read: the month to show, the
//! viewer's scope, the month's exam answers as facts and question stems.

use std::collections::HashMap;

use diesel::prelude::*;

use super::heat::{Column, Fact};
use crate::accounts::User;
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::domain::Month;
use crate::exam::model::{Exam, Tree, PUBLISHED, SUBMITTED};
use crate::org::OrgUnit;
use crate::schema::{attempt_items, attempts, question_versions, users};

/// The asked month; without one, the latest month whose monthly exam has
/// closed; without that, this month (Beijing).
pub fn chosen_month(conn: &mut Conn, asked: Option<Month>) -> QueryResult<Month> {
    if let Some(m) = asked {
        return Ok(m);
    }
    let now = crate::db::now();
    let latest = Exam::all(conn)?
        .into_iter()
        .filter(|e| {
            e.kind == crate::exam::model::ExamKind::Monthly && e.status == PUBLISHED && e.closes_at <= now
        })
        .map(|e| e.month)
        .max();
    Ok(latest.unwrap_or_else(|| Month::of(now)))
}

/// The graded answers of the exam's submitted attempts, each with the hall
/// recorded at the attempt (else the clerk's) and its version's knowledge points.
pub fn answers(conn: &mut Conn, exam_id: i32) -> QueryResult<Vec<Fact>> {
    type AnswerRow = (i32, Option<i32>, i32, Option<i32>, i32, String);
    let rows: Vec<AnswerRow> = attempt_items::table
        .inner_join(attempts::table)
        .inner_join(question_versions::table)
        .filter(attempts::exam_id.eq(exam_id))
        .filter(attempts::status.eq(SUBMITTED))
        .filter(attempt_items::earned.is_not_null())
        .select((
            attempt_items::question_id,
            attempt_items::earned,
            attempt_items::points,
            attempts::hall_id,
            attempts::user_id,
            question_versions::knowledge_points,
        ))
        .load(conn)?;
    let mut ids: Vec<i32> = rows.iter().map(|r| r.4).collect();
    ids.sort_unstable();
    ids.dedup();
    let halls: HashMap<i32, Option<i32>> = users::table
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::hall_id))
        .load(conn)?
        .into_iter()
        .collect();
    let mut kps: HashMap<String, Vec<String>> = HashMap::new();
    Ok(rows
        .into_iter()
        .map(|(question_id, earned, points, hall, user, stored)| {
            let kps = kps.entry(stored).or_insert_with_key(|s| knowledge_points(s)).clone();
            Fact {
                question_id,
                hall_id: hall.or_else(|| halls.get(&user).copied().flatten()),
                kps,
                earned: i64::from(earned.unwrap_or(0)),
                possible: i64::from(points),
            }
        })
        .collect())
}

/// Knowledge points as stored: a JSON list (older rows: a 、-separated list).
fn knowledge_points(stored: &str) -> Vec<String> {
    let list: Vec<String> =
        serde_json::from_str(stored).unwrap_or_else(|_| crate::bank::question::split_list(stored));
    list.into_iter().map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect()
}

/// The question's current stem and type label, by question id.
pub fn stems(conn: &mut Conn, ids: &[i32]) -> QueryResult<HashMap<i32, (String, &'static str)>> {
    Ok(crate::exam::model::question_stems(conn, ids)?
        .into_iter()
        .map(|(id, (stem, kind))| (id, (stem, kind.label())))
        .collect())
}

/// Who is looking, what they oversee, and the org tree to place halls in.
pub struct Viewer {
    pub me: CurrentUser,
    pub tree: Tree,
    pub scope: crate::domain::Scope,
    /// Trainers, admins and the city's supervisors see every county.
    pub city_wide: bool,
}

impl Viewer {
    pub fn load(conn: &mut Conn, me: CurrentUser) -> QueryResult<Viewer> {
        let city_wide = me.has_any_role(&[Role::Trainer, Role::Admin]) || User::is_city_wide(conn, &me)?;
        let scope = crate::domain::Scope::supervising(&me);
        Ok(Viewer { tree: Tree::load(conn)?, me, scope, city_wide })
    }

    /// Whether the viewer may see a unit's (a hall's, a county's) own figures.
    pub fn sees(&self, unit: Option<i32>) -> bool {
        unit.is_some() && self.scope.sees(&self.tree, unit)
    }

    /// The counties (and the city district) in scope, the district first.
    pub fn areas(&self) -> Vec<Column> {
        self.tree
            .areas()
            .into_iter()
            .filter(|a| self.sees(Some(a.id)))
            .map(|a| Column { key: a.id.to_string(), name: a.name.clone() })
            .collect()
    }

    /// The active halls in scope, by area (the district first) then name.
    pub fn halls(&self, conn: &mut Conn) -> QueryResult<Vec<Column>> {
        let order: Vec<i32> = self.tree.areas().iter().map(|a| a.id).collect();
        let rank = |hall: i32| {
            let area = self.tree.area_of(Some(hall)).map(|a| a.id);
            area.and_then(|a| order.iter().position(|o| *o == a)).unwrap_or(usize::MAX)
        };
        let mut halls: Vec<(usize, String, i32)> = OrgUnit::halls(conn)?
            .into_iter()
            .filter(|h| h.active && self.sees(Some(h.id)))
            .map(|h| (rank(h.id), h.name, h.id))
            .collect();
        halls.sort();
        Ok(halls.into_iter().map(|(_, name, id)| Column { key: id.to_string(), name }).collect())
    }

    /// The county (or district) a hall lies in.
    pub fn area_of(&self, hall: Option<i32>) -> Option<i32> {
        self.tree.area_of(hall).map(|a| a.id)
    }

    /// A unit's name when it is a county, district or hall in scope.
    pub fn unit_name(&self, unit: i32) -> Option<String> {
        let is_hall = self.tree.area_of(Some(unit)).is_some_and(|a| a.id != unit);
        let is_area = self.tree.areas().iter().any(|a| a.id == unit);
        ((is_hall || is_area) && self.sees(Some(unit))).then(|| self.tree.name(Some(unit)))
    }
}
