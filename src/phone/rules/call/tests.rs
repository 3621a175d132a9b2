//! A typed call against what the database knows: one case per rule.

use super::*;
use crate::phone::rules::default_items;

const ME: i32 = 7;
const HALL: i32 = 3;

fn now() -> NaiveDateTime {
    crate::time::parse_local_input("2026-11-20 12:00").unwrap()
}

fn facts() -> Facts {
    Facts {
        me: ME,
        now: now(),
        first: None,
        version: (5, default_items()),
        hall: Some(HALL),
        clerk: Some((Some(HALL), true)),
        scenario_found: None,
    }
}

fn form() -> HashMap<String, String> {
    [
        ("month", "2026-11"),
        ("called_at", "2026-11-05 10:30"),
        ("hall_id", "3"),
        ("clerk", "11"),
        ("rings", "2"),
        ("duration", "95"),
        ("notes", "  好  "),
        ("rubric_version_id", "5"),
        ("score_answer", "10"),
        ("score_phrases", "20"),
        ("score_accuracy", "30"),
        ("score_attitude", "20"),
        ("score_resolution", "10"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn first_call(tester_id: i32, second_of: Option<i32>) -> Call {
    let at = crate::time::parse_local_input("2026-11-04 09:00").unwrap();
    Call {
        id: 40,
        called_at: at,
        month: Month::parse("2026-11").unwrap(),
        hall_id: HALL,
        clerk_id: Some(11),
        tester_id,
        scenario_id: None,
        rubric_version_id: 5,
        scores: "{}".into(),
        total: 9000,
        critical_failed: false,
        rings: 1,
        duration_seconds: 60,
        notes: String::new(),
        recording_ref: String::new(),
        second_of,
        created_by: Some(tester_id),
        created_at: at,
    }
}

/// Each error as (field, message), by field.
fn errors_of(f: &HashMap<String, String>, facts: &Facts) -> Vec<(&'static str, String)> {
    match check_call(CallDraft::of(f), f, facts) {
        Ok(_) => Vec::new(),
        Err((_, errors)) => errors.into_iter().collect(),
    }
}

#[test]
fn a_good_call_is_stored_as_typed() {
    let call = check_call(CallDraft::of(&form()), &form(), &facts()).unwrap();
    assert_eq!((call.hall_id, call.clerk_id, call.tester_id), (HALL, Some(11), ME));
    assert_eq!((call.rings, call.duration_seconds, call.notes.as_str()), (2, 95, "好"));
    assert_eq!((call.rubric_version_id, call.second_of, call.scenario_id), (5, None, None));
    assert_eq!(call.marks.len(), 5);
}

#[test]
fn each_field_is_checked() {
    let set = |k: &str, v: &str| {
        let mut f = form();
        f.insert(k.into(), v.into());
        f
    };
    let cases: Vec<(HashMap<String, String>, Facts, &str, String)> = vec![
        (set("month", "2026-13"), facts(), "month", msg::PHONE_MONTH.into()),
        (set("called_at", "昨天"), facts(), "called_at", msg::PHONE_TIME.into()),
        (set("called_at", "2026-11-21 08:00"), facts(), "called_at", msg::PHONE_TIME_FUTURE.into()),
        (set("called_at", "2026-10-31 10:00"), facts(), "called_at", msg::phone_time_outside("2026-11")),
        (form(), Facts { hall: None, ..facts() }, "hall_id", msg::PHONE_HALL.into()),
        (set("clerk", ""), facts(), "clerk", msg::PHONE_CLERK_MISSING.into()),
        (form(), Facts { clerk: Some((Some(99), true)), ..facts() }, "clerk", msg::PHONE_CLERK_HALL.into()),
        (
            form(),
            Facts { clerk: Some((Some(HALL), false)), ..facts() },
            "clerk",
            msg::PHONE_CLERK_HALL.into(),
        ),
        (
            set("scenario_id", "8"),
            Facts { scenario_found: Some(false), ..facts() },
            "scenario_id",
            msg::PHONE_SCENARIO_MISSING.into(),
        ),
        (set("rings", "31"), facts(), "rings", msg::PHONE_RINGS.into()),
        (set("duration", "0"), facts(), "duration", msg::PHONE_DURATION.into()),
        (set("notes", &"字".repeat(1001)), facts(), "notes", msg::PHONE_NOTES.into()),
        (set("recording_ref", &"r".repeat(201)), facts(), "recording_ref", msg::PHONE_RECORDING.into()),
        (set("rubric_version_id", "4"), facts(), "form", msg::PHONE_RUBRIC_CHANGED.into()),
        (set("score_accuracy", "四十"), facts(), "scores", msg::phone_score_format("业务准确")),
        (set("score_accuracy", "41"), facts(), "scores", msg::phone_score_range("业务准确", 40)),
        (
            set("second_of", "40"),
            Facts { first: Some(None), ..facts() },
            "form",
            msg::PHONE_SECOND_MISSING.into(),
        ),
        (
            set("second_of", "40"),
            Facts { first: Some(Some(first_call(ME, None))), ..facts() },
            "form",
            msg::PHONE_SECOND_SAME_TESTER.into(),
        ),
        (
            set("second_of", "40"),
            Facts { first: Some(Some(first_call(2, Some(39)))), ..facts() },
            "form",
            msg::PHONE_SECOND_OF_SECOND.into(),
        ),
    ];
    for (f, facts, field, want) in cases {
        assert_eq!(errors_of(&f, &facts), vec![(field, want.clone())], "{want}");
    }
}

#[test]
fn a_month_out_of_range_is_still_the_month_the_time_must_lie_in() {
    let mut f = form();
    f.insert("month".into(), "1999-12".into());
    let want = vec![
        ("called_at", msg::phone_time_outside("1999-12")),
        ("month", msg::MONTH_OUT_OF_RANGE.to_string()),
    ];
    assert_eq!(errors_of(&f, &facts()), want);
}

#[test]
fn nobody_answering_is_a_call_without_a_clerk() {
    let mut f = form();
    f.insert("clerk".into(), "none".into());
    let call = check_call(CallDraft::of(&f), &f, &Facts { clerk: None, ..facts() }).unwrap();
    assert_eq!(call.clerk_id, None);
}

#[test]
fn a_second_scoring_takes_the_first_calls_hall_clerk_and_time() {
    let first = first_call(2, None);
    let d = CallDraft::of(&form()).second_of(&first);
    assert_eq!((d.hall_id.as_str(), d.clerk.as_str(), d.second_of.as_str()), ("3", "11", "40"));
    let facts = Facts { first: Some(Some(first)), ..facts() };
    let call = check_call(d, &form(), &facts).unwrap();
    assert_eq!(call.second_of, Some(40));
}
