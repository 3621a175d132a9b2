//! The reading-penalty ledger on a small city of our own: last month's
//! figures (on time, late, unread, exempt, joiner), scope by page and
//! export, exemptions, closing and re-opening, the CLI report.

use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{Browser, TestApp};
use examhall::auth::Role;
use examhall::exam::model::Audience;
use examhall::kb::ledger::close::{current_close, month_ledger};
use examhall::kb::ledger::sheet::Person;
use examhall::kb::model::{Article, Assignment, Draft, Reading, Version};
use examhall::schema::{audit_log, reading_exemptions, users};

/// Last month (Beijing time): over, so it can be closed.
fn last_month() -> (String, NaiveDate) {
    let this = examhall::time::local_month(examhall::db::now());
    let first = NaiveDate::parse_from_str(&format!("{this}-01"), "%Y-%m-%d").unwrap();
    let first = first.checked_sub_months(chrono::Months::new(1)).unwrap();
    (first.format("%Y-%m").to_string(), first)
}

/// A Beijing wall-clock time as the UTC the database holds.
fn beijing(day: NaiveDate, h: u32, m: u32, s: u32) -> NaiveDateTime {
    day.and_hms_opt(h, m, s).unwrap() - chrono::Duration::hours(8)
}

struct Fixture {
    app: TestApp,
    month: String,
    /// Items: 《5G 套餐资费调整》 due on the 10th, 《实名制登记规范》 due on the 20th.
    a: i32,
    b: i32,
    version_b: i32,
    /// Clerks by 工号.
    clerk: std::collections::HashMap<&'static str, i32>,
}

/// 10001 (county): A on time at 23:59:59 of its due date, B unread → 1.
/// 10002 (county): A confirmed 00:00:00 the day after (late), B on time → 1.
/// 10003 (city district): both unread → 2. 10005 (county): A unread → 1
/// until exempted. 10004 (city district) joined after both due dates → 0.
async fn fixture() -> Fixture {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let admin = app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    app.add_user("sup", "市主管", None, &[(Role::Supervisor, city.city)]);
    app.add_user("csup", "青山主管", None, &[(Role::Supervisor, city.county)]);
    app.add_user("sup2", "城区主管", None, &[(Role::Supervisor, city.district)]);
    app.add_user("trainer", "培训师", None, &[(Role::Trainer, city.city)]);
    app.add_user("hm", "厅经理", Some(city.county_hall), &[(Role::HallManager, city.county_hall)]);
    let mut clerk = std::collections::HashMap::new();
    for (no, name, hall) in [
        ("10001", "张一", city.county_hall),
        ("10002", "李二", city.county_hall),
        ("10003", "王三", city.city_hall),
        ("10004", "赵四", city.city_hall),
        ("10005", "钱五", city.county_hall),
    ] {
        clerk.insert(no, app.add_user(no, name, Some(hall), &[(Role::Clerk, hall)]));
    }
    let (month, first) = last_month();
    let due_a = first + Days::new(9);
    let due_b = first + Days::new(19);
    let mut conn = app.conn();
    // Everyone joined long before, but 10004 on the 25th.
    let hired = beijing(first - Days::new(90), 9, 0, 0);
    diesel::update(users::table).set(users::created_at.eq(hired)).execute(&mut conn).unwrap();
    let joined = beijing(first + Days::new(24), 9, 0, 0);
    diesel::update(users::table.find(clerk["10004"]))
        .set(users::created_at.eq(joined))
        .execute(&mut conn)
        .unwrap();
    let at = beijing(first, 9, 0, 0) - Days::new(3);
    let article = |conn: &mut _, title: &str| {
        let draft = Draft {
            title: title.into(),
            category: "资费政策".into(),
            effective_date: first.to_string(),
            body: format!("{title}的正文。"),
            ..Draft::default()
        };
        Article::create(conn, &draft.check().unwrap(), admin, at).unwrap()
    };
    let a = article(&mut conn, "5G 套餐资费调整");
    let b = article(&mut conn, "实名制登记规范");
    let (va, vb) = (
        Version::of(&mut conn, a, 1).unwrap().unwrap().id,
        Version::of(&mut conn, b, 1).unwrap().unwrap().id,
    );
    let clerks =
        Audience { units: vec![city.city], roles: vec!["clerk".into()], include: vec![], exclude: vec![] };
    Assignment::insert(&mut conn, a, va, &clerks, due_a, None, admin, at).unwrap();
    Assignment::insert(&mut conn, b, vb, &clerks, due_b, None, admin, at).unwrap();
    let confirm = |conn: &mut _, user: i32, version: i32, when: NaiveDateTime| {
        let r = Reading::open(conn, user, version, when - chrono::Duration::minutes(5)).unwrap();
        Reading::confirm(conn, r.id, when).unwrap();
    };
    confirm(&mut conn, clerk["10001"], va, beijing(due_a, 23, 59, 59));
    confirm(&mut conn, clerk["10002"], va, beijing(due_a + Days::new(1), 0, 0, 0));
    confirm(&mut conn, clerk["10002"], vb, beijing(due_b, 10, 0, 0));
    confirm(&mut conn, clerk["10005"], vb, beijing(due_b, 10, 0, 0));
    drop(conn);
    Fixture { app, month, a, b, version_b: vb, clerk }
}

