//! The demo city: 江州市分公司 with its city district and 7 counties, 20 halls
//! and ~300 staff in every role, loaded through the real roster import.
//! Later features add their own demo data here.

use crate::accounts::User;
use crate::db::Conn;
use crate::org::{OrgUnit, UnitKind};
use crate::roster::apply::{commit, CommitOptions};

pub const PASSWORD: &str = "demo1234";
pub const CITY: &str = "江州市分公司";

/// (area, kind, halls) of the demo city.
const AREAS: &[(&str, &str, &[&str])] = &[
    (
        "江州市区",
        "市区",
        &["人民路营业厅", "解放路营业厅", "滨江营业厅", "火车站营业厅", "高新区营业厅", "大学城营业厅"],
    ),
    ("青山县分公司", "县分", &["青山中心营业厅", "青山城东营业厅"]),
    ("白河县分公司", "县分", &["白河中心营业厅", "白河镇营业厅"]),
    ("云岭县分公司", "县分", &["云岭中心营业厅", "云岭新区营业厅"]),
    ("石门县分公司", "县分", &["石门中心营业厅", "石门开发区营业厅"]),
    ("桃源县分公司", "县分", &["桃源中心营业厅", "桃源北街营业厅"]),
    ("临川县分公司", "县分", &["临川中心营业厅", "临川南门营业厅"]),
    ("西江县分公司", "县分", &["西江中心营业厅", "西江码头营业厅"]),
];

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严武戴孔汤";
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉萍红梅鹏飞建国晓雪婷宇浩然欣怡思佳子涵雨轩俊杰嘉琪文博佳怡海燕志强秀兰丹丹";

fn pick(chars: &[char], n: usize) -> char {
    chars[n % chars.len()]
}

/// A deterministic, plausible Chinese name for person number `n`.
fn name(n: usize) -> String {
    let s: Vec<char> = SURNAMES.chars().collect();
    let g: Vec<char> = GIVEN.chars().collect();
    let mut out = String::new();
    out.push(pick(&s, n * 7 + n / 13));
    out.push(pick(&g, n * 11 + 3));
    if !n.is_multiple_of(3) {
        out.push(pick(&g, n * 17 + 5));
    }
    out
}

fn phone(n: usize) -> String {
    let prefixes = ["133", "153", "173", "177", "180", "181", "189", "199"];
    format!("{}{:08}", prefixes[n % prefixes.len()], (n * 7_654_321 + 12_345_678) % 100_000_000)
}

/// The demo roster, as a spreadsheet table (header first).
pub fn roster() -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = vec![["工号", "姓名", "区县", "区县类型", "营业厅", "角色", "手机号"]
        .iter()
        .map(|s| s.to_string())
        .collect()];
    let mut person = 0usize;
    let mut staff_no = 10001usize;
    let mut push =
        |rows: &mut Vec<Vec<String>>, staff_no: String, area: &str, kind: &str, hall: &str, roles: &str| {
            person += 1;
            rows.push(vec![
                staff_no,
                name(person),
                area.into(),
                kind.into(),
                hall.into(),
                roles.into(),
                phone(person),
            ]);
        };
    for (a, (area, kind, halls)) in AREAS.iter().enumerate() {
        for (h, hall) in halls.iter().enumerate() {
            // 12–16 clerks per hall, plus a hall manager and a team leader.
            let clerks = 12 + (a * 3 + h * 5) % 5;
            push(&mut rows, staff_no.to_string(), area, kind, hall, "厅经理");
            staff_no += 1;
            push(&mut rows, staff_no.to_string(), area, kind, hall, "营业班长、营业员");
            staff_no += 1;
            for _ in 0..clerks {
                push(&mut rows, staff_no.to_string(), area, kind, hall, "营业员");
                staff_no += 1;
            }
        }
    }
    for (i, (area, kind, _)) in AREAS.iter().enumerate().skip(1) {
        push(&mut rows, format!("{}", 80000 + i), area, kind, "", "主管");
    }
    push(&mut rows, "80000".into(), "", "", "", "主管");
    for i in 1..=3 {
        push(&mut rows, format!("{}", 90000 + i), "", "", "", "培训师");
    }
    rows
}

/// The demo's dice: a small fixed-seed generator, so every demo site is the same.
pub struct Dice(pub u64);

