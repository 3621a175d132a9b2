//! 补学 from a weak spot: the preview names exactly the clerks who answered
//! the knowledge point wrong and the articles linked to its questions; the
//! assignment is ordinary mandatory reading, marked 补学 in the ledger, and
//! an admin setting can keep it from docking pay.

use chrono::Days;
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::exam::{answer_all, clerk, close_exam, setup, start};
use crate::helpers::{location, unescape};
use examhall::auth::Role;
use examhall::kb::model::{Article, Draft};
use examhall::schema::{assignments, question_versions, remedials};

#[tokio::test]
async fn a_weak_spot_becomes_mandatory_reading_for_exactly_those_who_missed_it() {
    let s = setup(false, &[]).await;
    // 实名登记 (s.ids[2]) teaches 实名登记证件; 欠费 (s.ids[1]) 携转条件.
    let mut conn = s.app.conn();
    for (id, kp) in [(s.ids[2], "实名登记证件"), (s.ids[1], "携转条件")] {
        diesel::update(question_versions::table.filter(question_versions::question_id.eq(id)))
            .set(question_versions::knowledge_points.eq(format!("[\"{kp}\"]")))
            .execute(&mut conn)
            .unwrap();
    }
    let trainer_id = s.app.user_by_login("90001").unwrap().id;
    let draft = Draft {
        title: "电话用户实名制登记规范".into(),
        category: "资费政策".into(),
        effective_date: "2026-11-01".into(),
        body: "## 有效证件\n\n居民身份证、临时居民身份证、户口簿。".into(),
        ..Draft::default()
    };
    let article =
        Article::create(&mut conn, &draft.check().unwrap(), trainer_id, examhall::db::now()).unwrap();
    drop(conn);
    // 10087 (county) answers two of three 实名登记 options: partly right, so wrong.
    // 10011 (county) is absent; 10003 (city) gets everything right.
    s.app.add_user("10011", "缺考甲", Some(s.city.county_hall), &[(Role::Clerk, s.city.county_hall)]);
    let b = clerk(&s.app, "10087").await;
    let attempt = start(&b, s.exam, None).await.unwrap();
    answer_all(&b, attempt).await;
    b.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    close_exam(&s.app, s.exam);
    let new = "/remedial/new?month=2026-11&kp=实名登记证件&unit=city";

    // Without a linked article there is nothing to read: the preview says how to fix it.
    let page = unescape(s.trainer.get_text(new).await);
    assert!(page.contains("还没有关联知识库出处"), "{page}");
    examhall::bank::sources::link(
        &mut s.app.conn(),
        s.ids[2],
        article,
        "有效证件",
        None,
        examhall::db::now(),
    )
    .unwrap();
    let page = unescape(s.trainer.get_text(new).await);
    assert!(page.contains("补学人员（1 人）") && page.contains("10087") && page.contains("范俊"), "{page}");
    assert!(page.contains("《电话用户实名制登记规范》") && !page.contains("缺考甲"), "{page}");
    // A point nobody missed: nobody to assign.
    let page = unescape(s.trainer.get_text("/remedial/new?month=2026-11&kp=携转条件&unit=city").await);
    assert!(page.contains("没有需要补学的人员"), "{page}");

    // The list changed since the preview: previewed again, nothing assigned.
    let due = (examhall::time::local_date(examhall::db::now()) + Days::new(3)).to_string();
    let form = |people: &'static str| {
        vec![
            ("month", "2026-11"),
            ("kp", "实名登记证件"),
            ("unit", "city"),
            ("due", due.as_str()),
            ("people", people),
        ]
    };
    let res = s.trainer.post("/remedial", &form("2")).await;
    assert!(s.trainer.get_text(&location(&res)).await.contains("名单已有变化"));
    let count = || remedials::table.count().get_result::<i64>(&mut s.app.conn()).unwrap();
    assert_eq!(count(), 0);
    let res = s.trainer.post("/remedial", &form("1")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(), 1);
    // The same weak spot again: refused (it would charge the same people twice), and the preview says so.
    let res = s.trainer.post("/remedial", &form("1")).await;
    assert!(s.trainer.get_text(&location(&res)).await.contains("这个薄弱点已经安排过补学"));
    assert_eq!(count(), 1);
    assert!(unescape(s.trainer.get_text(new).await).contains("id=\"remedial-exists\""));
    let audience: String = assignments::table
        .filter(assignments::article_id.eq(article))
        .select(assignments::audience)
        .first(&mut s.app.conn())
        .unwrap();
    let clerk_id = s.app.user_by_login("10087").unwrap().id;
    assert_eq!(audience, format!(r#"{{"units":[],"roles":[],"include":[{clerk_id}],"exclude":[]}}"#));

    // Unread past its due date: charged like any item, marked 补学; not charged when the setting says so.
    let yesterday = examhall::time::local_date(examhall::db::now()) - Days::new(1);
    diesel::update(assignments::table)
        .set(assignments::due_date.eq(yesterday))
        .execute(&mut s.app.conn())
        .unwrap();
    // Everyone joined long before (the ledger never charges people who joined after a due date).
    let long_ago = examhall::db::now() - chrono::Duration::days(90);
    diesel::update(examhall::schema::users::table)
        .set(examhall::schema::users::created_at.eq(long_ago))
        .execute(&mut s.app.conn())
        .unwrap();
    let ledger = |app: &crate::helpers::TestApp| {
        let today = examhall::time::local_date(examhall::db::now());
        let month = examhall::domain::Month::of_date(yesterday);
        examhall::kb::ledger::close::month_ledger(&mut app.conn(), month, today).unwrap().ledger
    };
    let l = ledger(&s.app);
    let p = l.people.iter().find(|p| p.user_id == clerk_id).unwrap_or_else(|| {
        panic!("{:?} {:?}", l.people.iter().map(|p| (p.user_id, &p.name)).collect::<Vec<_>>(), l.items)
    });
    assert_eq!((p.penalty.count, p.amount.as_str()), (1, "10.00"));
    assert!(p.details().starts_with("【补学】《电话用户实名制登记规范》"), "{}", p.details());
    examhall::settings::store(&mut s.app.conn(), &examhall::settings::KB_CHARGE_REMEDIAL, "0", trainer_id)
        .unwrap();
    let l = ledger(&s.app);
    let p = l.people.iter().find(|p| p.user_id == clerk_id).unwrap();
    assert_eq!((p.penalty.count, p.amount.as_str()), (0, "0.00"));
    assert_eq!(p.lines[0].status, "已豁免");

    // The 补学 page lists it; next month's exam has not asked it yet.
    let page = unescape(s.trainer.get_text("/remedial").await);
    assert!(page.contains("实名登记证件") && page.contains("2026-11"), "{page}");
    // And the dashboard sums it up: 10087 earned 1.33 of 实名登记's 2 points before
    // (two of three options: 2 × 2/3 = 1.33) → 133/200 = 66.50%; nothing yet after.
    let board = unescape(s.trainer.get_text("/dashboard?month=2026-11").await);
    assert!(
        board.contains(
            "「实名登记证件」· 全市（2026-11 发现，1 人）：2026-12 得分率 —，同月全市 —，补学前 66.50%"
        ),
        "{board}"
    );
}

#[tokio::test]
async fn a_weak_phone_item_suggests_the_scenarios_article_and_one_click_assigns_it() {
    let app = crate::helpers::TestApp::spawn_demo().await;
    let last = examhall::domain::Month::current().previous().unwrap();
    let demo = |login: &'static str| {
        let app = &app;
        async move {
            let b = app.browser();
            b.login(login, examhall::demo::PASSWORD).await;
            b
        }
    };
    let city = demo("80000").await;
    let page = unescape(city.get_text(&format!("/remedial/phone?month={last}")).await);
    let suggested = page.matches("安排补学</button>").count();
    assert!(suggested > 0, "the demo's weak calls suggest reading: {page}");
    // A county supervisor sees only their county's calls.
    let county = demo("80001").await;
    let theirs = unescape(county.get_text(&format!("/remedial/phone?month={last}")).await);
    assert!(theirs.matches("安排补学</button>").count() <= suggested);
    // One click assigns the first; it leaves the list and becomes a 补学.
    let call = crate::helpers::extract(&page, r#"name="call_id" value="(\d+)""#).unwrap();
    let article = crate::helpers::extract(&page, r#"name="article_id" value="(\d+)""#).unwrap();
    let before = remedials::table.count().get_result::<i64>(&mut app.conn()).unwrap();
    let res = city
        .post("/remedial/phone", &[("month", last.as_str()), ("call_id", &call), ("article_id", &article)])
        .await;
    let flash = unescape(city.get_text(&location(&res)).await);
    assert!(flash.contains("已为") && flash.contains("安排补学《"), "{flash}");
    assert!(flash.matches("安排补学</button>").count() == suggested - 1, "{flash}");
    assert_eq!(remedials::table.count().get_result::<i64>(&mut app.conn()).unwrap(), before + 1);
    // Twice is refused: the suggestion is gone.
    let res = city
        .post("/remedial/phone", &[("month", last.as_str()), ("call_id", &call), ("article_id", &article)])
        .await;
    assert!(unescape(city.get_text(&location(&res)).await).contains("这条建议已不存在"));
}

/// Publishing an exam whose questions include one flagged 待复核 warns in a
/// notice of its own, naming the question.
#[tokio::test]
async fn publishing_an_exam_with_a_flagged_question_names_it() {
    let s = setup(false, &[]).await;
    let trainer_id = s.app.user_by_login("90001").unwrap().id;
    let mut conn = s.app.conn();
    let draft = Draft {
        title: "携号转网业务办理规范".into(),
        category: "资费政策".into(),
        effective_date: "2026-11-01".into(),
        body: "## 办理条件\n\n无欠费、无在途业务。".into(),
        ..Draft::default()
    };
    let article =
        Article::create(&mut conn, &draft.check().unwrap(), trainer_id, examhall::db::now()).unwrap();
    examhall::bank::sources::link(&mut conn, s.ids[1], article, "", None, examhall::db::now()).unwrap();
    examhall::bank::sources::flag_on_change(&mut conn, article, 1, true, examhall::db::now()).unwrap();
    drop(conn);
    let res = s.trainer.post(&format!("/exams/{}/unpublish", s.exam), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = s.trainer.post(&format!("/exams/{}/publish", s.exam), &[]).await;
    let page = unescape(s.trainer.get_text(&location(&res)).await);
    let notice = format!(
        r#"<div class="flash flash-info" role="status">注意：本场考试的题目范围内有 1 道待复核的题目（#{}）"#,
        s.ids[1]
    );
    assert!(page.contains(&notice), "{page}");
}

/// Someone who already confirmed the current version is marked in the
/// preview (rule 5: read once is read, the ledger will list no 补学 for them).
#[tokio::test]
async fn the_preview_marks_who_already_read_the_article() {
    let s = setup(false, &[]).await;
    let mut conn = s.app.conn();
    diesel::update(question_versions::table.filter(question_versions::question_id.eq(s.ids[2])))
        .set(question_versions::knowledge_points.eq("[\"实名登记证件\"]"))
        .execute(&mut conn)
        .unwrap();
    let trainer_id = s.app.user_by_login("90001").unwrap().id;
    let draft = Draft {
        title: "电话用户实名制登记规范".into(),
        category: "资费政策".into(),
        effective_date: "2026-11-01".into(),
        body: "## 有效证件\n\n居民身份证、临时居民身份证、户口簿。".into(),
        ..Draft::default()
    };
    let article =
        Article::create(&mut conn, &draft.check().unwrap(), trainer_id, examhall::db::now()).unwrap();
    examhall::bank::sources::link(&mut conn, s.ids[2], article, "", None, examhall::db::now()).unwrap();
    drop(conn);
    let b = clerk(&s.app, "10087").await;
    let attempt = start(&b, s.exam, None).await.unwrap();
    answer_all(&b, attempt).await;
    b.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    close_exam(&s.app, s.exam);
    let new = "/remedial/new?month=2026-11&kp=实名登记证件&unit=city";
    let page = unescape(s.trainer.get_text(new).await);
    assert!(page.contains("范俊") && !page.contains("已读过当前版本"), "{page}");
    // 10087 confirms the article's current version.
    {
        use examhall::schema::{article_versions, readings};
        let mut conn = s.app.conn();
        let version: i32 = article_versions::table
            .filter(article_versions::article_id.eq(article))
            .select(article_versions::id)
            .first(&mut conn)
            .unwrap();
        let at = examhall::db::now();
        diesel::insert_into(readings::table)
            .values((
                readings::user_id.eq(s.app.user_by_login("10087").unwrap().id),
                readings::version_id.eq(version),
                readings::first_opened_at.eq(at),
                readings::last_beat_at.eq(at),
                readings::active_seconds.eq(120),
                readings::reached_end.eq(true),
                readings::confirmed_at.eq(Some(at)),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let page = unescape(s.trainer.get_text(new).await);
    assert!(page.contains("<td data-label=\"阅读情况\">已读过当前版本</td>"), "{page}");
    assert!(page.contains("其中 1 人已确认读过这些文章的当前版本"), "{page}");
}
