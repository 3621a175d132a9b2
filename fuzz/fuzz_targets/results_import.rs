//! Any bytes as an exam-results file: reading, validating and planning it
//! against a small snapshot never panics, and every error names a row of the file.
#![no_main]

use examhall::review::import::rules::{parse_rows, plan, Snapshot, Staff, Target};
use examhall::web::import::ImportPlan;
use libfuzzer_sys::fuzz_target;

fn snapshot() -> Snapshot {
    let staff = |id, no: &str, name: &str, active, clerk| Staff {
        id,
        staff_no: no.into(),
        name: name.into(),
        hall_id: Some(100 + id),
        hall: format!("厅{id}"),
        active,
        clerk,
    };
    Snapshot {
        staff: vec![
            staff(1, "10001", "张三", true, true),
            staff(2, "10002", "李四", true, true),
            staff(4, "10004", "赵六", false, true),
            staff(5, "90001", "周培训", true, false),
        ],
        ..Default::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let snap = snapshot();
    for name in ["results.xlsx", "results.csv"] {
        if let Ok(table) = examhall::roster::parse::read_table(name, data) {
            let (rows, errors) = parse_rows(&table);
            let target = Target::parse("2026-10", "10月结果导入").unwrap();
            let p = plan(target, &rows, errors, &snap);
            let last = table.len().max(1);
            assert!(p.errors.iter().all(|e| (1..=last).contains(&e.line)));
            let _ = p.fingerprint();
        }
    }
});
