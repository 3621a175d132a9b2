//! Weak spots and the supervisor dashboard on a small city of our own: last
//! month's closed exam with knowledge points, phone calls, drills, study
//! sessions and a mandatory item; exact figures, the questions behind a
//! cell, scope (a county supervisor sees their county only) and refusals.

use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{extract, Browser, TestApp};
use examhall::auth::Role;
use examhall::exam::model::{Attempt, Audience, Exam, PUBLISHED, REVIEW_FULL, SOURCE_SAT};
use examhall::exam::paper::{Drawn, FixedItem, PaperRule};
use examhall::org::{OrgUnit, UnitKind};
use examhall::phone::model::{record, NewCall, Rubric};
use examhall::phone::rules::Mark;
use examhall::schema::{
    attempt_items, attempts, drill_types, drills, question_versions, study_sessions, users,
};

const BANK: &str = "\
1.【单选】携号转网前，客户应先通过什么方式获取授权码？
A. 到营业厅现场申请
B. 发送短信查询授权码
【答案】B
【知识点】携号转网

2.【单选】携号转网时，实名信息须与什么一致？
A. 入网登记信息
B. 任意证件
【答案】A
【知识点】携号转网、实名制

3. 实名登记可以使用会员卡。
【答案】错误
【知识点】实名制

4. 营业厅每天营业前须检查服务设施。
【答案】正确
";

/// Last month (Beijing): over, so its exam is closed.
fn last_month() -> (String, NaiveDate) {
    let this = examhall::time::local_month(examhall::db::now());
    let first = NaiveDate::parse_from_str(&format!("{this}-01"), "%Y-%m-%d").unwrap();
    let first = first.checked_sub_months(chrono::Months::new(1)).unwrap();
    (first.format("%Y-%m").to_string(), first)
}

fn local(day: NaiveDate, hm: &str) -> NaiveDateTime {
    examhall::time::parse_local_input(&format!("{day} {hm}")).unwrap()
}

struct Fixture {
    app: TestApp,
    month: String,
    county: i32,
    county2: i32,
}

fn monthly_exam(month: &str, opens: NaiveDateTime, closes: NaiveDateTime, root: i32, items: &[i32]) -> Exam {
    let audience =
        Audience { units: vec![root], roles: vec!["clerk".into()], include: vec![], exclude: vec![] };
    let rule = PaperRule::Fixed {
        items: items.iter().map(|q| FixedItem { question_id: *q, points: None }).collect(),
    };
    Exam {
        id: 0,
        month: month.parse().unwrap(),
        title: format!("{month} 三大渠道月考"),
        kind: examhall::exam::model::ExamKind::Monthly,
        channels: r#"["hall"]"#.into(),
        opens_at: opens,
        closes_at: closes,
        time_limit_minutes: 45,
        pass_mark: 6000,
        audience: serde_json::to_string(&audience).unwrap(),
        paper_rule: serde_json::to_string(&rule).unwrap(),
        seed: 1,
        review: REVIEW_FULL,
        allowed_ips: String::new(),
        stagger: "{}".into(),
        grace_seconds: 30,
        status: PUBLISHED,
        created_by: None,
        created_at: opens,
        updated_at: opens,
        source: SOURCE_SAT,
    }
}

/// (question id, version id) of the bank's questions in order.
fn questions(app: &TestApp) -> Vec<(i32, i32)> {
    question_versions::table
        .order(question_versions::question_id)
        .select((question_versions::question_id, question_versions::id))
        .load(&mut app.conn())
        .unwrap()
}

