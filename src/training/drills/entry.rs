//! The team leader's quick entry: one date and a table of rows (clerk,
//! business type, time taken, errors, notes) for several clerks in a row.
//! Any bad row sends the whole form back with each row's errors and nothing
//! stored; good forms are stored in one transaction ([`routes::entry`]).
//!
//! [`routes::entry`]: super::routes::entry

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Serialize;

use super::form::{self, RowDraft};
use super::model::{self, DrillType, NewDrill};
use super::rules::duration_text;
use crate::auth::CurrentUser;
use crate::db::Conn;
use crate::domain::Month;
use crate::web::action::{Actor, Done};
use crate::web::{msg, AppError, AppResult};

/// Rows a fresh form has, and the most it may have.
pub const ROWS: usize = 8;
pub const MAX_ROWS: usize = 40;

/// The form as typed, with what is wrong with it.
#[derive(Default)]
pub struct Entry {
    pub hall_id: Option<i32>,
    pub date: String,
    pub rows: Vec<RowDraft>,
    /// Row index → its errors.
    pub row_errors: HashMap<usize, Vec<String>>,
    pub errors: Vec<String>,
}

/// A drill of the day already stored, shown under the form.
#[derive(Serialize)]
pub struct Stored {
    pub clerk: String,
    pub type_name: String,
    pub time: String,
    pub errors: i32,
}

/// The drills already stored for a hall on a date ("YYYY-MM-DD").
pub fn stored_on(conn: &mut Conn, hall: i32, date: &str) -> diesel::QueryResult<Vec<Stored>> {
    let Some(day) = form::parse_date(date) else { return Ok(Vec::new()) };
    let list: Vec<_> = model::of_hall(conn, hall, Month::of_date(day))?
        .into_iter()
        .filter(|d| d.drilled_on == day)
        .collect();
    let people = model::people(conn, &list.iter().map(|d| d.clerk_id).collect::<Vec<_>>())?;
    let types = DrillType::all(conn)?;
    Ok(list
        .iter()
        .map(|d| Stored {
            clerk: people.get(&d.clerk_id).map(|p| p.label.clone()).unwrap_or_default(),
            type_name: DrillType::name_in(&types, d.drill_type_id),
            time: duration_text(d.seconds),
            errors: d.errors,
        })
        .collect())
}

/// Reads the posted form: `hall_id`, `drilled_on` and `row_N_field` keys.
pub fn parse_form(form: Vec<(String, String)>) -> Entry {
    let mut entry = Entry::default();
    let mut rows: BTreeMap<usize, RowDraft> = BTreeMap::new();
    for (key, value) in form {
        match key.as_str() {
            "hall_id" => entry.hall_id = value.trim().parse().ok(),
            "drilled_on" => entry.date = value.trim().to_string(),
            _ => {
                let Some((n, field)) = key.strip_prefix("row_").and_then(|k| k.split_once('_')) else {
                    continue;
                };
                let Some(n) = n.parse::<usize>().ok().filter(|n| *n < MAX_ROWS) else { continue };
                let row = rows.entry(n).or_default();
                match field {
                    "clerk" => row.clerk = value,
                    "type" => row.type_id = value,
                    "time" => row.time = value,
                    "errors" => row.errors = value,
                    "notes" => row.notes = value,
                    _ => {}
                }
            }
        }
    }
    let count = rows.keys().next_back().map_or(0, |n| n + 1);
    entry.rows = (0..count).map(|n| rows.remove(&n).unwrap_or_default()).collect();
    entry
}

/// Checks the whole form against the hall's staff and the active types.
pub fn check(
    conn: &mut Conn,
    me: &CurrentUser,
    hall: i32,
    entry: &mut Entry,
) -> diesel::QueryResult<Vec<NewDrill>> {
    let staff: Vec<i32> = model::hall_staff(conn, hall)?.iter().map(|s| s.id).collect();
    let types: Vec<i32> = DrillType::all(conn)?.iter().filter(|t| t.active).map(|t| t.id).collect();
    let date = match form::parse_date(&entry.date) {
        None => {
            entry.errors.push(msg::DRILL_DATE_INVALID.into());
            None
        }
        Some(d) => match model::check_date(me, d) {
            Ok(()) => Some(d),
            Err(m) => {
                entry.errors.push(m);
                None
            }
        },
    };
    let mut out = Vec::new();
    for (n, d) in entry.rows.iter().enumerate().filter(|(_, d)| !d.is_blank()) {
        match form::check_row(d, &staff, &types) {
            Ok(row) => out.extend(date.map(|drilled_on| NewDrill {
                drilled_on,
                hall_id: hall,
                clerk_id: row.clerk_id,
                drill_type_id: row.type_id,
                seconds: row.seconds,
                errors: row.errors,
                notes: row.notes,
            })),
            Err(errors) => {
                entry.row_errors.insert(n, errors);
            }
        }
    }
    if out.is_empty() && entry.row_errors.is_empty() && entry.errors.is_empty() {
        entry.errors.push(msg::DRILL_NO_ROWS.into());
    }
    Ok(out)
}

/// A form sent back: the entry to show again, with its errors.
pub struct Refused(pub Entry);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows = self.0.row_errors.values().flatten();
        let texts: Vec<&str> = self.0.errors.iter().chain(rows).map(String::as_str).collect();
        f.write_str(&texts.join(msg::LIST_SEPARATOR))
    }
}

/// Stores every row of the form for `hall` with the audit line, or nothing
/// and the form again with each row's errors.
pub fn store(
    conn: &mut Conn,
    actor: &Actor,
    me: &CurrentUser,
    hall: i32,
    mut entry: Entry,
) -> AppResult<Result<Done, Refused>> {
    if !model::is_hall(conn, hall)? {
        return Err(AppError::NotFound);
    }
    let drills = check(conn, me, hall, &mut entry)?;
    if !entry.errors.is_empty() || !entry.row_errors.is_empty() {
        return Ok(Err(Refused(entry)));
    }
    for d in &drills {
        d.insert(conn, Some(me.id))?;
    }
    let hall_name = crate::audit::unit(conn, hall)?;
    actor.audit(conn, "drill_record", &msg::audit_drill_record(&hall_name, &entry.date, drills.len()))?;
    let back = format!("/training/drills/new?hall={hall}&date={}", entry.date);
    Ok(Ok(Done::then(msg::drill_recorded(drills.len()), back)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_keeps_its_rows_in_order_with_gaps_filled() {
        let form: Vec<(String, String)> = [
            ("hall_id", "5"),
            ("drilled_on", "2026-11-05"),
            ("row_2_clerk", "7"),
            ("row_0_time", "10:05"),
            ("row_0_type", "1"),
            ("row_99_clerk", "8"), // beyond the form: ignored
            ("row_x_clerk", "8"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let e = parse_form(form);
        assert_eq!((e.hall_id, e.date.as_str(), e.rows.len()), (Some(5), "2026-11-05", 3));
        assert_eq!((e.rows[0].time.as_str(), e.rows[0].type_id.as_str()), ("10:05", "1"));
        assert!(e.rows[1].is_blank());
        assert_eq!(e.rows[2].clerk, "7");
    }
}
