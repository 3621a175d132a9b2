use super::*;

fn marks(list: &[(&str, i64, Option<i64>)]) -> Vec<ItemMark> {
    list.iter()
        .map(|(name, points, mark)| ItemMark {
            code: name.to_string(),
            name: name.to_string(),
            points: *points,
            mark: *mark,
        })
        .collect()
}

fn fact(id: i32, area: &str, hall: (i32, &str), clerk: Option<(i32, &str)>, total: i64) -> Fact {
    Fact {
        id,
        area: area.into(),
        area_id: Some(area.len() as i32),
        hall_id: hall.0,
        hall: hall.1.into(),
        clerk_id: clerk.map(|c| c.0),
        staff_no: clerk.map(|c| c.0.to_string()).unwrap_or_default(),
        clerk: clerk.map(|c| c.1.to_string()).unwrap_or_default(),
        total,
        marks: marks(&[("接听", 10, Some(1000)), ("用语", 20, Some(2000)), ("准确", 40, Some(4000))]),
        ..Default::default()
    }
}

#[test]
fn averages_are_exact_in_hundredths_and_round_half_up() {
    for (totals, want) in [
        (vec![], None),
        (vec![8000], Some(8000)),
        (vec![8000, 8001], Some(8001)),
        (vec![8000, 8000, 8001], Some(8000)),
        (vec![10_000, 0, 0], Some(3333)),
        (vec![10_000, 10_000, 0], Some(6667)),
    ] {
        assert_eq!(average(&totals), want, "{totals:?}");
    }
}

#[test]
fn the_lowest_items_are_by_share_of_their_points() {
    let facts = [
        Fact {
            marks: marks(&[
                ("接听", 10, Some(500)),
                ("用语", 20, Some(1000)),
                ("准确", 40, Some(3000)),
                ("解决", 10, None),
            ]),
            ..Default::default()
        },
        Fact {
            marks: marks(&[
                ("接听", 10, Some(1000)),
                ("用语", 20, Some(1500)),
                ("准确", 40, Some(3000)),
                ("解决", 10, Some(1000)),
            ]),
            ..Default::default()
        },
    ];
    let s = shares(facts.iter());
    // 接听 15/20 = 75%, 用语 25/40 = 62.5%, 准确 60/80 = 75%, 解决 10/10 (the N/A left out).
    assert_eq!(
        s.iter().map(Share::percent).collect::<Vec<_>>(),
        vec![Some(7500), Some(6250), Some(7500), Some(10_000)]
    );
    assert_eq!(lowest_items(&s), vec!["用语", "接听"]);
    let perfect = [Fact { marks: marks(&[("接听", 10, Some(1000))]), ..Default::default() }];
    assert!(lowest_items(&shares(perfect.iter())).is_empty());
}

#[test]
fn grouping_is_county_hall_clerk_with_unidentified_per_hall() {
    let facts = vec![
        fact(1, "青山县", (10, "青山厅"), Some((1, "张一")), 9000),
        fact(2, "青山县", (10, "青山厅"), Some((1, "张一")), 8001),
        fact(3, "青山县", (10, "青山厅"), None, 7000),
        Fact { critical: true, ..fact(4, "市区", (11, "人民路厅"), Some((2, "李二")), 0) },
    ];
    let g = group(&facts);
    assert_eq!(
        (g.city.calls, g.city.average.as_str(), g.city.critical, g.city.unidentified),
        (4, "60.00", 1, 1)
    );
    let county = g.areas.iter().find(|a| a.area == "青山县").unwrap();
    let hall = &county.halls[0];
    assert_eq!((hall.stat.calls, hall.stat.average.as_str(), hall.stat.unidentified), (3, "80.00", 1));
    assert_eq!(hall.clerks.len(), 1);
    assert_eq!((hall.clerks[0].stat.calls, hall.clerks[0].stat.average.as_str()), (2, "85.01"));
    assert_eq!(hall.shares, vec![Some(10_000), Some(10_000), Some(10_000)]);
    assert_eq!(g.items.len(), 3);
}

#[test]
fn calibration_pairs_testers_and_rates_agreement() {
    let mut facts = Vec::new();
    for (id, a, b, ta, tb) in [(1, 8000, 8500, 7, 8), (3, 8000, 9100, 8, 7), (5, 9000, 9000, 7, 9)] {
        facts.push(Fact { id, tester_id: ta, tester: format!("T{ta}"), ..fact(id, "x", (1, "h"), None, a) });
        facts.push(Fact {
            id: id + 1,
            tester_id: tb,
            tester: format!("T{tb}"),
            second_of: Some(id),
            ..fact(id + 1, "x", (1, "h"), None, b)
        });
    }
    let (rows, pairs, overall) = calibration(&facts);
    assert_eq!(rows.len(), 3);
    assert_eq!((rows[1].difference.as_str(), rows[1].agree), ("11.00", false));
    let got: Vec<(&str, usize, usize, &str)> =
        pairs.iter().map(|p| (p.pair.as_str(), p.agree, p.calls, p.rate.as_str())).collect();
    assert_eq!(got, vec![("T7 / T8", 1, 2, "50.00%"), ("T7 / T9", 1, 1, "100.00%")]);
    assert_eq!((overall.agree, overall.calls, overall.rate.as_str()), (2, 3, "66.67%"));
}

#[test]
fn the_report_lists_the_city_district_first_not_by_name() {
    let facts = [
        Fact {
            area_rank: (true, 2),
            ..fact(1, "临川县分公司", (20, "临川中心营业厅"), Some((1, "张一")), 9000)
        },
        Fact {
            area_rank: (false, 5), ..fact(2, "江州市区", (10, "人民路营业厅"), Some((2, "李二")), 8000)
        },
        Fact {
            area_rank: (true, 3),
            ..fact(3, "青山县分公司", (30, "青山中心营业厅"), Some((3, "王三")), 7000)
        },
    ];
    let areas: Vec<String> = group(&facts).areas.into_iter().map(|a| a.area).collect();
    assert_eq!(areas, ["江州市区", "临川县分公司", "青山县分公司"]);
}
