//! The phone-test and drill weak spots of a month in the viewer's scope:
//! each hall's weakest rubric items (lowest share of their points) beside the
//! city's, and the halls × business types whose drills miss the target time
//! or the accuracy floor.

use serde::Serialize;

use super::model::Viewer;
use super::rules::{drill_miss, percent_text, weakest};
use crate::db::Conn;
use crate::domain::score::percent_text as share_text;
use crate::domain::Month;
use crate::phone::report::{self, figures};
use crate::training::drills::rules::duration_text;

/// How many weak items each hall shows.
pub const WEAK_ITEMS: usize = 2;

/// A rubric item with its share of points, e.g. ("规范用语", "45.00%").
#[derive(Debug, Clone, Serialize)]
pub struct ItemShare {
    pub name: String,
    pub share: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct HallWeak {
    pub area: String,
    pub hall_id: i32,
    pub hall: String,
    pub calls: usize,
    pub average: String,
    pub weakest: Vec<ItemShare>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhonePage {
    pub city_calls: usize,
    pub city_average: String,
    pub city_weakest: Vec<ItemShare>,
    pub halls: Vec<HallWeak>,
    /// The halls × items table of shares (the phone report's chart).
    pub halls_svg: Option<crate::web::chart::Chart>,
}

fn weak_items(shares: &[figures::Share]) -> Vec<ItemShare> {
    weakest(shares, WEAK_ITEMS, |s| (s.earned, s.possible))
        .into_iter()
        .map(|s| ItemShare { name: s.name.clone(), share: s.percent().map(percent_text).unwrap_or_default() })
        .collect()
}

pub fn phone_page(conn: &mut Conn, scope: &Viewer, month: Month) -> diesel::QueryResult<PhonePage> {
    let all = report::first_scorings(&report::facts(conn, month, None)?);
    let mine: Vec<figures::Fact> = all.iter().filter(|f| scope.sees(Some(f.hall_id))).cloned().collect();
    let grouped = figures::group(&mine);
    let halls = grouped
        .areas
        .iter()
        .flat_map(|a| a.halls.iter().map(move |h| (a, h)))
        .map(|(a, h)| HallWeak {
            area: a.area.clone(),
            hall_id: h.hall_id,
            hall: h.hall.clone(),
            calls: h.stat.calls,
            average: h.stat.average.clone(),
            weakest: weak_items(&figures::shares(mine.iter().filter(|f| f.hall_id == h.hall_id))),
        })
        .collect();
    let city = figures::stat(&all.iter().collect::<Vec<_>>());
    Ok(PhonePage {
        city_calls: city.calls,
        city_average: city.average,
        city_weakest: weak_items(&figures::shares(all.iter())),
        halls,
        halls_svg: (!mine.is_empty()).then(|| crate::phone::report::svg::halls_svg(&grouped, month)),
    })
}

/// A hall's drills of one business type that miss.
#[derive(Debug, Clone, Serialize)]
pub struct DrillLine {
    pub area: String,
    pub hall_id: i32,
    pub hall: String,
    pub type_name: String,
    pub count: i64,
    pub median: String,
    pub target: String,
    pub accuracy: String,
    pub slow: bool,
    pub inaccurate: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DrillsPage {
    /// Halls × types drilled in scope, and how many of them miss.
    pub drilled: usize,
    pub lines: Vec<DrillLine>,
}

pub fn drills_page(conn: &mut Conn, scope: &Viewer, month: Month) -> diesel::QueryResult<DrillsPage> {
    let stats: Vec<crate::training::drills::TypeMiss> =
        crate::training::drills::hall_type_stats(conn, month)?
            .into_iter()
            .filter(|s| scope.sees(Some(s.hall_id)))
            .collect();
    let mut lines: Vec<(usize, DrillLine)> = stats
        .iter()
        .filter_map(|s| {
            let miss = drill_miss(&s.stat)?;
            let area = scope.tree.area_of(Some(s.hall_id));
            let rank = scope.tree.areas().iter().position(|a| Some(a.id) == area.map(|a| a.id));
            Some((
                rank.unwrap_or(usize::MAX),
                DrillLine {
                    area: area.map(|a| a.name.clone()).unwrap_or_default(),
                    hall_id: s.hall_id,
                    hall: scope.tree.name(Some(s.hall_id)),
                    type_name: s.type_name.clone(),
                    count: s.stat.count,
                    median: s.stat.median_seconds.map(duration_text).unwrap_or_default(),
                    target: duration_text(s.stat.target_seconds),
                    accuracy: share_text(s.stat.accuracy),
                    slow: miss.slow,
                    inaccurate: miss.inaccurate,
                },
            ))
        })
        .collect();
    // By county (the district first) and hall, types in the trainers' order.
    lines.sort_by(|(ra, a), (rb, b)| (ra, &a.hall, a.hall_id).cmp(&(rb, &b.hall, b.hall_id)));
    Ok(DrillsPage { drilled: stats.len(), lines: lines.into_iter().map(|(_, l)| l).collect() })
}
