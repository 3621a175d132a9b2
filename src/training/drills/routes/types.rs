//! The trainers' list of business types drilled (开户, 过户…), each with its
//! target time. Types are retired, never deleted: old drills keep their type.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::db::Conn;
use crate::training::drills::form::check_type;
use crate::training::drills::model::{self, DrillType};
use crate::training::drills::rules::duration_text;
use crate::web::action::{self, Actor, Done};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

/// A type's form as typed (`id` None: the form that adds one).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TypeForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub position: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub active: Option<String>,
}

#[derive(Serialize)]
struct Draft {
    id: Option<i32>,
    form: TypeForm,
}

/// A type's row of the page: the stored values, or what was typed when its save failed.
#[derive(Serialize)]
struct TypeRow {
    id: i32,
    name: String,
    target: String,
    /// The stored target as a time ("10分00秒").
    target_text: String,
    position: String,
    active: bool,
    failed: bool,
}

fn row(t: DrillType, draft: Option<&Draft>) -> TypeRow {
    let target_text = duration_text(t.target_seconds);
    match draft.filter(|d| d.id == Some(t.id)) {
        Some(d) => TypeRow {
            id: t.id,
            name: d.form.name.clone(),
            target: d.form.target.clone(),
            target_text,
            position: d.form.position.clone(),
            active: d.form.active.is_some(),
            failed: true,
        },
        None => TypeRow {
            id: t.id,
            name: t.name,
            target: t.target_seconds.to_string(),
            target_text,
            position: t.position.to_string(),
            active: t.active,
            failed: false,
        },
    }
}

/// GET /training/drills/types.
pub async fn index(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    render(&ctx, &state, None, Vec::new()).await
}

async fn render(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    draft: Option<Draft>,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let types = state.db(|conn| Ok(DrillType::all(conn)?)).await?;
    let next_position = types.iter().map(|t| t.position).max().unwrap_or(0) + 1;
    let adding = match draft.as_ref().filter(|d| d.id.is_none()) {
        Some(d) => d.form.clone(),
        None => TypeForm { position: next_position.to_string(), ..Default::default() },
    };
    let rows: Vec<TypeRow> = types.into_iter().map(|t| row(t, draft.as_ref())).collect();
    let mut c = Context::new();
    c.insert("rows", &rows);
    c.insert("adding", &adding);
    c.insert("errors", &errors);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    ctx.render_status(status, "training/drill_types.html", c)
}

/// POST /training/drills/types: adds a type.
pub async fn create(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<TypeForm>,
) -> AppResult<HttpResponse> {
    save(ctx, req, state, None, form.into_inner()).await
}

/// POST /training/drills/types/{id}: edits a type (name, target, order, active).
pub async fn update(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<TypeForm>,
) -> AppResult<HttpResponse> {
    save(ctx, req, state, Some(path.into_inner()), form.into_inner()).await
}

async fn save(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: Option<i32>,
    form: TypeForm,
) -> AppResult<HttpResponse> {
    let f = form.clone();
    let outcome =
        action::run(&state, Actor::of(&ctx, &req)?, move |conn, actor| store(conn, actor, id, &f)).await?;
    match outcome {
        Ok(done) => Ok(action::answer(&ctx, "/training/drills/types", Ok::<_, Refused>(done))),
        Err(Refused(errors)) => render(&ctx, &state, Some(Draft { id, form }), errors).await,
    }
}

/// A type's form sent back with what is wrong with it.
struct Refused(Vec<String>);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(msg::LIST_SEPARATOR))
    }
}

/// Adds (`id` None) or edits a type with the audit line.
fn store(conn: &mut Conn, actor: &Actor, id: Option<i32>, f: &TypeForm) -> AppResult<Result<Done, Refused>> {
    let all = DrillType::all(conn)?;
    if id.is_some_and(|id| !all.iter().any(|t| t.id == id)) {
        return Err(AppError::NotFound);
    }
    let taken: Vec<&str> = all.iter().filter(|t| Some(t.id) != id).map(|t| t.name.as_str()).collect();
    let fields = match check_type(&f.name, &f.target, &f.position, &taken) {
        Ok(fields) => fields,
        Err(errors) => return Ok(Err(Refused(errors))),
    };
    // A new type starts active; an edit takes the checkbox.
    let active = id.is_none() || f.active.is_some();
    let saved = model::save_type(conn, id, &fields, active)?;
    actor.audit(
        conn,
        "drill_type_save",
        &msg::audit_drill_type(saved, &fields.name, fields.target_seconds, active),
    )?;
    Ok(Ok(Done::flash(msg::drill_type_saved(&fields.name))))
}
