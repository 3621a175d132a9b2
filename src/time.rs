//! Time zones: the database holds UTC; people see Asia/Shanghai.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Asia::Shanghai;

/// A UTC timestamp as the branch reads it, e.g. `2026-11-27 12:36`.
pub fn local_display(utc: NaiveDateTime) -> String {
    Shanghai.from_utc_datetime(&utc).format("%Y-%m-%d %H:%M").to_string()
}

/// A UTC timestamp as a `datetime-local` input value in Beijing time.
pub fn local_input(utc: NaiveDateTime) -> String {
    Shanghai.from_utc_datetime(&utc).format("%Y-%m-%dT%H:%M").to_string()
}

/// A `datetime-local` value (or `2026-11-28 09:00`) in Beijing time, as UTC.
pub fn parse_local_input(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim().replace(' ', "T");
    let local = NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    Shanghai.from_local_datetime(&local).single().map(|dt| dt.naive_utc())
}

/// The branch's current local time.
pub fn local_now() -> NaiveDateTime {
    Shanghai.from_utc_datetime(&chrono::Utc::now().naive_utc()).naive_local()
}

/// The month (YYYY-MM) a UTC timestamp falls in, in Beijing time.
pub fn local_month(utc: NaiveDateTime) -> String {
    Shanghai.from_utc_datetime(&utc).format("%Y-%m").to_string()
}

/// The local (Beijing) date of a UTC timestamp.
pub fn local_date(utc: NaiveDateTime) -> chrono::NaiveDate {
    Shanghai.from_utc_datetime(&utc).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_beijing_time() {
        let utc = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(16, 30, 0).unwrap();
        assert_eq!(local_display(utc), "2026-12-01 00:30");
        assert_eq!(local_month(utc), "2026-12");
        assert_eq!(parse_local_input(&local_input(utc)), Some(utc));
        assert_eq!(parse_local_input("2026-12-01 00:30"), Some(utc));
        assert_eq!(parse_local_input("明天"), None);
    }
}
