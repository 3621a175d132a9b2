use super::*;

#[test]
fn binary_word_is_refused_with_how_to_save_as_docx() {
    let err = parse(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0]).unwrap_err();
    assert!(err.contains("另存为"), "{err}");
    assert_eq!(parse(b"PK\x03\x04 not a zip").unwrap_err(), msg::DOCX_UNREADABLE);
}

#[test]
fn red_bold_or_highlighted_runs_are_emphasised_black_is_not() {
    let doc = |props: &str| format!(r#"<w:rPr xmlns:w="{W}">{props}</w:rPr>"#);
    let check = |props: &str| {
        let xml = doc(props);
        let d = Document::parse(&xml).unwrap();
        emphasised(d.root_element())
    };
    assert!(check(r#"<w:b/>"#));
    assert!(!check(r#"<w:b w:val="0"/>"#));
    assert!(check(r#"<w:color w:val="FF0000"/>"#));
    assert!(!check(r#"<w:color w:val="000000"/>"#));
    assert!(!check(r#"<w:color w:val="auto"/>"#));
    assert!(check(r#"<w:highlight w:val="yellow"/>"#));
    assert!(!check(r#"<w:highlight w:val="none"/>"#));
}
