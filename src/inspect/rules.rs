//! The inspection standard and how an inspection is scored, as pure
//! functions: 零容忍, 不适用, the queue thresholds, daily-check compliance,
//! escalation of an overdue 纠错单. The spot-check proposal and the
//! cross-inspection assignment are in [`assign`].

pub mod assign;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::score::{div_half_up, FULL_MARKS};

/// What a failed 零容忍 item zeroes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ZeroTolerance {
    /// An ordinary item: a fail loses its own points.
    #[default]
    None,
    /// A fail zeroes the item's section.
    Section,
    /// A fail zeroes the whole inspection.
    All,
}

/// One item of the standard. Points in hundredths; `queue` marks the item
/// scored from the measured waiting time instead of pass/fail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub code: String,
    pub section: String,
    pub name: String,
    /// How to check it (shown under the item on the form).
    #[serde(default)]
    pub how: String,
    pub points: i64,
    #[serde(default)]
    pub zero: ZeroTolerance,
    /// A fail needs a photo before the inspection can be submitted.
    #[serde(default)]
    pub photo_on_fail: bool,
    #[serde(default)]
    pub queue: bool,
}

/// Waiting-time bands: waiting up to `minutes` earns `percent` of the queue
/// item's points; longer than the last band earns nothing. Sorted ascending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub minutes: i64,
    pub percent: i64,
}

/// A version of the standard: its items (points summing to 100) and queue bands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standard {
    pub items: Vec<Item>,
    pub bands: Vec<Band>,
}

/// Why a standard cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StandardError {
    Empty,
    /// Points sum (hundredths) other than 100.
    Sum(i64),
    BadItem(String),
    DuplicateCode(String),
    /// More or fewer than one queue item.
    QueueItems(usize),
    /// Bands not strictly ascending in minutes, or a percent outside 0..=100.
    Bands,
}

impl Standard {
    /// Checks a standard before it is saved as a version.
    pub fn validate(&self) -> Result<(), StandardError> {
        if self.items.is_empty() {
            return Err(StandardError::Empty);
        }
        let mut codes = BTreeSet::new();
        for item in &self.items {
            let bad = item.code.trim().is_empty()
                || item.name.trim().is_empty()
                || item.section.trim().is_empty()
                || item.points < 0
                || (item.queue && item.zero != ZeroTolerance::None);
            if bad {
                return Err(StandardError::BadItem(item.name.clone()));
            }
            if !codes.insert(item.code.as_str()) {
                return Err(StandardError::DuplicateCode(item.code.clone()));
            }
        }
        let sum: i64 = self.items.iter().map(|i| i.points).sum();
        if sum != FULL_MARKS {
            return Err(StandardError::Sum(sum));
        }
        let queues = self.items.iter().filter(|i| i.queue).count();
        if queues != 1 {
            return Err(StandardError::QueueItems(queues));
        }
        let ascending = self.bands.windows(2).all(|w| w[0].minutes < w[1].minutes);
        let in_range = self.bands.iter().all(|b| (0..=100).contains(&b.percent) && b.minutes >= 0);
        if self.bands.is_empty() || !ascending || !in_range {
            return Err(StandardError::Bands);
        }
        Ok(())
    }

    /// The sections in the order their first item appears.
    pub fn sections(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for item in &self.items {
            if !out.contains(&item.section) {
                out.push(item.section.clone());
            }
        }
        out
    }

    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.code == code)
    }
}

/// An inspector's verdict on one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    /// 不适用: the item does not apply to this hall (no self-service area…);
    /// it leaves the scale, the rest is scaled to 100.
    Na,
}

impl Outcome {
    pub fn parse(text: &str) -> Option<Outcome> {
        match text {
            "pass" => Some(Outcome::Pass),
            "fail" => Some(Outcome::Fail),
            "na" => Some(Outcome::Na),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Na => "na",
        }
    }
}

/// The measured queue: the longest wait in minutes and how many were waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub minutes: i64,
    pub waiting: i64,
}

/// The share (percent) of the queue item's points a wait earns.
pub fn queue_percent(bands: &[Band], minutes: i64) -> i64 {
    bands.iter().find(|b| minutes <= b.minutes).map_or(0, |b| b.percent)
}

/// An inspection's score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scored {
    /// Out of 100, in hundredths.
    pub total: i64,
    /// Failed 零容忍 items (each counted once).
    pub zero_hits: Vec<String>,
    /// Failed items (including 零容忍 ones and a queue item that earned nothing).
    pub failed: Vec<String>,
    /// Per section: earned and possible hundredths of the standard's points.
    pub sections: Vec<(String, i64, i64)>,
}

/// What is still missing before an inspection can be submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// Items with no verdict yet.
    Unanswered(Vec<String>),
    /// Failed items that require a photo and have none.
    Photos(Vec<String>),
    /// The queue item is not N/A but nothing was measured.
    Queue,
}

