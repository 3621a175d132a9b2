//! GET /training/study/export.xlsx: the month's study in Excel.

use actix_web::{web, HttpResponse};

use super::{hall_of, visible_hall, ListQuery};
use crate::domain::OrgTree;
use crate::training::access::may_view;
use crate::training::study::model::StudySession;
use crate::training::study::summary::{self, HallStudy};
use crate::web::month::month_or_this;
use crate::web::{msg, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

/// GET /training/study/export.xlsx?month=[&hall=]: the hall summary and the
/// sessions of the month, limited to what the viewer may see.
pub async fn export_xlsx(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let month = month_or_this(q.month.as_deref(), msg::STUDY_MONTH)?;
    let hall = hall_of(q.hall.as_deref())?;
    let me = ctx.user()?.clone();
    let bytes = state
        .db(move |conn| {
            if let Some(h) = hall {
                visible_hall(conn, &me, h)?;
            }
            let tree = OrgTree::load(conn)?;
            let keep = |id: i32| hall.is_none_or(|h| h == id) && may_view(&me, &tree, id);
            let halls: Vec<HallStudy> =
                summary::hall_month_summary(conn, month)?.into_iter().filter(|h| keep(h.hall_id)).collect();
            let sessions: Vec<StudySession> =
                StudySession::of_month(conn, month)?.into_iter().filter(|s| keep(s.hall_id)).collect();
            let lines = crate::training::study::export::lines(conn, &tree, &sessions)?;
            crate::training::study::export::write_xlsx(month, &halls, &lines).map_err(AppError::internal)
        })
        .await?;
    Ok(xlsx_response(bytes, &format!("study-{month}.xlsx")))
}
