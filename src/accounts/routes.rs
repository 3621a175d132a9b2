//! Admin pages for accounts: search and filter, details, profile, activation,
//! password reset and role grants.

use std::fmt;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::model::{User, UserFilter};
use crate::auth::role::role_options;
use crate::auth::{rules, Role};
use crate::org::{OrgUnit, UnitKind};
use crate::web::action::{self, Actor, Done};
use crate::web::{msg, pagination, redirect, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default, deserialize_with = "pagination::search_opt")]
    q: Option<String>,
    unit: Option<String>,
    role: Option<String>,
    status: Option<String>,
    #[serde(default, deserialize_with = "pagination::page")]
    page: Option<i64>,
}

impl ListQuery {
    /// The search as asked: active accounts unless another status is chosen.
    fn filter(&self) -> UserFilter {
        UserFilter {
            q: self.q.clone(),
            unit_id: self.unit.as_deref().and_then(|u| u.parse().ok()),
            role: self.role.as_deref().and_then(Role::parse_code),
            active: match self.status.as_deref() {
                Some("active") | None => Some(true),
                Some("inactive") => Some(false),
                _ => None,
            },
        }
    }
}

pub async fn list(ctx: Ctx, state: web::Data<AppState>, q: web::Query<ListQuery>) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let (filter, page) = (q.filter(), q.page);
    let (users, pager, units) = state
        .db(move |conn| {
            let (users, pager) = User::search(conn, &filter, page)?;
            let units = crate::org::rules::tree(&OrgUnit::nodes(conn)?);
            let halls = OrgUnit::halls(conn)?;
            let rows: Vec<_> = users
                .into_iter()
                .map(|u| {
                    let hall = u.hall_id.and_then(|h| halls.iter().find(|x| x.id == h));
                    serde_json::json!({
                        "user": u,
                        "hall": hall.map(|h| h.name.clone()),
                        "area": hall.map(|h| h.area.clone()),
                    })
                })
                .collect();
            Ok((rows, pager, units))
        })
        .await?;
    let mut c = Context::new();
    c.insert("rows", &users);
    c.insert("pager", &pager);
    c.insert("units", &units);
    c.insert("roles", &role_options());
    let query = serde_urlencoded::to_string([
        ("q", q.q.as_deref().unwrap_or_default()),
        ("unit", q.unit.as_deref().unwrap_or_default()),
        ("role", q.role.as_deref().unwrap_or_default()),
        ("status", q.status.as_deref().unwrap_or("active")),
    ])
    .unwrap_or_default();
    c.insert("query", &format!("{query}&"));
    c.insert("q", &q.q.unwrap_or_default());
    c.insert("unit", &q.unit.unwrap_or_default());
    c.insert("role", &q.role.unwrap_or_default());
    c.insert("status", &q.status.unwrap_or_else(|| "active".into()));
    ctx.render("accounts/list.html", c)
}

pub async fn show(ctx: Ctx, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (user, grants, halls, units) = state
        .db(move |conn| {
            let user = User::find(conn, id)?;
            let grants = User::grants(conn, id)?;
            let halls = OrgUnit::halls(conn)?;
            let units = crate::org::rules::tree(&OrgUnit::nodes(conn)?);
            Ok((user, grants, halls, units))
        })
        .await?;
    let mut c = Context::new();
    c.insert("last_login", &user.last_login_at.map(crate::time::local_display));
    c.insert("user", &user);
    c.insert("grants", &grants);
    c.insert("halls", &halls);
    c.insert("units", &units);
    c.insert("roles", &role_options());
    c.insert("temp_password", &take_temp_password(&ctx, id));
    ctx.render("accounts/show.html", c)
}

#[derive(Deserialize)]
pub struct ProfileForm {
    name: String,
    phone: String,
    hall_id: String,
}

pub async fn update(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<ProfileForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let name = form.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 40 {
        return Err(AppError::bad_request(msg::PERSON_NAME_INVALID));
    }
    let phone = crate::roster::rules::parse_phone(&form.phone).map_err(AppError::bad_request)?;
    let hall_id: Option<i32> = form.hall_id.parse().ok();
    action::act(&ctx, &req, &state, &page_of(id), move |conn, actor| {
        if let Some(hall) = hall_id {
            let unit = OrgUnit::find(conn, hall)?;
            if unit.kind() != Some(UnitKind::Hall) || !unit.active {
                return Ok(Err(Refusal::HallNotActive));
            }
        }
        let user = User::find(conn, id)?;
        User::update_profile(conn, id, &name, phone.as_deref(), hall_id)?;
        // Hall roles follow the person to the new hall.
        if let (Some(old), Some(new)) = (user.hall_id, hall_id) {
            User::move_hall_grants(conn, id, old, new)?;
        }
        actor.audit(conn, "user_updated", &describe(&user))?;
        Ok(Ok(msg::SAVED))
    })
    .await
}

/// An account's page, where every action on it returns.
fn page_of(id: i32) -> String {
    format!("/admin/users/{id}")
}

