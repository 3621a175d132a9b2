use super::*;

#[test]
fn a_sitting_code_works_from_half_an_hour_before_the_start() {
    let start = t("2026-12-10 01:00:00");
    let cases = [
        ("three days early", "2026-12-07 01:00:00", false),
        ("31 minutes early", "2026-12-10 00:29:00", false),
        ("30 minutes early", "2026-12-10 00:30:00", true),
        ("at the start", "2026-12-10 01:00:00", true),
        ("an hour in", "2026-12-10 02:00:00", true),
    ];
    for (what, now, want) in cases {
        assert_eq!(sitting_code_valid(t(now), start), want, "{what}");
    }
}

#[test]
fn a_sitting_starts_now_when_left_empty_and_never_on_a_typo() {
    let now = t("2026-11-28 02:00:00");
    let cases = [
        ("", Ok(now)),
        ("  ", Ok(now)),
        // Beijing time in, UTC out.
        ("2026-11-28T09:30", Ok(t("2026-11-28 01:30:00"))),
        ("2026-11-28 09:30", Ok(t("2026-11-28 01:30:00"))),
        ("2000-01-01T00:00", Ok(t("1999-12-31 16:00:00"))),
        ("2099-12-31T23:59", Ok(t("2099-12-31 15:59:00"))),
        ("明天上午", Err(msg::EXAM_SITTING_START_INVALID)),
        ("2026-13-01T09:00", Err(msg::EXAM_SITTING_START_INVALID)),
        ("2026-11-28", Err(msg::EXAM_SITTING_START_INVALID)),
        ("9999-01-01T09:00", Err(msg::EXAM_SITTING_START_RANGE)),
        ("1999-12-31T23:59", Err(msg::EXAM_SITTING_START_RANGE)),
        ("2100-01-01T00:00", Err(msg::EXAM_SITTING_START_RANGE)),
    ];
    for (text, want) in cases {
        assert_eq!(sitting_start(text, now), want, "{text}");
    }
}

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn score_table() {
    let cases = [
        (0, 10_000, 0),
        (10_000, 10_000, 10_000),
        (200, 300, 6_667),
        (100, 300, 3_333),
        (1, 8, 1_250),
        (5_950, 10_000, 5_950),
        (4_321, 5_000, 8_642),
        (1, 30_000, 0),
        (1, 20_000, 1), // 0.005 rounds half up to 0.01
        (7, 0, 0),
    ];
    for (earned, possible, want) in cases {
        assert_eq!(score(earned, possible), want, "{earned}/{possible}");
    }
}

#[test]
fn deadline_table() {
    let closes = t("2026-11-28 12:00:00");
    let cases = [
        ("2026-11-28 09:00:00", 60, 0, "2026-11-28 10:00:00"),
        ("2026-11-28 11:30:00", 60, 0, "2026-11-28 12:00:00"),
        ("2026-11-28 11:30:00", 60, 15, "2026-11-28 12:15:00"),
        ("2026-11-28 09:00:00", 60, 10, "2026-11-28 10:10:00"),
        ("2026-11-28 11:59:59", 90, 0, "2026-11-28 12:00:00"),
    ];
    for (start, limit, extra, want) in cases {
        assert_eq!(deadline(t(start), limit, closes, extra), t(want), "{start} {limit} {extra}");
    }
}

#[test]
fn grace_and_remaining() {
    let d = t("2026-11-28 10:00:00");
    assert!(accepts_saves(t("2026-11-28 10:00:30"), d, 30));
    assert!(!accepts_saves(t("2026-11-28 10:00:31"), d, 30));
    assert_eq!(remaining_seconds(t("2026-11-28 09:58:20"), d), 100);
    assert_eq!(remaining_seconds(t("2026-11-28 10:05:00"), d), 0);
}

#[test]
fn stagger_by_area_and_random_delay() {
    let opens = t("2026-11-28 09:00:00");
    let mut s = Stagger::default();
    assert_eq!(earliest_start(opens, &s, Some(3), 1, 1), opens);
    s.area_offsets.insert(3, 10);
    assert_eq!(earliest_start(opens, &s, Some(3), 1, 1), t("2026-11-28 09:10:00"));
    assert_eq!(earliest_start(opens, &s, Some(4), 1, 1), opens);
    s.random_max_minutes = 5;
    let starts: Vec<_> = (0..200).map(|u| earliest_start(opens, &s, None, 77, u)).collect();
    assert!(starts.iter().all(|at| *at >= opens && *at <= t("2026-11-28 09:05:00")));
    assert!(starts.iter().collect::<std::collections::HashSet<_>>().len() > 50, "spread out");
    assert_eq!(starts[17], earliest_start(opens, &s, None, 77, 17), "reproducible");
}

#[test]
fn start_checks_in_order() {
    let now = t("2026-11-28 09:30:00");
    let ok = StartCheck {
        phase: Phase::Open,
        now,
        earliest: t("2026-11-28 09:00:00"),
        in_audience: true,
        has_attempt: false,
        ip_allowed: true,
        in_person: false,
        sitting_ok: None,
    };
    assert_eq!(check_start(&ok), Ok(()));
    let with = |f: &dyn Fn(&mut StartCheck)| {
        let mut c = ok.clone();
        f(&mut c);
        check_start(&c)
    };
    assert_eq!(with(&|c| c.in_audience = false), Err(Refusal::NotInAudience));
    assert_eq!(with(&|c| c.has_attempt = true), Err(Refusal::AlreadyStarted));
    assert_eq!(with(&|c| c.phase = Phase::Scheduled), Err(Refusal::NotOpen));
    assert_eq!(with(&|c| c.phase = Phase::Closed), Err(Refusal::Closed));
    assert_eq!(
        with(&|c| c.earliest = t("2026-11-28 09:40:00")),
        Err(Refusal::NotYet(t("2026-11-28 09:40:00")))
    );
    assert_eq!(with(&|c| c.ip_allowed = false), Err(Refusal::IpNotAllowed));
    assert_eq!(with(&|c| c.in_person = true), Err(Refusal::SittingRequired));
    assert_eq!(
        with(&|c| {
            c.in_person = true;
            c.sitting_ok = Some(false)
        }),
        Err(Refusal::BadSittingCode)
    );
    assert_eq!(
        with(&|c| {
            c.in_person = true;
            c.sitting_ok = Some(true)
        }),
        Ok(())
    );
    // A code does not let anyone around their own rules.
    assert_eq!(
        with(&|c| {
            c.ip_allowed = false;
            c.sitting_ok = Some(true)
        }),
        Err(Refusal::IpNotAllowed)
    );
}

#[test]
fn ip_ranges() {
    let ranges = "10.20.0.0/16\n\n192.168.1.7\n";
    assert!(ip_allowed(ranges, "10.20.3.4".parse().ok()));
    assert!(ip_allowed(ranges, "192.168.1.7".parse().ok()));
    assert!(!ip_allowed(ranges, "192.168.1.8".parse().ok()));
    assert!(!ip_allowed(ranges, None));
    assert!(ip_allowed("", "8.8.8.8".parse().ok()));
    assert_eq!(parse_ip_ranges("10.0.0.0/8\n营业厅\n").unwrap_err().len(), 1);
    assert!(parse_ip_ranges("10.0.0.0/8\n营业厅\n").unwrap_err()[0].contains('2'));
}
