use super::*;

fn at(text: &str) -> NaiveDateTime {
    crate::time::parse_local_input(text).unwrap_or_default()
}

fn snap() -> Snapshot {
    Snapshot {
        halls: vec![(5, "江州市区人民路营业厅".into()), (6, "临川县城关营业厅（旗舰店）".into())],
        people: vec![
            Person {
                id: 50, staff_no: "10003".into(), name: "王芳".into(), hall_id: Some(5), active: true
            },
            Person {
                id: 60, staff_no: "20001".into(), name: "李强".into(), hall_id: Some(6), active: true
            },
            Person {
                id: 61, staff_no: "20009".into(), name: "赵离".into(), hall_id: Some(6), active: false
            },
        ],
        serials: vec!["SMS0001".into()],
        replies: vec![(at("2026-11-02 09:00"), 5, None, "满意".into(), "".into())],
        rated_halls: vec![6],
        now: at("2026-12-01 00:00"),
    }
}

fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

fn month() -> Month {
    Month::parse("2026-11").unwrap_or_else(|_| Month::first())
}

#[test]
fn replies_with_a_carriers_column_names_are_read() {
    let t = table(&[
        &["序号", "评价时间", "厅店名称", "受理工号", "评价结果", "客户意见", "短信流水号"],
        &["1", "2026-11-03 10:15:30", "江州市区人民路营业厅", "10003", "满意", "", "SMS0002"],
        &["2", "2026/11/04 16:20", "临川县城关营业厅(旗舰店)", "", "3", "排队太久", ""],
        &[
            "3",
            "2026-11-05 09:00",
            " 江州市区人民路营业厅 ",
            "10003",
            "非常不满意",
            "办理慢，态度差",
            "SMS0003",
        ],
    ]);
    let plan = plan_replies(month(), &t, &snap());
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    assert_eq!(plan.rows.len(), 3);
    assert_eq!((plan.rows[0].line, plan.rows[0].clerk_id, plan.rows[0].hall_id), (2, Some(50), 5));
    // Full-width brackets and padding do not make a hall unknown.
    assert_eq!((plan.rows[1].hall_id, plan.rows[1].clerk_id), (6, None));
    assert_eq!(plan.rows[2].comment, "办理慢，态度差");
    assert!(plan.ready());
}

#[test]
fn every_bad_reply_is_named_with_its_line() {
    let t = table(&[
        &["回复时间", "营业厅", "工号", "评价", "回复内容", "流水号"],
        &["2026-10-31 23:00", "江州市区人民路营业厅", "", "满意", "", ""],
        &["2026-11-03 10:00", "不存在营业厅", "", "满意", "", ""],
        &["2026-11-03 10:00", "江州市区人民路营业厅", "99999", "满意", "", ""],
        &["2026-11-03 10:00", "江州市区人民路营业厅", "20001", "满意", "", ""],
        &["2026-11-03 10:00", "临川县城关营业厅（旗舰店）", "20009", "满意", "", ""],
        &["2026-11-03 10:00", "江州市区人民路营业厅", "", "好评", "", ""],
        &["2026-11-03 10:00", "江州市区人民路营业厅", "", "", "", ""],
        &["2026-11-03 11:00", "江州市区人民路营业厅", "", "8", "", "SMS0001"],
        &["2026-11-03 12:00", "江州市区人民路营业厅", "", "8", "", "SMS0009"],
        &["2026-11-03 12:30", "江州市区人民路营业厅", "", "9", "", "SMS0009"],
        &["2026-11-02 09:00", "江州市区人民路营业厅", "", "满意", "", ""],
        &["昨天", "江州市区人民路营业厅", "", "满意", "", ""],
        &["2026-12-05 09:00", "江州市区人民路营业厅", "", "满意", "", ""],
    ]);
    let plan = plan_replies(month(), &t, &snap());
    let lines: Vec<usize> = plan.errors.iter().map(|e| e.line).collect();
    // Line 10 (SMS0009, first) is fine; every other line has one error.
    assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14]);
    assert_eq!(plan.rows.len(), 1);
    let text = |line: usize| {
        plan.errors.iter().find(|e| e.line == line).map(|e| e.message.clone()).unwrap_or_default()
    };
    assert!(text(3).contains("不存在营业厅"), "{}", text(3));
    assert!(text(4).contains("99999"), "{}", text(4));
    assert!(text(5).contains("李强"), "{}", text(5));
    assert!(text(7).contains("好评"), "{}", text(7));
    assert!(text(11).contains("10"), "duplicate of line 10: {}", text(11));
    assert!(!plan.ready());
}

#[test]
fn a_file_without_the_rating_column_is_refused_at_its_header() {
    let t = table(&[
        &[""],
        &["回复时间", "营业厅", "回复内容"],
        &["2026-11-03 10:00", "江州市区人民路营业厅", "好"],
    ]);
    let plan = plan_replies(month(), &t, &snap());
    assert_eq!(plan.errors.len(), 1);
    assert_eq!(plan.errors[0].line, 2);
    assert!(plan.errors[0].message.contains("评价"), "{}", plan.errors[0].message);
}

#[test]
fn rates_as_provinces_write_them() {
    for (text, want) in [
        ("96.5%", Some(9_650)),
        ("96.50", Some(9_650)),
        ("０.９６５", Some(9_650)),
        ("0.9655", Some(9_655)),
        ("0.96555", Some(9_656)),
        ("100%", Some(10_000)),
        ("1", Some(10_000)),
        ("1.0", Some(10_000)),
        ("85", Some(8_500)),
        ("0.5%", Some(50)),
        ("101%", None),
        ("120", None),
        ("-3%", None),
        ("高", None),
        ("", None),
    ] {
        assert_eq!(parse_rate(text), want, "{text:?}");
    }
}

#[test]
fn rates_replace_a_stored_month_and_refuse_a_hall_twice() {
    let t = table(&[
        &["营业厅名称", "单厅满意率", "样本量"],
        &["江州市区人民路营业厅", "97.20%", "120"],
        &["临川县城关营业厅（旗舰店）", "0.9", ""],
        &["江州市区人民路营业厅", "95%", "80"],
        &["无名厅", "95%", "十"],
    ]);
    let plan = plan_rates(month(), &t, &snap());
    assert_eq!(plan.rows.len(), 2);
    assert_eq!((plan.rows[0].rate, plan.rows[0].surveyed, plan.rows[0].replaces), (9_720, Some(120), false));
    assert_eq!((plan.rows[1].rate, plan.rows[1].surveyed, plan.rows[1].replaces), (9_000, None, true));
    let lines: Vec<usize> = plan.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![4, 5, 5]);
}
