use super::*;
use crate::phone::rules::default_items;

fn m(text: &str) -> Month {
    Month::parse(text).unwrap()
}

fn utc(text: &str) -> NaiveDateTime {
    crate::time::parse_local_input(text).unwrap()
}

fn person(id: i32, no: &str, name: &str, hall: Option<i32>, clerk: bool, trainer: bool) -> Person {
    Person { id, staff_no: no.into(), name: name.into(), hall_id: hall, active: true, clerk, trainer }
}

fn snapshot() -> Snapshot {
    Snapshot {
        version_id: 1,
        items: default_items(),
        halls: vec![(10, "青山中心营业厅".into()), (11, "人民路营业厅".into())],
        people: vec![
            person(1, "10001", "张一", Some(10), true, false),
            person(2, "10002", "李二", Some(11), true, false),
            Person { active: false, ..person(3, "10003", "王三", Some(10), true, false) },
            person(7, "90001", "周培训", None, false, true),
            person(8, "90002", "吴培训", None, false, true),
        ],
        scenarios: vec![(5, "携号转网条件".into())],
        existing: vec![(utc("2026-10-20 10:00"), 11, 7)],
        now: utc("2026-11-15 12:00"),
    }
}

fn header() -> Vec<String> {
    let mut h: Vec<String> = HEAD.iter().map(|s| s.to_string()).collect();
    h.extend(default_items().into_iter().map(|i| i.name));
    h.extend(TAIL.iter().map(|s| s.to_string()));
    h
}

