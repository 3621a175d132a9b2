//! The one gate every request passes: it loads the signed-in user, applies the
//! route table's access rule, forces a pending password change, and checks CSRF
//! on every state-changing request.

use actix_session::SessionExt;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};
use tracing_actix_web::RootSpan;

use super::csrf;
use super::error::AppError;
use crate::auth::{self, CurrentUser};
use crate::routes::{self, Access, Verb};
use crate::AppState;

pub async fn gate(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let session = req.get_session();
    // The user first: an ended session is purged, and the token must outlive that.
    let user = auth::session::load_user(&session, &state).await?;
    let token = csrf::session_token(&session);
    req.extensions_mut().insert(csrf::CsrfToken(token.clone()));
    if let Some(user) = &user {
        if let Some(span) = req.extensions().get::<RootSpan>() {
            span.record("user_id", user.id);
        }
        req.extensions_mut().insert(user.clone());
    }

    let pattern = req.match_pattern();
    let Some(spec) = routes::find(req.method(), pattern.as_deref()) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };

    if let Some(response) = refusal(&req, spec.access, user.as_ref()) {
        return Ok(req.into_response(response));
    }
    if spec.verb != Verb::Get {
        csrf::verify(&mut req, &token).await?;
    }
    Ok(next.call(req).await?.map_into_boxed_body())
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
            let next = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let target = format!("/login?next={}", urlencode(next));
            return Some(super::render::redirect(&target));
        }
        return Some(AppError::Unauthorized.error_response());
    };
    if user.must_change_password && access != Access::SelfService {
        return Some(super::render::redirect("/account/password"));
    }
    match access {
        Access::Roles(roles) if !user.has_any_role(roles) => {
            Some(AppError::Forbidden.error_response())
        }
        _ => None,
    }
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}
