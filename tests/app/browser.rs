//! End-to-end flows in real headless Chromium over WebDriver. One chromedriver
//! for the whole run; each test drives its own session (see [`driver_port`]).
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them the test is
//! skipped with a notice, unless EXAMHALL_BROWSER_TESTS=required.

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

use crate::helpers::{xlsx, TestApp};

const CHROMIUM: &str = "/usr/bin/chromium";

fn find_driver() -> Option<String> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromedriver"))
        .find(|p| p.exists())
        .map(|p| p.to_string_lossy().to_string())
}

/// The run's chromedriver, started by the first browser test and stopped
/// when the test binary exits: its port, or None when there is none to start.
/// Each test opens its own session (its own Chromium with a fresh profile):
/// a WebDriver session has one current window and a fantoccini client lives
/// on the runtime of the test that made it, so sessions are not shared; the
/// tests stay parallel.
fn driver_port(path: String) -> u16 {
    static PORT: OnceLock<u16> = OnceLock::new();
    *PORT.get_or_init(|| {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut child = Command::new(path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        crate::template::at_exit(Box::new(move || {
            let _ = child.kill();
            let _ = child.wait();
        }));
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        port
    })
}

/// Ends a test's WebDriver session (and so its Chromium) however the test
/// ends: a test that panics before `close` would otherwise leave its
/// browser running until the run's chromedriver stops.
pub(crate) struct Session {
    port: u16,
    id: Option<String>,
}

impl Drop for Session {
    fn drop(&mut self) {
        use std::io::{Read, Write};
        let Some(id) = &self.id else { return };
        let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", self.port)) else { return };
        let request = format!(
            "DELETE /session/{id} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        );
        // Already closed by the test: chromedriver answers 404, nothing to do.
        // Its answer is read only up to the first bytes (it comes once the
        // browser has quit): chromedriver keeps the connection open after it.
        let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
        if stream.write_all(request.as_bytes()).is_ok() {
            let _ = stream.read(&mut [0; 512]);
        }
    }
}

/// Opens a headless Chromium session on the run's chromedriver, or explains why not.
pub(crate) async fn start_browser() -> Option<(Session, Client, tempfile::TempDir)> {
    let setting = std::env::var("EXAMHALL_BROWSER_TESTS");
    // CI's PostgreSQL pass: the pages are the same on either backend.
    if setting.as_deref() == Ok("skip") {
        return None;
    }
    let required = setting.as_deref() == Ok("required");
    let driver = find_driver();
    if driver.is_none() || !std::path::Path::new(CHROMIUM).exists() {
        let notice = "浏览器测试已跳过：未找到 chromium / chromedriver。安装方法：sudo apt-get install chromium chromium-driver";
        assert!(!required, "{notice}（EXAMHALL_BROWSER_TESTS=required）");
        eprintln!("{notice}");
        return None;
    }
    let port = driver_port(driver.unwrap());
    let profile = tempfile::tempdir().unwrap();
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    });
    let caps = caps.as_object().unwrap().clone();
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("WebDriver session");
    let session = Session { port, id: client.session_id().await.ok().flatten() };
    Some((session, client, profile))
}

pub(crate) async fn text_of(c: &Client, css: &str) -> String {
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .expect(css)
        .text()
        .await
        .unwrap()
}

