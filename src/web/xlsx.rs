//! How every .xlsx export prints and reads: supervisors open them in Excel or
//! LibreOffice and print them to A4 for the monthly meeting.
//!
//! A sheet's [`Layout`] sees the texts written into it (for the column
//! widths: Chinese characters count double, which the writer's own autofit
//! does not know), then [`Layout::apply`] gives the sheet A4, landscape when
//! it is wide, one page wide, the title and header rows repeated on every
//! page, a header (title · scope) and footer (page n / m · when it was made),
//! the header row and name columns frozen, and an autofilter over the table.

use rust_xlsxwriter::{Worksheet, XlsxError};

/// A4 in the writer's paper codes.
const A4: u8 = 9;
/// Beyond this many columns a sheet prints landscape.
const PORTRAIT_MAX_COLUMNS: u16 = 6;
/// Column widths in character units: at least, at most (longer text wraps).
const MIN_WIDTH: f64 = 6.0;
const MAX_WIDTH: f64 = 48.0;

/// One export sheet's table as the layout needs it.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The title row's text (row 0), also the printed header's left part.
    title: String,
    /// The scope (a county, the city, a filter), the printed header's right part.
    scope: String,
    /// The row of column headings (the table starts there).
    header_row: u32,
    /// Columns kept in view when scrolling right (工号, 姓名…).
    freeze_columns: u16,
    /// Widest text seen per column, in character units.
    widths: Vec<f64>,
    /// Per column, the widest it may be (longer text wraps); unset: [`MAX_WIDTH`].
    caps: Vec<Option<f64>>,
    /// Texts that may wrap: (row, column, each line's width).
    long: Vec<(u32, u16, Vec<f64>)>,
    last_row: u32,
}

/// Text narrower than this never wraps, whatever the cap: not noted for row heights.
const SHORT: f64 = 16.0;
/// A row's height in points per line of text.
const LINE_HEIGHT: f64 = 15.0;

/// The width of each line of a text (see [`text_width`]).
fn line_widths(text: &str) -> Vec<f64> {
    text.lines().map(text_width).collect()
}

/// A text's width in Excel character units: CJK and other wide characters 2, the rest 1.
pub fn text_width(text: &str) -> f64 {
    text.lines()
        .map(|line| line.chars().map(|c| if (c as u32) < 0x1100 { 1.0 } else { 2.0 }).sum::<f64>())
        .fold(0.0, f64::max)
}

impl Layout {
    pub fn new(
        title: impl Into<String>,
        scope: impl Into<String>,
        header_row: u32,
        freeze_columns: u16,
    ) -> Layout {
        Layout {
            title: title.into(),
            scope: scope.into(),
            header_row,
            freeze_columns,
            widths: Vec::new(),
            caps: Vec::new(),
            long: Vec::new(),
            last_row: header_row,
        }
    }

    /// Caps a column's width (in character units): a text column that would
    /// make a wide sheet print too small wraps at this width instead.
    pub fn cap(&mut self, col: u16, width: f64) -> &mut Layout {
        let col = usize::from(col);
        if self.caps.len() <= col {
            self.caps.resize(col + 1, None);
        }
        self.caps[col] = Some(width);
        self
    }

    /// A column's width as set: its widest text within its cap.
    fn width(&self, col: usize) -> f64 {
        let cap = self.caps.get(col).copied().flatten().unwrap_or(MAX_WIDTH);
        self.widths.get(col).copied().unwrap_or(MIN_WIDTH).clamp(MIN_WIDTH, cap.max(MIN_WIDTH))
    }

    /// Notes a cell's text (for its column's width) and its row (for the table's extent).
    pub fn see(&mut self, row: u32, col: u16, text: &str) {
        let col = usize::from(col);
        if self.widths.len() <= col {
            self.widths.resize(col + 1, MIN_WIDTH);
        }
        let width = text_width(text);
        self.widths[col] = self.widths[col].max(width + 2.0);
        self.last_row = self.last_row.max(row);
        if width > SHORT || text.contains('\n') {
            self.long.push((row, col as u16, line_widths(text)));
        }
    }

    /// Writes the title row and the headings (bold), noting them. A sheet
    /// whose headings are its first row (a fixed import format) has no title
    /// row; its title is then only in the printed header.
    pub fn heading(&mut self, sheet: &mut Worksheet, headings: &[&str]) -> Result<(), XlsxError> {
        let bold = rust_xlsxwriter::Format::new().set_bold();
        if self.header_row > 0 {
            sheet.write_string_with_format(0, 0, &self.title, &bold)?;
        }
        for (c, h) in headings.iter().enumerate() {
            sheet.write_string_with_format(self.header_row, c as u16, *h, &bold)?;
            self.see(self.header_row, c as u16, h);
        }
        Ok(())
    }

