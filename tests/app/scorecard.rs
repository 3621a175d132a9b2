//! The monthly scorecard on a small city of two counties and the city
//! district: every figure of a clerk with the hall, area and city beside it
//! and the rank in the hall, the hall and county roll-ups, the scope of each
//! viewer, the three-sheet workbook, the clerk's home and the CLI.

use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{unescape, Browser, TestApp};
use examhall::auth::Role;
use examhall::exam::model::Audience;
use examhall::kb::model::{Article, Assignment, Draft, Reading, Version};
use examhall::org::{OrgUnit, UnitKind};
use examhall::phone::model::{record, NewCall, Rubric};
use examhall::phone::rules::Mark;
use examhall::schema::{drill_types, drills, review_cases, study_attendees, study_sessions, users};

/// Last month (Beijing): over, so every due date and call in it is past.
fn last_month() -> (String, NaiveDate) {
    let this = examhall::time::local_month(examhall::db::now());
    let month = examhall::domain::Month::parse(&this).unwrap().previous().unwrap().to_string();
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap();
    (month, first)
}

/// A Beijing wall-clock time as the UTC the database holds.
fn beijing(day: NaiveDate, h: u32) -> NaiveDateTime {
    day.and_hms_opt(h, 0, 0).unwrap() - chrono::Duration::hours(8)
}

struct Fixture {
    app: TestApp,
    month: String,
    /// Clerks by 工号.
    id: std::collections::HashMap<&'static str, i32>,
}

/// 青山县分公司: 青山中心营业厅 (10001 张一, 10002 李二, 10003 王三) and
/// 青山东街营业厅 (10004 赵四); 白云县分公司: 白云营业厅 (10005 钱五);
/// 江州市区: 人民路营业厅 (10006 孙六). A trainer, the city supervisor, the
/// 青山 supervisor and the team leader of 青山中心营业厅.
async fn fixture() -> Fixture {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let mut c = app.conn();
    let east = OrgUnit::insert(&mut c, Some(city.county), UnitKind::Hall, "青山东街营业厅").unwrap();
    let baiyun = OrgUnit::insert(&mut c, Some(city.city), UnitKind::County, "白云县分公司").unwrap();
    let baiyun_hall = OrgUnit::insert(&mut c, Some(baiyun), UnitKind::Hall, "白云营业厅").unwrap();
    drop(c);
    let trainer = app.add_user("90001", "周培训", None, &[(Role::Trainer, city.city)]);
    app.add_user("sup", "市主管", None, &[(Role::Supervisor, city.city)]);
    app.add_user("csup", "青山主管", None, &[(Role::Supervisor, city.county)]);
    app.add_user("tl", "青山班长", Some(city.county_hall), &[(Role::TeamLeader, city.county_hall)]);
    let mut id = std::collections::HashMap::new();
    for (no, name, hall) in [
        ("10001", "张一", city.county_hall),
        ("10002", "李二", city.county_hall),
        ("10003", "王三", city.county_hall),
        ("10004", "赵四", east),
        ("10005", "钱五", baiyun_hall),
        ("10006", "孙六", city.city_hall),
    ] {
        id.insert(no, app.add_user(no, name, Some(hall), &[(Role::Clerk, hall)]));
    }
    let (month, first) = last_month();
    let mut conn = app.conn();
    // Everyone joined long before the month (the reading rule skips joiners).
    diesel::update(users::table)
        .set(users::created_at.eq(beijing(first - Days::new(90), 9)))
        .execute(&mut conn)
        .unwrap();
    exam(&mut conn, &month);
    // 张一 was flagged the month before and sat this month's exam in person.
    let flag_month = examhall::domain::Month::parse(&month).unwrap().previous().unwrap().to_string();
    diesel::insert_into(review_cases::table)
        .values((
            review_cases::month.eq(&flag_month),
            review_cases::user_id.eq(id["10001"]),
            review_cases::status.eq("retest_done"),
            review_cases::talk_note.eq(""),
            review_cases::exempt_reason.eq(""),
            review_cases::updated_at.eq(examhall::db::now()),
            review_cases::retest_score.eq(Some(8000)),
        ))
        .execute(&mut conn)
        .unwrap();
    calls(&mut conn, &month, trainer, &id, [city.county_hall, city.city_hall]);
    reading(&mut conn, first, trainer, city.city, &id);
    training(&mut conn, &month, first, city.county_hall, &id);
    drop(conn);
    Fixture { app, month, id }
}

