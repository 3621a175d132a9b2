//! The defect library (缺陷库) and daily-check compliance: per hall its open
//! defects with their age, its average score per inspection kind against the
//! city's, the items failed most, the hall × item heat map; and each hall's
//! days short of the required daily checks.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::model::Kind;
use crate::db::Conn;
use crate::domain::score::div_half_up;
use crate::domain::Month;
use crate::schema::{defects, inspections};

/// A submitted inspection's figures, as the library counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    pub hall: i32,
    pub kind: Kind,
    /// Hundredths of 100.
    pub score: i64,
    pub zero_hits: i64,
}

/// Mean score (hundredths, half up) of the inspections that `keep` selects; None if there are none.
pub fn mean(list: &[Scored], keep: impl Fn(&Scored) -> bool) -> Option<i64> {
    let (sum, n) = list.iter().filter(|s| keep(s)).fold((0i64, 0i64), |(s, n), x| (s + x.score, n + 1));
    (n > 0).then(|| div_half_up(sum, n))
}

/// Failures per (hall, item code) from the failed items of a month's inspections.
pub fn heat(failed: &[(i32, String)]) -> BTreeMap<(i32, String), i64> {
    let mut out = BTreeMap::new();
    for (hall, code) in failed {
        *out.entry((*hall, code.clone())).or_insert(0) += 1;
    }
    out
}

/// The month's submitted inspections.
pub fn scored(conn: &mut Conn, month: Month) -> QueryResult<Vec<Scored>> {
    let rows: Vec<(i32, Kind, Option<i32>, i32)> = inspections::table
        .filter(inspections::month.eq(month))
        .filter(inspections::submitted_at.is_not_null())
        .select((inspections::hall_id, inspections::kind, inspections::score, inspections::zero_hits))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(hall, kind, score, zero)| Scored {
            hall,
            kind,
            score: i64::from(score.unwrap_or(0)),
            zero_hits: i64::from(zero),
        })
        .collect())
}

/// The defects opened by the month's inspections: (hall, item code, item name).
pub fn failed_in(conn: &mut Conn, month: Month) -> QueryResult<Vec<(i32, String, String)>> {
    defects::table
        .inner_join(inspections::table)
        .filter(inspections::month.eq(month))
        .select((defects::hall_id, defects::item_code, defects::item_name))
        .load(conn)
}

/// An open defect with its age.
#[derive(Debug, Clone, Serialize)]
pub struct OpenDefect {
    pub hall_id: i32,
    pub inspection_id: i32,
    pub item_code: String,
    pub item_name: String,
    pub note: String,
    pub opened: String,
    pub age_days: i64,
    pub order_id: Option<i32>,
    /// Open findings of this item at this hall (each failing inspection
    /// keeps its own, for its 纠错单); listed once, from the oldest.
    pub times: usize,
}

/// Every open defect, one per hall and item (the oldest, with how many
/// inspections found it since), oldest first.
pub fn open_defects(conn: &mut Conn, today: NaiveDate) -> QueryResult<Vec<OpenDefect>> {
    type Row = (i32, i32, String, String, String, NaiveDateTime, Option<i32>);
    let rows: Vec<Row> = defects::table
        .filter(defects::closed_at.is_null())
        .order(defects::opened_at)
        .select((
            defects::hall_id,
            defects::inspection_id,
            defects::item_code,
            defects::item_name,
            defects::note,
            defects::opened_at,
            defects::order_id,
        ))
        .load(conn)?;
    let mut out: Vec<OpenDefect> = Vec::new();
    for (hall_id, inspection_id, item_code, item_name, note, opened_at, order_id) in rows {
        if let Some(first) = out.iter_mut().find(|d| d.hall_id == hall_id && d.item_code == item_code) {
            first.times += 1;
            first.order_id = first.order_id.or(order_id);
            continue;
        }
        let opened = crate::time::local_date(opened_at);
        out.push(OpenDefect {
            hall_id,
            inspection_id,
            item_code,
            item_name,
            note,
            opened: opened.to_string(),
            age_days: (today - opened).num_days().max(0),
            order_id,
            times: 1,
        });
    }
    Ok(out)
}

/// Submitted daily checks per hall and day in a month.
pub fn daily_by_day(conn: &mut Conn, month: Month) -> QueryResult<BTreeMap<i32, BTreeMap<NaiveDate, i64>>> {
    let rows: Vec<(i32, NaiveDate)> = inspections::table
        .filter(inspections::kind.eq(Kind::Daily))
        .filter(inspections::month.eq(month))
        .filter(inspections::submitted_at.is_not_null())
        .select((inspections::hall_id, inspections::day))
        .load(conn)?;
    let mut out: BTreeMap<i32, BTreeMap<NaiveDate, i64>> = BTreeMap::new();
    for (hall, day) in rows {
        *out.entry(hall).or_default().entry(day).or_insert(0) += 1;
    }
    Ok(out)
}

