//! Shared web plumbing: errors, rendering, CSRF, the access gate, static assets.

pub mod access;
pub mod assets;
pub mod csrf;
pub mod error;
pub mod markdown;
pub mod msg;
pub mod pagination;
pub mod render;
pub mod upload;

pub use error::{AppError, AppResult};
pub use render::{redirect, Ctx};

use actix_web::HttpRequest;

/// The client address as seen by the server (used for throttling and the audit log).
pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_else(|| "unknown".into())
}
