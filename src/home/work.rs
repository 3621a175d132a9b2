//! Each role's work on its home page: the numbers that ask for action, each
//! linking into the list behind it. Trainers: the marking queue, the exams
//! open now with their participation, banks and papers that run short.
//! Supervisors: the open follow-ups of their list, this month's unread items
//! and penalty, halls under the study target. Team leaders: their hall's
//! unread items, this week's drill coverage, this month's study hours.
//! Admins: accounts and roster tasks.

use chrono::{Datelike, Duration};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::{CurrentUser, Role};
use crate::db::{now, Conn};
use crate::domain::Month;
use crate::exam::model::{Exam, ExamStatus, Tree};
use crate::kb::ledger::Outcome;
use crate::review::case::CaseStatus;
use crate::schema::{attempts, audit_log, drills, role_assignments, users};
use crate::web::msg;

/// One number that asks for action, and where to act on it.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub label: String,
    pub value: String,
    pub href: String,
    /// Something is waiting (shown in red).
    pub bad: bool,
}

impl Task {
    fn new(label: impl Into<String>, value: impl Into<String>, href: impl Into<String>, bad: bool) -> Task {
        Task { label: label.into(), value: value.into(), href: href.into(), bad }
    }
}

/// One role's panel.
#[derive(Debug, Clone, Serialize)]
pub struct Panel {
    pub id: &'static str,
    pub heading: &'static str,
    pub tasks: Vec<Task>,
}

/// The panels of every role `me` holds (clerks' own home is elsewhere).
pub fn panels(conn: &mut Conn, me: &CurrentUser) -> QueryResult<Vec<Panel>> {
    let mut out = Vec::new();
    if me.has_role(Role::Trainer) {
        out.push(Panel { id: "work-trainer", heading: msg::HOME_TRAINER, tasks: trainer(conn)? });
    }
    if me.has_role(Role::Supervisor) {
        out.push(Panel {
            id: "work-supervisor",
            heading: msg::HOME_SUPERVISOR,
            tasks: supervisor(conn, me)?,
        });
    }
    let halls: Vec<i32> = [Role::TeamLeader, Role::HallManager].iter().flat_map(|r| me.scopes(*r)).collect();
    if let Some(hall) = halls.first().copied() {
        out.push(Panel { id: "work-hall", heading: msg::HOME_HALL, tasks: hall_tasks(conn, hall)? });
    }
    if me.has_role(Role::Admin) {
        out.push(Panel { id: "work-admin", heading: msg::HOME_ADMIN, tasks: admin(conn)? });
    }
    let evaluation = evaluation(conn, me)?;
    if !evaluation.is_empty() {
        out.push(Panel { id: "work-evaluation", heading: msg::HOME_EVALUATION, tasks: evaluation });
    }
    Ok(out)
}

/// The evaluation's asks: last month's own evaluation, 360 questionnaires to
/// fill, people to rate (hall managers), appeals to answer (supervisors).
fn evaluation(conn: &mut Conn, me: &CurrentUser) -> QueryResult<Vec<Task>> {
    let mut tasks = Vec::new();
    let last = Month::current().previous().unwrap_or_else(Month::current);
    if me.has_any_role(&[Role::Clerk, Role::TeamLeader]) {
        tasks.push(Task::new(
            msg::home_my_evaluation(last),
            msg::HOME_OPEN,
            format!("/my/evaluation?month={last}"),
            false,
        ));
    }
    let pending = crate::evaluation::home::questionnaires_pending(conn, me.id)?;
    if pending > 0 {
        tasks.push(Task::new(msg::HOME_360_PENDING, pending.to_string(), "/review360/mine", true));
    }
    for hall in me.scopes(Role::HallManager) {
        if let Some((unrated, all)) = crate::evaluation::home::unrated(conn, hall, last)? {
            let value = format!("{unrated} / {all}");
            tasks.push(Task::new(
                msg::home_unrated(last),
                value,
                format!("/evaluation/rate?month={last}"),
                unrated > 0,
            ));
        }
    }
    if me.has_any_role(&[Role::Supervisor, Role::Admin]) {
        let open = crate::evaluation::home::appeals_open(conn, me, last)?;
        tasks.push(Task::new(
            msg::home_appeals(last),
            open.to_string(),
            format!("/evaluation/appeals?month={last}"),
            open > 0,
        ));
    }
    Ok(tasks)
}

/// Months of unrevealed questions below which a bank needs new questions.
const BANK_MONTHS_LOW: i64 = 3;

