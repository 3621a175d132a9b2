//! A prepared site: a fresh database with N clerks and one open exam, and the
//! real server running on it in a child process (so its memory and CPU are
//! its own, measured apart from the load generator's).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use diesel::prelude::*;
use examhall::db::{self, Conn};
use examhall::schema::{attempts, exam_people, exams, org_units, role_assignments, users};

pub struct Site {
    pub dir: tempfile::TempDir,
    /// The database the server is started on: the SQLite file's path, or a
    /// PostgreSQL URL.
    pub db_path: String,
    pub pool: db::DbPool,
    pub exam: i32,
    /// Staff numbers of the clerks who sit the exam.
    pub logins: Vec<String>,
    /// Last, so that the database is dropped after the pool that uses it.
    pub postgres: Option<PgDatabase>,
}

/// A database made for one run on a PostgreSQL server, dropped afterwards.
pub struct PgDatabase {
    server: String,
    name: String,
}

impl PgDatabase {
    /// A fresh database on the server of `server_url` (any database URL of
    /// that server, e.g. `postgres://postgres@127.0.0.1:5432/postgres`).
    fn create(server_url: &str) -> anyhow::Result<(PgDatabase, String)> {
        let name = format!("examhall_loadgen_{}_{}", std::process::id(), rand::random::<u32>());
        let mut admin = diesel::PgConnection::establish(server_url)
            .with_context(|| format!("PostgreSQL server {}", db::redact(server_url)))?;
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin)?;
        let (server, _) = server_url.rsplit_once('/').context("a database URL with a path")?;
        let url = format!("{server}/{name}");
        Ok((PgDatabase { server: server_url.to_string(), name }, url))
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = diesel::PgConnection::establish(&self.server) {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name))
                .execute(&mut admin);
        }
    }
}

/// The demo content (banks, org tree, 288 clerks, an open exam of 35
/// questions), plus clerks up to `clerks`, spread over the demo's halls.
pub fn prepare(clerks: usize) -> anyhow::Result<Site> {
    prepare_on(clerks, None)
}

/// As [`prepare`], in a SQLite file of a temporary folder, or in a new
/// database on the PostgreSQL server of `postgres` (dropped after the run).
pub fn prepare_on(clerks: usize, postgres: Option<&str>) -> anyhow::Result<Site> {
    let dir = tempfile::tempdir()?;
    let (postgres, db_path) = match postgres {
        Some(server) => {
            let (database, url) = PgDatabase::create(server)?;
            (Some(database), url)
        }
        None => (None, dir.path().join("bench.db").display().to_string()),
    };
    let pool = db::connect(&db_path, 8)?;
    let mut conn = pool.get()?;
    let hash = examhall::auth::password::hash(examhall::demo::PASSWORD)?;
    examhall::demo::populate(&mut conn, &hash)?;
    let demo_clerks = clerk_logins(&mut conn, usize::MAX)?.len();
    if clerks > demo_clerks {
        add_clerks(&mut conn, clerks - demo_clerks, &hash)?;
    }
    let now = db::now();
    let exam: i32 = exams::table
        .filter(exams::opens_at.le(now))
        .filter(exams::closes_at.gt(now))
        .select(exams::id)
        .first(&mut conn)
        .context("the demo has an open exam")?;
    // Open for the whole benchmark.
    diesel::update(exams::table.find(exam))
        .set((
            exams::opens_at.eq(now - chrono::Duration::minutes(5)),
            exams::closes_at.eq(now + chrono::Duration::hours(3)),
        ))
        .execute(&mut conn)?;
    // Everyone sits online: the demo's clerks on last month's list must sit
    // in person (with a sitting's code), which a browser run does not model.
    diesel::update(exam_people::table.filter(exam_people::exam_id.eq(exam)))
        .set(exam_people::in_person.eq(false))
        .execute(&mut conn)?;
    let logins = clerk_logins(&mut conn, clerks)?;
    anyhow::ensure!(logins.len() == clerks, "only {} clerks prepared", logins.len());
    drop(conn);
    Ok(Site { dir, db_path, pool, exam, logins, postgres })
}

fn clerk_logins(conn: &mut Conn, limit: usize) -> anyhow::Result<Vec<String>> {
    let logins: Vec<Option<String>> = users::table
        .inner_join(role_assignments::table)
        .filter(role_assignments::role.eq("clerk"))
        .filter(users::active.eq(true))
        .order(users::id)
        .limit(limit.min(i64::MAX as usize) as i64)
        .select(users::staff_no)
        .load(conn)?;
    Ok(logins.into_iter().flatten().collect())
}

