//! Reading an uploaded spreadsheet (.xlsx/.xls/.ods or .csv) into a table of
//! trimmed strings, with rows numbered as the spreadsheet shows them.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use crate::web::msg;

pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// What a zip-based workbook (.xlsx, .ods) may unpack to. Real rosters and
/// banks unpack to a few MB; a zip bomb declares gigabytes.
pub const MAX_UNPACKED_BYTES: u64 = 200 * 1024 * 1024;
const MAX_ZIP_ENTRIES: usize = 5_000;
/// Cells of the first sheet (20,000 rows × 100 columns).
const MAX_CELLS: usize = 2_000_000;

/// Reads the first sheet of a workbook or a CSV file. Row `i` of the result is
/// spreadsheet row `i + 1`.
pub fn read_table(filename: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(msg::FILE_TOO_LARGE.into());
    }
    let lower = filename.to_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".txt") {
        read_csv(bytes)
    } else if [".xlsx", ".xlsm", ".xls", ".ods"].iter().any(|ext| lower.ends_with(ext)) {
        read_workbook(bytes)
    } else {
        Err(msg::UNSUPPORTED_FILE_TYPE.into())
    }
}

/// Refuses a zip whose entries would unpack to more than `limit` bytes (or
/// that has too many entries), from the sizes in its directory, before
/// anything is inflated. Bytes that are no zip at all pass (.xls is not one;
/// calamine reports anything else).
pub fn check_zip(bytes: &[u8], limit: u64) -> Result<(), String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(msg::WORKBOOK_TOO_BIG.into());
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(msg::workbook_unreadable)?;
        total = total.saturating_add(entry.size());
        if total > limit {
            return Err(msg::WORKBOOK_TOO_BIG.into());
        }
    }
    Ok(())
}

fn read_workbook(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    check_zip(bytes, MAX_UNPACKED_BYTES)?;
    check_cell_refs(bytes)?;
    // The checks above keep calamine from the inputs known to break it; this
    // keeps any other panic of the library on a hostile file a refusal too.
    std::panic::catch_unwind(|| read_first_sheet(bytes))
        .unwrap_or_else(|_| Err(msg::WORKBOOK_MALFORMED.into()))
}

/// Excel's largest sheet: 1,048,576 rows × 16,384 columns (XFD, three letters).
const MAX_ROW: u64 = 1_048_576;
const MAX_COL: u64 = 16_384;

/// Refuses an .xlsx whose sheets name cells calamine cannot take: a column
/// beyond XFD or a row beyond Excel's last (its column arithmetic overflows),
/// or cells so far apart that the sheet's rectangle exceeds [`MAX_CELLS`]
/// (calamine allocates the whole rectangle before we could count it). Read
/// from the sheets' XML, before calamine sees the file.
fn check_cell_refs(bytes: &[u8]) -> Result<(), String> {
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(msg::workbook_unreadable)?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if !(name.starts_with("xl/worksheets/") && name.ends_with(".xml")) {
            continue;
        }
        let mut xml = Vec::new();
        entry.take(MAX_UNPACKED_BYTES).read_to_end(&mut xml).map_err(msg::workbook_unreadable)?;
        let Some((rows, cols)) = cell_rectangle(&xml) else { return Err(msg::WORKBOOK_MALFORMED.into()) };
        if rows.saturating_mul(cols) > MAX_CELLS as u64 {
            return Err(msg::WORKBOOK_TOO_BIG.into());
        }
    }
    Ok(())
}

/// The rows × columns spanned by the `r="B7"` cell references (and `r="7"`
/// row numbers) of a sheet's XML; None when a reference is out of Excel's bounds.
fn cell_rectangle(xml: &[u8]) -> Option<(u64, u64)> {
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

fn read_first_sheet(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let mut book =
        open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(msg::workbook_unreadable)?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(e)) => return Err(msg::first_sheet_unreadable(e)),
        None => return Err(msg::NO_WORKSHEET.into()),
    };
    let (rows, cols) = range.get_size();
    if rows.saturating_mul(cols) > MAX_CELLS {
        return Err(msg::WORKBOOK_TOO_BIG.into());
    }
    // The range starts at the first used cell; pad so row numbers match Excel's.
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut table: Vec<Vec<String>> = vec![Vec::new(); first_row as usize];
    for row in range.rows() {
        let mut cells = vec![String::new(); first_col as usize];
        cells.extend(row.iter().map(cell_text));
        table.push(cells);
    }
    Ok(table)
}

/// A cell as text. Whole numbers lose Excel's `.0` (工号 10023, phone numbers).
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Int(i) => i.to_string(),
        other => other.to_string().trim().to_string(),
    }
}

/// CSV as UTF-8 (with or without BOM) or, as Excel in China saves it, GB18030/GBK.
fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let text = decode_text(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut table = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| msg::csv_row_invalid(i + 1, e))?;
        table.push(record.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(table)
}

pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn csv_in_utf8_with_bom_and_in_gbk() {
        let utf8 = "\u{feff}工号,姓名\n10001, 张三 \n";
        let t = read_table("a.csv", utf8.as_bytes()).unwrap();
        assert_eq!(t, vec![vec!["工号", "姓名"], vec!["10001", "张三"]]);
        let (gbk, _, _) = encoding_rs::GBK.encode("工号,姓名\n10001,张三\n");
        let t = read_table("名单.CSV", &gbk).unwrap();
        assert_eq!(t[1], vec!["10001", "张三"]);
    }

    #[test]
    fn zip_directories_are_checked_before_inflating() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for r in 0..200u32 {
            sheet.write_string(r, 0, "一二三四五六七八九十".repeat(10)).unwrap();
        }
        let bytes = book.save_to_buffer().unwrap();
        assert_eq!(check_zip(&bytes, MAX_UNPACKED_BYTES), Ok(()));
        // The same file against a tiny allowance stands in for a bomb
        // declaring gigabytes: refused from the directory alone.
        assert_eq!(check_zip(&bytes, 10_000), Err(msg::WORKBOOK_TOO_BIG.to_string()));
        // Not a zip (an .xls, or garbage): left to calamine, which reports it.
        assert_eq!(check_zip(b"\xD0\xCF\x11\xE0 not a zip", 10), Ok(()));
        assert!(read_table("坏.xlsx", b"PK\x03\x04 truncated").is_err());
    }

    #[test]
    fn whole_numbers_lose_the_decimal_point() {
        assert_eq!(cell_text(&Data::Float(10023.0)), "10023");
        assert_eq!(cell_text(&Data::Float(13800138000.0)), "13800138000");
        assert_eq!(cell_text(&Data::Float(1.5)), "1.5");
        assert_eq!(cell_text(&Data::String(" 张三 ".into())), "张三");
    }

    #[test]
    fn refuses_other_files() {
        assert!(read_table("a.pdf", b"x").unwrap_err().contains("不支持"));
        assert!(read_table("a.xlsx", b"not a zip").unwrap_err().contains("无法读取"));
    }
}
