//! The scorecard's figures from plain facts: exact means per hall, area and
//! city (kept as sum and count, shown rounded half up), the rank in the hall
//! per metric (competition ranking, each metric's own direction), hall and
//! area roll-ups with study hours against the target, and the sort orders of
//! the pages. Pure, with table tests in [`tests`].

use crate::domain::Month;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::domain::score::percent_text as share_text;
use crate::review::rules::{two_decimals, Average};
use crate::training::study::rules::study_short;
use crate::web::msg;

/// What the scorecard measures, in its column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// The month's monthly exam score (hundredths of a point; absentees have none).
    Exam,
    /// The mean of the first scorings of the clerk's phone-test calls (hundredths of a point).
    Phone,
    /// Mandatory items due in the month confirmed on time, of those due (hundredths of a percent).
    Reading,
    /// Drill handling time against the target times (hundredths of a percent; lower is faster).
    DrillSpeed,
    /// Share of error-free drills (hundredths of a percent).
    DrillAccuracy,
    /// Share of the hall's study sessions attended (hundredths of a percent).
    Attendance,
}

impl Metric {
    pub const ALL: [Metric; 6] = [
        Metric::Exam,
        Metric::Phone,
        Metric::Reading,
        Metric::DrillSpeed,
        Metric::DrillAccuracy,
        Metric::Attendance,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Metric::Exam => "exam",
            Metric::Phone => "phone",
            Metric::Reading => "reading",
            Metric::DrillSpeed => "speed",
            Metric::DrillAccuracy => "accuracy",
            Metric::Attendance => "attendance",
        }
    }

    pub fn parse(code: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Metric::Exam => msg::SCORECARD_EXAM,
            Metric::Phone => msg::SCORECARD_PHONE,
            Metric::Reading => msg::SCORECARD_READING,
            Metric::DrillSpeed => msg::SCORECARD_SPEED,
            Metric::DrillAccuracy => msg::SCORECARD_ACCURACY,
            Metric::Attendance => msg::SCORECARD_ATTENDANCE,
        }
    }

    /// Only drill speed is better lower (less time than the target).
    pub fn higher_is_better(self) -> bool {
        self != Metric::DrillSpeed
    }

    /// Points (exam, phone tests) or a percentage (everything else).
    pub fn is_points(self) -> bool {
        matches!(self, Metric::Exam | Metric::Phone)
    }

    pub fn value(self, f: &ClerkFacts) -> Option<i64> {
        match self {
            Metric::Exam => f.exam,
            Metric::Phone => f.phone,
            Metric::Reading => f.reading,
            Metric::DrillSpeed => f.drill_speed,
            Metric::DrillAccuracy => f.drill_accuracy,
            Metric::Attendance => f.attendance,
        }
    }

    /// A value as shown: "86.50" for points, "87.50%" for shares, "—" for none.
    pub fn text(self, value: Option<i64>) -> String {
        match value {
            None => msg::SCORECARD_NONE.into(),
            Some(v) if self.is_points() => two_decimals(v),
            Some(v) => share_text(Some(v)),
        }
    }

    /// How `a` compares with `b` in this metric: Greater when `a` is better.
    pub fn compare(self, a: i64, b: i64) -> Ordering {
        if self.higher_is_better() {
            a.cmp(&b)
        } else {
            b.cmp(&a)
        }
    }

    /// As [`Metric::compare`], for exact means: a.sum/a.n against b.sum/b.n.
    pub fn compare_means(self, a: &Average, b: &Average) -> Ordering {
        self.compare(a.sum * b.n, b.sum * a.n)
    }
}

/// One clerk's month, as loaded from the rooms that own each figure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClerkFacts {
    pub user_id: i32,
    pub staff_no: String,
    pub name: String,
    pub hall_id: i32,
    pub hall: String,
    /// The district or county above the hall.
    pub area_id: Option<i32>,
    pub area: String,
    /// The area is a county branch (县分公司), not the city district: counties list after it.
    pub county: bool,
    /// Hundredths of a point; None when absent, waiting for marking, or no exam.
    pub exam: Option<i64>,
    /// A candidate of the month's exam who did not submit (缺考).
    pub absent: bool,
    /// Flagged last month, the clerk sat this month's exam in person: its score.
    pub retest: Option<i64>,
    pub phone: Option<i64>,
    pub calls: usize,
    pub reading: Option<i64>,
    pub read_on_time: usize,
    /// Mandatory items of the month whose due date has passed (exempted ones left out).
    pub reading_due: usize,
    /// Items of the month not yet due: not in the rate, shown as such.
    pub reading_upcoming: usize,
    pub drill_speed: Option<i64>,
    pub drill_accuracy: Option<i64>,
    pub drills: i64,
    pub weeks_drilled: i64,
    pub weeks_due: i64,
    pub attendance: Option<i64>,
    pub sessions_attended: i64,
    pub sessions_held: i64,
}

