//! Filling in an inspection at the hall, on a phone: start it, save each
//! item as it is given (verdict, note, photo), the queue, then submit.

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

use crate::inspect::access::Who;
use crate::inspect::model::{Inspection, Kind, Photo};
use crate::inspect::photo::{self, PhotoError};
use crate::inspect::rules::{Outcome, Queue};
use crate::inspect::view;
use crate::web::action::{self, Actor, Done};
use crate::web::{msg, redirect, AppError, AppResult, Ctx};
use crate::AppState;

/// Photos kept per item: enough for a wide shot and close-ups.
const PHOTOS_PER_ITEM: usize = 5;
const NOTE_LIMIT: usize = 500;

#[derive(Deserialize)]
pub struct HallForm {
    hall: i32,
}

/// POST /inspections/daily: starts today's daily check of a hall the user
/// manages or leads (or continues their unfinished one).
pub async fn start_daily(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<HallForm>,
) -> AppResult<HttpResponse> {
    let hall = form.hall;
    let me = ctx.user()?.clone();
    action::act(&ctx, &req, &state, "/inspections", move |conn, actor| {
        let who = Who::load(conn, me)?;
        if !who.daily_halls().contains(&hall) {
            return Err(AppError::Forbidden);
        }
        let today = crate::time::local_date(actor.now());
        if let Some(open) = Inspection::open_today(conn, Kind::Daily, hall, actor.id, today)? {
            return Ok(Ok::<_, String>(Done::then(
                msg::INSPECT_CONTINUED,
                format!("/inspections/{}", open.id),
            )));
        }
        let i = Inspection::start(conn, Kind::Daily, hall, actor.id, None, actor.now())?;
        actor.audit(
            conn,
            "inspection_started",
            &msg::audit_inspection(i.id, Kind::Daily.label(), &who.tree.name(Some(hall))),
        )?;
        Ok(Ok(Done::then(msg::INSPECT_STARTED, format!("/inspections/{}", i.id))))
    })
    .await
}

/// GET /inspections/{id}: the form for its inspector until submitted, else the result.
pub async fn show(ctx: Ctx, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let me = ctx.user()?.clone();
    let (v, editable, order, may_issue) = state
        .db(move |conn| {
            let i = Inspection::find(conn, id)?;
            let who = Who::load(conn, me)?;
            if !who.sees(&i) {
                return Err(AppError::NotFound);
            }
            let order = crate::inspect::orders::Order::of_inspection(conn, i.id)?.map(|o| o.id);
            let v = view::load(conn, &i, &who.tree)?;
            let may_issue = i.kind.issues_orders()
                && v.submitted
                && order.is_none()
                && v.failed > 0
                && (who.city || i.inspector_id == who.me.id);
            Ok((v, who.fills(&i), order, may_issue))
        })
        .await?;
    let mut c = Context::new();
    c.insert("i", &v);
    c.insert("editable", &editable);
    c.insert("order", &order);
    c.insert("may_issue", &may_issue);
    let today = crate::time::local_date(crate::db::now());
    c.insert("default_due", &crate::inspect::routes::orders::default_due(today).to_string());
    ctx.render("inspect/inspection.html", c)
}

/// Loads an inspection its inspector may still fill in.
fn fillable(conn: &mut crate::db::Conn, id: i32, actor: &Actor) -> AppResult<Inspection> {
    let i = Inspection::find(conn, id)?;
    if i.inspector_id != actor.id {
        return Err(AppError::NotFound);
    }
    Ok(i)
}

