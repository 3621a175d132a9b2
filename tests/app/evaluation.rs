//! The monthly 100-point evaluation, satisfaction and the 360, through the
//! real app: figures derived by hand, the appeal's two outcomes, 一票否决,
//! the month close and re-open, who may see and do what, and the 360's
//! anonymity down to the table.

use diesel::prelude::*;
use examhall::auth::Role;
use examhall::domain::Month;
use examhall::satisfaction::model::NewReply;
use examhall::schema::{
    audit_log, evaluation_appeals, evaluation_ratings, hall_satisfaction, month_closes, review360_answers,
    review360_raters, satisfaction_replies,
};
use reqwest::StatusCode;

use crate::helpers::{csv, location, Browser, City, TestApp};

pub struct Staff {
    pub app: TestApp,
    pub city: City,
    pub month: Month,
    pub a: i32,
    pub b: i32,
    pub x: i32,
    pub leader: i32,
    pub manager: i32,
}

/// The county hall: clerks A, B, D, E, team leader L (also at the counter),
/// manager M; the city hall: clerk X and its manager; supervisors, a trainer, an admin.
pub fn staff(app: TestApp) -> Staff {
    let city = app.seed_city();
    let h = city.county_hall;
    let a = app.add_user("10001", "王芳", Some(h), &[(Role::Clerk, h)]);
    let b = app.add_user("10002", "李强", Some(h), &[(Role::Clerk, h)]);
    app.add_user("10003", "张敏", Some(h), &[(Role::Clerk, h)]);
    app.add_user("10004", "刘洋", Some(h), &[(Role::Clerk, h)]);
    let leader = app.add_user("20001", "陈班长", Some(h), &[(Role::TeamLeader, h), (Role::Clerk, h)]);
    let manager = app.add_user("30001", "赵厅经理", Some(h), &[(Role::HallManager, h)]);
    let x = app.add_user("10009", "周市区", Some(city.city_hall), &[(Role::Clerk, city.city_hall)]);
    app.add_user("30002", "孙厅经理", Some(city.city_hall), &[(Role::HallManager, city.city_hall)]);
    app.add_user("80001", "青山主管", None, &[(Role::Supervisor, city.county)]);
    app.add_user("80000", "市主管", None, &[(Role::Supervisor, city.city)]);
    app.add_user("90001", "培训师", None, &[(Role::Trainer, city.city)]);
    app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    let month = Month::current().previous().unwrap_or_else(Month::current);
    Staff { app, city, month, a, b, x, leader, manager }
}

async fn as_user(app: &TestApp, login: &str) -> Browser {
    let b = app.browser();
    b.login_ok(login).await;
    b
}

/// A reply of the month (day 10, 10:00 Beijing).
fn reply(s: &Staff, clerk: i32, rating: &str, text: &str, n: usize) {
    let at = examhall::time::parse_local_input(&format!("{}-10 10:{:02}", s.month, n)).unwrap();
    let row = NewReply {
        month: s.month,
        replied_at: at,
        hall_id: s.city.county_hall,
        clerk_id: Some(clerk),
        rating,
        comment: text,
        ref_no: "",
        imported_by: None,
        imported_at: at,
    };
    diesel::insert_into(satisfaction_replies::table).values(&row).execute(&mut s.app.conn()).unwrap();
}

/// The flash of the page a POST sent us to.
async fn after(b: &Browser, res: reqwest::Response) -> String {
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "POST answered {}", res.status());
    b.get_text(&location(&res)).await
}

