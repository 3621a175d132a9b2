//! GET /inspections/defects (缺陷库) and GET /inspections/compliance (日检达标):
//! the halls the viewer oversees, the month's figures, the city beside them.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use tera::Context;

use super::MonthQuery;
use crate::domain::score::two_decimals;
use crate::inspect::access::Who;
use crate::inspect::library::{self, Scored};
use crate::inspect::model::Kind;
use crate::web::{msg, AppResult, Ctx};
use crate::AppState;

#[derive(Serialize)]
struct OpenRow {
    hall: String,
    first: bool,
    d: library::OpenDefect,
}

#[derive(Serialize)]
struct HallRow {
    id: i32,
    hall: String,
    area: String,
    open: usize,
    oldest: String,
    daily: String,
    spot: String,
    cross: String,
    overall: String,
    gap: String,
    below: bool,
    zero_hits: i64,
}

fn text(v: Option<i64>) -> String {
    v.map_or_else(|| "—".to_string(), two_decimals)
}

/// The halls the viewer oversees, in the one area order.
fn my_halls(who: &Who) -> Vec<(i32, String)> {
    who.halls().into_iter().map(|h| (h.id, h.name.clone())).collect()
}

pub async fn defects(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let month = q.month();
    let me = ctx.user()?.clone();
    let mut c = state
        .db(move |conn| {
            let who = Who::load(conn, me)?;
            let today = crate::time::local_date(crate::db::now());
            let halls = my_halls(&who);
            let all: Vec<Scored> = library::scored(conn, month)?;
            let open = library::open_defects(conn, today)?;
            let city = library::mean(&all, |_| true);
            let rows: Vec<HallRow> = halls
                .iter()
                .map(|(id, name)| {
                    let of = |k: Kind| library::mean(&all, |s| s.hall == *id && s.kind == k);
                    let overall = library::mean(&all, |s| s.hall == *id);
                    let mine: Vec<_> = open.iter().filter(|d| d.hall_id == *id).collect();
                    HallRow {
                        id: *id,
                        hall: name.clone(),
                        area: who.tree.area_of(Some(*id)).map(|a| a.name.clone()).unwrap_or_default(),
                        open: mine.len(),
                        oldest: mine
                            .iter()
                            .map(|d| d.age_days)
                            .max()
                            .map_or_else(|| "—".into(), |d| d.to_string()),
                        daily: text(of(Kind::Daily)),
                        spot: text(of(Kind::Spot)),
                        cross: text(of(Kind::Cross)),
                        overall: text(overall),
                        gap: match (overall, city) {
                            (Some(o), Some(c)) => crate::domain::score::signed(o - c),
                            _ => "—".into(),
                        },
                        below: matches!((overall, city), (Some(o), Some(c)) if o < c),
                        zero_hits: all.iter().filter(|s| s.hall == *id).map(|s| s.zero_hits).sum(),
                    }
                })
                .collect();
            // The items failed most in the month, city-wide.
            let failed = library::failed_in(conn, month)?;
            let mut by_item: std::collections::BTreeMap<
                (String, String),
                (i64, std::collections::BTreeSet<i32>),
            > = Default::default();
            for (hall, code, name) in &failed {
                let e = by_item.entry((code.clone(), name.clone())).or_default();
                e.0 += 1;
                e.1.insert(*hall);
            }
            let mut top: Vec<(String, String, i64, usize)> =
                by_item.into_iter().map(|((c, n), (k, h))| (c, n, k, h.len())).collect();
            top.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
            top.truncate(10);
            let standard = crate::inspect::standard::Version::current(conn, crate::db::now())?.standard();
            let items: Vec<(String, String)> =
                standard.items.iter().map(|i| (i.code.clone(), i.name.clone())).collect();
            let pairs: Vec<(i32, String)> = failed.iter().map(|(h, c, _)| (*h, c.clone())).collect();
            let heat = crate::inspect::svg::heat_map(
                &halls,
                &items,
                &library::heat(&pairs),
                &msg::inspect_heat_title(month),
            );
            // By hall in the area order, oldest first; the first row of a hall is its anchor.
            let mut listed: Vec<OpenRow> = Vec::new();
            for (id, name) in &halls {
                for (n, d) in open.iter().filter(|d| d.hall_id == *id).enumerate() {
                    listed.push(OpenRow { hall: name.clone(), first: n == 0, d: d.clone() });
                }
            }
            let open = listed;
            let city_kinds: Vec<String> = [Kind::Daily, Kind::Spot, Kind::Cross]
                .into_iter()
                .map(|k| text(library::mean(&all, |s| s.kind == k)))
                .collect();
            let mut c = Context::new();
            c.insert("rows", &rows);
            c.insert("city", &text(city));
            c.insert("city_kinds", &city_kinds);
            c.insert("city_zero", &all.iter().map(|s| s.zero_hits).sum::<i64>());
            c.insert("top", &top);
            c.insert("heat", &heat);
            c.insert("open", &open);
            Ok(c)
        })
        .await?;
    c.insert("month", &month);
    ctx.render("inspect/defects.html", c)
}

#[derive(Serialize)]
struct ComplianceRow {
    hall: String,
    area: String,
    days: i64,
    met: i64,
    share: String,
    missed: Vec<String>,
}

pub async fn compliance(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let month = q.month();
    let me = ctx.user()?.clone();
    let mut c = state
        .db(move |conn| {
            let who = Who::load(conn, me)?;
            let today = crate::time::local_date(crate::db::now());
            let required = crate::settings::number(conn, &crate::settings::INSPECT_DAILY_REQUIRED)?;
            let span = library::counted_days(month, today, library::first_daily_day(conn)?);
            let all = library::compliance(conn, month, today)?;
            let rows: Vec<ComplianceRow> = my_halls(&who)
                .into_iter()
                .map(|(id, hall)| {
                    let c = all.get(&id).cloned().unwrap_or_default();
                    let (days, met, missed) = (c.days, c.met(), c.missed);
                    ComplianceRow {
                        area: who.tree.area_of(Some(id)).map(|a| a.name.clone()).unwrap_or_default(),
                        hall,
                        days,
                        met,
                        share: crate::domain::score::percent_text(crate::domain::score::share(met, days)),
                        missed: missed.iter().map(|(d, n)| msg::inspect_missed_day(*d, *n)).collect(),
                    }
                })
                .collect();
            let mut c = Context::new();
            c.insert("rows", &rows);
            c.insert("required", &required);
            c.insert("span", &span.map(|(a, b)| format!("{a} 至 {b}")));
            c.insert("current", &(month == crate::domain::Month::of_date(today)));
            Ok(c)
        })
        .await?;
    c.insert("month", &month);
    ctx.render("inspect/compliance.html", c)
}
