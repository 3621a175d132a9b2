//! GET /exam/attempts/{id}: the exam page. Opening it makes this tab the one
//! that holds the attempt; an older tab is told on its next save.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use tera::Context;

use super::{attempt_view, blanks_of, exam_view, own_attempt};
use crate::bank::question::{format_points, letter, Question};
use crate::db::{now, write};
use crate::exam::answer::{self, Shown};
use crate::exam::model::{self, Attempt, AttemptStatus};
use crate::exam::rules;
use crate::web::{client_addr, msg, redirect, AppError, AppResult, Ctx};
use crate::AppState;

/// One question as the exam page shows it: no key, no explanation.
#[derive(Serialize)]
struct SitItem {
    pos: i32,
    kind: &'static str,
    kind_label: &'static str,
    stem: String,
    points: String,
    options: Vec<(char, String)>,
    blanks: usize,
    shown: Shown,
    answered: bool,
    flagged: bool,
    saved: bool,
    /// The question's pictures, by URL.
    images: Vec<String>,
}

fn sit_item(item: &model::Item, q: &Question, pictures: i64) -> SitItem {
    let order = item.order();
    let response = item.response();
    SitItem {
        pos: item.position,
        kind: q.kind.code(),
        kind_label: q.kind.label(),
        stem: q.stem.clone(),
        points: format_points(i64::from(item.points)),
        options: order
            .iter()
            .enumerate()
            .map(|(i, o)| (letter(i), q.options.get(*o).cloned().unwrap_or_default()))
            .collect(),
        blanks: blanks_of(q),
        shown: answer::show(&order, response.as_ref(), blanks_of(q)),
        answered: response.is_some(),
        flagged: item.flagged,
        saved: item.saved_at.is_some(),
        images: (0..pictures).map(|n| crate::bank::images::url(item.question_id, n)).collect(),
    }
}

/// The attempt's questions, each with how many pictures it has.
fn paper_with_pictures(
    conn: &mut crate::db::Conn,
    attempt: i32,
) -> AppResult<Vec<(model::Item, Question, i64)>> {
    let paper = Attempt::paper(conn, attempt)?;
    let ids: Vec<i32> = paper.iter().map(|(item, _)| item.question_id).collect();
    let pictures = crate::bank::images::counts(conn, &ids)?;
    Ok(paper
        .into_iter()
        .map(|(item, q)| {
            let n = pictures.get(&item.question_id).copied().unwrap_or(0);
            (item, q, n)
        })
        .collect())
}

/// GET /exam/attempts/{id}: the exam page. Opening it makes this tab the one
/// that holds the attempt; an older tab is told on its next save.
pub async fn sit(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let ip = client_addr(&req);
    let id = path.into_inner();
    let device = model::new_device_token();
    let token = device.clone();
    let (attempt, exam, paper) = state
        .db(move |conn| {
            let (mut attempt, exam) = own_attempt(conn, id, me)?;
            if attempt.status == AttemptStatus::InProgress && now() >= attempt.deadline_at {
                // The grace is for saves already in flight, not for a new page.
                write(conn, |conn| Attempt::submit(conn, id, "deadline", now()))?;
                attempt = Attempt::find(conn, id)?;
            }
            if attempt.status != AttemptStatus::InProgress {
                return Ok((attempt, exam, Vec::new()));
            }
            if !rules::ip_allowed(&exam.allowed_ips, ip) {
                return Err(AppError::Conflict(msg::EXAM_IP_NOT_ALLOWED.to_string()));
            }
            write(conn, |conn| Attempt::take_over(conn, id, &token))?;
            Ok((attempt, exam, paper_with_pictures(conn, id)?))
        })
        .await?;
    if attempt.status != AttemptStatus::InProgress {
        return Ok(redirect(&format!("/my/exams/{}", exam.id)));
    }
    let items: Vec<SitItem> = paper.iter().map(|(item, q, n)| sit_item(item, q, *n)).collect();
    let mut c = Context::new();
    c.insert("exam", &exam_view(&exam));
    c.insert("attempt", &attempt_view(&attempt, exam.pass_mark));
    c.insert("items", &items);
    c.insert("device", &device);
    c.insert("remaining", &rules::remaining_seconds(now(), attempt.deadline_at));
    c.insert("unanswered", &items.iter().filter(|i| !i.answered).count());
    let mut res = ctx.render("exam/sit.html", c)?;
    // Never from the back/forward cache: after 交卷, "back" must ask the
    // server (which answers 已交卷), not show a live-looking paper.
    res.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}
