//! GET /kb: the list and search.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::{is_editor, my_items, reads_everything};
use crate::auth::CurrentUser;
use crate::db::Conn;
use crate::exam::model::Tree;
use crate::kb::model::{self, Member};
use crate::kb::rules::ReadStatus;
use crate::web::{AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default, deserialize_with = "crate::web::pagination::search")]
    q: String,
    #[serde(default, deserialize_with = "crate::web::pagination::search")]
    category: String,
    #[serde(default, deserialize_with = "crate::web::pagination::search")]
    tag: String,
}

#[derive(Serialize)]
struct Line {
    id: i32,
    title: String,
    category: String,
    tags: Vec<String>,
    effective_date: NaiveDate,
    version: i32,
    archived: bool,
    due: Option<NaiveDate>,
    status: Option<ReadStatus>,
    snippet: String,
}

/// Up to 80 characters of the body around the first match (plain text).
fn snippet(body: &str, q: &str) -> String {
    let text: String = body.chars().filter(|c| !"#*|>`".contains(*c)).collect();
    let chars: Vec<char> = text.chars().collect();
    let start = if q.is_empty() {
        0
    } else {
        text.find(q).map(|b| text[..b].chars().count()).unwrap_or(0).saturating_sub(20)
    };
    let s: String = chars.iter().skip(start).take(80).collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The lines `me` may read that match the query, with their 必读 state from `items`.
fn lines(conn: &mut Conn, me: &CurrentUser, q: &ListQuery, items: &[model::Item]) -> AppResult<Vec<Line>> {
    let tree = Tree::load(conn)?;
    let member = Member::load(conn, me.id, me.hall_id, &tree)?;
    let rows = model::search(conn, &q.q, &q.category, &q.tag, is_editor(me))?;
    Ok(rows
        .into_iter()
        .filter(|(a, _)| reads_everything(me) || member.may_read(a))
        .map(|(a, v)| {
            let item = items.iter().find(|i| i.article_id == a.id);
            Line {
                id: a.id,
                title: v.title.clone(),
                category: a.category.clone(),
                tags: a.tag_list(),
                effective_date: a.effective_date,
                version: v.version,
                archived: a.status == model::ARCHIVED,
                due: item.map(|i| i.due_date),
                status: item.map(|i| i.status),
                snippet: snippet(&v.body, q.q.trim()),
            }
        })
        .collect())
}

/// GET /kb: search and browse (title and body by substring, category, tag).
pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let q = query.into_inner();
    let (badges, shown) = (state.kb_badges.clone(), q.clone());
    let (lines, tags, items) = state
        .db(move |conn| {
            let items = my_items(conn, &me, &badges)?;
            Ok((lines(conn, &me, &shown, &items)?, model::all_tags(conn)?, items))
        })
        .await?;
    let mut c = Context::new();
    c.insert("lines", &lines);
    c.insert("tags", &tags);
    c.insert("categories", &model::CATEGORIES);
    c.insert("q", &q.q);
    c.insert("category", &q.category);
    c.insert("tag", &q.tag);
    c.insert("unread", &items.iter().filter(|i| i.status == ReadStatus::Unread && !i.exempt).count());
    c.insert("can_edit", &is_editor(ctx.user()?));
    ctx.render("kb/index.html", c)
}
