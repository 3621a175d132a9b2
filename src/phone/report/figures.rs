//! The month's figures from plain facts: averages exact from hundredths,
//! each item's share of its points, the lowest items, grouping county →
//! hall → clerk, and calibration pairs. Pure, with table tests.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::domain::score::two_decimals;
use crate::domain::score::{div_half_up, FULL_MARKS};
use crate::domain::Month;
use crate::phone::rules::agreement;
use crate::web::msg;

/// One item's mark on a call: (code, name, points, hundredths or None for N/A).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemMark {
    pub code: String,
    pub name: String,
    pub points: i64,
    pub mark: Option<i64>,
}

/// One scored call as the reports need it.
#[derive(Debug, Clone, Default)]
pub struct Fact {
    pub id: i32,
    pub month: Month,
    pub when: String,
    pub area_id: Option<i32>,
    /// The area's place in lists: the city district first.
    pub area_rank: crate::domain::org::AreaRank,
    pub area: String,
    pub hall_id: i32,
    pub hall: String,
    pub clerk_id: Option<i32>,
    pub staff_no: String,
    pub clerk: String,
    pub tester_id: i32,
    pub tester: String,
    pub scenario: String,
    pub total: i64,
    pub critical: bool,
    pub marks: Vec<ItemMark>,
    pub second_of: Option<i32>,
}

/// The mean of totals in hundredths, rounded half up; None without any.
pub fn average(totals: &[i64]) -> Option<i64> {
    (!totals.is_empty()).then(|| div_half_up(totals.iter().sum(), totals.len() as i64))
}

/// Each identified clerk's mean of their calls (rounded half up) and the
/// number of calls: what the scorecard shows per clerk.
pub fn clerk_means<'a>(calls: impl IntoIterator<Item = &'a Fact>) -> HashMap<i32, (i64, usize)> {
    let mut totals: HashMap<i32, Vec<i64>> = HashMap::new();
    for c in calls {
        if let Some(clerk) = c.clerk_id {
            totals.entry(clerk).or_default().push(c.total);
        }
    }
    totals.into_iter().filter_map(|(k, t)| Some((k, (average(&t)?, t.len())))).collect()
}

/// The average 按人: the exact mean of each identified clerk's mean (the
/// scorecard's hall, county and city figure), rounded half up. The average
/// 按通次 is [`average`] over every call, unidentified answerers included.
pub fn per_clerk_average<'a>(calls: impl IntoIterator<Item = &'a Fact>) -> Option<i64> {
    crate::domain::Mean::of(clerk_means(calls).into_values().map(|(mean, _)| mean)).map(|m| m.hundredths())
}

/// An item's earnings over some calls: hundredths earned of hundredths possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Share {
    pub code: String,
    pub name: String,
    pub earned: i64,
    pub possible: i64,
}

impl Share {
    /// The share in hundredths of a percent (8750 = 87.50%).
    pub fn percent(&self) -> Option<i64> {
        (self.possible > 0).then(|| div_half_up(self.earned * FULL_MARKS, self.possible))
    }
}

/// Each item's share over `facts`, in the order items first appear; N/A marks are left out.
pub fn shares<'a>(facts: impl IntoIterator<Item = &'a Fact>) -> Vec<Share> {
    let mut out: Vec<Share> = Vec::new();
    for m in facts.into_iter().flat_map(|f| &f.marks) {
        let i = match out.iter().position(|s| s.code == m.code) {
            Some(i) => i,
            None => {
                out.push(Share { code: m.code.clone(), name: m.name.clone(), earned: 0, possible: 0 });
                out.len() - 1
            }
        };
        if let Some(v) = m.mark {
            out[i].earned += v;
            out[i].possible += m.points * 100;
        }
    }
    out
}

/// The (up to) two items with the lowest share, lowest first; items at full marks are not weak.
pub fn lowest_items(shares: &[Share]) -> Vec<String> {
    let mut weak: Vec<&Share> = shares.iter().filter(|s| s.possible > 0 && s.earned < s.possible).collect();
    // a/b < c/d exactly: a·d < c·b.
    weak.sort_by(|a, b| (a.earned * b.possible).cmp(&(b.earned * a.possible)).then(Ordering::Equal));
    weak.into_iter().take(2).map(|s| s.name.clone()).collect()
}

/// Calls, average, lowest items, critical failures, unidentified answers.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stat {
    pub calls: usize,
    /// 按通次: every call, unidentified answerers included.
    pub average: String,
    /// 按人: the mean of each identified clerk's mean (the scorecard's figure).
    pub per_clerk: String,
    #[serde(skip)]
    pub per_clerk_value: Option<i64>,
    #[serde(skip)]
    pub average_value: Option<i64>,
    pub lowest: String,
    pub critical: usize,
    pub unidentified: usize,
}

