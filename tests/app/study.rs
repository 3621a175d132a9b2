//! Study sessions (业务学习, rule 8): a team leader records a session with
//! its attendees and the hall's month adds it up against the target; refused
//! forms store nothing; another hall's leader can neither see nor change it;
//! supervisors see the halls of their scope with the short ones marked.

use chrono::Duration;
use diesel::prelude::*;
use reqwest::{Response, StatusCode};

use crate::helpers::{extract, location, Browser, City, TestApp};
use examhall::auth::Role;
use examhall::db::now;
use examhall::domain::Month;
use examhall::org::{OrgUnit, UnitKind};
use examhall::schema::{audit_log, study_attendees, study_sessions};
use examhall::training::study::hall_month_summary;
use examhall::web::msg;

struct Setup {
    app: TestApp,
    city: City,
    /// 营业班长 of the county hall (青山中心营业厅).
    leader: Browser,
    /// Clerks of the county hall.
    jia: i32,
    yi: i32,
    /// A clerk of the city hall (人民路营业厅).
    bing: i32,
    article: i32,
}

async fn setup() -> Setup {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let admin = app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    app.add_user("70001", "青山班长", Some(city.county_hall), &[(Role::TeamLeader, city.county_hall)]);
    app.add_user("70002", "人民路班长", Some(city.city_hall), &[(Role::TeamLeader, city.city_hall)]);
    app.add_user("70003", "青山厅经理", Some(city.county_hall), &[(Role::HallManager, city.county_hall)]);
    let jia = app.add_user("10001", "营业员甲", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let yi = app.add_user("10002", "营业员乙", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let bing = app.add_user("10003", "营业员丙", Some(city.city_hall), &[(Role::Clerk, city.city_hall)]);
    app.add_user("80001", "青山主管", None, &[(Role::Supervisor, city.county)]);
    let checked = examhall::kb::model::Checked {
        title: "携号转网办理要点".into(),
        category: "业务流程".into(),
        tags: vec![],
        effective_date: today(),
        body: "须本人持证办理。".into(),
        visible_unit: None,
    };
    let article = examhall::kb::model::Article::create(&mut app.conn(), &checked, admin, now()).unwrap();
    let leader = signed_in(&app, "70001").await;
    Setup { app, city, leader, jia, yi, bing, article }
}

async fn signed_in(app: &TestApp, login: &str) -> Browser {
    let b = app.browser();
    b.login_ok(login).await;
    b
}

fn today() -> chrono::NaiveDate {
    examhall::time::local_date(now())
}

fn month() -> String {
    today().format("%Y-%m").to_string()
}

/// A good session for the county hall (08:30–10:00, 营业员甲), with overrides;
/// `attendee` keys repeat, so extra ones add people.
fn fields(s: &Setup, extra: &[(&str, String)]) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = vec![
        ("hall_id".into(), s.city.county_hall.to_string()),
        ("held_on".into(), today().to_string()),
        ("starts".into(), "08:30".into()),
        ("ends".into(), "10:00".into()),
        ("minutes".into(), String::new()),
        ("kind".into(), "topic".into()),
        ("topic".into(), "携号转网新规".into()),
        ("article".into(), s.article.to_string()),
        ("attendee".into(), s.jia.to_string()),
        ("notes".into(), "结合近期投诉案例".into()),
    ];
    for (k, v) in extra {
        if *k != "attendee" {
            f.retain(|(key, _)| key != k);
        }
        f.push((k.to_string(), v.clone()));
    }
    f
}

async fn post(b: &Browser, path: &str, f: &[(String, String)]) -> Response {
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post(path, &refs).await
}

/// Records a session that must be accepted; its id.
async fn record(s: &Setup, b: &Browser, extra: &[(&str, String)]) -> i32 {
    let res = post(b, "/training/study", &fields(s, extra)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    study_sessions::table
        .select(diesel::dsl::max(study_sessions::id))
        .first::<Option<i32>>(&mut s.app.conn())
        .unwrap()
        .unwrap()
}

fn count(app: &TestApp) -> (i64, i64) {
    let mut c = app.conn();
    (
        study_sessions::table.count().get_result(&mut c).unwrap(),
        study_attendees::table.count().get_result(&mut c).unwrap(),
    )
}

fn audited(app: &TestApp, action: &str) -> i64 {
    audit_log::table.filter(audit_log::action.eq(action)).count().get_result(&mut app.conn()).unwrap()
}

#[tokio::test]
async fn a_team_leader_records_a_session_and_the_month_adds_it_up() {
    let s = setup().await;
    let page = s.leader.get_text("/training/study").await;
    assert!(page.contains("青山中心营业厅") && page.contains("未达标"), "{page}");
    let form = s.leader.get_text("/training/study/new").await;
    assert!(form.contains("营业员甲") && form.contains("营业员乙") && form.contains("携号转网办理要点"));
    assert!(!form.contains("营业员丙"), "only the hall's own staff are listed");

    let res = post(&s.leader, "/training/study", &fields(&s, &[])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/training/study?hall={}&month={}", s.city.county_hall, month()));
    let stored: (i32, String, i32, String) = study_sessions::table
        .select((
            study_sessions::hall_id,
            study_sessions::month,
            study_sessions::minutes,
            study_sessions::kind,
        ))
        .first(&mut s.app.conn())
        .unwrap();
    assert_eq!(stored, (s.city.county_hall, month(), 90, "topic".to_string()));
    assert_eq!(count(&s.app), (1, 1));
    assert_eq!(audited(&s.app, "study_create"), 1);

    let page = s.leader.get_text(&location(&res)).await;
    assert!(page.contains("携号转网新规") && page.contains("08:30–10:00"), "{page}");
    assert_eq!(extract(&page, r#"id="study-total">([^<]+)<"#).as_deref(), Some("1.5"));
    assert!(page.contains(r#"id="study-status">未达标"#));
    // 营业员甲 attended the one session, 营业员乙 none.
    assert!(
        page.contains(
            "营业员甲</td><td class=\"num\">1</td><td class=\"num\">1.5</td><td class=\"num\">100.00%"
        ),
        "{page}"
    );
    assert!(page
        .contains("营业员乙</td><td class=\"num\">0</td><td class=\"num\">0.0</td><td class=\"num\">0.00%"));

    // Minutes only (the times left empty), both clerks: 90 + 210 = 300 = the target.
    let yi = s.yi.to_string();
    let id = record(
        &s,
        &s.leader,
        &[
            ("starts", "".into()),
            ("ends", "".into()),
            ("minutes", "210".into()),
            ("attendee", yi),
            ("kind", "晨会学习".into()),
        ],
    )
    .await;
    let page = s.leader.get_text("/training/study").await;
    assert_eq!(extract(&page, r#"id="study-total">([^<]+)<"#).as_deref(), Some("5.0"));
    assert!(page.contains(r#"id="study-status">已达标"#));
    assert!(
        page.contains(
            "营业员乙</td><td class=\"num\">1</td><td class=\"num\">3.5</td><td class=\"num\">50.00%"
        ),
        "{page}"
    );

    let detail = s.leader.get_text(&format!("/training/study/{id}")).await;
    assert!(detail.contains("营业员甲（10001）、营业员乙（10002）"), "{detail}");
    assert!(detail.contains(&format!(r#"<a href="/kb/{}">携号转网办理要点</a>"#, s.article)));
    assert!(detail.contains("晨会学习") && detail.contains("210 分钟"));
}

#[tokio::test]
async fn refused_forms_say_why_keep_what_was_typed_and_store_nothing() {
    let s = setup().await;
    let bing = s.bing.to_string();
    let tomorrow = (today() + Duration::days(1)).to_string();
    let too_old = (today() - Duration::days(120)).to_string();
    let cases: Vec<(Vec<(&str, String)>, String)> = vec![
        (vec![("ends", "08:00".into())], msg::STUDY_TIME_ORDER.into()),
        (vec![("ends", "".into())], msg::STUDY_TIME_PAIR.into()),
        (
            vec![("starts", "".into()), ("ends", "".into()), ("minutes", "0".into())],
            msg::STUDY_MINUTES.into(),
        ),
        (vec![("attendee", bing)], msg::STUDY_ATTENDEE_HALL.into()),
        (vec![("topic", "  ".into())], msg::STUDY_TOPIC.into()),
        (vec![("held_on", tomorrow)], msg::STUDY_DATE_FUTURE.into()),
        (vec![("held_on", too_old)], msg::study_date_too_old(92)),
        (vec![("article", "99999".into())], msg::STUDY_ARTICLE.into()),
    ];
    for (extra, want) in cases {
        let res = post(&s.leader, "/training/study", &fields(&s, &extra)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{extra:?}");
        let html = crate::helpers::unescape(res.text().await.unwrap());
        assert!(html.contains(&want), "{extra:?}: {html}");
        assert!(html.contains("结合近期投诉案例"), "the notes are kept: {extra:?}");
        assert!(html.contains("class=\"bad-text\""), "the message sits by its field");
    }
    // Another hall: refused outright.
    let other = s.city.city_hall.to_string();
    let res = post(&s.leader, "/training/study", &fields(&s, &[("hall_id", other)])).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&s.app), (0, 0));
    assert_eq!(audited(&s.app, "study_create"), 0);
}

#[tokio::test]
async fn another_halls_leader_can_neither_see_nor_change_a_session() {
    let s = setup().await;
    let id = record(&s, &s.leader, &[]).await;
    let other = signed_in(&s.app, "70002").await;
    let hall = s.city.county_hall;
    for path in [
        format!("/training/study/{id}"),
        format!("/training/study/{id}/edit"),
        format!("/training/study?hall={hall}"),
        format!("/training/study/export.xlsx?hall={hall}"),
    ] {
        assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let changed = fields(&s, &[("topic", "改掉".into())]);
    assert_eq!(
        post(&other, &format!("/training/study/{id}"), &changed).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.post(&format!("/training/study/{id}/delete"), &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    // Their own page does not list it either.
    assert!(!other.get_text("/training/study").await.contains("携号转网新规"));
    // The hall manager sees it but may not change it.
    let manager = signed_in(&s.app, "70003").await;
    assert!(manager.get_text(&format!("/training/study/{id}")).await.contains("携号转网新规"));
    assert_eq!(manager.get(&format!("/training/study/{id}/edit")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&s.app), (1, 1));

    // The hall's own leader edits (times win over minutes) and deletes.
    let yi = s.yi.to_string();
    let edit =
        fields(&s, &[("topic", "携号转网新规（补充）".into()), ("minutes", "30".into()), ("attendee", yi)]);
    let res = post(&s.leader, &format!("/training/study/{id}"), &edit).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (topic, minutes): (String, i32) = study_sessions::table
        .find(id)
        .select((study_sessions::topic, study_sessions::minutes))
        .first(&mut s.app.conn())
        .unwrap();
    assert_eq!((topic.as_str(), minutes), ("携号转网新规（补充）", 90));
    assert_eq!(count(&s.app), (1, 2));
    assert_eq!(audited(&s.app, "study_update"), 1);
    let res = s.leader.post(&format!("/training/study/{id}/delete"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&s.app), (0, 0));
    assert_eq!(audited(&s.app, "study_delete"), 1);
}

#[tokio::test]
async fn a_county_supervisor_sees_the_county_halls_with_the_short_ones_marked() {
    let s = setup().await;
    let east =
        OrgUnit::insert(&mut s.app.conn(), Some(s.city.county), UnitKind::Hall, "青山东街营业厅").unwrap();
    record(&s, &s.leader, &[("starts", "".into()), ("ends", "".into()), ("minutes", "300".into())]).await;

    let all = hall_month_summary(&mut s.app.conn(), Month::of_date(today())).unwrap();
    let by_id = |id: i32| all.iter().find(|h| h.hall_id == id).unwrap();
    assert_eq!(all.len(), 3, "every active hall, with or without sessions");
    assert_eq!((by_id(s.city.county_hall).minutes, by_id(s.city.county_hall).short), (300, false));
    assert_eq!((by_id(east).sessions, by_id(east).short, by_id(east).target_minutes), (0, true, 300));
    assert_eq!(by_id(s.city.city_hall).area, "江州市区");

    let supervisor = signed_in(&s.app, "80001").await;
    let page = supervisor.get_text("/training/study").await;
    assert!(page.contains("青山中心营业厅") && page.contains("青山东街营业厅"));
    assert!(!page.contains("人民路营业厅"), "outside the county");
    assert_eq!(extract(&page, r#"id="short-count">(\d+)<"#).as_deref(), Some("1"));
    let east_row = extract(&page, &format!(r#"(<tr class="row-error" data-hall="{east}">)"#));
    assert!(east_row.is_some(), "the short hall is highlighted: {page}");
    let only_short = supervisor.get_text("/training/study?short=1").await;
    assert!(only_short.contains("青山东街营业厅") && !only_short.contains(">青山中心营业厅<"));
    let drill = supervisor.get_text(&format!("/training/study?hall={}", s.city.county_hall)).await;
    assert!(drill.contains("携号转网新规"));
    let outside = supervisor.get(&format!("/training/study?hall={}", s.city.city_hall)).await;
    assert_eq!(outside.status(), StatusCode::NOT_FOUND);
    // Supervisors view; they do not record.
    assert_eq!(supervisor.get("/training/study/new").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_setting_moves_the_target() {
    let s = setup().await;
    record(&s, &s.leader, &[]).await; // 90 minutes
    let admin = signed_in(&s.app, "admin").await;
    let res = admin
        .post("/admin/settings", &[("review.flag_absent", "1"), ("training.study_target_minutes", "60")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = s.leader.get_text("/training/study").await;
    assert!(page.contains("目标 1.0 小时") && page.contains(r#"id="study-status">已达标"#), "{page}");
    let summary = admin.get_text("/training/study").await;
    assert_eq!(extract(&summary, r#"id="short-count">(\d+)<"#).as_deref(), Some("1"), "人民路 has nothing");
    admin
        .post("/admin/settings", &[("review.flag_absent", "1"), ("training.study_target_minutes", "0")])
        .await;
    let all = hall_month_summary(&mut s.app.conn(), Month::of_date(today())).unwrap();
    assert!(all.iter().all(|h| !h.short), "a target of 0 is always met");
}

#[tokio::test]
async fn the_export_is_a_workbook_of_the_viewers_halls() {
    use calamine::Reader;
    let s = setup().await;
    record(&s, &s.leader, &[]).await;
    let supervisor = signed_in(&s.app, "80001").await;
    let res = supervisor.get(&format!("/training/study/export.xlsx?month={}", month())).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let bytes = res.bytes().await.unwrap().to_vec();
    // The county has one hall in this fixture: the file is titled with it.
    crate::helpers::assert_prints(&bytes, 0, true, &format!("{} 业务学习汇总（青山中心营业厅）", month()));
    crate::helpers::assert_prints(&bytes, 1, true, "业务学习记录");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), [msg::STUDY_SHEET_HALLS, msg::STUDY_SHEET_SESSIONS]);
    let halls = book.worksheet_range(msg::STUDY_SHEET_HALLS).unwrap();
    let text: Vec<String> =
        halls.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|")).collect();
    // 90 of 300 minutes: 0.3 of the target, a number formatted as a percentage.
    assert!(text.iter().any(|r| r == "青山县分公司|青山中心营业厅|1|1.5|5|0.3|未达标"), "{text:?}");
    assert!(!text.iter().any(|r| r.contains("人民路营业厅")));
    let sessions = book.worksheet_range(msg::STUDY_SHEET_SESSIONS).unwrap();
    let row: Vec<String> = sessions.rows().nth(2).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(row[7], "携号转网新规");
    assert_eq!((row[5].as_str(), row[9].as_str(), row[10].as_str()), ("90", "营业员甲", "携号转网办理要点"));
}

#[tokio::test]
async fn clerks_are_refused_and_admins_record_for_any_hall_on_any_past_date() {
    let s = setup().await;
    let clerk = signed_in(&s.app, "10001").await;
    for path in ["/training/study", "/training/study/new", "/training/study/export.xlsx"] {
        assert_eq!(clerk.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(post(&clerk, "/training/study", &fields(&s, &[])).await.status(), StatusCode::FORBIDDEN);

    let admin = signed_in(&s.app, "admin").await;
    let picker = admin.get_text("/training/study/new").await;
    assert!(picker.contains("青山中心营业厅") && picker.contains("人民路营业厅"));
    let form = admin.get_text(&format!("/training/study/new?hall={}", s.city.city_hall)).await;
    assert!(form.contains("营业员丙") && !form.contains("营业员甲"));
    let long_ago = today() - Duration::days(200);
    let bing = s.bing.to_string();
    let extra =
        [("hall_id", s.city.city_hall.to_string()), ("held_on", long_ago.to_string()), ("attendee", bing)];
    // 营业员甲 is not of 人民路营业厅: take the default attendee out.
    let f: Vec<(String, String)> = fields(&s, &extra)
        .into_iter()
        .filter(|(k, v)| !(k == "attendee" && *v == s.jia.to_string()))
        .collect();
    let res = post(&admin, "/training/study", &f).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let old_month = long_ago.format("%Y-%m").to_string();
    let page = admin.get_text(&format!("/training/study?hall={}&month={old_month}", s.city.city_hall)).await;
    assert!(page.contains("携号转网新规") && page.contains("营业员丙"));
}

#[tokio::test]
async fn overlapping_sessions_of_a_hall_are_flagged_and_their_shared_time_counts_once() {
    let s = setup().await;
    // 18:00–19:30 and 18:00–20:00 the same day: 120 minutes held, not 210.
    record(&s, &s.leader, &[("starts", "18:00".into()), ("ends", "19:30".into())]).await;
    let res = post(
        &s.leader,
        "/training/study",
        &fields(&s, &[("starts", "18:00".into()), ("ends", "20:00".into())]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = s.leader.get_text(&location(&res)).await;
    assert!(page.contains(&examhall::web::msg::study_overlaps("18:00", "19:30", "携号转网新规")), "{page}");
    assert_eq!(extract(&page, r#"id="study-total">([^<]+)<"#).as_deref(), Some("2.0"), "{page}");
    // 营业员甲 attended both: 2.0 hours, not 3.5.
    assert!(page.contains("营业员甲</td><td class=\"num\">2</td><td class=\"num\">2.0</td>"), "{page}");
    // Touching is not overlapping: 20:00–20:30 adds its 30 minutes, without a warning.
    let res = post(
        &s.leader,
        "/training/study",
        &fields(&s, &[("starts", "20:00".into()), ("ends", "20:30".into())]),
    )
    .await;
    let page = s.leader.get_text(&location(&res)).await;
    assert!(!page.contains("时间重叠"), "{page}");
    assert_eq!(extract(&page, r#"id="study-total">([^<]+)<"#).as_deref(), Some("2.5"));
}
