//! Any bytes as a phone-test file: reading and planning it against a small
//! snapshot never panics, and every error names a row of the file.
#![no_main]

use examhall::phone::import::rules::{plan, Person, Snapshot};
use examhall::web::import::ImportPlan;
use libfuzzer_sys::fuzz_target;

fn snapshot() -> Snapshot {
    let person = |id, no: &str, name: &str, hall, clerk, trainer| Person {
        id,
        staff_no: no.into(),
        name: name.into(),
        hall_id: hall,
        active: true,
        clerk,
        trainer,
    };
    Snapshot {
        version_id: 1,
        items: examhall::phone::rules::default_items(),
        halls: vec![(10, "青山中心营业厅".into()), (11, "人民路营业厅".into())],
        people: vec![
            person(1, "10001", "张一", Some(10), true, false),
            person(7, "90001", "周培训", None, false, true),
        ],
        scenarios: vec![(5, "携号转网条件".into())],
        existing: vec![],
        now: chrono::DateTime::from_timestamp(1_794_744_000, 0).unwrap().naive_utc(),
    }
}

fuzz_target!(|data: &[u8]| {
    let snap = snapshot();
    for name in ["calls.xlsx", "calls.csv"] {
        if let Ok(table) = examhall::roster::parse::read_table(name, data) {
            let p = plan("2026-10", &table, &snap);
            let last = table.len().max(1);
            assert!(p.errors.iter().all(|e| (1..=last).contains(&e.line)));
            let _ = p.fingerprint();
        }
    }
});
