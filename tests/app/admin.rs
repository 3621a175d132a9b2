//! Admin pages: the org tree and accounts.

use diesel::prelude::*;
use examhall::auth::Role;
use reqwest::StatusCode;

use crate::helpers::{extract, location, Browser, City, TestApp, PASSWORD};

async fn admin(app: &TestApp, city: &City) -> Browser {
    app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    let b = app.browser();
    b.login_ok("admin").await;
    b
}

/// Posts and returns the flash shown on the page redirected to.
async fn post_flash(b: &Browser, path: &str, fields: &[(&str, &str)]) -> String {
    let res = b.post(path, fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
    let html = b.get_text(&location(&res)).await;
    extract(&html, r#"class="flash flash-\w+"[^>]*>([^<]*)<"#).unwrap_or_default()
}

#[tokio::test]
async fn the_org_tree_can_be_built_renamed_moved_and_deactivated() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let b = admin(&app, &city).await;
    let county = city.county.to_string();

    let flash =
        post_flash(&b, "/admin/org", &[("parent_id", &county), ("kind", "hall"), ("name", "青山城东营业厅")])
            .await;
    assert_eq!(flash, "已新增「青山城东营业厅」。");
    let flash =
        post_flash(&b, "/admin/org", &[("parent_id", &county), ("kind", "hall"), ("name", "青山城东营业厅")])
            .await;
    assert!(flash.contains("已有名为「青山城东营业厅」"), "{flash}");
    let flash = post_flash(
        &b,
        "/admin/org",
        &[("parent_id", &city.county_hall.to_string()), ("kind", "hall"), ("name", "厅中厅")],
    )
    .await;
    assert!(flash.contains("营业厅不能放在营业厅"), "{flash}");

    let page = b.get_text("/admin/org").await;
    let new_hall = extract(&page, r#"action="/admin/org/(\d+)/rename"[^>]*>\s*<input[^>]*>\s*<label[^>]*>新名称</label>\s*<input id="rename-\d+" name="name" value="青山城东营业厅""#)
        .expect("new hall listed");
    let flash = post_flash(&b, &format!("/admin/org/{new_hall}/rename"), &[("name", "青山东城营业厅")]).await;
    assert_eq!(flash, "已改名为「青山东城营业厅」。");
    let flash =
        post_flash(&b, &format!("/admin/org/{new_hall}/move"), &[("parent_id", &city.district.to_string())])
            .await;
    assert!(flash.contains("移至「江州市区」"), "{flash}");
    let flash = post_flash(
        &b,
        &format!("/admin/org/{}/move", city.county),
        &[("parent_id", &city.county_hall.to_string())],
    )
    .await;
    assert!(flash.contains("不能把单位移到它自己或它的下级之下"), "{flash}");

    // A hall with staff cannot be switched off; an empty one can.
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let flash =
        post_flash(&b, &format!("/admin/org/{}/active", city.county_hall), &[("active", "false")]).await;
    assert!(flash.contains("仍有 1 名在职人员"), "{flash}");
    let flash = post_flash(&b, &format!("/admin/org/{}/active", city.county), &[("active", "false")]).await;
    assert!(flash.contains("仍有 1 名在职人员"), "counts the halls below: {flash}");
    let flash = post_flash(
        &b,
        "/admin/org",
        &[("parent_id", &city.city.to_string()), ("kind", "county"), ("name", "白河县分公司")],
    )
    .await;
    assert_eq!(flash, "已新增「白河县分公司」。");
    let baihe = extract(&b.get_text("/admin/org").await, r#"action="/admin/org/(\d+)/rename"[^>]*>\s*<input[^>]*>\s*<label[^>]*>新名称</label>\s*<input id="rename-\d+" name="name" value="白河县分公司""#).unwrap();
    app.add_user("80002", "白河主管", None, &[(Role::Supervisor, baihe.parse().unwrap())]);
    let flash = post_flash(&b, &format!("/admin/org/{baihe}/active"), &[("active", "false")]).await;
    assert!(flash.contains("仍有 1 人的角色范围是「白河县分公司」"), "{flash}");
    let flash =
        post_flash(&b, "/admin/org", &[("parent_id", "9999"), ("kind", "hall"), ("name", "无主营业厅")])
            .await;
    assert_eq!(flash, "上级单位不存在。");
    let flash = post_flash(&b, &format!("/admin/org/{new_hall}/active"), &[("active", "false")]).await;
    assert_eq!(flash, "已停用「青山东城营业厅」。");
    assert!(b.get_text("/admin/audit").await.contains("<td>单位调整上级</td>"));
}

#[tokio::test]
async fn accounts_can_be_searched_and_filtered() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let b = admin(&app, &city).await;
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    app.add_user(
        "10002",
        "李建国",
        Some(city.county_hall),
        &[(Role::TeamLeader, city.county_hall), (Role::Clerk, city.county_hall)],
    );
    app.add_user("10003", "王芳", Some(city.city_hall), &[(Role::Clerk, city.city_hall)]);

    let names = |html: &str| -> Vec<String> {
        regex::Regex::new(r#"<td><a href="/admin/users/\d+">([^<0-9]+)</a></td>"#)
            .unwrap()
            .captures_iter(html)
            .map(|c| c[1].to_string())
            .collect()
    };
    assert_eq!(names(&b.get_text("/admin/users?q=晓梅").await), vec!["张晓梅"]);
    assert_eq!(names(&b.get_text("/admin/users?q=10003").await), vec!["王芳"]);
    assert_eq!(names(&b.get_text("/admin/users?q=ADMIN").await), vec!["管理员"], "user names ignore case");
    assert_eq!(
        names(&b.get_text(&format!("/admin/users?unit={}", city.county_hall)).await),
        vec!["张晓梅", "李建国"]
    );
    assert_eq!(
        names(&b.get_text(&format!("/admin/users?unit={}", city.district)).await),
        vec!["王芳"],
        "an area covers its halls"
    );
    assert_eq!(names(&b.get_text("/admin/users?role=team_leader").await), vec!["李建国"]);
}

#[tokio::test]
async fn reset_password_gives_a_one_time_password_and_forces_a_change() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let b = admin(&app, &city).await;
    let id = app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let clerk = app.browser();
    clerk.login_ok("10001").await;

    let other = app.add_user("10002", "李建国", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let res = b.post(&format!("/admin/users/{id}/reset-password"), &[]).await;
    let elsewhere = b.get_text(&format!("/admin/users/{other}")).await;
    assert!(!elsewhere.contains("temp-password"), "never on another person's page");
    let page = b.get_text(&location(&res)).await;
    let temp = extract(&page, r#"id="temp-password">([A-Za-z0-9]+)<"#).expect("temporary password shown");
    assert!(!b.get_text(&format!("/admin/users/{id}")).await.contains(&temp), "shown once only");
    assert_eq!(clerk.get("/").await.status(), StatusCode::SEE_OTHER, "open sessions end");
    assert_eq!(clerk.login("10001", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(location(&clerk.login("10001", &temp).await), "/account/password");
}

#[tokio::test]
async fn profile_and_roles_are_checked_before_saving() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let b = admin(&app, &city).await;
    let id = app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let page = format!("/admin/users/{id}");

    let flash = post_flash(
        &b,
        &page,
        &[("name", "张小梅"), ("phone", "139 1234 5678"), ("hall_id", &city.city_hall.to_string())],
    )
    .await;
    assert_eq!(flash, "已保存。");
    let user = app.user(id);
    let grants = examhall::accounts::User::grants(&mut app.conn(), id).unwrap();
    assert_eq!(
        grants.iter().map(|g| g.unit_id).collect::<Vec<_>>(),
        vec![city.city_hall],
        "roles follow the hall"
    );
    assert_eq!(
        (user.name.as_str(), user.phone.as_deref(), user.hall_id),
        ("张小梅", Some("13912345678"), Some(city.city_hall))
    );
    let res = b.post(&page, &[("name", "张小梅"), ("phone", "12345"), ("hall_id", "")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("手机号「12345」格式不正确"));

    let flash = post_flash(
        &b,
        &format!("{page}/roles"),
        &[("role", "team_leader"), ("unit_id", &city.county.to_string())],
    )
    .await;
    assert!(flash.contains("营业班长的范围必须是营业厅"), "{flash}");
    let flash = post_flash(
        &b,
        &format!("{page}/roles"),
        &[("role", "supervisor"), ("unit_id", &city.county.to_string())],
    )
    .await;
    assert_eq!(flash, "已授予主管（青山县分公司）。");
    let html = b.get_text(&page).await;
    let grant = extract(&html, r#"action="/admin/users/\d+/roles/(\d+)/delete""#).unwrap();
    let flash = post_flash(&b, &format!("{page}/roles/{grant}/delete"), &[]).await;
    assert_eq!(flash, "已撤销角色。");
    assert!(b.get_text("/admin/audit").await.contains("<td>授予角色</td>"));
}

#[tokio::test]
async fn the_audit_log_filters_and_exports() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("admin2", "王管理", None, &[(Role::Admin, city.city)]);
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let clerk = app.browser();
    clerk.login_ok("10001").await;
    clerk.post("/logout", &[]).await;
    let admin = app.browser();
    admin.login_ok("admin2").await;
    let all = admin.get_text("/admin/audit").await;
    assert!(all.contains("张晓梅") && all.contains("王管理"), "{all}");
    // By action and by actor (工号).
    let logouts = admin.get_text("/admin/audit?action=logout").await;
    assert!(logouts.contains("<td>张晓梅</td>") && !logouts.contains("<td>王管理</td>"), "{logouts}");
    let by_staff = admin.get_text("/admin/audit?actor=10001").await;
    assert!(by_staff.contains("张晓梅") && !by_staff.contains("<td>王管理</td>"), "{by_staff}");
    // Dates are Beijing days: nothing happened in 2020.
    let none = admin.get_text("/admin/audit?from=2020-01-01&to=2020-12-31").await;
    assert!(none.contains("没有符合条件的记录"), "{none}");
    let today = examhall::time::local_date(examhall::db::now()).to_string();
    assert!(admin.get_text(&format!("/admin/audit?from={today}&to={today}")).await.contains("张晓梅"));
    // The export takes the same filter.
    let res = admin.get("/admin/audit/export.xlsx?action=logout").await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    crate::helpers::assert_prints(&bytes, 0, false, "操作日志");
    let table = examhall::roster::parse::read_table("log.xlsx", &bytes).unwrap();
    assert_eq!(table[1], vec!["时间（北京时间）", "操作人", "操作", "内容", "地址"]);
    assert!(table.len() >= 3 && table[2..].iter().all(|r| r[2] == "退出"), "{table:?}");
    assert_eq!(clerk.get("/admin/audit/export.xlsx").await.status(), StatusCode::SEE_OTHER, "logged out");
}

/// The database refuses to rewrite or remove an audit line, whatever the code does.
#[tokio::test]
async fn the_audit_log_is_append_only_in_the_database() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let clerk = app.browser();
    clerk.login_ok("10001").await;
    clerk.post("/logout", &[]).await;
    use examhall::schema::audit_log;
    let mut conn = app.conn();
    let lines = || {
        audit_log::table
            .select((audit_log::id, audit_log::detail))
            .order(audit_log::id)
            .load::<(i32, String)>(&mut app.conn())
            .unwrap()
    };
    let before = lines();
    assert!(before.len() >= 2, "login and logout are logged: {before:?}");
    for sql in [
        "UPDATE audit_log SET detail = '改过'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
    ] {
        let err = diesel::sql_query(sql).execute(&mut conn).expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(lines(), before, "nothing changed");
    // New lines still go in.
    clerk.login_ok("10001").await;
    assert_eq!(lines().len(), before.len() + 1);
}
