//! GET /my/exams/{id}: the rules before starting, the state after (the
//! score and ranks once shown, when the paper may be reviewed).

use std::net::IpAddr;

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use tera::Context;

use super::{attempt_view, close_if_due, exam_view};
use crate::db::{now, Conn};
use crate::exam::model::{
    self, Attempt, AttemptStatus, Exam, ExamKind, ExamPerson, ExamStatus, ResultRow, Sitting, Tree,
};
use crate::exam::rules::{self, Phase, Refusal, StartCheck};
use crate::time::local_display;
use crate::web::{client_addr, msg, AppError, AppResult, Ctx};
use crate::AppState;

/// What a candidate's start page needs to know about them.
pub(super) struct Standing {
    pub(super) attempt: Option<Attempt>,
    pub(super) check: StartCheck,
}

pub(super) fn standing(
    conn: &mut Conn,
    exam: &Exam,
    user_id: i32,
    hall_id: Option<i32>,
    ip: Option<IpAddr>,
    code: Option<&str>,
) -> AppResult<Standing> {
    let tree = Tree::load(conn)?;
    let attempt = match Attempt::of(conn, exam.id, user_id)? {
        Some(a) => Some(close_if_due(conn, a, i64::from(exam.grace_seconds))?),
        None => None,
    };
    let person = ExamPerson::find(conn, exam.id, user_id)?;
    let area = tree.area_of(hall_id).map(|a| a.id);
    let sitting_ok = match code {
        Some(code) => Some(usable_sitting(conn, exam.id, code)?.is_some()),
        None => None,
    };
    let check = StartCheck {
        phase: exam.phase(now()),
        now: now(),
        earliest: rules::earliest_start(exam.opens_at, &exam.stagger(), area, exam.seed as u64, user_id),
        in_audience: model::in_audience(conn, exam, user_id, hall_id, &tree)?,
        // A practice exam may be sat again once the last round is handed in.
        has_attempt: attempt
            .as_ref()
            .is_some_and(|a| !(exam.kind == ExamKind::Practice && a.status != AttemptStatus::InProgress)),
        ip_allowed: rules::ip_allowed(&exam.allowed_ips, ip),
        in_person: person.is_some_and(|p| p.in_person),
        sitting_ok,
    };
    Ok(Standing { attempt, check })
}

/// The open sitting this code names, if it may start attempts now.
pub(super) fn usable_sitting(conn: &mut Conn, exam_id: i32, code: &str) -> AppResult<Option<Sitting>> {
    Ok(Sitting::open_with_code(conn, exam_id, code)?
        .filter(|s| rules::sitting_code_valid(now(), s.starts_at)))
}

/// Everything the start page shows.
struct StartPage {
    exam: Exam,
    standing: Standing,
    /// A practice exam's earlier rounds (handed in), oldest first.
    rounds: Vec<Attempt>,
    /// The candidate's row of the results, for the ranks (once shown).
    result: Option<ResultRow>,
    /// Some(None): the paper may be reviewed now; Some(Some(t)): from t; None: never.
    key: Option<Option<NaiveDateTime>>,
}

fn load(conn: &mut Conn, id: i32, me: &crate::auth::CurrentUser, ip: Option<IpAddr>) -> AppResult<StartPage> {
    let exam = Exam::find(conn, id)?;
    if exam.status != ExamStatus::Published {
        return Err(AppError::NotFound);
    }
    let standing = standing(conn, &exam, me.id, me.hall_id, ip, None)?;
    let closed = exam.phase(now()) == Phase::Closed;
    let practice = exam.kind == ExamKind::Practice;
    let handed_in = standing.attempt.as_ref().is_some_and(|a| a.status != AttemptStatus::InProgress);
    let rounds = match practice {
        true => Attempt::all_of(conn, exam.id, me.id)?
            .into_iter()
            .filter(|a| a.status != AttemptStatus::InProgress)
            .collect(),
        false => Vec::new(),
    };
    // Ranks only once the window has closed and the exam allows it.
    let result = match &standing.attempt {
        Some(a) if closed && exam.review().shows_score() && a.score.is_some() => {
            model::results(conn, &exam)?.into_iter().find(|r| r.person.id == me.id)
        }
        _ => None,
    };
    let key = match (closed || practice) && exam.review().shows_paper() {
        // Practice is for learning: the paper right after each round (questions
        // still on anyone's running attempt are withheld on the review page).
        true if practice && handed_in => Some(None),
        true if practice => None,
        true if exam.over_for_everyone(conn)? => Some(None),
        true => Some(Some(exam.key_visible_from(conn)?)),
        false => None,
    };
    Ok(StartPage { exam, standing, rounds, result, key })
}

pub async fn start_page(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let ip = client_addr(&req);
    let id = path.into_inner();
    let page = state.db(move |conn| load(conn, id, &me, ip)).await?;
    if !page.standing.check.in_audience && page.standing.attempt.is_none() {
        return Err(AppError::NotFound);
    }
    ctx.render("exam/start.html", context(&page))
}

fn context(page: &StartPage) -> Context {
    let (exam, standing) = (&page.exam, &page.standing);
    let mut c = Context::new();
    c.insert("exam", &exam_view(exam));
    let closed = exam.phase(now()) == Phase::Closed;
    c.insert("closed", &closed);
    if let Some(a) = &standing.attempt {
        let mut view = attempt_view(a, exam.pass_mark);
        let practice = exam.kind == ExamKind::Practice;
        if !(closed || practice) || !exam.review().shows_score() {
            // Before the window closes a candidate sees only "submitted".
            view.score = None;
            view.passed = None;
        }
        c.insert("attempt", &view);
    }
    let rounds: Vec<_> = page.rounds.iter().map(|a| attempt_view(a, exam.pass_mark)).collect();
    c.insert("rounds", &rounds);
    c.insert("practice", &(exam.kind == ExamKind::Practice));
    if let Some(r) = &page.result {
        c.insert("ranks", &(r.rank_hall, r.rank_area, r.rank_city));
    }
    // The paper once no attempt can change; until then, when that will be.
    let submitted = standing.attempt.as_ref().is_some_and(|a| a.status != AttemptStatus::InProgress);
    c.insert("can_review", &(submitted && page.key == Some(None)));
    c.insert("review_label", &exam.review().label());
    c.insert("key_from", &page.key.flatten().filter(|_| submitted).map(local_display));
    if exam.is_results_only() {
        // Nothing to start: the page shows the imported score, or 缺考.
        c.insert("can_start", &false);
        c.insert("needs_code", &false);
        c.insert("in_person", &false);
        c.insert("refusal", &Some(msg::EXAM_RESULTS_ONLY_START));
        return c;
    }
    let refusal = rules::check_start(&standing.check).err();
    let needs_code = standing.check.in_person && refusal == Some(Refusal::SittingRequired);
    c.insert("needs_code", &needs_code);
    c.insert("can_start", &refusal.is_none());
    c.insert("in_person", &standing.check.in_person);
    c.insert(
        "refusal",
        &refusal
            .filter(|r| *r != Refusal::SittingRequired && *r != Refusal::AlreadyStarted)
            .map(|r| r.message()),
    );
    c
}
