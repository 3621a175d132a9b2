//! Reading a phone-test file (one row per call, one column per rubric item)
//! and planning it against a snapshot of halls, staff, scenarios and the
//! month's calls. Pure: errors in Chinese with the spreadsheet line number.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::domain::Month;
use crate::phone::rules::{parse_mark, score, Item, Mark, ScoreError};
use crate::roster::parse::parse_rows_with;
pub use crate::roster::rules::RowError;
use crate::web::import::ImportPlan;
use crate::web::msg;

pub const MAX_ROWS: usize = 5_000;
/// The fixed columns before the items, then the ones after (the template's order).
pub const HEAD: [&str; 5] = ["日期时间", "营业厅", "接听工号", "拨测员工号", "场景"];
pub const TAIL: [&str; 5] = ["响铃次数", "通话秒数", "备注", "录音编号", "复评原呼叫行号"];
/// Every call needs these (a re-scoring row only 拨测员工号 and the items).
const REQUIRED: [&str; 4] = ["日期时间", "营业厅", "接听工号", "拨测员工号"];

/// Each column of the template (its order) and what to write in it, for the
/// import page and the template's 填写说明 sheet.
pub fn column_notes(items: &[Item]) -> Vec<(String, String)> {
    let fixed = |notes: &[(&str, &str)]| -> Vec<(String, String)> {
        notes.iter().map(|(c, n)| (c.to_string(), n.to_string())).collect()
    };
    let mut notes = fixed(&msg::PHONE_TEMPLATE_HEAD_COLUMNS);
    notes.extend(
        items.iter().map(|i| (i.name.clone(), msg::phone_item_note(i.points, i.allow_na, i.critical))),
    );
    notes.extend(fixed(&msg::PHONE_TEMPLATE_TAIL_COLUMNS));
    notes
}

/// A person as the plan needs them.
#[derive(Debug, Clone, Default)]
pub struct Person {
    pub id: i32,
    /// 工号 (or the login when there is none).
    pub staff_no: String,
    pub name: String,
    pub hall_id: Option<i32>,
    pub active: bool,
    pub clerk: bool,
    pub trainer: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The current rubric version and its items.
    pub version_id: i32,
    pub items: Vec<Item>,
    /// Active halls (id, name).
    pub halls: Vec<(i32, String)>,
    pub people: Vec<Person>,
    /// Active scenarios (id, title).
    pub scenarios: Vec<(i32, String)>,
    /// (called_at, hall, tester) of the month's stored first scorings.
    pub existing: Vec<(NaiveDateTime, i32, i32)>,
    /// Now (UTC): calls cannot be in the future.
    pub now: NaiveDateTime,
}

/// One call to store; `second_of` is the line of the call it re-scores.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedCall {
    pub line: usize,
    #[serde(skip)]
    pub called_at: NaiveDateTime,
    pub when: String,
    pub hall_id: i32,
    pub hall: String,
    pub clerk_id: Option<i32>,
    pub clerk: String,
    pub tester_id: i32,
    pub tester: String,
    pub scenario_id: Option<i32>,
    #[serde(skip)]
    pub marks: Vec<(String, Mark)>,
    pub total: i64,
    pub total_text: String,
    pub critical_failed: bool,
    pub rings: i32,
    pub duration_seconds: i32,
    pub notes: String,
    pub recording_ref: String,
    pub second_of: Option<usize>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Plan {
    pub month: Month,
    pub version_id: i32,
    pub rows: Vec<PlannedCall>,
    pub errors: Vec<RowError>,
    pub first: usize,
    pub second: usize,
}

impl ImportPlan for Plan {
    fn ready(&self) -> bool {
        self.errors.is_empty() && !self.rows.is_empty()
    }

    fn error_count(&self) -> usize {
        self.errors.len()
    }

    /// A digest of what the trainer saw; the commit refuses if it changed since.
    fn fingerprint(&self) -> String {
        let rows: Vec<_> = self
            .rows
            .iter()
            .map(|r| (r.line, r.called_at, r.hall_id, r.clerk_id, r.tester_id, r.scenario_id, r.total))
            .collect();
        let text = format!("{}|{}|{:?}|{}", self.month, self.version_id, rows, self.errors.len());
        hex::encode(Sha256::digest(text.as_bytes()))
    }
}

/// "2026-10-08 09:30" (or with `/`, or an Excel serial date) in Beijing time, as UTC.
pub fn parse_when(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim().replace('/', "-");
    if let Some(at) = crate::time::parse_local_input(&t) {
        return Some(at);
    }
    // An Excel date cell read as its serial number: days since 1899-12-30.
    let serial: f64 = t.parse().ok().filter(|v: &f64| (20_000.0..80_000.0).contains(v))?;
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let local = base + chrono::Duration::seconds((serial * 86_400.0).round() as i64);
    crate::time::parse_local_input(&local.format("%Y-%m-%d %H:%M").to_string())
}

