//! Login, logout, password change, throttling, sessions and CSRF.

use examhall::auth::Role;
use reqwest::StatusCode;

use crate::helpers::{location, Options, TestApp, PASSWORD};

#[tokio::test]
async fn login_succeeds_with_the_right_password_only() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let b = app.browser();

    let page = b.get_text("/login").await;
    assert!(page.contains("工号或用户名") && page.contains("登录"));

    for (user, pw) in [("10001", "wrong-pass1"), ("nobody", PASSWORD)] {
        let res = b.login(user, pw).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert!(res.text().await.unwrap().contains("用户名或密码错误"));
    }
    assert_eq!(location(&b.get("/").await), "/login?next=%2F");

    let res = b.login("10001", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/");
    let home = b.get_text("/").await;
    assert!(home.contains("您好，张晓梅"));
    assert!(home.contains("青山中心营业厅"));
    assert!(app.user_by_login("10001").unwrap().last_login_at.is_some());
}

#[tokio::test]
async fn login_returns_to_the_page_asked_for_but_never_off_site() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    let b = app.browser();
    assert_eq!(
        location(&b.get("/admin/users?q=张").await),
        "/login?next=%2Fadmin%2Fusers%3Fq%3D%25E5%25BC%25A0"
    );
    let res =
        b.post("/login", &[("username", "admin"), ("password", PASSWORD), ("next", "/admin/users")]).await;
    assert_eq!(location(&res), "/admin/users");
    let b = app.browser();
    let res =
        b.post("/login", &[("username", "admin"), ("password", PASSWORD), ("next", "//evil.example/")]).await;
    assert_eq!(location(&res), "/");
}

#[tokio::test]
async fn logout_ends_the_session_and_login_rotates_the_token() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let b = app.browser();
    let before = b.csrf().await;
    b.login_ok("10001").await;
    let after = b.csrf().await;
    assert_ne!(before, after, "a new CSRF token after login");

    let res = b.post("/logout", &[]).await;
    assert_eq!(location(&res), "/login");
    assert!(b.get_text("/login").await.contains("您已安全退出"));
    assert_eq!(b.get("/").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site() {
    let app = TestApp::spawn().await;
    let res = app.browser().get("/login").await;
    let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.starts_with("examhall_session="));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "plain http in tests");

    let behind_tls = TestApp::spawn_with(Options { secure_cookies: true, ..Default::default() }).await;
    let res = behind_tls.browser().get("/login").await;
    let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly"));

    // Behind a proxy the site trusts, the proxy's word decides.
    let proxied = TestApp::spawn_with(Options { trust_proxy: true, ..Default::default() }).await;
    let b = proxied.browser();
    let res = b.client.get(b.url("/login")).header("X-Forwarded-Proto", "https").send().await.unwrap();
    assert!(res.headers()["set-cookie"].to_str().unwrap().contains("; Secure"));
    let res = b.client.get(b.url("/login")).send().await.unwrap();
    assert!(!res.headers()["set-cookie"].to_str().unwrap().contains("Secure"));
}

#[tokio::test]
async fn unknown_names_cost_a_password_check_like_wrong_passwords() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let b = app.browser();
    let before = app.passwords.hashes_done();
    b.login("10001", "wrong-pass1").await;
    assert_eq!(app.passwords.hashes_done(), before + 1);
    b.login("nobody-here", "wrong-pass1").await;
    assert_eq!(app.passwords.hashes_done(), before + 2, "a dummy hash is checked for unknown names");
}

#[tokio::test]
async fn a_login_storm_beyond_the_queue_gets_503_with_retry_after() {
    let app = TestApp::spawn_with(Options { password_gate: Some((1, 1)), ..Default::default() }).await;
    let city = app.seed_city();
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let browsers: Vec<_> = (0..16).map(|_| app.browser()).collect();
    let mut tokens = Vec::new();
    for b in &browsers {
        tokens.push(b.csrf().await);
    }
    // Unknown names, so the per-account lock does not answer first.
    let names: Vec<String> = (0..16).map(|i| format!("visitor{i}")).collect();
    let attempts = browsers.iter().zip(&tokens).zip(&names).map(|((b, token), name)| async move {
        b.post_raw("/login", &[("username", name), ("password", "wrong-pass1"), ("csrf_token", token)]).await
    });
    let responses = futures_util::future::join_all(attempts).await;
    let busy: Vec<_> = responses.iter().filter(|r| r.status() == StatusCode::SERVICE_UNAVAILABLE).collect();
    let checked = responses.iter().filter(|r| r.status() == StatusCode::UNAUTHORIZED).count();
    assert!(!busy.is_empty(), "some attempts are turned away");
    assert!(checked >= 1, "the queue still serves");
    assert_eq!(busy.len() + checked, 16, "every attempt gets an answer");
    assert_eq!(busy[0].headers()["retry-after"], "2");
}

