//! A month's results imported from a spreadsheet (a sitting held elsewhere):
//! dry run with line-numbered errors, confirm, the month's list computed from
//! the imported scores, one monthly exam a month, results-only exam pages,
//! and the CLI.

use diesel::prelude::*;
use examhall::auth::Role;
use examhall::schema::{attempts, audit_log, exam_people, exams, sittings};
use reqwest::StatusCode;

use crate::helpers::{extract, location, unescape, Browser, TestApp};

const MONTH: &str = "2027-03";
const TITLE: &str = "2027年3月省公司统考";
const HEADER: &[&str] = &["工号", "姓名", "分数", "缺考"];

/// A small city: four county clerks (10087 among them), two city-district
/// clerks, a deactivated clerk, a trainer and the city supervisor.
async fn city() -> TestApp {
    let app = TestApp::spawn().await;
    let c = app.seed_city();
    for (no, name) in
        [("10087", "张晓梅"), ("10002", "李建国"), ("10003", "王芳"), ("10004", "赵强"), ("10005", "钱多多")]
    {
        app.add_user(no, name, Some(c.county_hall), &[(Role::Clerk, c.county_hall)]);
    }
    for (no, name) in [("10011", "陈明"), ("10012", "刘洋")] {
        app.add_user(no, name, Some(c.city_hall), &[(Role::Clerk, c.city_hall)]);
    }
    let gone = app.user_by_login("10005").unwrap().id;
    examhall::accounts::User::set_active(&mut app.conn(), gone, false).unwrap();
    app.add_user("90001", "周培训", None, &[(Role::Trainer, c.city)]);
    app.add_user("80000", "孙主管", None, &[(Role::Supervisor, c.city)]);
    app
}

/// The good file: 10003 marked 缺考, 10004 has no row.
fn good_rows() -> Vec<&'static [&'static str]> {
    vec![
        HEADER,
        &["10087", "张晓梅", "70", ""],
        &["10002", "李建国", "95", ""],
        &["10003", "王芳", "", "是"],
        &["10011", "陈明", "80", ""],
        &["10012", "刘 洋", "60", ""],
    ]
}

