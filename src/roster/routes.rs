//! Admin roster import: upload → dry run → confirm.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::apply::{self, CommitOptions, ImportError};
use super::plan::{Plan, PlannedUpdate};
use crate::auth::rules::check_new_password;
use crate::domain::org::UnitKind;
use crate::web::import::{self, Confirm, Details, Field, Page, Section, Stat, Table};
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
        Ok((upload_id, plan)) => import::render(&ctx, StatusCode::OK, &page(upload_id, &plan, None)),
        Err(message) => Ok(back_with_error(&ctx, message)),
    }
}

fn back_with_error(ctx: &Ctx, message: String) -> HttpResponse {
    ctx.flash("error", message);
    redirect("/admin/roster")
}

/// The preview of a plan: the units and people to be made or changed, and
/// the form (with the initial password when anyone is new), or the rows in error.
fn page(upload_id: i32, plan: &Plan, error: Option<&str>) -> Page {
    let new_units = usize::from(plan.new_city) + plan.new_areas.len() + plan.new_halls.len();
    let mut stats = vec![
        Stat::new(new_units, "新建单位"),
        Stat::new(plan.creates.len(), "新建人员"),
        Stat::new(plan.updates.len(), "更新人员"),
        Stat::new(plan.unchanged, "不变"),
    ];
    if plan.errors.is_empty() {
        stats.push(Stat::new(plan.missing.len(), "名单外在职人员"));
    }
    stats.push(Stat::errors(plan.errors.len()));
    let mut page = Page {
        title: "名单预览".into(),
        back: "/admin/roster".into(),
        heading: "名单导入预览".into(),
        error: error.map(String::from),
        stats,
        errors: plan.errors.clone(),
        ..Page::default()
    };
    if new_units > 0 {
        page.sections.push(Section::list("将新建的单位", new_unit_lines(plan)));
    }
    if !plan.creates.is_empty() {
        let columns = [("行号", false), ("工号", false), ("姓名", false), ("单位", false), ("角色", false)];
        let mut table = Table::new(&columns);
        for u in plan.creates.iter().take(SHOWN_CREATES) {
            let (line, staff_no, name) = (u.line.to_string(), u.staff_no.clone(), u.name.clone());
            table.row(vec![line, staff_no, name, u.hall_label.clone(), u.roles_label.clone()]);
        }
        let mut section = Section::table(format!("将新建的人员（{}）", plan.creates.len()), table);
        if plan.creates.len() > SHOWN_CREATES {
            section.note = Some(format!("只显示前 {SHOWN_CREATES} 人。"));
        }
        page.sections.push(section);
    }
    let alarms: Vec<(&PlannedUpdate, &String)> =
        plan.updates.iter().flat_map(|u| u.alarms.iter().map(move |a| (u, a))).collect();
    if !alarms.is_empty() {
        let mut table = Table::new(&[("行号", false), ("工号", false), ("请核对", false)]);
        for (u, alarm) in &alarms {
            table.row(vec![u.user.line.to_string(), u.user.staff_no.clone(), (*alarm).clone()]);
        }
        let mut section = Section::table(format!("改名或取消角色（{}）", alarms.len()), table);
        section.warning = Some(msg::roster_alarms(alarms.len()));
        page.sections.push(section);
    }
    if !plan.updates.is_empty() {
        let mut table = Table::new(&[("工号", false), ("姓名", false), ("变化", false)]);
        for u in &plan.updates {
            table.row(vec![u.user.staff_no.clone(), u.user.name.clone(), u.changes.join("；")]);
        }
        page.sections.push(Section::table(format!("将更新的人员（{}）", plan.updates.len()), table));
    }
    if plan.errors.is_empty() {
        page.confirm = Some(confirm_form(upload_id, plan));
    }
    page
}

/// People shown of those to be made.
const SHOWN_CREATES: usize = 300;

fn new_unit_lines(plan: &Plan) -> Vec<String> {
    let city = plan.new_city.then(|| "市公司（可在组织架构中改名）".to_string());
    let areas = plan.new_areas.iter().map(|(name, kind)| match kind {
        UnitKind::County => format!("县分公司：{name}"),
        _ => format!("市区：{name}"),
    });
    let halls = plan.new_halls.iter().map(|(area, hall)| format!("营业厅：{area} / {hall}"));
    city.into_iter().chain(areas).chain(halls).collect()
}

