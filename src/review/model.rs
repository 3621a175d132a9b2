//! The month's below-average list, computed live from the month's monthly
//! exam (closing and freezing a month comes with the rest of month close).

use serde::Serialize;

use super::case::{Case, CaseStatus};
use super::rules::{self, two_decimals, Average, Reason, Sitter};
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::exam::model::{self as exam_model, Exam, Tree, PUBLISHED};
use crate::web::msg;

/// The month's monthly exam: the first published one of that month.
pub fn monthly_exam(conn: &mut Conn, month: &str) -> diesel::QueryResult<Option<Exam>> {
    let mut exams: Vec<Exam> = Exam::all(conn)?
        .into_iter()
        .filter(|e| e.month == month && e.kind == "monthly" && e.status == PUBLISHED)
        .collect();
    exams.sort_by_key(|e| e.id);
    Ok(exams.into_iter().next())
}

/// One flagged clerk as the list shows and exports it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub user_id: i32,
    pub staff_no: String,
    pub name: String,
    pub area_id: Option<i32>,
    pub area: String,
    pub hall: String,
    /// Hundredths; None for 缺考.
    pub score_value: Option<i64>,
    pub score: String,
    pub gap: String,
    /// 缺考, or the follow-up status (待沟通 …) — the CSV's 状态.
    pub status: &'static str,
    /// The follow-up step (see [`CaseStatus`]).
    pub case: CaseStatus,
    pub talk_note: String,
    pub talked_by: String,
    /// Beijing time.
    pub talked_at: String,
    pub exempt_reason: String,
    pub absent: bool,
    pub consecutive: usize,
    pub attempt_id: Option<i32>,
    /// Ancestry of the hall of the attempt, for scope checks.
    #[serde(skip)]
    pub ancestry: Vec<i32>,
}

