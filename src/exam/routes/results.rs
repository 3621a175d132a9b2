//! The results page, its Excel export and its distribution chart.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use tera::Context;

use crate::exam::model::Exam;
use crate::exam::results::{distribution_svg, histogram, lines, summary, write_xlsx, Line};
use crate::time::local_display;
use crate::web::{msg, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

/// An exam and its results table (the page, the export and the chart share it).
async fn exam_lines(state: &AppState, id: i32) -> AppResult<(Exam, Vec<Line>)> {
    state
        .db(move |conn| {
            let exam = Exam::find(conn, id)?;
            let lines = lines(conn, &exam)?;
            Ok((exam, lines))
        })
        .await
}

#[derive(Deserialize)]
pub struct ResultsQuery {
    area: Option<i32>,
    hall: Option<i32>,
    sort: Option<String>,
}

/// GET /exams/{id}/results
/// When the candidates' review (marks, key) shows, for the trainer
/// (DESIGN §4 rule 10): a sentence, or None when the exam shows no paper.
async fn key_notice(state: &AppState, exam: &Exam) -> AppResult<Option<String>> {
    let exam = exam.clone();
    state
        .db(move |conn| {
            let review = exam.review();
            if !review.shows_paper() {
                return Ok(None);
            }
            let (people, since) = crate::exam::exposure::exam_revealed(conn, exam.id)?;
            Ok(Some(match since {
                Some(at) => msg::exam_key_shown(review.label(), people, &local_display(at)),
                None if exam.over_for_everyone(conn)? => msg::exam_key_visible_now(review.label()),
                None => {
                    msg::exam_key_visible_from(review.label(), &local_display(exam.key_visible_from(conn)?))
                }
            }))
        })
        .await
}

/// The areas of every line, and the halls of the chosen area (or all), for the filters.
type Choices = Vec<(i32, String)>;
fn filters(all: &[Line], area: Option<i32>) -> (Choices, Choices) {
    let mut areas: Choices = all.iter().filter_map(|l| l.area_id.map(|a| (a, l.area.clone()))).collect();
    areas.sort();
    areas.dedup();
    let mut halls: Choices = all
        .iter()
        .filter(|l| area.is_none() || l.area_id == area)
        .filter_map(|l| l.hall_id.map(|h| (h, l.hall.clone())))
        .collect();
    halls.sort();
    halls.dedup();
    (areas, halls)
}

/// The lines the query keeps, in its order.
fn shown(all: &[Line], q: &ResultsQuery) -> Vec<Line> {
    let mut shown: Vec<Line> = all
        .iter()
        .filter(|l| q.area.is_none() || l.area_id == q.area)
        .filter(|l| q.hall.is_none() || l.hall_id == q.hall)
        .cloned()
        .collect();
    match q.sort.as_deref() {
        Some("score_desc") => shown.sort_by_key(|l| std::cmp::Reverse(l.score_value)),
        Some("score_asc") => shown.sort_by_key(|l| l.score_value.unwrap_or(i32::MAX)),
        Some("staff_no") => shown.sort_by(|a, b| a.staff_no.cmp(&b.staff_no)),
        _ => {}
    }
    shown
}

pub async fn results(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    query: web::Query<ResultsQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (exam, all) = exam_lines(&state, id).await?;
    let q = query.into_inner();
    let (areas, halls) = filters(&all, q.area);
    let shown = shown(&all, &q);
    let absent: Vec<&Line> = shown.iter().filter(|l| l.state == msg::EXAM_STATE_ABSENT).collect();
    let mut c = Context::new();
    c.insert("key", &key_notice(&state, &exam).await?);
    c.insert("exam", &exam);
    c.insert("phase", exam.phase(crate::db::now()).label());
    c.insert("imported", &exam.is_results_only());
    c.insert("summary", &summary(&shown, exam.pass_mark));
    c.insert("lines", &shown);
    c.insert("absent", &absent);
    c.insert("areas", &areas);
    c.insert("halls", &halls);
    c.insert("area", &q.area);
    c.insert("hall", &q.hall);
    c.insert("sort", &q.sort.unwrap_or_default());
    ctx.render("exam/results.html", c)
}

pub async fn export_xlsx(state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (exam, lines) = exam_lines(&state, id).await?;
    let bytes = write_xlsx(&exam, &lines).map_err(AppError::internal)?;
    Ok(xlsx_response(bytes, &format!("exam-{id}-results.xlsx")))
}

pub async fn chart(state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (exam, lines) = exam_lines(&state, id).await?;
    let scores: Vec<i32> = lines.iter().filter_map(|l| l.score_value).collect();
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "no-store"))
        .body(distribution_svg(&histogram(&scores), exam.pass_mark).as_str().to_string()))
}
