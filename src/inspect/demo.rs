//! The demo's inspections: daily checks since the first of last month in
//! every hall that has a manager or team leader (a few days short, so
//! compliance has misses), last month's 3 spot checks and this month's plan
//! (two visited, one to go), last month's cross round with its visits, and
//! 纠错单 in every state (open, overdue, replied, returned, closed).

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::{Rng, SeedableRng};

use super::model::{Inspection, Kind};
use super::orders::{Order, Status};
use super::rounds::{self, Round};
use super::rules::{assign, Outcome, Queue};
use crate::db::Conn;
use crate::domain::{Month, OrgTree};
use crate::schema::{role_assignments, users};

/// Items failed more often in the demo: the ones hall staff really miss.
const WEAK: [&str; 6] = ["H3", "H6", "S5", "B1", "B4", "Q2"];

fn at(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    // Asia/Shanghai is UTC+8 all year.
    day.and_hms_opt(hour, minute, 0).unwrap_or_default() - chrono::Duration::hours(8)
}

/// Fills and submits an inspection on `day`: each item passes unless the
/// dice say otherwise (weak items fail more), the queue measured.
/// Who visits which hall, for which task.
struct Visit {
    kind: Kind,
    hall: i32,
    inspector: i32,
    assignment: Option<i32>,
}

fn run(
    conn: &mut Conn,
    rng: &mut rand::rngs::StdRng,
    visit: Visit,
    when: NaiveDateTime,
    fail_rate: f64,
) -> anyhow::Result<Inspection> {
    let Visit { kind, hall, inspector, assignment } = visit;
    let i = Inspection::start(conn, kind, hall, inspector, assignment, when)?;
    let standard = i.standard(conn)?;
    for item in standard.items.iter().filter(|it| !it.queue) {
        let rate = if WEAK.contains(&item.code.as_str()) { fail_rate * 4.0 } else { fail_rate };
        let rate = if item.zero == super::rules::ZeroTolerance::All { rate / 8.0 } else { rate };
        // The daily checks' failures are of items that need no photo, so the
        // demo database stays small; the visits carry the photos.
        let fail = rng.random_bool(rate.min(0.9)) && (kind != Kind::Daily || !item.photo_on_fail);
        let (outcome, note) =
            if fail { (Outcome::Fail, super::demo_notes::note(&item.code)) } else { (Outcome::Pass, "") };
        Inspection::save_verdict(conn, i.id, &item.code, outcome, note, when)?;
    }
    let minutes = rng.random_range(2..25);
    Inspection::save_queue(conn, i.id, Some(Queue { minutes, waiting: rng.random_range(0..12) }))?;
    // A failed item that requires a photo gets the demo's picture.
    let photographed = standard.items.iter().filter(|it| it.photo_on_fail).map(|it| it.code.clone());
    for code in photographed {
        let failed = i.verdicts(conn)?.get(&code).is_some_and(|v| v.outcome == Outcome::Fail);
        if failed {
            let photo = super::photo::process(&super::demo_notes::picture())
                .map_err(|e| anyhow::anyhow!("demo photo: {e:?}"))?;
            super::model::Photo::insert(conn, Some(i.id), &code, None, &photo, inspector, when)?;
        }
    }
    let submitted = when + chrono::Duration::minutes(25);
    let i = Inspection::find(conn, i.id)?;
    i.submit(conn, submitted)?.map_err(|m| anyhow::anyhow!("demo inspection incomplete: {m:?}"))?;
    Ok(i)
}

/// Runs planned visits in time order; the city's and cross visits come back.
fn run_all(
    conn: &mut Conn,
    rng: &mut rand::rngs::StdRng,
    mut planned: Vec<(NaiveDateTime, Visit, f64)>,
) -> anyhow::Result<Vec<Inspection>> {
    planned.sort_by_key(|p| p.0);
    let mut visits = Vec::new();
    for (when, visit, rate) in planned {
        let daily = visit.kind == Kind::Daily;
        let i = run(conn, rng, visit, when, rate)?;
        if !daily {
            visits.push(i);
        }
    }
    Ok(visits)
}

