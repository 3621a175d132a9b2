//! Property and hostile-file tests for the upload paths outside the question
//! bank (whose formats have `bank::formats::props`): reading a spreadsheet or
//! CSV (`roster::parse::read_table`), the roster rows, and the three import
//! planners (phone tests, exam results, drills).
//!
//! Every property asserts: no panic, every error carries a row number inside
//! the file, and a plan is never ready when a row holds an invalid cell
//! planted by the test. Run more cases with `PROPTEST_CASES=20000`.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;

use crate::phone::import::rules as phone;
use crate::review::import::rules as review;
use crate::roster::parse::{read_table, MAX_FILE_BYTES};
use crate::roster::rules::{self as roster, RowError};
use crate::training::import::rules as training;
use crate::web::import::ImportPlan;

// ---------------------------------------------------------------- snapshots

fn utc(text: &str) -> NaiveDateTime {
    crate::time::parse_local_input(text).unwrap()
}

/// The month the phone plans are for.
fn october() -> crate::domain::Month {
    crate::domain::Month::parse("2026-10").unwrap()
}

fn phone_snapshot() -> phone::Snapshot {
    let person = |id, no: &str, name: &str, hall, clerk, trainer| phone::Person {
        id,
        staff_no: no.into(),
        name: name.into(),
        hall_id: hall,
        active: true,
        clerk,
        trainer,
    };
    phone::Snapshot {
        version_id: 1,
        items: crate::phone::rules::default_items(),
        halls: vec![(10, "青山中心营业厅".into()), (11, "人民路营业厅".into())],
        people: vec![
            person(1, "10001", "张一", Some(10), true, false),
            person(2, "10002", "李二", Some(11), true, false),
            phone::Person { active: false, ..person(3, "10003", "王三", Some(10), true, false) },
            person(7, "90001", "周培训", None, false, true),
        ],
        scenarios: vec![(5, "携号转网条件".into())],
        existing: vec![],
        now: utc("2026-11-15 12:00"),
    }
}

fn phone_header() -> Vec<String> {
    let mut h: Vec<String> = phone::HEAD.iter().map(|s| s.to_string()).collect();
    h.extend(crate::phone::rules::default_items().into_iter().map(|i| i.name));
    h.extend(phone::TAIL.iter().map(|s| s.to_string()));
    h
}

/// Valid calls, each at its own time.
fn phone_rows() -> Vec<Vec<String>> {
    (0..6)
        .map(|i| {
            let when = format!("2026-10-{:02} 09:30", 8 + i);
            [
                &when,
                "青山中心营业厅",
                "10001",
                "90001",
                "携号转网条件",
                "10",
                "18",
                "35.5",
                "18",
                "N/A",
                "2",
                "180",
                "",
                "",
                "",
            ]
            .iter()
            .map(|c| c.to_string())
            .collect()
        })
        .collect()
}

/// (column, invalid value) pairs for a phone row.
const PHONE_BAD: &[(usize, &str)] = &[
    (0, "不是日期"),
    (0, "2099-01-01 09:30"),
    (1, "不存在的营业厅"),
    (2, "10003"),
    (3, "10001"),
    (3, ""),
    (5, "999"),
    (6, "-1"),
    (10, "响铃"),
    (11, "１８０秒钟"),
];

fn review_snapshot() -> review::Snapshot {
    let staff = |id, no: &str, name: &str, active, clerk| review::Staff {
        id,
        staff_no: no.into(),
        name: name.into(),
        hall_id: Some(100 + id),
        hall: format!("厅{id}"),
        active,
        clerk,
    };
    review::Snapshot {
        staff: vec![
            staff(1, "10001", "张三", true, true),
            staff(2, "10002", "李四", true, true),
            staff(3, "10003", "王五", true, true),
            staff(4, "10004", "赵六", false, true),
            staff(5, "90001", "周培训", true, false),
        ],
        ..Default::default()
    }
}

const REVIEW_HEADER: [&str; 4] = ["工号", "姓名", "分数", "缺考"];
const REVIEW_ROWS: [[&str; 4]; 3] =
    [["10001", "张三", "85.5", ""], ["10002", "李四", "", "是"], ["10003", "王五", "１００", "否"]];
const REVIEW_BAD: &[(usize, &str)] = &[
    (0, ""),
    (0, "99999"),
    (1, "不是他"),
    (2, "101"),
    (2, "85.555"),
    (2, "八十"),
    (2, "-0.01"),
    (3, "也许"),
];

