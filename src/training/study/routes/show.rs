//! GET /training/study/{id}: one session.

use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use tera::Context;

use super::{visible_hall, SessionRow};
use crate::training::access::may_record;
use crate::training::study::model::{self as study, StudySession};
use crate::web::{AppError, AppResult, Ctx};
use crate::AppState;

/// GET /training/study/{id}: a session with its attendees and articles;
/// outside the viewer's halls it does not exist.
pub async fn show(ctx: Ctx, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let me = ctx.user()?.clone();
    let (s, hall, names, articles, recorder) = state
        .db(move |conn| {
            let s = StudySession::find(conn, id).optional()?.ok_or(AppError::NotFound)?;
            let hall = visible_hall(conn, &me, s.hall_id)?;
            let attendees = StudySession::attendees_of(conn, &[id])?.remove(&id).unwrap_or_default();
            let members = study::roster(conn, s.hall_id, &attendees)?;
            let names: Vec<study::Member> =
                members.into_iter().filter(|m| attendees.contains(&m.id)).collect();
            let articles = study::article_titles(conn, &s.articles())?;
            let recorder = match s.created_by {
                Some(by) => crate::accounts::User::names(conn, &[by])?.remove(&by),
                None => None,
            };
            Ok((s, hall, names, articles, recorder))
        })
        .await?;
    let mut c = Context::new();
    c.insert("s", &SessionRow::new(&s, names.len()));
    c.insert("month", &s.month);
    c.insert("notes", &s.notes);
    c.insert("hall_id", &hall.id);
    c.insert("hall", &hall.name);
    c.insert("attendees", &names);
    c.insert("articles", &articles);
    c.insert("recorder", &recorder.unwrap_or_default());
    c.insert("created_at", &crate::time::local_display(s.created_at));
    c.insert("updated_at", &(s.updated_at != s.created_at).then(|| crate::time::local_display(s.updated_at)));
    c.insert("can_edit", &may_record(ctx.user()?, hall.id));
    ctx.render("training/study_show.html", c)
}
