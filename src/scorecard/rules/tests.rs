use super::*;
use crate::domain::Month;

fn avg(sum: i64, n: i64) -> Option<Average> {
    Some(Average { sum, n })
}

/// A clerk with an exam score, a phone average and a drill speed; the other metrics empty.
fn clerk(
    id: i32,
    area: i32,
    hall: i32,
    exam: Option<i64>,
    phone: Option<i64>,
    speed: Option<i64>,
) -> ClerkFacts {
    ClerkFacts {
        user_id: id,
        staff_no: format!("1{id:04}"),
        name: format!("员工{id}"),
        hall_id: hall,
        hall: format!("厅{hall}"),
        area_id: Some(area),
        area: format!("县{area}"),
        exam,
        phone,
        drill_speed: speed,
        ..ClerkFacts::default()
    }
}

/// Area 1: hall 10 (clerks 1–3), hall 11 (clerk 4); area 2: hall 20 (clerks 5, 6).
fn city() -> Vec<ClerkFacts> {
    vec![
        clerk(5, 2, 20, Some(9000), None, Some(12_000)),
        clerk(1, 1, 10, Some(8000), Some(9000), Some(9_000)),
        clerk(2, 1, 10, Some(8000), None, Some(11_000)),
        clerk(3, 1, 10, None, Some(7001), None),
        clerk(4, 1, 11, Some(6001), Some(8000), Some(9_000)),
        clerk(6, 2, 20, Some(7000), Some(6000), Some(10_000)),
    ]
}

#[test]
fn ranks_are_competition_ranks_in_the_metrics_direction() {
    type Case = (Metric, Vec<Option<i64>>, Vec<Option<usize>>);
    let cases: [Case; 6] = [
        (Metric::Exam, vec![Some(80), Some(80), Some(70)], vec![Some(1), Some(1), Some(3)]),
        (
            Metric::Exam,
            vec![Some(70), Some(90), Some(80), Some(90)],
            vec![Some(4), Some(1), Some(3), Some(1)],
        ),
        (Metric::Exam, vec![None, Some(50), None], vec![None, Some(1), None]),
        (Metric::Exam, vec![], vec![]),
        // Drill speed: less time against the target is better.
        (Metric::DrillSpeed, vec![Some(9000), Some(11_000), Some(9000)], vec![Some(1), Some(3), Some(1)]),
        (Metric::DrillAccuracy, vec![Some(10_000), Some(5000), None], vec![Some(1), Some(2), None]),
    ];
    for (metric, values, want) in cases {
        assert_eq!(ranks(metric, &values), want, "{metric:?} {values:?}");
    }
}

#[test]
fn means_are_exact_and_shown_rounded_half_up() {
    // (values, exact mean, shown)
    type Case = (Vec<Option<i64>>, Option<Average>, Option<i64>);
    let cases: [Case; 5] = [
        (vec![], None, None),
        (vec![None, None], None, None),
        (vec![Some(8000), None, Some(8001)], avg(16_001, 2), Some(8001)),
        (vec![Some(10_000), Some(0), Some(0)], avg(10_000, 3), Some(3333)),
        (vec![Some(10_000), Some(10_000), Some(0)], avg(20_000, 3), Some(6667)),
    ];
    for (values, want, shown) in cases {
        let got = mean(values.clone());
        assert_eq!(got, want, "{values:?}");
        assert_eq!(got.map(|a| a.hundredths()), shown, "{values:?}");
    }
    assert_eq!(Metric::Exam.text(Some(8001)), "80.01");
    assert_eq!(Metric::Reading.text(Some(8750)), "87.50%");
    assert_eq!(Metric::Phone.text(None), "—");
}

#[test]
fn each_clerk_has_the_hall_area_and_city_figures_and_the_rank_in_the_hall() {
    let card = build(Month::parse("2026-11").unwrap(), city(), &HashMap::new(), 300);
    let exam = |id: i32| card.clerk(id).unwrap().figure(Metric::Exam).clone();
    // Clerk 1, exam: hall 10 (80, 80, absent) = 80; area 1 (80, 80, 60.01) = 220.01/3; city (+90, 70) = 380.01/5.
    assert_eq!(
        exam(1),
        Figure {
            value: Some(8000),
            hall: avg(16_000, 2),
            area: avg(22_001, 3),
            city: avg(38_001, 5),
            rank: Some(1),
            ranked: 2
        }
    );
    assert_eq!(
        (exam(2).rank, exam(3).rank, exam(3).ranked),
        (Some(1), None, 2),
        "ties share, absent unranked"
    );
    assert_eq!((exam(5).rank, exam(6).rank), (Some(1), Some(2)));
    assert_eq!((exam(4).rank, exam(4).ranked, exam(4).hall), (Some(1), 1, avg(6001, 1)));
    let phone = card.clerk(3).unwrap().figure(Metric::Phone).clone();
    assert_eq!((phone.value, phone.hall, phone.rank, phone.ranked), (Some(7001), avg(16_001, 2), Some(2), 2));
    assert_eq!(phone.city, avg(30_001, 4));
    let speed = |id: i32| card.clerk(id).unwrap().figure(Metric::DrillSpeed).clone();
    assert_eq!((speed(1).rank, speed(2).rank), (Some(1), Some(2)), "faster ranks first");
    assert_eq!((speed(6).rank, speed(5).rank), (Some(1), Some(2)));
    // Ordered by area, hall, 工号.
    let order: Vec<i32> = card.clerks.iter().map(|c| c.facts.user_id).collect();
    assert_eq!(order, vec![1, 2, 3, 4, 5, 6]);
}

