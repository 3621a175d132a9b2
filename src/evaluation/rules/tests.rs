use std::collections::BTreeMap;

use super::three_sixty::{group_mean, raters, threshold, Raters, Staff};
use super::*;
use crate::auth::Role;

#[test]
fn linear_mappings_by_hand() {
    // Exam score: nothing at 60 or below, all 30 points at 100.
    let exam = Mapping::Linear { zero_at: 6_000, full_at: 10_000 };
    for (figure, want) in
        [(5_000, 0), (6_000, 0), (8_000, 1_500), (8_533, 1_900), (10_000, 3_000), (10_500, 3_000)]
    {
        assert_eq!(points(&exam, figure, 3_000), want, "{figure}");
    }
    // Drill time against the target: lower is better; all 10 points at 100 %, none at 200 %.
    let speed = Mapping::Linear { zero_at: 20_000, full_at: 10_000 };
    for (figure, want) in
        [(9_000, 1_000), (10_000, 1_000), (15_000, 500), (17_500, 250), (20_000, 0), (25_000, 0)]
    {
        assert_eq!(points(&speed, figure, 1_000), want, "{figure}");
    }
    // A step: full marks from the figure on.
    assert_eq!(points(&Mapping::Linear { zero_at: 9_000, full_at: 9_000 }, 9_000, 500), 500);
    assert_eq!(points(&Mapping::Linear { zero_at: 9_000, full_at: 9_000 }, 8_999, 500), 0);
}

#[test]
fn band_mappings_by_hand() {
    // Reading on time: 100 % → all, ≥ 90 % → 80 %, ≥ 80 % → 50 %, below → none.
    let bands = Mapping::Bands {
        bands: vec![
            Band { from: 10_000, percent: 100 },
            Band { from: 9_000, percent: 80 },
            Band { from: 8_000, percent: 50 },
        ],
    };
    for (figure, want) in [(10_000, 1_000), (9_999, 800), (9_000, 800), (8_500, 500), (7_999, 0)] {
        assert_eq!(points(&bands, figure, 1_000), want, "{figure}");
    }
    // 50 % of 7.5 points = 3.75.
    assert_eq!(points(&bands, 8_000, 750), 375);
}

fn scheme() -> Vec<Component> {
    let measured = |code: &str, max, mapping| Component {
        code: code.into(),
        label: code.into(),
        max,
        source: Source::Measured { metric: code.into(), mapping },
        veto: false,
    };
    vec![
        measured("exam", 4_000, Mapping::Linear { zero_at: 6_000, full_at: 10_000 }),
        measured("phone", 3_000, Mapping::Linear { zero_at: 6_000, full_at: 10_000 }),
        Component {
            code: "attitude".into(),
            label: "服务态度".into(),
            max: 2_000,
            source: Source::Rated,
            veto: false,
        },
        Component {
            code: "zero".into(),
            label: "零容忍".into(),
            max: 1_000,
            source: Source::Rated,
            veto: true,
        },
    ]
}

fn inputs(list: &[(&str, Input)]) -> BTreeMap<String, Input> {
    list.iter().map(|(c, i)| (c.to_string(), *i)).collect()
}

