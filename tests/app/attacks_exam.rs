//! The outside review's attacks on exam integrity, performed over HTTP
//! (issue "Integrity under attack", findings 1, 2, 3 and 7). Each failed on
//! the code before the fix: the numbers in the comments are what was seen.

use diesel::prelude::*;
use examhall::db::now;
use examhall::exam::model::Attempt;
use examhall::schema::{exams, sittings};
use reqwest::StatusCode;

use crate::exam::{
    answer_all, attempt_row, clerk, close_exam, open, save, set_deadline, setup, start, Setup,
};
use crate::helpers::{extract, location};

/// Finding 1: a clerk who started late (deadline = close) read the key at
/// close + 1 s and saved right answers in the 30 s grace; a clerk who had
/// submitted read it at close and could pass it on.
#[tokio::test]
async fn the_key_waits_until_no_attempt_can_change() {
    let s = setup(false, &[]).await;
    let early = clerk(&s.app, "10087").await;
    let attempt = start(&early, s.exam, None).await.unwrap();
    answer_all(&early, attempt).await;
    early.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    let late = clerk(&s.app, "10003").await;
    let late_attempt = start(&late, s.exam, None).await.unwrap();
    let (html, device) = open(&late, late_attempt).await;
    let (pos, _) = crate::exam::find(&html, "客户号码存在欠费", None);
    // The window closed a second ago; the late starter's deadline was the close.
    close_exam(&s.app, s.exam);
    set_deadline(&s.app, late_attempt, -1);
    let review = format!("/my/exams/{}/review", s.exam);
    for b in [&early, &late] {
        let res = b.get(&review).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let body = res.text().await.unwrap();
        assert!(!body.contains("KEYMARK") && !body.contains("正确答案"), "key during the grace: {body}");
    }
    let page = early.get_text(&format!("/my/exams/{}", s.exam)).await;
    assert!(page.contains("所有考生交卷后公布"), "the clerk is told when: {page}");
    assert!(!page.contains("查看答卷与解析"));
    // The save in flight is still taken (the grace is for it)...
    assert_eq!(save(&late, late_attempt, &device, &pos, &["false"]).await.0, StatusCode::OK);
    // ...and once the grace is over and the attempt swept, the key shows.
    set_deadline(&s.app, late_attempt, -31);
    Attempt::sweep(&mut s.app.conn(), now()).unwrap();
    let res = early.get(&review).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("KEYMARK"));
}