#[test]
fn halls_and_areas_roll_up_their_clerks_and_study_hours() {
    let study = HashMap::from([(10, 300), (11, 120), (20, 299)]);
    let card = build(Month::parse("2026-11").unwrap(), city(), &study, 300);
    type Shape = (Option<i32>, String, usize, usize, Option<Average>, Option<Average>, i64, usize);
    let shape = |r: &Rollup| -> Shape {
        (
            r.id,
            r.name.clone(),
            r.halls,
            r.clerks,
            r.mean(Metric::Exam),
            r.mean(Metric::DrillSpeed),
            r.study_minutes,
            r.halls_on_target,
        )
    };
    let halls: Vec<Shape> = card.halls.iter().map(shape).collect();
    assert_eq!(
        halls,
        vec![
            (Some(10), "厅10".into(), 1, 3, avg(16_000, 2), avg(20_000, 2), 300, 1),
            (Some(11), "厅11".into(), 1, 1, avg(6001, 1), avg(9000, 1), 120, 0),
            (Some(20), "厅20".into(), 1, 2, avg(16_000, 2), avg(22_000, 2), 299, 0),
        ]
    );
    assert_eq!(card.halls[1].area, "县1");
    let areas: Vec<Shape> = card.areas.iter().map(shape).collect();
    assert_eq!(
        areas,
        vec![
            (Some(1), "县1".into(), 2, 4, avg(22_001, 3), avg(29_000, 3), 420, 1),
            (Some(2), "县2".into(), 1, 2, avg(16_000, 2), avg(22_000, 2), 299, 0),
        ]
    );
    assert_eq!(shape(&card.city), (None, "全市".into(), 3, 6, avg(38_001, 5), avg(51_000, 5), 719, 1));
    // A target of zero: every hall meets it.
    assert_eq!(build(Month::parse("2026-11").unwrap(), city(), &HashMap::new(), 0).city.halls_on_target, 3);
    let empty = build(Month::parse("2026-11").unwrap(), vec![], &study, 300);
    assert_eq!((empty.city.clerks, empty.city.halls, empty.city.mean(Metric::Exam)), (0, 0, None));
}

#[test]
fn tables_sort_by_a_metric_best_or_worst_first_with_no_value_last() {
    let card = build(Month::parse("2026-11").unwrap(), city(), &HashMap::new(), 300);
    let order = |by: Option<Metric>, worst: bool| {
        let mut c = card.clerks.clone();
        sort_clerks(&mut c, by, worst);
        c.iter().map(|c| c.facts.user_id).collect::<Vec<_>>()
    };
    let cases = [
        (None, false, vec![1, 2, 3, 4, 5, 6]),
        (Some(Metric::Exam), false, vec![5, 1, 2, 6, 4, 3]),
        (Some(Metric::Exam), true, vec![4, 6, 1, 2, 5, 3]),
        (Some(Metric::DrillSpeed), false, vec![1, 4, 6, 2, 5, 3]),
        (Some(Metric::DrillSpeed), true, vec![5, 2, 6, 1, 4, 3]),
        (Some(Metric::Phone), false, vec![1, 4, 3, 6, 2, 5]),
    ];
    for (by, worst, want) in cases {
        assert_eq!(order(by, worst), want, "{by:?} worst first: {worst}");
    }
    let halls = |by: Option<Metric>, worst: bool| {
        let mut h = card.halls.clone();
        sort_rollups(&mut h, by, worst);
        h.iter().map(|h| h.id.unwrap_or_default()).collect::<Vec<_>>()
    };
    // Hall exam means: 10 → 80, 11 → 60.01, 20 → 80 (a tie keeps the built order).
    assert_eq!(halls(Some(Metric::Exam), false), vec![10, 20, 11]);
    assert_eq!(halls(Some(Metric::Exam), true), vec![11, 10, 20]);
    // Speed means: 10 → 100%, 11 → 90%, 20 → 110%.
    assert_eq!(halls(Some(Metric::DrillSpeed), false), vec![11, 10, 20]);
    assert_eq!(halls(Some(Metric::Reading), false), vec![10, 11, 20], "nobody has a value: as built");
}

#[test]
fn the_city_district_comes_before_the_counties() {
    let mut facts = city();
    for f in facts.iter_mut().filter(|f| f.area_id == Some(1)) {
        f.county = true;
    }
    let card = build(Month::parse("2026-11").unwrap(), facts, &HashMap::new(), 300);
    let order: Vec<i32> = card.clerks.iter().map(|c| c.facts.user_id).collect();
    assert_eq!(order, vec![5, 6, 1, 2, 3, 4]);
    assert_eq!(card.halls.iter().map(|h| h.id.unwrap_or_default()).collect::<Vec<_>>(), vec![20, 10, 11]);
    assert_eq!(card.areas.iter().map(|a| a.id.unwrap_or_default()).collect::<Vec<_>>(), vec![2, 1]);
}

#[test]
fn metric_codes_round_trip() {
    for m in Metric::ALL {
        assert_eq!(Metric::parse(m.code()), Some(m));
        assert_eq!(m as usize, Metric::ALL.iter().position(|x| *x == m).unwrap());
    }
    assert_eq!(Metric::parse("score"), None);
}
