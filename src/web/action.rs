//! The POST skeleton every state-changing form shares: who acts and from
//! where, one write transaction, the audit line, the flash and the redirect.
//!
//! A handler parses its form, then hands [`act`] a closure that does the work
//! on the blocking pool inside one transaction:
//!
//! ```ignore
//! pub async fn close(ctx: Ctx, req: HttpRequest, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
//!     let id = path.into_inner();
//!     action::act(&ctx, &req, &state, &format!("/exams/{id}"), move |conn, actor| {
//!         let exam = Exam::find(conn, id)?;
//!         if exam.status != Status::Published {
//!             return Ok(Err(Refusal::NotPublished));
//!         }
//!         Exam::close(conn, id, actor.now)?;
//!         actor.audit(conn, "exam_closed", &format!("考试 #{id}"))?;
//!         Ok(Ok(Done::flash(msg::EXAM_CLOSED)))
//!     })
//!     .await
//! }
//! ```
//!
//! A refusal is typed (an enum of the feature, shown through `Display` only
//! here at the edge) and **rolls the transaction back**, so a check that
//! fails halfway leaves nothing half-written.

use std::fmt::Display;

use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use diesel::QueryResult;

use super::{redirect, AppError, AppResult, Ctx};
use crate::db::{write, Conn};
use crate::AppState;

/// The person acting, from where, and when (the app's clock at the start).
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: i32,
    /// The client address as the audit log shows it ([`super::client_ip`]).
    pub ip: String,
}

impl Actor {
    /// The signed-in user of a request and their address.
    pub fn of(ctx: &Ctx, req: &HttpRequest) -> AppResult<Actor> {
        Ok(Actor { id: ctx.user()?.id, ip: super::client_ip(req) })
    }

    /// One line in the audit log, in the action's transaction.
    pub fn audit(&self, conn: &mut Conn, action: &str, detail: &str) -> QueryResult<()> {
        crate::audit::record(conn, Some(self.id), action, detail, &self.ip)
    }

    /// The current time by the app's clock.
    pub fn now(&self) -> NaiveDateTime {
        crate::db::now()
    }
}

/// What a finished action says, and where it sends the user if not back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub message: String,
    pub to: Option<String>,
    /// Something done that needs a look (a notice of its own, after the success).
    pub warning: Option<String>,
}

impl Done {
    /// Back to the action's page with a success notice.
    pub fn flash(message: impl Into<String>) -> Done {
        Done { message: message.into(), to: None, warning: None }
    }

    /// To another page (the thing just made) with a success notice.
    pub fn then(message: impl Into<String>, to: impl Into<String>) -> Done {
        Done { message: message.into(), to: Some(to.into()), warning: None }
    }

    /// With a warning shown as its own notice.
    pub fn warn(mut self, warning: impl Into<String>) -> Done {
        self.warning = Some(warning.into());
        self
    }
}

impl From<String> for Done {
    fn from(message: String) -> Done {
        Done::flash(message)
    }
}

impl From<&'static str> for Done {
    fn from(message: &'static str) -> Done {
        Done::flash(message)
    }
}

/// Why a transaction stopped: the feature refused, or something failed.
enum Stop<R> {
    Refused(R),
    Failed(AppError),
}

impl<R> From<diesel::result::Error> for Stop<R> {
    fn from(err: diesel::result::Error) -> Self {
        Stop::Failed(err.into())
    }
}

/// Runs `work` as one write transaction on the blocking pool and answers the
/// result: committed → the success notice; refused → rolled back, the reason
/// as an error notice; then a redirect to `back` (or where [`Done`] says).
/// Failures (database, not found…) are the usual error pages.
pub async fn act<D, R, F>(
    ctx: &Ctx,
    req: &HttpRequest,
    state: &AppState,
    back: &str,
    work: F,
) -> AppResult<HttpResponse>
where
    D: Into<Done> + Send + 'static,
    R: Display + Send + 'static,
    F: FnOnce(&mut Conn, &Actor) -> AppResult<Result<D, R>> + Send + 'static,
{
    let actor = Actor::of(ctx, req)?;
    let outcome = run(state, actor, work).await?;
    Ok(answer(ctx, back, outcome))
}

/// [`act`]'s transaction, for handlers that answer otherwise (JSON, a
/// re-rendered form): Ok(done) committed, Err(refusal) rolled back.
pub async fn run<D, R, F>(state: &AppState, actor: Actor, work: F) -> AppResult<Result<Done, R>>
where
    D: Into<Done> + Send + 'static,
    R: Display + Send + 'static,
    F: FnOnce(&mut Conn, &Actor) -> AppResult<Result<D, R>> + Send + 'static,
{
    state
        .db(move |conn| {
            let result = write(conn, |conn| match work(conn, &actor) {
                Ok(Ok(done)) => Ok(done.into()),
                Ok(Err(refusal)) => Err(Stop::Refused(refusal)),
                Err(err) => Err(Stop::Failed(err)),
            });
            match result {
                Ok(done) => Ok(Ok(done)),
                Err(Stop::Refused(refusal)) => Ok(Err(refusal)),
                Err(Stop::Failed(err)) => Err(err),
            }
        })
        .await
}

/// The flash and redirect for an outcome.
pub fn answer<R: Display>(ctx: &Ctx, back: &str, outcome: Result<Done, R>) -> HttpResponse {
    match outcome {
        Ok(done) => {
            ctx.flash("success", done.message);
            if let Some(w) = done.warning {
                ctx.flash("info", w);
            }
            redirect(done.to.as_deref().unwrap_or(back))
        }
        Err(refusal) => {
            ctx.flash("error", refusal.to_string());
            redirect(back)
        }
    }
}

/// A refusal decided before any database work (a form that does not parse):
/// the error notice and back.
pub fn refuse<R: Display>(ctx: &Ctx, back: &str, refusal: R) -> HttpResponse {
    answer::<R>(ctx, back, Err(refusal))
}
