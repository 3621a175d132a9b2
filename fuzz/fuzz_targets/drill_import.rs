//! Any bytes as a drill file: reading and planning it against a small snapshot
//! never panics, and every error names a row of the file.
#![no_main]

use std::collections::{HashMap, HashSet};

use examhall::training::import::rules::{dates, plan, Person, Snapshot};
use examhall::web::import::ImportPlan;
use libfuzzer_sys::fuzz_target;

fn snapshot() -> Snapshot {
    let person = |id, no: &str, name: &str, hall| Person {
        id,
        staff_no: no.into(),
        name: name.into(),
        hall_id: hall,
        active: true,
    };
    Snapshot {
        people: vec![person(1, "10001", "张一", Some(10)), person(2, "10002", "李二", Some(11))],
        types: vec![(1, "开户".into(), true), (9, "销户".into(), false)],
        hall_names: HashMap::from([(10, "青山中心营业厅".into()), (11, "人民路营业厅".into())]),
        halls: Some(vec![10]),
        limited: true,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        existing: HashSet::new(),
    }
}

fuzz_target!(|data: &[u8]| {
    let snap = snapshot();
    for name in ["drills.xlsx", "drills.csv"] {
        if let Ok(table) = examhall::roster::parse::read_table(name, data) {
            let _ = dates(&table);
            let p = plan(&table, &snap);
            let last = table.len().max(1);
            assert!(p.errors.iter().all(|e| (1..=last).contains(&e.line)));
            let _ = p.fingerprint();
        }
    }
});
