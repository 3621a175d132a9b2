//! Drill metrics (DESIGN §4 rule 9): per clerk and business type the median
//! time against the type's target and the share of error-free drills, per
//! calendar month; weekly coverage per ISO week of the month (team leaders
//! drill every clerk weekly). The grouping is pure, over [`Fact`]s; the two
//! queries at the end load them for other rooms (scorecard, dashboard).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::model::{self, DrillType};
use super::rules::{self, DrillFact, DrillStat};
use crate::auth::Role;
use crate::db::{now, Conn};
use crate::domain::score::{div_half_up, share};
use crate::domain::Month;
use crate::schema::{role_assignments, users};

/// One stored drill as the metrics need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub clerk_id: i32,
    /// The hall the clerk belonged to when drilled.
    pub hall_id: i32,
    pub type_id: i32,
    pub drilled_on: NaiveDate,
    /// The month of `drilled_on`.
    pub month: Month,
    pub seconds: i32,
    pub errors: i32,
}

impl From<&model::Drill> for Fact {
    fn from(d: &model::Drill) -> Self {
        Fact {
            clerk_id: d.clerk_id,
            hall_id: d.hall_id,
            type_id: d.drill_type_id,
            drilled_on: d.drilled_on,
            month: d.month,
            seconds: d.seconds,
            errors: d.errors,
        }
    }
}

/// A clerk's month of drills, for the scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClerkDrills {
    pub clerk_id: i32,
    pub hall_id: i32,
    pub drills: i64,
    /// median/target in hundredths of a percent, averaged over the types
    /// drilled, rounded half up; 10000 = exactly on target, lower is faster.
    pub median_vs_target: Option<i64>,
    /// Error-free share of the month's drills, hundredths of a percent.
    pub accuracy: Option<i64>,
    /// Weeks of the month (ISO, see [`Month::iso_weeks`]) with a drill.
    pub weeks_drilled: i64,
    /// Weeks of the month begun by today (all of them for a past month).
    pub weeks_due: i64,
}

/// One hall's drills of one business type in a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeMiss {
    pub hall_id: i32,
    pub drill_type_id: i32,
    pub type_name: String,
    pub stat: DrillStat,
}

/// Speed and accuracy of one key (a clerk, a hall…) in one business type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeStat {
    pub key: i32,
    pub type_id: i32,
    pub stat: DrillStat,
    /// median/target in hundredths of a percent.
    pub vs_target: Option<i64>,
}

/// Business type id → (position, target seconds): what the grouping needs of the types.
pub type Targets = HashMap<i32, (i32, i32)>;

/// `median / target` in hundredths of a percent, rounded half up.
pub fn vs_target(stat: &DrillStat) -> Option<i64> {
    share(stat.median_seconds? as i64, stat.target_seconds as i64)
}

/// The mean of whole numbers, rounded half up; None for none.
pub fn mean_half_up(values: &[i64]) -> Option<i64> {
    let n = values.len() as i64;
    (n > 0).then(|| div_half_up(values.iter().sum::<i64>(), n))
}

/// Stats per (`key_of` fact, type) of the facts of `month`, ordered by key
/// then the type's position in `types` (id → (position, target seconds)).
pub fn by_type(
    facts: &[Fact],
    month: Month,
    types: &Targets,
    key_of: impl Fn(&Fact) -> i32,
) -> Vec<TypeStat> {
    let mut groups: BTreeMap<(i32, i32, i32), Vec<DrillFact>> = BTreeMap::new();
    for f in facts.iter().filter(|f| f.month == month) {
        let position = types.get(&f.type_id).map_or(i32::MAX, |t| t.0);
        let fact = DrillFact { seconds: f.seconds, errors: f.errors };
        groups.entry((key_of(f), position, f.type_id)).or_default().push(fact);
    }
    groups
        .into_iter()
        .map(|((key, _, type_id), list)| {
            let target = types.get(&type_id).map_or(0, |t| t.1);
            let stat = rules::drill_stat(&list, target);
            TypeStat { key, type_id, vs_target: vs_target(&stat), stat }
        })
        .collect()
}

/// The weeks of `month` ([`Month::iso_weeks`]) begun by `today` (a Monday on or before it).
pub fn weeks_due(month: Month, today: NaiveDate) -> Vec<String> {
    month
        .iso_weeks()
        .into_iter()
        .filter(|w| rules::week_bounds(w).is_some_and(|(monday, _)| monday <= today))
        .collect()
}

/// Per clerk, the weeks of `weeks` in which they were drilled (any hall).
pub fn weeks_drilled(facts: &[Fact], weeks: &[String]) -> HashMap<i32, BTreeSet<String>> {
    let mut out: HashMap<i32, BTreeSet<String>> = HashMap::new();
    for f in facts {
        let week = rules::week_of(f.drilled_on);
        if weeks.contains(&week) {
            out.entry(f.clerk_id).or_default().insert(week);
        }
    }
    out
}

