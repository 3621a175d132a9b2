//! A hall's monthly drill feedback (月末反馈) as a workbook: per clerk, per
//! clerk × business type (and the hall's types), the drills.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::view::{HallMonth, TypeCell};
use crate::domain::score::FULL_MARKS;
use crate::web::msg;

fn heads(sheet: &mut Worksheet, row: u32, names: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (c, h) in names.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, *h, bold)?;
    }
    Ok(())
}

/// A share in hundredths of a percent as an Excel percentage (blank for none).
fn share(sheet: &mut Worksheet, r: u32, c: u16, value: Option<i64>, pct: &Format) -> Result<(), XlsxError> {
    if let Some(v) = value {
        sheet.write_number_with_format(r, c, v as f64 / FULL_MARKS as f64, pct)?;
    }
    Ok(())
}

fn type_cells(sheet: &mut Worksheet, r: u32, from: u16, t: &TypeCell, pct: &Format) -> Result<(), XlsxError> {
    sheet.write_string(r, from, &t.name)?;
    sheet.write_number(r, from + 1, t.count as f64)?;
    if let Some(m) = t.median_seconds {
        sheet.write_number(r, from + 2, m as f64)?;
    }
    sheet.write_number(r, from + 3, t.target_seconds as f64)?;
    let meets = match t.meets {
        Some(true) => msg::DRILL_MEETS,
        Some(false) => msg::DRILL_MISSES,
        None => "",
    };
    sheet.write_string(r, from + 4, meets)?;
    share(sheet, r, from + 5, t.accuracy_value, pct)?;
    share(sheet, r, from + 6, t.vs_target_value, pct)
}

/// Three sheets: per clerk, per clerk × business type (and the hall's types), the drills.
pub fn write_xlsx(hm: &HallMonth) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.00%");
    let title = msg::drill_report_title(&hm.area, &hm.hall, hm.month);
    let sheet = book.add_worksheet();
    sheet.set_name(msg::DRILL_SHEET_CLERKS)?;
    sheet.write_string_with_format(0, 0, &title, &bold)?;
    sheet.write_string(1, 0, msg::drill_report_leaders(&hm.team_leaders))?;
    heads(
        sheet,
        2,
        &["工号", "姓名", "演练次数", "已测周数", "应测周数", "未测周数", "准确率", "用时/目标", "最弱业务"],
        &bold,
    )?;
    for (i, c) in hm.f.clerks.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_string(r, 0, &c.staff_no)?;
        sheet.write_string(r, 1, &c.name)?;
        for (col, n) in [(2, c.drills), (3, c.weeks_drilled), (4, c.weeks_due), (5, c.weeks_missed)] {
            sheet.write_number(r, col, n as f64)?;
        }
        share(sheet, r, 6, c.accuracy_value, &pct)?;
        share(sheet, r, 7, c.vs_target_value, &pct)?;
        sheet.write_string(r, 8, c.weakest.join(msg::LIST_SEPARATOR))?;
    }
    sheet.set_column_width(1, 12)?;
    sheet.set_column_width(8, 20)?;
    let types = book.add_worksheet();
    types.set_name(msg::DRILL_SHEET_TYPES)?;
    types.write_string_with_format(0, 0, &title, &bold)?;
    let cols =
        ["工号", "姓名", "业务类型", "次数", "中位用时(秒)", "目标(秒)", "是否达标", "准确率", "用时/目标"];
    heads(types, 1, &cols, &bold)?;
    let mut r = 2;
    for t in &hm.f.types {
        types.write_string(r, 1, msg::DRILL_HALL_ROW)?;
        type_cells(types, r, 2, t, &pct)?;
        r += 1;
    }
    for c in &hm.f.clerks {
        for t in &c.types {
            types.write_string(r, 0, &c.staff_no)?;
            types.write_string(r, 1, &c.name)?;
            type_cells(types, r, 2, t, &pct)?;
            r += 1;
        }
    }
    types.set_column_width(1, 12)?;
    types.set_column_width(4, 13)?;
    let list = book.add_worksheet();
    list.set_name(msg::DRILL_SHEET_DRILLS)?;
    heads(list, 0, &["日期", "营业员", "业务类型", "用时(秒)", "差错数", "备注", "记录人"], &bold)?;
    for (i, d) in hm.drills.iter().enumerate() {
        let r = 1 + i as u32;
        list.write_string(r, 0, &d.date)?;
        list.write_string(r, 1, &d.clerk)?;
        list.write_string(r, 2, &d.type_name)?;
        list.write_number(r, 3, d.seconds as f64)?;
        list.write_number(r, 4, d.errors as f64)?;
        list.write_string(r, 5, &d.notes)?;
        list.write_string(r, 6, &d.recorded_by)?;
    }
    list.set_column_width(0, 11)?;
    list.set_column_width(1, 16)?;
    list.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}
