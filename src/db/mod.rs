//! The database: SQLite (one file, the default) or PostgreSQL (a shared server
//! for big or multi-server sites), chosen at run time from the URL. One
//! `schema.rs`, one connection enum, migrations per backend with the same names.

pub mod backup;
pub mod copy;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, Connection, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{CustomizeConnection, ManageConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::web::msg;

/// The connection every model function takes: either backend, one type.
#[derive(diesel::MultiConnection)]
pub enum Conn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

pub type DbPool = Pool<Manager>;
pub type PooledConn = PooledConnection<Manager>;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the database is: the backend and what to hand its driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub backend: Backend,
    /// A file path for SQLite, the full URL for PostgreSQL.
    pub location: String,
}

/// Reads a `--database` value: `postgres://…` or `postgresql://…` is PostgreSQL;
/// `sqlite://PATH`, `sqlite:PATH` or a plain path is SQLite. Anything else that
/// looks like a URL is refused, so a mistyped server address never quietly
/// becomes a new SQLite file.
pub fn parse_url(url: &str) -> anyhow::Result<Target> {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Target { backend: Backend::Postgres, location: url.to_string() });
    }
    for prefix in ["sqlite://", "sqlite:"] {
        if let Some(path) = url.strip_prefix(prefix) {
            anyhow::ensure!(!path.is_empty(), "{}", msg::unsupported_database_url(url));
            return Ok(Target { backend: Backend::Sqlite, location: path.to_string() });
        }
    }
    let looks_like_scheme = url.split_once(':').is_some_and(|(scheme, _)| {
        scheme.len() > 1 && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    anyhow::ensure!(!url.is_empty() && !looks_like_scheme, "{}", msg::unsupported_database_url(url));
    Ok(Target { backend: Backend::Sqlite, location: url.to_string() })
}

/// Opens connections of the backend the URL names (never guessing from the text).
#[derive(Debug, Clone)]
pub struct Manager {
    target: Target,
}

impl ManageConnection for Manager {
    type Connection = Conn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Conn, Self::Error> {
        let location = &self.target.location;
        match self.target.backend {
            Backend::Sqlite => SqliteConnection::establish(location).map(Conn::Sqlite),
            Backend::Postgres => PgConnection::establish(location).map(Conn::Pg),
        }
        .map_err(diesel::r2d2::Error::ConnectionError)
    }

    /// Checked at every checkout: a PostgreSQL connection may have died with
    /// its server; a SQLite file cannot, so the check would only cost a parse.
    fn is_valid(&self, conn: &mut Conn) -> Result<(), Self::Error> {
        match conn {
            Conn::Sqlite(_) => Ok(()),
            Conn::Pg(_) => conn.batch_execute("SELECT 1").map_err(diesel::r2d2::Error::QueryError),
        }
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        <Conn as Connection>::TransactionManager::is_broken_transaction_manager(conn)
    }
}

/// How long the database may keep a request waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tuning {
    /// SQLite: how long a write waits for another connection's write lock
    /// before it fails with "database is locked" (`PRAGMA busy_timeout`).
    pub busy_timeout: Duration,
    /// How long a request waits for a pooled connection (all in use, or the
    /// server unreachable) before it is refused with 503.
    pub connection_timeout: Duration,
    /// SQLite: whether a commit waits for the disk (`synchronous = FULL`, an
    /// fsync of the WAL per commit, so a power cut loses no acknowledged
    /// answer) or only for the kernel (`NORMAL`: safe against a crash of the
    /// server, not of the machine). FULL by default; see docs/RELIABILITY.md.
    pub durable: bool,
}

impl Default for Tuning {
    fn default() -> Self {
        // Saves and pages take milliseconds (docs/PERFORMANCE.md): a request
        // that waits 10 s for a connection is better told to retry than left
        // hanging for r2d2's default 30 s.
        // EXAMHALL_SQLITE_SYNCHRONOUS=NORMAL trades power-loss safety for
        // speed (a test or benchmark machine, or a disk with its own battery).
        let durable = !matches!(
            std::env::var("EXAMHALL_SQLITE_SYNCHRONOUS").map(|v| v.to_ascii_uppercase()).as_deref(),
            Ok("NORMAL")
        );
        Self {
            busy_timeout: Duration::from_millis(5000),
            connection_timeout: Duration::from_secs(10),
            durable,
        }
    }
}

