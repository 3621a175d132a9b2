use super::*;

fn county(id: i32, score: Option<i64>) -> Sitter {
    Sitter { user_id: id, hall_id: Some(100), area_id: Some(10), county: true, score }
}

fn city(id: i32, score: Option<i64>) -> Sitter {
    Sitter { user_id: id, hall_id: Some(200), area_id: Some(20), county: false, score }
}

fn flagged(o: &Outcome) -> Vec<(i32, Reason)> {
    o.flags.iter().map(|f| (f.user_id, f.reason)).collect()
}

#[test]
fn below_is_strict_and_exact() {
    // Mean of 80, 70, 75 = 75: the 75 tie is not below.
    let o = close_month(&[city(1, Some(8000)), county(2, Some(7000)), county(3, Some(7500))], true);
    assert_eq!(o.city, Some(Average { sum: 22_500, n: 3 }));
    assert_eq!(flagged(&o), vec![(2, Reason::Below)]);
}

#[test]
fn fractional_averages_compare_without_rounding() {
    // Mean of 70.00, 70.00, 70.01 = 70.003333…: 70.00 is below, 70.01 is not;
    // shown as 70.00 the average would wrongly make 70.00 a tie.
    let o = close_month(&[county(1, Some(7000)), county(2, Some(7000)), county(3, Some(7001))], true);
    let avg = o.city.unwrap();
    assert_eq!(avg.hundredths(), 7000);
    assert_eq!(flagged(&o), vec![(1, Reason::Below), (2, Reason::Below)]);
    assert_eq!(avg.gap(7000), 0, "the gap shows as 0.00 though it is −0.0033…");
    // Mean 200/3 hundredths = 0.6666…: shown rounded half up as 0.67.
    assert_eq!(Average { sum: 200, n: 3 }.hundredths(), 67);
    assert_eq!(Average { sum: 100, n: 8 }.hundredths(), 13, "12.5 hundredths round half up");
}

#[test]
fn table_of_whole_months() {
    // (case, sitters, flag absent, expected flags)
    type Case = (&'static str, Vec<Sitter>, bool, Vec<(i32, Reason)>);
    let cases: Vec<Case> = vec![
        (
            "all equal: nobody below",
            vec![county(1, Some(6000)), county(2, Some(6000)), city(3, Some(6000))],
            true,
            vec![],
        ),
        ("one participant is the average", vec![county(1, Some(4000))], true, vec![]),
        ("no county clerks: nobody flagged", vec![city(1, Some(9000)), city(2, Some(1000))], true, vec![]),
        (
            "absent county clerks flagged, absent city clerks not",
            vec![county(1, None), city(2, None), city(3, Some(8000))],
            true,
            vec![(1, Reason::Absent)],
        ),
        ("the absent setting off", vec![county(1, None), city(3, Some(8000))], false, vec![]),
        (
            "everyone absent: no average, absences still flag",
            vec![county(1, None), county(2, None), city(3, None)],
            true,
            vec![(1, Reason::Absent), (2, Reason::Absent)],
        ),
        (
            "city clerks below the average are not flagged",
            vec![city(1, Some(1000)), county(2, Some(9000)), county(3, Some(4000))],
            true,
            vec![(3, Reason::Below)],
        ),
    ];
    for (name, sitters, absent, want) in cases {
        assert_eq!(flagged(&close_month(&sitters, absent)), want, "{name}");
    }
    assert_eq!(close_month(&[county(1, None)], true).city, None);
}

#[test]
fn the_hall_at_the_attempt_decides() {
    // Moved from a county hall to the city after sitting: the sitter carries
    // the hall of the attempt, so the county rule applies.
    let moved = Sitter { user_id: 1, hall_id: Some(100), area_id: Some(10), county: true, score: Some(5000) };
    let o = close_month(&[moved, city(2, Some(9000))], true);
    assert_eq!(flagged(&o), vec![(1, Reason::Below)]);
}

#[test]
fn large_cities_stay_exact() {
    // 40,000 clerks at 99.99 and one at 99.98: the mean is just under 99.99.
    let mut sitters: Vec<Sitter> = (0..40_000).map(|i| county(i, Some(9999))).collect();
    sitters.push(county(40_000, Some(9998)));
    let o = close_month(&sitters, true);
    assert_eq!(o.city.unwrap().n, 40_001);
    assert_eq!(flagged(&o), vec![(40_000, Reason::Below)]);
}

#[test]
fn group_averages_and_streaks() {
    let sitters = [county(1, Some(6000)), county(2, None), city(3, Some(9000))];
    assert_eq!(group_average(&sitters, |s| s.county), Some(Average { sum: 6000, n: 1 }));
    assert_eq!(group_average(&sitters, |s| s.hall_id == Some(999)), None);
    assert_eq!(consecutive(&[true, false, true, true]), 2);
    assert_eq!(consecutive(&[true, true, false]), 0);
    assert_eq!(consecutive(&[]), 0);
}

#[test]
fn what_changed_after_a_reopen() {
    let side = |id: i32, score: Option<i64>, listed: bool| Side {
        user_id: id,
        label: format!("1000{id}"),
        score,
        listed,
    };
    let avg = |sum, n| Some(Average { sum, n });
    // Nothing changed: nothing to show.
    let same = [side(1, Some(7000), true), side(2, Some(9000), false)];
    assert!(diff(avg(16000, 2), &same, avg(16000, 2), &same).is_empty());
    // A regraded paper moves the average; one clerk leaves the list, an absentee's late score appears.
    let before = [side(1, Some(7000), true), side(2, Some(9000), false), side(3, None, true)];
    let after = [
        side(1, Some(8000), false),
        side(2, Some(9000), false),
        side(3, Some(6000), true),
        side(4, Some(9500), false),
    ];
    let d = diff(avg(16000, 2), &before, avg(32500, 4), &after);
    let lines: Vec<(String, String)> = d.into_iter().map(|c| (c.who, c.what)).collect();
    assert_eq!(
        lines,
        vec![
            ("全市平均分".to_string(), "80.00（2 人） → 81.25（4 人）".to_string()),
            ("10001".to_string(), "分数 70.00 → 80.00；移出名单".to_string()),
            ("10003".to_string(), "分数 缺考 → 60.00".to_string()),
            ("10004".to_string(), "新增成绩 95.00".to_string()),
        ]
    );
    // Someone no longer among the candidates (e.g. an attempt removed), who was listed.
    let d = diff(avg(7000, 1), &[side(1, Some(7000), true)], None, &[]);
    assert_eq!(d[1].what, "不再计入（原 70.00）；移出名单");
}

#[test]
fn display_with_two_decimals() {
    assert_eq!(two_decimals(7433), "74.33");
    assert_eq!(two_decimals(7000), "70.00");
    assert_eq!(two_decimals(5), "0.05");
    assert_eq!(two_decimals(-5), "-0.05");
    assert_eq!(Average { sum: 15_000, n: 2 }.gap(7000), -500);
    assert_eq!(Average { sum: 2, n: 3 }.gap(0), -1, "−0.666… hundredths shows as −0.01");
}
