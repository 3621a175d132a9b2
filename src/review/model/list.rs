//! The month's list as pages show it: a row per clerk with their case,
//! standing and streak; per-area figures; who may see which rows; the
//! filters and sorts of the page.

#![allow(unused_imports)]
use serde::{Deserialize, Serialize};

use super::super::case::{Case, CaseStatus};
use super::super::rules::{self, two_decimals, Average, Flag, Reason, Sitter};
use super::*;
use crate::auth::{CurrentUser, Role};
use crate::closing::{self, Closed, Ledger, Reopened};
use crate::db::Conn;
use crate::domain::Month;
use crate::exam::model::{self as exam_model, Exam, Tree, PUBLISHED};
use crate::web::msg;

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub user_id: i32,
    pub staff_no: String,
    pub name: String,
    pub area_id: Option<i32>,
    pub area: String,
    pub hall: String,
    /// Hundredths; None for 缺考.
    pub score_value: Option<i64>,
    pub score: String,
    pub gap: String,
    /// 缺考, or the follow-up status (待沟通 …) — the CSV's 状态.
    pub status: &'static str,
    /// The follow-up step (see [`CaseStatus`]).
    pub case: CaseStatus,
    pub talk_note: String,
    pub talked_by: String,
    /// Beijing time.
    pub talked_at: String,
    pub exempt_reason: String,
    /// Next month's in-person exam, once graded.
    pub retest_score: String,
    pub retest_attempt_id: Option<i32>,
    pub absent: bool,
    pub consecutive: usize,
    pub attempt_id: Option<i32>,
    /// Ancestry of the hall of the attempt, for scope checks.
    #[serde(skip)]
    pub ancestry: Vec<i32>,
}

