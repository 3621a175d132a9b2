//! Drill metrics (DESIGN §4 rule 9) as pure functions: ISO weeks, the
//! median time, speed and accuracy against a type's target, and the times
//! people type. Shares are integer hundredths of a percent (8750 = 87.50%),
//! rounded half up (`domain::score`); times are whole seconds.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::domain::score::{div_half_up, share};

/// The ISO week (Monday first) a drill date falls in, as "2026-W48": weekly
/// drills are counted per ISO week, so a week spanning two months is one week.
pub fn week_of(date: NaiveDate) -> String {
    let w = date.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// The Monday and Sunday of an ISO week key made by [`week_of`].
pub fn week_bounds(week: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (year, w) = week.split_once("-W")?;
    let monday = NaiveDate::from_isoywd_opt(year.parse().ok()?, w.parse().ok()?, chrono::Weekday::Mon)?;
    Some((monday, monday + chrono::Duration::days(6)))
}

/// The median of whole seconds; for an even count the mean of the middle
/// two, rounded half up. None for no drills.
pub fn median_seconds(seconds: &[i32]) -> Option<i32> {
    if seconds.is_empty() {
        return None;
    }
    let mut sorted = seconds.to_vec();
    sorted.sort_unstable();
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        div_half_up(sorted[mid - 1] as i64 + sorted[mid] as i64, 2) as i32
    })
}

/// One drill as the metrics need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrillFact {
    pub seconds: i32,
    pub errors: i32,
}

/// Speed and accuracy of a set of drills of one business type (rule 9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DrillStat {
    pub count: i64,
    pub error_free: i64,
    pub median_seconds: Option<i32>,
    /// Share of error-free drills, hundredths of a percent.
    pub accuracy: Option<i64>,
    pub target_seconds: i32,
    /// The median is within the target time (equal counts as met).
    pub meets_target: Option<bool>,
}

/// The metrics of `drills` against the type's `target_seconds`.
pub fn drill_stat(drills: &[DrillFact], target_seconds: i32) -> DrillStat {
    let seconds: Vec<i32> = drills.iter().map(|d| d.seconds).collect();
    let error_free = drills.iter().filter(|d| d.errors == 0).count() as i64;
    let median = median_seconds(&seconds);
    DrillStat {
        count: drills.len() as i64,
        error_free,
        median_seconds: median,
        accuracy: share(error_free, drills.len() as i64),
        target_seconds,
        meets_target: median.map(|m| m <= target_seconds),
    }
}

/// Seconds as "m分s秒" (or "s秒" under a minute): 605 → "10分05秒".
pub fn duration_text(seconds: i32) -> String {
    if seconds < 60 {
        format!("{seconds}秒")
    } else {
        format!("{}分{:02}秒", seconds / 60, seconds % 60)
    }
}

/// The bounds a recorded drill must keep (form and import alike).
pub const MAX_DRILL_SECONDS: i32 = 4 * 3600;
pub const MAX_DRILL_ERRORS: i32 = 99;

/// Checks a drill's seconds and errors; the message says what is wrong.
pub fn check_drill(seconds: i64, errors: i64) -> Result<(), &'static str> {
    if seconds < 1 || seconds > MAX_DRILL_SECONDS as i64 {
        return Err("用时须为 1 至 14400 秒之间的整数");
    }
    if !(0..=MAX_DRILL_ERRORS as i64).contains(&errors) {
        return Err("差错数须为 0 至 99 之间的整数");
    }
    Ok(())
}

/// Parses a time taken as typed: "605", "10:05" (minutes:seconds) or "10分5秒".
pub fn parse_seconds(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Some(n);
    }
    if let Some((m, s)) = t.split_once([':', '：']) {
        let (m, s) = (m.trim().parse::<i64>().ok()?, s.trim().parse::<i64>().ok()?);
        return (0..60).contains(&s).then_some(m * 60 + s);
    }
    if let Some((m, rest)) = t.split_once('分') {
        let m = m.trim().parse::<i64>().ok()?;
        let rest = rest.trim().trim_end_matches('秒').trim();
        let s = if rest.is_empty() { 0 } else { rest.parse::<i64>().ok()? };
        return (0..60).contains(&s).then_some(m * 60 + s);
    }
    t.strip_suffix('秒').and_then(|s| s.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weeks_are_iso_weeks_monday_first() {
        let cases = [
            ("2026-11-23", "2026-W48"), // Monday
            ("2026-11-29", "2026-W48"), // Sunday
            ("2026-11-30", "2026-W49"),
            ("2027-01-01", "2026-W53"), // a Friday: the last week of 2026
            ("2026-01-01", "2026-W01"), // a Thursday
        ];
        for (d, want) in cases {
            assert_eq!(week_of(date(d)), want, "{d}");
        }
        assert_eq!(week_bounds("2026-W48"), Some((date("2026-11-23"), date("2026-11-29"))));
        assert_eq!(week_bounds("2026-W54"), None);
        assert_eq!(week_bounds("bad"), None);
    }

    #[test]
    fn the_median_takes_the_middle_or_the_rounded_mean_of_two() {
        let cases: [(&[i32], Option<i32>); 6] = [
            (&[], None),
            (&[300], Some(300)),
            (&[500, 100, 300], Some(300)),
            (&[100, 200], Some(150)),
            (&[100, 201], Some(151)), // 150.5 rounds up
            (&[900, 100, 120, 110], Some(115)),
        ];
        for (seconds, want) in cases {
            assert_eq!(median_seconds(seconds), want, "{seconds:?}");
        }
    }

    #[test]
    fn drill_stats_give_speed_accuracy_and_the_target() {
        let d = |seconds, errors| DrillFact { seconds, errors };
        let stat = drill_stat(&[d(500, 0), d(700, 1), d(600, 0), d(650, 2)], 600);
        assert_eq!(stat.count, 4);
        assert_eq!(stat.error_free, 2);
        assert_eq!(stat.median_seconds, Some(625));
        assert_eq!(stat.accuracy, Some(5000));
        assert_eq!(stat.meets_target, Some(false));
        let exact = drill_stat(&[d(600, 0)], 600);
        assert_eq!((exact.meets_target, exact.accuracy), (Some(true), Some(10000)));
        let none = drill_stat(&[], 600);
        assert_eq!((none.median_seconds, none.accuracy, none.meets_target), (None, None, None));
    }

    #[test]
    fn drill_bounds_and_typed_times() {
        let cases = [
            (1, 0, true),
            (0, 0, false),
            (14_400, 99, true),
            (14_401, 0, false),
            (60, -1, false),
            (60, 100, false),
        ];
        for (seconds, errors, ok) in cases {
            assert_eq!(check_drill(seconds, errors).is_ok(), ok, "{seconds}s {errors} errors");
        }
        let typed = [
            ("605", Some(605)),
            ("10:05", Some(605)),
            ("10：05", Some(605)),
            ("10分5秒", Some(605)),
            ("10分", Some(600)),
            ("45秒", Some(45)),
            ("10:75", None),
            ("abc", None),
            ("", None),
        ];
        for (text, want) in typed {
            assert_eq!(parse_seconds(text), want, "{text:?}");
        }
        assert_eq!(duration_text(605), "10分05秒");
        assert_eq!(duration_text(45), "45秒");
    }
}
