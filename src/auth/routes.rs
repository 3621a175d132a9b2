//! Login, logout and password change.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::{revoked, rules, session};
use crate::accounts::User;
use crate::audit;
use crate::db::{now, write};
use crate::web::{client_ip, msg, redirect, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

pub async fn login_form(ctx: Ctx, q: web::Query<LoginQuery>) -> AppResult<HttpResponse> {
    if ctx.user.is_some() {
        return Ok(redirect("/"));
    }
    login_page(&ctx, StatusCode::OK, "", q.next.as_deref(), None)
}

fn login_page(
    ctx: &Ctx,
    status: StatusCode,
    username: &str,
    next: Option<&str>,
    error: Option<&str>,
) -> AppResult<HttpResponse> {
    let mut c = Context::new();
    c.insert("username", username);
    c.insert("next", &safe_next(next));
    c.insert("error", &error);
    ctx.render_status(status, "auth/login.html", c)
}

/// Only local paths are followed after login (no open redirect): a single
/// leading `/`, and no backslash, whitespace or control character anywhere
/// (browsers drop tabs and newlines, turning `/\t/host` into `//host`).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n[1..].starts_with('/')
                && !n.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control()) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn login(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let LoginForm { username, password, next } = form.into_inner();
    let username = username.trim().to_string();
    let ip = client_ip(&req);
    // Counted as a failure before the password is checked, in the same step as
    // the lock check, so parallel guesses cannot slip past the limit while their
    // hashes are queued; a success takes it back.
    let Some(locks_now) = state.throttle.attempt(&username, &ip, now()) else {
        return login_page(
            &ctx,
            StatusCode::TOO_MANY_REQUESTS,
            &username,
            next.as_deref(),
            Some(msg::LOGIN_LOCKED),
        );
    };
    let login = username.clone();
    let user = state.db(move |conn| Ok(User::find_by_login(conn, &login)?)).await?;
    let stored = user.as_ref().filter(|u| u.active).map(|u| u.password_hash.clone());
    let ok = match state.passwords.verify(password, stored).await {
        Ok(ok) => ok,
        Err(busy) => {
            state.throttle.undecided(&username);
            return Err(busy);
        }
    };
    let Some(user) = user.filter(|u| ok && u.active) else {
        state.throttle.failed(&ip, now());
        record_failure(&state, &username, locks_now, ip).await?;
        return login_page(
            &ctx,
            StatusCode::UNAUTHORIZED,
            &username,
            next.as_deref(),
            Some(msg::LOGIN_FAILED),
        );
    };
    state.throttle.succeed(&username);
    let user_id = user.id;
    state
        .db(move |conn| {
            write(conn, |conn| {
                User::touch_login(conn, user_id)?;
                audit::record(conn, Some(user_id), "login", "", &ip)?;
                Ok(())
            })
        })
        .await?;
    session::start(&ctx.session, user.id, user.session_epoch)?;
    if user.must_change_password {
        ctx.flash("info", msg::MUST_CHANGE_PASSWORD);
        return Ok(redirect("/account/password"));
    }
    Ok(redirect(&safe_next(next.as_deref())))
}

/// Writes a failed login (and a lockout it caused) to the audit log.
async fn record_failure(state: &AppState, username: &str, locked: bool, ip: String) -> AppResult<()> {
    let detail = msg::audit_login_name(&username.chars().take(40).collect::<String>());
    state
        .db(move |conn| {
            audit::record(conn, None, "login_failed", &detail, &ip)?;
            if locked {
                audit::record(conn, None, "login_locked", &detail, &ip)?;
            }
            Ok(())
        })
        .await
}

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

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        let cases = [
            (None, "/"),
            (Some("/admin/users?q=%E5%BC%A0"), "/admin/users?q=%E5%BC%A0"),
            (Some("//evil.example/"), "/"),
            (Some("/\t/evil.example"), "/"),
            (Some("/\\evil.example"), "/"),
            (Some("/a\r\nSet-Cookie: x"), "/"),
            (Some("https://evil.example/"), "/"),
            (Some(""), "/"),
        ];
        for (next, want) in cases {
            assert_eq!(safe_next(next), want, "{next:?}");
        }
    }
}
