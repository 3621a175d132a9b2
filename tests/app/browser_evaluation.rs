//! The evaluation in real Chromium at phone width: a clerk reads last month's
//! evaluation, every point explained, and appeals one item; a clerk fills a
//! 360 questionnaire with the thumb.

use diesel::prelude::*;
use fantoccini::{Client, Locator};

use crate::browser::{click_to_next_page, fill, login, start_browser, text_of};
use crate::helpers::{location, TestApp};
use examhall::schema::{review360_answers, review360_raters, users};

/// Nothing on the page is wider than the phone.
async fn fits(c: &Client) {
    let w = c.execute("return document.documentElement.scrollWidth;", vec![]).await.unwrap();
    assert!(w.as_f64().is_some_and(|w| w <= 392.0), "page is {w} px wide at 390");
}

async fn tap(c: &Client, css: &str) {
    let el = c.find(Locator::Css(css)).await.expect(css);
    let arg = serde_json::to_value(&el).unwrap();
    c.execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg]).await.unwrap();
    el.click().await.unwrap();
}

#[tokio::test]
async fn a_clerk_reads_the_evaluation_and_appeals_an_item_on_a_phone() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let app = TestApp::spawn_demo().await;
    c.set_window_size(390, 844).await.unwrap();
    login(&c, &app.base, "10003", examhall::demo::PASSWORD).await;
    c.goto(&format!("{}/my/evaluation", app.base)).await.unwrap();
    assert!(text_of(&c, "h1").await.starts_with("我的百分制评价"));
    let total = text_of(&c, ".eval-total").await;
    assert!(total.parse::<f64>().is_ok_and(|t| (0.0..=100.0).contains(&t)), "{total}");
    // Every point explained: the figure, how it is computed, the means.
    let solving = text_of(&c, "#part-clerk-solving").await;
    assert!(solving.contains("计算方法") && solving.contains("由厅经理评分"), "{solving}");
    assert!(text_of(&c, "#part-clerk-exam").await.contains("全市平均"));
    // The demo's upheld appeal is listed with its answer.
    assert!(text_of(&c, "#appeals").await.contains("已采纳"));
    fits(&c).await;
    tap(&c, "#part-clerk-solving details summary").await;
    fill(&c, "#reason-clerk-solving", "那笔携号转网是系统故障，已报障，不是我没办结").await;
    click_to_next_page(&c, "#part-clerk-solving form button[type=submit]").await;
    assert!(text_of(&c, ".flash").await.contains("申诉已提交"));
    let appeals = text_of(&c, "#appeals").await;
    assert!(appeals.contains("问题解决能力 · 待处理"), "{appeals}");
    // While it waits, the item takes no second appeal.
    assert!(c.find(Locator::Css("#part-clerk-solving details")).await.is_err());
    fits(&c).await;
}