/// The month's results: 80, 90, 缺考, 70, 60, 85 → city average 77.00.
fn exam(conn: &mut examhall::db::Conn, month: &str) {
    use examhall::review::import::{commit, CommitOptions, Target};
    let rows = [
        ["工号", "姓名", "分数", "缺考"],
        ["10001", "张一", "80", ""],
        ["10002", "李二", "90", ""],
        ["10003", "王三", "", "是"],
        ["10004", "赵四", "70", ""],
        ["10005", "钱五", "60", ""],
        ["10006", "孙六", "85", ""],
    ];
    let table: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let target = Target::parse(month, "月考").unwrap();
    commit(conn, &target, &table, &CommitOptions { expected_fingerprint: None, actor: None, ip: "test" })
        .unwrap();
}

fn marks(a: i64, p: i64, acc: i64, att: i64, res: i64) -> Vec<(String, Mark)> {
    [("answer", a), ("phrases", p), ("accuracy", acc), ("attitude", att), ("resolution", res)]
        .into_iter()
        .map(|(code, points)| (code.to_string(), Mark::Score(points * 100)))
        .collect()
}

/// 张一 86 and 100 (93.00), 李二 90, 孙六 80; a re-scoring of 张一's first call does not count.
fn calls(
    conn: &mut examhall::db::Conn,
    month: &str,
    tester: i32,
    id: &std::collections::HashMap<&str, i32>,
    [county_hall, city_hall]: [i32; 2],
) {
    let now = examhall::db::now();
    let (_, v) = Rubric::current(conn, now).unwrap();
    let at = |day: u32| examhall::time::parse_local_input(&format!("{month}-{day:02} 10:00")).unwrap();
    let call = |hall, clerk, day, marks, second_of| NewCall {
        called_at: at(day),
        hall_id: hall,
        clerk_id: Some(clerk),
        tester_id: tester,
        scenario_id: None,
        rubric_version_id: v.id,
        marks,
        rings: 2,
        duration_seconds: 120,
        notes: String::new(),
        recording_ref: String::new(),
        second_of,
    };
    let first = record(conn, &call(county_hall, id["10001"], 3, marks(10, 18, 32, 18, 8), None), None, now)
        .unwrap()
        .unwrap();
    for c in [
        call(county_hall, id["10001"], 3, marks(0, 0, 0, 0, 0), Some(first)),
        call(county_hall, id["10001"], 4, marks(10, 20, 40, 20, 10), None),
        call(county_hall, id["10002"], 5, marks(10, 20, 36, 16, 8), None),
        call(city_hall, id["10006"], 6, marks(10, 20, 30, 12, 8), None),
    ] {
        record(conn, &c, None, now).unwrap().unwrap();
    }
}

/// One mandatory item due on the 10th: 张一 confirmed on time, 李二 late, nobody else.
fn reading(
    conn: &mut examhall::db::Conn,
    first: NaiveDate,
    author: i32,
    city: i32,
    id: &std::collections::HashMap<&str, i32>,
) {
    let due = first + Days::new(9);
    let at = beijing(first, 9) - Days::new(3);
    let draft = Draft {
        title: "5G 套餐资费调整".into(),
        category: "资费政策".into(),
        effective_date: first.to_string(),
        body: "正文。".into(),
        ..Draft::default()
    };
    let article = Article::create(conn, &draft.check().unwrap(), author, at).unwrap();
    let version = Version::of(conn, article, 1).unwrap().unwrap().id;
    let clerks =
        Audience { units: vec![city], roles: vec!["clerk".into()], include: vec![], exclude: vec![] };
    Assignment::insert(conn, article, version, &clerks, due, None, author, at).unwrap();
    for (clerk, day) in [(id["10001"], due), (id["10002"], due + Days::new(1))] {
        let when = beijing(day, 10);
        let r = Reading::open(conn, clerk, version, when - chrono::Duration::minutes(5)).unwrap();
        Reading::confirm(conn, r.id, when).unwrap();
    }
}

