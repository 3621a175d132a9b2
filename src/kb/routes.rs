//! Knowledge-base pages: the list and search, reading an article (with the
//! reading evidence of a mandatory one), writing and editing, attachments,
//! assigning as mandatory, a clerk's 必读 list and a hall's reminder list.

use actix_multipart::Multipart;
use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::attachment;
use super::model::{self, Article, ArticleFile, Assignment, Draft, Member, Reading, Version};
use super::rules::{self, ReadStatus};
use crate::auth::{CurrentUser, Role};
use crate::db::{now, write, Conn};
use crate::exam::model::{Audience, Tree};
use crate::schema::{article_files, users};
use crate::web::form::insert_errors;
use crate::web::{client_ip, msg, redirect, AppError, AppResult, Ctx, FieldErrors};
use crate::AppState;

/// Trainers and admins manage every article; supervisors assign within their scope.
fn is_editor(user: &CurrentUser) -> bool {
    user.has_any_role(&[Role::Trainer, Role::Admin])
}

/// Staff who oversee others read every article whatever its audience.
fn reads_everything(user: &CurrentUser) -> bool {
    user.has_any_role(&[Role::Trainer, Role::Admin, Role::Supervisor])
}

fn today() -> NaiveDate {
    crate::time::local_date(now())
}

/// The caller's mandatory items (and the nav badge refreshed with them).
pub fn my_items(conn: &mut Conn, me: &CurrentUser) -> QueryResult<Vec<model::Item>> {
    let tree = Tree::load(conn)?;
    let member = Member::load(conn, me.id, me.hall_id, &tree)?;
    let items = model::items_of(conn, &member, today())?;
    let unread = items.iter().filter(|i| i.status == ReadStatus::Unread && !i.exempt).count();
    super::badge::store(me.id, unread);
    Ok(items)
}

#[derive(Deserialize, Default)]
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

/// GET /kb: search and browse (title and body by substring, category, tag).
pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let q = query.into_inner();
    let (lines, tags, items) = {
        let q = ListQuery { q: q.q.clone(), category: q.category.clone(), tag: q.tag.clone() };
        let me = me.clone();
        state
            .db(move |conn| {
                let items = my_items(conn, &me)?;
                let tree = Tree::load(conn)?;
                let member = Member::load(conn, me.id, me.hall_id, &tree)?;
                let rows = model::search(conn, &q.q, &q.category, &q.tag, is_editor(&me))?;
                let lines: Vec<Line> = rows
                    .into_iter()
                    .filter(|(a, _)| reads_everything(&me) || member.may_read(a))
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
                    .collect();
                Ok((lines, model::all_tags(conn)?, items))
            })
            .await?
    };
    let mut c = Context::new();
    c.insert("lines", &lines);
    c.insert("tags", &tags);
    c.insert("categories", &model::CATEGORIES);
    c.insert("q", &q.q);
    c.insert("category", &q.category);
    c.insert("tag", &q.tag);
    c.insert("unread", &items.iter().filter(|i| i.status == ReadStatus::Unread && !i.exempt).count());
    c.insert("can_edit", &is_editor(&me));
    ctx.render("kb/index.html", c)
}

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

async fn render_article(
    ctx: Ctx,
    state: web::Data<AppState>,
    id: i32,
    asked: Option<i32>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let loaded = state
        .db(move |conn| {
            let Some(article) = articles_find(conn, id)? else { return Ok(None) };
            let tree = Tree::load(conn)?;
            let member = Member::load(conn, me.id, me.hall_id, &tree)?;
            if !(reads_everything(&me) || member.may_read(&article) && article.status == model::PUBLISHED) {
                return Ok(None);
            }
            let number = asked.unwrap_or(article.current_version);
            let Some(version) = Version::of(conn, id, number)? else { return Ok(None) };
            let versions = Version::all(conn, id)?;
            let items = my_items(conn, &me)?;
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
                        confirmed_at: reading
                            .confirmed_at
                            .map(crate::time::local_display)
                            .unwrap_or_default(),
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
            let assignments = if is_editor(&me) || me.has_role(Role::Supervisor) {
                Assignment::for_article(conn, id)?
            } else {
                Vec::new()
            };
            Ok(Some((article, version, versions, evidence, item, files, assignments)))
        })
        .await?;
    let (article, version, versions, evidence, item, files, assignments) =
        loaded.ok_or(AppError::NotFound)?;
    let mut c = Context::new();
    c.insert("html", &crate::web::markdown::to_safe_html(&version.body));
    c.insert("article", &article);
    c.insert("tags", &article.tag_list());
    c.insert("version", &version);
    c.insert("updated", &crate::time::local_display(version.created_at));
    c.insert("old", &(version.version != article.current_version));
    c.insert(
        "versions",
        &versions
            .iter()
            .map(|v| {
                (
                    v.version,
                    v.title.clone(),
                    crate::time::local_display(v.created_at),
                    v.material,
                    v.change_note.clone(),
                )
            })
            .collect::<Vec<_>>(),
    );
    c.insert("evidence", &evidence);
    c.insert("item", &item);
    c.insert("files", &files);
    c.insert("assignments", &assignments);
    c.insert("can_edit", &is_editor(ctx.user()?));
    c.insert("can_assign", &(is_editor(ctx.user()?) || ctx.user()?.has_role(Role::Supervisor)));
    ctx.render("kb/show.html", c)
}

