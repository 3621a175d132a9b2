use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use proptest::prelude::*;

use super::assign::{cross_assign, propose_spot, Hall, Inspector};
use super::*;

fn item(code: &str, section: &str, points: i64, zero: ZeroTolerance) -> Item {
    Item {
        code: code.into(),
        section: section.into(),
        name: format!("项目{code}"),
        how: String::new(),
        points,
        zero,
        photo_on_fail: false,
        queue: false,
    }
}

/// Four sections: 硬件 30 (A1 10, A2 20), 服务 30 (B1 10 zeroes the section,
/// B2 20), 业务 25 (C1 25 zeroes everything), 排队 15 (Q, the queue item).
fn standard() -> Standard {
    let mut q = item("Q", "排队", 1500, ZeroTolerance::None);
    q.queue = true;
    Standard {
        items: vec![
            item("A1", "硬件", 1000, ZeroTolerance::None),
            item("A2", "硬件", 2000, ZeroTolerance::None),
            item("B1", "服务", 1000, ZeroTolerance::Section),
            item("B2", "服务", 2000, ZeroTolerance::None),
            item("C1", "业务", 2500, ZeroTolerance::All),
            q,
        ],
        bands: vec![
            Band { minutes: 10, percent: 100 },
            Band { minutes: 20, percent: 60 },
            Band { minutes: 30, percent: 20 },
        ],
    }
}

fn outcomes(list: &[(&str, Outcome)]) -> BTreeMap<String, Outcome> {
    list.iter().map(|(c, o)| (c.to_string(), *o)).collect()
}

use Outcome::{Fail, Na, Pass};

