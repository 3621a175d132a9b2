//! Exams end to end: compose → publish → start → save → resume → submit →
//! results, and the rules around them (deadline, one attempt, devices,
//! in-person sittings, IP ranges, the key never shown before close).

use diesel::prelude::*;
use examhall::auth::Role;
use examhall::db::now;
use examhall::exam::model::Attempt;
use examhall::schema::{attempts, audit_log, exams, question_versions, questions};
use reqwest::StatusCode;

use crate::helpers::{extract, location, Browser, City, TestApp};

/// Every explanation carries a marker, so a test can look for the key in raw bytes.
pub(crate) const BANK: &str = "\
1.【单选】携号转网前，客户应先通过什么方式获取授权码？
A. 到营业厅现场申请
B. 发送短信查询授权码
C. 拨打110
D. 无需授权码
【答案】B
【解析】KEYMARK-授权码靠短信查询

2. 客户号码存在欠费时可以办理携号转网。
【答案】错误
【解析】KEYMARK-欠费不能转网

3. 实名登记可使用的证件有哪些？（多选）
A. 居民身份证
B. 临时居民身份证
C. 户口簿
D. 会员卡
【答案】ABC
【分值】2
【解析】KEYMARK-会员卡不是证件

4.【简答】请简述客户办理补换卡时需要核验的内容。
【参考答案】KEYMARK-参考答案核验本人证件
";

pub(crate) struct Setup {
    pub app: TestApp,
    pub city: City,
    pub trainer: Browser,
    pub exam: i32,
    pub ids: Vec<i32>,
}

pub(crate) fn question_id(app: &TestApp, stem_start: &str) -> i32 {
    questions::table
        .inner_join(question_versions::table.on(question_versions::question_id.eq(questions::id)))
        .filter(question_versions::stem.like(format!("{stem_start}%")))
        .select(questions::id)
        .first(&mut app.conn())
        .unwrap()
}

