//! Questions know where they are taught: sources read from an import, set on
//! the question page and by knowledge point, shown on the exam review as
//! 去学习; a material change of the article puts the questions under review
//! (待复核) until a trainer clears them with a note.

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{extract, location, unescape, Browser, TestApp};
use examhall::auth::Role;
use examhall::kb::model::{Article, Draft};
use examhall::schema::{audit_log, question_flags, question_sources};

/// Two questions taught by 《5G 套餐资费调整》 (one named with its section),
/// one naming an article the knowledge base does not have, one with a
/// knowledge point and no source.
const BANK: &str = "\
1.【单选】5G 畅享套餐 129 元档每月包含多少通用流量？
A. 30GB
B. 60GB
C. 100GB
D. 不限量
【答案】B
【知识点】5G套餐资费
【出处】《5G 套餐资费调整》#资费标准

2.【判断】套餐降档次月生效。
【答案】正确
【知识点】套餐变更
【知识库】《5G 套餐资费调整》

3.【判断】携号转网须先查询授权码。
【答案】正确
【知识点】携号转网
【出处】《携号转网百问》

4.【判断】携号转网授权码有效期为 60 天。
【答案】错误
【知识点】携号转网
";

struct Fixture {
    app: TestApp,
    trainer: Browser,
    bank: String,
    article: i32,
    other_article: i32,
}

async fn fixture() -> Fixture {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let trainer_id = app.add_user("90001", "周培训", None, &[(Role::Trainer, city.city)]);
    let article = |title: &str, body: &str| {
        let draft = Draft {
            title: title.into(),
            category: "资费政策".into(),
            effective_date: "2026-11-01".into(),
            body: body.into(),
            ..Draft::default()
        };
        Article::create(&mut app.conn(), &draft.check().unwrap(), trainer_id, examhall::db::now()).unwrap()
    };
    let a = article("5G 套餐资费调整", "## 资费标准\n\n129 元档含 60GB。\n\n## 生效规则\n\n次月生效。");
    let other = article("携号转网办理规范", "## 办理条件\n\n先查询授权码。");
    let trainer = app.browser();
    trainer.login_ok("90001").await;
    let bank = location(&trainer.post("/bank", &[("name", "营业厅月考题库"), ("description", "")]).await);
    Fixture { app, trainer, bank, article: a, other_article: other }
}

/// (question id, article id, section) of every link, in question order.
fn links(app: &TestApp) -> Vec<(i32, i32, String)> {
    question_sources::table
        .order((question_sources::question_id, question_sources::id))
        .select((question_sources::question_id, question_sources::article_id, question_sources::heading))
        .load(&mut app.conn())
        .unwrap()
}

fn open_flags(app: &TestApp) -> Vec<i32> {
    question_flags::table
        .filter(question_flags::cleared_at.is_null())
        .order(question_flags::question_id)
        .select(question_flags::question_id)
        .load(&mut app.conn())
        .unwrap()
}

/// The bank's questions' ids, in import order.
fn question_ids(app: &TestApp) -> Vec<i32> {
    let bank = examhall::bank::model::Bank::find_by_name(&mut app.conn(), "营业厅月考题库").unwrap().unwrap();
    let mut ids: Vec<i32> = examhall::bank::model::Bank::questions_with_ids(&mut app.conn(), bank.id)
        .unwrap()
        .iter()
        .map(|q| q.0)
        .collect();
    ids.sort();
    ids
}