fn confirm_form(upload_id: i32, plan: &Plan) -> Confirm {
    let mut form = Confirm::new(format!("/admin/roster/{upload_id}/confirm"), plan.fingerprint(), None);
    let missing = plan.missing.len();
    if missing > 0 {
        let names = plan.missing.iter().map(|m| format!("{} {}", m.staff_no, m.name)).collect();
        form.fields.push(Field::Group {
            legend: format!("名单外的在职人员（{missing}）"),
            notice: (missing > 30).then(|| {
                format!("名单外有 {missing} 人。如果这只是部分名单（例如只含新入职人员），请不要勾选停用。")
            }),
            details: Details::new("查看名单外人员", names),
            check: Box::new(Field::Check {
                name: "deactivate_missing",
                label: "这是完整名单：停用以上人员（只停用，不删除）".into(),
                required: false,
            }),
        });
    }
    if !plan.creates.is_empty() {
        let label = "新账号的初始密码（本人首次登录时须修改）";
        form.fields.push(Field::Password { name: "initial_password", label, minlength: Some(8) });
        let label = "再次输入初始密码";
        form.fields.push(Field::Password { name: "initial_password_confirm", label, minlength: None });
    }
    if !plan.has_changes() && missing == 0 {
        form.button = None;
        form.nothing = "名单与系统中的数据完全一致，无需导入。".into();
    }
    form
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
    import::render(ctx, status, &page(upload_id, &plan, Some(message)))
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
    let (me, upload_id, mut form) = (ctx.user()?.id, path.into_inner(), form.into_inner());
    let typed = (form.initial_password.take(), form.initial_password_confirm.take());
    let hash = match initial_hash(&state, typed).await? {
        Ok(hash) => hash,
        Err(message) => {
            return preview_again(&ctx, &state, (upload_id, me), StatusCode::BAD_REQUEST, &message).await
        }
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
        Err(ImportError::Invalid(plan)) => import::render(
            &ctx,
            StatusCode::BAD_REQUEST,
            &page(upload_id, &plan, Some(msg::IMPORT_FILE_HAS_ERRORS)),
        ),
        Err(e) => preview_again(&ctx, &state, (upload_id, me), StatusCode::CONFLICT, &e.to_string()).await,
    }
}

/// The hash of the initial password typed for new accounts (None when left
/// blank), or why it is refused.
async fn initial_hash(
    state: &AppState,
    (password, confirm): (Option<String>, Option<String>),
) -> AppResult<Result<Option<String>, String>> {
    let password = password.unwrap_or_default();
    if password.is_empty() {
        return Ok(Ok(None));
    }
    if let Err(message) = check_new_password(&password, &confirm.unwrap_or_default(), "", "", None) {
        return Ok(Err(msg::initial_password_invalid(message)));
    }
    Ok(Ok(Some(state.passwords.hash(password).await?)))
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
    use crate::web::xlsx::{made_now, notes_sheet, text_rows, Layout};
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(msg::ROSTER_SHEET)?;
    let mut layout = Layout::new(msg::ROSTER_TEMPLATE_TITLE, "", 0, 2);
    layout.heading(sheet, &msg::ROSTER_TEMPLATE_COLUMNS.map(|(c, _)| c))?;
    // Sample rows: a 工号 starting with 示例 is never imported, so a template
    // uploaded back unchanged touches nobody.
    let samples = [
        vec!["示例001", "张晓梅（示例）", "青山县分公司", "县分", "青山中心营业厅", "营业员", "13800138000"],
        vec!["示例002", "李建国（示例）", "江州市区", "市区", "人民路营业厅", "营业班长、营业员", ""],
    ];
    text_rows(sheet, &mut layout, &samples)?;
    layout.apply(sheet, &made_now())?;
    notes_sheet(
        &mut book,
        msg::ROSTER_TEMPLATE_TITLE,
        msg::ROSTER_TEMPLATE_USE,
        &msg::ROSTER_TEMPLATE_COLUMNS,
    )?;
    book.save_to_buffer()
}
