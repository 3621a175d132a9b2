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

use super::parse::{MAX_CELLS, MAX_UNPACKED_BYTES};
use crate::web::msg;

mod ods;
mod text;
mod xls;
use ods::ods_largest_table;
pub use text::{MAX_CELL_CHARS, MAX_WORKBOOK_CHARS};
use xls::xls_sheets;

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

#[cfg(test)]
mod tests;