/// The days of a month that count for compliance on `today`: the month's
/// days up to yesterday (today is not over), from the first day any hall
/// made a daily check (`since`; before it the site was not in use); none
/// for a month not begun or before the site.
pub fn counted_days(
    month: Month,
    today: NaiveDate,
    since: Option<NaiveDate>,
) -> Option<(NaiveDate, NaiveDate)> {
    let from = month.first_day().max(since?);
    let through = month.last_day().min(today.pred_opt()?);
    (through >= from).then_some((from, through))
}

/// A hall's daily-check compliance in a month: the days counted and the
/// days short of the required checks (each with its count).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compliance {
    pub days: i64,
    pub missed: Vec<(NaiveDate, i64)>,
}

impl Compliance {
    pub fn met(&self) -> i64 {
        self.days - self.missed.len() as i64
    }
}

/// Every active hall's compliance in `month` as of `today` (the setting's
/// required checks a day, the days of [`counted_days`]); the page and the
/// report both read it.
pub fn compliance(conn: &mut Conn, month: Month, today: NaiveDate) -> QueryResult<BTreeMap<i32, Compliance>> {
    let required = crate::settings::number(conn, &crate::settings::INSPECT_DAILY_REQUIRED)?;
    let Some((from, through)) = counted_days(month, today, first_daily_day(conn)?) else {
        return Ok(BTreeMap::new());
    };
    let by_day = daily_by_day(conn, month)?;
    let days = (through - from).num_days() + 1;
    let empty = BTreeMap::new();
    Ok(crate::domain::OrgTree::load(conn)?
        .halls()
        .into_iter()
        .map(|h| {
            let missed =
                super::rules::missed_days(by_day.get(&h.id).unwrap_or(&empty), from, through, required);
            (h.id, Compliance { days, missed })
        })
        .collect())
}

/// The first day any hall submitted a daily check.
pub fn first_daily_day(conn: &mut Conn) -> QueryResult<Option<NaiveDate>> {
    inspections::table
        .filter(inspections::kind.eq(Kind::Daily))
        .filter(inspections::submitted_at.is_not_null())
        .select(diesel::dsl::min(inspections::day))
        .first(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(hall: i32, kind: Kind, score: i64) -> Scored {
        Scored { hall, kind, score, zero_hits: 0 }
    }

    #[test]
    fn means_by_hand() {
        let list = [
            s(1, Kind::Daily, 9_000),
            s(1, Kind::Daily, 8_001),
            s(2, Kind::Spot, 7_000),
            s(1, Kind::Spot, 10_000),
        ];
        // (90 + 80.01) / 2 = 85.005 → 85.01 (half up).
        assert_eq!(mean(&list, |x| x.hall == 1 && x.kind == Kind::Daily), Some(8_501));
        // The city's spot checks: (70 + 100) / 2 = 85.
        assert_eq!(mean(&list, |x| x.kind == Kind::Spot), Some(8_500));
        assert_eq!(mean(&list, |x| x.kind == Kind::Cross), None);
    }

    #[test]
    fn heat_counts_each_failure_of_a_hall_and_item() {
        let failed =
            [(1, "H3".to_string()), (1, "H3".to_string()), (2, "H3".to_string()), (1, "B1".to_string())];
        let h = heat(&failed);
        assert_eq!(h.get(&(1, "H3".into())), Some(&2));
        assert_eq!(h.get(&(2, "H3".into())), Some(&1));
        assert_eq!(h.get(&(2, "B1".into())), None);
    }

    #[test]
    fn compliance_counts_the_days_that_are_over() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        let dec = Month::of_date(d(12, 1));
        let since = Some(d(11, 8));
        assert_eq!(counted_days(dec, d(12, 7), since), Some((d(12, 1), d(12, 6))));
        assert_eq!(counted_days(dec, d(12, 1), since), None);
        let nov = Month::of_date(d(11, 1));
        // The site's first daily check was on the 8th: the days before do not count.
        assert_eq!(counted_days(nov, d(12, 7), since), Some((d(11, 8), d(11, 30))));
        assert_eq!(counted_days(nov, d(12, 7), None), None);
        let oct = Month::of_date(d(10, 1));
        assert_eq!(counted_days(oct, d(12, 7), since), None);
    }
}