impl Fixture {
    async fn signed_in(&self, login: &str) -> Browser {
        let b = self.app.browser();
        b.login_ok(login).await;
        b
    }

    /// (工号 → (charged items, amount)) of the month as computed now.
    fn figures(&self) -> Vec<(String, usize, String)> {
        let today = examhall::time::local_date(examhall::db::now());
        let ml =
            month_ledger(&mut self.app.conn(), examhall::domain::Month::parse(&self.month).unwrap(), today)
                .unwrap();
        ml.ledger
            .people
            .iter()
            .map(|p: &Person| (p.staff_no.clone(), p.penalty.count, p.amount.clone()))
            .collect()
    }

    fn assignment(&self, article: i32) -> i32 {
        Assignment::for_article(&mut self.app.conn(), article).unwrap()[0].id
    }

    fn audits(&self, action: &str) -> i64 {
        audit_log::table
            .filter(audit_log::action.eq(action))
            .count()
            .get_result(&mut self.app.conn())
            .unwrap()
    }

    async fn exempt(&self, b: &Browser, article: i32, no: &str, reason: &str) -> reqwest::Response {
        self.exemption(b, "/kb/ledger/exempt", article, no, reason).await
    }

    async fn lift(&self, b: &Browser, article: i32, no: &str, reason: &str) -> reqwest::Response {
        self.exemption(b, "/kb/ledger/exempt/lift", article, no, reason).await
    }

    async fn exemption(
        &self,
        b: &Browser,
        path: &str,
        article: i32,
        no: &str,
        reason: &str,
    ) -> reqwest::Response {
        let (assignment, user) = (self.assignment(article).to_string(), self.clerk[no].to_string());
        let form = [
            ("month", self.month.as_str()),
            ("assignment_id", &assignment),
            ("user_id", &user),
            ("reason", reason),
        ];
        b.post(path, &form).await
    }
}

fn exemptions(app: &TestApp) -> i64 {
    reading_exemptions::table.count().get_result(&mut app.conn()).unwrap()
}

#[tokio::test]
async fn the_ledger_charges_unread_and_late_items_not_exemptions_nor_joiners() {
    let f = fixture().await;
    let row = |no: &str, n: usize, amount: &str| (no.to_string(), n, amount.to_string());
    assert_eq!(
        f.figures(),
        vec![
            row("10003", 2, "20.00"),
            row("10001", 1, "10.00"),
            row("10002", 1, "10.00"),
            row("10005", 1, "10.00")
        ],
        "the joiner 10004 is not in it; city district first (created first), then by 工号"
    );
    let sup = f.signed_in("csup").await;
    // A reason is required.
    f.exempt(&sup, f.a, "10005", "  ").await;
    assert_eq!(exemptions(&f.app), 0);
    let before = f.audits("reading_exempt");
    let res = f.exempt(&sup, f.a, "10005", "病假（11月1日—15日）").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!((exemptions(&f.app), f.audits("reading_exempt")), (1, before + 1));
    assert!(f.figures().contains(&row("10005", 0, "0.00")), "exempt items are not charged");
    let page = sup.get_text(&format!("/kb/ledger?month={}", f.month)).await;
    for text in ["逾期已读", "已豁免", "病假（11月1日—15日）", "《实名制登记规范》", "青山中心营业厅"]
    {
        assert!(page.contains(text), "{text}: {page}");
    }
    // 10002 read A at 00:00 the day after: shown as late, with when.
    let due_a = last_month().1 + Days::new(10);
    assert!(page.contains(&format!("{} 00:00 补读", due_a.format("%Y-%m-%d"))), "{page}");
    // Exempting twice says so and writes nothing.
    f.exempt(&sup, f.a, "10005", "再来一次").await;
    assert_eq!(exemptions(&f.app), 1);
}