/// One area (the city district or a county) of the month's exam.
#[derive(Debug, Clone, Serialize)]
pub struct AreaStat {
    pub area: String,
    pub county: bool,
    pub candidates: usize,
    pub submitted: usize,
    pub participation: String,
    /// Hundredths (display only), and as text.
    #[serde(skip)]
    pub average_value: Option<i64>,
    pub average: String,
    /// Submitted and strictly below the city average (county clerks only are listed for it).
    pub below: usize,
    pub share_below: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct List {
    pub month: Month,
    pub exam_id: i32,
    pub exam_title: String,
    pub city: Option<Average>,
    pub city_average: String,
    pub submitted: usize,
    pub absent: usize,
    /// Submitted but waiting for hand marking: neither averaged nor flagged yet.
    pub pending: usize,
    pub rows: Vec<Row>,
    /// Every area, city district first: for all supervisors (no one's name in it).
    pub areas: Vec<AreaStat>,
    /// Some when the month is closed: the list is its snapshot.
    pub closed: Option<Closed>,
    /// Some when the month was closed once and re-opened since.
    pub reopened: Option<Reopened<rules::Change>>,
}

/// Flagged user ids of a month (for streaks); empty when the month has no monthly exam.
fn flagged_ids(conn: &mut Conn, month: Month) -> diesel::QueryResult<Vec<i32>> {
    Ok(sheet(conn, month)?.map(|(s, _)| s.flags.into_iter().map(|f| f.user_id).collect()).unwrap_or_default())
}

/// The month's list (the snapshot of a closed month, else live); None when
/// the month has no published monthly exam.
pub fn month_list(conn: &mut Conn, month: Month) -> diesel::QueryResult<Option<List>> {
    let view = closing::view(
        conn,
        Ledger::Review,
        month,
        |conn| live_sheet(conn, month),
        |before, after| match (before, after) {
            (Some(b), Some(a)) => changes(b, a),
            _ => Vec::new(),
        },
    )?;
    let Some(sheet) = view.figures else { return Ok(None) };
    let tree = Tree::load(conn)?;
    // Up to 11 earlier months, for the streak (newest first).
    let mut history: Vec<Vec<i32>> = Vec::new();
    for prev in month.trailing(12).into_iter().rev().skip(1) {
        history.push(flagged_ids(conn, prev)?);
    }
    let mut cases = Case::for_month(conn, month)?;
    let mut rows = sheet
        .flags
        .iter()
        .filter_map(|f| {
            let e = sheet.entry(f.user_id)?;
            let mut streak = vec![true];
            streak.extend(history.iter().map(|ids| ids.contains(&f.user_id)));
            streak.reverse();
            let (case, talked_by) = cases.remove(&f.user_id).map_or((None, None), |(c, by)| (Some(c), by));
            let step = case.as_ref().map_or(CaseStatus::ToTalk, Case::status);
            Some(Row {
                user_id: f.user_id,
                staff_no: e.staff_no.clone(),
                name: e.name.clone(),
                area_id: e.area_id,
                area: e.area.clone(),
                hall: e.hall.clone(),
                score_value: f.score,
                score: f.score.map(two_decimals).unwrap_or_default(),
                gap: match (f.score, &sheet.city) {
                    (Some(s), Some(avg)) => two_decimals(avg.gap(s)),
                    _ => String::new(),
                },
                status: match (f.reason, step) {
                    (Reason::Absent, CaseStatus::ToTalk) => msg::REVIEW_ABSENT,
                    _ => step.label(),
                },
                case: step,
                talk_note: case.as_ref().map(|c| c.talk_note.clone()).unwrap_or_default(),
                talked_by: talked_by.unwrap_or_default(),
                talked_at: case
                    .as_ref()
                    .and_then(|c| c.talked_at)
                    .map(crate::time::local_display)
                    .unwrap_or_default(),
                exempt_reason: case.as_ref().map(|c| c.exempt_reason.clone()).unwrap_or_default(),
                retest_score: case
                    .as_ref()
                    .and_then(|c| c.retest_score)
                    .map(|s| two_decimals(i64::from(s)))
                    .unwrap_or_default(),
                retest_attempt_id: case.as_ref().and_then(|c| c.retest_attempt_id),
                absent: f.reason == Reason::Absent,
                consecutive: rules::consecutive(&streak),
                attempt_id: e.attempt_id,
                ancestry: tree.ancestry(e.hall_id),
            })
        })
        .collect::<Vec<_>>();
    // By county, then score (absentees last within a county).
    rows.sort_by_key(|r| (r.area_id, r.score_value.is_none(), r.score_value, r.staff_no.clone()));
    Ok(Some(List {
        month,
        exam_id: sheet.exam_id,
        exam_title: sheet.exam_title.clone(),
        city: sheet.city,
        city_average: sheet.city.map(|a| two_decimals(a.hundredths())).unwrap_or_default(),
        submitted: sheet.entries.iter().filter(|e| e.score.is_some()).count(),
        absent: sheet.entries.iter().filter(|e| e.score.is_none()).count(),
        pending: sheet.pending.len(),
        areas: area_stats(&sheet),
        rows,
        closed: view.closed.map(|(_, closed)| closed),
        reopened: view.reopened,
    }))
}

/// Participation, average and share below the city average per area.
fn area_stats(sheet: &Sheet) -> Vec<AreaStat> {
    let entries: Vec<&Entry> = sheet.entries.iter().collect();
    let mut order: Vec<(bool, Option<i32>, String)> =
        entries.iter().map(|e| (e.county, e.area_id, e.area.clone())).collect();
    order.sort();
    order.dedup();
    order
        .into_iter()
        .map(|(county, area_id, area)| {
            let mine: Vec<&&Entry> = entries.iter().filter(|e| e.area_id == area_id).collect();
            let scores: Vec<i64> =
                sheet.entries.iter().filter(|e| e.area_id == area_id).filter_map(|e| e.score).collect();
            let average = Average::of(scores.iter().copied());
            let below = sheet.city.map_or(0, |c| scores.iter().filter(|x| c.is_below(**x)).count());
            AreaStat {
                area,
                county,
                candidates: mine.len(),
                submitted: scores.len(),
                participation: rules::percent(scores.len(), mine.len()).unwrap_or_default(),
                average_value: average.map(|a| a.hundredths()),
                average: average.map(|a| two_decimals(a.hundredths())).unwrap_or_default(),
                below,
                share_below: rules::percent(below, scores.len()).unwrap_or_default(),
            }
        })
        .collect()
}

/// Whether `user` may see a clerk with this hall ancestry (as [`scoped`]).
pub fn in_scope(user: &CurrentUser, ancestry: &[i32]) -> bool {
    crate::domain::Scope::supervising(user).sees_ancestry(ancestry)
}

/// Keeps the rows a user may see: supervisors their scope (a county, or the
/// whole city), trainers and admins everything.
pub fn scoped(list: &mut List, user: &CurrentUser) {
    list.rows.retain(|r| in_scope(user, &r.ancestry));
}

/// The list page's filter and sort (the export takes the same).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct View {
    /// An area's name (县分).
    #[serde(default)]
    pub area: String,
    /// A follow-up step's code, or "absent".
    #[serde(default)]
    pub status: String,
    /// Part of a name or 工号.
    #[serde(default, deserialize_with = "crate::web::pagination::search")]
    pub q: String,
    /// hall (default: county, hall, score) | county | score | consecutive | status.
    #[serde(default)]
    pub sort: String,
}

