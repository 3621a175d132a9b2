//! Reading a month's results file (工号, 姓名, 分数, optional 缺考): columns by
//! name, every row checked, errors in Chinese with the spreadsheet line
//! number; then the plan against a snapshot of the staff. Pure functions.

use crate::domain::Month;
use std::collections::HashMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::roster::parse::{parse_rows_with, StaffNosSeen};
pub use crate::roster::rules::RowError;
use crate::web::import::ImportPlan;
use crate::web::msg;

pub const MAX_ROWS: usize = 10_000;
pub const MAX_TITLE_CHARS: usize = 100;
/// Hundredths: 100 points.
const FULL_MARKS: i64 = 10_000;

/// What the trainer names: the month the results are for and the exam's title.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Target {
    pub month: Month,
    pub title: String,
}

impl Target {
    pub fn parse(month: &str, title: &str) -> Result<Target, String> {
        let month = Month::parse(month).map_err(|_| msg::EXAM_BAD_MONTH)?;
        let title = title.trim();
        if title.is_empty() {
            return Err(msg::RESULTS_TITLE_REQUIRED.into());
        }
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(msg::RESULTS_TITLE_TOO_LONG.into());
        }
        Ok(Target { month, title: title.to_string() })
    }
}

/// One valid row of the file: a score in hundredths, or None when 缺考 is marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub line: usize,
    pub staff_no: String,
    pub name: String,
    pub score: Option<i32>,
}

/// A score as typed: 0–100 with at most two decimals, in hundredths ("85.5" →
/// 8550). Full-width digits are read; a formula's binary noise
/// ("85.55000000000001") is rounded away, a third real decimal is refused.
pub fn parse_score(text: &str) -> Result<i32, String> {
    let shown = text.trim();
    let t: String = shown
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '－' => '-',
            c => c,
        })
        .collect();
    if t.is_empty() {
        return Err(msg::RESULTS_SCORE_EMPTY.into());
    }
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(&t)),
    };
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || (body.contains('.') && frac.is_empty()) {
        return Err(msg::results_score_invalid(shown));
    }
    let (cents, tail) = if frac.len() > 2 { frac.split_at(2) } else { (frac, "") };
    let round_up = if tail.chars().all(|c| c == '0') {
        false
    } else if tail.len() >= 7 && (tail.starts_with("000000") || tail.starts_with("999999")) {
        tail.starts_with('9')
    } else {
        return Err(msg::results_score_too_precise(shown));
    };
    let whole = whole.trim_start_matches('0');
    if whole.len() > 3 {
        return Err(msg::results_score_out_of_range(shown));
    }
    let whole: i64 = whole.parse().unwrap_or(0);
    let cents: i64 = format!("{cents:0<2}").parse().unwrap_or(0);
    let value = whole * 100 + cents + i64::from(round_up);
    if (negative && value > 0) || value > FULL_MARKS {
        return Err(msg::results_score_out_of_range(shown));
    }
    Ok(value as i32)
}

/// The 缺考 column: 是 / 缺考 / Y / 1 / √ mark an absentee; empty, 否, N, 0 do not.
pub fn parse_absent(text: &str) -> Result<bool, String> {
    match text.trim() {
        "" | "否" | "N" | "n" | "0" => Ok(false),
        "是" | "缺考" | "Y" | "y" | "1" | "√" | "✓" | "✔" => Ok(true),
        t if t.eq_ignore_ascii_case("true") => Ok(true),
        t if t.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(msg::results_absent_invalid(other)),
    }
}

struct Columns {
    staff_no: usize,
    name: usize,
    score: usize,
    absent: Option<usize>,
}

fn find_columns(header: &[String]) -> Result<Columns, String> {
    let pos = |name: &str| header.iter().position(|h| h.trim() == name);
    let missing: Vec<&str> = ["工号", "姓名", "分数"].into_iter().filter(|c| pos(c).is_none()).collect();
    match (pos("工号"), pos("姓名"), pos("分数")) {
        (Some(staff_no), Some(name), Some(score)) => {
            Ok(Columns { staff_no, name, score, absent: pos("缺考") })
        }
        _ => Err(msg::results_missing_columns(&missing)),
    }
}

/// Validates a whole table (first non-empty row = header): the valid rows and
/// every error found; a row with any error is not returned.
pub fn parse_rows(table: &[Vec<String>]) -> (Vec<FileRow>, Vec<RowError>) {
    let mut seen = StaffNosSeen::default();
    parse_rows_with(table, MAX_ROWS, find_columns, |line, cells, cols, _| {
        let row = parse_row(line, cells, cols)?;
        seen.first_time(&row.staff_no, row.line)?;
        Ok(row)
    })
}

fn parse_row(line: usize, cells: &[String], cols: &Columns) -> Result<FileRow, Vec<RowError>> {
    let cell = |idx: usize| cells.get(idx).map(|c| c.trim()).unwrap_or("");
    let mut errs = Vec::new();
    let mut err = |m: String| errs.push(RowError::new(line, m));
    let (staff_no, name, score_text) = (cell(cols.staff_no), cell(cols.name), cell(cols.score));
    if staff_no.is_empty() {
        err(msg::STAFF_NO_EMPTY.into());
    }
    if name.is_empty() {
        err(msg::PERSON_NAME_EMPTY.into());
    }
    let absent = parse_absent(cols.absent.map(cell).unwrap_or("")).unwrap_or_else(|m| {
        err(m);
        false
    });
    let score = match (absent, score_text.is_empty()) {
        (true, false) => {
            err(msg::results_absent_with_score(score_text));
            None
        }
        (true, true) => None,
        (false, _) => parse_score(score_text).map_err(&mut err).ok(),
    };
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(FileRow { line, staff_no: staff_no.into(), name: name.into(), score })
}

