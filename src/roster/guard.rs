//! Sizes a workbook from its own structure before calamine opens it.
//!
//! calamine builds every sheet's cell rectangle up front, in memory, from
//! what the file *claims*: the cell references of an .xlsx, the repeat counts
//! of an .ods, the DIMENSIONS record and cell positions of an .xls. A few
//! hundred bytes can claim billions of cells, and an allocation that large
//! aborts the whole server (it is not a panic that `catch_unwind` could stop).
//! So each format's claims are read here, streaming and cheaply, and a sheet
//! whose rectangle exceeds [`MAX_CELLS`] is refused before calamine sees it.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::parse::{MAX_CELLS, MAX_UNPACKED_BYTES};
use crate::web::msg;

mod text;
pub use text::{MAX_CELL_CHARS, MAX_WORKBOOK_CHARS};

/// Excel's largest sheet: 1,048,576 rows × 16,384 columns (XFD, three letters).
const MAX_ROW: u64 = 1_048_576;
const MAX_COL: u64 = 16_384;

/// Refuses a workbook (.xlsx, .ods or .xls) whose largest sheet would not fit
/// in [`MAX_CELLS`], or whose claims are out of any spreadsheet's bounds.
/// Anything it cannot make sense of is left to calamine, which reports it.
pub fn check_workbook(bytes: &[u8]) -> Result<(), String> {
    let largest = if bytes.starts_with(b"PK") {
        // Text first: the size checks below read parts with an XML reader
        // that holds a piece of text whole.
        zipped_text(bytes)?;
        zipped_sheets(bytes)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        xls_sheets(bytes)?
    } else {
        return Ok(());
    };
    match largest {
        Some(cells) if cells <= MAX_CELLS as u64 => Ok(()),
        Some(_) => Err(msg::WORKBOOK_TOO_BIG.into()),
        None => Err(msg::WORKBOOK_MALFORMED.into()),
    }
}

/// Refuses an .xlsx or .ods whose text would not fit (see [`text`]): the
/// shared-string table first (a sheet's shared cells are counted with its
/// lengths), then every sheet, `content.xml` and any other XML part.
fn zipped_text(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    let names: Vec<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
    let is_shared = |name: &str| name.to_ascii_lowercase().ends_with("sharedstrings.xml");
    let mut shared = Vec::new();
    for name in names.iter().filter(|n| is_shared(n)) {
        let entry = zip.by_name(name).map_err(msg::workbook_unreadable)?;
        shared.extend(text::shared_strings(entry.take(MAX_UNPACKED_BYTES))?);
        if shared.len() > MAX_CELLS {
            return Err(msg::SHARED_STRINGS_TOO_BIG.into());
        }
    }
    let mut total = 0u64;
    for name in &names {
        let lower = name.to_ascii_lowercase();
        let entry = zip.by_name(name).map_err(msg::workbook_unreadable)?.take(MAX_UNPACKED_BYTES);
        if lower.starts_with("xl/worksheets/") && lower.ends_with(".xml") {
            total = total.saturating_add(text::xlsx_sheet(entry, &shared)?);
        } else if lower == "content.xml" {
            total = total.saturating_add(text::ods_content(entry)?);
        } else if (lower.ends_with(".xml") || lower.ends_with(".rels")) && !is_shared(name) {
            text::other_part(entry)?;
        }
        if total > MAX_WORKBOOK_CHARS {
            return Err(msg::WORKBOOK_TEXT_TOO_BIG.into());
        }
    }
    Ok(())
}

/// The largest sheet of an .xlsx (each `xl/worksheets/*.xml`) or an .ods
/// (`content.xml`), in cells; None when a claim is out of bounds.
fn zipped_sheets(bytes: &[u8]) -> Result<Option<u64>, String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(Some(0)) };
    let mut largest = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(msg::workbook_unreadable)?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let cells = if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            let mut xml = Vec::new();
            entry.take(MAX_UNPACKED_BYTES).read_to_end(&mut xml).map_err(msg::workbook_unreadable)?;
            cell_rectangle(&xml).map(|(rows, cols)| rows.saturating_mul(cols))
        } else if name == "content.xml" {
            ods_largest_table(BufReader::new(entry.take(MAX_UNPACKED_BYTES)))
        } else {
            continue;
        };
        match cells {
            Some(cells) => largest = largest.max(cells),
            None => return Ok(None),
        }
    }
    Ok(Some(largest))
}

