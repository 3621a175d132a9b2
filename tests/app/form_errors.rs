//! A refused form shows each problem in Chinese next to its field: under the
//! input, in `<p class="bad-text" id="err-<field>">`, the input marked
//! `aria-invalid` and pointing at it, a short alert at the top counting them;
//! the status is 422 and nothing is stored.

use diesel::prelude::*;
use examhall::auth::Role;
use examhall::db::now;
use examhall::schema::{article_versions, articles, exams, sittings};
use examhall::web::msg;
use reqwest::StatusCode;

use crate::helpers::{extract, location, unescape, Browser, TestApp};

/// The message under `field`, if the page shows one.
fn field_error(html: &str, field: &str) -> Option<String> {
    extract(html, &format!(r#"<p class="bad-text" id="err-{field}">([^<]*)</p>"#))
}

/// Whether the control named `name` is marked invalid and described by `err-<field>`.
fn marked_invalid(html: &str, name: &str, field: &str) -> bool {
    let pattern = format!(r#"name="{name}"[^>]* aria-invalid="true" aria-describedby="err-{field}""#);
    regex::Regex::new(&pattern).unwrap().is_match(html)
}

/// A refused form's body, after checking the status.
async fn refused(res: reqwest::Response) -> String {
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    unescape(res.text().await.unwrap())
}

/// An exam form that passes (a fixed paper of question #1).
fn exam_form(unit: &str) -> Vec<(&str, &str)> {
    vec![
        ("title", "2026年11月三大渠道月考"),
        ("month", "2026-11"),
        ("kind", "monthly"),
        ("channels", "hall"),
        ("opens_at", "2026-11-28T09:00"),
        ("closes_at", "2026-11-28T17:00"),
        ("time_limit", "60"),
        ("pass_mark", "60"),
        ("review", "full"),
        ("grace_seconds", "30"),
        ("units", unit),
        ("roles", "clerk"),
        ("mode", "fixed"),
        ("fixed_items", "1"),
    ]
}

fn with<'a>(mut form: Vec<(&'a str, &'a str)>, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    for (k, v) in changes {
        form.retain(|(key, _)| key != k);
        form.push((k, v));
    }
    form
}

async fn trainer(app: &TestApp) -> (Browser, String) {
    let city = app.seed_city();
    app.add_user("90001", "周培训", None, &[(Role::Trainer, city.city)]);
    let t = app.browser();
    t.login_ok("90001").await;
    (t, city.city.to_string())
}

#[tokio::test]
async fn a_refused_exam_form_shows_each_message_under_its_field() {
    let app = TestApp::spawn().await;
    let (t, unit) = trainer(&app).await;
    let bad = with(
        exam_form(&unit),
        &[
            ("title", ""),
            ("month", "9999-11"),
            ("closes_at", "2026-11-28T08:00"),
            ("time_limit", "0"),
            ("grace_seconds", "-1"),
            ("fixed_items", "abc"),
        ],
    );
    let html = refused(t.post("/exams", &bad).await).await;
    for (field, want) in [
        ("title", msg::EXAM_TITLE_REQUIRED.to_string()),
        ("month", msg::EXAM_MONTH_RANGE.to_string()),
        ("window", msg::EXAM_WINDOW_ORDER.to_string()),
        ("time_limit", msg::EXAM_BAD_LIMIT.to_string()),
        ("grace_seconds", msg::EXAM_BAD_GRACE.to_string()),
        ("fixed_items", msg::exam_bad_fixed_line(1, "abc")),
    ] {
        let shown = field_error(&html, field).unwrap_or_else(|| panic!("no err-{field}"));
        assert!(shown.contains(&want), "err-{field}: {shown}");
    }
    for (name, field) in [
        ("title", "title"),
        ("month", "month"),
        ("opens_at", "window"),
        ("closes_at", "window"),
        ("time_limit", "time_limit"),
        ("grace_seconds", "grace_seconds"),
        ("fixed_items", "fixed_items"),
    ] {
        assert!(marked_invalid(&html, name, field), "{name} marked invalid");
    }
    assert!(!marked_invalid(&html, "pass_mark", "pass_mark") && field_error(&html, "pass_mark").is_none());
    assert!(html.contains(&msg::form_errors(6)), "the alert at the top counts them");
    assert!(html.contains(r#"value="9999-11""#), "what was typed is kept");
    // A staff number nobody has goes under its list, found only after the rest passes.
    let unknown = with(exam_form(&unit), &[("include", "99999"), ("exclude", "88888")]);
    let html = refused(t.post("/exams", &unknown).await).await;
    assert_eq!(field_error(&html, "include"), Some(msg::exam_unknown_staff_list("99999")));
    assert_eq!(field_error(&html, "exclude"), Some(msg::exam_unknown_staff_list("88888")));
    assert!(html.contains(&msg::form_errors(2)));
    assert_eq!(exams::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 0);
    // And the form that passes is stored: the fields above were the only problems.
    assert_eq!(t.post("/exams", &exam_form(&unit)).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_refused_article_form_shows_each_message_under_its_field() {
    let app = TestApp::spawn().await;
    let (t, unit) = trainer(&app).await;
    let long_title = "文".repeat(101);
    let article = |title: &str, date: &str| {
        vec![
            ("title".to_string(), title.to_string()),
            ("category".to_string(), "业务流程".to_string()),
            ("effective_date".to_string(), date.to_string()),
            ("body".to_string(), "## 办理要求\n\n本人持证办理。".to_string()),
        ]
    };
    let pairs = article(&long_title, "9999-12-31");
    let form: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let html = refused(t.post("/kb", &form).await).await;
    assert_eq!(field_error(&html, "title").as_deref(), Some(msg::KB_TITLE_INVALID));
    assert_eq!(field_error(&html, "effective_date").as_deref(), Some(msg::KB_DATE_RANGE));
    assert!(
        marked_invalid(&html, "title", "title") && marked_invalid(&html, "effective_date", "effective_date")
    );
    assert!(field_error(&html, "body").is_none() && field_error(&html, "category").is_none());
    assert!(html.contains(&msg::form_errors(2)));
    assert_eq!(articles::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 0);

    // An assigned article changed materially needs a new due date, asked for under its field.
    let pairs = article("携号转网办理流程", "2026-11-01");
    let form: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = t.post("/kb", &form).await;
    let id = extract(&location(&res), r"^/kb/(\d+)$").unwrap();
    let due = (examhall::time::local_date(now()) + chrono::Duration::days(30)).to_string();
    t.post(&format!("/kb/{id}/assign"), &[("unit", &unit), ("role", "clerk"), ("due_date", &due)]).await;
    let mut edit = form.clone();
    edit.extend([("material", "1"), ("change_note", "更新办理要求")]);
    let html = refused(t.post(&format!("/kb/{id}"), &edit).await).await;
    assert_eq!(field_error(&html, "new_due").as_deref(), Some(msg::KB_NEW_DUE_REQUIRED));
    assert!(marked_invalid(&html, "new_due", "new_due"));
    assert!(html.contains("更新办理要求"), "what was typed is kept");
    assert_eq!(article_versions::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 1);
}

#[tokio::test]
async fn a_sitting_start_that_cannot_be_read_is_refused_not_taken_as_now() {
    let app = TestApp::spawn().await;
    let (t, unit) = trainer(&app).await;
    let res = t.post("/exams", &exam_form(&unit)).await;
    let id = extract(&location(&res), r"/exams/(\d+)").unwrap();
    let path = format!("/exams/{id}/sittings");
    for (starts_at, want) in [
        ("2026-13-01T09:00", msg::EXAM_SITTING_START_INVALID),
        ("明天上午", msg::EXAM_SITTING_START_INVALID),
        ("9999-01-01T09:00", msg::EXAM_SITTING_START_RANGE),
    ] {
        let html =
            refused(t.post(&path, &[("room", "市公司三楼培训室"), ("starts_at", starts_at)]).await).await;
        assert_eq!(field_error(&html, "starts_at").as_deref(), Some(want), "{starts_at}");
        assert!(marked_invalid(&html, "starts_at", "starts_at"), "{starts_at}");
        assert!(html.contains(r#"value="市公司三楼培训室""#), "the room typed is kept");
    }
    let html = refused(t.post(&path, &[("room", ""), ("starts_at", "")]).await).await;
    assert_eq!(field_error(&html, "room").as_deref(), Some(msg::EXAM_ROOM_REQUIRED));
    assert_eq!(sittings::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 0);
    // Empty still means now, as the field says.
    let res = t.post(&path, &[("room", "市公司三楼培训室"), ("starts_at", "")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(sittings::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 1);
}