#[test]
fn scores_by_hand() {
    let s = standard();
    let all_pass = [("A1", Pass), ("A2", Pass), ("B1", Pass), ("B2", Pass), ("C1", Pass)];
    let q = |minutes| Some(Queue { minutes, waiting: 4 });
    // (outcomes, queue minutes, total, zero hits, failed)
    type Case<'a> = (&'a [(&'a str, Outcome)], Option<Queue>, i64, &'a [&'a str], &'a [&'a str]);
    let cases: Vec<Case> = vec![
        (&all_pass, q(8), 10_000, &[], &[]),
        // 10 min is inside the first band; 11 is the second (60 % of 15 = 9).
        (&all_pass, q(10), 10_000, &[], &[]),
        (&all_pass, q(11), 9_400, &[], &[]),
        (&all_pass, q(30), 8_800, &[], &[]),
        // Over the last band: the queue earns nothing and is a failed item.
        (&all_pass, q(31), 8_500, &[], &["Q"]),
        // A2 failed: 100 − 20.
        (&[("A1", Pass), ("A2", Fail), ("B1", Pass), ("B2", Pass), ("C1", Pass)], q(5), 8_000, &[], &["A2"]),
        // B1 (零容忍, section) failed: 服务 earns 0 though B2 passed: 100 − 30.
        (
            &[("A1", Pass), ("A2", Pass), ("B1", Fail), ("B2", Pass), ("C1", Pass)],
            q(5),
            7_000,
            &["B1"],
            &["B1"],
        ),
        // C1 (零容忍, all) failed: nothing counts.
        (&[("A1", Pass), ("A2", Pass), ("B1", Pass), ("B2", Pass), ("C1", Fail)], q(5), 0, &["C1"], &["C1"]),
        // A2 N/A: 80 applicable, all earned → 100.
        (&[("A1", Pass), ("A2", Na), ("B1", Pass), ("B2", Pass), ("C1", Pass)], q(5), 10_000, &[], &[]),
        // A2 N/A and A1 failed: 70 of 80 = 87.5.
        (&[("A1", Fail), ("A2", Na), ("B1", Pass), ("B2", Pass), ("C1", Pass)], q(5), 8_750, &[], &["A1"]),
        // Queue N/A (no queue at a small hall) and B2 failed: 65 of 85 = 76.470… → 76.47.
        (
            &[("A1", Pass), ("A2", Pass), ("B1", Pass), ("B2", Fail), ("C1", Pass), ("Q", Na)],
            None,
            7_647,
            &[],
            &["B2"],
        ),
        // Queue 15 min (9 of 15) and A1 N/A: 84 of 90 = 93.333… → 93.33.
        (&[("A1", Na), ("A2", Pass), ("B1", Pass), ("B2", Pass), ("C1", Pass)], q(15), 9_333, &[], &[]),
        // Everything N/A: nothing to score.
        (&[("A1", Na), ("A2", Na), ("B1", Na), ("B2", Na), ("C1", Na), ("Q", Na)], None, 0, &[], &[]),
        // An unanswered item counts as failed.
        (&[("A1", Pass), ("B1", Pass), ("B2", Pass), ("C1", Pass)], q(5), 8_000, &[], &["A2"]),
    ];
    for (i, (list, queue, total, hits, failed)) in cases.into_iter().enumerate() {
        let got = score(&s, &outcomes(list), queue);
        assert_eq!(got.total, total, "case {i}");
        assert_eq!(got.zero_hits, hits.iter().map(|h| h.to_string()).collect::<Vec<_>>(), "case {i}");
        assert_eq!(got.failed, failed.iter().map(|h| h.to_string()).collect::<Vec<_>>(), "case {i}");
    }
}

#[test]
fn section_figures_show_the_zeroed_section() {
    let got = score(
        &standard(),
        &outcomes(&[("A1", Pass), ("A2", Fail), ("B1", Fail), ("B2", Pass), ("C1", Pass)]),
        Some(Queue { minutes: 12, waiting: 6 }),
    );
    assert_eq!(
        got.sections,
        vec![
            ("硬件".to_string(), 1000, 3000),
            ("服务".to_string(), 0, 3000),
            ("业务".to_string(), 2500, 2500),
            ("排队".to_string(), 900, 1500),
        ]
    );
    // 10 + 0 + 25 + 9 = 44.
    assert_eq!(got.total, 4_400);
}

#[test]
fn queue_bands() {
    let b = standard().bands;
    for (minutes, percent) in [(0, 100), (10, 100), (11, 60), (20, 60), (21, 20), (30, 20), (31, 0), (240, 0)]
    {
        assert_eq!(queue_percent(&b, minutes), percent, "{minutes} min");
    }
}

#[test]
fn what_is_missing_before_submit() {
    let mut s = standard();
    s.items[1].photo_on_fail = true; // A2
    let photos = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<BTreeSet<_>>();
    let q = Some(Queue { minutes: 3, waiting: 1 });
    let done = outcomes(&[("A1", Pass), ("A2", Fail), ("B1", Pass), ("B2", Pass), ("C1", Pass)]);
    assert_eq!(missing(&s, &done, q, &photos(&["A2"])), None);
    assert_eq!(missing(&s, &done, q, &photos(&[])), Some(Missing::Photos(vec!["A2".into()])));
    assert_eq!(missing(&s, &done, None, &photos(&["A2"])), Some(Missing::Queue));
    let mut queue_na = done.clone();
    queue_na.insert("Q".into(), Na);
    assert_eq!(missing(&s, &queue_na, None, &photos(&["A2"])), None);
    let part = outcomes(&[("A1", Pass), ("C1", Pass)]);
    assert_eq!(
        missing(&s, &part, q, &photos(&[])),
        Some(Missing::Unanswered(vec!["A2".into(), "B1".into(), "B2".into()]))
    );
}

#[test]
fn a_standard_is_checked_before_it_is_saved() {
    assert_eq!(standard().validate(), Ok(()));
    let mut s = standard();
    s.items[0].points = 900;
    assert_eq!(s.validate(), Err(StandardError::Sum(9_900)));
    let mut s = standard();
    s.items[1].code = "A1".into();
    assert_eq!(s.validate(), Err(StandardError::DuplicateCode("A1".into())));
    let mut s = standard();
    s.items[0].queue = true;
    assert_eq!(s.validate(), Err(StandardError::QueueItems(2)));
    let mut s = standard();
    s.bands.swap(0, 1);
    assert_eq!(s.validate(), Err(StandardError::Bands));
    let mut s = standard();
    s.bands[0].percent = 120;
    assert_eq!(s.validate(), Err(StandardError::Bands));
    let mut s = standard();
    s.items[5].zero = ZeroTolerance::All;
    assert_eq!(s.validate(), Err(StandardError::BadItem("项目Q".into())));
    assert_eq!(Standard { items: vec![], bands: vec![] }.validate(), Err(StandardError::Empty));
}

#[test]
fn missed_days_of_the_daily_checks() {
    let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap_or_default();
    let checks: BTreeMap<NaiveDate, i64> = [(d(1), 2), (d(2), 1), (d(4), 3)].into_iter().collect();
    assert_eq!(missed_days(&checks, d(1), d(4), 2), vec![(d(2), 1), (d(3), 0)]);
    assert_eq!(missed_days(&checks, d(1), d(4), 1), vec![(d(3), 0)]);
    // Nothing is missed before the month starts.
    assert_eq!(missed_days(&checks, d(5), d(4), 2), vec![]);
}

#[test]
fn which_later_pass_closes_a_defect() {
    // (found by a daily check, in a 纠错单, passed by a daily check) → closes
    for (found_daily, in_order, passed_daily, closes) in [
        (true, false, true, true),
        (true, false, false, true),
        (false, false, true, false),
        (false, false, false, true),
        (true, true, true, false),
        (false, true, false, false),
    ] {
        assert_eq!(
            pass_closes(found_daily, in_order, passed_daily),
            closes,
            "{found_daily} {in_order} {passed_daily}"
        );
    }
}

#[test]
fn escalation_of_an_overdue_order() {
    let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap_or_default();
    for (today, open, want) in [
        (d(9), true, Escalation::None),
        (d(10), true, Escalation::None),
        (d(11), true, Escalation::County),
        (d(13), true, Escalation::County),
        (d(14), true, Escalation::City),
        (d(20), false, Escalation::None),
    ] {
        assert_eq!(escalation(d(10), today, open, 3), want, "{today}");
    }
}

#[test]
fn a_spot_plan_prefers_halls_not_visited_recently() {
    let halls: Vec<Hall> = (1..=10)
        .map(|id| Hall {
            id,
            area: 1,
            days_since_visit: if id == 1 { None } else { Some(if id <= 3 { 200 } else { 5 }) },
        })
        .collect();
    let mut counts = BTreeMap::new();
    for seed in 0..400 {
        let plan = propose_spot(&halls, 3, seed);
        assert_eq!(plan.len(), 3);
        assert_eq!(plan.iter().collect::<BTreeSet<_>>().len(), 3, "no hall twice");
        for h in plan {
            *counts.entry(h).or_insert(0) += 1;
        }
    }
    // Halls 1–3 (never / 200 days) carry 765 of 800 weight: drawn in most plans
    // (each misses about one plan in eight), the 5-day halls rarely.
    for h in 1..=3 {
        assert!(counts[&h] > 300, "hall {h}: {counts:?}");
    }
    assert!(counts.get(&9).copied().unwrap_or(0) < 100, "{counts:?}");
    // Fewer halls than asked: all of them.
    assert_eq!(propose_spot(&halls[..2], 3, 1).len(), 2);
    assert_eq!(propose_spot(&halls, 3, 7), propose_spot(&halls, 3, 7), "same seed, same plan");
}

#[test]
fn a_cross_round_where_counties_are_uneven() {
    // County 1 has five halls and the only two other-county inspectors are
    // from county 2, which has one hall: the county-1 leaders take it.
    let halls: Vec<Hall> = (1..=5)
        .map(|id| Hall { id, area: 1, days_since_visit: None })
        .chain([Hall { id: 6, area: 2, days_since_visit: None }])
        .collect();
    let people =
        [Inspector { id: 100, area: 2 }, Inspector { id: 101, area: 2 }, Inspector { id: 102, area: 1 }];
    let round = cross_assign(&halls, &people, 3);
    assert!(round.unassigned.is_empty());
    let by = |p: i32| round.pairs.iter().filter(|x| x.1 == p).count();
    assert_eq!(by(102), 1, "{round:?}");
    assert_eq!(by(100) + by(101), 5);
    // Nobody can take a hall when all inspectors are of its county.
    let round = cross_assign(&halls[..2], &[Inspector { id: 9, area: 1 }], 1);
    assert_eq!(round.unassigned, vec![1, 2]);
}

fn county_mix() -> impl Strategy<Value = (Vec<Hall>, Vec<Inspector>, u64)> {
    // 2–8 counties, each with 1–5 halls and 1–3 team leaders.
    prop::collection::vec((1usize..=5, 1usize..=3), 2..=8).prop_flat_map(|counties| {
        let mut halls = Vec::new();
        let mut people = Vec::new();
        for (area, (h, p)) in counties.iter().enumerate() {
            for _ in 0..*h {
                halls.push(Hall { id: halls.len() as i32 + 1, area: area as i32, days_since_visit: None });
            }
            for _ in 0..*p {
                people.push(Inspector { id: 1000 + people.len() as i32, area: area as i32 });
            }
        }
        (Just(halls), Just(people), any::<u64>())
    })
}

proptest! {
    #[test]
    fn nobody_inspects_their_own_county_and_loads_differ_by_at_most_one((halls, people, seed) in county_mix()) {
        let round = cross_assign(&halls, &people, seed);
        prop_assert!(round.unassigned.is_empty());
        prop_assert_eq!(round.pairs.len(), halls.len());
        for (hall, who) in &round.pairs {
            let h = halls.iter().find(|h| h.id == *hall).map(|h| h.area);
            let p = people.iter().find(|p| p.id == *who).map(|p| p.area);
            prop_assert_ne!(h, p, "hall {} went to its own county's leader {}", hall, who);
        }
        // Balanced whenever a balanced assignment exists; with 2+ counties
        // and no county holding more than half the leaders and halls it
        // always does — check the balance where the brute bound allows it.
        let loads: Vec<usize> = people.iter().map(|p| round.pairs.iter().filter(|x| x.1 == p.id).count()).collect();
        let (min, max) = (loads.iter().min().copied().unwrap_or(0), loads.iter().max().copied().unwrap_or(0));
        if balanced_possible(&halls, &people) {
            prop_assert!(max - min <= 1, "loads {:?}", loads);
        }
    }
}

/// Whether a balanced assignment exists, by Hall's condition on each county:
/// a county's halls must fit in the other counties' leaders at ⌈H/L⌉ each,
/// and a county's leaders must find ⌊H/L⌋ each outside their county. (Both
/// are necessary; with the county structure they are also sufficient.)
fn balanced_possible(halls: &[Hall], people: &[Inspector]) -> bool {
    let (h, l) = (halls.len(), people.len());
    let (floor, ceil) = (h / l, h.div_ceil(l));
    let areas: BTreeSet<i32> = halls.iter().map(|x| x.area).chain(people.iter().map(|p| p.area)).collect();
    areas.iter().all(|a| {
        let own_halls = halls.iter().filter(|x| x.area == *a).count();
        let own_people = people.iter().filter(|p| p.area == *a).count();
        own_halls <= (l - own_people) * ceil && own_people * floor <= h - own_halls
    })
}
