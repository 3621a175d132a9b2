//! examhall: the training and examination platform of a telecom city branch.
//!
//! `build_server` assembles the actix-web app from the route table; `main.rs`
//! only parses the command line, and the tests start this same server.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod bank;
pub mod cli;
pub mod closing;
pub mod config;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod domain;
pub mod evaluation;
pub mod exam;
pub mod home;
#[cfg(test)]
mod import_props;
pub mod inspect;
pub mod kb;
pub mod org;
pub mod phone;
pub mod practice;
pub mod remedial;
pub mod review;
pub mod roster;
pub mod routes;
pub mod satisfaction;
pub mod schema;
pub mod scorecard;
pub mod settings;
pub mod time;
pub mod training;
pub mod web;

use std::net::TcpListener;
use std::sync::Arc;

use actix_session::config::CookieContentSecurity;
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::body::MessageBody;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::{middleware, App, HttpServer};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder, TracingLogger};

use crate::auth::password::PasswordGate;
use crate::auth::throttle::Throttle;
use crate::config::Config;
use crate::db::{Conn, DbPool};
use crate::web::{msg, AppError, AppResult};

/// What every request handler shares.
pub struct AppState {
    pub pool: DbPool,
    pub passwords: PasswordGate,
    pub throttle: Throttle,
    /// Signed-in users between requests (see [`auth::cache`]).
    pub users: auth::cache::UserCache,
    /// Writes the exam page's answer saves, many per transaction.
    pub answers: exam::writer::Writer,
    /// The city-wide months behind every clerk's home card (a minute's worth).
    pub home_cards: Arc<scorecard::cache::HomeCache>,
    /// Believe X-Forwarded-For / X-Forwarded-Proto (set from [`Config::trust_proxy`]).
    pub trust_proxy: bool,
    /// Signs the login device cookies (keyed from [`Config::session_key`] by `build_server`).
    pub devices: auth::device::DeviceCookies,
    /// Uploads being parsed (see [`AppState::db_parsing`]).
    pub parsing: Arc<tokio::sync::Semaphore>,
    /// What time it is for this app: [`db::now`] reads it on the app's worker
    /// threads, in [`AppState::db`] work and in the answer writer. The
    /// system's in production; tests set it (month ends, deadlines).
    pub clock: time::Clock,
    /// The 必读 counts the navigation shows (see [`kb::badge`]).
    pub kb_badges: Arc<kb::badge::Badges>,
}

/// Uploads parsed at once, server-wide. Reading a spreadsheet holds its
/// cells in memory (up to a few hundred MB for the largest file the guard
/// lets through) and keeps a core busy, so peak memory is this many parses,
/// not as many as people press the button (docs/RELIABILITY.md, "Memory").
pub const PARSING_AT_ONCE: usize = 2;
/// How long an upload waits for its turn before it is told to retry (503).
pub const PARSING_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl AppState {
    pub fn new(pool: DbPool) -> anyhow::Result<Self> {
        Self::with_gate(pool, PasswordGate::for_this_machine()?)
    }

    pub fn with_gate(pool: DbPool, passwords: PasswordGate) -> anyhow::Result<Self> {
        Self::with_clock(pool, passwords, time::Clock::system())
    }

    /// [`AppState::with_gate`] on a clock of one's own (tests).
    pub fn with_clock(pool: DbPool, passwords: PasswordGate, clock: time::Clock) -> anyhow::Result<Self> {
        let answers = exam::writer::Writer::start(pool.clone(), clock.clone())?;
        Ok(Self {
            pool,
            passwords,
            throttle: Throttle::default(),
            users: Default::default(),
            answers,
            home_cards: Default::default(),
            trust_proxy: false,
            // Replaced by build_server with the site's key; a random one until then.
            devices: auth::device::DeviceCookies::new(&rand::random::<[u8; 64]>(), false),
            parsing: Arc::new(tokio::sync::Semaphore::new(PARSING_AT_ONCE)),
            clock,
            kb_badges: Default::default(),
        })
    }

    /// Runs database work on the blocking pool, off the async workers.
    /// Account changes it committed then reach the user cache.
    pub async fn db<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> AppResult<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        let clock = self.clock.clone();
        actix_web::web::block(move || {
            // The blocking pool's threads serve whichever app (test) asks:
            // the clock is this app's for this work only.
            let _clock = clock.install();
            let result = pool.get().map_err(AppError::from).and_then(|mut conn| work(&mut conn));
            auth::cache::publish_changes();
            result
        })
        .await?
    }
}

