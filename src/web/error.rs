//! The one application error type, mapped to a status code and a Chinese page
//! (or, for a request that asks for JSON, `{"ok": false, "message": …}`).
//!
//! Database faults the user can only wait out or report (storage full, the
//! write lock held too long, the server unreachable) are 503 with a message
//! that says nothing was saved; see [`DbFault`].

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};

use super::msg;

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{}", msg::NOT_FOUND)]
    NotFound,
    #[error("{}", msg::FORBIDDEN)]
    Forbidden,
    /// Not signed in: the user is sent to the login page.
    #[error("{}", msg::LOGIN_REQUIRED)]
    Unauthorized,
    #[error("{}", msg::CSRF)]
    Csrf,
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    /// An upload past a size bound (see [`crate::roster::parse::is_oversized`]):
    /// 413 with the bound's message, whatever the form's usual way of
    /// showing a file's mistakes.
    #[error("{0}")]
    TooLarge(String),
    /// Too many password checks, or uploads to parse, queued: come back in a few seconds.
    #[error("{}", msg::BUSY)]
    Busy,
    /// The database could not take the request (no connection, or a fault
    /// already logged where it happened).
    #[error("{}", .0.message())]
    Unavailable(DbFault),
    #[error("{}", msg::DB_ERROR)]
    Db(#[from] diesel::result::Error),
    #[error("{}", msg::INTERNAL_ERROR)]
    Internal(#[from] anyhow::Error),
}

/// A database fault that is no bug of the request: it fails as a whole (its
/// transaction rolled back) and the same request succeeds once the cause is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbFault {
    /// The disk (or SQLite's page limit) is full: an administrator must act.
    Full,
    /// Another connection held the write lock past the busy timeout (SQLite),
    /// or a lock wait / deadlock / serialization conflict (PostgreSQL).
    Busy,
    /// No connection: the pool timed out, the server refused or closed it.
    Unreachable,
    /// The database takes no writes: its file or file system is read-only
    /// (SQLite), or the server or session is read-only (a PostgreSQL standby,
    /// `default_transaction_read_only`). An administrator must act, as for a full disk.
    ReadOnly,
}

impl DbFault {
    /// Which fault a database error is, if any. diesel reports SQLite's
    /// result codes only as text (`DatabaseError(Unknown, "database or disk
    /// is full")`), so the text decides; the tests in `tests/app/faults.rs`
    /// check these against the real errors.
    pub fn of(err: &diesel::result::Error) -> Option<Self> {
        use diesel::result::{DatabaseErrorKind as Kind, Error};
        match err {
            Error::DatabaseError(Kind::ClosedConnection | Kind::UnableToSendCommand, _) => {
                Some(Self::Unreachable)
            }
            Error::DatabaseError(Kind::SerializationFailure, _) => Some(Self::Busy),
            Error::DatabaseError(_, info) => Self::of_message(info.message()),
            // A failed COMMIT: its own error tells.
            Error::RollbackErrorOnCommit { commit_error, .. } => Self::of(commit_error),
            _ => None,
        }
    }

    fn of_message(message: &str) -> Option<Self> {
        let m = message.to_ascii_lowercase();
        let any = |needles: &[&str]| needles.iter().any(|n| m.contains(n));
        if any(&[
            "readonly database",     // SQLITE_READONLY "attempt to write a readonly database"
            "read-only transaction", // PostgreSQL 25006 "cannot execute INSERT in a read-only transaction"
            "read-only file system", // EROFS, as either reports a file it cannot write
        ]) {
            Some(Self::ReadOnly)
        } else if any(&[
            "database or disk is full", // SQLITE_FULL (also ENOSPC)
            "no space left on device",  // PostgreSQL 53100 disk_full
            "could not extend file",    // PostgreSQL, a relation cannot grow
        ]) {
            Some(Self::Full)
        } else if any(&[
            "is locked", // SQLITE_BUSY "database is locked" (after busy_timeout),
            // SQLITE_LOCKED "database table is locked"
            "busy",
            "lock timeout",      // PostgreSQL 55P03
            "deadlock detected", // PostgreSQL 40P01
        ]) {
            Some(Self::Busy)
        } else if any(&[
            "server closed the connection",
            "terminating connection", // PostgreSQL 57P01 admin_shutdown
            "no connection to the server",
            "could not connect",
            "connection refused",
            "the database system is", // starting up / shutting down / in recovery
        ]) {
            Some(Self::Unreachable)
        } else {
            None
        }
    }

