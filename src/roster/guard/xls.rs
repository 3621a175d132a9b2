//! An .xls sheet's size from its BIFF records, as calamine reads them.

use std::io::{Cursor, Read};

use crate::roster::parse::MAX_UNPACKED_BYTES;
use crate::web::msg;

/// The largest sheet of an .xls, in cells: for each sheet (at the offsets its
/// BoundSheet records give, as calamine reads them), the larger of the
/// rectangle its DIMENSIONS record claims (calamine reserves it) and the
/// rectangle its cells span. None for a DIMENSIONS record that ends before it
/// starts. Stream or record damage is left to calamine.
pub(super) fn xls_sheets(bytes: &[u8]) -> Result<Option<u64>, String> {
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
pub(super) fn xls_dimensions(r: &[u8]) -> Option<u64> {
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
