//! Writing and editing an article, archiving and restoring it.

use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use std::convert::Infallible;
use tera::Context;

use super::{due_error, today};
use crate::exam::model::Tree;
use crate::kb::model::{self, Article, Assignment, Draft, Version};
use crate::web::action::{self, Done};
use crate::web::form::insert_errors;
use crate::web::{msg, AppError, AppResult, Ctx, FieldErrors};
use crate::AppState;

/// GET /kb/new.
pub async fn new_form(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let draft = Draft { effective_date: today().to_string(), ..Draft::default() };
    render_form(&ctx, &state, Form { draft, ..Form::default() }).await
}

/// The article form as shown: the draft, the article (None: a new one), the
/// errors, the preview's HTML and whether it is assigned.
#[derive(Default)]
struct Form {
    draft: Draft,
    id: Option<i32>,
    errors: FieldErrors,
    preview: Option<String>,
    assigned: bool,
}

async fn render_form(ctx: &Ctx, state: &AppState, form: Form) -> AppResult<HttpResponse> {
    let mut c = Context::new();
    c.insert("draft", &form.draft);
    c.insert("id", &form.id);
    insert_errors(&mut c, &form.errors);
    c.insert("preview", &form.preview);
    c.insert("categories", &model::CATEGORIES);
    c.insert("assigned", &form.assigned);
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
    let status = if form.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    ctx.render_status(status, "kb/form.html", c)
}

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
    let DraftForm { draft, preview } = form.into_inner();
    let checked = match draft.check() {
        Ok(c) => c,
        Err(errors) => return render_form(&ctx, &state, Form { draft, errors, ..Form::default() }).await,
    };
    if preview.is_some() {
        let preview = Some(crate::web::markdown::to_safe_html(&checked.body));
        return render_form(&ctx, &state, Form { draft, preview, ..Form::default() }).await;
    }
    action::act(&ctx, &req, &state, "/kb", move |conn, actor| {
        let id = Article::create(conn, &checked, actor.id, actor.now())?;
        actor.audit(conn, "kb_created", &format!("#{id} {}", checked.title))?;
        Ok(Ok::<_, Infallible>(Done::then(msg::KB_CREATED, format!("/kb/{id}"))))
    })
    .await
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
    render_form(&ctx, &state, Form { draft, id: Some(id), assigned, ..Form::default() }).await
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
    let (id, DraftForm { draft, preview }) = (path.into_inner(), form.into_inner());
    let assigned =
        state.db(move |conn| Ok(Assignment::for_article(conn, id)?.iter().any(|x| x.active))).await?;
    let mut checked = draft.check();
    let material = draft.material.is_some();
    let new_due = NaiveDate::parse_from_str(draft.new_due.trim(), "%Y-%m-%d").ok();
    if let Some(text) = due_error(new_due, msg::KB_NEW_DUE_REQUIRED).filter(|_| material && assigned) {
        let mut errors = checked.err().unwrap_or_default();
        errors.insert("new_due", text.to_string());
        checked = Err(errors);
    }
    let form = Form { id: Some(id), assigned, ..Form::default() };
    let checked = match checked {
        Ok(c) => c,
        Err(errors) => return render_form(&ctx, &state, Form { draft, errors, ..form }).await,
    };
    if preview.is_some() {
        let preview = Some(crate::web::markdown::to_safe_html(&checked.body));
        return render_form(&ctx, &state, Form { draft, preview, ..form }).await;
    }
    let note = draft.change_note;
    action::act(&ctx, &req, &state, &format!("/kb/{id}"), move |conn, actor| {
        let v = Article::edit(conn, id, &checked, material, &note, actor.id, actor.now())?;
        let again = match (material, new_due) {
            (true, Some(due)) => Assignment::ask_again(conn, id, v.id, due, actor.id, actor.now())?,
            _ => 0,
        };
        // The questions it teaches wait for a trainer's review (待复核).
        let flagged = crate::bank::sources::flag_on_change(conn, id, v.version, material, actor.now())?;
        actor.audit(
            conn,
            "kb_edited",
            &msg::audit_kb_edit(id, &v.title, v.version, material, again, flagged),
        )?;
        Ok(Ok::<_, Infallible>(Done::flash(msg::kb_saved(flagged))))
    })
    .await
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
    let actor = action::Actor::of(&ctx, &req)?;
    // No notice: the page shows the new status.
    let _done = action::run(&state, actor, move |conn, actor| {
        Article::find(conn, id)?;
        Article::set_status(conn, id, status)?;
        actor.audit(conn, "kb_status", &format!("#{id} → {status}"))?;
        Ok(Ok::<_, Infallible>(Done::flash(String::new())))
    })
    .await?;
    Ok(crate::web::redirect(&format!("/kb/{id}")))
}
