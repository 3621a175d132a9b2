//! `Month`: a calendar month of the branch (Asia/Shanghai), the unit every
//! monthly rule speaks in — the monthly exam, the reading ledger, study
//! hours, the scorecard. Stored and shown as `YYYY-MM`.

use std::fmt;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Asia::Shanghai;
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::serialize::{self, ToSql};
use diesel::sql_types::Text;

/// A calendar month, 2000-01 ..= 2099-12 once parsed (the years every month
/// page and form accepts). `Copy`, ordered by time.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub struct Month {
    /// `YYYY-MM` in ASCII: kept as text so the database and templates borrow it.
    text: [u8; 7],
}

/// Why a month was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadMonth {
    /// Not `YYYY-MM` (or no such month).
    Malformed,
    /// A real month outside 2000–2099 (a typo such as 9999-12).
    OutOfRange,
}

impl Month {
    pub const FIRST_YEAR: i32 = 2000;
    pub const LAST_YEAR: i32 = 2099;

    /// The month of a year; None outside 2000–2099 or for a month not 1–12.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        if !(Self::FIRST_YEAR..=Self::LAST_YEAR).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        let mut text = [0u8; 7];
        let s = format!("{year:04}-{month:02}");
        text.copy_from_slice(s.as_bytes());
        Some(Month { text })
    }

    /// `2026-11` (surrounding blanks ignored). Anything else is refused, and
    /// says whether it was malformed or only out of 2000–2099.
    pub fn parse(text: &str) -> Result<Month, BadMonth> {
        let t = text.trim();
        let b = t.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 7 || b[4] != b'-' || !digits(0..4) || !digits(5..7) {
            return Err(BadMonth::Malformed);
        }
        let year: i32 = t[0..4].parse().map_err(|_| BadMonth::Malformed)?;
        let month: u32 = t[5..7].parse().map_err(|_| BadMonth::Malformed)?;
        if !(1..=12).contains(&month) {
            return Err(BadMonth::Malformed);
        }
        Month::new(year, month).ok_or(BadMonth::OutOfRange)
    }

    /// A well-formed month, clamped to 2000-01 ..= 2099-12; None when malformed.
    pub fn parse_clamped(text: &str) -> Option<Month> {
        match Month::parse(text) {
            Ok(m) => Some(m),
            Err(BadMonth::Malformed) => None,
            Err(BadMonth::OutOfRange) => {
                let year: i32 = text.trim()[0..4].parse().ok()?;
                Some(if year < Self::FIRST_YEAR { Month::first() } else { Month::last() })
            }
        }
    }

    pub fn first() -> Month {
        Month { text: *b"2000-01" }
    }

    pub fn last() -> Month {
        Month { text: *b"2099-12" }
    }

    /// The month a UTC instant falls in, in Beijing time (clamped to the years kept).
    pub fn of(utc: NaiveDateTime) -> Month {
        Month::of_date(Shanghai.from_utc_datetime(&utc).date_naive())
    }

    /// The month of a local (Beijing) date (clamped to the years kept).
    pub fn of_date(date: NaiveDate) -> Month {
        let year = date.year().clamp(Self::FIRST_YEAR, Self::LAST_YEAR);
        let month = if date.year() < Self::FIRST_YEAR {
            1
        } else if date.year() > Self::LAST_YEAR {
            12
        } else {
            date.month()
        };
        Month::new(year, month).unwrap_or_else(Month::first)
    }

    /// This month in Beijing, by the app's clock ([`crate::db::now`]).
    pub fn current() -> Month {
        Month::of(crate::db::now())
    }

    pub fn as_str(&self) -> &str {
        // Only ever built from ASCII digits and '-'.
        std::str::from_utf8(&self.text).unwrap_or("2000-01")
    }

    pub fn year(&self) -> i32 {
        self.as_str()[0..4].parse().unwrap_or(Self::FIRST_YEAR)
    }

    /// 1–12.
    pub fn number(&self) -> u32 {
        self.as_str()[5..7].parse().unwrap_or(1)
    }

    /// The month after; None after 2099-12.
    pub fn next(&self) -> Option<Month> {
        match self.number() {
            12 => Month::new(self.year() + 1, 1),
            m => Month::new(self.year(), m + 1),
        }
    }

    /// The month before; None before 2000-01.
    pub fn previous(&self) -> Option<Month> {
        match self.number() {
            1 => Month::new(self.year() - 1, 12),
            m => Month::new(self.year(), m - 1),
        }
    }

    /// This month and the `n - 1` before it, oldest first (stops at 2000-01).
    pub fn trailing(&self, n: usize) -> Vec<Month> {
        let mut out = vec![*self];
        while out.len() < n {
            match out[0].previous() {
                Some(p) => out.insert(0, p),
                None => break,
            }
        }
        out
    }

    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.number(), 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(&self) -> NaiveDate {
        self.first_day() + Duration::days(i64::from(self.days()) - 1)
    }

    /// Days in the month (28–31).
    pub fn days(&self) -> u32 {
        let next = self.first_day().checked_add_months(chrono::Months::new(1));
        next.map_or(31, |n| (n - self.first_day()).num_days() as u32)
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        (self.first_day()..=self.last_day()).contains(&date)
    }

    /// Whether the month is over on `today` (a local date): only then can it be closed.
    pub fn ended_by(&self, today: NaiveDate) -> bool {
        today > self.last_day()
    }

    /// The UTC instant the month starts: 00:00 Beijing on its first day.
    pub fn starts_utc(&self) -> NaiveDateTime {
        local_midnight_utc(self.first_day())
    }

    /// The UTC instant the month ends (exclusive): 00:00 Beijing on the next month's first day.
    pub fn ends_utc(&self) -> NaiveDateTime {
        local_midnight_utc(self.last_day() + Duration::days(1))
    }

    /// The ISO weeks (Monday first, `2026-W48`) whose Thursday lies in the
    /// month: the weeks a clerk should be drilled in that month, so a week
    /// spanning two months counts in one of them only.
    pub fn iso_weeks(&self) -> Vec<String> {
        let mut day = self.first_day();
        let mut weeks = Vec::new();
        while day.month() == self.number() {
            if day.weekday() == chrono::Weekday::Thu {
                let w = day.iso_week();
                weeks.push(format!("{}-W{:02}", w.year(), w.week()));
            }
            day += Duration::days(1);
        }
        weeks
    }

    /// `2026年11月`.
    pub fn label(&self) -> String {
        format!("{}年{}月", self.year(), self.number())
    }
}

