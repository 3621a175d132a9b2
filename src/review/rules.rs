//! Month close rules (DESIGN §4 rules 2–4) as pure functions over plain data.
//! Scores are hundredths of a point; averages are kept as (sum, n) and never
//! divided, so "below the average" is the exact comparison `score × n < sum`.

use serde::{Deserialize, Serialize};

/// One clerk of the month's monthly exam, with the hall recorded when the
/// attempt started (or today's hall for someone who never started).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sitter {
    pub user_id: i32,
    pub hall_id: Option<i32>,
    pub area_id: Option<i32>,
    /// The hall lies under a county branch (县分公司), not the city district.
    pub county: bool,
    /// Hundredths; None = absent (缺考: never submitted).
    pub score: Option<i64>,
}

/// The city average: an exact mean (`score × n < sum`, never divided).
pub use crate::domain::Mean as Average;

/// `num / den` as a percentage with one decimal, rounded half up: (1, 8) →
/// "12.5%"; None when `den` is 0.
pub fn percent(num: usize, den: usize) -> Option<String> {
    (den > 0).then(|| {
        let tenths = (2 * num as u64 * 1000 + den as u64) / (2 * den as u64);
        format!("{}.{}%", tenths / 10, tenths % 10)
    })
}

pub use crate::domain::score::two_decimals;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Submitted, score strictly below the city average.
    Below,
    /// Did not submit (缺考).
    Absent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    pub user_id: i32,
    pub reason: Reason,
    pub score: Option<i64>,
}

/// The month's outcome: the city average and who is flagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub city: Option<Average>,
    pub flags: Vec<Flag>,
}

/// Rule 2 and 3: the city average over every submitted score city-wide;
/// county clerks strictly below it are flagged, and absent county clerks too
/// when `flag_absent` (the default). City-district clerks are never flagged.
/// With no submitted score at all there is no average, and only absences flag.
pub fn close_month(sitters: &[Sitter], flag_absent: bool) -> Outcome {
    let city = Average::of(sitters.iter().filter_map(|s| s.score));
    let flags = sitters
        .iter()
        .filter(|s| s.county)
        .filter_map(|s| match (s.score, &city) {
            (Some(score), Some(avg)) if avg.is_below(score) => {
                Some(Flag { user_id: s.user_id, reason: Reason::Below, score: Some(score) })
            }
            (None, _) if flag_absent => {
                Some(Flag { user_id: s.user_id, reason: Reason::Absent, score: None })
            }
            _ => None,
        })
        .collect();
    Outcome { city, flags }
}

/// Why one clerk is, or is not, on the month's list (the same rule as
/// [`close_month`], with absences flagged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A city-district clerk: the rule does not apply.
    CityDistrict,
    /// A county clerk who did not submit: listed as 缺考.
    Absent,
    /// `score × n < sum`: listed.
    Below,
    /// `score × n = sum`: equal to the average, not listed.
    Tie,
    /// `score × n > sum`: not listed.
    Above,
}

impl Verdict {
    pub fn listed(self) -> bool {
        matches!(self, Verdict::Absent | Verdict::Below)
    }
}

pub fn verdict(sitter: &Sitter, city: Option<Average>) -> Verdict {
    if !sitter.county {
        return Verdict::CityDistrict;
    }
    match (sitter.score, city) {
        (None, _) => Verdict::Absent,
        // A submitted score makes an average; kept total for safety.
        (Some(_), None) => Verdict::Above,
        (Some(score), Some(avg)) => match (score * avg.n).cmp(&avg.sum) {
            std::cmp::Ordering::Less => Verdict::Below,
            std::cmp::Ordering::Equal => Verdict::Tie,
            std::cmp::Ordering::Greater => Verdict::Above,
        },
    }
}

/// The average of a group (a county, a hall): the submitted scores whose
/// sitter `in_group` says belongs.
pub fn group_average(sitters: &[Sitter], in_group: impl Fn(&Sitter) -> bool) -> Option<Average> {
    Average::of(sitters.iter().filter(|s| in_group(s)).filter_map(|s| s.score))
}

/// Consecutive months flagged, ending with the latest: `history` is oldest
/// first, one entry per closed month (true = flagged).
pub fn consecutive(history: &[bool]) -> usize {
    history.iter().rev().take_while(|f| **f).count()
}

#[cfg(test)]
mod percent_tests {
    use super::percent;