impl Tuning {
    /// How SQLite runs, as benchmark and crash-test reports name it.
    pub fn sqlite_label(&self) -> &'static str {
        if self.durable {
            "SQLite WAL synchronous=FULL"
        } else {
            "SQLite WAL synchronous=NORMAL"
        }
    }
}

/// Settings applied to every new pooled connection.
#[derive(Debug, Clone)]
struct Setup {
    sqlite: String,
}

impl Setup {
    fn new(tuning: &Tuning) -> Self {
        // busy_timeout first: switching to WAL takes a lock that the other
        // connections the pool opens at start-up would otherwise fail on.
        // (`sql_query` would run only the first statement: batch_execute runs all.)
        let sqlite = format!(
            "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = {}; PRAGMA foreign_keys = ON;",
            tuning.busy_timeout.as_millis(),
            if tuning.durable { "FULL" } else { "NORMAL" }
        );
        Self { sqlite }
    }
}

impl CustomizeConnection<Conn, diesel::r2d2::Error> for Setup {
    fn on_acquire(&self, conn: &mut Conn) -> Result<(), diesel::r2d2::Error> {
        let sql = match conn {
            Conn::Sqlite(_) => self.sqlite.as_str(),
            // Timestamps are UTC NaiveDateTimes on both backends.
            Conn::Pg(_) => "SET TIME ZONE 'UTC';",
        };
        conn.batch_execute(sql).map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Opens the pool and runs pending migrations.
pub fn connect(url: &str, max_size: u32) -> anyhow::Result<DbPool> {
    connect_with(url, max_size, Tuning::default())
}

/// [`connect`] with other waiting times (tests make faults show up fast).
pub fn connect_with(url: &str, max_size: u32, tuning: Tuning) -> anyhow::Result<DbPool> {
    let target = parse_url(url)?;
    let manager = Manager { target };
    // One direct attempt first: an unreachable server fails at once with its
    // own reason, instead of after the pool's connection timeout.
    manager.connect().map_err(|e| anyhow::anyhow!("{}", msg::database_unreachable(&redact(url), e)))?;
    let pool = Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(tuning.connection_timeout)
        .connection_customizer(Box::new(Setup::new(&tuning)))
        .build(manager)
        .map_err(|e| anyhow::anyhow!("{}", msg::database_unreachable(&redact(url), e)))?;
    migrate(&pool)?;
    Ok(pool)
}

pub fn migrate(pool: &DbPool) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    let result = match &mut *conn {
        Conn::Sqlite(_) => conn.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        Conn::Pg(_) => {
            // Several app servers may start at once: one migrates, the others wait.
            conn.batch_execute("SELECT pg_advisory_lock(7305640)")?;
            let result = conn.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
            conn.batch_execute("SELECT pg_advisory_unlock(7305640)")?;
            result
        }
    };
    result.map_err(|e| anyhow::anyhow!("{}", msg::migration_failed(e)))
}

/// A URL with its password blanked, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The current time in UTC, the only time zone stored in the database, by
/// the clock of the app whose work is running (see [`crate::time::Clock`]:
/// tests set it; otherwise it is the system's).
pub fn now() -> chrono::NaiveDateTime {
    crate::time::now_utc()
}

/// Runs a write in one transaction. On SQLite it is `BEGIN IMMEDIATE`, so the
/// write lock is taken at the start instead of failing on a lock upgrade
/// halfway through; on PostgreSQL a plain transaction. Inside an open
/// transaction it simply runs `f` as part of it.
pub fn write<T, E>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    type Manager = <Conn as Connection>::TransactionManager;
    if Manager::transaction_manager_status_mut(conn).transaction_depth()?.is_some() {
        return f(conn);
    }
    if let Conn::Sqlite(inner) = &mut *conn {
        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
    } else {
        Manager::begin_transaction(conn)?;
    }
    match f(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(err) => {
            // The error that stopped the work is the one to report, whatever
            // the ROLLBACK says; nothing of the work was committed either way.
            match Manager::rollback_transaction(conn) {
                // SQLite rolls the whole transaction back itself after some
                // errors ("database or disk is full"): nothing left to undo.
                Ok(()) | Err(diesel::result::Error::NotInTransaction) => {}
                // The connection is marked broken: the pool replaces it.
                Err(rollback) => tracing::warn!(error = %rollback, "rollback after a failed write"),
            }
            Err(err)
        }
    }
}