fn local_midnight_utc(date: NaiveDate) -> NaiveDateTime {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Asia/Shanghai has had no daylight saving since 1991: every local time is single.
    Shanghai.from_local_datetime(&midnight).single().map_or(midnight, |t| t.naive_utc())
}

/// 2000-01, the first month kept: only for empty placeholders (a default form or plan).
impl Default for Month {
    fn default() -> Month {
        Month::first()
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Month({})", self.as_str())
    }
}

impl std::str::FromStr for Month {
    type Err = BadMonth;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Month::parse(s)
    }
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Month::parse(&text).map_err(|_| serde::de::Error::custom(crate::web::msg::MONTH_INVALID))
    }
}

impl<DB> ToSql<Text, DB> for Month
where
    DB: Backend,
    str: ToSql<Text, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut serialize::Output<'b, '_, DB>) -> serialize::Result {
        self.as_str().to_sql(out)
    }
}

impl<DB> FromSql<Text, DB> for Month
where
    DB: Backend,
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let text = String::from_sql(bytes)?;
        Month::parse(&text).map_err(|_| format!("not a month: {text:?}").into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn parses_only_real_months_in_the_years_kept() {
        let cases: &[(&str, Result<&str, BadMonth>)] = &[
            ("2026-11", Ok("2026-11")),
            (" 2026-01 ", Ok("2026-01")),
            ("2000-01", Ok("2000-01")),
            ("2099-12", Ok("2099-12")),
            ("2026-13", Err(BadMonth::Malformed)),
            ("2026-00", Err(BadMonth::Malformed)),
            ("2026-1", Err(BadMonth::Malformed)),
            ("2026/11", Err(BadMonth::Malformed)),
            ("202６-11", Err(BadMonth::Malformed)),
            ("十一月", Err(BadMonth::Malformed)),
            ("", Err(BadMonth::Malformed)),
            ("+026-11", Err(BadMonth::Malformed)),
            ("1999-12", Err(BadMonth::OutOfRange)),
            ("2100-01", Err(BadMonth::OutOfRange)),
            ("9999-12", Err(BadMonth::OutOfRange)),
        ];
        for (text, want) in cases {
            let got = Month::parse(text);
            assert_eq!(got.as_ref().map(Month::as_str).map_err(|e| *e), *want, "{text:?}");
        }
        assert_eq!(Month::parse_clamped("9999-12"), Some(Month::last()));
        assert_eq!(Month::parse_clamped("0001-01"), Some(Month::first()));
        assert_eq!(Month::parse_clamped("2026-13"), None);
    }

    #[test]
    fn steps_across_years_and_stops_at_the_ends() {
        assert_eq!(m("2026-12").next(), Some(m("2027-01")));
        assert_eq!(m("2027-01").previous(), Some(m("2026-12")));
        assert_eq!(m("2026-06").next(), Some(m("2026-07")));
        assert_eq!(Month::last().next(), None);
        assert_eq!(Month::first().previous(), None);
        let months: Vec<String> = m("2026-02").trailing(3).iter().map(Month::to_string).collect();
        assert_eq!(months, ["2025-12", "2026-01", "2026-02"]);
        assert_eq!(m("2000-02").trailing(6).len(), 2);
        assert!(m("2026-09") < m("2026-10") && m("2025-12") < m("2026-01"));
    }

    #[test]
    fn knows_its_days() {
        let cases = [
            ("2026-02", 28, "2026-02-28"),
            ("2028-02", 29, "2028-02-29"),
            ("2026-11", 30, "2026-11-30"),
            ("2026-12", 31, "2026-12-31"),
            ("2100-02", 0, ""),
            ("2000-02", 29, "2000-02-29"),
        ];
        for (month, days, last) in cases {
            let Ok(month) = Month::parse(month) else { continue };
            assert_eq!(month.days(), days, "{month}");
            assert_eq!(month.last_day(), d(last), "{month}");
        }
        assert!(m("2026-11").contains(d("2026-11-30")));
        assert!(!m("2026-11").contains(d("2026-12-01")));
        assert!(!m("2026-11").ended_by(d("2026-11-30")));
        assert!(m("2026-11").ended_by(d("2026-12-01")));
    }

    #[test]
    fn beijing_boundaries_are_utc_minus_eight_hours() {
        // 2026-12-01 00:00 Beijing is 2026-11-30 16:00 UTC.
        assert_eq!(m("2026-12").starts_utc(), utc("2026-11-30 16:00:00"));
        assert_eq!(m("2026-11").ends_utc(), utc("2026-11-30 16:00:00"));
        // 23:59:59 Beijing on the last day is still November; one second later December.
        assert_eq!(Month::of(utc("2026-11-30 15:59:59")), m("2026-11"));
        assert_eq!(Month::of(utc("2026-11-30 16:00:00")), m("2026-12"));
        assert_eq!(Month::of(utc("2026-12-31 16:00:00")), m("2027-01"));
    }

    #[test]
    fn iso_weeks_belong_to_the_month_of_their_thursday() {
        // November 2026: Thursdays 5, 12, 19, 26 → W45..W48. The week of
        // Mon 30 Nov (Thu 3 Dec) belongs to December.
        assert_eq!(m("2026-11").iso_weeks(), ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]);
        // January 2027 starts on a Friday: its first Thursday is the 7th (W01);
        // Thu 31 Dec 2026 makes W53 of 2026 December's.
        assert_eq!(m("2027-01").iso_weeks().first().map(String::as_str), Some("2027-W01"));
        assert_eq!(m("2026-12").iso_weeks().last().map(String::as_str), Some("2026-W53"));
        // December 2026 has five Thursdays: 3, 10, 17, 24, 31.
        assert_eq!(m("2026-12").iso_weeks().len(), 5);
    }

    #[test]
    fn serializes_as_text() {
        assert_eq!(serde_json::to_string(&m("2026-11")).unwrap(), "\"2026-11\"");
        let back: Month = serde_json::from_str("\"2026-11\"").unwrap();
        assert_eq!(back, m("2026-11"));
        assert!(serde_json::from_str::<Month>("\"2026-13\"").is_err());
        assert_eq!(m("2026-03").label(), "2026年3月");
    }
}