/// Why a row's time is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadWhen {
    Unreadable,
    OutsideMonth,
    Future,
}

/// A row's time ([`parse_when`]) that falls in `month` (Beijing) and not after `now`.
pub fn when_in_month(text: &str, month: Month, now: NaiveDateTime) -> Result<NaiveDateTime, BadWhen> {
    match parse_when(text) {
        None => Err(BadWhen::Unreadable),
        Some(at) if !month.contains(crate::time::local_date(at)) => Err(BadWhen::OutsideMonth),
        Some(at) if at > now => Err(BadWhen::Future),
        Some(at) => Ok(at),
    }
}

/// A whole number 0..=max, blank = 0.
fn parse_count(text: &str, max: i32) -> Option<i32> {
    let t = text.trim();
    if t.is_empty() {
        return Some(0);
    }
    t.parse::<i32>().ok().filter(|n| (0..=max).contains(n))
}

fn score_error(e: &ScoreError) -> String {
    match e {
        ScoreError::Missing(item) => msg::phone_import_mark_missing(item),
        ScoreError::OutOfRange(item) => msg::phone_import_mark_range(item),
        ScoreError::NotApplicableRefused(item) => msg::phone_import_na_refused(item),
        ScoreError::NothingApplicable => msg::PHONE_IMPORT_ALL_NA.into(),
        ScoreError::Unknown(code) => msg::phone_import_mark_missing(code),
    }
}

struct Columns {
    at: HashMap<&'static str, usize>,
    items: Vec<usize>,
}

fn find_columns(header: &[String], items: &[Item]) -> Result<Columns, String> {
    let pos = |name: &str| header.iter().position(|h| h.trim() == name);
    let mut missing: Vec<String> =
        REQUIRED.iter().filter(|c| pos(c).is_none()).map(|c| c.to_string()).collect();
    missing.extend(items.iter().filter(|i| pos(&i.name).is_none()).map(|i| i.name.clone()));
    if !missing.is_empty() {
        return Err(msg::phone_import_missing_columns(&missing));
    }
    let at = HEAD.iter().chain(TAIL.iter()).filter_map(|c| Some((*c, pos(c)?))).collect();
    Ok(Columns { at, items: items.iter().filter_map(|i| pos(&i.name)).collect() })
}

/// Parses and plans the whole table for `month` (first non-empty row = header).
pub fn plan(month: Month, table: &[Vec<String>], snap: &Snapshot) -> Plan {
    let mut plan = Plan { month, version_id: snap.version_id, ..Default::default() };
    let (rows, errors) = parse_rows_with(
        table,
        MAX_ROWS,
        |header| find_columns(header, &snap.items),
        |line, cells, cols, before| {
            parse_row(line, cells, cols, month, snap, before)
                .map_err(|errs| errs.into_iter().map(|m| RowError::new(line, m)).collect())
        },
    );
    plan.errors = errors;
    plan.errors.sort_by_key(|e| e.line);
    plan.first = rows.iter().filter(|r| r.second_of.is_none()).count();
    plan.second = rows.len() - plan.first;
    plan.rows = rows;
    plan
}

