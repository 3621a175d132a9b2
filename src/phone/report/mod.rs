//! The month's phone tests for supervisors and trainers: loading the calls
//! as plain facts (in the viewer's scope), the trend over months, and the
//! exports. The figures themselves are in [`figures`].

pub mod export;
pub mod figures;
pub mod svg;

use std::collections::HashMap;

use diesel::dsl::max;
use diesel::prelude::*;

use super::model::{Call, RubricVersion};
use crate::auth::CurrentUser;
use crate::db::Conn;
use crate::domain::Month;
use crate::exam::model::Tree;
use crate::schema::{phone_calls, rubric_versions, scenarios, users};
use crate::web::msg;
use figures::{average, Fact, ItemMark};

/// The latest month with calls, else this month.
pub fn default_month(conn: &mut Conn) -> QueryResult<Month> {
    let latest: Option<Month> = phone_calls::table.select(max(phone_calls::month)).first(conn)?;
    Ok(latest.unwrap_or_else(Month::current))
}

/// Every scoring of the month (first and second), as facts; `who` limits them
/// to the halls in that viewer's scope (None: everything, for the CLI).
pub fn facts(conn: &mut Conn, month: Month, who: Option<&CurrentUser>) -> QueryResult<Vec<Fact>> {
    let calls: Vec<Call> = phone_calls::table
        .filter(phone_calls::month.eq(month))
        .order((phone_calls::called_at, phone_calls::id))
        .select(Call::as_select())
        .load(conn)?;
    let tree = Tree::load(conn)?;
    let people: HashMap<i32, (Option<String>, String)> = users::table
        .select((users::id, users::staff_no, users::name))
        .load::<(i32, Option<String>, String)>(conn)?
        .into_iter()
        .map(|(id, no, name)| (id, (no, name)))
        .collect();
    let titles: HashMap<i32, String> =
        scenarios::table.select((scenarios::id, scenarios::title)).load(conn)?.into_iter().collect();
    let versions: HashMap<i32, Vec<crate::phone::rules::Item>> = rubric_versions::table
        .select(RubricVersion::as_select())
        .load(conn)?
        .into_iter()
        .map(|v| (v.id, v.items()))
        .collect();
    let seen =
        |hall: i32| who.is_none_or(|me| crate::review::model::in_scope(me, &tree.ancestry(Some(hall))));
    Ok(calls
        .into_iter()
        .filter(|c| seen(c.hall_id))
        .map(|c| {
            let stored = c.marks();
            let marks = versions
                .get(&c.rubric_version_id)
                .map(|items| {
                    items
                        .iter()
                        .map(|i| ItemMark {
                            code: i.code.clone(),
                            name: i.name.clone(),
                            points: i.points,
                            mark: stored.get(&i.code).copied().flatten(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let area = tree.area_of(Some(c.hall_id));
            let clerk = c.clerk_id.and_then(|id| people.get(&id));
            Fact {
                id: c.id,
                month: c.month,
                when: crate::time::local_display(c.called_at),
                area_id: area.map(|a| a.id),
                area_rank: crate::domain::org::area_rank(area),
                area: area.map(|a| a.name.clone()).unwrap_or_default(),
                hall_id: c.hall_id,
                hall: tree.name(Some(c.hall_id)),
                clerk_id: c.clerk_id,
                staff_no: clerk.and_then(|p| p.0.clone()).unwrap_or_default(),
                clerk: clerk.map(|p| p.1.clone()).unwrap_or_else(|| msg::PHONE_REPORT_UNIDENTIFIED.into()),
                tester_id: c.tester_id,
                tester: people.get(&c.tester_id).map(|p| p.1.clone()).unwrap_or_default(),
                scenario: c.scenario_id.and_then(|id| titles.get(&id).cloned()).unwrap_or_default(),
                total: i64::from(c.total),
                critical: c.critical_failed,
                marks,
                second_of: c.second_of,
            }
        })
        .collect())
}

/// The first scorings only (what the month table and the exports count).
pub fn first_scorings(facts: &[Fact]) -> Vec<Fact> {
    facts.iter().filter(|f| f.second_of.is_none()).cloned().collect()
}

/// The average over months: the city's and each area's in scope.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Trend {
    pub months: Vec<Month>,
    /// (label, averages per month as text, values for the chart).
    pub lines: Vec<(String, Vec<String>, Vec<Option<i64>>)>,
}

pub fn trend(conn: &mut Conn, month: Month, n: usize, me: &CurrentUser) -> QueryResult<Trend> {
    // The `n` months up to `month`, oldest first.
    let months = month.trailing(n);
    let rows: Vec<(Month, i32, i32)> = phone_calls::table
        .filter(phone_calls::month.eq_any(&months))
        .filter(phone_calls::second_of.is_null())
        .select((phone_calls::month, phone_calls::hall_id, phone_calls::total))
        .load(conn)?;
    let tree = Tree::load(conn)?;
    let line = |label: String, keep: &dyn Fn(i32) -> bool| {
        let values: Vec<Option<i64>> = months
            .iter()
            .map(|m| {
                let t: Vec<i64> =
                    rows.iter().filter(|r| &r.0 == m && keep(r.1)).map(|r| i64::from(r.2)).collect();
                average(&t)
            })
            .collect();
        let text =
            values.iter().map(|v| v.map(crate::review::rules::two_decimals).unwrap_or_default()).collect();
        (label, text, values)
    };
    let mut lines = vec![line(msg::PHONE_REPORT_CITY_LINE.into(), &|_| true)];
    for area in tree.areas() {
        let ancestry_has = |hall: i32| tree.ancestry(Some(hall)).contains(&area.id);
        if !crate::review::model::in_scope(me, &tree.ancestry(Some(area.id)))
            && !rows
                .iter()
                .any(|r| ancestry_has(r.1) && crate::review::model::in_scope(me, &tree.ancestry(Some(r.1))))
        {
            continue;
        }
        let l = line(area.name.clone(), &ancestry_has);
        if l.2.iter().any(Option::is_some) {
            lines.push(l);
        }
    }
    Ok(Trend { months, lines })
}
