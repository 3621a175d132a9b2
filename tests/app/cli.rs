//! The command line: create-admin and import-roster, as an operator runs them.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::{csv, TestApp};

pub fn examhall(db: &str, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_examhall"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run examhall");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[tokio::test]
async fn create_admin_reads_the_password_from_stdin_and_the_admin_can_log_in() {
    let app = TestApp::spawn().await;
    let (code, _, err) = examhall(&app.db_url, &["create-admin", "--username", "root"], "short\n");
    assert_eq!(code, 1, "weak password refused");
    assert!(err.contains("至少需要 8 个字符"));
    let (code, out, _) =
        examhall(&app.db_url, &["create-admin", "--username", "root", "--name", "王管理"], "strong2026\n");
    assert_eq!(code, 0);
    assert!(out.contains("已创建管理员「root」"));
    let b = app.browser();
    b.login("root", "strong2026").await;
    assert!(b.get_text("/").await.contains("您好，王管理"));
    let (code, _, err) = examhall(&app.db_url, &["create-admin", "--username", "root"], "strong2026\n");
    assert_ne!(code, 0);
    assert!(err.contains("已存在"));
}

#[tokio::test]
async fn import_roster_dry_runs_reports_row_errors_and_imports() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        csv(&[
            &["工号", "姓名", "区县", "区县类型", "营业厅", "角色"],
            &["10001", "张三", "青山县分公司", "县分", "青山中心营业厅", "店长"],
        ]),
    )
    .unwrap();
    let (code, _, err) = examhall(&app.db_url, &["import-roster", bad.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(err.contains("第 2 行：未知角色「店长」"), "{err}");

    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        csv(&[
            &["工号", "姓名", "区县", "区县类型", "营业厅", "角色"],
            &["10001", "张三", "青山县分公司", "县分", "青山中心营业厅", "营业员"],
        ]),
    )
    .unwrap();
    let (code, out, _) = examhall(&app.db_url, &["import-roster", good.to_str().unwrap(), "--dry-run"], "");
    assert_eq!(code, 0);
    assert!(out.contains("新建单位 3，新建人员 1") && out.contains("试运行"), "{out}");
    assert_eq!(app.count_users(), 0);

    let (code, out, _) = examhall(&app.db_url, &["import-roster", good.to_str().unwrap()], "chushi2026\n");
    assert_eq!(code, 0, "{out}");
    assert_eq!(app.count_users(), 1);
    assert!(app.user_by_login("10001").unwrap().must_change_password);
    let (code, out, _) = examhall(&app.db_url, &["import-roster", good.to_str().unwrap()], "");
    assert_eq!(code, 0);
    assert!(out.contains("新建人员 0，更新 0，不变 1"), "{out}");
}

/// Starts `examhall ARGS` and waits for its start-up banner; returns the
/// process, everything it printed, and the address it serves.
fn start(args: &[&str], envs: &[(&str, &str)]) -> (std::process::Child, String, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_examhall"))
        .args(args)
        .envs(envs.iter().copied())
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run examhall");
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        printed.push_str(&line);
        printed.push('\n');
        if let Some(addr) = line.strip_prefix("examhall 已启动：") {
            return (child, printed, addr.to_string());
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("no start-up banner: {printed}");
}

#[tokio::test]
async fn demo_builds_a_populated_site_in_one_command() {
    // SQLite, or PostgreSQL when the suite runs there (whose key file would
    // otherwise land in the working directory).
    let test_db = crate::helpers::TestDb::new();
    let db = test_db.url.as_str();
    let key = "ab".repeat(64);
    let envs = [("EXAMHALL_SESSION_KEY", key.as_str())];
    let (mut child, printed, addr) = start(&["demo", "--bind", "127.0.0.1:0", "--database", db], &envs);
    assert!(printed.contains("已生成演示数据"), "{printed}");
    assert!(printed.contains("admin") && printed.contains("10087") && printed.contains("demo1234"));
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = client.get(format!("{addr}/login")).send().await.unwrap();
    assert_eq!(login.status(), reqwest::StatusCode::OK);
    child.kill().unwrap();
    child.wait().unwrap();

    // A second start reuses the database (and the same people).
    let (mut child, printed, _) = start(&["demo", "--bind", "127.0.0.1:0", "--database", db], &envs);
    assert!(!printed.contains("已生成演示数据"));
    child.kill().unwrap();
    child.wait().unwrap();
    let pool = examhall::db::connect(db, 1).unwrap();
    let staff = examhall::accounts::User::count_all(&mut pool.get().unwrap()).unwrap();
    assert!((300..=340).contains(&staff), "{staff}");
}

#[tokio::test]
async fn serve_on_an_empty_database_says_how_to_create_the_first_admin() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("site.db").display());
    let (mut child, printed, _) = start(&["serve", "--bind", "127.0.0.1:0", "--database", &db], &[]);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(printed.contains("examhall create-admin --username"), "{printed}");
    assert!(dir.path().join("site.db.session-key").exists(), "the session key is kept next to the database");
}

