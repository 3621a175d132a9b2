//! Attacks on signing in and out, through the real server (findings 4–6 of the
//! outside security review): locking a clerk out by guessing, a proxy's
//! address standing in for every client, and a session cookie outliving logout.

use std::sync::Arc;

use examhall::auth::Role;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::redirect::Policy;
use reqwest::StatusCode;

use crate::helpers::{location, Browser, TestApp};

// ---- Finding 6: a cookie saved before logout still worked afterwards

/// A browser whose cookies the test can read.
fn browser_with_jar(app: &TestApp) -> (Browser, Arc<Jar>) {
    let jar = Arc::new(Jar::default());
    let client =
        reqwest::Client::builder().cookie_provider(jar.clone()).redirect(Policy::none()).build().unwrap();
    (Browser { base: app.base.clone(), client }, jar)
}

#[tokio::test]
async fn a_session_cookie_copied_before_logout_is_refused_after_it() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    let clerk = app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let (admin, jar) = browser_with_jar(&app);
    admin.login_ok("admin").await;
    assert_eq!(admin.get("/admin/users").await.status(), StatusCode::OK);
    // Someone copies the cookie (and a form's token) off the shared PC...
    let token = admin.csrf().await;
    let url = admin.url("/").parse().unwrap();
    let copied = jar.cookies(&url).expect("cookies").to_str().unwrap().to_string();
    // ...then the admin logs out.
    assert_eq!(location(&admin.post("/logout", &[]).await), "/login");

    let thief = reqwest::Client::builder().redirect(Policy::none()).build().unwrap();
    let page = thief.get(admin.url("/admin/users")).header("Cookie", &copied).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&page), "/login?next=%2Fadmin%2Fusers");
    let home = thief.get(admin.url("/")).header("Cookie", &copied).send().await.unwrap();
    assert_eq!(location(&home), "/login?next=%2F");
    let post = thief
        .post(admin.url(&format!("/admin/users/{clerk}/active")))
        .header("Cookie", &copied)
        .form(&[("active", "false"), ("csrf_token", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&post), "/login", "sent to sign in");
    assert!(app.user(clerk).active, "nothing changed");
    // The admin's next sign-in is a new session that works.
    admin.login_ok("admin").await;
    assert_eq!(admin.get("/admin/users").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_session_cookie_without_a_session_id_is_treated_as_ended() {
    use actix_web::cookie::{Cookie, CookieJar, Key};
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let admin = app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    // A session as the site wrote them before session ids: uid, epoch, times, token.
    let now = chrono::Utc::now().timestamp().to_string();
    let state = serde_json::json!({
        "uid": admin.to_string(), "epoch": "0", "iat": now, "seen": now, "csrf": "\"abc\"",
    });
    let mut jar = CookieJar::new();
    jar.private_mut(&Key::from(&[7; 64])).add(Cookie::new("examhall_session", state.to_string()));
    let old = jar.get("examhall_session").unwrap().value().to_string();
    let client = reqwest::Client::builder().redirect(Policy::none()).build().unwrap();
    let res =
        client.get(format!("{}/admin/users", app.base)).header("Cookie", format!("examhall_session={old}"));
    let res = res.send().await.unwrap();
    assert_eq!(location(&res), "/login?next=%2Fadmin%2Fusers");
    // The same cookie with a session id is accepted, so it is the id that decides.
    let with_id = serde_json::json!({
        "uid": admin.to_string(), "epoch": "0", "iat": now, "seen": now, "csrf": "\"abc\"", "sid": "\"0123\"",
    });
    jar.private_mut(&Key::from(&[7; 64])).add(Cookie::new("examhall_session", with_id.to_string()));
    let new = jar.get("examhall_session").unwrap().value().to_string();
    let res =
        client.get(format!("{}/admin/users", app.base)).header("Cookie", format!("examhall_session={new}"));
    assert_eq!(res.send().await.unwrap().status(), StatusCode::OK);
}
