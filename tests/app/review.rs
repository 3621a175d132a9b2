//! The below-average list on the demo city: scope by page and export, and the
//! CLI report's exact format.

use reqwest::StatusCode;

use crate::helpers::{extract, location, TestApp};
use examhall::auth::Role;

fn last_month() -> String {
    let first = format!("{}-01", examhall::time::local_month(examhall::db::now()));
    let first = chrono::NaiveDate::parse_from_str(&first, "%Y-%m-%d").unwrap();
    (first - chrono::Months::new(1)).format("%Y-%m").to_string()
}

async fn demo() -> TestApp {
    let app = TestApp::spawn_demo().await;
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
    // It prints: landscape (14 columns), one page wide, title with the month, the header repeated.
    crate::helpers::assert_prints(&xlsx, 0, true, &month);

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
            // The demo has followed part of the list up already.
            "待沟通" | "已沟通" | "已安排复考" | "豁免" => {
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

/// The first clerk on the month's list who sat the exam and is not followed
/// up yet, in or out of 青山县.
fn listed(app: &TestApp, month: &str, in_qingshan: bool) -> examhall::review::model::Row {
    let list =
        examhall::review::model::month_list(&mut app.conn(), examhall::domain::Month::parse(month).unwrap())
            .unwrap()
            .expect("a list");
    list.rows
        .into_iter()
        .find(|r| {
            !r.absent
                && (r.area == "青山县分公司") == in_qingshan
                && r.case == examhall::review::case::CaseStatus::ToTalk
        })
        .expect("a listed clerk")
}

fn row_of(app: &TestApp, month: &str, user_id: i32) -> examhall::review::model::Row {
    let list =
        examhall::review::model::month_list(&mut app.conn(), examhall::domain::Month::parse(month).unwrap())
            .unwrap()
            .expect("a list");
    list.rows.into_iter().find(|r| r.user_id == user_id).expect("on the list")
}

#[tokio::test]
async fn supervisors_record_talks_retests_and_exemptions_in_order_and_in_scope() {
    let app = demo().await;
    let month = last_month();
    let clerk = listed(&app, &month, true);
    let uid = clerk.user_id.to_string();
    let county = signed_in(&app, "80001").await;
    let post = |status: &'static str, note: &'static str, reason: &'static str| {
        let (b, m, u) = (&county, month.clone(), uid.clone());
        async move {
            let fields = [
                ("month", m.as_str()),
                ("user_id", u.as_str()),
                ("status", status),
                ("note", note),
                ("reason", reason),
            ];
            let res = b.post("/review/case", &fields).await;
            if res.status() == StatusCode::UNPROCESSABLE_ENTITY {
                return res.text().await.unwrap();
            }
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
            assert!(location(&res).ends_with(&format!("&saved={u}#u{u}")), "{}", location(&res));
            b.get_text(&location(&res)).await
        }
    };
    // The county filter offers only the supervisor's own county.
    let page = county.get_text(&format!("/review?month={month}")).await;
    let select = &page[page.find(r#"<select name="area">"#).unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    assert_eq!(select.matches("<option").count(), 2, "全部 and 青山 only: {select}");
    assert!(select.contains("<option>青山县分公司</option>"), "{select}");
    // A talk needs its note; the retest cannot come before the talk. A refusal
    // is shown under the clerk's row, the form open, what was typed kept.
    let page = post("talked", "  ", "").await;
    let error =
        extract(&page, &format!(r#"<p class="bad-text" role="alert" id="case-error-{uid}">([^<]*)</p>"#));
    assert_eq!(error.as_deref(), Some(examhall::web::msg::REVIEW_NOTE_REQUIRED), "{page}");
    let page = post("retest_scheduled", "", "").await;
    assert!(page.contains("不能从当前状态改为所选状态"), "{page}");
    let page = post("exempt", "本人申请豁免，理由待补", "").await;
    assert!(page.contains("请填写原因"), "{page}");
    let row = &page[page.find(&format!(r#"<tr id="u{uid}""#)).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("<details open>") && row.contains(">本人申请豁免，理由待补</textarea>"), "{row}");
    assert!(row.contains(r#"<option value="exempt" selected>"#), "the chosen step is kept: {row}");
    assert_eq!(row_of(&app, &month, clerk.user_id).talk_note, "", "nothing stored on a refusal");
    // A note alone, the step left at 待沟通: saved, the step unchanged.
    let page = post("to_talk", "电话联系未接通，约明早面谈", "").await;
    assert!(page.contains("已保存。"), "{page}");
    let row = row_of(&app, &month, clerk.user_id);
    assert_eq!((row.status, row.talk_note.as_str()), ("待沟通", "电话联系未接通，约明早面谈"));
    let page = post("to_talk", " ", "").await;
    assert!(page.contains(examhall::web::msg::REVIEW_NOTHING_TO_SAVE), "{page}");
    let page = post("talked", "已当面沟通，本人认可差距，下月到市公司现场复考", "").await;
    let supervisor = app.user_by_login("80001").unwrap().name;
    assert!(page.contains("已记录") && page.contains("已当面沟通，本人认可差距"), "{page}");
    assert!(page.contains(&format!("<strong>{supervisor}</strong>")), "who talked is shown");
    let row = row_of(&app, &month, clerk.user_id);
    // The earlier note is kept, the new one on its own dated line.
    let today = examhall::time::local_date(examhall::db::now()).format("%m-%d");
    let notes = format!("电话联系未接通，约明早面谈\n{today} 已当面沟通，本人认可差距，下月到市公司现场复考");
    assert_eq!((row.status, row.talk_note.as_str()), ("已沟通", notes.as_str()));
    // The CLI report and the export show the step.
    let csv = String::from_utf8(
        examhall::review::model::write_csv(
            &examhall::review::model::month_list(
                &mut app.conn(),
                examhall::domain::Month::parse(&month).unwrap(),
            )
            .unwrap()
            .unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(csv.contains(&format!("{},{}", clerk.staff_no, clerk.name)) && csv.contains("已沟通"), "{csv}");
    let xlsx = county.get(&format!("/review/export.xlsx?month={month}")).await.bytes().await.unwrap();
    let table = examhall::roster::parse::read_table("list.xlsx", &xlsx).unwrap();
    assert!(table[1].iter().any(|h| h == "沟通记录"), "{:?}", table[1]);
    let line = table.iter().find(|r| r.first() == Some(&clerk.staff_no)).expect("the clerk's row");
    assert!(line.iter().any(|c| c == &notes), "{line:?}");
    post("retest_scheduled", "", "").await;
    // An exemption needs its reason.
    let page = post("exempt", "", "").await;
    assert!(page.contains("请填写原因"));
    let page = post("exempt", "", "长期病假（2026年11月至次年1月）").await;
    assert!(page.contains("豁免原因：长期病假"), "{page}");
    assert_eq!(row_of(&app, &month, clerk.user_id).case, examhall::review::case::CaseStatus::Exempt);
    // Every recorded step is audited (refused ones change nothing).
    use diesel::prelude::*;
    use examhall::schema::audit_log;
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("review_case"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(audited, 4, "the note alone, talked, retest scheduled, exempt");

    // Another county's clerk is not this supervisor's to follow; a trainer follows nobody.
    let other = listed(&app, &month, false);
    let ou = other.user_id.to_string();
    let res = county
        .post("/review/case", &[("month", &month), ("user_id", &ou), ("status", "talked"), ("note", "越权")])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let trainer = signed_in(&app, "90001").await;
    let res = trainer
        .post("/review/case", &[("month", &month), ("user_id", &ou), ("status", "talked"), ("note", "越权")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(row_of(&app, &month, other.user_id).case, examhall::review::case::CaseStatus::ToTalk);
}

/// A small city with two months of imported results, chosen so that every
/// standing occurs; the figures below are worked out by hand from them.
async fn two_months_of_results() -> TestApp {
    let app = TestApp::spawn().await;
    let c = app.seed_city();
    for (no, name) in [("10087", "张晓梅"), ("10002", "李建国"), ("10003", "王芳"), ("10004", "赵强")]
    {
        app.add_user(no, name, Some(c.county_hall), &[(Role::Clerk, c.county_hall)]);
    }
    for (no, name) in [("10011", "陈明"), ("10012", "刘洋")] {
        app.add_user(no, name, Some(c.city_hall), &[(Role::Clerk, c.city_hall)]);
    }
    app.add_user("90001", "周培训", None, &[(Role::Trainer, c.city)]);
    app.add_user("80000", "孙主管", None, &[(Role::Supervisor, c.city)]);
    app.add_user("80001", "青山主管", None, &[(Role::Supervisor, c.county)]);
    let trainer = crate::import_results::signed_in(&app, "90001").await;
    let header: &[&str] = &["工号", "姓名", "分数", "缺考"];
    // February: 90 + 80 + 70 = 240 over 3 → average 80.00; the others absent.
    let february: Vec<&[&str]> = vec![
        header,
        &["10087", "张晓梅", "90", ""],
        &["10002", "李建国", "80", ""],
        &["10011", "陈明", "70", ""],
    ];
    crate::import_results::import(&trainer, "2027-02", "2027年2月月考", &february).await;
    // March: 70 + 95 + 76.25 + 80 + 60 = 381.25 over 5 → average 76.25; 10003 absent.
    let march: Vec<&[&str]> = vec![
        header,
        &["10087", "张晓梅", "70", ""],
        &["10002", "李建国", "95", ""],
        &["10003", "王芳", "", "是"],
        &["10004", "赵强", "76.25", ""],
        &["10011", "陈明", "80", ""],
        &["10012", "刘洋", "60", ""],
    ];
    crate::import_results::import(&trainer, "2027-03", "2027年3月月考", &march).await;
    app
}

#[tokio::test]
async fn each_standing_is_explained_with_the_exact_comparison_and_in_scope() {
    let app = two_months_of_results().await;
    let county = crate::import_results::signed_in(&app, "80001").await;
    let explain = |staff: &str| format!("/review/explain?month=2027-03&staff={staff}");

    // Below: 70.00 × 5 = 350.00 < 381.25.
    let page = county.get_text(&explain("10087")).await;
    assert!(page.contains("列入名单</span>"), "{page}");
    assert!(page.contains("76.25 = 全市交卷营业员总分 381.25 ÷ 5 人"), "{page}");
    assert!(
        page.contains("得分 × 人数 = 70.00 × 5 = 350.00，<strong>小于</strong>全市总分 381.25"),
        "{page}"
    );
    // Her history, newest first: March listed; February 90.00 against 80.00, not.
    let rows = regex::Regex::new(r#"<tr><th scope="row">(\d{4}-\d{2})</th><td class="num">([^<]*)</td><td class="num">([^<]*)</td><td>(.*?)</td></tr>"#).unwrap();
    let history: Vec<[String; 4]> =
        rows.captures_iter(&page).map(|c| [1, 2, 3, 4].map(|i| c[i].to_string())).collect();
    assert_eq!(
        history,
        [
            ["2027-03", "70.00", "76.25", r#"<span class="badge bad">列入</span>"#].map(String::from),
            ["2027-02", "90.00", "80.00", "—"].map(String::from),
        ]
    );
    let svg = &page[page.find("<svg").expect("the history chart")..];
    assert_eq!(svg.matches("<polyline").count(), 2, "her scores and the averages: {svg}");

    // Equal: 76.25 × 5 = 381.25, the same as the total, is not below.
    let page = county.get_text(&explain("10004")).await;
    assert!(page.contains("不列入</span>"), "{page}");
    assert!(page.contains("76.25 × 5 = 381.25，<strong>等于</strong>全市总分 381.25"), "{page}");
    // Above: 95.00 × 5 = 475.00 > 381.25.
    let page = county.get_text(&explain("10002")).await;
    assert!(page.contains("95.00 × 5 = 475.00，<strong>大于</strong>全市总分 381.25"), "{page}");
    // Absent in a county: listed.
    let page = county.get_text(&explain("10003")).await;
    assert!(page.contains("列入名单</span>") && page.contains("县分公司营业员未交卷（缺考）"), "{page}");
    // A city-district clerk: the rule does not apply; only the city supervisor may look.
    let city = crate::import_results::signed_in(&app, "80000").await;
    let page = city.get_text(&explain("10011")).await;
    assert!(page.contains("市区营业员不适用"), "{page}");
    assert_eq!(county.get(&explain("10011")).await.status(), StatusCode::NOT_FOUND);
    // A clerk looks up nobody, not even herself.
    let clerk = crate::import_results::signed_in(&app, "10087").await;
    assert_eq!(clerk.get(&explain("10087")).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_county_comparison_adds_up_and_is_drawn_for_every_supervisor() {
    let app = demo().await;
    let month = last_month();
    let list =
        examhall::review::model::month_list(&mut app.conn(), examhall::domain::Month::parse(&month).unwrap())
            .unwrap()
            .unwrap();
    let candidates: usize = list.areas.iter().map(|a| a.candidates).sum();
    assert_eq!(candidates, list.submitted + list.absent, "every candidate in exactly one area");
    let below_in_counties: usize = list.areas.iter().filter(|a| a.county).map(|a| a.below).sum();
    assert_eq!(
        below_in_counties,
        list.rows.iter().filter(|r| !r.absent).count(),
        "the list's below-average rows"
    );
    assert!(!list.areas[0].county, "the city district first");

    // A county supervisor sees the whole comparison (no names in it), as a chart and a table.
    let county = signed_in(&app, "80001").await;
    let page = county.get_text(&format!("/review?month={month}")).await;
    assert!(page.contains("各区县对比") && page.contains("西江县分公司"), "{page}");
    let svg = &page[page.find("<svg").expect("the comparison chart")..page.find("</svg>").unwrap()];
    assert!(svg.contains("青山县分公司") && svg.contains("西江县分公司"), "every area in the chart: {svg}");
    assert!(
        svg.contains(&format!("全市平均 {}", list.city_average))
            && svg.contains(&list.areas[1].participation)
    );
}
