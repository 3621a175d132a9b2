//! Loading the scorecard: each clerk's plain facts for the month, every
//! figure taken from the room that owns it (nothing recomputed here):
//!
//! - exam: the month's sheet ([`crate::review::model::sheet`]: the snapshot
//!   of a closed month, else live); the retest from last month's case;
//! - phone tests: the month's first scorings ([`crate::phone::report`]);
//! - reading: the month's ledger ([`crate::kb::ledger::close::month_ledger`]):
//!   items confirmed on time of those due, exempted items left out;
//! - drills: [`crate::training::drills::clerk_month`];
//! - study: [`crate::training::study::summary::attendance`] and the halls' minutes.
//!
//! Clerks are the users who are active now, hold the 营业员 role and have a
//! hall, placed in today's hall: the scorecard is about the staff a hall has,
//! and a clerk who left is no longer scored (their history stays in the
//! rooms' own reports).

use crate::domain::Month;
use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use super::rules::{self, ClerkFacts, Scorecard};
use crate::auth::Role;
use crate::db::Conn;
use crate::exam::model::Tree;
use crate::kb::ledger::Outcome;
use crate::phone::report::figures::average;
use crate::schema::{phone_calls, review_cases, role_assignments, users};

/// (id, 工号, name, hall) of a clerk.
type Clerk = (i32, Option<String>, String, i32);

/// Every active clerk with a hall, by 工号.
fn clerks(conn: &mut Conn) -> QueryResult<Vec<Clerk>> {
    let ids: Vec<i32> = role_assignments::table
        .filter(role_assignments::role.eq(Role::Clerk.code()))
        .select(role_assignments::user_id)
        .distinct()
        .load(conn)?;
    let rows: Vec<(i32, Option<String>, String, Option<i32>)> = users::table
        .filter(users::id.eq_any(&ids))
        .filter(users::active.eq(true))
        .filter(users::hall_id.is_not_null())
        .order((users::staff_no.asc(), users::id.asc()))
        .select((users::id, users::staff_no, users::name, users::hall_id))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(id, no, name, hall)| Some((id, no, name, hall?))).collect())
}

/// The month's exam: user → score (None = 缺考); those waiting for hand marking are left out.
/// Nothing until the exam is over for everyone: before that nobody is absent
/// yet, and clerks see their score only after the window closes.
pub fn exam_scores(conn: &mut Conn, month: Month) -> QueryResult<HashMap<i32, Option<i64>>> {
    let Some(exam) = crate::review::model::monthly_exam(conn, month)? else { return Ok(HashMap::new()) };
    if !exam.over_for_everyone(conn)? {
        return Ok(HashMap::new());
    }
    let Some((sheet, _)) = crate::review::model::sheet(conn, month)? else { return Ok(HashMap::new()) };
    Ok(sheet.entries.into_iter().map(|e| (e.user_id, e.score)).collect())
}

/// Retest scores recorded on last month's flags (the in-person sitting of this month's exam).
fn retests(conn: &mut Conn, month: Month) -> QueryResult<HashMap<i32, i64>> {
    let Some(flag_month) = month.previous() else { return Ok(HashMap::new()) };
    let rows: Vec<(i32, Option<i32>)> = review_cases::table
        .filter(review_cases::month.eq(flag_month))
        .filter(review_cases::retest_score.is_not_null())
        .select((review_cases::user_id, review_cases::retest_score))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(u, s)| Some((u, i64::from(s?)))).collect())
}

/// Each clerk's mean of the month's first scorings, and their number of calls.
pub(crate) fn phone_averages(conn: &mut Conn, month: Month) -> QueryResult<HashMap<i32, (i64, usize)>> {
    let calls = crate::phone::report::first_scorings(&crate::phone::report::facts(conn, month, None)?);
    Ok(crate::phone::report::figures::clerk_means(&calls))
}

/// Each person's (on time, due, not yet due) of the month's ledger: only items
/// whose due date has passed count (less the exempted); the rest are shown as
/// not yet due.
pub(crate) fn readings(conn: &mut Conn, month: Month) -> QueryResult<HashMap<i32, (usize, usize, usize)>> {
    let today = crate::time::local_date(crate::db::now());
    let found = crate::kb::ledger::close::month_ledger(conn, month, today)?;
    Ok(found
        .ledger
        .people
        .into_iter()
        .map(|p| {
            let exempt = p.lines.iter().filter(|l| l.outcome == Outcome::Exempt).count();
            let settled_on_time = p.on_time.saturating_sub(p.upcoming_read);
            (p.user_id, (settled_on_time, p.due.saturating_sub(exempt + p.upcoming), p.upcoming))
        })
        .collect())
}