#[tokio::test]
async fn a_clerks_month_by_hand_with_ratings_appeals_veto_and_the_close() {
    let s = staff(TestApp::spawn().await);
    let m = s.month.to_string();
    // Clerk A: 3 满意 of 4 replies = 75 %, below the lowest band (85 %): 0 of 15.
    for (i, r) in ["满意", "满意", "10", "不满意"].iter().enumerate() {
        reply(&s, s.a, r, "排队太久", i);
    }
    let manager = as_user(&s.app, "30001").await;
    // Below full marks without a reason: refused, nothing stored.
    let path = format!("/evaluation/rate/{}", s.a);
    let res = manager
        .post(
            &path,
            &[("month", &m), ("role", "clerk"), ("p_attitude", "8"), ("r_attitude", ""), ("p_solving", "10")],
        )
        .await;
    assert!(after(&manager, res).await.contains("须写明理由"));
    let stored: i64 = evaluation_ratings::table.count().get_result(&mut s.app.conn()).unwrap();
    assert_eq!(stored, 0);
    let res = manager
        .post(
            &path,
            &[
                ("month", &m),
                ("role", "clerk"),
                ("p_attitude", "8"),
                ("r_attitude", "解释业务语气生硬"),
                ("p_solving", "10"),
                ("v_veto", "1"),
            ],
        )
        .await;
    assert!(after(&manager, res).await.contains("已保存"));
    // Earned 0 + 8 + 10 = 18 of the 35 points that have a figure (rescaled): 51.428… → 51.43.
    let clerk = as_user(&s.app, "10001").await;
    let page = clerk.get_text(&format!("/my/evaluation?month={m}")).await;
    assert!(page.contains("51.43"), "{page}");
    assert!(page.contains("75.00%（4 条回复）"), "the raw figure is shown");
    assert!(page.contains("解释业务语气生硬"), "the reason is shown");
    assert!(
        page.contains("全市第 <strong>1</strong> 名（共 5 人）"),
        "A, B, 张敏, 刘洋 and 周市区; the leader is a leader"
    );
    // B: full ratings but a red line: 0.
    let res = manager
        .post(
            &format!("/evaluation/rate/{}", s.b),
            &[
                ("month", &m),
                ("role", "clerk"),
                ("p_attitude", "10"),
                ("p_solving", "10"),
                ("v_veto", "1"),
                ("p_veto", "breach"),
                ("r_veto", "私收现金"),
            ],
        )
        .await;
    assert!(after(&manager, res).await.contains("已保存"));
    let county = as_user(&s.app, "80001").await;
    let b_page = county.get_text(&format!("/evaluation/people/{}?month={m}", s.b)).await;
    assert!(
        b_page.contains("<span class=\"eval-total\">0.00</span>") && b_page.contains("一票否决"),
        "{b_page}"
    );
    // Nothing to appeal on full marks, nor in a month long gone.
    let res = clerk
        .post(
            "/my/evaluation/appeal",
            &[("month", &m), ("role", "clerk"), ("component", "solving"), ("reason", "x")],
        )
        .await;
    assert!(after(&clerk, res).await.contains("没有可申诉的内容"));
    let res = clerk
        .post(
            "/my/evaluation/appeal",
            &[("month", "2020-01"), ("role", "clerk"), ("component", "exam"), ("reason", "x")],
        )
        .await;
    assert!(after(&clerk, res).await.contains("不在评分和申诉期内"));
    // Appeal the satisfaction component; a second appeal of it waits.
    let res = clerk
        .post(
            "/my/evaluation/appeal",
            &[
                ("month", &m),
                ("role", "clerk"),
                ("component", "satisfaction"),
                ("reason", "有一条是同事接待的"),
            ],
        )
        .await;
    assert!(after(&clerk, res).await.contains("申诉已提交"));
    let res = clerk
        .post(
            "/my/evaluation/appeal",
            &[("month", &m), ("role", "clerk"), ("component", "satisfaction"), ("reason", "再次")],
        )
        .await;
    assert!(after(&clerk, res).await.contains("已经申诉过"));
    // Closing waits for the appeal.
    let city_sup = as_user(&s.app, "80000").await;
    let res = city_sup.post("/evaluation/close", &[("month", &m)]).await;
    assert!(after(&city_sup, res).await.contains("还有 1 条申诉待处理"));
    // Upheld with 12 points: 12 + 8 + 10 = 30 of 35 = 85.714… → 85.71.
    let id: i32 = evaluation_appeals::table.select(evaluation_appeals::id).first(&mut s.app.conn()).unwrap();
    let answer = format!("/evaluation/appeals/{id}/answer");
    // Upholding gives more than before (0 here), never the same or less.
    let res = county.post(&answer, &[("decision", "upheld"), ("points", "0"), ("answer", "维持")]).await;
    assert!(after(&county, res).await.contains("高于原得分"));
    let res = county.post(&answer, &[("decision", "upheld"), ("points", "12"), ("answer", "")]).await;
    assert!(after(&county, res).await.contains("请写明处理意见"));
    let res = county.post(&answer, &[("decision", "upheld"), ("points", "12"), ("answer", "核实属实")]).await;
    assert!(after(&county, res).await.contains("已采纳"));
    let page = clerk.get_text(&format!("/my/evaluation?month={m}")).await;
    assert!(page.contains("<span class=\"eval-total\">85.71</span>"), "{page}");
    assert!(page.contains("0.00 → 12.00"), "the appeal shows before and after");
    // Rejected: the total stays.
    let res = clerk
        .post(
            "/my/evaluation/appeal",
            &[("month", &m), ("role", "clerk"), ("component", "attitude"), ("reason", "已按流程安抚")],
        )
        .await;
    after(&clerk, res).await;
    let id2: i32 = evaluation_appeals::table
        .select(evaluation_appeals::id)
        .order(evaluation_appeals::id.desc())
        .first(&mut s.app.conn())
        .unwrap();
    let res = county
        .post(
            &format!("/evaluation/appeals/{id2}/answer"),
            &[("decision", "rejected"), ("answer", "监控显示语气不当")],
        )
        .await;
    assert!(after(&county, res).await.contains("已驳回"));
    assert!(clerk
        .get_text(&format!("/my/evaluation?month={m}"))
        .await
        .contains("<span class=\"eval-total\">85.71</span>"));
    let audited: Vec<String> = audit_log::table.select(audit_log::action).load(&mut s.app.conn()).unwrap();
    for action in ["evaluation_rate", "evaluation_appeal", "evaluation_appeal_answer"] {
        assert!(audited.iter().any(|a| a == action), "{action} audited");
    }
    // A county supervisor cannot close the city's month; the city's can, and it freezes.
    let res = county.post("/evaluation/close", &[("month", &m)]).await;
    assert!(after(&county, res).await.contains("只有市公司主管"));
    let res = city_sup.post("/evaluation/close", &[("month", &m)]).await;
    assert!(after(&city_sup, res).await.contains("已关账"));
    let closes: i64 = month_closes::table
        .filter(month_closes::kind.eq("evaluation"))
        .count()
        .get_result(&mut s.app.conn())
        .unwrap();
    assert_eq!(closes, 1);
    let res = manager
        .post(&path, &[("month", &m), ("role", "clerk"), ("p_attitude", "10"), ("p_solving", "10")])
        .await;
    assert!(after(&manager, res).await.contains("已关账"));
    let res = clerk
        .post(
            "/my/evaluation/appeal",
            &[("month", &m), ("role", "clerk"), ("component", "solving"), ("reason", "x")],
        )
        .await;
    assert!(after(&clerk, res).await.contains("已关账"));
    // Re-opening: an admin, with a reason.
    let admin = as_user(&s.app, "admin").await;
    let res = admin.post("/evaluation/reopen", &[("month", &m), ("reason", "")]).await;
    assert!(after(&admin, res).await.contains("须写明理由"));
    let res = admin.post("/evaluation/reopen", &[("month", &m), ("reason", "人力资源核对出错")]).await;
    assert!(after(&admin, res).await.contains("重新开账"));
    // The export holds the same figures as numbers.
    let res = city_sup.get(&format!("/evaluation/export.xlsx?month={m}&role=clerk")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    crate::helpers::assert_prints(&bytes, 0, true, "百分制评价");
    let text = crate::helpers::xlsx_text(&bytes);
    assert!(text.contains("85.71") && text.contains("王芳"), "{text}");
}

#[tokio::test]
async fn who_may_see_rate_and_answer() {
    let s = staff(TestApp::spawn().await);
    let m = s.month.to_string();
    let clerk = as_user(&s.app, "10001").await;
    // A clerk has no list and no one else's month.
    assert_eq!(
        clerk.get(&format!("/evaluation/people/{}?month={m}", s.b)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(clerk.get("/evaluation").await.status(), StatusCode::FORBIDDEN);
    assert!(!clerk.get_text(&format!("/my/evaluation?month={m}")).await.contains("李强"));
    // The city hall's manager: not the county hall's people.
    let other = as_user(&s.app, "30002").await;
    assert_eq!(
        other.get(&format!("/evaluation/people/{}?month={m}", s.a)).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.get(&format!("/evaluation/people/{}?month={m}", s.x)).await.status(),
        StatusCode::OK,
        "positive control"
    );
    let res = other
        .post(
            &format!("/evaluation/rate/{}", s.a),
            &[("month", &m), ("role", "clerk"), ("p_attitude", "1"), ("r_attitude", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let list = other.get_text(&format!("/evaluation?month={m}")).await;
    assert!(list.contains("周市区") && !list.contains("王芳"));
    // The county supervisor: not the city hall's appeals.
    let x = as_user(&s.app, "10009").await;
    x.post(
        "/my/evaluation/appeal",
        &[("month", &m), ("role", "clerk"), ("component", "attitude"), ("reason", "没有评分")],
    )
    .await;
    let id: i32 = evaluation_appeals::table.select(evaluation_appeals::id).first(&mut s.app.conn()).unwrap();
    let county = as_user(&s.app, "80001").await;
    let res = county
        .post(&format!("/evaluation/appeals/{id}/answer"), &[("decision", "rejected"), ("answer", "x")])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let city_sup = as_user(&s.app, "80000").await;
    let res = city_sup
        .post(
            &format!("/evaluation/appeals/{id}/answer"),
            &[("decision", "rejected"), ("answer", "尚未评分")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "positive control");
    // Only admins write schemes; a wrong sum is refused with what it sums to.
    let trainer = as_user(&s.app, "90001").await;
    assert_eq!(
        trainer
            .post("/evaluation/schemes/clerk", &[("text", "a | 甲 | 100 | 评分"), ("missing", "zero")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let admin = as_user(&s.app, "admin").await;
    let res =
        admin.post("/evaluation/schemes/clerk", &[("text", "a | 甲 | 90 | 评分"), ("missing", "zero")]).await;
    assert!(after(&admin, res).await.contains("合计 90 分"));
    let res = admin
        .post(
            "/evaluation/schemes/clerk",
            &[("text", "attitude | 服务态度 | 100 | 评分"), ("missing", "zero"), ("note", "只看态度")],
        )
        .await;
    assert!(after(&admin, res).await.contains("第 2 版"));
    assert!(clerk.get_text(&format!("/my/evaluation?month={m}")).await.contains("服务态度"));
}

/// Uploads a replies file for the month's preview; the page as text.
async fn preview_replies(b: &Browser, month: &str, bytes: Vec<u8>, name: &str) -> String {
    preview_file(b, "replies", month, bytes, name).await
}

/// Uploads a satisfaction file of `kind` for the month's preview; the page as text.
async fn preview_file(b: &Browser, kind: &str, month: &str, bytes: Vec<u8>, name: &str) -> String {
    let form = b
        .upload_form()
        .await
        .text("kind", kind.to_string())
        .text("month", month.to_string())
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
    let res = b.client.post(b.url("/satisfaction/import/preview")).multipart(form).send().await.unwrap();
    crate::helpers::unescape(res.text().await.unwrap())
}

#[tokio::test]
async fn satisfaction_files_go_in_whole_or_not_at_all() {
    let s = staff(TestApp::spawn().await);
    let m = s.month.to_string();
    let trainer = as_user(&s.app, "90001").await;
    let day = format!("{m}-05 10:30");
    let header: &[&str] = &["评价时间", "厅店名称", "受理工号", "评价结果", "客户意见", "短信流水号"];
    let bad = csv(&[
        header,
        &[&day, "青山中心营业厅", "10001", "满意", "", "S1"],
        &[&day, "无此厅", "", "满意", "", "S2"],
        &[&day, "青山中心营业厅", "", "好评", "", "S3"],
    ]);
    let (gbk, _, _) =
        encoding_rs::GBK.encode(std::str::from_utf8(&bad).unwrap().trim_start_matches('\u{feff}'));
    let page = preview_replies(&trainer, &m, gbk.into_owned(), "回复明细.csv").await;
    assert!(page.contains("第 3 行") && page.contains("无此厅"), "{page}");
    assert!(page.contains("第 4 行") && page.contains("好评"));
    assert!(!page.contains("confirm"), "no confirmation with errors");
    let good = csv(&[
        header,
        &[&day, "青山中心营业厅", "10001", "满意", "", "S1"],
        &[&day, "青山中心营业厅", "", "3", "排队太久，态度差", "S2"],
    ]);
    let page = preview_replies(&trainer, &m, good.clone(), "a.csv").await;
    let action = crate::helpers::extract(&page, r#"action="(/satisfaction/import/\d+/confirm)""#)
        .expect("confirm form");
    let fp = crate::helpers::extract(&page, r#"name="fingerprint" value="([0-9a-f]+)""#).unwrap();
    let res = trainer.post(&action, &[("month", &m), ("kind", "replies"), ("fingerprint", &fp)]).await;
    assert!(after(&trainer, res).await.contains("已导入"));
    let n: i64 = satisfaction_replies::table.count().get_result(&mut s.app.conn()).unwrap();
    assert_eq!(n, 2);
    // The same serials again: refused line by line, nothing added.
    let page = preview_replies(&trainer, &m, good, "a.csv").await;
    assert!(page.contains("已经导入过"), "{page}");
    // The hall page: 1 of 2 satisfied = 50.00 %, the complaint and its words.
    let county = as_user(&s.app, "80001").await;
    let hall = county.get_text(&format!("/satisfaction/halls/{}?month={m}", s.city.county_hall)).await;
    assert!(hall.contains("排队太久，态度差") && hall.contains("排队"), "{hall}");
    let list = county.get_text(&format!("/satisfaction?month={m}")).await;
    assert!(list.contains("50.00%"), "{list}");
    // The province's rate: stored, shown beside the SMS rate, replaced by a second file.
    for (rate, stored, replaces) in [("96.5%", 9_650, false), ("0.97", 9_700, true)] {
        let file = csv(&[&["营业厅名称", "单厅满意率", "样本量"], &["青山中心营业厅", rate, "120"]]);
        let page = preview_file(&trainer, "rates", &m, file, "满意率.csv").await;
        assert_eq!(page.contains("替换已导入的数字"), replaces, "{page}");
        let action = crate::helpers::extract(&page, r#"action="(/satisfaction/import/\d+/confirm)""#)
            .expect("confirm");
        let fp = crate::helpers::extract(&page, r#"name="fingerprint" value="([0-9a-f]+)""#).unwrap();
        let res = trainer.post(&action, &[("month", &m), ("kind", "rates"), ("fingerprint", &fp)]).await;
        assert!(after(&trainer, res).await.contains("单厅满意率 1 个营业厅"));
        let rates: Vec<i32> =
            hall_satisfaction::table.select(hall_satisfaction::rate).load(&mut s.app.conn()).unwrap();
        assert_eq!(rates, vec![stored]);
    }
    assert!(county.get_text(&format!("/satisfaction?month={m}")).await.contains("97.00%"));
    // The city hall's manager does not see the county hall.
    let other = as_user(&s.app, "30002").await;
    assert_eq!(
        other.get(&format!("/satisfaction/halls/{}?month={m}", s.city.county_hall)).await.status(),
        StatusCode::NOT_FOUND
    );
}

fn column_names(app: &TestApp, table: &str) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let mut conn = app.conn();
    let sql = if matches!(*conn, examhall::db::Conn::Sqlite(_)) {
        format!("SELECT name FROM pragma_table_info('{table}')")
    } else {
        format!("SELECT column_name AS name FROM information_schema.columns WHERE table_name = '{table}'")
    };
    let mut names: Vec<String> =
        diesel::sql_query(sql).load::<Name>(&mut *conn).unwrap().into_iter().map(|n| n.name).collect();
    names.sort();
    names
}

/// Answers the questionnaire: the same score for each of the six items, and a comment.
async fn answer(b: &Browser, form: &str, score: &str, comment: &str) -> reqwest::Response {
    let names: Vec<String> = (1..=6).map(|i| format!("s{i}")).collect();
    let mut f: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), score)).collect();
    f.push(("comment", comment));
    b.post(form, &f).await
}

fn keys(app: &TestApp) -> Vec<String> {
    review360_answers::table.select(review360_answers::key).load(&mut app.conn()).unwrap()
}

#[tokio::test]
async fn a_360_round_keeps_its_raters_apart_from_their_answers() {
    let s = staff(TestApp::spawn().await);
    let m = s.month.to_string();
    let trainer = as_user(&s.app, "90001").await;
    let res = trainer.post("/review360", &[("title", "试评"), ("month", &m), ("items", "")]).await;
    let round: i32 = location(&res).trim_start_matches("/review360/").parse().unwrap();
    // From the org tree: the manager as superior, the hall's four clerks below; no peer in a one-hall county.
    let raters: Vec<(i32, String)> = review360_raters::table
        .filter(review360_raters::leader_id.eq(s.leader))
        .select((review360_raters::rater_id, review360_raters::perspective))
        .order(review360_raters::rater_id)
        .load(&mut s.app.conn())
        .unwrap();
    assert_eq!(raters.iter().filter(|r| r.1 == "subordinate").count(), 4);
    assert_eq!(raters.iter().filter(|r| r.1 == "superior").map(|r| r.0).collect::<Vec<_>>(), vec![s.manager]);
    assert_eq!(raters.len(), 5);
    // A month has one round.
    let res = trainer.post("/review360", &[("title", "再来一轮"), ("month", &m), ("items", "")]).await;
    assert!(after(&trainer, res).await.contains("已经有一轮"));
    // The city office adjusts before opening, within what each perspective allows: the city
    // clerk is no subordinate of this hall's leader, a clerk no peer; the county supervisor
    // as superior replaces the manager; then the manager again.
    let (raters_path, leader_id) = (format!("/review360/{round}/raters"), s.leader.to_string());
    for (no, p, says) in [
        ("10009", "subordinate", "不能从这个角度评价"),
        ("10003", "peer", "不能从这个角度评价"),
        ("80001", "superior", "已加入"),
    ] {
        let res =
            trainer.post(&raters_path, &[("leader", &leader_id), ("staff_no", no), ("perspective", p)]).await;
        assert!(after(&trainer, res).await.contains(says), "{no} as {p}");
    }
    let superiors = || -> Vec<i32> {
        review360_raters::table
            .filter(review360_raters::perspective.eq("superior"))
            .select(review360_raters::rater_id)
            .load(&mut s.app.conn())
            .unwrap()
    };
    assert_eq!(superiors().len(), 1, "one superior");
    assert_ne!(superiors(), vec![s.manager]);
    trainer
        .post(&raters_path, &[("leader", &leader_id), ("staff_no", "30001"), ("perspective", "superior")])
        .await;
    assert_eq!(superiors(), vec![s.manager]);
    assert_eq!(review360_raters::table.count().get_result::<i64>(&mut s.app.conn()).unwrap(), 5);
    trainer.post(&format!("/review360/{round}/open"), &[]).await;
    let form = format!("/review360/{round}/rate/{}", s.leader);
    let a = as_user(&s.app, "10001").await;
    let page = a.get_text(&form).await;
    assert!(page.contains("匿名") && page.contains("不足 3 人"), "the questionnaire says how it is kept");
    answer(&a, &form, "4", "带新人很耐心").await;
    let first = keys(&s.app);
    let b = as_user(&s.app, "10002").await;
    answer(&b, &form, "2", "传达要求不及时").await;
    let second = keys(&s.app);
    // Each answer re-keys the group: the keys say nothing of who came first.
    assert_eq!(second.len(), 2);
    assert!(second.iter().all(|k| !first.contains(k)), "{first:?} {second:?}");
    let res = answer(&a, &form, "5", "").await;
    assert!(after(&a, res).await.contains("提交过"));
    let manager = as_user(&s.app, "30001").await;
    assert!(manager.get_text(&form).await.contains("会以你的名义"), "the superior is told");
    answer(&manager, &form, "5", "以身作则").await;
    // No column of the answers names a person other than the leader, nor a time or sequence.
    assert_eq!(
        column_names(&s.app, "review360_answers"),
        ["comment", "key", "leader_id", "perspective", "round_id", "scores"]
    );
    assert_eq!(
        column_names(&s.app, "review360_raters"),
        ["done", "id", "leader_id", "perspective", "rater_id", "round_id"]
    );
    // Nothing shows before the round closes.
    let leader = as_user(&s.app, "20001").await;
    let results = format!("/review360/{round}/results/{}", s.leader);
    assert!(leader.get_text(&results).await.contains("还没有结束"));
    trainer.post(&format!("/review360/{round}/close"), &[]).await;
    let page = leader.get_text(&results).await;
    // The superior alone shows, as theirs: 5.00; the two subordinates are under 3 and left out entirely.
    assert!(page.contains("综合均分（各显示组的均分平均）：<strong>5.00</strong>"), "{page}");
    assert!(page.contains("赵厅经理 本人的评分"));
    assert!(page.contains("作答不足 3 人"));
    assert!(
        !page.contains("带新人很耐心") && !page.contains("传达要求不及时"),
        "hidden groups' comments stay hidden"
    );
    assert!(!page.contains("王芳") && !page.contains("李强"), "no subordinate is named");
    // The leader finds their results from their questionnaires page, the superior theirs too.
    assert!(leader.get_text("/review360/mine").await.contains(&results));
    assert!(manager.get_text("/review360/mine").await.contains(&results));
    assert!(!a.get_text("/review360/mine").await.contains(&results), "a subordinate has no results link");
    // The leader sees no rater list, nor another leader's results.
    assert_eq!(leader.get(&format!("/review360/{round}")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(a.get(&results).await.status(), StatusCode::FORBIDDEN);
    // The result feeds the leader's evaluation: 5.00 on the 2–5 line is the full 15 points.
    let county = as_user(&s.app, "80001").await;
    let card = county.get_text(&format!("/evaluation/people/{}?month={m}", s.leader)).await;
    assert!(card.contains("360 度评价") && card.contains("<strong>15.00</strong> / 15 分"), "{card}");
}

#[tokio::test]
async fn report_evaluation_gives_the_month_as_hr_takes_it() {
    let s = staff(TestApp::spawn().await);
    let m = s.month.to_string();
    for (i, r) in ["满意", "满意", "10", "不满意"].iter().enumerate() {
        reply(&s, s.a, r, "", i);
    }
    let given = [
        ("attitude".to_string(), 800, "语气生硬".to_string()),
        ("solving".to_string(), 1_000, String::new()),
    ];
    let at = examhall::db::now();
    examhall::evaluation::model::rate(
        &mut s.app.conn(),
        s.month,
        (s.a, examhall::evaluation::scheme::EvalRole::Clerk),
        &given,
        s.manager,
        at,
    )
    .unwrap()
    .unwrap();
    let (code, out, err) =
        crate::cli::examhall(&s.app.db_url, &["report", "evaluation", "--month", &m, "--role", "clerk"], "");
    assert_eq!(code, 0, "{err}");
    let mut lines = out.trim_start_matches('\u{feff}').lines();
    let header = lines.next().unwrap_or_default();
    assert!(header.starts_with("排名,工号,姓名,区县,营业厅,总分,业务考试（20）"), "{header}");
    assert!(header.ends_with("一票否决,申诉改分项") && !header.contains("服务红线"), "{header}");
    // 0 + 8 + 10 of 35 → 51.43 (see the month by hand above); first in the city.
    let first = lines.next().unwrap_or_default();
    assert!(first.starts_with("1,10001,王芳,青山县分公司,青山中心营业厅,51.43,—,"), "{first}");
    let (code, out, _) = crate::cli::examhall(
        &s.app.db_url,
        &["report", "evaluation", "--month", &m, "--role", "team-leader"],
        "",
    );
    assert_eq!(code, 0);
    assert!(out.contains("陈班长") && !out.contains("王芳"));
    let (code, _, err) =
        crate::cli::examhall(&s.app.db_url, &["report", "evaluation", "--month", &m, "--role", "boss"], "");
    assert_eq!(code, 1);
    assert!(err.contains("--role"), "{err}");
}
