//! Reading compliance: per mandatory item and per hall, the share of its
//! audience who confirmed it, and how that share grew day by day (or week by
//! week) from the assignment to past its due date, as an SVG line chart.
//! Exempted people and those who joined after the due date are not counted,
//! as in the ledger.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::model::{Readers, Staff};
use super::Outcome;
use crate::auth::CurrentUser;
use crate::db::Conn;
use crate::kb::model::Assignment;
use crate::review::rules::percent;
use crate::schema::assignments;
use crate::web::chart::{Chart, Svg};
use crate::web::msg;

/// Days shown after the due date.
const AFTER_DUE: u64 = 14;
/// Above this many days the chart goes by week.
const DAILY_UP_TO: i64 = 45;

/// How one group (everyone in scope, an area, a hall) stands on one item.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Counted readers: the audience less the exempted and the late joiners.
    pub audience: usize,
    pub on_time: usize,
    pub late: usize,
    /// Not confirmed (due or not yet).
    pub unread: usize,
    /// Of `unread`, those whose due date's day has not ended: the on-time
    /// rate is not settled while any are left (shown as 未到期).
    pub pending: usize,
    pub exempt: usize,
    pub on_time_share: String,
    pub read_share: String,
}

impl Counts {
    fn of<'a>(people: impl IntoIterator<Item = &'a Judged<'a>>) -> Counts {
        let mut c = Counts::default();
        for p in people {
            match p.outcome {
                Outcome::OnTime => c.on_time += 1,
                Outcome::Late => c.late += 1,
                Outcome::Unread => c.unread += 1,
                Outcome::Pending => {
                    c.unread += 1;
                    c.pending += 1;
                }
                Outcome::Exempt => c.exempt += 1,
                Outcome::Joiner => {}
            }
        }
        c.audience = c.on_time + c.late + c.unread;
        c.on_time_share = if c.pending > 0 {
            msg::NOT_YET_DUE.to_string()
        } else {
            percent(c.on_time, c.audience).unwrap_or_default()
        };
        c.read_share = percent(c.on_time + c.late, c.audience).unwrap_or_default();
        c
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct HallRow {
    pub area: String,
    pub hall: String,
    pub counts: Counts,
}

/// One mandatory item's compliance in the caller's scope.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub assignment_id: i32,
    pub article_id: i32,
    pub title: String,
    pub version: i32,
    pub due_date: NaiveDate,
    pub counts: Counts,
    /// Only for one article's page.
    pub halls: Vec<HallRow>,
    pub svg: Option<Chart>,
}

struct Judged<'a> {
    staff: &'a Staff,
    outcome: Outcome,
    /// The local date of the confirm that counts.
    read_on: Option<NaiveDate>,
}

/// The days the chart shows: from the assignment to `AFTER_DUE` days past the
/// due date, not beyond today; by week when that is long.
pub fn timeline(start: NaiveDate, due: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
    let end = (due + chrono::Days::new(AFTER_DUE)).min(today).max(start);
    let step = if (end - start).num_days() > DAILY_UP_TO { 7 } else { 1 };
    let mut days: Vec<NaiveDate> = start.iter_days().step_by(step).take_while(|d| *d <= end).collect();
    if days.last() != Some(&end) {
        days.push(end);
    }
    days
}

/// Per mille of `reads` (local confirm dates; None = unread) confirmed by
/// the end of each day; None for an empty group.
pub fn shares(reads: &[Option<NaiveDate>], days: &[NaiveDate]) -> Vec<Option<i64>> {
    let n = reads.len() as i64;
    days.iter()
        .map(|d| {
            let read = reads.iter().filter(|r| r.is_some_and(|r| r <= *d)).count() as i64;
            (n > 0).then(|| (2 * read * 1000 + n) / (2 * n))
        })
        .collect()
}

