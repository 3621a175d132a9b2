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

/// The first and last months a month page shows (the years of
/// `exam::compose::YEAR_FIRST..=YEAR_LAST`): a typo such as 9999-12 is refused
/// or clamped, and the links to the months around stop there.
pub const FIRST_MONTH: &str = "2000-01";
pub const LAST_MONTH: &str = "2099-12";

/// Whether a well-formed month (YYYY-MM) lies in FIRST_MONTH..=LAST_MONTH.
pub fn in_range(month: &str) -> bool {
    (FIRST_MONTH..=LAST_MONTH).contains(&month)
}

/// A well-formed month clamped to FIRST_MONTH..=LAST_MONTH; None when malformed.
pub fn clamped_month(text: &str) -> Option<String> {
    let month = crate::exam::rules::parse_month(text)?;
    Some(month.clamp(FIRST_MONTH.to_string(), LAST_MONTH.to_string()))
}

/// The asked month; None when none is asked (or it is blank). A malformed
/// one is a 400 that says `bad`; one outside 2000–2099 a 400 that says so.
pub fn asked_month(asked: Option<&str>, bad: &str) -> AppResult<Option<String>> {
    match asked.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => match crate::exam::rules::parse_month(m) {
            Some(m) if in_range(&m) => Ok(Some(m)),
            Some(_) => Err(AppError::bad_request(super::msg::MONTH_OUT_OF_RANGE)),
            None => Err(AppError::bad_request(bad)),
        },
        None => Ok(None),
    }
}

/// The asked month, else this month (Beijing). A malformed one is a 400 that says `bad`.
pub fn month_or_this(asked: Option<&str>, bad: &str) -> AppResult<String> {
    Ok(asked_month(asked, bad)?.unwrap_or_else(this_month))
}

/// The asked month if it is well formed (clamped to 2000–2099), else this month (Beijing).
pub fn valid_month_or_this(asked: Option<&str>) -> String {
    asked.and_then(clamped_month).unwrap_or_else(this_month)
}

/// This month (YYYY-MM) in Beijing.
fn this_month() -> String {
    crate::time::local_month(crate::db::now())
}

/// A month page's context: the month, and the months before and after it for the links.
pub fn month_context(month: &str) -> Context {
    let mut c = Context::new();
    c.insert("month", month);
    c.insert("previous", &previous_month(month).filter(|m| in_range(m)));
    c.insert("next", &next_month(month).filter(|m| in_range(m)));
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_outside_the_years_are_clamped_or_refused() {
        assert_eq!(clamped_month("9999-12").as_deref(), Some(LAST_MONTH));
        assert_eq!(clamped_month("0001-01").as_deref(), Some(FIRST_MONTH));
        assert_eq!(clamped_month("2026-11").as_deref(), Some("2026-11"));
        assert_eq!(clamped_month("2026-13"), None);
        assert!(asked_month(Some("1999-12"), "bad").is_err());
        assert!(asked_month(Some("2100-01"), "bad").is_err());
        assert_eq!(asked_month(Some(" 2099-12 "), "bad").ok().flatten().as_deref(), Some("2099-12"));
        let c = month_context(LAST_MONTH).into_json();
        assert_eq!(c["next"], serde_json::Value::Null);
        assert_eq!(c["previous"], "2099-11");
        assert_eq!(month_context(FIRST_MONTH).into_json()["previous"], serde_json::Value::Null);
    }
}
