//! The figures of a month of drills (DESIGN §4 rule 9) as the pages and the
//! monthly feedback (月末反馈) show them: per clerk × business type, per ISO
//! week, the totals, the weakest types and who missed most. Pure, over
//! [`metrics`] facts.

use std::cmp::Reverse;
use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::metrics::{self, Fact, TypeStat};
use super::model::{DrillType, Staff};
use super::rules::{self, duration_text};
use crate::domain::score::{percent_text, share};
use crate::domain::Month;
use crate::web::msg;

/// One business type's figures for a clerk or a hall.
#[derive(Debug, Clone, Serialize)]
pub struct TypeCell {
    pub type_id: i32,
    pub name: String,
    pub count: i64,
    pub median_seconds: Option<i32>,
    pub median: String,
    pub target_seconds: i32,
    pub target: String,
    pub meets: Option<bool>,
    pub accuracy_value: Option<i64>,
    pub accuracy: String,
    pub vs_target_value: Option<i64>,
    pub vs_target: String,
}

fn cell(s: &TypeStat, names: &HashMap<i32, String>) -> TypeCell {
    TypeCell {
        type_id: s.type_id,
        name: names.get(&s.type_id).cloned().unwrap_or_default(),
        count: s.stat.count,
        median_seconds: s.stat.median_seconds,
        median: s.stat.median_seconds.map(duration_text).unwrap_or_else(|| "—".into()),
        target_seconds: s.stat.target_seconds,
        target: duration_text(s.stat.target_seconds),
        meets: s.stat.meets_target,
        accuracy_value: s.stat.accuracy,
        accuracy: percent_text(s.stat.accuracy),
        vs_target_value: s.vs_target,
        vs_target: percent_text(s.vs_target),
    }
}

/// The weakest business types, at most `n`: first those whose median misses
/// the target (the furthest over first), then those with errors (the lowest
/// accuracy first). Types on target without errors are not weak.
pub fn weakest(stats: &[&TypeStat], n: usize) -> Vec<i32> {
    let mut weak: Vec<&&TypeStat> = stats
        .iter()
        .filter(|s| s.stat.meets_target == Some(false) || s.stat.accuracy < Some(10_000))
        .collect();
    weak.sort_by_key(|s| {
        let misses = s.stat.meets_target == Some(false);
        (!misses, Reverse(if misses { s.vs_target } else { None }), s.stat.accuracy, s.type_id)
    });
    weak.into_iter().take(n).map(|s| s.type_id).collect()
}

/// A clerk's count of drills in one week of the month.
#[derive(Debug, Clone, Serialize)]
pub struct WeekCell {
    pub count: usize,
    pub due: bool,
}

/// A clerk's month.
#[derive(Debug, Clone, Serialize)]
pub struct ClerkRow {
    pub id: i32,
    pub staff_no: String,
    pub name: String,
    pub drills: i64,
    pub weeks_drilled: i64,
    pub weeks_due: i64,
    pub weeks_missed: i64,
    pub accuracy_value: Option<i64>,
    pub accuracy: String,
    pub vs_target_value: Option<i64>,
    pub vs_target: String,
    pub types: Vec<TypeCell>,
    pub weakest: Vec<String>,
    /// Business types whose median missed the target.
    pub missed_targets: i64,
    pub weeks: Vec<WeekCell>,
}

/// One ISO week of the month: its label and who was (not) drilled.
#[derive(Debug, Clone, Serialize)]
pub struct WeekView {
    pub week: String,
    pub label: String,
    pub due: bool,
    pub drilled: Vec<String>,
    pub missing: Vec<String>,
}

/// Totals of a set of clerks' months.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub drills: i64,
    pub clerks: usize,
    pub clerks_drilled: usize,
    pub weeks_drilled: i64,
    pub weeks_due: i64,
    pub weeks_missed: i64,
    pub coverage: String,
    pub accuracy: String,
    pub vs_target: String,
    pub missed_types: usize,
}

/// The figures of a set of facts (one hall's, or one clerk's).
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub clerks: Vec<ClerkRow>,
    pub types: Vec<TypeCell>,
    pub weeks: Vec<WeekView>,
    pub totals: Totals,
    pub weakest: Vec<String>,
    /// The clerk with the most weeks not drilled, and how many.
    pub most_missed_weeks: Option<(String, i64)>,
    /// The clerk with the most business types over target, and how many.
    pub most_missed_targets: Option<(String, i64)>,
}

pub struct Inputs<'a> {
    pub month: Month,
    pub today: NaiveDate,
    /// The facts of the month's weeks (see [`metrics::month_facts`]).
    pub facts: &'a [Fact],
    /// The clerks who should have been drilled.
    pub roster: &'a [i32],
    pub types: &'a [DrillType],
    pub people: &'a HashMap<i32, Staff>,
}

