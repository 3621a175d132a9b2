//! Month close, for every ledger that closes by month: the below-average
//! list (`review`) and the reading-penalty ledger (`reading`). Closing
//! freezes the month's figures as a JSON snapshot; re-opening is an admin's
//! audited action with a reason, and keeps the old snapshot so the
//! recomputed figures can show what changed since. One table
//! (`month_closes`) with a kind; each feature supplies only its snapshot and
//! what closing sets off.

pub mod routes;

pub use routes::CloseForm;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::db::Conn;
use crate::domain::Month;
use crate::schema::month_closes;
use crate::web::msg;

/// Which ledger a close belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, diesel::AsExpression, diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Ledger {
    /// The monthly exam's below-average list (rules 2–4).
    Review,
    /// The mandatory-reading penalty ledger (rule 6).
    Reading,
    /// The monthly 100-point evaluation (issue 25).
    Evaluation,
}

crate::stored_as_text!(Ledger);

impl Ledger {
    pub fn code(self) -> &'static str {
        match self {
            Ledger::Review => "review",
            Ledger::Reading => "reading",
            Ledger::Evaluation => "evaluation",
        }
    }

    pub fn parse_code(code: &str) -> Option<Ledger> {
        [Ledger::Review, Ledger::Reading, Ledger::Evaluation].into_iter().find(|l| l.code() == code)
    }
}

/// One closing of a month (open again once `reopened_at` is set).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = month_closes)]
pub struct Close {
    pub id: i32,
    pub kind: Ledger,
    pub month: Month,
    pub closed_at: NaiveDateTime,
    pub closed_by: Option<i32>,
    /// JSON of the feature's figures as they were closed.
    pub snapshot: String,
    pub reopened_at: Option<NaiveDateTime>,
    pub reopened_by: Option<i32>,
    pub reopen_reason: String,
}

#[derive(Insertable)]
#[diesel(table_name = month_closes)]
struct NewClose<'a> {
    kind: Ledger,
    month: Month,
    closed_at: NaiveDateTime,
    closed_by: Option<i32>,
    snapshot: &'a str,
    reopen_reason: &'a str,
}

impl Close {
    /// Every closing of the month, newest first.
    pub fn for_month(conn: &mut Conn, kind: Ledger, month: Month) -> QueryResult<Vec<Close>> {
        month_closes::table
            .filter(month_closes::kind.eq(kind))
            .filter(month_closes::month.eq(month))
            .order(month_closes::id.desc())
            .select(Close::as_select())
            .load(conn)
    }

    /// The closing in force (the month is closed), if any.
    pub fn current(conn: &mut Conn, kind: Ledger, month: Month) -> QueryResult<Option<Close>> {
        Ok(Self::for_month(conn, kind, month)?.into_iter().find(|c| c.reopened_at.is_none()))
    }

    /// The frozen figures.
    pub fn snapshot<T: DeserializeOwned>(&self) -> QueryResult<T> {
        serde_json::from_str(&self.snapshot)
            .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
    }

    /// Every row, for copying a site between databases.
    pub fn all(conn: &mut Conn) -> QueryResult<Vec<Close>> {
        month_closes::table.order(month_closes::id).select(Close::as_select()).load(conn)
    }
}

/// Why a month cannot be closed or re-opened now. The feature's own reasons
/// (the exam still open, marking pending…) come through `Feature`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    AlreadyClosed(Ledger),
    NotClosed(Ledger),
    ReasonRequired(Ledger),
    /// Only city-wide supervisors and admins close a month (it freezes the whole city).
    CityOnly(Ledger),
    /// The month has not ended yet (Beijing time).
    NotOver(Month),
    Feature(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            Refusal::AlreadyClosed(Ledger::Review) => msg::REVIEW_ALREADY_CLOSED,
            Refusal::AlreadyClosed(Ledger::Reading) => msg::LEDGER_ALREADY_CLOSED,
            Refusal::AlreadyClosed(Ledger::Evaluation) => msg::EVAL_ALREADY_CLOSED,
            Refusal::NotClosed(Ledger::Review) => msg::REVIEW_NOT_CLOSED,
            Refusal::NotClosed(Ledger::Reading) => msg::LEDGER_NOT_CLOSED,
            Refusal::NotClosed(Ledger::Evaluation) => msg::EVAL_NOT_CLOSED,
            Refusal::ReasonRequired(Ledger::Review) => msg::REVIEW_REASON_REQUIRED,
            Refusal::ReasonRequired(Ledger::Reading) => msg::LEDGER_REASON_REQUIRED,
            Refusal::ReasonRequired(Ledger::Evaluation) => msg::EVAL_REASON_REQUIRED,
            Refusal::CityOnly(Ledger::Review) => msg::REVIEW_CLOSE_CITY_ONLY,
            Refusal::CityOnly(Ledger::Reading) => msg::LEDGER_CLOSE_CITY_ONLY,
            Refusal::CityOnly(Ledger::Evaluation) => msg::EVAL_CLOSE_CITY_ONLY,
            Refusal::NotOver(month) => return f.write_str(&msg::ledger_not_over(*month)),
            Refusal::Feature(text) => text,
        };
        f.write_str(text)
    }
}

