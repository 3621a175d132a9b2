//! The two backends: their migrations build the same schema, and copy-db
//! moves a whole site between them.

use std::collections::{BTreeMap, BTreeSet};

use diesel::sql_types::{Bool, Integer, Text};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};
use examhall::db::{self, copy};

use crate::helpers::{postgres_url, TestDb};

/// A table as both backends can describe it.
#[derive(Debug, Default, PartialEq)]
struct Table {
    /// (name, type, not null)
    columns: BTreeSet<(String, String, bool)>,
    /// (columns, unique), primary keys excluded
    indexes: BTreeSet<(String, bool)>,
    /// (column, referenced table, referenced column)
    foreign_keys: BTreeSet<(String, String, String)>,
}

type Schema = BTreeMap<String, Table>;

fn common_type(raw: &str) -> String {
    match raw.to_lowercase().as_str() {
        "integer" | "int4" => "integer",
        "bigint" | "int8" => "bigint",
        "text" => "text",
        "boolean" | "bool" => "boolean",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "blob" | "bytea" => "binary",
        "date" => "date",
        other => return format!("unmapped:{other}"),
    }
    .to_string()
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text, column_name = "type")]
    ty: String,
    #[diesel(sql_type = Bool)]
    notnull: bool,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct SqliteIndex {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    unique: bool,
    #[diesel(sql_type = Text)]
    origin: String,
}

#[derive(QueryableByName)]
struct SqliteForeignKey {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    from: String,
    #[diesel(sql_type = Text)]
    to: String,
}

fn sqlite_schema(conn: &mut SqliteConnection) -> Schema {
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name != '__diesel_schema_migrations'",
    )
    .load(conn)
    .unwrap();
    let mut schema = Schema::new();
    for Name { name: table } in tables {
        let mut t = Table::default();
        let columns: Vec<SqliteColumn> =
            diesel::sql_query(format!("PRAGMA table_info({table})")).load(conn).unwrap();
        for c in columns {
            // An INTEGER PRIMARY KEY is never null, whatever the DDL says.
            t.columns.insert((c.name, common_type(&c.ty), c.notnull || c.pk > 0));
        }
        let indexes: Vec<SqliteIndex> =
            diesel::sql_query(format!("PRAGMA index_list({table})")).load(conn).unwrap();
        for i in indexes.into_iter().filter(|i| i.origin != "pk") {
            let cols: Vec<Name> =
                diesel::sql_query(format!("PRAGMA index_info({})", i.name)).load(conn).unwrap();
            let cols: Vec<String> = cols.into_iter().map(|c| c.name).collect();
            t.indexes.insert((cols.join(","), i.unique));
        }
        let fks: Vec<SqliteForeignKey> =
            diesel::sql_query(format!("PRAGMA foreign_key_list({table})")).load(conn).unwrap();
        for fk in fks {
            t.foreign_keys.insert((fk.from, fk.table, fk.to));
        }
        schema.insert(table, t);
    }
    schema
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Bool)]
    not_null: bool,
}

#[derive(QueryableByName)]
struct PgIndex {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    columns: String,
    #[diesel(sql_type = Bool)]
    is_unique: bool,
}

#[derive(QueryableByName)]
struct PgForeignKey {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    ref_table: String,
    #[diesel(sql_type = Text)]
    ref_column: String,
}

fn postgres_schema(conn: &mut PgConnection) -> Schema {
    let mut schema = Schema::new();
    let columns: Vec<PgColumn> = diesel::sql_query(
        "SELECT table_name::text, column_name::text, data_type::text, (is_nullable = 'NO') AS not_null \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name != '__diesel_schema_migrations'",
    )
    .load(conn)
    .unwrap();
    for c in columns {
        schema.entry(c.table_name).or_default().columns.insert((
            c.column_name,
            common_type(&c.data_type),
            c.not_null,
        ));
    }
    let indexes: Vec<PgIndex> = diesel::sql_query(
        "SELECT t.relname::text AS table_name, ix.indisunique AS is_unique, \
         string_agg(a.attname::text, ',' ORDER BY array_position(ix.indkey::int2[], a.attnum)) AS columns \
         FROM pg_index ix \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(ix.indkey) \
         WHERE n.nspname = 'public' AND NOT ix.indisprimary AND t.relname != '__diesel_schema_migrations' \
         GROUP BY t.relname, i.relname, ix.indisunique",
    )
    .load(conn)
    .unwrap();
    for i in indexes {
        schema.entry(i.table_name).or_default().indexes.insert((i.columns, i.is_unique));
    }
    let fks: Vec<PgForeignKey> = diesel::sql_query(
        "SELECT kcu.table_name::text, kcu.column_name::text, \
         ccu.table_name::text AS ref_table, ccu.column_name::text AS ref_column \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage kcu \
           ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema \
         JOIN information_schema.constraint_column_usage ccu \
           ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
         WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'",
    )
    .load(conn)
    .unwrap();
    for fk in fks {
        schema.entry(fk.table_name).or_default().foreign_keys.insert((
            fk.column_name,
            fk.ref_table,
            fk.ref_column,
        ));
    }
    schema
}

