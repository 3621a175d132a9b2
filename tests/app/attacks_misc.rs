//! Attacks from the outside security review (findings 8–12), each made
//! through the real interface: HTTP, or the command line for its reports.
//! Each test failed before its fix.

use std::io::Write;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use examhall::auth::Role;
use examhall::routes::{Access, Verb, ROUTES};
use examhall::schema::{article_files, articles, uploads, users};
use examhall::web::msg;
use reqwest::StatusCode;

use crate::faults::on_every_connection;
use crate::helpers::{extract, location, postgres_url, unescape, Browser, TestApp};

/// An .xlsx whose one cell (A1, a shared string) is `cell_bytes` letters:
/// 195 MB compresses to about 200 KB, as in the review.
fn xlsx_with_one_cell(cell_bytes: usize) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let deflated =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#,
        ),
    ];
    for (name, xml) in parts {
        zip.start_file(name, deflated).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
    }
    zip.start_file("xl/sharedStrings.xml", deflated).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#).unwrap();
    let mb = vec![b'A'; 1 << 20];
    for _ in 0..cell_bytes / mb.len() {
        zip.write_all(&mb).unwrap();
    }
    zip.write_all(&mb[..cell_bytes % mb.len()]).unwrap();
    zip.write_all(b"</t></si></sst>").unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

async fn admin(app: &TestApp) -> Browser {
    let city = app.seed_city();
    app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    let b = app.browser();
    b.login_ok("admin").await;
    b
}

fn count_uploads(app: &TestApp) -> i64 {
    uploads::table.count().get_result(&mut app.conn()).unwrap()
}

// ---- 8. Memory from a small upload

#[tokio::test]
async fn a_small_xlsx_holding_one_195_mb_cell_is_refused_before_it_is_read() {
    // Made before signing in: compressing 195 MB takes a while in a test
    // build, longer than the server keeps an idle connection open.
    let bomb = xlsx_with_one_cell(195 << 20);
    let app = TestApp::spawn().await;
    let admin = admin(&app).await;
    assert!(bomb.len() < 1 << 20, "a small upload: {} bytes", bomb.len());
    let users_before = app.count_users();
    let res = admin.upload("/admin/roster/preview", "名单.xlsx", bomb).await;
    let status = res.status();
    let body = unescape(res.text().await.unwrap());
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "refused as too large");
    assert!(body.contains(msg::CELL_TOO_LONG), "{body}");
    assert_eq!(count_uploads(&app), 0, "nothing kept for a confirmation");
    assert_eq!(app.count_users(), users_before);

    // A CSV with one field past Excel's limit is refused the same way. A new
    // client: the server closes a connection whose upload it refused unread,
    // which a browser retries on its own but reqwest's pool does not.
    let admin = app.browser();
    admin.login_ok("admin").await;
    let mut csv = "工号,姓名\n10001,".to_string();
    csv.push_str(&"长".repeat(40_000));
    let res = admin.upload("/admin/roster/preview", "名单.csv", csv.into_bytes()).await;
    assert!(res.status().is_client_error());
    assert!(unescape(res.text().await.unwrap()).contains(msg::CELL_TOO_LONG));
    assert_eq!(count_uploads(&app), 0);
}

// ---- 9. CSV formula injection in the command line's reports

const PLANTED: [&str; 4] = ["=HYPERLINK(\"http://x\")", "@SUM(1)", "+1", "-1+2"];

/// The demo city with every person's name a formula, in turn.
async fn planted_demo() -> TestApp {
    let app = TestApp::spawn_demo().await;
    let ids: Vec<i32> = users::table.select(users::id).load(&mut app.conn()).unwrap();
    for id in ids {
        let name = PLANTED[id as usize % PLANTED.len()];
        diesel::update(users::table.find(id)).set(users::name.eq(name)).execute(&mut app.conn()).unwrap();
    }
    app
}

/// This month and the two before it (the demo's data spans them).
fn recent_months() -> Vec<String> {
    let first = format!("{}-01", examhall::time::local_month(examhall::db::now()));
    let first = chrono::NaiveDate::parse_from_str(&first, "%Y-%m-%d").unwrap();
    (0..3).map(|n| (first - chrono::Months::new(n)).format("%Y-%m").to_string()).collect()
}

/// Runs `examhall report <args> --month M` for the recent months; every
/// CSV cell of the output.
fn report_cells(app: &TestApp, args: &[&str]) -> Vec<String> {
    let mut cells = Vec::new();
    for month in recent_months() {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_examhall"))
            .arg("report")
            .args(args)
            .args(["--month", &month, "--format", "csv"])
            .env("DATABASE_URL", &app.db_url)
            .env("RUST_LOG", "error")
            .output()
            .unwrap();
        if !out.status.success() {
            continue; // no data for that month
        }
        let text = String::from_utf8(out.stdout).unwrap();
        let text = text.trim_start_matches('\u{feff}');
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        for record in reader.records() {
            cells.extend(record.unwrap().iter().map(str::to_string));
        }
    }
    cells
}