/// POST /inspections/{id}/item (multipart: code, outcome, note, optional
/// photo): saves one item. A script asking for JSON gets the progress; a
/// plain form goes back to the item.
pub async fn item(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (fields, file) = crate::web::upload::read_multipart(form, &["code", "outcome", "note"], 4096).await?;
    let code = fields.get("code").map(|c| c.trim().to_string()).unwrap_or_default();
    let outcome = fields.get("outcome").and_then(|o| Outcome::parse(o.trim()));
    let note: String =
        fields.get("note").map(|n| n.trim().chars().take(NOTE_LIMIT).collect()).unwrap_or_default();
    let processed = photo::from_upload(file).await?;
    let back = format!("/inspections/{id}#item-{code}");
    let wants_json = req
        .headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"));
    let actor = Actor::of(&ctx, &req)?;
    let done = action::run(&state, actor, move |conn, actor| {
        let i = fillable(conn, id, actor)?;
        if i.submitted_at.is_some() {
            return Ok(Err(msg::INSPECT_ALREADY_SUBMITTED.to_string()));
        }
        let standard = i.standard(conn)?;
        let Some(it) = standard.item(&code) else {
            return Err(AppError::bad_request(msg::INSPECT_NO_SUCH_ITEM));
        };
        if let Some(outcome) = outcome {
            if it.queue && outcome != Outcome::Na {
                return Err(AppError::bad_request(msg::INSPECT_NO_SUCH_ITEM));
            }
            Inspection::save_verdict(conn, id, &code, outcome, &note, actor.now())?;
        }
        match processed {
            Some(Ok(p)) => {
                let have = Photo::of_inspection(conn, id)?.iter().filter(|x| x.item_code == code).count();
                if have >= PHOTOS_PER_ITEM {
                    return Ok(Err(msg::inspect_photo_limit(PHOTOS_PER_ITEM)));
                }
                Photo::insert(conn, Some(id), &code, None, &p, actor.id, actor.now())?;
            }
            Some(Err(e)) => return Ok(Err(photo_error(&e).to_string())),
            None => {}
        }
        Ok(Ok(Done::flash(msg::INSPECT_ITEM_SAVED)))
    })
    .await?;
    if wants_json {
        return progress_json(&ctx, &state, id, done.err()).await;
    }
    match done {
        Ok(d) => ctx.flash("success", d.message),
        Err(e) => ctx.flash("error", e),
    }
    Ok(redirect(&back))
}

/// The form's progress after a save, for the script: answered items, the
/// score so far, each item's photos, and the refusal if there was one.
async fn progress_json(
    ctx: &Ctx,
    state: &AppState,
    id: i32,
    error: Option<String>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let v = state
        .db(move |conn| {
            let i = Inspection::find(conn, id)?;
            let who = Who::load(conn, me)?;
            if !who.sees(&i) {
                return Err(AppError::NotFound);
            }
            Ok(view::load(conn, &i, &who.tree)?)
        })
        .await?;
    let photos: serde_json::Map<String, serde_json::Value> = v
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .map(|it| (it.code.clone(), serde_json::json!(it.photos)))
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "ok": error.is_none(),
        "error": error,
        "answered": v.answered,
        "total": v.total_items,
        "score": v.score,
        "missing": v.missing,
        "photos": photos,
    })))
}

pub fn photo_error(e: &PhotoError) -> &'static str {
    match e {
        PhotoError::Empty => msg::NO_FILE_CHOSEN,
        PhotoError::TooBig => msg::FILE_TOO_LARGE,
        PhotoError::Heic => msg::INSPECT_PHOTO_HEIC,
        PhotoError::NotImage => msg::INSPECT_PHOTO_NOT_IMAGE,
        PhotoError::Unreadable => msg::INSPECT_PHOTO_UNREADABLE,
    }
}

#[derive(Deserialize)]
pub struct QueueForm {
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    waiting: String,
    /// 不适用: the hall has no queue system (a small county hall).
    #[serde(default)]
    na: Option<String>,
}

