//! Shared web plumbing: errors, rendering, CSRF, the access gate, static assets.

pub mod access;
pub mod assets;
pub mod csrf;
pub mod error;
pub mod export;
pub mod form;
pub mod import;
pub mod markdown;
pub mod month;
pub mod msg;
pub mod pagination;
pub mod render;
pub mod upload;

pub use error::{AppError, AppResult};
pub use form::FieldErrors;
pub use render::{redirect, Ctx};

use actix_web::HttpRequest;

/// The client address as seen by the server (used for throttling and the audit log).
pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

/// A spreadsheet download (numbers Excel can sum; names in the file).
pub fn xlsx_response(bytes: Vec<u8>, filename: &str) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(bytes)
}
