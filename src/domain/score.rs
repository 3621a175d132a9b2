//! Hundredths: every score, share and point value is an integer number of
//! hundredths (DESIGN §4: exact, never floating point). `Score` is a 0–100
//! mark; `Points` a question's or an exam's points; `Share` a percentage.
//! Rounding is half up, and only for display or at the one place a rule says so.

use std::cmp::Ordering;
use std::fmt;

/// Hundredths in one whole point (or one percent).
pub const HUNDRED: i64 = 100;
/// Full marks, 100.00, in hundredths.
pub const FULL_MARKS: i64 = 10_000;

/// `num / den` rounded half up, for non-negative `num` and positive `den`.
/// The one copy of the rounding every rule uses.
pub fn div_half_up(num: i64, den: i64) -> i64 {
    (2 * num + den) / (2 * den)
}

/// `num / den` rounded half away from zero (signed gaps).
pub fn div_half_away(num: i64, den: i64) -> i64 {
    if num >= 0 {
        div_half_up(num, den)
    } else {
        -div_half_up(-num, den)
    }
}

/// A 0–100 mark in hundredths (8750 = 87.50 points).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Score(pub i64);

impl Score {
    pub const FULL: Score = Score(FULL_MARKS);
    pub const ZERO: Score = Score(0);

    /// Rule 1: earned / possible × 100, in hundredths, rounded half up; None
    /// when nothing was possible.
    pub fn of(earned: i64, possible: i64) -> Option<Score> {
        (possible > 0).then(|| Score(div_half_up(earned.max(0) * FULL_MARKS, possible)))
    }

    pub fn hundredths(self) -> i64 {
        self.0
    }

    /// A mark as typed: 0–100 with at most two decimals (`85`, `85.5`, `85.50`,
    /// full-width digits too).
    pub fn parse(text: &str) -> Option<Score> {
        parse_hundredths(text).filter(|h| (0..=FULL_MARKS).contains(h)).map(Score)
    }

    /// `87.50`.
    pub fn text(self) -> String {
        two_decimals(self.0)
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&two_decimals(self.0))
    }
}

/// The exact mean of some marks, kept as (sum, n) and never divided, so
/// comparisons stay exact: `score < mean ⇔ score × n < sum` (rules 2 and 3).
/// Stored in month-close snapshots as `{"sum":…,"n":…}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Mean {
    pub sum: i64,
    pub n: i64,
}

impl Mean {
    /// None when there is nothing to average.
    pub fn of(values: impl IntoIterator<Item = i64>) -> Option<Mean> {
        let (sum, n) = values.into_iter().fold((0i64, 0i64), |(s, n), x| (s + x, n + 1));
        (n > 0).then_some(Mean { sum, n })
    }

    /// How `value` compares with the mean, exactly.
    pub fn compare(&self, value: i64) -> Ordering {
        (value * self.n).cmp(&self.sum)
    }

    /// Strictly below the mean; a tie is not below.
    pub fn is_below(&self, value: i64) -> bool {
        self.compare(value) == Ordering::Less
    }

    /// The mean in hundredths, rounded half up — for display only.
    pub fn hundredths(&self) -> i64 {
        div_half_away(self.sum, self.n)
    }

    /// value − mean, rounded half away from zero — for display only.
    pub fn gap(&self, value: i64) -> i64 {
        div_half_away(value * self.n - self.sum, self.n)
    }
}

