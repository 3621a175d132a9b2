//! The month's calls for Excel and the CLI: one row per call (first scorings),
//! and in the workbook a summary sheet by hall.

use super::figures::{group, Fact};
use crate::bank::question::format_points;
use crate::domain::score::two_decimals;
use crate::domain::Month;
use crate::web::msg;

pub const HEADER: [&str; 10] =
    ["月份", "日期时间", "区县", "营业厅", "工号", "姓名", "拨测员", "场景", "总分", "一票否决"];

/// The item columns: every item name met in the month's calls, in order.
pub fn item_names(calls: &[Fact]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for m in calls.iter().flat_map(|f| &f.marks) {
        if !names.contains(&m.name) {
            names.push(m.name.clone());
        }
    }
    names
}

/// One call's cells: the fixed columns, then one per item (N/A as 不适用).
pub fn cells(f: &Fact, items: &[String]) -> Vec<String> {
    let mut row = vec![
        f.month.to_string(),
        f.when.clone(),
        f.area.clone(),
        f.hall.clone(),
        f.staff_no.clone(),
        f.clerk.clone(),
        f.tester.clone(),
        f.scenario.clone(),
        two_decimals(f.total),
        if f.critical { msg::PHONE_REPORT_YES.into() } else { String::new() },
    ];
    for name in items {
        row.push(match f.marks.iter().find(|m| &m.name == name).map(|m| m.mark) {
            Some(Some(v)) => format_points(v),
            Some(None) => msg::PHONE_REPORT_NA.into(),
            None => String::new(),
        });
    }
    row
}

pub fn write_csv(calls: &[Fact]) -> anyhow::Result<Vec<u8>> {
    let items = item_names(calls);
    let header = HEADER.iter().map(|s| s.to_string()).chain(items.iter().cloned());
    crate::web::export::write_csv(false, header, calls.iter().map(|f| cells(f, &items)))
}

pub fn write_xlsx(calls: &[Fact], month: Month) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let items = item_names(calls);
    let mut book = rust_xlsxwriter::Workbook::new();
    let two = rust_xlsxwriter::Format::new().set_num_format("0.00");
    let made = crate::web::xlsx::made_now();
    let sheet = book.add_worksheet();
    sheet.set_name(msg::PHONE_REPORT_SHEET_CALLS)?;
    // The calls keep their headings in the first row (the CLI's CSV columns).
    let mut layout = crate::web::xlsx::Layout::new(msg::phone_report_title(month), "", 0, 6);
    let headings: Vec<String> = HEADER.iter().map(|s| s.to_string()).chain(items.iter().cloned()).collect();
    layout.heading(sheet, &headings.iter().map(String::as_str).collect::<Vec<_>>())?;
    for (r, f) in calls.iter().enumerate() {
        for (c, text) in cells(f, &items).iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            layout.see(r, c, text);
            match text.parse::<f64>() {
                Ok(n) if c == 8 => sheet.write_number_with_format(r, c, n, &two)?,
                Ok(n) if c >= 10 => sheet.write_number(r, c, n)?,
                _ if c == 1 => crate::web::xlsx::write_when(sheet, r, c, text)?,
                _ => sheet.write_string(r, c, text)?,
            };
        }
    }
    layout.apply(sheet, &made)?;
    let summary = book.add_worksheet();
    summary.set_name(msg::PHONE_REPORT_SHEET_HALLS)?;
    let mut layout = crate::web::xlsx::Layout::new(msg::phone_report_title(month), "", 1, 2);
    let head = [
        "区县",
        "营业厅",
        "拨测次数",
        "平均分（按通次）",
        "平均分（按人）",
        "最低项",
        "一票否决",
        "未能识别",
    ];
    layout.heading(summary, &head)?;
    let mut r = 2;
    for area in group(calls).areas {
        for hall in area.halls {
            for (c, text) in [(0, &area.area), (1, &hall.hall), (5, &hall.stat.lowest)] {
                summary.write_string(r, c, text)?;
                layout.see(r, c, text);
            }
            summary.write_number(r, 2, hall.stat.calls as f64)?;
            if let Some(avg) = hall.stat.average_value {
                summary.write_number_with_format(r, 3, avg as f64 / 100.0, &two)?;
            }
            if let Some(avg) = hall.stat.per_clerk_value {
                summary.write_number_with_format(r, 4, avg as f64 / 100.0, &two)?;
            }
            summary.write_number(r, 6, hall.stat.critical as f64)?;
            summary.write_number(r, 7, hall.stat.unidentified as f64)?;
            r += 1;
        }
    }
    layout.apply(summary, &made)?;
    book.save_to_buffer()
}