#[tokio::test]
async fn a_new_account_must_change_its_password_first() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let id = app.add_user_with(
        "10001",
        "张晓梅",
        Some(city.county_hall),
        &[(Role::Clerk, city.county_hall)],
        true,
    );
    let b = app.browser();
    let res = b.login("10001", PASSWORD).await;
    assert_eq!(location(&res), "/account/password");
    assert_eq!(location(&b.get("/").await), "/account/password", "nothing else first");
    assert!(b.get_text("/account/password").await.contains("须先修改密码"));

    let weak = [
        ("wrong-current1", "abc12345", "abc12345", "当前密码不正确"),
        (PASSWORD, "abc123", "abc123", "至少需要 8 个字符"),
        (PASSWORD, "abcdefgh", "abcdefgh", "同时包含字母和数字"),
        (PASSWORD, "abc12345", "abc12346", "不一致"),
        (PASSWORD, PASSWORD, PASSWORD, "不能与当前密码相同"),
    ];
    for (current, new, confirm, message) in weak {
        let res =
            b.post("/account/password", &[("current", current), ("new", new), ("confirm", confirm)]).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{message}");
        assert!(res.text().await.unwrap().contains(message), "{message}");
    }
    assert!(app.user(id).must_change_password);

    let res = b
        .post(
            "/account/password",
            &[("current", PASSWORD), ("new", "qingshan2026"), ("confirm", "qingshan2026")],
        )
        .await;
    assert_eq!(location(&res), "/");
    assert!(!app.user(id).must_change_password);
    assert!(b.get_text("/").await.contains("密码已修改"));
    let fresh = app.browser();
    assert_eq!(fresh.login("10001", "qingshan2026").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions_only() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let (phone, pc) = (app.browser(), app.browser());
    phone.login_ok("10001").await;
    pc.login_ok("10001").await;
    let res = pc
        .post(
            "/account/password",
            &[("current", PASSWORD), ("new", "newpass2026"), ("confirm", "newpass2026")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(pc.get("/").await.status(), StatusCode::OK, "the session that changed it stays");
    assert_eq!(phone.get("/").await.status(), StatusCode::SEE_OTHER, "the other one ends");
}

#[tokio::test]
async fn repeated_failures_slow_the_account_down_for_browsers_that_never_signed_in() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let b = app.browser();
    // Warned before the wait, told how long when it starts (free tries: 4, then 1 minute).
    let warnings = [
        None,
        None,
        Some("再错 2 次，须等待 1 分钟后才能再试"),
        Some("再错 1 次，须等待 1 分钟后才能再试"),
        Some("请 1 分钟后再试"),
    ];
    for warning in warnings {
        let res = b.login("10001", "guess-12345").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let page = res.text().await.unwrap();
        assert!(page.contains("用户名或密码错误"));
        match warning {
            Some(text) => assert!(page.contains(text), "{text}: {page}"),
            None => assert!(!page.contains("再错") && !page.contains("后再试"), "{page}"),
        }
    }
    let res = b.login("10001", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert!(res.headers().contains_key("retry-after"));
    let page = res.text().await.unwrap();
    assert!(page.contains("请 1 分钟后再试") || page.contains("秒后再试"), "says how long to wait");
    let other = app.browser();
    assert_eq!(other.login("10001", PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);

    app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    // Same client address: the address allowance is higher than the account's.
    let admin = app.browser();
    admin.login_ok("admin").await;
    let log = admin.get_text("/admin/audit").await;
    assert!(log.contains("<td>登录需等待</td>"));
    assert_eq!(log.matches("<td>登录失败</td>").count(), 5);
}

#[tokio::test]
async fn deactivating_an_account_ends_its_session() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    let clerk = app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let (admin, b) = (app.browser(), app.browser());
    admin.login_ok("admin").await;
    b.login_ok("10001").await;
    let res = admin.post(&format!("/admin/users/{clerk}/active"), &[("active", "false")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(b.get("/").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(b.login("10001", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let res = app.browser().get("/login").await;
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{csp}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "same-origin");
}
