//! What the drill pages load: a hall's month (figures and drills), the
//! halls side by side for supervisors, and a clerk's own month.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

pub use super::figures::{figures, ClerkRow, Figures, Inputs, Totals, TypeCell};
use super::metrics::{self, Fact};
use super::model::{self, Drill, DrillType, HallChoice, Staff};
use super::rules::duration_text;
use crate::auth::CurrentUser;
use crate::db::Conn;
use crate::domain::{Month, OrgTree};
use crate::training::access::may_record;

/// One stored drill as the lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct DrillRow {
    pub id: i32,
    pub date: String,
    pub clerk: String,
    pub type_name: String,
    pub time: String,
    pub seconds: i32,
    pub errors: i32,
    pub notes: String,
    pub recorded_by: String,
    pub can_delete: bool,
}

pub fn rows(
    list: &[Drill],
    types: &[DrillType],
    people: &HashMap<i32, Staff>,
    can_delete: impl Fn(&Drill) -> bool,
) -> Vec<DrillRow> {
    let name =
        |id: Option<i32>| id.and_then(|id| people.get(&id)).map(|p| p.label.clone()).unwrap_or_default();
    list.iter()
        .map(|d| DrillRow {
            id: d.id,
            date: d.drilled_on.format("%Y-%m-%d").to_string(),
            clerk: name(Some(d.clerk_id)),
            type_name: DrillType::name_in(types, d.drill_type_id),
            time: duration_text(d.seconds),
            seconds: d.seconds,
            errors: d.errors,
            notes: d.notes.clone(),
            recorded_by: name(d.recorded_by),
            can_delete: can_delete(d),
        })
        .collect()
}

/// A hall's month, for its page, the feedback report and the workbook.
#[derive(Debug, Clone, Serialize)]
pub struct HallMonth {
    pub hall_id: i32,
    pub hall: String,
    pub area: String,
    pub month: Month,
    pub team_leaders: Vec<String>,
    pub f: Figures,
    pub drills: Vec<DrillRow>,
}

/// Loads a hall's month; `viewer` decides which drills show a delete button.
pub fn hall_month(
    conn: &mut Conn,
    hall_id: i32,
    month: Month,
    viewer: Option<&CurrentUser>,
) -> QueryResult<HallMonth> {
    let tree = OrgTree::load(conn)?;
    let types = DrillType::all(conn)?;
    let facts: Vec<Fact> =
        metrics::month_facts(conn, month)?.into_iter().filter(|f| f.hall_id == hall_id).collect();
    let roster: Vec<i32> =
        metrics::clerk_roster(conn)?.into_iter().filter(|(_, h)| *h == hall_id).map(|(c, _)| c).collect();
    let list = model::of_hall(conn, hall_id, month)?;
    let mut ids: Vec<i32> = facts.iter().map(|f| f.clerk_id).chain(roster.iter().copied()).collect();
    ids.extend(list.iter().filter_map(|d| d.recorded_by));
    let people = model::people(conn, &ids)?;
    let today = model::today();
    let f = figures(&Inputs { month, today, facts: &facts, roster: &roster, types: &types, people: &people });
    let can_delete = |d: &Drill| {
        viewer.is_some_and(|v| may_record(v, d.hall_id) && model::check_date(v, d.drilled_on).is_ok())
    };
    Ok(HallMonth {
        hall_id,
        hall: tree.name(Some(hall_id)),
        area: tree.area_of(Some(hall_id)).map(|a| a.name.clone()).unwrap_or_default(),
        month,
        team_leaders: model::team_leaders(conn, hall_id)?,
        drills: rows(&list, &types, &people, can_delete),
        f,
    })
}

/// One hall in the supervisors' summary.
#[derive(Debug, Clone, Serialize)]
pub struct HallLine {
    pub hall: HallChoice,
    pub totals: Totals,
}

/// The halls side by side (the month's totals of each).
pub fn hall_lines(conn: &mut Conn, halls: &[HallChoice], month: Month) -> QueryResult<Vec<HallLine>> {
    let types = DrillType::all(conn)?;
    let facts = metrics::month_facts(conn, month)?;
    let roster = metrics::clerk_roster(conn)?;
    let people = HashMap::new();
    let today = model::today();
    Ok(halls
        .iter()
        .map(|h| {
            let facts: Vec<Fact> = facts.iter().filter(|f| f.hall_id == h.id).cloned().collect();
            let roster: Vec<i32> = roster.iter().filter(|(_, hall)| *hall == h.id).map(|(c, _)| *c).collect();
            let f = figures(&Inputs {
                month,
                today,
                facts: &facts,
                roster: &roster,
                types: &types,
                people: &people,
            });
            HallLine { hall: h.clone(), totals: f.totals }
        })
        .collect())
}

/// A clerk's own month (their drills in any hall).
pub fn clerk_month(conn: &mut Conn, clerk_id: i32, month: Month) -> QueryResult<(Figures, Vec<DrillRow>)> {
    let types = DrillType::all(conn)?;
    let facts: Vec<Fact> =
        metrics::month_facts(conn, month)?.into_iter().filter(|f| f.clerk_id == clerk_id).collect();
    let list = model::of_clerk(conn, clerk_id, month)?;
    let mut ids = vec![clerk_id];
    ids.extend(list.iter().filter_map(|d| d.recorded_by));
    let people = model::people(conn, &ids)?;
    let today = model::today();
    let f =
        figures(&Inputs { month, today, facts: &facts, roster: &[clerk_id], types: &types, people: &people });
    Ok((f, rows(&list, &types, &people, |_| false)))
}