fn trainer(conn: &mut Conn) -> QueryResult<Vec<Task>> {
    let mut tasks = Vec::new();
    let exams = Exam::all(conn)?;
    // The marking queue: handed-in papers waiting for a trainer's marks.
    let pending: Vec<(i32, i64)> = attempts::table
        .filter(attempts::marking_pending.eq(true))
        .filter(attempts::status.ne(crate::exam::model::AttemptStatus::InProgress))
        .group_by(attempts::exam_id)
        .select((attempts::exam_id, diesel::dsl::count_star()))
        .load(conn)?;
    for (exam_id, n) in &pending {
        let title = exams.iter().find(|e| e.id == *exam_id).map(|e| e.title.as_str()).unwrap_or_default();
        tasks.push(Task::new(
            msg::home_marking(title),
            msg::home_papers(*n),
            format!("/exams/{exam_id}/marking"),
            true,
        ));
    }
    if pending.is_empty() {
        tasks.push(Task::new(msg::HOME_MARKING_NONE, msg::home_papers(0), "/exams", false));
    }
    // Exams open now, with their live participation.
    let at = now();
    let tree = Tree::load(conn)?;
    for e in exams.iter().filter(|e| e.status == ExamStatus::Published && !e.is_results_only()) {
        if e.opens_at <= at && at < e.closes_at {
            let expected = crate::exam::model::audience_people(conn, e, &tree)?.len();
            let (started, submitted) = participation(conn, e.id)?;
            let value = msg::home_participation(submitted, started, expected);
            tasks.push(Task::new(
                msg::home_open_exam(&e.title),
                value,
                format!("/exams/{}/results", e.id),
                false,
            ));
        }
        // A paper that cannot be drawn yet (draft or not yet open): the pool runs short.
        if at < e.opens_at || e.status == ExamStatus::Draft {
            if let Ok(rule) = e.paper_rule() {
                let pool = crate::exam::model::pool(conn, &rule)?;
                let short = crate::exam::paper::shortages(&rule, &pool).len();
                if short > 0 {
                    tasks.push(Task::new(
                        msg::home_exam_short(&e.title),
                        msg::home_sections(short),
                        format!("/exams/{}", e.id),
                        true,
                    ));
                }
            }
        }
    }
    // Banks whose questions nobody has seen the key of last under three monthly draws.
    for bank in crate::bank::model::Bank::all(conn)? {
        let (groups, _) = crate::exam::exposure::bank_summary(conn, bank.bank.id)?;
        let low = groups.iter().filter(|g| g.months.is_some_and(|m| m < BANK_MONTHS_LOW)).count();
        if low > 0 {
            let href = format!("/bank/{}", bank.bank.id);
            tasks.push(Task::new(msg::home_bank_low(&bank.bank.name), msg::home_groups(low), href, true));
        }
    }
    // Questions whose source article changed materially (待复核), per bank.
    let flags = crate::bank::sources::open_flags(conn, None)?;
    let mut banks: Vec<(i32, usize)> = Vec::new();
    for f in &flags {
        match banks.iter_mut().find(|(b, _)| *b == f.bank_id) {
            Some((_, n)) => *n += 1,
            None => banks.push((f.bank_id, 1)),
        }
    }
    for (bank_id, n) in banks {
        let name = crate::bank::model::Bank::find(conn, bank_id)?.name;
        tasks.push(Task::new(
            msg::home_flagged(&name),
            msg::home_questions(n),
            format!("/bank/{bank_id}#flags"),
            true,
        ));
    }
    Ok(tasks)
}

/// (started, handed in) attempts of an exam: people, not rounds.
fn participation(conn: &mut Conn, exam_id: i32) -> QueryResult<(usize, usize)> {
    let rows: Vec<(i32, crate::exam::model::AttemptStatus)> = attempts::table
        .filter(attempts::exam_id.eq(exam_id))
        .select((attempts::user_id, attempts::status))
        .load(conn)?;
    let started: std::collections::HashSet<i32> = rows.iter().map(|r| r.0).collect();
    let submitted: std::collections::HashSet<i32> =
        rows.iter().filter(|r| r.1 != crate::exam::model::AttemptStatus::InProgress).map(|r| r.0).collect();
    Ok((started.len(), submitted.len()))
}

fn supervisor(conn: &mut Conn, me: &CurrentUser) -> QueryResult<Vec<Task>> {
    let mut tasks = Vec::new();
    // The open follow-ups of the latest list (the last monthly exam that closed).
    let list_month = crate::dashboard::model::chosen_month(conn, None)?;
    if let Some(mut list) = crate::review::model::month_list(conn, list_month)? {
        crate::review::model::scoped(&mut list, me);
        let open = list
            .rows
            .iter()
            .filter(|r| {
                matches!(r.case, CaseStatus::ToTalk | CaseStatus::Talked | CaseStatus::RetestScheduled)
            })
            .count();
        let href = format!("/review?month={list_month}");
        tasks.push(Task::new(msg::home_follow_ups(list_month), msg::home_people(open), href, open > 0));
    }
    let month = Month::current();
    let viewer = crate::dashboard::model::Viewer::load(conn, me.clone())?;
    let h = crate::dashboard::board::board(conn, &viewer, month)?.headline;
    // This month's items not yet read (due or not) in scope, and what is charged so far.
    let today = crate::time::local_date(now());
    let ledger = crate::kb::ledger::close::month_ledger(conn, month, today)?.ledger;
    let unread: usize = ledger
        .people
        .iter()
        .filter(|p| viewer.scope.sees(&viewer.tree, p.hall_id))
        .flat_map(|p| &p.lines)
        .filter(|l| matches!(l.outcome, Outcome::Unread | Outcome::Pending))
        .count();
    let value = msg::home_unread(unread, &h.unread_amount);
    tasks.push(Task::new(
        msg::home_month_unread(month),
        value,
        format!("/kb/ledger?month={month}"),
        unread > 0,
    ));
    let short = format!("{} / {}", h.short_halls, h.halls);
    tasks.push(Task::new(
        msg::HOME_SHORT_HALLS,
        short,
        format!("/training/study?month={month}"),
        h.short_halls > 0,
    ));
    // 纠错单 past their due date that escalated to this supervisor (county, then city).
    let who = crate::inspect::access::Who::load(conn, me.clone())?;
    let overdue = crate::inspect::routes::orders::escalated_to(conn, &who, today)?.len();
    tasks.push(Task::new(msg::HOME_ORDERS_OVERDUE, overdue.to_string(), "/orders", overdue > 0));
    Ok(tasks)
}

