//! Trainer pages: banks, search, import (upload → preview → confirm), a
//! question with its versions (edit = new version), retire/restore, export.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::formats::{sheet, text};
use super::model::{Bank, QuestionFilter, QuestionRow, ACTIVE, RETIRED};
use super::question::{dedup_key, format_points, letter, Answer, Channel, Kind, Question};
use crate::audit;
use crate::db::write;
use crate::org::routes::flash_result;
use crate::web::{client_ip, msg, pagination, redirect, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

/// An upload is kept for the bank it was previewed for: confirming it into
/// another bank (by editing the URL) finds nothing.
fn upload_kind(bank_id: i32) -> String {
    format!("bank:{bank_id}")
}

mod export;
mod importing;
pub use export::{export_docx, export_gift, export_text, export_xlsx, image};
pub use importing::{import_confirm, import_form, import_paste, import_upload};

pub async fn index(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let banks = state
        .db(|conn| {
            // 待复核 per bank: questions whose source article changed materially.
            let mut flags: std::collections::HashMap<i32, std::collections::BTreeSet<i32>> =
                Default::default();
            for f in crate::bank::sources::open_flags(conn, None)? {
                flags.entry(f.bank_id).or_default().insert(f.question_id);
            }
            let mut banks = Bank::all(conn)?;
            for b in &mut banks {
                b.flagged = flags.get(&b.bank.id).map_or(0, |q| q.len());
            }
            Ok(banks)
        })
        .await?;
    let mut c = Context::new();
    c.insert("banks", &banks);
    ctx.render("bank/index.html", c)
}

#[derive(Deserialize)]
pub struct CreateForm {
    name: String,
    description: Option<String>,
}

pub async fn create(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CreateForm>,
) -> AppResult<HttpResponse> {
    let (actor, ip) = (ctx.user()?.id, client_ip(&req));
    let name = form.name.trim().to_string();
    let description = form.description.clone().unwrap_or_default().trim().to_string();
    if name.is_empty() || name.chars().count() > 60 {
        ctx.flash("error", msg::BANK_NAME_INVALID);
        return Ok(redirect("/bank"));
    }
    if description.chars().count() > 200 {
        ctx.flash("error", msg::BANK_DESCRIPTION_TOO_LONG);
        return Ok(redirect("/bank"));
    }
    let result = state
        .db(move |conn| {
            write(conn, |conn| {
                if Bank::find_by_name(conn, &name)?.is_some() {
                    return Ok(Err(msg::bank_name_taken(&name)));
                }
                let id = Bank::insert(conn, &name, &description, Some(actor))?;
                audit::record(conn, Some(actor), "bank_created", &name, &ip)?;
                Ok(Ok(id))
            })
        })
        .await?;
    match result {
        Ok(id) => Ok(redirect(&format!("/bank/{id}"))),
        Err(message) => {
            ctx.flash("error", message);
            Ok(redirect("/bank"))
        }
    }
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default, deserialize_with = "pagination::search_opt")]
    q: Option<String>,
    #[serde(default, deserialize_with = "pagination::search_opt")]
    kp: Option<String>,
    #[serde(default, deserialize_with = "pagination::search_opt")]
    category: Option<String>,
    channel: Option<String>,
    kind: Option<String>,
    difficulty: Option<String>,
    retired: Option<String>,
    #[serde(default, deserialize_with = "pagination::page")]
    page: Option<i64>,
}

/// One question in a list or a view, ready for a template.
#[derive(Debug, Serialize)]
pub struct QuestionView {
    pub id: i32,
    pub version: i32,
    pub status: String,
    pub kind: &'static str,
    pub stem: String,
    pub options: Vec<(char, String, bool)>,
    pub answer: String,
    pub explanation: String,
    pub points: String,
    pub difficulty: u8,
    pub channel: &'static str,
    pub category: String,
    pub knowledge_points: String,
    pub source: String,
}

