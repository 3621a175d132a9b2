use super::*;
use crate::exam::paper::PaperRule;

fn fields(pairs: &[(&str, &str)]) -> Fields {
    Fields(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

fn valid_pairs() -> Vec<(&'static str, &'static str)> {
    vec![
        ("title", "2026年11月三大渠道月考"),
        ("month", "2026-11"),
        ("kind", "monthly"),
        ("channels", "hall"),
        ("channels", "hotline"),
        ("opens_at", "2026-11-28T09:00"),
        ("closes_at", "2026-11-28T17:00"),
        ("time_limit", "60"),
        ("pass_mark", "60"),
        ("review", "full"),
        ("grace_seconds", "30"),
        ("units", "1"),
        ("roles", "clerk"),
        ("include", "10001，10002"),
        ("mode", "sections"),
        ("bank_id", "3"),
        ("s0_title", "单选"),
        ("s0_kind", "single"),
        ("s0_count", "20"),
        ("s0_points", "2.5"),
        ("s0_channels", "hall"),
        ("s0_dmin", "1"),
        ("s0_dmax", "5"),
        ("offset_4", "10"),
        ("random_max", "3"),
    ]
}

#[test]
fn a_valid_form_becomes_an_exam() {
    let v = ExamForm::from_fields(&fields(&valid_pairs())).validate().unwrap();
    assert_eq!(v.exam.month.as_str(), "2026-11");
    // 09:00 in Shanghai is 01:00 UTC.
    assert_eq!(v.exam.opens_at.format("%Y-%m-%d %H:%M").to_string(), "2026-11-28 01:00");
    assert_eq!(v.exam.pass_mark, 6000);
    assert_eq!(v.include, vec!["10001", "10002"]);
    let PaperRule::Sections { bank_id, sections } = v.exam.paper_rule().unwrap() else { panic!() };
    assert_eq!((bank_id, sections.len(), sections[0].points, sections[0].count), (3, 1, 250, 20));
    assert_eq!(sections[0].channels, vec![Channel::Hall]);
    let stagger = v.exam.stagger();
    assert_eq!((stagger.area_offsets.get(&4), stagger.random_max_minutes), (Some(&10), 3));
    // And back: the edit form shows what was saved.
    let form = ExamForm::from_exam(&v.exam, &|id| id.to_string());
    assert_eq!((form.opens_at.as_str(), form.sections[0].points.as_str()), ("2026-11-28T09:00", "2.5"));
}

/// Replaces (or adds) one posted field.
fn set(pairs: &mut Vec<(&'static str, &'static str)>, key: &'static str, value: &'static str) {
    pairs.retain(|(k, _)| *k != key);
    pairs.push((key, value));
}

#[test]
fn every_problem_is_reported_under_its_field() {
    type Change = fn(&mut Vec<(&'static str, &'static str)>);
    let cases: [(Change, &str, &str); 19] = [
        (|p| set(p, "title", ""), "title", msg::EXAM_TITLE_REQUIRED),
        (|p| set(p, "title", "考".repeat(101).leak()), "title", msg::EXAM_TITLE_REQUIRED),
        (|p| set(p, "month", "2026-13"), "month", msg::EXAM_BAD_MONTH),
        (|p| set(p, "month", "9999-11"), "month", msg::EXAM_MONTH_RANGE),
        (|p| set(p, "kind", "weekly"), "kind", msg::EXAM_BAD_KIND),
        (|p| p.retain(|(k, _)| *k != "channels"), "channels", msg::EXAM_CHANNELS_REQUIRED),
        (|p| set(p, "closes_at", "2026-11-28T08:00"), "window", msg::EXAM_WINDOW_ORDER),
        (|p| set(p, "closes_at", "9999-11-28T08:00"), "window", msg::EXAM_WINDOW_RANGE),
        (|p| set(p, "opens_at", "明天"), "window", msg::EXAM_BAD_WINDOW),
        (|p| set(p, "time_limit", "0"), "time_limit", msg::EXAM_BAD_LIMIT),
        (|p| set(p, "pass_mark", "101"), "pass_mark", msg::EXAM_BAD_PASS_MARK),
        (|p| set(p, "review", "all"), "review", msg::EXAM_BAD_REVIEW),
        (|p| set(p, "grace_seconds", "-1"), "grace_seconds", msg::EXAM_BAD_GRACE),
        (|p| set(p, "allowed_ips", "10.0.0.0/8\n大厅"), "allowed_ips", "第 2 行「大厅」"),
        (
            |p| {
                set(p, "roles", "nobody");
                set(p, "include", "");
            },
            "audience",
            msg::EXAM_AUDIENCE_REQUIRED,
        ),
        (|p| set(p, "offset_4", "241"), "offsets", msg::EXAM_BAD_OFFSET),
        (|p| set(p, "random_max", "121"), "random_max", msg::EXAM_BAD_OFFSET),
        (|p| set(p, "bank_id", ""), "bank_id", msg::EXAM_BANK_REQUIRED),
        (|p| set(p, "s0_count", "x"), "sections", "抽题规则第 1 行：题数应为 1–200"),
    ];
    for (change, field, want) in cases {
        let mut pairs = valid_pairs();
        change(&mut pairs);
        let errors = ExamForm::from_fields(&fields(&pairs)).validate().unwrap_err();
        assert_eq!(errors.keys().copied().collect::<Vec<_>>(), [field], "{pairs:?}");
        assert!(errors[field].contains(want), "{want} in {errors:?}");
    }
}

#[test]
fn several_problems_are_all_kept_each_under_its_field() {
    let mut pairs = valid_pairs();
    for (k, v) in
        [("month", "2026-13"), ("time_limit", "0"), ("s0_count", "x"), ("s0_dmin", "5"), ("s0_dmax", "1")]
    {
        set(&mut pairs, k, v);
    }
    let errors = ExamForm::from_fields(&fields(&pairs)).validate().unwrap_err();
    assert_eq!(errors.keys().copied().collect::<Vec<_>>(), ["month", "sections", "time_limit"]);
    // The only row is unusable, so the paper is empty too.
    let all = format!(
        "{}；{}；{}",
        msg::exam_section_error(1, msg::EXAM_SECTION_COUNT),
        msg::exam_section_error(1, msg::EXAM_SECTION_DIFFICULTY),
        msg::EXAM_PAPER_EMPTY
    );
    assert_eq!(errors["sections"], all);
}

#[test]
fn fixed_lists_take_ids_and_optional_points() {
    let mut pairs = valid_pairs();
    pairs.retain(|(k, _)| *k != "mode");
    pairs.push(("mode", "fixed"));
    pairs.push(("fixed_items", "12\n#13 2.5\n\nabc\n12"));
    let errors = ExamForm::from_fields(&fields(&pairs)).validate().unwrap_err();
    let want = format!("{}；{}", msg::exam_bad_fixed_line(4, "abc"), msg::exam_fixed_duplicate(12));
    assert_eq!(errors, FieldErrors::from([("fixed_items", want)]));
    pairs.retain(|(k, _)| *k != "fixed_items");
    let errors = ExamForm::from_fields(&fields(&pairs)).validate().unwrap_err();
    assert_eq!(errors, FieldErrors::from([("fixed_items", msg::EXAM_PAPER_EMPTY.to_string())]));
}

#[test]
fn the_new_exam_defaults_never_make_a_second_monthly_exam() {
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    let month = |s: &str| Month::parse(s).unwrap();
    // (now in Beijing, months that already have their monthly exam) →
    // (kind, month, title, opens_at, closes_at), worked out by hand.
    let cases: [(&str, &[&str], [&str; 5]); 5] = [
        (
            "2026-12-07 10:00",
            &[],
            ["monthly", "2026-12", "2026年12月三大渠道月考", "2026-12-08T09:00", "2026-12-08T17:00"],
        ),
        (
            "2026-12-07 10:00",
            &["2026-12"],
            ["monthly", "2027-01", "2027年1月三大渠道月考", "2027-01-10T09:00", "2027-01-10T17:00"],
        ),
        (
            "2026-12-07 10:00",
            &["2026-11", "2027-02"],
            ["monthly", "2026-12", "2026年12月三大渠道月考", "2026-12-08T09:00", "2026-12-08T17:00"],
        ),
        (
            "2026-12-07 10:00",
            &["2026-12", "2027-01"],
            ["practice", "2026-12", "2026年12月三大渠道练习", "2026-12-08T09:00", "2026-12-08T17:00"],
        ),
        // The last day of a month: tomorrow is already next month's first day.
        (
            "2026-11-30 23:59",
            &[],
            ["monthly", "2026-11", "2026年11月三大渠道月考", "2026-12-01T09:00", "2026-12-01T17:00"],
        ),
    ];
    for (now, taken, [kind, m, title, opens, closes]) in cases {
        let taken: Vec<Month> = taken.iter().map(|t| month(t)).collect();
        let form = ExamForm::new_default(at(now), |m| taken.contains(&m));
        let got = [form.kind.as_str(), &form.month, &form.title, &form.opens_at, &form.closes_at];
        assert_eq!(got, [kind, m, title, opens, closes], "{now} {taken:?}");
    }
}
