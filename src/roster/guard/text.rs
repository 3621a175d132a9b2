//! Sizes a workbook's *text* before calamine reads it. The cell count alone
//! (see the parent module) does not bound memory: a 200 KB .xlsx can hold one
//! 195 MB cell (it compresses a thousandfold), and calamine keeps every cell's
//! text in memory, the shared-string table whole and a copy for each cell
//! that uses a shared string. So the XML parts calamine reads are streamed
//! here in 64 KB pieces, never holding a cell or a tag whole, and refused:
//! - a cell over Excel's own limit, 32,767 characters ([`msg::CELL_TOO_LONG`]);
//! - a shared-string table over [`MAX_SHARED_CHARS`] characters or
//!   [`MAX_CELLS`] entries ([`msg::SHARED_STRINGS_TOO_BIG`]);
//! - a workbook whose cells come to more than [`MAX_WORKBOOK_CHARS`]
//!   characters, a shared string counted at each cell that uses it and a
//!   repeated .ods cell at each repeat ([`msg::WORKBOOK_TEXT_TOO_BIG`]);
//! - a tag over 64 KB ([`msg::WORKBOOK_MALFORMED`]): no spreadsheet writes one,
//!   and an XML reader would hold it whole.
//!
//! Counting errs on the side of more: text anywhere inside a cell counts
//! (formulas, phonetic runs, comments), an entity (`&amp;`) is one character.

use std::io::Read;

use super::super::parse::MAX_CELLS;
use super::{MAX_COL, MAX_ROW};
use crate::web::msg;

/// Excel's limit on the characters of one cell.
pub const MAX_CELL_CHARS: u64 = 32_767;
/// The text of a shared-string table. A 20,000-clerk roster has under a
/// million characters; a bank of 2,000 long questions about six million.
pub const MAX_SHARED_CHARS: u64 = 8_000_000;
/// The text a workbook's cells come to (what calamine holds for them).
pub const MAX_WORKBOOK_CHARS: u64 = 16_000_000;
const MAX_TAG_BYTES: usize = 64 * 1024;
/// One stretch of text between two tags, in bytes: a full cell's worth of
/// four-byte characters with room for entities. Anything longer is more
/// than any cell (or any other text of a workbook part) may hold.
const MAX_RUN_BYTES: usize = 6 * MAX_CELL_CHARS as usize;
const CHUNK: usize = 64 * 1024;

/// One thing the scanner met: a start tag (its local name and all its
/// bytes), an end tag, or a piece of text.
enum Xml<'a> {
    Open { name: &'a [u8], tag: &'a [u8], empty: bool },
    Close { name: &'a [u8] },
    Text(&'a [u8]),
}

/// Streams XML through `on`, in pieces: text as it comes, each tag once
/// whole. Comments, CDATA and processing instructions are passed as text,
/// so nothing hidden in them goes uncounted. A tag over [`MAX_TAG_BYTES`] or
/// a stretch of text over [`MAX_RUN_BYTES`] is refused here, whatever the part.
fn scan(mut xml: impl Read, mut on: impl FnMut(Xml) -> Result<(), String>) -> Result<(), String> {
    let mut chunk = vec![0u8; CHUNK];
    let (mut tag, mut in_tag, mut run) = (Vec::new(), false, 0usize);
    loop {
        let n = match xml.read(&mut chunk) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            // A broken zip entry is calamine's to report.
            Err(_) => return Ok(()),
        };
        let mut rest = &chunk[..n];
        while !rest.is_empty() {
            let stop = if in_tag { b'>' } else { b'<' };
            let (piece, found) = match rest.iter().position(|&b| b == stop) {
                Some(at) => (&rest[..at], true),
                None => (rest, false),
            };
            if in_tag {
                if tag.len() + piece.len() > MAX_TAG_BYTES {
                    return Err(msg::WORKBOOK_MALFORMED.into());
                }
                tag.extend_from_slice(piece);
                if found {
                    tag_event(&tag, &mut on)?;
                    tag.clear();
                }
            } else if !piece.is_empty() {
                run += piece.len();
                if run > MAX_RUN_BYTES {
                    return Err(msg::CELL_TOO_LONG.into());
                }
                on(Xml::Text(piece))?;
            }
            if found && !in_tag {
                run = 0;
            }
            if found {
                in_tag = !in_tag;
                rest = &rest[piece.len() + 1..];
            } else {
                rest = &[];
            }
        }
    }
}

fn tag_event(tag: &[u8], on: &mut impl FnMut(Xml) -> Result<(), String>) -> Result<(), String> {
    match tag.first() {
        Some(b'!' | b'?') => on(Xml::Text(tag)),
        Some(b'/') => on(Xml::Close { name: local_name(&tag[1..]) }),
        _ => on(Xml::Open { name: local_name(tag), tag, empty: tag.ends_with(b"/") }),
    }
}

/// `x:c r="A1"` → `c`: parts are read by local name, whatever the prefix.
fn local_name(tag: &[u8]) -> &[u8] {
    let end = tag.iter().position(|b| b.is_ascii_whitespace() || *b == b'/').unwrap_or(tag.len());
    let name = &tag[..end];
    name.iter().rposition(|&b| b == b':').map_or(name, |at| &name[at + 1..])
}

