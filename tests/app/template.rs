//! The demo city (`examhall::demo::populate`), built once per run of the test
//! binary and copied for each test that asks for it ([`TestApp::spawn_demo`]).
//!
//! Building it takes 3–12 s (hundreds of staff, months of results, argon2
//! hashes); copying it takes a fraction of a second: a file copy on SQLite,
//! `CREATE DATABASE … TEMPLATE` on PostgreSQL. The first test that needs it
//! builds it; tests asking meanwhile wait for that one build.
//!
//! The copy is a snapshot: the demo's dates are relative to the moment it
//! was built (the system clock, on the test's thread), which is the same run.
//!
//! [`TestApp::spawn_demo`]: crate::helpers::TestApp::spawn_demo

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl};
use examhall::db;

/// Templates and browsers older than this are from runs that ended without
/// cleaning up (killed): removed when a run starts. No run lasts this long,
/// so a run going on in parallel keeps its own.
const STALE: Duration = Duration::from_secs(3 * 3600);

/// Names start with this, then the Unix time of the run's start.
const PREFIX: &str = "examhall_tpl_";

/// This run's demo city.
pub enum Template {
    /// A SQLite file, checkpointed and closed: copied as it is.
    Sqlite { dir: PathBuf, file: PathBuf },
    /// A PostgreSQL database nobody is connected to (a template must not be).
    Postgres { admin_url: String, name: String },
}

static SQLITE: OnceLock<Template> = OnceLock::new();
static POSTGRES: OnceLock<Template> = OnceLock::new();

/// This run's demo city on the suite's backend, built on first use.
pub fn demo() -> &'static Template {
    match crate::helpers::postgres_url() {
        Some(admin_url) => built(&POSTGRES, |name| build_postgres(admin_url, name)),
        None => built(&SQLITE, build_sqlite),
    }
}

/// This run's demo city in a SQLite file, whatever the suite's backend
/// (SQLite's backup, copying a SQLite site elsewhere).
pub fn sqlite_demo() -> &'static Template {
    built(&SQLITE, build_sqlite)
}

fn built(cell: &'static OnceLock<Template>, build: impl FnOnce(String) -> Template) -> &'static Template {
    cell.get_or_init(|| {
        let name = format!("{PREFIX}{}_{}", unix_now(), hex::encode(rand::random::<[u8; 4]>()));
        let template = build(name);
        at_exit(Box::new(|| {
            if let Some(template) = cell.get() {
                template.remove();
            }
        }));
        template
    })
}

fn populate(url: &str) {
    let pool = db::connect(url, 1).expect("template database");
    let hash = examhall::auth::password::hash(examhall::demo::PASSWORD).unwrap();
    let mut conn = pool.get().unwrap();
    examhall::demo::populate(&mut conn, &hash).expect("demo city");
    if let db::Conn::Sqlite(_) = &mut *conn {
        // Everything into the main file, so copying that file copies all.
        conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    }
    // Dropping the pool closes its connections: a template has none open.
}

fn build_sqlite(name: String) -> Template {
    let tmp = std::env::temp_dir();
    let entries = std::fs::read_dir(&tmp).into_iter().flatten().flatten();
    for path in stale(entries.map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))) {
        let _ = std::fs::remove_dir_all(path);
    }
    let dir = tmp.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("demo.db");
    populate(file.to_str().unwrap());
    Template::Sqlite { dir, file }
}

fn build_postgres(admin_url: String, name: String) -> Template {
    let mut admin = diesel::PgConnection::establish(&admin_url).expect("TEST_DATABASE_URL reachable");
    #[derive(diesel::QueryableByName)]
    struct Db {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let existing: Vec<Db> = diesel::sql_query(format!(
        "SELECT datname::text AS datname FROM pg_database WHERE datname LIKE '{PREFIX}%'"
    ))
    .load(&mut admin)
    .unwrap();
    for old in stale(existing.into_iter().map(|d| (d.datname.clone(), d.datname))) {
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {old} WITH (FORCE)")).execute(&mut admin);
    }
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .expect("create template database");
    populate(&sibling_url(&admin_url, &name));
    Template::Postgres { admin_url, name }
}

/// Those of `(name, thing)` whose name dates them older than [`STALE`].
fn stale<T>(found: impl Iterator<Item = (String, T)>) -> impl Iterator<Item = T> {
    let cutoff = unix_now().saturating_sub(STALE.as_secs());
    found.filter_map(move |(name, thing)| {
        let secs: u64 = name.strip_prefix(PREFIX)?.split('_').next()?.parse().ok()?;
        (secs < cutoff).then_some(thing)
    })
}

impl Template {
    /// Makes `to` (a SQLite file, or a database name on the same server) a copy of the demo city.
    pub fn copy_to(&self, to: &str) {
        match self {
            Template::Sqlite { file, .. } => {
                std::fs::copy(file, Path::new(to)).expect("copy the demo database");
            }
            Template::Postgres { admin_url, name } => {
                let mut admin =
                    diesel::PgConnection::establish(admin_url).expect("TEST_DATABASE_URL reachable");
                // Copies from one template may run at once; a connection to the
                // template itself (none is left open) would make them wait.
                let mut tries = 0;
                loop {
                    match diesel::sql_query(format!("CREATE DATABASE {to} TEMPLATE {name}"))
                        .execute(&mut admin)
                    {
                        Ok(_) => break,
                        Err(err)
                            if tries < 50 && err.to_string().contains("being accessed by other users") =>
                        {
                            tries += 1;
                            std::thread::sleep(Duration::from_millis(100));
                        }
                        Err(err) => panic!("copy the demo database: {err}"),
                    }
                }
            }
        }
    }

    fn remove(&self) {
        match self {
            Template::Sqlite { dir, .. } => drop(std::fs::remove_dir_all(dir)),
            Template::Postgres { admin_url, name } => {
                if let Ok(mut admin) = diesel::PgConnection::establish(admin_url) {
                    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin);
                }
            }
        }
    }
}

/// The URL of another database on the server of `url`.
pub fn sibling_url(url: &str, name: &str) -> String {
    let (server, _) = url.rsplit_once('/').expect("database URL with a path");
    format!("{server}/{name}")
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

type Cleanup = Box<dyn FnOnce() + Send>;

static CLEANUPS: Mutex<Vec<Cleanup>> = Mutex::new(Vec::new());

/// Runs `cleanup` when the test binary exits. Statics are never dropped, so
/// what a run shares (the demo template, the browser) is removed here; a run
/// that is killed leaves it for the next run's stale sweep.
pub fn at_exit(cleanup: Cleanup) {
    static REGISTERED: OnceLock<()> = OnceLock::new();
    REGISTERED.get_or_init(|| {
        extern "C" fn run_cleanups() {
            let cleanups = std::mem::take(&mut *CLEANUPS.lock().unwrap_or_else(|e| e.into_inner()));
            for cleanup in cleanups {
                // A panic must not unwind out of an atexit handler.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(cleanup));
            }
        }
        // SAFETY: registers a plain function with no arguments, which the C
        // runtime calls once at exit (libtest ends through `exit`).
        unsafe { libc::atexit(run_cleanups) };
    });
    CLEANUPS.lock().unwrap_or_else(|e| e.into_inner()).push(cleanup);
}
