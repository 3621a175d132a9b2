//! The rubric: editing it, each save a new version.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use tera::Context;

use crate::db::{now, write};
use crate::phone::model::Rubric;
use crate::phone::rules::{self, Item, RubricError};
use crate::web::action::{self, Done};
use crate::web::{msg, AppResult, Ctx};
use crate::AppState;

/// One row of the rubric form, as typed.
#[derive(Debug, Clone, Default, Serialize)]
struct RowDraft {
    code: String,
    name: String,
    points: String,
    critical: bool,
    allow_na: bool,
}

impl From<&Item> for RowDraft {
    fn from(i: &Item) -> Self {
        RowDraft {
            code: i.code.clone(),
            name: i.name.clone(),
            points: i.points.to_string(),
            critical: i.critical,
            allow_na: i.allow_na,
        }
    }
}

fn rubric_error(e: &RubricError) -> String {
    match e {
        RubricError::Empty => msg::PHONE_RUBRIC_EMPTY.to_string(),
        RubricError::Sum(n) => msg::phone_rubric_sum(*n),
        RubricError::BadItem(name) => msg::phone_rubric_bad_item(name),
        RubricError::DuplicateCode(code) => msg::phone_rubric_duplicate(code),
    }
}

/// GET /phone/rubric: the current items as an editable table, and every version.
pub async fn rubric_page(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let (_, current) = state.db(|conn| Ok(write(conn, |conn| Rubric::current(conn, now()))?)).await?;
    let rows: Vec<RowDraft> = current.items().iter().map(RowDraft::from).collect();
    render_rubric(&ctx, &state, rows, String::new(), Vec::new()).await
}

async fn render_rubric(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    mut rows: Vec<RowDraft>,
    note: String,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let versions = state
        .db(|conn| {
            let versions = Rubric::versions(conn)?;
            let ids: Vec<i32> = versions.iter().filter_map(|v| v.created_by).collect();
            let names = crate::accounts::User::names(conn, &ids)?;
            Ok(versions
                .into_iter()
                .map(|v| {
                    let by = v.created_by.and_then(|id| names.get(&id).cloned()).unwrap_or_default();
                    (v.version, crate::time::local_display(v.created_at), v.note.clone(), by, v.items())
                })
                .collect::<Vec<_>>())
        })
        .await?;
    // Two blank rows to add items; a blank row is ignored on save.
    rows.extend([RowDraft::default(), RowDraft::default()]);
    let mut c = Context::new();
    c.insert("rows", &rows);
    c.insert("note", &note);
    c.insert("errors", &errors);
    c.insert("versions", &versions);
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.render_status(status, "phone/rubric.html", c)
}

/// POST /phone/rubric: saves the table as the next version, if it checks.
pub async fn save_rubric(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let (rows, note) = rubric_rows(form.into_inner());
    let items: Vec<Item> = rows
        .iter()
        .map(|r| Item {
            code: r.code.clone(),
            name: r.name.clone(),
            // Not a whole number: 0, which the check refuses by the item's name.
            points: r.points.parse().unwrap_or(0),
            critical: r.critical,
            allow_na: r.allow_na,
        })
        .collect();
    if let Err(e) = rules::check_rubric(&items) {
        return render_rubric(&ctx, &state, rows, note, vec![rubric_error(&e)]).await;
    }
    action::act(&ctx, &req, &state, "/phone/rubric", move |conn, actor| {
        let v = Rubric::edit(conn, &items, &note, actor.id, actor.now())?;
        actor.audit(conn, "phone_rubric", &msg::audit_phone_rubric(v.version, &note))?;
        Ok(Ok::<_, String>(Done::flash(msg::phone_rubric_saved(v.version))))
    })
    .await
}

/// The rubric form's rows as typed (`row_<n>_<field>`), less the removed and
/// blank ones, and the change note.
fn rubric_rows(form: Vec<(String, String)>) -> (Vec<RowDraft>, String) {
    let mut rows: BTreeMap<usize, RowDraft> = BTreeMap::new();
    let mut removed = Vec::new();
    let mut note = String::new();
    for (key, value) in form {
        if key == "note" {
            note = value.trim().chars().take(200).collect();
            continue;
        }
        let Some((n, field)) = key.strip_prefix("row_").and_then(|k| k.split_once('_')) else { continue };
        let Ok(n) = n.parse::<usize>() else { continue };
        let row = rows.entry(n).or_default();
        match field {
            "code" => row.code = value.trim().to_string(),
            "name" => row.name = value.trim().to_string(),
            "points" => row.points = value.trim().to_string(),
            "critical" => row.critical = true,
            "allow_na" => row.allow_na = true,
            "remove" => removed.push(n),
            _ => {}
        }
    }
    let rows = rows
        .into_iter()
        .filter(|(n, r)| {
            let blank = r.code.is_empty() && r.name.is_empty() && r.points.is_empty();
            !removed.contains(n) && !blank
        })
        .map(|(_, r)| r)
        .collect();
    (rows, note)
}

// ---- Scenarios ----