/// Each item 25 points, right (1) or wrong (0): the attempt of a clerk at
/// `hall` (None: none recorded, the clerk's own hall counts).
fn sit(app: &TestApp, exam: &Exam, user: i32, hall: Option<i32>, right: [i32; 4]) {
    let mut c = app.conn();
    let paper: Vec<Drawn> = questions(app)
        .into_iter()
        .map(|(q, v)| Drawn { question_id: q, version_id: v, points: 2500, option_order: vec![] })
        .collect();
    let started = exam.opens_at + chrono::Duration::minutes(5);
    let id = Attempt::start(&mut c, exam.id, user, hall, &paper, started, exam.closes_at, "t", None).unwrap();
    for (i, r) in right.iter().enumerate() {
        diesel::update(
            attempt_items::table
                .filter(attempt_items::attempt_id.eq(id))
                .filter(attempt_items::position.eq(i as i32 + 1)),
        )
        .set(attempt_items::earned.eq(r * 2500))
        .execute(&mut c)
        .unwrap();
    }
    diesel::update(attempts::table.find(id))
        .set((
            attempts::status.eq("submitted"),
            attempts::submitted_at.eq(started + chrono::Duration::minutes(30)),
            attempts::submitted_by.eq("self"),
        ))
        .execute(&mut c)
        .unwrap();
    Attempt::finalise(&mut c, id).unwrap();
}