#[test]
fn a_months_total_by_hand() {
    let s = scheme();
    assert_eq!(check_scheme(&s), Ok(()));
    // exam 90 → 30 of 40; phone 80 → 15 of 30; attitude 18 of 20; zero 10 of 10: 73.
    let all = inputs(&[
        ("exam", Input::Figure(9_000)),
        ("phone", Input::Figure(8_000)),
        ("attitude", Input::Rating(1_800)),
        ("zero", Input::Rating(1_000)),
    ]);
    let e = evaluate(&s, &all, Missing::Rescale, &[]);
    assert_eq!(e.total, 7_300);
    assert_eq!(
        e.parts.iter().map(|p| p.points).collect::<Vec<_>>(),
        vec![Some(3_000), Some(1_500), Some(1_800), Some(1_000)]
    );
    // No phone test this month: rescaled, 58 of 70 = 82.857… → 82.86; or zero: 58.
    let no_phone = inputs(&[
        ("exam", Input::Figure(9_000)),
        ("attitude", Input::Rating(1_800)),
        ("zero", Input::Rating(1_000)),
    ]);
    assert_eq!(evaluate(&s, &no_phone, Missing::Rescale, &[]).total, 8_286);
    assert_eq!(evaluate(&s, &no_phone, Missing::Zero, &[]).total, 5_800);
    // A rating above the component's points is capped; a rating for a measured component is ignored.
    let odd = inputs(&[
        ("exam", Input::Rating(4_000)),
        ("attitude", Input::Rating(2_500)),
        ("zero", Input::Rating(1_000)),
    ]);
    let e = evaluate(&s, &odd, Missing::Zero, &[]);
    assert_eq!(e.parts[0].points, None);
    assert_eq!(e.total, 3_000);
    // 一票否决: the breached veto component zeroes everything; a breach of a non-veto component does not.
    let e = evaluate(&s, &all, Missing::Rescale, &["zero".to_string()]);
    assert_eq!((e.total, e.vetoed.clone()), (0, vec!["zero".to_string()]));
    assert_eq!(evaluate(&s, &all, Missing::Rescale, &["phone".to_string()]).total, 7_300);
    // An upheld appeal's points stand for any component, capped at its points:
    // phone set to 25 → 30 + 25 + 18 + 10 = 83; exam set to 50 → capped at 40: 40 + 15 + 18 + 10 = 83.
    let mut appealed = all.clone();
    appealed.insert("phone".into(), Input::Points(2_500));
    assert_eq!(evaluate(&s, &appealed, Missing::Rescale, &[]).total, 8_300);
    let mut appealed = all.clone();
    appealed.insert("exam".into(), Input::Points(5_000));
    assert_eq!(evaluate(&s, &appealed, Missing::Rescale, &[]).total, 8_300);
    // Nothing at all: 0, not a division by zero.
    assert_eq!(evaluate(&s, &BTreeMap::new(), Missing::Rescale, &[]).total, 0);
}

#[test]
fn a_scheme_is_checked_for_size_and_zero_point_items() {
    let rated = |code: &str, max: i64, veto: bool| Component {
        code: code.into(),
        label: code.into(),
        max,
        source: Source::Rated,
        veto,
    };
    let mut many: Vec<Component> = (0..20).map(|i| rated(&format!("c{i}"), 500, false)).collect();
    assert_eq!(check_scheme(&many), Ok(()));
    many.push(rated("veto", 0, true));
    assert_eq!(check_scheme(&many), Err(SchemeError::TooMany(21)));
    let zero = vec![rated("a", 10_000, false), rated("b", 0, false)];
    assert_eq!(check_scheme(&zero), Err(SchemeError::Bad("b".into())));
}

#[test]
fn a_scheme_is_checked() {
    let mut s = scheme();
    s[0].max = 3_900;
    assert_eq!(check_scheme(&s), Err(SchemeError::Sum(9_900)));
    let mut s = scheme();
    s[1].code = "exam".into();
    assert_eq!(check_scheme(&s), Err(SchemeError::Duplicate("exam".into())));
    assert!(rating_needs_reason(1_800, 2_000));
    assert!(!rating_needs_reason(2_000, 2_000));
}