/// 青山中心营业厅 held two sessions (180 + 150 minutes): 张一 went to both, 李二
/// to one. 开户 (600 s target) drills: 张一 540 s and 660 s with an error
/// (median 600 = 100%, accuracy 50%), 李二 480 s clean (80%, 100%).
fn training(
    conn: &mut examhall::db::Conn,
    month: &str,
    first: NaiveDate,
    hall: i32,
    id: &std::collections::HashMap<&str, i32>,
) {
    let now = examhall::db::now();
    for (day, minutes, who) in [(5, 180, vec![id["10001"]]), (12, 150, vec![id["10001"], id["10002"]])] {
        let session: i32 = diesel::insert_into(study_sessions::table)
            .values((
                study_sessions::hall_id.eq(hall),
                study_sessions::held_on.eq(first + Days::new(day)),
                study_sessions::month.eq(month),
                study_sessions::starts.eq(""),
                study_sessions::ends.eq(""),
                study_sessions::minutes.eq(minutes),
                study_sessions::kind.eq("topic"),
                study_sessions::topic.eq("携号转网新规"),
                study_sessions::article_ids.eq("[]"),
                study_sessions::notes.eq(""),
                study_sessions::created_at.eq(now),
                study_sessions::updated_at.eq(now),
            ))
            .returning(study_sessions::id)
            .get_result(conn)
            .unwrap();
        for user in who {
            diesel::insert_into(study_attendees::table)
                .values((study_attendees::session_id.eq(session), study_attendees::user_id.eq(user)))
                .execute(conn)
                .unwrap();
        }
    }
    let open: i32 =
        drill_types::table.filter(drill_types::name.eq("开户")).select(drill_types::id).first(conn).unwrap();
    for (clerk, day, seconds, errors) in
        [(id["10001"], 6, 540, 0), (id["10001"], 13, 660, 1), (id["10002"], 6, 480, 0)]
    {
        diesel::insert_into(drills::table)
            .values((
                drills::drilled_on.eq(first + Days::new(day)),
                drills::month.eq(month),
                drills::hall_id.eq(hall),
                drills::clerk_id.eq(clerk),
                drills::drill_type_id.eq(open),
                drills::seconds.eq(seconds),
                drills::errors.eq(errors),
                drills::notes.eq(""),
                drills::created_at.eq(now),
            ))
            .execute(conn)
            .unwrap();
    }
}

async fn signed_in(app: &TestApp, login: &str) -> Browser {
    let b = app.browser();
    b.login_ok(login).await;
    b
}

/// The cells of the card's row for a metric, tags stripped.
fn card_row(html: &str, label: &str) -> Vec<String> {
    let start = html.find(&format!(r#"<th scope="row">{label}</th>"#)).unwrap_or_else(|| panic!("{label}"));
    let row = &html[start..start + html[start..].find("</tr>").unwrap()];
    let cell = regex::Regex::new(r"(?s)<td[^>]*>(.*?)</td>").unwrap();
    let tags = regex::Regex::new(r"<[^>]+>").unwrap();
    cell.captures_iter(row).map(|c| tags.replace_all(&c[1], "").trim().to_string()).collect()
}

fn workbook(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
            (name, rows)
        })
        .collect()
}