/// The exact mean of the values present; None without any.
pub fn mean(values: impl IntoIterator<Item = Option<i64>>) -> Option<Average> {
    Average::of(values.into_iter().flatten())
}

/// Competition ranks (1, 1, 3) of `values`, best first in the metric's
/// direction; a missing value has no rank and does not push others down.
pub fn ranks(metric: Metric, values: &[Option<i64>]) -> Vec<Option<usize>> {
    values
        .iter()
        .map(|v| {
            let v = (*v)?;
            let better =
                values.iter().flatten().filter(|o| metric.compare(**o, v) == Ordering::Greater).count();
            Some(better + 1)
        })
        .collect()
}

/// One metric of one clerk with the figures beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub value: Option<i64>,
    pub hall: Option<Average>,
    pub area: Option<Average>,
    pub city: Option<Average>,
    /// Rank in the hall, of `ranked` clerks of the hall with a value.
    pub rank: Option<usize>,
    pub ranked: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClerkCard {
    pub facts: ClerkFacts,
    /// One per [`Metric::ALL`], in that order.
    pub figures: Vec<Figure>,
}

impl ClerkCard {
    pub fn figure(&self, metric: Metric) -> &Figure {
        &self.figures[metric as usize]
    }
}

/// A hall, an area or the city, rolled up from its clerks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollup {
    /// The hall's or area's id; None for the city (and clerks without an area).
    pub id: Option<i32>,
    pub name: String,
    /// For a hall: the area above it.
    pub area_id: Option<i32>,
    pub area: String,
    pub halls: usize,
    pub clerks: usize,
    /// The mean of its clerks per [`Metric::ALL`].
    pub means: Vec<Option<Average>>,
    /// Organised study minutes held (summed over the halls).
    pub study_minutes: i64,
    /// Halls whose study minutes reached the target (rule 8).
    pub halls_on_target: usize,
    /// The month's inspections of its halls (营业厅巡检): (sum of scores in
    /// hundredths, count); see [`Scorecard::with_inspections`].
    pub inspections: (i64, i64),
}

impl Rollup {
    pub fn mean(&self, metric: Metric) -> Option<Average> {
        self.means[metric as usize]
    }

    /// The mean score of the month's inspections of its halls (half up).
    pub fn inspection_mean(&self) -> Option<i64> {
        let (sum, n) = self.inspections;
        (n > 0).then(|| crate::domain::score::div_half_up(sum, n))
    }
}

/// The month's scorecard on every level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scorecard {
    pub month: Month,
    /// The study target per hall in minutes (the setting in force).
    pub study_target: i64,
    /// By area, hall, 工号.
    pub clerks: Vec<ClerkCard>,
    pub halls: Vec<Rollup>,
    pub areas: Vec<Rollup>,
    pub city: Rollup,
}

impl Scorecard {
    pub fn clerk(&self, user_id: i32) -> Option<&ClerkCard> {
        self.clerks.iter().find(|c| c.facts.user_id == user_id)
    }

    /// Adds each hall's inspections (hall → (score sum, count)): a hall's
    /// own, an area's over its halls, the city's over every hall listed (the
    /// mean of all the inspections, not of the halls' means).
    pub fn with_inspections(mut self, per_hall: &HashMap<i32, (i64, i64)>) -> Scorecard {
        let add = |a: (i64, i64), b: (i64, i64)| (a.0 + b.0, a.1 + b.1);
        for h in &mut self.halls {
            h.inspections = h.id.and_then(|id| per_hall.get(&id)).copied().unwrap_or_default();
        }
        for a in &mut self.areas {
            a.inspections =
                self.halls.iter().filter(|h| h.area_id == a.id).map(|h| h.inspections).fold((0, 0), add);
        }
        self.city.inspections = self.halls.iter().map(|h| h.inspections).fold((0, 0), add);
        self
    }
}

fn rollup(
    id: Option<i32>,
    name: &str,
    members: &[&ClerkFacts],
    study: &HashMap<i32, i64>,
    target: i64,
) -> Rollup {
    let mut halls: Vec<i32> = members.iter().map(|f| f.hall_id).collect();
    halls.sort_unstable();
    halls.dedup();
    let minutes = |h: &i32| study.get(h).copied().unwrap_or(0);
    let first = members.first();
    Rollup {
        id,
        name: name.to_string(),
        area_id: first.and_then(|f| f.area_id),
        area: first.map(|f| f.area.clone()).unwrap_or_default(),
        halls: halls.len(),
        clerks: members.len(),
        means: Metric::ALL.iter().map(|m| mean(members.iter().map(|f| m.value(f)))).collect(),
        study_minutes: halls.iter().map(minutes).sum(),
        halls_on_target: halls.iter().filter(|h| !study_short(minutes(h), target)).count(),
        inspections: (0, 0),
    }
}