    /// What the user is told (always: nothing of this request was saved).
    pub fn message(self) -> &'static str {
        match self {
            Self::Full => msg::DB_FULL,
            Self::Busy => msg::DB_LOCKED,
            Self::Unreachable => msg::DB_UNREACHABLE,
            Self::ReadOnly => msg::DB_READ_ONLY,
        }
    }
}

impl AppError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest(message.into())
    }
    pub fn internal(err: impl std::fmt::Display) -> Self {
        Self::Internal(anyhow::anyhow!("{err}"))
    }

    /// The database fault behind this error, if it is one.
    pub fn fault(&self) -> Option<DbFault> {
        match self {
            Self::Db(err) => DbFault::of(err),
            Self::Unavailable(fault) => Some(*fault),
            _ => None,
        }
    }

    /// What the user is shown: details go to the log, people get a message
    /// they can act on.
    pub fn user_message(&self) -> String {
        if let Some(fault) = self.fault() {
            return fault.message().to_string();
        }
        match self {
            Self::Db(diesel::result::Error::NotFound) => msg::NOT_FOUND.to_string(),
            Self::Db(_) | Self::Internal(_) => msg::INTERNAL.to_string(),
            other => other.to_string(),
        }
    }

    /// Writes the error to the log, once per response (faults by kind: a full
    /// disk and a lost database need an administrator, a busy one does not).
    fn log(&self) {
        match (self, self.fault()) {
            (Self::Db(err), Some(DbFault::Full)) => {
                tracing::error!(error = %err, "database full: write refused")
            }
            (Self::Db(err), Some(DbFault::Busy)) => {
                tracing::warn!(error = %err, "database busy: write refused")
            }
            (Self::Db(err), Some(DbFault::Unreachable)) => {
                tracing::error!(error = %err, "database unreachable")
            }
            (Self::Db(err), Some(DbFault::ReadOnly)) => {
                tracing::error!(error = %err, "database read-only: write refused")
            }
            (Self::Db(diesel::result::Error::NotFound), _) => {}
            (Self::Db(err), None) => tracing::error!(error = %err, "database error"),
            (Self::Internal(err), _) => tracing::error!(error = ?err, "internal error"),
            _ => {}
        }
    }

    /// The response without logging: a Chinese page, or JSON for fetch().
    fn respond(&self, json: bool) -> HttpResponse {
        let status = self.status_code();
        if matches!(self, Self::Unauthorized) {
            return HttpResponse::SeeOther().insert_header((header::LOCATION, "/login")).finish();
        }
        let message = self.user_message();
        let mut builder = HttpResponse::build(status);
        match self.fault() {
            Some(DbFault::Busy | DbFault::Unreachable) => {
                builder.insert_header((header::RETRY_AFTER, "2"));
            }
            // Full and read-only need an administrator: no point retrying at once.
            Some(DbFault::Full | DbFault::ReadOnly) => {
                builder.insert_header((header::RETRY_AFTER, "60"));
            }
            None if matches!(self, Self::Busy) => {
                builder.insert_header((header::RETRY_AFTER, "2"));
            }
            None => {}
        }
        if json {
            builder
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(serde_json::json!({"ok": false, "message": message}))
        } else {
            builder.content_type("text/html; charset=utf-8").body(super::render::error_page(status, &message))
        }
    }

    /// The error as `{"ok": false, "message": …}` for a fetch() endpoint.
    pub fn json_response(&self) -> HttpResponse {
        self.log();
        self.respond(true)
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    /// No connection within the pool's timeout: every connection busy, or
    /// the database server down (the pool keeps trying to reconnect).
    fn from(err: diesel::r2d2::PoolError) -> Self {
        tracing::error!(error = %err, "no database connection");
        Self::Unavailable(DbFault::Unreachable)
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        Self::internal(err)
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        if self.fault().is_some() {
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        match self {
            Self::NotFound | Self::Db(diesel::result::Error::NotFound) => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::Unauthorized => StatusCode::SEE_OTHER,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Busy | Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Db(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        self.log();
        self.respond(false)
    }
}

/// Whether a request reads JSON answers (`Accept: application/json`, as the
/// exam page's autosave sends).
pub(crate) fn wants_json(headers: &header::HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"))
}

/// Errors as JSON for requests that ask for it (`Accept: application/json`,
/// as the exam page's autosave sends), wherever they arise: in the handler or
/// before it (loading the signed-in user needs the database too). The page
/// then shows the message and retries.
pub async fn json_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !wants_json(req.headers()) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let res = match next.call(req).await {
        Ok(res) => res.map_into_boxed_body(),
        // An error before the handler: answered as JSON here (it is logged
        // here too: its own response, which would log it, is never made).
        Err(err) => {
            let Some(app) = err.as_error::<AppError>() else { return Err(err) };
            if matches!(app, AppError::Unauthorized) {
                return Err(err);
            }
            app.log();
            let json = app.respond(true);
            return Err(actix_web::error::InternalError::from_response(app.user_message(), json).into());
        }
    };
    let json = match res.response().error().and_then(|e| e.as_error::<AppError>()) {
        Some(err) if res.status().is_client_error() || res.status().is_server_error() => err.respond(true),
        _ => return Ok(res),
    };
    let (request, old) = res.into_parts();
    // Cookies set on the way out stay.
    let mut json = json;
    for cookie in old.headers().get_all(header::SET_COOKIE) {
        json.headers_mut().append(header::SET_COOKIE, cookie.clone());
    }
    Ok(ServiceResponse::new(request, json))
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorKind, Error};

    fn db(kind: DatabaseErrorKind, message: &str) -> AppError {
        AppError::Db(Error::DatabaseError(kind, Box::new(message.to_string())))
    }

    #[test]
    fn database_faults_are_503_with_a_message_that_nothing_was_saved() {
        let unknown = DatabaseErrorKind::Unknown;
        let cases = [
            (db(unknown, "database or disk is full"), msg::DB_FULL),
            (db(unknown, "could not extend file \"base/1/2\": No space left on device"), msg::DB_FULL),
            (db(unknown, "database is locked"), msg::DB_LOCKED),
            (db(unknown, "database table is locked"), msg::DB_LOCKED),
            (
                db(DatabaseErrorKind::ClosedConnection, "server closed the connection unexpectedly"),
                msg::DB_UNREACHABLE,
            ),
            (db(unknown, "terminating connection due to administrator command"), msg::DB_UNREACHABLE),
            (db(unknown, "attempt to write a readonly database"), msg::DB_READ_ONLY),
            (db(unknown, "cannot execute INSERT in a read-only transaction"), msg::DB_READ_ONLY),
            (
                db(unknown, "could not write to file \"pg_wal/xlogtemp.1\": Read-only file system"),
                msg::DB_READ_ONLY,
            ),
            (AppError::Unavailable(DbFault::Unreachable), msg::DB_UNREACHABLE),
        ];
        for (err, message) in cases {
            assert_eq!(err.status_code(), StatusCode::SERVICE_UNAVAILABLE, "{err:?}");
            assert_eq!(err.user_message(), message, "{err:?}");
            assert!(err.respond(false).headers().contains_key(header::RETRY_AFTER));
        }
        // Anything else stays a 500 whose details go only to the log.
        let other = db(DatabaseErrorKind::Unknown, "no such table: banks");
        assert_eq!(
            (other.status_code(), other.user_message()),
            (StatusCode::INTERNAL_SERVER_ERROR, msg::INTERNAL.into())
        );
        let unique = db(DatabaseErrorKind::UniqueViolation, "UNIQUE constraint failed: banks.name");
        assert_eq!(unique.fault(), None);
    }
}
