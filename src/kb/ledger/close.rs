//! Closing a month freezes its ledger as a snapshot with the rate it used;
//! re-opening is an admin's audited action with a reason, and keeps the old
//! snapshot so the recomputed ledger can show what changed.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::model::live;
use super::sheet::{changes, Ledger};
use super::{month_ended, rate_fen, yuan};
use crate::accounts::User;
use crate::db::Conn;
use crate::kb::model::LedgerClose;
use crate::review::rules::Change;
use crate::schema::ledger_closes;
use crate::web::msg;

/// Every closing of the month, newest first.
pub fn closes(conn: &mut Conn, month: &str) -> QueryResult<Vec<LedgerClose>> {
    ledger_closes::table
        .filter(ledger_closes::month.eq(month))
        .order(ledger_closes::id.desc())
        .select(LedgerClose::as_select())
        .load(conn)
}

/// The closing in force (the month is closed), if any.
pub fn current_close(conn: &mut Conn, month: &str) -> QueryResult<Option<LedgerClose>> {
    Ok(closes(conn, month)?.into_iter().find(|c| c.reopened_at.is_none()))
}

pub fn read_snapshot(close: &LedgerClose) -> QueryResult<Ledger> {
    let mut ledger: Ledger = serde_json::from_str(&close.snapshot)
        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
    // The rate stored with the month is the one that counts.
    ledger.rate_fen = rate_fen(Some(close.rate_fen), 0);
    Ok(ledger)
}

/// Who closed the month, when (Beijing time), at which rate.
#[derive(Debug, Clone, Serialize)]
pub struct Closing {
    pub at: String,
    pub by: String,
    pub rate: String,
}

/// The last re-opening of an open month, and what changed since its snapshot.
#[derive(Debug, Clone, Serialize)]
pub struct Reopening {
    pub at: String,
    pub by: String,
    pub reason: String,
    pub changes: Vec<Change>,
}

/// The month's ledger (the snapshot of a closed month, else live) and its closing.
#[derive(Debug, Clone, Serialize)]
pub struct MonthLedger {
    pub ledger: Ledger,
    pub closed: Option<Closing>,
    pub reopened: Option<Reopening>,
}

pub fn month_ledger(conn: &mut Conn, month: &str, today: NaiveDate) -> QueryResult<MonthLedger> {
    let all = closes(conn, month)?;
    if let Some(c) = all.iter().find(|c| c.reopened_at.is_none()) {
        let ledger = read_snapshot(c)?;
        let closed = Closing {
            at: crate::time::local_display(c.closed_at),
            by: who(conn, c.closed_by)?,
            rate: yuan(ledger.rate_fen),
        };
        return Ok(MonthLedger { ledger, closed: Some(closed), reopened: None });
    }
    let ledger = live(conn, month, today)?;
    let reopened = match all.first() {
        Some(last) => Some(Reopening {
            at: last.reopened_at.map(crate::time::local_display).unwrap_or_default(),
            by: who(conn, last.reopened_by)?,
            reason: last.reopen_reason.clone(),
            changes: changes(&read_snapshot(last)?, &ledger),
        }),
        None => None,
    };
    Ok(MonthLedger { ledger, closed: None, reopened })
}

/// A user's name ("" for none).
fn who(conn: &mut Conn, id: Option<i32>) -> QueryResult<String> {
    let Some(id) = id else { return Ok(String::new()) };
    Ok(User::names(conn, &[id])?.remove(&id).unwrap_or_default())
}

/// Closes `month`: freezes its ledger with the rate in force. The caller
/// audits; the inner Err says, in Chinese, why it cannot be closed now.
pub fn close_month(
    conn: &mut Conn,
    month: &str,
    by: i32,
    at: NaiveDateTime,
) -> QueryResult<Result<Ledger, String>> {
    if current_close(conn, month)?.is_some() {
        return Ok(Err(msg::LEDGER_ALREADY_CLOSED.into()));
    }
    let today = crate::time::local_date(at);
    if !month_ended(month, today) {
        return Ok(Err(msg::ledger_not_over(month)));
    }
    let ledger = live(conn, month, today)?;
    let json =
        serde_json::to_string(&ledger).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    diesel::insert_into(ledger_closes::table)
        .values((
            ledger_closes::month.eq(month),
            ledger_closes::rate_fen.eq(ledger.rate_fen as i32),
            ledger_closes::snapshot.eq(json),
            ledger_closes::closed_at.eq(at),
            ledger_closes::closed_by.eq(Some(by)),
            ledger_closes::reopen_reason.eq(""),
        ))
        .execute(conn)?;
    Ok(Ok(ledger))
}

/// Re-opens a closed month (an admin, with a reason; the caller audits).
pub fn reopen_month(
    conn: &mut Conn,
    month: &str,
    by: i32,
    reason: &str,
    at: NaiveDateTime,
) -> QueryResult<Result<(), String>> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Ok(Err(msg::LEDGER_REASON_REQUIRED.into()));
    }
    let n = diesel::update(
        ledger_closes::table
            .filter(ledger_closes::month.eq(month))
            .filter(ledger_closes::reopened_at.is_null()),
    )
    .set((
        ledger_closes::reopened_at.eq(Some(at)),
        ledger_closes::reopened_by.eq(Some(by)),
        ledger_closes::reopen_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(if n > 0 { Ok(()) } else { Err(msg::LEDGER_NOT_CLOSED.into()) })
}
