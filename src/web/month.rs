//! The month pages' `?month=` (YYYY-MM) and their links to the months around.

use serde::Deserialize;
use tera::Context;

use super::{AppError, AppResult};
use crate::domain::{BadMonth, Month};

/// A query with only the month.
#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    pub month: Option<String>,
}

/// A month as typed, or what to say about it: `bad` when it is malformed,
/// [`MONTH_OUT_OF_RANGE`](super::msg::MONTH_OUT_OF_RANGE) when it is outside 2000–2099.
pub fn typed_month<'a>(text: &str, bad: &'a str) -> Result<Month, &'a str> {
    Month::parse(text).map_err(|e| match e {
        BadMonth::OutOfRange => super::msg::MONTH_OUT_OF_RANGE,
        BadMonth::Malformed => bad,
    })
}

/// The asked month; None when none is asked (or it is blank). A malformed
/// one is a 400 that says `bad`; one outside 2000–2099 a 400 that says so.
pub fn asked_month(asked: Option<&str>, bad: &str) -> AppResult<Option<Month>> {
    match asked.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => typed_month(m, bad).map(Some).map_err(AppError::bad_request),
        None => Ok(None),
    }
}

/// The asked month, else this month (Beijing). A malformed one is a 400 that says `bad`.
pub fn month_or_this(asked: Option<&str>, bad: &str) -> AppResult<Month> {
    Ok(asked_month(asked, bad)?.unwrap_or_else(Month::current))
}

/// The asked month if it is well formed (clamped to 2000–2099), else this month (Beijing).
pub fn valid_month_or_this(asked: Option<&str>) -> Month {
    asked.and_then(Month::parse_clamped).unwrap_or_else(Month::current)
}

/// A month page's context: the month, and the months before and after it for the links.
pub fn month_context(month: Month) -> Context {
    let mut c = Context::new();
    c.insert("month", &month);
    c.insert("previous", &month.previous());
    c.insert("next", &month.next());
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_outside_the_years_are_clamped_or_refused() {
        let m = |s: &str| Month::parse(s).unwrap();
        assert_eq!(valid_month_or_this(Some("9999-12")), Month::last());
        assert_eq!(valid_month_or_this(Some("0001-01")), Month::first());
        assert_eq!(valid_month_or_this(Some("2026-11")), m("2026-11"));
        assert!(asked_month(Some("1999-12"), "bad").is_err());
        assert!(asked_month(Some("2100-01"), "bad").is_err());
        assert!(asked_month(Some("2026-13"), "bad").is_err());
        assert_eq!(typed_month("2026-13", "bad"), Err("bad"));
        assert_eq!(typed_month("1999-12", "bad"), Err(crate::web::msg::MONTH_OUT_OF_RANGE));
        assert_eq!(typed_month(" 2026-11 ", "bad"), Ok(m("2026-11")));
        assert_eq!(asked_month(Some(" 2099-12 "), "bad").ok().flatten(), Some(Month::last()));
        assert_eq!(asked_month(Some("  "), "bad").ok().flatten(), None);
        let c = month_context(Month::last()).into_json();
        assert_eq!(c["next"], serde_json::Value::Null);
        assert_eq!(c["previous"], "2099-11");
        assert_eq!(month_context(Month::first()).into_json()["previous"], serde_json::Value::Null);
    }
}
