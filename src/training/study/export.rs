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
    let one = rust_xlsxwriter::Format::new().set_num_format("0.0");
    let percent = rust_xlsxwriter::Format::new().set_num_format("0.00%");
    let wrap = rust_xlsxwriter::Format::new().set_text_wrap();
    let made = crate::web::xlsx::made_now();
    // One hall (a team leader's file) is titled with its name; more with their counties.
    let scope = match halls {
        [one_hall] => one_hall.hall.clone(),
        _ => {
            let mut areas: Vec<&str> = halls.iter().map(|h| h.area.as_str()).collect();
            areas.dedup();
            if areas.len() > 2 {
                msg::WEAK_CITY.to_string()
            } else {
                areas.join(msg::LIST_SEPARATOR)
            }
        }
    };
    let sheet = book.add_worksheet();
    sheet.set_name(msg::STUDY_SHEET_HALLS)?;
    let mut layout = crate::web::xlsx::Layout::new(msg::study_export_title(month, &scope), &scope, 1, 2);
    layout.heading(sheet, &HALL_HEADER)?;
    for (i, h) in halls.iter().enumerate() {
        let r = i as u32 + 2;
        let status = if h.short { msg::STUDY_SHORT } else { msg::STUDY_MET };
        for (c, text) in [(0, h.area.as_str()), (1, &h.hall), (6, status)] {
            sheet.write_string(r, c, text)?;
            layout.see(r, c, text);
        }
        sheet.write_number(r, 2, h.sessions as f64)?;
        // The sheet's hours are the page's (rounded half up to a tenth).
        sheet.write_number_with_format(r, 3, tenths(h.minutes), &one)?;
        sheet.write_number_with_format(r, 4, tenths(h.target_minutes), &one)?;
        // A number Excel can sort and sum (131.67% of the target), not text.
        if let Some(s) = share(h.minutes, h.target_minutes) {
            sheet.write_number_with_format(r, 5, s as f64 / 10_000.0, &percent)?;
        }
        layout.see(r, 5, &percent_text(share(h.minutes, h.target_minutes)));
    }
    layout.apply(sheet, &made)?;
    let list = book.add_worksheet();
    list.set_name(msg::STUDY_SHEET_SESSIONS)?;
    let mut layout = crate::web::xlsx::Layout::new(msg::study_sessions_title(month, &scope), &scope, 1, 1);
    layout.heading(list, &SESSION_HEADER)?;
    for (i, l) in lines.iter().enumerate() {
        let (r, s) = (i as u32 + 2, &l.session);
        let date = rust_xlsxwriter::ExcelDateTime::parse_from_str(&s.held_on.to_string())?;
        list.write_datetime_with_format(
            r,
            0,
            &date,
            &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd"),
        )?;
        layout.see(r, 0, &s.held_on.to_string());
        let (attendees, articles) = (l.attendees.join("、"), l.articles.join("；"));
        let texts = [
            (1, l.area.as_str()),
            (2, &l.hall),
            (3, &s.starts),
            (4, &s.ends),
            (6, kind_label(&s.kind)),
            (7, &s.topic),
            (9, &attendees),
            (10, &articles),
            (11, &s.notes),
            (12, &l.recorder),
        ];
        for (c, text) in texts {
            match c {
                9..=11 => list.write_string_with_format(r, c, text, &wrap)?,
                _ => list.write_string(r, c, text)?,
            };
            layout.see(r, c, text);
        }
        list.write_number(r, 5, f64::from(s.minutes))?;
        list.write_number(r, 8, l.attendees.len() as f64)?;
    }
    layout.apply(list, &made)?;
    book.save_to_buffer()
}

/// Minutes as hours to one decimal, as a number for Excel.
fn tenths(minutes: i64) -> f64 {
    rules::hours(minutes).parse().unwrap_or(0.0)
}
