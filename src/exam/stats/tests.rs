use super::*;

const EPS: f64 = 1e-6;

fn close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < EPS, "{actual} ≠ {expected}");
}

fn close_some(actual: Option<f64>, expected: f64) {
    match actual {
        Some(actual) => close(actual, expected),
        None => panic!("None ≠ {expected}"),
    }
}

/// An attempt from (question id, earned, max) triples; totals are their sums.
fn attempt(items: &[(i32, i64, i64)]) -> AttemptScores {
    AttemptScores {
        earned: items.iter().map(|i| i.1).sum(),
        possible: items.iter().map(|i| i.2).sum(),
        items: items
            .iter()
            .map(|&(question_id, earned, max)| ItemScore { question_id, earned, max })
            .collect(),
    }
}

/// Five attempts at one fixed paper: Q1 and Q2 worth 1 point (100), Q3 worth 2 (200);
/// possible 400.
///
/// | attempt | Q1  | Q2  | Q3  | total | percent |
/// |---------|-----|-----|-----|-------|---------|
/// | 1       | 100 | 100 | 200 | 400   | 100     |
/// | 2       | 100 | 0   | 200 | 300   | 75      |
/// | 3       | 100 | 100 | 0   | 200   | 50      |
/// | 4       | 0   | 100 | 100 | 200   | 50      |
/// | 5       | 0   | 0   | 0   | 0     | 0       |
fn fixed_paper() -> Vec<AttemptScores> {
    [[100, 100, 200], [100, 0, 200], [100, 100, 0], [0, 100, 100], [0, 0, 0]]
        .iter()
        .map(|[a, b, c]| attempt(&[(1, *a, 100), (2, *b, 100), (3, *c, 200)]))
        .collect()
}

#[test]
fn test_stats_by_hand() {
    let stats = test_stats(&fixed_paper());
    assert_eq!(stats.attempts, 5);
    // Mean (100 + 75 + 50 + 50 + 0) / 5 = 55; sorted 0 50 50 75 100 → median 50.
    close(stats.mean, 55.0);
    close(stats.median, 50.0);
    // Deviations 45, 20, −5, −5, −55.
    // Σd² = 2025 + 400 + 25 + 25 + 3025 = 5500 → SD = √(5500 / 4) = √1375 = 37.080992…
    close(stats.sd, 1375f64.sqrt());
    close(stats.sd, 37.080_992_435);
    // Σd³ = 91125 + 8000 − 125 − 125 − 166375 = −67500,
    // Σd⁴ = 4100625 + 160000 + 625 + 625 + 9150625 = 13412500.
    // m2 = 1100, m3 = −13500, m4 = 2682500; k2 = 5·1100/4 = 1375;
    // k3 = 25·(−13500)/(4·3) = −28125; 1375^(3/2) = 6875·√55
    // → skewness = −28125 / (6875·√55) = −45 / (11·√55) = −0.551618…
    close_some(stats.skewness, -45.0 / (11.0 * 55f64.sqrt()));
    close_some(stats.skewness, -0.551_618_069);
    // k4 = 25·(6·2682500 − 3·4·1100²)/(4·3·2) = 25·(16095000 − 14520000)/24 = 1640625
    // → kurtosis = 1640625 / 1375² = 1640625 / 1890625 = 105/121 = 0.867768…
    close_some(stats.kurtosis, 105.0 / 121.0);
    // Raw-mark variances: Q1 100,100,100,0,0 → mean 60, Σd² = 3·40² + 2·60² = 12000 → 3000;
    // Q2 likewise 3000; Q3 200,200,0,100,0 → mean 100, Σd² = 4·100² = 40000 → 10000.
    // Totals 400,300,200,200,0 → variance 16 × 1375 = 22000.
    // CIC = 100 · 3/2 · (1 − 16000/22000) = 150 · 3/11 = 450/11 = 40.909090…
    close_some(stats.cic, 450.0 / 11.0);
    // ER = 100·√(1 − 450/1100) = 100·√(13/22) = 76.870611…
    close_some(stats.error_ratio, 100.0 * (13.0f64 / 22.0).sqrt());
    // SE = √(13/22)·√1375 = √812.5 = 28.504385…
    close_some(stats.standard_error, 812.5f64.sqrt());
}