async fn import(f: &Fixture) {
    let res = f.trainer.post(&format!("{}/import/paste", f.bank), &[("text", BANK)]).await;
    let html = unescape(res.text().await.unwrap());
    // The unknown article is said on its question's line; the question still imports.
    assert!(html.contains("出处 《携号转网百问》 在知识库中找不到"), "{html}");
    let action = extract(&html, r#"action="(/bank/\d+/import/\d+/confirm)""#).expect("confirm form");
    let fingerprint = extract(&html, r#"name="fingerprint" value="([0-9a-f]+)""#).unwrap();
    let res = f.trainer.post(&action, &[("fingerprint", fingerprint.as_str())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

/// Saves a new version of an article, material or not.
async fn edit_article(f: &Fixture, material: bool) -> String {
    let mut fields = vec![
        ("title", "5G 套餐资费调整"),
        ("category", "资费政策"),
        ("tags", ""),
        ("effective_date", "2026-12-01"),
        ("body", "## 资费标准\n\n129 元档含 80GB。\n\n## 生效规则\n\n次月生效。"),
        ("change_note", "流量调整"),
    ];
    if material {
        fields.push(("material", "on"));
    }
    let res = f.trainer.post(&format!("/kb/{}", f.article), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    f.trainer.get_text(&location(&res)).await
}

#[tokio::test]
async fn an_import_links_the_articles_its_sources_name_and_a_material_change_asks_for_review() {
    let f = fixture().await;
    import(&f).await;
    let q = question_ids(&f.app);
    assert_eq!(q.len(), 4);
    assert_eq!(
        links(&f.app),
        vec![(q[0], f.article, "资费标准".to_string()), (q[1], f.article, String::new())],
        "【出处】 and 【知识库】 both link; the unknown article links nothing"
    );
    // The question page shows where it is taught, the section as an anchor.
    let page = f.trainer.get_text(&format!("/bank/questions/{}", q[0])).await;
    let section = format!(r##"href="/kb/{}#sec-资费标准">《5G 套餐资费调整》 · 资费标准</a>"##, f.article);
    assert!(page.contains(&section), "{page}");
    assert!(page.contains(r#"<select name="article_id" required>"#), "the link form: {page}");
    // And the article has that anchor.
    let article = f.trainer.get_text(&format!("/kb/{}", f.article)).await;
    assert!(article.contains(r#"<h2 id="sec-资费标准">资费标准</h2>"#), "{article}");

    // An ordinary edit flags nothing; a material change flags both linked questions.
    edit_article(&f, false).await;
    assert_eq!(open_flags(&f.app), Vec::<i32>::new());
    let after = edit_article(&f, true).await;
    assert!(after.contains("2 道题目已标记为待复核"), "{after}");
    assert_eq!(open_flags(&f.app), vec![q[0], q[1]]);
    // A second material change does not flag them twice.
    edit_article(&f, true).await;
    assert_eq!(open_flags(&f.app), vec![q[0], q[1]]);

    // The trainer's home and the bank list them.
    let home = f.trainer.get_text("/").await;
    assert!(
        home.contains("待复核题目（出处文章实质性修改）· 营业厅月考题库") && home.contains("2 题"),
        "{home}"
    );
    let bank = f.trainer.get_text(&f.bank).await;
    assert!(bank.contains("2 道题的出处文章有实质性修改"), "{bank}");
    let list = f.trainer.get_text("/bank").await;
    assert!(list.contains(&format!(r##"<a class="bad-text" href="{}#flags">2</a>"##, f.bank)), "{list}");

    // Clearing needs an outcome and a note; 停用 retires the question.
    let review = format!("/bank/questions/{}/review", q[1]);
    f.trainer.post(&review, &[("outcome", "kept"), ("note", " ")]).await;
    assert_eq!(open_flags(&f.app), vec![q[0], q[1]], "no note, nothing cleared");
    f.trainer.post(&review, &[("outcome", "retired"), ("note", "次月生效规则已取消，本题停用")]).await;
    assert_eq!(open_flags(&f.app), vec![q[0]]);
    let status: String = examhall::schema::questions::table
        .find(q[1])
        .select(examhall::schema::questions::status)
        .first(&mut f.app.conn())
        .unwrap();
    assert_eq!(status, "retired");
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("question_reviewed"))
        .filter(audit_log::detail.like("%次月生效规则已取消%"))
        .count()
        .get_result(&mut f.app.conn())
        .unwrap();
    assert_eq!(audited, 1);
    // 已修改 is refused until the question has a new version saved since the flag.
    let review = format!("/bank/questions/{}/review", q[0]);
    f.trainer.post(&review, &[("outcome", "edited"), ("note", "已按新规修改")]).await;
    assert_eq!(open_flags(&f.app), vec![q[0]], "no edit, still flagged");
    let page = f.trainer.get_text(&format!("/bank/questions/{}", q[0])).await;
    assert!(page.contains("这道题在标记待复核之后没有修改过"), "{page}");
}

#[tokio::test]
async fn sources_are_set_one_by_one_and_by_knowledge_point() {
    let f = fixture().await;
    import(&f).await;
    let q = question_ids(&f.app);
    // Both 携号转网 questions, linked to a section in one step.
    let bank_id = f.bank.trim_start_matches("/bank/");
    let res = f
        .trainer
        .post(
            &format!("/bank/{bank_id}/sources"),
            &[
                ("knowledge_point", "携号转网"),
                ("article_id", &f.other_article.to_string()),
                ("heading", "办理条件"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = f.trainer.get_text(&location(&res)).await;
    assert!(page.contains("知识点「携号转网」的 2 道题已关联出处"), "{page}");
    let linked: Vec<(i32, i32, String)> =
        links(&f.app).into_iter().filter(|l| l.1 == f.other_article).collect();
    assert_eq!(
        linked,
        vec![(q[2], f.other_article, "办理条件".into()), (q[3], f.other_article, "办理条件".into())]
    );
    // A section the article does not have is refused, naming the ones it has.
    let res = f
        .trainer
        .post(
            &format!("/bank/{bank_id}/sources"),
            &[
                ("knowledge_point", "携号转网"),
                ("article_id", &f.other_article.to_string()),
                ("heading", "合约期内变更"),
            ],
        )
        .await;
    let page = f.trainer.get_text(&location(&res)).await;
    assert!(page.contains("文章中没有唯一对应「合约期内变更」的小节。可选：办理条件"), "{page}");
    // A point no question has is refused.
    let res = f
        .trainer
        .post(
            &format!("/bank/{bank_id}/sources"),
            &[("knowledge_point", "销户"), ("article_id", &f.other_article.to_string())],
        )
        .await;
    let page = f.trainer.get_text(&location(&res)).await;
    assert!(page.contains("没有知识点为「销户」的在用题目"), "{page}");

    // One question by hand: added once, a second time refused, then removed.
    let add = format!("/bank/questions/{}/sources", q[3]);
    f.trainer.post(&add, &[("article_id", &f.article.to_string()), ("heading", "")]).await;
    let res = f.trainer.post(&add, &[("article_id", &f.article.to_string()), ("heading", "")]).await;
    let page = f.trainer.get_text(&location(&res)).await;
    assert!(page.contains("这道题已关联这篇文章"), "{page}");
    let id: i32 = question_sources::table
        .filter(question_sources::question_id.eq(q[3]))
        .filter(question_sources::article_id.eq(f.article))
        .select(question_sources::id)
        .first(&mut f.app.conn())
        .unwrap();
    f.trainer.post(&format!("/bank/questions/{}/sources/{id}/delete", q[3]), &[]).await;
    assert_eq!(links(&f.app).iter().filter(|l| l.0 == q[3]).count(), 1);
    // Another question's link cannot be removed through this one.
    let other: i32 = question_sources::table
        .filter(question_sources::question_id.eq(q[0]))
        .select(question_sources::id)
        .first(&mut f.app.conn())
        .unwrap();
    f.trainer.post(&format!("/bank/questions/{}/sources/{other}/delete", q[3]), &[]).await;
    assert_eq!(links(&f.app).iter().filter(|l| l.0 == q[0]).count(), 1);
}
