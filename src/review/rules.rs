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
mod tests {
    use super::*;

    fn county(id: i32, score: Option<i64>) -> Sitter {
        Sitter { user_id: id, hall_id: Some(100), area_id: Some(10), county: true, score }
    }

    fn city(id: i32, score: Option<i64>) -> Sitter {
        Sitter { user_id: id, hall_id: Some(200), area_id: Some(20), county: false, score }
    }

    fn flagged(o: &Outcome) -> Vec<(i32, Reason)> {
        o.flags.iter().map(|f| (f.user_id, f.reason)).collect()
    }

    #[test]
    fn below_is_strict_and_exact() {
        // Mean of 80, 70, 75 = 75: the 75 tie is not below.
        let o = close_month(&[city(1, Some(8000)), county(2, Some(7000)), county(3, Some(7500))], true);
        assert_eq!(o.city, Some(Average { sum: 22_500, n: 3 }));
        assert_eq!(flagged(&o), vec![(2, Reason::Below)]);
    }

    #[test]
    fn fractional_averages_compare_without_rounding() {
        // Mean of 70.00, 70.00, 70.01 = 70.003333…: 70.00 is below, 70.01 is not;
        // shown as 70.00 the average would wrongly make 70.00 a tie.
        let o = close_month(&[county(1, Some(7000)), county(2, Some(7000)), county(3, Some(7001))], true);
        let avg = o.city.unwrap();
        assert_eq!(avg.hundredths(), 7000);
        assert_eq!(flagged(&o), vec![(1, Reason::Below), (2, Reason::Below)]);
        assert_eq!(avg.gap(7000), 0, "the gap shows as 0.00 though it is −0.0033…");
        // Mean 200/3 hundredths = 0.6666…: shown rounded half up as 0.67.
        assert_eq!(Average { sum: 200, n: 3 }.hundredths(), 67);
        assert_eq!(Average { sum: 100, n: 8 }.hundredths(), 13, "12.5 hundredths round half up");
    }

    #[test]
    fn table_of_whole_months() {
        // (case, sitters, flag absent, expected flags)
        type Case = (&'static str, Vec<Sitter>, bool, Vec<(i32, Reason)>);
        let cases: Vec<Case> = vec![
            (
                "all equal: nobody below",
                vec![county(1, Some(6000)), county(2, Some(6000)), city(3, Some(6000))],
                true,
                vec![],
            ),
            ("one participant is the average", vec![county(1, Some(4000))], true, vec![]),
            (
                "no county clerks: nobody flagged",
                vec![city(1, Some(9000)), city(2, Some(1000))],
                true,
                vec![],
            ),
            (
                "absent county clerks flagged, absent city clerks not",
                vec![county(1, None), city(2, None), city(3, Some(8000))],
                true,
                vec![(1, Reason::Absent)],
            ),
            ("the absent setting off", vec![county(1, None), city(3, Some(8000))], false, vec![]),
            (
                "everyone absent: no average, absences still flag",
                vec![county(1, None), county(2, None), city(3, None)],
                true,
                vec![(1, Reason::Absent), (2, Reason::Absent)],
            ),
            (
                "city clerks below the average are not flagged",
                vec![city(1, Some(1000)), county(2, Some(9000)), county(3, Some(4000))],
                true,
                vec![(3, Reason::Below)],
            ),
        ];
        for (name, sitters, absent, want) in cases {
            assert_eq!(flagged(&close_month(&sitters, absent)), want, "{name}");
        }
        assert_eq!(close_month(&[county(1, None)], true).city, None);
    }

    #[test]
    fn the_hall_at_the_attempt_decides() {
        // Moved from a county hall to the city after sitting: the sitter carries
        // the hall of the attempt, so the county rule applies.
        let moved =
            Sitter { user_id: 1, hall_id: Some(100), area_id: Some(10), county: true, score: Some(5000) };
        let o = close_month(&[moved, city(2, Some(9000))], true);
        assert_eq!(flagged(&o), vec![(1, Reason::Below)]);
    }

    #[test]
    fn large_cities_stay_exact() {
        // 40,000 clerks at 99.99 and one at 99.98: the mean is just under 99.99.
        let mut sitters: Vec<Sitter> = (0..40_000).map(|i| county(i, Some(9999))).collect();
        sitters.push(county(40_000, Some(9998)));
        let o = close_month(&sitters, true);
        assert_eq!(o.city.unwrap().n, 40_001);
        assert_eq!(flagged(&o), vec![(40_000, Reason::Below)]);
    }

    #[test]
    fn group_averages_and_streaks() {
        let sitters = [county(1, Some(6000)), county(2, None), city(3, Some(9000))];
        assert_eq!(group_average(&sitters, |s| s.county), Some(Average { sum: 6000, n: 1 }));
        assert_eq!(group_average(&sitters, |s| s.hall_id == Some(999)), None);
        assert_eq!(consecutive(&[true, false, true, true]), 2);
        assert_eq!(consecutive(&[true, true, false]), 0);
        assert_eq!(consecutive(&[]), 0);
    }

    #[test]
    fn what_changed_after_a_reopen() {
        let side = |id: i32, score: Option<i64>, listed: bool| Side {
            user_id: id,
            label: format!("1000{id}"),
            score,
            listed,
        };
        let avg = |sum, n| Some(Average { sum, n });
        // Nothing changed: nothing to show.
        let same = [side(1, Some(7000), true), side(2, Some(9000), false)];
        assert!(diff(avg(16000, 2), &same, avg(16000, 2), &same).is_empty());
        // A regraded paper moves the average; one clerk leaves the list, an absentee's late score appears.
        let before = [side(1, Some(7000), true), side(2, Some(9000), false), side(3, None, true)];
        let after = [
            side(1, Some(8000), false),
            side(2, Some(9000), false),
            side(3, Some(6000), true),
            side(4, Some(9500), false),
        ];
        let d = diff(avg(16000, 2), &before, avg(32500, 4), &after);
        let lines: Vec<(String, String)> = d.into_iter().map(|c| (c.who, c.what)).collect();
        assert_eq!(
            lines,
            vec![
                ("全市平均分".to_string(), "80.00（2 人） → 81.25（4 人）".to_string()),
                ("10001".to_string(), "分数 70.00 → 80.00；移出名单".to_string()),
                ("10003".to_string(), "分数 缺考 → 60.00".to_string()),
                ("10004".to_string(), "新增成绩 95.00".to_string()),
            ]
        );
        // Someone no longer among the candidates (e.g. an attempt removed), who was listed.
        let d = diff(avg(7000, 1), &[side(1, Some(7000), true)], None, &[]);
        assert_eq!(d[1].what, "不再计入（原 70.00）；移出名单");
    }

    #[test]
    fn display_with_two_decimals() {
        assert_eq!(two_decimals(7433), "74.33");
        assert_eq!(two_decimals(7000), "70.00");
        assert_eq!(two_decimals(5), "0.05");
        assert_eq!(two_decimals(-5), "-0.05");
        assert_eq!(Average { sum: 15_000, n: 2 }.gap(7000), -500);
        assert_eq!(Average { sum: 2, n: 3 }.gap(0), -1, "−0.666… hundredths shows as −0.01");
    }
}
