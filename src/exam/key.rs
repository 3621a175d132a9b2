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

use super::model::ExamKind;
use super::refusal::ExamRefusal;
use super::rules::accepts_saves;
use crate::web::msg;

/// What a candidate sees of their paper once the key may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
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

    /// The stored code, for `crate::stored_as_text!`.
    pub fn parse_code(code: &str) -> Option<Review> {
        Review::parse(code)
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
    pub fn default_for(kind: ExamKind) -> Review {
        if kind == ExamKind::Practice {
            Review::Full
        } else {
            Review::Score
        }
    }
}

crate::stored_as_text!(Review);

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
pub fn may_give_time(revealed_to: i64) -> Result<(), ExamRefusal> {
    if revealed_to > 0 {
        Err(ExamRefusal::KeyShown(revealed_to))
    } else {
        Ok(())
    }
}

/// The most minutes a reopen or an extra-time grant may give at once.
pub const MAX_MINUTES: i32 = 240;

#[cfg(test)]
mod tests;
