//! The results table as people read it and as exported (.xlsx, .csv, the
//! CLI), its summary, and the score distribution chart (SVG drawn here).

use serde::Serialize;

use super::model::{self, AttemptStatus, Exam, ResultRow};
use crate::db::Conn;
use crate::domain::score::two_decimals;
use crate::domain::score::{div_half_up, FULL_MARKS};
use crate::time::local_display;
use crate::web::chart::{Chart, Svg};
use crate::web::{msg, AppResult};

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
        Some(a) if a.status == AttemptStatus::InProgress => msg::EXAM_STATE_IN_PROGRESS,
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
        score: score.map(|s| two_decimals(i64::from(s))).unwrap_or_default(),
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
    let two = rust_xlsxwriter::Format::new().set_num_format("0.00");
    // 工号 and 姓名 stay in view; the month is in the title with the exam's.
    let title = format!("{} {}", exam.month, exam.title);
    let mut layout = crate::web::xlsx::Layout::new(title, msg::WEAK_CITY, 1, 2);
    layout.heading(sheet, &HEADER)?;
    for (r, l) in lines.iter().enumerate() {
        let r = r as u32 + 2;
        for (c, text) in cells(l).iter().enumerate() {
            let c = c as u16;
            layout.see(r, c, text);
            match c {
                5 => match l.score_value {
                    Some(s) => sheet.write_number_with_format(r, c, f64::from(s) / 100.0, &two)?,
                    None => sheet.write_string(r, c, "")?,
                },
                7..=9 | 12 if !text.is_empty() => match text.parse::<f64>() {
                    Ok(n) => sheet.write_number(r, c, n)?,
                    Err(_) => sheet.write_string(r, c, text)?,
                },
                10 => crate::web::xlsx::write_when(sheet, r, c, text)?,
                _ => sheet.write_string(r, c, text)?,
            };
        }
    }
    layout.apply(sheet, &crate::web::xlsx::made_now())?;
    book.save_to_buffer()
}

/// Through the one CSV writer (`web::export`): names and notes that start
/// like a formula are quoted. A BOM so Excel opens the UTF-8 file right.
pub fn write_csv(lines: &[Line]) -> anyhow::Result<Vec<u8>> {
    crate::web::export::write_csv(true, HEADER, lines.iter().map(cells))
}

/// Summary figures of the scored lines (exact: hundredths, integer mean).
#[derive(Serialize)]
pub struct Summary {
    audience: usize,
    submitted: usize,
    absent: usize,
    mean: String,
    passed: usize,
}

pub fn summary(lines: &[Line], pass_mark: i32) -> Summary {
    let scores: Vec<i64> = lines.iter().filter_map(|l| l.score_value).map(i64::from).collect();
    let mean = if scores.is_empty() {
        String::new()
    } else {
        // Rounded half up to hundredths, for display only (the rules compare exactly).
        two_decimals(div_half_up(scores.iter().sum::<i64>(), scores.len() as i64))
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

/// Counts per 10-point band: [0,10), [10,20) … [90,100].
pub fn histogram(scores: &[i32]) -> [usize; 10] {
    let mut bands = [0usize; 10];
    for s in scores {
        let band = (i64::from(*s).clamp(0, FULL_MARKS) / (FULL_MARKS / 10)).min(9) as usize;
        bands[band] += 1;
    }
    bands
}

/// The distribution as an SVG bar chart, drawn on the server (no scripts, no CDN).
pub fn distribution_svg(bands: &[usize; 10], pass_mark: i32) -> Chart {
    let (w, h, left, bottom, top) = (640.0, 300.0, 40.0, 40.0, 20.0);
    let max = bands.iter().copied().max().unwrap_or(0).max(1) as f64;
    let bar_w = (w - left - 10.0) / 10.0;
    let plot_h = h - bottom - top;
    let mut svg = Svg::new(w, h, "dist-title", msg::RESULTS_CHART_TITLE);
    svg.line((left, h - bottom), (w - 10.0, h - bottom), "#333");
    for (i, n) in bands.iter().enumerate() {
        let bh = *n as f64 / max * plot_h;
        let x = left + i as f64 * bar_w;
        let y = h - bottom - bh;
        // The bands wholly under the pass mark in orange.
        let fill =
            if (i as i64 + 1) * (FULL_MARKS / 10) <= i64::from(pass_mark) { "#d9822b" } else { "#2b6cb0" };
        let top_of_band = if i == 9 { 100 } else { i * 10 + 9 };
        svg.rect(x + 4.0, y, bar_w - 8.0, bh, fill).tip(&format!("{}–{top_of_band}：{n}", i * 10));
        if *n > 0 {
            svg.text(x + bar_w / 2.0, y - 4.0, &n.to_string()).middle();
        }
        svg.text(x + bar_w / 2.0, h - bottom + 16.0, &(i * 10).to_string()).middle();
    }
    svg.text(left + (w - left) / 2.0, h - 6.0, msg::RESULTS_CHART_AXIS).middle();
    svg.finish()
}

#[cfg(test)]
mod tests;
