//! Static assets compiled into the binary: branch intranets have no internet, so no CDN.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use super::error::{AppError, AppResult};

const FILES: &[(&str, &str, &str)] = &[
    ("app.css", "text/css; charset=utf-8", include_str!("../../static/app.css")),
    ("app.js", "text/javascript; charset=utf-8", include_str!("../../static/app.js")),
    ("exam.js", "text/javascript; charset=utf-8", include_str!("../../static/exam.js")),
    ("kb.js", "text/javascript; charset=utf-8", include_str!("../../static/kb.js")),
    ("inspect.js", "text/javascript; charset=utf-8", include_str!("../../static/inspect.js")),
    ("favicon.svg", "image/svg+xml", include_str!("../../static/favicon.svg")),
];

pub async fn serve(name: web::Path<String>) -> AppResult<HttpResponse> {
    let (_, mime, body) = FILES.iter().find(|(n, _, _)| *n == name.as_str()).ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(*mime)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(*body))
}