fn review_plan(table: &[Vec<String>]) -> review::Plan {
    let (rows, errors) = review::parse_rows(table);
    let target = review::Target::parse("2026-10", "10月结果导入").unwrap();
    review::plan(target, &rows, errors, &review_snapshot())
}

fn training_snapshot() -> training::Snapshot {
    let person = |id, no: &str, name: &str, hall| training::Person {
        id,
        staff_no: no.into(),
        name: name.into(),
        hall_id: hall,
        active: true,
    };
    training::Snapshot {
        people: vec![
            person(1, "10001", "张一", Some(10)),
            person(2, "10002", "李二", Some(11)),
            training::Person { active: false, ..person(3, "10003", "王三", Some(10)) },
            person(5, "10005", "赵五", Some(10)),
        ],
        types: vec![(1, "开户".into(), true), (4, "缴费".into(), true), (9, "销户".into(), false)],
        hall_names: HashMap::from([(10, "青山中心营业厅".into()), (11, "人民路营业厅".into())]),
        halls: Some(vec![10]),
        limited: true,
        today: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        existing: HashSet::new(),
    }
}

fn training_rows() -> Vec<Vec<String>> {
    (0..6)
        .map(|i| {
            let date = format!("2026-11-{:02}", 10 + i);
            let (no, name) = if i % 2 == 0 { ("10001", "张一") } else { ("10005", "赵五") };
            [date.as_str(), no, name, "开户", "605", "0", "首次"].iter().map(|c| c.to_string()).collect()
        })
        .collect()
}

const TRAINING_BAD: &[(usize, &str)] = &[
    (0, "明天"),
    (0, "2099-01-01"),
    (1, ""),
    (1, "10002"),
    (1, "10003"),
    (2, "别人"),
    (3, "销户"),
    (3, "不存在的业务"),
    (4, "很久"),
    (4, "-5"),
    (5, "许多"),
];

const ROSTER_HEADER: [&str; 7] = ["工号", "姓名", "区县", "区县类型", "营业厅", "角色", "手机号"];

fn roster_rows() -> Vec<Vec<String>> {
    (0..6)
        .map(|i| {
            let no = format!("1000{i}");
            [no.as_str(), "张三", "青山县分公司", "县分", "青山中心营业厅", "营业员", "138 0013 8000"]
                .iter()
                .map(|c| c.to_string())
                .collect()
        })
        .collect()
}

const ROSTER_BAD: &[(usize, &str)] = &[(0, ""), (1, ""), (5, "国王"), (5, ""), (6, "12345"), (3, "火星")];

// ---------------------------------------------------------------- checks

/// Every error names a row of the file (1-based; row 1 for an empty file).
fn lines_within(errors: &[RowError], table: &[Vec<String>]) {
    let last = table.len().max(1);
    for e in errors {
        assert!(
            (1..=last).contains(&e.line),
            "error on row {} of a {}-row file: {}",
            e.line,
            table.len(),
            e.message
        );
        assert!(!e.message.trim().is_empty(), "an error without a message on row {}", e.line);
    }
}

/// Runs all four row readers on a table; panics only on a broken invariant.
fn plan_everything(table: &[Vec<String>]) {
    let (rows, errors) = roster::parse_rows(table);
    lines_within(&errors, table);
    assert!(rows.iter().all(|r| r.line >= 2 && r.line <= table.len()));

    let p = phone::plan(october(), table, &phone_snapshot());
    lines_within(&p.errors, table);
    assert!(p.rows.iter().all(|r| r.line >= 2 && r.line <= table.len()));
    let _ = p.fingerprint();

    let p = review_plan(table);
    lines_within(&p.errors, table);
    let _ = p.fingerprint();

    let p = training::plan(table, &training_snapshot());
    lines_within(&p.errors, table);
    assert!(p.rows.iter().all(|r| r.line >= 2 && r.line <= table.len()));
    let _ = training::dates(table);
    let _ = p.fingerprint();
}

// ---------------------------------------------------------------- strategies

