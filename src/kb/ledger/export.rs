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

/// The workbook: the payroll sheet (header in the first row, so payroll can
/// import it as is), then a sheet saying which month, rate and state it is.
pub fn write_xlsx(
    ledger: &Ledger,
    people: &[Person],
    closed: Option<&str>,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let two = rust_xlsxwriter::Format::new().set_num_format("0.00");
    let sheet = book.add_worksheet();
    sheet.set_name(msg::LEDGER_SHEET)?;
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let mut total = 0;
    for (i, p) in charged(people).enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, &p.staff_no)?;
        sheet.write_string(row, 1, &p.name)?;
        sheet.write_string(row, 2, &p.hall)?;
        sheet.write_number(row, 3, p.penalty.count as f64)?;
        sheet.write_number_with_format(row, 4, p.penalty.fen as f64 / 100.0, &two)?;
        sheet.write_string(row, 5, p.details())?;
        total += p.penalty.fen;
    }
    sheet.set_column_width(2, 18)?;
    sheet.set_column_width(5, 80)?;
    sheet.set_freeze_panes(1, 0)?;
    let about = book.add_worksheet();
    about.set_name(msg::LEDGER_SHEET_ABOUT)?;
    let lines = [
        (msg::LEDGER_ABOUT_MONTH, ledger.month.to_string()),
        (msg::LEDGER_RATE, msg::ledger_rate(&yuan(ledger.rate_fen))),
        (
            msg::LEDGER_ABOUT_STATE,
            closed.map_or_else(|| msg::LEDGER_ABOUT_LIVE.to_string(), msg::ledger_closed_at),
        ),
        (msg::LEDGER_ABOUT_PEOPLE, charged(people).count().to_string()),
        (msg::LEDGER_ABOUT_TOTAL, yuan(total)),
    ];
    for (r, (label, value)) in lines.iter().enumerate() {
        about.write_string_with_format(r as u32, 0, *label, &bold)?;
        about.write_string(r as u32, 1, value)?;
    }
    about.set_column_width(0, 14)?;
    about.set_column_width(1, 40)?;
    book.save_to_buffer()
}