/// Every clerk's facts for `month`.
pub fn facts(conn: &mut Conn, month: Month) -> QueryResult<Vec<ClerkFacts>> {
    use crate::domain::score::share;
    let tree = Tree::load(conn)?;
    let exams = exam_scores(conn, month)?;
    let retests = retests(conn, month)?;
    let phone = phone_averages(conn, month)?;
    let reading = readings(conn, month)?;
    let drills: HashMap<i32, crate::training::drills::ClerkDrills> =
        crate::training::drills::clerk_month(conn, month)?.into_iter().map(|d| (d.clerk_id, d)).collect();
    let study = crate::training::study::summary::attendance(conn, month)?;
    Ok(clerks(conn)?
        .into_iter()
        .map(|(id, staff_no, name, hall_id)| {
            let area = tree.area_of(Some(hall_id));
            let exam = exams.get(&id).copied();
            let (on_time, due, upcoming) = reading.get(&id).copied().unwrap_or((0, 0, 0));
            let d = drills.get(&id);
            let held = study.held.get(&hall_id).map_or(0, |h| h.0);
            ClerkFacts {
                user_id: id,
                staff_no: staff_no.unwrap_or_default(),
                name,
                hall_id,
                hall: tree.name(Some(hall_id)),
                area_id: area.map(|a| a.id),
                area: area.map(|a| a.name.clone()).unwrap_or_default(),
                county: area.is_some_and(|a| a.kind == crate::org::UnitKind::County),
                exam: exam.flatten(),
                absent: exam.is_some_and(|s| s.is_none()),
                retest: retests.get(&id).copied(),
                phone: phone.get(&id).map(|p| p.0),
                calls: phone.get(&id).map_or(0, |p| p.1),
                reading: share(on_time as i64, due as i64),
                read_on_time: on_time,
                reading_due: due,
                reading_upcoming: upcoming,
                drill_speed: d.and_then(|d| d.median_vs_target),
                drill_accuracy: d.and_then(|d| d.accuracy),
                drills: d.map_or(0, |d| d.drills),
                weeks_drilled: d.map_or(0, |d| d.weeks_drilled),
                weeks_due: d.map_or(0, |d| d.weeks_due),
                attendance: study.share(id, hall_id),
                sessions_attended: study.attended.get(&id).map_or(0, |a| a.0).min(held),
                sessions_held: held,
            }
        })
        .collect())
}

/// The month's scorecard, city-wide (the pages keep what the viewer may see).
pub fn load(conn: &mut Conn, month: Month) -> QueryResult<Scorecard> {
    let facts = facts(conn, month)?;
    let study = crate::training::study::summary::study_minutes_by_hall(conn, month)?;
    let target = crate::settings::number(conn, &crate::settings::STUDY_TARGET_MINUTES)?;
    let inspections = crate::inspect::library::scored(conn, month)?.into_iter().fold(
        HashMap::<i32, (i64, i64)>::new(),
        |mut m, s| {
            let e = m.entry(s.hall).or_default();
            *e = (e.0 + s.score, e.1 + 1);
            m
        },
    );
    Ok(rules::build(month, facts, &study, target).with_inspections(&inspections))
}

/// One month of a clerk's trend: the exam score and the phone-test average.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrendPoint {
    pub month: Month,
    pub exam: Option<i64>,
    pub phone: Option<i64>,
}

/// A clerk's exam scores and phone-test averages over the `n` months up to
/// `month` (oldest first; a month without either is kept, empty).
pub fn trend(conn: &mut Conn, user_id: i32, month: Month, n: usize) -> QueryResult<Vec<TrendPoint>> {
    trend_with(conn, user_id, month, n, |conn, m| exam_scores(conn, m).map(std::sync::Arc::new))
}

/// [`trend`] with each month's city-wide exam scores from `scores` (the home
/// page's shared cache).
pub fn trend_with(
    conn: &mut Conn,
    user_id: i32,
    month: Month,
    n: usize,
    mut scores: impl FnMut(&mut Conn, Month) -> QueryResult<std::sync::Arc<HashMap<i32, Option<i64>>>>,
) -> QueryResult<Vec<TrendPoint>> {
    let months = month.trailing(n);
    let calls: Vec<(Month, i32)> = phone_calls::table
        .filter(phone_calls::clerk_id.eq(user_id))
        .filter(phone_calls::month.eq_any(&months))
        .filter(phone_calls::second_of.is_null())
        .select((phone_calls::month, phone_calls::total))
        .load(conn)?;
    let mut points = Vec::with_capacity(months.len());
    for m in months {
        let exam = scores(conn, m)?.get(&user_id).copied().flatten();
        let totals: Vec<i64> = calls.iter().filter(|c| c.0 == m).map(|c| i64::from(c.1)).collect();
        points.push(TrendPoint { month: m, exam, phone: average(&totals) });
    }
    Ok(points)
}