/// Bench clerks B00001… in the demo's halls, in one transaction.
fn add_clerks(conn: &mut Conn, n: usize, hash: &str) -> anyhow::Result<()> {
    let halls: Vec<i32> = org_units::table
        .filter(org_units::kind.eq("hall"))
        .select(org_units::id)
        .order(org_units::id)
        .load(conn)?;
    anyhow::ensure!(!halls.is_empty(), "the demo has halls");
    let now = db::now();
    // Row by row: the two-backend connection has no multi-row INSERT; one
    // transaction keeps it quick.
    db::write(conn, |conn| {
        for i in 0..n {
            let staff = format!("B{:05}", i + 1);
            let hall = halls[i % halls.len()];
            let id: i32 = diesel::insert_into(users::table)
                .values((
                    users::username.eq(&staff),
                    users::staff_no.eq(Some(&staff)),
                    users::name.eq(format!("压测考生{}", i + 1)),
                    users::hall_id.eq(Some(hall)),
                    users::active.eq(true),
                    users::password_hash.eq(hash),
                    users::must_change_password.eq(false),
                    users::session_epoch.eq(0),
                    users::created_at.eq(now),
                    users::updated_at.eq(now),
                ))
                .returning(users::id)
                .get_result(conn)?;
            diesel::insert_into(role_assignments::table)
                .values((
                    role_assignments::user_id.eq(id),
                    role_assignments::role.eq("clerk"),
                    role_assignments::org_unit_id.eq(hall),
                ))
                .execute(conn)?;
        }
        diesel::QueryResult::Ok(())
    })?;
    Ok(())
}

/// Switches the exam's staggered start on: the areas under the city (the
/// city district and the counties) start `minutes` apart, in id order.
/// Returns each clerk's area index (0 starts now).
pub fn stagger_by_area(
    site: &Site,
    minutes: i64,
) -> anyhow::Result<std::collections::HashMap<String, usize>> {
    use std::collections::HashMap;
    let mut conn = site.pool.get()?;
    let units: Vec<(i32, Option<i32>)> = org_units::table
        .select((org_units::id, org_units::parent_id))
        .order(org_units::id)
        .load(&mut conn)?;
    let parent: HashMap<i32, Option<i32>> = units.iter().copied().collect();
    let root = units.iter().find(|(_, p)| p.is_none()).map(|(id, _)| *id).context("a city")?;
    let areas: Vec<i32> = units.iter().filter(|(_, p)| *p == Some(root)).map(|(id, _)| *id).collect();
    let area_of = |mut unit: i32| -> Option<usize> {
        while let Some(Some(up)) = parent.get(&unit) {
            if *up == root {
                return areas.iter().position(|a| *a == unit);
            }
            unit = *up;
        }
        None
    };
    let stagger = examhall::exam::rules::Stagger {
        area_offsets: areas.iter().enumerate().map(|(i, a)| (*a, i as i64 * minutes)).collect(),
        random_max_minutes: 0,
    };
    diesel::update(exams::table.find(site.exam))
        .set(exams::stagger.eq(serde_json::to_string(&stagger)?))
        .execute(&mut conn)?;
    // Every user, filtered here: 40,000 staff numbers are too many binds for one IN.
    let logins: std::collections::HashSet<&String> = site.logins.iter().collect();
    let halls: Vec<(Option<String>, Option<i32>)> =
        users::table.select((users::staff_no, users::hall_id)).load(&mut conn)?;
    Ok(halls
        .into_iter()
        .filter_map(|(login, hall)| Some((login?, area_of(hall?)?)))
        .filter(|(login, _)| logins.contains(login))
        .collect())
}

/// Moves every attempt's deadline (and the exam's close) to `at`.
pub fn set_deadline(pool: &db::DbPool, exam: i32, at: chrono::NaiveDateTime) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    db::write(&mut conn, |conn| {
        diesel::update(exams::table.find(exam)).set(exams::closes_at.eq(at)).execute(conn)?;
        diesel::update(attempts::table.filter(attempts::exam_id.eq(exam)))
            .set(attempts::deadline_at.eq(at))
            .execute(conn)
    })?;
    Ok(())
}

