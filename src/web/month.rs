//! The month pages' `?month=` (YYYY-MM) and their links to the months around.

use serde::Deserialize;
use tera::Context;

use super::{AppError, AppResult};
use crate::review::model::{next_month, previous_month};

/// A query with only the month.
#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    pub month: Option<String>,
}

/// The asked month; None when none is asked (or it is blank). A malformed
/// one is a 400 that says `bad`.
pub fn asked_month(asked: Option<&str>, bad: &str) -> AppResult<Option<String>> {
    match asked.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => crate::exam::rules::parse_month(m).map(Some).ok_or_else(|| AppError::bad_request(bad)),
        None => Ok(None),
    }
}

/// The asked month, else this month (Beijing). A malformed one is a 400 that says `bad`.
pub fn month_or_this(asked: Option<&str>, bad: &str) -> AppResult<String> {
    Ok(asked_month(asked, bad)?.unwrap_or_else(this_month))
}

/// The asked month if it is well formed, else this month (Beijing).
pub fn valid_month_or_this(asked: Option<&str>) -> String {
    asked.and_then(crate::exam::rules::parse_month).unwrap_or_else(this_month)
}

/// This month (YYYY-MM) in Beijing.
fn this_month() -> String {
    crate::time::local_month(crate::db::now())
}

/// A month page's context: the month, and the months before and after it for the links.
pub fn month_context(month: &str) -> Context {
    let mut c = Context::new();
    c.insert("month", month);
    c.insert("previous", &previous_month(month));
    c.insert("next", &next_month(month));
    c
}
