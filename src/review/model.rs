//! The month's below-average list: computed live from the month's monthly
//! exam while the month is open, read from its snapshot once it is closed.

use serde::{Deserialize, Serialize};

use super::case::{Case, CaseStatus};
use super::close::Close;
use super::rules::{self, two_decimals, Average, Flag, Reason, Sitter};
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::exam::model::{self as exam_model, Exam, Tree, PUBLISHED};
use crate::web::msg;

/// The month's monthly exam: the first published one of that month.
pub fn monthly_exam(conn: &mut Conn, month: &str) -> diesel::QueryResult<Option<Exam>> {
    let mut exams: Vec<Exam> = Exam::all(conn)?
        .into_iter()
        .filter(|e| {
            e.month.as_str() == month
                && e.kind == crate::exam::model::ExamKind::Monthly
                && e.status == PUBLISHED
        })
        .collect();
    exams.sort_by_key(|e| e.id);
    Ok(exams.into_iter().next())
}

/// One clerk of the month's exam, with the hall recorded at the attempt: what
/// the rules count and the pages show. A closed month keeps these frozen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub user_id: i32,
    pub staff_no: String,
    pub name: String,
    pub hall_id: Option<i32>,
    pub hall: String,
    pub area_id: Option<i32>,
    pub area: String,
    pub county: bool,
    /// Hundredths; None = absent (缺考).
    pub score: Option<i64>,
    pub attempt_id: Option<i32>,
}

impl Entry {
    fn sitter(&self) -> Sitter {
        Sitter {
            user_id: self.user_id,
            hall_id: self.hall_id,
            area_id: self.area_id,
            county: self.county,
            score: self.score,
        }
    }
}

/// The month's exam as the rules see it, and what they made of it. Closing a
/// month stores this as JSON (`month_closes.snapshot`): the outcome is stored,
/// not recomputed, so a closed list never changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    pub month: String,
    pub exam_id: i32,
    pub exam_title: String,
    /// The setting in force ([`crate::settings::FLAG_ABSENT`]).
    pub flag_absent: bool,
    /// Submitted and graded, or absent.
    pub entries: Vec<Entry>,
    /// Submitted but waiting for hand marking: neither averaged nor flagged.
    pub pending: Vec<Entry>,
    pub city: Option<Average>,
    pub flags: Vec<Flag>,
}

impl Sheet {
    fn entry(&self, user_id: i32) -> Option<&Entry> {
        self.entries.iter().find(|e| e.user_id == user_id)
    }

    pub fn flagged(&self, user_id: i32) -> bool {
        self.flags.iter().any(|f| f.user_id == user_id)
    }
}

/// The month's sheet computed now from its monthly exam; None without one.
pub fn live_sheet(conn: &mut Conn, month: &str) -> diesel::QueryResult<Option<Sheet>> {
    let Some(exam) = monthly_exam(conn, month)? else { return Ok(None) };
    let flag_absent = crate::settings::switch(conn, &crate::settings::FLAG_ABSENT)?;
    let (mut entries, mut pending) = (Vec::new(), Vec::new());
    for r in exam_model::results(conn, &exam)? {
        let waiting = !r.absent() && r.score().is_none();
        let entry = Entry {
            user_id: r.person.id,
            staff_no: r.person.staff_no.clone().unwrap_or_default(),
            name: r.person.name.clone(),
            hall_id: r.person.hall_id,
            hall: r.person.hall.clone(),
            area_id: r.person.area_id,
            area: r.person.area.clone(),
            county: r.person.county,
            score: if r.absent() { None } else { r.score().map(i64::from) },
            attempt_id: r.attempt.as_ref().map(|a| a.id),
        };
        if waiting {
            pending.push(entry);
        } else {
            entries.push(entry);
        }
    }
    let sitters: Vec<Sitter> = entries.iter().map(Entry::sitter).collect();
    let outcome = rules::close_month(&sitters, flag_absent);
    Ok(Some(Sheet {
        month: month.to_string(),
        exam_id: exam.id,
        exam_title: exam.title,
        flag_absent,
        entries,
        pending,
        city: outcome.city,
        flags: outcome.flags,
    }))
}

