//! Any bytes through the text question parser: no panic, and what it accepts is valid.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = examhall::roster::parse::decode_text(data);
    let parsed = examhall::bank::formats::text::parse(&text);
    for item in parsed.items {
        assert!(examhall::bank::question::validate(&item.question).is_empty());
    }
});
