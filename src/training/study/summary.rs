//! A month of study per hall (DESIGN §4 rule 8): the sessions held and their
//! minutes, summed in one place ([`held_by_hall`]) for the hall summary, the
//! dashboard and the scorecard alike, and who attended what.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use chrono::NaiveDate;

use super::rules::{covered_minutes, minute_of_day, study_short};
use crate::db::Conn;
use crate::domain::score::share;
use crate::domain::{Month, OrgTree};
use crate::org::OrgUnit;
use crate::schema::{study_attendees, study_sessions};

/// A session of the month as the sums need it.
struct Held {
    id: i32,
    hall: i32,
    day: NaiveDate,
    minutes: i32,
    /// (start, end) in minutes after midnight; None without a start time
    /// (such a session cannot be said to overlap, and counts in full).
    span: Option<(i32, i32)>,
}

/// The month's sessions.
fn sessions_of(conn: &mut Conn, month: Month) -> QueryResult<Vec<Held>> {
    let rows: Vec<(i32, i32, NaiveDate, String, i32)> = study_sessions::table
        .filter(study_sessions::month.eq(month))
        .select((
            study_sessions::id,
            study_sessions::hall_id,
            study_sessions::held_on,
            study_sessions::starts,
            study_sessions::minutes,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, hall, day, starts, minutes)| {
            let span = minute_of_day(&starts).map(|start| (start, start + minutes));
            Held { id, hall, day, minutes, span }
        })
        .collect())
}

/// Per key (a hall, a person), the sessions and the minutes they cover, each
/// day's overlapping time counted once: the one sum of rule 8.
fn covered<'a, K: std::hash::Hash + Eq + Copy>(
    sessions: impl IntoIterator<Item = (K, &'a Held)>,
) -> HashMap<K, (i64, i64)> {
    let mut days: HashMap<(K, NaiveDate), Vec<(i32, i32)>> = HashMap::new();
    let mut out: HashMap<K, (i64, i64)> = HashMap::new();
    for (key, s) in sessions {
        match s.span {
            Some(span) => days.entry((key, s.day)).or_default().push(span),
            None => {
                let h = out.entry(key).or_insert((0, 0));
                h.0 += 1;
                h.1 += i64::from(s.minutes);
            }
        }
    }
    for ((key, _), spans) in days {
        let h = out.entry(key).or_insert((0, 0));
        h.0 += spans.len() as i64;
        h.1 += covered_minutes(spans);
    }
    out
}

fn sum_by_hall(sessions: &[Held]) -> HashMap<i32, (i64, i64)> {
    covered(sessions.iter().map(|s| (s.hall, s)))
}

/// Each hall's (sessions, minutes) in `month` (halls without a session are absent).
pub fn held_by_hall(conn: &mut Conn, month: Month) -> QueryResult<HashMap<i32, (i64, i64)>> {
    Ok(sum_by_hall(&sessions_of(conn, month)?))
}

/// Each hall's study minutes in `month` (halls without a session are absent).
pub fn study_minutes_by_hall(conn: &mut Conn, month: Month) -> QueryResult<HashMap<i32, i64>> {
    Ok(held_by_hall(conn, month)?.into_iter().map(|(hall, (_, minutes))| (hall, minutes)).collect())
}

/// One hall's study in a month against the target (rule 8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HallStudy {
    pub hall_id: i32,
    pub hall: String,
    pub area_id: Option<i32>,
    pub area: String,
    pub sessions: i64,
    pub minutes: i64,
    pub target_minutes: i64,
    pub short: bool,
}

/// Every active hall's study in `month`, ordered by area (the
/// city district first) then hall name. A hall without a session has 0
/// minutes and is short unless the target is 0. Not limited to a viewer's
/// scope: callers filter with [`crate::training::access::may_view`] or `review::model::in_scope`.
pub fn hall_month_summary(conn: &mut Conn, month: Month) -> QueryResult<Vec<HallStudy>> {
    let target = crate::settings::number(conn, &crate::settings::STUDY_TARGET_MINUTES)?;
    let held = held_by_hall(conn, month)?;
    let tree = OrgTree::load(conn)?;
    let order: Vec<i32> = tree.areas().iter().map(|a| a.id).collect();
    let mut out: Vec<HallStudy> = OrgUnit::halls(conn)?
        .into_iter()
        .filter(|h| h.active)
        .map(|h| {
            let area = tree.area_of(Some(h.id));
            let (sessions, minutes) = held.get(&h.id).copied().unwrap_or((0, 0));
            HallStudy {
                hall_id: h.id,
                hall: h.name,
                area_id: area.map(|a| a.id),
                area: area.map(|a| a.name.clone()).unwrap_or_default(),
                sessions,
                minutes,
                target_minutes: target,
                short: study_short(minutes, target),
            }
        })
        .collect();
    let rank = |a: Option<i32>| a.and_then(|a| order.iter().position(|o| *o == a)).unwrap_or(usize::MAX);
    out.sort_by(|a, b| (rank(a.area_id), &a.hall).cmp(&(rank(b.area_id), &b.hall)));
    Ok(out)
}

/// Study attendance of `month`: per hall the sessions held and their
/// minutes, per person the sessions and minutes they attended.
#[derive(Debug, Clone, Default)]
pub struct Attendance {
    /// hall id → (sessions held, minutes held).
    pub held: HashMap<i32, (i64, i64)>,
    /// user id → (sessions attended, minutes attended).
    pub attended: HashMap<i32, (i64, i64)>,
}

impl Attendance {
    /// A person's share of their hall's sessions, hundredths of a percent.
    pub fn share(&self, user_id: i32, hall_id: i32) -> Option<i64> {
        let held = self.held.get(&hall_id).map_or(0, |h| h.0);
        let went = self.attended.get(&user_id).map_or(0, |a| a.0);
        share(went.min(held), held)
    }
}

pub fn attendance(conn: &mut Conn, month: Month) -> QueryResult<Attendance> {
    let sessions = sessions_of(conn, month)?;
    let by_id: HashMap<i32, &Held> = sessions.iter().map(|s| (s.id, s)).collect();
    let ids: Vec<i32> = sessions.iter().map(|s| s.id).collect();
    let pairs: Vec<(i32, i32)> = study_attendees::table
        .filter(study_attendees::session_id.eq_any(&ids))
        .select((study_attendees::session_id, study_attendees::user_id))
        .load(conn)?;
    let attended = covered(pairs.iter().filter_map(|(session, user)| Some((*user, *by_id.get(session)?))));
    Ok(Attendance { held: sum_by_hall(&sessions), attended })
}