fn hall_tasks(conn: &mut Conn, hall: i32) -> QueryResult<Vec<Task>> {
    let mut tasks = Vec::new();
    let (_, missing) = crate::kb::routes::mine::missing_in(conn, hall)?;
    let items: usize = missing.iter().map(|m| m.titles.len()).sum();
    let value = msg::home_hall_unread(items, missing.len());
    tasks.push(Task::new(msg::HOME_HALL_UNREAD, value, "/kb/hall", items > 0));
    // This ISO week (Monday to Sunday, Beijing): clerks with a drill.
    let today = crate::time::local_date(now());
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let clerks: Vec<i32> = users::table
        .inner_join(role_assignments::table)
        .filter(users::active.eq(true))
        .filter(users::hall_id.eq(hall))
        .filter(role_assignments::role.eq(Role::Clerk.code()))
        .select(users::id)
        .distinct()
        .load(conn)?;
    let drilled: Vec<i32> = drills::table
        .filter(drills::hall_id.eq(hall))
        .filter(drills::drilled_on.between(monday, monday + Duration::days(6)))
        .filter(drills::clerk_id.eq_any(&clerks))
        .select(drills::clerk_id)
        .distinct()
        .load(conn)?;
    let value = format!("{} / {}", drilled.len(), clerks.len());
    tasks.push(Task::new(msg::HOME_WEEK_DRILLS, value, "/training/drills", drilled.len() < clerks.len()));
    let month = Month::current();
    if let Some(s) =
        crate::training::study::hall_month_summary(conn, month)?.into_iter().find(|s| s.hall_id == hall)
    {
        let value = msg::home_study_hours(
            &crate::training::study::rules::hours(s.minutes),
            &crate::training::study::rules::hours(s.target_minutes),
        );
        tasks.push(Task::new(msg::HOME_STUDY, value, format!("/training/study?month={month}"), s.short));
    }
    // 日检制: today's daily checks of the hall, and its 纠错单 waiting on it.
    let required = crate::settings::number(conn, &crate::settings::INSPECT_DAILY_REQUIRED)?;
    let done = crate::inspect::model::daily_count(conn, hall, today)?;
    tasks.push(Task::new(
        msg::HOME_DAILY_CHECKS,
        format!("{done} / {required}"),
        "/inspections",
        done < required,
    ));
    let waiting = crate::inspect::orders::Order::all(conn)?
        .into_iter()
        .filter(|o| o.hall_id == hall && o.status.awaits_hall())
        .count();
    tasks.push(Task::new(msg::HOME_ORDERS_TO_RECTIFY, waiting.to_string(), "/orders", waiting > 0));
    Ok(tasks)
}

fn admin(conn: &mut Conn) -> QueryResult<Vec<Task>> {
    let must_change: i64 = users::table
        .filter(users::active.eq(true))
        .filter(users::must_change_password.eq(true))
        .count()
        .get_result(conn)?;
    let without_hall = users::table
        .inner_join(role_assignments::table)
        .filter(users::active.eq(true))
        .filter(users::hall_id.is_null())
        .filter(role_assignments::role.eq(Role::Clerk.code()))
        .select(users::id)
        .distinct()
        .load::<i32>(conn)?
        .len() as i64;
    let last_import: Option<chrono::NaiveDateTime> = audit_log::table
        .filter(audit_log::action.eq("roster_imported"))
        .select(diesel::dsl::max(audit_log::at))
        .get_result(conn)?;
    let last = last_import.map(crate::time::local_display).unwrap_or_else(|| msg::HOME_NEVER.to_string());
    Ok(vec![
        Task::new(msg::HOME_MUST_CHANGE, msg::home_accounts(must_change), "/admin/users", false),
        Task::new(msg::HOME_WITHOUT_HALL, msg::home_accounts(without_hall), "/admin/users", without_hall > 0),
        Task::new(msg::HOME_LAST_ROSTER, last, "/admin/roster", last_import.is_none()),
    ])
}