fn articles_find(conn: &mut Conn, id: i32) -> QueryResult<Option<Article>> {
    use crate::schema::articles;
    articles::table.find(id).select(Article::as_select()).first(conn).optional()
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
    let me = ctx.user()?.clone();
    let id = path.into_inner();
    let version_id = form.version_id;
    let ip = client_ip(&req);
    let outcome = state
        .db(move |conn| {
            let v = Version::find(conn, version_id)?;
            if v.article_id != id {
                return Err(AppError::NotFound);
            }
            let needed = model::needed_seconds(conn, &v)?;
            let result = write(conn, |conn| -> diesel::QueryResult<Result<(), rules::ConfirmRefusal>> {
                let reading = Reading::of(conn, me.id, v.id)?;
                let check = rules::check_confirm(
                    reading.is_some(),
                    reading.as_ref().map_or(0, |r| i64::from(r.active_seconds)),
                    reading.as_ref().is_some_and(|r| r.reached_end),
                    reading.as_ref().is_some_and(|r| r.confirmed_at.is_some()),
                    needed,
                );
                match (check, reading) {
                    (Ok(()), Some(r)) => {
                        Reading::confirm(conn, r.id, now())?;
                        crate::audit::record(
                            conn,
                            Some(me.id),
                            "kb_read",
                            &msg::audit_kb_read(&v.title, v.version, r.active_seconds),
                            &ip,
                        )?;
                        Ok(Ok(()))
                    }
                    (Err(why), _) => Ok(Err(why)),
                    (Ok(()), None) => Ok(Err(rules::ConfirmRefusal::NotOpened)),
                }
            })?;
            my_items(conn, &me)?;
            Ok(result)
        })
        .await?;
    match outcome {
        Ok(()) => ctx.flash("success", msg::KB_CONFIRMED),
        Err(why) => ctx.flash("error", msg::kb_confirm_refused(why)),
    }
    Ok(redirect(&format!("/kb/{id}")))
}

/// GET /kb/new.
pub async fn new_form(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let draft = Draft { effective_date: today().to_string(), ..Draft::default() };
    render_form(&ctx, &state, draft, None, FieldErrors::new(), None, false).await
}

async fn render_form(
    ctx: &Ctx,
    state: &AppState,
    draft: Draft,
    id: Option<i32>,
    errors: FieldErrors,
    preview: Option<String>,
    assigned: bool,
) -> AppResult<HttpResponse> {
    let mut c = Context::new();
    c.insert("draft", &draft);
    c.insert("id", &id);
    insert_errors(&mut c, &errors);
    c.insert("preview", &preview);
    c.insert("categories", &model::CATEGORIES);
    c.insert("assigned", &assigned);
    // Areas a notice can be limited to: the city, its district and counties.
    let areas: Vec<(i32, String)> = state
        .db(|conn| {
            let tree = Tree::load(conn)?;
            let mut out: Vec<(i32, String)> =
                crate::org::OrgUnit::root(conn)?.map(|r| (r.id, r.name)).into_iter().collect();
            out.extend(tree.areas().into_iter().map(|a| (a.id, a.name.clone())));
            Ok(out)
        })
        .await?;
    c.insert("areas", &areas);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    ctx.render_status(status, "kb/form.html", c)
}

/// How far ahead a reading may be due (a year).
pub const DUE_MAX_DAYS: i64 = 366;