#[tokio::test]
async fn a_clerk_fills_a_360_questionnaire_on_a_phone() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let app = TestApp::spawn_demo().await;
    // The city office opens a round (the demo's is finished).
    let trainer = app.browser();
    trainer.login("90001", examhall::demo::PASSWORD).await;
    let month = examhall::domain::Month::current().to_string();
    let res =
        trainer.post("/review360", &[("title", "十二月 360 度评价"), ("month", &month), ("items", "")]).await;
    let round = location(&res);
    trainer.post(&format!("{round}/open"), &[]).await;
    c.set_window_size(390, 844).await.unwrap();
    login(&c, &app.base, "10003", examhall::demo::PASSWORD).await;
    c.goto(&format!("{}/review360/mine", app.base)).await.unwrap();
    assert!(text_of(&c, "main").await.contains("1 份问卷待填"));
    click_to_next_page(&c, "#tasks a").await;
    assert!(text_of(&c, ".notice").await.contains("匿名"));
    fits(&c).await;
    // Six items, one thumb each: 4, 4, 5, 3, 4, 5.
    for (i, s) in [4, 4, 5, 3, 4, 5].iter().enumerate() {
        tap(&c, &format!("fieldset:nth-of-type({}) input[value='{s}']", i + 1)).await;
    }
    fill(&c, "#comment", "高峰时会主动上柜台").await;
    c.execute("window.confirm = () => true", vec![]).await.unwrap();
    click_to_next_page(&c, ".r360-form button[type=submit]").await;
    assert!(text_of(&c, ".flash").await.contains("问卷已提交"));
    assert!(text_of(&c, "#tasks").await.contains("已提交"));
    // Stored: one answer with the six scores, and 10003 marked done — with nothing joining the two.
    let round_id: i32 = round.trim_start_matches("/review360/").parse().unwrap();
    let mut conn = app.conn();
    let me: i32 =
        users::table.filter(users::username.eq("10003")).select(users::id).first(&mut conn).unwrap();
    let scores: Vec<String> = review360_answers::table
        .filter(review360_answers::round_id.eq(round_id))
        .select(review360_answers::scores)
        .load(&mut conn)
        .unwrap();
    assert_eq!(scores, vec!["[4,4,5,3,4,5]".to_string()]);
    let done: Vec<bool> = review360_raters::table
        .filter(review360_raters::round_id.eq(round_id))
        .filter(review360_raters::rater_id.eq(me))
        .select(review360_raters::done)
        .load(&mut conn)
        .unwrap();
    assert_eq!(done, vec![true]);
}

#[tokio::test]
async fn a_hall_manager_is_told_a_reason_is_missing_before_anything_typed_is_lost() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let app = TestApp::spawn_demo().await;
    c.set_window_size(390, 844).await.unwrap();
    login(&c, &app.base, "10001", examhall::demo::PASSWORD).await;
    c.goto(&format!("{}/evaluation/rate", app.base)).await.unwrap();
    let field = c.find(Locator::Css("form[data-rating] input[name=p_attitude]")).await.unwrap();
    let id = field.attr("id").await.unwrap().unwrap_or_default();
    let reason = id.replacen('p', "r", 1);
    fill(&c, &format!("#{id}"), "7").await;
    fill(&c, &format!("#{reason}"), "").await;
    tap(&c, &format!("form:has(#{id}) button[type=submit]")).await;
    // Still here, told beside the field, the typed score kept.
    let error = text_of(&c, &format!("#{reason}-error")).await;
    assert!(error.contains("须写明理由"), "{error}");
    let kept = c.find(Locator::Css(&format!("#{id}"))).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("7"));
    // With the reason it goes through.
    fill(&c, &format!("#{reason}"), "高峰时段离岗两次").await;
    click_to_next_page(&c, &format!("form:has(#{id}) button[type=submit]")).await;
    assert!(text_of(&c, ".flash").await.contains("已保存"));
}

#[tokio::test]
async fn an_admin_editing_a_scheme_keeps_the_text_when_the_points_do_not_add_up() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let app = TestApp::spawn_demo().await;
    c.set_window_size(1366, 900).await.unwrap();
    login(&c, &app.base, "admin", examhall::demo::PASSWORD).await;
    c.goto(&format!("{}/evaluation/schemes", app.base)).await.unwrap();
    tap(&c, "#clerk details summary").await;
    // 业务考试 from 20 to 25: the scheme sums to 105.
    let text =
        c.find(Locator::Css("#text-clerk")).await.unwrap().prop("value").await.unwrap().unwrap_or_default();
    let edited = text.replacen("exam | 业务考试 | 20 |", "exam | 业务考试 | 25 |", 1);
    assert_ne!(edited, text, "the shipped scheme has the exam at 20 points");
    fill(&c, "#text-clerk", &edited).await;
    tap(&c, "#clerk form button[type=submit]").await;
    assert!(text_of(&c, "#text-clerk-error").await.contains("合计 105 分"));
    let kept = c.find(Locator::Css("#text-clerk")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some(edited.as_str()));
}