impl QuestionView {
    pub fn new(id: i32, version: i32, status: &str, q: &Question) -> Self {
        let correct = |i: usize| matches!(&q.answer, Answer::Choices(c) if c.contains(&i));
        Self {
            id,
            version,
            status: status.to_string(),
            kind: q.kind.label(),
            stem: q.stem.clone(),
            options: q.options.iter().enumerate().map(|(i, o)| (letter(i), o.clone(), correct(i))).collect(),
            answer: answer_text(&q.answer),
            explanation: q.explanation.clone(),
            points: format_points(q.points),
            difficulty: q.difficulty,
            channel: q.channel.label(),
            category: q.category.clone(),
            knowledge_points: q.knowledge_points.join("、"),
            source: q.source.clone(),
        }
    }
}

fn answer_text(answer: &Answer) -> String {
    match answer {
        Answer::Choices(c) => c.iter().map(|i| letter(*i)).collect(),
        Answer::TrueFalse(v) => msg::true_false(*v).to_string(),
        Answer::Blanks(groups) => groups.iter().map(|g| format!("（{}）", g.join(" / "))).collect(),
        Answer::Reference(r) => r.clone(),
    }
}

/// The exposure table's rows: channel label, category, active, unrevealed,
/// monthly draw ("2.5"), months it lasts.
fn exposure_rows(groups: &[crate::exam::paper::GroupExposure]) -> Vec<serde_json::Value> {
    groups
        .iter()
        .map(|g| {
            serde_json::json!({
                "channel": g.channel.label(),
                "category": g.category,
                "active": g.active,
                "unrevealed": g.unrevealed,
                "draw": format!("{}.{}", g.draw_tenths / 10, g.draw_tenths % 10),
                "months": g.months,
            })
        })
        .collect()
}

impl SearchQuery {
    fn filter(&self) -> QuestionFilter {
        QuestionFilter {
            text: self.q.clone(),
            knowledge_point: self.kp.clone(),
            category: self.category.clone(),
            channel: self.channel.as_deref().and_then(Channel::parse_code),
            kind: self.kind.as_deref().and_then(Kind::parse_code),
            difficulty: self.difficulty.as_deref().and_then(|d| d.parse().ok()),
            include_retired: self.retired.is_some(),
        }
    }

    /// The same search for the pager's links.
    fn link_query(&self) -> String {
        let query = serde_urlencoded::to_string([
            ("q", self.q.as_deref().unwrap_or_default()),
            ("kp", self.kp.as_deref().unwrap_or_default()),
            ("category", self.category.as_deref().unwrap_or_default()),
            ("channel", self.channel.as_deref().unwrap_or_default()),
            ("kind", self.kind.as_deref().unwrap_or_default()),
            ("difficulty", self.difficulty.as_deref().unwrap_or_default()),
        ])
        .unwrap_or_default();
        format!("{query}&{}", if self.retired.is_some() { "retired=1&" } else { "" })
    }
}

