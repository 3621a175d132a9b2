//! Connection pool, per-connection pragmas and embedded migrations.

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::web::msg;

/// The connection type every model function takes. A later backend switch
/// (PostgreSQL) changes this one alias into a `MultiConnection` enum.
pub type Conn = SqliteConnection;
pub type DbPool = Pool<ConnectionManager<Conn>>;
pub type PooledConn = PooledConnection<ConnectionManager<Conn>>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Pragmas set on every new pooled connection. `sql_query` would run only the
/// first statement of a list, so this goes through `batch_execute`.
#[derive(Debug, Clone, Copy)]
struct Pragmas;

impl CustomizeConnection<Conn, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut Conn) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(
            // busy_timeout first: switching to WAL takes a lock that the other
            // connections the pool opens at start-up would otherwise fail on.
            "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Turns a `--database` value into a SQLite file path (`sqlite://PATH` or a plain path).
pub fn sqlite_path(url: &str) -> anyhow::Result<String> {
    if let Some(rest) = url.strip_prefix("sqlite://") {
        return Ok(rest.to_string());
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        return Ok(rest.to_string());
    }
    if url.contains("://") {
        anyhow::bail!(msg::unsupported_database_url(url));
    }
    Ok(url.to_string())
}

/// Opens the pool and runs pending migrations.
pub fn connect(url: &str, max_size: u32) -> anyhow::Result<DbPool> {
    let path = sqlite_path(url)?;
    let manager = ConnectionManager::<Conn>::new(path);
    let pool = Pool::builder().max_size(max_size).connection_customizer(Box::new(Pragmas)).build(manager)?;
    migrate(&pool)?;
    Ok(pool)
}

pub fn migrate(pool: &DbPool) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    conn.run_pending_migrations(MIGRATIONS).map_err(|e| anyhow::anyhow!(msg::migration_failed(e)))?;
    Ok(())
}

/// The current time in UTC, the only time zone stored in the database.
pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Runs a write in an immediate transaction, so SQLite takes the write lock at
/// the start instead of failing on a lock upgrade halfway through.
pub fn write<T, E>(conn: &mut Conn, f: impl FnOnce(&mut Conn) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    conn.immediate_transaction(f)
}

diesel::define_sql_function! {
    /// SQL `lower()`: case-insensitive search that behaves the same on every backend
    /// (SQLite's LIKE ignores ASCII case, PostgreSQL's does not).
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}