#[tokio::test]
async fn migrate_runs_alone_and_a_foreign_database_url_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let (code, out, _) = examhall(db.to_str().unwrap(), &["migrate"], "");
    assert_eq!(code, 0);
    assert!(out.contains("数据库迁移完成") && db.exists());
    for typo in ["postgress://examhall@localhost/examhall", "mysql://root@localhost/examhall"] {
        let (code, _, err) = examhall(typo, &["migrate"], "");
        assert_ne!(code, 0);
        assert!(err.contains("不支持的数据库地址"), "{err}");
    }
    assert!(!std::path::Path::new("postgress:").exists(), "no stray SQLite file");
    let (code, _, err) = examhall("postgres://examhall:secret@127.0.0.1:1/examhall", &["migrate"], "");
    assert_ne!(code, 0);
    assert!(err.contains("无法连接数据库「postgres://examhall:***@127.0.0.1:1/examhall」"), "{err}");
}

#[tokio::test]
async fn report_exam_results_exports_the_month_as_csv_or_xlsx() {
    let app = TestApp::spawn_demo().await;
    // The demo's results are for the two months before this one.
    let today = chrono::NaiveDate::parse_from_str(
        &format!("{}-01", examhall::time::local_month(examhall::db::now())),
        "%Y-%m-%d",
    )
    .unwrap();
    let last = (today - chrono::Months::new(1)).format("%Y-%m").to_string();
    let (code, out, err) = examhall(&app.db_url, &["report", "exam-results", "--month", &last], "");
    assert_eq!(code, 0, "{err}");
    let mut lines = out.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some(
            "工号,姓名,区县,营业厅,状态,得分,是否及格,厅内排名,区县排名,全市排名,交卷时间,交卷方式,答卷编号"
        )
    );
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() > 250, "every demo clerk: {}", rows.len());
    assert!(rows.iter().any(|r| r.contains(",缺考,")) && rows.iter().any(|r| r.contains(",及格,")));
    assert!(rows[0].contains("江州市区"), "the city district comes first: {}", rows[0]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("成绩.xlsx");
    let (code, _, err) = examhall(
        &app.db_url,
        &["report", "exam-results", "--exam", "2", "--format", "xlsx", "--output", file.to_str().unwrap()],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let table = examhall::roster::parse::read_table("成绩.xlsx", &std::fs::read(&file).unwrap()).unwrap();
    assert!(format!("{table:?}").contains("全市排名"));
    let (code, _, err) = examhall(&app.db_url, &["report", "exam-results", "--month", "2001-01"], "");
    assert_eq!(code, 1);
    assert!(err.contains("找不到该考试"));
    let (code, _, _) =
        examhall(&app.db_url, &["report", "exam-results", "--exam", "2", "--format", "xlsx"], "");
    assert_eq!(code, 1, "xlsx needs --output");
}

/// `examhall backup` copies a site that is serving requests: the copy passes
/// the integrity check and holds the same rows as the live database; an
/// existing file is never overwritten. SQLite's backup, so a SQLite site in
/// the PostgreSQL pass too (PostgreSQL sites use pg_dump: README).
#[tokio::test]
async fn backup_takes_a_consistent_copy_of_a_running_sqlite_site() {
    let options = crate::helpers::Options { demo: true, sqlite: true, ..Default::default() };
    let app = crate::helpers::TestApp::spawn_with(options).await;
    // The site keeps serving while the copy is taken.
    let b = app.browser();
    b.login("10087", examhall::demo::PASSWORD).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("备份 2026-11.db");
    let run = |out: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_examhall"))
            .args(["backup", "--output", out.to_str().unwrap()])
            .env("DATABASE_URL", &app.db_url)
            .output()
            .unwrap()
    };
    let res = run(&out);
    assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
    assert!(String::from_utf8_lossy(&res.stdout).contains("完整性检查通过"));
    // Restore: open the copy as a site and compare every table's rows.
    let copy = examhall::db::connect(out.to_str().unwrap(), 1).unwrap();
    let mut copy = copy.get().unwrap();
    for table in examhall::db::copy::TABLES {
        let live = examhall::db::copy::count(&mut app.conn(), table).unwrap();
        let saved = examhall::db::copy::count(&mut copy, table).unwrap();
        // audit_log grows with the login above; everything else is still.
        if *table != "audit_log" {
            assert_eq!(live, saved, "{table}");
        }
    }
    assert!(examhall::db::copy::count(&mut copy, "attempt_items").unwrap() > 1_000);
    // Never overwrites.
    let again = run(&out);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("已存在"));
}
