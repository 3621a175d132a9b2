//! The trainer's phone-test import: form and template → upload and dry run → confirm.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::{commit, dry_run, rules, Plan};
use crate::db::now;
use crate::web::import::{self, Confirm, ImportPlan, Page, Section, Stat, Table};
use crate::web::month::{typed_month, valid_month_or_this, MonthQuery};
use crate::web::upload::read_multipart;
use crate::web::{client_ip, msg, redirect, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

const KIND: &str = "phone_calls";

/// GET /phone/import: the tested month and the file, with the columns explained.
pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let items = state.db(|conn| Ok(super::model::Rubric::current(conn, now())?.1.items())).await?;
    let mut c = Context::new();
    c.insert("month", &valid_month_or_this(query.month.as_deref()));
    c.insert("columns", &rules::column_notes(&items));
    ctx.render("phone/import.html", c)
}

fn back_with_error(ctx: &Ctx, message: String) -> HttpResponse {
    ctx.flash("error", message);
    redirect("/phone/import")
}

/// POST /phone/import/preview: the dry run; the file is kept for the confirmation.
pub async fn preview(ctx: Ctx, state: web::Data<AppState>, form: Multipart) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let (mut fields, file) = read_multipart(form, &["month"], 64).await?;
    let month = match typed_month(&fields.remove("month").unwrap_or_default(), msg::EXAM_BAD_MONTH) {
        Ok(month) => month,
        Err(message) => return Ok(back_with_error(&ctx, message.into())),
    };
    let Some(file) = file else {
        return Ok(back_with_error(&ctx, msg::NO_FILE_CHOSEN.into()));
    };
    let outcome =
        import::preview(&state, (KIND, me), file, move |conn, table| dry_run(conn, month, table).map(Ok))
            .await?;
    match outcome {
        Ok((upload_id, plan)) => import::render(&ctx, StatusCode::OK, &page(upload_id, &plan, None)),
        Err(message) => Ok(back_with_error(&ctx, message)),
    }
}

/// The preview of a plan: the calls to be written, or the rows in error.
fn page(upload_id: i32, plan: &Plan, error: Option<&str>) -> Page {
    let month = plan.month;
    let mut page = Page {
        title: "拨测导入预览".into(),
        back: format!("/phone/import?month={month}"),
        heading: format!("拨测导入预览（{month}）"),
        error: error.map(String::from),
        stats: vec![
            Stat::new(plan.first, "拨测"),
            Stat::new(plan.second, "复评"),
            Stat::errors(plan.errors.len()),
        ],
        errors: plan.errors.clone(),
        ..Page::default()
    };
    if !plan.errors.is_empty() {
        return page;
    }
    let columns = [
        ("行号", true),
        ("日期时间", false),
        ("营业厅", false),
        ("接听", false),
        ("拨测员", false),
        ("总分", true),
        ("备注", false),
    ];
    let table = Table::new(&columns).first(&plan.rows, |r| {
        let veto = if r.critical_failed { "（一票否决）" } else { "" };
        let second = r.second_of.map(|l| format!("复评第 {l} 行")).unwrap_or_default();
        let total = format!("{}{veto}", r.total_text);
        vec![
            r.line.to_string(),
            r.when.clone(),
            r.hall.clone(),
            r.clerk.clone(),
            r.tester.clone(),
            total,
            second,
        ]
    });
    page.sections.push(Section::first_rows("将导入的拨测", plan.rows.len(), table));
    let intro = format!("确认后将写入 {month} 的 {} 次拨测和 {} 次复评。", plan.first, plan.second);
    let mut confirm =
        Confirm::new(format!("/phone/import/{upload_id}/confirm"), plan.fingerprint(), Some(intro));
    confirm.hidden.push(("month", month.to_string()));
    page.confirm = Some(confirm);
    page
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
    let month = typed_month(&form.month, msg::EXAM_BAD_MONTH).map_err(AppError::bad_request)?;
    let outcome = state
        .db_parsing(move |conn| {
            import::confirm(
                conn,
                (KIND, upload_id, me),
                |conn, table| commit(conn, month, table, Some(&form.fingerprint), Some(me), &ip),
                |conn, table| dry_run(conn, month, table),
            )
        })
        .await?;
    match outcome {
        Ok(plan) => {
            ctx.flash("success", msg::phone_import_done(plan.first, plan.second));
            Ok(redirect(&format!("/phone/report?month={month}")))
        }
        Err(refused) => import::refused(
            refused,
            |status, plan, error| import::render(&ctx, status, &page(upload_id, plan, Some(error))),
            |message| back_with_error(&ctx, message),
        ),
    }
}

/// GET /phone/import/template.xlsx: the header row for the current rubric.
pub async fn template(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let items = state.db(|conn| Ok(super::model::Rubric::current(conn, now())?.1.items())).await?;
    let bytes = template_xlsx(&items).map_err(AppError::internal)?;
    Ok(xlsx_response(bytes, "phone-tests-template.xlsx"))
}

pub fn template_xlsx(items: &[crate::phone::rules::Item]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use crate::web::xlsx::{made_now, notes_sheet, Layout};
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(msg::PHONE_TEMPLATE_SHEET)?;
    let notes = rules::column_notes(items);
    let names: Vec<&str> = notes.iter().map(|(c, _)| c.as_str()).collect();
    let mut layout = Layout::new(msg::PHONE_TEMPLATE_TITLE, "", 0, 3);
    layout.heading(sheet, &names)?;
    layout.see(0, 0, "2026-11-05 10:30");
    layout.see(0, 1, "江州市区人民路营业厅");
    layout.apply(sheet, &made_now())?;
    notes_sheet(&mut book, msg::PHONE_TEMPLATE_TITLE, msg::PHONE_TEMPLATE_USE, &notes)?;
    book.save_to_buffer()
}
