//! Attacks on signing in and out, through the real server (findings 4–6 of the
//! outside security review): locking a clerk out by guessing, a proxy's
//! address standing in for every client, and a session cookie outliving logout.

use std::sync::Arc;

use diesel::prelude::*;
use examhall::auth::Role;
use examhall::schema::audit_log;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::redirect::Policy;
use reqwest::{Response, StatusCode};

use crate::helpers::{extract, location, Browser, Options, TestApp, PASSWORD};

/// A login attempt as the proxy reports it: from `address` (None: no header).
async fn login_via(b: &Browser, forwarded: Option<&str>, username: &str, password: &str) -> Response {
    let token = b.csrf().await;
    let form = [("username", username), ("password", password), ("next", "/"), ("csrf_token", &token)];
    let mut post = b.client.post(b.url("/login")).form(&form);
    if let Some(value) = forwarded {
        post = post.header("X-Forwarded-For", value);
    }
    post.send().await.expect("POST /login")
}

/// Audit lines (action, ip) in order.
fn audit(app: &TestApp) -> Vec<(String, Option<String>)> {
    audit_log::table
        .select((audit_log::action, audit_log::ip))
        .order(audit_log::id)
        .load(&mut app.conn())
        .expect("audit log")
}

fn count(lines: &[(String, Option<String>)], action: &str) -> usize {
    lines.iter().filter(|(a, _)| a == action).count()
}

/// Guesses on unknown names from `address` until the address is made to wait
/// at least `secs` (shorter waits are sat out, as a patient sprayer would).
async fn spray_until_slowed(b: &Browser, address: &str, secs: u64) -> usize {
    let mut failures = 0;
    for n in 0..80 {
        let res = login_via(b, Some(address), &format!("guess{n}"), "guess-12345").await;
        if res.status() == StatusCode::UNAUTHORIZED {
            failures += 1;
            continue;
        }
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(res.text().await.unwrap().contains(&format!("请 {wait} 秒后再试")), "the page says how long");
        if wait >= secs {
            return failures;
        }
        tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    }
    panic!("never slowed")
}

// ---- Finding 4: anyone could lock a clerk out

