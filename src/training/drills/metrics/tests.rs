//! The grouping per clerk, hall and week, each figure derived by hand.

use super::*;

/// clerk, type, count, median, accuracy, median/target.
type Cell = (i32, i32, i64, Option<i32>, Option<i64>, Option<i64>);
/// clerk, hall, drills, median/target, accuracy, weeks drilled, weeks due.
type Row = (i32, i32, i64, Option<i64>, Option<i64>, i64, i64);

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn november() -> Month {
    Month::parse("2026-11").unwrap()
}

/// clerk, hall, type, date, seconds, errors.
fn fact(clerk_id: i32, hall_id: i32, type_id: i32, on: &str, seconds: i32, errors: i32) -> Fact {
    Fact {
        clerk_id,
        hall_id,
        type_id,
        drilled_on: date(on),
        month: Month::of_date(date(on)),
        seconds,
        errors,
    }
}

/// 开户 (id 1, target 600), 缴费 (id 4, target 120), position = id.
fn types() -> Targets {
    HashMap::from([(1, (1, 600)), (4, (4, 120))])
}

#[test]
fn stats_group_by_clerk_and_type_in_the_month_only() {
    let facts = [
        fact(7, 10, 4, "2026-11-03", 100, 0),
        fact(7, 10, 1, "2026-11-03", 500, 0),
        fact(7, 10, 1, "2026-11-10", 700, 1),
        fact(7, 10, 1, "2026-10-30", 100, 0), // October: not in November's stats
        fact(8, 10, 1, "2026-11-04", 660, 2),
    ];
    let s = by_type(&facts, november(), &types(), |f| f.clerk_id);
    let cells: Vec<Cell> = s
        .iter()
        .map(|t| (t.key, t.type_id, t.stat.count, t.stat.median_seconds, t.stat.accuracy, t.vs_target))
        .collect();
    assert_eq!(
        cells,
        [
            (7, 1, 2, Some(600), Some(5000), Some(10000)),
            (7, 4, 1, Some(100), Some(10000), Some(8333)),
            (8, 1, 1, Some(660), Some(0), Some(11000)),
        ]
    );
    assert_eq!(s[0].stat.meets_target, Some(true));
    assert_eq!(s[2].stat.meets_target, Some(false));
}

#[test]
fn means_and_ratios_round_half_up() {
    let cases: [(&[i64], Option<i64>); 4] =
        [(&[], None), (&[10000], Some(10000)), (&[10000, 8333], Some(9167)), (&[1, 2], Some(2))];
    for (values, want) in cases {
        assert_eq!(mean_half_up(values), want, "{values:?}");
    }
    let stat = rules::drill_stat(&[DrillFact { seconds: 301, errors: 0 }], 300);
    assert_eq!(vs_target(&stat), Some(10033));
    assert_eq!(vs_target(&rules::drill_stat(&[], 300)), None);
}

#[test]
fn weeks_due_are_the_begun_weeks_of_the_month() {
    // November 2026: W45 (Nov 2) … W48 (Nov 23).
    let cases = [
        ("2026-11-01", 0),
        ("2026-11-02", 1),
        ("2026-11-15", 2),
        ("2026-11-23", 4),
        ("2027-03-01", 4),
        ("2026-01-01", 0),
    ];
    for (today, want) in cases {
        assert_eq!(weeks_due(november(), date(today)).len(), want, "{today}");
    }
}

#[test]
fn clerk_summaries_cover_the_roster_and_count_iso_weeks() {
    let facts = [
        fact(7, 10, 1, "2026-11-03", 500, 0), // W45
        fact(7, 10, 4, "2026-11-05", 100, 0), // W45 again
        fact(7, 10, 1, "2026-11-18", 700, 1), // W47
        // November 30 is a Monday of W49, December's week: November's
        // stats count it, its weeks do not.
        fact(7, 10, 1, "2026-11-30", 650, 0),
        // November 1 (Sunday) lies in W44, October's last week.
        fact(9, 11, 1, "2026-11-01", 600, 0),
        // A drill in October, 2 days into W44: counts for nothing in November.
        fact(8, 10, 1, "2026-10-27", 600, 0),
    ];
    let roster = [(7, 10), (8, 10)];
    let got = clerk_summaries(november(), date("2026-12-05"), &facts, &roster, &types());
    let rows: Vec<Row> = got
        .iter()
        .map(|c| {
            (c.clerk_id, c.hall_id, c.drills, c.median_vs_target, c.accuracy, c.weeks_drilled, c.weeks_due)
        })
        .collect();
    assert_eq!(
        rows,
        [
            // 开户 median 650/600 = 108.33%, 缴费 100/120 = 83.33% → 95.83%; 3 of 4 error-free.
            (7, 10, 4, Some(9583), Some(7500), 2, 4),
            (8, 10, 0, None, None, 0, 4),
            // Not on the roster (left, or not a clerk): at the hall of the drill.
            (9, 11, 1, Some(10000), Some(10000), 0, 4),
        ]
    );
    // Mid-month only the begun weeks are due.
    let mid = clerk_summaries(november(), date("2026-11-10"), &facts, &roster, &types());
    assert_eq!((mid[0].weeks_drilled, mid[0].weeks_due), (1, 2));
}

#[test]
fn coverage_lists_who_was_not_drilled_each_week() {
    let facts = [fact(7, 10, 1, "2026-11-03", 500, 0), fact(8, 10, 1, "2026-11-12", 500, 0)];
    let weeks = coverage(november(), date("2026-11-12"), &facts, &[7, 8]);
    let got: Vec<(&str, Vec<i32>, Vec<i32>, bool)> =
        weeks.iter().map(|w| (w.week.as_str(), w.drilled.clone(), w.missing.clone(), w.due)).collect();
    assert_eq!(
        got,
        [
            ("2026-W45", vec![7], vec![8], true),
            ("2026-W46", vec![8], vec![7], true),
            ("2026-W47", vec![], vec![7, 8], false),
            ("2026-W48", vec![], vec![7, 8], false),
        ]
    );
}
