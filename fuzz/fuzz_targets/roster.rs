//! Any bytes as a roster file: reading and validating rows never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["roster.xlsx", "roster.csv"] {
        if let Ok(table) = examhall::roster::parse::read_table(name, data) {
            let _ = examhall::roster::rules::parse_rows(&table);
        }
    }
});
