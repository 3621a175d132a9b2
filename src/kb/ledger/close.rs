//! The reading-penalty ledger as a month close ([`crate::closing`]): closing
//! freezes the month's ledger with the rate it used (in the snapshot);
//! re-opening keeps the old snapshot so the recomputed ledger can show what
//! changed.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::export;
use super::model::live;
use super::sheet::{changes, Ledger};
use super::yuan;
use crate::closing::{self, Close, Closes, Ledger as Kind, Refusal, Reopened};
use crate::db::Conn;
use crate::domain::Month;
use crate::review::rules::Change;
use crate::web::msg;

/// The reading ledger's month close.
pub struct ReadingLedger;

impl Closes for ReadingLedger {
    const KIND: Kind = Kind::Reading;
    type Snapshot = Ledger;

    fn page(month: Month) -> String {
        format!("/kb/ledger?month={month}")
    }

    /// The ledger closes once the month is over (Beijing), with the rate in force.
    fn snapshot(conn: &mut Conn, month: Month, at: NaiveDateTime) -> QueryResult<Result<Ledger, Refusal>> {
        let today = crate::time::local_date(at);
        if !month.ended_by(today) {
            return Ok(Err(Refusal::NotOver(month)));
        }
        Ok(Ok(live(conn, month, today)?))
    }

    fn closed(_: &mut Conn, _: Month, _: i32, _: &Ledger) -> QueryResult<()> {
        Ok(())
    }

    fn close_notes(month: Month, ledger: &Ledger) -> (&'static str, String, String) {
        let charged: Vec<_> = export::charged(&ledger.people).collect();
        let total = yuan(charged.iter().map(|p| p.penalty.fen).sum());
        (
            "kb_ledger_close",
            msg::audit_ledger_close(month, &yuan(ledger.rate_fen), charged.len(), &total),
            msg::ledger_closed(month, charged.len(), &total),
        )
    }

    fn reopen_notes(month: Month, reason: &str) -> (&'static str, String, String) {
        ("kb_ledger_reopen", msg::audit_ledger_reopen(month, reason), msg::ledger_reopened(month))
    }
}

/// The closing in force (the month is closed), if any.
pub fn current_close(conn: &mut Conn, month: Month) -> QueryResult<Option<Close>> {
    Close::current(conn, Kind::Reading, month)
}

/// Who closed the month, when (Beijing time), at which rate.
#[derive(Debug, Clone, Serialize)]
pub struct Closing {
    pub at: String,
    pub by: String,
    pub rate: String,
}

/// The month's ledger (the snapshot of a closed month, else live) and its closing.
#[derive(Debug, Clone, Serialize)]
pub struct MonthLedger {
    pub ledger: Ledger,
    pub closed: Option<Closing>,
    pub reopened: Option<Reopened<Change>>,
}

pub fn month_ledger(conn: &mut Conn, month: Month, today: NaiveDate) -> QueryResult<MonthLedger> {
    let view = closing::view(conn, Kind::Reading, month, |conn| live(conn, month, today), changes)?;
    let closed = view.closed.map(|(_, c)| Closing { at: c.at, by: c.by, rate: yuan(view.figures.rate_fen) });
    Ok(MonthLedger { ledger: view.figures, closed, reopened: view.reopened })
}

/// Closes `month` now (the demo's history; the page goes through
/// [`crate::closing::routes::close_month`]). The caller audits.
pub fn close_month(
    conn: &mut Conn,
    month: Month,
    by: i32,
    at: NaiveDateTime,
) -> QueryResult<Result<Ledger, Refusal>> {
    closing::close_month_of::<ReadingLedger>(conn, month, by, at)
}
