//! Roster import through the admin pages: dry run, row errors, confirm,
//! idempotent re-import, deactivation offers, and a plan that changed.

use reqwest::StatusCode;

use crate::helpers::{csv, extract, location, xlsx, Browser, TestApp};

const HEADER: &[&str] = &["工号", "姓名", "区县", "区县类型", "营业厅", "角色", "手机号"];

fn good_rows() -> Vec<&'static [&'static str]> {
    vec![
        HEADER,
        &["10001", "张晓梅", "青山县分公司", "县分", "青山中心营业厅", "营业员", "13800138000"],
        &["10002", "李建国", "青山县分公司", "县分", "青山中心营业厅", "营业班长、营业员", ""],
        &["10003", "王芳", "江州市区", "市区", "人民路营业厅", "厅经理", ""],
        &["80001", "赵主管", "青山县分公司", "县分", "", "主管", ""],
        &["90001", "周培训", "", "", "", "培训师", ""],
    ]
}

/// An admin on an empty site (only the admin account exists, made by create-admin).
async fn admin_on_empty_site() -> (TestApp, Browser) {
    let app = TestApp::spawn().await;
    let hash = examhall::auth::password::hash(crate::helpers::PASSWORD).unwrap();
    examhall::cli::insert_admin(&mut app.conn(), "admin", "管理员", &hash).unwrap();
    let b = app.browser();
    b.login_ok("admin").await;
    (app, b)
}

async fn preview(b: &Browser, name: &str, bytes: Vec<u8>) -> (StatusCode, String) {
    let res = b.upload("/admin/roster/preview", name, bytes).await;
    (res.status(), crate::helpers::unescape(res.text().await.unwrap()))
}

