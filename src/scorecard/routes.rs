//! The scorecard pages: the table on each level (in the viewer's scope,
//! sortable, month by month), one clerk's card, the clerk's own card, and
//! the workbook.

use crate::domain::Month;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::rules::{self, Metric, Scorecard};
use super::{export, model, svg, view, visible, Level, Scope, Visible};
use crate::auth::CurrentUser;
use crate::exam::model::Tree;
use crate::web::month::{valid_month_or_this, MonthQuery};
use crate::web::{xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

/// Months the trend goes back.
const TREND_MONTHS: usize = 12;

#[derive(Debug, Default, Deserialize)]
pub struct TableQuery {
    month: Option<String>,
    level: Option<String>,
    #[serde(default)]
    area: String,
    #[serde(default)]
    hall: String,
    /// A metric's code.
    #[serde(default)]
    sort: String,
    /// "worst" for worst first.
    #[serde(default)]
    dir: String,
}

/// A scorecard page's context: the month, the months around it, the columns.
fn month_context(month: Month) -> Context {
    let mut c = crate::web::month::month_context(month);
    c.insert("columns", &view::columns());
    c
}

/// The month's scorecard and what `me` may see of it.
async fn load(state: &AppState, me: &CurrentUser, month: Month) -> AppResult<(Scorecard, Visible)> {
    let scope = Scope::with_own_halls(me);
    state
        .db(move |conn| {
            let card = model::load(conn, month)?;
            let seen = visible(&card, &scope, &Tree::load(conn)?);
            Ok((card, seen))
        })
        .await
}

/// What the table shows, as asked in the query.
struct Choice {
    month: Month,
    level: Level,
    area: Option<i32>,
    hall: Option<i32>,
    sort: Option<Metric>,
    worst: bool,
}

impl Choice {
    fn parse(q: TableQuery) -> Choice {
        Choice {
            month: valid_month_or_this(q.month.as_deref()),
            level: q.level.as_deref().and_then(Level::parse).unwrap_or(Level::Clerk),
            area: q.area.trim().parse().ok(),
            hall: q.hall.trim().parse().ok(),
            sort: Metric::parse(&q.sort),
            worst: q.dir == "worst",
        }
    }

    /// The page's context for these choices: the tabs, the filter, the sort links.
    fn context(&self) -> Context {
        let mut c = month_context(self.month);
        let dir = if self.worst { "worst" } else { "best" };
        let sort = self.sort.map(Metric::code).unwrap_or_default();
        c.insert("level", self.level.code());
        c.insert("levels", &Level::ALL.iter().map(|l| (l.code(), l.label())).collect::<Vec<_>>());
        c.insert("title", &crate::web::msg::scorecard_title(self.month, self.level.label()));
        c.insert("area", &self.area);
        c.insert("hall", &self.hall);
        c.insert("sort", sort);
        c.insert("dir", dir);
        c.insert("sorts", &crate::web::msg::SCORECARD_SORTS);
        // For screen readers: best first is descending, unless lower is better.
        let descending = self.sort.is_some_and(|m| m.higher_is_better() != self.worst);
        c.insert("aria_sort", if descending { "descending" } else { "ascending" });
        let id = |id: Option<i32>| id.map(|i| i.to_string()).unwrap_or_default();
        let filter = format!("&level={}&area={}&hall={}", self.level.code(), id(self.area), id(self.hall));
        c.insert("query", &format!("month={}{filter}", self.month));
        // The month links keep the level, the filter and the order.
        c.insert("keep", &format!("{filter}&sort={sort}&dir={dir}"));
        c
    }
}

/// GET /scorecard: every metric of each clerk (or hall, or area) with the
/// hall, area and city figures beside it; filter by area and hall, sort by a metric.
pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<TableQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let ch = Choice::parse(q.into_inner());
    let (card, mut seen) = load(&state, &me, ch.month).await?;
    let mut c = ch.context();
    // The filter's choices: the areas and halls in scope.
    let areas: Vec<(i32, String)> = seen.areas.iter().filter_map(|a| Some((a.id?, a.name.clone()))).collect();
    let halls: Vec<(i32, String)> = seen
        .halls
        .iter()
        .filter(|h| ch.area.is_none() || h.area_id == ch.area)
        .filter_map(|h| Some((h.id?, h.name.clone())))
        .collect();
    c.insert("area_options", &areas);
    c.insert("hall_options", &halls);
    seen.only(ch.area, ch.hall);
    rules::sort_clerks(&mut seen.clerks, ch.sort, ch.worst);
    rules::sort_rollups(&mut seen.halls, ch.sort, ch.worst);
    rules::sort_rollups(&mut seen.areas, ch.sort, ch.worst);
    let target = card.study_target;
    c.insert("clerks", &seen.clerks.iter().map(view::clerk_row).collect::<Vec<_>>());
    let rollups = if ch.level == Level::County { &seen.areas } else { &seen.halls };
    c.insert("rows", &rollups.iter().map(|r| view::rollup_row(r, target)).collect::<Vec<_>>());
    c.insert("city", &view::rollup_row(&seen.city, target));
    ctx.render("scorecard/index.html", c)
}

