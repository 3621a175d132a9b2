//! The satisfaction import pages: one form for both files (回复明细 or
//! 单厅满意率) → upload and dry run → confirm.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::rules::{RatePlan, ReplyPlan, RATE_COLUMNS, REPLY_COLUMNS};
use super::{commit, dry_run, File, Rates, Replies};
use crate::domain::Month;
use crate::web::import::{self, Confirm, ImportPlan, Page, Section, Stat, Table};
use crate::web::month::{typed_month, valid_month_or_this, MonthQuery};
use crate::web::upload::read_multipart;
use crate::web::{client_ip, msg, redirect, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

/// GET /satisfaction/import: the month, which file, and the columns each may have.
pub async fn index(ctx: Ctx, query: web::Query<MonthQuery>) -> AppResult<HttpResponse> {
    let mut c = Context::new();
    let month = valid_month_or_this(query.month.as_deref());
    c.insert("month", &month);
    let names = |cols: &[(&str, &[&str])]| -> Vec<(String, String)> {
        cols.iter().map(|(n, aliases)| (n.to_string(), aliases.join("、"))).collect()
    };
    c.insert("reply_columns", &names(&REPLY_COLUMNS));
    c.insert("rate_columns", &names(&RATE_COLUMNS));
    ctx.render("satisfaction/import.html", c)
}

fn back_with_error(ctx: &Ctx, message: String) -> HttpResponse {
    ctx.flash("error", message);
    redirect("/satisfaction/import")
}

/// POST /satisfaction/import/preview: the dry run of either file; the file is kept for the confirmation.
pub async fn preview(ctx: Ctx, state: web::Data<AppState>, form: Multipart) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let (mut fields, file) = read_multipart(form, &["month", "kind"], 64).await?;
    let month = match typed_month(&fields.remove("month").unwrap_or_default(), msg::EXAM_BAD_MONTH) {
        Ok(month) => month,
        Err(message) => return Ok(back_with_error(&ctx, message.into())),
    };
    let Some(file) = file else {
        return Ok(back_with_error(&ctx, msg::NO_FILE_CHOSEN.into()));
    };
    if fields.remove("kind").as_deref() == Some(Rates::CODE) {
        preview_as::<Rates>(&ctx, &state, me, month, file).await
    } else {
        preview_as::<Replies>(&ctx, &state, me, month, file).await
    }
}

/// How each file's preview and result read.
trait Shown: File {
    fn page(upload_id: i32, plan: &Self::Plan, error: Option<&str>) -> Page;
    fn done(month: Month, plan: &Self::Plan) -> String;
}

impl Shown for Replies {
    fn page(upload_id: i32, plan: &ReplyPlan, error: Option<&str>) -> Page {
        replies_page(upload_id, plan, error)
    }
    fn done(month: Month, plan: &ReplyPlan) -> String {
        msg::satisfaction_replies_done(month, plan.rows.len())
    }
}

impl Shown for Rates {
    fn page(upload_id: i32, plan: &RatePlan, error: Option<&str>) -> Page {
        rates_page(upload_id, plan, error)
    }
    fn done(month: Month, plan: &RatePlan) -> String {
        msg::satisfaction_rates_done(month, plan.rows.len())
    }
}

async fn preview_as<F: Shown>(
    ctx: &Ctx,
    state: &AppState,
    me: i32,
    month: Month,
    file: (String, Vec<u8>),
) -> AppResult<HttpResponse> {
    let outcome = import::preview(state, (F::UPLOAD, me), file, move |conn, table| {
        dry_run::<F>(conn, month, table).map(Ok)
    })
    .await?;
    match outcome {
        Ok((id, plan)) => import::render(ctx, StatusCode::OK, &F::page(id, &plan, None)),
        Err(message) => Ok(back_with_error(ctx, message)),
    }
}

fn head(title: &str, month: Month, error: Option<&str>) -> Page {
    Page {
        title: title.into(),
        back: format!("/satisfaction/import?month={month}"),
        heading: format!("{title}（{month}）"),
        error: error.map(String::from),
        ..Page::default()
    }
}

fn replies_page(upload_id: i32, plan: &ReplyPlan, error: Option<&str>) -> Page {
    let month = plan.month;
    let mut page = head("短信评价回复导入预览", month, error);
    let complaints = plan
        .rows
        .iter()
        .filter(|r| {
            crate::satisfaction::rules::parse_rating(&r.rating)
                .is_ok_and(crate::satisfaction::rules::is_dissatisfied)
        })
        .count();
    page.stats = vec![
        Stat::new(plan.rows.len(), "条回复"),
        Stat::new(complaints, "条不满意"),
        Stat::errors(plan.errors.len()),
    ];
    page.errors = plan.errors.clone();
    if !plan.errors.is_empty() {
        return page;
    }
    let columns = [
        ("行号", true),
        ("回复时间", false),
        ("营业厅", false),
        ("工号", false),
        ("评价", false),
        ("回复内容", false),
    ];
    let table = Table::new(&columns).first(&plan.rows, |r| {
        vec![
            r.line.to_string(),
            r.when.clone(),
            r.hall.clone(),
            r.clerk.clone(),
            r.rating.clone(),
            r.comment.clone(),
        ]
    });
    page.sections.push(Section::first_rows("将导入的回复", plan.rows.len(), table));
    let intro = format!("确认后将写入 {month} 的 {} 条短信评价回复。", plan.rows.len());
    let mut confirm =
        Confirm::new(format!("/satisfaction/import/{upload_id}/confirm"), plan.fingerprint(), Some(intro));
    confirm.hidden.push(("month", month.to_string()));
    confirm.hidden.push(("kind", Replies::CODE.into()));
    page.confirm = Some(confirm);
    page
}

