//! Admin pages for the org tree: list, add, rename, move, (de)activate.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::model::OrgUnit;
use super::rules::{self, UnitKind};
use crate::audit;
use crate::db::write;
use crate::web::{client_ip, msg, redirect, AppError, AppResult, Ctx};
use crate::AppState;

pub async fn index(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let (rows, has_root) = state
        .db(|conn| {
            let nodes = OrgUnit::nodes(conn)?;
            let has_root = nodes.iter().any(|n| n.kind == UnitKind::City);
            Ok((rules::tree(&nodes), has_root))
        })
        .await?;
    let parents: Vec<_> = rows.iter().filter(|r| r.kind != "hall" && r.active).cloned().collect();
    let mut c = Context::new();
    c.insert("rows", &rows);
    c.insert("parents", &parents);
    c.insert("has_root", &has_root);
    ctx.render("org/index.html", c)
}

#[derive(Deserialize)]
pub struct CreateForm {
    parent_id: Option<i32>,
    kind: String,
    name: String,
}

pub async fn create(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CreateForm>,
) -> AppResult<HttpResponse> {
    let actor = ctx.user()?.id;
    let ip = client_ip(&req);
    let form = form.into_inner();
    let kind =
        UnitKind::parse_code(&form.kind).ok_or_else(|| AppError::bad_request(msg::UNIT_KIND_INVALID))?;
    let result = state
        .db(move |conn| {
            write(conn, |conn| {
                let nodes = OrgUnit::nodes(conn)?;
                let parent = form.parent_id.and_then(|p| nodes.iter().find(|n| n.id == p));
                if form.parent_id.is_some() && parent.is_none() {
                    return Ok(Err(msg::PARENT_UNIT_NOT_FOUND.to_string()));
                }
                if let Err(e) = rules::check_parent(kind, parent, &nodes) {
                    return Ok(Err(e));
                }
                let name = match rules::check_name(&nodes, form.parent_id, &form.name, None) {
                    Ok(name) => name,
                    Err(e) => return Ok(Err(e)),
                };
                OrgUnit::insert(conn, form.parent_id, kind, &name)?;
                let detail = msg::audit_unit_created(kind.label(), &name);
                audit::record(conn, Some(actor), "org_created", &detail, &ip)?;
                Ok(Ok(name))
            })
        })
        .await?;
    flash_result(&ctx, result.map(|name| msg::unit_created(&name)));
    Ok(redirect("/admin/org"))
}

#[derive(Deserialize)]
pub struct RenameForm {
    name: String,
}

pub async fn rename(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<RenameForm>,
) -> AppResult<HttpResponse> {
    let (actor, ip, id) = (ctx.user()?.id, client_ip(&req), path.into_inner());
    let result = state
        .db(move |conn| {
            write(conn, |conn| {
                let unit = OrgUnit::find(conn, id)?;
                let nodes = OrgUnit::nodes(conn)?;
                let name = match rules::check_name(&nodes, unit.parent_id, &form.name, Some(id)) {
                    Ok(name) => name,
                    Err(e) => return Ok(Err(e)),
                };
                OrgUnit::rename(conn, id, &name)?;
                let detail = msg::audit_unit_renamed(&unit.name, &name);
                audit::record(conn, Some(actor), "org_renamed", &detail, &ip)?;
                Ok(Ok(msg::unit_renamed(&name)))
            })
        })
        .await?;
    flash_result(&ctx, result);
    Ok(redirect("/admin/org"))
}

#[derive(Deserialize)]
pub struct MoveForm {
    parent_id: i32,
}

pub async fn move_unit(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<MoveForm>,
) -> AppResult<HttpResponse> {
    let (actor, ip, id, parent_id) = (ctx.user()?.id, client_ip(&req), path.into_inner(), form.parent_id);
    let result = state
        .db(move |conn| {
            write(conn, |conn| {
                let nodes = OrgUnit::nodes(conn)?;
                if let Err(e) = rules::check_move(&nodes, id, parent_id) {
                    return Ok(Err(e));
                }
                let (unit, parent) = (OrgUnit::find(conn, id)?, OrgUnit::find(conn, parent_id)?);
                OrgUnit::set_parent(conn, id, parent_id)?;
                let detail = msg::audit_unit_moved(&unit.name, &parent.name);
                audit::record(conn, Some(actor), "org_moved", &detail, &ip)?;
                Ok(Ok(msg::unit_moved(&unit.name, &parent.name)))
            })
        })
        .await?;
    flash_result(&ctx, result);
    Ok(redirect("/admin/org"))
}

#[derive(Deserialize)]
pub struct ActiveForm {
    active: bool,
}

/// Deactivation is refused while active staff still belong to the unit: they
/// would lose their hall silently. Move or deactivate them first.
pub async fn set_active(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<ActiveForm>,
) -> AppResult<HttpResponse> {
    let (actor, ip, id, active) = (ctx.user()?.id, client_ip(&req), path.into_inner(), form.active);
    let result = state
        .db(move |conn| {
            write(conn, |conn| {
                let unit = OrgUnit::find(conn, id)?;
                if !active {
                    let nodes = OrgUnit::nodes(conn)?;
                    let units = rules::subtree_ids(&nodes, id);
                    let staff = OrgUnit::active_staff_in(conn, &units)?;
                    if staff > 0 {
                        return Ok(Err(msg::unit_has_active_staff(&unit.name, staff)));
                    }
                    let grantees = crate::accounts::User::count_active_grantees(conn, &units)?;
                    if grantees > 0 {
                        return Ok(Err(msg::unit_has_scoped_roles(&unit.name, grantees)));
                    }
                }
                OrgUnit::set_active(conn, id, active)?;
                let action = if active { "org_activated" } else { "org_deactivated" };
                audit::record(conn, Some(actor), action, &msg::audit_unit(&unit.name), &ip)?;
                Ok(Ok(msg::unit_activated(active, &unit.name)))
            })
        })
        .await?;
    flash_result(&ctx, result);
    Ok(redirect("/admin/org"))
}

/// Shows an outcome as a green or red flash.
pub fn flash_result(ctx: &Ctx, result: Result<String, String>) {
    match result {
        Ok(text) => ctx.flash("success", text),
        Err(text) => ctx.flash("error", text),
    }
}