/// The rows × columns spanned by the `r="B7"` cell references (and `r="7"`
/// row numbers) of an .xlsx sheet's XML; None when a reference is out of
/// Excel's bounds (calamine's column arithmetic overflows on those).
pub(super) fn cell_rectangle(xml: &[u8]) -> Option<(u64, u64)> {
    let (mut rows, mut cols) = ((u64::MAX, 0u64), (u64::MAX, 0u64));
    let mut i = 0;
    while let Some(at) = xml.get(i..).and_then(|rest| {
        rest.windows(3).position(|w| w[0] == b'r' && w[1] == b'=' && (w[2] == b'"' || w[2] == b'\''))
    }) {
        let start = i + at;
        i = start + 3;
        if start > 0 && !xml[start - 1].is_ascii_whitespace() {
            continue; // another attribute ending in r (ref=, …)
        }
        let value = &xml[i..];
        let letters = value.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let digits = value[letters..].iter().take_while(|b| b.is_ascii_digit()).count();
        if letters > 3 || digits > 7 {
            return None;
        }
        let row: u64 = std::str::from_utf8(&value[letters..letters + digits]).ok()?.parse().unwrap_or(0);
        if row > MAX_ROW {
            return None;
        }
        if row > 0 {
            rows = (rows.0.min(row), rows.1.max(row));
        }
        if letters > 0 {
            let col = value[..letters]
                .iter()
                .fold(0u64, |n, b| n * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1));
            if col > MAX_COL {
                return None;
            }
            cols = (cols.0.min(col), cols.1.max(col));
        }
    }
    let span = |(lo, hi): (u64, u64)| if hi >= lo { hi - lo + 1 } else { 0 };
    Some((span(rows), span(cols)))
}

/// The largest table of an .ods `content.xml`, in cells, as calamine lays it
/// out: from the first to the last row holding a value (repeats counted)
/// times the widest such row (up to its last value, column repeats counted,
/// capped like calamine's at Excel's bounds). Empty rows and cells repeated a
/// million times, as LibreOffice writes after the data, cost nothing. None
/// for a repeat count that is no number.
fn ods_largest_table(xml: impl std::io::BufRead) -> Option<u64> {
    #[derive(Default)]
    struct Table {
        rows_before: u64,
        first: Option<u64>,
        end: u64,
        width: u64,
    }
    struct Row {
        repeats: u64,
        col: u64,
        width: u64,
    }
    fn repeats(e: &BytesStart, attr: &str, cap: u64) -> Option<u64> {
        match e.try_get_attribute(attr).ok()? {
            None => Some(1),
            Some(a) => a.value.trim().parse::<u64>().ok().map(|n| n.min(cap)),
        }
    }
    fn end_row(t: &mut Table, row: Row) {
        if row.width > 0 {
            t.first.get_or_insert(t.rows_before);
            t.end = t.rows_before.saturating_add(row.repeats);
            t.width = t.width.max(row.width);
        }
        t.rows_before = t.rows_before.saturating_add(row.repeats);
    }
    let size = |t: &Table| t.first.map_or(0, |first| (t.end - first).saturating_mul(t.width));

    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let (mut buf, mut largest) = (Vec::new(), 0u64);
    let (mut table, mut row, mut depth) = (Table::default(), None::<Row>, 0u32);
    loop {
        let (e, empty) = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                match e.name().as_ref() {
                    "table:table-row" => {
                        if let Some(r) = row.take() {
                            end_row(&mut table, r);
                        }
                    }
                    "table:table" => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            largest = largest.max(size(&std::mem::take(&mut table)));
                        }
                    }
                    _ => {}
                }
                buf.clear();
                continue;
            }
            // Broken XML is calamine's to report; what was read so far counts.
            Ok(Event::Eof) | Err(_) => return Some(largest.max(size(&table))),
            Ok(_) => {
                buf.clear();
                continue;
            }
        };
        match e.name().as_ref() {
            // A table nested in a cell counts towards the one around it.
            "table:table" if !empty => {
                depth += 1;
                if depth == 1 {
                    table = Table::default();
                }
            }
            "table:table-row" => {
                if let Some(open) = row.take() {
                    end_row(&mut table, open);
                }
                let r =
                    Row { repeats: repeats(&e, "table:number-rows-repeated", MAX_ROW)?, col: 0, width: 0 };
                if empty {
                    end_row(&mut table, r);
                } else {
                    row = Some(r);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                if let Some(r) = row.as_mut() {
                    let n = repeats(&e, "table:number-columns-repeated", MAX_COL)?;
                    r.col = (r.col + n).min(MAX_COL);
                    // A cell with content, a type or a formula holds a value.
                    let valued = !empty
                        || e.try_get_attribute("office:value-type").ok().flatten().is_some()
                        || e.try_get_attribute("table:formula").ok().flatten().is_some();
                    if valued {
                        r.width = r.col;
                    }
                }
            }
            _ => {}
        }
        buf.clear();
    }
}