fn rates_page(upload_id: i32, plan: &RatePlan, error: Option<&str>) -> Page {
    let month = plan.month;
    let mut page = head("单厅满意率导入预览", month, error);
    let replaced = plan.rows.iter().filter(|r| r.replaces).count();
    page.stats = vec![
        Stat::new(plan.rows.len(), "个营业厅"),
        Stat::new(replaced, "个替换已导入"),
        Stat::errors(plan.errors.len()),
    ];
    page.errors = plan.errors.clone();
    if !plan.errors.is_empty() {
        return page;
    }
    let columns = [("行号", true), ("营业厅", false), ("满意率", true), ("样本量", true), ("", false)];
    let table = Table::new(&columns).first(&plan.rows, |r| {
        vec![
            r.line.to_string(),
            r.hall.clone(),
            r.rate_text.clone(),
            r.surveyed.map(|n| n.to_string()).unwrap_or_default(),
            if r.replaces { "替换已导入的数字".into() } else { String::new() },
        ]
    });
    page.sections.push(Section::first_rows("将导入的满意率", plan.rows.len(), table));
    let intro = format!("确认后将写入 {month} 的 {} 个营业厅满意率。", plan.rows.len());
    let mut confirm =
        Confirm::new(format!("/satisfaction/import/{upload_id}/confirm"), plan.fingerprint(), Some(intro));
    confirm.hidden.push(("month", month.to_string()));
    confirm.hidden.push(("kind", Rates::CODE.into()));
    page.confirm = Some(confirm);
    page
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    month: String,
    kind: String,
    fingerprint: String,
}

/// POST /satisfaction/import/{upload_id}/confirm: stores the file, then shows the month.
pub async fn confirm(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<ConfirmForm>,
) -> AppResult<HttpResponse> {
    let (me, upload_id, form, ip) = (ctx.user()?.id, path.into_inner(), form.into_inner(), client_ip(&req));
    let month = typed_month(&form.month, msg::EXAM_BAD_MONTH).map_err(AppError::bad_request)?;
    let fingerprint = form.fingerprint;
    if form.kind == Rates::CODE {
        confirm_as::<Rates>(&ctx, &state, (me, upload_id, month), fingerprint, ip).await
    } else {
        confirm_as::<Replies>(&ctx, &state, (me, upload_id, month), fingerprint, ip).await
    }
}

async fn confirm_as<F: Shown>(
    ctx: &Ctx,
    state: &AppState,
    (me, upload_id, month): (i32, i32, Month),
    fingerprint: String,
    ip: String,
) -> AppResult<HttpResponse> {
    let outcome = state
        .db_parsing(move |conn| {
            import::confirm(
                conn,
                (F::UPLOAD, upload_id, me),
                |conn, table| commit::<F>(conn, month, table, Some(&fingerprint), Some(me), &ip),
                |conn, table| dry_run::<F>(conn, month, table),
            )
        })
        .await?;
    match outcome {
        Ok(plan) => {
            ctx.flash("success", F::done(month, &plan));
            Ok(redirect(&format!("/satisfaction?month={month}")))
        }
        Err(refused) => import::refused(
            refused,
            |status, plan, error| import::render(ctx, status, &F::page(upload_id, plan, Some(error))),
            |message| back_with_error(ctx, message),
        ),
    }
}

#[derive(Deserialize)]
pub struct TemplateQuery {
    #[serde(default)]
    kind: String,
}

/// GET /satisfaction/import/template.xlsx?kind=replies|rates: the header row and an example.
pub async fn template(q: web::Query<TemplateQuery>) -> AppResult<HttpResponse> {
    let rates = q.kind == "rates";
    let bytes = template_xlsx(rates).map_err(AppError::internal)?;
    Ok(xlsx_response(
        bytes,
        if rates { "hall-satisfaction-template.xlsx" } else { "sms-replies-template.xlsx" },
    ))
}

pub fn template_xlsx(rates: bool) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use crate::web::xlsx::{made_now, Layout};
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let (title, names, example): (&str, Vec<&str>, Vec<&str>) = if rates {
        ("单厅满意率", RATE_COLUMNS.iter().map(|c| c.0).collect(), vec!["人民路营业厅", "96.50%", "120"])
    } else {
        (
            "短信评价回复明细",
            REPLY_COLUMNS.iter().map(|c| c.0).collect(),
            vec![
                "2026-11-05 10:30",
                "江州市区人民路营业厅",
                "10003",
                "不满意",
                "排队等了四十分钟",
                "SMS202611050001",
            ],
        )
    };
    sheet.set_name(title)?;
    let mut layout = Layout::new(title, "", 0, 0);
    layout.heading(sheet, &names)?;
    for (i, v) in example.iter().enumerate() {
        sheet.write_string(1, i as u16, *v)?;
        layout.see(1, i as u16, v);
    }
    layout.apply(sheet, &made_now())?;
    book.save_to_buffer()
}
