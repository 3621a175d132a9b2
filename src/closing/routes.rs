//! The two POSTs of every month close: close (a city-wide supervisor or an
//! admin; it freezes the whole city's figures) and re-open (an admin, with
//! a reason), for any ledger implementing [`Closes`]. The route table names
//! them with the ledger: `closing::routes::close_month::<ReviewList>`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{close_month_of, reopen, Closes, Refusal};
use crate::domain::Month;
use crate::web::action::{self, Done};
use crate::web::{AppError, AppResult, Ctx};
use crate::AppState;

/// The close and re-open forms: the month, and for re-opening a reason.
#[derive(Deserialize)]
pub struct CloseForm {
    month: String,
    #[serde(default)]
    reason: String,
}

fn month_of(form: &CloseForm) -> AppResult<Month> {
    Month::parse(&form.month).map_err(|_| AppError::NotFound)
}

/// POST …/close for ledger `L`.
pub async fn close_month<L: Closes>(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CloseForm>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let month = month_of(&form)?;
    action::act(&ctx, &req, &state, &L::page(month), move |conn, actor| {
        if !crate::accounts::User::is_city_wide(conn, &me)? {
            return Ok(Err(Refusal::CityOnly(L::KIND)));
        }
        let snapshot = match close_month_of::<L>(conn, month, actor.id, actor.now())? {
            Ok(snapshot) => snapshot,
            Err(why) => return Ok(Err(why)),
        };
        let (action, detail, notice) = L::close_notes(month, &snapshot);
        actor.audit(conn, action, &detail)?;
        Ok(Ok(Done::flash(notice)))
    })
    .await
}

/// POST …/reopen for ledger `L`.
pub async fn reopen_month<L: Closes>(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CloseForm>,
) -> AppResult<HttpResponse> {
    let month = month_of(&form)?;
    let reason = form.into_inner().reason.trim().to_string();
    action::act(&ctx, &req, &state, &L::page(month), move |conn, actor| {
        if let Err(why) = reopen(conn, L::KIND, month, actor.id, &reason, actor.now())? {
            return Ok(Err(why));
        }
        let (action, detail, notice) = L::reopen_notes(month, &reason);
        actor.audit(conn, action, &detail)?;
        Ok(Ok(Done::flash(notice)))
    })
    .await
}
