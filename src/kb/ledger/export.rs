//! The ledger for payroll: one row per charged person, as CSV (the CLI) and
//! as an Excel workbook (the page and the CLI), with the same columns.

use super::sheet::{Ledger, Person};
use super::yuan;
use crate::web::msg;

/// The payroll columns, exactly.
pub const HEADER: [&str; 6] = ["工号", "姓名", "营业厅", "未读条数", "扣款金额", "明细"];

/// The people payroll docks (a penalty above zero items).
pub fn charged(people: &[Person]) -> impl Iterator<Item = &Person> {
    people.iter().filter(|p| p.penalty.count > 0)
}

fn cells(p: &Person) -> [String; 6] {
    [
        p.staff_no.clone(),
        p.name.clone(),
        p.hall.clone(),
        p.penalty.count.to_string(),
        yuan(p.penalty.fen),
        p.details(),
    ]
}

pub fn write_csv(people: &[Person]) -> anyhow::Result<Vec<u8>> {
    crate::web::export::write_csv(false, HEADER, charged(people).map(cells))
}

/// The workbook's payroll columns: the CSV's, with the unit of the money.
pub const XLSX_HEADER: [&str; 6] = ["工号", "姓名", "营业厅", "未读条数", "扣款金额（元）", "明细"];

/// The workbook: the payroll sheet (a title row with the month and scope,
/// the headings, a row per charged person, a total row), then a sheet saying
/// which month, rate and state it is. `scope` names the viewer's counties.
pub fn write_xlsx(
    ledger: &Ledger,
    people: &[Person],
    closed: Option<&str>,
    scope: &str,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let two = rust_xlsxwriter::Format::new().set_num_format("0.00");
    let two_bold = rust_xlsxwriter::Format::new().set_num_format("0.00").set_bold();
    let wrap = rust_xlsxwriter::Format::new().set_text_wrap();
    let sheet = book.add_worksheet();
    sheet.set_name(msg::LEDGER_SHEET)?;
    let mut layout = crate::web::xlsx::Layout::new(msg::ledger_sheet_title(ledger.month), scope, 1, 2);
    layout.heading(sheet, &XLSX_HEADER)?;
    let (mut total, mut items, mut row) = (0, 0, 2);
    for p in charged(people) {
        for (c, text) in [&p.staff_no, &p.name, &p.hall].into_iter().enumerate() {
            sheet.write_string(row, c as u16, text)?;
            layout.see(row, c as u16, text);
        }
        sheet.write_number(row, 3, p.penalty.count as f64)?;
        sheet.write_number_with_format(row, 4, p.penalty.fen as f64 / 100.0, &two)?;
        let details = p.details();
        sheet.write_string_with_format(row, 5, &details, &wrap)?;
        layout.see(row, 5, &details);
        total += p.penalty.fen;
        items += p.penalty.count;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, msg::TOTAL, &bold)?;
    sheet.write_number_with_format(row, 3, items as f64, &bold)?;
    sheet.write_number_with_format(row, 4, total as f64 / 100.0, &two_bold)?;
    layout.apply(sheet, &crate::web::xlsx::made_now())?;
    let about = book.add_worksheet();
    about.set_name(msg::LEDGER_SHEET_ABOUT)?;
    let lines = [
        (msg::LEDGER_ABOUT_MONTH, ledger.month.to_string()),
        (msg::LEDGER_RATE, msg::ledger_rate(&yuan(ledger.rate_fen))),
        (
            msg::LEDGER_ABOUT_STATE,
            closed.map_or_else(|| msg::LEDGER_ABOUT_LIVE.to_string(), msg::ledger_closed_at),
        ),
    ];
    for (r, (label, value)) in lines.iter().enumerate() {
        about.write_string_with_format(r as u32, 0, *label, &bold)?;
        about.write_string(r as u32, 1, value)?;
    }
    // Counts and money as numbers.
    let people_row = lines.len() as u32;
    about.write_string_with_format(people_row, 0, msg::LEDGER_ABOUT_PEOPLE, &bold)?;
    about.write_number(people_row, 1, charged(people).count() as f64)?;
    about.write_string_with_format(people_row + 1, 0, msg::LEDGER_ABOUT_TOTAL_YUAN, &bold)?;
    about.write_number_with_format(people_row + 1, 1, total as f64 / 100.0, &two)?;
    about.set_column_width(0, 14)?;
    about.set_column_width(1, 40)?;
    book.save_to_buffer()
}
