//! The evaluation schemes: each role's version in force with its formulas,
//! the earlier versions, and (admins) a new version from the text form.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::evaluation::rules::Missing;
use crate::evaluation::scheme::{formula, parse_text, to_text, EvalRole, Scheme, METRICS};
use crate::web::action::{self, Done};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Serialize)]
struct Line {
    label: String,
    max: String,
    formula: String,
}

#[derive(Serialize)]
struct RoleView {
    code: &'static str,
    label: &'static str,
    version: i32,
    note: String,
    missing: &'static str,
    lines: Vec<Line>,
    text: String,
    history: Vec<(i32, String, String)>,
}

/// GET /evaluation/schemes.
pub async fn page(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let admin = ctx.user()?.has_role(crate::auth::Role::Admin);
    let roles = state
        .db(|conn| {
            let mut out = Vec::new();
            for role in EvalRole::ALL {
                let versions = Scheme::versions(conn, role)?;
                let Some(s) = versions.first() else { continue };
                out.push(RoleView {
                    code: role.code(),
                    label: role.label(),
                    version: s.version,
                    note: s.note.clone(),
                    missing: match s.body.missing {
                        Missing::Rescale => "rescale",
                        Missing::Zero => "zero",
                    },
                    lines: s
                        .body
                        .components
                        .iter()
                        .map(|c| Line {
                            label: c.label.clone(),
                            max: crate::domain::score::short_decimals(c.max),
                            formula: formula(c),
                        })
                        .collect(),
                    text: to_text(&s.body),
                    history: versions
                        .iter()
                        .map(|v| {
                            let at = if v.id == 0 {
                                String::new()
                            } else {
                                crate::time::local_display(v.created_at)
                            };
                            (v.version, v.note.clone(), at)
                        })
                        .collect(),
                });
            }
            Ok(out)
        })
        .await?;
    let mut c = Context::new();
    c.insert("roles", &roles);
    c.insert("admin", &admin);
    c.insert("metrics", METRICS);
    ctx.render("evaluation/schemes.html", c)
}

#[derive(Deserialize)]
pub struct SchemeForm {
    text: String,
    missing: String,
    #[serde(default)]
    note: String,
}

/// POST /evaluation/schemes/{role}: a new version (admins).
pub async fn save(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<SchemeForm>,
) -> AppResult<HttpResponse> {
    let role = EvalRole::parse(&path.into_inner()).ok_or(AppError::NotFound)?;
    let f = form.into_inner();
    let back = format!("/evaluation/schemes#{}", role.code());
    let missing = if f.missing == "zero" { Missing::Zero } else { Missing::Rescale };
    let body = match parse_text(&f.text, missing) {
        Ok(body) => body,
        Err(why) => return Ok(action::refuse(&ctx, &back, why)),
    };
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let note = if f.note.trim().is_empty() {
            msg::EVAL_SCHEME_EDITED.to_string()
        } else {
            f.note.trim().to_string()
        };
        let version = Scheme::save(conn, role, &body, &note, Some(actor.id), actor.now())?;
        actor.audit(conn, "evaluation_scheme", &msg::audit_eval_scheme(role.label(), version, &note))?;
        Ok(Ok::<_, String>(Done::flash(msg::eval_scheme_saved(role.label(), version))))
    })
    .await
}