/// The month's sheet: the snapshot of a closed month, else computed live,
/// with the closing in force.
pub fn sheet(conn: &mut Conn, month: &str) -> diesel::QueryResult<Option<(Sheet, Option<Close>)>> {
    if let Some(close) = Close::current(conn, month)? {
        let sheet = read_snapshot(&close)?;
        return Ok(Some((sheet, Some(close))));
    }
    Ok(live_sheet(conn, month)?.map(|s| (s, None)))
}

pub fn read_snapshot(close: &Close) -> diesel::QueryResult<Sheet> {
    serde_json::from_str(&close.snapshot)
        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
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
    /// Next month's in-person exam, once graded.
    pub retest_score: String,
    pub retest_attempt_id: Option<i32>,
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

/// Who closed the month and when (Beijing time).
#[derive(Debug, Clone, Serialize)]
pub struct Closing {
    pub at: String,
    pub by: String,
}

/// The last re-opening of an open month, and what changed since its snapshot.
#[derive(Debug, Clone, Serialize)]
pub struct Reopening {
    pub at: String,
    pub by: String,
    pub reason: String,
    pub changes: Vec<rules::Change>,
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
    /// Some when the month is closed: the list is its snapshot.
    pub closed: Option<Closing>,
    /// Some when the month was closed once and re-opened since.
    pub reopened: Option<Reopening>,
}

/// Flagged user ids of a month (for streaks); empty when the month has no monthly exam.
fn flagged_ids(conn: &mut Conn, month: &str) -> diesel::QueryResult<Vec<i32>> {
    Ok(sheet(conn, month)?.map(|(s, _)| s.flags.into_iter().map(|f| f.user_id).collect()).unwrap_or_default())
}

pub fn previous_month(month: &str) -> Option<String> {
    shift_month(month, -1)
}

pub fn next_month(month: &str) -> Option<String> {
    shift_month(month, 1)
}

fn shift_month(month: &str, by: i32) -> Option<String> {
    let d = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    let d = if by < 0 {
        d.checked_sub_months(chrono::Months::new(by.unsigned_abs()))?
    } else {
        d.checked_add_months(chrono::Months::new(by as u32))?
    };
    Some(d.format("%Y-%m").to_string())
}

/// The month's list (the snapshot of a closed month, else live); None when
/// the month has no published monthly exam.
pub fn month_list(conn: &mut Conn, month: &str) -> diesel::QueryResult<Option<List>> {
    let Some((sheet, close)) = sheet(conn, month)? else { return Ok(None) };
    let tree = Tree::load(conn)?;
    // Up to 11 earlier months, for the streak.
    let mut history: Vec<Vec<i32>> = Vec::new();
    let mut m = month.to_string();
    for _ in 0..11 {
        let Some(prev) = previous_month(&m) else { break };
        history.push(flagged_ids(conn, &prev)?);
        m = prev;
    }
    let mut cases = Case::for_month(conn, month)?;
    let mut rows = sheet
        .flags
        .iter()
        .filter_map(|f| {
            let e = sheet.entry(f.user_id)?;
            let mut streak = vec![true];
            streak.extend(history.iter().map(|ids| ids.contains(&f.user_id)));
            streak.reverse();
            let (case, talked_by) = cases.remove(&f.user_id).map_or((None, None), |(c, by)| (Some(c), by));
            let step = case.as_ref().map_or(CaseStatus::ToTalk, Case::status);
            Some(Row {
                user_id: f.user_id,
                staff_no: e.staff_no.clone(),
                name: e.name.clone(),
                area_id: e.area_id,
                area: e.area.clone(),
                hall: e.hall.clone(),
                score_value: f.score,
                score: f.score.map(two_decimals).unwrap_or_default(),
                gap: match (f.score, &sheet.city) {
                    (Some(s), Some(avg)) => two_decimals(avg.gap(s)),
                    _ => String::new(),
                },
                status: match (f.reason, step) {
                    (Reason::Absent, CaseStatus::ToTalk) => msg::REVIEW_ABSENT,
                    _ => step.label(),
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
                retest_score: case
                    .as_ref()
                    .and_then(|c| c.retest_score)
                    .map(|s| two_decimals(i64::from(s)))
                    .unwrap_or_default(),
                retest_attempt_id: case.as_ref().and_then(|c| c.retest_attempt_id),
                absent: f.reason == Reason::Absent,
                consecutive: rules::consecutive(&streak),
                attempt_id: e.attempt_id,
                ancestry: tree.ancestry(e.hall_id),
            })
        })
        .collect::<Vec<_>>();
    // By county, then score (absentees last within a county).
    rows.sort_by_key(|r| (r.area_id, r.score_value.is_none(), r.score_value, r.staff_no.clone()));
    let closed = match &close {
        Some(c) => {
            let names = crate::accounts::User::names(conn, &c.closed_by.into_iter().collect::<Vec<_>>())?;
            Some(Closing {
                at: crate::time::local_display(c.closed_at),
                by: c.closed_by.and_then(|id| names.get(&id).cloned()).unwrap_or_default(),
            })
        }
        None => None,
    };
    let reopened = match close {
        Some(_) => None,
        None => match Close::for_month(conn, month)?.into_iter().next() {
            Some(last) => {
                let before = read_snapshot(&last)?;
                let names =
                    crate::accounts::User::names(conn, &last.reopened_by.into_iter().collect::<Vec<_>>())?;
                Some(Reopening {
                    at: last.reopened_at.map(crate::time::local_display).unwrap_or_default(),
                    by: last.reopened_by.and_then(|id| names.get(&id).cloned()).unwrap_or_default(),
                    reason: last.reopen_reason.clone(),
                    changes: changes(&before, &sheet),
                })
            }
            None => None,
        },
    };
    Ok(Some(List {
        month: month.to_string(),
        exam_id: sheet.exam_id,
        exam_title: sheet.exam_title.clone(),
        city: sheet.city,
        city_average: sheet.city.map(|a| two_decimals(a.hundredths())).unwrap_or_default(),
        submitted: sheet.entries.iter().filter(|e| e.score.is_some()).count(),
        absent: sheet.entries.iter().filter(|e| e.score.is_none()).count(),
        pending: sheet.pending.len(),
        areas: area_stats(&sheet),
        rows,
        closed,
        reopened,
    }))
}

/// What changed between a snapshot and a sheet, as the rules see it.
pub fn changes(before: &Sheet, after: &Sheet) -> Vec<rules::Change> {
    let side = |s: &Sheet| -> Vec<rules::Side> {
        s.entries
            .iter()
            .map(|e| rules::Side {
                user_id: e.user_id,
                label: format!("{} {}", e.staff_no, e.name),
                score: e.score,
                listed: s.flagged(e.user_id),
            })
            .collect()
    };
    rules::diff(before.city, &side(before), after.city, &side(after))
}

/// Participation, average and share below the city average per area.
fn area_stats(sheet: &Sheet) -> Vec<AreaStat> {
    let entries: Vec<&Entry> = sheet.entries.iter().collect();
    let mut order: Vec<(bool, Option<i32>, String)> =
        entries.iter().map(|e| (e.county, e.area_id, e.area.clone())).collect();
    order.sort();
    order.dedup();
    order
        .into_iter()
        .map(|(county, area_id, area)| {
            let mine: Vec<&&Entry> = entries.iter().filter(|e| e.area_id == area_id).collect();
            let scores: Vec<i64> =
                sheet.entries.iter().filter(|e| e.area_id == area_id).filter_map(|e| e.score).collect();
            let average = Average::of(scores.iter().copied());
            let below = sheet.city.map_or(0, |c| scores.iter().filter(|x| c.is_below(**x)).count());
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
    /// The month is closed: these are the frozen figures of its snapshot.
    pub closed: bool,
    /// Absent county clerks are listed (the setting in force for the month).
    pub flag_absent: bool,
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
    let Some((sheet, close)) = sheet(conn, month)? else { return Ok(None) };
    let tree = Tree::load(conn)?;
    let mut everyone = sheet.entries.iter().chain(&sheet.pending);
    let Some(me) = everyone.find(|e| e.user_id == user_id) else { return Ok(None) };
    let city = sheet.city;
    let counted = sheet.entry(user_id);
    let verdict = counted.map(|e| rules::verdict(&e.sitter(), city));
    let score = counted.and_then(|e| e.score);
    Ok(Some(Explained {
        month: month.to_string(),
        exam_id: sheet.exam_id,
        exam_title: sheet.exam_title.clone(),
        user_id,
        staff_no: me.staff_no.clone(),
        name: me.name.clone(),
        area: me.area.clone(),
        hall: me.hall.clone(),
        county: me.county,
        pending: counted.is_none(),
        attempt_id: me.attempt_id,
        score: score.map(two_decimals).unwrap_or_default(),
        n: city.map_or(0, |a| a.n),
        sum: city.map(|a| two_decimals(a.sum)).unwrap_or_default(),
        city_average: city.map(|a| two_decimals(a.hundredths())).unwrap_or_default(),
        product: match (score, city) {
            (Some(s), Some(a)) => two_decimals(s * a.n),
            _ => String::new(),
        },
        verdict,
        listed: sheet.flagged(user_id),
        closed: close.is_some(),
        flag_absent: sheet.flag_absent,
        ancestry: tree.ancestry(me.hall_id),
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
            month: e.month.to_string(),
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

pub fn write_xlsx(list: &List) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("低于全市平均")?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let two = rust_xlsxwriter::Format::new().set_num_format("0.00");
    let mut title = msg::review_title(&list.month, &list.city_average, list.submitted);
    if let Some(closed) = &list.closed {
        title.push_str(&msg::review_closed_note(&closed.at));
    }
    sheet.write_string_with_format(0, 0, title, &bold)?;
    // The CSV's columns first (the fixed format), then the follow-up.
    for (c, h) in CSV_HEADER.iter().chain(&XLSX_EXTRA).enumerate() {
        sheet.write_string_with_format(1, c as u16, *h, &bold)?;
    }
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
        for (c, text) in csv_cells(list, r).iter().chain(&extra).enumerate() {
            let c = c as u16;
            match text.parse::<f64>() {
                Ok(n) if (4..=6).contains(&c) || c == 9 => sheet.write_number_with_format(row, c, n, &two)?,
                Ok(n) if c == 8 => sheet.write_number(row, c, n)?,
                _ => sheet.write_string(row, c, text)?,
            };
        }
    }
    sheet.set_column_width(3, 18)?;
    sheet.set_column_width(10, 40)?;
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

/// The list page's filter and sort (the export takes the same).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct View {
    /// An area's name (县分).
    #[serde(default)]
    pub area: String,
    /// A follow-up step's code, or "absent".
    #[serde(default)]
    pub status: String,
    /// Part of a name or 工号.
    #[serde(default, deserialize_with = "crate::web::pagination::search")]
    pub q: String,
    /// hall (default: county, hall, score) | county | score | consecutive | status.
    #[serde(default)]
    pub sort: String,
}

impl View {
    /// The sort orders the page offers, as (code, label).
    pub const SORTS: [(&'static str, &'static str); 5] = [
        ("hall", "按县分、营业厅、分数"),
        ("county", "按县分、分数"),
        ("score", "按分数（低→高）"),
        ("consecutive", "按连续月数"),
        ("status", "按跟进状态"),
    ];

    pub fn is_filtered(&self) -> bool {
        !(self.area.is_empty() && self.status.is_empty() && self.q.trim().is_empty())
    }

    /// Keeps the rows that match and orders them. Scores sort lowest first
    /// (absentees last), consecutive months most first.
    pub fn apply(&self, rows: &mut Vec<Row>) {
        let q = self.q.trim();
        rows.retain(|r| {
            (self.area.is_empty() || r.area == self.area)
                && match self.status.as_str() {
                    "" => true,
                    "absent" => r.absent,
                    code => r.case.code() == code,
                }
                && (q.is_empty() || r.name.contains(q) || r.staff_no.contains(q))
        });
        let by_score = |r: &Row| (r.score_value.is_none(), r.score_value);
        match self.sort.as_str() {
            "score" | "gap" => rows.sort_by_key(|r| (by_score(r), r.staff_no.clone())),
            "consecutive" => {
                rows.sort_by_key(|r| (std::cmp::Reverse(r.consecutive), by_score(r), r.staff_no.clone()))
            }
            "status" => rows
                .sort_by_key(|r| (CaseStatus::ALL.iter().position(|s| *s == r.case), r.area_id, by_score(r))),
            "county" => rows.sort_by_key(|r| (r.area_id, by_score(r), r.staff_no.clone())),
            // Grouped by county and hall, as supervisors go through it.
            _ => rows.sort_by_key(|r| (r.area_id, r.hall.clone(), by_score(r), r.staff_no.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i32, area: i32, hall: &str, score: Option<i64>, case: CaseStatus, consecutive: usize) -> Row {
        Row {
            user_id: id,
            staff_no: format!("1{id:04}"),
            name: format!("员工{id}"),
            area_id: Some(area),
            area: format!("县{area}"),
            hall: hall.into(),
            score_value: score,
            score: String::new(),
            gap: String::new(),
            status: case.label(),
            case,
            talk_note: String::new(),
            talked_by: String::new(),
            talked_at: String::new(),
            exempt_reason: String::new(),
            retest_score: String::new(),
            retest_attempt_id: None,
            absent: score.is_none(),
            consecutive,
            attempt_id: None,
            ancestry: Vec::new(),
        }
    }

    #[test]
    fn the_view_filters_and_sorts() {
        use CaseStatus::*;
        let rows = vec![
            row(1, 2, "乙厅", Some(5000), ToTalk, 1),
            row(2, 1, "乙厅", Some(7000), Talked, 3),
            row(3, 1, "甲厅", Some(6000), ToTalk, 1),
            row(4, 1, "甲厅", None, ToTalk, 2),
            row(5, 2, "丙厅", Some(4000), Exempt, 1),
        ];
        let ids = |view: View| {
            let mut r = rows.clone();
            view.apply(&mut r);
            r.iter().map(|r| r.user_id).collect::<Vec<_>>()
        };
        let v = |area: &str, status: &str, q: &str, sort: &str| View {
            area: area.into(),
            status: status.into(),
            q: q.into(),
            sort: sort.into(),
        };
        // (view, expected ids in order)
        let cases = [
            (v("", "", "", ""), vec![2, 3, 4, 5, 1]),
            (v("", "", "", "county"), vec![3, 2, 4, 5, 1]),
            (v("", "", "", "score"), vec![5, 1, 3, 2, 4]),
            (v("", "", "", "consecutive"), vec![2, 4, 5, 1, 3]),
            (v("", "", "", "status"), vec![3, 4, 1, 2, 5]),
            (v("县2", "", "", ""), vec![5, 1]),
            (v("", "absent", "", ""), vec![4]),
            (v("", "talked", "", ""), vec![2]),
            (v("", "", "员工3", ""), vec![3]),
            (v("", "", "10005", ""), vec![5]),
            (v("县1", "to_talk", "", "score"), vec![3, 4]),
        ];
        for (view, want) in cases {
            let label = format!("{view:?}");
            assert_eq!(ids(view), want, "{label}");
        }
        assert!(!v("", "", " ", "score").is_filtered());
        assert!(v("", "absent", "", "").is_filtered());
    }
}