/// POST /inspections/{id}/queue: the longest wait and how many were waiting.
pub async fn queue(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<QueueForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let f = form.into_inner();
    let back = format!("/inspections/{id}#queue");
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let i = fillable(conn, id, actor)?;
        if i.submitted_at.is_some() {
            return Ok(Err(msg::INSPECT_ALREADY_SUBMITTED.to_string()));
        }
        let standard = i.standard(conn)?;
        let code = standard.items.iter().find(|it| it.queue).map(|it| it.code.clone()).unwrap_or_default();
        if f.na.is_some() {
            Inspection::save_queue(conn, id, None)?;
            Inspection::save_verdict(conn, id, &code, Outcome::Na, "", actor.now())?;
            return Ok(Ok(Done::flash(msg::INSPECT_ITEM_SAVED)));
        }
        let number = |t: &str, max: i64| t.trim().parse::<i64>().ok().filter(|n| (0..=max).contains(n));
        let (Some(minutes), Some(waiting)) = (number(&f.minutes, 600), number(&f.waiting, 500)) else {
            return Ok(Err(msg::INSPECT_QUEUE_INVALID.to_string()));
        };
        Inspection::save_queue(conn, id, Some(Queue { minutes, waiting }))?;
        crate::inspect::model::clear_verdict(conn, id, &code)?;
        Ok(Ok(Done::flash(msg::INSPECT_ITEM_SAVED)))
    })
    .await
}

/// POST /inspections/{id}/submit: scores it, records its defects; a city or
/// cross inspection with failed items goes on to its 纠错单.
pub async fn submit(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let back = format!("/inspections/{id}");
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let i = fillable(conn, id, actor)?;
        if i.submitted_at.is_some() {
            return Ok(Err(msg::INSPECT_ALREADY_SUBMITTED.to_string()));
        }
        let standard = i.standard(conn)?;
        let scored = match i.submit(conn, actor.now())? {
            Ok(s) => s,
            Err(missing) => return Ok(Err(view::missing_text(&standard, &missing))),
        };
        let score = crate::domain::score::short_decimals(scored.total);
        actor.audit(
            conn,
            "inspection_submitted",
            &msg::audit_inspection_submitted(id, &score, scored.failed.len()),
        )?;
        Ok(Ok(Done::flash(msg::inspect_submitted(&score, scored.failed.len(), scored.zero_hits.len()))))
    })
    .await
}

#[derive(Deserialize)]
pub struct PhotoQuery {
    #[serde(default)]
    thumb: Option<String>,
}

/// GET /inspections/photos/{id}: a photo, to whoever may see its inspection (or its 纠错单).
pub async fn photo(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    q: web::Query<PhotoQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let thumb = q.thumb.is_some();
    let me = ctx.user()?.clone();
    let bytes = state
        .db(move |conn| {
            let p = Photo::find(conn, id)?;
            let who = Who::load(conn, me)?;
            let inspection = match (p.inspection_id, p.event_id) {
                (Some(i), _) => Inspection::find(conn, i)?,
                (None, Some(e)) => crate::inspect::orders::Order::inspection_of_event(conn, e)?,
                (None, None) => return Err(AppError::NotFound),
            };
            if !who.sees(&inspection) {
                return Err(AppError::NotFound);
            }
            Ok(Photo::bytes(conn, id, thumb)?)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header(("Cache-Control", "private, max-age=86400"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes))
}

/// POST /inspections/photos/{id}/delete: the inspector removes a photo before submitting.
pub async fn delete_photo(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let me = ctx.user()?.id;
    let (inspection, code) = state
        .db(move |conn| {
            let p = Photo::find(conn, id)?;
            let i = p.inspection_id.ok_or(AppError::NotFound)?;
            let ins = Inspection::find(conn, i)?;
            if ins.inspector_id != me {
                return Err(AppError::NotFound);
            }
            Ok((i, p.item_code))
        })
        .await?;
    let back = format!("/inspections/{inspection}#item-{code}");
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let i = fillable(conn, inspection, actor)?;
        if i.submitted_at.is_some() {
            return Ok(Err(msg::INSPECT_ALREADY_SUBMITTED));
        }
        Photo::delete(conn, id)?;
        Ok(Ok(msg::INSPECT_PHOTO_DELETED))
    })
    .await
}