/// A row: when, hall, clerk, tester, scenario, five marks, rings, seconds, notes, ref, second-of.
fn row(cells: [&str; 15]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn good(when: &str, clerk: &str) -> Vec<String> {
    row([
        when,
        "青山中心营业厅",
        clerk,
        "90001",
        "携号转网条件",
        "10",
        "18",
        "35.5",
        "18",
        "N/A",
        "2",
        "180",
        "",
        "",
        "",
    ])
}

#[test]
fn a_clean_file_plans_every_call_and_scores_it() {
    let t = vec![
        header(),
        good("2026-10-08 09:30", "10001"),
        good("2026/10/09 14:05", ""),
        row(["", "", "", "90002", "", "10", "20", "30", "18", "10", "", "", "复评", "", "2"]),
    ];
    let p = plan(m("2026-10"), &t, &snapshot());
    assert!(p.ready(), "{:?}", p.errors);
    assert_eq!((p.first, p.second), (2, 1));
    // 81.5 of 90 → 90.56 (half up).
    assert_eq!(p.rows[0].total, 9_056);
    assert_eq!(p.rows[0].clerk_id, Some(1));
    assert_eq!((p.rows[1].clerk_id, p.rows[1].clerk.as_str()), (None, "未能识别"));
    let second = &p.rows[2];
    assert_eq!((second.second_of, second.hall_id, second.tester_id, second.total), (Some(2), 10, 8, 8_800));
    assert_eq!(second.called_at, utc("2026-10-08 09:30"));
    assert_eq!(p.rows[1].scenario_id, Some(5));
}

#[test]
fn every_problem_is_named_with_its_line() {
    let mut bad_mark = good("2026-10-10 09:00", "10001");
    bad_mark[7] = "41".into();
    let mut na_refused = good("2026-10-10 10:00", "10001");
    na_refused[5] = "不适用".into();
    let mut bad_numbers = good("2026-10-10 11:00", "10001");
    bad_numbers[10] = "三".into();
    let t = vec![
        header(),
        good("2026-10-08 09:30", "10009"), // 2 unknown clerk
        good("2026-10-08 09:30", "10002"), // 3 other hall
        good("2026-10-08 09:30", "10003"), // 4 inactive
        row([
            "2026-10-08 10:00",
            "无名厅",
            "",
            "99999",
            "",
            "10",
            "20",
            "40",
            "20",
            "10",
            "",
            "",
            "",
            "",
            "",
        ]), // 5 hall + tester
        good("2026-11-01 09:00", "10001"), // 6 other month
        bad_mark,                          // 7 out of range
        na_refused,                        // 8 N/A refused
        bad_numbers,                       // 9 rings
        good("2026-10-12 09:00", "10001"), // 10 ok
        good("2026-10-12 09:00", ""),      // 11 duplicate of 10
        row(["", "", "", "90001", "", "10", "20", "40", "20", "10", "", "", "", "", "10"]), // 12 same tester
        row(["", "", "", "90002", "", "10", "20", "40", "20", "10", "", "", "", "", "99"]), // 13 no such row
        row([
            "2026-10-20 10:00",
            "人民路营业厅",
            "",
            "90001",
            "",
            "10",
            "20",
            "40",
            "20",
            "10",
            "",
            "",
            "",
            "",
            "",
        ]), // 14 stored
        good("2026-10-13 09:00", "10001")[..6].to_vec(), // 15 marks missing
    ];
    let p = plan(m("2026-10"), &t, &snapshot());
    assert!(!p.ready());
    let got: Vec<(usize, &str)> = p.errors.iter().map(|e| (e.line, e.message.as_str())).collect();
    let has = |line: usize, text: &str| got.iter().any(|(l, m)| *l == line && m.contains(text));
    assert!(has(2, "10009"), "{got:?}");
    assert!(has(3, "人民路") || has(3, "不在"), "{got:?}");
    assert!(has(4, "停用"), "{got:?}");
    assert!(has(5, "无名厅") && has(5, "99999"), "{got:?}");
    assert!(has(6, "2026-10"), "{got:?}");
    assert!(has(7, "业务准确"), "{got:?}");
    assert!(has(8, "接听及时"), "{got:?}");
    assert!(has(9, "响铃次数"), "{got:?}");
    assert!(!got.iter().any(|(l, _)| *l == 10), "{got:?}");
    assert!(has(11, "第 10 行"), "{got:?}");
    assert!(has(12, "同一拨测员"), "{got:?}");
    assert!(has(13, "99"), "{got:?}");
    assert!(has(14, "已导入"), "{got:?}");
    assert!(has(15, "服务态度"), "{got:?}");
    assert_eq!(p.rows.len(), 1);
}

#[test]
fn columns_are_required_by_name_and_future_calls_refused() {
    let mut h = header();
    h.retain(|c| c != "服务态度" && c != "营业厅");
    let p = plan(m("2026-10"), &[h], &snapshot());
    assert!(p.errors[0].message.contains("营业厅") && p.errors[0].message.contains("服务态度"));
    let p = plan(m("2026-11"), &[header(), good("2026-11-20 09:00", "10001")], &snapshot());
    assert!(p.errors[0].message.contains("晚于"), "{:?}", p.errors);
    assert!(plan(m("2026-10"), &[], &snapshot()).errors[0].message.contains("空"));
}

#[test]
fn dates_are_read_as_beijing_time() {
    assert_eq!(parse_when("2026-10-08 09:30"), Some(utc("2026-10-08 09:30")));
    // 46303.5 = 2026-10-08 12:00 as an Excel serial date.
    assert_eq!(parse_when("46303.5"), Some(utc("2026-10-08 12:00")));
    assert_eq!(parse_when("十月八日"), None);
}

#[test]
fn the_fingerprint_follows_the_rows() {
    let t = vec![header(), good("2026-10-08 09:30", "10001")];
    let a = plan(m("2026-10"), &t, &snapshot());
    assert_eq!(a.fingerprint(), plan(m("2026-10"), &t, &snapshot()).fingerprint());
    let t2 = vec![header(), good("2026-10-08 09:31", "10001")];
    assert_ne!(a.fingerprint(), plan(m("2026-10"), &t2, &snapshot()).fingerprint());
}
