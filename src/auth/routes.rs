//! Logout and password change (signing in is in [`super::login`]).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

pub use super::login::{login, login_form};
use super::{revoked, rules, session};
use crate::accounts::User;
use crate::audit;
use crate::db::{now, write};
use crate::web::{client_ip, msg, redirect, AppResult, Ctx};
use crate::AppState;

/// Ends the session for good: a copy of its cookie is refused afterwards, at
/// once on this server and on the others within the user cache's TTL.
pub async fn logout(ctx: Ctx, req: HttpRequest, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    if let Some(user) = &ctx.user {
        let (id, ip) = (user.id, client_ip(&req));
        let ended = session::id_and_expiry(&ctx.session);
        state
            .db(move |conn| {
                write(conn, |conn| {
                    if let Some((sid, until)) = &ended {
                        revoked::revoke(conn, id, sid, *until, now())?;
                    }
                    audit::record(conn, Some(id), "logout", "", &ip)?;
                    Ok(())
                })
            })
            .await?;
        // Committed: this server's cached copy of the account goes now.
        state.users.forget(id);
    }
    session::end(&ctx.session);
    ctx.flash("success", msg::LOGGED_OUT);
    Ok(redirect("/login"))
}

pub async fn password_form(ctx: Ctx) -> AppResult<HttpResponse> {
    ctx.user()?;
    password_page(&ctx, StatusCode::OK, None)
}

fn password_page(ctx: &Ctx, status: StatusCode, error: Option<&str>) -> AppResult<HttpResponse> {
    let mut c = Context::new();
    c.insert("error", &error);
    ctx.render_status(status, "auth/password.html", c)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

pub async fn change_password(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let form = form.into_inner();
    let user_id = me.id;
    let user = state.db(move |conn| Ok(User::find(conn, user_id)?)).await?;
    if !state.passwords.verify(form.current.clone(), Some(user.password_hash)).await? {
        return password_page(&ctx, StatusCode::BAD_REQUEST, Some(msg::CURRENT_PASSWORD_WRONG));
    }
    if let Err(e) = rules::check_new_password(
        &form.new,
        &form.confirm,
        &form.current,
        &me.username,
        me.staff_no.as_deref(),
    ) {
        return password_page(&ctx, StatusCode::BAD_REQUEST, Some(e));
    }
    let hash = state.passwords.hash(form.new).await?;
    let ip = client_ip(&req);
    let epoch = state
        .db(move |conn| {
            write(conn, |conn| {
                let epoch = User::set_password(conn, user_id, &hash, false)?;
                audit::record(conn, Some(user_id), "password_changed", "", &ip)?;
                Ok(epoch)
            })
        })
        .await?;
    session::set_epoch(&ctx.session, epoch)?;
    ctx.flash("success", msg::PASSWORD_CHANGED);
    Ok(redirect("/"))
}
