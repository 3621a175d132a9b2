//! Assigning an article as mandatory, and withdrawing it.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use std::convert::Infallible;
use tera::Context;

use super::{due_error, is_editor, today};
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::exam::model::{Audience, Tree};
use crate::kb::model::{self, Article, Assignment, Version};
use crate::schema::users;
use crate::web::action::{self, Actor, Done};
use crate::web::{msg, redirect, AppError, AppResult, Ctx};
use crate::AppState;

/// The units an assigner may target: everything for trainers and admins, a
/// supervisor's scope (and below) otherwise.
fn assignable_units(conn: &mut Conn, tree: &Tree, me: &CurrentUser) -> QueryResult<Vec<(i32, String, i32)>> {
    // In the org tree's order: the city, the city district, the counties, each with its halls.
    let units = crate::org::rules::tree(&crate::org::OrgUnit::nodes(conn)?);
    let scopes = me.scopes(Role::Supervisor);
    Ok(units
        .into_iter()
        .filter(|u| u.active)
        .filter(|u| is_editor(me) || tree.ancestry(Some(u.id)).iter().any(|a| scopes.contains(a)))
        .map(|u| (u.id, u.name, u.depth as i32 + 1))
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
            let tree = Tree::load(conn)?;
            Ok((a, t, assignable_units(conn, &tree, &me)?))
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

/// What the assignment form asks for, as typed.
struct Asked {
    units: Vec<i32>,
    roles: Vec<String>,
    people: String,
    due: Option<NaiveDate>,
}

impl Asked {
    fn parse(fields: &[(String, String)]) -> Asked {
        let all = |k: &str| fields.iter().filter(|(f, _)| f == k).map(|(_, v)| v.clone()).collect::<Vec<_>>();
        Asked {
            units: all("unit").iter().filter_map(|v| v.parse().ok()).collect(),
            roles: all("role").into_iter().filter(|r| Role::parse_code(r).is_some()).collect(),
            people: all("people").join(" "),
            due: all("due_date").first().and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok()),
        }
    }

    /// The audience and due date `me` may assign, or every reason why not.
    fn check(
        self,
        conn: &mut Conn,
        me: &CurrentUser,
    ) -> AppResult<Result<(Audience, NaiveDate), Vec<String>>> {
        let tree = Tree::load(conn)?;
        let allowed: Vec<i32> = assignable_units(conn, &tree, me)?.into_iter().map(|u| u.0).collect();
        let mut errors = Vec::new();
        if self.units.iter().any(|u| !allowed.contains(u)) {
            errors.push(msg::KB_UNIT_NOT_YOURS.to_string());
        }
        let mut include = Vec::new();
        for no in
            self.people.split([' ', ',', '，', '、', '\n', '\r']).map(str::trim).filter(|s| !s.is_empty())
        {
            let found: Option<(i32, Option<i32>)> = users::table
                .filter(users::staff_no.eq(no).or(users::username.eq(no)))
                .filter(users::active.eq(true))
                .select((users::id, users::hall_id))
                .first(conn)
                .optional()?;
            match found {
                Some((uid, hall))
                    if is_editor(me) || tree.ancestry(hall).iter().any(|a| allowed.contains(a)) =>
                {
                    include.push(uid)
                }
                Some(_) => errors.push(msg::kb_person_not_yours(no)),
                None => errors.push(msg::kb_person_unknown(no)),
            }
        }
        if self.units.is_empty() && include.is_empty() {
            errors.push(msg::KB_AUDIENCE_EMPTY.to_string());
        }
        if !self.units.is_empty() && self.roles.is_empty() {
            errors.push(msg::KB_ROLES_EMPTY.to_string());
        }
        errors.extend(due_error(self.due, msg::KB_DUE_INVALID).map(String::from));
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let audience = Audience { units: self.units, roles: self.roles, include, exclude: Vec::new() };
        Ok(Ok((audience, self.due.unwrap_or_else(today))))
    }
}

/// Every reason an assignment was refused, each its own notice.
struct Refused(Vec<String>);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("\n"))
    }
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
    let (me, id) = (ctx.user()?.clone(), path.into_inner());
    let asked = Asked::parse(&form.into_inner());
    let outcome = action::run(&state, Actor::of(&ctx, &req)?, move |conn, actor| {
        let (audience, due) = match asked.check(conn, &me)? {
            Ok(checked) => checked,
            Err(errors) => return Ok(Err(Refused(errors))),
        };
        let scope = if is_editor(&me) { None } else { me.scopes(Role::Supervisor).first().copied() };
        let a = Article::find(conn, id)?;
        let v = Version::of(conn, id, a.current_version)?.ok_or(AppError::NotFound)?;
        let aid = Assignment::insert(conn, id, v.id, &audience, due, scope, me.id, actor.now())?;
        actor.audit(conn, "kb_assigned", &msg::audit_kb_assigned(aid, &v.title, due))?;
        Ok(Ok(Done::flash(msg::KB_ASSIGNED)))
    })
    .await?;
    match outcome {
        Ok(done) => {
            ctx.flash("success", done.message);
            Ok(redirect(&format!("/kb/{id}")))
        }
        Err(Refused(errors)) => {
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
    let (me, id) = (ctx.user()?.clone(), path.into_inner());
    action::act(&ctx, &req, &state, "/kb", move |conn, actor| {
        let a = Assignment::find(conn, id)?;
        if !(is_editor(&me) || a.scope_unit.is_some_and(|u| me.scopes(Role::Supervisor).contains(&u))) {
            return Err(AppError::NotFound);
        }
        Assignment::withdraw(conn, id)?;
        actor.audit(conn, "kb_withdrawn", &format!("#{id}"))?;
        Ok(Ok::<_, Infallible>(Done::then(msg::KB_WITHDRAWN, format!("/kb/{}", a.article_id))))
    })
    .await
}