impl View {
    /// The sort orders the page offers, as (code, label).
    pub const SORTS: [(&'static str, &'static str); 5] = [
        ("hall", "按县分、营业厅、分数"),
        ("county", "按县分、分数"),
        ("score", "按分数（低→高）"),
        ("consecutive", "按连续月数"),
        ("status", "按跟进状态"),
    ];

    pub fn is_filtered(&self) -> bool {
        !(self.area.is_empty() && self.status.is_empty() && self.q.trim().is_empty())
    }

    /// Keeps the rows that match and orders them. Scores sort lowest first
    /// (absentees last), consecutive months most first.
    pub fn apply(&self, rows: &mut Vec<Row>) {
        let q = self.q.trim();
        rows.retain(|r| {
            (self.area.is_empty() || r.area == self.area)
                && match self.status.as_str() {
                    "" => true,
                    "absent" => r.absent,
                    code => r.case.code() == code,
                }
                && (q.is_empty() || r.name.contains(q) || r.staff_no.contains(q))
        });
        let by_score = |r: &Row| (r.score_value.is_none(), r.score_value);
        match self.sort.as_str() {
            "score" | "gap" => rows.sort_by_key(|r| (by_score(r), r.staff_no.clone())),
            "consecutive" => {
                rows.sort_by_key(|r| (std::cmp::Reverse(r.consecutive), by_score(r), r.staff_no.clone()))
            }
            "status" => rows
                .sort_by_key(|r| (CaseStatus::ALL.iter().position(|s| *s == r.case), r.area_id, by_score(r))),
            "county" => rows.sort_by_key(|r| (r.area_id, by_score(r), r.staff_no.clone())),
            // Grouped by county and hall, as supervisors go through it.
            _ => rows.sort_by_key(|r| (r.area_id, r.hall.clone(), by_score(r), r.staff_no.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i32, area: i32, hall: &str, score: Option<i64>, case: CaseStatus, consecutive: usize) -> Row {
        Row {
            user_id: id,
            staff_no: format!("1{id:04}"),
            name: format!("员工{id}"),
            area_id: Some(area),
            area: format!("县{area}"),
            hall: hall.into(),
            score_value: score,
            score: String::new(),
            gap: String::new(),
            status: case.label(),
            case,
            talk_note: String::new(),
            talked_by: String::new(),
            talked_at: String::new(),
            exempt_reason: String::new(),
            retest_score: String::new(),
            retest_attempt_id: None,
            absent: score.is_none(),
            consecutive,
            attempt_id: None,
            ancestry: Vec::new(),
        }
    }

    #[test]
    fn the_view_filters_and_sorts() {
        use CaseStatus::*;
        let rows = vec![
            row(1, 2, "乙厅", Some(5000), ToTalk, 1),
            row(2, 1, "乙厅", Some(7000), Talked, 3),
            row(3, 1, "甲厅", Some(6000), ToTalk, 1),
            row(4, 1, "甲厅", None, ToTalk, 2),
            row(5, 2, "丙厅", Some(4000), Exempt, 1),
        ];
        let ids = |view: View| {
            let mut r = rows.clone();
            view.apply(&mut r);
            r.iter().map(|r| r.user_id).collect::<Vec<_>>()
        };
        let v = |area: &str, status: &str, q: &str, sort: &str| View {
            area: area.into(),
            status: status.into(),
            q: q.into(),
            sort: sort.into(),
        };
        // (view, expected ids in order)
        let cases = [
            (v("", "", "", ""), vec![2, 3, 4, 5, 1]),
            (v("", "", "", "county"), vec![3, 2, 4, 5, 1]),
            (v("", "", "", "score"), vec![5, 1, 3, 2, 4]),
            (v("", "", "", "consecutive"), vec![2, 4, 5, 1, 3]),
            (v("", "", "", "status"), vec![3, 4, 1, 2, 5]),
            (v("县2", "", "", ""), vec![5, 1]),
            (v("", "absent", "", ""), vec![4]),
            (v("", "talked", "", ""), vec![2]),
            (v("", "", "员工3", ""), vec![3]),
            (v("", "", "10005", ""), vec![5]),
            (v("县1", "to_talk", "", "score"), vec![3, 4]),
        ];
        for (view, want) in cases {
            let label = format!("{view:?}");
            assert_eq!(ids(view), want, "{label}");
        }
        assert!(!v("", "", " ", "score").is_filtered());
        assert!(v("", "absent", "", "").is_filtered());
    }
}