impl AppState {
    /// [`AppState::db`] for work that parses an upload (a spreadsheet, CSV or
    /// text file, whether just sent or kept for the confirmation): it waits
    /// for one of the [`PARSING_AT_ONCE`] turns first, before it takes a
    /// database connection, and after [`PARSING_WAIT`] answers 503 "busy,
    /// try again" instead of queueing without end.
    pub async fn db_parsing<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> AppResult<T> + Send + 'static,
    {
        let turn = actix_web::rt::time::timeout(PARSING_WAIT, self.parsing.clone().acquire_owned()).await;
        let Ok(Ok(_turn)) = turn else {
            tracing::warn!("upload parsing busy: refused");
            return Err(AppError::Busy);
        };
        self.db(work).await
    }
}

/// Adds the user id to each request's log span.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        tracing_actix_web::root_span!(request, user_id = tracing::field::Empty)
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, actix_web::Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

async fn not_found() -> AppResult<actix_web::HttpResponse> {
    Err(AppError::NotFound)
}

/// Builds the HTTP server on an already bound listener (port 0 in tests).
pub fn build_server(
    listener: TcpListener,
    config: &Config,
    mut state: AppState,
    workers: usize,
) -> std::io::Result<Server> {
    // A template that does not compile stops the start, not every page later.
    web::render::check_templates().map_err(|e| std::io::Error::other(format!("template error: {e}")))?;
    state.trust_proxy = config.trust_proxy;
    state.devices = auth::device::DeviceCookies::new(&config.session_key, config.secure_cookies);
    let state = actix_web::web::Data::new(state);
    let key = Key::from(&config.session_key);
    let secure = config.secure_cookies;
    let server = HttpServer::new(move || {
        // Runs once on each worker thread, which serves only this server: its
        // handlers read this app's clock from here on (see `time::Clock`).
        state.clock.install_for_thread();
        let bad_form = |err: actix_web::error::UrlencodedError, _: &actix_web::HttpRequest| {
            AppError::bad_request(msg::invalid_form(err)).into()
        };
        let bad_query = |err: actix_web::error::QueryPayloadError, _: &actix_web::HttpRequest| {
            AppError::bad_request(msg::invalid_query(err)).into()
        };
        let bad_path = |_: actix_web::error::PathError, _: &actix_web::HttpRequest| AppError::NotFound.into();
        App::new()
            .app_data(state.clone())
            .app_data(actix_web::web::FormConfig::default().limit(1 << 20).error_handler(bad_form))
            .app_data(actix_web::web::QueryConfig::default().error_handler(bad_query))
            .app_data(actix_web::web::PathConfig::default().error_handler(bad_path))
            .wrap(middleware::from_fn(web::access::identify))
            // Outside `identify`, so its errors (the user is loaded from the database) come as JSON too.
            .wrap(middleware::from_fn(web::error::json_errors))
            .wrap(
                SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                    .cookie_name("examhall_session".into())
                    .cookie_secure(secure)
                    .cookie_http_only(true)
                    .cookie_same_site(SameSite::Lax)
                    .cookie_content_security(CookieContentSecurity::Private)
                    .build(),
            )
            .wrap(middleware::from_fn(web::access::secure_behind_proxy))
            .wrap(
                middleware::DefaultHeaders::new()
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add(("X-Frame-Options", "DENY"))
                    .add(("Referrer-Policy", "same-origin"))
                    // Scripts and styles only from our own files: no inline script
                    // or style anywhere (charts are inline SVG with attributes,
                    // which the policy allows). A handler may set a stricter one.
                    .add((
                        "Content-Security-Policy",
                        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
                    )),
            )
            .wrap(TracingLogger::<RequestSpan>::new())
            .configure(routes::configure)
            .default_service(actix_web::web::to(not_found))
    })
    .workers(workers)
    .listen(listener)?
    .run();
    Ok(server)
}
