//! The monthly reading-penalty ledger (必读未读扣款台账, DESIGN §4 rule 6): for
//! month M, every mandatory item due in M that a person had not confirmed by
//! its due date (Asia/Shanghai, end of day inclusive) costs the month's rate.
//! Reading late is shown but does not undo the charge; an exempted item and a
//! person who joined after the due date are never charged. Closing a month
//! freezes its ledger with the rate it used.
//!
//! The rules are the pure functions of this file; [`sheet`] holds the ledger
//! as a document (what a closed month stores), [`model`] computes it live,
//! [`close`] freezes and re-opens it, [`exempt`] records exemptions,
//! [`export`] writes it for payroll, [`compliance`] draws read shares.

pub mod close;
pub mod compliance;
pub mod exempt;
pub mod export;
pub mod model;
pub mod sheet;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::rules::{read_status, ReadStatus};
use crate::web::msg;

/// How one mandatory item due in the month stands for one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Confirmed by the due date: nothing to charge.
    OnTime,
    /// Confirmed after the due date: charged all the same, shown with when.
    Late,
    /// Not confirmed, and the due date is over: charged.
    Unread,
    /// Not confirmed yet, but the due date's day has not ended.
    Pending,
    /// Exempted by a supervisor (with a reason): not charged.
    Exempt,
    /// Joined after the due date: never charged.
    Joiner,
}

impl Outcome {
    /// Whether the item costs the month's rate.
    pub fn charged(self) -> bool {
        matches!(self, Outcome::Late | Outcome::Unread)
    }

    /// Whether the ledger lists the item under the person (on-time reads and
    /// joiners' items are only counted).
    pub fn listed(self) -> bool {
        matches!(self, Outcome::Late | Outcome::Unread | Outcome::Pending | Outcome::Exempt)
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::OnTime => msg::LEDGER_ON_TIME,
            Outcome::Late => msg::LEDGER_LATE,
            Outcome::Unread => msg::LEDGER_UNREAD,
            Outcome::Pending => msg::LEDGER_PENDING,
            Outcome::Exempt => msg::LEDGER_EXEMPT,
            Outcome::Joiner => msg::LEDGER_JOINER,
        }
    }
}

/// One mandatory item: the version number to read (or any later one) by a
/// due date (local).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub version: i32,
    pub date: NaiveDate,
}

/// One person as the rule sees them: the local date they joined, and whether
/// a supervisor exempted them from this item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    pub joined: NaiveDate,
    pub exempt: bool,
}

/// Where one person stands on one item, judged on `today` (local); with the
/// confirm that decided it (UTC), if any. `confirms` = (version number,
/// confirmed at UTC) of this person for this article.
pub fn item_outcome(
    due: Due,
    reader: Reader,
    confirms: &[(i32, NaiveDateTime)],
    today: NaiveDate,
) -> (Outcome, Option<NaiveDateTime>) {
    let (status, at) = read_status(due.version, confirms, due.date);
    let outcome = match status {
        ReadStatus::OnTime => Outcome::OnTime,
        _ if reader.joined > due.date => Outcome::Joiner,
        _ if reader.exempt => Outcome::Exempt,
        ReadStatus::Late => Outcome::Late,
        ReadStatus::Unread if today <= due.date => Outcome::Pending,
        ReadStatus::Unread => Outcome::Unread,
    };
    (outcome, at)
}

/// What a person is docked for the month: the charged items and the amount.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Penalty {
    pub count: usize,
    /// 分 (hundredths of a yuan).
    pub fen: i64,
}

/// Rule 6: the number of charged items × the rate (fen).
pub fn reading_penalty(outcomes: &[Outcome], rate_fen: i64) -> Penalty {
    let count = outcomes.iter().filter(|o| o.charged()).count();
    Penalty { count, fen: count as i64 * rate_fen }
}

/// The rate of a month in fen: the one stored when it was closed, else the
/// setting in force (yuan per item).
pub fn rate_fen(closed: Option<i32>, setting_yuan: i64) -> i64 {
    closed.map_or(setting_yuan.max(0) * 100, i64::from)
}