/// Words the readers look for (every planner's headers and valid values).
const VOCAB: &[&str] = &[
    "工号",
    "姓名",
    "区县",
    "区县类型",
    "营业厅",
    "角色",
    "手机号",
    "分数",
    "缺考",
    "日期",
    "业务类型",
    "用时(秒)",
    "用时（秒）",
    "用时",
    "差错数",
    "备注",
    "日期时间",
    "接听工号",
    "拨测员工号",
    "场景",
    "响铃次数",
    "通话秒数",
    "录音编号",
    "复评原呼叫行号",
    "10001",
    "10005",
    "90001",
    "张一",
    "张三",
    "赵五",
    "青山中心营业厅",
    "青山县分公司",
    "县分",
    "营业员",
    "营业员、厅经理",
    "开户",
    "销户",
    "携号转网条件",
    "2026-10-08 09:30",
    "2026/11/21",
    "2026-11-20",
    "46331",
    "605",
    "1:40",
    "10分",
    "85.5",
    "８５．５",
    "100",
    "是",
    "N/A",
    "0",
    "-1",
    "1e308",
    "NaN",
    "99999999999999999999",
    "138 0013 8000",
];

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(VOCAB).prop_map(String::from),
        2 => "\\PC{0,12}",
        1 => "[ \t\u{3000}\u{a0}]{0,4}",
        1 => "[０-９．－]{1,8}",
        1 => "[0-9./:\\-]{1,14}",
        1 => Just(String::new()),
    ]
}

/// A header: usually one planner's template (shuffled, with extras and
/// duplicates), sometimes arbitrary cells.
fn header() -> impl Strategy<Value = Vec<String>> {
    let templates: Vec<Vec<String>> = vec![
        ROSTER_HEADER.iter().map(|s| s.to_string()).collect(),
        phone_header(),
        REVIEW_HEADER.iter().map(|s| s.to_string()).collect(),
        training::COLUMNS.iter().map(|s| s.to_string()).collect(),
    ];
    prop_oneof![
        3 => (prop::sample::select(templates), prop::collection::vec(cell(), 0..4), any::<prop::sample::Index>(), any::<bool>())
            .prop_map(|(mut h, extra, at, dup)| {
                if dup {
                    let d = h[at.index(h.len())].clone();
                    h.push(d);
                }
                let i = at.index(h.len() + 1);
                for (k, e) in extra.into_iter().enumerate() {
                    h.insert((i + k).min(h.len()), e);
                }
                h
            }),
        1 => prop::collection::vec(cell(), 0..20),
    ]
}

/// A table: leading blank rows, a header, then rows of arbitrary cells or
/// valid rows of one of the planners.
fn table() -> impl Strategy<Value = Vec<Vec<String>>> {
    let mut valid = roster_rows();
    valid.extend(phone_rows());
    valid.extend(REVIEW_ROWS.iter().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>()));
    valid.extend(training_rows());
    let row = prop_oneof![
        3 => prop::collection::vec(cell(), 0..18),
        2 => prop::sample::select(valid),
        1 => Just(Vec::new()),
    ];
    (0..3usize, header(), prop::collection::vec(row, 0..12)).prop_map(|(blank, header, rows)| {
        let mut t = vec![vec![String::new(); 2]; blank];
        t.push(header);
        t.extend(rows);
        t
    })
}

/// Valid rows with one invalid cell planted at row `at` (0-based among the data rows).
fn plant(
    rows: &[Vec<String>],
    keep: usize,
    at: prop::sample::Index,
    bad: (usize, &str),
) -> (Vec<Vec<String>>, usize) {
    let mut rows: Vec<Vec<String>> = rows[..keep].to_vec();
    let i = at.index(rows.len());
    rows[i][bad.0] = bad.1.to_string();
    (rows, i)
}

fn valid_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ROSTER_HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in roster_rows().iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    sheet.write_number(8, 0, 10023.0).unwrap();
    book.save_to_buffer().unwrap()
}

fn valid_csv() -> Vec<u8> {
    let mut text = ROSTER_HEADER.join(",");
    for row in roster_rows() {
        text.push('\n');
        text.push_str(&row.join(","));
    }
    text.into_bytes()
}

/// Reads bytes as every file type and validates what comes out.
fn read_everything(bytes: &[u8]) {
    for name in ["名单.csv", "a.txt", "a.xlsx", "a.xls", "a.ods", "a.pdf"] {
        if let Ok(table) = read_table(name, bytes) {
            plan_everything(&table);
        }
    }
}

