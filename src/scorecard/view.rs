//! The scorecard as the pages show it: every figure as text, with the notes
//! that explain a value (缺考, 复考, how many calls, items, drills, sessions).

use serde::Serialize;

use super::rules::{ClerkCard, Figure, Metric, Rollup};
use crate::review::rules::Average;
use crate::training::study::rules::{hours, study_short};
use crate::web::msg;

/// A column of the tables: code (for sorting), label, whether lower is better.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub code: &'static str,
    pub label: &'static str,
    pub lower_is_better: bool,
}

pub fn columns() -> Vec<Column> {
    Metric::ALL
        .iter()
        .map(|m| Column { code: m.code(), label: m.label(), lower_is_better: !m.higher_is_better() })
        .collect()
}

fn mean_text(m: Metric, a: Option<Average>) -> String {
    m.text(a.map(|a| a.hundredths()))
}

/// One metric of a clerk.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub code: &'static str,
    pub label: &'static str,
    pub value: String,
    pub hall: String,
    pub area: String,
    pub city: String,
    /// "2/5": second of the five clerks of the hall with a value.
    pub rank: String,
    /// Better or worse than the city ("better", "worse", "" when equal or unknown).
    pub versus_city: &'static str,
    pub note: String,
}

fn cell(m: Metric, f: &Figure, note: String) -> Cell {
    let versus_city = match (f.value, f.city) {
        (Some(v), Some(city)) => match m.compare_means(&Average { sum: v, n: 1 }, &city) {
            std::cmp::Ordering::Greater => "better",
            std::cmp::Ordering::Less => "worse",
            std::cmp::Ordering::Equal => "",
        },
        _ => "",
    };
    Cell {
        code: m.code(),
        label: m.label(),
        value: m.text(f.value),
        hall: mean_text(m, f.hall),
        area: mean_text(m, f.area),
        city: mean_text(m, f.city),
        rank: f.rank.map(|r| format!("{r}/{}", f.ranked)).unwrap_or_default(),
        versus_city,
        note,
    }
}

/// One clerk's row (and card).
#[derive(Debug, Clone, Serialize)]
pub struct ClerkRow {
    pub user_id: i32,
    pub staff_no: String,
    pub name: String,
    pub hall_id: i32,
    pub hall: String,
    pub area: String,
    pub cells: Vec<Cell>,
}

/// What stands behind a value: 缺考 or the retest, calls, items, drills, sessions.
pub fn note(m: Metric, c: &ClerkCard) -> String {
    let f = &c.facts;
    match m {
        Metric::Exam if f.absent => msg::SCORECARD_ABSENT.into(),
        Metric::Exam => f.retest.map(msg::scorecard_retest).unwrap_or_default(),
        Metric::Phone if f.calls > 0 => msg::scorecard_calls(f.calls),
        Metric::Reading if f.reading_due > 0 || f.reading_upcoming > 0 => {
            msg::scorecard_items(f.read_on_time, f.reading_due, f.reading_upcoming)
        }
        Metric::DrillSpeed | Metric::DrillAccuracy if f.weeks_due > 0 || f.drills > 0 => {
            msg::scorecard_drills(f.drills, f.weeks_drilled, f.weeks_due)
        }
        Metric::Attendance if f.sessions_held > 0 => {
            msg::scorecard_sessions(f.sessions_attended, f.sessions_held)
        }
        _ => String::new(),
    }
}

pub fn clerk_row(c: &ClerkCard) -> ClerkRow {
    ClerkRow {
        user_id: c.facts.user_id,
        staff_no: c.facts.staff_no.clone(),
        name: c.facts.name.clone(),
        hall_id: c.facts.hall_id,
        hall: c.facts.hall.clone(),
        area: c.facts.area.clone(),
        cells: Metric::ALL.iter().map(|m| cell(*m, c.figure(*m), note(*m, c))).collect(),
    }
}

/// A hall, an area or the city.
#[derive(Debug, Clone, Serialize)]
pub struct RollupRow {
    pub id: Option<i32>,
    pub name: String,
    pub area: String,
    pub halls: usize,
    pub clerks: usize,
    /// The clerks' means, per metric.
    pub means: Vec<String>,
    /// Study hours held, one decimal.
    pub study: String,
    /// The target (per hall) in hours.
    pub target: String,
    /// For a hall: below the target.
    pub short: bool,
    /// "2/3": halls that met the target.
    pub on_target: String,
    /// The month's inspections' mean score (营业厅巡检), or —.
    pub inspection: String,
}

pub fn rollup_row(r: &Rollup, target_minutes: i64) -> RollupRow {
    RollupRow {
        id: r.id,
        name: r.name.clone(),
        area: r.area.clone(),
        halls: r.halls,
        clerks: r.clerks,
        means: Metric::ALL.iter().map(|m| mean_text(*m, r.mean(*m))).collect(),
        study: hours(r.study_minutes),
        target: hours(target_minutes),
        short: study_short(r.study_minutes, target_minutes),
        on_target: format!("{}/{}", r.halls_on_target, r.halls),
        inspection: r.inspection_mean().map_or_else(|| "—".to_string(), crate::domain::score::two_decimals),
    }
}