/// The largest sheet of an .xls, in cells: for each sheet (at the offsets its
/// BoundSheet records give, as calamine reads them), the larger of the
/// rectangle its DIMENSIONS record claims (calamine reserves it) and the
/// rectangle its cells span. None for a DIMENSIONS record that ends before it
/// starts. Stream or record damage is left to calamine.
fn xls_sheets(bytes: &[u8]) -> Result<Option<u64>, String> {
    let Ok(mut book) = cfb::CompoundFile::open(Cursor::new(bytes)) else { return Ok(Some(0)) };
    let mut stream = Vec::new();
    let opened = book.open_stream("/Workbook").or_else(|_| book.open_stream("/Book"));
    let Ok(opened) = opened else { return Ok(Some(0)) };
    opened.take(MAX_UNPACKED_BYTES).read_to_end(&mut stream).map_err(msg::workbook_unreadable)?;

    let mut sheets = Vec::new();
    for (typ, data) in biff_records(&stream) {
        match typ {
            0x0085 if data.len() >= 4 => sheets.push(u32_at(data, 0) as usize),
            0x000A => break,
            _ => {}
        }
    }
    let mut largest = 0u64;
    for pos in sheets {
        let Some(sheet) = stream.get(pos..) else { continue };
        let (mut depth, mut seen_bof) = (0usize, false);
        let (mut rows, mut cols) = ((u64::MAX, 0u64), (u64::MAX, 0u64));
        let mut cell = |row: u64, col: u64| {
            rows = (rows.0.min(row), rows.1.max(row));
            cols = (cols.0.min(col), cols.1.max(col));
        };
        for (typ, data) in biff_records(sheet) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x0200 => match xls_dimensions(data) {
                    Some(claimed) => largest = largest.max(claimed),
                    None => return Ok(None),
                },
                // Number, Label, RString, BoolErr, Rk, LabelSst, Formula.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 if data.len() >= 4 => {
                    cell(u16_at(data, 0), u16_at(data, 2));
                }
                // MulRk: a row, the first column … the last column.
                0x00BD if data.len() >= 6 => {
                    let row = u16_at(data, 0);
                    cell(row, u16_at(data, 2));
                    cell(row, u16_at(data, data.len() - 2));
                }
                0x000A => break,
                _ => {}
            }
        }
        let span = |(lo, hi): (u64, u64)| if hi >= lo { hi - lo + 1 } else { 0 };
        largest = largest.max(span(rows).saturating_mul(span(cols)));
    }
    Ok(Some(largest))
}

/// The cells a DIMENSIONS record claims, read as calamine reads it; None when
/// its last row comes before its first (calamine's subtraction would wrap).
fn xls_dimensions(r: &[u8]) -> Option<u64> {
    let (first_row, rows_end, mut first_col, cols_end) = match r.len() {
        10 => (u16_at(r, 0), u16_at(r, 2), u16_at(r, 4), u16_at(r, 6)),
        14 | 16 => (u64::from(u32_at(r, 0)), u64::from(u32_at(r, 4)), u16_at(r, 8), u16_at(r, 10)),
        _ => return Some(0), // calamine refuses the record
    };
    if first_col > 0xFF || cols_end < first_col {
        first_col = 0;
    }
    if rows_end < 1 || cols_end < 1 {
        return Some(1);
    }
    let rows = rows_end.checked_sub(first_row).filter(|n| *n > 0)?;
    Some(rows.saturating_mul(cols_end - first_col))
}

/// BIFF records (type, data) in order, as far as they are whole.
fn biff_records(mut stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let len = usize::from(u16::from_le_bytes([*stream.get(2)?, *stream.get(3)?]));
        let typ = u16::from_le_bytes([stream[0], stream[1]]);
        let data = stream.get(4..4 + len)?;
        stream = &stream[4 + len..];
        Some((typ, data))
    })
}

fn u16_at(b: &[u8], at: usize) -> u64 {
    u64::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

#[cfg(test)]
mod tests {
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
        let stored =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
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
                format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>"#
                )
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
        let bad = ods(
            r#"<table:table-row table:number-rows-repeated="很多"><table:table-cell/></table:table-row>"#,
        );
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
}
