//! An .ods sheet's size as calamine will lay it out.

use quick_xml::events::{BytesStart, Event};

use super::{MAX_COL, MAX_ROW};

/// The largest table of an .ods `content.xml`, in cells, as calamine lays it
/// out: from the first to the last row holding a value (repeats counted)
/// times the widest such row (up to its last value, column repeats counted,
/// capped like calamine's at Excel's bounds). Empty rows and cells repeated a
/// million times, as LibreOffice writes after the data, cost nothing. None
/// for a repeat count that is no number.
pub(super) fn ods_largest_table(xml: impl std::io::BufRead) -> Option<u64> {
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