    #[test]
    fn percentages_round_half_up_to_one_decimal() {
        let cases = [
            ((1, 8), Some("12.5%")),
            ((1, 3), Some("33.3%")),
            ((2, 3), Some("66.7%")),
            ((1, 16), Some("6.3%")), // 6.25 → 6.3
            ((0, 5), Some("0.0%")),
            ((5, 5), Some("100.0%")),
            ((1, 0), None),
        ];
        for ((num, den), want) in cases {
            assert_eq!(percent(num, den).as_deref(), want, "{num}/{den}");
        }
    }
}

#[cfg(test)]
mod verdict_tests {
    use super::*;

    fn s(county: bool, score: Option<i64>) -> Sitter {
        Sitter { user_id: 1, hall_id: Some(1), area_id: Some(1), county, score }
    }

    #[test]
    fn verdicts_agree_with_the_list() {
        // Scores 70.00, 80.00, 80.00: the mean 76.666… shows as 76.67.
        let avg = Some(Average { sum: 23000, n: 3 });
        let cases = [
            (s(true, Some(7667)), Verdict::Above), // shows equal to 76.67, is above 76.666…
            (s(true, Some(7666)), Verdict::Below),
            (s(true, None), Verdict::Absent),
            (s(false, Some(1000)), Verdict::CityDistrict),
            (s(false, None), Verdict::CityDistrict),
        ];
        let tie = Some(Average { sum: 23001, n: 3 }); // mean exactly 76.67
        assert_eq!(verdict(&s(true, Some(7667)), tie), Verdict::Tie);
        for (sitter, want) in cases {
            assert_eq!(verdict(&sitter, avg), want, "{sitter:?}");
        }
        // Every listed verdict is a flag of close_month, and the other way round.
        let sitters = vec![
            Sitter { user_id: 1, ..s(true, Some(7000)) },
            Sitter { user_id: 2, ..s(true, Some(8000)) },
            Sitter { user_id: 3, ..s(false, Some(8001)) },
            Sitter { user_id: 4, ..s(true, None) },
            Sitter { user_id: 5, ..s(false, None) },
        ];
        let outcome = close_month(&sitters, true);
        for sitter in &sitters {
            let flagged = outcome.flags.iter().any(|f| f.user_id == sitter.user_id);
            assert_eq!(verdict(sitter, outcome.city).listed(), flagged, "{sitter:?}");
        }
    }
}

/// One clerk on one side of a comparison (a snapshot, or the list now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub user_id: i32,
    /// 工号 and name, as the change is shown.
    pub label: String,
    /// Hundredths; None = absent.
    pub score: Option<i64>,
    pub listed: bool,
}

/// One difference between a month's snapshot and its list recomputed after
/// re-opening, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub who: String,
    pub what: String,
}

/// What changed from `before` to `after`: the city average, then every clerk
/// whose score or listing changed, or who appears on one side only (by label).
pub fn diff(
    before_city: Option<Average>,
    before: &[Side],
    after_city: Option<Average>,
    after: &[Side],
) -> Vec<Change> {
    use crate::web::msg;
    let show = |a: Option<Average>| {
        a.map_or_else(|| "—".to_string(), |a| format!("{}（{} 人）", two_decimals(a.hundredths()), a.n))
    };
    let score = |s: Option<i64>| s.map_or_else(|| msg::REVIEW_ABSENT.to_string(), two_decimals);
    let mut out = Vec::new();
    if before_city != after_city {
        out.push(Change {
            who: msg::REVIEW_CITY_AVERAGE.into(),
            what: format!("{} → {}", show(before_city), show(after_city)),
        });
    }
    let mut people: Vec<Change> = Vec::new();
    for b in before {
        let a = after.iter().find(|a| a.user_id == b.user_id);
        let mut parts = Vec::new();
        match a {
            Some(a) if a.score != b.score => {
                parts.push(msg::review_change_score(&score(b.score), &score(a.score)))
            }
            Some(_) => {}
            None => parts.push(msg::review_change_gone(&score(b.score))),
        }
        let listed_after = a.is_some_and(|a| a.listed);
        if b.listed != listed_after {
            parts.push(
                if listed_after { msg::REVIEW_CHANGE_LISTED } else { msg::REVIEW_CHANGE_UNLISTED }
                    .to_string(),
            );
        }
        if !parts.is_empty() {
            people.push(Change { who: b.label.clone(), what: parts.join("；") });
        }
    }
    for a in after.iter().filter(|a| !before.iter().any(|b| b.user_id == a.user_id)) {
        let mut parts = vec![msg::review_change_new(&score(a.score))];
        if a.listed {
            parts.push(msg::REVIEW_CHANGE_LISTED.to_string());
        }
        people.push(Change { who: a.label.clone(), what: parts.join("；") });
    }
    people.sort_by(|x, y| x.who.cmp(&y.who));
    out.extend(people);
    out
}

#[cfg(test)]
mod tests;