/// No cell a spreadsheet program would run; the planted names are there,
/// quoted; numbers (negative ones too) are left as they are.
fn assert_neutralised(report: &str, cells: &[String]) {
    let plain_number = regex::Regex::new(r"^-?\d+(\.\d+)?$").unwrap();
    for cell in cells {
        let risky = cell.starts_with(['=', '+', '@', '\t', '\r'])
            || (cell.starts_with('-') && !plain_number.is_match(cell));
        assert!(!risky, "{report}: a spreadsheet would run {cell:?}");
    }
    let quoted: Vec<&String> =
        cells.iter().filter(|c| PLANTED.iter().any(|p| c.as_str() == format!("'{p}"))).collect();
    assert!(!quoted.is_empty(), "{report}: the planted names are in the report, quoted");
}

#[tokio::test]
async fn the_below_average_csv_report_neutralises_formula_names() {
    let app = planted_demo().await;
    let cells = report_cells(&app, &["below-average"]);
    assert_neutralised("below-average", &cells);
    // The gap to the city average is negative and stays a number.
    let negative = regex::Regex::new(r"^-\d+\.\d\d$").unwrap();
    assert!(cells.iter().any(|c| negative.is_match(c)), "negative gaps kept as numbers");
}

#[tokio::test]
async fn the_reading_penalty_csv_report_neutralises_formula_names() {
    let app = planted_demo().await;
    assert_neutralised("reading-penalty", &report_cells(&app, &["reading-penalty"]));
}

#[tokio::test]
async fn the_phone_tests_csv_report_neutralises_formula_names() {
    let app = planted_demo().await;
    assert_neutralised("phone-tests", &report_cells(&app, &["phone-tests"]));
}

#[tokio::test]
async fn the_scorecard_csv_report_neutralises_formula_names() {
    let app = planted_demo().await;
    assert_neutralised("scorecard", &report_cells(&app, &["scorecard", "--level", "clerk"]));
}

#[tokio::test]
async fn the_exam_results_csv_report_neutralises_formula_names() {
    let app = planted_demo().await;
    assert_neutralised("exam-results", &report_cells(&app, &["exam-results"]));
}

// ---- 10. A read-only database

#[tokio::test]
async fn a_read_only_database_refuses_writes_with_503_and_says_so() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("90001", "周培训", None, &[(Role::Trainer, city.city)]);
    let trainer = app.browser();
    trainer.login_ok("90001").await;
    // Read before: no page need be written to while the fault lasts.
    let token = trainer.csrf().await;
    let today = examhall::time::local_date(examhall::db::now()).to_string();
    let publish = || {
        let form = [
            ("title", "只读测试：携号转网办理要点"),
            ("category", examhall::kb::model::CATEGORIES[0]),
            ("effective_date", today.as_str()),
            ("body", "核验本人有效证件。"),
            ("csrf_token", token.as_str()),
        ];
        trainer.client.post(trainer.url("/kb")).form(&form).send()
    };
    let (read_only, writable) = if postgres_url().is_some() {
        // A standby, or a session set read-only: PostgreSQL's SQLSTATE 25006.
        ("SET default_transaction_read_only = on", "SET default_transaction_read_only = off")
    } else {
        // What SQLite reports for a read-only file or file system: SQLITE_READONLY.
        ("PRAGMA query_only = 1", "PRAGMA query_only = 0")
    };
    on_every_connection(&app, read_only);
    let err = app.conn().batch_execute("UPDATE users SET name = name").unwrap_err();
    assert!(
        ["attempt to write a readonly database", "read-only transaction"]
            .iter()
            .any(|m| err.to_string().contains(m)),
        "the database's own error: {err}"
    );
    let count = || articles::table.count().get_result::<i64>(&mut app.conn()).unwrap();
    let before = count();
    let res = publish().await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(res.headers().contains_key("retry-after"));
    let body = unescape(res.text().await.unwrap());
    assert!(body.contains(msg::DB_READ_ONLY), "{body}");
    assert_eq!(count(), before, "nothing written");

    on_every_connection(&app, writable);
    let res = publish().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "writable again: the same request goes in");
    assert_eq!(count(), before + 1);
}

// ---- 11. An attachment's served name follows its sniffed type

