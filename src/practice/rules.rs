//! The learning loop's rules for one clerk, pure: what is in their 错题本,
//! when a question leaves it, which questions they may practise, and their
//! streak and week.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};

/// Right answers on this many different days after the wrong one take a
/// question out of the 错题本.
pub const RIGHT_DAYS_TO_LEAVE: usize = 2;

/// Whether a wrong answer can enter the 错题本: only where the clerk may see
/// the key (the exam's review shows it and no attempt of the exam can still
/// change, rule 10), and only a wrong or partly right answer that was marked.
pub fn enters_book(key_open: bool, earned: Option<i32>, points: i32) -> bool {
    key_open && earned.is_some_and(|e| e < points)
}

/// Whether a question is still in the 错题本: it stays until it has been
/// answered right on [`RIGHT_DAYS_TO_LEAVE`] different days (Beijing dates)
/// after the day it was last answered wrong — in an exam or in practice. A
/// wrong practice answer starts the count again.
pub fn still_in_book(wrong_on: NaiveDate, practice: &[(NaiveDate, bool)]) -> bool {
    let last_wrong = practice.iter().filter(|(_, right)| !right).map(|(d, _)| *d).chain([wrong_on]).max();
    let Some(last_wrong) = last_wrong else { return true };
    let right_days: BTreeSet<NaiveDate> =
        practice.iter().filter(|(d, right)| *right && *d > last_wrong).map(|(d, _)| *d).collect();
    right_days.len() < RIGHT_DAYS_TO_LEAVE
}

/// A question as the draw sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub question_id: i32,
    pub active: bool,
    /// Auto-marked (not 简答): practice gives instant feedback.
    pub auto_marked: bool,
    /// Its bank is marked 可练习.
    pub practice_bank: bool,
    /// A monthly exam not yet over draws from its bank.
    pub monthly_pool: bool,
    /// Someone has already seen its key.
    pub revealed: bool,
    /// On a paper someone is still answering (any exam): its key waits (rule 10).
    pub in_running_exam: bool,
}

/// Whether the clerk may be given this question to practise: their own
/// 错题本 questions (they have seen the key), else an active, auto-marked
/// question of a 可练习 bank — but never one a monthly exam still needs
/// unrevealed (practice shows the key at once).
pub fn may_practise(c: &Candidate, in_own_book: bool) -> bool {
    // A question on a running paper is never practised: a clerk mid-exam
    // could read its key in another tab.
    if !c.active || !c.auto_marked || c.in_running_exam {
        return false;
    }
    // An unrevealed question a monthly exam may still draw stays secret.
    let secret = c.monthly_pool && !c.revealed;
    in_own_book || (c.practice_bank && !secret)
}

/// Days in a row with practice, up to today (or up to yesterday while today
/// has none yet: the streak is not lost before the day is over).
pub fn streak(days: &BTreeSet<NaiveDate>, today: NaiveDate) -> u32 {
    let mut day = if days.contains(&today) { today } else { today - Days::new(1) };
    let mut n = 0;
    while days.contains(&day) {
        n += 1;
        day = day - Days::new(1);
    }
    n
}

/// Answers per day over the seven days ending today, oldest first.
pub fn week(answers: &[NaiveDate], today: NaiveDate) -> Vec<(NaiveDate, usize)> {
    (0..7u64)
        .rev()
        .map(|back| {
            let day = today - Days::new(back);
            (day, answers.iter().filter(|d| **d == day).count())
        })
        .collect()
}

/// The next question: the first eligible one not answered today, in the
/// order given (the caller orders by need: 错题本 first, least practised).
pub fn next(eligible: &[i32], answered_today: &BTreeSet<i32>) -> Option<i32> {
    eligible.iter().copied().find(|q| !answered_today.contains(q))
}

#[cfg(test)]
mod tests;
