//! Month close on the demo city (the demo closes the two months before this
//! one): the frozen list, the in-person marking of next month's exam, the
//! proctored retest recorded on the flag, exemptions, and the audited re-open.

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{extract, location, Browser, TestApp};
use examhall::closing::{Close, Ledger};
use examhall::exam::model::{Attempt, ExamPerson};
use examhall::schema::{attempts, audit_log, month_closes, month_flags, review_cases, users};

fn month(back: u32) -> String {
    let first = format!("{}-01", examhall::time::local_month(examhall::db::now()));
    let first = chrono::NaiveDate::parse_from_str(&first, "%Y-%m-%d").unwrap();
    (first - chrono::Months::new(back)).format("%Y-%m").to_string()
}

async fn demo() -> TestApp {
    let app = TestApp::spawn_demo().await;
    app
}

async fn signed_in(app: &TestApp, login: &str) -> Browser {
    let b = app.browser();
    let res = b.login(login, examhall::demo::PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "login {login}");
    b
}

/// The flagged clerks of a closed month, as (user id, staff number), by staff number.
fn flagged(app: &TestApp, month: &str) -> Vec<(i32, String)> {
    month_flags::table
        .inner_join(users::table.on(users::id.eq(month_flags::user_id)))
        .inner_join(month_closes::table)
        .filter(month_closes::reopened_at.is_null())
        .filter(month_flags::month.eq(month))
        .select((users::id, users::staff_no.assume_not_null()))
        .order(users::staff_no)
        .load(&mut app.conn())
        .unwrap()
}

fn in_person(app: &TestApp, exam: i32) -> Vec<i32> {
    let mut ids: Vec<i32> = ExamPerson::for_exam(&mut app.conn(), exam)
        .unwrap()
        .into_iter()
        .filter(|p| p.in_person)
        .map(|p| p.user_id)
        .collect();
    ids.sort();
    ids
}

fn monthly_exam(app: &TestApp, month: &str) -> i32 {
    examhall::review::model::monthly_exam(&mut app.conn(), examhall::domain::Month::parse(month).unwrap())
        .unwrap()
        .unwrap()
        .id
}

fn audit_count(app: &TestApp, action: &str) -> i64 {
    audit_log::table.filter(audit_log::action.eq(action)).count().get_result(&mut app.conn()).unwrap()
}

async fn send(b: &Browser, path: &str, month: &str, reason: &str) -> reqwest::Response {
    b.post(path, &[("month", month), ("reason", reason)]).await
}