/// 江州: 江州市区 (人民路营业厅), 青山县分公司 (青山中心营业厅), 白水县分公司 (白水营业厅).
///
/// Exam (each question 25 points), answers right per question [Q1 Q2 Q3 Q4]:
/// 人民路 10001 [1111] 100, 10002 [1011] 75; 青山 10011 [0011] 50,
/// 10012 [1011] 75, 10013 [0101] 50; 白水 10021 [1110] 75, 10022 absent.
/// City average 425 / 6 = 70.83; listed: 10011, 10013 and 10022 (absent).
async fn fixture() -> Fixture {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let (county, county_hall, city_hall) = (city.county, city.county_hall, city.city_hall);
    let (county2, hall2) = {
        let mut c = app.conn();
        let county2 = OrgUnit::insert(&mut c, Some(city.city), UnitKind::County, "白水县分公司").unwrap();
        (county2, OrgUnit::insert(&mut c, Some(county2), UnitKind::Hall, "白水营业厅").unwrap())
    };
    let admin = app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    app.add_user("sup", "市主管", None, &[(Role::Supervisor, city.city)]);
    app.add_user("csup", "青山主管", None, &[(Role::Supervisor, county)]);
    let tester = app.add_user("trainer", "培训师", None, &[(Role::Trainer, city.city)]);
    let mut clerk = std::collections::HashMap::new();
    for (no, name, hall) in [
        ("10001", "张一", city_hall),
        ("10002", "李二", city_hall),
        ("10011", "王三", county_hall),
        ("10012", "赵四", county_hall),
        ("10013", "钱五", county_hall),
        ("10021", "孙六", hall2),
        ("10022", "周七", hall2),
    ] {
        clerk.insert(no, app.add_user(no, name, Some(hall), &[(Role::Clerk, hall)]));
    }
    let (month, first) = last_month();
    let mut conn = app.conn();
    let hired = local(first - Days::new(90), "09:00");
    diesel::update(users::table).set(users::created_at.eq(hired)).execute(&mut conn).unwrap();

    // The exam.
    let parsed = examhall::bank::formats::text::parse(BANK);
    let opts = examhall::bank::import::CommitOptions {
        fixes: &[],
        expected_fingerprint: None,
        skip_invalid: false,
        actor: None,
        ip: "t",
    };
    examhall::bank::import::commit(&mut conn, "月考题库", parsed, &opts).unwrap();
    drop(conn);
    let ids: Vec<i32> = questions(&app).into_iter().map(|(q, _)| q).collect();
    assert_eq!(ids.len(), 4);
    let day = first + Days::new(19);
    let mut exam = monthly_exam(&month, local(day, "09:00"), local(day, "17:00"), city.city, &ids);
    exam.id = Exam::insert(&mut app.conn(), &exam).unwrap();
    sit(&app, &exam, clerk["10001"], Some(city_hall), [1, 1, 1, 1]);
    sit(&app, &exam, clerk["10002"], Some(city_hall), [1, 0, 1, 1]);
    sit(&app, &exam, clerk["10011"], Some(county_hall), [0, 0, 1, 1]);
    sit(&app, &exam, clerk["10012"], Some(county_hall), [1, 0, 1, 1]);
    sit(&app, &exam, clerk["10013"], Some(county_hall), [0, 1, 0, 1]);
    sit(&app, &exam, clerk["10021"], None, [1, 1, 1, 0]);

    let mut conn = app.conn();
    // Phone calls (totals 90 and 70 in 青山, 95 人民路, 90 白水).
    let (_, v) = Rubric::current(&mut conn, examhall::db::now()).unwrap();
    let marks = |a: i64, p: i64, acc: i64, att: i64, res: i64| {
        ["answer", "phrases", "accuracy", "attitude", "resolution"]
            .iter()
            .zip([a, p, acc, att, res])
            .map(|(code, m)| (code.to_string(), Mark::Score(m * 100)))
            .collect::<Vec<_>>()
    };
    for (hall, who, d, m) in [
        (county_hall, "10011", 3, marks(10, 10, 40, 20, 10)),
        (county_hall, "10012", 4, marks(10, 10, 20, 20, 10)),
        (city_hall, "10001", 5, marks(5, 20, 40, 20, 10)),
        (hall2, "10021", 6, marks(10, 20, 40, 10, 10)),
    ] {
        let call = NewCall {
            called_at: local(first + Days::new(d), "10:00"),
            hall_id: hall,
            clerk_id: Some(clerk[who]),
            tester_id: tester,
            scenario_id: None,
            rubric_version_id: v.id,
            marks: m,
            rings: 2,
            duration_seconds: 120,
            notes: String::new(),
            recording_ref: String::new(),
            second_of: None,
        };
        record(&mut conn, &call, None, examhall::db::now()).unwrap().unwrap();
    }

    // Drills: 青山 开户 (median 600 = target, 3 of 4 error-free: 75 %), 青山 缴费 fine,
    // 人民路 开户 (median 700 > 600), 白水 缴费 (median 150 > 120).
    let type_id = |name: &str| -> i32 {
        drill_types::table
            .filter(drill_types::name.eq(name))
            .select(drill_types::id)
            .first(&mut app.conn())
            .unwrap()
    };
    let (open_account, pay) = (type_id("开户"), type_id("缴费"));
    for (hall, who, kind, seconds, errors) in [
        (county_hall, "10011", open_account, 500, 0),
        (county_hall, "10011", open_account, 700, 0),
        (county_hall, "10012", open_account, 650, 1),
        (county_hall, "10012", open_account, 550, 0),
        (county_hall, "10013", pay, 100, 0),
        (county_hall, "10013", pay, 110, 0),
        (city_hall, "10001", open_account, 700, 0),
        (city_hall, "10002", open_account, 720, 0),
        (city_hall, "10002", open_account, 500, 0),
        (hall2, "10021", pay, 200, 0),
        (hall2, "10022", pay, 100, 0),
    ] {
        diesel::insert_into(drills::table)
            .values((
                drills::drilled_on.eq(first + Days::new(9)),
                drills::month.eq(&month),
                drills::hall_id.eq(hall),
                drills::clerk_id.eq(clerk[who]),
                drills::drill_type_id.eq(kind),
                drills::seconds.eq(seconds),
                drills::errors.eq(errors),
                drills::notes.eq(""),
                drills::recorded_by.eq(Some(admin)),
                drills::created_at.eq(hired),
            ))
            .execute(&mut conn)
            .unwrap();
    }

    // Study: 青山 320 minutes (met), 人民路 120 (short), 白水 none (short).
    for (hall, minutes) in [(county_hall, 200), (county_hall, 120), (city_hall, 120)] {
        diesel::insert_into(study_sessions::table)
            .values((
                study_sessions::hall_id.eq(hall),
                study_sessions::held_on.eq(first + Days::new(2)),
                study_sessions::month.eq(&month),
                study_sessions::starts.eq(""),
                study_sessions::ends.eq(""),
                study_sessions::minutes.eq(minutes),
                study_sessions::kind.eq("topic"),
                study_sessions::topic.eq("携号转网新规"),
                study_sessions::article_ids.eq("[]"),
                study_sessions::notes.eq(""),
                study_sessions::created_by.eq(Some(admin)),
                study_sessions::created_at.eq(hired),
                study_sessions::updated_at.eq(hired),
            ))
            .execute(&mut conn)
            .unwrap();
    }

    // One mandatory item due on the 10th, read on time by 10001 and 10011 only:
    // five clerks docked 10 yuan each (青山: 10012, 10013).
    use examhall::kb::model::{Article, Assignment, Draft, Reading, Version};
    let at = local(first, "09:00") - Days::new(3);
    let draft = Draft {
        title: "携号转网办理规范".into(),
        category: "资费政策".into(),
        effective_date: first.to_string(),
        body: "携号转网办理规范的正文。".into(),
        ..Draft::default()
    };
    let article = Article::create(&mut conn, &draft.check().unwrap(), admin, at).unwrap();
    let version = Version::of(&mut conn, article, 1).unwrap().unwrap().id;
    let clerks =
        Audience { units: vec![city.city], roles: vec!["clerk".into()], include: vec![], exclude: vec![] };
    Assignment::insert(&mut conn, article, version, &clerks, first + Days::new(9), None, admin, at).unwrap();
    for no in ["10001", "10011"] {
        let when = local(first + Days::new(5), "10:00");
        let r = Reading::open(&mut conn, clerk[no], version, when - chrono::Duration::minutes(5)).unwrap();
        Reading::confirm(&mut conn, r.id, when).unwrap();
    }
    drop(conn);
    Fixture { app, month, county, county2 }
}