#[test]
fn item_stats_by_hand() {
    let items = item_stats(&fixed_paper());
    let ids: Vec<i32> = items.iter().map(|i| i.question_id).collect();
    assert_eq!(ids, [1, 2, 3]);
    assert!(items.iter().all(|i| i.attempts == 5));
    let [q1, q2, q3] = [&items[0], &items[1], &items[2]];

    // Q1: x = 1,1,1,0,0 → facility 60; deviations .4,.4,.4,−.6,−.6, Σd² = 1.2,
    // SD = √(1.2/4) = √.3 = 54.772256 %.
    close(q1.facility, 60.0);
    close(q1.sd, 100.0 * 0.3f64.sqrt());
    // Rest = (total − Q1) / 300 = 3,2,1,2,0 thirds, mean 1.6, deviations 1.4,.4,−.6,.4,−1.6:
    // Σdx·dy = .56 + .16 − .24 − .24 + .96 = 1.2, Σdy² = 5.2 (thirds cancel in r)
    // → DI = 100·1.2/√(1.2·5.2) = 100·√(3/13) = 48.038446.
    close_some(q1.discrimination_index, 100.0 * (3.0f64 / 13.0).sqrt());
    // Sorted: x 0,0,1,1,1 (−.6,−.6,.4,.4,.4), y 0,1,2,2,3 (−1.6,−.6,.4,.4,1.4):
    // Σ = .96 + .36 + .16 + .16 + .56 = 2.2 → DE = 100·1.2/2.2 = 54.545454.
    close_some(q1.discriminative_efficiency, 1200.0 / 22.0);

    // Q2: x = 1,0,1,1,0 → facility 60, SD as Q1.
    close(q2.facility, 60.0);
    close(q2.sd, 100.0 * 0.3f64.sqrt());
    // Rest = 3,3,1,1,0 thirds, deviations 1.4,1.4,−.6,−.6,−1.6; dx .4,−.6,.4,.4,−.6:
    // Σdx·dy = .56 − .84 − .24 − .24 + .96 = .2, Σdy² = 7.2
    // → DI = 100·.2/√(1.2·7.2) = 100/√216 = 6.804138.
    close_some(q2.discrimination_index, 100.0 / 216f64.sqrt());
    // Sorted y 0,1,1,3,3 (−1.6,−.6,−.6,1.4,1.4) with sorted x:
    // Σ = .96 + .36 − .24 + .56 + .56 = 2.2 → DE = 100·.2/2.2 = 9.090909.
    close_some(q2.discriminative_efficiency, 20.0 / 2.2);

    // Q3: x = 1,1,0,.5,0 → facility 50; deviations .5,.5,−.5,0,−.5, Σd² = 1 → SD = √.25 = 50 %.
    close(q3.facility, 50.0);
    close(q3.sd, 50.0);
    // Rest = (total − Q3)/200 = 1,.5,1,.5,0, mean .6, deviations .4,−.1,.4,−.1,−.6:
    // Σdx·dy = .2 − .05 − .2 + 0 + .3 = .25, Σdy² = .7 → DI = 100·.25/√.7 = 29.880715.
    close_some(q3.discrimination_index, 25.0 / 0.7f64.sqrt());
    // Sorted x 0,0,.5,1,1 (−.5,−.5,0,.5,.5), y 0,.5,.5,1,1 (−.6,−.1,−.1,.4,.4):
    // Σ = .3 + .05 + 0 + .2 + .2 = .75 → DE = 100·.25/.75 = 33.333333.
    close_some(q3.discriminative_efficiency, 100.0 / 3.0);
}

