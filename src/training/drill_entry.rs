//! The team leader's quick entry: one date and a table of rows (clerk,
//! business type, time taken, errors, notes) for several clerks in a row.
//! Any bad row sends the whole form back with each row's errors and nothing
//! stored; good forms are stored in one transaction.

use std::collections::{BTreeMap, HashMap};

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::drill_model::{self, NewDrill};
use super::drill_rules::{self, RowDraft};
use super::model::DrillType;
use super::rules::duration_text;
use crate::auth::CurrentUser;
use crate::db::{write, Conn};
use crate::web::{client_ip, msg, redirect, AppError, AppResult, Ctx};
use crate::AppState;

/// Rows a fresh form has, and the most it may have.
pub const ROWS: usize = 8;
pub const MAX_ROWS: usize = 40;

#[derive(Deserialize)]
pub struct NewQuery {
    hall: Option<i32>,
    date: Option<String>,
    rows: Option<usize>,
}

/// The form as typed, with what is wrong with it.
#[derive(Default)]
struct Entry {
    hall_id: Option<i32>,
    date: String,
    rows: Vec<RowDraft>,
    /// Row index → its errors.
    row_errors: HashMap<usize, Vec<String>>,
    errors: Vec<String>,
}

#[derive(Serialize)]
struct RowView<'a> {
    n: usize,
    d: &'a RowDraft,
    errors: &'a [String],
}

/// The hall of the form: the asked one if `me` records there, else their only one.
fn choose_hall(
    me: &CurrentUser,
    asked: Option<i32>,
    halls: &[drill_model::HallChoice],
) -> AppResult<Option<i32>> {
    match asked {
        Some(h) if drill_model::may_record(me, h) && halls.iter().any(|c| c.id == h) => Ok(Some(h)),
        Some(_) => Err(AppError::Forbidden),
        None if halls.len() == 1 => Ok(Some(halls[0].id)),
        None => Ok(None),
    }
}

/// GET /training/drills/new (?hall=, ?date=, ?rows=).
pub async fn new_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let q = q.into_inner();
    let m = me.clone();
    let halls = state.db(move |conn| Ok(drill_model::recording_halls(conn, &m)?)).await?;
    if halls.is_empty() {
        return Err(AppError::Forbidden);
    }
    let hall_id = choose_hall(&me, q.hall, &halls)?;
    let date = q
        .date
        .as_deref()
        .and_then(drill_rules::parse_date)
        .filter(|d| drill_model::check_date(&me, *d).is_ok())
        .unwrap_or_else(drill_model::today);
    let n = q.rows.unwrap_or(ROWS).clamp(ROWS, MAX_ROWS);
    let entry = Entry {
        hall_id,
        date: date.format("%Y-%m-%d").to_string(),
        rows: vec![RowDraft::default(); n],
        ..Default::default()
    };
    render(&ctx, &state, entry, halls).await
}

/// A drill of the day already stored, shown under the form.
#[derive(Serialize)]
struct Stored {
    clerk: String,
    type_name: String,
    time: String,
    errors: i32,
}

async fn render(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    entry: Entry,
    halls: Vec<drill_model::HallChoice>,
) -> AppResult<HttpResponse> {
    let (hall_id, date) = (entry.hall_id, entry.date.clone());
    let (staff, types, stored) = state
        .db(move |conn| {
            let Some(hall) = hall_id else { return Ok((Vec::new(), Vec::new(), Vec::new())) };
            let types: Vec<DrillType> = DrillType::all(conn)?.into_iter().filter(|t| t.active).collect();
            Ok((drill_model::hall_staff(conn, hall)?, types, stored_on(conn, hall, &date)?))
        })
        .await?;
    let rows: Vec<RowView> = entry
        .rows
        .iter()
        .enumerate()
        .map(|(n, d)| RowView { n, d, errors: entry.row_errors.get(&n).map_or(&[], |e| e.as_slice()) })
        .collect();
    let types: Vec<(i32, String)> = types
        .into_iter()
        .map(|t| (t.id, msg::drill_type_option(&t.name, &duration_text(t.target_seconds))))
        .collect();
    let mut c = Context::new();
    c.insert("halls", &halls);
    c.insert("hall_id", &hall_id);
    c.insert("hall", &halls.iter().find(|h| Some(h.id) == hall_id));
    c.insert("date", &entry.date);
    c.insert("rows", &rows);
    c.insert("more_rows", &(entry.rows.len() + ROWS).min(MAX_ROWS));
    c.insert("staff", &staff);
    c.insert("types", &types);
    c.insert("stored", &stored);
    c.insert("errors", &entry.errors);
    c.insert("failed", &(!entry.errors.is_empty() || !entry.row_errors.is_empty()));
    let status = if entry.errors.is_empty() && entry.row_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.render_status(status, "training/drill_form.html", c)
}