pub(crate) async fn fill(c: &Client, css: &str, value: &str) {
    let el = c.find(Locator::Css(css)).await.expect(css);
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

/// Clicks something that loads a new page and waits until the old page is gone.
pub(crate) async fn click_to_next_page(c: &Client, css: &str) {
    let old = c.find(Locator::Css("html")).await.unwrap();
    c.find(Locator::Css(css)).await.expect(css).click().await.unwrap();
    for _ in 0..100 {
        if old.text().await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no new page after clicking {css}");
}

/// Follows a menu entry as a user does: a grouped entry after opening its group.
async fn nav_to(c: &Client, href: &str) {
    let link = format!("nav a[href='{href}']");
    if !c.find(Locator::Css(&link)).await.expect(&link).is_displayed().await.unwrap() {
        let group = c
            .execute(
                "const a = document.querySelector(arguments[0]); const g = a && a.closest('.nav-group');
                 if (g) g.querySelector('.nav-group-label').click(); return !!g;",
                vec![serde_json::json!(link)],
            )
            .await
            .unwrap();
        assert_eq!(group, true, "{href} is in a menu group");
    }
    click_to_next_page(c, &link).await;
}

pub(crate) async fn login(c: &Client, base: &str, user: &str, password: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(c, "#username", user).await;
    fill(c, "#password", password).await;
    click_to_next_page(c, "form[action='/login'] button[type=submit]").await;
}

pub(crate) async fn logout(c: &Client) {
    click_to_next_page(c, "form[action='/logout'] button").await;
    assert!(text_of(c, ".flash").await.contains("您已安全退出"));
}

#[tokio::test]
async fn main_flows_in_a_real_browser() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let app = TestApp::spawn_demo().await;
    let base = app.base.clone();

    // A demo clerk logs in, sees the home page, logs out.
    login(&c, &base, "10087", examhall::demo::PASSWORD).await;
    assert!(text_of(&c, "h1").await.starts_with("您好，"));
    assert!(c.source().await.unwrap().contains("青山中心营业厅"));
    logout(&c).await;
    assert_eq!(c.current_url().await.unwrap().path(), "/login");

    // At phone width the menu folds behind a button and still works.
    c.set_window_size(360, 740).await.unwrap();
    login(&c, &base, "admin", examhall::demo::PASSWORD).await;
    let nav = c.find(Locator::Css("nav.nav")).await.unwrap();
    assert!(!nav.is_displayed().await.unwrap());
    c.find(Locator::Css("button.nav-toggle")).await.unwrap().click().await.unwrap();
    assert!(nav.is_displayed().await.unwrap());
    nav_to(&c, "/admin/roster").await;
    assert_eq!(text_of(&c, "h1").await, "导入人员名单");
    let width: i64 =
        c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap().as_i64().unwrap();
    assert!(width <= 360, "no sideways scrolling at phone width ({width}px)");
    c.set_window_size(1280, 900).await.unwrap();

    // The admin imports a roster file: preview, confirm, done.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("新员工.xlsx");
    std::fs::write(
        &file,
        xlsx(&[
            &["工号", "姓名", "区县", "区县类型", "营业厅", "角色", "手机号"],
            &["10401", "孙丽娟", "青山县分公司", "", "青山中心营业厅", "营业员", "13307310401"],
            &["10402", "钱志强", "西江县分公司", "", "西江码头营业厅", "营业员", ""],
        ]),
    )
    .unwrap();
    c.find(Locator::Css("#file")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
    click_to_next_page(&c, "form[enctype] button[type=submit]").await;
    assert_eq!(text_of(&c, "h1").await, "名单导入预览");
    assert!(c.source().await.unwrap().contains("孙丽娟"));
    fill(&c, "#initial_password", "chushi2026").await;
    fill(&c, "#initial_password_confirm", "chushi2026").await;
    click_to_next_page(&c, "form[action$='/confirm'] button[type=submit]").await;
    assert!(text_of(&c, ".flash").await.contains("新建人员 2"));
    logout(&c).await;

    // The new clerk must change the initial password before anything else.
    login(&c, &base, "10401", "chushi2026").await;
    assert_eq!(text_of(&c, "h1").await, "修改密码");
    fill(&c, "#current", "chushi2026").await;
    fill(&c, "#new", "sunlijuan88").await;
    fill(&c, "#confirm", "sunlijuan88").await;
    click_to_next_page(&c, "form[action='/account/password'] button").await;
    assert!(text_of(&c, ".flash").await.contains("密码已修改"));
    assert_eq!(text_of(&c, "h1").await, "您好，孙丽娟");

    logout(&c).await;

    // A trainer uploads a file with a bad question, sees the error, uploads the
    // fixed file, confirms, and finds the question by search.
    login(&c, &base, "90001", examhall::demo::PASSWORD).await;
    nav_to(&c, "/bank").await;
    click_to_next_page(&c, "table a[href^='/bank/']").await;
    let bank_url = c.current_url().await.unwrap().path().to_string();
    let broken = dir.path().join("新题.txt");
    let fixed = dir.path().join("新题-改正.txt");
    let good = "1.【单选】客户办理副卡时，副卡最多可以办理几张？\nA. 1张\nB. 3张\nC. 5张\nD. 不限\n【答案】B\n【知识点】副卡办理\n";
    std::fs::write(&broken, format!("{good}2.【单选】两个答案的单选题\nA. 甲\nB. 乙\n【答案】AB\n")).unwrap();
    std::fs::write(&fixed, good).unwrap();
    for (file, has_error) in [(&broken, true), (&fixed, false)] {
        c.goto(&format!("{base}{bank_url}/import")).await.unwrap();
        c.find(Locator::Css("#file")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
        click_to_next_page(&c, "form[enctype] button[type=submit]").await;
        let table = text_of(&c, "#preview-rows").await;
        assert_eq!(table.contains("单选题有2个正确答案"), has_error, "{table}");
    }
    click_to_next_page(&c, "form[action$='/confirm'] button[type=submit]").await;
    assert!(text_of(&c, ".flash").await.contains("新增 1 题"));
    fill(&c, "input[name=q]", "副卡").await;
    click_to_next_page(&c, "form[role=search] button[type=submit]").await;
    assert!(text_of(&c, "#questions").await.contains("副卡最多可以办理几张"));

    // The trainer uploads a Word file with pictures: each question beside its
    // source lines, leaves one out in the preview, and confirms the rest.
    let word = concat!(env!("CARGO_MANIFEST_DIR"), "/question_bank/samples/31-word-images.docx");
    c.goto(&format!("{base}{bank_url}/import")).await.unwrap();
    c.find(Locator::Css("#file")).await.unwrap().send_keys(word).await.unwrap();
    click_to_next_page(&c, "form[enctype] button[type=submit]").await;
    assert_eq!(c.find_all(Locator::Css(".q-preview")).await.unwrap().len(), 3);
    assert!(text_of(&c, ".q-preview .q-source").await.contains("下图所示的是哪种SIM卡"));
    assert!(text_of(&c, ".q-preview .q-read").await.contains("图片 1 张"));
    c.execute("document.querySelector('#q-11 details').open = true", vec![]).await.unwrap();
    c.find(Locator::Css("#q-11 input[name=leave_11]")).await.unwrap().click().await.unwrap();
    click_to_next_page(&c, "form[action$='/confirm'] button[type=submit]").await;
    assert!(text_of(&c, ".flash").await.contains("新增 2 题"));

    // The trainer composes a short exam (3 单选 + 1 多选 + 1 判断) and publishes it.
    c.goto(&format!("{base}/exams/new")).await.unwrap();
    let local =
        |minutes: i64| examhall::time::local_input(examhall::db::now() + chrono::Duration::minutes(minutes));
    let script = format!(
        "const f = n => document.querySelector(`[name=${{n}}]`);
         f('title').value = '岗前小测'; f('kind').value = 'practice'; f('review').value = 'full';
         f('opens_at').value = '{}'; f('closes_at').value = '{}';
         f('s0_count').value = '3'; f('s1_count').value = '1'; f('s2_count').value = '1';",
        local(-5),
        local(120)
    );
    c.execute(&script, vec![]).await.unwrap();
    click_to_next_page(&c, "form[action='/exams'] button[type=submit]").await;
    assert!(text_of(&c, "h1").await.starts_with("预览试卷"));
    assert_eq!(c.find_all(Locator::Css("section.question")).await.unwrap().len(), 5);
    click_to_next_page(&c, "form[action$='/publish'] button").await;
    assert!(text_of(&c, ".flash").await.contains("考试已发布"));
    let exam_url = c.current_url().await.unwrap().path().to_string();
    logout(&c).await;

    // A clerk sits it: every click is saved, a reload keeps the answers, then submits.
    login(&c, &base, "10087", examhall::demo::PASSWORD).await;
    click_to_next_page(&c, ".exam-card a[href^='/my/exams/']").await;
    c.execute("window.confirm = () => true", vec![]).await.unwrap();
    click_to_next_page(&c, "form[action$='/start'] button").await;
    assert!(text_of(&c, "#countdown").await.starts_with("剩余"));
    let questions = c.find_all(Locator::Css("fieldset.question")).await.unwrap();
    assert_eq!(questions.len(), 5);
    for q in &questions {
        q.find(Locator::Css("input[name^=a]")).await.unwrap().click().await.unwrap();
    }
    for _ in 0..100 {
        let saved: i64 = c
            .execute("return document.querySelectorAll('.save-state[data-state=saved]').length", vec![])
            .await
            .unwrap()
            .as_i64()
            .unwrap();
        if saved == 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(c.find_all(Locator::Css("#navigator a.answered")).await.unwrap().len(), 5);
    c.refresh().await.unwrap();
    let checked: i64 = c
        .execute("return document.querySelectorAll('fieldset.question input:checked').length", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert_eq!(checked, 5, "answers kept after a reload");
    c.set_window_size(360, 740).await.unwrap();
    let width: i64 =
        c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap().as_i64().unwrap();
    assert!(width <= 360, "the exam page fits a phone ({width}px)");
    let head: i64 = c
        .execute(
            "return document.querySelector('header.topbar').offsetHeight + document.querySelector('.exam-head').offsetHeight",
            vec![],
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(head <= 120, "the menu bar and the exam's head take little of a phone's height ({head}px)");
    c.set_window_size(1280, 900).await.unwrap();
    click_to_next_page(&c, "#submit-link").await;
    assert_eq!(text_of(&c, "h1").await, "确认交卷");
    click_to_next_page(&c, "form[action$='/submit'] button[type=submit]").await;
    assert!(text_of(&c, ".flash").await.contains("已交卷"));
    // Practice: the score and the paper with its key right away, and another round.
    let start_page = c.current_url().await.unwrap().path().to_string();
    assert!(text_of(&c, ".stat .stat-label").await.starts_with("得分"), "the score right after 交卷");
    click_to_next_page(&c, &format!("a[href='{start_page}/review']")).await;
    assert!(text_of(&c, "h1").await.starts_with("答卷解析"));
    c.back().await.unwrap();
    c.execute("window.confirm = () => true", vec![]).await.unwrap();
    click_to_next_page(&c, "form[action$='/start'] button").await;
    assert!(text_of(&c, "#countdown").await.starts_with("剩余"), "a second round");
    c.find(Locator::Css("fieldset.question input[name^=a]")).await.unwrap().click().await.unwrap();
    click_to_next_page(&c, "#submit-link").await;
    click_to_next_page(&c, "form[action$='/submit'] button[type=submit]").await;
    assert_eq!(c.find_all(Locator::Css("#rounds tbody tr")).await.unwrap().len(), 2, "both rounds listed");
    // "Back" to the paper after 交卷 shows the result, not a live-looking paper.
    c.back().await.unwrap();
    c.back().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let path = c.current_url().await.unwrap().path().to_string();
    assert!(path == start_page || !path.starts_with("/exam/attempts/"), "{path}");
    let live =
        c.execute("return !!document.querySelector('#exam input:not([disabled])')", vec![]).await.unwrap();
    assert_eq!(live, false, "no live paper after going back");
    c.goto(&format!("{base}{start_page}")).await.unwrap();
    logout(&c).await;

    // The trainer sees the result.
    login(&c, &base, "90001", examhall::demo::PASSWORD).await;
    c.goto(&format!("{base}{exam_url}/results")).await.unwrap();
    let table = text_of(&c, "table").await;
    assert!(table.contains("范俊") && table.contains("已交卷"), "{table}");
    logout(&c).await;

    // The city supervisor opens last month's list and records a direct talk.
    login(&c, &base, "80000", examhall::demo::PASSWORD).await;
    c.goto(&format!("{base}/review")).await.unwrap();
    assert!(text_of(&c, "h1").await.contains("低于全市平均名单"));
    let first_id =
        c.find(Locator::Css("tbody tr[id^='u']")).await.unwrap().attr("id").await.unwrap().unwrap();
    let first = format!("tbody tr#{first_id}");
    let first = first.as_str();
    // A note alone, the step left at 待沟通 (the most common action): saved, step unchanged.
    c.find(Locator::Css(&format!("{first} details summary"))).await.unwrap().click().await.unwrap();
    fill(&c, &format!("{first} textarea[name=note]"), "电话联系未接通，约明早面谈").await;
    click_to_next_page(&c, &format!("{first} form[action='/review/case'] button[type=submit]")).await;
    let row = text_of(&c, first).await;
    assert!(row.contains("电话联系未接通") && row.contains("待沟通") && row.contains("已保存"), "{row}");
    // Refused (豁免 needs a reason): the message beside the form, the form open, the note kept.
    c.find(Locator::Css(&format!("{first} details summary"))).await.unwrap().click().await.unwrap();
    c.find(Locator::Css(&format!("{first} option[value='exempt']"))).await.unwrap().click().await.unwrap();
    fill(&c, &format!("{first} textarea[name=note]"), "本人申请豁免，证明明天补交").await;
    click_to_next_page(&c, &format!("{first} form[action='/review/case'] button[type=submit]")).await;
    let error =
        c.find(Locator::Css(&format!("{first} p[role=alert]"))).await.expect("the error beside the form");
    assert!(error.is_displayed().await.unwrap(), "the error is on screen, not folded away");
    assert!(error.text().await.unwrap().contains("请填写原因"));
    let typed = c.find(Locator::Css(&format!("{first} textarea[name=note]"))).await.unwrap();
    assert_eq!(typed.prop("value").await.unwrap().as_deref(), Some("本人申请豁免，证明明天补交"));
    c.find(Locator::Css(&format!("{first} option[value='talked']"))).await.unwrap().click().await.unwrap();
    fill(&c, &format!("{first} textarea[name=note]"), "已当面沟通，本人认可，下月到市公司现场复考").await;
    click_to_next_page(&c, &format!("{first} form[action='/review/case'] button[type=submit]")).await;
    assert!(text_of(&c, ".flash").await.contains("已沟通"));
    let row = text_of(&c, first).await;
    assert!(row.contains("已当面沟通，本人认可") && row.contains("已沟通"), "{row}");
    // The export link downloads a real workbook with the session of the page.
    let export = c.find(Locator::Css("a[href^='/review/export.xlsx']")).await.unwrap();
    let href = export.attr("href").await.unwrap().expect("export link");
    let got = c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            fetch(arguments[0]).then(async (r) => {
              const b = new Uint8Array(await r.arrayBuffer());
              done([r.status, r.headers.get("content-type"), String.fromCharCode(b[0], b[1]), b.length]);
            });"#,
            vec![serde_json::json!(href)],
        )
        .await
        .unwrap();
    assert_eq!(got[0], 200, "{got}");
    assert!(got[1].as_str().unwrap_or_default().contains("spreadsheetml"), "{got}");
    assert_eq!(got[2], "PK", "an xlsx is a zip: {got}");
    assert!(got[3].as_u64().unwrap_or(0) > 2_000, "{got}");

    c.close().await.unwrap();
}

/// A clerk reads a mandatory article: the confirm button stays disabled until
/// the page has been visible long enough and scrolled to the end, then the
/// confirm is accepted and the item leaves the clerk's unread list.
#[tokio::test]
async fn mandatory_reading_in_a_real_browser() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let app = TestApp::spawn_demo().await;
    // A short minimum reading time keeps the test quick; the rule is the same.
    {
        use diesel::prelude::*;
        use examhall::schema::settings;
        for (key, value) in [("kb.chars_per_minute", "100000"), ("kb.min_seconds", "4")] {
            diesel::insert_into(settings::table)
                .values((
                    settings::key.eq(key),
                    settings::value.eq(value),
                    settings::updated_at.eq(examhall::db::now()),
                ))
                .execute(&mut app.conn())
                .unwrap();
        }
    }
    let base = app.base.clone();
    login(&c, &base, "10087", examhall::demo::PASSWORD).await;
    // An unread item still ahead of its due date, from the home page.
    let link = c
        .find(Locator::XPath("//ul[@class='items']/li[contains(@class,'unread')][contains(.,'还剩')]/a"))
        .await
        .expect("an unread mandatory item due later");
    let title = link.text().await.unwrap();
    let item = c
        .find(Locator::XPath("//ul[@class='items']/li[contains(@class,'unread')][contains(.,'还剩')]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let due = regex::Regex::new(r"(\d{4}-\d{2})-\d{2} 截止").unwrap().captures(&item).expect("a due date")[1]
        .to_string();
    let clerk = app.user_by_login("10087").unwrap().id;
    // The month's reading ledger lists it for this clerk (not yet due, so not yet charged).
    let listed = |app: &TestApp| {
        let today = examhall::time::local_date(examhall::db::now());
        let ledger = examhall::kb::ledger::close::month_ledger(
            &mut app.conn(),
            examhall::domain::Month::parse(&due).unwrap(),
            today,
        )
        .unwrap()
        .ledger;
        ledger
            .people
            .iter()
            .filter(|p| p.user_id == clerk)
            .flat_map(|p| p.lines.iter())
            .any(|l| l.title == title)
    };
    assert!(listed(&app), "{title} is on {due}'s ledger for the clerk before reading");
    link.click().await.unwrap();
    c.wait().for_element(Locator::Id("confirm-button")).await.unwrap();
    let button = c.find(Locator::Id("confirm-button")).await.unwrap();
    assert!(!button.is_enabled().await.unwrap(), "disabled before reading");
    c.execute("document.getElementById('article-end').scrollIntoView()", vec![]).await.unwrap();
    // Heartbeats every 10 s: enabled within a couple of beats.
    let mut enabled = false;
    for _ in 0..30 {
        if button.is_enabled().await.unwrap() {
            enabled = true;
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert!(enabled, "enabled after the minimum time and the end: {}", text_of(&c, "#reading-status").await);
    click_to_next_page(&c, "#confirm-button").await;
    assert!(text_of(&c, ".flash").await.contains("已确认阅读"));
    c.goto(&format!("{base}/kb/my")).await.unwrap();
    let list = text_of(&c, "ul.items").await;
    let line = list.lines().find(|l| l.contains(&title)).unwrap_or_default().to_string();
    assert!(line.contains("已读"), "{list}");
    assert!(!listed(&app), "read on time: the ledger no longer counts it");
    c.close().await.unwrap();
}

/// A tester records a phone-test call through the form; the clerk who
/// answered then sees it, with the tester's notes, on 我的拨测.
#[tokio::test]
async fn a_recorded_phone_call_reaches_the_clerk_in_a_real_browser() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    use examhall::auth::Role;
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("trainer", "培训师甲", None, &[(Role::Trainer, city.city)]);
    let clerk = app.add_user("10001", "营业员甲", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let base = app.base.clone();
    login(&c, &base, "trainer", crate::helpers::PASSWORD).await;
    c.goto(&format!("{base}/phone/calls/new")).await.unwrap();
    let pick = |css: String| {
        let c = c.clone();
        async move { c.find(Locator::Css(&css)).await.expect("option").click().await.unwrap() }
    };
    pick(format!("select[name=hall_id] option[value='{}']", city.county_hall)).await;
    pick(format!("select[name=clerk] option[value='{clerk}']")).await;
    for (code, score) in [("answer", "10"), ("phrases", "18"), ("accuracy", "35.5"), ("attitude", "20")] {
        fill(&c, &format!("#score_{code}"), score).await;
    }
    c.find(Locator::Css("#na_resolution")).await.unwrap().click().await.unwrap();
    fill(&c, "input[name=duration]", "150").await;
    fill(&c, "textarea[name=notes]", "开场白未报工号，其余规范").await;
    click_to_next_page(&c, "#save-call").await;
    assert!(text_of(&c, ".flash").await.contains("拨测结果已保存"), "saved");
    logout(&c).await;

    login(&c, &base, "10001", crate::helpers::PASSWORD).await;
    c.goto(&format!("{base}/phone/my")).await.unwrap();
    let card = text_of(&c, "section.phone-call").await;
    // (10 + 18 + 35.5 + 20) / 90 × 100 = 92.777… → 92.78
    assert!(card.contains("92.78"), "{card}");
    assert!(card.contains("开场白未报工号，其余规范"), "{card}");
    assert!(card.contains("不适用"), "{card}");
    c.close().await.unwrap();
}

/// The month's picture in a real browser: the city supervisor opens the
/// dashboard and follows the study card to the same halls under target; a
/// team leader records a study session for the whole hall (全选); a clerk
/// opens their scorecard from home, where the trend chart is drawn.
#[tokio::test]
async fn the_dashboard_a_study_session_and_a_scorecard_in_a_real_browser() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let app = TestApp::spawn_demo().await;
    let (base, pw) = (app.base.clone(), examhall::demo::PASSWORD);

    login(&c, &base, "80000", pw).await;
    nav_to(&c, "/dashboard").await;
    let numbers = text_of(&c, "#numbers").await;
    assert!(numbers.contains("参考率") && numbers.contains("全市平均分"), "{numbers}");
    c.find(Locator::Css("figure .chart svg")).await.expect("the county chart, drawn by the server");
    // "3 / 20": the demo's three short halls of twenty.
    let short = text_of(&c, "#n-study .stat-value").await;
    let (short, halls) = short.split_once(" / ").expect("short / halls");
    assert_eq!(halls, "20");
    assert!(short != "0", "the demo has halls under the study target");
    click_to_next_page(&c, "#n-study").await;
    assert_eq!(text_of(&c, "#short-count").await, short, "the study summary agrees with the dashboard");
    logout(&c).await;

    login(&c, &base, "10002", pw).await;
    c.goto(&format!("{base}/training/study/new")).await.unwrap();
    fill(&c, "input[name=minutes]", "45").await;
    c.find(Locator::Css("select[name=kind] option[value=topic]")).await.unwrap().click().await.unwrap();
    fill(&c, "#topic", "携号转网新规浏览器测试").await;
    let staff = c.find_all(Locator::Css("input[name=attendee]")).await.unwrap().len();
    assert!(staff > 10, "the hall's roster is offered: {staff}");
    c.find(Locator::Css("input[data-check-all=attendee]")).await.unwrap().click().await.unwrap();
    click_to_next_page(&c, "#save-study").await;
    assert!(text_of(&c, ".flash").await.contains("携号转网新规浏览器测试"));
    let attended: i64 = {
        use diesel::prelude::*;
        use examhall::schema::{study_attendees, study_sessions};
        let id: i32 = study_sessions::table
            .filter(study_sessions::topic.eq("携号转网新规浏览器测试"))
            .select(study_sessions::id)
            .first(&mut app.conn())
            .unwrap();
        study_attendees::table
            .filter(study_attendees::session_id.eq(id))
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    assert_eq!(attended as usize, staff, "全选 ticked everyone");
    logout(&c).await;

    login(&c, &base, "10003", pw).await;
    c.find(Locator::Css("#my-trend svg")).await.expect("the clerk's 12-month chart");
    click_to_next_page(&c, "#my-scorecard a[href='/my/scorecard']").await;
    let card = text_of(&c, "#scorecard-card").await;
    assert!(card.contains("月考") && card.contains("学习"), "{card}");
    // Last month's exam score is in the trend table.
    let last = (chrono::NaiveDate::parse_from_str(
        &format!("{}-01", examhall::time::local_month(examhall::db::now())),
        "%Y-%m-%d",
    )
    .unwrap()
        - chrono::Months::new(1))
    .format("%Y-%m")
    .to_string();
    let trend = text_of(&c, "#scorecard-trend").await;
    let row = trend.lines().find(|l| l.starts_with(&last)).unwrap_or_else(|| panic!("{last} in {trend}"));
    let score = row.split_whitespace().nth(1).unwrap_or_default();
    assert!(score.parse::<f64>().is_ok_and(|s| (0.0..=100.0).contains(&s)), "an exam score: {row}");
    c.close().await.unwrap();
}

/// DESIGN §4 rule 10 in the browser: a clerk who submitted sees, after the
/// close, only when the review will show while a colleague can still answer;
/// once every attempt is over the link appears and the paper shows the key.
#[tokio::test]
async fn a_clerk_reads_the_review_only_once_every_attempt_is_over() {
    use crate::exam::{answer_all, clerk, close_exam, set_deadline, setup, start};
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let s = setup(false, &[]).await;
    let early = clerk(&s.app, "10087").await;
    let attempt = start(&early, s.exam, None).await.unwrap();
    answer_all(&early, attempt).await;
    early.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    // A colleague is still writing after the close (given extra time).
    let late = clerk(&s.app, "10003").await;
    let running = start(&late, s.exam, None).await.unwrap();
    close_exam(&s.app, s.exam);
    set_deadline(&s.app, running, 300);

    let (base, page) = (s.app.base.clone(), format!("/my/exams/{}", s.exam));
    login(&c, &base, "10087", crate::helpers::PASSWORD).await;
    c.goto(&format!("{base}{page}")).await.unwrap();
    let html = c.source().await.unwrap();
    assert!(html.contains("所有考生交卷后公布"), "{html}");
    assert!(c.find(Locator::Css(&format!("a[href='{page}/review']"))).await.is_err(), "no review link yet");
    c.goto(&format!("{base}{page}/review")).await.unwrap();
    assert!(!c.source().await.unwrap().contains("KEYMARK"), "typing the address gives nothing away");

    late.post(&format!("/exam/attempts/{running}/submit"), &[]).await;
    c.goto(&format!("{base}{page}")).await.unwrap();
    click_to_next_page(&c, &format!("a[href='{page}/review']")).await;
    assert!(text_of(&c, "h1").await.starts_with("答卷解析"));
    let html = c.source().await.unwrap();
    assert!(html.contains("KEYMARK") && html.contains("正确答案"), "{html}");
    crate::a11y::assert_accessible(&c, "the review of an attempt").await;
}

/// Polls `script` (a JS expression) until it is true, or fails with `what`.
async fn wait_until(c: &Client, script: &str, what: &str) {
    for _ in 0..200 {
        if c.execute(&format!("return !!({script})"), vec![]).await.unwrap().as_bool() == Some(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: `{script}` never became true");
}

#[tokio::test]
async fn a_lost_session_or_network_mid_exam_loses_no_answer_and_says_so_beside_the_timer() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let s = crate::exam::setup(false, &[]).await;
    let base = s.app.base.clone();
    login(&c, &base, "10087", crate::helpers::PASSWORD).await;
    c.goto(&format!("{base}/my/exams/{}", s.exam)).await.unwrap();
    c.execute("window.confirm = () => true", vec![]).await.unwrap();
    click_to_next_page(&c, "form[action$='/start'] button").await;
    let exam_page = c.current_url().await.unwrap().path().to_string();
    assert!(exam_page.starts_with("/exam/attempts/"), "{exam_page}");
    wait_until(&c, "document.querySelector('#save-summary').textContent.includes('已全部保存')", "summary")
        .await;
    let radios = "fieldset.question[data-kind=single] input[type=radio]";
    c.find_all(Locator::Css(radios)).await.unwrap()[0].click().await.unwrap();
    wait_until(&c, "document.querySelector('.save-state[data-state=saved]')", "first answer saved").await;

    // The session ends (signed out elsewhere, expired): the next answer is kept
    // in the page and the browser, and the page says so with a way back.
    c.delete_cookie("examhall_session").await.unwrap();
    c.find_all(Locator::Css(radios)).await.unwrap()[2].click().await.unwrap();
    wait_until(&c, "document.querySelector('#relogin')", "the sign-in link").await;
    let banner = text_of(&c, "#save-banner").await;
    assert!(banner.contains("登录已过期，请重新登录"), "{banner}");
    assert!(text_of(&c, "#save-summary").await.contains("登录已过期 · 1 题未保存"));
    let kept = c.execute("return localStorage.length", vec![]).await.unwrap();
    assert_eq!(kept.as_i64(), Some(1), "the unsaved answer is in localStorage");

    // At phone width, scrolled to the end, the state is still on screen beside the timer.
    c.set_window_size(390, 844).await.unwrap();
    c.execute("window.scrollTo(0, document.body.scrollHeight)", vec![]).await.unwrap();
    let seen = c
        .execute(
            "const r = document.querySelector('#save-summary').getBoundingClientRect();
             return [r.top >= 0 && r.bottom <= window.innerHeight, document.querySelector('.exam-head').offsetHeight];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(seen[0], true, "the save state is visible when scrolled: {seen}");
    c.set_window_size(1280, 900).await.unwrap();

    // Signing in again comes back to the exam, which sends the kept answer.
    click_to_next_page(&c, "#relogin").await;
    fill(&c, "#username", "10087").await;
    fill(&c, "#password", crate::helpers::PASSWORD).await;
    click_to_next_page(&c, "form[action='/login'] button[type=submit]").await;
    assert_eq!(c.current_url().await.unwrap().path(), exam_page);
    wait_until(&c, "localStorage.length === 0", "the kept answer acknowledged").await;
    c.refresh().await.unwrap();
    let third = c.find_all(Locator::Css(radios)).await.unwrap()[2].prop("checked").await.unwrap();
    assert_eq!(third.as_deref(), Some("true"), "the server has the answer given while signed out");

    // Offline: 交卷 waits and says why; when the network is back it saves and goes on.
    c.execute(
        "window._fetch = window.fetch; window.fetch = () => Promise.reject(new TypeError('offline'));",
        vec![],
    )
    .await
    .unwrap();
    let tf = "fieldset.question[data-kind=true_false] input[type=radio]";
    c.find_all(Locator::Css(tf)).await.unwrap()[0].click().await.unwrap();
    c.find(Locator::Css("#submit-link")).await.unwrap().click().await.unwrap();
    wait_until(&c, "document.querySelector('#save-banner').textContent.includes('网络异常')", "offline")
        .await;
    let banner = text_of(&c, "#save-banner").await;
    assert!(banner.contains("还有 1 题答案未保存") && banner.contains("自动保存并交卷"), "{banner}");
    assert!(text_of(&c, "#save-summary").await.contains("网络异常 · 1 题未保存"));
    c.execute("window.fetch = window._fetch;", vec![]).await.unwrap();
    wait_until(&c, "location.pathname.endsWith('/submit')", "on to the submit page").await;
}

/// Cells of the page's tables whose text stands one character per line (a
/// squeezed column), as "text" strings; and the page's width.
async fn squeezed_cells(c: &Client) -> (Vec<String>, i64) {
    let got = c
        .execute(
            "const bad = [];
             for (const cell of document.querySelectorAll('table td, table th')) {
               const text = cell.innerText.trim();
               if (text.length < 2 || cell.offsetParent === null) continue;
               const range = document.createRange(); range.selectNodeContents(cell);
               const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
               if (tops.size >= Math.min(text.length, 3) && cell.getBoundingClientRect().width < 40) bad.push(text);
             }
             const wide = Array.from(document.querySelectorAll('main *'))
               .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
               .slice(0, 3).map(e => e.tagName + '.' + e.className + ' ' + (e.innerText || '').slice(0, 30));
             return [bad, document.documentElement.scrollWidth, wide];",
            vec![],
        )
        .await
        .unwrap();
    let mut bad: Vec<String> =
        got[0].as_array().unwrap().iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect();
    let width = got[1].as_i64().unwrap();
    if width > 390 {
        bad.push(format!("too wide: {}", got[2]));
    }
    (bad, width)
}

#[tokio::test]
async fn every_role_finds_its_work_at_home_and_every_list_reads_on_a_phone() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let app = TestApp::spawn_demo().await;
    let base = app.base.clone();

    // The admin's menu is one line at 1366 px; grouped entries open on a click.
    c.set_window_size(1366, 768).await.unwrap();
    login(&c, &base, "admin", examhall::demo::PASSWORD).await;
    let header: i64 = c
        .execute("return document.querySelector('header.topbar').offsetHeight", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(header <= 60, "the admin's menu fits one line ({header}px)");
    nav_to(&c, "/admin/audit").await;
    assert!(text_of(&c, "h1").await.contains("操作日志"));

    // Each role's home shows its work, every number a link into its list.
    for (login_name, panel) in [
        ("admin", "#work-admin"),
        ("90001", "#work-trainer"),
        ("80001", "#work-supervisor"),
        ("10002", "#work-hall"),
    ] {
        if login_name != "admin" {
            logout(&c).await;
            login(&c, &base, login_name, examhall::demo::PASSWORD).await;
        }
        c.goto(&format!("{base}/")).await.unwrap();
        let links = c.find_all(Locator::Css(&format!("{panel} a.stat"))).await.unwrap();
        assert!(links.len() >= 3, "{login_name}: {} numbers in {panel}", links.len());
        for link in links {
            let href = link.attr("href").await.unwrap().unwrap();
            let status = c
                .execute_async(
                    "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => done(r.status));",
                    vec![serde_json::json!(href)],
                )
                .await
                .unwrap();
            assert_eq!(status, 200, "{login_name}: {href}");
        }
    }
    logout(&c).await;

    // At phone width every list becomes cards: no column squeezed to one
    // character per line, no sideways scrolling.
    c.set_window_size(390, 844).await.unwrap();
    login(&c, &base, "admin", examhall::demo::PASSWORD).await;
    for path in [
        "/review",
        "/kb/ledger",
        "/kb/compliance",
        "/scorecard",
        "/training/study",
        "/training/drills",
        "/phone/report",
        "/phone/calls",
        "/exams",
        "/bank",
        "/admin/users",
        "/admin/audit",
        "/dashboard",
    ] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        let (bad, width) = squeezed_cells(&c).await;
        assert!(bad.is_empty() && width <= 390, "{path} ({width}px): {bad:?}");
    }
}

/// The focused element's tag, id, class and text (for keyboard tests).
async fn focused(c: &Client) -> String {
    c.execute(
        "const e = document.activeElement; return e.tagName + '#' + e.id + '.' + e.className + ' ' + (e.innerText || e.value || '').trim().slice(0, 20);",
        vec![],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// An attribute of the element `css` finds.
async fn attr_of(c: &Client, css: &str, name: &str) -> Option<String> {
    c.find(Locator::Css(css)).await.expect(css).attr(name).await.unwrap()
}

/// Presses a key that loads a new page, and waits until the old page is gone.
async fn press_to_next_page(c: &Client, key: &str) {
    let old = c.find(Locator::Css("html")).await.unwrap();
    press(c, key).await;
    while old.text().await.is_ok() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Presses a key on the focused element (WebDriver key codes: Tab, Enter, ArrowDown…).
async fn press(c: &Client, key: &str) {
    c.active_element().await.unwrap().send_keys(key).await.unwrap();
}

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const DOWN: &str = "\u{E015}";

/// Tabs until `wanted` (a CSS selector) has the focus; fails after 60 stops.
async fn tab_to(c: &Client, wanted: &str) {
    for _ in 0..60 {
        let here = c
            .execute("return document.activeElement.matches(arguments[0])", vec![serde_json::json!(wanted)])
            .await
            .unwrap();
        if here == true {
            return;
        }
        press(c, TAB).await;
    }
    panic!("{wanted} is never reached by Tab (last: {})", focused(c).await);
}

#[tokio::test]
async fn a_keyboard_alone_signs_in_opens_the_menu_signs_out_and_answers_b() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let s = crate::exam::setup(false, &[]).await;
    let base = s.app.base.clone();
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{base}/login")).await.unwrap();
    // A wrong password: the page title says 错误, the fields are flagged, the focus is back in the form.
    fill(&c, "#username", "10087").await;
    fill(&c, "#password", "wrong-password").await;
    press_to_next_page(&c, ENTER).await;
    assert!(c.title().await.unwrap().starts_with("错误："));
    assert_eq!(attr_of(&c, "#password", "aria-invalid").await.as_deref(), Some("true"));
    assert!(focused(&c).await.starts_with("INPUT#password"), "{}", focused(&c).await);
    press(&c, crate::helpers::PASSWORD).await;
    press(&c, ENTER).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(text_of(&c, "h1").await.starts_with("您好"));

    // The menu at phone width: a real button, reached by Tab, opens with Enter; 退出 is reachable.
    tab_to(&c, "button.nav-toggle").await;
    assert_eq!(attr_of(&c, "button.nav-toggle", "aria-expanded").await.as_deref(), Some("false"));
    press(&c, ENTER).await;
    assert_eq!(attr_of(&c, "button.nav-toggle", "aria-expanded").await.as_deref(), Some("true"));
    tab_to(&c, "form[action='/logout'] button").await;
    press_to_next_page(&c, ENTER).await;
    assert!(text_of(&c, ".flash").await.contains("您已安全退出"));

    // Signed in again, the exam started and its single-choice question answered B, all by keyboard.
    login(&c, &base, "10087", crate::helpers::PASSWORD).await;
    c.goto(&format!("{base}/my/exams/{}", s.exam)).await.unwrap();
    c.execute("window.confirm = () => true", vec![]).await.unwrap();
    tab_to(&c, "form[action$='/start'] button").await;
    press(&c, ENTER).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(text_of(&c, "#countdown").await.starts_with("剩余"));
    tab_to(&c, "fieldset.question[data-kind=single] input[type=radio]").await;
    press(&c, DOWN).await;
    let chosen = "fieldset.question[data-kind=single] input[type=radio]:checked";
    wait_until(&c, &format!("document.querySelector(\"{chosen}\")"), "a choice").await;
    let label = c
        .execute(
            &format!("return document.querySelector(\"{chosen}\").closest('label').innerText.trim()"),
            vec![],
        )
        .await
        .unwrap();
    assert!(label.as_str().unwrap_or_default().starts_with("B."), "{label}");
    wait_until(
        &c,
        "document.querySelector('fieldset.question[data-kind=single] .save-state[data-state=saved]')",
        "saved",
    )
    .await;
}

#[tokio::test]
async fn the_city_below_average_list_prints_on_a_few_landscape_pages() {
    use fantoccini::wd::{PrintConfiguration, PrintOrientation, PrintSize};
    let Some((driver, c, _profile)) = start_browser().await else {
        return;
    };
    let app = TestApp::spawn_demo().await;
    login(&c, &app.base, "80000", examhall::demo::PASSWORD).await;
    c.goto(&format!("{}/review", app.base)).await.unwrap();
    let rows = c.find_all(Locator::Css("table.review-list tbody tr[id^='u']")).await.unwrap().len();
    assert!(rows >= 60, "the demo city's list is long enough to matter ({rows} rows)");
    let config = PrintConfiguration::builder()
        .orientation(PrintOrientation::Landscape)
        .size(PrintSize::A4)
        .build()
        .unwrap();
    let pdf = c.print(config).await.unwrap();
    if let Ok(path) = std::env::var("EXAMHALL_SAVE_PRINT") {
        std::fs::write(path, &pdf).unwrap();
    }
    let pages = regex::bytes::Regex::new(r"/Type\s*/Page[^s]").unwrap().find_iter(&pdf).count();
    // About 30 rows a landscape page: the meeting's list stays a handout, not a booklet.
    assert!((1..=rows.div_ceil(25).max(1)).contains(&pages), "{rows} rows on {pages} pages");
    assert!(pages <= 4, "{rows} rows on {pages} pages");

    // Laid out as printed (print media, the width inside A4 landscape's
    // margins: 277 mm ≈ 1047 px), no visible cell is narrower than two of its characters.
    cdp(&driver, "Emulation.setEmulatedMedia", serde_json::json!({"media": "print"})).await;
    cdp(
        &driver,
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({"width": 1047, "height": 740, "deviceScaleFactor": 1, "mobile": false}),
    )
    .await;
    let narrow = c
        .execute(
            "return [...document.querySelectorAll('table.review-list td, table.review-list th')]
               .filter(cell => cell.offsetParent !== null && cell.innerText.trim().length >= 2)
               .filter(cell => cell.getBoundingClientRect().width < 2 * parseFloat(getComputedStyle(cell).fontSize))
               .slice(0, 5).map(cell => cell.innerText.trim() + ' ' + Math.round(cell.getBoundingClientRect().width) + 'px');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(narrow, serde_json::json!([]), "cells narrower than two characters in print");
    let cells =
        c.execute("return document.querySelectorAll('table.review-list td').length", vec![]).await.unwrap();
    assert!(cells.as_i64().unwrap() > 100, "the table is there in print: {cells}");
}

/// Sends a Chrome DevTools command through chromedriver (print emulation).
async fn cdp(session: &Session, cmd: &str, params: serde_json::Value) {
    let id = session.id.as_deref().expect("a session");
    let url = format!("http://127.0.0.1:{}/session/{id}/goog/cdp/execute", session.port);
    let res = reqwest::Client::new()
        .post(url)
        .json(&serde_json::json!({"cmd": cmd, "params": params}))
        .send()
        .await
        .expect("chromedriver");
    assert!(res.status().is_success(), "{cmd}: {}", res.text().await.unwrap_or_default());
}