/// A city, a trainer, two clerks (county 10087, city 10003) and an exam of
/// the four questions, open now; `essay` adds the 简答 question.
pub(crate) async fn setup(essay: bool, extra: &[(&str, &str)]) -> Setup {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("90001", "周培训", None, &[(Role::Trainer, city.city)]);
    app.add_user("10087", "范俊", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    app.add_user("10003", "李敏", Some(city.city_hall), &[(Role::Clerk, city.city_hall)]);
    let parsed = examhall::bank::formats::text::parse(BANK);
    let opts = examhall::bank::import::CommitOptions {
        fixes: &[],
        expected_fingerprint: None,
        skip_invalid: false,
        actor: None,
        ip: "test",
    };
    examhall::bank::import::commit(&mut app.conn(), "月考题库", parsed, &opts).unwrap();
    let mut ids = vec![
        question_id(&app, "携号转网前"),
        question_id(&app, "客户号码存在欠费"),
        question_id(&app, "实名登记"),
    ];
    if essay {
        ids.push(question_id(&app, "请简述"));
    }
    let trainer = app.browser();
    trainer.login_ok("90001").await;
    let fixed = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("\n");
    let local = |minutes: i64| examhall::time::local_input(now() + chrono::Duration::minutes(minutes));
    let (opens, closes) = (local(-5), local(120));
    let city_id = city.city.to_string();
    let mut form = exam_fields(&city_id, &fixed, &opens, &closes);
    form.extend_from_slice(extra);
    let res = trainer.post("/exams", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let exam = extract(&location(&res), r"/exams/(\d+)/preview").unwrap().parse().unwrap();
    let res = trainer.post(&format!("/exams/{exam}/publish"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    Setup { app, city, trainer, exam, ids }
}

/// November's monthly exam of fixed questions for `units`, open from `opens` to `closes`.
pub(crate) fn exam_fields<'a>(
    units: &'a str,
    fixed: &'a str,
    opens: &'a str,
    closes: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", "2026年11月三大渠道月考"),
        ("month", "2026-11"),
        ("kind", "monthly"),
        ("channels", "hall"),
        ("opens_at", opens),
        ("closes_at", closes),
        ("time_limit", "30"),
        ("pass_mark", "60"),
        ("review", "full"),
        ("grace_seconds", "30"),
        ("units", units),
        ("roles", "clerk"),
        ("mode", "fixed"),
        ("fixed_items", fixed),
    ]
}

pub(crate) async fn clerk(app: &TestApp, login: &str) -> Browser {
    let b = app.browser();
    b.login_ok(login).await;
    b
}

/// Starts the exam; the attempt id.
pub(crate) async fn start(b: &Browser, exam: i32, code: Option<&str>) -> Option<i32> {
    let fields: Vec<(&str, &str)> = code.map(|c| vec![("code", c)]).unwrap_or_default();
    let res = b.post(&format!("/my/exams/{exam}/start"), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    extract(&location(&res), r"^/exam/attempts/(\d+)$").map(|a| a.parse().unwrap())
}

/// The exam page; (html, device token).
pub(crate) async fn open(b: &Browser, attempt: i32) -> (String, String) {
    let html = b.get_text(&format!("/exam/attempts/{attempt}")).await;
    let device = extract(&html, r#"name="device" value="([0-9a-f]+)""#).expect("device token");
    (html, device)
}

/// The position of the question whose stem starts with `stem`, and the shown
/// value of the option with text `option`.
pub(crate) fn find(html: &str, stem: &str, option: Option<&str>) -> (String, Option<String>) {
    let pos = extract(
        html,
        &format!(r#"data-pos="(\d+)" data-kind="[a-z_]+">\s*<legend>.*?</legend>\s*<p class="stem">{stem}"#),
    )
    .unwrap_or_else(|| panic!("question {stem}"));
    let value = option.map(|o| {
        extract(html, &format!(r#"name="a{pos}" value="(\d+)"[^>]*> <span class="mono">.\.</span> {o}<"#))
            .unwrap_or_else(|| panic!("option {o}"))
    });
    (pos, value)
}

pub(crate) async fn save(
    b: &Browser,
    attempt: i32,
    device: &str,
    pos: &str,
    values: &[&str],
) -> (StatusCode, String) {
    let token = b.csrf().await;
    let mut form: Vec<(&str, &str)> = vec![("device", device), ("pos", pos), ("flag", "0")];
    form.extend(values.iter().map(|v| ("a", *v)));
    let res = b
        .client
        .post(b.url(&format!("/exam/attempts/{attempt}/answer")))
        .header("X-CSRF-Token", token)
        .form(&form)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

pub(crate) fn attempt_row(app: &TestApp, id: i32) -> Attempt {
    Attempt::find(&mut app.conn(), id).unwrap()
}

pub(crate) fn set_deadline(app: &TestApp, id: i32, seconds_from_now: i64) {
    diesel::update(attempts::table.find(id))
        .set(attempts::deadline_at.eq(now() + chrono::Duration::seconds(seconds_from_now)))
        .execute(&mut app.conn())
        .unwrap();
}

pub(crate) fn close_exam(app: &TestApp, exam: i32) {
    diesel::update(exams::table.find(exam))
        .set(exams::closes_at.eq(now() - chrono::Duration::seconds(1)))
        .execute(&mut app.conn())
        .unwrap();
}

/// Answers the three objective questions: single right, true/false right,
/// multiple two of three right.
pub(crate) async fn answer_all(b: &Browser, attempt: i32) -> String {
    let (html, device) = open(b, attempt).await;
    let (single, right) = find(&html, "携号转网前", Some("发送短信查询授权码"));
    let (tf, _) = find(&html, "客户号码存在欠费", None);
    let (multi, _) = find(&html, "实名登记", None);
    let a = find(&html, "实名登记", Some("居民身份证")).1.unwrap();
    let c = find(&html, "实名登记", Some("户口簿")).1.unwrap();
    for (pos, values) in
        [(&single, vec![right.unwrap()]), (&tf, vec!["false".to_string()]), (&multi, vec![a, c])]
    {
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        let (status, body) = save(b, attempt, &device, pos, &values).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains(r#""ok":true"#), "{body}");
    }
    device
}

#[tokio::test]
async fn a_clerk_starts_saves_resumes_submits_and_sees_the_score_after_close() {
    let s = setup(false, &[]).await;
    let b = clerk(&s.app, "10087").await;
    let home = b.get_text("/").await;
    assert!(home.contains("2026年11月三大渠道月考") && home.contains("未参加"), "{home}");
    let rules = b.get_text(&format!("/my/exams/{}", s.exam)).await;
    assert!(rules.contains("30 分钟") && rules.contains("3 题") && rules.contains("每人限考一次"));
    let attempt = start(&b, s.exam, None).await.expect("started");
    answer_all(&b, attempt).await;
    // A new tab (resume) shows the saved answers checked and the server's time left.
    let (html, _) = open(&b, attempt).await;
    assert_eq!(html.matches(" checked>").count(), 4, "answers kept");
    let remaining: i64 = extract(&html, r#"data-remaining="(\d+)""#).unwrap().parse().unwrap();
    assert!((29 * 60..=30 * 60).contains(&remaining), "{remaining}");
    // Submit: the confirmation lists nothing unanswered.
    let confirm = b.get_text(&format!("/exam/attempts/{attempt}/submit")).await;
    assert!(confirm.contains("已答 3 题") && !confirm.contains("尚未作答"));
    let res = b.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    assert_eq!(location(&res), format!("/my/exams/{}", s.exam));
    let row = attempt_row(&s.app, attempt);
    // (1 + 1 + 2 × 2/3 → 1.33) / 4 points = 83.25
    assert_eq!((row.status.as_str(), row.earned, row.score), ("submitted", Some(333), Some(8325)));
    // Before the window closes: "submitted", no score.
    let page = b.get_text(&format!("/my/exams/{}", s.exam)).await;
    assert!(page.contains("已交卷") && !page.contains("83.25"));
    assert_eq!(b.get(&format!("/my/exams/{}/review", s.exam)).await.status(), StatusCode::FORBIDDEN);
    close_exam(&s.app, s.exam);
    let page = b.get_text(&format!("/my/exams/{}", s.exam)).await;
    assert!(page.contains("83.25") && page.contains("厅内排名"), "{page}");
    let review = b.get_text(&format!("/my/exams/{}/review", s.exam)).await;
    assert!(review.contains("KEYMARK-授权码靠短信查询") && review.contains("正确答案"));
    // The trainer sees the result, the export and the analysis.
    let results = s.trainer.get_text(&format!("/exams/{}/results", s.exam)).await;
    assert!(results.contains("83.25") && results.contains("范俊"));
    assert!(results.contains("缺考名单（1 人）") && results.contains("李敏"), "the other clerk is absent");
    let xlsx = s.trainer.get(&format!("/exams/{}/results.xlsx", s.exam)).await.bytes().await.unwrap();
    assert!(xlsx.starts_with(b"PK"));
    crate::helpers::assert_prints(&xlsx, 0, true, "2026-11 2026年11月三大渠道月考");
    let svg = s.trainer.get_text(&format!("/exams/{}/distribution.svg", s.exam)).await;
    assert!(svg.starts_with("<svg") && svg.contains("80–89：1"), "{svg}");
    let stats = s.trainer.get_text(&format!("/exams/{}/statistics", s.exam)).await;
    assert!(stats.contains(&format!("#{}", s.ids[0])) && stats.contains("100.00%"));
}

#[tokio::test]
async fn the_key_is_in_no_response_before_the_exam_closes() {
    let s = setup(true, &[]).await;
    let b = clerk(&s.app, "10087").await;
    let mut bodies = vec![b.get_text("/").await, b.get_text(&format!("/my/exams/{}", s.exam)).await];
    let attempt = start(&b, s.exam, None).await.unwrap();
    let (html, device) = open(&b, attempt).await;
    bodies.push(html.clone());
    let (pos, _) = find(&html, "携号转网前", None);
    bodies.push(save(&b, attempt, &device, &pos, &["0"]).await.1);
    let (essay, _) = find(&html, "请简述", None);
    bodies.push(save(&b, attempt, &device, &essay, &["核验本人有效证件，并确认号码归属。"]).await.1);
    bodies.push(b.get_text(&format!("/exam/attempts/{attempt}/submit")).await);
    let res = b.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    bodies.push(res.text().await.unwrap());
    bodies.push(b.get_text(&format!("/my/exams/{}", s.exam)).await);
    bodies.push(b.get(&format!("/my/exams/{}/review", s.exam)).await.text().await.unwrap());
    bodies.push(b.get_text("/static/exam.js").await);
    for body in &bodies {
        assert!(!body.contains("KEYMARK"), "key or explanation leaked: {body}");
        assert!(!body.contains("正确答案") && !body.contains("class=\"correct\""));
    }
    // The 简答 waits for marking: no score until a trainer marks it.
    let row = attempt_row(&s.app, attempt);
    assert!(row.marking_pending && row.score.is_none());
    let queue = s.trainer.get_text(&format!("/exams/{}/marking", s.exam)).await;
    let item = extract(&queue, r#"/marking/(\d+)""#).unwrap();
    let res = s.trainer.post(&format!("/exams/{}/marking/{item}", s.exam), &[("score", "6")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(attempt_row(&s.app, attempt).score.is_none(), "6 > 5 points is refused");
    s.trainer.post(&format!("/exams/{}/marking/{item}", s.exam), &[("score", "2.5")]).await;
    let row = attempt_row(&s.app, attempt);
    // Single: shown option A is whatever was first; 简答 2.5 of 5; total possible 9.
    assert!(!row.marking_pending && row.score.is_some());
    assert_eq!(row.possible, 900);
}

#[tokio::test]
async fn saves_stop_at_the_deadline_after_a_short_grace_and_the_sweep_submits() {
    let s = setup(false, &[]).await;
    let b = clerk(&s.app, "10087").await;
    let attempt = start(&b, s.exam, None).await.unwrap();
    let (html, device) = open(&b, attempt).await;
    let (pos, _) = find(&html, "客户号码存在欠费", None);
    // 10 s past the deadline: inside the 30 s grace, a save in flight is kept.
    set_deadline(&s.app, attempt, -10);
    assert_eq!(save(&b, attempt, &device, &pos, &["false"]).await.0, StatusCode::OK);
    // 60 s past: refused with a clear message, and the attempt is closed.
    set_deadline(&s.app, attempt, -60);
    let (status, body) = save(&b, attempt, &device, &pos, &["true"]).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(body.contains("答题时间已到"), "{body}");
    let row = attempt_row(&s.app, attempt);
    assert_eq!((row.status.as_str(), row.submitted_by.as_deref()), ("submitted", Some("deadline")));
    assert_eq!(row.earned, Some(100), "the answer saved in the grace counts, the late one does not");

    // Another clerk never comes back: the sweep submits the attempt.
    let other = clerk(&s.app, "10003").await;
    let abandoned = start(&other, s.exam, None).await.unwrap();
    set_deadline(&s.app, abandoned, -5);
    assert_eq!(Attempt::sweep(&mut s.app.conn(), now()).unwrap(), 0, "still in the grace");
    set_deadline(&s.app, abandoned, -31);
    assert_eq!(Attempt::sweep(&mut s.app.conn(), now()).unwrap(), 1);
    let row = attempt_row(&s.app, abandoned);
    assert_eq!((row.status.as_str(), row.score), ("submitted", Some(0)));
}

#[tokio::test]
async fn one_attempt_unless_reopened_and_time_changes_are_audited() {
    let s = setup(false, &[]).await;
    let b = clerk(&s.app, "10087").await;
    let attempt = start(&b, s.exam, None).await.unwrap();
    b.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    assert_eq!(start(&b, s.exam, None).await, None, "no second attempt");
    assert!(b.get_text(&format!("/my/exams/{}", s.exam)).await.contains("已参加过本场考试"));
    let reopen = format!("/exams/{}/attempts/{attempt}/reopen", s.exam);
    s.trainer.post(&reopen, &[("minutes", "15"), ("reason", "")]).await;
    assert_eq!(attempt_row(&s.app, attempt).status, "submitted", "a reason is required");
    s.trainer.post(&reopen, &[("minutes", "15"), ("reason", "营业厅停电")]).await;
    let row = attempt_row(&s.app, attempt);
    assert_eq!(row.status, "in_progress");
    assert!((row.deadline_at - now()).num_seconds() > 14 * 60);
    // Resumes the same attempt.
    assert_eq!(start(&b, s.exam, None).await, Some(attempt));
    let before = attempt_row(&s.app, attempt).deadline_at;
    s.trainer
        .post(
            &format!("/exams/{}/attempts/{attempt}/extra-time", s.exam),
            &[("minutes", "10"), ("reason", "系统卡顿")],
        )
        .await;
    assert_eq!(attempt_row(&s.app, attempt).deadline_at - before, chrono::Duration::minutes(10));
    let log: Vec<(String, String)> = audit_log::table
        .filter(audit_log::action.eq_any(["attempt_reopened", "attempt_extra_time"]))
        .order(audit_log::id)
        .select((audit_log::action, audit_log::detail))
        .load(&mut s.app.conn())
        .unwrap();
    assert_eq!(log.len(), 2);
    assert!(log[0].1.contains("营业厅停电") && log[0].1.contains("10087"));
    assert!(log[1].1.contains("系统卡顿") && log[1].1.contains("10 分钟"));
}

#[tokio::test]
async fn the_newest_device_holds_the_attempt_and_others_see_nothing() {
    let s = setup(false, &[]).await;
    let phone = clerk(&s.app, "10087").await;
    let attempt = start(&phone, s.exam, None).await.unwrap();
    let (html, old) = open(&phone, attempt).await;
    let (pos, _) = find(&html, "客户号码存在欠费", None);
    let pc = clerk(&s.app, "10087").await;
    let (_, new) = open(&pc, attempt).await;
    let (status, body) = save(&phone, attempt, &old, &pos, &["true"]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("另一设备"), "{body}");
    assert_eq!(save(&pc, attempt, &new, &pos, &["false"]).await.0, StatusCode::OK);
    // Another clerk cannot open, save into or submit this attempt; trainers' pages are closed to clerks.
    let other = clerk(&s.app, "10003").await;
    assert_eq!(other.get(&format!("/exam/attempts/{attempt}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(save(&other, attempt, &new, &pos, &["true"]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        other.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(attempt_row(&s.app, attempt).status, "in_progress");
    assert_eq!(other.get(&format!("/exams/{}/results", s.exam)).await.status(), StatusCode::FORBIDDEN);
    // Without the CSRF token a save is refused.
    let res = other
        .client
        .post(other.url(&format!("/exam/attempts/{attempt}/answer")))
        .form(&[("device", new.as_str()), ("pos", pos.as_str()), ("a", "true")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_page_without_javascript_saves_everything_at_once() {
    let s = setup(false, &[]).await;
    let b = clerk(&s.app, "10087").await;
    let attempt = start(&b, s.exam, None).await.unwrap();
    let (html, device) = open(&b, attempt).await;
    let (tf, _) = find(&html, "客户号码存在欠费", None);
    let (single, right) = find(&html, "携号转网前", Some("发送短信查询授权码"));
    let (a_tf, a_single, f_single) = (format!("a{tf}"), format!("a{single}"), format!("f{single}"));
    let right = right.unwrap();
    let res = b
        .post(
            &format!("/exam/attempts/{attempt}/save"),
            &[("device", &device), (&a_tf, "false"), (&a_single, &right), (&f_single, "1")],
        )
        .await;
    assert_eq!(location(&res), format!("/exam/attempts/{attempt}"));
    let (html, _) = open(&b, attempt).await;
    assert!(html.contains("答案已保存"));
    assert_eq!(html.matches(" checked>").count(), 3, "two answers and a flag");
    assert!(html.contains(&format!(r#"data-pos="{single}" class="answered flagged""#)));
}

#[tokio::test]
async fn in_person_candidates_need_an_open_sitting_code() {
    let s = setup(false, &[]).await;
    let people = format!("/exams/{}/people", s.exam);
    let res = s
        .trainer
        .post(&people, &[("staff_no", "10087"), ("in_person", "1"), ("reason", "上月低于全市平均")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let b = clerk(&s.app, "10087").await;
    assert!(b.get_text(&format!("/my/exams/{}", s.exam)).await.contains("考场码"));
    assert_eq!(start(&b, s.exam, None).await, None);
    assert_eq!(start(&b, s.exam, Some("ZZZZZZ")).await, None);
    let res = s
        .trainer
        .post(&format!("/exams/{}/sittings", s.exam), &[("room", "市公司三楼培训室"), ("starts_at", "")])
        .await;
    let sitting_page = location(&res);
    let html = s.trainer.get_text(&sitting_page).await;
    let code = extract(&html, r#"aria-label="考场码">([A-Z0-9]{6})<"#).unwrap();
    assert!(html.contains("范俊") && html.contains("未参加"));
    let attempt = start(&b, s.exam, Some(&code.to_lowercase())).await.expect("code accepted");
    assert!(attempt_row(&s.app, attempt).sitting_id.is_some());
    assert!(s.trainer.get_text(&sitting_page).await.contains("作答中"));
    // Closed: the code no longer works.
    let sid = extract(&sitting_page, r"/sittings/(\d+)").unwrap();
    s.trainer.post(&format!("/exams/{}/sittings/{sid}/close", s.exam), &[]).await;
    let city = clerk(&s.app, "10003").await;
    s.trainer.post(&people, &[("staff_no", "10003"), ("in_person", "1"), ("reason", "测试")]).await;
    assert_eq!(start(&city, s.exam, Some(&code)).await, None);
    let _ = s.city;
}

#[tokio::test]
async fn allowed_ip_ranges_and_staggered_starts_are_enforced() {
    let s = setup(false, &[("allowed_ips", "10.20.0.0/16")]).await;
    let b = clerk(&s.app, "10087").await;
    assert_eq!(start(&b, s.exam, None).await, None);
    assert!(b.get_text(&format!("/my/exams/{}", s.exam)).await.contains("指定网络"));
    // Loopback allowed; the county starts 60 minutes after the opening.
    let county = format!("offset_{}", s.city.county);
    let s2 = setup(false, &[("allowed_ips", "127.0.0.0/8"), (&county, "60")]).await;
    let county_clerk = clerk(&s2.app, "10087").await;
    assert_eq!(start(&county_clerk, s2.exam, None).await, None);
    assert!(county_clerk.get_text(&format!("/my/exams/{}", s2.exam)).await.contains("错峰开考"));
    let city_clerk = clerk(&s2.app, "10003").await;
    assert!(start(&city_clerk, s2.exam, None).await.is_some());
}

#[tokio::test]
async fn the_compose_form_reports_every_problem_and_preview_warns_of_shortages() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("90001", "周培训", None, &[(Role::Trainer, city.city)]);
    let t = app.browser();
    t.login_ok("90001").await;
    assert!(t.get_text("/exams/new").await.contains("单选题"));
    let res = t
        .post(
            "/exams",
            &[
                ("title", ""),
                ("month", "2026-13"),
                ("opens_at", "2026-11-28T09:00"),
                ("closes_at", "2026-11-28T08:00"),
                ("mode", "fixed"),
                ("fixed_items", "abc"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = crate::helpers::unescape(res.text().await.unwrap());
    for want in
        ["请填写考试名称", "YYYY-MM", "截止时间必须晚于开考时间", "固定题目第 1 行「abc」", "请选择考生范围"]
    {
        assert!(html.contains(want), "{want}");
    }
    assert!(html.contains(r#"value="2026-13""#), "what was typed is kept");
    assert_eq!(exams::table.count().get_result::<i64>(&mut app.conn()).unwrap(), 0);
    // A section asking for more than the bank has: preview and publish both say so.
    let s = setup(false, &[]).await;
    let bank: i32 =
        examhall::schema::banks::table.select(examhall::schema::banks::id).first(&mut s.app.conn()).unwrap();
    let closes = examhall::time::local_input(now() + chrono::Duration::hours(1));
    let res = s
        .trainer
        .post(
            "/exams",
            &[
                ("title", "抽题测试"),
                ("month", "2026-11"),
                ("kind", "practice"),
                ("channels", "hall"),
                ("opens_at", "2026-11-01T09:00"),
                ("closes_at", &closes),
                ("time_limit", "30"),
                ("pass_mark", "60"),
                ("review", "score"),
                ("grace_seconds", "30"),
                ("units", &s.city.city.to_string()),
                ("roles", "clerk"),
                ("mode", "sections"),
                ("bank_id", &bank.to_string()),
                ("s0_kind", "single"),
                ("s0_count", "5"),
                ("s0_points", "2"),
                ("s0_dmin", "1"),
                ("s0_dmax", "5"),
            ],
        )
        .await;
    let preview = s.trainer.get_text(&location(&res)).await;
    assert!(preview.contains("需要 5 题，符合条件的只有 1 题"), "{preview}");
    let id = extract(&location(&res), r"/exams/(\d+)").unwrap();
    s.trainer.post(&format!("/exams/{id}/publish"), &[]).await;
    assert!(s.trainer.get_text(&format!("/exams/{id}")).await.contains("不能发布"));
}

#[tokio::test]
async fn saves_arriving_together_are_each_committed_and_a_refused_one_spoils_none() {
    // The answer writer commits saves that queue together in one transaction:
    // each must still get its own answer, and a refusal among them (another
    // clerk's attempt, a bad value) must not undo its neighbours.
    let s = setup(false, &[]).await;
    let b = clerk(&s.app, "10087").await;
    let other = clerk(&s.app, "10003").await;
    let attempt = start(&b, s.exam, None).await.expect("started");
    let (html, device) = open(&b, attempt).await;
    let (single, right) = find(&html, "携号转网前", Some("发送短信查询授权码"));
    let right = right.unwrap();
    let (tf, _) = find(&html, "客户号码存在欠费", None);
    let (multi, _) = find(&html, "实名登记", None);
    let a = find(&html, "实名登记", Some("居民身份证")).1.unwrap();
    let (right, a) = ([right.as_str()], [a.as_str()]);
    let (mine_single, mine_tf, mine_multi, bad, foreign) = tokio::join!(
        save(&b, attempt, &device, &single, &right),
        save(&b, attempt, &device, &tf, &["false"]),
        save(&b, attempt, &device, &multi, &a),
        save(&b, attempt, &device, &single, &["9"]),
        save(&other, attempt, &device, &tf, &["true"]),
    );
    for (status, body) in [&mine_single, &mine_tf, &mine_multi] {
        assert_eq!(*status, StatusCode::OK, "{body}");
        assert!(body.contains(r#""ok":true"#), "{body}");
    }
    assert_eq!(bad.0, StatusCode::BAD_REQUEST, "{}", bad.1);
    assert_eq!(foreign.0, StatusCode::NOT_FOUND, "another clerk's attempt: {}", foreign.1);
    // Every acknowledged answer is stored; the refused ones changed nothing.
    let (html, _) = open(&b, attempt).await;
    assert_eq!(html.matches(" checked>").count(), 3, "single, true/false and one option of the multiple");
    let submitted = b.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    assert_eq!(submitted.status(), StatusCode::SEE_OTHER);
    let row = attempt_row(&s.app, attempt);
    // single 1 + true/false 1 + multiple 1 of 3 right options (2 × 1/3 → 0.66);
    // the intruder's "true" would have made it 1.66.
    assert_eq!(row.earned, Some(266), "the true/false answer is the clerk's own (false), not the intruder's");
}

/// A question's picture reaches the clerk whose paper holds it (on the exam
/// page and by its address); a clerk without that paper gets 404, not a peek
/// into the bank; the trainer sees it.
#[tokio::test]
async fn a_question_picture_is_shown_to_its_candidate_and_hidden_from_other_clerks() {
    let s = setup(false, &[]).await;
    let pictured = s.ids[0];
    let png = examhall::bank::formats::Image {
        name: "sim.png".into(),
        bytes: b"\x89PNG\r\n\x1a\n\x00\x01".to_vec(),
    };
    examhall::bank::images::insert(&mut s.app.conn(), pictured, &[&png]).unwrap();
    let url = format!("/bank/questions/{pictured}/images/0");
    let candidate = clerk(&s.app, "10087").await;
    let other = clerk(&s.app, "10003").await;
    // Before either has started, neither clerk can read it.
    assert_eq!(candidate.get(&url).await.status(), StatusCode::NOT_FOUND);
    let attempt = start(&candidate, s.exam, None).await.expect("started");
    let (html, _) = open(&candidate, attempt).await;
    assert!(html.contains(&format!(r#"src="{url}""#)), "the exam page shows the picture");
    let res = candidate.get(&url).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.bytes().await.unwrap().as_ref(), png.bytes.as_slice());
    assert_eq!(other.get(&url).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(s.trainer.get(&url).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_month_has_one_monthly_exam_refused_on_saving_and_publishing() {
    let Setup { app, city, trainer, exam, ids } = setup(false, &[]).await;
    let fixed = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("\n");
    let city_id = city.city.to_string();
    let form = |kind: &'static str, month: &'static str| -> Vec<(String, String)> {
        exam_fields(&city_id, &fixed, "2026-11-28T09:00", "2026-11-28T17:00")
            .into_iter()
            .map(|(k, v)| match k {
                "kind" => (k, kind),
                "month" => (k, month),
                _ => (k, v),
            })
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let post = |path: String, f: Vec<(String, String)>| {
        let trainer = &trainer;
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            trainer.post(&path, &pairs).await
        }
    };
    let named = format!("2026-11 已有月考「2026年11月三大渠道月考」（#{exam}）");
    let count = || exams::table.count().get_result::<i64>(&mut app.conn()).unwrap();

    // A second monthly exam of November: refused under the month, naming the first; nothing stored.
    let res = post("/exams".into(), form("monthly", "2026-11")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = crate::helpers::unescape(res.text().await.unwrap());
    let under_month = extract(&html, r#"<p class="bad-text" id="err-month">([^<]*)</p>"#).unwrap_or_default();
    assert!(under_month.contains(&named), "{under_month}");
    assert_eq!(count(), 1);

    // As practice it is fine, and December's monthly exam too; turning either into
    // November's monthly exam by editing is refused the same way.
    let res = post("/exams".into(), form("practice", "2026-11")).await;
    let practice = extract(&location(&res), r"/exams/(\d+)/preview").unwrap();
    let res = post("/exams".into(), form("monthly", "2026-12")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post(format!("/exams/{practice}"), form("monthly", "2026-11")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(crate::helpers::unescape(res.text().await.unwrap()).contains(&named));
    assert_eq!(count(), 3);

    // A second monthly draft left from before (stored directly): publishing it is refused by name.
    let mut old = examhall::exam::model::Exam::find(&mut app.conn(), exam).unwrap();
    old.status = examhall::exam::model::DRAFT;
    let draft = examhall::exam::model::Exam::insert(&mut app.conn(), &old).unwrap();
    trainer.post(&format!("/exams/{draft}/publish"), &[]).await;
    let page = crate::helpers::unescape(trainer.get_text(&format!("/exams/{draft}")).await);
    assert!(page.contains(&format!("2026-11 已发布月考「2026年11月三大渠道月考」（#{exam}）")), "{page}");
    assert_eq!(examhall::exam::model::Exam::find(&mut app.conn(), draft).unwrap().status, "draft");

    // The new-exam form never proposes a month that has its monthly exam.
    let this = examhall::domain::Month::current();
    let mut current = old.clone();
    current.month = this;
    examhall::exam::model::Exam::insert(&mut app.conn(), &current).unwrap();
    let page = trainer.get_text("/exams/new").await;
    let proposed = extract(&page, r#"name="month" value="([^"]*)""#).unwrap();
    let kind = extract(&page, r#"<option value="([a-z]+)" selected"#).unwrap_or_default();
    assert!(proposed != this.to_string() || kind == "practice", "{proposed} {kind}");
}

#[tokio::test]
async fn the_trainers_home_shows_the_marking_queue_and_the_exam_open_now() {
    let Setup { app, trainer, exam, .. } = setup(true, &[]).await;
    let b = clerk(&app, "10087").await;
    let attempt = start(&b, exam, None).await.unwrap();
    answer_all(&b, attempt).await;
    let (html, device) = open(&b, attempt).await;
    let (essay, _) = find(&html, "请简述", None);
    save(&b, attempt, &device, &essay, &["核验本人有效身份证件，人证一致"]).await;
    b.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    let _running = start(&clerk(&app, "10003").await, exam, None).await.unwrap();
    let home = trainer.get_text("/").await;
    let panel = &home[home.find(r#"id="work-trainer""#).expect("the trainer's panel")..];
    let panel = &panel[..panel.find("</section>").unwrap()];
    // One handed-in paper with a 简答 to mark; of the two clerks in the audience
    // both started, one handed in.
    let marking = format!(
        r#"<a class="stat bad" href="/exams/{exam}/marking"><span class="stat-value">1 份</span><span class="stat-label">《2026年11月三大渠道月考》待阅卷</span></a>"#
    );
    assert!(panel.contains(&marking), "{panel}");
    let open = format!(
        r#"<a class="stat" href="/exams/{exam}/results"><span class="stat-value">已交卷 1 · 已开考 2 / 应考 2</span>"#
    );
    assert!(panel.contains(&open), "{panel}");
    // A clerk has no such panel.
    assert!(!b.get_text("/").await.contains("work-trainer"));
}
