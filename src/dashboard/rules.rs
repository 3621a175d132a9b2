//! The rules of the weak-spot views: the facility of a set of answers (share
//! of the points earned), its colour class on the heat map, the k weakest
//! parts of anything scored, and when a hall's drills of a business type
//! miss. Pure, integers only (hundredths of a percent), with tables of cases.

use std::cmp::Ordering;

use serde::Serialize;

use crate::domain::score::share;
use crate::review::rules::two_decimals;
use crate::training::drills::rules::DrillStat;

/// A heat-map cell with fewer answers than this is greyed as 样本少.
pub const MIN_ANSWERS: i64 = 5;

/// Drills of a type whose share of error-free runs is below this miss
/// (hundredths of a percent: 80 %).
pub const ACCURACY_FLOOR: i64 = 8_000;

/// The lower bounds of classes 1 to 4 (hundredths of a percent); class 0 is
/// everything below the first. Five classes: <60 %, 60–70 %, 70–80 %,
/// 80–90 %, ≥90 %.
pub const CLASS_BOUNDS: [i64; 4] = [6_000, 7_000, 8_000, 9_000];

/// Points earned of points possible over some answers (hundredths of a point).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub answers: i64,
    pub earned: i64,
    pub possible: i64,
}

impl Tally {
    pub fn add(&mut self, earned: i64, possible: i64) {
        self.answers += 1;
        self.earned += earned;
        self.possible += possible;
    }

    pub fn facility(&self) -> Option<i64> {
        facility(self.earned, self.possible)
    }

    /// Too few answers to read anything into.
    pub fn sparse(&self) -> bool {
        self.answers < MIN_ANSWERS
    }
}

/// Facility: earned ÷ possible in hundredths of a percent, rounded half up;
/// None when nothing was possible.
pub fn facility(earned: i64, possible: i64) -> Option<i64> {
    share(earned, possible)
}

/// The heat-map class (0 = weakest … 4 = strongest) of a facility.
pub fn class_of(facility: i64) -> usize {
    CLASS_BOUNDS.iter().filter(|b| facility >= **b).count()
}

/// Hundredths of a percent with two decimals: 6667 → "66.67%".
pub fn percent_text(hundredths: i64) -> String {
    format!("{}%", two_decimals(hundredths))
}

/// The (up to) `k` weakest of `items` by their (earned, possible), weakest
/// first, compared exactly (a/b < c/d ⇔ a·d < c·b); ties keep the given
/// order. Nothing possible, or full marks, is not weak.
pub fn weakest<T>(items: &[T], k: usize, part: impl Fn(&T) -> (i64, i64)) -> Vec<&T> {
    let mut weak: Vec<(&T, (i64, i64))> =
        items.iter().map(|t| (t, part(t))).filter(|(_, (e, p))| *p > 0 && e < p).collect();
    weak.sort_by(|(_, (ae, ap)), (_, (be, bp))| (ae * bp).cmp(&(be * ap)).then(Ordering::Equal));
    weak.into_iter().take(k).map(|(t, _)| t).collect()
}

/// How a hall's drills of one business type miss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Miss {
    /// The median time is over the type's target.
    pub slow: bool,
    /// Fewer than [`ACCURACY_FLOOR`] of the drills were error-free.
    pub inaccurate: bool,
}

/// Whether drills with these metrics miss; None when they do not (or there
/// were none).
pub fn drill_miss(stat: &DrillStat) -> Option<Miss> {
    let slow = stat.meets_target == Some(false);
    let inaccurate = stat.accuracy.is_some_and(|a| a < ACCURACY_FLOOR);
    (slow || inaccurate).then_some(Miss { slow, inaccurate })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facility_is_the_share_of_points_rounded_half_up() {
        // (earned, possible, facility)
        let cases = [
            (0, 0, None),
            (0, 300, Some(0)),
            (300, 300, Some(10_000)),
            (200, 300, Some(6_667)),
            (100, 300, Some(3_333)),
            (1, 8, Some(1_250)),
            // 1/16 = 6.25 % exactly; 1/32 = 3.125 % → 3.13 %.
            (1, 16, Some(625)),
            (1, 32, Some(313)),
            (2_550, 3_000, Some(8_500)),
        ];
        for (e, p, want) in cases {
            assert_eq!(facility(e, p), want, "{e}/{p}");
        }
        let mut t = Tally::default();
        for (e, p) in [(300, 300), (0, 300), (200, 200), (0, 200)] {
            t.add(e, p);
        }
        assert_eq!((t.answers, t.facility()), (4, Some(5_000)));
        assert!(t.sparse(), "4 answers are too few");
        t.add(100, 100);
        assert!(!t.sparse(), "5 are enough");
    }

    #[test]
    fn five_classes_with_their_lower_bounds_inclusive() {
        let cases = [
            (0, 0),
            (5_999, 0),
            (6_000, 1),
            (6_999, 1),
            (7_000, 2),
            (8_000, 3),
            (8_999, 3),
            (9_000, 4),
            (10_000, 4),
        ];
        for (f, want) in cases {
            assert_eq!(class_of(f), want, "{f}");
        }
        assert_eq!(percent_text(6_667), "66.67%");
        assert_eq!(percent_text(10_000), "100.00%");
        assert_eq!(percent_text(5), "0.05%");
    }

    #[test]
    fn the_k_weakest_are_compared_exactly() {
        // (name, earned, possible)
        let items = [
            ("接听及时", 1_000, 1_000),
            ("规范用语", 1_800, 4_000),
            ("业务准确", 3_000, 4_000),
            ("服务态度", 900, 2_000),
            ("问题解决", 0, 0),
            ("礼貌结束", 1, 3),
        ];
        let names = |k: usize, items: &[(&'static str, i64, i64)]| -> Vec<&'static str> {
            weakest(items, k, |i| (i.1, i.2)).into_iter().map(|i| i.0).collect()
        };
        // 1/3 = 33.3 % < 45 % (both 规范用语 and 服务态度) < 75 %.
        let cases: [(usize, Vec<&str>); 4] = [
            (0, vec![]),
            (1, vec!["礼貌结束"]),
            (3, vec!["礼貌结束", "规范用语", "服务态度"]),
            (9, vec!["礼貌结束", "规范用语", "服务态度", "业务准确"]),
        ];
        for (k, want) in cases {
            assert_eq!(names(k, &items), want, "k = {k}");
        }
        // Full marks everywhere: nothing is weak.
        assert!(names(2, &[("甲", 5, 5), ("乙", 0, 0)]).is_empty());
    }

    #[test]
    fn drills_miss_when_slow_or_inaccurate() {
        let stat = |meets: Option<bool>, accuracy: Option<i64>| DrillStat {
            count: 4,
            error_free: 0,
            median_seconds: Some(100),
            accuracy,
            target_seconds: 120,
            meets_target: meets,
        };
        let miss = |slow, inaccurate| Some(Miss { slow, inaccurate });
        let cases = [
            (stat(Some(true), Some(10_000)), None),
            (stat(Some(true), Some(8_000)), None),
            (stat(Some(true), Some(7_999)), miss(false, true)),
            (stat(Some(false), Some(9_000)), miss(true, false)),
            (stat(Some(false), Some(5_000)), miss(true, true)),
            (stat(None, None), None),
        ];
        for (s, want) in cases {
            assert_eq!(drill_miss(&s), want, "{s:?}");
        }
    }
}
