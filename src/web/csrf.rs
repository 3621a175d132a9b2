//! CSRF protection: one random token per session, required on every
//! state-changing request (checked centrally in [`super::access`]).

use actix_session::Session;
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::http::header;
use actix_web::web::{Bytes, BytesMut};
use futures_util::StreamExt;

use super::error::AppError;
use super::msg;

/// The session's CSRF token, put into request extensions for templates.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

pub const SESSION_KEY: &str = "csrf";
/// Form field of urlencoded forms and the first part of multipart ones;
/// `X-CSRF-Token` header for fetch(). Never the query string: URLs land in
/// access logs, proxies' logs and the browser's history.
pub const FORM_FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";
const FORM_LIMIT: usize = 2 * 1024 * 1024;

pub fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// The session's token, creating one for a fresh session.
pub fn session_token(session: &Session) -> String {
    if let Ok(Some(token)) = session.get::<String>(SESSION_KEY) {
        return token;
    }
    let token = new_token();
    let _ = session.insert(SESSION_KEY, &token);
    token
}

/// Compares without an early exit, so timing does not reveal a prefix.
pub(super) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks the token of a state-changing request: the `X-CSRF-Token` header,
/// else the form's body (urlencoded: read and put back, so the handler's
/// `web::Form` still sees it; multipart: its first part, see
/// [`super::upload::verify_csrf_part`]). A token in the URL counts for nothing.
pub async fn verify(req: &mut ServiceRequest, expected: &str) -> Result<(), AppError> {
    if let Some(value) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return if same(value, expected) { Ok(()) } else { Err(AppError::Csrf) };
    }
    let content_type =
        req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if content_type.starts_with("multipart/form-data") {
        return super::upload::verify_csrf_part(req, expected).await;
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(AppError::Csrf);
    }
    let body = read_body(req).await?;
    let found = form_urlencoded_value(&body, FORM_FIELD);
    req.set_payload(Payload::from(body));
    match found {
        Some(value) if same(&value, expected) => Ok(()),
        _ => Err(AppError::Csrf),
    }
}

async fn read_body(req: &mut ServiceRequest) -> Result<Bytes, AppError> {
    let mut payload = req.parts_mut().1.take();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| AppError::bad_request(msg::REQUEST_INCOMPLETE))?;
        if body.len() + chunk.len() > FORM_LIMIT {
            return Err(AppError::bad_request(msg::FORM_TOO_LARGE));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn form_urlencoded_value(data: &[u8], key: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(data)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_tokens_exactly() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert!(!same("", "a"));
    }

    #[test]
    fn finds_the_form_field() {
        assert_eq!(form_urlencoded_value(b"a=1&csrf_token=xyz", FORM_FIELD).as_deref(), Some("xyz"));
        assert_eq!(form_urlencoded_value(b"a=1", FORM_FIELD), None);
    }
}
