//! What the spreadsheet imports share (phone tests, exam results and drills;
//! the roster in part): the dry run that keeps the upload for the
//! confirmation, the commit that plans again inside one transaction and checks
//! the fingerprint, and the answers to a confirmation that did not go in.

pub mod page;

pub use page::{render, render_with, Cell, Confirm, Details, Field, Page, Row, Section, Stat, Table};

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use diesel::QueryResult;

use super::upload::Upload;
use super::{msg, AppError, AppResult};
use crate::db::{write, Conn};
use crate::roster::parse::{is_oversized, read_table};
use crate::AppState;

/// Rows of the file shown in a preview.
const SHOWN_ROWS: usize = 50;

/// What the shared commit needs to know of an import's plan.
pub trait ImportPlan: std::fmt::Debug {
    /// Why the target cannot take the import at all, whatever the rows say.
    fn refusal(&self) -> Option<String> {
        None
    }
    /// Whether confirming would write it.
    fn ready(&self) -> bool;
    /// How many row errors it has.
    fn error_count(&self) -> usize;
    /// A digest of what the importer saw.
    fn fingerprint(&self) -> String;
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError<P: ImportPlan> {
    /// The target cannot take the import: [`ImportPlan::refusal`].
    #[error("{0}")]
    Refused(String),
    #[error("{}", msg::import_error_count(.0.error_count()))]
    Invalid(Box<P>),
    #[error("{}", msg::IMPORT_CHANGED)]
    Changed,
    #[error("{}", msg::db_error_detail(.0))]
    Db(#[from] diesel::result::Error),
}

/// The commit of an import, in one write transaction: plans again with
/// `plan`, and writes it with `store` unless the target refuses it, it is not
/// ready, or its fingerprint is not the `expected` one (None: any).
pub fn commit<P: ImportPlan, T>(
    conn: &mut Conn,
    expected: Option<&str>,
    plan: impl FnOnce(&mut Conn) -> QueryResult<P>,
    store: impl FnOnce(&mut Conn, P) -> Result<T, ImportError<P>>,
) -> Result<T, ImportError<P>> {
    write(conn, |conn| {
        let plan = plan(conn)?;
        if let Some(why) = plan.refusal() {
            return Err(ImportError::Refused(why));
        }
        if !plan.ready() {
            return Err(ImportError::Invalid(Box::new(plan)));
        }
        if expected.is_some_and(|f| f != plan.fingerprint()) {
            return Err(ImportError::Changed);
        }
        store(conn, plan)
    })
}

/// The dry run of an uploaded file: reads its table, plans it with `dry_run`
/// and keeps the file (as `kind`, `me`'s) for the confirmation, with its id.
/// Err(message): the file cannot be read, or `dry_run` refuses it; nothing is
/// kept. Reading a large workbook is CPU work: it runs on the blocking pool too.
pub async fn preview<P, F>(
    state: &AppState,
    (kind, me): (&'static str, i32),
    (filename, bytes): (String, Vec<u8>),
    dry_run: F,
) -> AppResult<Result<(i32, P), String>>
where
    P: Send + 'static,
    F: FnOnce(&mut Conn, &[Vec<String>]) -> QueryResult<Result<P, String>> + Send + 'static,
{
    state
        .db_parsing(move |conn| {
            let table = match read_table(&filename, &bytes) {
                Ok(table) => table,
                Err(message) if is_oversized(&message) => return Err(AppError::TooLarge(message)),
                Err(message) => return Ok(Err(message)),
            };
            let plan = match dry_run(conn, &table)? {
                Ok(plan) => plan,
                Err(message) => return Ok(Err(message)),
            };
            Upload::purge_stale(conn)?;
            let id = Upload::insert(conn, kind, &filename, &bytes, me)?;
            Ok(Ok((id, plan)))
        })
        .await
}

/// The table of an upload of `kind` that `me` made.
pub fn stored_table(conn: &mut Conn, upload_id: i32, kind: &str, me: i32) -> AppResult<Vec<Vec<String>>> {
    let upload = Upload::find_own(conn, upload_id, kind, me)?;
    read_table(&upload.filename, &upload.content).map_err(AppError::bad_request)
}

/// What a confirmation came to: what the commit returned, else why not and,
/// when the data changed since the preview, the plan as it is now.
pub type Confirmed<T, P> = Result<T, (ImportError<P>, Option<P>)>;

/// Confirms a kept upload (`kind`, `me`'s): commits its table with `commit`;
/// once that is in, the upload is deleted; when the data changed since the
/// preview, plans it again with `dry_run`, to show.
pub fn confirm<P: ImportPlan, T>(
    conn: &mut Conn,
    (kind, upload_id, me): (&str, i32, i32),
    commit: impl FnOnce(&mut Conn, &[Vec<String>]) -> Result<T, ImportError<P>>,
    dry_run: impl FnOnce(&mut Conn, &[Vec<String>]) -> QueryResult<P>,
) -> AppResult<Confirmed<T, P>> {
    let table = stored_table(conn, upload_id, kind, me)?;
    Ok(match commit(conn, &table) {
        Ok(done) => {
            Upload::forget(conn, upload_id);
            Ok(done)
        }
        Err(ImportError::Changed) => Err((ImportError::Changed, Some(dry_run(conn, &table)?))),
        Err(e) => Err((e, None)),
    })
}

/// The answer to a confirmation that did not go in: a database error as
/// such; a file with errors (400) or data changed since the preview (409, the
/// plan as it is now) shown again by `preview`; anything else `back` to the
/// form with its message.
pub fn refused<P: ImportPlan>(
    (error, current): (ImportError<P>, Option<P>),
    preview: impl FnOnce(StatusCode, &P, &str) -> AppResult<HttpResponse>,
    back: impl FnOnce(String) -> HttpResponse,
) -> AppResult<HttpResponse> {
    match (error, current) {
        (ImportError::Db(e), _) => Err(AppError::Db(e)),
        (ImportError::Invalid(plan), _) => {
            preview(StatusCode::BAD_REQUEST, &plan, msg::IMPORT_FILE_HAS_ERRORS)
        }
        (ImportError::Changed, Some(plan)) => preview(StatusCode::CONFLICT, &plan, msg::IMPORT_CHANGED),
        (e, _) => Ok(back(e.to_string())),
    }
}