pub fn populate(conn: &mut Conn, today: NaiveDate) -> anyhow::Result<()> {
    let tree = OrgTree::load(conn)?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(24);
    let month = Month::of_date(today);
    let last = month.previous().unwrap_or(month);
    let mut planned: Vec<(NaiveDateTime, Visit, f64)> = Vec::new();
    // Daily checks since the first of last month: the hall's manager, else a
    // team leader, twice a day.
    let leads: Vec<(i32, i32, String)> = role_assignments::table
        .inner_join(users::table)
        .filter(role_assignments::role.eq_any(["hall_manager", "team_leader"]))
        .order((role_assignments::role, users::id))
        .select((role_assignments::org_unit_id, users::id, role_assignments::role))
        .load(conn)?;
    for hall in tree.halls() {
        let who = leads
            .iter()
            .find(|(h, _, r)| *h == hall.id && r == "hall_manager")
            .or(leads.iter().find(|(h, _, _)| *h == hall.id));
        let Some(&(_, inspector, _)) = who else { continue };
        let mut day = last.first_day();
        while day < today {
            // Some halls skip a check now and then (compliance shows the days).
            let checks = if hall.id % 3 == 0 && day.day().is_multiple_of(6) { 1 } else { 2 };
            for n in 0..checks {
                let visit = Visit { kind: Kind::Daily, hall: hall.id, inspector, assignment: None };
                planned.push((at(day, 9 + n * 6, 5), visit, 0.02));
            }
            day += chrono::Duration::days(1);
        }
    }
    let city_inspector: Option<i32> =
        users::table.filter(users::username.eq("80000")).select(users::id).first(conn).optional()?;
    let Some(city_inspector) = city_inspector else {
        return run_all(conn, &mut rng, planned).map(|_| ());
    };
    // This month's spot plan, 3 halls, two visited already.
    let spot = rounds::propose_spot(conn, &tree, 3, at(today, 1, 0))?;
    let pairs: Vec<(i32, Option<i32>)> = spot.iter().map(|h| (*h, None)).collect();
    let plan = Round::create(conn, Kind::Spot, month, &pairs, city_inspector, at(month.first_day(), 9, 0))?;
    Round::publish(conn, plan.id, at(month.first_day(), 9, 30))?;
    for (n, a) in plan.assignments(conn)?.into_iter().take(2).enumerate() {
        let day = month.first_day().max(today - Days::new(6 - n as u64 * 3));
        let visit =
            Visit { kind: Kind::Spot, hall: a.hall_id, inspector: city_inspector, assignment: Some(a.id) };
        planned.push((at(day, 10, 0), visit, 0.08));
    }
    // Last month's cross round, published and done.
    let leaders = rounds::county_leaders(conn, &tree)?;
    let halls = rounds::halls_for_spot(conn, &tree, today)?;
    // Last month's spot plan: 3 halls, all visited.
    let pairs: Vec<(i32, Option<i32>)> =
        assign::propose_spot(&halls, 3, 5).into_iter().map(|h| (h, None)).collect();
    let past = Round::create(conn, Kind::Spot, last, &pairs, city_inspector, at(last.first_day(), 9, 0))?;
    Round::publish(conn, past.id, at(last.first_day(), 9, 30))?;
    for (n, a) in past.assignments(conn)?.into_iter().enumerate() {
        let day = last.first_day() + Days::new(4 + 7 * n as u64);
        let visit =
            Visit { kind: Kind::Spot, hall: a.hall_id, inspector: city_inspector, assignment: Some(a.id) };
        planned.push((at(day, 10, 30), visit, 0.08));
    }
    let round = assign::cross_assign(&halls, &leaders, 9);
    let pairs: Vec<(i32, Option<i32>)> = round.pairs.iter().map(|(h, i)| (*h, Some(*i))).collect();
    let cross = Round::create(conn, Kind::Cross, last, &pairs, city_inspector, at(last.first_day(), 9, 0))?;
    Round::publish(conn, cross.id, at(last.first_day(), 10, 0))?;
    for (n, a) in cross.assignments(conn)?.into_iter().enumerate() {
        let Some(inspector) = a.inspector_id else { continue };
        let day = last.first_day() + Days::new(9 + (n as u64 % 5));
        let visit = Visit { kind: Kind::Cross, hall: a.hall_id, inspector, assignment: Some(a.id) };
        planned.push((at(day, 14, 0), visit, 0.1));
    }
    // In the order they happened, so a later pass closes what an earlier check found.
    let visits = run_all(conn, &mut rng, planned)?;
    // 纠错单 for the visits that failed items, in every state.
    let mut n = 0;
    for v in visits {
        let v = Inspection::find(conn, v.id)?;
        if super::model::defects_of(conn, v.id)?.is_empty() {
            continue;
        }
        let issued = v.submitted_at.unwrap_or(v.started_at) + chrono::Duration::hours(2);
        let issuer = v.inspector_id;
        let manager = super::model::hall_manager(conn, v.hall_id)?;
        let reply_by = manager.unwrap_or(issuer);
        let local = crate::time::local_date(issued);
        // open · open and (for last month's visits) overdue · replied · returned · closed, in turn.
        let state = n % 5;
        n += 1;
        // Open: due in five days; every other a week after the issue (the
        // cross visits of last month are overdue by now).
        let due = if state == 0 { today + Days::new(5) } else { local + Days::new(7) };
        let order = Order::issue(conn, &v, manager, due, "请于期限内整改并拍照反馈。", issuer, issued)?;
        // Halls take a day to three to reply, the inspector half a day to two to decide.
        let (reply, decide) = (20 + (n as i64 * 13) % 50, 12 + (n as i64 * 7) % 36);
        let later = |h: i64| (issued + chrono::Duration::hours(h)).min(crate::db::now());
        if state >= 2 {
            let note = "已组织班前会整改，问题已纠正。";
            Order::step(conn, order.id, Status::Replied, "replied", reply_by, note, later(reply))?;
        }
        if state == 3 {
            let note = "整改照片看不清现场，请补拍后重新反馈。";
            Order::step(conn, order.id, Status::Returned, "returned", issuer, note, later(reply + decide))?;
        }
        if state == 4 {
            Order::step(
                conn,
                order.id,
                Status::Closed,
                "closed",
                issuer,
                "复查合格。",
                later(reply + decide),
            )?;
        }
    }
    Ok(())
}
