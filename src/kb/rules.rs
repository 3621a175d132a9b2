//! Knowledge-base rules (DESIGN §4 rule 5) as pure functions: the minimum
//! reading time, how much of a heartbeat counts, when a confirm is accepted,
//! and due dates in the branch's time zone.

use chrono::{NaiveDate, NaiveDateTime};

/// Counted characters of a Markdown body: everything but whitespace and
/// Markdown punctuation, so a table's pipes do not make it "longer".
pub fn reading_chars(markdown: &str) -> i32 {
    markdown.chars().filter(|c| !c.is_whitespace() && !"#*|-_>`[]()!:".contains(*c)).count() as i32
}

/// The minimum reading time in seconds: `chars ÷ per_minute` minutes,
/// rounded up, never less than `floor`.
pub fn min_seconds(chars: i32, per_minute: i64, floor: i64) -> i64 {
    let per_minute = per_minute.max(1);
    let secs = (i64::from(chars.max(0)) * 60 + per_minute - 1) / per_minute;
    secs.max(floor)
}

/// Longest stretch one heartbeat may credit: the page beats every 10 s while
/// visible, so a gap longer than this means the tab was hidden or asleep.
pub const MAX_BEAT_SECONDS: i64 = 15;

/// Seconds a heartbeat adds: what the page says it was visible since the
/// last beat, never more than the time the server saw pass, nor more than
/// [`MAX_BEAT_SECONDS`]. A forged page cannot make reading faster than the clock.
pub fn credited_seconds(claimed: i64, since_last_beat: i64) -> i64 {
    claimed.clamp(0, MAX_BEAT_SECONDS).min(since_last_beat.max(0))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmRefusal {
    /// Never opened (no reading evidence).
    NotOpened,
    TooShort {
        needed: i64,
        read: i64,
    },
    EndNotReached,
    /// Already confirmed (nothing to do).
    Already,
}

impl std::fmt::Display for ConfirmRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::web::msg::kb_confirm_refused(*self))
    }
}

/// Whether "我已阅读并理解" is accepted for this evidence.
pub fn check_confirm(
    opened: bool,
    active_seconds: i64,
    reached_end: bool,
    confirmed: bool,
    needed: i64,
) -> Result<(), ConfirmRefusal> {
    if !opened {
        return Err(ConfirmRefusal::NotOpened);
    }
    if confirmed {
        return Err(ConfirmRefusal::Already);
    }
    if active_seconds < needed {
        return Err(ConfirmRefusal::TooShort { needed, read: active_seconds });
    }
    if !reached_end {
        return Err(ConfirmRefusal::EndNotReached);
    }
    Ok(())
}

/// Whether a confirm at `confirmed_at` (UTC) is on time for `due` (a local
/// date, end of day inclusive).
pub fn on_time(confirmed_at: NaiveDateTime, due: NaiveDate) -> bool {
    crate::time::local_date(confirmed_at) <= due
}

/// Where one person stands on one mandatory item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadStatus {
    /// Confirmed by the due date.
    OnTime,
    /// Confirmed after the due date (still charged in its month).
    Late,
    Unread,
}

/// An item requires `required` (a version number) or any later version of the
/// article; `confirms` = (version number, confirmed at UTC) of this person.
/// The earliest qualifying confirm decides.
pub fn read_status(
    required: i32,
    confirms: &[(i32, NaiveDateTime)],
    due: NaiveDate,
) -> (ReadStatus, Option<NaiveDateTime>) {
    let first = confirms.iter().filter(|(v, _)| *v >= required).map(|(_, at)| *at).min();
    match first {
        Some(at) if on_time(at, due) => (ReadStatus::OnTime, Some(at)),
        Some(at) => (ReadStatus::Late, Some(at)),
        None => (ReadStatus::Unread, None),
    }
}

/// Days from `today` to `due` (local dates): 0 = due today, negative = overdue.
pub fn days_left(today: NaiveDate, due: NaiveDate) -> i64 {
    (due - today).num_days()
}

