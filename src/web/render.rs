//! Template rendering: templates are embedded in the binary, so the site runs
//! from any working directory and needs nothing but its executable.

use std::sync::LazyLock;

use actix_session::Session;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse};
use include_dir::{include_dir, Dir};
use serde::{Deserialize, Serialize};
use tera::{Context, Tera};

use super::error::{AppError, AppResult};
use crate::auth::CurrentUser;

static TEMPLATE_DIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

static TERA: LazyLock<Result<Tera, String>> = LazyLock::new(|| build().map_err(|err| format!("{err:?}")));

/// Every embedded template, compiled.
fn build() -> tera::Result<Tera> {
    let mut tera = Tera::default();
    let mut files = Vec::new();
    collect(&TEMPLATE_DIR, &mut files);
    tera.add_raw_templates(files)?;
    tera.register_filter("role_label", role_label);
    tera.register_filter("chart", super::chart::ChartFilter);
    Ok(tera)
}

/// Whether every template compiles: the server refuses to start otherwise
/// (a broken template is a build defect, not a log line before every page
/// answers 500), and `cargo test` fails.
pub fn check_templates() -> Result<(), String> {
    TERA.as_ref().map(|_| ()).map_err(Clone::clone)
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static str)>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            out.push((file.path().to_string_lossy().replace('\\', "/"), text));
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

fn role_label(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let code = value.as_str().unwrap_or_default();
    let label = crate::auth::Role::parse_code(code).map(|r| r.label()).unwrap_or(code);
    Ok(tera::Value::String(label.to_string()))
}

/// Renders a template with a prepared context.
pub fn render(template: &str, ctx: &Context) -> AppResult<String> {
    let tera = TERA.as_ref().map_err(|err| AppError::internal(err.clone()))?;
    tera.render(template, ctx).map_err(|err| AppError::internal(format!("{err:?}")))
}

/// The Chinese error page; falls back to plain text if even that fails.
pub fn error_page(status: StatusCode, message: &str) -> String {
    let mut ctx = Context::new();
    ctx.insert("status", &status.as_u16());
    ctx.insert("message", message);
    TERA.as_ref()
        .ok()
        .and_then(|tera| tera.render("error.html", &ctx).ok())
        .unwrap_or_else(|| format!("{} {}", status.as_u16(), message))
}

/// A flash message shown once on the next rendered page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flash {
    pub level: String,
    pub text: String,
}

const FLASH_KEY: &str = "flash";

/// What every handler needs to answer with a page: the signed-in user (if any),
/// the CSRF token and the session (for flash messages).
pub struct Ctx {
    pub user: Option<CurrentUser>,
    pub csrf: String,
    pub session: Session,
    pub path: String,
    /// The app's 必读 counts, for the navigation badge.
    pub kb_badges: Option<std::sync::Arc<crate::kb::badge::Badges>>,
}

impl FromRequest for Ctx {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = match Session::from_request(req, payload).into_inner() {
            Ok(session) => session,
            Err(err) => return std::future::ready(Err(err)),
        };
        let ext = req.extensions();
        std::future::ready(Ok(Ctx {
            user: ext.get::<CurrentUser>().cloned(),
            csrf: ext.get::<super::csrf::CsrfToken>().map(|t| t.0.clone()).unwrap_or_default(),
            session,
            path: req.path().to_string(),
            kb_badges: req.app_data::<actix_web::web::Data<crate::AppState>>().map(|s| s.kb_badges.clone()),
        }))
    }
}

impl Ctx {
    /// The signed-in user; the access table already refused anonymous requests
    /// to routes that need one, so this is a second line of defence.
    pub fn user(&self) -> AppResult<&CurrentUser> {
        self.user.as_ref().ok_or(AppError::Unauthorized)
    }

    pub fn flash(&self, level: &str, text: impl Into<String>) {
        let mut list: Vec<Flash> = self.session.get(FLASH_KEY).ok().flatten().unwrap_or_default();
        list.push(Flash { level: level.to_string(), text: text.into() });
        // A failed insert only loses a notice, never data.
        let _ = self.session.insert(FLASH_KEY, list);
    }

    fn take_flashes(&self) -> Vec<Flash> {
        self.session.remove_as::<Vec<Flash>>(FLASH_KEY).and_then(Result::ok).unwrap_or_default()
    }

    /// Renders a page inside the base layout with status 200.
    pub fn render(&self, template: &str, ctx: Context) -> AppResult<HttpResponse> {
        self.render_status(StatusCode::OK, template, ctx)
    }

    pub fn render_status(
        &self,
        status: StatusCode,
        template: &str,
        mut ctx: Context,
    ) -> AppResult<HttpResponse> {
        ctx.insert("csrf_token", &self.csrf);
        ctx.insert("current_path", &self.path);
        ctx.insert("flashes", &self.take_flashes());
        if let Some(user) = &self.user {
            ctx.insert("me", user);
            let unread = self.kb_badges.as_ref().and_then(|b| b.cached(user.id));
            ctx.insert("nav", &crate::routes::navigation(user, unread));
        }
        let body = render(template, &ctx)?;
        Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body))
    }
}

/// A 303 redirect (after a successful POST, or to send the user elsewhere).
pub fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((actix_web::http::header::LOCATION, location.to_string())).finish()
}

#[cfg(test)]
mod csp_tests {
    use super::*;

    /// The Content-Security-Policy allows no inline script or style: every
    /// template must keep to files (`<script src>`, classes in app.css).
    #[test]
    fn every_template_compiles() {
        assert_eq!(check_templates(), Ok(()));
    }

    #[test]
    fn templates_have_no_inline_script_style_or_handlers() {
        let mut files = Vec::new();
        collect(&TEMPLATE_DIR, &mut files);
        assert!(files.len() > 20);
        let handler = regex::Regex::new(r#"\son[a-z]+\s*="#).unwrap();
        for (name, text) in files {
            for script in text.match_indices("<script") {
                let tag: String = text[script.0..].chars().take_while(|c| *c != '>').collect();
                assert!(tag.contains(" src="), "{name}: inline <script>");
            }
            assert!(!text.contains(" style=\""), "{name}: a style attribute");
            assert!(!text.contains("<style"), "{name}: a <style> element");
            assert!(!handler.is_match(text), "{name}: an inline event handler");
        }
    }
}
