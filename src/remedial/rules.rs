//! 补学 as pure rules: who must read (exactly the clerks who answered the
//! weak spot's questions wrong) and whether it helped (their facility on the
//! same knowledge point the next month against the city's and their own
//! the month before).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::dashboard::rules::{percent_text, Tally};

/// One marked exam answer as 补学 needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub user_id: i32,
    /// The clerk's hall lies in the chosen county or hall (always, for the city).
    pub in_unit: bool,
    pub kps: Vec<String>,
    pub earned: i64,
    pub possible: i64,
}

impl Answer {
    fn on(&self, kp: &str) -> bool {
        self.kps.iter().any(|k| k == kp)
    }
}

/// The clerks who must read: every one in the unit with at least one wrong
/// or partly right answer on a question of the knowledge point.
pub fn audience(answers: &[Answer], kp: &str) -> BTreeSet<i32> {
    answers.iter().filter(|a| a.in_unit && a.on(kp) && a.earned < a.possible).map(|a| a.user_id).collect()
}

/// The facility (hundredths of a percent) of the answers on `kp` that `keep` selects.
fn facility(answers: &[Answer], kp: &str, keep: impl Fn(&Answer) -> bool) -> (Option<i64>, i64) {
    let mut t = Tally::default();
    for a in answers.iter().filter(|a| a.on(kp) && keep(a)) {
        t.add(a.earned, a.possible);
    }
    (t.facility(), t.answers)
}

/// Did it help: the assigned clerks' facility on the knowledge point in the
/// month after (its exam), the whole city's in that month, and the assigned
/// clerks' own in the month the weak spot was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Effect {
    pub assigned_after: Option<i64>,
    pub city_after: Option<i64>,
    pub assigned_before: Option<i64>,
    /// Answers behind `assigned_after` (none: the next exam has not asked it yet).
    pub answers_after: i64,
}

impl Effect {
    /// The three figures as the pages print them ("—" where there is none).
    pub fn texts(&self) -> [String; 3] {
        let text = |v: Option<i64>| v.map(percent_text).unwrap_or_else(|| "—".into());
        [text(self.assigned_after), text(self.city_after), text(self.assigned_before)]
    }

    /// Change of the assigned clerks from before to after, in hundredths of a percent point.
    pub fn gain(&self) -> Option<i64> {
        Some(self.assigned_after? - self.assigned_before?)
    }
}

pub fn effect(people: &BTreeSet<i32>, kp: &str, before: &[Answer], after: &[Answer]) -> Effect {
    let (assigned_after, answers_after) = facility(after, kp, |a| people.contains(&a.user_id));
    Effect {
        assigned_after,
        city_after: facility(after, kp, |_| true).0,
        assigned_before: facility(before, kp, |a| people.contains(&a.user_id)).0,
        answers_after,
    }
}

/// A rubric item scoring under this share of its points suggests 补学.
pub const PHONE_WEAK_PERCENT: i64 = 60;

/// One scored rubric item of an identified clerk's call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallItem {
    pub call_id: i32,
    pub clerk_id: i32,
    pub item: String,
    /// Hundredths of a point.
    pub mark: i64,
    /// Whole points.
    pub points: i64,
}

/// Under [`PHONE_WEAK_PERCENT`] of the item's points (exact: mark / (points × 100) < 60 %).
pub fn weak_item(mark: i64, points: i64) -> bool {
    mark * 100 < PHONE_WEAK_PERCENT * points * 100
}

/// A suggestion: (call, clerk, item, article).
pub type Suggestion = (i32, i32, String, i32);

/// What phone tests suggest: for each weak item of a call, each article of
/// the call's scenario the clerk has not already been given, once per
/// clerk and article (the first weak call names it). Never assigned by itself.
pub fn phone_suggestions(
    items: &[CallItem],
    articles_of_call: &std::collections::HashMap<i32, Vec<i32>>,
    given: &std::collections::HashSet<(i32, i32)>,
) -> Vec<Suggestion> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for i in items.iter().filter(|i| weak_item(i.mark, i.points)) {
        for article in articles_of_call.get(&i.call_id).into_iter().flatten() {
            if !given.contains(&(i.clerk_id, *article)) && seen.insert((i.clerk_id, *article)) {
                out.push((i.call_id, i.clerk_id, i.item.clone(), *article));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
