//! The exam rules as pure functions: deadlines, scores, who may start when.

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::{Datelike, Duration, NaiveDateTime};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use super::compose::{YEAR_FIRST, YEAR_LAST};
use super::paper::SplitMix64;
use crate::web::msg;

/// DESIGN §4 rule 1: earned ÷ possible × 100, in hundredths, rounded half up
/// (integer arithmetic only: 2/3 → 66.67).
pub fn score(earned: i64, possible: i64) -> i64 {
    if possible <= 0 {
        return 0;
    }
    (earned * 20_000 + possible) / (2 * possible)
}

/// When an attempt ends: the time limit from the start, but never after the
/// window closes; a person's extra time comes on top of either.
pub fn deadline(
    started_at: NaiveDateTime,
    limit_minutes: i64,
    closes_at: NaiveDateTime,
    extra_minutes: i64,
) -> NaiveDateTime {
    (started_at + Duration::minutes(limit_minutes)).min(closes_at) + Duration::minutes(extra_minutes)
}

/// Saves in flight at the deadline are accepted during a short grace.
pub fn accepts_saves(now: NaiveDateTime, deadline: NaiveDateTime, grace_seconds: i64) -> bool {
    now <= deadline + Duration::seconds(grace_seconds)
}

/// Whole seconds left before the deadline (0 once it passed).
pub fn remaining_seconds(now: NaiveDateTime, deadline: NaiveDateTime) -> i64 {
    (deadline - now).num_seconds().max(0)
}

/// A staggered start flattens the exam-start spike.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stagger {
    /// Minutes after the opening at which each county (area unit id) may start.
    #[serde(default)]
    pub area_offsets: BTreeMap<i32, i64>,
    /// Every candidate may start after a random delay of up to this many minutes.
    #[serde(default)]
    pub random_max_minutes: i64,
}

/// The earliest time a candidate may start: the opening, plus their area's
/// offset, plus their own reproducible random delay (whole seconds).
pub fn earliest_start(
    opens_at: NaiveDateTime,
    stagger: &Stagger,
    area_id: Option<i32>,
    seed: u64,
    user_id: i32,
) -> NaiveDateTime {
    let area = area_id.and_then(|a| stagger.area_offsets.get(&a)).copied().unwrap_or(0);
    let random = if stagger.random_max_minutes > 0 {
        let mut rng = SplitMix64::new(seed ^ 0x5354_4147 ^ (user_id as u64) << 20);
        rng.below(stagger.random_max_minutes as u64 * 60 + 1) as i64
    } else {
        0
    };
    opens_at + Duration::minutes(area) + Duration::seconds(random)
}

/// The exam's state as candidates and trainers see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Draft,
    Scheduled,
    Open,
    Closed,
}

impl Phase {
    pub fn of(
        published: bool,
        now: NaiveDateTime,
        opens_at: NaiveDateTime,
        closes_at: NaiveDateTime,
    ) -> Phase {
        if !published {
            Phase::Draft
        } else if now < opens_at {
            Phase::Scheduled
        } else if now < closes_at {
            Phase::Open
        } else {
            Phase::Closed
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Phase::Draft => msg::EXAM_PHASE_DRAFT,
            Phase::Scheduled => msg::EXAM_PHASE_SCHEDULED,
            Phase::Open => msg::EXAM_PHASE_OPEN,
            Phase::Closed => msg::EXAM_PHASE_CLOSED,
        }
    }
}

/// Everything that decides whether a candidate may start now.
#[derive(Debug, Clone)]
pub struct StartCheck {
    pub phase: Phase,
    pub now: NaiveDateTime,
    pub earliest: NaiveDateTime,
    pub in_audience: bool,
    pub has_attempt: bool,
    pub ip_allowed: bool,
    pub in_person: bool,
    /// The code the candidate typed matches an open sitting of this exam.
    pub sitting_ok: Option<bool>,
}

/// Why a candidate may not start, in the order they are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotInAudience,
    AlreadyStarted,
    NotOpen,
    Closed,
    NotYet(NaiveDateTime),
    IpNotAllowed,
    SittingRequired,
    BadSittingCode,
}