/// Compliance of the active mandatory items (of one article, or all of
/// them, newest due first) over the people `me` may see; the per-hall table
/// and the chart only for one article.
pub fn progress(
    conn: &mut Conn,
    article: Option<i32>,
    me: &CurrentUser,
    today: NaiveDate,
) -> QueryResult<Vec<Progress>> {
    let mut query = assignments::table.filter(assignments::active.eq(true)).into_boxed();
    if let Some(id) = article {
        query = query.filter(assignments::article_id.eq(id));
    }
    let items: Vec<Assignment> = query
        .order((assignments::due_date.desc(), assignments::id.desc()))
        .limit(200)
        .select(Assignment::as_select())
        .load(conn)?;
    let r = Readers::load(conn, &items)?;
    let visible: Vec<&Staff> =
        r.staff.iter().filter(|s| crate::review::model::in_scope(me, &s.ancestry)).collect();
    let mut out = Vec::new();
    for a in &items {
        let audience = a.audience();
        let judged: Vec<Judged> = visible
            .iter()
            .filter_map(|s| {
                let (outcome, at) = r.judge(a, &audience, s, today)?;
                Some(Judged { staff: s, outcome, read_on: at.map(crate::time::local_date) })
            })
            .collect();
        let title = r.title(a.article_id).to_string();
        let (halls, svg) = match article {
            Some(_) => (hall_rows(&r, &judged), Some(chart(&r, a, &title, &judged, today))),
            None => (Vec::new(), None),
        };
        out.push(Progress {
            assignment_id: a.id,
            article_id: a.article_id,
            title,
            version: r.version(a.version_id),
            due_date: a.due_date,
            counts: Counts::of(&judged),
            halls,
            svg,
        });
    }
    Ok(out)
}

/// Articles with an active mandatory item, as (id, current title), by title.
pub fn assigned_articles(conn: &mut Conn) -> QueryResult<Vec<(i32, String)>> {
    use crate::schema::{article_versions, articles};
    let mut rows: Vec<(i32, String)> =
        articles::table
            .inner_join(
                article_versions::table.on(article_versions::article_id
                    .eq(articles::id)
                    .and(article_versions::version.eq(articles::current_version))),
            )
            .filter(articles::id.eq_any(
                assignments::table.filter(assignments::active.eq(true)).select(assignments::article_id),
            ))
            .select((articles::id, article_versions::title))
            .load(conn)?;
    rows.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(rows)
}

use crate::domain::org::{area_rank, AreaRank};

fn hall_rows(r: &Readers, judged: &[Judged]) -> Vec<HallRow> {
    let mut halls: BTreeMap<(AreaRank, String, String), Vec<&Judged>> = BTreeMap::new();
    for j in judged {
        let area = r.tree.area_of(j.staff.hall_id);
        let key =
            (area_rank(area), area.map(|a| a.name.clone()).unwrap_or_default(), r.tree.name(j.staff.hall_id));
        halls.entry(key).or_default().push(j);
    }
    halls
        .into_iter()
        .map(|((_, area, hall), people)| HallRow { area, hall, counts: Counts::of(people) })
        .collect()
}

/// Counted readers' confirm dates, everyone first, then each area.
fn series<'a>(r: &Readers, judged: &'a [Judged<'a>]) -> Vec<(String, Vec<Option<NaiveDate>>)> {
    let counted = |j: &&Judged| !matches!(j.outcome, Outcome::Exempt | Outcome::Joiner);
    let mut out =
        vec![(msg::LEDGER_EVERYONE.to_string(), judged.iter().filter(counted).map(|j| j.read_on).collect())];
    let mut areas: BTreeMap<(AreaRank, String), Vec<Option<NaiveDate>>> = BTreeMap::new();
    for j in judged.iter().filter(counted) {
        let area = r.tree.area_of(j.staff.hall_id);
        areas
            .entry((area_rank(area), area.map(|a| a.name.clone()).unwrap_or_default()))
            .or_default()
            .push(j.read_on);
    }
    if areas.len() > 1 {
        out.extend(areas.into_iter().map(|((_, name), reads)| (name, reads)));
    }
    out
}