/// Finding 2: a trainer reopened an attempt of a closed exam; the clerk read
/// the full key in the review, re-answered and submitted (79.00 → 100.00).
#[tokio::test]
async fn reopen_and_extra_time_cannot_follow_a_shown_key() {
    let s = setup(false, &[]).await;
    let (a, b) = (clerk(&s.app, "10087").await, clerk(&s.app, "10003").await);
    let first = start(&a, s.exam, None).await.unwrap();
    let second = start(&b, s.exam, None).await.unwrap();
    for (browser, attempt) in [(&a, first), (&b, second)] {
        browser.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    }
    close_exam(&s.app, s.exam);
    let reopen = format!("/exams/{}/attempts/{second}/reopen", s.exam);
    // Reopen is capped: 600 minutes is refused, 20 accepted (nobody has seen the key yet).
    s.trainer.post(&reopen, &[("minutes", "600"), ("reason", "营业厅停电")]).await;
    assert_eq!(attempt_row(&s.app, second).status, "submitted", "no cap on minutes before");
    s.trainer.post(&reopen, &[("minutes", "20"), ("reason", "营业厅停电")]).await;
    assert_eq!(attempt_row(&s.app, second).status, "in_progress");
    let results = s.trainer.get_text(&format!("/exams/{}/results", s.exam)).await;
    assert!(results.contains("仍有考生可以作答"), "the trainer is told when the key shows: {results}");
    // Nobody reads the key while the reopened attempt runs, not even its clerk.
    let review = format!("/my/exams/{}/review", s.exam);
    for browser in [&a, &b] {
        let body = browser.get(&review).await.text().await.unwrap();
        assert!(!body.contains("KEYMARK"), "key while an attempt is reopened: {body}");
    }
    b.post(&format!("/exam/attempts/{second}/submit"), &[]).await;
    let shown = a.get_text(&review).await;
    assert!(shown.contains("KEYMARK"));
    // Now that one person has seen it, neither reopen nor extra time is given.
    let res = s.trainer.post(&reopen, &[("minutes", "20"), ("reason", "再开一次")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(attempt_row(&s.app, second).status, "submitted");
    let page = s.trainer.get_text(&location(&res)).await;
    assert!(page.contains("已向 1 人公开"), "{page}");
    let extra = format!("/exams/{}/attempts/{first}/extra-time", s.exam);
    let before = attempt_row(&s.app, first).deadline_at;
    s.trainer.post(&extra, &[("minutes", "10"), ("reason", "系统卡顿")]).await;
    assert_eq!(attempt_row(&s.app, first).deadline_at, before);
    let results = s.trainer.get_text(&format!("/exams/{}/results", s.exam)).await;
    assert!(results.contains("已向 1 人公开"), "{results}");
}

/// Six single-choice questions, each explanation marked, for drawing sections.
const SIX: &str = "\
1. 套餐月费包含的国内通用流量超出后如何计费？
A. 按套餐外资费
B. 免费
C. 停机
D. 限速到0
【答案】A
【解析】KEY-1

2. 携号转网授权码的有效期是多久？
A. 1天
B. 30天
C. 10天
D. 永久
【答案】B
【解析】KEY-2

3. 办理副卡需要主卡机主的什么？
A. 口头同意
B. 有效证件和同意
C. 无需同意
D. 银行卡
【答案】B
【解析】KEY-3

4. 宽带报障后装维人员上门时限一般为？
A. 24小时内
B. 一周
C. 一个月
D. 不上门
【答案】A
【解析】KEY-4

5. 客户投诉升级时营业员首先应该？
A. 安抚并记录
B. 挂断
C. 推给别人
D. 争辩
【答案】A
【解析】KEY-5

6. 热线人工服务时间为？
A. 7×24小时
B. 工作日白天
C. 周末休息
D. 仅节假日
【答案】A
【解析】KEY-6
";

/// The SIX bank in the test's city; its id as text.
fn six_bank(s: &Setup) -> String {
    let parsed = examhall::bank::formats::text::parse(SIX);
    let opts = examhall::bank::import::CommitOptions {
        fixes: &[],
        expected_fingerprint: None,
        skip_invalid: false,
        actor: None,
        ip: "test",
    };
    examhall::bank::import::commit(&mut s.app.conn(), "拨测题库", parsed, &opts).unwrap();
    let bank: i32 = examhall::schema::banks::table
        .filter(examhall::schema::banks::name.eq("拨测题库"))
        .select(examhall::schema::banks::id)
        .first(&mut s.app.conn())
        .unwrap();
    bank.to_string()
}

/// A draft exam drawing `count` single-choice questions from `bank`, open now; its id.
async fn sections_exam(s: &Setup, bank: &str, kind: &str, count: &str, exposure: &str) -> i32 {
    let city = s.city.city.to_string();
    let local = |minutes: i64| examhall::time::local_input(now() + chrono::Duration::minutes(minutes));
    let (opens, closes) = (local(-5), local(120));
    let form: Vec<(&str, &str)> = vec![
        ("title", "练习：营业厅单选"),
        ("month", "2026-11"),
        ("kind", kind),
        ("channels", "hall"),
        ("opens_at", &opens),
        ("closes_at", &closes),
        ("time_limit", "30"),
        ("pass_mark", "60"),
        ("review", "full"),
        ("grace_seconds", "30"),
        ("units", &city),
        ("roles", "clerk"),
        ("mode", "sections"),
        ("bank_id", bank),
        ("s0_title", "单选"),
        ("s0_kind", "single"),
        ("s0_count", count),
        ("s0_points", "2"),
        ("s0_dmin", "1"),
        ("s0_dmax", "5"),
        ("s0_exposure", exposure),
    ];
    let res = s.trainer.post("/exams", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    extract(&location(&res), r"/exams/(\d+)/preview").unwrap().parse::<i32>().unwrap()
}

/// Finding 3: past reviews gave away this month's paper (one clerk's own two
/// reviews covered 17 of 35 stems). A candidate is not drawn what they saw;
/// an unrevealed-only section refuses what anyone saw; preview, publish and
/// the bank page give the numbers.
#[tokio::test]
async fn past_reviews_do_not_give_away_the_next_paper() {
    let s = setup(false, &[]).await;
    let bank = six_bank(&s);
    let sections_exam = |kind: &'static str, count: &'static str, exposure: &'static str| {
        sections_exam(&s, &bank, kind, count, exposure)
    };
    // A practice exam of 3 of the 6, reviewed in full by one clerk.
    let practice = sections_exam("practice", "3", "any").await;
    s.trainer.post(&format!("/exams/{practice}/publish"), &[]).await;
    let b = clerk(&s.app, "10087").await;
    let attempt = start(&b, practice, None).await.unwrap();
    b.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    close_exam(&s.app, practice);
    let review = b.get_text(&format!("/my/exams/{practice}/review")).await;
    let seen: Vec<String> =
        regex::Regex::new(r"KEY-(\d)").unwrap().captures_iter(&review).map(|c| c[1].to_string()).collect();
    assert_eq!(seen.len(), 3, "{review}");

    // The next exam draws 3 of the same 6: the clerk gets exactly the 3 they did not see.
    let next = sections_exam("practice", "3", "any").await;
    let preview = s.trainer.get_text(&format!("/exams/{next}/preview")).await;
    assert!(preview.contains("本节 6 题中 3 题已公开过答案"), "{preview}");
    let res = s.trainer.post(&format!("/exams/{next}/publish"), &[]).await;
    let flash = s.trainer.get_text(&location(&res)).await;
    assert!(flash.contains("本节 6 题中 3 题已公开过答案"), "publish warns: {flash}");
    let attempt = start(&b, next, None).await.unwrap();
    let (paper, _) = open(&b, attempt).await;
    for n in &seen {
        let stem = SIX.lines().find(|l| l.starts_with(&format!("{n}. "))).unwrap()[3..].to_string();
        assert!(!paper.contains(&stem), "question {n} drawn again for the clerk who saw its key");
    }

    // Only unrevealed questions: 3 remain, so a section of 4 cannot be published.
    let strict = sections_exam("practice", "4", "unrevealed_only").await;
    let res = s.trainer.post(&format!("/exams/{strict}/publish"), &[]).await;
    let refused = s.trainer.get_text(&location(&res)).await;
    assert!(refused.contains("题库中的题目不足"), "{refused}");
    let status: String = exams::table.find(strict).select(exams::status).first(&mut s.app.conn()).unwrap();
    assert_eq!(status, "draft");

    // The bank page: 6 in use, 3 unrevealed.
    let page = s.trainer.get_text(&format!("/bank/{bank}")).await;
    assert!(page.contains("答案公开情况"));
    assert!(page.contains(r#"<td class="num">6</td><td class="num">3</td>"#), "{page}");
}

/// Finding 7: saves and submit worked from any address once started inside
/// the exam's IP ranges; a sitting's code started an in-person attempt days
/// before the sitting, from anywhere, and could be guessed without limit.
#[tokio::test]
async fn ip_ranges_hold_for_every_save_and_submit() {
    let s = setup(false, &[("allowed_ips", "127.0.0.0/8")]).await;
    let b = clerk(&s.app, "10087").await;
    let attempt = start(&b, s.exam, None).await.unwrap();
    let (html, device) = open(&b, attempt).await;
    let (pos, _) = crate::exam::find(&html, "客户号码存在欠费", None);
    assert_eq!(save(&b, attempt, &device, &pos, &["false"]).await.0, StatusCode::OK);
    // The candidate is now outside the allowed network (here: the range moves away from them).
    diesel::update(exams::table.find(s.exam))
        .set(exams::allowed_ips.eq("10.20.0.0/16"))
        .execute(&mut s.app.conn())
        .unwrap();
    let (status, body) = save(&b, attempt, &device, &pos, &["true"]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("指定网络"), "{body}");
    b.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    let row = attempt_row(&s.app, attempt);
    assert_eq!(row.status, "in_progress", "submit from outside is refused");
    assert_eq!(b.get(&format!("/exam/attempts/{attempt}")).await.status(), StatusCode::CONFLICT);
    let no_js = b
        .post(&format!("/exam/attempts/{attempt}/save"), &[("device", &device), (&format!("a{pos}"), "true")])
        .await;
    assert_eq!(no_js.status(), StatusCode::SEE_OTHER);
    let saved: Option<String> = examhall::schema::attempt_items::table
        .filter(examhall::schema::attempt_items::attempt_id.eq(attempt))
        .filter(examhall::schema::attempt_items::position.eq(pos.parse::<i32>().unwrap()))
        .select(examhall::schema::attempt_items::response)
        .first(&mut s.app.conn())
        .unwrap();
    assert_eq!(saved.as_deref(), Some(r#"{"TrueFalse":false}"#), "the answer given inside stays");
}

#[tokio::test]
async fn a_sitting_code_works_only_from_shortly_before_the_sitting_and_guesses_are_throttled() {
    let s = setup(false, &[]).await;
    let people = format!("/exams/{}/people", s.exam);
    for staff in ["10087", "10003"] {
        s.trainer
            .post(&people, &[("staff_no", staff), ("in_person", "1"), ("reason", "上月低于全市平均")])
            .await;
    }
    // The room is booked for the day after tomorrow.
    let later = examhall::time::local_input(now() + chrono::Duration::days(2));
    let res = s
        .trainer
        .post(&format!("/exams/{}/sittings", s.exam), &[("room", "市公司三楼培训室"), ("starts_at", &later)])
        .await;
    let sitting_page = location(&res);
    let html = s.trainer.get_text(&sitting_page).await;
    let code = extract(&html, r#"aria-label="考场码">([A-Z0-9]{6})<"#).unwrap();
    let b = clerk(&s.app, "10087").await;
    let res = b.post(&format!("/my/exams/{}/start", s.exam), &[("code", &code)]).await;
    assert!(extract(&location(&res), r"^/exam/attempts/(\d+)$").is_none(), "two days early");
    assert!(b.get_text(&location(&res)).await.contains("尚未开始"));
    // Guessing: five wrong codes, then even the right one waits.
    let guesser = clerk(&s.app, "10003").await;
    for guess in ["AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD", "EEEEEE"] {
        assert_eq!(start(&guesser, s.exam, Some(guess)).await, None);
    }
    diesel::update(sittings::table.filter(sittings::exam_id.eq(s.exam)))
        .set(sittings::starts_at.eq(now()))
        .execute(&mut s.app.conn())
        .unwrap();
    let res = guesser.post(&format!("/my/exams/{}/start", s.exam), &[("code", &code)]).await;
    assert!(extract(&location(&res), r"^/exam/attempts/(\d+)$").is_none(), "the sixth try is refused");
    assert!(guesser.get_text(&location(&res)).await.contains("输错次数过多"));
    // At the sitting the code works; closing the room collects the paper.
    let attempt = start(&b, s.exam, Some(&code)).await.expect("code accepted at the sitting");
    let sid = extract(&sitting_page, r"/sittings/(\d+)").unwrap();
    s.trainer.post(&format!("/exams/{}/sittings/{sid}/close", s.exam), &[]).await;
    let row = attempt_row(&s.app, attempt);
    assert_eq!((row.status.as_str(), row.submitted_by.as_deref()), ("submitted", Some("sitting")));
}

/// The review's own exam is over, but its questions are on another exam's
/// running attempt (a practice exam and the monthly exam share the bank):
/// those items show neither mark nor key until that attempt is over.
#[tokio::test]
async fn a_review_withholds_questions_still_on_another_exams_running_attempt() {
    let s = setup(false, &[]).await;
    let bank = six_bank(&s);
    let practice = sections_exam(&s, &bank, "practice", "6", "any").await;
    s.trainer.post(&format!("/exams/{practice}/publish"), &[]).await;
    let a = clerk(&s.app, "10087").await;
    let attempt = start(&a, practice, None).await.unwrap();
    a.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    close_exam(&s.app, practice);
    // A colleague is sitting another exam of the same six questions.
    let monthly = sections_exam(&s, &bank, "practice", "6", "any").await;
    s.trainer.post(&format!("/exams/{monthly}/publish"), &[]).await;
    let b = clerk(&s.app, "10003").await;
    let running = start(&b, monthly, None).await.unwrap();
    let review = format!("/my/exams/{practice}/review");
    let body = a.get_text(&review).await;
    assert!(!body.contains("KEY-") && !body.contains("答对") && !body.contains("正确答案"), "{body}");
    assert_eq!(body.matches("本题正在其他考试中使用").count(), 6);
    b.post(&format!("/exam/attempts/{running}/submit"), &[]).await;
    let body = a.get_text(&review).await;
    assert_eq!(regex::Regex::new(r"KEY-\d").unwrap().find_iter(&body).count(), 6, "{body}");
}

/// After the key was shown, moving the window (or lengthening the grace)
/// would let people answer from it: refused.
#[tokio::test]
async fn the_window_cannot_move_once_the_key_was_shown() {
    let s = setup(false, &[]).await;
    let a = clerk(&s.app, "10087").await;
    let attempt = start(&a, s.exam, None).await.unwrap();
    a.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    close_exam(&s.app, s.exam);
    assert!(a.get_text(&format!("/my/exams/{}/review", s.exam)).await.contains("KEYMARK"));
    let closes_before: chrono::NaiveDateTime =
        exams::table.find(s.exam).select(exams::closes_at).first(&mut s.app.conn()).unwrap();
    let local = |minutes: i64| examhall::time::local_input(now() + chrono::Duration::minutes(minutes));
    let (opens, closes) = (local(-120), local(180));
    let (city, fixed) =
        (s.city.city.to_string(), s.ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("\n"));
    let form: Vec<(&str, &str)> = vec![
        ("title", "2026年11月三大渠道月考（补考延长）"),
        ("month", "2026-11"),
        ("kind", "monthly"),
        ("channels", "hall"),
        ("opens_at", &opens),
        ("closes_at", &closes),
        ("time_limit", "30"),
        ("pass_mark", "60"),
        ("review", "full"),
        ("grace_seconds", "300"),
        ("units", &city),
        ("roles", "clerk"),
        ("mode", "fixed"),
        ("fixed_items", &fixed),
    ];
    let res = s.trainer.post(&format!("/exams/{}", s.exam), &form).await;
    let body = res.text().await.unwrap();
    assert!(body.contains("答案已向考生公开"), "{body}");
    let closes_after: chrono::NaiveDateTime =
        exams::table.find(s.exam).select(exams::closes_at).first(&mut s.app.conn()).unwrap();
    assert_eq!(closes_after, closes_before);
    let late = clerk(&s.app, "10003").await;
    assert_eq!(start(&late, s.exam, None).await, None, "nobody starts under a shown key");
}