#[tokio::test]
async fn a_clerks_card_has_every_figure_with_hall_county_city_and_rank() {
    let f = fixture().await;
    let b = signed_in(&f.app, "90001").await;
    let card = b.get_text(&format!("/scorecard/clerk/{}?month={}", f.id["10001"], f.month)).await;
    // (本人, 本厅, 本区县, 全市, 厅内排名, 说明)
    let want = [
        // Exam: hall (80, 90; 王三 absent) 85; 青山 (80, 90, 70) 80; city 385/5 = 77.
        ("月考成绩", ["80.00", "85.00", "80.00", "77.00", "2/2", "复考 80.00"]),
        // Phone: 张一 (86 + 100) / 2 = 93; hall (93, 90) 91.50; city (93, 90, 80) 87.67.
        ("拨测平均分（按人）", ["93.00", "91.50", "91.50", "87.67", "1/2", "2 通"]),
        // Reading: on time 1 of 1; hall (100, 0, 0); 青山 4 clerks; city 1 of 6.
        ("必读按时率", ["100.00%", "33.33%", "25.00%", "16.67%", "1/3", "按时 1/1 条"]),
        ("演练用时（占目标）", ["100.00%", "90.00%", "90.00%", "90.00%", "2/2", "2 次，2/4 周"]),
        ("演练准确率", ["50.00%", "75.00%", "75.00%", "75.00%", "2/2", "2 次，2/4 周"]),
        // Attendance: 2 of 2 sessions; hall (100, 50, 0); nobody else's hall held one.
        ("学习出勤率", ["100.00%", "50.00%", "50.00%", "50.00%", "1/3", "2/2 次"]),
    ];
    for (label, cells) in want {
        let mut got = card_row(&card, label);
        if label.starts_with("演练") {
            // The weeks due depend on the month's calendar: 4 or 5.
            got[5] = got[5].replace("2/5 周", "2/4 周");
        }
        assert_eq!(got, cells, "{label}");
    }
    assert!(card.contains("本厅本月业务学习 5.5 小时（目标 5.0 小时）"), "{card}");
    assert!(card.contains("<svg") && card.contains("近 12 个月"), "the trend");
    let other = b.get_text(&format!("/scorecard/clerk/{}?month={}", f.id["10003"], f.month)).await;
    assert_eq!(card_row(&other, "月考成绩"), ["—", "85.00", "80.00", "77.00", "", "缺考"]);
    assert_eq!(card_row(&other, "拨测平均分（按人）")[0], "—");
    assert_eq!(card_row(&other, "演练用时（占目标）")[4], "", "no drills, no rank");
}

