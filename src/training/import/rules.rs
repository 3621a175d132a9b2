//! Reading a drill file (one row per drill: 日期, 工号, 姓名, 业务类型,
//! 用时(秒), 差错数, 备注) and planning it against a snapshot of the staff,
//! the business types and the drills already stored. Pure: errors in Chinese
//! with the spreadsheet's line numbers.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::domain::Month;
use crate::roster::parse::parse_rows_with;
pub use crate::roster::rules::RowError;
use crate::training::drills::form::{self as drill_rules, parse_date, parse_errors, NOTES_MAX};
use crate::training::drills::rules::{self, duration_text};
use crate::web::import::ImportPlan;
use crate::web::msg;

pub const MAX_ROWS: usize = 5_000;
/// The template's columns, in order.
pub const COLUMNS: [&str; 7] = ["日期", "工号", "姓名", "业务类型", "用时(秒)", "差错数", "备注"];
const REQUIRED: [&str; 5] = ["日期", "工号", "姓名", "业务类型", "用时(秒)"];

/// A person as the plan needs them.
pub use crate::accounts::model::StaffRef as Person;

#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub people: Vec<Person>,
    /// (id, name, active) of every business type.
    pub types: Vec<(i32, String, bool)>,
    pub hall_names: HashMap<i32, String>,
    /// The halls the importer records for (a team leader's); None: every hall.
    pub halls: Option<Vec<i32>>,
    /// Team leaders keep to the last quarter.
    pub limited: bool,
    pub today: NaiveDate,
    /// (clerk, date, type, seconds) of the stored drills in the file's dates.
    pub existing: HashSet<(i32, NaiveDate, i32, i32)>,
}

/// One drill to store.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedDrill {
    pub line: usize,
    #[serde(skip)]
    pub drilled_on: NaiveDate,
    pub date: String,
    pub clerk_id: i32,
    pub clerk: String,
    pub hall_id: i32,
    pub hall: String,
    pub type_id: i32,
    pub type_name: String,
    pub seconds: i32,
    pub time: String,
    pub errors: i32,
    pub notes: String,
}