/// One area (the city district or a county) of the month's exam.
#[derive(Debug, Clone, Serialize)]
pub struct AreaStat {
    pub area: String,
    pub county: bool,
    pub candidates: usize,
    pub submitted: usize,
    pub participation: String,
    /// Hundredths (display only), and as text.
    #[serde(skip)]
    pub average_value: Option<i64>,
    pub average: String,
    /// Submitted and strictly below the city average (county clerks only are listed for it).
    pub below: usize,
    pub share_below: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct List {
    pub month: String,
    pub exam_id: i32,
    pub exam_title: String,
    pub city: Option<Average>,
    pub city_average: String,
    pub submitted: usize,
    pub absent: usize,
    /// Submitted but waiting for hand marking: neither averaged nor flagged yet.
    pub pending: usize,
    pub rows: Vec<Row>,
    /// Every area, city district first: for all supervisors (no one's name in it).
    pub areas: Vec<AreaStat>,
}

/// A sitter counted by the rules, with what the pages show of them.
type Scored = (Sitter, exam_model::ResultRow);

/// The sitters of an exam, with what the list shows of each person, and the
/// submitted attempts still waiting for marking (neither averaged nor flagged).
fn sitters(conn: &mut Conn, exam: &Exam) -> diesel::QueryResult<(Vec<Scored>, Vec<exam_model::ResultRow>)> {
    let (pending, scored): (Vec<_>, Vec<_>) =
        exam_model::results(conn, exam)?.into_iter().partition(|r| !r.absent() && r.score().is_none());
    let pairs = scored
        .into_iter()
        .map(|r| {
            let score = if r.absent() { None } else { r.score().map(i64::from) };
            let sitter = Sitter {
                user_id: r.person.id,
                hall_id: r.person.hall_id,
                area_id: r.person.area_id,
                county: r.person.county,
                score,
            };
            (sitter, r)
        })
        .collect();
    Ok((pairs, pending))
}

/// Flagged user ids of a month (for streaks); empty when the month has no monthly exam.
fn flagged_ids(conn: &mut Conn, month: &str) -> diesel::QueryResult<Vec<i32>> {
    let Some(exam) = monthly_exam(conn, month)? else { return Ok(Vec::new()) };
    let sitters: Vec<Sitter> = sitters(conn, &exam)?.0.into_iter().map(|(s, _)| s).collect();
    Ok(rules::close_month(&sitters, true).flags.into_iter().map(|f| f.user_id).collect())
}

fn previous_month(month: &str) -> Option<String> {
    let d = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    Some((d - chrono::Months::new(1)).format("%Y-%m").to_string())
}

/// The month's list, live; None when the month has no published monthly exam.
pub fn month_list(conn: &mut Conn, month: &str) -> diesel::QueryResult<Option<List>> {
    let Some(exam) = monthly_exam(conn, month)? else { return Ok(None) };
    let tree = Tree::load(conn)?;
    let (pairs, pending) = sitters(conn, &exam)?;
    let pending = pending.len();
    let plain: Vec<Sitter> = pairs.iter().map(|(s, _)| s.clone()).collect();
    let outcome = rules::close_month(&plain, true);
    // Up to 11 earlier months, for the streak.
    let mut history: Vec<Vec<i32>> = Vec::new();
    let mut m = month.to_string();
    for _ in 0..11 {
        let Some(prev) = previous_month(&m) else { break };
        history.push(flagged_ids(conn, &prev)?);
        m = prev;
    }
    let mut cases = Case::for_month(conn, month)?;
    let rows = outcome
        .flags
        .iter()
        .filter_map(|f| {
            let (_, r) = pairs.iter().find(|(s, _)| s.user_id == f.user_id)?;
            let mut streak = vec![true];
            streak.extend(history.iter().map(|ids| ids.contains(&f.user_id)));
            streak.reverse();
            let (case, talked_by) = cases.remove(&f.user_id).map_or((None, None), |(c, by)| (Some(c), by));
            let step = case.as_ref().map_or(CaseStatus::ToTalk, Case::status);
            Some(Row {
                user_id: f.user_id,
                staff_no: r.person.staff_no.clone().unwrap_or_default(),
                name: r.person.name.clone(),
                area_id: r.person.area_id,
                area: r.person.area.clone(),
                hall: r.person.hall.clone(),
                score_value: f.score,
                score: f.score.map(two_decimals).unwrap_or_default(),
                gap: match (f.score, &outcome.city) {
                    (Some(s), Some(avg)) => two_decimals(avg.gap(s)),
                    _ => String::new(),
                },
                status: match f.reason {
                    Reason::Absent => msg::REVIEW_ABSENT,
                    Reason::Below => step.label(),
                },
                case: step,
                talk_note: case.as_ref().map(|c| c.talk_note.clone()).unwrap_or_default(),
                talked_by: talked_by.unwrap_or_default(),
                talked_at: case
                    .as_ref()
                    .and_then(|c| c.talked_at)
                    .map(crate::time::local_display)
                    .unwrap_or_default(),
                exempt_reason: case.as_ref().map(|c| c.exempt_reason.clone()).unwrap_or_default(),
                absent: f.reason == Reason::Absent,
                consecutive: rules::consecutive(&streak),
                attempt_id: r.attempt.as_ref().map(|a| a.id),
                ancestry: tree.ancestry(r.person.hall_id),
            })
        })
        .collect::<Vec<_>>();
    let areas = area_stats(&pairs, outcome.city);
    let mut rows = rows;
    // By county, then score (absentees last within a county).
    rows.sort_by_key(|r| (r.area_id, r.score_value.is_none(), r.score_value, r.staff_no.clone()));
    Ok(Some(List {
        month: month.to_string(),
        exam_id: exam.id,
        exam_title: exam.title.clone(),
        city: outcome.city,
        city_average: outcome.city.map(|a| two_decimals(a.hundredths())).unwrap_or_default(),
        submitted: plain.iter().filter(|s| s.score.is_some()).count(),
        absent: plain.iter().filter(|s| s.score.is_none()).count(),
        pending,
        rows,
        areas,
    }))
}

/// Participation, average and share below the city average per area.
fn area_stats(pairs: &[Scored], city: Option<Average>) -> Vec<AreaStat> {
    let mut order: Vec<(bool, Option<i32>, String)> =
        pairs.iter().map(|(s, r)| (s.county, s.area_id, r.person.area.clone())).collect();
    order.sort();
    order.dedup();
    order
        .into_iter()
        .map(|(county, area_id, area)| {
            let mine: Vec<&Sitter> = pairs.iter().map(|(s, _)| s).filter(|s| s.area_id == area_id).collect();
            let scores: Vec<i64> = mine.iter().filter_map(|s| s.score).collect();
            let average = Average::of(scores.iter().copied());
            let below = city.map_or(0, |c| scores.iter().filter(|x| c.is_below(**x)).count());
            AreaStat {
                area,
                county,
                candidates: mine.len(),
                submitted: scores.len(),
                participation: rules::percent(scores.len(), mine.len()).unwrap_or_default(),
                average_value: average.map(|a| a.hundredths()),
                average: average.map(|a| two_decimals(a.hundredths())).unwrap_or_default(),
                below,
                share_below: rules::percent(below, scores.len()).unwrap_or_default(),
            }
        })
        .collect()
}

/// The areas as horizontal bars of their average (0–100), with the city
/// average as a dashed line; participation and share below beside each bar.
pub fn areas_svg(list: &List) -> String {
    let (w, left, right, row_h, top) = (720.0, 130.0, 220.0, 30.0, 24.0);
    let h = top + row_h * list.areas.len() as f64 + 30.0;
    let plot = w - left - right;
    let x_of = |hundredths: i64| left + (hundredths.clamp(0, 10_000) as f64 / 10_000.0) * plot;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="areas-title" font-family="sans-serif" font-size="12"><title id="areas-title">{}</title>"#,
        tera::escape_html(&msg::review_areas_title(&list.month))
    );
    for (i, a) in list.areas.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let fill = if a.county { "#2b6cb0" } else { "#718096" };
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 8.0,
            y + 15.0,
            tera::escape_html(&a.area)
        ));
        if let Some(avg) = a.average_value {
            svg.push_str(&format!(
                r#"<rect x="{left}" y="{:.1}" width="{:.1}" height="18" fill="{fill}"><title>{}</title></rect>"#,
                y + 2.0,
                x_of(avg) - left,
                tera::escape_html(&a.average)
            ));
            svg.push_str(&format!(
                r#"<text x="{:.1}" y="{:.1}">{}</text>"#,
                x_of(avg) + 4.0,
                y + 15.0,
                a.average
            ));
        }
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}">{}</text>"#,
            w - right + 40.0,
            y + 15.0,
            tera::escape_html(&msg::review_area_note(&a.participation, &a.share_below))
        ));
    }
    if let Some(city) = list.city {
        let x = x_of(city.hundredths());
        svg.push_str(&format!(
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#c53030" stroke-dasharray="4 3"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#c53030">{}</text>"##,
            top - 6.0,
            h - 24.0,
            h - 8.0,
            tera::escape_html(&msg::review_city_line(&list.city_average))
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Why one clerk is or is not on a month's list, with the numbers.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    pub month: String,
    pub exam_id: i32,
    pub exam_title: String,
    pub user_id: i32,
    pub staff_no: String,
    pub name: String,
    pub area: String,
    pub hall: String,
    pub county: bool,
    /// Submitted but not yet marked by hand: neither averaged nor judged.
    pub pending: bool,
    pub attempt_id: Option<i32>,
    pub score: String,
    pub n: i64,
    pub sum: String,
    pub city_average: String,
    /// score × n, printed like the sum (two decimals).
    pub product: String,
    pub verdict: Option<rules::Verdict>,
    pub listed: bool,
    #[serde(skip)]
    pub ancestry: Vec<i32>,
    /// Hundredths, for charts.
    #[serde(skip)]
    pub score_value: Option<i64>,
    #[serde(skip)]
    pub average_value: Option<i64>,
}

/// The explanation of `user_id`'s standing in `month`; None when the month
/// has no monthly exam or the clerk is not one of its candidates.
pub fn explain(conn: &mut Conn, month: &str, user_id: i32) -> diesel::QueryResult<Option<Explained>> {
    let Some(exam) = monthly_exam(conn, month)? else { return Ok(None) };
    let tree = Tree::load(conn)?;
    let (pairs, pending) = sitters(conn, &exam)?;
    let mut everyone = pairs.iter().map(|(_, r)| r).chain(&pending);
    let Some(me) = everyone.find(|r| r.person.id == user_id) else { return Ok(None) };
    let plain: Vec<Sitter> = pairs.iter().map(|(s, _)| s.clone()).collect();
    let city = Average::of(plain.iter().filter_map(|s| s.score));
    let sitter = plain.iter().find(|s| s.user_id == user_id);
    let verdict = sitter.map(|s| rules::verdict(s, city));
    let score = sitter.and_then(|s| s.score);
    Ok(Some(Explained {
        month: month.to_string(),
        exam_id: exam.id,
        exam_title: exam.title.clone(),
        user_id,
        staff_no: me.person.staff_no.clone().unwrap_or_default(),
        name: me.person.name.clone(),
        area: me.person.area.clone(),
        hall: me.person.hall.clone(),
        county: me.person.county,
        pending: sitter.is_none(),
        attempt_id: me.attempt.as_ref().map(|a| a.id),
        score: score.map(two_decimals).unwrap_or_default(),
        n: city.map_or(0, |a| a.n),
        sum: city.map(|a| two_decimals(a.sum)).unwrap_or_default(),
        city_average: city.map(|a| two_decimals(a.hundredths())).unwrap_or_default(),
        product: match (score, city) {
            (Some(s), Some(a)) => two_decimals(s * a.n),
            _ => String::new(),
        },
        verdict,
        listed: verdict.is_some_and(rules::Verdict::listed),
        ancestry: tree.ancestry(me.person.hall_id),
        score_value: score,
        average_value: city.map(|a| a.hundredths()),
    }))
}

/// One month of a clerk's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryPoint {
    pub month: String,
    pub score: String,
    pub city_average: String,
    pub listed: bool,
    pub absent: bool,
    #[serde(skip)]
    pub score_value: Option<i64>,
    #[serde(skip)]
    pub average_value: Option<i64>,
}

impl HistoryPoint {
    fn of(e: &Explained) -> HistoryPoint {
        HistoryPoint {
            month: e.month.clone(),
            score: e.score.clone(),
            city_average: e.city_average.clone(),
            listed: e.listed,
            absent: e.score_value.is_none() && !e.pending,
            score_value: e.score_value,
            average_value: e.average_value,
        }
    }
}

/// The clerk's monthly exams of the `months` months up to `current`'s
/// (oldest first, `current` last); months without a monthly exam, or where
/// they were no candidate, are left out.
pub fn history(
    conn: &mut Conn,
    current: &Explained,
    months: usize,
) -> diesel::QueryResult<Vec<HistoryPoint>> {
    let mut points = vec![HistoryPoint::of(current)];
    let mut m = previous_month(&current.month);
    for _ in 1..months {
        let Some(this) = m else { break };
        if let Some(e) = explain(conn, &this, current.user_id)? {
            points.push(HistoryPoint::of(&e));
        }
        m = previous_month(&this);
    }
    points.reverse();
    Ok(points)
}

/// The history as an SVG line chart (0–100): the city average dashed, the
/// clerk's scores solid, months on the list marked red.
pub fn history_svg(points: &[HistoryPoint], title: &str) -> String {
    let (w, h, left, right, top, bottom) = (640.0, 260.0, 40.0, 20.0, 20.0, 36.0);
    let step = (w - left - right) / (points.len().max(2) - 1) as f64;
    let x = |i: usize| left + i as f64 * step;
    let y = |v: i64| top + (1.0 - v.clamp(0, 10_000) as f64 / 10_000.0) * (h - top - bottom);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="hist-title" font-family="sans-serif" font-size="12"><title id="hist-title">{}</title>"#,
        tera::escape_html(title)
    );
    for v in [0, 6_000, 10_000] {
        svg.push_str(&format!(
            r##"<line x1="{left}" y1="{yy:.1}" x2="{x2}" y2="{yy:.1}" stroke="#e2e8f0"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            left - 6.0,
            y(v) + 4.0,
            v / 100,
            yy = y(v),
            x2 = w - right
        ));
    }
    let line = |values: Vec<(usize, i64)>| {
        values.iter().map(|(i, v)| format!("{:.1},{:.1}", x(*i), y(*v))).collect::<Vec<_>>().join(" ")
    };
    let city: Vec<(usize, i64)> =
        points.iter().enumerate().filter_map(|(i, p)| Some((i, p.average_value?))).collect();
    let mine: Vec<(usize, i64)> =
        points.iter().enumerate().filter_map(|(i, p)| Some((i, p.score_value?))).collect();
    svg.push_str(&format!(
        r##"<polyline points="{}" fill="none" stroke="#c53030" stroke-dasharray="5 4"/>"##,
        line(city)
    ));
    svg.push_str(&format!(
        r##"<polyline points="{}" fill="none" stroke="#2b6cb0" stroke-width="2"/>"##,
        line(mine)
    ));
    for (i, p) in points.iter().enumerate() {
        if let Some(v) = p.score_value {
            let fill = if p.listed { "#c53030" } else { "#2b6cb0" };
            svg.push_str(&format!(
                r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{fill}"><title>{} {}</title></circle>"#,
                x(i),
                y(v),
                p.month,
                p.score
            ));
        }
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(i),
            h - bottom + 18.0,
            p.month.get(2..).unwrap_or(&p.month)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Whether `user` may see a clerk with this hall ancestry (as [`scoped`]).
pub fn in_scope(user: &CurrentUser, ancestry: &[i32]) -> bool {
    user.has_any_role(&[Role::Admin, Role::Trainer])
        || user.scopes(Role::Supervisor).iter().any(|s| ancestry.contains(s))
}

/// Keeps the rows a user may see: supervisors their scope (a county, or the
/// whole city), trainers and admins everything.
pub fn scoped(list: &mut List, user: &CurrentUser) {
    list.rows.retain(|r| in_scope(user, &r.ancestry));
}

pub const CSV_HEADER: [&str; 8] = ["工号", "姓名", "县分", "营业厅", "分数", "市平均分", "差距", "状态"];

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
    let mut out = Vec::new();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(CSV_HEADER)?;
        for r in &list.rows {
            w.write_record(csv_cells(list, r))?;
        }
        w.flush()?;
    }
    Ok(out)
}

pub fn write_xlsx(list: &List) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("低于全市平均")?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let two = rust_xlsxwriter::Format::new().set_num_format("0.00");
    sheet.write_string_with_format(
        0,
        0,
        msg::review_title(&list.month, &list.city_average, list.submitted),
        &bold,
    )?;
    for (c, h) in CSV_HEADER.iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, *h, &bold)?;
    }
    for (i, r) in list.rows.iter().enumerate() {
        let row = i as u32 + 2;
        for (c, text) in csv_cells(list, r).iter().enumerate() {
            let c = c as u16;
            match text.parse::<f64>() {
                Ok(n) if (4..=6).contains(&c) => sheet.write_number_with_format(row, c, n, &two)?,
                _ => sheet.write_string(row, c, text)?,
            };
        }
    }
    sheet.set_column_width(3, 18)?;
    sheet.set_freeze_panes(2, 0)?;
    book.save_to_buffer()
}

/// The text report: the city average and n first, then one line per clerk.
pub fn write_text(list: &List) -> String {
    let mut out = msg::review_title(&list.month, &list.city_average, list.submitted);
    out.push('\n');
    for r in &list.rows {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            r.staff_no, r.name, r.area, r.hall, r.score, r.gap, r.status
        ));
    }
    out
}
