//! A hall's monthly drill feedback (月末反馈) as a workbook: per clerk, per
//! clerk × business type (and the hall's types), the drills.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::view::{HallMonth, TypeCell};
use crate::domain::score::FULL_MARKS;
use crate::web::msg;

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
    use crate::web::xlsx::Layout;
    let mut book = Workbook::new();
    let pct = Format::new().set_num_format("0.00%");
    let title = msg::drill_report_title(&hm.area, &hm.hall, hm.month);
    let made = crate::web::xlsx::made_now();
    let sheet = book.add_worksheet();
    sheet.set_name(msg::DRILL_SHEET_CLERKS)?;
    let mut layout = Layout::new(&title, &hm.hall, 2, 2);
    layout.heading(
        sheet,
        &["工号", "姓名", "演练次数", "已测周数", "应测周数", "未测周数", "准确率", "用时/目标", "最弱业务"],
    )?;
    sheet.write_string(1, 0, msg::drill_report_leaders(&hm.team_leaders))?;
    for (i, c) in hm.f.clerks.iter().enumerate() {
        let r = 3 + i as u32;
        let weakest = c.weakest.join(msg::LIST_SEPARATOR);
        for (col, text) in [(0, c.staff_no.as_str()), (1, &c.name), (8, &weakest)] {
            sheet.write_string(r, col, text)?;
            layout.see(r, col, text);
        }
        for (col, n) in [(2, c.drills), (3, c.weeks_drilled), (4, c.weeks_due), (5, c.weeks_missed)] {
            sheet.write_number(r, col, n as f64)?;
        }
        share(sheet, r, 6, c.accuracy_value, &pct)?;
        share(sheet, r, 7, c.vs_target_value, &pct)?;
    }
    layout.apply(sheet, &made)?;
    let types = book.add_worksheet();
    types.set_name(msg::DRILL_SHEET_TYPES)?;
    let mut layout = Layout::new(&title, &hm.hall, 1, 2);
    layout.heading(
        types,
        &["工号", "姓名", "业务类型", "次数", "中位用时(秒)", "目标(秒)", "是否达标", "准确率", "用时/目标"],
    )?;
    let mut r = 2;
    for t in &hm.f.types {
        types.write_string(r, 1, msg::DRILL_HALL_ROW)?;
        type_cells(types, r, 2, t, &pct)?;
        layout.see(r, 2, &t.name);
        r += 1;
    }
    for c in &hm.f.clerks {
        for t in &c.types {
            types.write_string(r, 0, &c.staff_no)?;
            types.write_string(r, 1, &c.name)?;
            type_cells(types, r, 2, t, &pct)?;
            layout.see(r, 1, &c.name);
            layout.see(r, 2, &t.name);
            r += 1;
        }
    }
    layout.apply(types, &made)?;
    let list = book.add_worksheet();
    list.set_name(msg::DRILL_SHEET_DRILLS)?;
    let mut layout = Layout::new(&title, &hm.hall, 0, 2);
    layout.heading(list, &["日期", "营业员", "业务类型", "用时(秒)", "差错数", "备注", "记录人"])?;
    for (i, d) in hm.drills.iter().enumerate() {
        let r = 1 + i as u32;
        for (col, text) in
            [(0, d.date.as_str()), (1, &d.clerk), (2, &d.type_name), (5, &d.notes), (6, &d.recorded_by)]
        {
            crate::web::xlsx::write_when(list, r, col, text)?;
            layout.see(r, col, text);
        }
        list.write_number(r, 3, d.seconds as f64)?;
        list.write_number(r, 4, d.errors as f64)?;
    }
    layout.apply(list, &made)?;
    book.save_to_buffer()
}
