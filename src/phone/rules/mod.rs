//! Phone-test rules (DESIGN §4 rule 7) as pure functions: a rubric's items,
//! scoring a call (critical items, N/A rescaling, hundredths), and the
//! calibration agreement between two testers.

use crate::domain::score::div_half_up;
use serde::{Deserialize, Serialize};

pub mod call;

/// One rubric item. `points` are whole points; the items of a rubric sum to 100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Stable short code (the import template's column key), e.g. `answer`.
    pub code: String,
    pub name: String,
    pub points: i64,
    /// 一票否决: a 0 on this item makes the whole call 0.
    #[serde(default)]
    pub critical: bool,
    /// May be marked N/A (not applicable); the other items are rescaled to 100.
    #[serde(default)]
    pub allow_na: bool,
}

/// The default rubric: 接听及时 10, 规范用语 20, 业务准确 40, 服务态度 20, 问题解决 10.
pub fn default_items() -> Vec<Item> {
    let item = |code: &str, name: &str, points, critical, allow_na| Item {
        code: code.into(),
        name: name.into(),
        points,
        critical,
        allow_na,
    };
    vec![
        item("answer", "接听及时", 10, false, false),
        item("phrases", "规范用语", 20, true, false),
        item("accuracy", "业务准确", 40, false, false),
        item("attitude", "服务态度", 20, false, false),
        item("resolution", "问题解决", 10, false, true),
    ]
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RubricError {
    Empty,
    /// The points add up to this instead of 100.
    Sum(i64),
    BadItem(String),
    DuplicateCode(String),
}

/// The longest code or name of a rubric item (the form's `maxlength`).
pub const ITEM_TEXT_MAX: usize = 30;

/// Checks a rubric's items: non-empty, distinct codes, each 1–100 points, summing to 100.
pub fn check_rubric(items: &[Item]) -> Result<(), RubricError> {
    if items.is_empty() {
        return Err(RubricError::Empty);
    }
    for (i, it) in items.iter().enumerate() {
        let code_ok = !it.code.is_empty()
            && it.code.chars().count() <= ITEM_TEXT_MAX
            && it.code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        let name_ok = !it.name.trim().is_empty() && it.name.chars().count() <= ITEM_TEXT_MAX;
        if !code_ok || !name_ok || !(1..=100).contains(&it.points) {
            return Err(RubricError::BadItem(it.name.clone()));
        }
        if items[..i].iter().any(|o| o.code == it.code) {
            return Err(RubricError::DuplicateCode(it.code.clone()));
        }
    }
    let sum: i64 = items.iter().map(|i| i.points).sum();
    if sum != 100 {
        return Err(RubricError::Sum(sum));
    }
    Ok(())
}

/// A tester's mark on one item: a score in hundredths, or N/A.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Score(i64),
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoreError {
    /// No mark for this item.
    Missing(String),
    /// Below 0 or above the item's points.
    OutOfRange(String),
    /// N/A on an item that does not allow it.
    NotApplicableRefused(String),
    /// Every item N/A: nothing to score.
    NothingApplicable,
    /// A mark for an item the rubric does not have.
    Unknown(String),
}

/// A scored call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scored {
    /// Hundredths, 0–10000.
    pub total: i64,
    pub critical_failed: bool,
}

/// Scores a call: the sum of the applicable items' scores rescaled to 100
/// (`sum × 100 / applicable points`, rounded half up to hundredths); 0 when a
/// critical item scored 0.
pub fn score(items: &[Item], marks: &[(String, Mark)]) -> Result<Scored, ScoreError> {
    if let Some((code, _)) = marks.iter().find(|(c, _)| !items.iter().any(|i| &i.code == c)) {
        return Err(ScoreError::Unknown(code.clone()));
    }
    let (mut earned, mut possible, mut critical_failed) = (0i64, 0i64, false);
    for it in items {
        let mark = marks.iter().find(|(c, _)| *c == it.code).map(|(_, m)| *m);
        match mark {
            None => return Err(ScoreError::Missing(it.name.clone())),
            Some(Mark::NotApplicable) if !it.allow_na => {
                return Err(ScoreError::NotApplicableRefused(it.name.clone()))
            }
            Some(Mark::NotApplicable) => {}
            Some(Mark::Score(s)) if !(0..=it.points * 100).contains(&s) => {
                return Err(ScoreError::OutOfRange(it.name.clone()))
            }
            Some(Mark::Score(s)) => {
                earned += s;
                possible += it.points;
                critical_failed |= it.critical && s == 0;
            }
        }
    }
    if possible == 0 {
        return Err(ScoreError::NothingApplicable);
    }
    // `earned` is in hundredths of a point; the total is earned ÷ possible ×
    // 100, in hundredths.
    let total = if critical_failed { 0 } else { div_half_up(earned * 100, possible) };
    Ok(Scored { total, critical_failed })
}

/// Calibration: of the double-scored calls (first total, second total, in
/// hundredths), how many agree — totals within 10 points — and how many there are.
pub fn agreement(pairs: &[(i64, i64)]) -> (usize, usize) {
    let agree = pairs.iter().filter(|(a, b)| (a - b).abs() <= 1_000).count();
    (agree, pairs.len())
}

