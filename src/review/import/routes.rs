//! The trainer's results import: form → upload and dry run → confirm.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::{commit, dry_run, CommitOptions, Plan, Target};
use crate::domain::Month;
use crate::web::import::{self, Confirm, Details, ImportPlan, Page, Section, Stat, Table};
use crate::web::month::{valid_month_or_this, MonthQuery};
use crate::web::upload::read_multipart;
use crate::web::{client_ip, msg, redirect, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

const KIND: &str = "results";

/// GET /review/import: month, title and file.
pub async fn index(ctx: Ctx, query: web::Query<MonthQuery>) -> AppResult<HttpResponse> {
    let mut c = Context::new();
    c.insert("month", &valid_month_or_this(query.month.as_deref()));
    c.insert("max_title", &super::rules::MAX_TITLE_CHARS);
    c.insert("columns", &msg::RESULTS_TEMPLATE_COLUMNS);
    ctx.render("review/import.html", c)
}

/// Back to the form with `message`, on `month`'s page when there is one.
fn back_with_error(ctx: &Ctx, month: Option<Month>, message: String) -> HttpResponse {
    ctx.flash("error", message);
    match month {
        Some(month) => redirect(&format!("/review/import?month={month}")),
        None => redirect("/review/import"),
    }
}

/// POST /review/import/preview: the dry run. A month that cannot take an
/// import is refused before anything is stored.
pub async fn preview(ctx: Ctx, state: web::Data<AppState>, form: Multipart) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let (mut fields, file) = read_multipart(form, &["month", "title"], 4096).await?;
    let (month, title) =
        (fields.remove("month").unwrap_or_default(), fields.remove("title").unwrap_or_default());
    let target = match Target::parse(&month, &title) {
        Ok(target) => target,
        // The form comes back on the month typed when it is one (clamped to 2000–2099).
        Err(message) => return Ok(back_with_error(&ctx, Month::parse_clamped(&month), message)),
    };
    let Some(file) = file else {
        return Ok(back_with_error(&ctx, Some(target.month), msg::NO_FILE_CHOSEN.into()));
    };
    let planned = target.clone();
    let outcome = import::preview(&state, (KIND, me), file, move |conn, table| {
        let plan = dry_run(conn, &planned, table)?;
        Ok(match plan.refusal {
            Some(why) => Err(why),
            None => Ok(plan),
        })
    })
    .await?;
    match outcome {
        Ok((upload_id, plan)) => import::render(&ctx, StatusCode::OK, &page(upload_id, &plan, None)),
        Err(message) => Ok(back_with_error(&ctx, Some(target.month), message)),
    }
}

/// The preview of a plan: the scores and the absent, or the rows in error.
fn page(upload_id: i32, plan: &Plan, error: Option<&str>) -> Page {
    let Target { month, title } = &plan.target;
    let mut stats = vec![
        Stat::new(plan.audience.len(), "应考营业员"),
        Stat::new(plan.sat, "有成绩"),
        Stat::new(plan.marked_absent, "标记缺考"),
    ];
    if plan.errors.is_empty() {
        stats.push(Stat::new(plan.missing.len(), "文件中没有（按缺考）"));
    }
    stats.push(Stat::errors(plan.errors.len()));
    let mut page = Page {
        title: "成绩导入预览".into(),
        back: format!("/review/import?month={month}"),
        heading: format!("成绩导入预览：{title}（{month}）"),
        error: error.map(String::from),
        stats,
        errors: plan.errors.clone(),
        ..Page::default()
    };
    if !plan.errors.is_empty() {
        return page;
    }
    let columns = [("行号", true), ("工号", false), ("姓名", false), ("营业厅", false), ("分数", true)];
    let table = Table::new(&columns).first(&plan.rows, |r| {
        vec![r.line.to_string(), r.staff_no.clone(), r.name.clone(), r.hall.clone(), r.score_text.clone()]
    });
    page.sections.push(Section::first_rows("将导入的成绩", plan.rows.len(), table));
    if !plan.missing.is_empty() {
        let names = plan
            .missing
            .iter()
            .map(|m| match m.hall.as_str() {
                "" => format!("{} {}", m.staff_no, m.name),
                hall => format!("{} {}（{hall}）", m.staff_no, m.name),
            })
            .collect();
        page.sections.push(Section {
            heading: format!("文件中没有的营业员（{} 人，按缺考计）", plan.missing.len()),
            details: Some(Details::new("查看名单", names)),
            ..Section::default()
        });
    }
    let absent = plan.marked_absent + plan.missing.len();
    let intro = format!(
        "确认后将新建 {month} 的月考「{title}」（结果型考试）：{} 人有成绩，{absent} 人缺考。导入后不能修改，每月只有一场月考。",
        plan.sat
    );
    let mut confirm =
        Confirm::new(format!("/review/import/{upload_id}/confirm"), plan.fingerprint(), Some(intro));
    confirm.hidden = vec![("month", month.to_string()), ("title", title.clone())];
    page.confirm = Some(confirm);
    page
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
    let month = target.month;
    let outcome = state
        .db_parsing(move |conn| {
            let opts =
                CommitOptions { expected_fingerprint: Some(&form.fingerprint), actor: Some(me), ip: &ip };
            import::confirm(
                conn,
                (KIND, upload_id, me),
                |conn, table| commit(conn, &target, table, &opts),
                // What the trainer would confirm now, to show again.
                |conn, table| dry_run(conn, &target, table),
            )
        })
        .await?;
    match outcome {
        Ok((plan, _)) => {
            let text =
                msg::results_imported(&plan.target.title, plan.sat, plan.marked_absent + plan.missing.len());
            ctx.flash("success", text);
            Ok(redirect(&format!("/review?month={month}")))
        }
        Err(refused) => import::refused(
            refused,
            |status, plan, error| import::render(&ctx, status, &page(upload_id, plan, Some(error))),
            |message| back_with_error(&ctx, Some(month), message),
        ),
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
    use crate::web::xlsx::{made_now, notes_sheet, text_rows, Layout};
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(msg::RESULTS_TEMPLATE_SHEET)?;
    let mut layout = Layout::new(msg::RESULTS_TEMPLATE_TITLE, "", 0, 2);
    layout.heading(sheet, &["工号", "姓名", "区县", "营业厅", "分数", "缺考"])?;
    let rows: Vec<Vec<&str>> = clerks.iter().map(|row| row.iter().map(String::as_str).collect()).collect();
    text_rows(sheet, &mut layout, &rows)?;
    layout.apply(sheet, &made_now())?;
    notes_sheet(
        &mut book,
        msg::RESULTS_TEMPLATE_TITLE,
        msg::RESULTS_TEMPLATE_USE,
        &msg::RESULTS_TEMPLATE_COLUMNS,
    )?;
    book.save_to_buffer()
}
