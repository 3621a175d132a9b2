//! The satisfaction pages: the month per hall (the viewer's scope) with the
//! province's rate, a six-month trend and the complaint words; a hall's
//! clerks, its dissatisfied replies and their words (a word filters the
//! replies).

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::model;
use crate::domain::org::OrgTree;
use crate::domain::{Month, Scope};
use crate::web::month::{asked_month, month_context};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct PageQuery {
    month: Option<String>,
    #[serde(default)]
    word: String,
}

/// The asked month, else last month (the last one whose replies are all in).
fn month_of(q: &PageQuery) -> AppResult<Month> {
    Ok(asked_month(q.month.as_deref(), msg::EXAM_BAD_MONTH)?
        .unwrap_or_else(|| Month::current().previous().unwrap_or_else(Month::current)))
}

/// GET /satisfaction: every hall the viewer oversees.
pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let month = month_of(&q)?;
    let me = ctx.user()?.clone();
    let (months, lines, city, words, importer) = state
        .db(move |conn| {
            let tree = OrgTree::load(conn)?;
            let scope = Scope::with_own_halls(&me);
            let sees = |h: i32| scope.sees(&tree, Some(h));
            let (months, lines, city) = model::hall_lines(conn, &tree, month, sees)?;
            let words = model::city_words(conn, month, sees)?;
            Ok((
                months,
                lines,
                city,
                words,
                me.has_any_role(&[crate::auth::Role::Trainer, crate::auth::Role::Admin]),
            ))
        })
        .await?;
    let mut c = month_context(month);
    c.insert("months", &months);
    c.insert("rate", &crate::domain::score::percent_text(city.rate()));
    c.insert("city", &city);
    c.insert("chart", &super::svg::trend(&months, &lines));
    c.insert("lines", &lines);
    c.insert("words", &words);
    c.insert("importer", &importer);
    ctx.render("satisfaction/index.html", c)
}

/// GET /satisfaction/halls/{id}: a hall's clerks and complaints.
pub async fn hall(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    q: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let hall = path.into_inner();
    let month = month_of(&q)?;
    let me = ctx.user()?.clone();
    let word = q.word.trim().to_string();
    let (name, months, clerks, complaints, words) = state
        .db(move |conn| {
            let tree = OrgTree::load(conn)?;
            let node = tree.node(hall).filter(|n| n.kind == crate::domain::org::UnitKind::Hall);
            let Some(node) = node else { return Err(AppError::NotFound) };
            if !Scope::with_own_halls(&me).sees(&tree, Some(hall)) {
                return Err(AppError::NotFound);
            }
            let name = node.name.clone();
            let (months, clerks) = model::clerk_lines(conn, hall, month)?;
            let (complaints, words) = model::complaints(conn, hall, month)?;
            Ok((name, months, clerks, complaints, words))
        })
        .await?;
    let shown: Vec<&model::Complaint> = match words.iter().find(|w| w.word == word) {
        Some(w) => complaints.iter().filter(|c| w.replies.contains(&c.id)).collect(),
        None => complaints.iter().collect(),
    };
    let mut c = month_context(month);
    c.insert("hall_id", &hall);
    c.insert("hall", &name);
    c.insert("months", &months);
    c.insert("clerks", &clerks);
    c.insert("complaints", &shown);
    c.insert("all_complaints", &complaints.len());
    c.insert("words", &words);
    c.insert("word", &if words.iter().any(|w| w.word == word) { word } else { String::new() });
    ctx.render("satisfaction/hall.html", c)
}
