use super::*;

fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

#[test]
fn scores_are_read_in_hundredths() {
    for (text, want) in [
        ("85.5", 8550),
        ("100", 10000),
        (" 90 ", 9000),
        ("0", 0),
        ("0.01", 1),
        ("59.99", 5999),
        ("100.00", 10000),
        ("85.500", 8550),
        ("８５．５", 8550),
        ("085", 8500),
        ("85.55000000000001", 8555),
        ("85.54999999999999", 8555),
        ("99.99999999999999", 10000),
    ] {
        assert_eq!(parse_score(text), Ok(want), "{text}");
    }
    for (text, why) in [
        ("100.01", "超出"),
        ("-1", "超出"),
        ("1000", "超出"),
        ("85.555", "两位小数"),
        ("八十", "不是数字"),
        ("85分", "不是数字"),
        ("85.", "不是数字"),
        (".5", "不是数字"),
        ("1e2", "不是数字"),
        ("", "分数为空"),
    ] {
        let err = parse_score(text).expect_err(text);
        assert!(err.contains(why), "{text}: {err}");
    }
}

#[test]
fn absent_marks() {
    for t in ["是", "缺考", "Y", "y", "1", "√", "✓", " 是 ", "TRUE"] {
        assert_eq!(parse_absent(t), Ok(true), "{t}");
    }
    for t in ["", "否", "N", "0", "FALSE"] {
        assert_eq!(parse_absent(t), Ok(false), "{t}");
    }
    assert!(parse_absent("病假").unwrap_err().contains("「病假」"));
}

#[test]
fn columns_are_found_by_name_and_rows_checked_one_by_one() {
    let t = table(&[
        &["", "", ""],
        &["序号", "姓名", "工号", "分数", "缺考"],
        &["1", "张三", "10001", "85.5", ""],
        &["2", "李四", "10002", "", "是"],
        &["", "", "", "", ""],
        &["3", "王五", "10003", "", ""],
        &["4", "赵六", "10004", "90", "缺考"],
        &["5", "钱七", "10005", "八十", ""],
        &["6", "", "", "100.01", "病假"],
        &["7", "张三", "10001", "70", ""],
    ]);
    let (rows, errors) = parse_rows(&t);
    assert_eq!(
        rows,
        vec![
            FileRow { line: 3, staff_no: "10001".into(), name: "张三".into(), score: Some(8550) },
            FileRow { line: 4, staff_no: "10002".into(), name: "李四".into(), score: None },
        ]
    );
    let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.message.as_str())).collect();
    let lines: Vec<usize> = got.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![6, 7, 8, 9, 9, 9, 9, 10], "{got:?}");
    assert!(got[0].1.contains("分数为空"));
    assert!(got[1].1.contains("缺考") && got[1].1.contains("90"));
    assert!(got[2].1.contains("「八十」"));
    assert!(got[3].1.contains("工号为空") && got[4].1.contains("姓名为空"));
    assert!(got[5].1.contains("「病假」") || got[6].1.contains("「病假」"));
    assert!(got[7].1.contains("工号 10001 与第 3 行重复"), "both lines named: {}", got[7].1);
}

#[test]
fn the_absent_column_is_optional_and_the_others_are_not() {
    let (rows, errors) = parse_rows(&table(&[&["工号", "姓名", "分数"], &["10001", "张三", "60"]]));
    assert_eq!((rows.len(), errors.len()), (1, 0));
    let (_, errors) = parse_rows(&table(&[&["工号", "名字", "成绩"]]));
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.contains("姓名、分数"), "{}", errors[0].message);
    let (_, errors) = parse_rows(&[]);
    assert!(errors[0].message.contains("文件是空的"));
    let (_, errors) = parse_rows(&table(&[&["工号", "姓名", "分数"], &["", "", ""]]));
    assert!(errors[0].message.contains("没有数据行"));
    let mut big = table(&[&["工号", "姓名", "分数"]]);
    big.extend((0..=MAX_ROWS).map(|i| vec![format!("{i}"), "某".into(), "60".into()]));
    let (rows, errors) = parse_rows(&big);
    assert!(rows.is_empty() && errors[0].message.contains("行数过多"));
}

#[test]
fn month_and_title_are_checked() {
    assert_eq!(
        Target::parse(" 2027-03 ", " 3月省公司统考 "),
        Ok(Target { month: Month::parse("2027-03").unwrap(), title: "3月省公司统考".into() })
    );
    assert!(Target::parse("2027-3", "x").unwrap_err().contains("YYYY-MM"));
    assert!(Target::parse("2027-13", "x").is_err());
    assert!(Target::parse("2027-03", "  ").unwrap_err().contains("考试名称"));
    assert!(Target::parse("2027-03", &"考".repeat(101)).unwrap_err().contains("100"));
    assert!(Target::parse("2027-03", &"考".repeat(100)).is_ok());
}