/// Papers of two questions out of three, each worth 100:
///
/// | attempt | Q1  | Q2  | Q3  | total | percent |
/// |---------|-----|-----|-----|-------|---------|
/// | 1       | 100 | 100 | –   | 200   | 100     |
/// | 2       | 100 | –   | 100 | 200   | 100     |
/// | 3       | –   | 0   | 0   | 0     | 0       |
/// | 4       | 0   | –   | 100 | 100   | 50      |
fn drawn_papers() -> Vec<AttemptScores> {
    vec![
        attempt(&[(1, 100, 100), (2, 100, 100)]),
        attempt(&[(3, 100, 100), (1, 100, 100)]),
        attempt(&[(2, 0, 100), (3, 0, 100)]),
        attempt(&[(1, 0, 100), (3, 100, 100)]),
    ]
}

#[test]
fn drawn_papers_by_hand() {
    let items = item_stats(&drawn_papers());
    let seen: Vec<(i32, usize)> = items.iter().map(|i| (i.question_id, i.attempts)).collect();
    // First appearance: Q1, Q2 (attempt 1), then Q3 (attempt 2).
    assert_eq!(seen, [(1, 3), (2, 2), (3, 3)]);
    let [q1, q2, q3] = [&items[0], &items[1], &items[2]];

    // Q1: x = 1,1,0 → facility 66.67; deviations 1/3,1/3,−2/3, Σd² = 6/9 → SD = √(1/3) = 57.735027 %.
    close(q1.facility, 200.0 / 3.0);
    close(q1.sd, 100.0 * (1.0f64 / 3.0).sqrt());
    // Its rest is 1 in all three attempts (Q2 100/100, Q3 100/100, Q3 100/100): zero variance.
    assert_eq!(q1.discrimination_index, None);
    assert_eq!(q1.discriminative_efficiency, None);

    // Q2: x = 1,0, rest = 1,0 → facility 50, SD = √.5 = 70.710678 %, a perfect correlation.
    close(q2.facility, 50.0);
    close(q2.sd, 100.0 * 0.5f64.sqrt());
    close_some(q2.discrimination_index, 100.0);
    close_some(q2.discriminative_efficiency, 100.0);

    // Q3: x = 1,0,1 (mean 2/3), rest = Q1 1, Q2 0, Q1 0 (mean 1/3).
    // dx = 1/3,−2/3,1/3; dy = 2/3,−1/3,−1/3: Σdx·dy = 3/9, Σdx² = Σdy² = 6/9 → DI = 50.
    close_some(q3.discrimination_index, 50.0);
    // Sorted x 0,1,1 (−2/3,1/3,1/3), y 0,0,1 (−1/3,−1/3,2/3): Σ = 2/9 − 1/9 + 2/9 = 3/9 → DE = 100.
    close_some(q3.discriminative_efficiency, 100.0);

    let stats = test_stats(&drawn_papers());
    // Percent 100,100,0,50: mean 62.5, median (50 + 100)/2 = 75;
    // deviations 37.5,37.5,−62.5,−12.5: Σd² = 1406.25·2 + 3906.25 + 156.25 = 6875 → SD = √(6875/3).
    close(stats.mean, 62.5);
    close(stats.median, 75.0);
    close(stats.sd, (6875.0f64 / 3.0).sqrt());
    // Raw variances: Q1 100,100,0 → 10000/3; Q2 100,0 → 5000; Q3 100,0,100 → 10000/3.
    // Weighted by the share of papers carrying them: 3/4·10000/3 + 2/4·5000 + 3/4·10000/3 = 7500
    // (= the mean over the four papers of Q1+Q2, Q1+Q3, Q2+Q3, Q1+Q3: (8333⅓ + 6666⅔)·2/4).
    // Totals 200,200,0,100: mean 125, Σd² = 5625·2 + 15625 + 625 = 27500 → 27500/3.
    // CIC = 100 · 2/1 · (1 − 7500·3/27500) = 200 · (1 − 9/11) = 400/11 = 36.363636.
    close_some(stats.cic, 400.0 / 11.0);
    close_some(stats.error_ratio, 100.0 * (1.0f64 - 4.0 / 11.0).sqrt());
}

