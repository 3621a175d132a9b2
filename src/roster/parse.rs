//! Reading an uploaded spreadsheet (.xlsx/.xls/.ods or .csv) into a table of
//! trimmed strings, with rows numbered as the spreadsheet shows them.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Reader};

use super::rules::RowError;
use crate::web::msg;

pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// What a zip-based workbook (.xlsx, .ods) may unpack to. Real rosters and
/// banks unpack to a few MB; a zip bomb declares gigabytes.
pub const MAX_UNPACKED_BYTES: u64 = 200 * 1024 * 1024;
const MAX_ZIP_ENTRIES: usize = 5_000;
/// Cells of a sheet (20,000 rows × 100 columns).
pub const MAX_CELLS: usize = 2_000_000;

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

/// Whether `read_table` (or a bank import) refused a file for a size bound
/// — too large, too many cells, too much text — rather than for a mistake
/// in it: the handlers answer those 413, not with the form's list of mistakes.
pub fn is_oversized(message: &str) -> bool {
    [
        msg::FILE_TOO_LARGE,
        msg::WORKBOOK_TOO_BIG,
        msg::CELL_TOO_LONG,
        msg::SHARED_STRINGS_TOO_BIG,
        msg::WORKBOOK_TEXT_TOO_BIG,
    ]
    .contains(&message)
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
    // The guard keeps calamine from the inputs known to break it or to make
    // it allocate without bound; catch_unwind keeps any other panic of the
    // libraries on a hostile file a refusal too.
    std::panic::catch_unwind(|| {
        super::guard::check_workbook(bytes)?;
        read_first_sheet(bytes)
    })
    .unwrap_or_else(|_| Err(msg::WORKBOOK_MALFORMED.into()))
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

/// The rows of a table whose first non-empty row is its header, as every
/// import reads them: `columns` finds its columns in the header, then `row`
/// is handed each non-empty row below it with its line number (as the
/// spreadsheet shows it) and the valid rows above it. Returns the valid rows
/// and every error — the whole file's (empty, a column missing, more than
/// `max_rows` rows, no data rows) or each row's; a row with an error is not
/// returned.
pub fn parse_rows_with<C, R>(
    table: &[Vec<String>],
    max_rows: usize,
    columns: impl FnOnce(&[String]) -> Result<C, String>,
    mut row: impl FnMut(usize, &[String], &C, &[R]) -> Result<R, Vec<RowError>>,
) -> (Vec<R>, Vec<RowError>) {
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    let Some(header_idx) = table.iter().position(|r| !is_blank(r)) else {
        return (rows, vec![RowError::new(1, msg::FILE_EMPTY)]);
    };
    let cols = match columns(&table[header_idx]) {
        Ok(cols) => cols,
        Err(message) => return (rows, vec![RowError::new(header_idx + 1, message)]),
    };
    if table.len() - header_idx - 1 > max_rows {
        return (rows, vec![RowError::new(1, msg::too_many_rows(max_rows))]);
    }
    for (i, cells) in table.iter().enumerate().skip(header_idx + 1) {
        if is_blank(cells) {
            continue;
        }
        match row(i + 1, cells, &cols, &rows) {
            Ok(valid) => rows.push(valid),
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(RowError::new(header_idx + 1, msg::NO_DATA_ROWS));
    }
    (rows, errors)
}

fn is_blank(row: &[String]) -> bool {
    row.iter().all(|c| c.trim().is_empty())
}

/// The 工号 met so far in a file, each with the line it first stood on: a
/// file names each person once.
#[derive(Debug, Default)]
pub struct StaffNosSeen(HashMap<String, usize>);

impl StaffNosSeen {
    /// Notes `staff_no` as standing on `line`; Err when an earlier line has it.
    pub fn first_time(&mut self, staff_no: &str, line: usize) -> Result<(), Vec<RowError>> {
        match self.0.get(staff_no) {
            Some(first) => Err(vec![RowError::new(line, msg::duplicate_staff_no(staff_no, *first))]),
            None => {
                self.0.insert(staff_no.to_string(), line);
                Ok(())
            }
        }
    }
}

/// CSV as UTF-8 (with or without BOM) or, as Excel in China saves it, GB18030/GBK.
fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let text = decode_text(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let (mut table, mut cells) = (Vec::new(), 0usize);
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| msg::csv_row_invalid(i + 1, e))?;
        // The same bounds as a workbook's: a field past Excel's cell limit,
        // and the cell count (10 MB of commas would be 10 million empty
        // cells, 24 bytes each and more).
        if record.iter().any(|c| c.chars().count() as u64 > super::guard::MAX_CELL_CHARS) {
            return Err(msg::CELL_TOO_LONG.into());
        }
        cells += record.len();
        if cells > MAX_CELLS {
            return Err(msg::WORKBOOK_TOO_BIG.into());
        }
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
