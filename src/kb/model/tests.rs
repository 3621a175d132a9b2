//! The article draft's checks.

use super::*;
use crate::web::{msg, FieldErrors};

fn good() -> Draft {
    Draft {
        title: "携号转网办理流程".into(),
        category: "业务流程".into(),
        tags: "携号转网".into(),
        effective_date: "2026-11-01".into(),
        body: "## 办理要求\n\n本人持证办理。".into(),
        ..Draft::default()
    }
}

#[test]
fn each_bad_field_is_named_with_its_message() {
    type Change = fn(&mut Draft);
    let cases: [(Change, &str, &str); 8] = [
        (|d| d.title = " ".into(), "title", msg::KB_TITLE_INVALID),
        (|d| d.title = "文".repeat(101), "title", msg::KB_TITLE_INVALID),
        (|d| d.category = "其他".into(), "category", msg::KB_CATEGORY_INVALID),
        (|d| d.effective_date = "2026-11-31".into(), "effective_date", msg::KB_DATE_INVALID),
        (|d| d.effective_date = "9999-12-31".into(), "effective_date", msg::KB_DATE_RANGE),
        (|d| d.effective_date = "1999-12-31".into(), "effective_date", msg::KB_DATE_RANGE),
        (|d| d.body = "\r\n".into(), "body", msg::KB_BODY_INVALID),
        (|d| d.change_note = "注".repeat(201), "change_note", msg::KB_NOTE_TOO_LONG),
    ];
    for (change, field, want) in cases {
        let mut d = good();
        change(&mut d);
        let errors = d.check().err().unwrap_or_default();
        assert_eq!(errors, FieldErrors::from([(field, want.to_string())]), "{d:?}");
    }
    assert!(good().check().is_ok());
}