/// The server in a child process: this same binary, `serve-child`.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(site: &Site, workers: usize) -> anyhow::Result<Server> {
        Self::start_with(site, workers, false)
    }

    /// Starts the server; with `site_config` it takes its configuration as
    /// `examhall serve` does (`Config::load`: the session key from
    /// `EXAMHALL_SESSION_KEY` or the key file kept beside the database), so
    /// that a restart on the same database behaves as a real one. Started
    /// again on the same site (after a kill), it appends to the same log.
    pub fn start_with(site: &Site, workers: usize, site_config: bool) -> anyhow::Result<Server> {
        let port_file = site.dir.path().join("port");
        // A restart must not read the port of the server before it.
        let _ = std::fs::remove_file(&port_file);
        let log =
            std::fs::OpenOptions::new().create(true).append(true).open(site.dir.path().join("server.log"))?;
        let mut command = Command::new(std::env::current_exe()?);
        command
            .args(["serve-child", "--database", &site.db_path, "--port-file"])
            .arg(&port_file)
            .args(["--workers", &workers.to_string()]);
        if site_config {
            command.arg("--site-config");
        }
        // The key file of a PostgreSQL site goes to the working directory: the run's own.
        let child = command
            .current_dir(site.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()?;
        let mut server = Server { child, base: String::new() };
        let waited = Instant::now();
        loop {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                if text.ends_with('\n') {
                    server.base = text.trim().to_string();
                    return Ok(server);
                }
            }
            if let Some(status) = server.child.try_wait()? {
                anyhow::bail!("the server stopped: {status}");
            }
            anyhow::ensure!(waited.elapsed() < Duration::from_secs(30), "the server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the server at once (`Child::kill` is SIGKILL on Unix: no
    /// shutdown, no flush, no destructor runs) and reaps it. Returns how it
    /// ended, and whether it had already ended before the kill.
    pub fn kill(&mut self) -> anyhow::Result<(std::process::ExitStatus, bool)> {
        if let Some(status) = self.child.try_wait()? {
            return Ok((status, true));
        }
        self.child.kill()?;
        Ok((self.child.wait()?, false))
    }

    /// CPU seconds the server has used so far.
    pub fn cpu_seconds(&self) -> f64 {
        cpu_seconds(&format!("/proc/{}/stat", self.pid()))
    }

    /// CPU seconds used so far by the server's threads whose name starts
    /// with `name` (the answer writers are `answer-writer-0`, `-1`…).
    pub fn thread_cpu_seconds(&self, name: &str) -> f64 {
        let tasks = format!("/proc/{}/task", self.pid());
        let Ok(dir) = std::fs::read_dir(&tasks) else { return 0.0 };
        dir.flatten()
            .filter(|t| {
                std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim().starts_with(name))
            })
            .map(|t| cpu_seconds(&t.path().join("stat").display().to_string()))
            .sum()
    }

    /// Peak resident memory of the server, in MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        self.status_mib("VmHWM:")
    }

    /// "current / peak MiB" of the server's resident memory.
    pub fn memory(&self) -> String {
        format!("{:.0} / {:.0} MiB", self.status_mib("VmRSS:"), self.status_mib("VmHWM:"))
    }

    fn status_mib(&self, field: &str) -> f64 {
        let mut text = String::new();
        let _ = std::fs::File::open(format!("/proc/{}/status", self.pid()))
            .and_then(|mut f| f.read_to_string(&mut text));
        text.lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// utime + stime of a /proc/…/stat file, in seconds (clock ticks of 1/100 s).
pub fn cpu_seconds(stat: &str) -> f64 {
    let text = std::fs::read_to_string(stat).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after ')'.
    let rest = text.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15; `rest` starts at field 3.
    (tick(11) + tick(12)) / 100.0
}

/// The child side: runs the server exactly as `examhall serve` does (same
/// logging, the deadline sweeper), on a port it writes to `port_file`.
/// Without `site_config`, with a fixed session key; with it, the key comes
/// from `Config::load`, as `examhall serve` takes it.
pub fn serve_child(
    database: &str,
    port_file: &Path,
    workers: usize,
    site_config: bool,
) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let pool = db::connect(database, 16)?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    let config = if site_config {
        examhall::config::Config::load(database)?
    } else {
        examhall::config::Config {
            database_url: database.to_string(),
            secure_cookies: false,
            trust_proxy: false,
            session_key: vec![7; 64],
        }
    };
    examhall::exam::start_sweeper(pool.clone());
    let state = examhall::AppState::new(pool)?;
    let tmp: PathBuf = port_file.with_extension("tmp");
    std::fs::write(&tmp, format!("{base}\n"))?;
    std::fs::rename(&tmp, port_file)?;
    actix_web::rt::System::new()
        .block_on(async move { examhall::build_server(listener, &config, state, workers)?.await })?;
    Ok(())
}