pub async fn show(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    q: web::Query<SearchQuery>,
) -> AppResult<HttpResponse> {
    let (bank_id, q) = (path.into_inner(), q.into_inner());
    let filter = q.filter();
    let page = q.page;
    let (bank, rows, pager, categories, exposure, teaching) = state
        .db(move |conn| {
            let bank = Bank::find(conn, bank_id)?;
            let teaching = (
                crate::bank::sources::by_knowledge_point(conn, bank_id)?,
                crate::bank::sources::article_titles(conn)?
                    .into_iter()
                    .map(|a| (a.id, a.title))
                    .collect::<Vec<_>>(),
                crate::bank::sources::open_flags(conn, None)?
                    .into_iter()
                    .filter(|f| f.bank_id == bank_id)
                    .collect::<Vec<_>>(),
            );
            let exposure = crate::exam::exposure::bank_summary(conn, bank_id)?;
            let (rows, pager) = Bank::search(conn, bank_id, &filter, page)?;
            let mut views = Vec::with_capacity(rows.len());
            for (row, version) in rows {
                views.push(QuestionView::new(row.id, version.version, &row.status, &version.question()?));
            }
            Ok((bank, views, pager, Bank::categories(conn, bank_id)?, exposure, teaching))
        })
        .await?;
    let query = q.link_query();
    let mut c = Context::new();
    c.insert("bank", &bank);
    c.insert("rows", &rows);
    c.insert("pager", &pager);
    c.insert("query", &query);
    c.insert("categories", &categories);
    c.insert("exposure", &exposure_rows(&exposure.0));
    c.insert("exposure_exam", &exposure.1);
    c.insert("points", &teaching.0);
    c.insert("articles", &teaching.1);
    c.insert("flags", &teaching.2);
    c.insert("kinds", &Kind::ALL.iter().map(|k| (k.code(), k.label())).collect::<Vec<_>>());
    c.insert("channels", &Channel::ALL.iter().map(|k| (k.code(), k.label())).collect::<Vec<_>>());
    c.insert(
        "f",
        &serde_json::json!({
            "q": q.q, "kp": q.kp, "category": q.category, "channel": q.channel,
            "kind": q.kind, "difficulty": q.difficulty, "retired": q.retired.is_some(),
        }),
    );
    ctx.render("bank/show.html", c)
}

/// The import template with two example rows.
pub async fn template() -> AppResult<HttpResponse> {
    let examples =
        text::parse(msg::BANK_TEMPLATE_EXAMPLES).items.into_iter().map(|i| i.question).collect::<Vec<_>>();
    let bytes = sheet::write_xlsx(msg::BANK_TEMPLATE_TITLE, &examples).map_err(AppError::internal)?;
    Ok(xlsx_response(bytes, "bank-template.xlsx"))
}

pub async fn question(ctx: Ctx, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let c = question_context(&state, path.into_inner(), None).await?;
    ctx.render("bank/question.html", c)
}

/// The question page's context; `refused` is an edit that was not saved
/// (its text stays in the editor, its errors next to it).
async fn question_context(
    state: &AppState,
    id: i32,
    refused: Option<(String, Vec<String>)>,
) -> AppResult<Context> {
    let (row, bank, versions, (sources, flags, articles)) = state
        .db(move |conn| {
            let row = QuestionRow::find(conn, id)?;
            let sources = crate::bank::sources::of_questions(conn, &[id])?.remove(&id).unwrap_or_default();
            let flags = crate::bank::sources::open_flags(conn, Some(&[id]))?;
            let articles: Vec<(i32, String)> =
                crate::bank::sources::article_titles(conn)?.into_iter().map(|a| (a.id, a.title)).collect();
            let bank = Bank::find(conn, row.bank_id)?;
            let mut versions = Vec::new();
            let rows = QuestionRow::versions(conn, id)?;
            let ids: Vec<i32> = rows.iter().map(|v| v.id).collect();
            let revealed = crate::exam::exposure::by_version(conn, &ids)?;
            for v in rows {
                let q = v.question()?;
                let shown = revealed
                    .get(&v.id)
                    .map(|(at, n)| msg::bank_key_revealed(*n, &crate::time::local_display(*at)));
                versions.push((
                    QuestionView::new(id, v.version, &row.status, &q),
                    crate::time::local_display(v.created_at),
                    q,
                    shown,
                ));
            }
            Ok((row, bank, versions, (sources, flags, articles)))
        })
        .await?;
    let current = versions.first().map(|(_, _, q, _)| q.clone()).ok_or(AppError::NotFound)?;
    let mut c = Context::new();
    c.insert("row", &row);
    c.insert("bank", &bank);
    c.insert("sources", &sources);
    c.insert("flags", &flags);
    c.insert("articles", &articles);
    c.insert("current", &versions[0].0);
    c.insert(
        "history",
        &versions
            .iter()
            .map(|(v, at, _, shown)| serde_json::json!({"view": v, "at": at, "shown": shown}))
            .collect::<Vec<_>>(),
    );
    match refused {
        Some((text, errors)) => {
            c.insert("edit_text", &text);
            c.insert("edit_errors", &errors);
        }
        None => c.insert("edit_text", &text::write(std::slice::from_ref(&current))),
    }
    Ok(c)
}