fn staff(id: i32, no: &str, name: &str, active: bool, clerk: bool) -> Staff {
    Staff {
        id,
        staff_no: no.into(),
        name: name.into(),
        hall_id: Some(100 + id),
        hall: format!("厅{id}"),
        active,
        clerk,
    }
}

fn snapshot() -> Snapshot {
    Snapshot {
        staff: vec![
            staff(1, "10001", "张三", true, true),
            staff(2, "10002", "李四", true, true),
            staff(3, "10003", "王五", true, true),
            staff(4, "10004", "赵六", false, true),
            staff(5, "90001", "周培训", true, false),
            staff(6, "", "无工号", true, true),
        ],
        ..Default::default()
    }
}

fn row(line: usize, no: &str, name: &str, score: Option<i32>) -> FileRow {
    FileRow { line, staff_no: no.into(), name: name.into(), score }
}

fn target() -> Target {
    Target { month: Month::parse("2027-03").unwrap(), title: "3月统考".into() }
}

#[test]
fn the_audience_is_every_active_clerk_and_missing_rows_are_absent() {
    let rows = [row(2, "10001", "张三", Some(8550)), row(3, "10002", "李 四", None)];
    let p = plan(target(), &rows, vec![], &snapshot());
    assert!(p.ready(), "{:?}", p.errors);
    assert_eq!(p.audience, vec![1, 2, 3, 6]);
    assert_eq!((p.sat, p.marked_absent), (1, 1));
    let missing: Vec<i32> = p.missing.iter().map(|m| m.user_id).collect();
    assert_eq!(missing, vec![6, 3], "no row → absent, 工号 order");
    assert_eq!((p.rows[0].hall_id, p.rows[0].score_text.as_str()), (Some(101), "85.5"));
    assert_eq!(p.rows[1].score_text, "缺考");
}

#[test]
fn unknown_inactive_non_clerk_and_misnamed_staff_are_row_errors() {
    let rows = [
        row(2, "10009", "某某", Some(6000)),
        row(3, "10004", "赵六", Some(6000)),
        row(4, "90001", "周培训", Some(6000)),
        row(5, "10003", "王武", Some(6000)),
    ];
    let p = plan(target(), &rows, vec![RowError::new(6, "x")], &snapshot());
    assert!(!p.ready() && p.rows.is_empty());
    let got: Vec<(usize, &str)> = p.errors.iter().map(|e| (e.line, e.message.as_str())).collect();
    assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), vec![2, 3, 4, 5, 6]);
    assert!(got[0].1.contains("工号 10009 不存在"));
    assert!(got[1].1.contains("已停用"));
    assert!(got[2].1.contains("不是营业员"));
    assert!(got[3].1.contains("「王五」") && got[3].1.contains("「王武」"));
}

#[test]
fn a_month_with_a_monthly_exam_or_closed_is_refused_by_name() {
    let rows = [row(2, "10001", "张三", Some(8000))];
    let mut snap = snapshot();
    snap.monthly_exam = Some((7, "3月三大渠道月考".into()));
    let p = plan(target(), &rows, vec![], &snap);
    assert!(!p.ready());
    assert!(p.refusal.as_deref().unwrap().contains("「3月三大渠道月考」"));
    snap.closed = true;
    assert!(plan(target(), &rows, vec![], &snap).refusal.unwrap().contains("已关账"));
}

#[test]
fn the_fingerprint_follows_the_plan() {
    let rows = [row(2, "10001", "张三", Some(8000))];
    let a = plan(target(), &rows, vec![], &snapshot());
    assert_eq!(a.fingerprint(), plan(target(), &rows, vec![], &snapshot()).fingerprint());
    let other = [row(2, "10001", "张三", Some(8001))];
    assert_ne!(a.fingerprint(), plan(target(), &other, vec![], &snapshot()).fingerprint());
    let mut t = target();
    t.title.push('补');
    assert_ne!(a.fingerprint(), plan(t, &rows, vec![], &snapshot()).fingerprint());
    let mut snap = snapshot();
    snap.staff[2].active = false;
    assert_ne!(a.fingerprint(), plan(target(), &rows, vec![], &snap).fingerprint(), "the audience changed");
}