    /// Page setup, frozen panes, autofilter and widths (see the module doc);
    /// `made_at` is when the file was made (Beijing time, for the footer).
    pub fn apply(&self, sheet: &mut Worksheet, made_at: &str) -> Result<(), XlsxError> {
        let columns = self.widths.len().max(1) as u16;
        sheet.set_paper_size(A4);
        if columns > PORTRAIT_MAX_COLUMNS {
            sheet.set_landscape();
        }
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(0, self.header_row)?;
        // Header/footer codes: &L &C &R sections, &P page, &N pages; a literal & is &&.
        let clean = |s: &str| s.replace('&', "&&");
        sheet.set_header(format!("&L{}&R{}", clean(&self.title), clean(&self.scope)));
        sheet.set_footer(format!("&L第 &P 页 / 共 &N 页&R生成于 {}", clean(made_at)));
        sheet.set_freeze_panes(self.header_row + 1, self.freeze_columns)?;
        // Also on a template's lone header row: filled in, it filters.
        sheet.autofilter(self.header_row, 0, self.last_row, columns - 1)?;
        let wrap =
            rust_xlsxwriter::Format::new().set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top);
        for c in 0..self.widths.len() {
            sheet.set_column_width(c as u16, self.width(c))?;
            if self.widths[c] > self.width(c) {
                // Cells without a format of their own wrap in a capped column.
                sheet.set_column_format(c as u16, &wrap)?;
            }
        }
        // Excel does not grow a row for wrapped text written by a program:
        // each row gets the height of its tallest wrapped cell.
        let mut lines: std::collections::BTreeMap<u32, f64> = std::collections::BTreeMap::new();
        for (row, col, widths) in &self.long {
            let room = (self.width(usize::from(*col)) - 1.0).max(1.0);
            let n: f64 = widths.iter().map(|w| (w / room).ceil().max(1.0)).sum();
            let tallest = lines.entry(*row).or_insert(1.0);
            *tallest = tallest.max(n);
        }
        for (row, n) in lines.into_iter().filter(|(_, n)| *n > 1.0) {
            sheet.set_row_height(row, n * LINE_HEIGHT)?;
        }
        Ok(())
    }
}

/// An import template's 填写说明 sheet, after the sheet the importer reads
/// (every import reads the first sheet): how to use the file (`intro`),
/// then each column and what to write in it, wrapped, printing like every
/// export under the title `title`.
pub fn notes_sheet<C: AsRef<str>, N: AsRef<str>>(
    book: &mut rust_xlsxwriter::Workbook,
    title: &str,
    intro: &str,
    columns: &[(C, N)],
) -> Result<(), XlsxError> {
    use crate::web::msg;
    let sheet = book.add_worksheet();
    sheet.set_name(msg::TEMPLATE_NOTES_SHEET)?;
    let mut layout = Layout::new(msg::template_notes_title(title), "", 1, 1);
    layout.heading(sheet, &msg::TEMPLATE_NOTES_HEADINGS)?;
    layout.cap(1, NOTES_WIDTH);
    let rows = std::iter::once((msg::TEMPLATE_NOTES_USE, intro))
        .chain(columns.iter().map(|(c, n)| (c.as_ref(), n.as_ref())));
    for (i, (column, note)) in rows.enumerate() {
        let row = i as u32 + 2;
        sheet.write_string(row, 0, column)?;
        sheet.write_string(row, 1, note)?;
        layout.see(row, 0, column);
        layout.see(row, 1, note);
    }
    layout.apply(sheet, &made_now())
}

/// The notes column's width: with the column names, about an A4 page's width.
const NOTES_WIDTH: f64 = 72.0;

/// Writes an import template's text rows below its headings (row 0),
/// noting each cell for the widths; Excel keeps text cells as typed.
pub fn text_rows<R: AsRef<str>>(
    sheet: &mut Worksheet,
    layout: &mut Layout,
    rows: &[Vec<R>],
) -> Result<(), XlsxError> {
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let (r, c, text) = (r as u32 + 1, c as u16, text.as_ref());
            sheet.write_string(r, c, text)?;
            layout.see(r, c, text);
        }
    }
    Ok(())
}