/// The value of attribute `name` (by local name) in a start tag.
fn attribute<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut i = 0;
    while let Some(at) = tag.get(i..).and_then(|t| t.iter().position(|&b| b == b'=')) {
        let eq = i + at;
        let key_start = tag[..eq].iter().rposition(|b| b.is_ascii_whitespace()).map_or(0, |s| s + 1);
        let quote = *tag.get(eq + 1)?;
        let value_start = eq + 2;
        let len = tag.get(value_start..)?.iter().position(|&b| b == quote)?;
        if local_name(&tag[key_start..eq]) == name {
            return Some(&tag[value_start..value_start + len]);
        }
        i = value_start + len + 1;
    }
    None
}

/// Characters of XML text: UTF-8 lead bytes, an entity counted once (it may
/// be split across pieces, so the state is kept).
#[derive(Default)]
struct Chars {
    in_entity: bool,
}

impl Chars {
    fn count(&mut self, text: &[u8]) -> u64 {
        let mut n = 0;
        for &b in text {
            if self.in_entity {
                self.in_entity = b != b';';
            } else if b == b'&' {
                self.in_entity = true;
                n += 1;
            } else if b & 0xC0 != 0x80 {
                n += 1;
            }
        }
        n
    }
}

fn number(value: Option<&[u8]>, cap: u64) -> u64 {
    value
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(1, |n| n.min(cap))
}

/// The characters of each entry of an .xlsx shared-string table (`<si>`).
pub(super) fn shared_strings(xml: impl Read) -> Result<Vec<u32>, String> {
    let (mut lengths, mut chars) = (Vec::new(), Chars::default());
    let (mut current, mut total, mut open) = (0u64, 0u64, false);
    scan(xml, |event| {
        match event {
            Xml::Open { name: b"si", empty, .. } => {
                if empty {
                    lengths.push(0);
                } else {
                    (open, current) = (true, 0);
                }
            }
            Xml::Close { name: b"si" } if open => {
                open = false;
                lengths.push(current as u32);
            }
            Xml::Text(text) if open => {
                let n = chars.count(text);
                current += n;
                total += n;
                if current > MAX_CELL_CHARS {
                    return Err(msg::CELL_TOO_LONG.into());
                }
                if total > MAX_SHARED_CHARS {
                    return Err(msg::SHARED_STRINGS_TOO_BIG.into());
                }
            }
            _ => {}
        }
        if lengths.len() > MAX_CELLS {
            return Err(msg::SHARED_STRINGS_TOO_BIG.into());
        }
        Ok(())
    })?;
    Ok(lengths)
}