#[derive(Deserialize)]
pub struct DraftForm {
    #[serde(flatten)]
    draft: Draft,
    /// Present when the 预览 button was pressed.
    #[serde(default)]
    preview: Option<String>,
}

/// POST /kb: creates an article (or shows the preview). Audited.
pub async fn create(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<DraftForm>,
) -> AppResult<HttpResponse> {
    let f = form.into_inner();
    let checked = match f.draft.check() {
        Ok(c) => c,
        Err(errors) => return render_form(&ctx, &state, f.draft, None, errors, None, false).await,
    };
    if f.preview.is_some() {
        let html = crate::web::markdown::to_safe_html(&checked.body);
        return render_form(&ctx, &state, f.draft, None, FieldErrors::new(), Some(html), false).await;
    }
    let (me, ip) = (ctx.user()?.id, client_ip(&req));
    let id = state
        .db(move |conn| {
            write(conn, |conn| {
                let id = Article::create(conn, &checked, me, now())?;
                crate::audit::record(conn, Some(me), "kb_created", &format!("#{id} {}", checked.title), &ip)?;
                Ok(id)
            })
        })
        .await?;
    ctx.flash("success", msg::KB_CREATED);
    Ok(redirect(&format!("/kb/{id}")))
}

/// GET /kb/{id}/edit.
pub async fn edit_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (article, version, assigned) = state
        .db(move |conn| {
            let a = Article::find(conn, id)?;
            let v = Version::of(conn, id, a.current_version)?.ok_or(AppError::NotFound)?;
            let assigned = Assignment::for_article(conn, id)?.iter().any(|x| x.active);
            Ok((a, v, assigned))
        })
        .await?;
    let visible_unit = article.audience().units.first().map(|u| u.to_string()).unwrap_or_default();
    let draft = Draft {
        title: version.title,
        category: article.category,
        tags: article.tags.replace(',', "，"),
        effective_date: article.effective_date.to_string(),
        body: version.body,
        material: None,
        change_note: String::new(),
        visible_unit,
        new_due: String::new(),
    };
    render_form(&ctx, &state, draft, Some(id), FieldErrors::new(), None, assigned).await
}

/// POST /kb/{id}: saves an edit as a new version. A material change of an
/// assigned article needs a new due date: its readers must read again.
pub async fn update(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<DraftForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let f = form.into_inner();
    let assigned =
        state.db(move |conn| Ok(Assignment::for_article(conn, id)?.iter().any(|x| x.active))).await?;
    let mut checked = f.draft.check();
    let material = f.draft.material.is_some();
    let new_due = NaiveDate::parse_from_str(f.draft.new_due.trim(), "%Y-%m-%d").ok();
    if material && assigned {
        let due_error = match new_due {
            Some(d) if d > today() + chrono::Duration::days(DUE_MAX_DAYS) => Some(msg::KB_DUE_TOO_FAR),
            Some(d) if d >= today() => None,
            _ => Some(msg::KB_NEW_DUE_REQUIRED),
        };
        if let Some(text) = due_error {
            let mut errors = checked.err().unwrap_or_default();
            errors.insert("new_due", text.to_string());
            checked = Err(errors);
        }
    }
    let checked = match checked {
        Ok(c) => c,
        Err(errors) => return render_form(&ctx, &state, f.draft, Some(id), errors, None, assigned).await,
    };
    if f.preview.is_some() {
        let html = crate::web::markdown::to_safe_html(&checked.body);
        return render_form(&ctx, &state, f.draft, Some(id), FieldErrors::new(), Some(html), assigned).await;
    }
    let (me, ip) = (ctx.user()?.id, client_ip(&req));
    let note = f.draft.change_note.clone();
    state
        .db(move |conn| {
            write(conn, |conn| {
                let v = Article::edit(conn, id, &checked, material, &note, me, now())?;
                let mut again = 0;
                if let (true, Some(due)) = (material, new_due) {
                    // Every active assignment is asked again for the new version.
                    for a in Assignment::for_article(conn, id)?.into_iter().filter(|a| a.active) {
                        Assignment::insert(conn, id, v.id, &a.audience(), due, a.scope_unit, me, now())?;
                        again += 1;
                    }
                }
                let detail = msg::audit_kb_edit(id, &v.title, v.version, material, again);
                crate::audit::record(conn, Some(me), "kb_edited", &detail, &ip)?;
                Ok(())
            })
        })
        .await?;
    ctx.flash("success", msg::KB_SAVED);
    Ok(redirect(&format!("/kb/{id}")))
}

