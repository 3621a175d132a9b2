//! Attachments: adding one to an article, and serving it.

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use std::convert::Infallible;

use super::reads_everything;
use crate::exam::model::Tree;
use crate::kb::attachment;
use crate::kb::model::{Article, ArticleFile, Member, NewFile};
use crate::schema::article_files;
use crate::web::action::{self, Done};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

/// Largest attachment.
const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// POST /kb/{id}/files: attaches an image or a file (PNG, JPEG, GIF, WebP,
/// PDF, Office), at most 5 MB; the page shows the Markdown to embed it.
pub async fn upload(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let back = format!("/kb/{id}");
    let (filename, bytes) = crate::web::upload::read_file(form).await?;
    if bytes.len() > MAX_FILE_BYTES {
        return Ok(action::refuse(&ctx, &back, msg::KB_FILE_TOO_LARGE));
    }
    let Some(sniffed) = attachment::sniff(&bytes) else {
        return Ok(action::refuse(&ctx, &back, msg::KB_FILE_TYPE));
    };
    let (content_type, name) = (sniffed.content_type, attachment::file_name(&filename, sniffed));
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        Article::find(conn, id)?;
        let file = NewFile {
            article_id: id,
            filename: &name,
            content_type,
            content: &bytes,
            uploaded_by: Some(actor.id),
            created_at: actor.now(),
        };
        let file_id = file.insert(conn)?;
        actor.audit(conn, "kb_file", &format!("#{id} {name}"))?;
        Ok(Ok::<_, Infallible>(Done::flash(msg::kb_file_added(file_id))))
    })
    .await
}

/// GET /kb/files/{id}: an attachment, to signed-in users who may read its article.
pub async fn file(ctx: Ctx, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let id = path.into_inner();
    let f = state
        .db(move |conn| {
            let f: ArticleFile =
                article_files::table.find(id).select(ArticleFile::as_select()).first(conn)?;
            let article = Article::find(conn, f.article_id)?;
            let tree = Tree::load(conn)?;
            let member = Member::load(conn, me.id, me.hall_id, &tree)?;
            Ok((reads_everything(&me) || member.may_read(&article)).then_some(f))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let inline = f.content_type.starts_with("image/") || f.content_type == "application/pdf";
    let disposition = if inline { "inline" } else { "attachment" };
    // Named again from the bytes: files stored before names followed the
    // sniffed type may still end in .html.
    let name = attachment::sniff(&f.content)
        .map_or_else(|| f.filename.clone(), |sniffed| attachment::file_name(&f.filename, sniffed));
    let encoded: String = url_escape(&name);
    Ok(HttpResponse::Ok()
        .content_type(f.content_type.as_str())
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((
            "Content-Security-Policy",
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        ))
        .insert_header(("Cache-Control", "private, max-age=3600"))
        .insert_header(("Content-Disposition", format!("{disposition}; filename*=UTF-8''{encoded}")))
        .body(f.content))
}

fn url_escape(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