/// Parses a score typed as "18", "17.5" or "N/A" / "不适用" / "—" (hundredths).
pub fn parse_mark(text: &str) -> Option<Mark> {
    let t = text.trim();
    if ["N/A", "n/a", "NA", "na", "不适用", "—", "-"].contains(&t) {
        return Some(Mark::NotApplicable);
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let w: i64 = whole.parse().ok()?;
    let f: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
    Some(Mark::Score(w.checked_mul(100)? + f))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(list: &[(&str, Mark)]) -> Vec<(String, Mark)> {
        list.iter().map(|(c, m)| (c.to_string(), *m)).collect()
    }

    use Mark::{NotApplicable as NA, Score as S};

    #[test]
    fn the_default_rubric_is_valid() {
        assert_eq!(check_rubric(&default_items()), Ok(()));
        let mut short = default_items();
        short[0].points = 5;
        assert_eq!(check_rubric(&short), Err(RubricError::Sum(95)));
        let mut dup = default_items();
        dup[1].code = "answer".into();
        assert_eq!(check_rubric(&dup), Err(RubricError::DuplicateCode("answer".into())));
        assert_eq!(check_rubric(&[]), Err(RubricError::Empty));
    }

    #[test]
    fn scoring_table() {
        let items = default_items();
        // (case, marks, expected)
        let full = [
            ("answer", S(1000)),
            ("phrases", S(2000)),
            ("accuracy", S(4000)),
            ("attitude", S(2000)),
            ("resolution", S(1000)),
        ];
        type Case<'a> = (&'a str, Vec<(&'a str, Mark)>, Result<Scored, ScoreError>);
        let cases: Vec<Case> = vec![
            ("full marks", full.to_vec(), Ok(Scored { total: 10_000, critical_failed: false })),
            (
                "plain sum",
                vec![
                    ("answer", S(800)),
                    ("phrases", S(1500)),
                    ("accuracy", S(3000)),
                    ("attitude", S(1800)),
                    ("resolution", S(500)),
                ],
                Ok(Scored { total: 7_600, critical_failed: false }),
            ),
            (
                "critical item at 0 sets the call to 0",
                vec![
                    ("answer", S(1000)),
                    ("phrases", S(0)),
                    ("accuracy", S(4000)),
                    ("attitude", S(2000)),
                    ("resolution", S(1000)),
                ],
                Ok(Scored { total: 0, critical_failed: true }),
            ),
            (
                "N/A rescales the rest to 100: 81 of 90",
                vec![
                    ("answer", S(900)),
                    ("phrases", S(1800)),
                    ("accuracy", S(3600)),
                    ("attitude", S(1800)),
                    ("resolution", NA),
                ],
                Ok(Scored { total: 9_000, critical_failed: false }),
            ),
            (
                "rescaling rounds half up to hundredths: 77.5 of 90 = 86.111…",
                vec![
                    ("answer", S(750)),
                    ("phrases", S(2000)),
                    ("accuracy", S(3000)),
                    ("attitude", S(2000)),
                    ("resolution", NA),
                ],
                Ok(Scored { total: 8_611, critical_failed: false }),
            ),
            (
                "85.5 of 90 = 95.0",
                vec![
                    ("answer", S(1000)),
                    ("phrases", S(2000)),
                    ("accuracy", S(3550)),
                    ("attitude", S(2000)),
                    ("resolution", NA),
                ],
                Ok(Scored { total: 9_500, critical_failed: false }),
            ),
            (
                "N/A where not allowed",
                vec![
                    ("answer", NA),
                    ("phrases", S(2000)),
                    ("accuracy", S(4000)),
                    ("attitude", S(2000)),
                    ("resolution", S(1000)),
                ],
                Err(ScoreError::NotApplicableRefused("接听及时".into())),
            ),
            (
                "above the item's points",
                vec![
                    ("answer", S(1001)),
                    ("phrases", S(2000)),
                    ("accuracy", S(4000)),
                    ("attitude", S(2000)),
                    ("resolution", S(1000)),
                ],
                Err(ScoreError::OutOfRange("接听及时".into())),
            ),
            (
                "a missing item",
                vec![("answer", S(1000)), ("phrases", S(2000)), ("accuracy", S(4000)), ("attitude", S(2000))],
                Err(ScoreError::Missing("问题解决".into())),
            ),
            (
                "an unknown item",
                vec![
                    ("answer", S(1000)),
                    ("phrases", S(2000)),
                    ("accuracy", S(4000)),
                    ("attitude", S(2000)),
                    ("resolution", S(1000)),
                    ("smile", S(1)),
                ],
                Err(ScoreError::Unknown("smile".into())),
            ),
        ];
        for (name, m, want) in cases {
            assert_eq!(score(&items, &marks(&m)), want, "{name}");
        }
        let only_na =
            vec![Item { code: "x".into(), name: "x".into(), points: 100, critical: false, allow_na: true }];
        assert_eq!(score(&only_na, &marks(&[("x", NA)])), Err(ScoreError::NothingApplicable));
    }

    #[test]
    fn calibration_agreement_is_within_ten_points() {
        assert_eq!(agreement(&[(8000, 9000), (8000, 9001), (9500, 9500), (0, 1000)]), (3, 4));
        assert_eq!(agreement(&[]), (0, 0));
    }

    #[test]
    fn marks_are_parsed_exactly() {
        assert_eq!(parse_mark(" 18 "), Some(S(1800)));
        assert_eq!(parse_mark("17.5"), Some(S(1750)));
        assert_eq!(parse_mark("17.25"), Some(S(1725)));
        assert_eq!(parse_mark("不适用"), Some(NA));
        assert_eq!(parse_mark("N/A"), Some(NA));
        for bad in ["", "17.255", "-1", "十八", "1e2", ".5"] {
            assert_eq!(parse_mark(bad), None, "{bad}");
        }
    }
}