/// The month's summary per clerk: every clerk of `roster` (clerk id, current
/// hall) and everyone drilled in `month` who is not on it (at the hall of
/// their latest drill). `facts` must cover the month's weeks, which may reach
/// into the months either side; `types` as in [`by_type`].
pub fn clerk_summaries(
    month: Month,
    today: NaiveDate,
    facts: &[Fact],
    roster: &[(i32, i32)],
    types: &Targets,
) -> Vec<ClerkDrills> {
    let mut halls: BTreeMap<i32, i32> = roster.iter().copied().collect();
    for f in facts.iter().filter(|f| f.month == month) {
        if !roster.iter().any(|(c, _)| *c == f.clerk_id) {
            halls.insert(f.clerk_id, f.hall_id);
        }
    }
    let due = weeks_due(month, today);
    let drilled_weeks = weeks_drilled(facts, &due);
    let stats = by_type(facts, month, types, |f| f.clerk_id);
    let mut out: Vec<ClerkDrills> = halls
        .into_iter()
        .map(|(clerk_id, hall_id)| {
            let mine: Vec<&Fact> =
                facts.iter().filter(|f| f.month == month && f.clerk_id == clerk_id).collect();
            let error_free = mine.iter().filter(|f| f.errors == 0).count() as i64;
            let ratios: Vec<i64> =
                stats.iter().filter(|s| s.key == clerk_id).filter_map(|s| s.vs_target).collect();
            ClerkDrills {
                clerk_id,
                hall_id,
                drills: mine.len() as i64,
                median_vs_target: mean_half_up(&ratios),
                accuracy: share(error_free, mine.len() as i64),
                weeks_drilled: drilled_weeks.get(&clerk_id).map_or(0, |w| w.len() as i64),
                weeks_due: due.len() as i64,
            }
        })
        .collect();
    out.sort_by_key(|c| (c.hall_id, c.clerk_id));
    out
}

/// One ISO week of the month: who of `clerks` was drilled in it, who not (未测).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekCoverage {
    pub week: String,
    pub drilled: Vec<i32>,
    pub missing: Vec<i32>,
    /// The week has begun (a week still to come is not missed yet).
    pub due: bool,
}

/// The month's weeks with the clerks drilled and not drilled in each.
pub fn coverage(month: Month, today: NaiveDate, facts: &[Fact], clerks: &[i32]) -> Vec<WeekCoverage> {
    let weeks = month.iso_weeks();
    let done = weeks_drilled(facts, &weeks);
    let due = weeks_due(month, today);
    weeks
        .into_iter()
        .map(|week| {
            let (drilled, missing) =
                clerks.iter().partition(|c| done.get(c).is_some_and(|w| w.contains(&week)));
            WeekCoverage { due: due.contains(&week), week, drilled, missing }
        })
        .collect()
}

// ---- Queries ----

/// Type id → (position, target seconds), and the types themselves.
pub fn type_table(conn: &mut Conn) -> QueryResult<(Vec<DrillType>, Targets)> {
    let types = DrillType::all(conn)?;
    let table = types.iter().map(|t| (t.id, (t.position, t.target_seconds))).collect();
    Ok((types, table))
}

/// The drills whose dates fall in the weeks of `month` or in the month itself.
pub fn month_facts(conn: &mut Conn, month: Month) -> QueryResult<Vec<Fact>> {
    // The weeks reach at most into the months either side.
    let (prev, next) = (month.previous().unwrap_or(month), month.next().unwrap_or(month));
    let weeks = month.iso_weeks();
    let from = weeks.first().and_then(|w| rules::week_bounds(w)).map(|b| b.0);
    let to = weeks.last().and_then(|w| rules::week_bounds(w)).map(|b| b.1);
    Ok(model::drills_between(conn, prev, next)?
        .iter()
        .filter(|d| {
            d.month == month
                || (from.is_some_and(|f| d.drilled_on >= f) && to.is_some_and(|t| d.drilled_on <= t))
        })
        .map(Fact::from)
        .collect())
}

/// Active clerks (Clerk role) with a hall: (user id, hall id).
pub fn clerk_roster(conn: &mut Conn) -> QueryResult<Vec<(i32, i32)>> {
    let clerks: Vec<i32> = role_assignments::table
        .filter(role_assignments::role.eq(Role::Clerk.code()))
        .select(role_assignments::user_id)
        .distinct()
        .load(conn)?;
    let rows: Vec<(i32, Option<i32>)> = users::table
        .filter(users::id.eq_any(&clerks))
        .filter(users::active.eq(true))
        .filter(users::hall_id.is_not_null())
        .order(users::id)
        .select((users::id, users::hall_id))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(id, hall)| Some((id, hall?))).collect())
}

/// Every active clerk's month of drills (and anyone else drilled in it), by hall then clerk.
pub fn clerk_month(conn: &mut Conn, month: Month) -> QueryResult<Vec<ClerkDrills>> {
    let (_, types) = type_table(conn)?;
    let facts = month_facts(conn, month)?;
    let roster = clerk_roster(conn)?;
    Ok(clerk_summaries(month, crate::time::local_date(now()), &facts, &roster, &types))
}

/// Every hall × business type drilled in `month`, by hall then the type's position.
pub fn hall_type_stats(conn: &mut Conn, month: Month) -> QueryResult<Vec<TypeMiss>> {
    let (list, types) = type_table(conn)?;
    let names: HashMap<i32, String> = list.into_iter().map(|t| (t.id, t.name)).collect();
    let facts = month_facts(conn, month)?;
    Ok(by_type(&facts, month, &types, |f| f.hall_id)
        .into_iter()
        .map(|s| TypeMiss {
            hall_id: s.key,
            drill_type_id: s.type_id,
            type_name: names.get(&s.type_id).cloned().unwrap_or_default(),
            stat: s.stat,
        })
        .collect())
}

#[cfg(test)]
mod tests;