/// 64 cases by default (the whole file runs in about a second); `PROPTEST_CASES` overrides.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64);
    ProptestConfig { cases, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_tables_never_panic_and_errors_name_rows_of_the_file(t in table()) {
        plan_everything(&t);
    }

    #[test]
    fn a_planted_bad_cell_keeps_the_phone_plan_from_being_ready(
        keep in 1..=6usize, at in any::<prop::sample::Index>(), bad in prop::sample::select(PHONE_BAD),
    ) {
        let (rows, i) = plant(&phone_rows(), keep, at, bad);
        let mut t = vec![phone_header()];
        t.extend(rows);
        let p = phone::plan(october(), &t, &phone_snapshot());
        prop_assert!(!p.ready(), "{bad:?} at data row {i} planned as ready");
        prop_assert!(p.errors.iter().any(|e| e.line == i + 2), "{bad:?}: {:?}", p.errors);
        lines_within(&p.errors, &t);
    }

    #[test]
    fn a_planted_bad_cell_keeps_the_results_plan_from_being_ready(
        keep in 1..=3usize, at in any::<prop::sample::Index>(), bad in prop::sample::select(REVIEW_BAD),
    ) {
        let valid: Vec<Vec<String>> = REVIEW_ROWS.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        let (rows, i) = plant(&valid, keep, at, bad);
        let mut t = vec![REVIEW_HEADER.iter().map(|s| s.to_string()).collect()];
        t.extend(rows);
        let p = review_plan(&t);
        prop_assert!(!p.ready(), "{bad:?} at data row {i} planned as ready");
        prop_assert!(p.errors.iter().any(|e| e.line == i + 2), "{bad:?}: {:?}", p.errors);
        lines_within(&p.errors, &t);
    }

    #[test]
    fn a_planted_bad_cell_keeps_the_drill_plan_from_being_ready(
        keep in 1..=6usize, at in any::<prop::sample::Index>(), bad in prop::sample::select(TRAINING_BAD),
    ) {
        let (rows, i) = plant(&training_rows(), keep, at, bad);
        let mut t = vec![training::COLUMNS.iter().map(|s| s.to_string()).collect()];
        t.extend(rows);
        let p = training::plan(&t, &training_snapshot());
        prop_assert!(!p.ready(), "{bad:?} at data row {i} planned as ready");
        prop_assert!(p.errors.iter().any(|e| e.line == i + 2), "{bad:?}: {:?}", p.errors);
        lines_within(&p.errors, &t);
    }

    #[test]
    fn a_planted_bad_cell_is_a_roster_error_on_its_row(
        keep in 1..=6usize, at in any::<prop::sample::Index>(), bad in prop::sample::select(ROSTER_BAD),
    ) {
        let (rows, i) = plant(&roster_rows(), keep, at, bad);
        let mut t = vec![ROSTER_HEADER.iter().map(|s| s.to_string()).collect()];
        t.extend(rows);
        let (good, errors) = roster::parse_rows(&t);
        prop_assert!(errors.iter().any(|e| e.line == i + 2), "{bad:?}: {errors:?}");
        prop_assert!(good.iter().all(|r| r.line != i + 2));
        lines_within(&errors, &t);
    }

    #[test]
    fn arbitrary_bytes_as_any_file_type_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        read_everything(&bytes);
    }

    #[test]
    fn mutated_workbooks_and_csvs_never_panic(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        for mut bytes in [valid_xlsx(), valid_csv()] {
            for (at, b) in &flips {
                let i = at.index(bytes.len());
                bytes[i] = *b;
            }
            if truncate {
                bytes.truncate(cut.index(bytes.len()));
            }
            read_everything(&bytes);
        }
    }
}

// ---------------------------------------------------------------- hostile files

#[test]
fn the_valid_files_themselves_read_and_plan() {
    let t = read_table("a.xlsx", &valid_xlsx()).unwrap();
    let (rows, errors) = roster::parse_rows(&t[..7]);
    assert_eq!((rows.len(), errors), (6, vec![]));
    assert_eq!(t[8][0], "10023");
    assert_eq!(read_table("a.csv", &valid_csv()).unwrap(), t[..7].to_vec());
    let mut p = vec![phone_header()];
    p.extend(phone_rows());
    assert!(phone::plan(october(), &p, &phone_snapshot()).ready());
    let mut d = vec![training::COLUMNS.iter().map(|s| s.to_string()).collect()];
    d.extend(training_rows());
    let plan = training::plan(&d, &training_snapshot());
    assert!(plan.ready(), "{:?}", plan.errors);
    let mut r: Vec<Vec<String>> = vec![REVIEW_HEADER.iter().map(|s| s.to_string()).collect()];
    r.extend(REVIEW_ROWS.iter().map(|row| row.iter().map(|c| c.to_string()).collect()));
    let plan = review_plan(&r);
    assert!(plan.ready(), "{:?}", plan.errors);
}