#[derive(Deserialize)]
pub struct EditForm {
    text: String,
}

/// Saves the edited text as a new version, after the same checks as an import.
pub async fn edit(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<EditForm>,
) -> AppResult<HttpResponse> {
    let (me, ip, id) = (ctx.user()?.id, client_ip(&req), path.into_inner());
    let form = form.into_inner();
    let parsed = text::parse(&form.text);
    let question = match (parsed.errors.as_slice(), parsed.items.as_slice()) {
        ([], [one]) => Ok(one.question.clone()),
        ([], _) => Err(vec![msg::EDIT_ONE_QUESTION.to_string()]),
        (errors, _) => Err(errors.iter().map(|e| msg::edit_line_error(e.line, &e.message)).collect()),
    };
    let question = match question {
        Ok(q) => q,
        Err(errors) => {
            // Shown again with the text as typed and the errors next to it, nothing saved.
            let c = question_context(&state, id, Some((form.text, errors))).await?;
            return ctx.render_status(StatusCode::UNPROCESSABLE_ENTITY, "bank/question.html", c);
        }
    };
    let result = state
        .db(move |conn| {
            write(conn, |conn| {
                let row = QuestionRow::find(conn, id)?;
                let current = QuestionRow::versions(conn, id)?.first().map(|v| v.question()).transpose()?;
                if current.as_ref() == Some(&question) {
                    return Ok(Ok(msg::EDIT_NO_CHANGE.to_string()));
                }
                let duplicates = QuestionRow::duplicates_of(conn, row.bank_id, &dedup_key(&question), id)?;
                let version = QuestionRow::add_version(conn, id, &question, Some(me))?;
                audit::record(conn, Some(me), "question_edited", &msg::audit_question(id, version), &ip)?;
                Ok(Ok(if duplicates.is_empty() {
                    msg::edit_saved(version)
                } else {
                    msg::edit_saved_duplicate(version, &duplicates)
                }))
            })
        })
        .await?;
    flash_result(&ctx, result);
    Ok(redirect(&format!("/bank/questions/{id}")))
}

#[derive(Deserialize)]
pub struct StatusForm {
    retired: bool,
}

pub async fn set_status(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<StatusForm>,
) -> AppResult<HttpResponse> {
    let (me, ip, id, retired) = (ctx.user()?.id, client_ip(&req), path.into_inner(), form.retired);
    let result = state
        .db(move |conn| {
            write(conn, |conn| {
                let row = QuestionRow::find(conn, id)?;
                // Restoring must not bring back a copy of a question now in use.
                let twins = QuestionRow::duplicates_of(conn, row.bank_id, &row.dedup_key, id)?;
                if !retired && !twins.is_empty() {
                    return Ok(Err(msg::restore_duplicate(&twins)));
                }
                QuestionRow::set_status(conn, id, if retired { RETIRED } else { ACTIVE })?;
                let action = if retired { "question_retired" } else { "question_restored" };
                audit::record(conn, Some(me), action, &msg::audit_question(id, 0), &ip)?;
                Ok(Ok((if retired { msg::QUESTION_RETIRED } else { msg::QUESTION_RESTORED }).to_string()))
            })
        })
        .await?;
    flash_result(&ctx, result);
    Ok(redirect(&format!("/bank/questions/{id}")))
}

/// FORMAT.md as a page: the same text the repository documents.
pub async fn format_help(ctx: Ctx) -> AppResult<HttpResponse> {
    let mut c = Context::new();
    c.insert("html", &crate::web::markdown::to_safe_html(include_str!("../../../question_bank/FORMAT.md")));
    ctx.render("bank/format.html", c)
}