/// Why an account change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The hall asked for is not an active hall.
    HallNotActive,
    /// A role granted on a unit of the wrong kind.
    RoleScope(Role),
    /// An admin deactivating their own account.
    DeactivateSelf,
    /// An admin revoking their own role.
    RevokeOwnRole,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::HallNotActive => f.write_str(msg::HALL_NOT_ACTIVE),
            Refusal::RoleScope(role) => {
                let allowed: Vec<_> = role.scope_kinds().iter().map(|k| k.label()).collect();
                f.write_str(&msg::role_scope_must_be(role.label(), &allowed))
            }
            Refusal::DeactivateSelf => f.write_str(msg::CANNOT_DEACTIVATE_SELF),
            Refusal::RevokeOwnRole => f.write_str(msg::CANNOT_REVOKE_OWN_ROLE),
        }
    }
}

/// The session key of a just-reset password, kept with the user it belongs to.
const TEMP_PASSWORD: &str = "temp_password";

/// The temporary password set for `user_id`, shown once on that user's page only.
fn take_temp_password(ctx: &Ctx, user_id: i32) -> Option<String> {
    match ctx.session.get::<(i32, String)>(TEMP_PASSWORD) {
        Ok(Some((id, password))) if id == user_id => {
            ctx.session.remove(TEMP_PASSWORD);
            Some(password)
        }
        _ => None,
    }
}

fn describe(user: &User) -> String {
    msg::audit_person(&user.name, user.staff_no.as_deref().unwrap_or(&user.username))
}

#[derive(Deserialize)]
pub struct ActiveForm {
    active: bool,
}

pub async fn set_active(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<ActiveForm>,
) -> AppResult<HttpResponse> {
    let (id, active) = (path.into_inner(), form.active);
    if ctx.user()?.id == id && !active {
        return Ok(action::refuse(&ctx, &page_of(id), Refusal::DeactivateSelf));
    }
    action::act(&ctx, &req, &state, &page_of(id), move |conn, actor| {
        let user = User::find(conn, id)?;
        User::set_active(conn, id, active)?;
        let action = if active { "user_activated" } else { "user_deactivated" };
        actor.audit(conn, action, &describe(&user))?;
        Ok(Ok::<_, Refusal>(msg::account_activated(active, &describe(&user))))
    })
    .await
}

/// Sets a random temporary password, shown once to the admin; the user must
/// change it at the next login, and their open sessions end.
pub async fn reset_password(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let temp = rules::temporary_password();
    let hash = state.passwords.hash(temp.clone()).await?;
    // No notice: the page shows the new password instead.
    action::run(&state, Actor::of(&ctx, &req)?, move |conn, actor| {
        let user = User::find(conn, id)?;
        User::set_password(conn, id, &hash, true)?;
        actor.audit(conn, "password_reset", &describe(&user))?;
        Ok(Ok::<_, Refusal>(Done::flash(String::new())))
    })
    .await?
    .map_err(|refusal| AppError::bad_request(refusal.to_string()))?;
    ctx.session.insert(TEMP_PASSWORD, (id, temp)).map_err(AppError::internal)?;
    Ok(redirect(&page_of(id)))
}

#[derive(Deserialize)]
pub struct GrantForm {
    role: String,
    unit_id: i32,
}

pub async fn grant(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<GrantForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let role = Role::parse_code(&form.role).ok_or_else(|| AppError::bad_request(msg::ROLE_INVALID))?;
    let unit_id = form.unit_id;
    action::act(&ctx, &req, &state, &page_of(id), move |conn, actor| {
        let unit = OrgUnit::find(conn, unit_id)?;
        let user = User::find(conn, id)?;
        if !unit.kind().is_some_and(|kind| role.scope_kinds().contains(&kind)) {
            return Ok(Err(Refusal::RoleScope(role)));
        }
        User::grant(conn, id, role, unit_id)?;
        actor.audit(conn, "role_granted", &msg::audit_role(&describe(&user), role.label(), &unit.name))?;
        Ok(Ok(msg::role_granted(role.label(), &unit.name)))
    })
    .await
}

pub async fn revoke(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, grant_id) = path.into_inner();
    if ctx.user()?.id == id {
        return Ok(action::refuse(&ctx, &page_of(id), Refusal::RevokeOwnRole));
    }
    action::act(&ctx, &req, &state, &page_of(id), move |conn, actor| {
        let user = User::find(conn, id)?;
        let grant =
            User::grants(conn, id)?.into_iter().find(|g| g.id == grant_id).ok_or(AppError::NotFound)?;
        User::revoke(conn, id, grant_id)?;
        let label = Role::parse_code(&grant.role).map(Role::label).unwrap_or("");
        actor.audit(conn, "role_revoked", &msg::audit_role(&describe(&user), label, &grant.unit_name))?;
        Ok(Ok::<_, Refusal>(msg::ROLE_REVOKED))
    })
    .await
}
