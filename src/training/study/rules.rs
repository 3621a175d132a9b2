//! Study hours (DESIGN §4 rule 8) as pure functions: the kinds of session,
//! a session's length, hours as shown and whether a month is short. Times are
//! whole minutes; no floating point anywhere.

use chrono::{NaiveTime, Timelike};
use serde::Serialize;

use crate::domain::score::div_half_up;

/// The kinds of study session a team leader records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StudyKind {
    /// 晨会学习: the daily slot at the morning meeting.
    Morning,
    /// 专题培训: a session on one topic.
    Topic,
    /// 其他.
    Other,
}

impl StudyKind {
    pub const ALL: [StudyKind; 3] = [StudyKind::Morning, StudyKind::Topic, StudyKind::Other];

    pub fn code(self) -> &'static str {
        match self {
            StudyKind::Morning => "morning",
            StudyKind::Topic => "topic",
            StudyKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StudyKind::Morning => "晨会学习",
            StudyKind::Topic => "专题培训",
            StudyKind::Other => "其他",
        }
    }

    /// From the stored code or the Chinese label (imports).
    pub fn parse(text: &str) -> Option<StudyKind> {
        let text = text.trim();
        StudyKind::ALL.into_iter().find(|k| k.code() == text || k.label() == text)
    }
}

/// The longest a single study session may be (a working day).
pub const MAX_SESSION_MINUTES: i32 = 12 * 60;

/// The minutes from `starts` to `ends` ("HH:MM", same day); None unless the
/// end is after the start and the session no longer than [`MAX_SESSION_MINUTES`].
pub fn minutes_between(starts: &str, ends: &str) -> Option<i32> {
    let parse = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
    let (a, b) = (parse(starts)?, parse(ends)?);
    let minutes = (b - a).num_minutes();
    (minutes > 0 && minutes <= MAX_SESSION_MINUTES as i64).then_some(minutes as i32)
}

/// Minutes after midnight of "HH:MM".
pub fn minute_of_day(time: &str) -> Option<i32> {
    let t = NaiveTime::parse_from_str(time.trim(), "%H:%M").ok()?;
    Some((t.num_seconds_from_midnight() / 60) as i32)
}

/// The minutes one day's sessions cover, each as (start, end) in minutes
/// after midnight: time where sessions overlap (two 晨会 entered at 08:30)
/// counts once.
pub fn covered_minutes(mut spans: Vec<(i32, i32)>) -> i64 {
    spans.sort_unstable();
    let (mut total, mut reach) = (0i64, i32::MIN);
    for (start, end) in spans {
        let from = start.max(reach);
        if end > from {
            total += i64::from(end - from);
        }
        reach = reach.max(end);
    }
    total
}

/// Whether two sessions of a day, (start, end) in minutes, share any time.
pub fn overlap(a: (i32, i32), b: (i32, i32)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Rule 8: a hall's month is short when its sessions add up to less than the target.
pub fn study_short(total_minutes: i64, target_minutes: i64) -> bool {
    total_minutes < target_minutes
}

/// Minutes shown as hours with one decimal, rounded half up: 90 → "1.5", 301 → "5.0".
pub fn hours(minutes: i64) -> String {
    let tenths = div_half_up(minutes * 10, 60);
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {

    #[test]
    fn overlapping_time_counts_once() {
        // (spans, minutes covered), worked out by hand.
        let cases: [(&[(i32, i32)], i64); 6] = [
            (&[], 0),
            (&[(510, 540)], 30),
            // Two 晨会 entered at 08:30–09:00: 30 minutes, not 60.
            (&[(510, 540), (510, 540)], 30),
            // 18:00–19:30 and 18:00–20:00: 120 minutes, not 210.
            (&[(1080, 1170), (1080, 1200)], 120),
            // Touching is not overlapping: 08:30–09:00 and 09:00–09:20.
            (&[(510, 540), (540, 560)], 50),
            // One inside another, and a separate one: 09:00–11:00 ⊃ 09:30–10:00; 14:00–14:30.
            (&[(840, 870), (570, 600), (540, 660)], 150),
        ];
        for (spans, want) in cases {
            assert_eq!(covered_minutes(spans.to_vec()), want, "{spans:?}");
        }
        assert!(overlap((1080, 1170), (1080, 1200)) && !overlap((510, 540), (540, 560)));
        assert_eq!(minute_of_day("08:30"), Some(510));
        assert_eq!(minute_of_day("25:00"), None);
    }

    use super::*;

    #[test]
    fn minutes_between_needs_an_end_after_the_start_within_a_day() {
        let cases = [
            ("08:30", "09:00", Some(30)),
            ("8:30", "10:15", Some(105)),
            ("09:00", "09:00", None),
            ("10:00", "09:00", None),
            ("07:00", "19:00", Some(720)),
            ("07:00", "19:01", None),
            ("25:00", "26:00", None),
            ("", "09:00", None),
            ("0900", "1000", None),
        ];
        for (a, b, want) in cases {
            assert_eq!(minutes_between(a, b), want, "{a}–{b}");
        }
    }

    #[test]
    fn a_month_is_short_only_below_the_target() {
        let cases = [(0, 300, true), (299, 300, true), (300, 300, false), (301, 300, false), (0, 0, false)];
        for (total, target, want) in cases {
            assert_eq!(study_short(total, target), want, "{total} of {target}");
        }
    }

    #[test]
    fn hours_round_half_up() {
        let hours_cases = [(0, "0.0"), (90, "1.5"), (300, "5.0"), (301, "5.0"), (303, "5.1"), (59, "1.0")];
        for (minutes, want) in hours_cases {
            assert_eq!(hours(minutes), want, "{minutes} minutes");
        }
    }

    #[test]
    fn study_kinds_parse_codes_and_labels() {
        assert_eq!(StudyKind::parse("morning"), Some(StudyKind::Morning));
        assert_eq!(StudyKind::parse(" 专题培训 "), Some(StudyKind::Topic));
        assert_eq!(StudyKind::parse("开会"), None);
    }
}