impl Dice {
    /// A number in 0..n.
    pub fn roll(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Fills an empty database with the demo city. Returns false if it already had data.
pub fn populate(conn: &mut Conn, password_hash: &str) -> anyhow::Result<bool> {
    if User::count_all(conn)? > 0 {
        return Ok(false);
    }
    if OrgUnit::root(conn)?.is_none() {
        OrgUnit::insert(conn, None, UnitKind::City, CITY)?;
    }
    let opts = CommitOptions {
        expected_fingerprint: None,
        deactivate_missing: false,
        password_hash: Some(password_hash),
        must_change_password: false,
        actor: None,
        ip: "demo",
    };
    commit(conn, &roster(), &opts).map_err(|e| anyhow::anyhow!("{e}"))?;
    crate::cli::insert_admin(conn, "admin", "系统管理员", password_hash)?;
    load_sample_banks(conn)?;
    // The demo staff have worked here for a while (the reading ledger never
    // charges people who joined after an item's due date).
    {
        use diesel::prelude::*;
        let since = crate::db::now() - chrono::Duration::days(400);
        diesel::update(crate::schema::users::table)
            .set(crate::schema::users::created_at.eq(since))
            .execute(conn)?;
    }
    if let Some(bank) = crate::bank::model::Bank::find_by_name(conn, DEMO_BANK)? {
        crate::db::write(conn, |conn| crate::exam::demo::populate(conn, bank.id))?;
    }
    let author = User::find_by_login(conn, "90001")?.or(User::find_by_login(conn, "admin")?);
    if let (Some(author), Some(root)) = (author, OrgUnit::root(conn)?) {
        crate::db::write(conn, |conn| crate::kb::demo::populate(conn, author.id, root.id))?;
        crate::db::write(conn, |conn| crate::bank::sources::demo::populate(conn, author.id))?;
        crate::db::write(conn, |conn| crate::remedial::demo::populate(conn, author.id))?;
    }
    if let Some(bank) = crate::bank::model::Bank::find_by_name(conn, DEMO_BANK)? {
        crate::db::write(conn, |conn| crate::practice::demo::populate(conn, bank.id))?;
    }
    let today = crate::time::local_date(crate::db::now());
    crate::db::write(conn, |conn| crate::phone::demo::populate(conn, today))?;
    crate::db::write(conn, |conn| crate::training::demo::populate(conn, today))?;
    crate::db::write(conn, |conn| crate::inspect::demo::populate(conn, today))?;
    crate::db::write(conn, |conn| crate::evaluation::demo::populate(conn, today))?;
    Ok(true)
}

static SAMPLE_BANKS: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/question_bank");

pub const DEMO_BANK: &str = "三大渠道月考题库";

/// The sample question banks of `question_bank/` (one per channel), as (file, text).
pub fn sample_banks() -> Vec<(&'static str, &'static str)> {
    let mut files: Vec<(&str, &str)> = SAMPLE_BANKS
        .files()
        .filter_map(|f| Some((f.path().to_str()?, f.contents_utf8()?)))
        .filter(|(name, _)| name.starts_with("bank-") && name.ends_with(".txt") && !name.contains("error"))
        .collect();
    files.sort();
    files
}

/// Loads the sample banks into one demo bank, through the real import pipeline.
fn load_sample_banks(conn: &mut Conn) -> anyhow::Result<()> {
    for (name, text) in sample_banks() {
        let parsed = crate::bank::formats::text::parse(text);
        let opts = crate::bank::import::CommitOptions {
            fixes: &[],
            expected_fingerprint: None,
            skip_invalid: false,
            actor: None,
            ip: "demo",
        };
        crate::bank::import::commit(conn, DEMO_BANK, parsed, &opts)
            .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    }
    Ok(())
}

/// One login per role, for the start-up banner and the README.
pub fn logins() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        ("管理员", "admin", "系统管理员"),
        ("营业员（县分）", "10087", "青山县分公司 青山中心营业厅"),
        ("营业员（市区）", "10003", "江州市区 人民路营业厅"),
        ("营业班长", "10002", "人民路营业厅"),
        ("厅经理", "10001", "人民路营业厅"),
        ("培训师", "90001", "市公司客服部"),
        ("主管（县分）", "80001", "青山县分公司"),
        ("主管（全市）", "80000", "江州市分公司"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::rules::parse_rows;

    #[test]
    fn the_sample_banks_are_clean_and_cover_every_type_and_channel() {
        use crate::bank::question::{Channel, Kind};
        let mut questions = Vec::new();
        for (name, text) in sample_banks() {
            let parsed = crate::bank::formats::text::parse(text);
            assert!(parsed.errors.is_empty(), "{name}: {:?}", parsed.errors);
            questions.extend(parsed.items.into_iter().map(|i| i.question));
        }
        assert!(questions.len() >= 200, "{} questions", questions.len());
        for kind in Kind::ALL {
            assert!(questions.iter().any(|q| q.kind == kind), "{kind:?}");
        }
        for channel in Channel::ALL {
            assert!(questions.iter().any(|q| q.channel == channel), "{channel:?}");
        }
        let keys: std::collections::HashSet<_> =
            questions.iter().map(crate::bank::question::dedup_key).collect();
        assert_eq!(keys.len(), questions.len(), "no duplicates");

        // The Excel copy in question_bank/ holds exactly the same questions.
        let xlsx = include_bytes!("../question_bank/bank-all.xlsx");
        let table = crate::roster::parse::read_table("bank-all.xlsx", xlsx).unwrap();
        let parsed = crate::bank::formats::sheet::parse(&table);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let mut from_xlsx: Vec<_> = parsed.items.into_iter().map(|i| i.question).collect();
        let key = |q: &crate::bank::question::Question| crate::bank::question::dedup_key(q);
        from_xlsx.sort_by_key(key);
        questions.sort_by_key(key);
        assert_eq!(from_xlsx, questions);

        // So does the GIFT copy.
        let gift = crate::bank::formats::gift::parse(include_str!("../question_bank/bank-all.gift"));
        assert!(gift.errors.is_empty() && gift.skipped.is_empty(), "{:?}", gift.errors);
        let mut from_gift: Vec<_> = gift.items.into_iter().map(|i| i.question).collect();
        from_gift.sort_by_key(key);
        assert_eq!(from_gift, questions);
    }

    #[test]
    fn the_demo_roster_is_valid_and_city_sized() {
        let (rows, errors) = parse_rows(&roster());
        assert!(errors.is_empty(), "{errors:?}");
        assert!((280..=360).contains(&rows.len()), "{}", rows.len());
        let halls: std::collections::BTreeSet<_> = rows.iter().filter_map(|r| r.hall.clone()).collect();
        assert_eq!(halls.len(), 20);
        for (_, staff_no, _) in logins().iter().skip(1) {
            assert!(rows.iter().any(|r| r.staff_no.as_str() == *staff_no), "{staff_no}");
        }
        let county_clerk = rows.iter().find(|r| r.staff_no.as_str() == "10087").unwrap();
        assert_eq!(county_clerk.hall.as_deref(), Some("青山中心营业厅"));
        assert_eq!(county_clerk.roles, vec![crate::auth::Role::Clerk]);
    }
}