/// POST /kb/{id}/archive and /kb/{id}/restore.
pub async fn archive(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    set_status(ctx, req, state, path.into_inner(), model::ARCHIVED).await
}

pub async fn restore(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    set_status(ctx, req, state, path.into_inner(), model::PUBLISHED).await
}

async fn set_status(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: i32,
    status: &'static str,
) -> AppResult<HttpResponse> {
    let (me, ip) = (ctx.user()?.id, client_ip(&req));
    state
        .db(move |conn| {
            write(conn, |conn| {
                Article::find(conn, id)?;
                Article::set_status(conn, id, status)?;
                crate::audit::record(conn, Some(me), "kb_status", &format!("#{id} → {status}"), &ip)?;
                Ok(())
            })
        })
        .await?;
    Ok(redirect(&format!("/kb/{id}")))
}

/// Largest attachment.
const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// POST /kb/{id}/files: attaches an image or a file (PNG, JPEG, GIF, WebP,
/// PDF, Office), at most 5 MB; the page shows the Markdown to embed it.
pub async fn upload(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (me, ip) = (ctx.user()?.id, client_ip(&req));
    let (filename, bytes) = crate::web::upload::read_file(form).await?;
    if bytes.len() > MAX_FILE_BYTES {
        ctx.flash("error", msg::KB_FILE_TOO_LARGE);
        return Ok(redirect(&format!("/kb/{id}")));
    }
    let Some(sniffed) = attachment::sniff(&bytes) else {
        ctx.flash("error", msg::KB_FILE_TYPE);
        return Ok(redirect(&format!("/kb/{id}")));
    };
    let (content_type, name) = (sniffed.content_type, attachment::file_name(&filename, sniffed));
    let file_id = state
        .db(move |conn| {
            write(conn, |conn| {
                Article::find(conn, id)?;
                let fid: i32 = diesel::insert_into(article_files::table)
                    .values((
                        article_files::article_id.eq(id),
                        article_files::filename.eq(&name),
                        article_files::content_type.eq(content_type),
                        article_files::content.eq(&bytes),
                        article_files::uploaded_by.eq(Some(me)),
                        article_files::created_at.eq(now()),
                    ))
                    .returning(article_files::id)
                    .get_result(conn)?;
                crate::audit::record(conn, Some(me), "kb_file", &format!("#{id} {name}"), &ip)?;
                Ok(fid)
            })
        })
        .await?;
    ctx.flash("success", msg::kb_file_added(file_id));
    Ok(redirect(&format!("/kb/{id}")))
}

/// GET /kb/files/{id}: an attachment, to signed-in users who may read its article.
pub async fn file(ctx: Ctx, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let id = path.into_inner();
    let f = state
        .db(move |conn| {
            let f: ArticleFile =
                article_files::table.find(id).select(ArticleFile::as_select()).first(conn)?;
            let article = Article::find(conn, f.article_id)?;
            let tree = Tree::load(conn)?;
            let member = Member::load(conn, me.id, me.hall_id, &tree)?;
            Ok((reads_everything(&me) || member.may_read(&article)).then_some(f))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let inline = f.content_type.starts_with("image/") || f.content_type == "application/pdf";
    let disposition = if inline { "inline" } else { "attachment" };
    // Named again from the bytes: files stored before names followed the
    // sniffed type may still end in .html.
    let name = attachment::sniff(&f.content)
        .map_or_else(|| f.filename.clone(), |sniffed| attachment::file_name(&f.filename, sniffed));
    let encoded: String = url_escape(&name);
    Ok(HttpResponse::Ok()
        .content_type(f.content_type.as_str())
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        ))
        .insert_header(("Cache-Control", "private, max-age=3600"))
        .insert_header(("Content-Disposition", format!("{disposition}; filename*=UTF-8''{encoded}")))
        .body(f.content))
}

