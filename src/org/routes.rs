//! Admin pages for the org tree: list, add, rename, move, (de)activate.

use std::fmt;

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::QueryResult;
use serde::Deserialize;
use tera::Context;

use super::model::OrgUnit;
use super::rules::{self, UnitKind};
use crate::db::Conn;
use crate::web::action;
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

/// Every org action returns to the tree.
const BACK: &str = "/admin/org";

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
    let form = form.into_inner();
    let kind =
        UnitKind::parse_code(&form.kind).ok_or_else(|| AppError::bad_request(msg::UNIT_KIND_INVALID))?;
    action::act(&ctx, &req, &state, BACK, move |conn, actor| {
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
        actor.audit(conn, "org_created", &msg::audit_unit_created(kind.label(), &name))?;
        Ok(Ok(msg::unit_created(&name)))
    })
    .await
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
    let id = path.into_inner();
    action::act(&ctx, &req, &state, BACK, move |conn, actor| {
        let unit = OrgUnit::find(conn, id)?;
        let nodes = OrgUnit::nodes(conn)?;
        let name = match rules::check_name(&nodes, unit.parent_id, &form.name, Some(id)) {
            Ok(name) => name,
            Err(e) => return Ok(Err(e)),
        };
        OrgUnit::rename(conn, id, &name)?;
        actor.audit(conn, "org_renamed", &msg::audit_unit_renamed(&unit.name, &name))?;
        Ok(Ok(msg::unit_renamed(&name)))
    })
    .await
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
    let (id, parent_id) = (path.into_inner(), form.parent_id);
    action::act(&ctx, &req, &state, BACK, move |conn, actor| {
        let nodes = OrgUnit::nodes(conn)?;
        if let Err(e) = rules::check_move(&nodes, id, parent_id) {
            return Ok(Err(e));
        }
        let (unit, parent) = (OrgUnit::find(conn, id)?, OrgUnit::find(conn, parent_id)?);
        OrgUnit::set_parent(conn, id, parent_id)?;
        actor.audit(conn, "org_moved", &msg::audit_unit_moved(&unit.name, &parent.name))?;
        Ok(Ok(msg::unit_moved(&unit.name, &parent.name)))
    })
    .await
}

#[derive(Deserialize)]
pub struct ActiveForm {
    active: bool,
}

/// Why a unit stays active: people would lose their hall or their scope silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StillInUse {
    /// (unit name, active staff in it or under it).
    Staff(String, i64),
    /// (unit name, active accounts with a role scoped to it or under it).
    Grantees(String, i64),
}

impl fmt::Display for StillInUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StillInUse::Staff(name, n) => f.write_str(&msg::unit_has_active_staff(name, *n)),
            StillInUse::Grantees(name, n) => f.write_str(&msg::unit_has_scoped_roles(name, *n)),
        }
    }
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
    let (id, active) = (path.into_inner(), form.active);
    action::act(&ctx, &req, &state, BACK, move |conn, actor| {
        let unit = OrgUnit::find(conn, id)?;
        if !active {
            if let Some(refusal) = still_in_use(conn, &unit)? {
                return Ok(Err(refusal));
            }
        }
        OrgUnit::set_active(conn, id, active)?;
        let action = if active { "org_activated" } else { "org_deactivated" };
        actor.audit(conn, action, &msg::audit_unit(&unit.name))?;
        Ok(Ok(msg::unit_activated(active, &unit.name)))
    })
    .await
}

/// Whether a unit (with everything under it) still has active staff or grantees.
fn still_in_use(conn: &mut Conn, unit: &OrgUnit) -> QueryResult<Option<StillInUse>> {
    let units = rules::subtree_ids(&OrgUnit::nodes(conn)?, unit.id);
    let staff = OrgUnit::active_staff_in(conn, &units)?;
    if staff > 0 {
        return Ok(Some(StillInUse::Staff(unit.name.clone(), staff)));
    }
    let grantees = crate::accounts::User::count_active_grantees(conn, &units)?;
    Ok((grantees > 0).then(|| StillInUse::Grantees(unit.name.clone(), grantees)))
}

/// Shows an outcome as a green or red flash.
pub fn flash_result(ctx: &Ctx, result: Result<String, String>) {
    match result {
        Ok(text) => ctx.flash("success", text),
        Err(text) => ctx.flash("error", text),
    }
}
