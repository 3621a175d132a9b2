//! GET and POST /training/drills/new: the quick entry form (the form's
//! reading and checks: [`crate::training::drills::entry`]).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::auth::CurrentUser;
use crate::training::access::may_record;
use crate::training::drills::entry::{parse_form, store, stored_on, Entry, Refused, MAX_ROWS, ROWS};
use crate::training::drills::form::{self, RowDraft};
use crate::training::drills::model::{self, DrillType, HallChoice};
use crate::training::drills::rules::duration_text;
use crate::web::action::{self, Actor};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct NewQuery {
    hall: Option<i32>,
    date: Option<String>,
    rows: Option<usize>,
}

#[derive(Serialize)]
struct RowView<'a> {
    n: usize,
    d: &'a RowDraft,
    errors: &'a [String],
}

/// The hall of the form: the asked one if `me` records there, else their only one.
fn choose_hall(me: &CurrentUser, asked: Option<i32>, halls: &[HallChoice]) -> AppResult<Option<i32>> {
    match asked {
        Some(h) if may_record(me, h) && halls.iter().any(|c| c.id == h) => Ok(Some(h)),
        Some(_) => Err(AppError::Forbidden),
        None if halls.len() == 1 => Ok(Some(halls[0].id)),
        None => Ok(None),
    }
}

/// GET /training/drills/new (?hall=, ?date=, ?rows=).
pub async fn new_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let q = q.into_inner();
    let m = me.clone();
    let halls = state.db(move |conn| Ok(model::recording_halls(conn, &m)?)).await?;
    if halls.is_empty() {
        return Err(AppError::Forbidden);
    }
    let hall_id = choose_hall(&me, q.hall, &halls)?;
    let date = q
        .date
        .as_deref()
        .and_then(form::parse_date)
        .filter(|d| model::check_date(&me, *d).is_ok())
        .unwrap_or_else(model::today);
    let n = q.rows.unwrap_or(ROWS).clamp(ROWS, MAX_ROWS);
    let entry = Entry {
        hall_id,
        date: date.format("%Y-%m-%d").to_string(),
        rows: vec![RowDraft::default(); n],
        ..Default::default()
    };
    render(&ctx, &state, entry, halls).await
}

async fn render(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    mut entry: Entry,
    halls: Vec<HallChoice>,
) -> AppResult<HttpResponse> {
    let (hall_id, date) = (entry.hall_id, entry.date.clone());
    let (staff, types, stored) = state
        .db(move |conn| {
            let Some(hall) = hall_id else { return Ok((Vec::new(), Vec::new(), Vec::new())) };
            let types: Vec<DrillType> = DrillType::all(conn)?.into_iter().filter(|t| t.active).collect();
            Ok((model::hall_staff(conn, hall)?, types, stored_on(conn, hall, &date)?))
        })
        .await?;
    // An empty form has a row for each of the hall's staff (a weekly drill takes everyone).
    if entry.rows.iter().all(RowDraft::is_blank) && entry.rows.len() < staff.len() {
        entry.rows.resize(staff.len().min(MAX_ROWS), RowDraft::default());
    }
    let rows: Vec<RowView> = entry
        .rows
        .iter()
        .enumerate()
        .map(|(n, d)| RowView { n, d, errors: entry.row_errors.get(&n).map_or(&[], |e| e.as_slice()) })
        .collect();
    let types: Vec<(i32, String)> = types
        .into_iter()
        .map(|t| (t.id, msg::drill_type_option(&t.name, &duration_text(t.target_seconds))))
        .collect();
    let mut c = Context::new();
    c.insert("halls", &halls);
    c.insert("hall_id", &hall_id);
    c.insert("hall", &halls.iter().find(|h| Some(h.id) == hall_id));
    c.insert("date", &entry.date);
    c.insert("rows", &rows);
    c.insert("max_rows", &MAX_ROWS);
    c.insert("staff", &staff);
    c.insert("types", &types);
    c.insert("stored", &stored);
    c.insert("errors", &entry.errors);
    c.insert("failed", &(!entry.errors.is_empty() || !entry.row_errors.is_empty()));
    let status = if entry.errors.is_empty() && entry.row_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.render_status(status, "training/drill_form.html", c)
}

/// POST /training/drills: stores every row of the form, or none.
pub async fn record(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let pairs = form.into_inner();
    // "More rows": the same form again with what was typed and more blank rows, nothing saved.
    let more = pairs.iter().any(|(k, _)| k == "more");
    let mut entry = parse_form(pairs);
    let hall = entry.hall_id.ok_or_else(|| AppError::bad_request(msg::DRILL_NO_HALL))?;
    if !may_record(&me, hall) {
        return Err(AppError::Forbidden);
    }
    if more {
        let n = (entry.rows.len().max(ROWS) + ROWS).min(MAX_ROWS);
        entry.rows.resize(n, RowDraft::default());
        let halls = state.db(move |conn| Ok(model::recording_halls(conn, &me)?)).await?;
        return render(&ctx, &state, entry, halls).await;
    }
    let m = me.clone();
    let outcome =
        action::run(&state, Actor::of(&ctx, &req)?, move |conn, actor| store(conn, actor, &m, hall, entry))
            .await?;
    match outcome {
        Ok(done) => Ok(action::answer(&ctx, "/training/drills/new", Ok::<_, Refused>(done))),
        Err(Refused(entry)) => {
            let halls = state.db(move |conn| Ok(model::recording_halls(conn, &me)?)).await?;
            render(&ctx, &state, entry, halls).await
        }
    }
}
