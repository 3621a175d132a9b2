//! The trainer's results import: form → upload and dry run → confirm.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;
use tera::Context;

use super::{commit, dry_run, CommitOptions, ImportError, Plan, Target};
use crate::db::{now, Conn};
use crate::roster::parse::read_table;
use crate::web::upload::{Upload, MAX_UPLOAD_BYTES};
use crate::web::{client_ip, msg, redirect, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

const KIND: &str = "results";
/// Rows of the file shown in the preview.
const SHOWN_ROWS: usize = 50;

#[derive(Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

/// GET /review/import: month, title and file.
pub async fn index(ctx: Ctx, query: web::Query<MonthQuery>) -> AppResult<HttpResponse> {
    let month = query.into_inner().month.and_then(|m| crate::exam::rules::parse_month(&m));
    let mut c = Context::new();
    c.insert("month", &month.unwrap_or_else(|| crate::time::local_month(now())));
    c.insert("max_title", &super::rules::MAX_TITLE_CHARS);
    ctx.render("review/import.html", c)
}

/// The upload form: the month, the title and the file.
#[derive(Default)]
struct UploadForm {
    month: String,
    title: String,
    file: Option<(String, Vec<u8>)>,
}

/// Reads the multipart form; text fields are short, the file at most [`MAX_UPLOAD_BYTES`].
async fn read_form(mut form: Multipart) -> AppResult<UploadForm> {
    let mut out = UploadForm::default();
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|_| AppError::bad_request(msg::UPLOAD_INCOMPLETE))?;
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.content_disposition().and_then(|cd| cd.get_filename()).map(str::to_string);
        let limit = if name == "file" { MAX_UPLOAD_BYTES } else { 4096 };
        let mut data = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| AppError::bad_request(msg::UPLOAD_INCOMPLETE))?;
            if data.len() + chunk.len() > limit {
                return Err(AppError::bad_request(msg::FILE_TOO_LARGE));
            }
            data.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "month" => out.month = String::from_utf8_lossy(&data).into_owned(),
            "title" => out.title = String::from_utf8_lossy(&data).into_owned(),
            "file" if !data.is_empty() => out.file = filename.filter(|f| !f.is_empty()).map(|f| (f, data)),
            _ => {}
        }
    }
    Ok(out)
}

fn back_with_error(ctx: &Ctx, month: &str, message: String) -> HttpResponse {
    ctx.flash("error", message);
    match crate::exam::rules::parse_month(month) {
        Some(month) => redirect(&format!("/review/import?month={month}")),
        None => redirect("/review/import"),
    }
}

/// POST /review/import/preview: the dry run. A month that cannot take an
/// import is refused before anything is stored.
pub async fn preview(ctx: Ctx, state: web::Data<AppState>, form: Multipart) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let form = read_form(form).await?;
    let target = match Target::parse(&form.month, &form.title) {
        Ok(target) => target,
        Err(message) => return Ok(back_with_error(&ctx, &form.month, message)),
    };
    let Some((filename, bytes)) = form.file else {
        return Ok(back_with_error(&ctx, &form.month, msg::NO_FILE_CHOSEN.into()));
    };
    let planned = target.clone();
    let outcome = state
        .db(move |conn| {
            let table = match read_table(&filename, &bytes) {
                Ok(table) => table,
                Err(message) => return Ok(Err(message)),
            };
            let plan = dry_run(conn, &planned, &table)?;
            if let Some(why) = plan.refusal {
                return Ok(Err(why));
            }
            Upload::purge_stale(conn)?;
            let id = Upload::insert(conn, KIND, &filename, &bytes, me)?;
            Ok(Ok((id, plan)))
        })
        .await?;
    match outcome {
        Ok((upload_id, plan)) => render_preview(&ctx, StatusCode::OK, upload_id, &plan, None),
        Err(message) => Ok(back_with_error(&ctx, &target.month, message)),
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
    c.insert("absent", &(plan.marked_absent + plan.missing.len()));
    c.insert("fingerprint", &plan.fingerprint());
    c.insert("error", &error);
    ctx.render_status(status, "review/import_preview.html", c)
}

/// The table of an upload this trainer made.
fn stored_table(conn: &mut Conn, upload_id: i32, me: i32) -> AppResult<Vec<Vec<String>>> {
    let upload = Upload::find_own(conn, upload_id, KIND, me)?;
    read_table(&upload.filename, &upload.content).map_err(AppError::bad_request)
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    month: String,
    title: String,
    fingerprint: String,
}

/// POST /review/import/{upload_id}/confirm: imports, then shows the month's list.
pub async fn confirm(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<ConfirmForm>,
) -> AppResult<HttpResponse> {
    let (me, upload_id, form, ip) = (ctx.user()?.id, path.into_inner(), form.into_inner(), client_ip(&req));
    let target = Target::parse(&form.month, &form.title).map_err(AppError::bad_request)?;
    let month = target.month.clone();
    let result = state
        .db(move |conn| {
            let table = stored_table(conn, upload_id, me)?;
            let opts =
                CommitOptions { expected_fingerprint: Some(&form.fingerprint), actor: Some(me), ip: &ip };
            let result = commit(conn, &target, &table, &opts);
            let current = match &result {
                Ok(_) => {
                    if let Err(e) = Upload::delete(conn, upload_id) {
                        tracing::warn!(error = %e, upload_id, "could not delete an imported upload");
                    }
                    None
                }
                // What the trainer would confirm now, to show again.
                Err(ImportError::Changed) => Some(dry_run(conn, &target, &table)?),
                Err(_) => None,
            };
            Ok((result, current))
        })
        .await?;
    match result {
        (Ok((plan, _)), _) => {
            let text =
                msg::results_imported(&plan.target.title, plan.sat, plan.marked_absent + plan.missing.len());
            ctx.flash("success", text);
            Ok(redirect(&format!("/review?month={month}")))
        }
        (Err(ImportError::Db(e)), _) => Err(AppError::Db(e)),
        (Err(ImportError::Invalid(plan)), _) => {
            render_preview(&ctx, StatusCode::BAD_REQUEST, upload_id, &plan, Some(msg::IMPORT_FILE_HAS_ERRORS))
        }
        (Err(ImportError::Changed), Some(plan)) => {
            render_preview(&ctx, StatusCode::CONFLICT, upload_id, &plan, Some(msg::IMPORT_CHANGED))
        }
        (Err(e), _) => Ok(back_with_error(&ctx, &month, e.to_string())),
    }
}

/// GET /review/import/template.xlsx: the columns, with every active clerk's
/// 工号 and 姓名 filled in (区县 and 营业厅 only to help; they are not read).
pub async fn template(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let clerks = state
        .db(|conn| {
            let tree = crate::exam::model::Tree::load(conn)?;
            let mut clerks: Vec<[String; 4]> = super::staff(conn, &tree)?
                .into_iter()
                .filter(|s| s.active && s.clerk && !s.staff_no.is_empty())
                .map(|s| {
                    let area = tree.area_of(s.hall_id).map(|a| a.name.clone()).unwrap_or_default();
                    [s.staff_no, s.name, area, s.hall]
                })
                .collect();
            clerks.sort();
            Ok(clerks)
        })
        .await?;
    let bytes = template_xlsx(&clerks).map_err(AppError::internal)?;
    Ok(xlsx_response(bytes, "results-template.xlsx"))
}

pub fn template_xlsx(clerks: &[[String; 4]]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in ["工号", "姓名", "区县", "营业厅", "分数", "缺考"].iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in clerks.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, text)?;
        }
    }
    sheet.set_column_width(2, 14)?;
    sheet.set_column_width(3, 18)?;
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}