/// Whether an inspection is complete: every non-queue item answered, a photo
/// for each failed item that requires one, and the queue measured unless its
/// item is N/A.
pub fn missing(
    standard: &Standard,
    outcomes: &BTreeMap<String, Outcome>,
    queue: Option<Queue>,
    photos: &BTreeSet<String>,
) -> Option<Missing> {
    let unanswered: Vec<String> = standard
        .items
        .iter()
        .filter(|i| !i.queue && !outcomes.contains_key(&i.code))
        .map(|i| i.code.clone())
        .collect();
    if !unanswered.is_empty() {
        return Some(Missing::Unanswered(unanswered));
    }
    let no_photo: Vec<String> = standard
        .items
        .iter()
        .filter(|i| {
            i.photo_on_fail && outcomes.get(&i.code) == Some(&Outcome::Fail) && !photos.contains(&i.code)
        })
        .map(|i| i.code.clone())
        .collect();
    if !no_photo.is_empty() {
        return Some(Missing::Photos(no_photo));
    }
    let queue_na = standard.items.iter().any(|i| i.queue && outcomes.get(&i.code) == Some(&Outcome::Na));
    if queue.is_none() && !queue_na {
        return Some(Missing::Queue);
    }
    None
}

/// Scores an inspection. Each applicable item earns its points on a pass and
/// none on a fail; the queue item earns its band's share of its points; N/A
/// items leave the scale, so the total is earned / applicable × 100 (half
/// up). A failed 零容忍 item zeroes its section (`Section`) or everything
/// (`All`). An item with no verdict counts as failed (a submitted inspection
/// has none; see [`missing`]).
pub fn score(standard: &Standard, outcomes: &BTreeMap<String, Outcome>, queue: Option<Queue>) -> Scored {
    let mut zero_hits = Vec::new();
    let mut failed = Vec::new();
    let mut zero_sections = BTreeSet::new();
    let mut zero_all = false;
    let mut earned_by: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for item in &standard.items {
        let outcome = outcomes.get(&item.code).copied();
        if outcome == Some(Outcome::Na) {
            earned_by.entry(item.section.as_str()).or_default();
            continue;
        }
        let earned = if item.queue {
            let percent = queue.map_or(0, |q| queue_percent(&standard.bands, q.minutes));
            if percent == 0 {
                failed.push(item.code.clone());
            }
            div_half_up(item.points * percent, 100)
        } else if outcome == Some(Outcome::Pass) {
            item.points
        } else {
            failed.push(item.code.clone());
            match item.zero {
                ZeroTolerance::None => {}
                ZeroTolerance::Section => {
                    zero_hits.push(item.code.clone());
                    zero_sections.insert(item.section.as_str());
                }
                ZeroTolerance::All => {
                    zero_hits.push(item.code.clone());
                    zero_all = true;
                }
            }
            0
        };
        let entry = earned_by.entry(item.section.as_str()).or_default();
        entry.0 += earned;
        entry.1 += item.points;
    }
    let sections: Vec<(String, i64, i64)> = standard
        .sections()
        .into_iter()
        .map(|s| {
            let (earned, possible) = earned_by.get(s.as_str()).copied().unwrap_or_default();
            let earned = if zero_all || zero_sections.contains(s.as_str()) { 0 } else { earned };
            (s, earned, possible)
        })
        .collect();
    let earned: i64 = sections.iter().map(|s| s.1).sum();
    let possible: i64 = sections.iter().map(|s| s.2).sum();
    let total = if possible == 0 { 0 } else { div_half_up(earned * FULL_MARKS, possible) };
    Scored { total, zero_hits, failed, sections }
}

/// Daily-check compliance of one hall over the days of a month up to
/// `through` (today, or the month's last day): the days with fewer than
/// `required` submitted daily checks, each with its count.
pub fn missed_days(
    checks_by_day: &BTreeMap<NaiveDate, i64>,
    from: NaiveDate,
    through: NaiveDate,
    required: i64,
) -> Vec<(NaiveDate, i64)> {
    from.iter_days()
        .take_while(|d| *d <= through)
        .map(|d| (d, checks_by_day.get(&d).copied().unwrap_or(0)))
        .filter(|(_, n)| *n < required)
        .collect()
}

/// Whether a later inspection that passes an item closes an open defect of
/// that item at the hall. A defect in a 纠错单 closes only with the order
/// (the city accepts the rectification, the hall cannot pass it away); one
/// found by the hall's own daily check closes with any later pass; one
/// found by the city or a cross inspection, before any order, only with a
/// later city or cross pass.
pub fn pass_closes(found_by_daily: bool, in_order: bool, passed_by_daily: bool) -> bool {
    !in_order && (found_by_daily || !passed_by_daily)
}

/// Who must act on an open 纠错单 past its due date: nobody before it is
/// due, the county supervisor from the day after, the city office once it is
/// `city_after_days` days overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    None,
    County,
    City,
}

pub fn escalation(due: NaiveDate, today: NaiveDate, open: bool, city_after_days: i64) -> Escalation {
    let late = (today - due).num_days();
    if !open || late <= 0 {
        Escalation::None
    } else if late > city_after_days {
        Escalation::City
    } else {
        Escalation::County
    }
}