fn docx() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for part in ["[Content_Types].xml", "word/document.xml"] {
        zip.start_file(part, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(b"<w:document/>").unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

#[tokio::test]
async fn an_office_file_named_html_is_served_with_the_office_extension() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("90001", "周培训", None, &[(Role::Trainer, city.city)]);
    let trainer = app.browser();
    trainer.login_ok("90001").await;
    let res = trainer
        .post(
            "/kb",
            &[
                ("title", "带附件的文章"),
                ("category", examhall::kb::model::CATEGORIES[0]),
                ("effective_date", "2026-11-01"),
                ("body", "见附件。"),
            ],
        )
        .await;
    let article: i32 = extract(&location(&res), r"^/kb/(\d+)$").unwrap().parse().unwrap();
    let res = trainer.upload(&format!("/kb/{article}/files"), "报告.html", docx()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (id, stored): (i32, String) = article_files::table
        .select((article_files::id, article_files::filename))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(stored, "报告.docx");
    let res = trainer.get(&format!("/kb/files/{id}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_string();
    // 报告.docx, percent-encoded as UTF-8.
    assert_eq!(disposition, "attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.docx");
    assert_eq!(res.headers()["content-type"], "application/octet-stream");

    // A file stored before the fix, under its .html name, is served right too.
    diesel::update(article_files::table.find(id))
        .set(article_files::filename.eq("旧报告.html"))
        .execute(&mut app.conn())
        .unwrap();
    let res = trainer.get(&format!("/kb/files/{id}")).await;
    let disposition = res.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.ends_with(".docx") && !disposition.contains("html"), "{disposition}");
}

// ---- 12. The CSRF token never in the URL

#[tokio::test]
async fn a_form_with_its_token_only_in_the_query_string_is_refused() {
    let app = TestApp::spawn().await;
    let admin = admin(&app).await;
    let token = admin.csrf().await;
    let units = || examhall::schema::org_units::table.count().get_result::<i64>(&mut app.conn()).unwrap();
    let before = units();
    let form = [("kind", "county"), ("parent_id", "1"), ("name", "新县分公司")];
    let res = admin.client.post(format!("{}?_csrf={token}", admin.url("/admin/org"))).form(&form).send();
    let res = res.await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("表单已过期"));
    assert_eq!(units(), before);
}

/// A concrete path for a route pattern: every `{…}` is 1.
fn concrete(pattern: &str) -> String {
    regex::Regex::new(r"\{[^}]+\}").unwrap().replace_all(pattern, "1").to_string()
}

#[tokio::test]
async fn every_route_refuses_a_multipart_form_whose_token_is_not_its_first_part() {
    let app = TestApp::spawn().await;
    let admin = admin(&app).await;
    let token = admin.csrf().await;
    let foreign = app.browser().csrf().await;
    let file = || reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("名单.csv");
    let mut problems = Vec::new();
    // Every POST route the admin may use (the others refuse them before the token matters).
    let admin_may = |a: Access| !matches!(a, Access::Roles(roles) if !roles.contains(&Role::Admin));
    for spec in ROUTES.iter().filter(|s| s.verb == Verb::Post && admin_may(s.access)) {
        let path = concrete(spec.path);
        let attempts = [
            ("token only in the URL", format!("{}?_csrf={token}", admin.url(&path)), None),
            ("another session's token first", admin.url(&path), Some(foreign.as_str())),
            ("the token after the file", admin.url(&path), Some("after")),
        ];
        for (what, url, first) in attempts {
            let form = match first {
                Some("after") => {
                    reqwest::multipart::Form::new().part("file", file()).text("csrf_token", token.clone())
                }
                Some(other) => {
                    reqwest::multipart::Form::new().text("csrf_token", other.to_string()).part("file", file())
                }
                None => reqwest::multipart::Form::new().part("file", file()),
            };
            let res = admin.client.post(url).multipart(form).send().await.unwrap();
            let status = res.status();
            if status != StatusCode::FORBIDDEN || !res.text().await.unwrap().contains("表单已过期") {
                problems.push(format!("POST {path} with {what}: {status}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(count_uploads(&app), 0);
}

#[tokio::test]
async fn an_upload_with_its_token_in_the_body_goes_through() {
    let app = TestApp::spawn().await;
    let admin = admin(&app).await;
    let roster = crate::helpers::csv(&[
        &["工号", "姓名", "区县", "区县类型", "营业厅", "角色"],
        &["10001", "张三", "青山县分公司", "县分", "青山中心营业厅", "营业员"],
    ]);
    let res = admin.upload("/admin/roster/preview", "名单.csv", roster).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(extract(&html, r#"action="(/admin/roster/\d+/confirm)""#).is_some(), "the preview");
    assert_eq!(count_uploads(&app), 1);
    // The page's upload form carries the token in its body, not its URL.
    let page = admin.get_text("/admin/roster").await;
    assert!(!page.contains("_csrf="), "no token in any URL");
    let form = extract(&page, r#"(?s)(<form[^>]*multipart/form-data.*?</form>)"#).unwrap();
    let first_field = extract(&form, r#"<input[^>]*name="([^"]+)""#).unwrap();
    assert_eq!(first_field, "csrf_token", "the token is the form's first part");
}