/// A person with a 工号 (or a clerk without one), as the plan needs them.
#[derive(Debug, Clone, Default)]
pub struct Staff {
    pub id: i32,
    /// Empty when the account has no 工号 (it cannot be matched by the file).
    pub staff_no: String,
    pub name: String,
    pub hall_id: Option<i32>,
    pub hall: String,
    pub active: bool,
    /// Holds the 营业员 role.
    pub clerk: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub staff: Vec<Staff>,
    /// The month's published monthly exam (id, title), if it has one.
    pub monthly_exam: Option<(i32, String)>,
    pub closed: bool,
}

/// A row to import: the clerk, their hall now, the score (None = 缺考 marked).
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRow {
    pub line: usize,
    pub user_id: i32,
    pub staff_no: String,
    pub name: String,
    pub hall_id: Option<i32>,
    pub hall: String,
    pub score: Option<i32>,
    pub score_text: String,
}

/// A clerk of the audience without a row: absent.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    pub user_id: i32,
    pub staff_no: String,
    pub name: String,
    pub hall: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Plan {
    pub target: Target,
    pub rows: Vec<PlannedRow>,
    pub missing: Vec<Missing>,
    /// Every active clerk now, by id: the exam's audience.
    pub audience: Vec<i32>,
    pub sat: usize,
    pub marked_absent: usize,
    pub errors: Vec<RowError>,
    /// Why the month cannot take an import at all.
    pub refusal: Option<String>,
}

impl ImportPlan for Plan {
    fn refusal(&self) -> Option<String> {
        self.refusal.clone()
    }

    /// Whether confirming would import (no row error, nothing refusing the month).
    fn ready(&self) -> bool {
        self.errors.is_empty() && self.refusal.is_none()
    }

    fn error_count(&self) -> usize {
        self.errors.len()
    }

    /// A digest of what the trainer saw; the commit refuses if the plan changed since.
    fn fingerprint(&self) -> String {
        let text = format!(
            "{:?}|{:?}|{:?}|{:?}",
            self.target,
            self.rows.iter().map(|r| (r.user_id, r.hall_id, r.score)).collect::<Vec<_>>(),
            self.audience,
            self.refusal,
        );
        hex::encode(Sha256::digest(text.as_bytes()))
    }
}

/// Names compare without spaces ("李 四" is 李四).
fn same_name(a: &str, b: &str) -> bool {
    a.split_whitespace().collect::<String>() == b.split_whitespace().collect::<String>()
}

/// Matches the valid rows with the staff; `errors` are the row errors so far
/// and come back with the staff errors added, in line order.
pub fn plan(target: Target, rows: &[FileRow], mut errors: Vec<RowError>, snap: &Snapshot) -> Plan {
    let refusal = if snap.closed {
        Some(msg::results_month_closed(target.month))
    } else {
        snap.monthly_exam.as_ref().map(|(id, title)| msg::results_month_has_exam(target.month, *id, title))
    };
    let by_no: HashMap<&str, &Staff> =
        snap.staff.iter().filter(|s| !s.staff_no.is_empty()).map(|s| (s.staff_no.as_str(), s)).collect();
    let mut planned = Vec::new();
    for row in rows {
        let message = match by_no.get(row.staff_no.as_str()) {
            None => Some(msg::results_unknown_staff(&row.staff_no)),
            Some(s) if !s.active => Some(msg::results_staff_inactive(&s.staff_no, &s.name)),
            Some(s) if !s.clerk => Some(msg::results_staff_not_clerk(&s.staff_no, &s.name)),
            Some(s) if !same_name(&s.name, &row.name) => {
                Some(msg::results_name_mismatch(&s.staff_no, &row.name, &s.name))
            }
            Some(s) => {
                planned.push(PlannedRow {
                    line: row.line,
                    user_id: s.id,
                    staff_no: s.staff_no.clone(),
                    name: s.name.clone(),
                    hall_id: s.hall_id,
                    hall: s.hall.clone(),
                    score: row.score,
                    score_text: row
                        .score
                        .map(|v| crate::bank::question::format_points(i64::from(v)))
                        .unwrap_or_else(|| msg::REVIEW_ABSENT.to_string()),
                });
                None
            }
        };
        if let Some(message) = message {
            errors.push(RowError::new(row.line, message));
        }
    }
    errors.sort_by_key(|e| e.line);
    let mut audience: Vec<&Staff> = snap.staff.iter().filter(|s| s.active && s.clerk).collect();
    audience.sort_by(|a, b| (&a.staff_no, a.id).cmp(&(&b.staff_no, b.id)));
    let missing = audience
        .iter()
        .filter(|s| !planned.iter().any(|r| r.user_id == s.id))
        .map(|s| Missing {
            user_id: s.id,
            staff_no: s.staff_no.clone(),
            name: s.name.clone(),
            hall: s.hall.clone(),
        })
        .collect();
    let mut ids: Vec<i32> = audience.iter().map(|s| s.id).collect();
    ids.sort_unstable();
    Plan {
        target,
        sat: planned.iter().filter(|r| r.score.is_some()).count(),
        marked_absent: planned.iter().filter(|r| r.score.is_none()).count(),
        rows: planned,
        missing,
        audience: ids,
        errors,
        refusal,
    }
}

#[cfg(test)]
mod tests;