impl PlannedDrill {
    fn key(&self) -> (i32, NaiveDate, i32, i32) {
        (self.clerk_id, self.drilled_on, self.type_id, self.seconds)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Plan {
    pub rows: Vec<PlannedDrill>,
    pub errors: Vec<RowError>,
    /// The months the rows fall in, in order.
    pub months: Vec<Month>,
}

impl ImportPlan for Plan {
    fn ready(&self) -> bool {
        self.errors.is_empty() && !self.rows.is_empty()
    }

    fn error_count(&self) -> usize {
        self.errors.len()
    }

    /// A digest of what the importer saw; the commit refuses if it changed since.
    fn fingerprint(&self) -> String {
        let rows: Vec<_> = self
            .rows
            .iter()
            .map(|r| (r.line, r.drilled_on, r.clerk_id, r.hall_id, r.type_id, r.seconds, r.errors, &r.notes))
            .collect();
        let text = format!("{rows:?}|{}", self.errors.len());
        hex::encode(Sha256::digest(text.as_bytes()))
    }
}

/// A header as written, with full-width brackets and the short 用时 accepted.
fn normalise(header: &str) -> String {
    let h = header.trim().replace('（', "(").replace('）', ")").replace(' ', "");
    if h == "用时" || h == "用时(s)" {
        "用时(秒)".into()
    } else {
        h
    }
}

struct Columns(HashMap<&'static str, usize>);

fn find_columns(header: &[String]) -> Result<Columns, String> {
    let names: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    let pos = |c: &str| names.iter().position(|n| n == c);
    let missing: Vec<String> = REQUIRED.iter().filter(|c| pos(c).is_none()).map(|c| c.to_string()).collect();
    if !missing.is_empty() {
        return Err(msg::drill_import_missing_columns(&missing));
    }
    Ok(Columns(COLUMNS.iter().filter_map(|c| Some((*c, pos(c)?))).collect()))
}

fn header_index(table: &[Vec<String>]) -> Option<usize> {
    table.iter().position(|r| r.iter().any(|c| !c.trim().is_empty()))
}

/// The dates of the file's 日期 column that parse (for loading the stored drills around them).
pub fn dates(table: &[Vec<String>]) -> Vec<NaiveDate> {
    let Some(h) = header_index(table) else { return Vec::new() };
    let Ok(cols) = find_columns(&table[h]) else { return Vec::new() };
    let Some(at) = cols.0.get("日期") else { return Vec::new() };
    table.iter().skip(h + 1).filter_map(|r| r.get(*at).and_then(|c| parse_date(c))).collect()
}

/// Parses and plans the whole table (first non-empty row = header).
pub fn plan(table: &[Vec<String>], snap: &Snapshot) -> Plan {
    let mut plan = Plan::default();
    let (rows, errors) = parse_rows_with(table, MAX_ROWS, find_columns, |line, cells, cols, before| {
        parse_row(line, cells, cols, snap, before)
            .map_err(|errs| errs.into_iter().map(|m| RowError::new(line, m)).collect())
    });
    plan.errors = errors;
    let mut months: Vec<Month> = rows.iter().map(|r| Month::of_date(r.drilled_on)).collect();
    months.sort();
    months.dedup();
    plan.months = months;
    plan.rows = rows;
    plan
}

/// Finds the clerk of a row: the 工号 must exist, the 姓名 match, and the
/// person be active staff of a hall the importer records for.
fn find_clerk<'a>(snap: &'a Snapshot, staff_no: &str, name: &str) -> Result<(&'a Person, i32), String> {
    if staff_no.is_empty() {
        return Err(msg::DRILL_IMPORT_NO_STAFF_NO.into());
    }
    let found = snap.people.iter().find(|p| p.staff_no == staff_no);
    // A team leader's file may name only their hall's active staff; anyone
    // else gets one answer that tells nothing about the person (not even
    // whether the 工号 exists), so a file cannot look up names across halls.
    if let Some(mine) = &snap.halls {
        let in_hall = |p: &&Person| p.active && p.hall_id.is_some_and(|h| mine.contains(&h));
        if found.filter(in_hall).is_none() {
            return Err(msg::drill_import_not_in_hall(staff_no));
        }
    }
    let Some(p) = found else {
        return Err(msg::drill_import_unknown_staff(staff_no));
    };
    if p.name != name {
        return Err(msg::drill_import_name_mismatch(staff_no, &p.name, name));
    }
    match p.hall_id {
        _ if !p.active => Err(msg::drill_import_inactive(staff_no, &p.name)),
        None => Err(msg::drill_import_no_hall(staff_no, &p.name)),
        Some(h) => Ok((p, h)),
    }
}

/// One row; `before` are the valid rows above it (for duplicates).
fn parse_row(
    line: usize,
    cells: &[String],
    cols: &Columns,
    snap: &Snapshot,
    before: &[PlannedDrill],
) -> Result<PlannedDrill, Vec<String>> {
    let cell = |name: &str| cols.0.get(name).and_then(|i| cells.get(*i)).map(|c| c.trim()).unwrap_or("");
    let mut errs: Vec<String> = Vec::new();
    let date_text = cell("日期");
    let date = match parse_date(date_text) {
        None if date_text.is_empty() => {
            errs.push(msg::DRILL_IMPORT_NO_DATE.into());
            None
        }
        None => {
            errs.push(msg::drill_import_bad_date(date_text));
            None
        }
        Some(d) => {
            drill_rules::check_date(d, snap.today, snap.limited).map_err(|m| errs.push(m)).ok().map(|_| d)
        }
    };
    let clerk = find_clerk(snap, cell("工号"), cell("姓名")).map_err(|m| errs.push(m)).ok();
    let type_name = cell("业务类型");
    let ty = match snap.types.iter().find(|t| t.1 == type_name) {
        _ if type_name.is_empty() => {
            errs.push(msg::DRILL_IMPORT_NO_TYPE.into());
            None
        }
        Some(t) if t.2 => Some(t),
        Some(_) => {
            errs.push(msg::drill_import_type_retired(type_name));
            None
        }
        None => {
            errs.push(msg::drill_import_unknown_type(type_name));
            None
        }
    };
    let time_text = cell("用时(秒)");
    let seconds = rules::parse_seconds(time_text);
    if time_text.is_empty() {
        errs.push(msg::DRILL_ROW_NO_TIME.into());
    } else if seconds.is_none() {
        errs.push(msg::drill_time_unreadable(time_text));
    }
    let mistakes = parse_errors(cell("差错数"));
    if mistakes.is_none() {
        errs.push(msg::drill_errors_unreadable(cell("差错数")));
    }
    if let (Some(s), Some(e)) = (seconds, mistakes) {
        if let Err(m) = rules::check_drill(s, e) {
            errs.push(m.to_string());
        }
    }
    let notes = cell("备注");
    if notes.chars().count() > NOTES_MAX {
        errs.push(msg::drill_notes_long(NOTES_MAX));
    }
    let (Some(drilled_on), Some((p, hall_id)), Some(ty), Some(s), Some(e)) =
        (date, clerk, ty, seconds, mistakes)
    else {
        return Err(errs);
    };
    if !errs.is_empty() {
        return Err(errs);
    }
    let row = PlannedDrill {
        line,
        drilled_on,
        date: drilled_on.format("%Y-%m-%d").to_string(),
        clerk_id: p.id,
        clerk: format!("{} {}", p.staff_no, p.name),
        hall_id,
        hall: snap.hall_names.get(&hall_id).cloned().unwrap_or_default(),
        type_id: ty.0,
        type_name: ty.1.clone(),
        seconds: s as i32,
        time: duration_text(s as i32),
        errors: e as i32,
        notes: notes.to_string(),
    };
    if let Some(d) = before.iter().find(|r| r.key() == row.key()) {
        return Err(vec![msg::drill_import_duplicate(d.line)]);
    }
    if snap.existing.contains(&row.key()) {
        return Err(vec![msg::DRILL_IMPORT_ALREADY_STORED.into()]);
    }
    Ok(row)
}

#[cfg(test)]
mod tests;
