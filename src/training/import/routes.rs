//! The drill import: form and template → upload and dry run → confirm.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::{commit, dry_run, rules, Plan};
use crate::domain::Month;
use crate::training::model::DrillType;
use crate::training::rules::duration_text;
use crate::web::import::{self, Confirm, ImportPlan, Page, Section, Stat, Table};
use crate::web::upload::read_file;
use crate::web::{client_ip, msg, redirect, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

const KIND: &str = "drills";

/// GET /training/drills/import: the file, with the columns explained.
pub async fn index(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let types = state.db(|conn| Ok(DrillType::all(conn)?)).await?;
    let types: Vec<(String, String)> =
        types.into_iter().filter(|t| t.active).map(|t| (t.name, duration_text(t.target_seconds))).collect();
    let mut c = Context::new();
    c.insert("types", &types);
    c.insert("columns", &msg::DRILL_TEMPLATE_COLUMNS);
    ctx.render("training/drill_import.html", c)
}

fn back_with_error(ctx: &Ctx, message: String) -> HttpResponse {
    ctx.flash("error", message);
    redirect("/training/drills/import")
}

/// POST /training/drills/import/preview: the dry run; the file is kept for the confirmation.
pub async fn preview(ctx: Ctx, state: web::Data<AppState>, form: Multipart) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let (filename, bytes) = match read_file(form).await {
        Ok(file) => file,
        Err(AppError::BadRequest(m)) => return Ok(back_with_error(&ctx, m)),
        Err(e) => return Err(e),
    };
    let outcome = import::preview(&state, (KIND, me.id), (filename, bytes), move |conn, table| {
        dry_run(conn, table, &me).map(Ok)
    })
    .await?;
    match outcome {
        Ok((upload_id, plan)) => import::render(&ctx, StatusCode::OK, &page(upload_id, &plan, None)),
        Err(message) => Ok(back_with_error(&ctx, message)),
    }
}

/// The preview of a plan: the drills to be written, or the rows in error.
fn page(upload_id: i32, plan: &Plan, error: Option<&str>) -> Page {
    let mut page = Page {
        title: "演练导入预览".into(),
        back: "/training/drills/import".into(),
        heading: "演练导入预览".into(),
        error: error.map(String::from),
        stats: vec![Stat::new(plan.rows.len(), "可导入"), Stat::errors(plan.errors.len())],
        errors: plan.errors.clone(),
        ..Page::default()
    };
    if !plan.errors.is_empty() {
        return page;
    }
    let columns = [
        ("行号", true),
        ("日期", false),
        ("营业员", false),
        ("营业厅", false),
        ("业务类型", false),
        ("用时", false),
        ("差错数", true),
        ("备注", false),
    ];
    let table = Table::new(&columns).with_id("import-rows").first(&plan.rows, |r| {
        let (line, errors) = (r.line.to_string(), r.errors.to_string());
        vec![
            line,
            r.date.clone(),
            r.clerk.clone(),
            r.hall.clone(),
            r.type_name.clone(),
            r.time.clone(),
            errors,
            r.notes.clone(),
        ]
    });
    page.sections.push(Section::first_rows("将导入的演练", plan.rows.len(), table));
    let months: Vec<&str> = plan.months.iter().map(Month::as_str).collect();
    let intro = format!("确认后将写入 {} 条演练记录（{}）。", plan.rows.len(), months.join("、"));
    let action = format!("/training/drills/import/{upload_id}/confirm");
    page.confirm = Some(Confirm::new(action, plan.fingerprint(), Some(intro)));
    page
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    fingerprint: String,
}

/// POST /training/drills/import/{upload_id}/confirm: stores every drill, then shows the month.
pub async fn confirm(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<ConfirmForm>,
) -> AppResult<HttpResponse> {
    let (me, upload_id, form, ip) =
        (ctx.user()?.clone(), path.into_inner(), form.into_inner(), client_ip(&req));
    let outcome = state
        .db_parsing(move |conn| {
            import::confirm(
                conn,
                (KIND, upload_id, me.id),
                |conn, table| commit(conn, table, Some(&form.fingerprint), &me, &ip),
                |conn, table| dry_run(conn, table, &me),
            )
        })
        .await?;
    match outcome {
        Ok(plan) => {
            ctx.flash("success", msg::drill_imported(plan.rows.len()));
            let month = plan.months.last().map(Month::to_string).unwrap_or_default();
            let mut halls: Vec<i32> = plan.rows.iter().map(|r| r.hall_id).collect();
            halls.dedup();
            Ok(redirect(&match halls.as_slice() {
                [h] => format!("/training/drills?month={month}&hall={h}"),
                _ => format!("/training/drills?month={month}"),
            }))
        }
        Err(refused) => import::refused(
            refused,
            |status, plan, error| import::render(&ctx, status, &page(upload_id, plan, Some(error))),
            |message| back_with_error(&ctx, message),
        ),
    }
}

/// GET /training/drills/import/template.xlsx: the header row, and the active types on a second sheet.
pub async fn template(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let types = state.db(|conn| Ok(DrillType::all(conn)?)).await?;
    let bytes = template_xlsx(&types).map_err(AppError::internal)?;
    Ok(xlsx_response(bytes, "drills-template.xlsx"))
}

pub fn template_xlsx(types: &[DrillType]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use crate::web::xlsx::{made_now, notes_sheet, Layout};
    let mut book = rust_xlsxwriter::Workbook::new();
    let text = rust_xlsxwriter::Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name(msg::DRILL_TEMPLATE_SHEET)?;
    let mut layout = Layout::new(msg::DRILL_TEMPLATE_TITLE, "", 0, 3);
    layout.heading(sheet, &rules::COLUMNS)?;
    // Room for what is typed: dates, 工号, the longest type name, notes.
    layout.see(0, 0, "2026-11-05");
    layout.see(0, 3, types.iter().map(|t| t.name.as_str()).max_by_key(|n| n.chars().count()).unwrap_or(""));
    layout.see(0, 6, "备注备注备注备注备注备注");
    // 日期 and 工号 as text, so Excel keeps what is typed.
    sheet.set_column_format(0, &text)?;
    sheet.set_column_format(1, &text)?;
    layout.apply(sheet, &made_now())?;
    let list = book.add_worksheet();
    list.set_name(msg::DRILL_SHEET_TYPE_LIST)?;
    let mut types_layout = Layout::new(msg::DRILL_SHEET_TYPE_LIST, "", 0, 1);
    types_layout.heading(list, &["业务类型", "目标用时(秒)"])?;
    for (r, t) in types.iter().filter(|t| t.active).enumerate() {
        list.write_string(r as u32 + 1, 0, &t.name)?;
        list.write_number(r as u32 + 1, 1, t.target_seconds as f64)?;
        types_layout.see(r as u32 + 1, 0, &t.name);
    }
    types_layout.apply(list, &made_now())?;
    notes_sheet(&mut book, msg::DRILL_TEMPLATE_TITLE, msg::DRILL_TEMPLATE_USE, &msg::DRILL_TEMPLATE_COLUMNS)?;
    book.save_to_buffer()
}
