//! Admin roster import: upload → dry run → confirm.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::apply::{self, CommitOptions, ImportError};
use super::plan::Plan;
use crate::auth::rules::check_new_password;
use crate::web::import;
use crate::web::upload::Upload;
use crate::web::{client_ip, msg, redirect, AppError, AppResult, Ctx};
use crate::AppState;

const KIND: &str = "roster";

pub async fn index(ctx: Ctx) -> AppResult<HttpResponse> {
    ctx.render("roster/index.html", Context::new())
}

pub async fn preview(ctx: Ctx, state: web::Data<AppState>, form: Multipart) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let (filename, bytes) = match crate::web::upload::read_file(form).await {
        Ok(file) => file,
        Err(e) => return Ok(back_with_error(&ctx, e.to_string())),
    };
    let outcome = import::preview(&state, (KIND, me), (filename, bytes), |conn, table| {
        apply::dry_run(conn, table).map(Ok)
    })
    .await?;
    match outcome {
        Ok((upload_id, plan)) => render_preview(&ctx, StatusCode::OK, upload_id, &plan, None),
        Err(message) => Ok(back_with_error(&ctx, message)),
    }
}

fn back_with_error(ctx: &Ctx, message: String) -> HttpResponse {
    ctx.flash("error", message);
    redirect("/admin/roster")
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
    c.insert("fingerprint", &plan.fingerprint());
    c.insert("has_changes", &plan.has_changes());
    c.insert("new_units", &(usize::from(plan.new_city) + plan.new_areas.len() + plan.new_halls.len()));
    c.insert("error", &error);
    ctx.render_status(status, "roster/preview.html", c)
}

/// Shows the preview of a stored upload again, with a message on top.
async fn preview_again(
    ctx: &Ctx,
    state: &AppState,
    (upload_id, me): (i32, i32),
    status: StatusCode,
    message: &str,
) -> AppResult<HttpResponse> {
    let plan = state
        .db_parsing(move |conn| {
            let table = import::stored_table(conn, upload_id, KIND, me)?;
            Ok(apply::dry_run(conn, &table)?)
        })
        .await?;
    render_preview(ctx, status, upload_id, &plan, Some(message))
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    fingerprint: String,
    deactivate_missing: Option<String>,
    initial_password: Option<String>,
    initial_password_confirm: Option<String>,
}

pub async fn confirm(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<ConfirmForm>,
) -> AppResult<HttpResponse> {
    let (me, upload_id, form) = (ctx.user()?.id, path.into_inner(), form.into_inner());
    let password = form.initial_password.unwrap_or_default();
    let hash = if password.is_empty() {
        None
    } else {
        let confirm = form.initial_password_confirm.unwrap_or_default();
        if let Err(message) = check_new_password(&password, &confirm, "", "", None) {
            let message = msg::initial_password_invalid(message);
            return preview_again(&ctx, &state, (upload_id, me), StatusCode::BAD_REQUEST, &message).await;
        }
        Some(state.passwords.hash(password).await?)
    };
    let (ip, deactivate_missing, fingerprint) =
        (client_ip(&req), form.deactivate_missing.is_some(), form.fingerprint);
    let result = state
        .db_parsing(move |conn| {
            let table = import::stored_table(conn, upload_id, KIND, me)?;
            let opts = CommitOptions {
                expected_fingerprint: Some(&fingerprint),
                deactivate_missing,
                password_hash: hash.as_deref(),
                must_change_password: true,
                actor: Some(me),
                ip: &ip,
            };
            let result = apply::commit(conn, &table, &opts);
            if result.is_ok() {
                Upload::forget(conn, upload_id);
            }
            Ok(result)
        })
        .await?;
    match result {
        Ok((_, out)) => {
            let text = msg::import_done(out.units_created, out.created, out.updated, out.deactivated);
            ctx.flash("success", text);
            Ok(redirect("/admin/roster"))
        }
        Err(ImportError::Db(e)) => Err(AppError::Db(e)),
        Err(ImportError::Invalid(plan)) => {
            render_preview(&ctx, StatusCode::BAD_REQUEST, upload_id, &plan, Some(msg::IMPORT_FILE_HAS_ERRORS))
        }
        Err(e) => preview_again(&ctx, &state, (upload_id, me), StatusCode::CONFLICT, &e.to_string()).await,
    }
}

/// A ready-to-fill template with the columns and two example rows.
pub async fn template() -> AppResult<HttpResponse> {
    let bytes = template_xlsx().map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"roster-template.xlsx\"; filename*=UTF-8''%E4%BA%BA%E5%91%98%E5%90%8D%E5%8D%95%E6%A8%A1%E6%9D%BF.xlsx",
        ))
        .body(bytes))
}

pub fn template_xlsx() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let rows: [[&str; 7]; 3] = [
        ["工号", "姓名", "区县", "区县类型", "营业厅", "角色", "手机号"],
        ["10001", "张晓梅", "青山县分公司", "县分", "青山中心营业厅", "营业员", "13800138000"],
        ["10002", "李建国", "江州市区", "市区", "人民路营业厅", "营业班长、营业员", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if r == 0 {
                sheet.write_string_with_format(r as u32, c as u16, *text, &bold)?;
            } else {
                sheet.write_string(r as u32, c as u16, *text)?;
            }
        }
    }
    sheet.set_column_width(2, 16)?;
    sheet.set_column_width(4, 18)?;
    sheet.set_column_width(5, 18)?;
    sheet.set_column_width(6, 14)?;
    book.save_to_buffer()
}
