//! Hall inspections: a daily check filled item by item at the hall (verdicts,
//! a photo, the queue), refused until complete, scored by hand-derived
//! figures, its failed items in the defect library and closed by a later
//! pass; who may see and touch an inspection and its photos.

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{location, Browser, City, TestApp};
use examhall::auth::Role;
use examhall::schema::{defects, inspections};

pub struct Halls {
    pub app: TestApp,
    pub city: City,
    /// 厅经理 of the county hall.
    pub manager: Browser,
    /// 厅经理 of the city-district hall.
    pub other: Browser,
    /// The county's supervisor.
    pub county: Browser,
}

pub async fn halls() -> Halls {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("20001", "王厅经理", Some(city.county_hall), &[(Role::HallManager, city.county_hall)]);
    app.add_user("20002", "李厅经理", Some(city.city_hall), &[(Role::HallManager, city.city_hall)]);
    app.add_user("80001", "青山主管", None, &[(Role::Supervisor, city.county)]);
    let (manager, other, county) = (app.browser(), app.browser(), app.browser());
    manager.login_ok("20001").await;
    other.login_ok("20002").await;
    county.login_ok("80001").await;
    Halls { app, city, manager, other, county }
}

/// Starts the day's check of `hall`; the inspection's id.
pub async fn start_daily(b: &Browser, hall: i32) -> i32 {
    let res = b.post("/inspections/daily", &[("hall", &hall.to_string())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    to.trim_start_matches("/inspections/").parse().unwrap_or_else(|_| panic!("went to {to}"))
}

/// Saves one item as the page's script does (multipart, asking for JSON).
pub async fn answer(
    b: &Browser,
    id: i32,
    code: &str,
    outcome: &str,
    note: &str,
    photo: Option<Vec<u8>>,
) -> serde_json::Value {
    let mut form = b
        .upload_form()
        .await
        .text("code", code.to_string())
        .text("outcome", outcome.to_string())
        .text("note", note.to_string());
    if let Some(bytes) = photo {
        form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name("IMG_0001.jpg"));
    }
    let res = b
        .client
        .post(b.url(&format!("/inspections/{id}/item")))
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// Every item of the shipped standard but the queue (Q1).
pub const CODES: [&str; 29] = [
    "H1", "H2", "H3", "H4", "H5", "H6", "H7", "H8", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "B1",
    "B2", "B3", "B4", "B5", "B6", "B7", "B8", "Q2", "C1", "C2", "C3", "C4",
];

/// A phone photo: a JPEG with EXIF carrying a location marker.
pub fn phone_photo() -> Vec<u8> {
    use image::ImageEncoder;
    let img = image::RgbImage::from_pixel(64, 48, image::Rgb([180, 40, 40]));
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new(&mut out);
    let mut exif = b"II\x2a\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x01\0\0\0\0\0\0\0".to_vec();
    exif.extend_from_slice(b"GPS-29.56N-106.55E");
    enc.set_exif_metadata(exif).unwrap();
    enc.write_image(img.as_raw(), 64, 48, image::ExtendedColorType::Rgb8).unwrap();
    out
}

fn open_defects(app: &TestApp, hall: i32) -> Vec<String> {
    let mut codes: Vec<String> = defects::table
        .filter(defects::hall_id.eq(hall))
        .filter(defects::closed_at.is_null())
        .select(defects::item_code)
        .load(&mut app.conn())
        .unwrap();
    codes.sort();
    codes
}

#[tokio::test]
async fn a_daily_check_is_saved_item_by_item_scored_and_its_failures_become_defects() {
    let h = halls().await;
    let id = start_daily(&h.manager, h.city.county_hall).await;
    // Starting again the same day continues the unfinished one.
    assert_eq!(start_daily(&h.manager, h.city.county_hall).await, id);
    // Nobody starts a check of a hall they do not run.
    let res = h.manager.post("/inspections/daily", &[("hall", &h.city.city_hall.to_string())]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    for code in CODES {
        let outcome = if code == "B1" || code == "H3" { "fail" } else { "pass" };
        answer(&h.manager, id, code, outcome, "", None).await;
    }
    let j = answer(&h.manager, id, "B1", "fail", "两名营业员答错 12 月资费调整", None).await;
    assert_eq!(j["answered"], 29);
    assert_eq!(j["total"], 30);
    // H3 requires a photo when failed; the queue is not measured yet.
    let res = h.manager.post(&format!("/inspections/{id}/submit"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = h.manager.get_text(&format!("/inspections/{id}")).await;
    assert!(page.contains("以下不合格项要求拍照，还没有照片：H3 资费及业务公告齐全且在有效期内"), "{page}");
    assert!(inspections::table
        .find(id)
        .select(inspections::submitted_at)
        .first::<Option<chrono::NaiveDateTime>>(&mut h.app.conn())
        .unwrap()
        .is_none());

    let j = answer(&h.manager, id, "H3", "fail", "12 月资费公告未张贴", Some(phone_photo())).await;
    assert_eq!(j["ok"], true, "{j}");
    assert_eq!(j["photos"]["H3"].as_array().map(Vec::len), Some(1));
    assert_eq!(j["missing"], "还没有记录排队等候情况（最长等候分钟数和等候人数），或勾选“不适用”。");
    // 12 minutes is the 15-minute band: 80 % of Q1's 16 points.
    let res =
        h.manager.post(&format!("/inspections/{id}/queue"), &[("minutes", "12"), ("waiting", "5")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = h.manager.post(&format!("/inspections/{id}/submit"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // 100 − B1 5 − H3 3 − (16 − 12.8) = 88.8
    let (score, zero): (Option<i32>, i32) = inspections::table
        .find(id)
        .select((inspections::score, inspections::zero_hits))
        .first(&mut h.app.conn())
        .unwrap();
    assert_eq!((score, zero), (Some(8_880), 0));
    assert_eq!(open_defects(&h.app, h.city.county_hall), vec!["B1", "H3"]);

    // Submitted: nothing changes any more.
    let j = answer(&h.manager, id, "B1", "pass", "", None).await;
    assert_eq!(j["ok"], false);
    assert_eq!(j["error"], "这次巡检已提交，不能再修改。");
    assert_eq!(open_defects(&h.app, h.city.county_hall), vec!["B1", "H3"]);

    // The photo: its inspector and the county's supervisor see it, without
    // the phone's EXIF; another hall's manager gets nothing.
    let photo: i32 = j["photos"]["H3"][0].as_i64().unwrap() as i32;
    let res = h.county.get(&format!("/inspections/photos/{photo}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let bytes = res.bytes().await.unwrap();
    assert!(!bytes.windows(4).any(|w| w == b"Exif"));
    assert!(!bytes.windows(8).any(|w| w == b"GPS-29.5"));
    assert_eq!(h.other.get(&format!("/inspections/photos/{photo}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(h.other.get(&format!("/inspections/{id}")).await.status(), StatusCode::NOT_FOUND);
    let page = h.county.get_text(&format!("/inspections/{id}")).await;
    assert!(page.contains("88.8") && page.contains("12 月资费公告未张贴"), "{page}");

    // A second check the same day that passes everything closes both defects.
    let second = start_daily(&h.manager, h.city.county_hall).await;
    assert_ne!(second, id);
    for code in CODES {
        answer(&h.manager, second, code, "pass", "", None).await;
    }
    h.manager.post(&format!("/inspections/{second}/queue"), &[("na", "1")]).await;
    h.manager.post(&format!("/inspections/{second}/submit"), &[]).await;
    let score: Option<i32> =
        inspections::table.find(second).select(inspections::score).first(&mut h.app.conn()).unwrap();
    // The queue N/A leaves 84 points, all earned.
    assert_eq!(score, Some(10_000));
    assert!(open_defects(&h.app, h.city.county_hall).is_empty());
    let home = h.manager.get_text("/inspections").await;
    assert!(home.contains("今天已完成 <strong>2</strong> / 2 次"), "{home}");
}

#[tokio::test]
async fn only_its_inspector_fills_an_inspection_and_bad_photos_are_refused_clearly() {
    let h = halls().await;
    let id = start_daily(&h.manager, h.city.county_hall).await;
    // The county supervisor sees it but cannot answer for the manager.
    let res = h
        .county
        .client
        .post(h.county.url(&format!("/inspections/{id}/item")))
        .multipart(h.county.upload_form().await.text("code", "H1").text("outcome", "fail").text("note", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = h.other.post(&format!("/inspections/{id}/submit"), &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // An item the standard does not have.
    let res = h
        .manager
        .client
        .post(h.manager.url(&format!("/inspections/{id}/item")))
        .multipart(h.manager.upload_form().await.text("code", "Z9").text("outcome", "pass"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // An SVG dressed as a photo, and an iPhone HEIC.
    let j = answer(
        &h.manager,
        id,
        "H1",
        "fail",
        "",
        Some(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec()),
    )
    .await;
    assert_eq!(j["error"], "上传的文件不是照片（只接受 JPEG、PNG、WebP 图片）。");
    let j =
        answer(&h.manager, id, "H1", "fail", "", Some(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic....".to_vec()))
            .await;
    assert!(j["error"].as_str().unwrap_or_default().contains("HEIC"), "{j}");
    // The refused photo rolled its item back too: H1 is not saved as failed.
    assert_eq!(j["answered"], 0);
    // Queue figures out of range.
    h.manager.post(&format!("/inspections/{id}/queue"), &[("minutes", "-3"), ("waiting", "2")]).await;
    let page = h.manager.get_text(&format!("/inspections/{id}")).await;
    assert!(page.contains("请填写最长等候时间（0–600 分钟）和等候人数（0–500 人），均为整数。"), "{page}");
}

pub async fn reply(b: &Browser, order: i32, note: &str) -> reqwest::Response {
    let form = b.upload_form().await.text("note", note.to_string());
    b.client.post(b.url(&format!("/orders/{order}/reply"))).multipart(form).send().await.unwrap()
}

fn order_status(app: &TestApp, id: i32) -> String {
    use examhall::schema::correction_orders;
    correction_orders::table.find(id).select(correction_orders::status).first(&mut app.conn()).unwrap()
}

#[tokio::test]
async fn a_cross_inspection_round_leads_to_a_correction_order_from_issue_to_close() {
    let h = halls().await;
    h.app.add_user("80000", "市公司主管", None, &[(Role::Supervisor, h.city.city)]);
    h.app.add_user("30001", "青山班长", Some(h.city.county_hall), &[(Role::TeamLeader, h.city.county_hall)]);
    let (city, leader) = (h.app.browser(), h.app.browser());
    city.login_ok("80000").await;
    leader.login_ok("30001").await;
    let month = examhall::domain::Month::current().to_string();

    // Only the city office plans; the draft is the city's alone.
    assert_eq!(h.county.get("/inspections/cross").await.status(), StatusCode::FORBIDDEN);
    let res = city.post("/inspections/cross", &[("month", &month)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = city.get_text(&format!("/inspections/cross?month={month}")).await;
    assert!(page.contains("人民路营业厅") && page.contains("草稿"), "{page}");
    // The county's own hall cannot go to the county's only leader: not in the round.
    assert!(!page.contains("<th scope=\"row\" data-label=\"营业厅\">青山中心营业厅"), "{page}");
    assert!(!leader.get_text("/inspections").await.contains("我的巡检任务"));
    let round = crate::helpers::extract(&page, r#"/inspections/rounds/(\d+)/publish"#).unwrap();
    city.post(&format!("/inspections/rounds/{round}/publish"), &[]).await;
    let home = leader.get_text("/inspections").await;
    assert!(home.contains("我的巡检任务") && home.contains("人民路营业厅"), "{home}");
    let task = crate::helpers::extract(&home, r#"/inspections/assignments/(\d+)/start"#).unwrap();
    // Someone else cannot start the leader's visit.
    assert_eq!(
        h.manager.post(&format!("/inspections/assignments/{task}/start"), &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    let res = leader.post(&format!("/inspections/assignments/{task}/start"), &[]).await;
    let id: i32 = location(&res).trim_start_matches("/inspections/").parse().unwrap();
    for code in CODES {
        answer(&leader, id, code, if code == "S1" { "fail" } else { "pass" }, "一名营业员未佩戴工牌", None)
            .await;
    }
    leader.post(&format!("/inspections/{id}/queue"), &[("minutes", "8"), ("waiting", "3")]).await;
    leader.post(&format!("/inspections/{id}/submit"), &[]).await;
    // The visit is done: no task any more.
    assert!(!leader.get_text("/inspections").await.contains("我的巡检任务"));

    // The inspector issues the 纠错单; a due date in the past is refused.
    let res = leader.post(&format!("/inspections/{id}/order"), &[("due", "2020-01-01")]).await;
    assert_eq!(location(&res), format!("/inspections/{id}"));
    let due = (examhall::time::local_date(examhall::db::now()) + chrono::Days::new(3)).to_string();
    let res =
        leader.post(&format!("/inspections/{id}/order"), &[("due", &due), ("note", "三日内整改")]).await;
    let to = location(&res);
    let order: i32 = to.trim_start_matches("/orders/").parse().unwrap_or_else(|_| panic!("{to}"));
    assert_eq!(order_status(&h.app, order), "open");
    let sheet = h.other.get_text(&to).await;
    assert!(
        sheet.contains("营业厅服务纠错单")
            && sheet.contains("S1")
            && sheet.contains("李厅经理")
            && sheet.contains("整改反馈"),
        "{sheet}"
    );
    // Another county's hall manager sees nothing of it.
    assert_eq!(h.manager.get(&to).await.status(), StatusCode::NOT_FOUND);
    // The hall replies, the inspector returns it with a reason (none: refused).
    assert_eq!(reply(&h.other, order, "已要求全员佩戴工牌").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(order_status(&h.app, order), "replied");
    leader.post(&format!("/orders/{order}/decide"), &[("decision", "return"), ("note", "")]).await;
    assert_eq!(order_status(&h.app, order), "replied");
    leader
        .post(&format!("/orders/{order}/decide"), &[("decision", "return"), ("note", "请附工牌佩戴照片")])
        .await;
    assert_eq!(order_status(&h.app, order), "returned");
    // The hall manager cannot close their own order.
    assert_eq!(
        h.other.post(&format!("/orders/{order}/decide"), &[("decision", "close")]).await.status(),
        StatusCode::FORBIDDEN
    );
    reply(&h.other, order, "已补拍照片，班前会检查工牌").await;
    leader.post(&format!("/orders/{order}/decide"), &[("decision", "close"), ("note", "")]).await;
    assert_eq!(order_status(&h.app, order), "closed");
    let open: i64 = defects::table
        .filter(defects::hall_id.eq(h.city.city_hall))
        .filter(defects::closed_at.is_null())
        .count()
        .get_result(&mut h.app.conn())
        .unwrap();
    assert_eq!(open, 0);
    let sheet = city.get_text(&to).await;
    for step in ["下发", "整改反馈", "退回", "请附工牌佩戴照片", "验收关闭"] {
        assert!(sheet.contains(step), "{step}: {sheet}");
    }
}

#[tokio::test]
async fn an_overdue_order_escalates_to_the_county_then_the_city() {
    use examhall::inspect::model::{Inspection, Kind};
    use examhall::inspect::orders::Order;
    let h = halls().await;
    h.app.add_user("80000", "市公司主管", None, &[(Role::Supervisor, h.city.city)]);
    let city = h.app.browser();
    city.login_ok("80000").await;
    let inspector = h.app.user_by_login("80000").unwrap().id;
    let now = examhall::db::now();
    let today = examhall::time::local_date(now);
    let mut conn = h.app.conn();
    let i = Inspection::start(&mut conn, Kind::Spot, h.city.county_hall, inspector, None, now).unwrap();
    for code in CODES {
        Inspection::save_verdict(&mut conn, i.id, code, examhall::inspect::rules::Outcome::Pass, "", now)
            .unwrap();
    }
    Inspection::save_verdict(
        &mut conn,
        i.id,
        "H2",
        examhall::inspect::rules::Outcome::Fail,
        "台面堆放宣传单",
        now,
    )
    .unwrap();
    Inspection::save_verdict(&mut conn, i.id, "Q1", examhall::inspect::rules::Outcome::Na, "", now).unwrap();
    i.submit(&mut conn, now).unwrap().unwrap();
    // Due two days ago: the county's supervisor chases it (up to 3 days late).
    let order = Order::issue(&mut conn, &i, None, today - chrono::Days::new(2), "", inspector, now).unwrap();
    drop(conn);
    let county = h.county.get_text("/inspections").await;
    assert!(county.contains("逾期纠错单") && county.contains("逾期 2 天"), "{county}");
    let home = h.county.get_text("/").await;
    assert!(home.contains(r#"<a class="stat bad" href="/orders"><span class="stat-value">1</span><span class="stat-label">逾期未整改的纠错单</span>"#), "{home}");
    let hall_home = h.manager.get_text("/").await;
    assert!(
        hall_home
            .contains(r#"<span class="stat-value">1</span><span class="stat-label">待整改的纠错单</span>"#),
        "{hall_home}"
    );
    assert!(
        hall_home
            .contains(r#"<span class="stat-value">0 / 2</span><span class="stat-label">今日日检</span>"#),
        "{hall_home}"
    );
    assert!(!city.get_text("/inspections").await.contains("逾期纠错单"));
    // Four days late: the city office too.
    use examhall::schema::correction_orders;
    diesel::update(correction_orders::table.find(order.id))
        .set(correction_orders::due_date.eq(today - chrono::Days::new(4)))
        .execute(&mut h.app.conn())
        .unwrap();
    assert!(city.get_text("/inspections").await.contains("逾期 4 天"));
    let list = city.get_text("/orders").await;
    assert!(list.contains("已报市公司"), "{list}");
    // The hall manager sees it waiting on them.
    assert!(h.manager.get_text("/inspections").await.contains("待整改的纠错单"));
}

/// A submitted inspection made directly: every item passes but `fail`, the
/// queue 5 minutes (full marks), at `when` (UTC).
fn inspected(
    app: &TestApp,
    kind: examhall::inspect::model::Kind,
    hall: i32,
    by: i32,
    fail: &[&str],
    when: chrono::NaiveDateTime,
) {
    use examhall::inspect::model::Inspection;
    use examhall::inspect::rules::{Outcome, Queue};
    let mut conn = app.conn();
    let i = Inspection::start(&mut conn, kind, hall, by, None, when).unwrap();
    for code in CODES {
        let o = if fail.contains(&code) { Outcome::Fail } else { Outcome::Pass };
        Inspection::save_verdict(&mut conn, i.id, code, o, "", when).unwrap();
    }
    Inspection::save_queue(&mut conn, i.id, Some(Queue { minutes: 5, waiting: 1 })).unwrap();
    let i = Inspection::find(&mut conn, i.id).unwrap();
    i.submit(&mut conn, when).unwrap().unwrap();
}

#[tokio::test]
async fn the_defect_library_and_compliance_show_each_hall_against_the_city() {
    use examhall::inspect::model::Kind;
    let h = halls().await;
    h.app.add_user("80000", "市公司主管", None, &[(Role::Supervisor, h.city.city)]);
    let city = h.app.browser();
    city.login_ok("80000").await;
    let manager = h.app.user_by_login("20001").unwrap().id;
    let boss = h.app.user_by_login("80000").unwrap().id;
    let last = examhall::domain::Month::current().previous().unwrap();
    // 10:00 in Shanghai on a day of last month is 02:00 UTC.
    let at = |day: u32, hour: u32| last.first_day().with_day(day).unwrap().and_hms_opt(hour, 0, 0).unwrap();
    use chrono::Datelike;
    // The county hall: two checks on the 1st (100, 100), one on the 2nd with
    // B1 failed (100 − 5 = 95), none after. The city hall: a spot check with
    // H2 failed (98).
    inspected(&h.app, Kind::Daily, h.city.county_hall, manager, &[], at(1, 1));
    inspected(&h.app, Kind::Daily, h.city.county_hall, manager, &[], at(1, 6));
    inspected(&h.app, Kind::Daily, h.city.county_hall, manager, &["B1"], at(2, 1));
    inspected(&h.app, Kind::Spot, h.city.city_hall, boss, &["H2"], at(3, 2));

    let page = city.get_text(&format!("/inspections/defects?month={last}")).await;
    // City: (100 + 100 + 95 + 98) / 4 = 98.25. County hall: 295 / 3 = 98.33 (+0.08); city hall 98 (−0.25).
    assert!(page.contains("全市 98.25 分"), "{page}");
    assert!(
        page.contains(
            r#"data-label="本月均分">98.33</td><td class="num" data-label="与全市差距">+0.08</td>"#
        ),
        "{page}"
    );
    assert!(
        page.contains(
            r#"data-label="本月均分">98.00</td><td class="num bad-text" data-label="与全市差距">-0.25</td>"#
        ),
        "{page}"
    );
    assert!(page.contains("B1 抽问当月资费政策，回答准确：1 次，涉及 1 个营业厅"), "{page}");
    assert!(
        page.contains("<svg") && page.contains("青山中心营业厅 · B1 抽问当月资费政策，回答准确：不合格 1 次"),
        "{page}"
    );
    // The county's supervisor sees only the county's hall.
    let county = h.county.get_text(&format!("/inspections/defects?month={last}")).await;
    assert!(county.contains("青山中心营业厅") && !county.contains("人民路营业厅"), "{county}");

    // Compliance: 2 a day; the 1st met it, the 2nd had 1, every later day 0.
    let page = h.county.get_text(&format!("/inspections/compliance?month={last}")).await;
    let days = last.days();
    assert!(
        page.contains(&format!(
            r#"data-label="统计天数">{days}</td><td class="num" data-label="达标天数">1</td>"#
        )),
        "{page}"
    );
    // 1 day of 28–31, to two decimals.
    let share = match days {
        28 => "3.57%",
        29 => "3.45%",
        30 => "3.33%",
        _ => "3.23%",
    };
    assert!(page.contains(share), "{share}: {page}");
    let second = format!("{:02}-02（1 次）、{:02}-03（0 次）", last.number(), last.number());
    assert!(page.contains(&second), "{page}");
}

#[tokio::test]
async fn the_month_report_sums_each_county_and_exports_as_the_page_shows_it() {
    use chrono::Datelike;
    use examhall::inspect::model::{Inspection, Kind};
    use examhall::inspect::orders::{Order, Status};
    let h = halls().await;
    h.app.add_user("80000", "市公司主管", None, &[(Role::Supervisor, h.city.city)]);
    let city = h.app.browser();
    city.login_ok("80000").await;
    let manager = h.app.user_by_login("20001").unwrap().id;
    let boss = h.app.user_by_login("80000").unwrap().id;
    let last = examhall::domain::Month::current().previous().unwrap();
    let at = |day: u32, hour: u32| last.first_day().with_day(day).unwrap().and_hms_opt(hour, 0, 0).unwrap();
    inspected(&h.app, Kind::Daily, h.city.county_hall, manager, &[], at(1, 1));
    inspected(&h.app, Kind::Daily, h.city.county_hall, manager, &[], at(1, 6));
    inspected(&h.app, Kind::Daily, h.city.county_hall, manager, &["B1"], at(2, 1));
    inspected(&h.app, Kind::Spot, h.city.city_hall, boss, &["H2"], at(3, 2));
    // The spot check's 纠错单: issued on the 3rd, closed two days later to the minute.
    {
        let mut conn = h.app.conn();
        let spot: i32 = inspections::table
            .filter(inspections::kind.eq("spot"))
            .select(inspections::id)
            .first(&mut conn)
            .unwrap();
        let i = Inspection::find(&mut conn, spot).unwrap();
        let o = Order::issue(&mut conn, &i, None, last.first_day().with_day(10).unwrap(), "", boss, at(3, 4))
            .unwrap();
        Order::step(&mut conn, o.id, Status::Replied, "replied", boss, "已整改", at(4, 4)).unwrap();
        Order::step(&mut conn, o.id, Status::Closed, "closed", boss, "", at(5, 4)).unwrap();
    }
    let days = last.days();
    // 人民路 (the district first): 1 spot check, 98, 1 defect found and closed
    // (the order), 2 days to close, no daily checks: 0 of `days` days.
    // 青山中心: 3 daily checks, (100 + 100 + 95) / 3 = 98.33, 1 defect open, 1 day of `days` met.
    let page = city.get_text(&format!("/inspections/report?month={last}")).await;
    let row = |area: &str, hall: &str, cells: &[&str]| {
        let mut s =
            format!(r#"<td data-label="区县">{area}</td><th scope="row" data-label="营业厅">{hall}</th>"#);
        for (label, v) in
            ["日检", "抽检", "交叉巡检", "平均得分", "零容忍", "发现缺陷", "已销项", "整改天数", "日检达标率"]
                .iter()
                .zip(cells)
        {
            s.push_str(&format!(r#"<td class="num" data-label="{label}">{v}</td>"#));
        }
        s
    };
    let compact = page.split_whitespace().collect::<Vec<_>>().join(" ").replace("> <", "><");
    let share_1 = match days {
        28 => "3.57%",
        29 => "3.45%",
        30 => "3.33%",
        _ => "3.23%",
    };
    let share_2 = match days {
        28 => "1.79%",
        29 => "1.72%",
        30 => "1.67%",
        _ => "1.61%",
    };
    for expected in [
        row("江州市区", "人民路营业厅", &["0", "1", "0", "98.00", "0", "1", "1", "2.00", "0.00%"]),
        row("青山县分公司", "青山中心营业厅", &["3", "0", "0", "98.33", "0", "1", "0", "—", share_1]),
        // One hall per area: no area totals; the city's: (100 + 100 + 95 + 98) / 4 = 98.25, 1 of 2 × days.
        row("全市", "合计", &["3", "1", "0", "98.25", "0", "2", "1", "2.00", share_2]),
    ] {
        assert!(compact.contains(&expected), "{expected}\n{compact}");
    }
    assert!(compact.find("人民路营业厅") < compact.find("青山中心营业厅"), "the city district first");
    assert!(page.contains("<svg") && page.contains("近 12 个月"), "{page}");

    let res = city.get(&format!("/inspections/report.xlsx?month={last}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap();
    crate::helpers::assert_prints(&bytes, 0, true, &format!("{last} 营业厅巡检月报 · 全市"));

    let (code, out, err) =
        crate::cli::examhall(&h.app.db_url, &["report", "inspections", "--month", &last.to_string()], "");
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "区县,营业厅,日检次数,抽检次数,交叉巡检次数,平均得分,零容忍不合格,发现缺陷,已销项,纠错单平均整改天数,日检达标率");
    assert_eq!(lines[1], "江州市区,人民路营业厅,0,1,0,98.00,0,1,1,2.00,0.00%");
    assert_eq!(lines[2], format!("青山县分公司,青山中心营业厅,3,0,0,98.33,0,1,0,—,{share_1}"));
    assert_eq!(lines[3], format!("全市,合计,3,1,0,98.25,0,2,1,2.00,{share_2}"));
    assert_eq!(lines.len(), 4);
}

/// The standard's rows as the form posts them, with `change` applied to each (code, points).
fn standard_form(change: &[(&str, &str)], note: &str) -> Vec<(String, String)> {
    let s = examhall::inspect::standard::shipped();
    let mut form = vec![("note".to_string(), note.to_string())];
    for (n, it) in s.items.iter().enumerate() {
        let points = change
            .iter()
            .find(|(c, _)| *c == it.code)
            .map_or_else(|| examhall::domain::score::short_decimals(it.points), |(_, p)| p.to_string());
        for (field, value) in [
            ("code", it.code.clone()),
            ("section", it.section.clone()),
            ("name", it.name.clone()),
            ("how", it.how.clone()),
            ("points", points),
        ] {
            form.push((format!("row_{n}_{field}"), value));
        }
        if it.queue {
            form.push((format!("row_{n}_queue"), "1".into()));
        }
        if it.photo_on_fail {
            form.push((format!("row_{n}_photo"), "1".into()));
        }
        let zero = match it.zero {
            examhall::inspect::rules::ZeroTolerance::None => "",
            examhall::inspect::rules::ZeroTolerance::Section => "section",
            examhall::inspect::rules::ZeroTolerance::All => "all",
        };
        form.push((format!("row_{n}_zero"), zero.into()));
    }
    for (n, (m, p)) in [("10", "100"), ("15", "80"), ("20", "50"), ("30", "20")].iter().enumerate() {
        form.push((format!("band_{n}_minutes"), m.to_string()));
        form.push((format!("band_{n}_percent"), p.to_string()));
    }
    form
}

#[tokio::test]
async fn a_new_version_of_the_standard_scores_new_inspections_and_old_ones_keep_theirs() {
    let h = halls().await;
    h.app.add_user("90001", "周培训", None, &[(Role::Trainer, h.city.city)]);
    let trainer = h.app.browser();
    trainer.login_ok("90001").await;
    // An inspection started on version 1.
    let old = start_daily(&h.manager, h.city.county_hall).await;
    // Points that do not add up to 100 are refused, the typed table kept.
    let bad = standard_form(&[("H1", "3")], "H1 加 1 分");
    let refs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = trainer.post("/inspections/standard", &refs).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = crate::helpers::unescape(res.text().await.unwrap());
    assert!(page.contains("各项分值合计须为 100 分，现在是 101 分。"), "{page}");
    // H1 up 1, H2 down 1: saved as version 2.
    let good = standard_form(&[("H1", "3"), ("H2", "1")], "门头权重上调");
    let refs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = trainer.post("/inspections/standard", &refs).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = trainer.get_text("/inspections/standard").await;
    assert!(page.contains("第 2 版") && page.contains("门头权重上调"), "{page}");
    // A hall manager may read the standard, not change it.
    assert_eq!(h.manager.post("/inspections/standard", &refs).await.status(), StatusCode::FORBIDDEN);
    // H2 failed: 2 points lost on the old inspection, 1 on a new one.
    for code in CODES {
        answer(&h.manager, old, code, if code == "H2" { "fail" } else { "pass" }, "", None).await;
    }
    h.manager.post(&format!("/inspections/{old}/queue"), &[("minutes", "3"), ("waiting", "1")]).await;
    h.manager.post(&format!("/inspections/{old}/submit"), &[]).await;
    let new = start_daily(&h.manager, h.city.county_hall).await;
    for code in CODES {
        answer(&h.manager, new, code, if code == "H2" { "fail" } else { "pass" }, "", None).await;
    }
    h.manager.post(&format!("/inspections/{new}/queue"), &[("minutes", "3"), ("waiting", "1")]).await;
    h.manager.post(&format!("/inspections/{new}/submit"), &[]).await;
    let scores: Vec<Option<i32>> = inspections::table
        .filter(inspections::id.eq_any([old, new]))
        .order(inspections::id)
        .select(inspections::score)
        .load(&mut h.app.conn())
        .unwrap();
    assert_eq!(scores, vec![Some(9_800), Some(9_900)]);
}
