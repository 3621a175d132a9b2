use super::*;

fn at(minute: i64) -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap().and_hms_opt(9, 0, 0).unwrap()
        + Duration::minutes(minute)
}

fn running(deadline_minute: i64) -> Open {
    Open { in_progress: true, deadline: at(deadline_minute) }
}

fn submitted(deadline_minute: i64) -> Open {
    Open { in_progress: false, deadline: at(deadline_minute) }
}

#[test]
fn the_key_waits_for_the_close_and_every_attempt() {
    // The window closes at minute 60; the grace is 30 s.
    let close = at(60);
    let s = |secs: i64| at(60) + Duration::seconds(secs);
    let cases: [(&str, NaiveDateTime, Vec<Open>, bool); 9] = [
        ("window still open, nobody sitting", at(59), vec![], false),
        ("closed, nobody sat", close, vec![], true),
        ("closed, all submitted", s(1), vec![submitted(45), submitted(60)], true),
        // Finding 1: started late, deadline = close, key read at close + 1 s.
        ("late starter inside the grace", s(1), vec![running(60)], false),
        ("late starter at the last second of grace", s(30), vec![running(60)], false),
        ("grace over, not yet swept", s(31), vec![running(60)], true),
        // Finding 2: reopened or given extra time after the close.
        ("reopened for 20 minutes", at(70), vec![submitted(40), running(80)], false),
        ("extra time, running past the close", at(75), vec![running(75)], false),
        ("extra time used up", at(76), vec![running(75)], true),
    ];
    for (what, now, attempts, want) in cases {
        assert_eq!(key_visible(now, close, &attempts, 30), want, "{what}");
    }
}

#[test]
fn the_trainer_is_told_when_the_key_shows() {
    let close = at(60);
    assert_eq!(visible_from(close, &[], 30), close);
    assert_eq!(visible_from(close, &[submitted(90)], 30), close, "submitted attempts do not hold it");
    assert_eq!(visible_from(close, &[running(40), running(80)], 30), at(80) + Duration::seconds(30));
}

#[test]
fn time_is_refused_once_anyone_saw_the_key() {
    assert!(may_give_time(0).is_ok());
    assert_eq!(may_give_time(1), Err(ExamRefusal::KeyShown(1)));
    assert!(may_give_time(1).unwrap_err().to_string().contains('1'));
}

#[test]
fn review_settings_read_and_show() {
    let cases = [
        ("none", Review::None, false, false, false),
        ("score", Review::Score, true, false, false),
        ("marked", Review::Marked, true, true, false),
        ("full", Review::Full, true, true, true),
        ("all", Review::None, false, false, false),
    ];
    for (code, review, score, paper, key) in cases {
        let r = Review::of(code);
        assert_eq!(r, review, "{code}");
        assert_eq!((r.shows_score(), r.shows_paper(), r.shows_key()), (score, paper, key), "{code}");
    }
    assert_eq!(Review::default_for(ExamKind::Monthly), Review::Score);
    assert_eq!(Review::default_for(ExamKind::Retest), Review::Score);
    assert_eq!(Review::default_for(ExamKind::Practice), Review::Full);
}