#[tokio::test]
async fn hall_and_county_scorecards_roll_up_and_tables_sort() {
    let f = fixture().await;
    // The month's inspections: 青山中心 90 and 85, 青山东街 70 (营业厅巡检).
    {
        use diesel::prelude::*;
        use examhall::schema::inspections;
        let month = examhall::domain::Month::parse(&f.month).unwrap();
        let mut c = f.app.conn();
        let standard = examhall::inspect::standard::Version::current(&mut c, examhall::db::now()).unwrap().id;
        let hall_of = |no: &str| f.app.user(f.id[no]).hall_id.unwrap();
        for (hall, score) in [(hall_of("10001"), 9_000), (hall_of("10001"), 8_500), (hall_of("10004"), 7_000)]
        {
            diesel::insert_into(inspections::table)
                .values((
                    inspections::kind.eq("spot"),
                    inspections::hall_id.eq(hall),
                    inspections::inspector_id.eq(f.id["10001"]),
                    inspections::standard_id.eq(standard),
                    inspections::day.eq(month.first_day()),
                    inspections::month.eq(&f.month),
                    inspections::score.eq(Some(score)),
                    inspections::zero_hits.eq(0),
                    inspections::started_at.eq(month.starts_utc()),
                    inspections::submitted_at.eq(Some(month.starts_utc())),
                ))
                .execute(&mut c)
                .unwrap();
        }
    }
    let b = signed_in(&f.app, "sup").await;
    let halls = b.get_text(&format!("/scorecard?month={}&level=hall", f.month)).await;
    let row = |html: &str, name: &str| -> String {
        let at = 1 + html.find(&format!(">{name}</a>")).unwrap_or_else(|| panic!("{name}"));
        let end = at + html[at..].find("</tr>").unwrap();
        regex::Regex::new(r"<[^>]+>")
            .unwrap()
            .replace_all(&html[at..end], " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        row(&halls, "青山中心营业厅"),
        "青山中心营业厅 3 85.00 91.50 33.33% 90.00% 75.00% 50.00% 5.5 / 5.0 87.50"
    );
    assert_eq!(row(&halls, "青山东街营业厅"), "青山东街营业厅 1 70.00 — 0.00% — — — 0.0 / 5.0 未达标 70.00");
    let counties = b.get_text(&format!("/scorecard?month={}&level=county", f.month)).await;
    assert_eq!(
        row(&counties, "青山县分公司"),
        // Inspections: (90 + 85 + 70) / 3 = 81.67, all of the county's, not the halls' means.
        "青山县分公司 2 4 80.00 91.50 25.00% 90.00% 75.00% 50.00% 5.5 1/2 81.67"
    );
    assert_eq!(row(&counties, "白云县分公司"), "白云县分公司 1 1 60.00 — 0.00% — — — 0.0 0/1 —");
    assert!(counties.contains("全市") && counties.contains("77.00") && counties.contains("87.67"));

    // Worst exam first: 钱五 60, 赵四 70, 张一 80, 孙六 85, 李二 90, 王三 absent last.
    let page = b.get_text(&format!("/scorecard?month={}&sort=exam&dir=worst", f.month)).await;
    let at = |name: &str| page.find(name).unwrap_or_else(|| panic!("{name}"));
    let order = ["钱五", "赵四", "张一", "孙六", "李二", "王三"];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{page}");
    // Best drill speed first: 李二 (80% of target) before 张一 (100%).
    let page = b.get_text(&format!("/scorecard?month={}&sort=speed", f.month)).await;
    assert!(page.find("李二").unwrap() < page.find("张一").unwrap());
    // One hall only.
    let hall_id = f.app.user(f.id["10004"]).hall_id.unwrap();
    let page = b.get_text(&format!("/scorecard?month={}&hall={hall_id}", f.month)).await;
    assert!(page.contains("赵四") && !page.contains("张一"));
}

#[tokio::test]
async fn each_viewer_sees_their_scope_and_a_clerk_only_their_own_card() {
    let f = fixture().await;
    let card = |id: &str| format!("/scorecard/clerk/{}?month={}", f.id[id], f.month);
    let county = signed_in(&f.app, "csup").await;
    let page = county.get_text(&format!("/scorecard?month={}", f.month)).await;
    for name in ["张一", "李二", "王三", "赵四"] {
        assert!(page.contains(name), "{name}");
    }
    assert!(!page.contains("钱五") && !page.contains("孙六") && !page.contains("白云"), "{page}");
    let page = county.get_text(&format!("/scorecard?month={}&level=county", f.month)).await;
    assert!(page.contains("青山县分公司") && !page.contains("白云县分公司") && !page.contains("江州市区"));
    assert_eq!(county.get(&card("10005")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(county.get(&card("10004")).await.status(), StatusCode::OK);

    let leader = signed_in(&f.app, "tl").await;
    let page = leader.get_text(&format!("/scorecard?month={}", f.month)).await;
    assert!(page.contains("张一") && page.contains("王三") && !page.contains("赵四"), "their hall only");
    assert_eq!(leader.get(&card("10004")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(leader.get(&card("10002")).await.status(), StatusCode::OK);
    let own = leader.get_text("/my/scorecard").await;
    assert!(own.contains("不在本月的营业员评分卡中"), "a team leader is not scored");

    let clerk = signed_in(&f.app, "10001").await;
    assert!(clerk.get_text(&card("10001")).await.contains("张一 的月度评分卡"));
    let mine = clerk.get_text(&format!("/my/scorecard?month={}", f.month)).await;
    assert_eq!(card_row(&mine, "月考成绩")[..4], ["80.00", "85.00", "80.00", "77.00"]);
    assert_eq!(clerk.get(&card("10002")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(clerk.get("/scorecard/clerk/999999").await.status(), StatusCode::NOT_FOUND);
    for path in ["/scorecard", "/scorecard/export.xlsx"] {
        assert_eq!(clerk.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // The home: this month's card and the trend with last month's exam and calls.
    let home = unescape(clerk.get_text("/").await);
    assert!(home.contains("我的评分卡（本月）") && home.contains("/my/scorecard"), "{home}");
    assert!(home.contains("我的近 12 个月趋势") && home.contains("<svg"));
    assert!(home.contains("80.00") && home.contains("93.00"), "last month's points are drawn");
}

#[tokio::test]
async fn the_workbook_has_one_sheet_per_level_in_the_viewers_scope() {
    let f = fixture().await;
    let get = |b: Browser, month: String| async move {
        let res = b.get(&format!("/scorecard/export.xlsx?month={month}")).await;
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.unwrap().to_vec();
        for sheet in 0..3 {
            crate::helpers::assert_prints(&bytes, sheet, true, &month);
        }
        // Below the title row, as the tests read it: headings, then the rows.
        workbook(bytes).into_iter().map(|(name, rows)| (name, rows[1..].to_vec())).collect::<Vec<_>>()
    };
    let all = get(signed_in(&f.app, "90001").await, f.month.clone()).await;
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["营业员", "营业厅", "县分"]);
    let (clerks, halls, counties) = (&all[0].1, &all[1].1, &all[2].1);
    assert_eq!(clerks.len(), 7, "header and six clerks");
    assert_eq!(clerks[0][..7], ["月份", "工号", "姓名", "区县", "营业厅", "月考成绩", "月考成绩（厅均）"]);
    let zhang = clerks.iter().find(|r| r[2] == "张一").unwrap();
    assert_eq!(zhang[5..10], ["80", "85", "80", "77", "2"], "numbers Excel can sum");
    assert_eq!(zhang.last().unwrap(), "复考 80.00");
    assert_eq!(halls.len(), 5, "header and four halls");
    assert_eq!(counties.len(), 5, "header, three areas and the city");
    assert_eq!(counties[4][1], "全市");

    let county = get(signed_in(&f.app, "csup").await, f.month.clone()).await;
    assert_eq!(county.iter().map(|(_, rows)| rows.len()).collect::<Vec<_>>(), [5, 3, 3]);
    assert!(county[0].1.iter().all(|r| r[2] != "钱五"));
}

#[tokio::test]
async fn the_cli_writes_each_level_as_csv() {
    let f = fixture().await;
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_examhall"))
            .args(["report", "scorecard", "--month", &f.month])
            .args(args)
            .env("DATABASE_URL", &f.app.db_url)
            .env("RUST_LOG", "error")
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, text, err) = run(&[]);
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("月份,工号,姓名,区县,营业厅,月考成绩,月考成绩（厅均）,月考成绩（区县均）,月考成绩（全市均）,月考成绩（厅内排名）,拨测平均分（按人）"));
    assert_eq!(lines.len(), 7);
    let zhang = lines.iter().find(|l| l.contains(",张一,")).unwrap();
    assert!(
        zhang.contains(",青山中心营业厅,80.00,85.00,80.00,77.00,2,93.00,91.50,91.50,87.67,1,"),
        "{zhang}"
    );
    assert!(zhang.ends_with(",复考 80.00"));
    let (_, text, _) = run(&["--level", "county"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "月份,区县,营业厅数,营业员人数,月考成绩,拨测平均分（按人）,必读按时率,演练用时（占目标）,演练准确率,学习出勤率,学习时长（小时）,学习达标营业厅数,巡检均分");
    assert!(lines.iter().any(|l| l.starts_with(&format!("{},青山县分公司,2,4,80.00,91.50,25.00%", f.month))));
    assert!(lines.last().unwrap().contains(",全市,4,6,77.00,87.67,16.67%"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("评分卡.xlsx");
    let (code, _, err) = run(&["--format", "xlsx", "--output", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(workbook(std::fs::read(&file).unwrap()).len(), 3);
    assert_eq!(run(&["--format", "xlsx"]).0, Some(1), "xlsx needs --output");
    let (code, _, err) = run(&["--level", "town"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("--level"), "{err}");
}

/// While the month's exam is still open nobody is 缺考 yet and no score is
/// shown beside others' (the demo's this-month exam is open for a week);
/// once a month's exam is over, its absentees are.
#[tokio::test]
async fn an_open_exam_month_shows_no_exam_figures() {
    let app = TestApp::spawn_demo().await;
    let b = app.browser();
    b.login("80000", examhall::demo::PASSWORD).await;
    let this = examhall::time::local_month(examhall::db::now());
    let last = examhall::domain::Month::parse(&this).unwrap().previous().unwrap().to_string();
    let open = b.get_text(&format!("/scorecard?month={this}")).await;
    assert!(open.contains("10087") && !open.contains("缺考"), "an open exam has no absentees yet");
    let over = b.get_text(&format!("/scorecard?month={last}")).await;
    assert!(over.contains("缺考"), "last month's absentees are shown");
}