#[tokio::test]
async fn a_county_supervisor_sees_only_their_county_by_page_and_export() {
    let f = fixture().await;
    let csup = f.signed_in("csup").await;
    let page = csup.get_text(&format!("/kb/ledger?month={}", f.month)).await;
    assert!(page.contains("张一") && page.contains("李二"), "{page}");
    assert!(!page.contains("王三") && !page.contains("人民路营业厅"), "another area's clerk: {page}");
    // Printed, a hall's table repeats its county and hall on every page it runs onto.
    let label = format!(
        r#"<tr class="print-only"><th colspan="5">青山县分公司 · 青山中心营业厅（{}）</th></tr>"#,
        f.month
    );
    assert!(page.contains(&label), "{page}");
    let res = csup.get(&format!("/kb/ledger/export.xlsx?month={}", f.month)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    let table = examhall::roster::parse::read_table("台账.xlsx", &bytes).unwrap();
    let text = format!("{table:?}");
    assert!(
        text.contains("\"工号\", \"姓名\", \"营业厅\", \"未读条数\", \"扣款金额（元）\", \"明细\""),
        "{text}"
    );
    crate::helpers::assert_prints(&bytes, 0, false, &f.month);
    // The total row: the county's 10001, 10002 and 10005 one item each (the
    // fixture's doc), 10 yuan an item.
    let total = table.iter().find(|r| r.first().map(String::as_str) == Some("合计")).expect("a total row");
    assert_eq!((total[3].as_str(), total[4].as_str()), ("3", "30"), "{total:?}");
    assert!(text.contains("10001") && text.contains("《实名制登记规范》（截止"), "{text}");
    assert!(!text.contains("10003"), "the export keeps the scope: {text}");
    // A supervisor of another area cannot exempt; neither can a trainer (who sees everything).
    assert_eq!(f.exempt(&csup, f.b, "10003", "请假").await.status(), StatusCode::FORBIDDEN);
    let trainer = f.signed_in("trainer").await;
    assert!(trainer.get_text(&format!("/kb/ledger?month={}", f.month)).await.contains("王三"));
    assert_eq!(f.exempt(&trainer, f.b, "10003", "请假").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(exemptions(&f.app), 0);
    // The city supervisor's export has everyone charged.
    let sup = f.signed_in("sup").await;
    let all = sup.get(&format!("/kb/ledger/export.xlsx?month={}", f.month)).await.bytes().await.unwrap();
    let text = format!("{:?}", examhall::roster::parse::read_table("台账.xlsx", &all).unwrap());
    assert!(text.contains("10003") && text.contains("20"), "{text}");
    // Clerks and hall managers do not see the ledger.
    for login in ["10001", "hm"] {
        let b = f.signed_in(login).await;
        assert_eq!(b.get("/kb/ledger").await.status(), StatusCode::FORBIDDEN, "{login}");
        assert_eq!(b.get("/kb/ledger/export.xlsx").await.status(), StatusCode::FORBIDDEN, "{login}");
        assert_eq!(b.get("/kb/compliance").await.status(), StatusCode::FORBIDDEN, "{login}");
    }
}

#[tokio::test]
async fn closing_freezes_the_month_with_its_rate_and_reopening_is_an_audited_admin_action() {
    let f = fixture().await;
    let (csup, sup, admin) =
        (f.signed_in("csup").await, f.signed_in("sup").await, f.signed_in("admin").await);
    let closed = |f: &Fixture| {
        current_close(&mut f.app.conn(), examhall::domain::Month::parse(&f.month).unwrap()).unwrap()
    };
    // This month is not over: it cannot be closed.
    let this = examhall::time::local_month(examhall::db::now());
    sup.post("/kb/ledger/close", &[("month", &this)]).await;
    assert!(current_close(&mut f.app.conn(), examhall::domain::Month::parse(&this).unwrap())
        .unwrap()
        .is_none());
    // A county supervisor cannot close the whole city's ledger.
    csup.post("/kb/ledger/close", &[("month", &f.month)]).await;
    assert!(closed(&f).is_none());
    sup.post("/kb/ledger/close", &[("month", &f.month)]).await;
    let close_row = closed(&f).expect("closed by the city supervisor");
    assert_eq!(
        (
            close_row.snapshot::<examhall::kb::ledger::sheet::Ledger>().unwrap().rate_fen,
            f.audits("kb_ledger_close")
        ),
        (1000, 1)
    );
    let url = format!("/kb/ledger?month={}", f.month);
    let flashed = sup.get_text(&url).await;
    assert!(flashed.contains("必读台账已关账：4 人扣款，合计 50.00 元"), "{flashed}");
    let frozen = sup.get_text(&url).await;
    assert!(frozen.contains("已关账") && frozen.contains("10.00 元/条"), "{frozen}");

    // A late confirm, a new rate and an exemption change nothing once closed.
    let mut conn = f.app.conn();
    let r = Reading::open(&mut conn, f.clerk["10001"], f.version_b, examhall::db::now()).unwrap();
    Reading::confirm(&mut conn, r.id, examhall::db::now()).unwrap();
    let admin_id = f.app.user_by_login("admin").unwrap().id;
    examhall::settings::store(&mut conn, &examhall::settings::KB_PENALTY_YUAN, "20", admin_id).unwrap();
    drop(conn);
    // (The admin tries: the refusal's flash would show on the supervisor's next page.)
    f.exempt(&admin, f.b, "10003", "出差").await;
    assert_eq!(exemptions(&f.app), 0, "a closed month takes no exemption");
    assert_eq!(sup.get_text(&url).await, frozen);
    assert!(
        f.figures().contains(&("10003".to_string(), 2, "20.00".to_string())),
        "the snapshot's rate stays"
    );

    // Only an admin re-opens, with a reason.
    assert_eq!(
        sup.post("/kb/ledger/reopen", &[("month", &f.month), ("reason", "想改")]).await.status(),
        StatusCode::FORBIDDEN
    );
    admin.post("/kb/ledger/reopen", &[("month", &f.month), ("reason", " ")]).await;
    assert!(closed(&f).is_some(), "no reason, still closed");
    admin.post("/kb/ledger/reopen", &[("month", &f.month), ("reason", "扣款标准调整")]).await;
    assert!(closed(&f).is_none());
    assert_eq!(f.audits("kb_ledger_reopen"), 1);
    let page = sup.get_text(&url).await;
    assert!(page.contains("重新开账后的变化") && page.contains("扣款标准调整"), "{page}");
    assert!(page.contains("10.00 元/条 → 20.00 元/条"), "{page}");
    // Live again: the late read stays charged, at the new rate.
    assert!(f.figures().contains(&("10001".to_string(), 1, "20.00".to_string())));
    assert!(page.contains("10001 张一") && page.contains("1 条 10.00 元 → 1 条 20.00 元"), "{page}");
}

#[tokio::test]
async fn the_cli_writes_the_payroll_csv_and_xlsx() {
    let f = fixture().await;
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_examhall"))
            .args(args)
            .env("DATABASE_URL", &f.app.db_url)
            .env("RUST_LOG", "error")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, out, err) = run(&["report", "reading-penalty", "--month", &f.month]);
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "工号,姓名,营业厅,未读条数,扣款金额,明细");
    assert_eq!(lines.len(), 5, "one row per charged person: {out}");
    assert!(
        lines[1].starts_with("10003,王三,人民路营业厅,2,20.00,《5G 套餐资费调整》（截止 "),
        "{}",
        lines[1]
    );
    assert!(lines
        .iter()
        .any(|l| l.starts_with("10002,李二,青山中心营业厅,1,10.00,") && l.contains("逾期已读")));
    let (code, _, err) = run(&["report", "reading-penalty", "--month", &f.month, "--format", "xlsx"]);
    assert_eq!(code, Some(1), "xlsx needs --output: {err}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("扣款.xlsx");
    let (code, _, err) = run(&[
        "report",
        "reading-penalty",
        "--month",
        &f.month,
        "--format",
        "xlsx",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let table = examhall::roster::parse::read_table("扣款.xlsx", &std::fs::read(&file).unwrap()).unwrap();
    assert!(format!("{table:?}").contains("10003"));
    assert_eq!(run(&["report", "reading-penalty", "--month", "2026-13"]).0, Some(1));
}

#[tokio::test]
async fn the_compliance_view_charts_each_item_by_hall() {
    let f = fixture().await;
    let sup = f.signed_in("sup").await;
    let all = sup.get_text("/kb/compliance").await;
    assert!(all.contains("5G 套餐资费调整") && all.contains("实名制登记规范"), "{all}");
    let one = sup.get_text(&format!("/kb/compliance?article={}", f.a)).await;
    assert!(one.contains("<svg") && one.contains("人民路营业厅") && one.contains("青山中心营业厅"), "{one}");
    // 4 counted clerks (the joiner is not): 10001 on time, 10002 late, 10003 and 10005 unread.
    assert!(one.contains("应读 4 人：按时 1，逾期补读 1，未读 2"), "{one}");
    let csup = f.signed_in("csup").await;
    let county = csup.get_text(&format!("/kb/compliance?article={}", f.a)).await;
    assert!(county.contains("应读 3 人") && !county.contains("人民路营业厅"), "{county}");
}

/// A mistaken exemption is taken back by the same people, with a reason,
/// while the month is open: the item is charged again, and the log says who.
#[tokio::test]
async fn an_exemption_can_be_lifted_while_the_month_is_open() {
    let f = fixture().await;
    let row = |no: &str, n: usize, amount: &str| (no.to_string(), n, amount.to_string());
    let csup = f.signed_in("csup").await;
    f.exempt(&csup, f.a, "10005", "病假").await;
    assert!(f.figures().contains(&row("10005", 0, "0.00")));
    let url = format!("/kb/ledger?month={}", f.month);
    let page = csup.get_text(&url).await;
    assert!(page.contains(r#"action="/kb/ledger/exempt/lift""#) && page.contains("撤销豁免"), "{page}");

    // Not without a reason; not by a supervisor of another area, nor a trainer.
    f.lift(&csup, f.a, "10005", " ").await;
    assert_eq!(exemptions(&f.app), 1);
    let other = f.signed_in("sup2").await;
    assert_eq!(f.lift(&other, f.a, "10005", "有误").await.status(), StatusCode::FORBIDDEN);
    let trainer = f.signed_in("trainer").await;
    assert_eq!(f.lift(&trainer, f.a, "10005", "有误").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(exemptions(&f.app), 1);

    let res = f.lift(&csup, f.a, "10005", "请假记录有误").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!((exemptions(&f.app), f.audits("reading_exempt_lift")), (0, 1));
    assert!(f.figures().contains(&row("10005", 1, "10.00")), "charged again");
    let page = csup.get_text(&url).await;
    assert!(page.contains("已撤销 钱五 的必读《5G 套餐资费调整》的豁免"), "{page}");
    // Lifting what is not exempt says so and writes nothing.
    f.lift(&csup, f.a, "10005", "再来一次").await;
    assert!(csup.get_text(&url).await.contains(examhall::web::msg::LEDGER_NOT_EXEMPT));
    assert_eq!(f.audits("reading_exempt_lift"), 1);
    let log = f.signed_in("admin").await.get_text("/admin/audit?action=reading_exempt_lift").await;
    assert!(log.contains("撤销必读豁免") && log.contains("请假记录有误"), "{log}");

    // Once the month is closed, an exemption stays as it was.
    f.exempt(&csup, f.a, "10005", "病假").await;
    let sup = f.signed_in("sup").await;
    sup.post("/kb/ledger/close", &[("month", &f.month)]).await;
    f.lift(&csup, f.a, "10005", "有误").await;
    assert_eq!(exemptions(&f.app), 1, "a closed month keeps its exemptions");
}

#[tokio::test]
async fn a_district_made_after_the_counties_still_leads_the_page_and_the_workbook() {
    use examhall::org::model::OrgUnit;
    use examhall::org::rules::UnitKind;
    let f = fixture().await;
    // 人民路营业厅 moves to a district made after 青山县分公司 (a larger id).
    let mut conn = f.app.conn();
    let hall = f.app.user(f.clerk["10003"]).hall_id.unwrap();
    let city = OrgUnit::root(&mut conn).unwrap().unwrap().id;
    let district = OrgUnit::insert(&mut conn, Some(city), UnitKind::District, "江州新区").unwrap();
    OrgUnit::set_parent(&mut conn, hall, district).unwrap();
    drop(conn);
    let order: Vec<String> = f.figures().into_iter().map(|r| r.0).collect();
    assert_eq!(order, ["10003", "10001", "10002", "10005"]);
    let sup = f.signed_in("sup").await;
    let page = sup.get_text(&format!("/kb/ledger?month={}", f.month)).await;
    let at = |text: &str| page.find(&format!("\">{text} <span")).unwrap_or_else(|| panic!("{text}: {page}"));
    assert!(at("江州新区") < at("青山县分公司"), "{page}");
    let bytes = sup.get(&format!("/kb/ledger/export.xlsx?month={}", f.month)).await.bytes().await.unwrap();
    let table = examhall::roster::parse::read_table("台账.xlsx", &bytes).unwrap();
    let numbers: Vec<&str> =
        table.iter().filter_map(|r| r.first()).map(String::as_str).filter(|c| c.starts_with("100")).collect();
    assert_eq!(numbers, ["10003", "10001", "10002", "10005"]);
}
