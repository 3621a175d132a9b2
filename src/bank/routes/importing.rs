//! Importing into a bank: upload or paste → the preview (each question
//! beside the lines it came from, what was inferred, corrections) → confirm.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::{upload_kind, Bank};
use crate::bank::import::{self, CommitOptions, ImportError, Plan};
use crate::bank::preview;
use crate::db::Conn;
use crate::roster::parse::is_oversized;
use crate::web::import::{render_with, Cell, Confirm, Field, Page, Row, Section, Stat, Table};
use crate::web::upload::Upload;
use crate::web::{client_ip, msg, redirect, AppError, AppResult, Ctx};
use crate::AppState;

pub async fn import_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let bank = state.db(move |conn| Ok(Bank::find(conn, id)?)).await?;
    let mut c = Context::new();
    c.insert("bank", &bank);
    ctx.render("bank/import.html", c)
}

pub async fn import_upload(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let bank_id = path.into_inner();
    match crate::web::upload::read_file(form).await {
        Ok((filename, bytes)) => preview_new(&ctx, &state, bank_id, filename, bytes).await,
        Err(e) => {
            ctx.flash("error", e.to_string());
            Ok(redirect(&format!("/bank/{bank_id}/import")))
        }
    }
}

#[derive(Deserialize)]
pub struct PasteForm {
    text: String,
}

pub async fn import_paste(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<PasteForm>,
) -> AppResult<HttpResponse> {
    let bank_id = path.into_inner();
    let text = form.into_inner().text;
    if text.trim().is_empty() {
        ctx.flash("error", msg::NO_FILE_CHOSEN);
        return Ok(redirect(&format!("/bank/{bank_id}/import")));
    }
    preview_new(&ctx, &state, bank_id, msg::PASTED_TEXT_NAME.to_string(), text.into_bytes()).await
}

/// Stores the upload, parses it off the async workers and shows the dry run.
async fn preview_new(
    ctx: &Ctx,
    state: &AppState,
    bank_id: i32,
    filename: String,
    bytes: Vec<u8>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let outcome = state
        .db_parsing(move |conn| {
            let bank = Bank::find(conn, bank_id)?;
            let parsed = match import::read(None, &filename, &bytes) {
                Ok(parsed) => parsed,
                Err(message) if is_oversized(&message) => return Err(AppError::TooLarge(message)),
                Err(message) => return Ok(Err(message)),
            };
            let plan = import::dry_run(conn, Some(bank_id), parsed)?;
            Upload::purge_stale(conn)?;
            let upload = Upload::insert(conn, &upload_kind(bank_id), &filename, &bytes, me)?;
            Ok(Ok((bank, upload, filename, plan)))
        })
        .await?;
    match outcome {
        Ok((bank, upload, filename, plan)) => {
            render_preview(ctx, StatusCode::OK, &bank, upload, &filename, &plan, None)
        }
        Err(message) => {
            ctx.flash("error", message);
            Ok(redirect(&format!("/bank/{bank_id}/import")))
        }
    }
}

fn render_preview(
    ctx: &Ctx,
    status: StatusCode,
    bank: &Bank,
    upload: i32,
    filename: &str,
    plan: &Plan,
    error: Option<&str>,
) -> AppResult<HttpResponse> {
    let mut c = Context::new();
    c.insert("questions", &preview::previews(plan));
    c.insert("kinds", &crate::bank::question::Kind::ALL.map(|k| (k.code(), k.label())));
    render_with(ctx, status, &page(bank, (upload, filename), plan, error), "bank/preview.html", c)
}

/// The preview of a plan: the counts, the form (choosing to skip the
/// questions in error, if any), then every line: new, duplicate, in error or skipped.
fn page(bank: &Bank, (upload, filename): (i32, &str), plan: &Plan, error: Option<&str>) -> Page {
    let (new, errors) = (plan.new.len(), plan.errors.len());
    let mut stats =
        vec![Stat::new(new, "新题"), Stat::new(plan.duplicates.len(), "重复（跳过）"), Stat::errors(errors)];
    if !plan.skipped.is_empty() {
        stats.push(Stat::new(plan.skipped.len(), "无法表示（跳过）"));
    }
    let mut confirm =
        Confirm::new(format!("/bank/{}/import/{upload}/confirm", bank.id), plan.fingerprint(), None);
    confirm.progress = "正在写入题库，请稍候…";
    if errors > 0 {
        confirm.notice =
            Some(format!("文件中有 {errors} 处错误（见下表）。建议改正后重新上传；也可以只导入正确的题目。"));
        let label = format!("只导入正确的 {new} 道题，跳过有错误的题目");
        confirm.fields.push(Field::Check { name: "skip_invalid", label, required: true });
    }
    confirm.button = (new > 0).then(|| format!("确认导入（{new} 道新题，可在下方逐题修改或不导入）"));
    confirm.nothing = "没有可导入的新题。".into();
    Page {
        title: format!("导入预览 · {}", bank.name),
        back: format!("/bank/{}/import", bank.id),
        heading: format!("导入预览：{filename}"),
        error: error.map(String::from),
        stats,
        confirm: Some(confirm),
        sections: recognised(plan),
        after: vec![Section {
            heading: "其他行：重复、错误、跳过、提醒".into(),
            table: Some(preview_rows(plan)),
            ..Section::default()
        }],
        ..Page::default()
    }
}

