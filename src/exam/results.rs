//! Results: the table (page, .xlsx, .csv, CLI), the score distribution chart
//! (SVG drawn here), the absent list and the item analysis.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::model::{self, Exam, ResultRow, IN_PROGRESS};
use super::stats::{self, AttemptScores, ItemScore};
use crate::bank::question::format_points;
use crate::db::Conn;
use crate::time::local_display;
use crate::web::{msg, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

/// One line of the results table as people read it (and as exported).
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub attempt_id: Option<i32>,
    pub staff_no: String,
    pub name: String,
    pub area_id: Option<i32>,
    pub area: String,
    pub hall_id: Option<i32>,
    pub hall: String,
    pub state: &'static str,
    /// Hundredths, for sorting; None = no score (absent, in progress, marking).
    pub score_value: Option<i32>,
    pub score: String,
    pub passed: &'static str,
    pub rank_hall: String,
    pub rank_area: String,
    pub rank_city: String,
    pub submitted_at: String,
    pub submitted_by: &'static str,
}

fn line(row: &ResultRow, pass_mark: i32) -> Line {
    let rank = |r: Option<usize>| r.map(|r| r.to_string()).unwrap_or_default();
    let state = match &row.attempt {
        None => msg::EXAM_STATE_ABSENT,
        Some(a) if a.status == IN_PROGRESS => msg::EXAM_STATE_IN_PROGRESS,
        Some(a) if a.marking_pending => msg::RESULTS_MARKING,
        Some(_) => msg::EXAM_STATE_SUBMITTED,
    };
    let score = row.score();
    Line {
        attempt_id: row.attempt.as_ref().map(|a| a.id),
        staff_no: row.person.staff_no.clone().unwrap_or_default(),
        name: row.person.name.clone(),
        area_id: row.person.area_id,
        area: row.person.area.clone(),
        hall_id: row.person.hall_id,
        hall: row.person.hall.clone(),
        state,
        score_value: score,
        score: score.map(|s| format_points(i64::from(s))).unwrap_or_default(),
        passed: match score {
            Some(s) if s >= pass_mark => msg::RESULTS_PASS,
            Some(_) => msg::RESULTS_FAIL,
            None => "",
        },
        rank_hall: rank(row.rank_hall),
        rank_area: rank(row.rank_area),
        rank_city: rank(row.rank_city),
        submitted_at: row
            .attempt
            .as_ref()
            .and_then(|a| a.submitted_at)
            .map(local_display)
            .unwrap_or_default(),
        submitted_by: match row.attempt.as_ref().and_then(|a| a.submitted_by.as_deref()) {
            Some("deadline") => msg::EXAM_SUBMITTED_BY_DEADLINE,
            Some(crate::review::import::SUBMITTED_BY_IMPORT) => msg::RESULTS_SUBMITTED_BY_IMPORT,
            Some(_) => msg::EXAM_SUBMITTED_BY_SELF,
            None => "",
        },
    }
}

pub fn lines(conn: &mut Conn, exam: &Exam) -> AppResult<Vec<Line>> {
    Ok(model::results(conn, exam)?.iter().map(|r| line(r, exam.pass_mark)).collect())
}

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

const HEADER: [&str; 13] = [
    "工号",
    "姓名",
    "区县",
    "营业厅",
    "状态",
    "得分",
    "是否及格",
    "厅内排名",
    "区县排名",
    "全市排名",
    "交卷时间",
    "交卷方式",
    "答卷编号",
];

fn cells(l: &Line) -> [String; 13] {
    [
        l.staff_no.clone(),
        l.name.clone(),
        l.area.clone(),
        l.hall.clone(),
        l.state.to_string(),
        l.score.clone(),
        l.passed.to_string(),
        l.rank_hall.clone(),
        l.rank_area.clone(),
        l.rank_city.clone(),
        l.submitted_at.clone(),
        l.submitted_by.to_string(),
        l.attempt_id.map(|a| a.to_string()).unwrap_or_default(),
    ]
}

