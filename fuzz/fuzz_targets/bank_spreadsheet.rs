//! Any bytes as an .xlsx or .csv question sheet: no panic, and what it accepts is valid.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["bank.xlsx", "bank.csv"] {
        if let Ok(table) = examhall::roster::parse::read_table(name, data) {
            for item in examhall::bank::formats::sheet::parse(&table).items {
                assert!(examhall::bank::question::validate(&item.question).is_empty());
            }
        }
    }
});
