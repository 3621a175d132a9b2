//! The turn of a month, through the real app: its clock is stopped at
//! 23:59:59 Beijing time on the last day of February 2028 (a leap day), then
//! moved on one second to 00:00:00 on 1 March. What depends on "this month"
//! or "today" turns then and not a second before. Every expected value is
//! written out by hand from those two instants (Beijing is UTC+8, no DST).

use chrono::{Duration, NaiveDate, NaiveDateTime};
use reqwest::StatusCode;

use crate::helpers::{extract, location, Browser, TestApp};
use examhall::auth::Role;

/// A Beijing wall-clock time as the UTC the app stores.
fn beijing(text: &str) -> NaiveDateTime {
    examhall::time::parse_local_input(text).expect("a Beijing time")
}

struct Site {
    app: TestApp,
    clerk_id: i32,
    clerk: Browser,
    trainer: Browser,
    supervisor: Browser,
}

/// A small city on its last second of February: a clerk with a mandatory
/// article due that day and unread, a trainer, and the clerk's supervisor.
async fn last_second_of_february() -> Site {
    let app = TestApp::spawn().await;
    app.clock.set(beijing("2028-02-29 23:59:59"));
    let utc = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap().and_hms_opt(15, 59, 59).unwrap();
    assert_eq!(app.clock.now(), utc, "23:59:59 in Beijing is 15:59:59 UTC");
    // The accounts are made by the app's time too (the ledger never charges
    // someone who joined after a due date).
    let _app_time = app.clock.install();
    let city = app.seed_city();
    app.add_user("90001", "周培训", None, &[(Role::Trainer, city.city)]);
    app.add_user("80001", "青山主管", None, &[(Role::Supervisor, city.county)]);
    let clerk_id =
        app.add_user("10001", "营业员甲", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let (trainer, supervisor, clerk) = (app.browser(), app.browser(), app.browser());
    trainer.login_ok("90001").await;
    supervisor.login_ok("80001").await;
    clerk.login_ok("10001").await;

    let article = [
        ("title", "二月必读：实名制登记规范"),
        ("category", examhall::kb::model::CATEGORIES[0]),
        ("tags", "实名制"),
        ("effective_date", "2028-02-01"),
        ("body", "## 实名制登记\n\n办理入网须核验本人有效证件。\n"),
    ];
    let res = trainer.post("/kb", &article).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let id = extract(&location(&res), r"^/kb/(\d+)$").expect("the article");
    let unit = city.city.to_string();
    let assign = [("unit", unit.as_str()), ("role", "clerk"), ("due_date", "2028-02-29")];
    let res = trainer.post(&format!("/kb/{id}/assign"), &assign).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let assigned = {
        use diesel::prelude::*;
        examhall::schema::assignments::table.count().get_result::<i64>(&mut app.conn()).unwrap()
    };
    assert_eq!(assigned, 1, "the city's clerks must read it");
    Site { app, clerk_id, clerk, trainer, supervisor }
}

/// The clerk's line in the reading ledger: (count charged, amount in yuan).
fn charged(ledger: &str, user_id: i32) -> (String, String) {
    let row = extract(ledger, &format!(r#"(?s)<tr id="u{user_id}">(.*?)</tr>"#)).expect("the clerk's row");
    let nums = regex::Regex::new(r#"<td class="num">([^<]*)</td>"#).unwrap();
    let cells: Vec<String> = nums.captures_iter(&row).map(|c| c[1].to_string()).collect();
    assert_eq!(cells.len(), 2, "{row}");
    (cells[0].clone(), cells[1].clone())
}

#[tokio::test]
async fn a_reading_due_on_the_last_day_is_due_today_until_midnight_then_overdue_and_charged() {
    let s = last_second_of_february().await;
    let home = s.clerk.get_text("/").await;
    assert!(home.contains("2028-02-29 截止 · 今天截止"), "{home}");
    // February's ledger: the month is not over, so the unread item is not yet charged.
    let ledger = s.supervisor.get_text("/kb/ledger?month=2028-02").await;
    assert!(ledger.contains("本月尚未结束"), "{ledger}");
    assert!(ledger.contains("未到期"));
    assert_eq!(charged(&ledger, s.clerk_id), ("0".into(), "0.00".into()));
    // The on-time rate counts only items whose due date has passed: none yet.
    let card = s.supervisor.get_text(&format!("/scorecard/clerk/{}?month=2028-02", s.clerk_id)).await;
    assert!(card.contains("1 条未到期") && !card.contains("按时 0/1 条"), "{card}");

    s.app.clock.advance(Duration::seconds(1));
    let card = s.supervisor.get_text(&format!("/scorecard/clerk/{}?month=2028-02", s.clerk_id)).await;
    assert!(card.contains("按时 0/1 条") && !card.contains("未到期"), "{card}");
    let home = s.clerk.get_text("/").await;
    assert!(home.contains("2028-02-29 截止 · 已逾期 1 天"), "{home}");
    let ledger = s.supervisor.get_text("/kb/ledger?month=2028-02").await;
    assert!(!ledger.contains("本月尚未结束"), "February is over");
    assert!(ledger.contains("<span class=\"badge bad\">未读</span>"), "{ledger}");
    // One item at the default rate of 10 yuan.
    assert_eq!(charged(&ledger, s.clerk_id), ("1".into(), "10.00".into()));
}

#[tokio::test]
async fn the_month_a_page_starts_on_turns_at_midnight_beijing_time() {
    let s = last_second_of_february().await;
    // The ledger opens on last month; a new exam is this month's, sat tomorrow.
    let ledger = s.supervisor.get_text("/kb/ledger").await;
    assert!(ledger.contains("<h1>必读未读扣款台账（2028-01）</h1>"), "{ledger}");
    let form = s.trainer.get_text("/exams/new").await;
    assert!(form.contains(r#"name="title" value="2028年2月三大渠道月考""#), "{form}");
    assert!(form.contains(r#"name="month" value="2028-02""#));
    assert!(form.contains(r#"name="opens_at" value="2028-03-01T09:00""#), "tomorrow, the 1st");

    s.app.clock.advance(Duration::seconds(1));
    assert_eq!(s.app.clock.now(), beijing("2028-03-01 00:00:00"));
    let ledger = s.supervisor.get_text("/kb/ledger").await;
    assert!(ledger.contains("<h1>必读未读扣款台账（2028-02）</h1>"), "{ledger}");
    let form = s.trainer.get_text("/exams/new").await;
    assert!(form.contains(r#"name="title" value="2028年3月三大渠道月考""#), "{form}");
    assert!(form.contains(r#"name="month" value="2028-03""#));
    assert!(form.contains(r#"name="opens_at" value="2028-03-02T09:00""#));
}
