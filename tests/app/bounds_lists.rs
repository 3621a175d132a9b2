//! Input bounds beyond the forms: list pages' `?page=` and search text, the
//! question bank's texts, org moves and the phone-test month pages. Absurd
//! input is clamped or refused in Chinese, never a 500, and nothing changes.

use diesel::prelude::*;
use examhall::accounts::model::NewUser;
use examhall::accounts::User;
use examhall::auth::{password, Role};
use examhall::org::{OrgUnit, UnitKind};
use examhall::schema::{audit_log, banks, org_units, phone_calls, question_versions, questions};
use examhall::web::msg;
use reqwest::StatusCode;

use crate::helpers::{extract, location, unescape, Browser, City, TestApp};

async fn signed_in(app: &TestApp, login: &str, name: &str, role: Role, unit: i32) -> Browser {
    app.add_user(login, name, None, &[(role, unit)]);
    let b = app.browser();
    b.login_ok(login).await;
    b
}

/// Posts and returns the flash shown on the page redirected to.
async fn post_flash(b: &Browser, path: &str, fields: &[(&str, &str)]) -> String {
    let res = b.post(path, fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
    let html = unescape(b.get_text(&location(&res)).await);
    extract(&html, r#"class="flash flash-\w+"[^>]*>([^<]*)<"#).unwrap_or_default()
}

/// The value of the input named `name` on the page.
fn input_value(html: &str, name: &str) -> String {
    extract(html, &format!(r#"name="{name}" value="([^"]*)""#)).unwrap_or_default()
}

/// The status code of a GET sent by hand (for addresses too long for the client).
async fn raw_status(base: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://").to_string();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
        // The server may answer and close before it has read everything.
        let _ = stream.write_all(request.as_bytes());
        let mut head = [0u8; 12];
        let _ = stream.read_exact(&mut head);
        String::from_utf8_lossy(&head[9..12]).to_string()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn list_pages_take_any_page_number_and_cut_long_search_text() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let admin = signed_in(&app, "admin", "管理员", Role::Admin, city.city).await;
    // 60 more accounts: two pages of 50.
    let hash = password::hash("test1234").unwrap();
    for i in 0..60 {
        let login = format!("{}", 20000 + i);
        let user = NewUser {
            username: &login,
            staff_no: Some(&login),
            name: "营业员",
            phone: None,
            hall_id: Some(city.county_hall),
            password_hash: &hash,
            must_change_password: false,
        };
        User::insert(&mut app.conn(), &user).unwrap();
    }
    for (page, want) in [
        ("0", "第 1 / 2 页"),
        ("-3", "第 1 / 2 页"),
        ("abc", "第 1 / 2 页"),
        ("1e9", "第 1 / 2 页"),
        ("", "第 1 / 2 页"),
        ("2", "第 2 / 2 页"),
        ("1000000000000000000", "第 2 / 2 页"),
        ("9223372036854775807", "第 2 / 2 页"),
        ("99999999999999999999999999", "第 2 / 2 页"),
        ("-99999999999999999999999999", "第 1 / 2 页"),
    ] {
        let res = admin.get(&format!("/admin/users?page={page}")).await;
        assert_eq!(res.status(), StatusCode::OK, "page={page}");
        assert!(res.text().await.unwrap().contains(want), "page={page}: {want}");
    }

    // Search text is cut to 100 characters (on a character, not a byte).
    let long = "张".repeat(3000);
    let res = admin.get(&format!("/admin/users?q={long}&page=abc")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = unescape(res.text().await.unwrap());
    assert_eq!(input_value(&html, "q"), "张".repeat(100));

    // The audit log: page, search text and absurd dates.
    let before: i64 = audit_log::table.count().get_result(&mut app.conn()).unwrap();
    let huge = "a".repeat(20_000);
    for query in [
        format!("page=99999999999999999999&q={huge}&actor={huge}"),
        "page=-1&from=-262143-01-01&to=+262142-12-31".to_string(),
        "from=9999-12-31&to=0001-01-01".to_string(),
    ] {
        let res = admin.get(&format!("/admin/audit?{query}")).await;
        assert_eq!(res.status(), StatusCode::OK, "{query}");
        let html = unescape(res.text().await.unwrap());
        assert!(input_value(&html, "q").chars().count() <= 100);
        assert!(input_value(&html, "actor").chars().count() <= 100);
    }
    let res = admin.get("/admin/audit/export.xlsx?from=-262143-01-01&to=+262142-12-31").await;
    assert_eq!(res.status(), StatusCode::OK);

    // 60 KB of search text (about the longest address the client builds) is cut too.
    let res = admin.get(&format!("/admin/users?q={}", "a".repeat(60_000))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(input_value(&res.text().await.unwrap(), "q"), "a".repeat(100));
    // A 200 KB request line is refused by the server itself, not a 500.
    let status = raw_status(&app.base, &format!("/admin/users?q={}", "a".repeat(200_000))).await;
    assert!(status.starts_with('4'), "{status}");

    // The review page's in-memory filter too.
    let res = admin.get(&format!("/review?q={}&sort=x", "王".repeat(500))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(!unescape(res.text().await.unwrap()).contains(&"王".repeat(101)));
    let res = admin.get("/review?month=9999-12").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("（2099-12）"), "an absurd month is clamped");

    // The knowledge base's search, category and tag; the ledger's month.
    let res = admin
        .get(&format!("/kb?q={}&category={}&tag={}", "卡".repeat(500), "类".repeat(500), "签".repeat(500)))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = unescape(res.text().await.unwrap());
    assert_eq!(input_value(&html, "q"), "卡".repeat(100));
    assert!(!html.contains(&"签".repeat(101)) && !html.contains(&"类".repeat(101)));
    let res = admin.get("/kb/ledger?month=9999-12").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("2099-12"), "an absurd month is clamped");

    // Reading lists stores nothing (page views are not audited).
    let after: i64 = audit_log::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(after, before);
}

const ONE: &str = "\
1.【单选】携号转网前，客户应先通过什么方式获取授权码？
A. 到营业厅现场申请
B. 发送短信查询授权码
【答案】B
【知识点】授权码
";

/// A trainer with a bank holding the question of [`ONE`]; (browser, bank path, question id).
async fn bank_with_one_question(app: &TestApp, city: &City) -> (Browser, String, i32) {
    let t = signed_in(app, "90001", "周培训", Role::Trainer, city.city).await;
    let res = t.post("/bank", &[("name", "营业厅月考题库"), ("description", "测试")]).await;
    let bank = location(&res);
    let res = t.post(&format!("{bank}/import/paste"), &[("text", ONE)]).await;
    let html = res.text().await.unwrap();
    let action = extract(&html, r#"action="(/bank/\d+/import/\d+/confirm)""#).expect("confirm form");
    let fingerprint = extract(&html, r#"name="fingerprint" value="([0-9a-f]+)""#).unwrap();
    let res = t.post(&action, &[("fingerprint", &fingerprint)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id: i32 = questions::table.select(questions::id).first(&mut app.conn()).unwrap();
    (t, bank, id)
}

fn versions(app: &TestApp) -> i64 {
    question_versions::table.count().get_result(&mut app.conn()).unwrap()
}

#[tokio::test]
async fn question_texts_are_bounded_in_edits_and_imports_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let (t, bank, id) = bank_with_one_question(&app, &city).await;
    assert_eq!(versions(&app), 1);

    let long_stem = ONE.replace("携号转网前", &"长".repeat(2001));
    let long_option = ONE.replace("到营业厅现场申请", &"项".repeat(501));
    let long_explanation = format!("{ONE}【解析】{}\n", "解".repeat(2001));
    let many_points = ONE.replace(
        "【知识点】授权码",
        &format!("【知识点】{}", (0..11).map(|i| format!("点{i}")).collect::<Vec<_>>().join("、")),
    );
    let long_point = ONE.replace("【知识点】授权码", &format!("【知识点】{}", "知".repeat(31)));
    let long_category = format!("{ONE}【分类】{}\n", "类".repeat(61));
    let long_source = format!("{ONE}【来源】{}\n", "源".repeat(101));
    let cases = [
        (&long_stem, msg::Q_STEM_TOO_LONG),
        (&long_option, msg::Q_OPTION_TOO_LONG),
        (&long_explanation, msg::Q_EXPLANATION_TOO_LONG),
        (&many_points, msg::Q_TOO_MANY_KNOWLEDGE_POINTS),
        (&long_point, msg::Q_KNOWLEDGE_POINT_TOO_LONG),
        (&long_category, msg::Q_CATEGORY_TOO_LONG),
        (&long_source, msg::Q_SOURCE_TOO_LONG),
    ];
    for (text, want) in &cases {
        // The editor: 422, the message next to the text box, the text as typed kept.
        let res = t.post(&format!("/bank/questions/{id}"), &[("text", text.as_str())]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{want}");
        let html = unescape(res.text().await.unwrap());
        let error = extract(&html, r#"(?s)id="err-text"[^>]*>(.*?)</div>"#).unwrap_or_default();
        assert!(error.contains(want), "{want}: {error}");
        assert!(html.contains(r#"aria-describedby="err-text""#));
        assert!(html.contains(text.lines().nth(1).unwrap_or_default()), "the typed text stays");
        // The importer refuses it on its line.
        let res = t.post(&format!("{bank}/import/paste"), &[("text", text.as_str())]).await;
        let html = unescape(res.text().await.unwrap());
        assert!(html.contains(want), "import: {want}");
    }
    assert_eq!(versions(&app), 1, "no edit was saved");
    let stored: i64 = questions::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(stored, 1, "nothing was imported");

    // A bank's description is bounded like its name.
    let long = "说".repeat(201);
    let flash = post_flash(&t, "/bank", &[("name", "热线题库"), ("description", &long)]).await;
    assert_eq!(flash, msg::BANK_DESCRIPTION_TOO_LONG);
    let banks: i64 = banks::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(banks, 1);

    // The bank's own list: absurd page and over-long filters are still a page.
    let res = t
        .get(&format!("{bank}?page=-99999999999999999999999&q={}&kp={}", "题".repeat(400), "x".repeat(5000)))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = unescape(res.text().await.unwrap());
    assert_eq!(input_value(&html, "q").chars().count(), 100);
}

fn parents(app: &TestApp) -> Vec<(i32, Option<i32>)> {
    org_units::table
        .select((org_units::id, org_units::parent_id))
        .order(org_units::id)
        .load(&mut app.conn())
        .unwrap()
}

#[tokio::test]
async fn org_moves_to_itself_a_descendant_a_missing_or_wrong_parent_are_refused() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let closed = OrgUnit::insert(&mut app.conn(), Some(city.city), UnitKind::County, "白水县分公司").unwrap();
    OrgUnit::set_active(&mut app.conn(), closed, false).unwrap();
    let admin = signed_in(&app, "admin", "管理员", Role::Admin, city.city).await;
    let before = parents(&app);
    let move_to = |unit: i32| format!("/admin/org/{unit}/move");
    let s = |id: i32| id.to_string();

    let cases = [
        (city.county_hall, s(city.county_hall), msg::CANNOT_MOVE_UNDER_ITSELF.to_string()),
        (city.county, s(city.county_hall), msg::CANNOT_MOVE_UNDER_ITSELF.to_string()),
        (city.city, s(city.county), msg::CANNOT_MOVE_UNDER_ITSELF.to_string()),
        (city.county_hall, "999999".into(), msg::TARGET_PARENT_NOT_FOUND.to_string()),
        (city.county_hall, "-1".into(), msg::TARGET_PARENT_NOT_FOUND.to_string()),
        (999999, s(city.county), msg::UNIT_NOT_FOUND.to_string()),
        (city.county_hall, s(city.city), "不能放在".to_string()),
        (city.county, s(city.district), "不能放在".to_string()),
        (city.county_hall, s(city.city_hall), "不能放在".to_string()),
        (city.county_hall, s(closed), msg::unit_parent_inactive("白水县分公司")),
    ];
    for (unit, parent, want) in &cases {
        let flash = post_flash(&admin, &move_to(*unit), &[("parent_id", parent)]).await;
        assert!(flash.contains(want.as_str()), "{unit} → {parent}: {flash}");
    }
    for bad in ["abc", "99999999999999999999", ""] {
        let res = admin.post(&move_to(city.county_hall), &[("parent_id", bad)]).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert!(unescape(res.text().await.unwrap()).contains("表单"), "{bad}");
    }
    assert_eq!(parents(&app), before, "nothing moved");
    let moves: i64 = audit_log::table
        .filter(audit_log::action.eq("org_moved"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(moves, 0);

    // Creating under a deactivated unit is refused the same way.
    let flash = post_flash(
        &admin,
        "/admin/org",
        &[("parent_id", &s(closed)), ("kind", "hall"), ("name", "白水营业厅")],
    )
    .await;
    assert_eq!(flash, msg::unit_parent_inactive("白水县分公司"));
    let units: i64 = org_units::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(units, 6);

    // A good move still works.
    let flash = post_flash(&admin, &move_to(city.county_hall), &[("parent_id", &s(city.district))]).await;
    assert!(flash.contains("已"), "{flash}");
}

#[tokio::test]
async fn phone_month_pages_clamp_or_refuse_absurd_months() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let t = signed_in(&app, "trainer", "培训师", Role::Trainer, city.city).await;
    for (path, want) in [
        ("/phone/report?month=9999-12", "2099-12"),
        ("/phone/report?month=0001-01", "2000-01"),
        ("/phone/report/trend?month=9999-12", "2099-12"),
        ("/phone/report/trend?month=0001-01", "2000-01"),
        ("/phone/calibration?month=2100-01", "2099-12"),
    ] {
        let res = t.get(path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains(want), "{path}: {want}");
        assert!(
            !html.contains("?month=2100-01") && !html.contains("?month=1999-12"),
            "{path}: no link beyond"
        );
    }
    for path in ["/phone/report?month=abc", "/phone/report/trend?month=2026-13", "/phone/calibration?month="]
    {
        assert_eq!(t.get(path).await.status(), StatusCode::OK, "{path}");
    }
    let res = t.get("/phone/report/export.xlsx?month=9999-12").await;
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers().get("content-disposition").unwrap().to_str().unwrap().to_string();
    assert!(disposition.contains("phone-tests-2099-12.xlsx"), "{disposition}");

    // The call list is strict: out of range or malformed is a 400 that says which.
    for (month, want) in [
        ("1999-12", msg::MONTH_OUT_OF_RANGE),
        ("9999-01", msg::MONTH_OUT_OF_RANGE),
        ("2026-13", msg::PHONE_MONTH),
    ] {
        let res = t.get(&format!("/phone/calls?month={month}")).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{month}");
        assert!(unescape(res.text().await.unwrap()).contains(want), "{month}");
    }

    // Recording a call in year 1000 is refused and stores nothing.
    let rubric = examhall::phone::model::Rubric::current(&mut app.conn(), examhall::db::now()).unwrap().1.id;
    let clerk = app.add_user("10001", "营业员甲", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let fields = [
        ("month", "1000-01".to_string()),
        ("called_at", "1000-01-15T10:00".to_string()),
        ("hall_id", city.county_hall.to_string()),
        ("clerk", clerk.to_string()),
        ("score_answer", "10".into()),
        ("score_phrases", "18.5".into()),
        ("score_accuracy", "36".into()),
        ("score_attitude", "20".into()),
        ("score_resolution", "9".into()),
        ("rings", "2".into()),
        ("duration", "185".into()),
        ("rubric_version_id", rubric.to_string()),
    ];
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = t.post("/phone/calls", &refs).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unescape(res.text().await.unwrap()).contains(msg::MONTH_OUT_OF_RANGE));
    let calls: i64 = phone_calls::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(calls, 0);
}
