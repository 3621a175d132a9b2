//! The trainers' list of business types drilled (开户, 过户…), each with its
//! target time. Types are retired, never deleted: old drills keep their type.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::db::write;
use crate::training::drills::form::check_type;
use crate::training::drills::model::{self, DrillType};
use crate::training::drills::rules::duration_text;
use crate::web::{client_ip, msg, redirect, AppError, AppResult, Ctx};
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
    let (me, ip) = (ctx.user()?.id, client_ip(&req));
    let f = form.clone();
    let outcome = state
        .db(move |conn| {
            write(conn, |conn| {
                let all = DrillType::all(conn)?;
                if id.is_some_and(|id| !all.iter().any(|t| t.id == id)) {
                    return Err(AppError::NotFound);
                }
                let taken: Vec<&str> =
                    all.iter().filter(|t| Some(t.id) != id).map(|t| t.name.as_str()).collect();
                let fields = match check_type(&f.name, &f.target, &f.position, &taken) {
                    Ok(fields) => fields,
                    Err(errors) => return Ok(Err(errors)),
                };
                // A new type starts active; an edit takes the checkbox.
                let active = id.is_none() || f.active.is_some();
                let saved = model::save_type(conn, id, &fields, active)?;
                let detail = msg::audit_drill_type(saved, &fields.name, fields.target_seconds, active);
                crate::audit::record(conn, Some(me), "drill_type_save", &detail, &ip)?;
                Ok(Ok(fields.name))
            })
        })
        .await?;
    match outcome {
        Ok(name) => {
            ctx.flash("success", msg::drill_type_saved(&name));
            Ok(redirect("/training/drills/types"))
        }
        Err(errors) => render(&ctx, &state, Some(Draft { id, form }), errors).await,
    }
}
