//! Each format's claims against calamine's own reading.

use std::io::Write;

use super::*;
use crate::roster::parse::read_table;

#[test]
fn the_cell_rectangle_comes_from_the_references_within_excels_bounds() {
    let cases: [(&str, Option<(u64, u64)>); 8] = [
        (r#"<row r="1"><c r="A1"/><c r="C1"/></row><row r="5"><c r="B5"/></row>"#, Some((5, 3))),
        (r#"<c r='B2'/><c r='b3'/>"#, Some((2, 1))),
        (r#"<mergeCell ref="A1:Z99"/><c r="D4"/>"#, Some((1, 1))),
        (r#"<c r="XFD1048576"/><c r="A1"/>"#, Some((1_048_576, 16_384))),
        (r#"<c r="XFE1"/>"#, None),
        (r#"<c r="AAAAAAAAAAAA1"/>"#, None),
        (r#"<c r="A1048577"/>"#, None),
        ("", Some((0, 0))),
    ];
    for (xml, want) in cases {
        assert_eq!(cell_rectangle(xml.as_bytes()), want, "{xml}");
    }
}

// ---------------------------------------------------------------- .ods

fn ods(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="名单">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_str()),
    ] {
        zip.start_file(name, stored).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn text_row(cells: &[&str]) -> String {
    let cells: String = cells
        .iter()
        .map(|c| {
            format!(r#"<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>"#)
        })
        .collect();
    format!("<table:table-row>{cells}</table:table-row>")
}

/// LibreOffice ends a sheet with a million empty rows of 1,024 empty
/// cells: that costs nothing, and the data reads as usual.
#[test]
fn an_ods_as_libreoffice_writes_it_is_read() {
    let tail = r#"<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#;
    let book = ods(&format!("{}{}{tail}", text_row(&["工号", "姓名"]), text_row(&["10001", "张三"])));
    assert_eq!(check_workbook(&book), Ok(()));
    assert_eq!(read_table("名单.ods", &book).unwrap(), vec![vec!["工号", "姓名"], vec!["10001", "张三"]]);
}

/// Repeat counts make a few hundred bytes claim billions of cells, which
/// calamine would lay out in memory: refused before it opens the file.
#[test]
fn an_ods_claiming_too_many_cells_is_refused_before_calamine() {
    let wide = r#"<table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>"#;
    let bomb =
        ods(&format!(r#"<table:table-row table:number-rows-repeated="1000">{wide}</table:table-row>"#));
    // Measured unguarded: 1 GB of memory for this 2 KB file; 3,000 such
    // rows (one each) took 4.2 GB and 18 s.
    assert!(bomb.len() < 2_000, "a small file");
    assert_eq!(read_table("炸弹.ods", &bomb), Err(msg::WORKBOOK_TOO_BIG.to_string()));
    let rows = ods(&format!(r#"<table:table-row>{wide}</table:table-row>"#).repeat(3000));
    assert_eq!(check_workbook(&rows), Err(msg::WORKBOOK_TOO_BIG.to_string()));
    // A gap of empty rows between two values spans the rectangle too.
    let gap = ods(&format!(
        r#"{}<table:table-row table:number-rows-repeated="900000"><table:table-cell/></table:table-row>{}"#,
        text_row(&["a", "b", "c"]),
        text_row(&["d"])
    ));
    assert_eq!(check_workbook(&gap), Err(msg::WORKBOOK_TOO_BIG.to_string()));
    let bad =
        ods(r#"<table:table-row table:number-rows-repeated="很多"><table:table-cell/></table:table-row>"#);
    assert_eq!(check_workbook(&bad), Err(msg::WORKBOOK_MALFORMED.to_string()));
}

#[test]
fn an_ods_table_is_sized_from_its_first_to_its_last_value() {
    let v = r#"<table:table-cell office:value-type="float" office:value="1"/>"#;
    let e = r#"<table:table-cell/>"#;
    let size = |rows: String| {
        let xml = format!("<table:table>{rows}</table:table>");
        ods_largest_table(xml.as_bytes())
    };
    let cases: Vec<(String, Option<u64>)> = vec![
        (format!("<table:table-row>{v}{v}</table:table-row>"), Some(2)),
        // Empty rows before the first value and after the last are free.
        (
            format!(
                r#"<table:table-row table:number-rows-repeated="50">{e}</table:table-row><table:table-row>{v}</table:table-row>"#
            ),
            Some(1),
        ),
        // Columns up to the last value, capped at Excel's 16,384.
        (
            format!(
                r#"<table:table-row><table:table-cell table:number-columns-repeated="9"/>{v}</table:table-row>"#
            ),
            Some(10),
        ),
        (
            r#"<table:table-row><table:table-cell table:number-columns-repeated="99999" office:value-type="float"/></table:table-row>"#
                .to_string(),
            Some(16_384),
        ),
        // Rows repeated, and the gaps between values, count.
        (format!(r#"<table:table-row table:number-rows-repeated="3">{v}{v}</table:table-row>"#), Some(6)),
        (
            format!(
                r#"<table:table-row>{v}</table:table-row><table:table-row table:number-rows-repeated="7"/><table:table-row>{v}{v}</table:table-row>"#
            ),
            Some(18),
        ),
        (r#"<table:table-row table:number-rows-repeated="-1"/>"#.to_string(), None),
        (String::new(), Some(0)),
    ];
    for (rows, want) in cases {
        assert_eq!(size(rows.clone()), want, "{rows}");
    }
}

// ---------------------------------------------------------------- .xls

fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend((data.len() as u16).to_le_bytes());
    r.extend(data);
    r
}

fn bof(dt: u16) -> Vec<u8> {
    let mut d = 0x0600u16.to_le_bytes().to_vec();
    d.extend(dt.to_le_bytes());
    d.extend([0u8; 12]);
    record(0x0809, &d)
}

fn number(row: u16, col: u16, v: f64) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend(col.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    d.extend(v.to_le_bytes());
    record(0x0203, &d)
}

fn dimensions(rows: (u32, u32), cols: (u16, u16)) -> Vec<u8> {
    let mut d = rows.0.to_le_bytes().to_vec();
    d.extend(rows.1.to_le_bytes());
    d.extend(cols.0.to_le_bytes());
    d.extend(cols.1.to_le_bytes());
    d.extend([0u8; 2]);
    record(0x0200, &d)
}

/// A BIFF8 workbook of one sheet holding the given records, in an OLE
/// compound file as Excel 97–2003 saves it.
fn xls(sheet_records: &[Vec<u8>]) -> Vec<u8> {
    let eof = record(0x000A, &[]);
    let boundsheet = |pos: u32| {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend([0u8, 0u8, 6, 0]);
        d.extend(b"Sheet1");
        record(0x0085, &d)
    };
    let globals_len = bof(0x0005).len() + boundsheet(0).len() + eof.len();
    let mut stream = [bof(0x0005), boundsheet(globals_len as u32), eof.clone(), bof(0x0010)].concat();
    stream.extend(sheet_records.concat());
    stream.extend(eof);
    let mut book = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    book.create_stream("/Workbook").unwrap().write_all(&stream).unwrap();
    book.flush().unwrap();
    book.into_inner().into_inner()
}

#[test]
fn an_xls_is_read_when_its_sheet_is_of_a_sane_size() {
    let book = xls(&[dimensions((0, 2), (0, 2)), number(0, 0, 10001.0), number(1, 1, 88.5)]);
    assert_eq!(check_workbook(&book), Ok(()));
    assert_eq!(read_table("成绩.xls", &book).unwrap(), vec![vec!["10001", ""], vec!["", "88.5"]]);
}

/// Two cells far apart, or a DIMENSIONS record claiming a huge sheet,
/// would have calamine allocate the rectangle (gigabytes, which aborts the
/// server): refused before it opens the file.
#[test]
fn an_xls_claiming_too_many_cells_is_refused_before_calamine() {
    // Measured unguarded: 1 GB for this one; 137 GB asked (the process
    // aborts) when the second cell is at column 65,535.
    let far = xls(&[number(0, 0, 1.0), number(65_535, 255, 2.0)]);
    assert_eq!(read_table("远.xls", &far), Err(msg::WORKBOOK_TOO_BIG.to_string()));
    let farther = xls(&[number(0, 0, 1.0), number(65_535, 65_535, 2.0)]);
    assert_eq!(read_table("更远.xls", &farther), Err(msg::WORKBOOK_TOO_BIG.to_string()));
    // Unguarded, calamine reserves 32 GB for this claim and aborts.
    let claims = xls(&[dimensions((0, 4_000_000), (0, 200)), number(0, 0, 1.0)]);
    assert_eq!(read_table("大.xls", &claims), Err(msg::WORKBOOK_TOO_BIG.to_string()));
    let backwards = xls(&[dimensions((70_000, 5), (0, 3)), number(0, 0, 1.0)]);
    assert_eq!(read_table("反.xls", &backwards), Err(msg::WORKBOOK_MALFORMED.to_string()));
}