#[test]
fn empty() {
    let stats = test_stats(&[]);
    assert_eq!(
        stats,
        TestStats {
            attempts: 0,
            mean: 0.0,
            median: 0.0,
            sd: 0.0,
            skewness: None,
            kurtosis: None,
            cic: None,
            error_ratio: None,
            standard_error: None,
        }
    );
    assert!(item_stats(&[]).is_empty());
}

#[test]
fn one_attempt() {
    let one = [attempt(&[(7, 50, 100), (8, 100, 200)])];
    let stats = test_stats(&one);
    assert_eq!(stats.attempts, 1);
    close(stats.mean, 50.0);
    close(stats.median, 50.0);
    assert_eq!(stats.sd, 0.0);
    assert_eq!((stats.skewness, stats.kurtosis, stats.cic), (None, None, None));
    assert_eq!((stats.error_ratio, stats.standard_error), (None, None));

    let items = item_stats(&one);
    assert_eq!(items.len(), 2);
    assert_eq!((items[0].question_id, items[0].attempts), (7, 1));
    close(items[0].facility, 50.0);
    assert_eq!(items[0].sd, 0.0);
    assert_eq!(items[0].discrimination_index, None);
    assert_eq!(items[0].discriminative_efficiency, None);
}

#[test]
fn identical_scores_have_no_spread_figures() {
    // Fractions like 1/3 would leave rounding noise if the mean were not exact.
    let same: Vec<AttemptScores> =
        (0..6).map(|_| attempt(&[(1, 100, 300), (2, 100, 300), (3, 100, 300)])).collect();
    let stats = test_stats(&same);
    close(stats.mean, 100.0 / 3.0);
    close(stats.median, 100.0 / 3.0);
    assert_eq!(stats.sd, 0.0);
    assert_eq!((stats.skewness, stats.kurtosis, stats.cic), (None, None, None));
    assert_eq!((stats.error_ratio, stats.standard_error), (None, None));
    for item in item_stats(&same) {
        assert_eq!(item.attempts, 6);
        close(item.facility, 100.0 / 3.0);
        assert_eq!(item.sd, 0.0);
        assert_eq!(item.discrimination_index, None);
        assert_eq!(item.discriminative_efficiency, None);
    }
}

#[test]
fn three_attempts_have_skewness_but_no_kurtosis() {
    // Percent 0, 50, 100: symmetric, so skewness 0; kurtosis needs four attempts.
    let three = [
        attempt(&[(1, 0, 100), (2, 0, 100)]),
        attempt(&[(1, 100, 100), (2, 0, 100)]),
        attempt(&[(1, 100, 100), (2, 100, 100)]),
    ];
    let stats = test_stats(&three);
    close_some(stats.skewness, 0.0);
    assert_eq!(stats.kurtosis, None);
    // Raw variances: Q1 0,100,100 → 10000/3, Q2 0,0,100 → 10000/3; totals 0,100,200 → 10000.
    // CIC = 100 · 2 · (1 − 20000/30000) = 200/3.
    close_some(stats.cic, 200.0 / 3.0);
}

#[test]
fn question_seen_once_has_no_variance_so_no_cic() {
    let mut papers = drawn_papers();
    papers.push(attempt(&[(9, 100, 100), (1, 0, 100)]));
    let items = item_stats(&papers);
    let q9 = items.iter().find(|i| i.question_id == 9).expect("question 9 is listed");
    assert_eq!(q9.attempts, 1);
    close(q9.facility, 100.0);
    assert_eq!(q9.sd, 0.0);
    assert_eq!(q9.discrimination_index, None);
    assert_eq!(q9.discriminative_efficiency, None);
    let stats = test_stats(&papers);
    assert_eq!(stats.attempts, 5);
    assert_eq!((stats.cic, stats.error_ratio, stats.standard_error), (None, None, None));
    assert!(stats.kurtosis.is_some());
}

#[test]
fn papers_of_unequal_length_have_no_cic() {
    let mut papers = drawn_papers();
    papers.push(attempt(&[(1, 100, 100), (2, 0, 100), (3, 100, 100)]));
    assert_eq!(test_stats(&papers).cic, None);
}

