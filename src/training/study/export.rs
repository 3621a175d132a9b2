//! The month's study in Excel: the hall summary against the target, and one
//! row per session with its attendees and linked articles.

use std::collections::HashMap;

use diesel::QueryResult;

use super::model::StudySession;
use super::routes::kind_label;
use super::rules;
use super::summary::HallStudy;
use crate::db::Conn;
use crate::domain::score::{percent_text, share};
use crate::domain::{Month, OrgTree};
use crate::web::msg;

/// One session as the sheet shows it.
pub struct Line {
    pub session: StudySession,
    pub area: String,
    pub hall: String,
    pub attendees: Vec<String>,
    pub articles: Vec<String>,
    pub recorder: String,
}

/// Names and titles for the sessions' rows.
pub fn lines(conn: &mut Conn, tree: &OrgTree, sessions: &[StudySession]) -> QueryResult<Vec<Line>> {
    let ids: Vec<i32> = sessions.iter().map(|s| s.id).collect();
    let attendees = StudySession::attendees_of(conn, &ids)?;
    let people: Vec<i32> =
        attendees.values().flatten().copied().chain(sessions.iter().filter_map(|s| s.created_by)).collect();
    let names = crate::accounts::User::names(conn, &people)?;
    let mut titles: HashMap<i32, String> = HashMap::new();
    let mut out = Vec::new();
    for s in sessions {
        let mut articles = Vec::new();
        for id in s.articles() {
            if let std::collections::hash_map::Entry::Vacant(e) = titles.entry(id) {
                let found = super::model::article_titles(conn, &[id])?;
                e.insert(found.into_iter().next().map(|t| t.1).unwrap_or_default());
            }
            articles.extend(titles.get(&id).filter(|t| !t.is_empty()).cloned());
        }
        let who = attendees.get(&s.id).map(Vec::as_slice).unwrap_or_default();
        out.push(Line {
            area: tree.area_of(Some(s.hall_id)).map(|a| a.name.clone()).unwrap_or_default(),
            hall: tree.name(Some(s.hall_id)),
            attendees: who.iter().filter_map(|id| names.get(id).cloned()).collect(),
            articles,
            recorder: s.created_by.and_then(|id| names.get(&id).cloned()).unwrap_or_default(),
            session: s.clone(),
        });
    }
    Ok(out)
}

pub const HALL_HEADER: [&str; 7] =
    ["区县", "营业厅", "学习次数", "学习时长（小时）", "目标（小时）", "完成率", "状态"];
pub const SESSION_HEADER: [&str; 13] = [
    "日期",
    "区县",
    "营业厅",
    "开始",
    "结束",
    "时长（分钟）",
    "类型",
    "主题",
    "参加人数",
    "参加人员",
    "关联文章",
    "备注",
    "记录人",
];

pub fn write_xlsx(
    month: Month,
    halls: &[HallStudy],
    lines: &[Line],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let one = rust_xlsxwriter::Format::new().set_num_format("0.0");
    let sheet = book.add_worksheet();
    sheet.set_name(msg::STUDY_SHEET_HALLS)?;
    sheet.write_string_with_format(0, 0, msg::study_export_title(month), &bold)?;
    for (c, h) in HALL_HEADER.iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, *h, &bold)?;
    }
    for (i, h) in halls.iter().enumerate() {
        let r = i as u32 + 2;
        sheet.write_string(r, 0, &h.area)?;
        sheet.write_string(r, 1, &h.hall)?;
        sheet.write_number(r, 2, h.sessions as f64)?;
        // The sheet's hours are the page's (rounded half up to a tenth).
        sheet.write_number_with_format(r, 3, tenths(h.minutes), &one)?;
        sheet.write_number_with_format(r, 4, tenths(h.target_minutes), &one)?;
        sheet.write_string(r, 5, percent_text(share(h.minutes, h.target_minutes)))?;
        sheet.write_string(r, 6, if h.short { msg::STUDY_SHORT } else { msg::STUDY_MET })?;
    }
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(1, 20)?;
    sheet.set_column_width(3, 16)?;
    let list = book.add_worksheet();
    list.set_name(msg::STUDY_SHEET_SESSIONS)?;
    for (c, h) in SESSION_HEADER.iter().enumerate() {
        list.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, l) in lines.iter().enumerate() {
        let (r, s) = (i as u32 + 1, &l.session);
        let text = [s.held_on.to_string(), l.area.clone(), l.hall.clone(), s.starts.clone(), s.ends.clone()];
        for (c, t) in text.iter().enumerate() {
            list.write_string(r, c as u16, t)?;
        }
        list.write_number(r, 5, f64::from(s.minutes))?;
        list.write_string(r, 6, kind_label(&s.kind))?;
        list.write_string(r, 7, &s.topic)?;
        list.write_number(r, 8, l.attendees.len() as f64)?;
        list.write_string(r, 9, l.attendees.join("、"))?;
        list.write_string(r, 10, l.articles.join("；"))?;
        list.write_string(r, 11, &s.notes)?;
        list.write_string(r, 12, &l.recorder)?;
    }
    list.set_column_width(0, 11)?;
    list.set_column_width(2, 18)?;
    list.set_column_width(7, 24)?;
    list.set_column_width(9, 30)?;
    list.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

/// Minutes as hours to one decimal, as a number for Excel.
fn tenths(minutes: i64) -> f64 {
    rules::hours(minutes).parse().unwrap_or(0.0)
}
