//! Access control in two layers. `identify` (app-wide) loads the signed-in
//! user and the CSRF token for every request, pages and 404s alike. `guard`
//! wraps each route of the table (see [`crate::routes::configure`]) with that
//! route's rule, so the rule applies to exactly the requests the router sends
//! to the handler (however the path was spelled): login required, roles, a
//! pending password change first, and CSRF on every state-changing request.

use actix_session::SessionExt;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderValue, SET_COOKIE};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};
use tracing_actix_web::RootSpan;

use super::csrf;
use super::error::AppError;
use crate::auth::{self, CurrentUser};
use crate::routes::{Access, RouteSpec, Verb};
use crate::AppState;

pub async fn identify(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let session = req.get_session();
    // The user first: an ended session is emptied, and the token must outlive that.
    let user = auth::session::load_user(&session, &state).await?;
    let token = csrf::session_token(&session);
    req.extensions_mut().insert(csrf::CsrfToken(token));
    if let Some(user) = user {
        if let Some(span) = req.extensions().get::<RootSpan>() {
            span.record("user_id", user.id);
        }
        req.extensions_mut().insert(user);
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Behind a TLS proxy that says so (X-Forwarded-Proto: https) and that the
/// site trusts, cookies get `Secure`. Wraps the session middleware, so it sees
/// the session cookie.
pub async fn secure_behind_proxy(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let trust = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.trust_proxy);
    let via_https_proxy = trust && req.connection_info().scheme() == "https";
    let mut res = next.call(req).await?.map_into_boxed_body();
    if via_https_proxy {
        mark_cookies_secure(&mut res);
    }
    Ok(res)
}

fn mark_cookies_secure(res: &mut ServiceResponse<BoxBody>) {
    let cookies: Vec<HeaderValue> = res.headers().get_all(SET_COOKIE).cloned().collect();
    if cookies.is_empty() {
        return;
    }
    let headers = res.headers_mut();
    headers.remove(SET_COOKIE);
    for cookie in cookies {
        let text = cookie.to_str().unwrap_or_default();
        let secured = if text.contains("; Secure") { text.to_string() } else { format!("{text}; Secure") };
        if let Ok(value) = HeaderValue::from_str(&secured) {
            headers.append(SET_COOKIE, value);
        }
    }
}

/// The route table's rule for one route, checked after routing.
pub async fn guard(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
    spec: &'static RouteSpec,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let user = req.extensions().get::<CurrentUser>().cloned();
    if let Some(response) = refusal(&req, spec.access, user.as_ref()) {
        return Ok(req.into_response(response));
    }
    if spec.verb != Verb::Get {
        let token = req.extensions().get::<csrf::CsrfToken>().map(|t| t.0.clone());
        match token {
            Some(token) if !token.is_empty() => csrf::verify(&mut req, &token).await?,
            _ => return Err(AppError::Csrf.into()),
        }
    }
    next.call(req).await
}

/// Applies a route's access rule. Anonymous visitors of a protected page are
/// sent to the login page (and back afterwards); a user who must change their
/// password can do nothing else first.
fn refusal(
    req: &ServiceRequest,
    access: Access,
    user: Option<&CurrentUser>,
) -> Option<actix_web::HttpResponse> {
    use actix_web::ResponseError;
    if matches!(access, Access::Public | Access::Guest) {
        return None;
    }
    let Some(user) = user else {
        if req.method() == actix_web::http::Method::GET {
            let next = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let target = format!("/login?next={}", urlencode(next));
            return Some(super::render::redirect(&target));
        }
        if super::error::wants_json(req.headers()) {
            // The exam page's autosave: a login page would read as "HTTP 200";
            // say the session is gone, so the page keeps the answers and asks
            // to sign in again (and come back).
            let body =
                serde_json::json!({ "ok": false, "expired": true, "message": super::msg::SESSION_EXPIRED });
            return Some(actix_web::HttpResponse::Unauthorized().json(body));
        }
        return Some(AppError::Unauthorized.error_response());
    };
    if user.must_change_password && access != Access::SelfService {
        return Some(super::render::redirect("/account/password"));
    }
    match access {
        Access::Roles(roles) if !user.has_any_role(roles) => Some(AppError::Forbidden.error_response()),
        _ => None,
    }
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}
