//! Reading an article: the page (with the reading evidence of a mandatory
//! one), the heartbeat and the confirmation.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::{articles_find, is_editor, my_items, reads_everything};
use crate::auth::{CurrentUser, Role};
use crate::db::{now, write, Conn};
use crate::exam::model::Tree;
use crate::kb::badge::Badges;
use crate::kb::model::{self, Article, Assignment, Item, Member, Reading, Version};
use crate::schema::article_files;
use crate::web::action::{self, Done};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

/// What the reading panel of a mandatory article needs.
#[derive(Serialize)]
struct Evidence {
    version_id: i32,
    needed: i64,
    active_seconds: i32,
    reached_end: bool,
    confirmed_at: String,
    due_date: NaiveDate,
    days_left: i64,
    /// The assignment asks for an earlier version than this one (any later one counts).
    required_version: i32,
}

/// An article as one person sees it.
struct Page {
    article: Article,
    version: Version,
    versions: Vec<Version>,
    evidence: Option<Evidence>,
    item: Option<Item>,
    files: Vec<(i32, String, String)>,
    assignments: Vec<Assignment>,
}

/// GET /kb/{id}: the current version; a mandatory one records the opening
/// and shows the reading panel.
pub async fn show(ctx: Ctx, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    render_article(ctx, state, path.into_inner(), None).await
}

/// GET /kb/{id}/v/{version}: an older version, with a banner.
pub async fn show_version(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, v) = path.into_inner();
    render_article(ctx, state, id, Some(v)).await
}

/// Article `id` (version `asked`, else the current one) if `me` may read it.
/// Opening the current version of an item still to read is recorded.
fn load(
    conn: &mut Conn,
    me: &CurrentUser,
    badges: &Badges,
    id: i32,
    asked: Option<i32>,
) -> AppResult<Option<Page>> {
    let Some(article) = articles_find(conn, id)? else { return Ok(None) };
    let tree = Tree::load(conn)?;
    let member = Member::load(conn, me.id, me.hall_id, &tree)?;
    if !(reads_everything(me) || member.may_read(&article) && article.status == model::PUBLISHED) {
        return Ok(None);
    }
    let number = asked.unwrap_or(article.current_version);
    let Some(version) = Version::of(conn, id, number)? else { return Ok(None) };
    let versions = Version::all(conn, id)?;
    let items = my_items(conn, me, badges)?;
    // Reading evidence only on the current version of an item still to read.
    let item = items.into_iter().find(|i| i.article_id == id && !i.exempt);
    let evidence = match &item {
        Some(i) if asked.is_none() => {
            let reading = write(conn, |conn| Reading::open(conn, me.id, version.id, now()))?;
            Some(Evidence {
                version_id: version.id,
                needed: model::needed_seconds(conn, &version)?,
                active_seconds: reading.active_seconds,
                reached_end: reading.reached_end,
                confirmed_at: reading.confirmed_at.map(crate::time::local_display).unwrap_or_default(),
                due_date: i.due_date,
                days_left: i.days_left,
                required_version: i.version,
            })
        }
        _ => None,
    };
    let files: Vec<(i32, String, String)> = article_files::table
        .filter(article_files::article_id.eq(id))
        .order(article_files::id)
        .select((article_files::id, article_files::filename, article_files::content_type))
        .load(conn)?;
    let assignments = if may_assign(me) { Assignment::for_article(conn, id)? } else { Vec::new() };
    Ok(Some(Page { article, version, versions, evidence, item, files, assignments }))
}

fn may_assign(me: &CurrentUser) -> bool {
    is_editor(me) || me.has_role(Role::Supervisor)
}

async fn render_article(
    ctx: Ctx,
    state: web::Data<AppState>,
    id: i32,
    asked: Option<i32>,
) -> AppResult<HttpResponse> {
    let (me, badges) = (ctx.user()?.clone(), state.kb_badges.clone());
    let page = state.db(move |conn| load(conn, &me, &badges, id, asked)).await?.ok_or(AppError::NotFound)?;
    let Page { article, version, versions, evidence, item, files, assignments } = page;
    let versions: Vec<_> = versions
        .iter()
        .map(|v| {
            let at = crate::time::local_display(v.created_at);
            (v.version, v.title.clone(), at, v.material, v.change_note.clone())
        })
        .collect();
    let mut c = Context::new();
    c.insert("html", &crate::web::markdown::to_safe_html(&version.body));
    c.insert("article", &article);
    c.insert("tags", &article.tag_list());
    c.insert("version", &version);
    c.insert("updated", &crate::time::local_display(version.created_at));
    c.insert("old", &(version.version != article.current_version));
    c.insert("versions", &versions);
    c.insert("evidence", &evidence);
    c.insert("item", &item);
    c.insert("files", &files);
    c.insert("assignments", &assignments);
    c.insert("can_edit", &is_editor(ctx.user()?));
    c.insert("can_assign", &may_assign(ctx.user()?));
    ctx.render("kb/show.html", c)
}

#[derive(Deserialize)]
pub struct BeatForm {
    version_id: i32,
    /// Seconds the page was visible since its last beat.
    seconds: i64,
    #[serde(default)]
    at_end: bool,
}

/// POST /kb/{id}/beat: a heartbeat from the visible page; answers the
/// evidence so far (JSON). Credits no more than the server's clock allows.
pub async fn beat(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<BeatForm>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let id = path.into_inner();
    let f = form.into_inner();
    let out = state
        .db(move |conn| {
            let v = Version::find(conn, f.version_id)?;
            if v.article_id != id {
                return Ok(None);
            }
            let needed = model::needed_seconds(conn, &v)?;
            let r = write(conn, |conn| Reading::beat(conn, me, v.id, f.seconds, f.at_end, now()))?;
            Ok(r.map(|r| (r, needed)))
        })
        .await?;
    let (r, needed) = out.ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "active_seconds": r.active_seconds,
        "needed": needed,
        "reached_end": r.reached_end,
        "can_confirm": r.confirmed_at.is_none() && i64::from(r.active_seconds) >= needed && r.reached_end,
        "confirmed": r.confirmed_at.is_some(),
    })))
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    version_id: i32,
}

/// POST /kb/{id}/confirm: 我已阅读并理解. The server checks the evidence
/// (time read, end reached); a forged confirm is refused. Audited.
pub async fn confirm(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<ConfirmForm>,
) -> AppResult<HttpResponse> {
    let (id, version_id) = (path.into_inner(), form.version_id);
    let (me, badges) = (ctx.user()?.clone(), state.kb_badges.clone());
    action::act(&ctx, &req, &state, &format!("/kb/{id}"), move |conn, actor| {
        let v = Version::find(conn, version_id)?;
        if v.article_id != id {
            return Err(AppError::NotFound);
        }
        let reading = match Reading::confirm_checked(conn, me.id, &v, actor.now())? {
            Ok(reading) => reading,
            Err(why) => return Ok(Err(why)),
        };
        actor.audit(conn, "kb_read", &msg::audit_kb_read(&v.title, v.version, reading.active_seconds))?;
        my_items(conn, &me, &badges)?;
        Ok(Ok(Done::flash(msg::KB_CONFIRMED)))
    })
    .await
}
