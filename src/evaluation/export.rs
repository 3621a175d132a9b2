//! The month's evaluation of a role as HR takes it: a workbook (one row per
//! person, a column per component, the formulas on a second sheet) or CSV.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::model::RoleSheet;
use crate::domain::Month;
use crate::web::msg;

fn header(sheet: &RoleSheet) -> Vec<String> {
    let mut h: Vec<String> =
        ["排名", "工号", "姓名", "区县", "营业厅", "总分"].iter().map(|s| s.to_string()).collect();
    // A 一票否决 item has no points: its column is 一票否决 itself.
    h.extend(sheet.heads.iter().filter(|c| !c.veto).map(|c| format!("{}（{}）", c.label, c.max_text)));
    h.push("一票否决".into());
    h.push("申诉改分项".into());
    h
}

fn rows(sheet: &RoleSheet) -> Vec<Vec<String>> {
    sheet
        .people
        .iter()
        .map(|e| {
            let mut r = vec![
                e.rank.to_string(),
                e.staff_no.clone(),
                e.name.clone(),
                e.area.clone(),
                e.hall.clone(),
                e.total_text.clone(),
            ];
            r.extend(e.parts.iter().filter(|p| !p.veto).map(|p| {
                if p.points.is_some() {
                    p.points_text.clone()
                } else {
                    "—".into()
                }
            }));
            r.push(if e.vetoed { "是".into() } else { String::new() });
            r.push(
                e.parts
                    .iter()
                    .filter(|p| p.adjusted)
                    .map(|p| p.label.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
            );
            r
        })
        .collect()
}

/// The workbook.
pub fn xlsx(month: Month, sheet: &RoleSheet, closed: bool) -> Result<Vec<u8>, XlsxError> {
    use crate::web::xlsx::{made_now, Layout};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet.role.label())?;
    let state = if closed { msg::EVAL_EXPORT_CLOSED } else { msg::EVAL_EXPORT_LIVE };
    let title = msg::eval_export_title(month, sheet.role.label(), sheet.scheme_version, state);
    let mut layout = Layout::new(&title, "", 1, 3);
    let h = header(sheet);
    let names: Vec<&str> = h.iter().map(String::as_str).collect();
    layout.heading(ws, &names)?;
    for (i, row) in rows(sheet).iter().enumerate() {
        let r = 2 + i as u32;
        for (c, v) in row.iter().enumerate() {
            // Scores as numbers, so HR can sum and sort them.
            let last = row.len() - 2;
            match v.parse::<f64>() {
                Ok(n) if c == 0 || (5..last).contains(&c) => ws.write_number(r, c as u16, n)?,
                _ => ws.write_string(r, c as u16, v)?,
            };
            layout.see(r, c as u16, v);
        }
    }
    layout.apply(ws, &made_now())?;
    let notes = book.add_worksheet();
    notes.set_name(msg::EVAL_EXPORT_FORMULAS)?;
    notes.write_string(0, 0, "项目")?;
    notes.write_string(0, 1, "满分")?;
    notes.write_string(0, 2, "计算方法")?;
    for (i, c) in sheet.heads.iter().enumerate() {
        notes.write_string(1 + i as u32, 0, &c.label)?;
        notes.write_number(1 + i as u32, 1, c.max as f64 / 100.0)?;
        notes.write_string(1 + i as u32, 2, &c.formula)?;
    }
    let last = 2 + sheet.heads.len() as u32;
    notes.write_string(last, 0, crate::evaluation::routes::pages::missing_note(sheet.missing))?;
    notes.set_column_width(0, 24)?;
    notes.set_column_width(2, 90)?;
    book.save_to_buffer()
}

/// CSV (UTF-8 with BOM, as Excel in China opens it).
pub fn csv(sheet: &RoleSheet) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(header(sheet))?;
    for r in rows(sheet) {
        w.write_record(r)?;
    }
    Ok(w.into_inner()?)
}