#[test]
fn csv_of_invalid_utf8_or_gbk_reads_as_text() {
    // Not UTF-8, not meaningful GBK either: decoded with replacement characters.
    let junk: Vec<u8> = (0..=255u8).cycle().take(4096).filter(|b| *b != b'\n').collect();
    let t = read_table("junk.csv", &junk).unwrap();
    plan_everything(&t);
    // A lone invalid byte in otherwise UTF-8 text flips the file to GB18030.
    let mut mixed = "工号,姓名\n10001,张三\n".as_bytes().to_vec();
    mixed.push(0xFF);
    plan_everything(&read_table("mixed.csv", &mixed).unwrap());
    let (gbk, _, _) = encoding_rs::GBK.encode("工号,姓名,分数\n10001,张三,８５．５\n");
    let t = read_table("成绩.csv", &gbk).unwrap();
    assert_eq!(t[1], ["10001", "张三", "８５．５"]);
    assert_eq!(review_plan(&t).rows[0].score, Some(8550));
    // An unterminated quote swallows the rest of the file into one cell.
    plan_everything(&read_table("q.csv", b"\"\xFF\xFE,\n\n\"\"\"").unwrap());
}

#[test]
fn csv_with_a_5_mb_cell_is_refused_and_a_full_excel_cell_is_one_error_not_a_hang() {
    let header = b"\xEF\xBB\xBF\xE5\xB7\xA5\xE5\x8F\xB7,x\n".to_vec();
    // Past Excel's cell limit (as a workbook's would be): refused whole.
    let mut bytes = header.clone();
    bytes.extend(std::iter::repeat_n(b'9', 5 * 1024 * 1024));
    assert_eq!(read_table("big.csv", &bytes), Err(crate::web::msg::CELL_TOO_LONG.to_string()));
    // The longest cell Excel holds is read, and every planner says no once.
    let mut bytes = header;
    bytes.extend(std::iter::repeat_n(b'9', 32_767));
    let t = read_table("big.csv", &bytes).unwrap();
    assert_eq!(t[1][0].len(), 32_767);
    plan_everything(&t);
    // Bigger than the upload allowance: refused before reading.
    let huge = vec![b'a'; MAX_FILE_BYTES + 1];
    assert!(read_table("huge.csv", &huge).is_err());
}

#[test]
fn huge_cells_wide_rows_and_header_only_tables() {
    let mb = "数".repeat(350_000); // ~1 MB of UTF-8
    let full_width = "１２３４５６７８９０".repeat(1000);
    for header in [phone_header(), training::COLUMNS.iter().map(|s| s.to_string()).collect(), {
        let mut h: Vec<String> = REVIEW_HEADER.iter().map(|s| s.to_string()).collect();
        h.extend(ROSTER_HEADER.iter().map(|s| s.to_string()));
        h
    }] {
        let width = header.len();
        // Header only.
        plan_everything(std::slice::from_ref(&header));
        // Every cell ~1 MB, full-width digits, whitespace.
        let mut t = vec![header.clone()];
        t.push(vec![mb.clone(); width]);
        t.push(vec![full_width.clone(); width]);
        t.push(vec!["\u{3000} \t".into(); width]);
        plan_everything(&t);
        // Thousands of columns, the header repeated (duplicate headers).
        let wide: Vec<String> = header.iter().cycle().take(5_000).cloned().collect();
        let t = vec![wide.clone(), wide.iter().map(|_| "1".to_string()).collect(), wide];
        plan_everything(&t);
    }
    // A file of nothing but blank rows; and no rows at all.
    plan_everything(&vec![vec![" ".to_string(); 3]; 500]);
    plan_everything(&[]);
}

