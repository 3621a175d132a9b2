//! The route table's rules, walked route by route: anonymous visitors are sent
//! to log in, roles without access get 403, and no POST passes without CSRF.

use examhall::auth::Role;
use examhall::routes::{Access, Verb, ROUTES};
use reqwest::StatusCode;

use crate::helpers::{location, TestApp};

fn concrete(path: &str) -> String {
    regex::Regex::new(r"\{[a-z_]+\}").unwrap().replace_all(path, "1").to_string()
}

#[tokio::test]
async fn every_route_refuses_who_the_table_refuses() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    app.add_user("90001", "培训师", None, &[(Role::Trainer, city.city)]);
    let anonymous = app.browser();
    let clerk = app.browser();
    clerk.login_ok("10001").await;
    let trainer = app.browser();
    trainer.login_ok("90001").await;

    for spec in ROUTES {
        let path = concrete(spec.path);
        let needs_login =
            matches!(spec.access, Access::Authenticated | Access::SelfService | Access::Roles(_));
        if spec.verb == Verb::Get && needs_login {
            let res = anonymous.get(&path).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "anonymous GET {path}");
            assert!(location(&res).starts_with("/login?next="), "anonymous GET {path}");
        }
        if let Access::Roles(roles) = spec.access {
            for (who, browser, role) in [("clerk", &clerk, Role::Clerk), ("trainer", &trainer, Role::Trainer)]
            {
                if roles.contains(&role) {
                    continue;
                }
                let res = match spec.verb {
                    Verb::Get => browser.get(&path).await,
                    Verb::Post => browser.post(&path, &[]).await,
                };
                assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who} {:?} {path}", spec.verb);
                assert!(res.text().await.unwrap().contains("无权访问"), "{who} {path}");
            }
        }
    }
}

#[tokio::test]
async fn every_post_without_a_valid_token_is_refused() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    let admin = app.browser();
    admin.login_ok("admin").await;
    for spec in ROUTES.iter().filter(|s| s.verb == Verb::Post) {
        let path = concrete(spec.path);
        let res = admin.post_raw(&path, &[("name", "x")]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "no token: {path}");
        let res = admin.post_raw(&path, &[("name", "x"), ("csrf_token", "0000")]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "bad token: {path}");
        assert!(res.text().await.unwrap().contains("表单已过期"));
    }
    // A token from another session does not work either.
    let other = app.browser();
    let foreign = other.csrf().await;
    let res = admin
        .post_raw(
            "/admin/org",
            &[("kind", "county"), ("parent_id", "1"), ("name", "新县"), ("csrf_token", &foreign)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn unknown_pages_and_bad_ids_get_chinese_error_pages() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    let admin = app.browser();
    admin.login_ok("admin").await;
    for path in ["/no-such-page", "/admin/users/99999", "/admin/users/abc", "/static/nothing.js"] {
        let res = admin.get(path).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains("页面不存在"), "{path}");
        assert!(html.contains("lang=\"zh-CN\""));
    }
    let res = admin.get("/admin/users?page=abc").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("查询参数无效"));
}

#[tokio::test]
async fn assets_are_served_by_the_binary_and_navigation_follows_roles() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    let b = app.browser();
    let css = b.get("/static/app.css").await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    let login = b.get_text("/login").await;
    assert!(!login.contains("http://") && !login.contains("https://"), "no CDN");

    b.login_ok("10001").await;
    let home = b.get_text("/").await;
    assert!(home.contains("name=\"viewport\""));
    assert!(!home.contains("/admin/users"), "a clerk sees no admin menu");
    let admin = app.browser();
    admin.login_ok("admin").await;
    assert!(admin.get_text("/").await.contains("href=\"/admin/users\""));
}

#[tokio::test]
async fn spelling_a_path_differently_does_not_get_past_the_rules() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let clerk_id =
        app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let anonymous = app.browser();
    for path in ["/admin/%75sers", "/admin/%61udit", "/%61dmin/org", "/admin/users/"] {
        let res = anonymous.get(path).await;
        assert_ne!(res.status(), StatusCode::OK, "anonymous GET {path}");
        assert!(!res.text().await.unwrap().contains("人员账号"), "{path}");
    }
    let clerk = app.browser();
    clerk.login_ok("10001").await;
    let unit = city.city.to_string();
    let res = clerk
        .post(&format!("/admin/%75sers/{clerk_id}/roles"), &[("role", "admin"), ("unit_id", &unit)])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let grants = examhall::accounts::User::grants(&mut app.conn(), clerk_id).unwrap();
    assert!(grants.iter().all(|g| g.role != "admin"), "no self-promotion");
}
