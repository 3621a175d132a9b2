//! Knowledge base: writing (sanitised Markdown, versions, attachments),
//! search, mandatory assignments with their scope, and reading evidence the
//! server checks (a forged confirm is refused).

use chrono::Duration;
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{extract, location, Browser, City, TestApp};
use examhall::auth::Role;
use examhall::db::now;
use examhall::schema::{assignments, audit_log, readings};

struct Setup {
    app: TestApp,
    city: City,
    trainer: Browser,
    clerk_id: i32,
}

async fn setup() -> Setup {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("trainer", "培训师", None, &[(Role::Trainer, city.city)]);
    let clerk_id =
        app.add_user("10001", "营业员甲", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    app.add_user("10002", "营业员乙", Some(city.city_hall), &[(Role::Clerk, city.city_hall)]);
    app.add_user("80001", "青山主管", None, &[(Role::Supervisor, city.county)]);
    let trainer = app.browser();
    trainer.login_ok("trainer").await;
    Setup { app, city, trainer, clerk_id }
}

const BODY: &str = "## 办理要求\n\n携号转网须**本人持证**办理，授权码有效期 72 小时。\n\n| 项目 | 要求 |\n|---|---|\n| 证件 | 原件 |\n";

/// Publishes an article; its id.
async fn write(b: &Browser, title: &str, body: &str, extra: &[(&str, &str)]) -> i32 {
    let mut fields = vec![
        ("title", title),
        ("category", "业务流程"),
        ("tags", "携号转网，授权码"),
        ("effective_date", "2026-11-01"),
        ("body", body),
    ];
    for (k, v) in extra {
        fields.retain(|(f, _)| f != k);
        fields.push((k, v));
    }
    let res = b.post("/kb", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    extract(&location(&res), r"^/kb/(\d+)$").unwrap().parse().unwrap()
}

fn due_in(days: i64) -> String {
    (examhall::time::local_date(now()) + Duration::days(days)).to_string()
}

async fn clerk(app: &TestApp, login: &str) -> Browser {
    let b = app.browser();
    b.login_ok(login).await;
    b
}

#[tokio::test]
async fn markdown_is_rendered_and_sanitised() {
    let s = setup().await;
    let hostile = "正文\n\n<script>alert('x')</script>\n\n[点我](javascript:alert(1))\n\n<img src=x onerror=alert(2)>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n**加粗** 与表格：\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
    let id = write(&s.trainer, "安全测试", hostile, &[]).await;
    let page = s.trainer.get_text(&format!("/kb/{id}")).await;
    let article = page.split("<div class=\"markdown\">").nth(1).unwrap().split("</div>").next().unwrap();
    assert!(!article.contains("<script") && !article.contains("alert('x')</script>"), "{article}");
    assert!(!article.contains("javascript:"), "{article}");
    assert!(!article.contains("onerror"), "{article}");
    assert!(!article.contains("<iframe"), "{article}");
    assert!(article.contains("<strong>加粗</strong>") && article.contains("<table>"), "{article}");
    // The preview renders the same way before anything is saved.
    let res = s
        .trainer
        .post(
            "/kb",
            &[
                ("title", "预览"),
                ("category", "业务流程"),
                ("effective_date", "2026-11-01"),
                ("body", hostile),
                ("preview", "1"),
            ],
        )
        .await;
    let preview = res.text().await.unwrap();
    assert!(preview.contains("预览（尚未保存）") && !preview.contains("<script>alert"), "{preview}");
    use examhall::schema::articles;
    assert_eq!(
        articles::table.count().get_result::<i64>(&mut s.app.conn()).unwrap(),
        1,
        "a preview saves nothing"
    );
}

#[tokio::test]
async fn search_finds_chinese_substrings_and_filters() {
    let s = setup().await;
    write(&s.trainer, "携号转网办理流程", BODY, &[]).await;
    write(&s.trainer, "补换卡须知", "补卡工本费 10 元。", &[("category", "服务规范")]).await;
    let c = clerk(&s.app, "10001").await;
    let found = c.get_text("/kb?q=%E6%8E%88%E6%9D%83%E7%A0%81").await; // 授权码, only in a body
    assert!(found.contains("携号转网办理流程") && !found.contains("补换卡须知"), "{found}");
    let by_cat = c.get_text("/kb?category=%E6%9C%8D%E5%8A%A1%E8%A7%84%E8%8C%83").await;
    assert!(by_cat.contains("补换卡须知") && !by_cat.contains("携号转网办理流程"));
    let by_tag = c.get_text("/kb?tag=%E6%8E%88%E6%9D%83%E7%A0%81").await;
    assert!(by_tag.contains("携号转网办理流程"));
    // LIKE wildcards typed by a user are literal.
    assert!(c.get_text("/kb?q=%25").await.contains("没有找到"));
}

#[tokio::test]
async fn an_article_for_one_county_is_hidden_from_everyone_else() {
    let s = setup().await;
    let county = s.city.county.to_string();
    let id = write(&s.trainer, "青山县网点调整", BODY, &[("visible_unit", &county)]).await;
    let mine = clerk(&s.app, "10001").await;
    assert_eq!(mine.get(&format!("/kb/{id}")).await.status(), StatusCode::OK);
    let other = clerk(&s.app, "10002").await;
    assert_eq!(other.get(&format!("/kb/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert!(!other.get_text("/kb").await.contains("青山县网点调整"));
}

#[tokio::test]
async fn writing_and_assigning_are_for_their_roles_and_scope() {
    let s = setup().await;
    let id = write(&s.trainer, "携号转网办理流程", BODY, &[]).await;
    let c = clerk(&s.app, "10001").await;
    assert_eq!(c.get("/kb/new").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(c.post(&format!("/kb/{id}"), &[("title", "改")]).await.status(), StatusCode::FORBIDDEN);
    let due = due_in(5);
    assert_eq!(
        c.post(&format!("/kb/{id}/assign"), &[("role", "clerk"), ("due_date", &due)]).await.status(),
        StatusCode::FORBIDDEN
    );
    // A county supervisor assigns within the county, not the district.
    let sup = clerk(&s.app, "80001").await;
    let district = s.city.district.to_string();
    sup.post(&format!("/kb/{id}/assign"), &[("unit", &district), ("role", "clerk"), ("due_date", &due)])
        .await;
    let count = || assignments::table.count().get_result::<i64>(&mut s.app.conn()).unwrap();
    assert_eq!(count(), 0, "outside the supervisor's scope");
    sup.post(&format!("/kb/{id}/assign"), &[("people", "10002"), ("due_date", &due)]).await;
    assert_eq!(count(), 0, "a named person outside the scope");
    let county = s.city.county.to_string();
    sup.post(&format!("/kb/{id}/assign"), &[("unit", &county), ("role", "clerk"), ("due_date", &due)]).await;
    assert_eq!(count(), 1);
    // The county's clerk has it on the home page; the district's does not.
    assert!(c.get_text("/").await.contains("携号转网办理流程"));
    assert!(!clerk(&s.app, "10002").await.get_text("/").await.contains("携号转网办理流程"));
}

fn reading(app: &TestApp, user: i32) -> Option<(i32, bool, bool)> {
    readings::table
        .filter(readings::user_id.eq(user))
        .select((readings::active_seconds, readings::reached_end, readings::confirmed_at.is_not_null()))
        .first(&mut app.conn())
        .optional()
        .unwrap()
}

/// Pretends the last heartbeat was `seconds` ago (the server credits no more than that).
fn age_last_beat(app: &TestApp, user: i32, seconds: i64) {
    diesel::update(readings::table.filter(readings::user_id.eq(user)))
        .set(readings::last_beat_at.eq(now() - Duration::seconds(seconds)))
        .execute(&mut app.conn())
        .unwrap();
}

#[tokio::test]
async fn a_confirm_needs_the_reading_time_and_the_end_and_a_forged_one_is_refused() {
    let s = setup().await;
    let id = write(&s.trainer, "携号转网办理流程", BODY, &[]).await;
    let county = s.city.county.to_string();
    let due = due_in(3);
    s.trainer
        .post(&format!("/kb/{id}/assign"), &[("unit", &county), ("role", "clerk"), ("due_date", &due)])
        .await;
    let c = clerk(&s.app, "10001").await;
    // Confirming something never opened is refused.
    let vid = "1";
    c.post(&format!("/kb/{id}/confirm"), &[("version_id", vid)]).await;
    assert_eq!(reading(&s.app, s.clerk_id), None);
    let page = c.get_text(&format!("/kb/{id}")).await;
    assert!(page.contains("我已阅读并理解") && page.contains("disabled"), "{page}");
    assert_eq!(reading(&s.app, s.clerk_id), Some((0, false, false)), "the opening is recorded");
    // A forged heartbeat claiming an hour gets what the clock allows (here: nothing yet).
    let beat = c
        .post(&format!("/kb/{id}/beat"), &[("version_id", vid), ("seconds", "3600"), ("at_end", "false")])
        .await;
    let j: serde_json::Value = beat.json().await.unwrap();
    assert!(j["active_seconds"].as_i64().unwrap() <= 1, "{j}");
    assert_eq!(j["needed"], 20, "a short text needs the 20 s floor");
    // A confirm now is refused: too short.
    c.post(&format!("/kb/{id}/confirm"), &[("version_id", vid)]).await;
    assert!(c.get_text(&format!("/kb/{id}")).await.contains("阅读时间不足"));
    assert!(!reading(&s.app, s.clerk_id).unwrap().2);
    // Two honest beats 12 s apart each: at most 15 s each are credited.
    for _ in 0..2 {
        age_last_beat(&s.app, s.clerk_id, 12);
        c.post(&format!("/kb/{id}/beat"), &[("version_id", vid), ("seconds", "12"), ("at_end", "false")])
            .await;
    }
    let (secs, end, _) = reading(&s.app, s.clerk_id).unwrap();
    assert!((24..=25).contains(&secs) && !end, "{secs}");
    c.post(&format!("/kb/{id}/confirm"), &[("version_id", vid)]).await;
    assert!(c.get_text(&format!("/kb/{id}")).await.contains("请读到文末"));
    // The end reached: the confirm is accepted, audited, and the item is read.
    age_last_beat(&s.app, s.clerk_id, 5);
    let j: serde_json::Value = c
        .post(&format!("/kb/{id}/beat"), &[("version_id", vid), ("seconds", "5"), ("at_end", "true")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(j["can_confirm"], true, "{j}");
    c.post(&format!("/kb/{id}/confirm"), &[("version_id", vid)]).await;
    assert!(reading(&s.app, s.clerk_id).unwrap().2);
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("kb_read"))
        .count()
        .get_result(&mut s.app.conn())
        .unwrap();
    assert_eq!(audited, 1);
    let mine = c.get_text("/kb/my").await;
    assert!(mine.contains("已读 ·") && !mine.contains("未读 ·"), "{mine}");

    // A material change asks for reading again, with a new due date.
    let new_due = due_in(10);
    let res = s
        .trainer
        .post(
            &format!("/kb/{id}"),
            &[
                ("title", "携号转网办理流程"),
                ("category", "业务流程"),
                ("effective_date", "2026-11-01"),
                ("body", "授权码有效期改为 48 小时。"),
                ("material", "1"),
                ("change_note", "授权码有效期调整"),
            ],
        )
        .await;
    assert!(res.text().await.unwrap().contains("新的完成期限"), "the new due date is required");
    s.trainer
        .post(
            &format!("/kb/{id}"),
            &[
                ("title", "携号转网办理流程"),
                ("category", "业务流程"),
                ("effective_date", "2026-11-01"),
                ("body", "授权码有效期改为 48 小时。"),
                ("material", "1"),
                ("change_note", "授权码有效期调整"),
                ("new_due", &new_due),
            ],
        )
        .await;
    let mine = c.get_text("/kb/my").await;
    assert!(mine.contains(&format!("未读 · {new_due} 截止")), "{mine}");
    // The old version stays readable, with a banner.
    let old = c.get_text(&format!("/kb/{id}/v/1")).await;
    assert!(old.contains("这是旧版本") && old.contains("72 小时"), "{old}");
    // A non-material edit does not.
    s.trainer
        .post(
            &format!("/kb/{id}"),
            &[
                ("title", "携号转网办理流程"),
                ("category", "业务流程"),
                ("effective_date", "2026-11-01"),
                ("body", "错别字修正。"),
            ],
        )
        .await;
    let n: i64 = assignments::table.count().get_result(&mut s.app.conn()).unwrap();
    assert_eq!(n, 2, "one for version 1, one for the material version 2");
}

#[tokio::test]
async fn attachments_are_sniffed_and_served_only_to_signed_in_readers() {
    let s = setup().await;
    let id = write(&s.trainer, "带图的文章", BODY, &[]).await;
    let png: Vec<u8> = [&[0x89u8, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..], &[0u8; 64][..]].concat();
    let res = s.trainer.upload(&format!("/kb/{id}/files"), "../../etc/流程图.png", png.clone()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    s.trainer.upload(&format!("/kb/{id}/files"), "evil.png", html).await;
    use examhall::schema::article_files;
    let files: Vec<(i32, String, String)> = article_files::table
        .select((article_files::id, article_files::filename, article_files::content_type))
        .load(&mut s.app.conn())
        .unwrap();
    assert_eq!(files.len(), 1, "HTML named .png is refused: {files:?}");
    assert_eq!((files[0].1.as_str(), files[0].2.as_str()), ("流程图.png", "image/png"), "no path kept");
    let c = clerk(&s.app, "10001").await;
    let res = c.get(&format!("/kb/files/{}", files[0].0)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.unwrap().to_vec(), png);
    let anonymous = s.app.browser();
    let res = anonymous.get(&format!("/kb/files/{}", files[0].0)).await;
    assert_ne!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_demo_never_reads_or_assigns_a_version_before_it_was_published() {
    use examhall::schema::article_versions;
    let app = TestApp::spawn_demo().await;
    let mut conn = app.conn();
    let read_early: i64 = readings::table
        .inner_join(article_versions::table.on(article_versions::id.eq(readings::version_id)))
        .filter(readings::first_opened_at.lt(article_versions::created_at))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let assigned_early: i64 = assignments::table
        .inner_join(article_versions::table.on(article_versions::id.eq(assignments::version_id)))
        .filter(assignments::assigned_at.lt(article_versions::created_at))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let confirmed: i64 =
        readings::table.filter(readings::confirmed_at.is_not_null()).count().get_result(&mut conn).unwrap();
    assert!(confirmed > 100, "the demo has readings ({confirmed})");
    assert_eq!((read_early, assigned_early), (0, 0));
}

#[tokio::test]
async fn the_hall_reminder_list_says_as_of_when_its_days_left_count() {
    let app = TestApp::spawn_demo().await;
    let leader = app.browser();
    assert_eq!(leader.login("10002", examhall::demo::PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let page = leader.get_text("/kb/hall").await;
    let today = examhall::time::local_date(now()).to_string();
    assert!(page.contains(&format!("截至 {today}")), "{page}");
    assert!(page.contains("人民路营业厅 必读未读名单"), "{page}");
}