#[tokio::test]
async fn a_guesser_cannot_keep_out_a_clerk_whose_browser_signed_in_before() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    // Yesterday the clerk signed in from her browser, which keeps a device cookie.
    let clerk = app.browser();
    let res = clerk.login("10001", PASSWORD).await;
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("examhall_device="))
        .expect("a device cookie")
        .to_string();
    for attribute in ["HttpOnly", "SameSite=Lax", "Max-Age=15552000", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    clerk.post("/logout", &[]).await;

    // Exam morning: an attacker guesses her (sequential) staff number 30 times.
    let attacker = app.browser();
    let mut statuses = Vec::new();
    for _ in 0..30 {
        statuses.push(attacker.login("10001", "guess-12345").await.status());
    }
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    assert_eq!(checked, 5, "five guesses checked, then slowed: {statuses:?}");
    let slowed = attacker.login("10001", "guess-12345").await;
    assert_eq!(slowed.status(), StatusCode::TOO_MANY_REQUESTS);
    // The minute started at the fifth failure: "1 分钟", or the seconds left of it.
    let page = slowed.text().await.unwrap();
    let said = extract(&page, r"请 (\d+ (?:秒|分钟))后再试").expect("how long to wait");
    let secs: u64 = match said.strip_suffix(" 分钟") {
        Some(minutes) => minutes.parse::<u64>().unwrap() * 60,
        None => said.trim_end_matches(" 秒").parse().unwrap(),
    };
    assert!((1..=60).contains(&secs), "{said}");

    // She signs in from her browser all the same.
    let res = clerk.login("10001", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the device cookie's account is never slowed by others");
    assert!(clerk.get_text("/").await.contains("您好，张晓梅"));
    // A fresh browser, even with the right password, waits its turn.
    assert_eq!(app.browser().login("10001", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);

    let lines = audit(&app);
    assert_eq!(count(&lines, "login_failed"), 5);
    assert_eq!(count(&lines, "login_slowed"), 1, "the fifth failure started the wait");
}

#[tokio::test]
async fn failures_with_a_device_cookie_count_against_it_and_five_end_its_trust() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    // A hall PC on which the clerk signed in; someone else sits down at it.
    let pc = app.browser();
    pc.login_ok("10001").await;
    pc.post("/logout", &[]).await;
    let elsewhere = app.browser();
    for _ in 0..5 {
        elsewhere.login("10001", "guess-12345").await;
    }
    assert_eq!(elsewhere.login("10001", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
    // The PC's token is not slowed by that, but its own failures count...
    for i in 0..5 {
        assert_eq!(pc.login("10001", "guess-12345").await.status(), StatusCode::UNAUTHORIZED, "{i}");
    }
    // ...and after five the PC is an untrusted client like any other.
    assert_eq!(pc.login("10001", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(count(&audit(&app), "device_untrusted"), 1);
}

#[tokio::test]
async fn a_county_office_behind_one_address_is_never_refused_for_its_typos() {
    // Sixty clerks behind the county's NAT, each mistyping once before getting
    // it right: 60 failures from one address, more than the old lock's 50.
    let app = TestApp::spawn_with(Options { trust_proxy: true, ..Default::default() }).await;
    let city = app.seed_city();
    for i in 0..60 {
        let staff_no = format!("{}", 20_000 + i);
        app.add_user(&staff_no, "营业员", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
        let b = app.browser();
        let typo = login_via(&b, Some("10.20.0.1"), &staff_no, "wrong-pass1").await;
        assert_eq!(typo.status(), StatusCode::UNAUTHORIZED, "clerk {i}");
        let right = login_via(&b, Some("10.20.0.1"), &staff_no, PASSWORD).await;
        assert_eq!(right.status(), StatusCode::SEE_OTHER, "clerk {i} is never refused");
    }
}

#[tokio::test]
async fn an_address_that_only_fails_is_slowed_and_told_how_long_but_device_cookies_get_in() {
    let app = TestApp::spawn_with(Options { trust_proxy: true, ..Default::default() }).await;
    let city = app.seed_city();
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    app.add_user("10002", "李娜", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let regular = app.browser();
    assert_eq!(
        login_via(&regular, Some("10.20.0.1"), "10001", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    regular.post("/logout", &[]).await;

    let failures = spray_until_slowed(&app.browser(), "10.20.0.1", 8).await;
    // 50 free, then waits of 1, 2, 4 and 8 seconds (one more if this machine dawdled).
    assert!(failures >= 54, "{failures}");
    // The office's regular browser signs in; a first-time browser there waits.
    assert_eq!(
        login_via(&regular, Some("10.20.0.1"), "10001", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let first_time = login_via(&app.browser(), Some("10.20.0.1"), "10002", PASSWORD).await;
    assert_eq!(first_time.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(first_time.text().await.unwrap().contains("秒后再试"));
    let lines = audit(&app);
    assert!(count(&lines, "login_slowed") >= 4, "slow-downs are in the audit log");
}

// ---- Finding 5: behind a proxy, the proxy's address stood in for everyone

#[tokio::test]
async fn behind_the_proxy_each_client_address_is_throttled_and_logged_on_its_own() {
    let app = TestApp::spawn_with(Options { trust_proxy: true, ..Default::default() }).await;
    let city = app.seed_city();
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    // Another county's address fails until it is slowed...
    let sprayer = app.browser();
    spray_until_slowed(&sprayer, "203.0.113.66", 4).await;
    // ...and an address made up left of the proxy's entry changes nothing.
    let spoofed = login_via(&sprayer, Some("198.51.100.9, 203.0.113.66"), "guess99", "guess-12345").await;
    assert_eq!(spoofed.status(), StatusCode::TOO_MANY_REQUESTS, "still the proxy's address");
    // A clerk at another address, with a browser that never signed in, is unaffected.
    let clerk = app.browser();
    assert_eq!(login_via(&clerk, Some("10.20.0.7"), "10001", PASSWORD).await.status(), StatusCode::SEE_OTHER);

    let lines = audit(&app);
    let failed_from: Vec<_> = lines.iter().filter(|(a, _)| a == "login_failed").map(|(_, ip)| ip).collect();
    assert!(failed_from.len() >= 51);
    assert!(failed_from.iter().all(|ip| ip.as_deref() == Some("203.0.113.66")), "{failed_from:?}");
    let login = lines.iter().find(|(a, _)| a == "login").expect("login logged");
    assert_eq!(login.1.as_deref(), Some("10.20.0.7"));
}

#[tokio::test]
async fn without_a_trusted_proxy_forwarded_addresses_are_ignored() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    assert_eq!(
        login_via(&b, Some("203.0.113.66"), "nobody", "guess-12345").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let lines = audit(&app);
    assert_eq!(lines.last().map(|(_, ip)| ip.as_deref()), Some(Some("127.0.0.1")));
}

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