/// 识别到：the conventions the reader found in the file.
fn recognised(plan: &Plan) -> Vec<Section> {
    if plan.recognised.is_empty() {
        return Vec::new();
    }
    vec![Section {
        heading: "识别到的写法".into(),
        items: vec![format!("识别到：{}", plan.recognised.join("，"))],
        note: Some("标有“推断”的题目请逐一核对；如有误，可在下方直接修改题型和答案。".into()),
        ..Section::default()
    }]
}

/// The lines that are not new questions (those are shown beside their
/// source above): duplicates, errors, skipped, warnings.
fn preview_rows(plan: &Plan) -> Table {
    let columns = [("行号", true), ("状态", false), ("题型", false), ("该行文字", false), ("说明", false)];
    let mut lines: Vec<(usize, &'static str, &'static str, String, String)> = Vec::new();
    for (status, list) in [
        ("duplicate", &plan.duplicates),
        ("error", &plan.errors),
        ("skipped", &plan.skipped),
        ("warning", &plan.warnings),
    ] {
        let text =
            |line: usize| plan.source.get(line.wrapping_sub(1)).map(|t| excerpt(t)).unwrap_or_default();
        lines.extend(list.iter().map(|e| {
            // The question an error is about, when its line is not the stem's.
            let message = match e.stem.as_str() {
                "" => e.message.clone(),
                stem => msg::bank_error_in(&e.message, stem),
            };
            (e.line, status, "", text(e.line), message)
        }));
    }
    lines.sort_by_key(|&(line, status, ..)| (line, status != "new"));
    let mut table = Table::new(&columns).with_id("preview-rows");
    for (line, status, kind, stem, message) in lines {
        let (badge, label) = match status {
            "new" => ("", "新题"),
            "duplicate" => ("muted", "重复"),
            "error" => ("bad", "错误"),
            "warning" => ("warn", "提醒"),
            _ => ("muted", "跳过"),
        };
        let cell = |text: String, class| Cell { text, class, badge: None };
        table.rows.push(Row {
            class: Some(format!("row-{status}")),
            cells: vec![
                cell(format!("第 {line} 行"), "num nowrap"),
                Cell { text: label.into(), class: "nowrap", badge: Some(badge) },
                cell(kind.into(), "nowrap"),
                cell(stem, ""),
                cell(message, ""),
            ],
        });
    }
    table
}

fn excerpt(text: &str) -> String {
    let flat = text.replace('\n', " ");
    if flat.chars().count() > 60 {
        format!("{}…", flat.chars().take(60).collect::<String>())
    } else {
        flat
    }
}

/// The confirmation: the fingerprint of the plan previewed, the choice to
/// skip the questions in error, and the corrections (`kind_12`, `answer_12`,
/// `leave_12`).
type ConfirmForm = HashMap<String, String>;

fn stored(
    conn: &mut Conn,
    bank_id: i32,
    upload_id: i32,
    me: i32,
) -> AppResult<(String, crate::bank::formats::Parsed)> {
    let upload = Upload::find_own(conn, upload_id, &upload_kind(bank_id), me)?;
    let parsed = import::read(None, &upload.filename, &upload.content).map_err(AppError::bad_request)?;
    Ok((upload.filename, parsed))
}

pub async fn import_confirm(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    form: web::Form<ConfirmForm>,
) -> AppResult<HttpResponse> {
    let (me, ip) = (ctx.user()?.id, client_ip(&req));
    let ((bank_id, upload_id), form) = (path.into_inner(), form.into_inner());
    let result = state
        .db_parsing(move |conn| {
            let bank = Bank::find(conn, bank_id)?;
            let (filename, parsed) = stored(conn, bank_id, upload_id, me)?;
            let fixes = preview::fixes(&import::plan(parsed.clone(), &Default::default()), &form);
            let fingerprint = form.get("fingerprint").map(String::as_str).unwrap_or("");
            let opts = CommitOptions {
                expected_fingerprint: Some(fingerprint),
                skip_invalid: form.contains_key("skip_invalid"),
                actor: Some(me),
                ip: &ip,
                fixes: &fixes,
            };
            let result = import::commit(conn, &bank.name, parsed.clone(), &opts);
            if result.is_ok() {
                Upload::forget(conn, upload_id);
            }
            let fresh = match &result {
                Err(ImportError::Changed) => Some(import::dry_run(conn, Some(bank_id), parsed)?),
                _ => None,
            };
            Ok((bank, filename, result, fresh))
        })
        .await?;
    let (bank, filename, result, fresh) = result;
    let (status, plan, note) = match (result, fresh) {
        (Ok((_, out)), _) => {
            ctx.flash("success", msg::bank_import_done(out.created, out.duplicates, out.skipped_invalid));
            return Ok(redirect(&format!("/bank/{bank_id}")));
        }
        (Err(ImportError::Invalid(plan)), _) => (StatusCode::BAD_REQUEST, *plan, msg::BANK_HAS_ERRORS),
        (Err(ImportError::Changed), Some(plan)) => (StatusCode::CONFLICT, plan, msg::BANK_PLAN_CHANGED),
        (Err(ImportError::Db(e)), _) => return Err(AppError::Db(e)),
        (Err(e), _) => return Err(AppError::Conflict(e.to_string())),
    };
    render_preview(&ctx, status, &bank, upload_id, &filename, &plan, Some(note))
}