const COLORS: [&str; 9] =
    ["#1a202c", "#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b", "#975a16", "#718096"];

/// Read share (0–100 %) by day, one line per group, the due date dashed.
fn chart(r: &Readers, a: &Assignment, title: &str, judged: &[Judged], today: NaiveDate) -> Chart {
    let start = crate::time::local_date(a.assigned_at).min(a.due_date);
    let days = timeline(start, a.due_date, today);
    let (w, h, left, right, top, bottom) = (640.0, 280.0, 44.0, 130.0, 24.0, 36.0);
    let step = (w - left - right) / (days.len().max(2) - 1) as f64;
    let x = |i: usize| left + i as f64 * step;
    let y = |permille: i64| top + (1.0 - permille.clamp(0, 1000) as f64 / 1000.0) * (h - top - bottom);
    let mut svg = Svg::new(w, h, &format!("share-{}", a.id), &msg::ledger_chart_title(title, a.due_date));
    for v in [0, 500, 1000] {
        svg.line((left, y(v)), (w - right, y(v)), "#e2e8f0");
        svg.text(left - 6.0, y(v) + 4.0, &format!("{}%", v / 10)).end();
    }
    if let Some(i) = days.iter().position(|d| *d >= a.due_date) {
        svg.line((x(i), top), (x(i), h - bottom), "#c53030").dash("4 3");
        svg.text(x(i), top - 8.0, msg::LEDGER_DUE_MARK).middle().fill("#c53030");
    }
    let label_every = days.len().div_ceil(8).max(1);
    for (i, d) in days.iter().enumerate() {
        if i % label_every == 0 || i + 1 == days.len() {
            svg.text(x(i), h - bottom + 18.0, &d.format("%m-%d").to_string()).middle();
        }
    }
    for (k, (name, reads)) in series(r, judged).iter().enumerate() {
        let color = COLORS[k % COLORS.len()];
        let points: Vec<(f64, f64)> =
            shares(reads, &days).iter().enumerate().filter_map(|(i, s)| Some((x(i), y((*s)?)))).collect();
        svg.polyline(&points, color).width(if k == 0 { 2.5 } else { 1.5 }).tip(name);
        let ly = top + 8.0 + k as f64 * 18.0;
        svg.rect(w - right + 10.0, ly - 4.0, 14.0, 4.0, color);
        svg.text(w - right + 30.0, ly, name);
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_timeline_runs_past_the_due_date_but_not_past_today() {
        // (assigned, due, today, first, last, points)
        let cases = [
            ("2026-11-01", "2026-11-10", "2026-12-31", "2026-11-01", "2026-11-24", 24),
            ("2026-11-01", "2026-11-10", "2026-11-05", "2026-11-01", "2026-11-05", 5),
            ("2026-11-01", "2026-11-10", "2026-10-20", "2026-11-01", "2026-11-01", 1),
            // Long: by week, ending on the last day.
            ("2026-09-01", "2026-11-30", "2026-12-31", "2026-09-01", "2026-12-14", 16),
        ];
        for (start, due, today, first, last, n) in cases {
            let days = timeline(d(start), d(due), d(today));
            assert_eq!(
                (days[0], *days.last().unwrap(), days.len()),
                (d(first), d(last), n),
                "{start}…{due} on {today}"
            );
        }
    }

    #[test]
    fn shares_count_confirms_by_the_end_of_each_day() {
        let reads = [Some(d("2026-11-02")), Some(d("2026-11-03")), None];
        let days = [d("2026-11-01"), d("2026-11-02"), d("2026-11-03")];
        assert_eq!(shares(&reads, &days), vec![Some(0), Some(333), Some(667)]);
        assert_eq!(shares(&[], &days), vec![None, None, None]);
    }
}
