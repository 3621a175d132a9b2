//! Shared web plumbing: errors, rendering, CSRF, the access gate, static assets.

pub mod access;
pub mod action;
pub mod assets;
pub mod chart;
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
pub mod xlsx;

pub use error::{AppError, AppResult};
pub use form::FieldErrors;
pub use render::{redirect, Ctx};

use std::net::IpAddr;

use actix_web::http::header::HeaderMap;
use actix_web::HttpRequest;

/// The client's address: the connection's peer, or, when the site trusts its
/// reverse proxy (`EXAMHALL_TRUST_PROXY`), the address that proxy put in
/// `X-Forwarded-For`. Used for throttling, the audit log and exam IP ranges.
pub fn client_addr(req: &HttpRequest) -> Option<IpAddr> {
    let trust = req.app_data::<actix_web::web::Data<crate::AppState>>().is_some_and(|s| s.trust_proxy);
    trust.then(|| forwarded_client(req.headers())).flatten().or_else(|| req.peer_addr().map(|a| a.ip()))
}

/// [`client_addr`] as shown in the audit log (and keyed in the throttle).
pub fn client_ip(req: &HttpRequest) -> String {
    client_addr(req).map_or_else(|| "unknown".into(), |a| a.to_string())
}

/// The address our proxy added: the rightmost `X-Forwarded-For` entry. The
/// proxy appends (or sets) the address it saw; anything left of it came from
/// the client and can be made up, so only the last entry is believed.
pub fn forwarded_client(headers: &HeaderMap) -> Option<IpAddr> {
    let last_header = headers.get_all("x-forwarded-for").last()?.to_str().ok()?;
    let entry = last_header.rsplit(',').next()?.trim();
    // Plain addresses, as nginx's $remote_addr writes them; a port is tolerated.
    entry.parse().ok().or_else(|| entry.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
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

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    #[test]
    fn only_the_rightmost_forwarded_address_is_believed() {
        let cases: [(&[&str], Option<&str>); 8] = [
            (&[], None),
            (&["203.0.113.7"], Some("203.0.113.7")),
            // A client-made entry left of the proxy's changes nothing.
            (&["10.9.9.9, 203.0.113.7"], Some("203.0.113.7")),
            (&["1.1.1.1,203.0.113.7 "], Some("203.0.113.7")),
            // Several headers: the last one is the proxy's.
            (&["10.9.9.9", "203.0.113.7"], Some("203.0.113.7")),
            (&["2001:db8::1"], Some("2001:db8::1")),
            (&["203.0.113.7:5123"], Some("203.0.113.7")),
            // A garbled last entry is not replaced by a spoofable one to its left.
            (&["203.0.113.7, unknown"], None),
        ];
        for (values, want) in cases {
            let mut headers = HeaderMap::new();
            for v in values {
                headers.append(HeaderName::from_static("x-forwarded-for"), HeaderValue::from_static(v));
            }
            assert_eq!(forwarded_client(&headers), want.map(|w| w.parse().unwrap()), "{values:?}");
        }
    }
}
