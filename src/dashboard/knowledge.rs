//! The knowledge-point heat map of a month's exam (by county or by hall, in
//! the viewer's scope beside the city) and the questions behind one cell.
//! The questions are shown only once the exam is over for everyone.

use serde::Serialize;

use super::heat::{self, Grid, CITY};
use super::model::{self, Viewer};
use super::rules::percent_text;
use super::svg;
use crate::db::Conn;
use crate::domain::Month;
use crate::exam::model::SOURCE_IMPORTED;
use crate::web::{msg, AppError, AppResult};

/// How far the month's exam is: what the page can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExamState {
    /// No monthly exam this month.
    None,
    /// Results imported from elsewhere: no answers per question.
    Imported,
    /// Still open (or an attempt still running): nothing shown yet.
    Open,
    Over,
}

/// One of the weakest cells, listed under the map with its link.
#[derive(Debug, Clone, Serialize)]
pub struct WeakCell {
    pub kp: String,
    pub unit: String,
    pub text: String,
    pub answers: i64,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct KnowledgePage {
    pub month: Month,
    pub by: &'static str,
    /// Knowledge points in the month, and whether all are shown (else the
    /// [`FIRST_ROWS`] weakest).
    pub total_rows: usize,
    pub all: bool,
    pub exam_title: String,
    pub state: ExamState,
    pub grid: Grid,
    pub svg: Option<crate::web::chart::Chart>,
    pub weakest: Vec<WeakCell>,
}

/// How many knowledge points the map shows unless all are asked for.
pub const FIRST_ROWS: usize = 30;

/// The link to the questions behind a cell.
pub fn questions_href(month: Month, kp: &str, unit: &str, by: &str) -> String {
    let query =
        serde_urlencoded::to_string([("month", month.as_str()), ("kp", kp), ("unit", unit), ("by", by)]);
    format!("/weak/knowledge/questions?{}", query.unwrap_or_default())
}

/// The month's exam, its state, and (once over) its answers.
fn exam_facts(conn: &mut Conn, month: Month) -> AppResult<(String, ExamState, Vec<heat::Fact>)> {
    let Some(exam) = crate::review::model::monthly_exam(conn, month)? else {
        return Ok((String::new(), ExamState::None, Vec::new()));
    };
    let state = if exam.source == SOURCE_IMPORTED {
        ExamState::Imported
    } else if !exam.over_for_everyone(conn)? {
        ExamState::Open
    } else {
        ExamState::Over
    };
    let facts = if state == ExamState::Over { model::answers(conn, exam.id)? } else { Vec::new() };
    Ok((exam.title, state, facts))
}

/// The heat map of `month` by county (or by hall) as `scope` may see it.
pub fn page(
    conn: &mut Conn,
    scope: &Viewer,
    month: Month,
    by_hall: bool,
    all: bool,
) -> AppResult<KnowledgePage> {
    let by = if by_hall { "hall" } else { "county" };
    let (exam_title, state, facts) = exam_facts(conn, month)?;
    let units = if by_hall { scope.halls(conn)? } else { scope.areas() };
    let unit_of = |f: &heat::Fact| {
        let unit = if by_hall { f.hall_id } else { scope.area_of(f.hall_id) };
        unit.map(|u| u.to_string()).filter(|u| units.iter().any(|c| &c.key == u))
    };
    // Units without a single answer this month are left out.
    let mut grid = heat::grid(&facts, &units, unit_of).without_empty_units();
    let total_rows = grid.rows.len();
    let all = all || total_rows <= FIRST_ROWS;
    grid.rows.truncate(if all { total_rows } else { FIRST_ROWS });
    let href = |kp: &str, unit: &str| questions_href(month, kp, unit, by);
    let weakest = heat::weakest_cells(&grid, 10)
        .into_iter()
        .map(|(r, c)| {
            let (row, cell) = (&grid.rows[r], &grid.rows[r].cells[c]);
            WeakCell {
                kp: row.label.clone(),
                unit: grid.columns[c].name.clone(),
                text: cell.text.clone(),
                answers: cell.tally.answers,
                href: href(&row.kp, &cell.unit),
            }
        })
        .collect();
    let svg = (!grid.rows.is_empty())
        .then(|| svg::heat_svg(&grid, &msg::weak_heat_title(month), |row, cell| href(&row.kp, &cell.unit)));
    Ok(KnowledgePage { month, by, total_rows, all, exam_title, state, grid, svg, weakest })
}

/// One question behind a cell.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionLine {
    pub question_id: i32,
    pub stem: String,
    pub kind: &'static str,
    pub answers: i64,
    pub facility: String,
    pub city: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionsPage {
    pub month: Month,
    pub by: String,
    pub kp: String,
    pub unit: String,
    pub exam_title: String,
    /// The cell's own figure and the city's for the knowledge point.
    pub facility: String,
    pub city: String,
    pub lines: Vec<QuestionLine>,
}

/// The questions of knowledge point `kp` ("" = none given) in `unit` (None:
/// the city) of `month`'s exam. Refused while the exam is not over; a unit
/// out of scope is not found.
pub fn questions_page(
    conn: &mut Conn,
    scope: &Viewer,
    month: Month,
    kp: &str,
    unit: Option<i32>,
    by: &str,
) -> AppResult<QuestionsPage> {
    let unit_name = match unit {
        None => msg::WEAK_CITY.to_string(),
        Some(u) => scope.unit_name(u).ok_or(AppError::NotFound)?,
    };
    let (exam_title, state, facts) = exam_facts(conn, month)?;
    match state {
        ExamState::None => return Err(AppError::NotFound),
        ExamState::Open => return Err(AppError::Conflict(msg::WEAK_EXAM_OPEN.into())),
        ExamState::Imported | ExamState::Over => {}
    }
    let in_unit = |f: &heat::Fact| unit.is_none_or(|u| scope.tree.ancestry(f.hall_id).contains(&u));
    let tallies = heat::questions(&facts, kp, in_unit);
    let ids: Vec<i32> = tallies.iter().map(|q| q.question_id).collect();
    let stems = model::stems(conn, &ids)?;
    let text = |f: Option<i64>| f.map(percent_text).unwrap_or_default();
    let sum = |unit_side: bool| {
        let mut t = super::rules::Tally::default();
        for f in facts.iter().filter(|f| f.has_kp(kp) && (!unit_side || in_unit(f))) {
            t.add(f.earned, f.possible);
        }
        t.facility()
    };
    let lines = tallies
        .iter()
        .map(|q| {
            let (stem, kind) = stems.get(&q.question_id).cloned().unwrap_or_default();
            QuestionLine {
                question_id: q.question_id,
                stem,
                kind,
                answers: q.unit.answers,
                facility: text(q.unit.facility()),
                city: text(q.city.facility()),
            }
        })
        .collect();
    Ok(QuestionsPage {
        month,
        by: by.to_string(),
        kp: if kp.is_empty() { msg::WEAK_NO_KP.to_string() } else { kp.to_string() },
        unit: unit_name,
        exam_title,
        facility: text(sum(true)),
        city: text(sum(false)),
        lines,
    })
}

/// A unit as the query gives it: "city" (or nothing) for the city, else an id.
pub fn parse_unit(text: &str) -> Option<Option<i32>> {
    match text.trim() {
        "" | CITY => Some(None),
        t => t.parse::<i32>().ok().map(Some),
    }
}
