//! `backup` and `copy-db`: the whole site at once.

use crate::db;
use crate::web::msg;

pub(super) fn backup(database: &str, output: &std::path::Path) -> anyhow::Result<u8> {
    let pool = db::connect(database, 1)?;
    let mut conn = pool.get()?;
    let counts = db::backup::sqlite(&mut conn, output)?;
    let rows: i64 = counts.iter().map(|(_, n)| n).sum();
    println!("{}", msg::backup_done(&output.display().to_string(), counts.len(), rows));
    Ok(0)
}

pub(super) fn copy_db(from: &str, to: &str) -> anyhow::Result<u8> {
    let (source, target) = (db::connect(from, 1)?, db::connect(to, 1)?);
    let (mut source, mut target) = (source.get()?, target.get()?);
    for (table, rows) in db::copy::copy_all(&mut source, &mut target)? {
        println!("{}", msg::copy_done_table(table, rows));
    }
    println!("{}", msg::COPY_DONE);
    Ok(0)
}