/// Closes `month` of `kind` with `snapshot` (the caller computed it in the
/// same transaction and audits). Refused when it is already closed.
pub fn close<T: Serialize>(
    conn: &mut Conn,
    kind: Ledger,
    month: Month,
    snapshot: &T,
    by: i32,
    at: NaiveDateTime,
) -> QueryResult<Result<i32, Refusal>> {
    if Close::current(conn, kind, month)?.is_some() {
        return Ok(Err(Refusal::AlreadyClosed(kind)));
    }
    let json = serde_json::to_string(snapshot)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    let row =
        NewClose { kind, month, closed_at: at, closed_by: Some(by), snapshot: &json, reopen_reason: "" };
    let id =
        diesel::insert_into(month_closes::table).values(&row).returning(month_closes::id).get_result(conn)?;
    Ok(Ok(id))
}

/// What a feature tells the month close about its ledger.
pub trait Closes: 'static {
    const KIND: Ledger;
    /// The frozen figures.
    type Snapshot: Serialize + Send;

    /// The month's page (where both forms send the user back).
    fn page(month: Month) -> String;
    /// The figures to freeze now, or why the month cannot close yet.
    fn snapshot(
        conn: &mut Conn,
        month: Month,
        at: NaiveDateTime,
    ) -> QueryResult<Result<Self::Snapshot, Refusal>>;
    /// What closing sets off besides the snapshot (in the same transaction).
    fn closed(conn: &mut Conn, month: Month, close_id: i32, snapshot: &Self::Snapshot) -> QueryResult<()>;
    /// (audit action, audit detail, notice) once closed.
    fn close_notes(month: Month, snapshot: &Self::Snapshot) -> (&'static str, String, String);
    /// (audit action, audit detail, notice) once re-opened.
    fn reopen_notes(month: Month, reason: &str) -> (&'static str, String, String);
}

/// Closes `month` of ledger `L` now: its snapshot, the close row, and what
/// closing sets off, in the caller's transaction (the caller audits).
pub fn close_month_of<L: Closes>(
    conn: &mut Conn,
    month: Month,
    by: i32,
    at: NaiveDateTime,
) -> QueryResult<Result<L::Snapshot, Refusal>> {
    if Close::current(conn, L::KIND, month)?.is_some() {
        return Ok(Err(Refusal::AlreadyClosed(L::KIND)));
    }
    let snapshot = match L::snapshot(conn, month, at)? {
        Ok(s) => s,
        Err(why) => return Ok(Err(why)),
    };
    let id = match close(conn, L::KIND, month, &snapshot, by, at)? {
        Ok(id) => id,
        Err(why) => return Ok(Err(why)),
    };
    L::closed(conn, month, id, &snapshot)?;
    Ok(Ok(snapshot))
}

/// Re-opens a closed month (an admin, with a reason; the caller audits).
pub fn reopen(
    conn: &mut Conn,
    kind: Ledger,
    month: Month,
    by: i32,
    reason: &str,
    at: NaiveDateTime,
) -> QueryResult<Result<(), Refusal>> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Ok(Err(Refusal::ReasonRequired(kind)));
    }
    let n = diesel::update(
        month_closes::table
            .filter(month_closes::kind.eq(kind))
            .filter(month_closes::month.eq(month))
            .filter(month_closes::reopened_at.is_null()),
    )
    .set((
        month_closes::reopened_at.eq(Some(at)),
        month_closes::reopened_by.eq(Some(by)),
        month_closes::reopen_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(if n > 0 { Ok(()) } else { Err(Refusal::NotClosed(kind)) })
}

/// Who closed a month and when (Beijing time), as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct Closed {
    pub at: String,
    pub by: String,
}

/// The last re-opening of an open month, and what changed since its snapshot.
#[derive(Debug, Clone, Serialize)]
pub struct Reopened<C> {
    pub at: String,
    pub by: String,
    pub reason: String,
    pub changes: Vec<C>,
}

/// A month's figures as a page shows them: the snapshot of a closed month,
/// else computed live; with who closed it, or the last re-opening and what
/// changed since.
pub struct MonthView<T, C> {
    pub figures: T,
    pub closed: Option<(Close, Closed)>,
    pub reopened: Option<Reopened<C>>,
}

/// [`MonthView`] of `kind` for `month`: `live` computes the figures now,
/// `changes` compares a snapshot with them.
pub fn view<T, C>(
    conn: &mut Conn,
    kind: Ledger,
    month: Month,
    live: impl FnOnce(&mut Conn) -> QueryResult<T>,
    changes: impl FnOnce(&T, &T) -> Vec<C>,
) -> QueryResult<MonthView<T, C>>
where
    T: DeserializeOwned,
{
    let all = Close::for_month(conn, kind, month)?;
    if let Some(c) = all.iter().find(|c| c.reopened_at.is_none()) {
        let figures = c.snapshot()?;
        let closed = Closed { at: crate::time::local_display(c.closed_at), by: who(conn, c.closed_by)? };
        return Ok(MonthView { figures, closed: Some((c.clone(), closed)), reopened: None });
    }
    let figures = live(conn)?;
    let reopened = match all.first() {
        Some(last) => Some(Reopened {
            at: last.reopened_at.map(crate::time::local_display).unwrap_or_default(),
            by: who(conn, last.reopened_by)?,
            reason: last.reopen_reason.clone(),
            changes: changes(&last.snapshot()?, &figures),
        }),
        None => None,
    };
    Ok(MonthView { figures, closed: None, reopened })
}

/// A user's name ("" for none).
fn who(conn: &mut Conn, id: Option<i32>) -> QueryResult<String> {
    let Some(id) = id else { return Ok(String::new()) };
    Ok(crate::accounts::User::names(conn, &[id])?.remove(&id).unwrap_or_default())
}
