//! Form input bounds: an over-long text, an out-of-range number or an absurd
//! date is refused on the server with the Chinese message next to the form,
//! and nothing is stored.

use chrono::Duration;
use diesel::prelude::*;
use examhall::auth::Role;
use examhall::db::now;
use examhall::schema::{articles, assignments, exams, rubric_versions};
use examhall::web::msg;
use reqwest::StatusCode;

use crate::helpers::{extract, location, unescape, TestApp};

#[tokio::test]
async fn the_exam_form_refuses_years_out_of_range_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("90001", "周培训", None, &[(Role::Trainer, city.city)]);
    let t = app.browser();
    t.login_ok("90001").await;
    let city_id = city.city.to_string();
    let long_title = "考".repeat(101);
    let res = t
        .post(
            "/exams",
            &[
                ("title", long_title.as_str()),
                ("month", "9999-11"),
                ("kind", "monthly"),
                ("channels", "hall"),
                ("opens_at", "9999-01-01T09:00"),
                ("closes_at", "9999-01-02T09:00"),
                ("time_limit", "100000"),
                ("pass_mark", "60"),
                ("review", "full"),
                ("grace_seconds", "-1"),
                ("units", &city_id),
                ("roles", "clerk"),
                ("mode", "fixed"),
                ("fixed_items", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = unescape(res.text().await.unwrap());
    for want in [
        msg::EXAM_MONTH_RANGE,
        msg::EXAM_WINDOW_RANGE,
        msg::EXAM_TITLE_REQUIRED,
        msg::EXAM_BAD_LIMIT,
        msg::EXAM_BAD_GRACE,
    ] {
        assert!(html.contains(want), "{want}");
    }
    assert!(html.contains(r#"max="2099-12-31T23:59""#), "the browser is told the range too");
    assert_eq!(exams::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 0);
}

#[tokio::test]
async fn the_article_form_refuses_absurd_dates_and_long_titles_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("trainer", "培训师", None, &[(Role::Trainer, city.city)]);
    let t = app.browser();
    t.login_ok("trainer").await;
    let long_title = "文".repeat(101);
    let long_note = "注".repeat(201);
    for (title, date, note, want) in [
        ("携号转网办理流程", "9999-12-31", "", msg::KB_DATE_RANGE),
        ("携号转网办理流程", "1900-01-01", "", msg::KB_DATE_RANGE),
        (long_title.as_str(), "2026-11-01", "", msg::KB_TITLE_INVALID),
        ("携号转网办理流程", "2026-11-01", long_note.as_str(), msg::KB_NOTE_TOO_LONG),
    ] {
        let res = t
            .post(
                "/kb",
                &[
                    ("title", title),
                    ("category", "业务流程"),
                    ("tags", "携号转网"),
                    ("effective_date", date),
                    ("body", "## 办理要求\n\n本人持证办理。"),
                    ("change_note", note),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{date}");
        let html = unescape(res.text().await.unwrap());
        assert!(html.contains(want), "{want}");
    }
    assert_eq!(articles::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 0);
}

#[tokio::test]
async fn a_reading_cannot_be_due_more_than_a_year_ahead() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("trainer", "培训师", None, &[(Role::Trainer, city.city)]);
    let t = app.browser();
    t.login_ok("trainer").await;
    let res = t
        .post(
            "/kb",
            &[
                ("title", "携号转网办理流程"),
                ("category", "业务流程"),
                ("tags", "携号转网"),
                ("effective_date", "2026-11-01"),
                ("body", "## 办理要求\n\n本人持证办理。"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id: i32 = extract(&location(&res), r"^/kb/(\d+)$").unwrap().parse().unwrap();
    let far = (examhall::time::local_date(now()) + Duration::days(400)).to_string();
    let unit = city.city.to_string();
    let res =
        t.post(&format!("/kb/{id}/assign"), &[("unit", &unit), ("role", "clerk"), ("due_date", &far)]).await;
    assert_eq!(location(&res), format!("/kb/{id}/assign"));
    assert!(t.get_text(&format!("/kb/{id}/assign")).await.contains(msg::KB_DUE_TOO_FAR));
    assert_eq!(assignments::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 0);
    let year = "9999-01-01";
    t.post(&format!("/kb/{id}/assign"), &[("unit", &unit), ("role", "clerk"), ("due_date", year)]).await;
    assert_eq!(assignments::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 0);
}

#[tokio::test]
async fn a_rubric_item_name_or_code_longer_than_the_field_is_refused() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("trainer", "培训师", None, &[(Role::Trainer, city.city)]);
    let t = app.browser();
    t.login_ok("trainer").await;
    t.get_text("/phone/rubric").await;
    let versions = || rubric_versions::table.count().get_result::<i64>(&mut app.conn()).unwrap();
    let before = versions();
    let (long_name, long_code) = ("名".repeat(31), "a".repeat(31));
    for (name, code) in [(long_name.as_str(), "a"), ("接听", long_code.as_str())] {
        let res = t
            .post("/phone/rubric", &[("row_0_name", name), ("row_0_code", code), ("row_0_points", "100")])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = unescape(res.text().await.unwrap());
        assert!(html.contains("不超过 30 字"), "{html}");
    }
    assert_eq!(versions(), before, "nothing saved");
}