/// GET /scorecard/export.xlsx: the three levels, one sheet each, in the viewer's scope.
pub async fn export_xlsx(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let month = valid_month_or_this(q.month.as_deref());
    let (card, seen) = load(&state, &me, month).await?;
    let bytes = export::write_xlsx(month, &seen, card.study_target).map_err(AppError::internal)?;
    Ok(xlsx_response(bytes, &format!("scorecard-{month}.xlsx")))
}

/// Renders one clerk's card with their trend; None when they are not on the month's scorecard.
async fn card_page(
    ctx: &Ctx,
    state: &AppState,
    card: &Scorecard,
    user_id: i32,
    own: bool,
) -> AppResult<HttpResponse> {
    let month = card.month;
    let mut c = month_context(month);
    c.insert("own", &own);
    let Some(clerk) = card.clerk(user_id) else {
        c.insert("row", &None::<view::ClerkRow>);
        return ctx.render("scorecard/card.html", c);
    };
    let points = state.db(move |conn| Ok(model::trend(conn, user_id, month, TREND_MONTHS)?)).await?;
    let hall = card.halls.iter().find(|h| h.id == Some(clerk.facts.hall_id));
    c.insert("row", &Some(view::clerk_row(clerk)));
    c.insert("hall_study", &hall.map(|h| view::rollup_row(h, card.study_target)));
    c.insert("trend_svg", &svg::trend_svg(&points));
    c.insert("trend", &points.iter().map(trend_text).collect::<Vec<_>>());
    ctx.render("scorecard/card.html", c)
}

/// (month, exam, phone) as shown under the chart.
pub fn trend_text(p: &model::TrendPoint) -> (String, String, String) {
    (p.month.to_string(), Metric::Exam.text(p.exam), Metric::Phone.text(p.phone))
}

/// GET /scorecard/clerk/{id}: one clerk's card, for whoever has them in scope
/// (a clerk only their own: another clerk's card is not found).
pub async fn clerk(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let id = path.into_inner();
    let month = valid_month_or_this(q.month.as_deref());
    let (card, seen) = load(&state, &me, month).await?;
    // Out of scope answers like an unknown id, so probing ids tells nobody
    // which numbers are real clerks.
    let in_scope = id == me.id || seen.clerks.iter().any(|c| c.facts.user_id == id);
    if card.clerk(id).is_none() || !in_scope {
        return Err(AppError::NotFound);
    }
    card_page(&ctx, &state, &card, id, id == me.id).await
}

/// GET /my/scorecard: the signed-in clerk's own card.
pub async fn mine(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let month = valid_month_or_this(q.month.as_deref());
    let card = state.db(move |conn| Ok(model::load(conn, month)?)).await?;
    card_page(&ctx, &state, &card, me.id, true).await
}

/// The clerk home's part: this month's card (None when not a clerk on it) and the trend chart.
/// The city-wide months behind it come from the shared [`cache::HomeCache`].
pub fn home_parts(
    conn: &mut crate::db::Conn,
    cache: &super::cache::HomeCache,
    user_id: i32,
) -> diesel::QueryResult<(Option<view::ClerkRow>, Option<crate::web::chart::Chart>)> {
    let month = Month::current();
    let card = cache.card(month, || model::load(conn, month))?;
    let row = card.clerk(user_id).map(view::clerk_row);
    let points = model::trend_with(conn, user_id, month, TREND_MONTHS, |conn, m| {
        cache.exam_scores(m, || model::exam_scores(conn, m))
    })?;
    Ok((row, svg::trend_svg(&points)))
}