impl Fixture {
    async fn signed_in(&self, login: &str) -> Browser {
        let b = self.app.browser();
        b.login_ok(login).await;
        b
    }
}

/// The text of the element with this id up to its closing tag.
fn section(html: &str, id: &str, end: &str) -> String {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[start..];
    rest[..rest.find(end).unwrap_or(rest.len())].to_string()
}

/// A cell's accessible name: it begins with what the cell shows (the rate, or
/// 样本少 under five answers, then the rate after it).
fn cell(kp: &str, unit: &str, value: &str, answers: i64) -> String {
    if answers < 5 {
        format!("aria-label=\"样本少 · {kp} · {unit}：得分率 {value}（{answers} 次作答），查看试题\"")
    } else {
        format!("aria-label=\"{value} · {kp} · {unit}：得分率（{answers} 次作答），查看试题\"")
    }
}

#[tokio::test]
async fn the_heat_map_has_exact_cells_and_each_leads_to_its_questions() {
    let f = fixture().await;
    let sup = f.signed_in("sup").await;
    // Without a month: the latest month whose exam has closed.
    let page = sup.get_text("/weak/knowledge").await;
    assert!(page.contains(&format!("薄弱知识点（{}）", f.month)), "{page}");
    // 携号转网 (Q1, Q2): city 7 of 12 answers right, 青山 2 of 6; 江州市区 3 of 4 (样本少).
    for want in [
        cell("携号转网", "全市", "58.33%", 12),
        cell("携号转网", "青山县分公司", "33.33%", 6),
        cell("携号转网", "江州市区", "75.00%", 4),
        cell("携号转网", "白水县分公司", "100.00%", 2),
        // 实名制 (Q2, Q3): city 8 of 12, 青山 3 of 6.
        cell("实名制", "全市", "66.67%", 12),
        cell("实名制", "青山县分公司", "50.00%", 6),
        // Q4 has no knowledge point: city 5 of 6.
        cell("（未标注知识点）", "全市", "83.33%", 6),
    ] {
        assert!(page.contains(&want), "{want} in {page}");
    }
    assert!(page.contains(">33.33%</text>") && page.contains(">样本少</text>"), "{page}");
    // Rows go weakest first (青山's 33.33 %, then its 50.00 %, then the city's 83.33 %).
    let (a, b, c) = (
        page.find("携号转网 · 全市").unwrap(),
        page.find("实名制 · 全市").unwrap(),
        page.find("（未标注知识点） · 全市").unwrap(),
    );
    assert!(a < b && b < c);

    // The weakest cell's link: the questions behind it, weakest first, with the city beside.
    let weakest = section(&page, "weakest", "</table>");
    let href =
        extract(&weakest, r#"href="(/weak/knowledge/questions\?[^"]+)""#).unwrap().replace("&amp;", "&");
    assert!(href.contains(&format!("unit={}", f.county)), "{href}");
    let q = sup.get_text(&href).await;
    assert!(q.contains("知识点「携号转网」· 青山县分公司"), "{q}");
    let rows = section(&q, "questions", "</table>");
    // Q1 in 青山: 1 of 3 (city 4 of 6); Q2: 1 of 3 (city 3 of 6).
    assert!(
        rows.contains("携号转网前，客户应先通过什么方式获取授权码？")
            && rows.contains("携号转网时，实名信息须与什么一致？")
    );
    assert!(!rows.contains("会员卡"), "another knowledge point's question");
    assert!(rows.contains("33.33%") && rows.contains("66.67%") && rows.contains("50.00%"), "{rows}");
    assert!(q.contains("58.33%"), "the city's figure for the point");

    // By hall: a county supervisor sees their halls and the city, nothing of the others.
    let csup = f.signed_in("csup").await;
    let page = csup.get_text(&format!("/weak/knowledge?month={}&by=hall", f.month)).await;
    assert!(page.contains(&cell("携号转网", "青山中心营业厅", "33.33%", 6)), "{page}");
    assert!(page.contains(&cell("携号转网", "全市", "58.33%", 12)));
    for other in ["人民路营业厅", "白水营业厅", "白水县分公司", "江州市区"] {
        assert!(!page.contains(other), "{other} in {page}");
    }
    let other = format!("/weak/knowledge/questions?month={}&kp=携号转网&unit={}", f.month, f.county2);
    assert_eq!(csup.get(&other).await.status(), StatusCode::NOT_FOUND);
    let city = format!("/weak/knowledge/questions?month={}&kp=实名制&unit=city", f.month);
    assert!(csup.get_text(&city).await.contains("会员卡"));
}

#[tokio::test]
async fn an_open_exam_shows_no_figures_and_no_questions() {
    let f = fixture().await;
    let this = examhall::time::local_month(examhall::db::now());
    let now = examhall::db::now();
    let ids: Vec<i32> = questions(&f.app).into_iter().map(|(q, _)| q).collect();
    let root = OrgUnit::root(&mut f.app.conn()).unwrap().unwrap().id;
    let exam =
        monthly_exam(&this, now - chrono::Duration::hours(1), now + chrono::Duration::hours(2), root, &ids);
    Exam::insert(&mut f.app.conn(), &exam).unwrap();
    let sup = f.signed_in("sup").await;
    let res = sup.get(&format!("/weak/knowledge/questions?month={this}&kp=携号转网&unit=city")).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body = res.text().await.unwrap();
    assert!(body.contains("尚未结束") && !body.contains("授权码"), "{body}");
    let page = sup.get_text(&format!("/weak/knowledge?month={this}")).await;
    assert!(page.contains("尚未结束") && !page.contains("class=\"heat\""), "{page}");
    assert_eq!(sup.get("/weak/knowledge?month=2026-13").await.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn each_hall_shows_its_weakest_phone_items_and_drills_that_miss() {
    let f = fixture().await;
    let sup = f.signed_in("sup").await;
    let page = sup.get_text(&format!("/weak/phone?month={}", f.month)).await;
    let table = section(&page, "phone-weak", "</table>");
    // 青山: 规范用语 20 of 40, 业务准确 60 of 80; 人民路: 接听及时 5 of 10 only; 白水: 服务态度 10 of 20.
    assert!(table.contains("规范用语 50.00%；业务准确 75.00%"), "{table}");
    assert!(table.contains("接听及时 50.00%") && table.contains("服务态度 50.00%"));
    assert!(table.contains("80.00") && table.contains("95.00"), "hall averages");
    assert!(page.contains("规范用语 75.00%、接听及时 87.50%"), "the city's weakest: {page}");

    let page = sup.get_text(&format!("/weak/drills?month={}", f.month)).await;
    let table = section(&page, "drill-misses", "</table>");
    assert_eq!(table.matches("<tr>").count(), 1 + 3, "three misses: {table}");
    assert!(table.contains("75.00%") && table.contains("准确率低") && table.contains("11分40秒"), "{table}");
    assert!(table.contains("2分30秒") && table.contains("超时"));

    let csup = f.signed_in("csup").await;
    let page = csup.get_text(&format!("/weak/phone?month={}", f.month)).await;
    assert!(
        page.contains("青山中心营业厅") && !page.contains("人民路营业厅") && !page.contains("白水营业厅")
    );
    let page = csup.get_text(&format!("/weak/drills?month={}", f.month)).await;
    let table = section(&page, "drill-misses", "</table>");
    assert_eq!(table.matches("<tr>").count(), 2, "{table}");
    assert!(
        table.contains("青山中心营业厅") && table.contains("开户") && table.contains("10分00秒"),
        "{table}"
    );
    assert!(table.contains(&format!("/training/drills?month={}&amp;hall=", f.month)));
}

#[tokio::test]
async fn the_dashboard_has_the_months_numbers_in_scope_and_clerks_are_refused() {
    let f = fixture().await;
    let sup = f.signed_in("sup").await;
    let page = sup.get_text(&format!("/dashboard?month={}", f.month)).await;
    let n = |id: &str| section(&page, id, "</a>");
    assert!(n("n-participation").contains("85.7%") && n("n-participation").contains("交卷 6 / 应考 7"));
    assert!(n("n-average").contains(">70.83<"), "{}", n("n-average"));
    assert!(n("n-listed").contains(">3<"));
    assert!(n("n-unread").contains("5 条 / 50.00 元"));
    assert!(n("n-study").contains("2 / 3"));
    assert!(n("n-phone").contains("86.25") && n("n-phone").contains("按通次，4 通"));
    assert!(n("n-drills").contains(">3<"));
    assert!(n("n-unread").contains(&format!("href=\"/kb/ledger?month={}\"", f.month)));
    let areas = section(&page, "areas", "</table>");
    assert!(areas.contains("青山县分公司") && areas.contains("白水县分公司") && areas.contains("江州市区"));
    assert!(page.contains("<svg"), "the county comparison chart");

    // A county supervisor: their county's figures, the city's beside them.
    let csup = f.signed_in("csup").await;
    let page = csup.get_text(&format!("/dashboard?month={}", f.month)).await;
    let n = |id: &str| section(&page, id, "</a>");
    assert!(n("n-participation").contains("100.0%") && n("n-participation").contains("全市 85.7%"));
    assert!(n("n-average").contains("70.83") && n("n-average").contains("青山县分公司 58.33"));
    assert!(n("n-listed").contains(">2<") && n("n-listed").contains("全市 3"));
    assert!(n("n-unread").contains("2 条 / 20.00 元") && n("n-unread").contains("全市 5 条 / 50.00 元"));
    assert!(n("n-study").contains("0 / 1") && n("n-study").contains("全市 2 / 3"));
    assert!(n("n-phone").contains("80.00"));
    assert!(n("n-drills").contains(">1<"));
    let areas = section(&page, "areas", "</table>");
    assert!(areas.contains("青山县分公司") && !areas.contains("白水县分公司"), "{areas}");

    let clerk = f.signed_in("10011").await;
    let paths = [
        "/dashboard",
        "/weak/knowledge",
        "/weak/knowledge/questions?kp=实名制",
        "/weak/phone",
        "/weak/drills",
    ];
    for path in paths {
        assert_eq!(clerk.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn the_phone_averages_agree_across_dashboard_report_scorecard_and_export() {
    let f = fixture().await;
    // Two more calls: a second one of 10011 (80) and one whose answerer was not
    // identified (60, 人民路). Calls: 90, 80, 70 (青山), 95, 60 (人民路), 90 (白水).
    // 按通次 = 485 / 6 = 80.83; 按人 = (85 + 70 + 95 + 90) / 4 = 85.00;
    // 青山 按通次 = 240 / 3 = 80.00, 按人 = (85 + 70) / 2 = 77.50.
    let first = NaiveDate::parse_from_str(&format!("{}-01", f.month), "%Y-%m-%d").unwrap();
    let clerk = f.app.user_by_login("10011").unwrap();
    let other = f.app.user_by_login("10001").unwrap();
    let tester = f.app.user_by_login("trainer").unwrap().id;
    let mut conn = f.app.conn();
    let (_, v) = Rubric::current(&mut conn, examhall::db::now()).unwrap();
    for (hall, who, day, marks) in [
        (clerk.hall_id.unwrap(), Some(clerk.id), 7, [10, 10, 30, 20, 10]),
        (other.hall_id.unwrap(), None, 8, [10, 10, 20, 10, 10]),
    ] {
        let marks = ["answer", "phrases", "accuracy", "attitude", "resolution"]
            .iter()
            .zip(marks)
            .map(|(code, m)| (code.to_string(), Mark::Score(m * 100)))
            .collect();
        let call = NewCall {
            called_at: local(first + Days::new(day), "10:00"),
            hall_id: hall,
            clerk_id: who,
            tester_id: tester,
            scenario_id: None,
            rubric_version_id: v.id,
            marks,
            rings: 2,
            duration_seconds: 120,
            notes: String::new(),
            recording_ref: String::new(),
            second_of: None,
        };
        record(&mut conn, &call, None, examhall::db::now()).unwrap().unwrap();
    }
    drop(conn);
    let sup = f.signed_in("sup").await;
    let page = sup.get_text(&format!("/dashboard?month={}", f.month)).await;
    let n = |id: &str| section(&page, id, "</a>");
    assert!(n("n-phone").contains(">80.83<") && n("n-phone").contains("按通次，6 通"), "{}", n("n-phone"));
    assert!(n("n-phone-clerks").contains(">85.00<") && n("n-phone-clerks").contains("按人，4 人"));
    let report = sup.get_text(&format!("/phone/report?month={}", f.month)).await;
    assert!(report.contains(">80.83</span><span class=\"stat-label\">平均分（按通次"), "{report}");
    assert!(report.contains(">85.00</span><span class=\"stat-label\">平均分（按人"));
    // The scorecard: the clerk's own mean, then hall, county and city means 按人.
    let card = sup.get_text(&format!("/scorecard/clerk/{}?month={}", clerk.id, f.month)).await;
    let start = card.find("<th scope=\"row\">拨测平均分（按人）</th>").expect("the phone row");
    let row = &card[start..start + card[start..].find("</tr>").unwrap()];
    let cells: Vec<String> = regex::Regex::new(r"(?s)<td[^>]*>(.*?)</td>")
        .unwrap()
        .captures_iter(row)
        .map(|c| regex::Regex::new(r"<[^>]+>").unwrap().replace_all(&c[1], "").trim().to_string())
        .collect();
    assert_eq!(cells[..4], ["85.00", "77.50", "77.50", "85.00"], "{row}");
    // The county supervisor's dashboard: 青山 beside the city.
    let csup = f.signed_in("csup").await;
    let page = csup.get_text(&format!("/dashboard?month={}", f.month)).await;
    let n = |id: &str| section(&page, id, "</a>");
    assert!(n("n-phone").contains(">80.00<") && n("n-phone").contains("全市 80.83"));
    assert!(n("n-phone-clerks").contains(">77.50<") && n("n-phone-clerks").contains("全市 85.00"));
    // The report's workbook: both averages per hall (青山中心营业厅 80.00 / 77.50).
    let bytes = sup.get(&format!("/phone/report/export.xlsx?month={}", f.month)).await.bytes().await.unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    use calamine::Reader;
    let halls = book.worksheet_range("营业厅汇总").unwrap();
    let head: Vec<String> = halls.rows().nth(1).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(head[3..5], ["平均分（按通次）", "平均分（按人）"]);
    let qingshan = halls.rows().find(|r| r[1] == "青山中心营业厅").expect("青山");
    assert_eq!((qingshan[3].to_string(), qingshan[4].to_string()), ("80".into(), "77.5".into()));
}
