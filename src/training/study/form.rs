//! The study-session form as typed, and its checks: a pure function over the
//! draft and what the database said (the hall's staff, the articles, today),
//! so every rule has a case in the table below.

use chrono::{Duration, NaiveDate, NaiveTime};
use serde::Serialize;

use super::model::NewStudy;
use super::rules::{minutes_between, StudyKind, MAX_SESSION_MINUTES};
use crate::web::{msg, FieldErrors};

/// How far back a team leader may date a session (a quarter); admins any date.
pub const BACKDATE_DAYS: i64 = 92;
pub const TOPIC_MAX: usize = 100;
pub const NOTES_MAX: usize = 1000;

/// The form's fields as typed, so a refused form shows them again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StudyDraft {
    pub held_on: String,
    pub starts: String,
    pub ends: String,
    pub minutes: String,
    pub kind: String,
    pub topic: String,
    pub notes: String,
    pub article_ids: Vec<i32>,
    pub attendees: Vec<i32>,
}

impl StudyDraft {
    /// Reads the posted pairs; articles and attendees are repeated keys.
    pub fn from_pairs(pairs: &[(String, String)]) -> StudyDraft {
        let mut d = StudyDraft::default();
        for (k, v) in pairs {
            let text = v.trim().to_string();
            match k.as_str() {
                "held_on" => d.held_on = text,
                "starts" => d.starts = text,
                "ends" => d.ends = text,
                "minutes" => d.minutes = text,
                "kind" => d.kind = text,
                "topic" => d.topic = text,
                "notes" => d.notes = text,
                "article" => push_unique(&mut d.article_ids, &text),
                "attendee" => push_unique(&mut d.attendees, &text),
                _ => {}
            }
        }
        d
    }
}

/// Adds an id once; text that is not an id is kept as 0, which no check accepts.
fn push_unique(list: &mut Vec<i32>, text: &str) {
    let id = text.parse::<i32>().unwrap_or(0);
    if !list.contains(&id) {
        list.push(id);
    }
}

/// What the checks need to know besides the draft.
pub struct Limits<'a> {
    pub hall_id: i32,
    /// The branch's local date.
    pub today: NaiveDate,
    /// The earliest date allowed (None: any).
    pub oldest: Option<NaiveDate>,
    /// Who may be marked present: the hall's active staff (and, when
    /// editing, whoever was already recorded).
    pub staff: &'a [i32],
    /// The articles that may be linked.
    pub articles: &'a [i32],
}

impl Limits<'_> {
    /// The earliest date a team leader may record on `today`.
    pub fn backdate_limit(today: NaiveDate) -> NaiveDate {
        today - Duration::days(BACKDATE_DAYS)
    }
}

/// Checks a draft: the session to store, or the errors by field. When both
/// the times and the minutes are given, the times win.
pub fn check(d: &StudyDraft, l: &Limits) -> Result<NewStudy, FieldErrors> {
    let mut errors = FieldErrors::new();
    let held_on = NaiveDate::parse_from_str(&d.held_on, "%Y-%m-%d").ok();
    match held_on {
        None => {
            errors.insert("held_on", msg::STUDY_DATE.into());
        }
        Some(day) if day > l.today => {
            errors.insert("held_on", msg::STUDY_DATE_FUTURE.into());
        }
        Some(day) if l.oldest.is_some_and(|o| day < o) => {
            errors.insert("held_on", msg::study_date_too_old(BACKDATE_DAYS));
        }
        _ => {}
    }
    let (starts, ends, minutes) = match length(d) {
        Ok(found) => found,
        Err((field, text)) => {
            errors.insert(field, text);
            (String::new(), String::new(), 0)
        }
    };
    let kind = StudyKind::parse(&d.kind);
    if kind.is_none() {
        errors.insert("kind", msg::STUDY_KIND.into());
    }
    if d.topic.is_empty() || d.topic.chars().count() > TOPIC_MAX {
        errors.insert("topic", msg::STUDY_TOPIC.into());
    }
    if d.article_ids.iter().any(|a| !l.articles.contains(a)) {
        errors.insert("articles", msg::STUDY_ARTICLE.into());
    }
    if d.attendees.is_empty() {
        errors.insert("attendees", msg::STUDY_ATTENDEES_NONE.into());
    } else if d.attendees.iter().any(|a| !l.staff.contains(a)) {
        errors.insert("attendees", msg::STUDY_ATTENDEE_HALL.into());
    }
    if d.notes.chars().count() > NOTES_MAX {
        errors.insert("notes", msg::STUDY_NOTES.into());
    }
    match (held_on, kind) {
        (Some(held_on), Some(kind)) if errors.is_empty() => Ok(NewStudy {
            hall_id: l.hall_id,
            held_on,
            starts,
            ends,
            minutes,
            kind: kind.code().into(),
            topic: d.topic.clone(),
            article_ids: d.article_ids.clone(),
            notes: d.notes.clone(),
            attendees: d.attendees.clone(),
        }),
        _ => Err(errors),
    }
}