/// The drills already stored for a hall on a date ("YYYY-MM-DD").
fn stored_on(conn: &mut Conn, hall: i32, date: &str) -> diesel::QueryResult<Vec<Stored>> {
    let Some(day) = drill_rules::parse_date(date) else { return Ok(Vec::new()) };
    let list: Vec<_> = drill_model::of_hall(conn, hall, &day.format("%Y-%m").to_string())?
        .into_iter()
        .filter(|d| d.drilled_on == day)
        .collect();
    let people = drill_model::people(conn, &list.iter().map(|d| d.clerk_id).collect::<Vec<_>>())?;
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
fn parse_form(form: Vec<(String, String)>) -> Entry {
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
fn check(
    conn: &mut Conn,
    me: &CurrentUser,
    hall: i32,
    entry: &mut Entry,
) -> diesel::QueryResult<Vec<NewDrill>> {
    let staff: Vec<i32> = drill_model::hall_staff(conn, hall)?.iter().map(|s| s.id).collect();
    let types: Vec<i32> = DrillType::all(conn)?.iter().filter(|t| t.active).map(|t| t.id).collect();
    let date = match drill_rules::parse_date(&entry.date) {
        None => {
            entry.errors.push(msg::DRILL_DATE_INVALID.into());
            None
        }
        Some(d) => match drill_model::check_date(me, d) {
            Ok(()) => Some(d),
            Err(m) => {
                entry.errors.push(m);
                None
            }
        },
    };
    let mut out = Vec::new();
    for (n, d) in entry.rows.iter().enumerate().filter(|(_, d)| !d.is_blank()) {
        match drill_rules::check_row(d, &staff, &types) {
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

/// POST /training/drills: stores every row of the form, or none.
pub async fn record(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let ip = client_ip(&req);
    let mut entry = parse_form(form.into_inner());
    let hall = entry.hall_id.ok_or_else(|| AppError::bad_request(msg::DRILL_NO_HALL))?;
    if !drill_model::may_record(&me, hall) {
        return Err(AppError::Forbidden);
    }
    let m = me.clone();
    let (entry, saved) = state
        .db(move |conn| {
            write(conn, |conn| {
                if !drill_model::is_hall(conn, hall)? {
                    return Err(AppError::NotFound);
                }
                let drills = check(conn, &m, hall, &mut entry)?;
                if !entry.errors.is_empty() || !entry.row_errors.is_empty() {
                    return Ok((entry, None));
                }
                for d in &drills {
                    d.insert(conn, Some(m.id))?;
                }
                let detail = msg::audit_drill_record(hall, &entry.date, drills.len());
                crate::audit::record(conn, Some(m.id), "drill_record", &detail, &ip)?;
                Ok((entry, Some(drills.len())))
            })
        })
        .await?;
    match saved {
        Some(n) => {
            ctx.flash("success", msg::drill_recorded(n));
            Ok(redirect(&format!("/training/drills/new?hall={hall}&date={}", entry.date)))
        }
        None => {
            let m = me.clone();
            let halls = state.db(move |conn| Ok(drill_model::recording_halls(conn, &m)?)).await?;
            render(&ctx, &state, entry, halls).await
        }
    }
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
