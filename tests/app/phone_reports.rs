//! Phone tests: the spreadsheet import (row errors, one-transaction commit,
//! re-scoring rows), the month report and its scope, calibration, the CLI.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{extract, unescape, Browser, TestApp};
use examhall::auth::Role;
use examhall::phone::model::{record, NewCall, Rubric};
use examhall::phone::rules::Mark;
use examhall::schema::{audit_log, phone_calls};

/// Last month (Beijing): over, so every call in it is in the past.
fn last_month() -> String {
    let this = examhall::time::local_month(examhall::db::now());
    examhall::domain::Month::parse(&this).unwrap().previous().unwrap().to_string()
}

fn at(month: &str, day: u32, hm: &str) -> NaiveDateTime {
    examhall::time::parse_local_input(&format!("{month}-{day:02} {hm}")).unwrap()
}

struct Fixture {
    app: TestApp,
    month: String,
    county_hall: i32,
    city_hall: i32,
    trainer: i32,
    trainer2: i32,
    clerk_county: i32,
    clerk_city: i32,
}

async fn fixture() -> Fixture {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let trainer = app.add_user("90001", "周培训", None, &[(Role::Trainer, city.city)]);
    let trainer2 = app.add_user("90002", "吴培训", None, &[(Role::Trainer, city.city)]);
    app.add_user("csup", "青山主管", None, &[(Role::Supervisor, city.county)]);
    let clerk_county =
        app.add_user("10001", "张一", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let clerk_city = app.add_user("10002", "李二", Some(city.city_hall), &[(Role::Clerk, city.city_hall)]);
    Fixture {
        app,
        month: last_month(),
        county_hall: city.county_hall,
        city_hall: city.city_hall,
        trainer,
        trainer2,
        clerk_county,
        clerk_city,
    }
}

async fn signed_in(app: &TestApp, login: &str) -> Browser {
    let b = app.browser();
    b.login_ok(login).await;
    b
}

fn header() -> Vec<String> {
    "日期时间,营业厅,接听工号,拨测员工号,场景,接听及时,规范用语,业务准确,服务态度,问题解决,响铃次数,通话秒数,备注,录音编号,复评原呼叫行号"
        .split(',')
        .map(String::from)
        .collect()
}

fn csv_file(rows: &[Vec<String>]) -> Vec<u8> {
    let mut all = vec![header()];
    all.extend(rows.iter().cloned());
    all.iter().map(|r| r.join(",")).collect::<Vec<_>>().join("\n").into_bytes()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

async fn preview(b: &Browser, month: &str, bytes: Vec<u8>) -> (StatusCode, String) {
    let form = b
        .upload_form()
        .await
        .text("month", month.to_string())
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name("拨测.csv"));
    let res = b.client.post(b.url("/phone/import/preview")).multipart(form).send().await.unwrap();
    (res.status(), unescape(res.text().await.unwrap()))
}

fn call_count(app: &TestApp) -> i64 {
    phone_calls::table.count().get_result(&mut app.conn()).unwrap()
}

#[tokio::test]
async fn an_import_with_errors_lists_them_by_line_and_writes_nothing() {
    let f = fixture().await;
    let b = signed_in(&f.app, "90001").await;
    let when = format!("{}-05 10:00", f.month);
    let file = csv_file(&[
        row(&[
            &when,
            "青山中心营业厅",
            "10001",
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
        ]),
        row(&[&when, "无名厅", "", "90001", "", "10", "20", "40", "20", "10", "", "", "", "", ""]),
        row(&[
            &when,
            "青山中心营业厅",
            "10002",
            "90001",
            "",
            "10",
            "20",
            "41",
            "20",
            "10",
            "",
            "",
            "",
            "",
            "",
        ]),
        row(&[
            "2001-01-01 10:00",
            "人民路营业厅",
            "",
            "10001",
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
        ]),
        row(&["", "", "", "90001", "", "10", "20", "40", "20", "10", "", "", "", "", "2"]),
    ]);
    let (status, html) = preview(&b, &f.month, file).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "第 3 行</td><td>营业厅「无名厅」",
        "第 4 行</td><td>接听工号 10002（李二）不在「青山中心营业厅」",
        "「业务准确」的分数超出",
        "第 5 行</td><td>日期时间「2001-01-01 10:00」不在拨测月份",
        "拨测员工号 10001 不存在、已停用或不是培训师",
        "第 6 行</td><td>复评须由另一位拨测员进行",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    assert!(!html.contains("确认导入</button>"));
    assert_eq!(call_count(&f.app), 0);
}

#[tokio::test]
async fn a_valid_import_commits_every_row_and_the_rescoring_shows_on_calibration() {
    let f = fixture().await;
    let b = signed_in(&f.app, "90001").await;
    let (w1, w2) = (format!("{}-05 10:00", f.month), format!("{}-06 15:30", f.month));
    let file = csv_file(&[
        row(&[
            &w1,
            "青山中心营业厅",
            "10001",
            "90001",
            "",
            "10",
            "20",
            "40",
            "20",
            "N/A",
            "3",
            "200",
            "",
            "LY1",
            "",
        ]),
        row(&[&w2, "人民路营业厅", "", "90001", "", "8", "15", "30", "18", "5", "", "", "", "", ""]),
        row(&["", "", "", "90002", "", "10", "20", "38", "20", "不适用", "", "", "复评", "", "2"]),
    ]);
    let (status, html) = preview(&b, &f.month, file).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(call_count(&f.app), 0, "the dry run writes nothing");
    let action = extract(&html, r#"action="(/phone/import/\d+/confirm)""#).expect("confirm form");
    let fingerprint = extract(&html, r#"name="fingerprint" value="([0-9a-f]+)""#).unwrap();
    let res = b.post(&action, &[("month", &f.month), ("fingerprint", &fingerprint)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(call_count(&f.app), 3);
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("phone_import"))
        .count()
        .get_result(&mut f.app.conn())
        .unwrap();
    assert_eq!(audited, 1);
    // 90 of 90 → 100.00 first, 88 of 90 → 97.78 second: within 10 points.
    let page = unescape(b.get_text(&format!("/phone/calibration?month={}", f.month)).await);
    assert!(page.contains("周培训 / 吴培训"), "{page}");
    assert!(page.contains("100.00") && page.contains("97.78") && page.contains("2.22"));
    assert!(page.contains("100.00%"));
}

fn marks(a: i64, p: i64, acc: i64, att: i64, res: Option<i64>) -> Vec<(String, Mark)> {
    vec![
        ("answer".into(), Mark::Score(a * 100)),
        ("phrases".into(), Mark::Score(p * 100)),
        ("accuracy".into(), Mark::Score(acc * 100)),
        ("attitude".into(), Mark::Score(att * 100)),
        ("resolution".into(), res.map(|r| Mark::Score(r * 100)).unwrap_or(Mark::NotApplicable)),
    ]
}

/// Three county calls (two answered by 张一, one unidentified; one critical
/// failure) and one city call, re-scored 12 points lower.
fn seed_calls(f: &Fixture) {
    let mut c = f.app.conn();
    let now = examhall::db::now();
    let (_, v) = Rubric::current(&mut c, now).unwrap();
    let call = |hall, clerk, tester, day, m, second_of| NewCall {
        called_at: at(&f.month, day, "10:00"),
        hall_id: hall,
        clerk_id: clerk,
        tester_id: tester,
        scenario_id: None,
        rubric_version_id: v.id,
        marks: m,
        rings: 2,
        duration_seconds: 120,
        notes: String::new(),
        recording_ref: String::new(),
        second_of,
    };
    let county = Some(f.clerk_county);
    for (clerk, day, m) in [
        (county, 3, marks(10, 18, 32, 18, Some(8))),
        (county, 4, marks(10, 0, 40, 20, Some(10))),
        (None, 5, marks(9, 20, 36, 16, None)),
    ] {
        record(&mut c, &call(f.county_hall, clerk, f.trainer, day, m, None), None, now).unwrap().unwrap();
    }
    let city = call(f.city_hall, Some(f.clerk_city), f.trainer, 6, marks(10, 20, 40, 20, Some(10)), None);
    let first = record(&mut c, &city, None, now).unwrap().unwrap();
    let second =
        call(f.city_hall, Some(f.clerk_city), f.trainer2, 6, marks(10, 18, 30, 20, Some(10)), Some(first));
    record(&mut c, &second, None, now).unwrap().unwrap();
}

#[tokio::test]
async fn the_month_report_has_the_figures_and_respects_scope() {
    let f = fixture().await;
    seed_calls(&f);
    let b = signed_in(&f.app, "90001").await;
    let page = unescape(b.get_text("/phone/report").await);
    assert!(
        page.contains(&format!("电话拨测月报（{}）", f.month)),
        "defaults to the latest month with calls"
    );
    // County hall: 86, 0 (critical), 90 (81 of 90) → 58.67; city hall 100; city (86+0+90+100)/4 = 69.00.
    assert!(page.contains("58.67") && page.contains("69.00") && page.contains("100.00"), "{page}");
    assert!(page.contains("青山中心营业厅") && page.contains("人民路营业厅"));
    assert!(page.contains("规范用语"), "the weakest item of the county hall");
    assert!(page.contains("<svg"));
    // 张一: 86 and 0 → 43.00.
    assert!(page.contains("43.00"));
    let cal = unescape(b.get_text(&format!("/phone/calibration?month={}", f.month)).await);
    assert!(cal.contains("12.00") && cal.contains("0.00%") && cal.contains("不一致"), "{cal}");
    let trend = b.get(&format!("/phone/report/trend?month={}", f.month)).await;
    assert_eq!(trend.status(), StatusCode::OK);

    let sup = signed_in(&f.app, "csup").await;
    let page = unescape(sup.get_text(&format!("/phone/report?month={}", f.month)).await);
    assert!(page.contains("青山中心营业厅") && !page.contains("人民路营业厅"), "{page}");
    let res = sup.get(&format!("/phone/report/export.xlsx?month={}", f.month)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    // The calls keep their headings in the first row (the CSV's columns); the hall summary has a title.
    crate::helpers::assert_prints(&bytes, 0, true, "月份");
    crate::helpers::assert_prints(&bytes, 1, true, &format!("{} 电话拨测营业厅汇总", f.month));
    let table = examhall::roster::parse::read_table("x.xlsx", &bytes).unwrap();
    assert_eq!(table.len(), 4, "header and the three county calls: {table:?}");
    assert!(table.iter().all(|r| !r.contains(&"人民路营业厅".to_string())));

    let clerk = signed_in(&f.app, "10001").await;
    for path in ["/phone/report", "/phone/calibration", "/phone/report/export.xlsx", "/phone/import"] {
        assert_eq!(clerk.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(sup.get("/phone/import").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_cli_writes_one_csv_row_per_call() {
    let f = fixture().await;
    seed_calls(&f);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_examhall"))
        .args(["report", "phone-tests", "--month", &f.month])
        .env("DATABASE_URL", &f.app.db_url)
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "月份,日期时间,区县,营业厅,工号,姓名,拨测员,场景,总分,一票否决,接听及时,规范用语,业务准确,服务态度,问题解决"
    );
    assert_eq!(lines.len(), 5, "four first scorings: {text}");
    assert!(
        lines.iter().any(|l| l.contains("青山中心营业厅,10001,张一,周培训,,0.00,是,10,0,40,20,10")),
        "{text}"
    );
    assert!(lines.iter().any(|l| l.contains("未能识别") && l.ends_with(",不适用")), "{text}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_examhall"))
        .args(["report", "phone-tests", "--month", &f.month, "--format", "xlsx"])
        .env("DATABASE_URL", &f.app.db_url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "xlsx needs --output");
}

#[tokio::test]
async fn the_template_has_the_rubrics_columns_and_explains_each() {
    let f = fixture().await;
    let b = signed_in(&f.app, "90001").await;
    let bytes = b.get("/phone/import/template.xlsx").await.bytes().await.unwrap().to_vec();
    crate::helpers::assert_template(&bytes, &["拨测记录", "填写说明"], true, "日期时间");
    let table = examhall::roster::parse::read_table("t.xlsx", &bytes).unwrap();
    assert_eq!(table[0], header());
    // The notes: a row per column, the items with their points (业务准确 is worth 40).
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let notes = wb.worksheet_range("填写说明").unwrap();
    // Below the title and headings, how to use the file, then the columns.
    let rows: Vec<String> = notes.rows().skip(3).map(|r| format!("{}：{}", r[0], r[1])).collect();
    assert_eq!(rows.len(), header().len(), "{rows:?}");
    assert!(rows.contains(&"业务准确：0–40 分，最多两位小数。".to_string()), "{rows:?}");
}