async fn confirm(b: &Browser, html: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let action = extract(html, r#"action="(/admin/roster/\d+/confirm)""#).expect("confirm form");
    let fingerprint = extract(html, r#"name="fingerprint" value="([0-9a-f]+)""#).unwrap();
    let mut fields = vec![("fingerprint", fingerprint.as_str())];
    fields.extend_from_slice(extra);
    b.post(&action, &fields).await
}

const INITIAL: [(&str, &str); 2] =
    [("initial_password", "chushi2026"), ("initial_password_confirm", "chushi2026")];

#[tokio::test]
async fn a_first_import_builds_the_org_tree_after_confirmation_only() {
    let (app, b) = admin_on_empty_site().await;
    let (status, html) = preview(&b, "名单.xlsx", xlsx(&good_rows())).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("县分公司：青山县分公司") && html.contains("营业厅：江州市区 / 人民路营业厅"));
    assert!(html.contains("张晓梅") && html.contains("营业员、营业班长"));
    assert_eq!(app.count_users(), 1, "the dry run writes nothing");

    let res = confirm(&b, &html, &INITIAL).await;
    assert_eq!(location(&res), "/admin/roster");
    assert!(b.get_text("/admin/roster").await.contains("新建单位 4，新建人员 5"));
    assert_eq!(app.count_users(), 6);
    let clerk = app.user_by_login("10001").unwrap();
    assert!(clerk.must_change_password);
    assert_eq!(clerk.phone.as_deref(), Some("13800138000"));
    let org = b.get_text("/admin/org").await;
    assert!(org.contains("青山中心营业厅") && org.contains("江州市区"));

    // The new clerk logs in with the initial password and must change it.
    let c = app.browser();
    assert_eq!(location(&c.login("10001", "chushi2026").await), "/account/password");
}

#[tokio::test]
async fn importing_the_same_file_again_changes_nothing() {
    let (app, b) = admin_on_empty_site().await;
    let file = csv(&good_rows());
    let (_, html) = preview(&b, "roster.csv", file.clone()).await;
    confirm(&b, &html, &INITIAL).await;
    let before: Vec<_> =
        ["10001", "10002", "80001"].iter().map(|s| app.user_by_login(s).unwrap().updated_at).collect();

    let (_, html) = preview(&b, "roster.csv", file).await;
    assert!(html.contains("完全一致"), "nothing to do");
    assert!(!html.contains("确认导入</button>"));
    assert!(html.contains(r#"<span class="stat-value">5</span><span class="stat-label">不变</span>"#));
    let after: Vec<_> =
        ["10001", "10002", "80001"].iter().map(|s| app.user_by_login(s).unwrap().updated_at).collect();
    assert_eq!(before, after);
    assert_eq!(app.count_users(), 6);
}

#[tokio::test]
async fn bad_rows_are_listed_by_row_number_and_nothing_is_written() {
    let (app, b) = admin_on_empty_site().await;
    let rows: Vec<&[&str]> = vec![
        HEADER,
        &["10001", "张晓梅", "青山县分公司", "县分", "青山中心营业厅", "营业员", ""],
        &["10001", "张晓梅", "青山县分公司", "县分", "青山中心营业厅", "营业员", ""],
        &["10004", "钱多多", "青山县分公司", "县分", "青山中心营业厅", "店长", ""],
        &["10005", "孙悟", "白河县分公司", "", "白河营业厅", "营业员", ""],
        &["", "无工号", "青山县分公司", "县分", "青山中心营业厅", "营业员", "1380013"],
    ];
    let (status, html) = preview(&b, "bad.xlsx", xlsx(&rows)).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "第 3 行</td><td>工号 10001 与第 2 行重复",
        "第 4 行</td><td>未知角色「店长」",
        "第 5 行</td><td>区县「白河县分公司」不存在",
        "第 6 行</td><td>工号为空",
        "第 6 行</td><td>手机号「1380013」格式不正确",
    ] {
        assert!(html.contains(expected), "missing: {expected}");
    }
    assert!(!html.contains("/confirm\""), "no confirm form while errors remain");

    // Forcing a confirmation of the stored file is refused too.
    let res = b.post("/admin/roster/1/confirm", &[("fingerprint", "x"), INITIAL[0], INITIAL[1]]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("未导入任何数据"));
    assert_eq!(app.count_users(), 1);
}

#[tokio::test]
async fn staff_missing_from_a_full_roster_are_offered_for_deactivation_only() {
    let (app, b) = admin_on_empty_site().await;
    let (_, html) = preview(&b, "r.xlsx", xlsx(&good_rows())).await;
    confirm(&b, &html, &INITIAL).await;

    let mut rows = good_rows();
    rows.remove(2); // 李建国 left
    let (_, html) = preview(&b, "r.xlsx", xlsx(&rows)).await;
    assert!(html.contains("名单外的在职人员（1）") && html.contains("10002 李建国"));
    // Without the tick nothing happens to him...
    confirm(&b, &html, &[]).await;
    assert!(app.user_by_login("10002").unwrap().active);
    // ...with it he is deactivated, not deleted.
    let (_, html) = preview(&b, "r.xlsx", xlsx(&rows)).await;
    let res = confirm(&b, &html, &[("deactivate_missing", "1")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let li = app.user_by_login("10002").unwrap();
    assert!(!li.active);
    assert_eq!(app.count_users(), 6);

    // Back on the roster with a new hall: reactivated and moved.
    let rows: Vec<&[&str]> = vec![HEADER, &["10002", "李建国", "江州市区", "", "人民路营业厅", "营业员", ""]];
    let (_, html) = preview(&b, "back.csv", csv(&rows)).await;
    assert!(html.contains("重新启用"));
    assert!(html.contains("营业厅：青山中心营业厅 → 江州市区 / 人民路营业厅"));
    assert!(html.contains("角色：营业员、营业班长 → 营业员"));
    confirm(&b, &html, &[]).await;
    let li = app.user_by_login("10002").unwrap();
    assert!(li.active);
}

#[tokio::test]
async fn a_plan_that_changed_since_the_preview_is_not_committed() {
    let (app, b) = admin_on_empty_site().await;
    let (_, html) = preview(&b, "r.xlsx", xlsx(&good_rows())).await;
    // Someone else imports a part of it in the meantime.
    let rows: Vec<&[&str]> =
        vec![HEADER, &["10001", "张晓梅", "青山县分公司", "县分", "青山中心营业厅", "营业员", "13800138000"]];
    let (_, other) = preview(&b, "part.xlsx", xlsx(&rows)).await;
    confirm(&b, &other, &INITIAL).await;
    assert_eq!(app.count_users(), 2);

    let res = confirm(&b, &html, &INITIAL).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("预览之后数据已发生变化"));
    assert_eq!(app.count_users(), 2);
}

#[tokio::test]
async fn new_accounts_need_an_initial_password_that_passes_the_policy() {
    let (app, b) = admin_on_empty_site().await;
    let (_, html) = preview(&b, "r.xlsx", xlsx(&good_rows())).await;
    let res = confirm(&b, &html, &[("initial_password", "123"), ("initial_password_confirm", "123")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("初始密码：新密码至少需要 8 个字符"));
    let res = confirm(&b, &html, &[]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("请设置初始密码"));
    assert_eq!(app.count_users(), 1);
}

#[tokio::test]
async fn unreadable_files_get_a_clear_message() {
    let (_app, b) = admin_on_empty_site().await;
    let res = b.upload("/admin/roster/preview", "名单.pdf", b"%PDF".to_vec()).await;
    assert_eq!(location(&res), "/admin/roster");
    assert!(b.get_text("/admin/roster").await.contains("不支持的文件类型"));
    let res = b.upload("/admin/roster/preview", "名单.xlsx", b"not a workbook".to_vec()).await;
    assert_eq!(location(&res), "/admin/roster");
    assert!(b.get_text("/admin/roster").await.contains("无法读取表格文件"));
    let (_, html) = preview(&b, "cols.csv", csv(&[&["工号", "姓名"], &["1", "甲"]])).await;
    assert!(html.contains("缺少必填列：区县、营业厅、角色"));
}

#[tokio::test]
async fn the_templates_sample_rows_are_never_imported_and_renames_are_flagged() {
    let (app, b) = admin_on_empty_site().await;
    let (_, html) = preview(&b, "roster.csv", csv(&good_rows())).await;
    confirm(&b, &html, &INITIAL).await;
    let res = b.get("/admin/roster/template.xlsx").await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    assert_eq!(&bytes[..2], b"PK");
    // Real sheet names, the filling-in notes on their own sheet.
    crate::helpers::assert_template(&bytes, &["人员名单", "填写说明"], true, "工号");
    // Uploaded back unchanged: its sample rows (工号 示例…) touch nobody, and
    // an upload of samples only offers nobody for deactivation either.
    let (_, html) = preview(&b, "template.xlsx", bytes).await;
    assert!(html.contains(examhall::web::msg::NO_DATA_ROWS), "{html}");
    assert!(
        !html.contains("张晓梅") && !html.contains("action=\"/admin/roster/"),
        "nothing to confirm: {html}"
    );
    // Samples beside real rows are skipped; a changed name and a removed role are flagged.
    let mut rows = good_rows();
    rows.insert(1, &["示例001", "张晓梅（示例）", "青山县分公司", "县分", "青山中心营业厅", "营业员", ""]);
    rows[2] = &["10001", "张小梅", "青山县分公司", "县分", "青山中心营业厅", "营业员", "13800138000"];
    rows[3] = &["10002", "李建国", "青山县分公司", "县分", "青山中心营业厅", "营业员", ""];
    let (_, html) = preview(&b, "roster.csv", csv(&rows)).await;
    assert!(!html.contains("示例001") && !html.contains("有问题的行"), "{html}");
    assert!(
        html.contains("改名或取消角色（2）") && html.contains(&examhall::web::msg::roster_alarms(2)),
        "{html}"
    );
    assert!(html.contains(&examhall::web::msg::roster_alarm_rename("10001", "张晓梅", "张小梅")));
    assert!(html.contains(&examhall::web::msg::roster_alarm_roles_removed("李建国", "营业班长")));
    assert!(app.user_by_login("示例001").is_none());
}

#[tokio::test]
async fn an_import_never_locks_out_the_admin_running_it() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let me = app.add_user("99999", "吴管理", None, &[(examhall::auth::Role::Admin, city.city)]);
    let b = app.browser();
    b.login_ok("99999").await;

    // A full roster without me, with "deactivate the rest": I stay active.
    let rows: Vec<&[&str]> =
        vec![HEADER, &["10001", "张晓梅", "青山县分公司", "", "青山中心营业厅", "营业员", ""]];
    let (_, html) = preview(&b, "r.csv", csv(&rows)).await;
    assert!(html.contains("99999 吴管理"), "listed as missing");
    confirm(&b, &html, &[INITIAL[0], INITIAL[1], ("deactivate_missing", "1")]).await;
    assert!(app.user(me).active);

    // A roster that would take my admin role away is refused.
    let rows: Vec<&[&str]> = vec![HEADER, &["99999", "吴管理", "", "", "", "培训师", ""]];
    let (_, html) = preview(&b, "r.csv", csv(&rows)).await;
    let res = confirm(&b, &html, &[]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("撤销您本人的管理员角色"));
    let grants = examhall::accounts::User::grants(&mut app.conn(), me).unwrap();
    assert!(grants.iter().any(|g| g.role == "admin"));
}