/// The table as .xlsx: scores and ranks as numbers Excel can sum and sort.
pub fn write_xlsx(exam: &Exam, lines: &[Line]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("成绩")?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let two = rust_xlsxwriter::Format::new().set_num_format("0.00");
    sheet.write_string_with_format(0, 0, &exam.title, &bold)?;
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, *h, &bold)?;
    }
    for (r, l) in lines.iter().enumerate() {
        let r = r as u32 + 2;
        for (c, text) in cells(l).iter().enumerate() {
            let c = c as u16;
            match c {
                5 => match l.score_value {
                    Some(s) => sheet.write_number_with_format(r, c, f64::from(s) / 100.0, &two)?,
                    None => sheet.write_string(r, c, "")?,
                },
                7..=9 | 12 if !text.is_empty() => match text.parse::<f64>() {
                    Ok(n) => sheet.write_number(r, c, n)?,
                    Err(_) => sheet.write_string(r, c, text)?,
                },
                _ => sheet.write_string(r, c, text)?,
            };
        }
    }
    sheet.set_column_width(2, 12)?;
    sheet.set_column_width(3, 18)?;
    sheet.set_column_width(10, 18)?;
    sheet.set_freeze_panes(2, 0)?;
    sheet.autofilter(1, 0, lines.len() as u32 + 1, HEADER.len() as u16 - 1)?;
    book.save_to_buffer()
}

/// Through the one CSV writer (`web::export`): names and notes that start
/// like a formula are quoted. A BOM so Excel opens the UTF-8 file right.
pub fn write_csv(lines: &[Line]) -> anyhow::Result<Vec<u8>> {
    crate::web::export::write_csv(true, HEADER, lines.iter().map(cells))
}

#[derive(Deserialize)]
pub struct ResultsQuery {
    area: Option<i32>,
    hall: Option<i32>,
    sort: Option<String>,
}

/// Summary figures of the scored lines (exact: hundredths, integer mean).
#[derive(Serialize)]
struct Summary {
    audience: usize,
    submitted: usize,
    absent: usize,
    mean: String,
    passed: usize,
}

fn summary(lines: &[Line], pass_mark: i32) -> Summary {
    let scores: Vec<i64> = lines.iter().filter_map(|l| l.score_value).map(i64::from).collect();
    let mean = if scores.is_empty() {
        String::new()
    } else {
        // Rounded half up to hundredths, for display only (the rules compare exactly).
        let n = scores.len() as i64;
        format_points((scores.iter().sum::<i64>() * 2 + n) / (2 * n))
    };
    Summary {
        audience: lines.len(),
        submitted: lines
            .iter()
            .filter(|l| l.state != msg::EXAM_STATE_ABSENT && l.state != msg::EXAM_STATE_IN_PROGRESS)
            .count(),
        absent: lines.iter().filter(|l| l.state == msg::EXAM_STATE_ABSENT).count(),
        mean,
        passed: scores.iter().filter(|s| **s >= i64::from(pass_mark)).count(),
    }
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
            let (people, since) = super::exposure::exam_revealed(conn, exam.id)?;
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

pub async fn results(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    query: web::Query<ResultsQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (exam, all) = exam_lines(&state, id).await?;
    let q = query.into_inner();
    let mut areas: Vec<(i32, String)> =
        all.iter().filter_map(|l| l.area_id.map(|a| (a, l.area.clone()))).collect();
    areas.dedup();
    areas.sort();
    areas.dedup();
    let mut halls: Vec<(i32, String)> = all
        .iter()
        .filter(|l| q.area.is_none() || l.area_id == q.area)
        .filter_map(|l| l.hall_id.map(|h| (h, l.hall.clone())))
        .collect();
    halls.sort();
    halls.dedup();
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
    let absent: Vec<&Line> = shown.iter().filter(|l| l.state == msg::EXAM_STATE_ABSENT).collect();
    let mut c = Context::new();
    c.insert("key", &key_notice(&state, &exam).await?);
    c.insert("exam", &exam);
    c.insert("phase", exam.phase(crate::db::now()).label());
    c.insert("imported", &crate::review::import::is_results_only(&exam));
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

/// Counts per 10-point band: [0,10), [10,20) … [90,100].
pub fn histogram(scores: &[i32]) -> [usize; 10] {
    let mut bands = [0usize; 10];
    for s in scores {
        let band = (s.clamp(&0, &10_000) / 1_000).min(9) as usize;
        bands[band] += 1;
    }
    bands
}

/// The distribution as an SVG bar chart, drawn on the server (no scripts, no CDN).
pub fn distribution_svg(bands: &[usize; 10], pass_mark: i32) -> String {
    let (w, h, left, bottom, top) = (640.0, 300.0, 40.0, 40.0, 20.0);
    let max = bands.iter().copied().max().unwrap_or(0).max(1) as f64;
    let bar_w = (w - left - 10.0) / 10.0;
    let plot_h = h - bottom - top;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="dist-title" font-family="sans-serif" font-size="12"><title id="dist-title">{}</title>"#,
        msg::RESULTS_CHART_TITLE
    );
    svg.push_str(&format!(
        r##"<line x1="{left}" y1="{y}" x2="{x2}" y2="{y}" stroke="#333"/>"##,
        y = h - bottom,
        x2 = w - 10.0
    ));
    for (i, n) in bands.iter().enumerate() {
        let bh = *n as f64 / max * plot_h;
        let x = left + i as f64 * bar_w;
        let y = h - bottom - bh;
        let fill = if (i as i32 + 1) * 1_000 <= pass_mark { "#d9822b" } else { "#2b6cb0" };
        svg.push_str(&format!(
            r#"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="{bh:.1}" fill="{fill}"><title>{}–{}：{n}</title></rect>"#,
            x + 4.0,
            bar_w - 8.0,
            i * 10,
            if i == 9 { 100 } else { i * 10 + 9 },
        ));
        if *n > 0 {
            svg.push_str(&format!(
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{n}</text>"#,
                x + bar_w / 2.0,
                y - 4.0
            ));
        }
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x + bar_w / 2.0,
            h - bottom + 16.0,
            i * 10
        ));
    }
    svg.push_str(&format!(
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text></svg>"#,
        left + (w - left) / 2.0,
        h - 6.0,
        msg::RESULTS_CHART_AXIS
    ));
    svg
}