/// Splits a tag field typed as "5G, 套餐变更，资费" (ASCII or Chinese commas,
/// 、 or spaces) into distinct tags, at most 10, each at most 20 characters.
pub fn parse_tags(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in text.split([',', '，', '、', ';', '；', ' ', '\u{3000}']) {
        let t: String = t.trim().chars().take(20).collect();
        if !t.is_empty() && !out.contains(&t) && out.len() < 10 {
            out.push(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimum_reading_time() {
        // (chars, per minute, floor, seconds)
        let cases = [
            (0, 500, 20, 20),
            (100, 500, 20, 20),
            (500, 500, 20, 60),
            (501, 500, 20, 61),
            (1500, 500, 20, 180),
            (1500, 300, 20, 300),
            (10, 0, 5, 600),
        ];
        for (chars, per, floor, want) in cases {
            assert_eq!(min_seconds(chars, per, floor), want, "{chars} chars at {per}/min");
        }
        assert_eq!(reading_chars("## 标题\n\n| a | b |\n|---|---|\n正文，共十字。"), 11);
    }

    #[test]
    fn heartbeats_never_credit_more_than_the_clock() {
        // (claimed, seconds since the last beat, credited)
        let cases = [(10, 10, 10), (10, 3, 3), (60, 60, 15), (-5, 10, 0), (10, -1, 0), (0, 10, 0)];
        for (claimed, since, want) in cases {
            assert_eq!(credited_seconds(claimed, since), want, "{claimed} claimed, {since} passed");
        }
    }

    #[test]
    fn confirms_need_time_and_the_end() {
        use ConfirmRefusal::*;
        let cases = [
            ((true, 60, true, false, 60), Ok(())),
            ((true, 59, true, false, 60), Err(TooShort { needed: 60, read: 59 })),
            ((true, 600, false, false, 60), Err(EndNotReached)),
            ((false, 0, false, false, 20), Err(NotOpened)),
            ((true, 600, true, true, 60), Err(Already)),
        ];
        for ((opened, secs, end, confirmed, needed), want) in cases {
            assert_eq!(check_confirm(opened, secs, end, confirmed, needed), want);
        }
    }

    #[test]
    fn due_dates_are_local_end_of_day_inclusive() {
        let due = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let utc = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        // 2026-11-30 23:59:59 in Shanghai is 15:59:59 UTC.
        assert!(on_time(utc("2026-11-30 15:59:59"), due));
        assert!(!on_time(utc("2026-11-30 16:00:00"), due), "00:00 on 12-01 in Shanghai is late");
        assert!(on_time(utc("2026-11-29 20:00:00"), due), "04:00 on the 30th local");
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(days_left(today, due), 3);
        assert_eq!(days_left(due, due), 0);
        assert_eq!(days_left(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(), due), -2);
    }

    #[test]
    fn a_material_change_needs_the_new_version() {
        let due = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let utc = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        let early = utc("2026-11-10 02:00:00");
        let late = utc("2026-12-01 02:00:00");
        // (required version, confirms, expected)
        type Case = (i32, Vec<(i32, NaiveDateTime)>, ReadStatus);
        let cases: [Case; 6] = [
            (1, vec![(1, early)], ReadStatus::OnTime),
            (2, vec![(1, early)], ReadStatus::Unread),
            (2, vec![(1, early), (2, late)], ReadStatus::Late),
            (2, vec![(3, early)], ReadStatus::OnTime),
            (1, vec![], ReadStatus::Unread),
            (1, vec![(1, late), (2, early)], ReadStatus::OnTime),
        ];
        for (required, confirms, want) in cases {
            assert_eq!(read_status(required, &confirms, due).0, want, "v{required} {confirms:?}");
        }
    }

    #[test]
    fn tags_are_split_on_any_comma() {
        assert_eq!(parse_tags("5G, 套餐变更，资费、5G"), vec!["5G", "套餐变更", "资费"]);
        assert!(parse_tags(" ，, ").is_empty());
    }
}
