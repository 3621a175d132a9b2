use super::*;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn person(id: i32, no: &str, name: &str, hall: Option<i32>) -> Person {
    Person { id, staff_no: no.into(), name: name.into(), hall_id: hall, active: true }
}

/// A team leader of hall 10 on 2026-11-27.
fn snapshot() -> Snapshot {
    Snapshot {
        people: vec![
            person(1, "10001", "张一", Some(10)),
            person(2, "10002", "李二", Some(11)),
            Person { active: false, ..person(3, "10003", "王三", Some(10)) },
            person(4, "90001", "周培训", None),
            person(5, "10005", "赵五", Some(10)),
        ],
        types: vec![(1, "开户".into(), true), (4, "缴费".into(), true), (9, "销户".into(), false)],
        hall_names: HashMap::from([(10, "青山中心营业厅".into()), (11, "人民路营业厅".into())]),
        halls: Some(vec![10]),
        limited: true,
        today: date("2026-11-27"),
        existing: HashSet::from([(5, date("2026-11-20"), 1, 600)]),
    }
}

fn header() -> Vec<String> {
    COLUMNS.iter().map(|s| s.to_string()).collect()
}

fn row(cells: [&str; 7]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[test]
fn a_clean_file_plans_every_drill() {
    let t = vec![
        header(),
        row(["2026-11-20", "10001", "张一", "开户", "605", "0", "首次"]),
        row(["2026/11/21", "10001", "张一", "缴费", "1:40", "", ""]),
        vec![String::new(); 7],
        row(["46331", "10005", "赵五", "开户", "10分", "2", ""]),
    ];
    let p = plan(&t, &snapshot());
    assert!(p.ready(), "{:?}", p.errors);
    let got: Vec<(usize, &str, i32, i32, i32, i32)> = p
        .rows
        .iter()
        .map(|r| (r.line, r.date.as_str(), r.clerk_id, r.type_id, r.seconds, r.errors))
        .collect();
    assert_eq!(
        got,
        [(2, "2026-11-20", 1, 1, 605, 0), (3, "2026-11-21", 1, 4, 100, 0), (5, "2026-11-05", 5, 1, 600, 2)]
    );
    assert_eq!((p.rows[0].hall.as_str(), p.rows[0].time.as_str()), ("青山中心营业厅", "10分05秒"));
    assert_eq!(p.months, [Month::parse("2026-11").unwrap()]);
    assert_eq!(dates(&t).len(), 3);
}

#[test]
fn every_bad_row_is_named_by_its_line() {
    let t = vec![
        header(),
        row(["2026-11-28", "10001", "张一", "开户", "600", "0", ""]), // 2: future
        row(["2026-08-01", "10001", "张一", "开户", "600", "0", ""]), // 3: too old
        row(["20261101", "10001", "张一", "开户", "600", "0", ""]),   // 4: bad date
        row(["2026-11-20", "19999", "某人", "开户", "600", "0", ""]), // 5: unknown
        row(["2026-11-20", "10001", "张三", "开户", "600", "0", ""]), // 6: name
        row(["2026-11-20", "10003", "王三", "开户", "600", "0", ""]), // 7: inactive
        row(["2026-11-20", "10002", "李二", "开户", "600", "0", ""]), // 8: other hall
        row(["2026-11-20", "90001", "周培训", "开户", "600", "0", ""]), // 9: no hall
        row(["2026-11-20", "10001", "张一", "销户", "600", "0", ""]), // 10: retired
        row(["2026-11-20", "10001", "张一", "补卡", "600", "0", ""]), // 11: unknown type
        row(["2026-11-20", "10001", "张一", "开户", "0", "0", ""]),   // 12: seconds 0
        row(["2026-11-20", "10001", "张一", "开户", "十分", "x", ""]), // 13: two errors
        row(["2026-11-20", "10001", "张一", "开户", "600", "0", ""]), // 14: good
        row(["2026-11-20", "10001", "张一", "开户", "600", "1", ""]), // 15: duplicate of 14
        row(["2026-11-20", "10005", "赵五", "开户", "600", "0", ""]), // 16: already stored
        row(["", "", "", "", "", "", "备注而已"]),                    // 17: everything missing
    ];
    let p = plan(&t, &snapshot());
    assert!(!p.ready());
    assert_eq!(p.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [14]);
    let by_line =
        |n: usize| p.errors.iter().filter(|e| e.line == n).map(|e| e.message.clone()).collect::<Vec<_>>();
    assert_eq!(by_line(2), [msg::DRILL_DATE_FUTURE]);
    assert_eq!(by_line(3), [msg::drill_date_too_old(92)]);
    assert_eq!(by_line(4), [msg::drill_import_bad_date("20261101")]);
    // A team leader's file: anyone not active in their hall gets one answer
    // that names nobody (the file cannot look people up across halls).
    for (line, staff_no) in [(5, "19999"), (7, "10003"), (8, "10002"), (9, "90001")] {
        assert_eq!(by_line(line), [msg::drill_import_not_in_hall(staff_no)], "line {line}");
    }
    assert_eq!(by_line(6), [msg::drill_import_name_mismatch("10001", "张一", "张三")]);
    // A trainer's file (every hall) says what is wrong with each person.
    let city = Snapshot { halls: None, ..snapshot() };
    let p = plan(&t, &city);
    let by_line =
        |n: usize| p.errors.iter().filter(|e| e.line == n).map(|e| e.message.clone()).collect::<Vec<_>>();
    assert_eq!(by_line(5), [msg::drill_import_unknown_staff("19999")]);
    assert_eq!(by_line(7), [msg::drill_import_inactive("10003", "王三")]);
    assert!(by_line(8).is_empty(), "another hall's clerk is fine for a trainer: {:?}", by_line(8));
    assert_eq!(by_line(9), [msg::drill_import_no_hall("90001", "周培训")]);
    let p = plan(&t, &snapshot());
    let by_line =
        |n: usize| p.errors.iter().filter(|e| e.line == n).map(|e| e.message.clone()).collect::<Vec<_>>();
    assert_eq!(by_line(10), [msg::drill_import_type_retired("销户")]);
    assert_eq!(by_line(11), [msg::drill_import_unknown_type("补卡")]);
    assert_eq!(by_line(12), ["用时须为 1 至 14400 秒之间的整数"]);
    assert_eq!(by_line(13), [msg::drill_time_unreadable("十分"), msg::drill_errors_unreadable("x")]);
    assert_eq!(by_line(15), [msg::drill_import_duplicate(14)]);
    assert_eq!(by_line(16), [msg::DRILL_IMPORT_ALREADY_STORED]);
    assert_eq!(by_line(17).len(), 4, "{:?}", by_line(17));
}

#[test]
fn trainers_import_any_hall_and_older_dates() {
    let snap = Snapshot { halls: None, limited: false, ..snapshot() };
    let t = vec![header(), row(["2026-08-01", "10002", "李二", "开户", "600", "0", ""])];
    let p = plan(&t, &snap);
    assert!(p.ready(), "{:?}", p.errors);
    assert_eq!((p.rows[0].hall_id, p.months.as_slice()), (11, &[Month::parse("2026-08").unwrap()][..]));
}

#[test]
fn headers_are_found_anywhere_and_missing_ones_named() {
    let t = vec![
        vec![],
        row(["日期", "工号", "姓名", "业务类型", "用时（秒）", "差错数", "备注"]),
        row(["2026-11-20", "10001", "张一", "开户", "600", "", ""]),
    ];
    assert!(plan(&t, &snapshot()).ready());
    let t = vec![vec!["日期".to_string(), "工号".to_string()]];
    let p = plan(&t, &snapshot());
    assert_eq!(p.errors.len(), 1);
    assert_eq!(p.errors[0].line, 1);
    assert!(p.errors[0].message.contains("姓名"), "{}", p.errors[0].message);
    assert_eq!(plan(&[], &snapshot()).errors[0].message, msg::FILE_EMPTY);
    assert_eq!(plan(&[header()], &snapshot()).errors[0].message, msg::NO_DATA_ROWS);
}

#[test]
fn the_templates_notes_explain_every_column_in_the_files_order() {
    let noted: Vec<&str> = msg::DRILL_TEMPLATE_COLUMNS.iter().map(|(c, _)| *c).collect();
    assert_eq!(noted, COLUMNS);
}