/// Builds the month's scorecard from every clerk's facts, each hall's study
/// minutes and the study target: every figure beside a clerk is the mean of
/// the clerks of that hall, area and the whole city who have a value.
pub fn build(month: Month, facts: Vec<ClerkFacts>, study: &HashMap<i32, i64>, target: i64) -> Scorecard {
    let mut facts = facts;
    // The city district first, then the counties; halls by name; 工号.
    let area_key = |f: &ClerkFacts| (f.county, f.area_id, f.area.clone());
    facts.sort_by(|a, b| {
        (area_key(a), &a.hall, a.hall_id, &a.staff_no, a.user_id).cmp(&(
            area_key(b),
            &b.hall,
            b.hall_id,
            &b.staff_no,
            b.user_id,
        ))
    });
    let all: Vec<&ClerkFacts> = facts.iter().collect();
    type AreaKey = (bool, Option<i32>, String);
    let mut by_hall: BTreeMap<(AreaKey, String, i32), Vec<&ClerkFacts>> = BTreeMap::new();
    let mut by_area: BTreeMap<AreaKey, Vec<&ClerkFacts>> = BTreeMap::new();
    for f in &facts {
        by_hall.entry((area_key(f), f.hall.clone(), f.hall_id)).or_default().push(f);
        by_area.entry(area_key(f)).or_default().push(f);
    }
    let halls: Vec<Rollup> =
        by_hall.iter().map(|((_, name, id), m)| rollup(Some(*id), name, m, study, target)).collect();
    let areas: Vec<Rollup> =
        by_area.iter().map(|((_, id, name), m)| rollup(*id, name, m, study, target)).collect();
    let city = rollup(None, msg::SCORECARD_CITY, &all, study, target);
    // Ranks within each hall, per metric: user id → ranks.
    let mut ranked: HashMap<i32, Vec<(Option<usize>, usize)>> = HashMap::new();
    for members in by_hall.values() {
        let per_metric: Vec<(Vec<Option<usize>>, usize)> = Metric::ALL
            .iter()
            .map(|m| {
                let values: Vec<Option<i64>> = members.iter().map(|f| m.value(f)).collect();
                (ranks(*m, &values), values.iter().flatten().count())
            })
            .collect();
        for (i, f) in members.iter().enumerate() {
            ranked.insert(f.user_id, per_metric.iter().map(|(r, n)| (r[i], *n)).collect());
        }
    }
    let hall_of = |id: i32| halls.iter().find(|h| h.id == Some(id));
    let area_of = |id: Option<i32>, name: &str| areas.iter().find(|a| a.id == id && a.name == name);
    let clerks = facts
        .iter()
        .map(|f| {
            let (hall, area) = (hall_of(f.hall_id), area_of(f.area_id, &f.area));
            let ranks = ranked.get(&f.user_id);
            let figures = Metric::ALL
                .iter()
                .enumerate()
                .map(|(i, m)| Figure {
                    value: m.value(f),
                    hall: hall.and_then(|h| h.means[i]),
                    area: area.and_then(|a| a.means[i]),
                    city: city.means[i],
                    rank: ranks.and_then(|r| r[i].0),
                    ranked: ranks.map_or(0, |r| r[i].1),
                })
                .collect();
            ClerkCard { facts: f.clone(), figures }
        })
        .collect();
    Scorecard { month, study_target: target, clerks, halls, areas, city }
}

/// Orders by a metric, best first (or worst first); no value always last;
/// ties keep the given order (by area, hall, 工号).
fn by_metric<T>(rows: &mut [T], metric: Metric, worst_first: bool, key: impl Fn(&T) -> Option<Average>) {
    rows.sort_by(|a, b| match (key(a), key(b)) {
        (Some(x), Some(y)) => {
            let better_first = metric.compare_means(&y, &x);
            if worst_first {
                better_first.reverse()
            } else {
                better_first
            }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
}

/// The clerk table's order: by a metric, or as built (area, hall, 工号).
pub fn sort_clerks(cards: &mut [ClerkCard], by: Option<Metric>, worst_first: bool) {
    if let Some(m) = by {
        by_metric(cards, m, worst_first, |c| c.figure(m).value.map(|v| Average { sum: v, n: 1 }));
    }
}

/// The hall or area table's order: by a metric's mean, or as built.
pub fn sort_rollups(rows: &mut [Rollup], by: Option<Metric>, worst_first: bool) {
    if let Some(m) = by {
        by_metric(rows, m, worst_first, |r| r.mean(m));
    }
}

#[cfg(test)]
mod tests;