/// Fen as yuan with two decimals: 1000 → "10.00".
pub fn yuan(fen: i64) -> String {
    crate::domain::Fen(fen).yuan()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    /// (version number, confirmed at UTC) as text.
    type Confirms<'a> = &'a [(i32, &'a str)];

    const DUE: &str = "2026-11-30";
    const AFTER: &str = "2026-12-05";

    fn judge(version: i32, confirms: &[(i32, &str)], joined: &str, exempt: bool, today: &str) -> Outcome {
        let confirms: Vec<(i32, NaiveDateTime)> = confirms.iter().map(|(v, at)| (*v, utc(at))).collect();
        let reader = Reader { joined: d(joined), exempt };
        item_outcome(Due { version, date: d(DUE) }, reader, &confirms, d(today)).0
    }

    #[test]
    fn the_due_date_ends_at_midnight_beijing_time() {
        use Outcome::*;
        // (confirmed at UTC, outcome); 2026-11-30 23:59:59 in Shanghai is 15:59:59 UTC.
        let cases = [
            ("2026-11-30 15:59:59", OnTime),
            ("2026-11-30 16:00:00", Late),
            ("2026-11-29 16:00:00", OnTime),
            ("2026-11-01 00:00:00", OnTime),
            ("2026-12-03 02:00:00", Late),
        ];
        for (at, want) in cases {
            assert_eq!(judge(1, &[(1, at)], "2026-01-01", false, AFTER), want, "confirmed {at} UTC");
        }
        // Unconfirmed: pending through the due day, unread from the next one.
        assert_eq!(judge(1, &[], "2026-01-01", false, "2026-11-30"), Pending);
        assert_eq!(judge(1, &[], "2026-01-01", false, "2026-12-01"), Unread);
    }

    #[test]
    fn late_reads_are_shown_and_still_charged() {
        let confirms = [(1, utc("2026-12-02 01:30:00"))];
        let reader = Reader { joined: d("2026-01-01"), exempt: false };
        let (outcome, at) = item_outcome(Due { version: 1, date: d(DUE) }, reader, &confirms, d(AFTER));
        assert_eq!((outcome, at), (Outcome::Late, Some(utc("2026-12-02 01:30:00"))));
        assert!(outcome.charged() && outcome.listed());
        assert_eq!(reading_penalty(&[Outcome::Late, Outcome::Unread, Outcome::OnTime], 1000).count, 2);
    }

    #[test]
    fn a_material_change_must_be_read_again() {
        use Outcome::*;
        let early = "2026-11-10 02:00:00";
        let late = "2026-12-01 02:00:00";
        // (required version, confirms, outcome): v2's assignment is not met by a v1 confirm.
        let cases: [(i32, Confirms, Outcome); 5] = [
            (1, &[(1, early)], OnTime),
            (2, &[(1, early)], Unread),
            (2, &[(1, early), (2, late)], Late),
            (2, &[(3, early)], OnTime),
            (1, &[(2, early)], OnTime),
        ];
        for (version, confirms, want) in cases {
            assert_eq!(judge(version, confirms, "2026-01-01", false, AFTER), want, "v{version} {confirms:?}");
        }
    }

    #[test]
    fn exemptions_and_joiners_are_never_charged() {
        use Outcome::*;
        let late = [(1, "2026-12-01 02:00:00")];
        let on_time = [(1, "2026-11-20 02:00:00")];
        // (confirms, joined, exempt, outcome)
        let cases: [(Confirms, &str, bool, Outcome); 8] = [
            (&[], "2026-01-01", true, Exempt),
            (&late, "2026-01-01", true, Exempt),
            (&on_time, "2026-01-01", true, OnTime),
            (&[], "2026-12-01", false, Joiner),
            (&late, "2026-12-01", false, Joiner),
            (&[], "2026-12-01", true, Joiner),
            // Joined on the due date itself: the item was theirs to read that day.
            (&[], "2026-11-30", false, Unread),
            (&[], "2026-11-15", false, Unread),
        ];
        for (confirms, joined, exempt, want) in cases {
            let got = judge(1, confirms, joined, exempt, AFTER);
            assert_eq!(got, want, "{confirms:?} joined {joined} exempt {exempt}");
            assert_eq!(got.charged(), want == Unread);
        }
    }

    #[test]
    fn the_penalty_is_the_charged_count_times_the_months_rate() {
        use Outcome::*;
        // (outcomes, rate in fen, count, fen)
        let cases: [(&[Outcome], i64, usize, i64); 6] = [
            (&[], 1000, 0, 0),
            (&[Unread], 1000, 1, 1000),
            (&[Unread, Late, OnTime, Exempt, Joiner, Pending], 1000, 2, 2000),
            (&[Unread, Unread, Unread], 1250, 3, 3750),
            (&[Late], 0, 1, 0),
            (&[OnTime, Exempt], 1000, 0, 0),
        ];
        for (outcomes, rate, count, fen) in cases {
            assert_eq!(reading_penalty(outcomes, rate), Penalty { count, fen }, "{outcomes:?} at {rate}");
        }
        assert_eq!(yuan(3750), "37.50");
        assert_eq!(yuan(0), "0.00");
    }

    #[test]
    fn a_closed_month_keeps_its_rate() {
        // (rate stored at the close, setting now in yuan, rate used in fen)
        let cases =
            [(None, 10, 1000), (Some(1000), 20, 1000), (Some(500), 10, 500), (None, 20, 2000), (None, -3, 0)];
        for (closed, setting, want) in cases {
            assert_eq!(rate_fen(closed, setting), want, "closed at {closed:?}, setting {setting}");
        }
    }
}
