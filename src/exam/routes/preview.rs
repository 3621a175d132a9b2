//! GET /exams/{id}/preview: the paper one candidate would get, and what is short.

use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::{results_only, shortage_lines};
use crate::bank::model::VersionRow;
use crate::bank::question::{format_points, letter, Answer};
use crate::db::Conn;
use crate::exam::model::{self, Exam, ExamStatus};
use crate::exam::paper::{self, Drawn};
use crate::exam::refusal::ExamRefusal;
use crate::schema::question_versions;
use crate::web::{action, msg, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct PreviewQuery {
    candidate: Option<i32>,
}

/// One question of a trainer's sample paper, key included.
#[derive(Serialize)]
struct PreviewItem {
    pos: usize,
    question_id: i32,
    kind_label: &'static str,
    stem: String,
    points: String,
    options: Vec<(char, String, bool)>,
    key: String,
}

pub async fn preview(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    query: web::Query<PreviewQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    if results_only(&state, id).await? {
        return Ok(action::refuse(&ctx, &format!("/exams/{id}"), ExamRefusal::ResultsOnly));
    }
    let candidate = query.candidate.unwrap_or_else(|| rand::random::<u16>() as i32);
    let mut c = state.db(move |conn| preview_context(conn, id, candidate)).await?;
    c.insert("candidate", &candidate);
    ctx.render("exam/preview.html", c)
}

fn preview_context(conn: &mut Conn, id: i32, candidate: i32) -> crate::web::AppResult<Context> {
    let exam = Exam::find(conn, id)?;
    let rule = exam.paper_rule()?;
    let pool = model::pool(conn, &rule)?;
    let mut c = Context::new();
    c.insert("exposure", &exposure_warnings(&rule, &pool));
    match paper::compose(&rule, &pool, exam.seed as u64, candidate, &Default::default()) {
        Ok(drawn) => {
            let items = drawn
                .iter()
                .enumerate()
                .map(|(i, d)| preview_item(conn, i, d))
                .collect::<QueryResult<Vec<_>>>()?;
            c.insert("items", &items);
            c.insert("shortages", &Vec::<String>::new());
        }
        Err(short) => {
            c.insert("items", &Vec::<PreviewItem>::new());
            c.insert("shortages", &shortage_lines(&short));
        }
    }
    c.insert("possible", &format_points(paper::possible_points(&rule, &pool)));
    c.insert("draft", &(exam.status == ExamStatus::Draft));
    c.insert("exam", &exam);
    Ok(c)
}

fn preview_item(conn: &mut Conn, i: usize, d: &Drawn) -> QueryResult<PreviewItem> {
    let v: VersionRow =
        question_versions::table.find(d.version_id).select(VersionRow::as_select()).first(conn)?;
    let q = v.question()?;
    let options = d
        .option_order
        .iter()
        .enumerate()
        .map(|(shown, o)| {
            let correct = matches!(&q.answer, Answer::Choices(c) if c.contains(o));
            (letter(shown), q.options.get(*o).cloned().unwrap_or_default(), correct)
        })
        .collect();
    let key = match &q.answer {
        Answer::TrueFalse(true) => "正确".to_string(),
        Answer::TrueFalse(false) => "错误".to_string(),
        Answer::Blanks(g) => g.iter().map(|a| a.join("/")).collect::<Vec<_>>().join("；"),
        Answer::Reference(r) => r.clone(),
        Answer::Choices(_) => String::new(),
    };
    Ok(PreviewItem {
        pos: i + 1,
        question_id: d.question_id,
        kind_label: q.kind.label(),
        stem: q.stem,
        points: format_points(d.points),
        options,
        key,
    })
}

/// "本节 40 题中 31 题已公开过答案" for each section whose key has been shown
/// (DESIGN §4 rule 11), for preview and publish.
pub(super) fn exposure_warnings(rule: &paper::PaperRule, pool: &[paper::PoolQuestion]) -> Vec<String> {
    paper::exposure(rule, pool)
        .into_iter()
        .filter(|(_, _, shown)| *shown > 0)
        .map(|(title, n, shown)| msg::exam_exposure(&title, n, shown))
        .collect()
}
