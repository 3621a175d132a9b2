//! The below-average list on the demo city: scope by page and export, and the
//! CLI report's exact format.

use reqwest::StatusCode;

use crate::helpers::TestApp;

fn last_month() -> String {
    let first = format!("{}-01", examhall::time::local_month(examhall::db::now()));
    let first = chrono::NaiveDate::parse_from_str(&first, "%Y-%m-%d").unwrap();
    (first - chrono::Months::new(1)).format("%Y-%m").to_string()
}

async fn demo() -> TestApp {
    let app = TestApp::spawn().await;
    let hash = examhall::auth::password::hash(examhall::demo::PASSWORD).unwrap();
    examhall::demo::populate(&mut app.conn(), &hash).unwrap();
    app
}

async fn signed_in(app: &TestApp, login: &str) -> crate::helpers::Browser {
    let b = app.browser();
    let res = b.login(login, examhall::demo::PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    b
}

#[tokio::test]
async fn supervisors_see_their_scope_of_the_list_and_clerks_none() {
    let app = demo().await;
    let month = last_month();
    let city = signed_in(&app, "80000").await;
    let all = city.get_text(&format!("/review?month={month}")).await;
    assert!(all.contains("全市平均分") && all.contains("待沟通"), "{all}");
    assert!(all.contains("青山县分公司") && all.contains("西江县分公司"));
    assert!(!all.contains("<td>江州市区</td>"), "city-district clerks are never listed");
    // The latest closed month is the default.
    assert!(city.get_text("/review").await.contains(&format!("（{month}）")));

    let county = signed_in(&app, "80001").await;
    let mine = county.get_text(&format!("/review?month={month}")).await;
    assert!(mine.contains("<td>青山县分公司</td>"));
    assert!(!mine.contains("<td>西江县分公司</td>"), "another county's clerks are not shown");
    let xlsx = county.get(&format!("/review/export.xlsx?month={month}")).await.bytes().await.unwrap();
    let table = examhall::roster::parse::read_table("list.xlsx", &xlsx).unwrap();
    let text = format!("{table:?}");
    assert!(text.contains("青山县分公司") && !text.contains("西江县分公司"), "the export is scoped too");

    let clerk = signed_in(&app, "10087").await;
    assert_eq!(clerk.get("/review").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(clerk.get("/review/export.xlsx").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_cli_report_has_the_exact_csv_format() {
    let app = demo().await;
    let month = last_month();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_examhall"))
        .args(["report", "below-average", "--month", &month, "--format", "csv"])
        .env("DATABASE_URL", &app.db_url)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("工号,姓名,县分,营业厅,分数,市平均分,差距,状态"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(!rows.is_empty());
    let two = regex::Regex::new(r"^-?\d+\.\d\d$").unwrap();
    for r in &rows {
        assert_eq!(r.len(), 8);
        assert!(two.is_match(r[5]), "average with two decimals: {}", r[5]);
        match r[7] {
            "缺考" => assert_eq!(r[4], "", "absentees have no score"),
            "待沟通" => {
                assert!(two.is_match(r[4]) && two.is_match(r[6]), "{r:?}");
                let (score, avg): (f64, f64) = (r[4].parse().unwrap(), r[5].parse().unwrap());
                assert!(score <= avg, "{r:?}");
            }
            other => panic!("status {other}"),
        }
        assert_ne!(r[2], "江州市区");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_examhall"))
        .args(["report", "below-average", "--month", &month])
        .env("DATABASE_URL", &app.db_url)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().next().unwrap().contains("全市平均分"), "{text}");
}