/// The session's length from the times (normalised to "HH:MM") or the minutes.
fn length(d: &StudyDraft) -> Result<(String, String, i32), (&'static str, String)> {
    match (d.starts.is_empty(), d.ends.is_empty()) {
        (false, false) => {
            let parse = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").ok();
            let (Some(a), Some(b)) = (parse(&d.starts), parse(&d.ends)) else {
                return Err(("time", msg::STUDY_TIME_FORMAT.into()));
            };
            let (a, b) = (a.format("%H:%M").to_string(), b.format("%H:%M").to_string());
            match minutes_between(&a, &b) {
                Some(m) => Ok((a, b, m)),
                None => Err(("time", msg::STUDY_TIME_ORDER.into())),
            }
        }
        (true, true) => match d.minutes.parse::<i32>() {
            Ok(m) if (1..=MAX_SESSION_MINUTES).contains(&m) => Ok((String::new(), String::new(), m)),
            _ => Err(("minutes", msg::STUDY_MINUTES.into())),
        },
        _ => Err(("time", msg::STUDY_TIME_PAIR.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn good() -> StudyDraft {
        StudyDraft {
            held_on: "2026-11-20".into(),
            starts: "08:30".into(),
            ends: "09:15".into(),
            minutes: String::new(),
            kind: "morning".into(),
            topic: "5G 套餐资费调整".into(),
            notes: String::new(),
            article_ids: vec![7],
            attendees: vec![1, 2],
        }
    }

    fn checked(d: &StudyDraft, oldest: Option<NaiveDate>) -> Result<NewStudy, FieldErrors> {
        let limits =
            Limits { hall_id: 5, today: date("2026-11-27"), oldest, staff: &[1, 2, 3], articles: &[7, 8] };
        check(d, &limits)
    }

    #[test]
    fn a_good_draft_becomes_a_session_and_times_win_over_minutes() {
        let mut d = good();
        d.minutes = "600".into();
        let s = checked(&d, None).unwrap();
        assert_eq!((s.hall_id, s.minutes, s.kind.as_str()), (5, 45, "morning"));
        assert_eq!((s.starts.as_str(), s.ends.as_str()), ("08:30", "09:15"));
        let only_minutes = StudyDraft { starts: "".into(), ends: "".into(), minutes: "90".into(), ..good() };
        let s = checked(&only_minutes, None).unwrap();
        assert_eq!((s.minutes, s.starts.as_str()), (90, ""));
        let label = StudyDraft { kind: "专题培训".into(), starts: "8:05".into(), ..good() };
        let s = checked(&label, None).unwrap();
        assert_eq!((s.kind.as_str(), s.starts.as_str(), s.minutes), ("topic", "08:05", 70));
    }

    #[test]
    fn each_bad_field_is_named_with_its_message() {
        let oldest = Some(Limits::backdate_limit(date("2026-11-27")));
        type Change = fn(&mut StudyDraft);
        let cases: [(Change, &str, &str); 16] = [
            (|d| d.held_on = "".into(), "held_on", msg::STUDY_DATE),
            (|d| d.held_on = "2026-11-31".into(), "held_on", msg::STUDY_DATE),
            (|d| d.held_on = "2026-11-28".into(), "held_on", msg::STUDY_DATE_FUTURE),
            (|d| d.held_on = "2026-08-26".into(), "held_on", "92"),
            (|d| d.ends = "08:30".into(), "time", msg::STUDY_TIME_ORDER),
            (|d| d.ends = "08:00".into(), "time", msg::STUDY_TIME_ORDER),
            (|d| d.ends = "21:00".into(), "time", msg::STUDY_TIME_ORDER),
            (|d| d.ends = "9点".into(), "time", msg::STUDY_TIME_FORMAT),
            (|d| d.ends = "".into(), "time", msg::STUDY_TIME_PAIR),
            (|d| (d.starts, d.ends) = ("".into(), "".into()), "minutes", msg::STUDY_MINUTES),
            (
                |d| (d.starts, d.ends, d.minutes) = ("".into(), "".into(), "721".into()),
                "minutes",
                msg::STUDY_MINUTES,
            ),
            (|d| d.kind = "开会".into(), "kind", msg::STUDY_KIND),
            (|d| d.topic = "".into(), "topic", msg::STUDY_TOPIC),
            (|d| d.article_ids = vec![9], "articles", msg::STUDY_ARTICLE),
            (|d| d.attendees = vec![], "attendees", msg::STUDY_ATTENDEES_NONE),
            (|d| d.attendees = vec![1, 4], "attendees", msg::STUDY_ATTENDEE_HALL),
        ];
        for (change, field, want) in cases {
            let mut d = good();
            change(&mut d);
            let errors = checked(&d, oldest).unwrap_err();
            assert_eq!(errors.len(), 1, "{d:?}: {errors:?}");
            assert!(errors[field].contains(want), "{d:?}: {errors:?}");
        }
        let long = StudyDraft { topic: "字".repeat(101), notes: "字".repeat(1001), ..good() };
        let errors = checked(&long, None).unwrap_err();
        assert_eq!(errors.keys().copied().collect::<Vec<_>>(), ["notes", "topic"]);
    }

    #[test]
    fn admins_may_backdate_and_the_limit_is_inclusive() {
        let old = StudyDraft { held_on: "2025-01-10".into(), ..good() };
        assert!(checked(&old, None).is_ok());
        let limit = Limits::backdate_limit(date("2026-11-27"));
        assert_eq!(limit, date("2026-08-27"));
        let edge = StudyDraft { held_on: "2026-08-27".into(), ..good() };
        assert!(checked(&edge, Some(limit)).is_ok());
    }

    #[test]
    fn repeated_keys_collect_ids_once() {
        let pairs: Vec<(String, String)> = [
            ("topic", " 反诈 "),
            ("attendee", "3"),
            ("attendee", "3"),
            ("attendee", "2"),
            ("article", "x"),
            ("other", "1"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let d = StudyDraft::from_pairs(&pairs);
        assert_eq!((d.topic.as_str(), d.attendees, d.article_ids), ("反诈", vec![3, 2], vec![0]));
    }
}