fn week_label(week: &str) -> String {
    match rules::week_bounds(week) {
        Some((from, to)) => msg::drill_week_label(week.rsplit('W').next().unwrap_or(week), from, to),
        None => week.to_string(),
    }
}

/// The figures: per clerk (the roster first, then anyone else drilled), per type, per week.
pub fn figures(i: &Inputs) -> Figures {
    let table: metrics::Targets = i.types.iter().map(|t| (t.id, (t.position, t.target_seconds))).collect();
    let names: HashMap<i32, String> = i.types.iter().map(|t| (t.id, t.name.clone())).collect();
    let person = |id: i32| i.people.get(&id).map(|p| p.label.clone()).unwrap_or_else(|| format!("#{id}"));
    let roster: Vec<(i32, i32)> = i.roster.iter().map(|c| (*c, 0)).collect();
    let summaries = metrics::clerk_summaries(i.month, i.today, i.facts, &roster, &table);
    let per_clerk = metrics::by_type(i.facts, i.month, &table, |f| f.clerk_id);
    let all_weeks = i.month.iso_weeks();
    let due_weeks = metrics::weeks_due(i.month, i.today);
    let mut clerks: Vec<ClerkRow> = summaries
        .iter()
        .map(|s| {
            let stats: Vec<&TypeStat> = per_clerk.iter().filter(|t| t.key == s.clerk_id).collect();
            let weeks = all_weeks
                .iter()
                .map(|w| WeekCell {
                    count: i
                        .facts
                        .iter()
                        .filter(|f| f.clerk_id == s.clerk_id && rules::week_of(f.drilled_on) == *w)
                        .count(),
                    due: due_weeks.contains(w),
                })
                .collect();
            let p = i.people.get(&s.clerk_id);
            ClerkRow {
                id: s.clerk_id,
                staff_no: p.map(|p| p.staff_no.clone()).unwrap_or_default(),
                name: p.map(|p| p.name.clone()).unwrap_or_else(|| format!("#{}", s.clerk_id)),
                drills: s.drills,
                weeks_drilled: s.weeks_drilled,
                weeks_due: s.weeks_due,
                weeks_missed: s.weeks_due - s.weeks_drilled,
                accuracy_value: s.accuracy,
                accuracy: percent_text(s.accuracy),
                vs_target_value: s.median_vs_target,
                vs_target: percent_text(s.median_vs_target),
                weakest: weakest(&stats, 2)
                    .iter()
                    .map(|t| names.get(t).cloned().unwrap_or_default())
                    .collect(),
                missed_targets: stats.iter().filter(|t| t.stat.meets_target == Some(false)).count() as i64,
                types: stats.iter().map(|t| cell(t, &names)).collect(),
                weeks,
            }
        })
        .collect();
    // The roster in staff-number order, then the others.
    clerks.sort_by_key(|c| (!i.roster.contains(&c.id), c.staff_no.clone(), c.id));
    let hall_stats = metrics::by_type(i.facts, i.month, &table, |_| 0);
    let hall_refs: Vec<&TypeStat> = hall_stats.iter().collect();
    let month_facts: Vec<&Fact> = i.facts.iter().filter(|f| f.month == i.month).collect();
    let on_roster: Vec<&ClerkRow> = clerks.iter().filter(|c| i.roster.contains(&c.id)).collect();
    let (weeks_drilled, weeks_due) =
        on_roster.iter().fold((0, 0), |a, c| (a.0 + c.weeks_drilled, a.1 + c.weeks_due));
    let ratios: Vec<i64> = hall_stats.iter().filter_map(|s| s.vs_target).collect();
    let totals = Totals {
        drills: month_facts.len() as i64,
        clerks: on_roster.len(),
        clerks_drilled: on_roster.iter().filter(|c| c.drills > 0).count(),
        weeks_drilled,
        weeks_due,
        weeks_missed: weeks_due - weeks_drilled,
        coverage: percent_text(share(weeks_drilled, weeks_due)),
        accuracy: percent_text(share(
            month_facts.iter().filter(|f| f.errors == 0).count() as i64,
            month_facts.len() as i64,
        )),
        vs_target: percent_text(metrics::mean_half_up(&ratios)),
        missed_types: hall_stats.iter().filter(|s| s.stat.meets_target == Some(false)).count(),
    };
    let most = |key: fn(&ClerkRow) -> i64| {
        on_roster
            .iter()
            .filter(|c| key(c) > 0)
            .max_by_key(|c| (key(c), Reverse((c.staff_no.clone(), c.id))))
            .map(|c| (format!("{} {}", c.staff_no, c.name).trim().to_string(), key(c)))
    };
    let weeks = metrics::coverage(i.month, i.today, i.facts, i.roster)
        .into_iter()
        .map(|w| WeekView {
            label: week_label(&w.week),
            week: w.week,
            due: w.due,
            drilled: w.drilled.iter().map(|c| person(*c)).collect(),
            missing: w.missing.iter().map(|c| person(*c)).collect(),
        })
        .collect();
    Figures {
        most_missed_weeks: most(|c| c.weeks_missed),
        most_missed_targets: most(|c| c.missed_targets),
        weakest: weakest(&hall_refs, 3).iter().map(|t| names.get(t).cloned().unwrap_or_default()).collect(),
        types: hall_stats.iter().map(|t| cell(t, &names)).collect(),
        clerks,
        weeks,
        totals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::drills::rules::{drill_stat, DrillFact};

    fn stat(type_id: i32, seconds: &[i32], errors: i32, target: i32) -> TypeStat {
        let facts: Vec<DrillFact> = seconds.iter().map(|s| DrillFact { seconds: *s, errors }).collect();
        let stat = drill_stat(&facts, target);
        TypeStat { key: 1, type_id, vs_target: metrics::vs_target(&stat), stat }
    }

    #[test]
    fn the_weakest_types_miss_the_target_furthest_then_have_most_errors() {
        let cases: [(Vec<TypeStat>, Vec<i32>); 4] = [
            (vec![stat(1, &[500], 0, 600), stat(2, &[100], 0, 120)], vec![]),
            (vec![stat(1, &[700], 0, 600), stat(2, &[200], 0, 120), stat(3, &[100], 1, 120)], vec![2, 1]),
            (vec![stat(1, &[500], 1, 600), stat(2, &[130], 0, 120)], vec![2, 1]),
            (
                vec![stat(3, &[500, 400], 1, 600), stat(1, &[500], 0, 600), stat(2, &[100, 100], 0, 120)],
                vec![3],
            ),
        ];
        for (stats, want) in cases {
            let refs: Vec<&TypeStat> = stats.iter().collect();
            assert_eq!(weakest(&refs, 2), want);
        }
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ty(id: i32, name: &str, target: i32) -> DrillType {
        let at = chrono::NaiveDateTime::default();
        DrillType {
            id,
            name: name.into(),
            target_seconds: target,
            position: id,
            active: true,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn figures_total_the_roster_and_name_who_missed_most() {
        let fact = |clerk_id, type_id, on: &str, seconds, errors| Fact {
            clerk_id,
            hall_id: 10,
            type_id,
            drilled_on: date(on),
            month: Month::of_date(date(on)),
            seconds,
            errors,
        };
        let facts = [
            fact(7, 1, "2026-11-03", 500, 0),
            fact(7, 1, "2026-11-10", 700, 0),
            fact(7, 4, "2026-11-17", 150, 1),
            fact(8, 1, "2026-11-24", 650, 0),
        ];
        let people: HashMap<i32, Staff> = [(7, "10007", "甲"), (8, "10008", "乙"), (9, "10009", "丙")]
            .into_iter()
            .map(|(id, no, name)| {
                (id, Staff { id, staff_no: no.into(), name: name.into(), label: format!("{no} {name}") })
            })
            .collect();
        let types = [ty(1, "开户", 600), ty(4, "缴费", 120)];
        let f = figures(&Inputs {
            month: Month::parse("2026-11").unwrap(),
            today: date("2026-12-01"),
            facts: &facts,
            roster: &[7, 8, 9],
            types: &types,
            people: &people,
        });
        let t = &f.totals;
        assert_eq!((t.drills, t.clerks, t.clerks_drilled, t.weeks_drilled, t.weeks_due), (4, 3, 2, 4, 12));
        assert_eq!((t.coverage.as_str(), t.accuracy.as_str()), ("33.33%", "75.00%"));
        // 开户 median 650 of 600 = 108.33%, 缴费 150 of 120 = 125% → 116.67%.
        assert_eq!(t.vs_target, "116.67%");
        assert_eq!(f.weakest, ["缴费", "开户"]);
        assert_eq!(f.most_missed_weeks, Some(("10009 丙".into(), 4)));
        assert_eq!(f.most_missed_targets, Some(("10007 甲".into(), 1)));
        let gaps: Vec<(&str, i64, Vec<usize>)> = f
            .clerks
            .iter()
            .map(|c| (c.name.as_str(), c.weeks_missed, c.weeks.iter().map(|w| w.count).collect()))
            .collect();
        assert_eq!(
            gaps,
            [("甲", 1, vec![1, 1, 1, 0]), ("乙", 3, vec![0, 0, 0, 1]), ("丙", 4, vec![0, 0, 0, 0])]
        );
        assert_eq!(f.weeks[3].missing, ["10007 甲", "10009 丙"]);
        assert!(f.weeks[0].label.contains("11/02"), "{}", f.weeks[0].label);
    }
}
