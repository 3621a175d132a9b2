//! GET /inspections/standard: the standard (every version); trainers and
//! admins edit it as a new version (POST), inspections keep theirs.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use tera::Context;

use crate::auth::Role;
use crate::domain::score::{parse_hundredths, short_decimals};
use crate::inspect::rules::{Band, Item, Standard, StandardError, ZeroTolerance};
use crate::inspect::standard::Version;
use crate::web::action::{self, Done};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

/// One row of the form, as typed.
#[derive(Debug, Clone, Default, Serialize)]
struct RowDraft {
    code: String,
    section: String,
    name: String,
    how: String,
    points: String,
    zero: String,
    photo: bool,
    queue: bool,
}

impl From<&Item> for RowDraft {
    fn from(i: &Item) -> Self {
        RowDraft {
            code: i.code.clone(),
            section: i.section.clone(),
            name: i.name.clone(),
            how: i.how.clone(),
            points: short_decimals(i.points),
            zero: match i.zero {
                ZeroTolerance::None => "",
                ZeroTolerance::Section => "section",
                ZeroTolerance::All => "all",
            }
            .into(),
            photo: i.photo_on_fail,
            queue: i.queue,
        }
    }
}

fn standard_error(e: &StandardError) -> String {
    match e {
        StandardError::Empty => msg::INSPECT_STANDARD_EMPTY.to_string(),
        StandardError::Sum(n) => msg::inspect_standard_sum(&short_decimals(*n)),
        StandardError::BadItem(name) => msg::inspect_standard_bad_item(name),
        StandardError::DuplicateCode(code) => msg::inspect_standard_duplicate(code),
        StandardError::QueueItems(_) => msg::INSPECT_STANDARD_QUEUE.to_string(),
        StandardError::Bands => msg::INSPECT_STANDARD_BANDS.to_string(),
    }
}

#[derive(Serialize)]
struct VersionRow {
    version: i32,
    at: String,
    note: String,
    by: String,
    items: usize,
}

pub async fn page(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let current =
        state.db(|conn| Ok(crate::db::write(conn, |conn| Version::current(conn, crate::db::now()))?)).await?;
    let s = current.standard();
    let bands = s.bands.iter().map(|b| (b.minutes.to_string(), b.percent.to_string())).collect();
    render(&ctx, &state, s.items.iter().map(RowDraft::from).collect(), bands, String::new(), Vec::new()).await
}

async fn render(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    mut rows: Vec<RowDraft>,
    mut bands: Vec<(String, String)>,
    note: String,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let versions = state
        .db(|conn| {
            let versions = Version::all(conn)?;
            let ids: Vec<i32> = versions.iter().filter_map(|v| v.created_by).collect();
            let names = crate::accounts::User::names(conn, &ids)?;
            Ok(versions
                .into_iter()
                .map(|v| VersionRow {
                    version: v.version,
                    at: crate::time::local_display(v.created_at),
                    by: v.created_by.and_then(|id| names.get(&id).cloned()).unwrap_or_else(|| "系统".into()),
                    items: v.standard().items.len(),
                    note: v.note,
                })
                .collect::<Vec<_>>())
        })
        .await?;
    let editor = ctx.user()?.has_any_role(&[Role::Trainer, Role::Admin]);
    // Blank rows to add items or bands; a blank row is ignored on save.
    rows.extend([RowDraft::default(), RowDraft::default()]);
    bands.push(Default::default());
    let sections: Vec<String> = {
        let mut seen: Vec<String> = Vec::new();
        for r in &rows {
            if !r.section.is_empty() && !seen.contains(&r.section) {
                seen.push(r.section.clone());
            }
        }
        seen
    };
    let mut c = Context::new();
    c.insert("rows", &rows);
    c.insert("bands", &bands);
    c.insert("sections", &sections);
    c.insert("note", &note);
    c.insert("errors", &errors);
    c.insert("versions", &versions);
    c.insert("editor", &editor);
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.render_status(status, "inspect/standard.html", c)
}

/// POST /inspections/standard: saves the table as the next version, if it checks.
pub async fn save(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    if !ctx.user()?.has_any_role(&[Role::Trainer, Role::Admin]) {
        return Err(AppError::Forbidden);
    }
    let (rows, bands, note) = parse_form(form.into_inner());
    let standard = Standard {
        items: rows
            .iter()
            .map(|r| Item {
                code: r.code.clone(),
                section: r.section.clone(),
                name: r.name.clone(),
                how: r.how.clone(),
                // Not a number: -1, which the check refuses by the item's name.
                points: parse_hundredths(&r.points).unwrap_or(-1),
                zero: match r.zero.as_str() {
                    "section" => ZeroTolerance::Section,
                    "all" => ZeroTolerance::All,
                    _ => ZeroTolerance::None,
                },
                photo_on_fail: r.photo,
                queue: r.queue,
            })
            .collect(),
        bands: bands
            .iter()
            .map(|(m, p)| Band {
                minutes: m.trim().parse().unwrap_or(-1),
                percent: p.trim().parse().unwrap_or(-1),
            })
            .collect(),
    };
    if let Err(e) = standard.validate() {
        return render(&ctx, &state, rows, bands, note, vec![standard_error(&e)]).await;
    }
    action::act(&ctx, &req, &state, "/inspections/standard", move |conn, actor| {
        let v = Version::save(conn, &standard, &note, Some(actor.id), actor.now())?;
        actor.audit(conn, "inspection_standard", &msg::audit_inspect_standard(v.version, &note))?;
        Ok(Ok::<_, String>(Done::flash(msg::inspect_standard_saved(v.version))))
    })
    .await
}

type Parsed = (Vec<RowDraft>, Vec<(String, String)>, String);

/// The form's rows (`row_<n>_<field>`) and bands (`band_<n>_minutes|percent`)
/// as typed, less the blank ones, and the change note.
fn parse_form(form: Vec<(String, String)>) -> Parsed {
    let mut rows: BTreeMap<usize, RowDraft> = BTreeMap::new();
    let mut bands: BTreeMap<usize, (String, String)> = BTreeMap::new();
    let mut note = String::new();
    for (key, value) in form {
        let value = value.trim().to_string();
        if key == "note" {
            note = value.chars().take(200).collect();
        } else if let Some((n, field)) = key.strip_prefix("row_").and_then(|k| k.split_once('_')) {
            let Ok(n) = n.parse::<usize>() else { continue };
            let row = rows.entry(n).or_default();
            match field {
                "code" => row.code = value,
                "section" => row.section = value,
                "name" => row.name = value,
                "how" => row.how = value,
                "points" => row.points = value,
                "zero" => row.zero = value,
                "photo" => row.photo = true,
                "queue" => row.queue = true,
                _ => {}
            }
        } else if let Some((n, field)) = key.strip_prefix("band_").and_then(|k| k.split_once('_')) {
            let Ok(n) = n.parse::<usize>() else { continue };
            let band = bands.entry(n).or_default();
            match field {
                "minutes" => band.0 = value,
                "percent" => band.1 = value,
                _ => {}
            }
        }
    }
    let rows = rows
        .into_values()
        .filter(|r| !(r.code.is_empty() && r.name.is_empty() && r.points.is_empty()))
        .collect();
    let bands = bands.into_values().filter(|b| !(b.0.is_empty() && b.1.is_empty())).collect();
    (rows, bands, note)
}