#[tokio::test]
async fn a_closed_month_marks_next_months_exam_and_the_retest_lands_on_the_flag() {
    let app = demo().await;
    let last = month(1);
    let current = monthly_exam(&app, &month(0));
    let flags = flagged(&app, &last);
    assert!(flags.len() >= 3, "the demo flags county clerks: {flags:?}");
    let exempt: Vec<i32> = review_cases::table
        .filter(review_cases::month.eq(&last))
        .filter(review_cases::status.eq("exempt"))
        .select(review_cases::user_id)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(exempt.len(), 1, "the demo exempts one clerk");
    let mut want: Vec<i32> = flags.iter().map(|(id, _)| *id).filter(|id| !exempt.contains(id)).collect();
    want.sort();
    assert_eq!(in_person(&app, current), want, "every flagged clerk is marked but the exempted, nobody else");
    let (_, exempted) = flags.iter().find(|(id, _)| exempt.contains(id)).unwrap();
    assert!(!signed_in(&app, exempted).await.get_text("/").await.contains("下月须到市公司现场考试"));

    // The clerk sees the notice with the sitting's place and date.
    let (clerk_id, staff) = flags.iter().find(|(id, _)| !exempt.contains(id)).unwrap().clone();
    let clerk = signed_in(&app, &staff).await;
    let home = clerk.get_text("/").await;
    assert!(home.contains("下月须到市公司现场考试") && home.contains("市公司三楼培训教室"), "{home}");
    // A clerk who is not flagged sees no notice.
    assert!(!signed_in(&app, "10003").await.get_text("/").await.contains("下月须到市公司现场考试"));

    // Without the room's code the exam does not start; with it, it does.
    let res = clerk.post(&format!("/my/exams/{current}/start"), &[]).await;
    assert!(extract(&location(&res), r"^/exam/attempts/(\d+)$").is_none(), "no code, no start");
    let code: String = examhall::schema::sittings::table
        .filter(examhall::schema::sittings::exam_id.eq(current))
        .select(examhall::schema::sittings::code)
        .first(&mut app.conn())
        .unwrap();
    // The demo's sitting is scheduled ahead; its code works from half an hour before it starts.
    diesel::update(examhall::schema::sittings::table.filter(examhall::schema::sittings::exam_id.eq(current)))
        .set(examhall::schema::sittings::starts_at.eq(examhall::db::now()))
        .execute(&mut app.conn())
        .unwrap();
    let res = clerk.post(&format!("/my/exams/{current}/start"), &[("code", &code)]).await;
    let attempt: i32 = extract(&location(&res), r"^/exam/attempts/(\d+)$").expect("started").parse().unwrap();
    let res = clerk.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let graded = Attempt::find(&mut app.conn(), attempt).unwrap();
    let score = graded.score.expect("objective paper graded at once");

    // The flag of last month records the retest.
    let (status, retest): (String, Option<i32>) = review_cases::table
        .filter(review_cases::month.eq(&last))
        .filter(review_cases::user_id.eq(clerk_id))
        .select((review_cases::status, review_cases::retest_score))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!((status.as_str(), retest), ("retest_done", Some(score)));
    let supervisor = signed_in(&app, "80000").await;
    let list = supervisor.get_text(&format!("/review?month={last}")).await;
    assert!(list.contains("已关账") && list.contains("复考完成"), "{list}");
    assert!(list.contains(&examhall::review::rules::two_decimals(i64::from(score))));
}

#[tokio::test]
async fn an_exempted_clerk_is_not_marked_and_lifting_it_marks_again() {
    let app = demo().await;
    let last = month(1);
    let current = monthly_exam(&app, &month(0));
    let marked = in_person(&app, current);
    let (id, staff) = flagged(&app, &last).into_iter().rfind(|(id, _)| marked.contains(id)).unwrap();
    let supervisor = signed_in(&app, "80000").await;
    let uid = id.to_string();
    let exempt =
        [("month", last.as_str()), ("user_id", uid.as_str()), ("status", "exempt"), ("reason", "长期病假")];
    supervisor.post("/review/case", &exempt).await;
    assert!(!in_person(&app, current).contains(&id), "exempted: not in person");
    assert!(!signed_in(&app, &staff).await.get_text("/").await.contains("下月须到市公司现场考试"));
    let back =
        [("month", last.as_str()), ("user_id", uid.as_str()), ("status", "to_talk"), ("reason", "病假结束")];
    supervisor.post("/review/case", &back).await;
    assert!(in_person(&app, current).contains(&id), "exemption lifted: in person again");
}