/// Writes a Beijing date (`2026-11-05`) or time (`2026-11-05 10:30`, with or
/// without seconds) as a real date in a date format, so it sorts and
/// filters; anything else (an empty cell, a note) as text.
pub fn write_when<'a>(
    sheet: &'a mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
) -> Result<&'a mut Worksheet, XlsxError> {
    use rust_xlsxwriter::{ExcelDateTime, Format};
    let (value, format) = match text.len() {
        10 => (ExcelDateTime::parse_from_str(text), "yyyy-mm-dd"),
        16 => (ExcelDateTime::parse_from_str(&format!("{text}:00")), "yyyy-mm-dd hh:mm"),
        19 => (ExcelDateTime::parse_from_str(text), "yyyy-mm-dd hh:mm:ss"),
        _ => (Err(XlsxError::ParameterError(String::new())), ""),
    };
    match value {
        Ok(at) if text.as_bytes().get(4) == Some(&b'-') => {
            sheet.write_datetime_with_format(row, col, &at, &Format::new().set_num_format(format))
        }
        _ => sheet.write_string(row, col, text),
    }
}

/// Now in Beijing time as the footers show it.
pub fn made_now() -> String {
    crate::time::local_display(crate::db::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_are_real_dates_and_anything_else_stays_text() {
        use calamine::{Data, Reader};
        let texts =
            ["2026-11-05", "2026-11-05 10:30", "2026-11-05 10:30:15", "", "未沟通", "2026-13-05", "20261105"];
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, text) in texts.iter().enumerate() {
            write_when(sheet, r as u32, 0, text).unwrap();
        }
        let bytes = book.save_to_buffer().unwrap();
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range("Sheet1").unwrap();
        let cell = |r: u32| range.get_value((r, 0)).cloned().unwrap_or(Data::Empty);
        let shown = |r: u32| match cell(r) {
            // Excel's serial: days since 1899-12-30, the time as the fraction.
            Data::DateTime(d) => format!("{:.6}", d.as_f64()),
            Data::String(s) => format!("text {s}"),
            other => format!("{other:?}"),
        };
        // 2026-11-05 is day 46,331; 10:30 is 0.4375 of a day, 10:30:15 0.437674.
        assert_eq!(shown(0), "46331.000000");
        assert_eq!(shown(1), "46331.437500");
        assert_eq!(shown(2), "46331.437674");
        assert_eq!(shown(4), "text 未沟通");
        assert_eq!(shown(5), "text 2026-13-05");
        assert_eq!(shown(6), "text 20261105");
    }

    /// The first worksheet's XML of a workbook.
    fn sheet_xml(bytes: Vec<u8>) -> String {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
        xml
    }

    #[test]
    fn a_capped_column_wraps_and_its_rows_grow_to_the_text() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let mut layout = Layout::new("题库", "", 0, 0);
        layout.heading(sheet, &["题干", "答案"]).unwrap();
        layout.cap(0, 21.0);
        // 30 Chinese characters = 60 units in a 21-wide column: 20 units a line → 3 lines.
        let stem = "客".repeat(30);
        sheet.write_string(1, 0, &stem).unwrap();
        layout.see(1, 0, &stem);
        // Two written lines of 8 characters: 2 lines. A short cell: no height set.
        sheet.write_string(2, 0, "第一行第一行第一\n第二行").unwrap();
        layout.see(2, 0, "第一行第一行第一\n第二行");
        layout.see(3, 1, "B");
        layout.apply(sheet, "2026-12-07 10:00").unwrap();
        let xml = sheet_xml(book.save_to_buffer().unwrap());
        // The capped column has the wrapping format; its unformatted cells take it.
        let wrap = regex::Regex::new(r#"<col min="1" max="1" width="21.7109375" style="(\d+)""#).unwrap();
        let style = &wrap.captures(&xml).expect("a styled, capped column")[1];
        assert!(xml.contains(&format!(r#"<c r="A2" s="{style}""#)), "{xml}");
        assert!(!xml.contains(r#"<col min="2" max="2" width="6.7109375" style"#), "{xml}");
        assert!(xml.contains(r#"<row r="2" spans="1:2" ht="45" customHeight="1">"#), "{xml}");
        assert!(xml.contains(r#"<row r="3" spans="1:2" ht="30" customHeight="1">"#), "{xml}");
        assert!(!xml.contains(r#"<row r="4" spans="1:2" ht="#), "{xml}");
    }

    #[test]
    fn chinese_counts_double_and_the_widest_line_counts() {
        assert_eq!(text_width("临川县分公司"), 12.0);
        assert_eq!(text_width("10087"), 5.0);
        assert_eq!(text_width("必读按时率（厅均）"), 18.0);
        assert_eq!(text_width("短\n长一些的行"), 10.0);
        assert_eq!(text_width(""), 0.0);
    }
}
