//! The key stays secret while anything can change (DESIGN §4 rule 10), and
//! what each review setting shows once it may be shown.
//!
//! A review that arrives while any attempt of the exam can still be answered
//! is an answer sheet for that attempt: a clerk who started late reads the key
//! at close + 1 s and saves during the grace, or passes it to a colleague with
//! extra time. So the key, the explanations and even right/wrong marks wait
//! until no attempt can change; and once anyone has seen them, no attempt may
//! be given time again.

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;

use super::rules::accepts_saves;
use crate::web::msg;

/// What a candidate sees of their paper once the key may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    /// Nothing, not even the score (kept for exams made before the setting had three values).
    None,
    /// The score and ranks only: the bank's keys stay unrevealed.
    Score,
    /// The candidate's own answers marked right or wrong, no key, no explanation.
    Marked,
    /// The paper with the key and explanations.
    Full,
}

impl Review {
    pub const OFFERED: [Review; 3] = [Review::Score, Review::Marked, Review::Full];

    pub fn parse(code: &str) -> Option<Review> {
        match code {
            "none" => Some(Review::None),
            "score" => Some(Review::Score),
            "marked" => Some(Review::Marked),
            "full" => Some(Review::Full),
            _ => None,
        }
    }

    /// The stored setting; an unknown one shows the least.
    pub fn of(code: &str) -> Review {
        Review::parse(code).unwrap_or(Review::None)
    }

    pub fn code(self) -> &'static str {
        match self {
            Review::None => "none",
            Review::Score => "score",
            Review::Marked => "marked",
            Review::Full => "full",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Review::None => msg::EXAM_REVIEW_NONE,
            Review::Score => msg::EXAM_REVIEW_SCORE,
            Review::Marked => msg::EXAM_REVIEW_MARKED,
            Review::Full => msg::EXAM_REVIEW_FULL,
        }
    }

    pub fn shows_score(self) -> bool {
        self != Review::None
    }

    /// Whether the candidate sees their paper at all (marks, or marks and key).
    pub fn shows_paper(self) -> bool {
        matches!(self, Review::Marked | Review::Full)
    }

    pub fn shows_key(self) -> bool {
        self == Review::Full
    }

    /// The setting a new exam of this kind starts with: the monthly exam and
    /// its retest draw from the same bank every month, so they protect it;
    /// practice is for learning.
    pub fn default_for(kind: &str) -> Review {
        if kind == "practice" {
            Review::Full
        } else {
            Review::Score
        }
    }
}

/// One attempt as the key rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Open {
    pub in_progress: bool,
    pub deadline: NaiveDateTime,
}

/// Whether an attempt can still change at `now`: in progress (also reopened,
/// or with extra time) and its deadline plus grace not yet passed.
pub fn can_change(a: Open, grace_seconds: i64, now: NaiveDateTime) -> bool {
    a.in_progress && accepts_saves(now, a.deadline, grace_seconds)
}

/// DESIGN §4 rule 10: no key, explanation or right/wrong mark reaches anyone
/// but trainers before the window has closed and while any attempt can still
/// change.
pub fn key_visible(
    now: NaiveDateTime,
    closes_at: NaiveDateTime,
    attempts: &[Open],
    grace_seconds: i64,
) -> bool {
    now >= closes_at && !attempts.iter().any(|a| can_change(*a, grace_seconds, now))
}

/// From when the key may be shown, as things stand: the close, or the last
/// running attempt's deadline plus grace (later extra time moves it again).
pub fn visible_from(closes_at: NaiveDateTime, attempts: &[Open], grace_seconds: i64) -> NaiveDateTime {
    attempts
        .iter()
        .filter(|a| a.in_progress)
        .map(|a| a.deadline + Duration::seconds(grace_seconds))
        .fold(closes_at, NaiveDateTime::max)
}

/// Reopening an attempt or giving it time is refused once anyone has seen the
/// key or their marks (the attempt could be answered from them).
pub fn may_give_time(revealed_to: i64) -> Result<(), String> {
    if revealed_to > 0 {
        Err(msg::exam_key_already_shown(revealed_to))
    } else {
        Ok(())
    }
}

/// The most minutes a reopen or an extra-time grant may give at once.
pub const MAX_MINUTES: i32 = 240;

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap().and_hms_opt(9, 0, 0).unwrap()
            + Duration::minutes(minute)
    }

    fn running(deadline_minute: i64) -> Open {
        Open { in_progress: true, deadline: at(deadline_minute) }
    }

    fn submitted(deadline_minute: i64) -> Open {
        Open { in_progress: false, deadline: at(deadline_minute) }
    }

    #[test]
    fn the_key_waits_for_the_close_and_every_attempt() {
        // The window closes at minute 60; the grace is 30 s.
        let close = at(60);
        let s = |secs: i64| at(60) + Duration::seconds(secs);
        let cases: [(&str, NaiveDateTime, Vec<Open>, bool); 9] = [
            ("window still open, nobody sitting", at(59), vec![], false),
            ("closed, nobody sat", close, vec![], true),
            ("closed, all submitted", s(1), vec![submitted(45), submitted(60)], true),
            // Finding 1: started late, deadline = close, key read at close + 1 s.
            ("late starter inside the grace", s(1), vec![running(60)], false),
            ("late starter at the last second of grace", s(30), vec![running(60)], false),
            ("grace over, not yet swept", s(31), vec![running(60)], true),
            // Finding 2: reopened or given extra time after the close.
            ("reopened for 20 minutes", at(70), vec![submitted(40), running(80)], false),
            ("extra time, running past the close", at(75), vec![running(75)], false),
            ("extra time used up", at(76), vec![running(75)], true),
        ];
        for (what, now, attempts, want) in cases {
            assert_eq!(key_visible(now, close, &attempts, 30), want, "{what}");
        }
    }

    #[test]
    fn the_trainer_is_told_when_the_key_shows() {
        let close = at(60);
        assert_eq!(visible_from(close, &[], 30), close);
        assert_eq!(visible_from(close, &[submitted(90)], 30), close, "submitted attempts do not hold it");
        assert_eq!(visible_from(close, &[running(40), running(80)], 30), at(80) + Duration::seconds(30));
    }

    #[test]
    fn time_is_refused_once_anyone_saw_the_key() {
        assert!(may_give_time(0).is_ok());
        assert!(may_give_time(1).unwrap_err().contains('1'));
    }

    #[test]
    fn review_settings_read_and_show() {
        let cases = [
            ("none", Review::None, false, false, false),
            ("score", Review::Score, true, false, false),
            ("marked", Review::Marked, true, true, false),
            ("full", Review::Full, true, true, true),
            ("all", Review::None, false, false, false),
        ];
        for (code, review, score, paper, key) in cases {
            let r = Review::of(code);
            assert_eq!(r, review, "{code}");
            assert_eq!((r.shows_score(), r.shows_paper(), r.shows_key()), (score, paper, key), "{code}");
        }
        assert_eq!(Review::default_for("monthly"), Review::Score);
        assert_eq!(Review::default_for("retest"), Review::Score);
        assert_eq!(Review::default_for("practice"), Review::Full);
    }
}
