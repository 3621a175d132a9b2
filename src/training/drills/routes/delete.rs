//! POST /training/drills/{id}/delete.

use std::convert::Infallible;

use actix_web::{web, HttpRequest, HttpResponse};

use crate::training::access::may_record;
use crate::training::drills::model;
use crate::web::action::{self, Done};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

/// POST /training/drills/{id}/delete: the hall's team leader (within the
/// last quarter) or an admin; anyone else finds nothing.
pub async fn delete(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (id, me) = (path.into_inner(), ctx.user()?.clone());
    action::act(&ctx, &req, &state, "/training/drills", move |conn, actor| {
        let d = model::find(conn, id)?;
        if !may_record(&me, d.hall_id) {
            return Err(AppError::NotFound);
        }
        model::check_date(&me, d.drilled_on).map_err(|_| AppError::bad_request(msg::DRILL_DELETE_TOO_OLD))?;
        model::delete(conn, id)?;
        let (hall, clerk) = (crate::audit::unit(conn, d.hall_id)?, crate::audit::person(conn, d.clerk_id)?);
        let detail = msg::audit_drill_delete(d.id, &hall, &clerk, &d.drilled_on.to_string(), d.seconds);
        actor.audit(conn, "drill_delete", &detail)?;
        let back = format!("/training/drills?month={}&hall={}", d.month, d.hall_id);
        Ok(Ok::<_, Infallible>(Done::then(msg::DRILL_DELETED, back)))
    })
    .await
}
