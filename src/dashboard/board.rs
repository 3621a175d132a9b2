//! The supervisor's month at a glance: participation, the city average, the
//! below-average list, unread-item deductions, halls short of study, the
//! phone-test average and drill misses — for the city and for each county in
//! the viewer's scope — and the county comparison chart.

use serde::Serialize;

use super::model::Viewer;
use super::rules::drill_miss;
use crate::db::Conn;
use crate::domain::Month;
use crate::kb::ledger::sheet::Person;
use crate::kb::ledger::yuan;
use crate::phone::report::{self, figures};
use crate::review::model::List;
use crate::review::rules::{percent, two_decimals};
use crate::training::study::HallStudy;
use crate::web::msg;

/// The numbers of the city or of one county.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    pub name: String,
    pub submitted: usize,
    pub expected: usize,
    pub participation: String,
    pub average: String,
    /// On the month's below-average list.
    pub listed: usize,
    pub unread_count: usize,
    pub unread_amount: String,
    pub short_halls: usize,
    pub halls: usize,
    pub phone_calls: usize,
    /// 按通次: the mean of every call (unidentified answerers included), as the phone report.
    pub phone_average: String,
    /// 按人: the mean of each identified clerk's mean, as the scorecard.
    pub phone_clerk_average: String,
    pub phone_clerks: usize,
    pub drill_misses: usize,
}

/// Everything the figures are counted from, for the whole city.
struct Inputs<'a> {
    list: Option<&'a List>,
    ledger: &'a [Person],
    study: &'a [HallStudy],
    phone: &'a [figures::Fact],
    /// (area of the hall, whether the hall's drills of a type miss).
    drills: &'a [(Option<i32>, bool)],
}

/// The figures of one area (`Some`), or of the city (`None`).
fn figures(inputs: &Inputs, name: &str, area: Option<i32>) -> Figures {
    let mine = |a: Option<i32>| area.is_none() || a == area;
    let (submitted, expected, participation, average) = match (inputs.list, area) {
        (None, _) => (0, 0, String::new(), String::new()),
        (Some(l), None) => {
            let expected = l.submitted + l.absent;
            (
                l.submitted,
                expected,
                percent(l.submitted, expected).unwrap_or_default(),
                l.city_average.clone(),
            )
        }
        (Some(l), Some(_)) => match l.areas.iter().find(|a| a.area == name) {
            Some(a) => (a.submitted, a.candidates, a.participation.clone(), a.average.clone()),
            None => (0, 0, String::new(), String::new()),
        },
    };
    let charged: Vec<&Person> = inputs.ledger.iter().filter(|p| mine(p.area_id)).collect();
    let fen: i64 = charged.iter().map(|p| p.penalty.fen).sum();
    let halls: Vec<&HallStudy> = inputs.study.iter().filter(|h| mine(h.area_id)).collect();
    let facts: Vec<&figures::Fact> = inputs.phone.iter().filter(|f| mine(f.area_id)).collect();
    let calls: Vec<i64> = facts.iter().map(|f| f.total).collect();
    Figures {
        name: name.to_string(),
        submitted,
        expected,
        participation,
        average,
        listed: inputs.list.map_or(0, |l| l.rows.iter().filter(|r| mine(r.area_id)).count()),
        unread_count: charged.iter().map(|p| p.penalty.count).sum(),
        unread_amount: yuan(fen),
        short_halls: halls.iter().filter(|h| h.short).count(),
        halls: halls.len(),
        phone_calls: calls.len(),
        phone_average: figures::average(&calls).map(two_decimals).unwrap_or_default(),
        phone_clerks: figures::clerk_means(facts.iter().copied()).len(),
        phone_clerk_average: figures::per_clerk_average(facts).map(two_decimals).unwrap_or_default(),
        drill_misses: inputs.drills.iter().filter(|(a, miss)| *miss && mine(*a)).count(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Board {
    pub month: Month,
    pub exam_title: String,
    /// Submitted papers still waiting for hand marking.
    pub pending: usize,
    /// The list is the frozen snapshot of a closed month.
    pub closed: bool,
    pub city: Figures,
    /// The counties shown in the table (all for city-wide viewers).
    pub areas: Vec<Figures>,
    /// The cards: the viewer's county when they have exactly one, else the city.
    pub headline: Figures,
    /// The cards are a county's: the city's figures are shown beside.
    pub compare: bool,
    /// The exam averages of every county (no names in it).
    pub areas_svg: Option<crate::web::chart::Chart>,
    /// 补学效果: the latest 补学 the viewer sees, with their effect.
    pub remedials: Vec<crate::remedial::Listed>,
}

pub fn board(conn: &mut Conn, scope: &Viewer, month: Month) -> diesel::QueryResult<Board> {
    let list = crate::review::model::month_list(conn, month)?;
    let today = crate::time::local_date(crate::db::now());
    let ledger = crate::kb::ledger::close::month_ledger(conn, month, today)?.ledger;
    let study = crate::training::study::hall_month_summary(conn, month)?;
    let phone = report::first_scorings(&report::facts(conn, month, None)?);
    let drills: Vec<(Option<i32>, bool)> = crate::training::drills::hall_type_stats(conn, month)?
        .iter()
        .map(|s| (scope.area_of(Some(s.hall_id)), drill_miss(&s.stat).is_some()))
        .collect();
    let inputs =
        Inputs { list: list.as_ref(), ledger: &ledger.people, study: &study, phone: &phone, drills: &drills };
    let city = figures(&inputs, msg::WEAK_CITY, None);
    let shown: Vec<(i32, String)> = if scope.city_wide {
        scope.tree.areas().iter().map(|a| (a.id, a.name.clone())).collect()
    } else {
        scope.areas().into_iter().filter_map(|c| Some((c.key.parse().ok()?, c.name))).collect()
    };
    let areas: Vec<Figures> = shown.iter().map(|(id, name)| figures(&inputs, name, Some(*id))).collect();
    let compare = !scope.city_wide && areas.len() == 1;
    let headline = if compare { areas[0].clone() } else { city.clone() };
    let remedials = crate::remedial::list(conn, |unit| crate::remedial::routes::may_assign(scope, unit), 5)?;
    Ok(Board {
        remedials,
        month,
        exam_title: list.as_ref().map(|l| l.exam_title.clone()).unwrap_or_default(),
        pending: list.as_ref().map_or(0, |l| l.pending),
        closed: list.as_ref().is_some_and(|l| l.closed.is_some()),
        areas_svg: list.as_ref().map(crate::review::model::areas_svg),
        city,
        areas,
        headline,
        compare,
    })
}
