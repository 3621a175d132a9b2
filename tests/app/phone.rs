//! Phone tests (电话拨测): editing the rubric makes versions and old calls keep
//! theirs; recording validates everything and writes nothing when refused;
//! who may record and who sees which call.

use chrono::Duration;
use diesel::prelude::*;
use reqwest::{Response, StatusCode};

use crate::helpers::{extract, location, Browser, City, TestApp};
use examhall::auth::Role;
use examhall::db::now;
use examhall::phone::model::{Call, Rubric};
use examhall::schema::{audit_log, phone_calls, rubric_versions};
use examhall::web::msg;

struct Setup {
    app: TestApp,
    city: City,
    trainer: Browser,
    /// 营业员甲, in the county hall.
    clerk_a: i32,
    /// 营业员乙, in the district (city) hall.
    clerk_b: i32,
}

async fn setup() -> Setup {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("trainer", "培训师甲", None, &[(Role::Trainer, city.city)]);
    app.add_user("trainer2", "培训师乙", None, &[(Role::Trainer, city.city)]);
    let clerk_a =
        app.add_user("10001", "营业员甲", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let clerk_b = app.add_user("10002", "营业员乙", Some(city.city_hall), &[(Role::Clerk, city.city_hall)]);
    app.add_user("80001", "青山主管", None, &[(Role::Supervisor, city.county)]);
    let trainer = app.browser();
    trainer.login_ok("trainer").await;
    Setup { app, city, trainer, clerk_a, clerk_b }
}

async fn signed_in(app: &TestApp, login: &str) -> Browser {
    let b = app.browser();
    b.login_ok(login).await;
    b
}

fn version_id(app: &TestApp) -> String {
    Rubric::current(&mut app.conn(), now()).unwrap().1.id.to_string()
}

/// A good call for `clerk` in `hall` (10 + 18.5 + 36 + 20 + 9 = 93.50), with overrides.
fn call_fields(app: &TestApp, hall: i32, clerk: i32, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = [
        ("month", examhall::time::local_month(now())),
        ("called_at", examhall::time::local_input(now())),
        ("hall_id", hall.to_string()),
        ("clerk", clerk.to_string()),
        ("score_answer", "10".into()),
        ("score_phrases", "18.5".into()),
        ("score_accuracy", "36".into()),
        ("score_attitude", "20".into()),
        ("score_resolution", "9".into()),
        ("rings", "2".into()),
        ("duration", "185".into()),
        ("notes", "未主动说明生效时间".into()),
        ("rubric_version_id", version_id(app)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    for (k, v) in extra {
        f.retain(|(key, _)| key != k);
        f.push((k.to_string(), v.to_string()));
    }
    f
}

async fn post_call(b: &Browser, fields: &[(String, String)]) -> Response {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post("/phone/calls", &refs).await
}

/// Records a call that must be accepted; its id.
async fn record(b: &Browser, fields: &[(String, String)]) -> i32 {
    let res = post_call(b, fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    extract(&location(&res), r"^/phone/calls/(\d+)$").unwrap().parse().unwrap()
}

fn count_calls(app: &TestApp) -> i64 {
    phone_calls::table.count().get_result(&mut app.conn()).unwrap()
}

#[tokio::test]
async fn editing_the_rubric_makes_a_version_and_old_calls_keep_theirs() {
    let s = setup().await;
    let fields = call_fields(&s.app, s.city.county_hall, s.clerk_a, &[]);
    let id = record(&s.trainer, &fields).await;
    let before = Call::find(&mut s.app.conn(), id).unwrap();
    assert_eq!(before.total, 9350);

    let rows = [
        ("row_0_name", "接听及时"),
        ("row_0_code", "answer"),
        ("row_0_points", "10"),
        ("row_1_name", "规范用语"),
        ("row_1_code", "phrases"),
        ("row_1_points", "15"),
        ("row_1_critical", "1"),
        ("row_2_name", "业务准确"),
        ("row_2_code", "accuracy"),
        ("row_2_points", "45"),
        ("row_3_name", "服务态度"),
        ("row_3_code", "attitude"),
        ("row_3_points", "20"),
        ("row_4_name", "问题解决"),
        ("row_4_code", "resolution"),
        ("row_4_points", "10"),
        ("row_4_allow_na", "1"),
        ("row_5_name", "多余一项"),
        ("row_5_code", "extra"),
        ("row_5_points", "5"),
        ("row_5_remove", "1"),
        ("note", "业务准确提高到 45 分"),
    ];
    let res = s.trainer.post("/phone/rubric", &rows).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, current) = Rubric::current(&mut s.app.conn(), now()).unwrap();
    assert_eq!(current.version, 2);
    assert_eq!(current.items().iter().map(|i| i.points).collect::<Vec<_>>(), [10, 15, 45, 20, 10]);
    assert_eq!(current.note, "业务准确提高到 45 分");
    let page = s.trainer.get_text("/phone/rubric").await;
    assert!(page.contains("第 2 版") && page.contains("第 1 版"), "{page}");

    // The old call keeps version 1 and its total.
    let after = Call::find(&mut s.app.conn(), id).unwrap();
    assert_eq!((after.rubric_version_id, after.total), (before.rubric_version_id, 9350));
    let page = s.trainer.get_text(&format!("/phone/calls/{id}")).await;
    assert!(page.contains("评分标准第 1 版") && page.contains("93.50"), "{page}");

    // A form opened on version 1 is refused after the change: nothing saved.
    let res = post_call(&s.trainer, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("评分标准刚刚更新"));
    assert_eq!(count_calls(&s.app), 1);
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("phone_rubric"))
        .count()
        .get_result(&mut s.app.conn())
        .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn an_invalid_rubric_is_refused_and_nothing_is_saved() {
    let s = setup().await;
    s.trainer.get_text("/phone/rubric").await;
    let cases: [(&[(&str, &str)], &str); 3] = [
        (&[("row_0_name", "接听"), ("row_0_code", "a"), ("row_0_points", "90")], "合计为 90 分"),
        (
            &[
                ("row_0_name", "接听"),
                ("row_0_code", "a"),
                ("row_0_points", "50"),
                ("row_1_name", "态度"),
                ("row_1_code", "a"),
                ("row_1_points", "50"),
            ],
            "代码 a 重复",
        ),
        (&[("row_0_name", "接听"), ("row_0_code", "a b"), ("row_0_points", "100")], "评分项“接听”有误"),
    ];
    for (rows, expected) in cases {
        let res = s.trainer.post("/phone/rubric", rows).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = crate::helpers::unescape(res.text().await.unwrap());
        assert!(html.contains(expected), "{expected}: {html}");
    }
    let versions: i64 = rubric_versions::table.count().get_result(&mut s.app.conn()).unwrap();
    assert_eq!(versions, 1);
}

#[tokio::test]
async fn recording_refuses_bad_calls_and_writes_nothing() {
    let s = setup().await;
    let (hall, clerk) = (s.city.county_hall, s.clerk_a);
    let last_month = examhall::time::local_month(now() - Duration::days(40));
    let tomorrow = examhall::time::local_input(now() + Duration::days(1));
    let cases: Vec<(Vec<(&str, &str)>, String)> = vec![
        (vec![("score_answer", "11")], "“接听及时”的得分须在 0–10 分之间".into()),
        (vec![("score_accuracy", "12.345")], "“业务准确”的得分格式不对".into()),
        (vec![("na_accuracy", "1")], "“业务准确”不允许标为不适用".into()),
        (vec![("score_attitude", "")], "请为“服务态度”打分".into()),
        (vec![("clerk", "")], "请选择接听的营业员".into()),
        (vec![("month", &last_month)], format!("不在所测月份 {last_month} 内")),
        (vec![("called_at", &tomorrow)], "拨测时间不能晚于现在".into()),
        (vec![("rings", "31")], "响铃次数须为 0–30".into()),
        (vec![("duration", "0")], "通话时长须为 1–3600".into()),
    ];
    for (extra, expected) in &cases {
        let res = post_call(&s.trainer, &call_fields(&s.app, hall, clerk, extra)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{expected}");
        let html = res.text().await.unwrap();
        assert!(html.contains(expected.as_str()), "{expected}: {html}");
    }
    // The clerk of another hall (checked against the current roster).
    let res = post_call(&s.trainer, &call_fields(&s.app, hall, s.clerk_b, &[])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("不是该营业厅的在职人员"));
    let long = "很".repeat(1001);
    let res = post_call(&s.trainer, &call_fields(&s.app, hall, clerk, &[("notes", &long)])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count_calls(&s.app), 0);

    // N/A where allowed rescales; an unidentified clerk is accepted.
    let id =
        record(&s.trainer, &call_fields(&s.app, hall, clerk, &[("na_resolution", "1"), ("clerk", "none")]))
            .await;
    let call = Call::find(&mut s.app.conn(), id).unwrap();
    // (10 + 18.5 + 36 + 20) / 90 × 100 = 93.888… → 93.89
    assert_eq!((call.total, call.clerk_id), (9389, None));
}

#[tokio::test]
async fn a_critical_item_at_zero_makes_the_call_zero() {
    let s = setup().await;
    let fields = call_fields(&s.app, s.city.county_hall, s.clerk_a, &[("score_phrases", "0")]);
    let id = record(&s.trainer, &fields).await;
    let call = Call::find(&mut s.app.conn(), id).unwrap();
    assert_eq!((call.total, call.critical_failed), (0, true));
    let clerk = signed_in(&s.app, "10001").await;
    let page = clerk.get_text("/phone/my").await;
    assert!(page.contains("一票否决项得 0 分") && page.contains("0.00"), "{page}");
}

#[tokio::test]
async fn clerks_see_only_their_own_calls_and_supervisors_their_scope() {
    let s = setup().await;
    let a_call = record(&s.trainer, &call_fields(&s.app, s.city.county_hall, s.clerk_a, &[])).await;
    let b_call = record(&s.trainer, &call_fields(&s.app, s.city.city_hall, s.clerk_b, &[])).await;

    let clerk = signed_in(&s.app, "10001").await;
    assert_eq!(clerk.get("/phone/calls/new").await.status(), StatusCode::FORBIDDEN);
    let fields = call_fields(&s.app, s.city.county_hall, s.clerk_a, &[]);
    assert_eq!(post_call(&clerk, &fields).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(clerk.get("/phone/calls").await.status(), StatusCode::FORBIDDEN);
    let mine = clerk.get_text("/phone/my").await;
    assert!(
        mine.contains(&format!("/phone/calls/{a_call}")) && !mine.contains(&format!("/phone/calls/{b_call}"))
    );
    assert!(mine.contains("未主动说明生效时间") && mine.contains("93.50"));
    assert!(clerk.get_text("/").await.contains("我的拨测"));
    assert_eq!(clerk.get(&format!("/phone/calls/{a_call}")).await.status(), StatusCode::OK);
    assert_eq!(clerk.get(&format!("/phone/calls/{b_call}")).await.status(), StatusCode::NOT_FOUND);

    let county = signed_in(&s.app, "80001").await;
    assert_eq!(county.get(&format!("/phone/calls/{a_call}")).await.status(), StatusCode::OK);
    assert_eq!(county.get(&format!("/phone/calls/{b_call}")).await.status(), StatusCode::NOT_FOUND);
    let list = county.get_text("/phone/calls").await;
    assert!(list.contains("青山中心营业厅") && !list.contains("人民路营业厅"), "{list}");
    assert_eq!(county.get("/phone/calls/new").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_second_scoring_needs_another_tester() {
    let s = setup().await;
    let first = record(&s.trainer, &call_fields(&s.app, s.city.county_hall, s.clerk_a, &[])).await;
    let second_of = first.to_string();
    let again = call_fields(&s.app, s.city.county_hall, s.clerk_a, &[("second_of", &second_of)]);
    let res = post_call(&s.trainer, &again).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("复评须由另一位测评人进行"));
    assert_eq!(count_calls(&s.app), 1);

    let other = signed_in(&s.app, "trainer2").await;
    let form = other.get_text(&format!("/phone/calls/new?second_of={first}")).await;
    assert!(form.contains(&format!("复评拨测 #{first}")));
    // The second scoring takes the first call's hall and clerk whatever the form says.
    let fields = call_fields(
        &s.app,
        s.city.city_hall,
        s.clerk_b,
        &[("second_of", &second_of), ("score_accuracy", "30")],
    );
    let id = record(&other, &fields).await;
    let call = Call::find(&mut s.app.conn(), id).unwrap();
    assert_eq!(
        (call.second_of, call.hall_id, call.clerk_id),
        (Some(first), s.city.county_hall, Some(s.clerk_a))
    );
    assert_eq!(call.total, 8750);
    // Calibration rows stay off the clerk's list and the month list.
    let clerk = signed_in(&s.app, "10001").await;
    assert!(!clerk.get_text("/phone/my").await.contains(&format!("/phone/calls/{id}\"")));
    assert_eq!(clerk.get(&format!("/phone/calls/{id}")).await.status(), StatusCode::NOT_FOUND);
    let page = s.trainer.get_text(&format!("/phone/calls/{first}")).await;
    assert!(page.contains("培训师乙") && page.contains("87.50"), "{page}");
}

#[tokio::test]
async fn trainers_keep_scenarios_and_supervisors_read_them() {
    let s = setup().await;
    let fields = [
        ("title", "咨询5G套餐变更规则"),
        ("channel", "hall"),
        ("business", "套餐变更"),
        ("question", "我想把套餐从129元改成79元，下个月能生效吗？"),
        ("key_points", "次月生效；合约期内不能降档"),
        ("active", "1"),
    ];
    let res = s.trainer.post("/phone/scenarios", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = s.trainer.post("/phone/scenarios", &[("title", ""), ("channel", "x")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = s.trainer.post("/phone/scenarios", &[("article", "999"), ("title", "t")]).await;
    assert!(res.text().await.unwrap().contains("所选知识库文章不存在"));
    let list = s.trainer.get_text("/phone/scenarios?channel=hall").await;
    assert!(list.contains("咨询5G套餐变更规则") && list.contains("编辑"));

    let id = extract(&list, r#"/phone/scenarios/(\d+)/edit"#).unwrap();
    let form = s.trainer.get_text(&format!("/phone/scenarios/{id}/edit")).await;
    assert!(form.contains("合约期内不能降档"));
    let inactive: Vec<(&str, &str)> = fields.iter().copied().filter(|(k, _)| *k != "active").collect();
    let res = s.trainer.post(&format!("/phone/scenarios/{id}"), &inactive).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(s.trainer.get_text("/phone/scenarios").await.contains("已停用"));

    let county = signed_in(&s.app, "80001").await;
    let list = county.get_text("/phone/scenarios").await;
    assert!(list.contains("咨询5G套餐变更规则") && !list.contains("/edit"));
    assert_eq!(county.post("/phone/scenarios", &fields).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_refused_call_says_each_problem_at_its_field_and_links_it_from_the_summary() {
    let s = setup().await;
    let (hall, clerk) = (s.city.county_hall, s.clerk_a);
    let fields =
        call_fields(&s.app, hall, clerk, &[("rings", "31"), ("score_accuracy", "41"), ("notes", "已核对")]);
    let res = post_call(&s.trainer, &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = crate::helpers::unescape(res.text().await.unwrap());
    let has = |pattern: &str| regex::Regex::new(pattern).unwrap().is_match(&html);
    // Two problems: the rings under their field, the score under the scores.
    assert!(html.contains(&msg::form_errors(2)), "{html}");
    assert!(has(r#"name="rings"[^>]* aria-invalid="true" aria-describedby="err-rings""#), "{html}");
    assert!(
        html.contains(&format!(r#"<p class="bad-text" id="err-rings">{}</p>"#, msg::PHONE_RINGS)),
        "{html}"
    );
    assert!(has(r#"name="score_accuracy"[^>]* aria-invalid="true" aria-describedby="err-scores""#), "{html}");
    assert!(!has(r#"name="score_answer"[^>]* aria-invalid"#), "only the wrong item is marked");
    // The summary links to the fields; what was typed is kept.
    assert!(html.contains(&format!(r##"<a href="#rings">响铃次数：{}</a>"##, msg::PHONE_RINGS)), "{html}");
    assert!(html.contains(r##"<a href="#score_answer">评分："##), "{html}");
    assert!(html.contains(r#"value="41""#) && html.contains(">已核对</textarea>"), "{html}");
    assert_eq!(count_calls(&s.app), 0);
}
