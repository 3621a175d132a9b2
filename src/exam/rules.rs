//! The exam rules as pure functions: deadlines, scores, who may start when.

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::{Datelike, Duration, NaiveDateTime};
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use super::paper::SplitMix64;
use crate::domain::{Month, Score};
use crate::web::msg;

/// DESIGN §4 rule 1: earned ÷ possible × 100, in hundredths, rounded half up
/// (integer arithmetic only: 2/3 → 66.67).
/// Nothing possible scores 0.
pub fn score(earned: i64, possible: i64) -> i64 {
    Score::of(earned, possible).map_or(0, Score::hundredths)
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

/// A sitting's start as typed (Beijing time), as UTC: empty means `now`;
/// anything else must be a date and time in 2000–2099 — a typo is refused,
/// never silently taken as now.
pub fn sitting_start(text: &str, now: NaiveDateTime) -> Result<NaiveDateTime, &'static str> {
    if text.trim().is_empty() {
        return Ok(now);
    }
    let utc = crate::time::parse_local_input(text).ok_or(msg::EXAM_SITTING_START_INVALID)?;
    let year = crate::time::local_date(utc).year();
    if (Month::FIRST_YEAR..=Month::LAST_YEAR).contains(&year) {
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
mod tests;
