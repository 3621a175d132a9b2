//! The one application error type, mapped to a status code and a Chinese page.

use actix_web::http::{header, StatusCode};
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
    /// Too many password checks queued: come back in a few seconds.
    #[error("{}", msg::BUSY)]
    Busy,
    #[error("{}", msg::DB_ERROR)]
    Db(#[from] diesel::result::Error),
    #[error("{}", msg::INTERNAL_ERROR)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest(message.into())
    }
    pub fn internal(err: impl std::fmt::Display) -> Self {
        Self::Internal(anyhow::anyhow!("{err}"))
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        Self::internal(err)
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        Self::internal(err)
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound | Self::Db(diesel::result::Error::NotFound) => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::Unauthorized => StatusCode::SEE_OTHER,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::Db(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        match self {
            Self::Unauthorized => {
                return HttpResponse::SeeOther().insert_header((header::LOCATION, "/login")).finish()
            }
            Self::Db(diesel::result::Error::NotFound) => {}
            Self::Db(err) => tracing::error!(error = %err, "database error"),
            Self::Internal(err) => tracing::error!(error = ?err, "internal error"),
            _ => {}
        }
        let message = match self {
            Self::Db(diesel::result::Error::NotFound) => msg::NOT_FOUND.to_string(),
            Self::Db(diesel::result::Error::DatabaseError(_, info))
                if info.message().contains("locked") || info.message().contains("busy") =>
            {
                msg::DB_BUSY.to_string()
            }
            // Details go to the log; people get a message they can act on.
            Self::Db(_) | Self::Internal(_) => msg::INTERNAL.to_string(),
            other => other.to_string(),
        };
        let mut builder = HttpResponse::build(status);
        if matches!(self, Self::Busy) {
            builder.insert_header((header::RETRY_AFTER, "2"));
        }
        builder.content_type("text/html; charset=utf-8").body(super::render::error_page(status, &message))
    }
}
