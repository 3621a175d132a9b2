//! Signing in: the login page, the password check behind the throttle, and
//! the device cookie a successful login leaves in the browser.

use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::device::{self, Token};
use super::session;
use super::throttle::{self, Failed};
use crate::accounts::User;
use crate::audit;
use crate::db::{now, write};
use crate::web::{client_ip, msg, redirect, AppError, AppResult, Ctx};
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

/// 429 saying how long to wait (in the page and in `Retry-After`).
fn wait_page(ctx: &Ctx, username: &str, next: Option<&str>, secs: i64) -> AppResult<HttpResponse> {
    let text = msg::login_wait(secs);
    let mut res = login_page(ctx, StatusCode::TOO_MANY_REQUESTS, username, next, Some(&text))?;
    res.headers_mut().insert(RETRY_AFTER, HeaderValue::from(secs));
    Ok(res)
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
    let login = username.clone();
    let user = state.db(move |conn| Ok(User::find_by_login(conn, &login)?)).await?;
    // The account by id, so its 工号 and user name share one record.
    let user_id = user.as_ref().map(|u| u.id);
    let tokens = state.devices.read(&req);
    let token = user_id.and_then(|id| device::token_for(&tokens, id, unix_now()));
    // Counted as a failure before the password is checked, in the same step as
    // the check, so parallel guesses cannot slip past while their hashes are
    // queued; a success takes it back.
    let account = throttle::account_key(user_id, &username);
    let charge = match state.throttle.attempt(&account, &ip, token.map(|t| t.nonce.as_str()), now()) {
        Ok(charge) => charge,
        Err(secs) => return wait_page(&ctx, &username, next.as_deref(), secs),
    };
    let stored = user.as_ref().filter(|u| u.active).map(|u| u.password_hash.clone());
    let ok = match state.passwords.verify(password, stored).await {
        Ok(ok) => ok,
        Err(busy) => {
            state.throttle.undecided(&charge);
            return Err(busy);
        }
    };
    let Some(user) = user.filter(|u| ok && u.active) else {
        let failed = state.throttle.failed(&charge, &ip, now());
        let text = msg::login_failed(failed.account_wait.max(failed.address_wait), failed.tries_before_wait);
        record_failure(&state, &username, failed, ip).await?;
        return login_page(&ctx, StatusCode::UNAUTHORIZED, &username, next.as_deref(), Some(&text));
    };
    state.throttle.succeed(&charge, &ip, now());
    signed_in(&ctx, &state, user, ip, tokens, next.as_deref()).await
}

/// Starts the session and renews this account's device token in the browser.
async fn signed_in(
    ctx: &Ctx,
    state: &AppState,
    user: User,
    ip: String,
    tokens: Vec<Token>,
    next: Option<&str>,
) -> AppResult<HttpResponse> {
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
    let mut res = if user.must_change_password {
        ctx.flash("info", msg::MUST_CHANGE_PASSWORD);
        redirect("/account/password")
    } else {
        redirect(&safe_next(next))
    };
    let at = unix_now();
    let tokens = device::after_login(tokens, Token::issue(user_id, at), at);
    res.add_cookie(&state.devices.cookie(&tokens)).map_err(AppError::internal)?;
    Ok(res)
}

/// Writes a failed login, and the slow-down or lost device trust it caused, to the audit log.
async fn record_failure(state: &AppState, username: &str, failed: Failed, ip: String) -> AppResult<()> {
    let name: String = username.chars().take(40).collect();
    state
        .db(move |conn| {
            audit::record(conn, None, "login_failed", &msg::audit_login_name(&name), &ip)?;
            if failed.account_wait > 0 {
                let detail = msg::audit_account_slowed(&name, failed.account_wait);
                audit::record(conn, None, "login_slowed", &detail, &ip)?;
            }
            if failed.address_wait > 0 {
                audit::record(
                    conn,
                    None,
                    "login_slowed",
                    &msg::audit_address_slowed(failed.address_wait),
                    &ip,
                )?;
            }
            if failed.token_distrusted {
                audit::record(conn, None, "device_untrusted", &msg::audit_device_untrusted(&name), &ip)?;
            }
            Ok(())
        })
        .await
}

/// Now as Unix seconds by the app's clock, as the session's times are.
fn unix_now() -> i64 {
    crate::db::now().and_utc().timestamp()
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