/// One row; `before` are the valid rows above it (for duplicates and re-scoring).
fn parse_row(
    line: usize,
    cells: &[String],
    cols: &Columns,
    month: Month,
    snap: &Snapshot,
    before: &[PlannedCall],
) -> Result<PlannedCall, Vec<String>> {
    let cell = |name: &str| cols.at.get(name).and_then(|i| cells.get(*i)).map(|c| c.trim()).unwrap_or("");
    let mut errs: Vec<String> = Vec::new();
    let find_person = |no: &str| snap.people.iter().find(|p| p.staff_no == no);
    // The tester.
    let tester_no = cell("拨测员工号");
    let tester = match find_person(tester_no) {
        _ if tester_no.is_empty() => {
            errs.push(msg::PHONE_IMPORT_TESTER_EMPTY.into());
            None
        }
        Some(p) if p.active && p.trainer => Some(p),
        _ => {
            errs.push(msg::phone_import_tester_unknown(tester_no));
            None
        }
    };
    // The marks, scored with the current rubric.
    let mut marks = Vec::new();
    for (item, idx) in snap.items.iter().zip(&cols.items) {
        let text = cells.get(*idx).map(|c| c.trim()).unwrap_or("");
        match parse_mark(text) {
            Some(m) => marks.push((item.code.clone(), m)),
            None if text.is_empty() => errs.push(msg::phone_import_mark_missing(&item.name)),
            None => errs.push(msg::phone_import_mark_invalid(&item.name, text)),
        }
    }
    let scored = if marks.len() == snap.items.len() {
        score(&snap.items, &marks).map_err(|e| errs.push(score_error(&e))).ok()
    } else {
        None
    };
    let notes = cell("备注").to_string();
    let recording_ref = cell("录音编号").to_string();
    // A re-scoring row takes the call itself from the row it names.
    let second = cell("复评原呼叫行号");
    let original = if second.is_empty() {
        None
    } else {
        match second.parse::<usize>().ok().and_then(|n| before.iter().find(|r| r.line == n)) {
            None => {
                errs.push(msg::phone_import_second_unknown(second));
                None
            }
            Some(o) if o.second_of.is_some() => {
                errs.push(msg::phone_import_second_unknown(second));
                None
            }
            Some(o) if tester.is_some_and(|t| t.id == o.tester_id) => {
                errs.push(msg::phone_import_second_same_tester(o.line));
                None
            }
            Some(o) if before.iter().any(|r| r.second_of == Some(o.line)) => {
                errs.push(msg::phone_import_second_twice(o.line));
                None
            }
            Some(o) => Some(o),
        }
    };
    if !second.is_empty() {
        let (Some(o), Some(t), Some(s)) = (original, tester, scored) else { return Err(errs) };
        if !errs.is_empty() {
            return Err(errs);
        }
        return Ok(PlannedCall {
            line,
            tester_id: t.id,
            tester: t.name.clone(),
            marks,
            total: s.total,
            total_text: crate::review::rules::two_decimals(s.total),
            critical_failed: s.critical_failed,
            notes,
            recording_ref,
            second_of: Some(o.line),
            ..o.clone()
        });
    }
    // The call: when, where, who answered.
    let when_text = cell("日期时间");
    let called_at = when_in_month(when_text, month, snap.now)
        .map_err(|why| {
            errs.push(match why {
                BadWhen::Unreadable => msg::phone_import_bad_when(when_text),
                BadWhen::OutsideMonth => msg::phone_import_outside_month(when_text, month),
                BadWhen::Future => msg::phone_import_future(when_text),
            })
        })
        .ok();
    let hall_name = cell("营业厅");
    let hall = snap.halls.iter().find(|(_, n)| n == hall_name);
    if hall.is_none() {
        errs.push(msg::phone_import_unknown_hall(hall_name));
    }
    let clerk_no = cell("接听工号");
    let clerk = match (clerk_no, find_person(clerk_no)) {
        ("", _) | ("未能识别", _) => None,
        (_, Some(p)) if p.active && p.clerk && hall.is_some_and(|h| Some(h.0) == p.hall_id) => Some(p),
        (_, Some(p)) if !p.active || !p.clerk => {
            errs.push(msg::phone_import_clerk_inactive(clerk_no, &p.name));
            None
        }
        (_, Some(p)) => {
            errs.push(msg::phone_import_clerk_other_hall(clerk_no, &p.name, hall_name));
            None
        }
        (_, None) => {
            errs.push(msg::phone_import_clerk_unknown(clerk_no));
            None
        }
    };
    let scenario_title = cell("场景");
    let scenario = if scenario_title.is_empty() {
        None
    } else {
        let found = snap.scenarios.iter().find(|(_, t)| t == scenario_title).map(|(id, _)| *id);
        if found.is_none() {
            errs.push(msg::phone_import_unknown_scenario(scenario_title));
        }
        found
    };
    let rings = parse_count(cell("响铃次数"), 99).unwrap_or_else(|| {
        errs.push(msg::phone_import_bad_number("响铃次数", cell("响铃次数")));
        0
    });
    let duration_seconds = parse_count(cell("通话秒数"), 36_000).unwrap_or_else(|| {
        errs.push(msg::phone_import_bad_number("通话秒数", cell("通话秒数")));
        0
    });
    let (Some(at), Some(h), Some(t), Some(s)) = (called_at, hall, tester, scored) else { return Err(errs) };
    let key = (at, h.0, t.id);
    if let Some(d) =
        before.iter().find(|r| r.second_of.is_none() && (r.called_at, r.hall_id, r.tester_id) == key)
    {
        errs.push(msg::phone_import_duplicate(d.line));
    } else if snap.existing.contains(&key) {
        errs.push(msg::PHONE_IMPORT_ALREADY_STORED.into());
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(PlannedCall {
        line,
        called_at: at,
        when: crate::time::local_display(at),
        hall_id: h.0,
        hall: h.1.clone(),
        clerk_id: clerk.map(|c| c.id),
        clerk: clerk
            .map(|c| format!("{} {}", c.staff_no, c.name))
            .unwrap_or_else(|| msg::PHONE_REPORT_UNIDENTIFIED.into()),
        tester_id: t.id,
        tester: t.name.clone(),
        scenario_id: scenario,
        marks,
        total: s.total,
        total_text: crate::review::rules::two_decimals(s.total),
        critical_failed: s.critical_failed,
        rings,
        duration_seconds,
        notes,
        recording_ref,
        second_of: None,
    })
}

#[cfg(test)]
mod tests;