#[test]
fn a_question_listed_twice_counts_once() {
    let twice = AttemptScores {
        earned: 150,
        possible: 300,
        items: vec![
            ItemScore { question_id: 4, earned: 100, max: 100 },
            ItemScore { question_id: 5, earned: 0, max: 100 },
            ItemScore { question_id: 4, earned: 50, max: 100 },
        ],
    };
    let items = item_stats(&[twice]);
    let seen: Vec<(i32, usize)> = items.iter().map(|i| (i.question_id, i.attempts)).collect();
    assert_eq!(seen, [(4, 1), (5, 1)]);
    close(items[0].facility, 75.0);
}

#[test]
fn nothing_possible_gives_zero_not_nan() {
    let odd = [
        AttemptScores {
            earned: 0,
            possible: 0,
            items: vec![ItemScore { question_id: 1, earned: 0, max: 0 }],
        },
        AttemptScores {
            earned: 50,
            possible: 0,
            items: vec![ItemScore { question_id: 1, earned: 50, max: 0 }],
        },
        AttemptScores { earned: 5, possible: -10, items: vec![] },
    ];
    let stats = test_stats(&odd);
    assert_eq!((stats.mean, stats.median, stats.sd), (0.0, 0.0, 0.0));
    assert_eq!(stats.skewness, None);
    let items = item_stats(&odd);
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].facility, items[0].sd), (0.0, 0.0));
    // No attempt has a rest of the test worth anything.
    assert_eq!(items[0].discrimination_index, None);
}

#[test]
fn extreme_values_neither_panic_nor_give_nan() {
    let extremes = [
        AttemptScores {
            earned: i64::MAX,
            possible: 1,
            items: vec![
                ItemScore { question_id: 1, earned: i64::MAX, max: 1 },
                ItemScore { question_id: 2, earned: i64::MIN, max: i64::MAX },
                ItemScore { question_id: 1, earned: i64::MAX, max: i64::MAX },
            ],
        },
        AttemptScores {
            earned: i64::MIN,
            possible: i64::MAX,
            items: vec![ItemScore { question_id: 2, earned: i64::MAX, max: i64::MIN }],
        },
        attempt(&[(1, -5, 100), (2, 300, 100)]),
        attempt(&[(1, 0, 100), (2, 0, 100)]),
        attempt(&[]),
    ];
    let stats = test_stats(&extremes);
    let figures = [stats.mean, stats.median, stats.sd];
    let optional = [stats.skewness, stats.kurtosis, stats.cic, stats.error_ratio, stats.standard_error];
    assert!(figures.iter().chain(optional.iter().flatten()).all(|f| f.is_finite()));
    for item in item_stats(&extremes) {
        let optional = [item.discrimination_index, item.discriminative_efficiency];
        assert!([item.facility, item.sd].iter().chain(optional.iter().flatten()).all(|f| f.is_finite()));
    }
}

#[test]
fn serializes_to_json_fields() {
    let one = [attempt(&[(7, 50, 100), (8, 100, 200)])];
    assert_eq!(
        serde_json::to_value(test_stats(&one)).unwrap(),
        serde_json::json!({
            "attempts": 1, "mean": 50.0, "median": 50.0, "sd": 0.0,
            "skewness": null, "kurtosis": null, "cic": null,
            "error_ratio": null, "standard_error": null,
        })
    );
    let item = |id: i32| {
        serde_json::json!({
            "question_id": id, "attempts": 1, "facility": 50.0, "sd": 0.0,
            "discrimination_index": null, "discriminative_efficiency": null,
        })
    };
    assert_eq!(serde_json::to_value(item_stats(&one)).unwrap(), serde_json::json!([item(7), item(8)]));
    // With figures present they are plain numbers (the fixed paper: 5 attempts, mean 55, median 50).
    let json = serde_json::to_value(test_stats(&fixed_paper())).unwrap();
    assert_eq!((json["attempts"].as_u64(), json["median"].as_f64()), (Some(5), Some(50.0)));
    assert!((json["cic"].as_f64().unwrap() - 450.0 / 11.0).abs() < 1e-9, "{json}");
}
