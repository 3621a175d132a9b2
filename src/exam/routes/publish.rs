//! POST /exams/{id}/publish and /unpublish.

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::QueryResult;

use super::preview::exposure_warnings;
use super::{results_only, shortage_lines};
use crate::db::Conn;
use crate::exam::model::{self, Exam, ExamKind, ExamStatus};
use crate::exam::paper;
use crate::exam::refusal::ExamRefusal;
use crate::web::action::{self, Done};
use crate::web::{msg, AppResult, Ctx};
use crate::AppState;

pub async fn publish(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let back = format!("/exams/{id}");
    if results_only(&state, id).await? {
        return Ok(action::refuse(&ctx, &back, ExamRefusal::ResultsOnly));
    }
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let exam = Exam::find(conn, id)?;
        if let Some(taken) = published_monthly(conn, &exam)? {
            let imported = taken.is_results_only();
            return Ok(Err(ExamRefusal::MonthTaken {
                month: exam.month,
                title: taken.title,
                id: taken.id,
                imported,
            }));
        }
        let rule = exam.paper_rule()?;
        let pool = model::pool(conn, &rule)?;
        let short = paper::shortages(&rule, &pool);
        if !short.is_empty() {
            return Ok(Err(ExamRefusal::Short(shortage_lines(&short))));
        }
        let warnings = exposure_warnings(&rule, &pool);
        // Questions whose source article changed materially and no trainer has reviewed.
        let ids: Vec<i32> = pool.iter().map(|q| q.question_id).collect();
        let flagged = crate::bank::sources::open_flags(conn, Some(&ids))?;
        let flagged: std::collections::BTreeSet<i32> = flagged.iter().map(|f| f.question_id).collect();
        Exam::set_status(conn, id, ExamStatus::Published)?;
        actor.audit(conn, "exam_published", &format!("#{id} {}", exam.title))?;
        let done = if warnings.is_empty() {
            Done::flash(msg::EXAM_PUBLISHED)
        } else {
            Done::flash(format!("{}{}", msg::EXAM_PUBLISHED_EXPOSED, warnings.join("；")))
        };
        if flagged.is_empty() {
            return Ok(Ok(done));
        }
        let ids: Vec<i32> = flagged.into_iter().collect();
        Ok(Ok(done.warn(msg::flagged_in_pool(&ids))))
    })
    .await
}

pub async fn unpublish(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let back = format!("/exams/{id}");
    if results_only(&state, id).await? {
        return Ok(action::refuse(&ctx, &back, ExamRefusal::ResultsOnly));
    }
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let exam = Exam::find(conn, id)?;
        if Exam::attempt_count(conn, id)? > 0 {
            return Ok(Err(ExamRefusal::HasAttempts));
        }
        Exam::set_status(conn, id, ExamStatus::Draft)?;
        actor.audit(conn, "exam_unpublished", &format!("#{id} {}", exam.title))?;
        Ok(Ok(Done::flash(msg::EXAM_UNPUBLISHED)))
    })
    .await
}

/// For a monthly exam: the month's other published monthly exam, if any (a
/// month has one monthly exam, sat here or imported).
fn published_monthly(conn: &mut Conn, exam: &Exam) -> QueryResult<Option<Exam>> {
    if exam.kind != ExamKind::Monthly {
        return Ok(None);
    }
    Ok(Exam::other_monthly(conn, exam.month, exam.id)?
        .into_iter()
        .find(|e| e.status == ExamStatus::Published))
}