impl Refusal {
    pub fn message(&self) -> String {
        match self {
            Refusal::NotInAudience => msg::EXAM_NOT_IN_AUDIENCE.to_string(),
            Refusal::AlreadyStarted => msg::EXAM_ALREADY_STARTED.to_string(),
            Refusal::NotOpen => msg::EXAM_NOT_OPEN.to_string(),
            Refusal::Closed => msg::EXAM_CLOSED.to_string(),
            Refusal::NotYet(at) => msg::exam_not_yet(&crate::time::local_display(*at)),
            Refusal::IpNotAllowed => msg::EXAM_IP_NOT_ALLOWED.to_string(),
            Refusal::SittingRequired => msg::EXAM_SITTING_REQUIRED.to_string(),
            Refusal::BadSittingCode => msg::EXAM_BAD_SITTING_CODE.to_string(),
        }
    }
}

pub fn check_start(c: &StartCheck) -> Result<(), Refusal> {
    if !c.in_audience {
        return Err(Refusal::NotInAudience);
    }
    if c.has_attempt {
        return Err(Refusal::AlreadyStarted);
    }
    match c.phase {
        Phase::Draft | Phase::Scheduled => return Err(Refusal::NotOpen),
        Phase::Closed => return Err(Refusal::Closed),
        Phase::Open => {}
    }
    if c.now < c.earliest {
        return Err(Refusal::NotYet(c.earliest));
    }
    if !c.ip_allowed {
        return Err(Refusal::IpNotAllowed);
    }
    match (c.in_person, c.sitting_ok) {
        (true, None) => Err(Refusal::SittingRequired),
        (true, Some(false)) => Err(Refusal::BadSittingCode),
        _ => Ok(()),
    }
}

/// Parses allowed ranges, one per line (`10.20.0.0/16`, or a single address);
/// errors carry the line number.
pub fn parse_ip_ranges(text: &str) -> Result<Vec<IpNet>, Vec<String>> {
    let mut nets = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parsed = line.parse::<IpNet>().or_else(|_| line.parse::<IpAddr>().map(IpNet::from));
        match parsed {
            Ok(net) => nets.push(net),
            Err(_) => errors.push(msg::exam_bad_ip_range(i + 1, line)),
        }
    }
    if errors.is_empty() {
        Ok(nets)
    } else {
        Err(errors)
    }
}

/// An address may start when no ranges are set, or it lies in one of them.
pub fn ip_allowed(ranges: &str, ip: Option<IpAddr>) -> bool {
    match parse_ip_ranges(ranges) {
        Ok(nets) if nets.is_empty() => true,
        Ok(nets) => ip.is_some_and(|ip| nets.iter().any(|n| n.contains(&ip))),
        Err(_) => false,
    }
}

/// `2026-11` → ok; anything else → None.
pub fn parse_month(text: &str) -> Option<String> {
    let t = text.trim();
    let date = chrono::NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d").ok()?;
    (t.len() == 7).then(|| date.format("%Y-%m").to_string())
}

/// A sitting's start as typed (Beijing time), as UTC: empty means `now`;
/// anything else must be a date and time in 2000–2099 — a typo is refused,
/// never silently taken as now.
pub fn sitting_start(text: &str, now: NaiveDateTime) -> Result<NaiveDateTime, &'static str> {
    if text.trim().is_empty() {
        return Ok(now);
    }
    let utc = crate::time::parse_local_input(text).ok_or(msg::EXAM_SITTING_START_INVALID)?;
    let year = crate::time::local_date(utc).year();
    if (YEAR_FIRST..=YEAR_LAST).contains(&year) {
        Ok(utc)
    } else {
        Err(msg::EXAM_SITTING_START_RANGE)
    }
}

/// A sitting's code starts attempts from this long before the sitting's start
/// until the trainer closes it (not days before, from anywhere).
pub const SITTING_EARLY_MINUTES: i64 = 30;

