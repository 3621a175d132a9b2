//! Uploaded files for the import pipeline: read from a multipart form, kept in
//! the database between the dry run and the confirmation (app servers stay
//! stateless), deleted once committed.
//!
//! Every multipart form carries its CSRF token in its body, as the first
//! part (`csrf_token`): never in the URL, where it would land in access logs.
//! The access gate calls [`verify_csrf_part`] for every multipart request to
//! every route, before the handler runs, so no upload route can forget it and
//! no file part is read before the token is checked.

use std::cell::RefCell;
use std::collections::HashMap;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_multipart::{Field, Multipart};
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use actix_web::web::Bytes;
use actix_web::HttpMessage;
use diesel::prelude::*;
use futures_util::{Stream, StreamExt};

use super::error::{AppError, AppResult};
use super::{csrf, msg};
use crate::db::{now, Conn};
use crate::schema::uploads;

pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// Reads the form field `file`: its name and bytes.
pub async fn read_file(mut form: Multipart) -> AppResult<(String, Vec<u8>)> {
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|_| AppError::bad_request(msg::UPLOAD_INCOMPLETE))?;
        if field.name() != Some("file") {
            continue;
        }
        let filename =
            field.content_disposition().and_then(|cd| cd.get_filename()).unwrap_or_default().to_string();
        let data = read_field(&mut field, MAX_UPLOAD_BYTES).await?;
        if filename.is_empty() || data.is_empty() {
            break;
        }
        return Ok((filename, data));
    }
    Err(AppError::bad_request(msg::NO_FILE_CHOSEN))
}

/// Reads a whole form with a file: the text fields named in `text` (absent ones
/// left out) and the field `file` (its name and bytes; None if none was
/// chosen). Every other field is read too, and dropped; text fields take at
/// most `text_limit` bytes each, the file [`MAX_UPLOAD_BYTES`].
pub async fn read_multipart(
    mut form: Multipart,
    text: &[&str],
    text_limit: usize,
) -> AppResult<(HashMap<String, String>, Option<(String, Vec<u8>)>)> {
    let (mut fields, mut file) = (HashMap::new(), None);
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|_| AppError::bad_request(msg::UPLOAD_INCOMPLETE))?;
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.content_disposition().and_then(|cd| cd.get_filename()).map(str::to_string);
        let limit = if name == "file" { MAX_UPLOAD_BYTES } else { text_limit };
        let data = read_field(&mut field, limit).await?;
        if name == "file" {
            if !data.is_empty() {
                file = filename.filter(|f| !f.is_empty()).map(|f| (f, data));
            }
        } else if text.contains(&name.as_str()) {
            fields.insert(name, String::from_utf8_lossy(&data).into_owned());
        }
    }
    Ok((fields, file))
}

/// A token is 64 hex digits; a first part longer than this is no token.
const TOKEN_PART_LIMIT: usize = 256;

/// Checks the CSRF token of a multipart request: the form's first part must
/// be the field `csrf_token` with the session's token (`expected`). Only that
/// part is read; every byte taken from the body is put back in front of the
/// rest, so the handler reads the whole form as it was sent.
pub async fn verify_csrf_part(req: &mut ServiceRequest, expected: &str) -> Result<(), AppError> {
    let body = Rc::new(RefCell::new(req.take_payload()));
    let seen = Rc::new(RefCell::new(Vec::new()));
    let token = {
        let mut form = Multipart::new(req.headers(), Recorded { body: body.clone(), seen: seen.clone() });
        match form.next().await {
            Some(Ok(mut field)) if field.name() == Some(csrf::FORM_FIELD) => {
                read_field(&mut field, TOKEN_PART_LIMIT).await.ok()
            }
            _ => None,
        }
    };
    let rest = std::mem::replace(&mut *body.borrow_mut(), Payload::None);
    let read: Vec<Result<Bytes, PayloadError>> = seen.take().into_iter().map(Ok).collect();
    let replay: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(futures_util::stream::iter(read).chain(rest));
    req.set_payload(Payload::from(replay));
    match token {
        Some(token) if csrf::same(&String::from_utf8_lossy(&token), expected) => Ok(()),
        _ => Err(AppError::Csrf),
    }
}

/// The request body, keeping a copy of every chunk read (the token's part
/// and whatever the multipart parser read ahead).
struct Recorded {
    body: Rc<RefCell<Payload>>,
    seen: Rc<RefCell<Vec<Bytes>>>,
}

impl Stream for Recorded {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = Pin::new(&mut *self.body.borrow_mut()).poll_next(cx);
        if let Poll::Ready(Some(Ok(chunk))) = &polled {
            self.seen.borrow_mut().push(chunk.clone());
        }
        polled
    }
}

/// A field's bytes; more than `limit` of them is [`msg::FILE_TOO_LARGE`].
async fn read_field(field: &mut Field, limit: usize) -> AppResult<Vec<u8>> {
    let mut data = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|_| AppError::bad_request(msg::UPLOAD_INCOMPLETE))?;
        if data.len() + chunk.len() > limit {
            return Err(AppError::bad_request(msg::FILE_TOO_LARGE));
        }
        data.extend_from_slice(&chunk);
    }
    Ok(data)
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = uploads)]
pub struct Upload {
    pub id: i32,
    pub kind: String,
    pub filename: String,
    pub content: Vec<u8>,
    pub uploaded_by: i32,
    pub created_at: chrono::NaiveDateTime,
}

impl Upload {
    pub fn insert(conn: &mut Conn, kind: &str, filename: &str, content: &[u8], by: i32) -> QueryResult<i32> {
        diesel::insert_into(uploads::table)
            .values((
                uploads::kind.eq(kind),
                uploads::filename.eq(filename),
                uploads::content.eq(content),
                uploads::uploaded_by.eq(by),
                uploads::created_at.eq(now()),
            ))
            .returning(uploads::id)
            .get_result(conn)
    }

    /// An upload of `kind` made by `user` (nobody confirms another person's file).
    pub fn find_own(conn: &mut Conn, id: i32, kind: &str, user: i32) -> QueryResult<Upload> {
        uploads::table
            .filter(uploads::id.eq(id))
            .filter(uploads::kind.eq(kind))
            .filter(uploads::uploaded_by.eq(user))
            .select(Upload::as_select())
            .first(conn)
    }

    /// Removes uploads older than a day: previews nobody confirmed.
    pub fn purge_stale(conn: &mut Conn) -> QueryResult<usize> {
        let cutoff = now() - chrono::Duration::days(1);
        diesel::delete(uploads::table.filter(uploads::created_at.lt(cutoff))).execute(conn)
    }

    pub fn delete(conn: &mut Conn, id: i32) -> QueryResult<usize> {
        diesel::delete(uploads::table.find(id)).execute(conn)
    }

    /// Deletes an upload whose import is in. A leftover file is only clutter
    /// (purged later), so a failure is logged, not returned.
    pub fn forget(conn: &mut Conn, upload_id: i32) {
        if let Err(e) = Upload::delete(conn, upload_id) {
            tracing::warn!(error = %e, upload_id, "could not delete an imported upload");
        }
    }
}