/// Hundredths with exactly two decimals: 7433 → "74.33", -5 → "-0.05".
pub fn two_decimals(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let a = hundredths.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// Hundredths with as few decimals as needed: 200 → "2", 150 → "1.5", 25 → "0.25".
pub fn short_decimals(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let a = hundredths.unsigned_abs();
    match a % 100 {
        0 => format!("{sign}{}", a / 100),
        f if f % 10 == 0 => format!("{sign}{}.{}", a / 100, f / 10),
        f => format!("{sign}{}.{f:02}", a / 100),
    }
}

/// A difference in hundredths with its sign: 150 → "+1.50", -225 → "-2.25", 0 → "0.00".
pub fn signed(hundredths: i64) -> String {
    if hundredths > 0 {
        format!("+{}", two_decimals(hundredths))
    } else {
        two_decimals(hundredths)
    }
}

/// Hundredths of a percent: 8750 → "87.50%"; None → "—".
pub fn percent_text(share: Option<i64>) -> String {
    share.map_or_else(|| "—".to_string(), |s| format!("{}%", two_decimals(s)))
}

/// `num / den` as hundredths of a percent, rounded half up; None when `den` is 0.
pub fn share(num: i64, den: i64) -> Option<i64> {
    (den > 0).then(|| div_half_up(num * FULL_MARKS, den))
}

/// A non-negative decimal with at most two decimals, in hundredths: `2`,
/// `1.5`, `0.25`, `85.50`; full-width digits and point are read, a trailing
/// 分 is allowed. None for anything else (signs, three decimals, blanks).
pub fn parse_hundredths(text: &str) -> Option<i64> {
    let t: String = text
        .trim()
        .trim_end_matches('分')
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            c => c,
        })
        .collect();
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || whole.len() > 12 || !digits(whole) || frac.len() > 2 || !digits(frac) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
    whole.checked_mul(100)?.checked_add(frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exam_score_is_earned_over_possible_rounded_half_up() {
        // (earned, possible, hundredths) — worked by hand.
        let cases = [
            (0, 10_000, Some(0)),
            (10_000, 10_000, Some(10_000)),
            (200, 300, Some(6667)), // 66.666… → 66.67
            (100, 300, Some(3333)), // 33.333… → 33.33
            (1, 8, Some(1250)),
            (1, 16, Some(625)), // 6.25 exactly
            (1, 1600, Some(6)), // 0.0625 → 0.06
            (1, 800, Some(13)), // 0.125 → 0.13 (half up)
            (5, 0, None),
        ];
        for (earned, possible, want) in cases {
            assert_eq!(Score::of(earned, possible).map(Score::hundredths), want, "{earned}/{possible}");
        }
    }

    #[test]
    fn mean_compares_exactly() {
        // 70, 80, 81 → sum 231 over 3 = 77.00 exactly
        let m = Mean::of([7000, 8000, 8100]).unwrap();
        assert!(m.is_below(7699));
        assert!(!m.is_below(7700));
        assert_eq!(m.hundredths(), 7700);
        // 7000 and 7001: mean 70.005, rounded 70.01 for display, 7000 is below, 7001 is not.
        let m = Mean::of([7000, 7001]).unwrap();
        assert!(m.is_below(7000) && !m.is_below(7001));
        assert_eq!(m.hundredths(), 7001);
        assert_eq!(m.gap(7000), -1); // −0.005 → −0.01
        assert_eq!(m.gap(7001), 1);
        assert_eq!(Mean::of(std::iter::empty()), None);
    }

    #[test]
    fn formats_and_parses_hundredths() {
        assert_eq!(two_decimals(7433), "74.33");
        assert_eq!(two_decimals(-5), "-0.05");
        assert_eq!(two_decimals(0), "0.00");
        assert_eq!(short_decimals(200), "2");
        assert_eq!(short_decimals(150), "1.5");
        assert_eq!(short_decimals(25), "0.25");
        assert_eq!(percent_text(Some(8750)), "87.50%");
        assert_eq!(percent_text(None), "—");
        assert_eq!(share(1, 3), Some(3333));
        assert_eq!(share(2, 3), Some(6667));
        assert_eq!(share(1, 0), None);
        let parse = [
            ("2", Some(200)),
            ("1.5", Some(150)),
            ("0.25", Some(25)),
            ("85.50", Some(8550)),
            ("８５．５", Some(8550)),
            ("3分", Some(300)),
            ("1.255", None),
            ("-1", None),
            ("", None),
            (".5", None),
            ("1e3", None),
            ("99999999999999", None),
        ];
        for (text, want) in parse {
            assert_eq!(parse_hundredths(text), want, "{text:?}");
        }
        assert_eq!(Score::parse("100"), Some(Score::FULL));
        assert_eq!(Score::parse("100.01"), None);
        assert_eq!(Score(8750).to_string(), "87.50");
    }
}
