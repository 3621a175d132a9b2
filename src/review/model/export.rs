//! The list as CSV, Excel and plain text.

#![allow(unused_imports)]
use serde::{Deserialize, Serialize};

use super::super::case::{Case, CaseStatus};
use super::super::rules::{self, two_decimals, Average, Flag, Reason, Sitter};
use super::*;
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::exam::model::{self as exam_model, Exam, Tree, PUBLISHED};
use crate::web::msg;

pub const CSV_HEADER: [&str; 8] = ["工号", "姓名", "县分", "营业厅", "分数", "市平均分", "差距", "状态"];

/// Columns the Excel export adds after the CSV's.
const XLSX_EXTRA: [&str; 6] = ["连续月数", "复考成绩", "沟通记录", "沟通人", "沟通时间", "豁免原因"];

pub fn csv_cells(list: &List, r: &Row) -> [String; 8] {
    [
        r.staff_no.clone(),
        r.name.clone(),
        r.area.clone(),
        r.hall.clone(),
        r.score.clone(),
        list.city_average.clone(),
        r.gap.clone(),
        r.status.to_string(),
    ]
}

pub fn write_csv(list: &List) -> anyhow::Result<Vec<u8>> {
    crate::web::export::write_csv(false, CSV_HEADER, list.rows.iter().map(|r| csv_cells(list, r)))
}

/// The scope a list shows, for the printed header: its counties (the city
/// when it spans more than two).
fn scope_of(list: &List) -> String {
    let mut areas: Vec<&str> = list.rows.iter().map(|r| r.area.as_str()).collect();
    areas.sort_unstable();
    areas.dedup();
    match areas.len() {
        0 => String::new(),
        1 | 2 => areas.join(msg::LIST_SEPARATOR),
        _ => msg::WEAK_CITY.to_string(),
    }
}

pub fn write_xlsx(list: &List) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("低于全市平均")?;
    let two = rust_xlsxwriter::Format::new().set_num_format("0.00");
    let wrap = rust_xlsxwriter::Format::new().set_text_wrap();
    let mut title = msg::review_title(list.month, &list.city_average, list.submitted);
    if let Some(closed) = &list.closed {
        title.push_str(&msg::review_closed_note(&closed.at));
    }
    // 工号 and 姓名 stay in view; the CSV's columns first (the fixed format), then the follow-up.
    let mut layout = crate::web::xlsx::Layout::new(title, scope_of(list), 1, 2);
    let headings: Vec<&str> = CSV_HEADER.iter().chain(&XLSX_EXTRA).copied().collect();
    layout.heading(sheet, &headings)?;
    for (i, r) in list.rows.iter().enumerate() {
        let row = i as u32 + 2;
        let extra = [
            r.consecutive.to_string(),
            r.retest_score.clone(),
            r.talk_note.clone(),
            r.talked_by.clone(),
            r.talked_at.clone(),
            r.exempt_reason.clone(),
        ];
        let mut cells = csv_cells(list, r);
        if r.absent {
            // Readable without the status column: 缺考 where the score would be.
            cells[4] = msg::SCORECARD_ABSENT.to_string();
        }
        for (c, text) in cells.iter().chain(&extra).enumerate() {
            let c = c as u16;
            layout.see(row, c, text);
            match text.parse::<f64>() {
                Ok(n) if (4..=6).contains(&c) || c == 9 => sheet.write_number_with_format(row, c, n, &two)?,
                Ok(n) if c == 8 => sheet.write_number(row, c, n)?,
                _ if c == 10 || c == 13 => sheet.write_string_with_format(row, c, text, &wrap)?,
                _ if c == 12 => crate::web::xlsx::write_when(sheet, row, c, text)?,
                _ => sheet.write_string(row, c, text)?,
            };
        }
    }
    layout.apply(sheet, &crate::web::xlsx::made_now())?;
    book.save_to_buffer()
}

/// The text report: the city average and n first, then one line per clerk.
pub fn write_text(list: &List) -> String {
    let mut out = msg::review_title(list.month, &list.city_average, list.submitted);
    out.push('\n');
    for r in &list.rows {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            r.staff_no, r.name, r.area, r.hall, r.score, r.gap, r.status
        ));
    }
    out
}
