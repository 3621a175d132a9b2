//! A bank's exports (Word with pictures, Excel, GIFT, text), the Excel
//! template, and a question's pictures.

use actix_web::{web, HttpResponse};

use super::Bank;
use crate::auth::Role;
use crate::bank::formats::{gift, sheet, text};
use crate::web::{msg, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

pub async fn export_text(state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (bank, questions) =
        state.db(move |conn| Ok((Bank::find(conn, id)?, Bank::questions(conn, id)?))).await?;
    let filename = format!("bank-{}.txt", bank.id);
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(text::write(&questions)))
}

/// GET /bank/{id}/export.docx: the bank as a Word file, pictures included
/// (imports back as the same bank).
pub async fn export_docx(state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (bank, bytes) = state
        .db(move |conn| {
            let bank = Bank::find(conn, id)?;
            Ok((bank, crate::bank::images::export_docx(conn, id)?))
        })
        .await?;
    let bytes = bytes.map_err(|e| AppError::Internal(e.into()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"bank-{}.docx\"", bank.id),
        ))
        .body(bytes))
}

pub async fn export_gift(state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let questions = state.db(move |conn| Ok(Bank::questions(conn, id)?)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"bank-{id}.gift.txt\""),
        ))
        .body(gift::write(&questions)))
}

pub async fn export_xlsx(state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (bank, questions) =
        state.db(move |conn| Ok((Bank::find(conn, id)?, Bank::questions(conn, id)?))).await?;
    let bytes =
        sheet::write_xlsx(&msg::bank_export_title(&bank.name), &questions).map_err(AppError::internal)?;
    Ok(xlsx_response(bytes, &format!("bank-{id}.xlsx")))
}

/// GET /bank/questions/{id}/images/{n}: a question's picture, for trainers
/// and admins, and for anyone whose own paper holds the question (the exam
/// page); to anyone else it does not exist, so no one reads ahead in a bank.
pub async fn image(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, n) = path.into_inner();
    let user = ctx.user()?;
    let (me, trainer) = (user.id, user.has_any_role(&[Role::Trainer, Role::Admin]));
    let found = state
        .db(move |conn| {
            if !trainer && !crate::bank::images::on_paper_of(conn, id, me)? {
                return Ok(None);
            }
            Ok(crate::bank::images::find(conn, id, n)?)
        })
        .await?;
    let (mime, bytes) = found.ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(mime)
        .insert_header(("Cache-Control", "private, max-age=86400"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Content-Security-Policy", "default-src 'none'"))
        .body(bytes))
}