/// An .xlsx with 工号 and 分数 as Excel numbers, as people type them.
fn sheet(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            match text.parse::<f64>() {
                Ok(n) if r > 0 && (c == 0 || c == 2) => ws.write_number(r as u32, c as u16, n).map(|_| ()),
                _ => ws.write_string(r as u32, c as u16, *text).map(|_| ()),
            }
            .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

pub(crate) async fn signed_in(app: &TestApp, login: &str) -> Browser {
    let b = app.browser();
    b.login_ok(login).await;
    b
}

/// Uploads a results file with its month and title.
async fn upload(b: &Browser, month: &str, title: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = b
        .upload_form()
        .await
        .text("month", month.to_string())
        .text("title", title.to_string())
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
    b.client.post(b.url("/review/import/preview")).multipart(form).send().await.expect("upload")
}

async fn preview(b: &Browser, bytes: Vec<u8>) -> (StatusCode, String) {
    let res = upload(b, MONTH, TITLE, "成绩.xlsx", bytes).await;
    (res.status(), unescape(res.text().await.unwrap()))
}

async fn confirm(b: &Browser, html: &str) -> reqwest::Response {
    let action = extract(html, r#"action="(/review/import/\d+/confirm)""#).expect("confirm form");
    let fingerprint = extract(html, r#"name="fingerprint" value="([0-9a-f]+)""#).unwrap();
    b.post(&action, &[("month", MONTH), ("title", TITLE), ("fingerprint", &fingerprint)]).await
}

/// Imports `rows` as `month`'s results (preview, then confirm).
pub(crate) async fn import(b: &Browser, month: &str, title: &str, rows: &[&[&str]]) {
    let res = upload(b, month, title, "成绩.xlsx", sheet(rows)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = unescape(res.text().await.unwrap());
    let action = extract(&html, r#"action="(/review/import/\d+/confirm)""#).expect("confirm form");
    let fingerprint = extract(&html, r#"name="fingerprint" value="([0-9a-f]+)""#).unwrap();
    let res = b.post(&action, &[("month", month), ("title", title), ("fingerprint", &fingerprint)]).await;
    assert_eq!(location(&res), format!("/review?month={month}"), "imported");
}

fn counts(app: &TestApp) -> (i64, i64) {
    let mut c = app.conn();
    (exams::table.count().get_result(&mut c).unwrap(), attempts::table.count().get_result(&mut c).unwrap())
}

fn imported_exam(app: &TestApp) -> examhall::exam::model::Exam {
    examhall::review::model::monthly_exam(&mut app.conn(), examhall::domain::Month::parse(MONTH).unwrap())
        .unwrap()
        .expect("the month's monthly exam")
}

#[tokio::test]
async fn bad_rows_are_listed_by_line_and_nothing_is_written() {
    let app = city().await;
    let b = signed_in(&app, "90001").await;
    let rows: Vec<&[&str]> = vec![
        HEADER,
        &["10087", "张晓梅", "85.555", ""],
        &["19999", "某某", "80", ""],
        &["10002", "李建军", "80", ""],
        &["10011", "陈明", "80", ""],
        &["10011", "陈明", "81", ""],
        &["10005", "钱多多", "80", ""],
        &["90001", "周培训", "80", ""],
        &["10012", "刘洋", "100.01", ""],
        &["10003", "王芳", "90", "是"],
        &["10004", "赵强", "", ""],
    ];
    let (status, html) = preview(&b, sheet(&rows)).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "第 2 行</td><td>分数「85.555」最多保留两位小数",
        "第 3 行</td><td>工号 19999 不存在",
        "第 4 行</td><td>工号 10002 在系统中的姓名是「李建国」，与本行的「李建军」不符",
        "第 6 行</td><td>工号 10011 与第 5 行重复",
        "第 7 行</td><td>工号 10005（钱多多）已停用",
        "第 8 行</td><td>工号 90001（周培训）不是营业员",
        "第 9 行</td><td>分数「100.01」超出 0–100 的范围",
        "第 10 行</td><td>标记了缺考，又填写了分数「90」",
        "第 11 行</td><td>分数为空",
    ] {
        assert!(html.contains(expected), "missing: {expected}\n{html}");
    }
    assert!(!html.contains("/confirm\""), "no confirm form while errors remain");
    // Forcing a confirmation of the stored file is refused too.
    let res =
        b.post("/review/import/1/confirm", &[("month", MONTH), ("title", TITLE), ("fingerprint", "x")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("未导入任何数据"));
    assert_eq!(counts(&app), (0, 0), "no exam, no attempts");

    // A file without the 分数 column, and a bad month or title, are refused before anything.
    let (_, html) = preview(&b, sheet(&[&["工号", "姓名"], &["10087", "张晓梅"]])).await;
    assert!(html.contains("缺少必填列：分数"), "{html}");
    let res = upload(&b, "2027-3", TITLE, "a.xlsx", sheet(&good_rows())).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(b.get_text("/review/import").await.contains("考试月份格式应为 YYYY-MM"));
    let res = upload(&b, MONTH, " ", "a.xlsx", sheet(&good_rows())).await;
    assert_eq!(location(&res), format!("/review/import?month={MONTH}"));
    assert!(b.get_text(&location(&res)).await.contains("请填写考试名称"));
    assert_eq!(counts(&app), (0, 0));
}

#[tokio::test]
async fn an_import_becomes_the_months_monthly_exam_and_feeds_the_list() {
    let app = city().await;
    let b = signed_in(&app, "90001").await;
    let (status, html) = preview(&b, sheet(&good_rows())).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    for stat in ["6</span><span class=\"stat-label\">应考营业员", "4</span><span class=\"stat-label\">有成绩"]
    {
        assert!(html.contains(stat), "{stat}\n{html}");
    }
    assert!(html.contains("1</span><span class=\"stat-label\">标记缺考"));
    assert!(
        html.contains("1</span><span class=\"stat-label\">文件中没有（按缺考）")
            && html.contains("10004 赵强")
    );
    assert_eq!(counts(&app), (0, 0), "the dry run writes nothing");

    let res = confirm(&b, &html).await;
    assert_eq!(location(&res), format!("/review?month={MONTH}"));
    let exam = imported_exam(&app);
    assert_eq!(
        (exam.title.as_str(), exam.kind.as_str(), exam.source.as_str()),
        (TITLE, "monthly", "imported")
    );
    assert_eq!(counts(&app), (1, 4), "one attempt per score; none for absentees");
    type Imported = (i32, Option<i32>, Option<String>, Option<i32>);
    let scores: Vec<Imported> = attempts::table
        .order(attempts::user_id)
        .select((attempts::user_id, attempts::score, attempts::submitted_by, attempts::hall_id))
        .load(&mut app.conn())
        .unwrap();
    let zhang = app.user_by_login("10087").unwrap();
    assert!(scores.contains(&(zhang.id, Some(7000), Some("import".into()), zhang.hall_id)), "{scores:?}");
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("import_results"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(audited, 1);

    // The list: the city average of the four scores (305 / 4), the county clerk
    // below it, and both county absentees (marked, and without a row) as 缺考.
    let supervisor = signed_in(&app, "80000").await;
    let page = supervisor.get_text(&format!("/review?month={MONTH}")).await;
    assert!(page.contains("76.25") && page.contains(TITLE), "{page}");
    let list =
        examhall::review::model::month_list(&mut app.conn(), examhall::domain::Month::parse(MONTH).unwrap())
            .unwrap()
            .unwrap();
    let listed: Vec<(&str, &str)> = list.rows.iter().map(|r| (r.staff_no.as_str(), r.status)).collect();
    assert_eq!(listed, vec![("10087", "待沟通"), ("10003", "缺考"), ("10004", "缺考")]);
    assert_eq!((list.submitted, list.absent), (4, 2));
    let flash = b.get_text(&format!("/review?month={MONTH}")).await;
    assert!(flash.contains("已导入「2027年3月省公司统考」：4 人有成绩，2 人缺考"), "{flash}");

    // A second import for the month is refused by name, and writes nothing.
    let res = upload(&b, MONTH, "重复导入", "again.xlsx", sheet(&good_rows())).await;
    assert_eq!(location(&res), format!("/review/import?month={MONTH}"));
    let page = b.get_text(&location(&res)).await;
    assert!(page.contains(&format!("{MONTH} 已有已发布的月考「{TITLE}」")), "{page}");
    assert_eq!(counts(&app), (1, 4));
}

#[tokio::test]
async fn a_plan_that_changed_since_the_preview_is_not_committed() {
    let app = city().await;
    let b = signed_in(&app, "90001").await;
    let (_, html) = preview(&b, sheet(&good_rows())).await;
    // 赵强 (no row, so absent) leaves before the trainer confirms: the audience changed.
    let gone = app.user_by_login("10004").unwrap().id;
    examhall::accounts::User::set_active(&mut app.conn(), gone, false).unwrap();
    let res = confirm(&b, &html).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let page = unescape(res.text().await.unwrap());
    assert!(
        page.contains("预览之后数据已发生变化")
            && page.contains("5</span><span class=\"stat-label\">应考营业员")
    );
    assert_eq!(counts(&app), (0, 0));
    // Confirming what is shown now works.
    assert_eq!(location(&confirm(&b, &page).await), format!("/review?month={MONTH}"));
    assert_eq!(counts(&app), (1, 4));
}

#[tokio::test]
async fn an_imported_exam_is_results_only_on_every_exam_page() {
    let app = city().await;
    let b = signed_in(&app, "90001").await;
    let (_, html) = preview(&b, sheet(&good_rows())).await;
    confirm(&b, &html).await;
    let exam = imported_exam(&app);
    let id = exam.id;
    assert!(b.get_text("/exams").await.contains("成绩导入"));
    let page = b.get_text(&format!("/exams/{id}")).await;
    assert!(page.contains("成绩导入（结果型考试）"), "{page}");
    for control in ["/edit\"", "/preview\"", "/sittings\"", "/people\"", "/publish\"", "/unpublish\""] {
        assert!(!page.contains(&format!("/exams/{id}{control}")), "no {control} on a results-only exam");
    }

    let back = format!("/exams/{id}");
    type Request<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let refused: [Request; 7] = [
        ("GET", "/edit", &[]),
        ("GET", "/preview", &[]),
        ("POST", "", &[("title", "改名")]),
        ("POST", "/unpublish", &[]),
        ("POST", "/publish", &[]),
        ("POST", "/sittings", &[("room", "三楼"), ("starts_at", "")]),
        ("POST", "/people", &[("staff_no", "10087"), ("in_person", "1"), ("reason", "x")]),
    ];
    for (verb, action, fields) in refused {
        let path = format!("/exams/{id}{action}");
        let res = if verb == "GET" { b.get(&path).await } else { b.post(&path, fields).await };
        assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, back.clone()), "{verb} {path}");
        assert!(b.get_text(&back).await.contains("这是成绩导入的结果型考试"), "{verb} {path}");
    }
    let attempt: i32 = attempts::table.select(attempts::id).first(&mut app.conn()).unwrap();
    let res = b
        .post(&format!("/exams/{id}/attempts/{attempt}/reopen"), &[("minutes", "30"), ("reason", "x")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let after = imported_exam(&app);
    assert_eq!((after.title.as_str(), after.status.as_str()), (TITLE, "published"));
    let mut c = app.conn();
    assert_eq!(sittings::table.count().get_result::<i64>(&mut c).unwrap(), 0);
    assert_eq!(exam_people::table.count().get_result::<i64>(&mut c).unwrap(), 0);
    let statuses: Vec<String> = attempts::table.select(attempts::status).load(&mut c).unwrap();
    assert!(statuses.iter().all(|s| s == "submitted"), "no attempt reopened");

    // Its results page works; the scores say where they came from.
    let results = b.get_text(&format!("/exams/{id}/results")).await;
    assert!(
        results.contains("76.25") && results.contains("成绩导入") && results.contains("张晓梅"),
        "{results}"
    );
    assert!(b.get_text(&format!("/exams/{id}/attempts/{attempt}")).await.contains("没有答卷"));
    assert_eq!(b.get(&format!("/exams/{id}/statistics")).await.status(), StatusCode::OK);

    // The clerk sees the score; there is nothing to start.
    let clerk = signed_in(&app, "10087").await;
    let page = clerk.get_text(&format!("/my/exams/{id}")).await;
    assert!(page.contains("成绩导入") && page.contains("<span class=\"stat-value\">70.00</span>"), "{page}");
    let res = clerk.post(&format!("/my/exams/{id}/start"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(clerk.get_text(&location(&res)).await.contains("成绩由培训师导入，无需在线作答"));

    // A month has one monthly exam: a draft monthly exam of the month cannot be published now.
    let mut draft = exam.clone();
    (draft.title, draft.status, draft.source) = ("3月月考（系统内）".into(), DRAFT, SOURCE_SAT);
    use examhall::exam::model::{DRAFT, SOURCE_SAT};
    let draft_id = examhall::exam::model::Exam::insert(&mut app.conn(), &draft).unwrap();
    b.post(&format!("/exams/{draft_id}/publish"), &[]).await;
    assert!(b.get_text(&format!("/exams/{draft_id}")).await.contains("已导入月考成绩"));
    assert_eq!(examhall::exam::model::Exam::find(&mut app.conn(), draft_id).unwrap().status, "draft");
}

#[tokio::test]
async fn the_template_lists_every_active_clerk_and_imports_once_filled() {
    let app = city().await;
    let b = signed_in(&app, "90001").await;
    let bytes = b.get("/review/import/template.xlsx").await.bytes().await.unwrap();
    crate::helpers::assert_template(&bytes, &["成绩", "填写说明"], false, "工号");
    let mut table = examhall::roster::parse::read_table("t.xlsx", &bytes).unwrap();
    assert_eq!(table[0], vec!["工号", "姓名", "区县", "营业厅", "分数", "缺考"]);
    let numbers: Vec<&str> = table[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(numbers, vec!["10002", "10003", "10004", "10011", "10012", "10087"], "active clerks only");
    for row in table.iter_mut().skip(1) {
        row.resize(4, String::new());
        row.push("88".into());
    }
    let csv = table.iter().map(|r| r.join(",")).collect::<Vec<_>>().join("\n");
    let res = upload(&b, MONTH, TITLE, "filled.csv", csv.into_bytes()).await;
    let html = unescape(res.text().await.unwrap());
    assert!(
        html.contains("6</span><span class=\"stat-label\">有成绩") && html.contains("确认导入</button>"),
        "{html}"
    );
}

#[tokio::test]
async fn clerks_cannot_reach_the_import() {
    let app = city().await;
    let clerk = signed_in(&app, "10087").await;
    for path in ["/review/import", "/review/import/template.xlsx"] {
        assert_eq!(clerk.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(
        upload(&clerk, MONTH, TITLE, "a.xlsx", sheet(&good_rows())).await.status(),
        StatusCode::FORBIDDEN
    );
    let res = clerk
        .post("/review/import/1/confirm", &[("month", MONTH), ("title", TITLE), ("fingerprint", "x")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(counts(&app), (0, 0));
}

fn examhall_cli(db: &str, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_examhall"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "error")
        .output()
        .expect("run examhall");
    let text = |b: &[u8]| String::from_utf8_lossy(b).to_string();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

#[tokio::test]
async fn the_cli_dry_runs_lists_errors_and_imports() {
    let app = city().await;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        crate::helpers::csv(&[HEADER, &["10087", "张晓梅", "八十", ""], &["10009", "某某", "60", ""]]),
    )
    .unwrap();
    let args = |file: &std::path::Path, extra: &[&'static str]| {
        let mut a = vec!["import-results".to_string(), file.display().to_string()];
        a.extend(["--month", MONTH, "--title", TITLE].map(String::from));
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let run = |a: Vec<String>| examhall_cli(&app.db_url, &a.iter().map(String::as_str).collect::<Vec<_>>());
    let (code, _, err) = run(args(&bad, &[]));
    assert_eq!(code, 1);
    assert!(
        err.contains("第 2 行：分数「八十」不是数字") && err.contains("第 3 行：工号 10009 不存在"),
        "{err}"
    );

    let good = dir.path().join("成绩.xlsx");
    std::fs::write(&good, sheet(&good_rows())).unwrap();
    let (code, out, err) = run(args(&good, &["--dry-run"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("应考营业员 6 人：有成绩 4 人，标记缺考 1 人，名单中没有（按缺考）1 人")
            && out.contains("试运行"),
        "{out}"
    );
    assert_eq!(counts(&app), (0, 0), "the dry run writes nothing");

    let (code, out, err) = run(args(&good, &[]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("4 人有成绩，2 人缺考"), "{out}");
    assert_eq!(counts(&app), (1, 4));
    let list =
        examhall::review::model::month_list(&mut app.conn(), examhall::domain::Month::parse(MONTH).unwrap())
            .unwrap()
            .unwrap();
    assert_eq!(list.city_average, "76.25");
    let actor: Option<i32> = audit_log::table
        .filter(audit_log::action.eq("import_results"))
        .select(audit_log::actor_id)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(actor, None, "the CLI has no actor");

    let (code, _, err) = run(args(&good, &[]));
    assert_eq!(code, 1, "a second import for the month is refused");
    assert!(err.contains("已有已发布的月考"), "{err}");
    assert_eq!(counts(&app), (1, 4));
}

#[tokio::test]
async fn a_month_with_an_exam_sat_in_examhall_takes_no_import() {
    let app = TestApp::spawn_demo().await;
    let month = examhall::time::local_month(examhall::db::now());
    let sat = examhall::review::model::monthly_exam(
        &mut app.conn(),
        examhall::domain::Month::parse(&month).unwrap(),
    )
    .unwrap()
    .expect("the demo's exam");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.csv");
    std::fs::write(&file, crate::helpers::csv(&[HEADER, &["10087", "x", "60", ""]])).unwrap();
    let before = counts(&app);
    let (code, _, err) = examhall_cli(
        &app.db_url,
        &["import-results", file.to_str().unwrap(), "--month", &month, "--title", "导入"],
    );
    assert_eq!(code, 1);
    assert!(err.contains(&format!("已有已发布的月考「{}」", sat.title)), "{err}");
    assert_eq!(counts(&app), before);
}