pub fn stat(facts: &[&Fact]) -> Stat {
    let totals: Vec<i64> = facts.iter().map(|f| f.total).collect();
    let avg = average(&totals);
    let per_clerk = per_clerk_average(facts.iter().copied());
    Stat {
        calls: facts.len(),
        average: avg.map(two_decimals).unwrap_or_default(),
        average_value: avg,
        per_clerk: per_clerk.map(two_decimals).unwrap_or_default(),
        per_clerk_value: per_clerk,
        lowest: lowest_items(&shares(facts.iter().copied())).join("、"),
        critical: facts.iter().filter(|f| f.critical).count(),
        unidentified: facts.iter().filter(|f| f.clerk_id.is_none()).count(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ClerkRow {
    pub staff_no: String,
    pub name: String,
    pub stat: Stat,
}

#[derive(Debug, Clone, Serialize)]
pub struct HallRow {
    pub hall_id: i32,
    pub hall: String,
    pub stat: Stat,
    pub clerks: Vec<ClerkRow>,
    /// Per item (the report's columns): share in hundredths of a percent.
    #[serde(skip)]
    pub shares: Vec<Option<i64>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaRow {
    pub area: String,
    pub stat: Stat,
    pub halls: Vec<HallRow>,
}

/// The month grouped county → hall → clerk (unidentified answers counted per hall only).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Grouped {
    pub city: Stat,
    pub areas: Vec<AreaRow>,
    /// Item (code, name) columns.
    pub items: Vec<(String, String)>,
}

/// A county's calls by (hall name, hall id).
type ByHall<'a> = BTreeMap<(String, i32), Vec<&'a Fact>>;

pub fn group(facts: &[Fact]) -> Grouped {
    let all: Vec<&Fact> = facts.iter().collect();
    let items: Vec<(String, String)> = shares(facts.iter()).into_iter().map(|s| (s.code, s.name)).collect();
    let mut by_area: BTreeMap<(crate::domain::org::AreaRank, String), ByHall> = BTreeMap::new();
    for f in facts {
        by_area
            .entry((f.area_rank, f.area.clone()))
            .or_default()
            .entry((f.hall.clone(), f.hall_id))
            .or_default()
            .push(f);
    }
    let areas = by_area
        .into_iter()
        .map(|((_, area), halls)| {
            let in_area: Vec<&Fact> = halls.values().flatten().copied().collect();
            let halls = halls
                .into_iter()
                .map(|((hall, hall_id), calls)| {
                    let mut by_clerk: BTreeMap<(String, String), Vec<&Fact>> = BTreeMap::new();
                    for f in calls.iter().filter(|f| f.clerk_id.is_some()) {
                        by_clerk.entry((f.staff_no.clone(), f.clerk.clone())).or_default().push(f);
                    }
                    let item_shares = shares(calls.iter().copied());
                    HallRow {
                        hall_id,
                        hall,
                        stat: stat(&calls),
                        clerks: by_clerk
                            .into_iter()
                            .map(|((staff_no, name), c)| ClerkRow { staff_no, name, stat: stat(&c) })
                            .collect(),
                        shares: items
                            .iter()
                            .map(|(code, _)| {
                                item_shares.iter().find(|s| &s.code == code).and_then(Share::percent)
                            })
                            .collect(),
                    }
                })
                .collect();
            AreaRow { area, stat: stat(&in_area), halls }
        })
        .collect();
    Grouped { city: stat(&all), areas, items }
}

/// A double-scored call: both scorings side by side.
#[derive(Debug, Clone, Serialize)]
pub struct Calibrated {
    pub call_id: i32,
    pub when: String,
    pub hall: String,
    pub clerk: String,
    pub first_tester: String,
    pub second_tester: String,
    pub first: String,
    pub second: String,
    pub difference: String,
    pub agree: bool,
    /// (item, first, second) as shown.
    pub items: Vec<(String, String, String)>,
}

/// Agreement of one tester pair (or overall).
#[derive(Debug, Clone, Serialize)]
pub struct PairRate {
    pub pair: String,
    pub agree: usize,
    pub calls: usize,
    pub rate: String,
}

fn mark_text(m: Option<&ItemMark>) -> String {
    match m.map(|m| m.mark) {
        Some(Some(v)) => crate::bank::question::format_points(v),
        Some(None) => msg::PHONE_REPORT_NA.into(),
        None => String::new(),
    }
}

fn rate(pair: String, totals: &[(i64, i64)]) -> PairRate {
    let (agree, calls) = agreement(totals);
    let rate = if calls == 0 {
        String::new()
    } else {
        format!("{}%", two_decimals(div_half_up(agree as i64 * 10_000, calls as i64)))
    };
    PairRate { pair, agree, calls, rate }
}

/// Pairs each second scoring with its first: the calls, the rate per tester
/// pair (the two names in id order, whichever scored first) and overall.
pub fn calibration(facts: &[Fact]) -> (Vec<Calibrated>, Vec<PairRate>, PairRate) {
    let mut rows = Vec::new();
    let mut pairs: BTreeMap<String, Vec<(i64, i64)>> = BTreeMap::new();
    let mut all = Vec::new();
    for second in facts.iter().filter(|f| f.second_of.is_some()) {
        let Some(first) = facts.iter().find(|f| Some(f.id) == second.second_of) else { continue };
        let ((a_id, a), (b_id, b)) = ((first.tester_id, &first.tester), (second.tester_id, &second.tester));
        let pair = if a_id <= b_id { format!("{a} / {b}") } else { format!("{b} / {a}") };
        pairs.entry(pair).or_default().push((first.total, second.total));
        all.push((first.total, second.total));
        let items = first
            .marks
            .iter()
            .map(|m| {
                let other = second.marks.iter().find(|o| o.code == m.code);
                (m.name.clone(), mark_text(Some(m)), mark_text(other))
            })
            .collect();
        rows.push(Calibrated {
            call_id: first.id,
            when: first.when.clone(),
            hall: first.hall.clone(),
            clerk: first.clerk.clone(),
            first_tester: a.clone(),
            second_tester: b.clone(),
            first: two_decimals(first.total),
            second: two_decimals(second.total),
            difference: two_decimals((first.total - second.total).abs()),
            agree: agreement(&[(first.total, second.total)]).0 == 1,
            items,
        });
    }
    let per_pair = pairs.into_iter().map(|(p, t)| rate(p, &t)).collect();
    (rows, per_pair, rate(msg::PHONE_REPORT_CALIB_OVERALL.into(), &all))
}

#[cfg(test)]
mod tests;