/// The characters the cells of an .xlsx sheet come to, a shared string
/// (`t="s"`, its index in `<v>`) counted with its length from `shared`.
pub(super) fn xlsx_sheet(xml: impl Read, shared: &[u32]) -> Result<u64, String> {
    let mut chars = Chars::default();
    let (mut total, mut cell) = (0u64, None::<(bool, u64, u64)>); // (shared?, index, characters)
    let mut in_value = false;
    scan(xml, |event| {
        match event {
            Xml::Open { name: b"c", tag, empty } => {
                let is_shared = attribute(tag, b"t") == Some(b"s");
                if !empty {
                    cell = Some((is_shared, 0, 0));
                }
            }
            Xml::Open { name: b"v", empty: false, .. } => in_value = true,
            Xml::Close { name: b"v" } => in_value = false,
            Xml::Text(text) => match cell.as_mut() {
                Some((true, index, _)) if in_value => {
                    for d in text.iter().filter(|b| b.is_ascii_digit()) {
                        *index = index.saturating_mul(10).saturating_add(u64::from(d - b'0'));
                    }
                }
                Some((_, _, n)) => {
                    *n += chars.count(text);
                    if *n > MAX_CELL_CHARS {
                        return Err(msg::CELL_TOO_LONG.into());
                    }
                }
                None => {}
            },
            Xml::Close { name: b"c" } => {
                if let Some((is_shared, index, n)) = cell.take() {
                    let shared_len = usize::try_from(index).ok().and_then(|i| shared.get(i));
                    let n = if is_shared { shared_len.map_or(0, |&l| u64::from(l)) } else { n };
                    total = total.saturating_add(n);
                    if total > MAX_WORKBOOK_CHARS {
                        return Err(msg::WORKBOOK_TEXT_TOO_BIG.into());
                    }
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(total)
}

/// The characters the cells of an .ods `content.xml` come to, each cell's
/// text (and `office:string-value`) times its column and row repeats.
pub(super) fn ods_content(xml: impl Read) -> Result<u64, String> {
    let mut chars = Chars::default();
    let (mut total, mut row_repeats) = (0u64, 1u64);
    let mut cell = None::<(u64, u64)>; // (repeats, characters)
    fn end_cell(cell: Option<(u64, u64)>, row_repeats: u64, total: &mut u64) -> Result<(), String> {
        if let Some((repeats, n)) = cell {
            *total = total.saturating_add(n.saturating_mul(repeats).saturating_mul(row_repeats));
            if *total > MAX_WORKBOOK_CHARS {
                return Err(msg::WORKBOOK_TEXT_TOO_BIG.into());
            }
        }
        Ok(())
    }
    scan(xml, |event| {
        match event {
            Xml::Open { name: b"table-row", tag, .. } => {
                row_repeats = number(attribute(tag, b"number-rows-repeated"), MAX_ROW);
            }
            Xml::Open { name: b"table-cell" | b"covered-table-cell", tag, empty } => {
                let repeats = number(attribute(tag, b"number-columns-repeated"), MAX_COL);
                let value = attribute(tag, b"string-value").map_or(0, |v| Chars::default().count(v));
                if value > MAX_CELL_CHARS {
                    return Err(msg::CELL_TOO_LONG.into());
                }
                if empty {
                    end_cell(Some((repeats, value)), row_repeats, &mut total)?;
                } else {
                    cell = Some((repeats, value));
                }
            }
            Xml::Text(text) => {
                if let Some((_, n)) = cell.as_mut() {
                    *n += chars.count(text);
                    if *n > MAX_CELL_CHARS {
                        return Err(msg::CELL_TOO_LONG.into());
                    }
                }
            }
            Xml::Close { name: b"table-cell" | b"covered-table-cell" } => {
                end_cell(cell.take(), row_repeats, &mut total)?;
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(total)
}

/// Any other XML part calamine reads (workbook, styles, relationships):
/// only the bounds on a tag and on a stretch of text apply.
pub(super) fn other_part(xml: impl Read) -> Result<(), String> {
    scan(xml, |_| Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_strings_are_measured_in_characters_without_reading_them_whole() {
        let xml = "<sst><si><t>张三</t></si><si/><si><r><t>a&amp;</t></r><r><t>b</t></r></si></sst>";
        assert_eq!(shared_strings(xml.as_bytes()).unwrap(), vec![2, 0, 3]);
        let long = format!("<sst><si><t>{}</t></si></sst>", "字".repeat(32_768));
        assert_eq!(shared_strings(long.as_bytes()), Err(msg::CELL_TOO_LONG.into()));
        let fits = format!("<sst><si><t xml:space=\"preserve\">{}</t></si></sst>", "字".repeat(32_767));
        assert_eq!(shared_strings(fits.as_bytes()).unwrap(), vec![32_767]);
        // Hidden in CDATA or split over runs, it still counts.
        let cdata = format!("<sst><si><t><![CDATA[{}]]></t></si></sst>", "x".repeat(40_000));
        assert_eq!(shared_strings(cdata.as_bytes()), Err(msg::CELL_TOO_LONG.into()));
        let many = format!("<sst>{}</sst>", "<si><t>x</t></si>".repeat(MAX_CELLS + 1));
        assert_eq!(shared_strings(many.as_bytes()), Err(msg::SHARED_STRINGS_TOO_BIG.into()));
        let tag = format!("<sst><si a=\"{}\"/></sst>", "x".repeat(MAX_TAG_BYTES));
        assert_eq!(shared_strings(tag.as_bytes()), Err(msg::WORKBOOK_MALFORMED.into()));
    }

    #[test]
    fn a_shared_string_counts_at_every_cell_that_uses_it() {
        let shared = [30_000, 1];
        let row = "<c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>";
        let sheet = format!("<x:worksheet><x:sheetData><x:row>{row}</x:row></x:sheetData></x:worksheet>");
        assert_eq!(xlsx_sheet(sheet.as_bytes(), &shared).unwrap(), 30_001);
        let many = format!("<worksheet>{}</worksheet>", row.repeat(600));
        assert_eq!(xlsx_sheet(many.as_bytes(), &shared), Err(msg::WORKBOOK_TEXT_TOO_BIG.into()));
        let inline = format!("<c r=\"A1\" t=\"inlineStr\"><is><t>{}</t></is></c>", "x".repeat(32_768));
        assert_eq!(xlsx_sheet(inline.as_bytes(), &shared), Err(msg::CELL_TOO_LONG.into()));
        let number = "<c r=\"A1\"><v>-3.5</v></c>";
        assert_eq!(xlsx_sheet(number.as_bytes(), &shared).unwrap(), 4);
    }

    #[test]
    fn an_ods_cell_counts_at_every_repeat() {
        let cell = |text: &str, repeats: u32| {
            format!(
                "<table:table-row table:number-rows-repeated=\"{repeats}\"><table:table-cell \
                 table:number-columns-repeated=\"{repeats}\" office:value-type=\"string\"><text:p>{text}</text:p>\
                 </table:table-cell><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"
            )
        };
        assert_eq!(ods_content(cell("张三", 3).as_bytes()).unwrap(), 18);
        let wide = cell(&"x".repeat(20_000), 1000);
        assert_eq!(ods_content(wide.as_bytes()), Err(msg::WORKBOOK_TEXT_TOO_BIG.into()));
        let long = cell(&"x".repeat(32_768), 1);
        assert_eq!(ods_content(long.as_bytes()), Err(msg::CELL_TOO_LONG.into()));
    }
}
