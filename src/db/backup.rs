//! `examhall backup --output FILE`: a consistent copy of a running SQLite
//! site, taken with `VACUUM INTO` (one read transaction: writers carry on,
//! and the copy is the database as of one instant). PostgreSQL sites use
//! `pg_dump` (see the README).

use std::path::Path;

use diesel::prelude::*;

use super::copy::{count, TABLES};
use super::Conn;
use crate::web::msg;

/// Writes the backup to `output` (which must not exist) and checks it: the
/// copy passes `PRAGMA integrity_check` and holds as many rows per table as
/// the source had when it was taken. Returns the row counts.
pub fn sqlite(conn: &mut Conn, output: &Path) -> anyhow::Result<Vec<(&'static str, i64)>> {
    anyhow::ensure!(matches!(conn, Conn::Sqlite(_)), "{}", msg::BACKUP_SQLITE_ONLY);
    anyhow::ensure!(!output.exists(), "{}", msg::backup_exists(&output.display().to_string()));
    let path = output.to_str().ok_or_else(|| anyhow::anyhow!(msg::BACKUP_BAD_PATH))?;
    // The path is a literal in the statement (VACUUM INTO takes no bound
    // parameter here); quotes are doubled.
    diesel::sql_query(format!("VACUUM INTO '{}'", path.replace('\'', "''"))).execute(conn)?;
    let mut copy = Conn::Sqlite(diesel::SqliteConnection::establish(path)?);
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check").load(&mut copy)?;
    anyhow::ensure!(check.iter().all(|c| c.integrity_check == "ok"), "{}", msg::BACKUP_CORRUPT);
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push((*table, count(&mut copy, table)?));
    }
    Ok(counts)
}