fn url_escape(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The units an assigner may target: everything for trainers and admins, a
/// supervisor's scope (and below) otherwise.
fn assignable_units(conn: &mut Conn, me: &CurrentUser) -> QueryResult<Vec<(i32, String, i32)>> {
    let tree = Tree::load(conn)?;
    let units = crate::org::OrgUnit::all(conn)?;
    let scopes = me.scopes(Role::Supervisor);
    Ok(units
        .into_iter()
        .filter(|u| u.active)
        .filter(|u| is_editor(me) || tree.ancestry(Some(u.id)).iter().any(|a| scopes.contains(a)))
        .map(|u| {
            let depth = tree.ancestry(Some(u.id)).len() as i32;
            (u.id, u.name, depth)
        })
        .collect())
}

/// GET /kb/{id}/assign.
pub async fn assign_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let id = path.into_inner();
    let (article, title, units) = state
        .db(move |conn| {
            let a = Article::find(conn, id)?;
            let t = model::title_of(conn, &a)?;
            Ok((a, t, assignable_units(conn, &me)?))
        })
        .await?;
    let mut c = Context::new();
    c.insert("article", &article);
    c.insert("title", &title);
    c.insert("units", &units);
    c.insert("roles", &[Role::Clerk, Role::TeamLeader, Role::HallManager].map(|r| (r.code(), r.label())));
    c.insert("errors", &Vec::<String>::new());
    ctx.render("kb/assign.html", c)
}

/// POST /kb/{id}/assign: mandatory for org units × roles plus named people,
/// due by a date. Supervisors only within their scope. Audited.
pub async fn assign(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let id = path.into_inner();
    let ip = client_ip(&req);
    let fields = form.into_inner();
    let all = |k: &str| fields.iter().filter(|(f, _)| f == k).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    let units: Vec<i32> = all("unit").iter().filter_map(|v| v.parse().ok()).collect();
    let roles: Vec<String> = all("role").into_iter().filter(|r| Role::parse_code(r).is_some()).collect();
    let people_text = all("people").join(" ");
    let due = all("due_date").first().and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok());
    let outcome = state
        .db(move |conn| {
            let allowed: Vec<i32> = assignable_units(conn, &me)?.into_iter().map(|u| u.0).collect();
            let mut errors = Vec::new();
            if units.iter().any(|u| !allowed.contains(u)) {
                errors.push(msg::KB_UNIT_NOT_YOURS.to_string());
            }
            let mut include = Vec::new();
            for no in
                people_text.split([' ', ',', '，', '、', '\n', '\r']).map(str::trim).filter(|s| !s.is_empty())
            {
                let found: Option<(i32, Option<i32>)> = users::table
                    .filter(users::staff_no.eq(no).or(users::username.eq(no)))
                    .filter(users::active.eq(true))
                    .select((users::id, users::hall_id))
                    .first(conn)
                    .optional()?;
                match found {
                    Some((uid, hall)) => {
                        let tree = Tree::load(conn)?;
                        if is_editor(&me) || tree.ancestry(hall).iter().any(|a| allowed.contains(a)) {
                            include.push(uid);
                        } else {
                            errors.push(msg::kb_person_not_yours(no));
                        }
                    }
                    None => errors.push(msg::kb_person_unknown(no)),
                }
            }
            if units.is_empty() && include.is_empty() {
                errors.push(msg::KB_AUDIENCE_EMPTY.to_string());
            }
            if !units.is_empty() && roles.is_empty() {
                errors.push(msg::KB_ROLES_EMPTY.to_string());
            }
            match due {
                Some(d) if d > today() + chrono::Duration::days(DUE_MAX_DAYS) => {
                    errors.push(msg::KB_DUE_TOO_FAR.to_string())
                }
                Some(d) if d >= today() => {}
                _ => errors.push(msg::KB_DUE_INVALID.to_string()),
            }
            if !errors.is_empty() {
                return Ok(Err(errors));
            }
            let due = due.unwrap_or_else(today);
            let audience = Audience { units, roles, include, exclude: Vec::new() };
            let scope = if is_editor(&me) { None } else { me.scopes(Role::Supervisor).first().copied() };
            write(conn, |conn| {
                let a = Article::find(conn, id)?;
                let v = Version::of(conn, id, a.current_version)?.ok_or(diesel::result::Error::NotFound)?;
                let aid = Assignment::insert(conn, id, v.id, &audience, due, scope, me.id, now())?;
                crate::audit::record(
                    conn,
                    Some(me.id),
                    "kb_assigned",
                    &msg::audit_kb_assigned(aid, &v.title, due),
                    &ip,
                )?;
                Ok(Ok(()))
            })
        })
        .await?;
    match outcome {
        Ok(()) => {
            ctx.flash("success", msg::KB_ASSIGNED);
            Ok(redirect(&format!("/kb/{id}")))
        }
        Err(errors) => {
            for e in errors {
                ctx.flash("error", e);
            }
            Ok(redirect(&format!("/kb/{id}/assign")))
        }
    }
}