diesel::define_sql_function! {
    /// SQL `lower()`: case-insensitive search that behaves the same on every backend
    /// (SQLite's LIKE ignores ASCII case, PostgreSQL's does not).
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_comes_from_the_url_scheme() {
        let sqlite = |p: &str| Ok(Target { backend: Backend::Sqlite, location: p.to_string() });
        assert_eq!(parse_url("examhall.db").map_err(|e| e.to_string()), sqlite("examhall.db"));
        assert_eq!(parse_url("sqlite:///srv/e.db").map_err(|e| e.to_string()), sqlite("/srv/e.db"));
        assert_eq!(parse_url("sqlite:e.db").map_err(|e| e.to_string()), sqlite("e.db"));
        assert_eq!(parse_url("./data/e.db").map_err(|e| e.to_string()), sqlite("./data/e.db"));
        let pg = parse_url("postgres://app:pw@db.example/examhall").unwrap();
        assert_eq!(pg.backend, Backend::Postgres);
        assert_eq!(parse_url("postgresql://db/examhall").unwrap().backend, Backend::Postgres);
        for bad in ["postgress://db/examhall", "mysql://db/x", "postgres:db", "pg://db", "sqlite://", ""] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }

    /// Every pooled SQLite connection runs WAL with the chosen durability:
    /// FULL (2) unless asked for NORMAL (1).
    #[test]
    fn pooled_sqlite_connections_wait_for_the_disk_unless_told_not_to() {
        use diesel::prelude::*;
        #[derive(diesel::QueryableByName)]
        struct Sync {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            synchronous: i32,
        }
        let dir = tempfile::tempdir().unwrap();
        for (durable, want) in [(true, 2), (false, 1)] {
            let path = dir.path().join(format!("sync-{durable}.db"));
            let tuning = Tuning { durable, ..Tuning::default() };
            let pool = connect_with(path.to_str().unwrap(), 2, tuning).unwrap();
            let mut conn = pool.get().unwrap();
            let got: Sync = diesel::sql_query("PRAGMA synchronous").get_result(&mut *conn).unwrap();
            assert_eq!(got.synchronous, want, "durable = {durable}");
        }
        assert!(Tuning { durable: true, ..Tuning::default() }.sqlite_label().ends_with("FULL"));
    }

    /// SQLite rolls a transaction back by itself when the disk is full; the
    /// write still reports the full disk (not the ROLLBACK that found nothing
    /// to undo) and leaves the connection usable.
    #[test]
    fn a_write_refused_for_a_full_disk_reports_the_full_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("full.db");
        let mut conn = Conn::Sqlite(SqliteConnection::establish(path.to_str().unwrap()).unwrap());
        conn.batch_execute("PRAGMA journal_mode = WAL; CREATE TABLE t (b BLOB); PRAGMA max_page_count = 2;")
            .unwrap();
        let result = write(&mut conn, |conn| {
            conn.batch_execute("INSERT INTO t VALUES (zeroblob(10))")?;
            conn.batch_execute("INSERT INTO t VALUES (zeroblob(20000))")
        });
        let err = result.unwrap_err();
        assert_eq!(err.to_string(), "database or disk is full");
        assert_eq!(crate::web::error::DbFault::of(&err), Some(crate::web::error::DbFault::Full));
        assert!(!Manager::has_broken(&Manager { target: parse_url("x.db").unwrap() }, &mut conn));
        write(&mut conn, |conn| conn.batch_execute("INSERT INTO t VALUES (zeroblob(10))")).unwrap();
    }

    #[test]
    fn passwords_are_hidden_in_messages() {
        assert_eq!(redact("postgres://app:s3cret@db:5432/x"), "postgres://app:***@db:5432/x");
        assert_eq!(redact("postgres://app@db/x"), "postgres://app@db/x");
        assert_eq!(redact("examhall.db"), "examhall.db");
    }
}

#[derive(diesel::QueryableByName)]
struct Setting {
    #[diesel(sql_type = diesel::sql_types::Text)]
    autovacuum: String,
}

/// Whether the site is on a PostgreSQL server with autovacuum turned off
/// (SQLite has none to turn off).
pub fn autovacuum_off(conn: &mut Conn) -> diesel::QueryResult<bool> {
    use diesel::RunQueryDsl;
    match conn {
        Conn::Sqlite(_) => Ok(false),
        Conn::Pg(_) => {
            let s: Setting = diesel::sql_query("SHOW autovacuum").get_result(conn)?;
            Ok(s.autovacuum.trim() != "on")
        }
    }
}
