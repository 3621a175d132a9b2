//! Offline-environment drills (离线环境测试): trainers keep the business types;
//! a team leader records a batch for several clerks at once (all or nothing),
//! sees the month's median and accuracy per clerk and type, prints the
//! monthly feedback; imports go dry run → confirm; nobody reaches another
//! hall's drills; a clerk sees only their own.

use diesel::prelude::*;
use reqwest::{Response, StatusCode};

use crate::helpers::{csv, extract, location, unescape, Browser, City, TestApp};
use examhall::auth::Role;
use examhall::schema::{audit_log, drill_types, drills, uploads};

struct Setup {
    app: TestApp,
    city: City,
    /// 营业员甲 and 营业员乙 in the county hall, 营业员丙 in the city hall.
    clerk_a: i32,
    clerk_b: i32,
    clerk_c: i32,
    /// The county hall's team leader (20001), signed in.
    leader: Browser,
}

async fn setup() -> Setup {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("90001", "培训师甲", None, &[(Role::Trainer, city.city)]);
    app.add_user("20001", "班长青山", Some(city.county_hall), &[(Role::TeamLeader, city.county_hall)]);
    app.add_user("20002", "班长人民路", Some(city.city_hall), &[(Role::TeamLeader, city.city_hall)]);
    app.add_user("80001", "青山主管", None, &[(Role::Supervisor, city.county)]);
    let clerk_a =
        app.add_user("10001", "营业员甲", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let clerk_b =
        app.add_user("10002", "营业员乙", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let clerk_c = app.add_user("10003", "营业员丙", Some(city.city_hall), &[(Role::Clerk, city.city_hall)]);
    let leader = signed_in(&app, "20001").await;
    Setup { app, city, clerk_a, clerk_b, clerk_c, leader }
}

async fn signed_in(app: &TestApp, login: &str) -> Browser {
    let b = app.browser();
    b.login_ok(login).await;
    b
}

fn today() -> String {
    examhall::time::local_date(examhall::db::now()).format("%Y-%m-%d").to_string()
}

fn days_ago(n: u64) -> String {
    let day = examhall::time::local_date(examhall::db::now()) - chrono::Days::new(n);
    day.format("%Y-%m-%d").to_string()
}

fn month() -> String {
    examhall::time::local_month(examhall::db::now())
}

fn type_id(app: &TestApp, name: &str) -> String {
    drill_types::table
        .filter(drill_types::name.eq(name))
        .select(drill_types::id)
        .first::<i32>(&mut app.conn())
        .unwrap()
        .to_string()
}

fn count_drills(app: &TestApp) -> i64 {
    drills::table.count().get_result(&mut app.conn()).unwrap()
}

fn count_audit(app: &TestApp, action: &str) -> i64 {
    audit_log::table.filter(audit_log::action.eq(action)).count().get_result(&mut app.conn()).unwrap()
}

/// A batch: (clerk id, type id, time, errors, notes) per row, on `date`.
async fn post_batch(b: &Browser, hall: i32, date: &str, rows: &[(i32, &str, &str, &str, &str)]) -> Response {
    let mut fields: Vec<(String, String)> =
        vec![("hall_id".into(), hall.to_string()), ("drilled_on".into(), date.to_string())];
    for (n, (clerk, ty, time, errors, notes)) in rows.iter().enumerate() {
        fields.push((format!("row_{n}_clerk"), clerk.to_string()));
        fields.push((format!("row_{n}_type"), ty.to_string()));
        fields.push((format!("row_{n}_time"), time.to_string()));
        fields.push((format!("row_{n}_errors"), errors.to_string()));
        fields.push((format!("row_{n}_notes"), notes.to_string()));
    }
    // A blank row at the end, as the form sends it: ignored.
    let n = rows.len();
    fields.extend([(format!("row_{n}_clerk"), String::new()), (format!("row_{n}_errors"), "0".into())]);
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post("/training/drills", &refs).await
}

/// 甲 开户 605 s and 600 s (one with an error), 乙 缴费 100 s.
async fn record_three(s: &Setup) {
    let (open, pay) = (type_id(&s.app, "开户"), type_id(&s.app, "缴费"));
    let rows = [
        (s.clerk_a, open.as_str(), "605", "0", "首次演练"),
        (s.clerk_a, open.as_str(), "10分", "1", ""),
        (s.clerk_b, pay.as_str(), "1:40", "", ""),
    ];
    let res = post_batch(&s.leader, s.city.county_hall, &today(), &rows).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let next = location(&res);
    assert!(next.starts_with(&format!("/training/drills/new?hall={}", s.city.county_hall)), "{next}");
    let page = s.leader.get_text(&next).await;
    assert!(page.contains("已记录 3 条"), "{page}");
    assert!(page.contains("id=\"drills-stored\""), "the day's drills are listed under the fresh form");
}

#[tokio::test]
async fn a_trainer_keeps_the_business_types_with_validation() {
    let s = setup().await;
    let trainer = signed_in(&s.app, "90001").await;
    assert!(trainer.get_text("/training/drills/types").await.contains("携号转网"));
    let res = trainer
        .post("/training/drills/types", &[("name", " 销户 "), ("target", "10:00"), ("position", "8")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (id, target, active): (i32, i32, bool) = drill_types::table
        .filter(drill_types::name.eq("销户"))
        .select((drill_types::id, drill_types::target_seconds, drill_types::active))
        .first(&mut s.app.conn())
        .unwrap();
    assert_eq!((target, active), (600, true));

    let before: i64 = drill_types::table.count().get_result(&mut s.app.conn()).unwrap();
    let res =
        trainer.post("/training/drills/types", &[("name", "开户"), ("target", "5"), ("position", "9")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = unescape(res.text().await.unwrap());
    assert!(
        page.contains("业务类型「开户」已存在") && page.contains("目标用时须为 10 至 14400 秒"),
        "{page}"
    );
    assert!(page.contains("value=\"5\""), "the typed values are kept");
    assert_eq!(drill_types::table.count().get_result::<i64>(&mut s.app.conn()).unwrap(), before);

    // Retiring: the checkbox left out.
    let path = format!("/training/drills/types/{id}");
    let res = trainer.post(&path, &[("name", "销户"), ("target", "700"), ("position", "8")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (target, active): (i32, bool) = drill_types::table
        .find(id)
        .select((drill_types::target_seconds, drill_types::active))
        .first(&mut s.app.conn())
        .unwrap();
    assert_eq!((target, active), (700, false));
    let res =
        trainer.post(&path, &[("name", "过户"), ("target", "700"), ("position", "8"), ("active", "1")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "another type's name");
    assert_eq!(count_audit(&s.app, "drill_type_save"), 2);
    // A retired type is not offered for new drills.
    let form = s.leader.get_text("/training/drills/new").await;
    assert!(!form.contains("销户") && form.contains("开户（目标 10分00秒）"));
    let res = s
        .leader
        .post("/training/drills/types", &[("name", "补卡"), ("target", "300"), ("position", "9")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_team_leader_records_a_batch_and_sees_median_and_accuracy() {
    let s = setup().await;
    let form = s.leader.get_text("/training/drills/new").await;
    assert!(form.contains("10001 营业员甲") && form.contains("10002 营业员乙"));
    assert!(!form.contains("营业员丙"), "only the hall's own staff");
    record_three(&s).await;
    assert_eq!(count_drills(&s.app), 3);
    assert_eq!(count_audit(&s.app, "drill_record"), 1);

    let page = s.leader.get_text("/training/drills").await;
    // 甲 开户: median of 605 and 600 is 602.5 → 603 s, over the 600 s target; one of two error-free.
    assert!(page.contains("10分03秒") && page.contains("50.00%") && page.contains("未达标"), "{page}");
    // 乙 缴费: 100 s against 120 s, no errors.
    assert!(page.contains("1分40秒") && page.contains("100.00%") && page.contains("达标"), "{page}");
    assert!(page.contains("id=\"drill-weeks\"") && page.contains("首次演练"));

    // The county supervisor sees the halls side by side, then the hall; not the city hall.
    let sup = signed_in(&s.app, "80001").await;
    let halls = sup.get_text("/training/drills").await;
    assert!(halls.contains("id=\"drill-halls\"") && halls.contains("青山中心营业厅"), "{halls}");
    assert!(!halls.contains("人民路营业厅"), "outside the supervisor's scope");
    let hall = sup.get_text(&format!("/training/drills?hall={}", s.city.county_hall)).await;
    assert!(hall.contains("10分03秒"));
    let res = sup.get(&format!("/training/drills?hall={}", s.city.city_hall)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_bad_row_stores_nothing_and_the_form_comes_back_with_its_errors() {
    let s = setup().await;
    let open = type_id(&s.app, "开户");
    let rows = [
        (s.clerk_a, open.as_str(), "605", "0", "保留我"),
        (s.clerk_b, open.as_str(), "0", "0", ""),
        (s.clerk_c, open.as_str(), "600", "0", ""),
    ];
    let res = post_batch(&s.leader, s.city.county_hall, &today(), &rows).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = unescape(res.text().await.unwrap());
    assert!(page.contains("本批未保存任何记录"), "{page}");
    assert!(page.contains("第 2 行：用时须为 1 至 14400 秒之间的整数"), "{page}");
    assert!(page.contains("第 3 行：所选营业员不是本营业厅的在职人员"), "{page}");
    assert!(!page.contains("第 1 行："), "the good row has no error");
    assert!(page.contains("value=\"保留我\"") && page.contains("value=\"605\""), "values kept");
    assert_eq!(count_drills(&s.app), 0);

    // The date: not in the future, not older than a quarter for a team leader.
    let good = [(s.clerk_a, open.as_str(), "605", "0", "")];
    let tomorrow = (examhall::time::local_date(examhall::db::now()) + chrono::Days::new(1)).to_string();
    for date in [tomorrow.as_str(), &days_ago(93), "2026-13-01"] {
        let res = post_batch(&s.leader, s.city.county_hall, date, &good).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{date}");
    }
    assert_eq!(count_drills(&s.app), 0);
    let res = post_batch(&s.leader, s.city.county_hall, &days_ago(92), &good).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "92 days back is allowed");
}

#[tokio::test]
async fn another_halls_team_leader_can_neither_see_nor_delete() {
    let s = setup().await;
    record_three(&s).await;
    let id: i32 = drills::table.select(drills::id).order(drills::id).first(&mut s.app.conn()).unwrap();
    let other = signed_in(&s.app, "20002").await;
    let county = s.city.county_hall;
    for path in [
        format!("/training/drills?hall={county}"),
        format!("/training/drills/report?hall={county}"),
        format!("/training/drills/report.xlsx?hall={county}"),
        format!("/training/drills/new?hall={county}"),
    ] {
        assert_eq!(other.get(&path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // Their own page shows none of it.
    let own = other.get_text("/training/drills").await;
    assert!(own.contains("人民路营业厅") && !own.contains("营业员甲"));
    let res = other.post(&format!("/training/drills/{id}/delete"), &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let open = type_id(&s.app, "开户");
    let res = post_batch(&other, county, &today(), &[(s.clerk_a, open.as_str(), "600", "0", "")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(count_drills(&s.app), 3);

    // The hall's own team leader deletes it (audited).
    let res = s.leader.post(&format!("/training/drills/{id}/delete"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(count_drills(&s.app), 2);
    assert_eq!(count_audit(&s.app, "drill_delete"), 1);
    // The log names the hall and the clerk (工号 and name), not internal ids.
    let details: Vec<String> = audit_log::table
        .filter(audit_log::action.eq_any(["drill_record", "drill_delete"]))
        .order(audit_log::id)
        .select(audit_log::detail)
        .load(&mut s.app.conn())
        .unwrap();
    assert!(
        details[0].starts_with("青山中心营业厅 ") && details[0].ends_with("记录演练 3 条"),
        "{details:?}"
    );
    assert!(details[1].contains("：青山中心营业厅，营业员 10001 营业员甲，"), "{details:?}");
    assert!(!details.iter().any(|d| d.contains("营业厅 #") || d.contains("营业员 #")), "{details:?}");
}

const HEADER: [&str; 7] = ["日期", "工号", "姓名", "业务类型", "用时(秒)", "差错数", "备注"];

async fn preview(b: &Browser, bytes: Vec<u8>) -> (StatusCode, String) {
    let res = b.upload("/training/drills/import/preview", "演练.csv", bytes).await;
    (res.status(), unescape(res.text().await.unwrap()))
}

#[tokio::test]
async fn imports_are_checked_line_by_line_and_confirmed_unchanged() {
    let s = setup().await;
    let (d1, d2) = (days_ago(1), days_ago(2));
    let (d1, d2) = (d1.as_str(), d2.as_str());
    let bad = csv(&[
        &HEADER,
        &[d1, "10001", "营业员甲", "开户", "605", "0", ""],
        &[d1, "10001", "营业员乙", "开户", "605", "0", ""],
        &[d1, "10003", "营业员丙", "开户", "605", "0", ""],
        &[d1, "10001", "营业员甲", "开户", "605", "0", "重复"],
    ]);
    let (status, html) = preview(&s.leader, bad).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("第 3 行") && html.contains("工号 10001 的姓名是「营业员甲」"), "{html}");
    assert!(html.contains("第 4 行") && html.contains("工号 10003 不是您所在营业厅的在职人员"), "{html}");
    assert!(!html.contains("营业员丙"), "another hall's clerk is not named: {html}");
    assert!(html.contains("第 5 行") && html.contains("与第 2 行重复"), "{html}");
    assert!(!html.contains("确认导入</button>"));
    assert_eq!(count_drills(&s.app), 0);

    let good = csv(&[
        &HEADER,
        &[d1, "10001", "营业员甲", "开户", "10:05", "0", "导入"],
        &[d2, "10002", "营业员乙", "缴费", "95", "1", ""],
    ]);
    let (status, html) = preview(&s.leader, good).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(count_drills(&s.app), 0, "the dry run writes nothing");
    let action = extract(&html, r#"action="(/training/drills/import/\d+/confirm)""#).expect("confirm form");
    let fingerprint = extract(&html, r#"name="fingerprint" value="([0-9a-f]+)""#).unwrap();
    let res = s.leader.post(&action, &[("fingerprint", &fingerprint)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).contains(&format!("hall={}", s.city.county_hall)));
    assert_eq!(count_drills(&s.app), 2);
    assert_eq!(count_audit(&s.app, "drill_import"), 1);

    // The same rows again are duplicates of the stored ones.
    let again = csv(&[&HEADER, &[d1, "10001", "营业员甲", "开户", "605", "0", ""]]);
    let (_, html) = preview(&s.leader, again).await;
    assert!(html.contains("已有相同的演练记录"), "{html}");

    // A file changed between the preview and the confirmation is refused.
    let first = csv(&[&HEADER, &[d2, "10001", "营业员甲", "过户", "700", "0", ""]]);
    let (_, html) = preview(&s.leader, first).await;
    let action = extract(&html, r#"action="(/training/drills/import/\d+/confirm)""#).expect("confirm form");
    let fingerprint = extract(&html, r#"name="fingerprint" value="([0-9a-f]+)""#).unwrap();
    let changed = csv(&[&HEADER, &[d2, "10001", "营业员甲", "过户", "800", "0", ""]]);
    diesel::update(uploads::table).set(uploads::content.eq(changed)).execute(&mut s.app.conn()).unwrap();
    let res = s.leader.post(&action, &[("fingerprint", &fingerprint)]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("预览之后数据已发生变化"));
    assert_eq!(count_drills(&s.app), 2);

    // The template has the columns.
    let res = s.leader.get("/training/drills/import/template.xlsx").await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap();
    crate::helpers::assert_template(&bytes, &["演练记录", "业务类型清单", "填写说明"], true, "日期");
    let table = examhall::roster::parse::read_table("t.xlsx", &bytes).unwrap();
    assert_eq!(table[0], HEADER);
}

#[tokio::test]
async fn the_monthly_feedback_prints_and_exports() {
    let s = setup().await;
    record_three(&s).await;
    let q = format!("month={}&hall={}", month(), s.city.county_hall);
    let page = s.leader.get_text(&format!("/training/drills/report?{q}")).await;
    assert!(page.contains("离线环境演练月末反馈") && page.contains("青山中心营业厅"), "{page}");
    assert!(page.contains("班长青山"), "the team leader in the header");
    assert!(page.contains("10001 营业员甲") && page.contains("开户 10分03秒/10分00秒（未达标）"), "{page}");
    assert!(page.contains("未达标业务最多") && page.contains("薄弱业务"));
    // Without a hall a team leader gets their own.
    assert!(s.leader.get_text("/training/drills/report").await.contains("班长青山"));

    let res = s.leader.get(&format!("/training/drills/report.xlsx?{q}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let bytes = res.bytes().await.unwrap().to_vec();
    // Nine, nine and seven columns: all landscape; the drills sheet keeps its headings first.
    for (sheet, title) in [(0, "青山中心营业厅"), (1, "青山中心营业厅"), (2, "日期")] {
        crate::helpers::assert_prints(&bytes, sheet, true, title);
    }
    let table = examhall::roster::parse::read_table("r.xlsx", &bytes).unwrap();
    let clerk = table.iter().find(|r| r.first().map(String::as_str) == Some("10001")).expect("甲's row");
    assert_eq!(&clerk[1..3], ["营业员甲", "2"]);
}

#[tokio::test]
async fn a_clerk_sees_only_their_own_drills() {
    let s = setup().await;
    record_three(&s).await;
    let clerk = signed_in(&s.app, "10001").await;
    let page = clerk.get_text("/training/drills/my").await;
    assert!(page.contains("10分03秒") && page.contains("首次演练"), "{page}");
    assert!(!page.contains("1分40秒") && !page.contains("缴费"), "乙's drill is not shown");
    assert_eq!(clerk.get("/training/drills/new").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(clerk.get("/training/drills").await.status(), StatusCode::FORBIDDEN);
    let other = signed_in(&s.app, "10002").await;
    assert!(other.get_text("/training/drills/my").await.contains("1分40秒"));
}

#[tokio::test]
async fn more_rows_keep_what_was_typed_and_save_nothing() {
    let s = setup().await;
    let open = type_id(&s.app, "开户");
    let (county, date, clerk) = (s.city.county_hall.to_string(), today(), s.clerk_a.to_string());
    let fields = [
        ("hall_id", county.as_str()),
        ("drilled_on", date.as_str()),
        ("row_0_clerk", clerk.as_str()),
        ("row_0_type", open.as_str()),
        ("row_0_time", "10:05"),
        ("row_0_errors", "1"),
        ("row_0_notes", "首次演练"),
        ("more", "1"),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, *v)).collect();
    let res = s.leader.post("/training/drills", &fields).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert_eq!(count_drills(&s.app), 0, "nothing saved");
    assert!(
        page.contains(r#"name="row_0_time" value="10:05""#) && page.contains(r#"value="首次演练""#),
        "{page}"
    );
    // 8 rows and 8 more: the last one is row 16.
    assert!(page.contains(r#"name="row_15_clerk""#) && !page.contains(r#"name="row_16_clerk""#), "{page}");
}