/// POST /kb/assignments/{id}/withdraw: an assigner withdraws a mandatory item
/// (it no longer counts anywhere). Audited.
pub async fn withdraw(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let id = path.into_inner();
    let ip = client_ip(&req);
    let article = state
        .db(move |conn| {
            let a = Assignment::find(conn, id)?;
            let mine =
                is_editor(&me) || a.scope_unit.is_some_and(|u| me.scopes(Role::Supervisor).contains(&u));
            if !mine {
                return Err(AppError::NotFound);
            }
            write(conn, |conn| {
                use crate::schema::assignments;
                diesel::update(assignments::table.find(id))
                    .set(assignments::active.eq(false))
                    .execute(conn)?;
                crate::audit::record(conn, Some(me.id), "kb_withdrawn", &format!("#{id}"), &ip)?;
                Ok(a.article_id)
            })
        })
        .await?;
    ctx.flash("success", msg::KB_WITHDRAWN);
    Ok(redirect(&format!("/kb/{article}")))
}

/// GET /kb/my: my 必读 items and everything I have confirmed.
pub async fn mine(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let (items, history) = state
        .db(move |conn| {
            use crate::schema::{article_versions, readings};
            let items = my_items(conn, &me)?;
            let history: Vec<(i32, i32, String, Option<chrono::NaiveDateTime>, i32)> = readings::table
                .inner_join(article_versions::table)
                .filter(readings::user_id.eq(me.id))
                .filter(readings::confirmed_at.is_not_null())
                .order(readings::confirmed_at.desc())
                .select((
                    article_versions::article_id,
                    article_versions::version,
                    article_versions::title,
                    readings::confirmed_at,
                    readings::active_seconds,
                ))
                .load(conn)?;
            let history: Vec<(i32, i32, String, String, i32)> = history
                .into_iter()
                .map(|(a, v, t, at, s)| (a, v, t, at.map(crate::time::local_display).unwrap_or_default(), s))
                .collect();
            Ok((items, history))
        })
        .await?;
    let mut c = Context::new();
    c.insert("items", &items);
    c.insert("history", &history);
    ctx.render("kb/mine.html", c)
}

/// One person × item of a hall's reminder list.
#[derive(Serialize)]
struct Missing {
    staff_no: String,
    name: String,
    titles: Vec<(String, NaiveDate, i64)>,
}

/// GET /kb/hall: for a team leader or hall manager, who in the hall has not
/// read what (with due dates), and the reminder text for the morning meeting.
pub async fn hall(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let halls: Vec<i32> = [Role::TeamLeader, Role::HallManager].iter().flat_map(|r| me.scopes(*r)).collect();
    let (hall_name, missing) = state
        .db(move |conn| {
            let tree = Tree::load(conn)?;
            let Some(hall) = halls.first().copied() else { return Ok((String::new(), Vec::new())) };
            let staff: Vec<(i32, Option<String>, String, Option<i32>)> = users::table
                .filter(users::active.eq(true))
                .filter(users::hall_id.eq(hall))
                .order(users::staff_no)
                .select((users::id, users::staff_no, users::name, users::hall_id))
                .load(conn)?;
            let mut out = Vec::new();
            for (uid, no, name, hall_id) in staff {
                let member = Member::load(conn, uid, hall_id, &tree)?;
                let items = model::items_of(conn, &member, today())?;
                let titles: Vec<(String, NaiveDate, i64)> = items
                    .into_iter()
                    .filter(|i| i.status == ReadStatus::Unread && !i.exempt)
                    .map(|i| (i.title, i.due_date, i.days_left))
                    .collect();
                if !titles.is_empty() {
                    out.push(Missing { staff_no: no.unwrap_or_default(), name, titles });
                }
            }
            Ok((tree.name(Some(hall)), out))
        })
        .await?;
    let reminder = msg::kb_reminder(
        &hall_name,
        &missing
            .iter()
            .map(|m| {
                (
                    m.name.clone(),
                    m.titles
                        .iter()
                        .map(|t| format!("《{}》（{} 截止）", t.0, t.1))
                        .collect::<Vec<_>>()
                        .join("、"),
                )
            })
            .collect::<Vec<_>>(),
    );
    let mut c = Context::new();
    c.insert("hall", &hall_name);
    c.insert("missing", &missing);
    c.insert("reminder", &reminder);
    ctx.render("kb/hall.html", c)
}