#[test]
fn copy_db_knows_every_table() {
    let lite = TestDb::sqlite();
    drop(db::connect(&lite.url, 1).unwrap());
    let schema = sqlite_schema(&mut SqliteConnection::establish(&lite.url).unwrap());
    let tables: BTreeSet<&str> = schema.keys().map(String::as_str).collect();
    assert_eq!(tables, copy::TABLES.iter().copied().collect());
}

/// Copies a demo site from SQLite to `to` and checks it arrived whole and usable.
fn copy_demo_site_to(to: &TestDb) {
    let from = TestDb::sqlite_demo();
    let source = db::connect(&from.url, 1).unwrap();
    let target = db::connect(&to.url, 1).unwrap();
    let counts = copy::copy_all(&mut source.get().unwrap(), &mut target.get().unwrap()).unwrap();
    let users = counts.iter().find(|(t, _)| *t == "users").unwrap().1;
    assert!(users > 300, "{counts:?}");
    let mut conn = target.get().unwrap();
    let clerk = examhall::accounts::User::find_by_login(&mut conn, "10087").unwrap().unwrap();
    assert!(examhall::auth::password::verify("demo1234", &clerk.password_hash));
    // New rows continue after the copied ids.
    let root = examhall::org::OrgUnit::root(&mut conn).unwrap().unwrap();
    let id = examhall::org::OrgUnit::insert(
        &mut conn,
        Some(root.id),
        examhall::org::UnitKind::County,
        "新县分公司",
    )
    .unwrap();
    assert!(id > 29);
    // A second copy into the same (now full) database is refused.
    let again = copy::copy_all(&mut source.get().unwrap(), &mut conn);
    assert!(again.unwrap_err().to_string().contains("目标数据库不是空的"));
}

#[test]
fn copy_db_moves_a_site_between_sqlite_files() {
    copy_demo_site_to(&TestDb::sqlite());
}

/// Tests that need a PostgreSQL server beside SQLite: they run in the
/// PostgreSQL pass (TEST_DATABASE_URL set) and pass without doing anything in
/// the SQLite pass, which their module's name says in the test list.
mod postgres_only {
    use super::*;

    /// The server, or None with a notice.
    fn server() -> Option<String> {
        let url = postgres_url();
        if url.is_none() {
            eprintln!("PostgreSQL 测试已跳过：设置 TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres 后运行。");
        }
        url
    }

    #[test]
    fn both_backends_migrate_to_the_same_schema() {
        let Some(base) = server() else { return };
        let (lite, pg) = (TestDb::sqlite(), TestDb::postgres(&base));
        drop(db::connect(&lite.url, 1).unwrap());
        drop(db::connect(&pg.url, 1).unwrap());
        let lite_schema = sqlite_schema(&mut SqliteConnection::establish(&lite.url).unwrap());
        let pg_schema = postgres_schema(&mut PgConnection::establish(&pg.url).unwrap());
        assert!(lite_schema.len() >= copy::TABLES.len());
        assert!(lite_schema.values().flat_map(|t| &t.columns).all(|(_, ty, _)| !ty.starts_with("unmapped")));
        // The comparison sees keys and indexes, not just names.
        let users = &lite_schema["users"];
        assert!(users.foreign_keys.contains(&("hall_id".into(), "org_units".into(), "id".into())));
        assert!(
            users.indexes.contains(&("staff_no".into(), true))
                && users.indexes.contains(&("hall_id".into(), false))
        );
        assert_eq!(lite_schema, pg_schema);
    }

    #[test]
    fn copy_db_moves_a_site_to_postgres() {
        let Some(base) = server() else { return };
        let to = TestDb::postgres(&base);
        copy_demo_site_to(&to);
        // The copy was analysed: the planner knows how many answers and users there are
        // (reltuples is -1 for a table never analysed).
        #[derive(QueryableByName)]
        struct Tuples {
            #[diesel(sql_type = diesel::sql_types::Float)]
            reltuples: f32,
        }
        let mut pg = PgConnection::establish(&to.url).unwrap();
        for table in ["users", "attempt_items"] {
            let t: Tuples =
                diesel::sql_query(format!("SELECT reltuples FROM pg_class WHERE relname = '{table}'"))
                    .get_result(&mut pg)
                    .unwrap();
            assert!(t.reltuples > 0.0, "{table} not analysed: {}", t.reltuples);
        }
    }
}