/// Whether an open sitting's code may start an attempt at `now`.
pub fn sitting_code_valid(now: NaiveDateTime, starts_at: NaiveDateTime) -> bool {
    now >= starts_at - Duration::minutes(SITTING_EARLY_MINUTES)
}

/// Wrong sitting codes a candidate may type in [`CODE_WINDOW_MINUTES`] before
/// further tries wait: six characters of 31 cannot be guessed at this rate.
pub const CODE_MAX_FAILURES: i64 = 5;
pub const CODE_WINDOW_MINUTES: i64 = 15;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitting_code_works_from_half_an_hour_before_the_start() {
        let start = t("2026-12-10 01:00:00");
        let cases = [
            ("three days early", "2026-12-07 01:00:00", false),
            ("31 minutes early", "2026-12-10 00:29:00", false),
            ("30 minutes early", "2026-12-10 00:30:00", true),
            ("at the start", "2026-12-10 01:00:00", true),
            ("an hour in", "2026-12-10 02:00:00", true),
        ];
        for (what, now, want) in cases {
            assert_eq!(sitting_code_valid(t(now), start), want, "{what}");
        }
    }

    #[test]
    fn a_sitting_starts_now_when_left_empty_and_never_on_a_typo() {
        let now = t("2026-11-28 02:00:00");
        let cases = [
            ("", Ok(now)),
            ("  ", Ok(now)),
            // Beijing time in, UTC out.
            ("2026-11-28T09:30", Ok(t("2026-11-28 01:30:00"))),
            ("2026-11-28 09:30", Ok(t("2026-11-28 01:30:00"))),
            ("2000-01-01T00:00", Ok(t("1999-12-31 16:00:00"))),
            ("2099-12-31T23:59", Ok(t("2099-12-31 15:59:00"))),
            ("明天上午", Err(msg::EXAM_SITTING_START_INVALID)),
            ("2026-13-01T09:00", Err(msg::EXAM_SITTING_START_INVALID)),
            ("2026-11-28", Err(msg::EXAM_SITTING_START_INVALID)),
            ("9999-01-01T09:00", Err(msg::EXAM_SITTING_START_RANGE)),
            ("1999-12-31T23:59", Err(msg::EXAM_SITTING_START_RANGE)),
            ("2100-01-01T00:00", Err(msg::EXAM_SITTING_START_RANGE)),
        ];
        for (text, want) in cases {
            assert_eq!(sitting_start(text, now), want, "{text}");
        }
    }

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn score_table() {
        let cases = [
            (0, 10_000, 0),
            (10_000, 10_000, 10_000),
            (200, 300, 6_667),
            (100, 300, 3_333),
            (1, 8, 1_250),
            (5_950, 10_000, 5_950),
            (4_321, 5_000, 8_642),
            (1, 30_000, 0),
            (1, 20_000, 1), // 0.005 rounds half up to 0.01
            (7, 0, 0),
        ];
        for (earned, possible, want) in cases {
            assert_eq!(score(earned, possible), want, "{earned}/{possible}");
        }
    }

    #[test]
    fn deadline_table() {
        let closes = t("2026-11-28 12:00:00");
        let cases = [
            ("2026-11-28 09:00:00", 60, 0, "2026-11-28 10:00:00"),
            ("2026-11-28 11:30:00", 60, 0, "2026-11-28 12:00:00"),
            ("2026-11-28 11:30:00", 60, 15, "2026-11-28 12:15:00"),
            ("2026-11-28 09:00:00", 60, 10, "2026-11-28 10:10:00"),
            ("2026-11-28 11:59:59", 90, 0, "2026-11-28 12:00:00"),
        ];
        for (start, limit, extra, want) in cases {
            assert_eq!(deadline(t(start), limit, closes, extra), t(want), "{start} {limit} {extra}");
        }
    }

    #[test]
    fn grace_and_remaining() {
        let d = t("2026-11-28 10:00:00");
        assert!(accepts_saves(t("2026-11-28 10:00:30"), d, 30));
        assert!(!accepts_saves(t("2026-11-28 10:00:31"), d, 30));
        assert_eq!(remaining_seconds(t("2026-11-28 09:58:20"), d), 100);
        assert_eq!(remaining_seconds(t("2026-11-28 10:05:00"), d), 0);
    }

    #[test]
    fn stagger_by_area_and_random_delay() {
        let opens = t("2026-11-28 09:00:00");
        let mut s = Stagger::default();
        assert_eq!(earliest_start(opens, &s, Some(3), 1, 1), opens);
        s.area_offsets.insert(3, 10);
        assert_eq!(earliest_start(opens, &s, Some(3), 1, 1), t("2026-11-28 09:10:00"));
        assert_eq!(earliest_start(opens, &s, Some(4), 1, 1), opens);
        s.random_max_minutes = 5;
        let starts: Vec<_> = (0..200).map(|u| earliest_start(opens, &s, None, 77, u)).collect();
        assert!(starts.iter().all(|at| *at >= opens && *at <= t("2026-11-28 09:05:00")));
        assert!(starts.iter().collect::<std::collections::HashSet<_>>().len() > 50, "spread out");
        assert_eq!(starts[17], earliest_start(opens, &s, None, 77, 17), "reproducible");
    }

    #[test]
    fn start_checks_in_order() {
        let now = t("2026-11-28 09:30:00");
        let ok = StartCheck {
            phase: Phase::Open,
            now,
            earliest: t("2026-11-28 09:00:00"),
            in_audience: true,
            has_attempt: false,
            ip_allowed: true,
            in_person: false,
            sitting_ok: None,
        };
        assert_eq!(check_start(&ok), Ok(()));
        let with = |f: &dyn Fn(&mut StartCheck)| {
            let mut c = ok.clone();
            f(&mut c);
            check_start(&c)
        };
        assert_eq!(with(&|c| c.in_audience = false), Err(Refusal::NotInAudience));
        assert_eq!(with(&|c| c.has_attempt = true), Err(Refusal::AlreadyStarted));
        assert_eq!(with(&|c| c.phase = Phase::Scheduled), Err(Refusal::NotOpen));
        assert_eq!(with(&|c| c.phase = Phase::Closed), Err(Refusal::Closed));
        assert_eq!(
            with(&|c| c.earliest = t("2026-11-28 09:40:00")),
            Err(Refusal::NotYet(t("2026-11-28 09:40:00")))
        );
        assert_eq!(with(&|c| c.ip_allowed = false), Err(Refusal::IpNotAllowed));
        assert_eq!(with(&|c| c.in_person = true), Err(Refusal::SittingRequired));
        assert_eq!(
            with(&|c| {
                c.in_person = true;
                c.sitting_ok = Some(false)
            }),
            Err(Refusal::BadSittingCode)
        );
        assert_eq!(
            with(&|c| {
                c.in_person = true;
                c.sitting_ok = Some(true)
            }),
            Ok(())
        );
        // A code does not let anyone around their own rules.
        assert_eq!(
            with(&|c| {
                c.ip_allowed = false;
                c.sitting_ok = Some(true)
            }),
            Err(Refusal::IpNotAllowed)
        );
    }

    #[test]
    fn ip_ranges() {
        let ranges = "10.20.0.0/16\n\n192.168.1.7\n";
        assert!(ip_allowed(ranges, "10.20.3.4".parse().ok()));
        assert!(ip_allowed(ranges, "192.168.1.7".parse().ok()));
        assert!(!ip_allowed(ranges, "192.168.1.8".parse().ok()));
        assert!(!ip_allowed(ranges, None));
        assert!(ip_allowed("", "8.8.8.8".parse().ok()));
        assert_eq!(parse_ip_ranges("10.0.0.0/8\n营业厅\n").unwrap_err().len(), 1);
        assert!(parse_ip_ranges("10.0.0.0/8\n营业厅\n").unwrap_err()[0].contains('2'));
    }

    #[test]
    fn months() {
        assert_eq!(parse_month("2026-11").as_deref(), Some("2026-11"));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("2026-1"), None);
        assert_eq!(parse_month("十一月"), None);
    }
}