#[test]
fn too_many_rows_is_one_error_on_row_1() {
    let mut t = vec![training::COLUMNS.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    t.extend(std::iter::repeat_n(vec!["x".to_string()], 20_001));
    plan_everything(&t);
    let p = training::plan(&t, &training_snapshot());
    assert_eq!(p.errors.len(), 1);
    assert_eq!(p.errors[0].line, 1);
}

/// Rewrites a zip with each entry stored (uncompressed), `edit` changing the contents.
fn rezip(bytes: &[u8], edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..src.len() {
        let mut entry = src.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        out.start_file(name.as_str(), opts).unwrap();
        out.write_all(&edit(&name, data)).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn xlsx_with_deeply_nested_and_huge_shared_strings() {
    let book = valid_xlsx();
    // 100,000 nested <r> runs inside one shared string.
    let deep = rezip(&book, |name, data| {
        if name != "xl/sharedStrings.xml" {
            return data;
        }
        let text = String::from_utf8(data).unwrap();
        let nest = format!("<si>{}<t>深</t>{}</si>", "<r>".repeat(100_000), "</r>".repeat(100_000));
        text.replacen("<si>", &format!("{nest}<si>"), 1).into_bytes()
    });
    if let Ok(t) = read_table("deep.xlsx", &deep) {
        plan_everything(&t);
    }
    // One shared string of 8 MB (under the 10 MB upload cap).
    let huge = rezip(&book, |name, data| {
        if name != "xl/sharedStrings.xml" {
            return data;
        }
        let text = String::from_utf8(data).unwrap();
        text.replacen("<t>工号</t>", &format!("<t>{}</t>", "工".repeat(2_700_000)), 1).into_bytes()
    });
    assert!(huge.len() < MAX_FILE_BYTES);
    if let Ok(t) = read_table("huge.xlsx", &huge) {
        plan_everything(&t);
    }
}

#[test]
fn xlsx_declaring_gigabytes_is_refused_by_read_table() {
    // `parse::tests` checks `check_zip` with a tiny allowance; here the whole
    // upload path meets a directory that declares 4 GB per entry.
    let mut bytes = rezip(&valid_xlsx(), |_, data| data);
    let mut i = 0;
    while i + 46 <= bytes.len() {
        if bytes[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] {
            bytes[i + 24..i + 28].copy_from_slice(&0xF000_0000u32.to_le_bytes());
            i += 46;
        } else {
            i += 1;
        }
    }
    let err = read_table("bomb.xlsx", &bytes).unwrap_err();
    assert_eq!(err, crate::web::msg::WORKBOOK_TOO_BIG);
}

#[test]
fn moodle_xml_with_10000_nested_elements_does_not_overflow() {
    use crate::bank::formats::moodle_xml;
    let nest = |inner: &str| format!("{}{inner}{}", "<b>".repeat(10_000), "</b>".repeat(10_000));
    let docs = [
        format!("<?xml version=\"1.0\"?><quiz>{}</quiz>", nest("")),
        format!(
            "<quiz><question type=\"essay\"><name><text>深</text></name><questiontext format=\"html\"><text>{}</text></questiontext></question></quiz>",
            nest("题")
        ),
        format!(
            "<quiz><question type=\"essay\"><name><text>深</text></name><questiontext format=\"html\"><text><![CDATA[{}]]></text></questiontext></question></quiz>",
            nest("题")
        ),
    ];
    for doc in &docs {
        let parsed = moodle_xml::parse(doc);
        let _ = (parsed.items.len(), parsed.errors.len());
    }
}

#[test]
fn cell_references_beyond_excel_are_refused_before_calamine() {
    // calamine 0.38 adds up a column's letters in a u32 unchecked: found by
    // `mutated_workbooks_and_csvs_never_panic` at 20,000 cases.
    let bytes = rezip(&valid_xlsx(), |name, data| {
        if name != "xl/worksheets/sheet1.xml" {
            return data;
        }
        String::from_utf8(data).unwrap().replacen("r=\"A1\"", "r=\"AAAAAAAAAAAA1\"", 1).into_bytes()
    });
    assert_eq!(read_table("long-ref.xlsx", &bytes), Err(crate::web::msg::WORKBOOK_MALFORMED.to_string()));
    // Two cells far apart: calamine would allocate the whole rectangle between them.
    let bytes = rezip(&valid_xlsx(), |name, data| {
        if name != "xl/worksheets/sheet1.xml" {
            return data;
        }
        String::from_utf8(data).unwrap().replacen("r=\"A1\"", "r=\"XFD1048576\"", 1).into_bytes()
    });
    assert_eq!(read_table("far.xlsx", &bytes), Err(crate::web::msg::WORKBOOK_TOO_BIG.to_string()));
}