#[test]
fn a_team_leaders_raters_come_from_the_org_tree() {
    let p = |id, role, hall, area| Staff { id, role, hall, area };
    // County 10: halls 1 and 2; county 20: hall 3.
    let staff = vec![
        p(1, Role::TeamLeader, Some(1), Some(10)),
        p(2, Role::TeamLeader, Some(2), Some(10)),
        p(3, Role::TeamLeader, Some(1), Some(10)),
        p(4, Role::TeamLeader, Some(3), Some(20)),
        p(5, Role::HallManager, Some(1), Some(10)),
        p(6, Role::Supervisor, None, Some(10)),
        p(7, Role::Clerk, Some(1), Some(10)),
        p(8, Role::Clerk, Some(1), Some(10)),
        p(9, Role::Clerk, Some(2), Some(10)),
    ];
    let r = raters(&staff[0], &staff);
    assert_eq!(r.superior, Some(5), "the hall's manager");
    assert_eq!(r.peers, vec![2, 3], "the county's other team leaders");
    assert_eq!(r.subordinates, vec![7, 8], "the hall's clerks");
    // No manager in hall 2: the county supervisor.
    assert_eq!(raters(&staff[1], &staff).superior, Some(6));
    // Hall 3's county has nobody above: no superior, no peers, no clerks.
    assert_eq!(raters(&staff[3], &staff), Raters::default());
}

#[test]
fn an_anonymous_group_shows_only_from_three_answers() {
    assert_eq!(threshold(1), 3);
    assert_eq!(threshold(5), 5);
    assert_eq!(group_mean(&[4, 5], 3), None);
    // (4 + 5 + 3) / 3 = 4.00 → 400 hundredths.
    assert_eq!(group_mean(&[4, 5, 3], 3), Some(400));
    // (4 + 5 + 3 + 5) / 4 = 4.25.
    assert_eq!(group_mean(&[4, 5, 3, 5], 3), Some(425));
    // A setting below 3 is never honoured.
    assert_eq!(group_mean(&[5, 5], 1), None);
    assert_eq!(group_mean(&[4, 5, 3, 5], 5), None);
}

#[test]
fn the_360_overall_is_rounded_once_from_exact_group_means() {
    use super::three_sixty::{exact_group_mean, overall, GroupSum};
    // 6 items. Superior: one answer summing 16 → 2.666… ; subordinates: 8 answers summing
    // 175 → 175 / 48 = 3.6458…; peers: 5 answers summing 103 → 3.4333….
    let sup = GroupSum { sum: 16, answers: 1 };
    let sub = GroupSum { sum: 175, answers: 8 };
    let peer = GroupSum { sum: 103, answers: 5 };
    assert_eq!(exact_group_mean(sup, 6), Some(267));
    assert_eq!(exact_group_mean(sub, 6), Some(365));
    assert_eq!(exact_group_mean(peer, 6), Some(343));
    // (2.6667 + 3.6458 + 3.4333) / 3 = 3.24861… → 3.25; from the rounded means it would be
    // (2.67 + 3.65 + 3.43) / 3 = 3.25 too, so a case where the two differ:
    assert_eq!(overall(&[sup, sub, peer], 6), Some(325));
    // Groups of 3.875 and 3.8666…: exact mean 3.87083… → 3.87 (rounded first: 3.88 + 3.87 → 3.875 → 3.88).
    let a = GroupSum { sum: 93, answers: 4 }; // 93 / 24 = 3.875
    let b = GroupSum { sum: 116, answers: 5 }; // 116 / 30 = 3.8666…
    assert_eq!(overall(&[a, b], 6), Some(387));
    assert_eq!(overall(&[], 6), None);
    assert_eq!(overall(&[GroupSum { sum: 0, answers: 0 }], 6), None);
}

#[test]
fn ratings_and_appeals_are_for_an_ended_month_of_the_last_three() {
    use crate::domain::Month;
    use crate::evaluation::model::in_window;
    let m = |s: &str| Month::parse(s).unwrap_or_else(|_| Month::first());
    let now = m("2026-12");
    for (month, want) in [
        ("2026-12", false), // still running
        ("2027-01", false),
        ("2026-11", true),
        ("2026-09", true),
        ("2026-08", false), // four months back: the window is over
        ("2020-01", false),
    ] {
        assert_eq!(in_window(m(month), now), want, "{month}");
    }
    // Across a new year.
    assert!(in_window(m("2026-10"), m("2027-01")));
    assert!(!in_window(m("2026-09"), m("2027-01")));
}