pub async fn chart(state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (exam, lines) = exam_lines(&state, id).await?;
    let scores: Vec<i32> = lines.iter().filter_map(|l| l.score_value).collect();
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "no-store"))
        .body(distribution_svg(&histogram(&scores), exam.pass_mark)))
}

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

/// GET /exams/{id}/statistics: Moodle-style item analysis of graded attempts.
pub async fn statistics(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (exam, graded, stems) = state
        .db(move |conn| {
            let exam = Exam::find(conn, id)?;
            // Imported scores have no questions to analyse.
            let graded = if crate::review::import::is_results_only(&exam) {
                Vec::new()
            } else {
                model::graded_items(conn, id)?
            };
            let mut ids: Vec<i32> =
                graded.iter().flat_map(|(_, items)| items.iter().map(|i| i.question_id)).collect();
            ids.sort_unstable();
            ids.dedup();
            let stems = model::question_stems(conn, &ids)?;
            Ok((exam, graded, stems))
        })
        .await?;
    let attempts: Vec<AttemptScores> = graded
        .iter()
        .map(|(_, items)| AttemptScores {
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
        })
        .collect();
    let test = stats::test_stats(&attempts);
    let empty = (String::new(), crate::bank::question::Kind::Single);
    let stems: HashMap<i32, (String, crate::bank::question::Kind)> = stems;
    let items: Vec<ItemLine> = stats::item_stats(&attempts)
        .into_iter()
        .map(|s| {
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
        })
        .collect();
    let mut c = Context::new();
    c.insert("exam", &exam);
    c.insert("items", &items);
    c.insert(
        "test",
        &[
            (msg::STATS_ATTEMPTS, test.attempts.to_string()),
            (msg::STATS_MEAN, format!("{:.2}", test.mean)),
            (msg::STATS_MEDIAN, format!("{:.2}", test.median)),
            (msg::STATS_SD, format!("{:.2}", test.sd)),
            (msg::STATS_SKEWNESS, num(test.skewness)),
            (msg::STATS_KURTOSIS, num(test.kurtosis)),
            (msg::STATS_CIC, pct(test.cic)),
            (msg::STATS_ERROR_RATIO, pct(test.error_ratio)),
            (msg::STATS_STANDARD_ERROR, num(test.standard_error)),
        ],
    );
    ctx.render("exam/statistics.html", c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_of_ten_points() {
        let h = histogram(&[0, 999, 1_000, 5_950, 9_999, 10_000, -5]);
        assert_eq!(h, [3, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
        let svg = distribution_svg(&h, 6_000);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<rect").count(), 10);
    }
}