#[tokio::test]
async fn closing_is_city_wide_and_reopening_is_an_audited_admin_action_that_shows_the_changes() {
    let app = demo().await;
    let last = month(1);
    let county = signed_in(&app, "80001").await;
    let city = signed_in(&app, "80000").await;
    let admin = signed_in(&app, "admin").await;
    // Only an admin re-opens.
    assert_eq!(send(&county, "/review/reopen", &last, "想改").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(send(&city, "/review/reopen", &last, "想改").await.status(), StatusCode::FORBIDDEN);
    // A reason is required.
    send(&admin, "/review/reopen", &last, " ").await;
    assert!(
        Close::current(&mut app.conn(), Ledger::Review, examhall::domain::Month::parse(&last).unwrap())
            .unwrap()
            .is_some(),
        "still closed without a reason"
    );
    let frozen = city.get_text(&format!("/review?month={last}")).await;

    // A paper regraded after the close does not change the frozen list…
    let (victim, staff) = flagged(&app, &last).into_iter().find(|_| true).unwrap();
    let exam = monthly_exam(&app, &last);
    diesel::update(attempts::table.filter(attempts::exam_id.eq(exam)).filter(attempts::user_id.eq(victim)))
        .set(attempts::score.eq(10_000))
        .execute(&mut app.conn())
        .unwrap();
    assert_eq!(city.get_text(&format!("/review?month={last}")).await, frozen);

    // …until an admin re-opens the month: the list is recomputed and says what changed.
    let before = audit_count(&app, "month_reopen");
    send(&admin, "/review/reopen", &last, "复核阅卷：试卷重评").await;
    assert_eq!(audit_count(&app, "month_reopen"), before + 1);
    assert!(Close::current(&mut app.conn(), Ledger::Review, examhall::domain::Month::parse(&last).unwrap())
        .unwrap()
        .is_none());
    let page = city.get_text(&format!("/review?month={last}")).await;
    assert!(page.contains("重新开账后的变化") && page.contains("复核阅卷：试卷重评"), "{page}");
    assert!(page.contains(&staff) && page.contains("→ 100.00；移出名单"), "{page}");

    // A county supervisor cannot close the whole city's month; the city supervisor can.
    send(&county, "/review/close", &last, "").await;
    assert!(Close::current(&mut app.conn(), Ledger::Review, examhall::domain::Month::parse(&last).unwrap())
        .unwrap()
        .is_none());
    let closes = audit_count(&app, "month_close");
    send(&city, "/review/close", &last, "").await;
    assert!(Close::current(&mut app.conn(), Ledger::Review, examhall::domain::Month::parse(&last).unwrap())
        .unwrap()
        .is_some());
    assert_eq!(audit_count(&app, "month_close"), closes + 1);
    // The re-closed list no longer has the regraded clerk, nor marks them in person.
    assert!(!flagged(&app, &last).iter().any(|(id, _)| *id == victim));
    let current = monthly_exam(&app, &month(0));
    assert!(!in_person(&app, current).contains(&victim), "no longer flagged: no longer in person");

    // This month's exam is still open: it cannot be closed yet.
    let now_month = month(0);
    send(&city, "/review/close", &now_month, "").await;
    assert!(Close::current(
        &mut app.conn(),
        Ledger::Review,
        examhall::domain::Month::parse(&now_month).unwrap()
    )
    .unwrap()
    .is_none());
}

#[tokio::test]
async fn the_absent_setting_decides_whether_absentees_are_listed_and_is_audited() {
    let app = demo().await;
    let last = month(1);
    let admin = signed_in(&app, "admin").await;
    assert_eq!(signed_in(&app, "80000").await.get("/admin/settings").await.status(), StatusCode::FORBIDDEN);
    send(&admin, "/review/reopen", &last, "核对缺考设置").await;
    let listed = |html: &str| html.matches("<td>缺考</td>").count();
    let with = admin.get_text(&format!("/review?month={last}")).await;
    assert!(listed(&with) > 0, "the demo has absent county clerks: {with}");
    // An unticked switch is not sent: off (the other switch stays ticked).
    let res = admin.post("/admin/settings", &[("kb.charge_remedial", "1")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit_count(&app, "setting_changed"), 1);
    assert!(!examhall::settings::switch(&mut app.conn(), &examhall::settings::FLAG_ABSENT).unwrap());
    let without = admin.get_text(&format!("/review?month={last}")).await;
    assert_eq!(listed(&without), 0, "{without}");
    assert!(admin.get_text("/admin/settings").await.contains("缺考的县分营业员列入"));
    // Saving the same value again changes nothing and audits nothing.
    admin.post("/admin/settings", &[("kb.charge_remedial", "1")]).await;
    assert_eq!(audit_count(&app, "setting_changed"), 1);
    // A number out of range is shown next to the field and nothing is stored.
    let res =
        admin.post("/admin/settings", &[("kb.min_seconds", "99999"), ("review.flag_absent", "1")]).await;
    let page = res.text().await.unwrap();
    assert!(page.contains("须为 0 至 3600 之间的整数"), "{page}");
    assert!(!examhall::settings::switch(&mut app.conn(), &examhall::settings::FLAG_ABSENT).unwrap());
    assert_eq!(examhall::settings::number(&mut app.conn(), &examhall::settings::KB_MIN_SECONDS).unwrap(), 20);
}
