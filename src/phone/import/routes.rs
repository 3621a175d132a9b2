//! The trainer's phone-test import: form and template → upload and dry run → confirm.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;
use tera::Context;

use super::{commit, dry_run, rules, ImportError, Plan};
use crate::db::{now, Conn};
use crate::roster::parse::read_table;
use crate::web::upload::{Upload, MAX_UPLOAD_BYTES};
use crate::web::{client_ip, msg, redirect, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

const KIND: &str = "phone_calls";
const SHOWN_ROWS: usize = 50;

#[derive(Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

/// GET /phone/import: the tested month and the file, with the columns explained.
pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let month = query.into_inner().month.and_then(|m| crate::exam::rules::parse_month(&m));
    let items = state.db(|conn| Ok(super::model::Rubric::current(conn, now())?.1.items())).await?;
    let mut c = Context::new();
    c.insert("month", &month.unwrap_or_else(|| crate::time::local_month(now())));
    c.insert("items", &items);
    ctx.render("phone/import.html", c)
}

/// Reads the multipart form: `month` and `file`.
async fn read_form(mut form: Multipart) -> AppResult<(String, Option<(String, Vec<u8>)>)> {
    let (mut month, mut file) = (String::new(), None);
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|_| AppError::bad_request(msg::UPLOAD_INCOMPLETE))?;
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.content_disposition().and_then(|cd| cd.get_filename()).map(str::to_string);
        let limit = if name == "file" { MAX_UPLOAD_BYTES } else { 64 };
        let mut data = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| AppError::bad_request(msg::UPLOAD_INCOMPLETE))?;
            if data.len() + chunk.len() > limit {
                return Err(AppError::bad_request(msg::FILE_TOO_LARGE));
            }
            data.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "month" => month = String::from_utf8_lossy(&data).into_owned(),
            "file" if !data.is_empty() => file = filename.filter(|f| !f.is_empty()).map(|f| (f, data)),
            _ => {}
        }
    }
    Ok((month, file))
}

fn back_with_error(ctx: &Ctx, message: String) -> HttpResponse {
    ctx.flash("error", message);
    redirect("/phone/import")
}

/// POST /phone/import/preview: the dry run; the file is kept for the confirmation.
pub async fn preview(ctx: Ctx, state: web::Data<AppState>, form: Multipart) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let (month, file) = read_form(form).await?;
    let Some(month) = crate::exam::rules::parse_month(&month) else {
        return Ok(back_with_error(&ctx, msg::EXAM_BAD_MONTH.into()));
    };
    let Some((filename, bytes)) = file else {
        return Ok(back_with_error(&ctx, msg::NO_FILE_CHOSEN.into()));
    };
    let outcome = state
        .db(move |conn| {
            let table = match read_table(&filename, &bytes) {
                Ok(table) => table,
                Err(message) => return Ok(Err(message)),
            };
            let plan = dry_run(conn, &month, &table)?;
            Upload::purge_stale(conn)?;
            let id = Upload::insert(conn, KIND, &filename, &bytes, me)?;
            Ok(Ok((id, plan)))
        })
        .await?;
    match outcome {
        Ok((upload_id, plan)) => render_preview(&ctx, StatusCode::OK, upload_id, &plan, None),
        Err(message) => Ok(back_with_error(&ctx, message)),
    }
}

fn render_preview(
    ctx: &Ctx,
    status: StatusCode,
    upload_id: i32,
    plan: &Plan,
    error: Option<&str>,
) -> AppResult<HttpResponse> {
    let mut c = Context::new();
    c.insert("upload_id", &upload_id);
    c.insert("plan", plan);
    c.insert("shown", &plan.rows.iter().take(SHOWN_ROWS).collect::<Vec<_>>());
    c.insert("fingerprint", &plan.fingerprint());
    c.insert("error", &error);
    ctx.render_status(status, "phone/import_preview.html", c)
}

fn stored_table(conn: &mut Conn, upload_id: i32, me: i32) -> AppResult<Vec<Vec<String>>> {
    let upload = Upload::find_own(conn, upload_id, KIND, me)?;
    read_table(&upload.filename, &upload.content).map_err(AppError::bad_request)
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    month: String,
    fingerprint: String,
}

/// POST /phone/import/{upload_id}/confirm: stores every call, then shows the month's report.
pub async fn confirm(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<ConfirmForm>,
) -> AppResult<HttpResponse> {
    let (me, upload_id, form, ip) = (ctx.user()?.id, path.into_inner(), form.into_inner(), client_ip(&req));
    let month =
        crate::exam::rules::parse_month(&form.month).ok_or(AppError::bad_request(msg::EXAM_BAD_MONTH))?;
    let m = month.clone();
    let (result, current) = state
        .db(move |conn| {
            let table = stored_table(conn, upload_id, me)?;
            let result = commit(conn, &m, &table, Some(&form.fingerprint), Some(me), &ip);
            let current = match &result {
                Ok(_) => {
                    if let Err(e) = Upload::delete(conn, upload_id) {
                        tracing::warn!(error = %e, upload_id, "could not delete an imported upload");
                    }
                    None
                }
                Err(ImportError::Changed) => Some(dry_run(conn, &m, &table)?),
                Err(_) => None,
            };
            Ok((result, current))
        })
        .await?;
    match (result, current) {
        (Ok(plan), _) => {
            ctx.flash("success", msg::phone_import_done(plan.first, plan.second));
            Ok(redirect(&format!("/phone/report?month={month}")))
        }
        (Err(ImportError::Db(e)), _) => Err(AppError::Db(e)),
        (Err(ImportError::Invalid(plan)), _) => {
            render_preview(&ctx, StatusCode::BAD_REQUEST, upload_id, &plan, Some(msg::IMPORT_FILE_HAS_ERRORS))
        }
        (Err(ImportError::Changed), Some(plan)) => {
            render_preview(&ctx, StatusCode::CONFLICT, upload_id, &plan, Some(msg::IMPORT_CHANGED))
        }
        (Err(e), _) => Ok(back_with_error(&ctx, e.to_string())),
    }
}

/// GET /phone/import/template.xlsx: the header row for the current rubric.
pub async fn template(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let items = state.db(|conn| Ok(super::model::Rubric::current(conn, now())?.1.items())).await?;
    let bytes = template_xlsx(&items).map_err(AppError::internal)?;
    Ok(xlsx_response(bytes, "phone-tests-template.xlsx"))
}

pub fn template_xlsx(items: &[crate::phone::rules::Item]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let names: Vec<String> = rules::HEAD
        .iter()
        .map(|s| s.to_string())
        .chain(items.iter().map(|i| i.name.clone()))
        .chain(rules::TAIL.iter().map(|s| s.to_string()))
        .collect();
    for (c, h) in names.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold)?;
    }
    sheet.set_column_width(0, 18)?;
    sheet.set_column_width(1, 18)?;
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}
