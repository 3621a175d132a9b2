//! GET /exams/{id}/statistics: Moodle-style item analysis of graded attempts.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use serde::Serialize;
use tera::Context;

use crate::bank::question::Kind;
use crate::db::Conn;
use crate::exam::model::{self, Exam, Item};
use crate::exam::stats::{self, AttemptScores, ItemScore, ItemStats, TestStats};
use crate::web::{msg, AppResult, Ctx};
use crate::AppState;

#[derive(Serialize)]
struct ItemLine {
    question_id: i32,
    stem: String,
    kind: &'static str,
    attempts: usize,
    facility: String,
    sd: String,
    discrimination: String,
    efficiency: String,
    /// Moodle flags items with discrimination below 20 % (or negative) for review.
    weak: bool,
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}%")).unwrap_or_else(|| "—".into())
}

fn num(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into())
}

type Stems = HashMap<i32, (String, Kind)>;
/// Each graded attempt's items, by attempt id.
type Graded = Vec<(i32, Vec<Item>)>;

/// The exam, its graded attempts' items, and the stems of their questions.
fn load(conn: &mut Conn, id: i32) -> AppResult<(Exam, Graded, Stems)> {
    let exam = Exam::find(conn, id)?;
    // Imported scores have no questions to analyse.
    let graded = if exam.is_results_only() { Vec::new() } else { model::graded_items(conn, id)? };
    let mut ids: Vec<i32> =
        graded.iter().flat_map(|(_, items)| items.iter().map(|i| i.question_id)).collect();
    ids.sort_unstable();
    ids.dedup();
    let stems = model::question_stems(conn, &ids)?;
    Ok((exam, graded, stems))
}

fn attempt_scores(items: &[Item]) -> AttemptScores {
    AttemptScores {
        earned: items.iter().filter_map(|i| i.earned).map(i64::from).sum(),
        possible: items.iter().map(|i| i64::from(i.points)).sum(),
        items: items
            .iter()
            .map(|i| ItemScore {
                question_id: i.question_id,
                earned: i64::from(i.earned.unwrap_or(0)),
                max: i64::from(i.points),
            })
            .collect(),
    }
}

fn item_line(s: ItemStats, stems: &Stems) -> ItemLine {
    let empty = (String::new(), Kind::Single);
    let (stem, kind) = stems.get(&s.question_id).unwrap_or(&empty);
    ItemLine {
        question_id: s.question_id,
        stem: stem.clone(),
        kind: kind.label(),
        attempts: s.attempts,
        facility: format!("{:.2}%", s.facility),
        sd: format!("{:.2}%", s.sd),
        discrimination: pct(s.discrimination_index),
        efficiency: pct(s.discriminative_efficiency),
        weak: s.discrimination_index.is_some_and(|d| d < 20.0),
    }
}

fn test_lines(test: &TestStats) -> [(&'static str, String); 9] {
    [
        (msg::STATS_ATTEMPTS, test.attempts.to_string()),
        (msg::STATS_MEAN, format!("{:.2}", test.mean)),
        (msg::STATS_MEDIAN, format!("{:.2}", test.median)),
        (msg::STATS_SD, format!("{:.2}", test.sd)),
        (msg::STATS_SKEWNESS, num(test.skewness)),
        (msg::STATS_KURTOSIS, num(test.kurtosis)),
        (msg::STATS_CIC, pct(test.cic)),
        (msg::STATS_ERROR_RATIO, pct(test.error_ratio)),
        (msg::STATS_STANDARD_ERROR, num(test.standard_error)),
    ]
}

pub async fn statistics(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (exam, graded, stems) = state.db(move |conn| load(conn, id)).await?;
    let attempts: Vec<AttemptScores> = graded.iter().map(|(_, items)| attempt_scores(items)).collect();
    let items: Vec<ItemLine> =
        stats::item_stats(&attempts).into_iter().map(|s| item_line(s, &stems)).collect();
    let mut c = Context::new();
    c.insert("exam", &exam);
    c.insert("items", &items);
    c.insert("test", &test_lines(&stats::test_stats(&attempts)));
    ctx.render("exam/statistics.html", c)
}
