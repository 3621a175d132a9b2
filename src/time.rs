//! Time zones: the database holds UTC; people see Asia/Shanghai.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Asia::Shanghai;

/// A UTC timestamp as the branch reads it, e.g. `2026-11-27 12:36`.
pub fn local_display(utc: NaiveDateTime) -> String {
    Shanghai.from_utc_datetime(&utc).format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_beijing_time() {
        let utc = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(16, 30, 0).unwrap();
        assert_eq!(local_display(utc), "2026-12-01 00:30");
    }
}
