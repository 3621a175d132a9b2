//! The scenarios of the exam-day benchmark. Each prints a Markdown table.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use diesel::prelude::*;
use examhall::db::{self, Conn};
use examhall::schema::{attempt_items, attempts, question_versions};
use rand::Rng;

use crate::client::{self, Browser, Candidate};
use crate::site::{self, Server, Site};
use crate::stats::{Acked, Errors, Latencies};

/// One table row: what, value, goal.
struct Table(Vec<(String, String, String)>);

impl Table {
    fn new() -> Self {
        Table(Vec::new())
    }
    fn row(&mut self, what: impl Into<String>, value: impl Into<String>, goal: impl Into<String>) {
        self.0.push((what.into(), value.into(), goal.into()));
    }
    fn print(&self, title: &str) {
        println!("\n### {title}\n");
        println!("| 指标 | 数值 | 目标 |");
        println!("|---|---|---|");
        for (a, b, c) in &self.0 {
            println!("| {a} | {b} | {c} |");
        }
    }
}

fn header(what: &str, clerks: usize, workers: usize) {
    header_on(what, clerks, workers, db::Tuning::default().sqlite_label());
}

fn header_on(what: &str, clerks: usize, workers: usize, backend: &str) {
    println!(
        "examhall 负载基准 · {what} · {} · {} 核 · 考生 {clerks} · 服务器 {workers} 个工作线程 · {backend}",
        chrono::Local::now().format("%Y-%m-%d %H:%M"),
        crate::cores(),
    );
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// CPU seconds used by the load generator itself.
fn own_cpu() -> f64 {
    site::cpu_seconds("/proc/self/stat")
}

/// What a scenario measures of the server side: one server, or several.
pub trait Measured {
    fn cpu_seconds(&self) -> f64;
    fn thread_cpu_seconds(&self, name: &str) -> f64;
    fn memory(&self) -> String;
    fn peak_rss_mib(&self) -> f64;
}

impl Measured for Server {
    fn cpu_seconds(&self) -> f64 {
        Server::cpu_seconds(self)
    }
    fn thread_cpu_seconds(&self, name: &str) -> f64 {
        Server::thread_cpu_seconds(self, name)
    }
    fn memory(&self) -> String {
        Server::memory(self)
    }
    fn peak_rss_mib(&self) -> f64 {
        Server::peak_rss_mib(self)
    }
}

/// Several app servers on one database, behind a (simulated) load balancer.
pub struct Servers(pub Vec<Server>);

impl Servers {
    fn bases(&self) -> Vec<String> {
        self.0.iter().map(|s| s.base.clone()).collect()
    }
}

impl Measured for Servers {
    fn cpu_seconds(&self) -> f64 {
        self.0.iter().map(Server::cpu_seconds).sum()
    }
    fn thread_cpu_seconds(&self, name: &str) -> f64 {
        self.0.iter().map(|s| s.thread_cpu_seconds(name)).sum()
    }
    fn memory(&self) -> String {
        self.0.iter().map(Server::memory).collect::<Vec<_>>().join(" · ")
    }
    fn peak_rss_mib(&self) -> f64 {
        self.0.iter().map(Server::peak_rss_mib).fold(0.0, f64::max)
    }
}

/// CPU seconds of every PostgreSQL process on this machine (its backends,
/// WAL writer, checkpointer): 0 where there is none.
fn postgres_cpu() -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else { return 0.0 };
    dir.flatten()
        .filter(|p| std::fs::read_to_string(p.path().join("comm")).is_ok_and(|c| c.trim() == "postgres"))
        .map(|p| site::cpu_seconds(&p.path().join("stat").display().to_string()))
        .sum()
}

/// CPU use of every side over a stretch of wall time, as "server x %, load
/// generator y %" of one core (and PostgreSQL's when it runs here).
struct CpuMeter {
    wall: Instant,
    server: f64,
    own: f64,
    postgres: f64,
}

impl CpuMeter {
    fn start(server: &impl Measured) -> Self {
        CpuMeter {
            wall: Instant::now(),
            server: server.cpu_seconds(),
            own: own_cpu(),
            postgres: postgres_cpu(),
        }
    }
    fn describe(&self, server: &impl Measured) -> String {
        let wall = self.wall.elapsed().as_secs_f64().max(0.001);
        let pg = (postgres_cpu() - self.postgres) / wall * 100.0;
        let pg = if pg > 0.5 { format!("，PostgreSQL {pg:.0} %") } else { String::new() };
        format!(
            "服务器 {:.0} %，负载生成器 {:.0} %{pg}（单核 = 100 %）",
            (server.cpu_seconds() - self.server) / wall * 100.0,
            (own_cpu() - self.own) / wall * 100.0
        )
    }
}

/// One-row commits from `connections` threads at once, each its own
/// connection of `pool` (PostgreSQL commits several at once; SQLite does not).
fn parallel_commit_ceiling(pool: &db::DbPool, connections: usize, duration: Duration) -> anyhow::Result<f64> {
    let handles: Vec<_> = (0..connections)
        .map(|_| {
            let pool = pool.clone();
            std::thread::spawn(move || -> anyhow::Result<f64> {
                let mut conn = pool.get()?;
                commit_ceiling(&mut conn, duration)
            })
        })
        .collect();
    let mut total = 0.0;
    for h in handles {
        total += h.join().map_err(|_| anyhow::anyhow!("a commit thread panicked"))??;
    }
    Ok(total)
}

// ---------------------------------------------------------------- ceilings

/// One-row commits on the answers table through diesel, one connection, the
/// server's pragmas (WAL, the same synchronous), each in `BEGIN IMMEDIATE`.
fn commit_ceiling(conn: &mut Conn, duration: Duration) -> anyhow::Result<f64> {
    let ids: Vec<i32> = attempt_items::table.select(attempt_items::id).limit(5_000).load(conn)?;
    anyhow::ensure!(!ids.is_empty(), "no answer rows to update");
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < duration {
        let id = ids[n as usize % ids.len()];
        db::write(conn, |conn| {
            diesel::update(attempt_items::table.find(id))
                .set((
                    attempt_items::response.eq(r#"{"TrueFalse":true}"#),
                    attempt_items::saved_at.eq(db::now()),
                ))
                .execute(conn)
        })?;
        n += 1;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

/// argon2id verifications per second on every core (the login ceiling).
fn argon2_ceiling(duration: Duration) -> anyhow::Result<f64> {
    let hash = examhall::auth::password::hash(examhall::demo::PASSWORD)?;
    let done = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..crate::cores() {
            let (hash, done) = (&hash, done.clone());
            s.spawn(move || {
                while start.elapsed() < duration {
                    examhall::auth::password::verify(examhall::demo::PASSWORD, hash);
                    done.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    Ok(done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64())
}

/// A trivial GET (`/healthz`), 32 connections in a closed loop.
async fn get_ceiling(http: &reqwest::Client, base: &str, duration: Duration) -> f64 {
    let until = Instant::now() + duration;
    let start = Instant::now();
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let (http, url) = (http.clone(), format!("{base}/healthz"));
            tokio::spawn(async move {
                let mut n = 0u64;
                while Instant::now() < until {
                    if let Ok(r) = http.get(&url).send().await {
                        if r.bytes().await.is_ok() {
                            n += 1;
                        }
                    }
                }
                n
            })
        })
        .collect();
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap_or(0);
    }
    total as f64 / start.elapsed().as_secs_f64()
}

struct Ceilings {
    commits: f64,
    argon2: f64,
}

fn ceilings(site: &Site) -> anyhow::Result<Ceilings> {
    eprintln!("测量上限：单行提交、argon2…");
    let commits = commit_ceiling(&mut *site.pool.get()?, Duration::from_secs(4))?;
    let argon2 = argon2_ceiling(Duration::from_secs(4))?;
    Ok(Ceilings { commits, argon2 })
}

// ------------------------------------------------------------ login storm

struct Storm {
    browsers: Vec<Browser>,
    rate: f64,
    probe: Latencies,
    posts: u64,
    busy: u64,
    errors: Errors,
    login: Latencies,
}

/// Browsers signing in at once: each signs a clerk in, then the next clerk.
/// Enough to keep the hashing queue over-full (so the 503 path is taken),
/// without every clerk's login page landing in the same millisecond.
const STORM_BROWSERS: usize = 256;

/// The clerks log in as fast as the server lets them; a cheap page is
/// requested every 20 ms meanwhile.
async fn login_storm(http: &reqwest::Client, bases: &[String], logins: &[String]) -> Storm {
    let stop = Arc::new(AtomicBool::new(false));
    let probe = {
        let (http, url, stop) = (http.clone(), format!("{}/login", bases[0]), stop.clone());
        tokio::spawn(async move {
            let mut lat = Latencies::default();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                if let Ok(r) = http.get(&url).send().await {
                    let _ = r.bytes().await;
                    lat.push(t.elapsed());
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            lat
        })
    };
    let start = Instant::now();
    let queue = Arc::new(Mutex::new(std::collections::VecDeque::from(logins.to_vec())));
    let tasks: Vec<_> = (0..STORM_BROWSERS.min(logins.len()))
        // Browsers spread over the servers as a round-robin balancer would.
        .map(|i| {
            let (http, base, queue) = (http.clone(), bases[i % bases.len()].clone(), queue.clone());
            tokio::spawn(async move {
                let mut done = Vec::new();
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                    let Some(login) = next else { break };
                    done.push(client::log_in(&http, &base, &login).await);
                }
                done
            })
        })
        .collect();
    let (mut browsers, mut errors, mut login, mut busy) =
        (Vec::new(), Errors::default(), Latencies::default(), 0);
    for t in tasks {
        for result in t.await.unwrap_or_default() {
            match result {
                Ok(done) => {
                    busy += u64::from(done.busy);
                    login.push(done.post_latency);
                    browsers.push(done.browser);
                }
                Err(e) => errors.add(e.to_string()),
            }
        }
    }
    let rate = browsers.len() as f64 / start.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let probe = probe.await.unwrap_or_default();
    let posts = browsers.len() as u64 + busy + errors.total();
    Storm { browsers, rate, probe, posts, busy, errors, login }
}

// ------------------------------------------------------ synchronised start

struct Started {
    candidates: Vec<Candidate>,
    to_page: Latencies,
    errors: Errors,
}

/// Each browser starts the exam at a random moment of the window.
async fn synchronised_start(browsers: Vec<Browser>, exam: i32, window: Duration) -> Started {
    let tasks: Vec<_> = browsers
        .into_iter()
        .map(|b| {
            let delay = window.mul_f64(rand::rng().random::<f64>());
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                client::start_exam(b, exam).await
            })
        })
        .collect();
    let (mut candidates, mut to_page, mut errors) = (Vec::new(), Latencies::default(), Errors::default());
    for t in tasks {
        match t.await {
            Ok(Ok((c, took))) => {
                to_page.push(took);
                candidates.push(c);
            }
            Ok(Err(e)) => errors.add(e.to_string()),
            Err(e) => errors.add(e.to_string()),
        }
    }
    Started { candidates, to_page, errors }
}

// ------------------------------------------------------------ saves ramp

type Pool = Arc<Vec<tokio::sync::Mutex<(Candidate, usize)>>>;

struct Step {
    offered: f64,
    achieved: f64,
    lat: Latencies,
    errors: Errors,
    dropped: u64,
    /// Cores used by the server, by the load generator, and by the
    /// server's answer writer thread during the step.
    cpu: (f64, f64, f64),
}

impl Step {
    fn holds(&mut self) -> bool {
        self.errors.total() == 0
            && self.dropped == 0
            && self.achieved >= 0.95 * self.offered
            && self.lat.ms(0.99) < 500.0
    }
}

/// Saves at a fixed rate (open loop: sent on schedule whatever the replies),
/// the candidates in turn. Latency counts from the scheduled moment.
async fn save_step(
    server: &impl Measured,
    pool: &Pool,
    acked: &Arc<Mutex<Acked>>,
    rate: f64,
    duration: Duration,
) -> Step {
    let cpu = CpuMeter::start(server);
    let writer = server.thread_cpu_seconds("answer-writer");
    const MAX_IN_FLIGHT: usize = 20_000;
    let in_flight = Arc::new(AtomicUsize::new(0));
    let results = Arc::new(Mutex::new((Latencies::default(), Errors::default())));
    let start = Instant::now();
    let (mut sent, mut dropped, mut next) = (0u64, 0u64, 0usize);
    let mut handles = Vec::new();
    while start.elapsed() < duration {
        // Requests whose scheduled moment (sent / rate) has come.
        let due = (start.elapsed().as_secs_f64() * rate) as u64 + 1;
        while sent < due {
            let scheduled = start + Duration::from_secs_f64(sent as f64 / rate);
            sent += 1;
            if in_flight.load(Ordering::Relaxed) >= MAX_IN_FLIGHT {
                dropped += 1;
                continue;
            }
            in_flight.fetch_add(1, Ordering::Relaxed);
            let (pool, acked, results, in_flight) =
                (pool.clone(), acked.clone(), results.clone(), in_flight.clone());
            let who = next % pool.len();
            next += 1;
            handles.push(tokio::spawn(async move {
                let mut slot = pool[who].lock().await;
                let n = slot.1;
                slot.1 += 1;
                let outcome = slot.0.save(n).await;
                let latency = scheduled.elapsed();
                let attempt = slot.0.attempt;
                drop(slot);
                let mut r = results.lock().unwrap_or_else(|e| e.into_inner());
                match outcome {
                    Ok(((pos, v), reply)) if reply.status == 200 && reply.body.contains(r#""ok":true"#) => {
                        r.0.push(latency);
                        acked.lock().unwrap_or_else(|e| e.into_inner()).record(attempt, pos, n as u64, v);
                    }
                    Ok((_, reply)) => r.1.add(format!("HTTP {}", reply.status.as_u16())),
                    Err(e) => r.1.add(e.to_string()),
                }
                in_flight.fetch_sub(1, Ordering::Relaxed);
            }));
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    for h in handles {
        let _ = h.await;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let (lat, errors) = std::mem::take(&mut *results.lock().unwrap_or_else(|e| e.into_inner()));
    let wall = cpu.wall.elapsed().as_secs_f64().max(0.001);
    let cores = (
        (server.cpu_seconds() - cpu.server) / wall,
        (own_cpu() - cpu.own) / wall,
        (server.thread_cpu_seconds("answer-writer") - writer) / wall,
    );
    Step { offered: rate, achieved: lat.len() as f64 / elapsed, lat, errors, dropped, cpu: cores }
}

const RAMP: &[f64] = &[
    100.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0, 12000.0, 16000.0, 20000.0, 24000.0, 28000.0, 32000.0,
    40000.0,
];

/// Steps up the rate until a step does not hold; returns every step run.
/// `EXAMHALL_HOLD_RATE` replaces the ramp by one step at that rate (for profiling).
async fn save_ramp(
    server: &impl Measured,
    pool: &Pool,
    acked: &Arc<Mutex<Acked>>,
    step: Duration,
) -> Vec<Step> {
    let mut steps = Vec::new();
    let hold: Option<f64> = std::env::var("EXAMHALL_HOLD_RATE").ok().and_then(|v| v.parse().ok());
    let rates: Vec<f64> = hold.map_or_else(|| RAMP.to_vec(), |r| vec![r]);
    for rate in rates {
        eprintln!("  保存 {rate:.0} 次/秒…");
        let mut s = save_step(server, pool, acked, rate, step).await;
        let holds = s.holds();
        steps.push(s);
        if !holds {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    steps
}

/// The save ramp as a table, one row per step.
fn print_ramp(steps: &mut [Step], step_seconds: u64) {
    println!("\n### 答案保存（开环爬坡，每级 {step_seconds} 秒）\n");
    println!("| 目标速率 | 实际 | p50 / p95 / p99 | 错误 | 未发出 | CPU 服务器 / 负载生成器 / 其中写入线程（核） | 服务器每次保存 CPU |");
    println!("|---|---|---|---|---|---|---|");
    for s in steps.iter_mut() {
        println!(
            "| {:.0}/s | {:.0}/s | {} | {} | {} | {:.2} / {:.2} / {:.2} | {:.0} µs |",
            s.offered,
            s.achieved,
            s.lat.summary(),
            s.errors.describe(),
            s.dropped,
            s.cpu.0,
            s.cpu.1,
            s.cpu.2,
            s.cpu.0 * 1e6 / s.achieved.max(1.0)
        );
    }
}

// ------------------------------------------------------------ deadline spike

/// 70 % of the candidates save a last answer and submit within the last
/// `window` before the deadline; the others are left to the deadline sweeper.
async fn deadline_spike(
    pool: &Pool,
    acked: &Arc<Mutex<Acked>>,
    window: Duration,
) -> (Latencies, Errors, usize) {
    let mut rng = rand::rng();
    let chosen: Vec<usize> = (0..pool.len()).filter(|_| rng.random::<f64>() < 0.7).collect();
    let tasks: Vec<_> = chosen
        .iter()
        .map(|&who| {
            let delay = window.mul_f64(rand::rng().random::<f64>());
            let (pool, acked) = (pool.clone(), acked.clone());
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                let mut slot = pool[who].lock().await;
                let n = slot.1;
                slot.1 += 1;
                let ((pos, v), reply) = slot.0.save(n).await?;
                anyhow::ensure!(reply.status == 200, "last save: HTTP {}", reply.status.as_u16());
                acked.lock().unwrap_or_else(|e| e.into_inner()).record(slot.0.attempt, pos, n as u64, v);
                let reply = slot.0.submit().await?;
                anyhow::ensure!(reply.status == 303, "submit: HTTP {}", reply.status.as_u16());
                Ok(reply.elapsed)
            })
        })
        .collect();
    let (mut lat, mut errors) = (Latencies::default(), Errors::default());
    for t in tasks {
        match t.await {
            Ok(Ok(d)) => lat.push(d),
            Ok(Err(e)) => errors.add(e.to_string()),
            Err(e) => errors.add(e.to_string()),
        }
    }
    (lat, errors, chosen.len())
}

// ------------------------------------------------------------ checks

/// Every acknowledged answer is in the database with its value: (found, total).
fn verify(conn: &mut Conn, acked: &Acked) -> anyhow::Result<(usize, usize)> {
    let (mut total, mut found) = (0, 0);
    for (attempt, answers) in &acked.0 {
        let rows: Vec<(i32, String, Option<String>, String)> = attempt_items::table
            .inner_join(question_versions::table)
            .filter(attempt_items::attempt_id.eq(attempt))
            .select((
                attempt_items::position,
                attempt_items::option_order,
                attempt_items::response,
                question_versions::kind,
            ))
            .load(conn)?;
        for (pos, (_, value)) in answers {
            total += 1;
            let Some((_, order, stored, kind)) = rows.iter().find(|r| r.0 == *pos) else { continue };
            let kind = examhall::bank::question::Kind::parse_code(kind).context("kind")?;
            let order: Vec<usize> = serde_json::from_str(order)?;
            let expected = examhall::exam::answer::parse(kind, &order, 0, std::slice::from_ref(value))
                .map_err(|e| anyhow::anyhow!(e))?;
            let stored: Option<examhall::bank::grading::Response> =
                stored.as_deref().map(serde_json::from_str).transpose()?;
            if stored == expected {
                found += 1;
            }
        }
    }
    Ok((found, total))
}

fn submitted(conn: &mut Conn, exam: i32) -> anyhow::Result<(i64, i64)> {
    let all: i64 = attempts::table.filter(attempts::exam_id.eq(exam)).count().get_result(conn)?;
    let done: i64 = attempts::table
        .filter(attempts::exam_id.eq(exam))
        .filter(attempts::status.eq("submitted"))
        .count()
        .get_result(conn)?;
    Ok((done, all))
}

fn ratio(x: f64, ceiling: f64) -> String {
    format!("{:.2}", x / ceiling.max(f64::MIN_POSITIVE))
}

fn into_pool(candidates: Vec<Candidate>) -> Pool {
    Arc::new(candidates.into_iter().map(|c| tokio::sync::Mutex::new((c, 0))).collect())
}

fn storm_rows(t: &mut Table, storm: &mut Storm, argon2: f64, clerks: usize) {
    t.row(
        "登录 ÷ argon2 上限",
        format!("{} （{:.0} ÷ {:.0} 次/秒）", ratio(storm.rate, argon2), storm.rate, argon2),
        "≥ 0.8",
    );
    t.row(
        "登录期间轻页面 p99（GET /login，每 20 ms）",
        format!("{:.1} ms（{} 次）", storm.probe.ms(0.99), storm.probe.len()),
        "< 20 ms",
    );
    t.row(
        "503 拒绝占比（按 Retry-After 重试）",
        format!(
            "{:.1} %（{} / {} 次提交）",
            storm.busy as f64 * 100.0 / storm.posts.max(1) as f64,
            storm.busy,
            storm.posts
        ),
        "全部可见，无丢失",
    );
    t.row(
        "登录成功 / 错误",
        format!("{} / {} · {}", storm.browsers.len(), clerks, storm.errors.describe()),
        "全部成功",
    );
    t.row("登录提交 p50 / p95 / p99", storm.login.summary(), "—");
}

// ------------------------------------------------------------ commands

/// Where `all` runs: SQLite in a temporary folder, or a new database on a
/// PostgreSQL server, with one app server or several.
pub struct Target {
    pub postgres: Option<String>,
    pub servers: usize,
}

pub fn all(
    clerks: usize,
    start_window: u64,
    step_seconds: u64,
    workers: usize,
    target: Target,
) -> anyhow::Result<()> {
    eprintln!("准备数据库：{clerks} 名考生…");
    let site = site::prepare_on(clerks, target.postgres.as_deref())?;
    let mut ceil = ceilings(&site)?;
    // PostgreSQL commits many transactions at once: its ceiling is with 16 connections.
    let many = if target.postgres.is_some() {
        let pool = db::connect(&site.db_path, 16)?;
        Some(parallel_commit_ceiling(&pool, 16, Duration::from_secs(4))?)
    } else {
        None
    };
    let server = Servers(
        (0..target.servers.max(1)).map(|_| Server::start(&site, workers)).collect::<anyhow::Result<_>>()?,
    );
    let bases = server.bases();
    let http = client::http()?;
    match target.postgres {
        Some(_) => header_on("all", clerks, workers, "PostgreSQL"),
        None => header("all", clerks, workers),
    }
    if target.postgres.is_some() {
        println!(
            "> PostgreSQL · 应用服务器 {} 个（同一会话密钥，浏览器轮流分配，开考后 10 % 的考生换到另一台）\n",
            bases.len()
        );
    }
    runtime()?.block_on(async {
        let mut t = Table::new();
        for (i, base) in bases.iter().enumerate() {
            let get = get_ceiling(&http, base, Duration::from_secs(4)).await;
            t.row(
                format!("简单 GET（/healthz，32 连接闭环，服务器 {}）", i + 1),
                format!("{get:.0} 次/秒"),
                "上限",
            );
        }
        t.row(
            if target.postgres.is_some() {
                "单行提交（diesel，同表，一个连接）"
            } else {
                "单行提交（diesel，同表，一个连接，BEGIN IMMEDIATE）"
            },
            format!("{:.0} 次/秒", ceil.commits),
            "上限",
        );
        if let Some(many) = many {
            t.row("单行提交（diesel，同表，16 个连接同时）", format!("{many:.0} 次/秒"), "上限（保存目标）");
            // Saves are judged against what PostgreSQL can commit with many connections.
            ceil.commits = many;
        }
        t.row(
            format!("argon2id 校验（{} 线程）", crate::cores()),
            format!("{:.0} 次/秒", ceil.argon2),
            "上限",
        );
        t.print("上限（同机同次测量）");

        eprintln!("登录高峰：{clerks} 人同时登录…");
        let cpu = CpuMeter::start(&server);
        let mut storm = login_storm(&http, &bases, &site.logins).await;
        let mut t = Table::new();
        storm_rows(&mut t, &mut storm, ceil.argon2, clerks);
        t.row("CPU", cpu.describe(&server), "—");
        t.row("服务器内存（当前 / 峰值）", server.memory(), "—");
        t.print("登录高峰");

        eprintln!("同时开考：{} 人在 {start_window} 秒内开考…", storm.browsers.len());
        let cpu = CpuMeter::start(&server);
        let browsers = std::mem::take(&mut storm.browsers);
        let mut started = synchronised_start(browsers, site.exam, Duration::from_secs(start_window)).await;
        let mut t = Table::new();
        t.row("开考到试卷页面呈现 p50 / p95 / p99", started.to_page.summary(), "p95 < 200 ms");
        t.row(
            "开考成功 / 错误",
            format!("{} · {}", started.candidates.len(), started.errors.describe()),
            "0 错误",
        );
        t.row("CPU", cpu.describe(&server), "—");
        t.row("服务器内存（当前 / 峰值）", server.memory(), "—");
        t.print("同时开考");

        eprintln!("答案保存爬坡…");
        // A load balancer may send a clerk's next request elsewhere: every tenth moves server.
        if bases.len() > 1 {
            for (i, c) in started.candidates.iter_mut().enumerate().filter(|(i, _)| i % 10 == 0) {
                c.browser.base = bases[(i / 10 + 1) % bases.len()].clone();
            }
        }
        let pool = into_pool(std::mem::take(&mut started.candidates));
        let acked = Arc::new(Mutex::new(Acked::default()));
        let cpu = CpuMeter::start(&server);
        let mut steps = save_ramp(&server, &pool, &acked, Duration::from_secs(step_seconds)).await;
        print_ramp(&mut steps, step_seconds);
        let sustained = steps.iter_mut().filter_map(|s| s.holds().then_some(s.achieved)).fold(0.0, f64::max);
        let city = steps.first_mut().map_or(0.0, |s| s.lat.ms(0.99));
        let mut t = Table::new();
        t.row(
            "最大持续保存 ÷ 提交上限",
            format!("{} （{sustained:.0} ÷ {:.0}）", ratio(sustained, ceil.commits), ceil.commits),
            "≥ 0.5",
        );
        t.row("全市负载（100 次/秒）p99", format!("{city:.1} ms"), "< 50 ms");
        t.row("CPU（整个爬坡）", cpu.describe(&server), "—");
        t.row("服务器内存（当前 / 峰值）", server.memory(), "—");
        t.print("答案保存");

        eprintln!("交卷高峰：70 % 的考生在最后 60 秒交卷…");
        let window = Duration::from_secs(60);
        site::set_deadline(&site.pool, site.exam, db::now() + chrono::Duration::seconds(62))?;
        let cpu = CpuMeter::start(&server);
        let (mut submit, errors, chosen) = deadline_spike(&pool, &acked, window).await;
        let cpu_text = cpu.describe(&server);
        eprintln!("等待截止后的自动收卷…");
        tokio::time::sleep(Duration::from_secs(2 + 30 + 35)).await;
        let mut conn = site.pool.get()?;
        let (done, all) = submitted(&mut conn, site.exam)?;
        let (found, total) = verify(&mut conn, &acked.lock().unwrap_or_else(|e| e.into_inner()))?;
        let mut t = Table::new();
        t.row("交卷 p50 / p95 / p99", submit.summary(), "p99 < 200 ms");
        t.row("交卷人数 / 错误", format!("{} / {chosen} · {}", submit.len(), errors.describe()), "0 错误");
        t.row("截止后已交卷（其余由自动收卷）", format!("{done} / {all}"), "全部");
        t.row("已确认的答案在库中且内容一致", format!("{found} / {total}"), "全部");
        t.row("CPU（交卷窗口）", cpu_text, "—");
        t.row("服务器内存峰值", format!("{:.0} MiB", server.peak_rss_mib()), "< 200 MB");
        t.print("交卷高峰与核对");
        anyhow::ensure!(found == total, "acknowledged answers missing from the database");
        anyhow::Ok(())
    })
}

pub fn day(clerks: usize, login_window: u64, think: f64, workers: usize) -> anyhow::Result<()> {
    eprintln!("准备数据库：{clerks} 名考生…");
    let site = site::prepare(clerks)?;
    let server = Server::start(&site, workers)?;
    let http = client::http()?;
    header("day（全市考试日，时间压缩）", clerks, workers);
    runtime()?.block_on(async {
        let acked = Arc::new(Mutex::new(Acked::default()));
        let lat: Arc<Mutex<[Latencies; 4]>> = Arc::new(Mutex::new(Default::default()));
        let errors = Arc::new(Mutex::new(Errors::default()));
        let cpu = CpuMeter::start(&server);
        let started_at = Instant::now();
        eprintln!("考试日：{login_window} 秒内陆续登录、开考，每题平均思考 {think} 秒…");
        let tasks: Vec<_> = site
            .logins
            .iter()
            .map(|login| {
                let (http, base, login, exam) = (http.clone(), server.base.clone(), login.clone(), site.exam);
                let (acked, lat, errors) = (acked.clone(), lat.clone(), errors.clone());
                let arrive = Duration::from_secs(login_window).mul_f64(rand::rng().random::<f64>());
                tokio::spawn(async move {
                    let run = async {
                        tokio::time::sleep(arrive).await;
                        let done = client::log_in(&http, &base, &login).await?;
                        lat.lock().unwrap_or_else(|e| e.into_inner())[0].push(done.post_latency);
                        let (mut c, took) = client::start_exam(done.browser, exam).await?;
                        lat.lock().unwrap_or_else(|e| e.into_inner())[1].push(took);
                        // Every question once, then a tenth of them changed.
                        let answers = c.questions.len() + c.questions.len() / 10;
                        for n in 0..answers {
                            let pause = think * 2.0 * rand::rng().random::<f64>();
                            tokio::time::sleep(Duration::from_secs_f64(pause)).await;
                            let ((pos, v), reply) = c.save(n).await?;
                            anyhow::ensure!(reply.status == 200, "save: HTTP {}", reply.status.as_u16());
                            lat.lock().unwrap_or_else(|e| e.into_inner())[2].push(reply.elapsed);
                            acked
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .record(c.attempt, pos, n as u64, v);
                        }
                        // Seven in ten submit; the rest leave it to the deadline.
                        if rand::rng().random::<f64>() < 0.7 {
                            let reply = c.submit().await?;
                            anyhow::ensure!(reply.status == 303, "submit: HTTP {}", reply.status.as_u16());
                            lat.lock().unwrap_or_else(|e| e.into_inner())[3].push(reply.elapsed);
                        }
                        anyhow::Ok(())
                    };
                    if let Err(e) = run.await {
                        errors.lock().unwrap_or_else(|e| e.into_inner()).add(e.to_string());
                    }
                })
            })
            .collect();
        // Progress every 10 s: clerks finished, answers saved.
        let total = tasks.len();
        let progress = {
            let (lat, errors) = (lat.clone(), errors.clone());
            let finished: Vec<_> = tasks.iter().map(|t| t.abort_handle()).collect();
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(Duration::from_secs(10)).await;
                    let done = finished.iter().filter(|h| h.is_finished()).count();
                    let saves = lat.lock().unwrap_or_else(|e| e.into_inner())[2].len();
                    let failed = errors.lock().unwrap_or_else(|e| e.into_inner()).total();
                    eprintln!("  {done} / {total} 人完成，已保存 {saves} 次答案，错误 {failed}");
                }
            })
        };
        for t in tasks {
            let _ = t.await;
        }
        progress.abort();
        let morning = started_at.elapsed();
        let cpu_text = cpu.describe(&server);
        eprintln!("作答结束（{:.0} 秒）；截止，等待自动收卷…", morning.as_secs_f64());
        // The deadline passes (grace included); the sweeper finalises the rest.
        site::set_deadline(&site.pool, site.exam, db::now() - chrono::Duration::seconds(31))?;
        tokio::time::sleep(Duration::from_secs(35)).await;
        let mut conn = site.pool.get()?;
        let (done, all) = submitted(&mut conn, site.exam)?;
        let (found, total) = verify(&mut conn, &acked.lock().unwrap_or_else(|e| e.into_inner()))?;
        let mut lat = std::mem::take(&mut *lat.lock().unwrap_or_else(|e| e.into_inner()));
        let errors = errors.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut t = Table::new();
        t.row("时长（登录到最后一题）", format!("{:.0} 秒", morning.as_secs_f64()), "—");
        t.row("登录提交 p50 / p95 / p99", lat[0].summary(), "—");
        t.row("开考到试卷页面 p50 / p95 / p99", lat[1].summary(), "p95 < 200 ms");
        t.row(format!("答案保存 p50 / p95 / p99（{} 次）", lat[2].len()), lat[2].summary(), "p99 < 50 ms");
        t.row(format!("交卷 p50 / p95 / p99（{} 人）", lat[3].len()), lat[3].summary(), "p99 < 200 ms");
        t.row("错误", errors.describe(), "0");
        t.row("截止后已交卷（其余由自动收卷）", format!("{done} / {all}"), "全部");
        t.row("已确认的答案在库中且内容一致", format!("{found} / {total}"), "全部");
        t.row("服务器内存峰值（VmHWM）", format!("{:.0} MiB", server.peak_rss_mib()), "< 200 MB");
        t.row("CPU（考试期间）", cpu_text, "—");
        t.print("全市考试日");
        anyhow::ensure!(found == total, "acknowledged answers missing from the database");
        anyhow::Ok(())
    })
}

/// Minutes between the areas' start times in the province run.
const STAGGER_MINUTES: i64 = 10;

pub fn province(clerks: usize, active: usize, start_window: u64, workers: usize) -> anyhow::Result<()> {
    eprintln!("准备数据库：{clerks} 名考生…");
    let site = site::prepare(clerks)?;
    let ceil = ceilings(&site)?;
    let server = Server::start(&site, workers)?;
    let http = client::http()?;
    // The staggered start on: each area (city district, counties) 10 minutes
    // after the one before. The first area's slot is driven for real.
    let area = site::stagger_by_area(&site, STAGGER_MINUTES)?;
    let area = &area;
    let in_area = |n: usize| site.logins.iter().filter(move |l| area.get(*l) == Some(&n)).cloned();
    let slot: Vec<String> = in_area(0).take(active).collect();
    let later = in_area(1).next().context("a second area")?;
    header(&format!("province（库中 {clerks} 人，错峰开考，第一时段 {} 人）", slot.len()), clerks, workers);
    runtime()?.block_on(async {
        eprintln!("登录高峰：{} 人…", slot.len());
        let mut storm = login_storm(&http, std::slice::from_ref(&server.base), &slot).await;
        let mut t = Table::new();
        storm_rows(&mut t, &mut storm, ceil.argon2, slot.len());
        // The stagger is enforced: a clerk of the next area may not start yet.
        let mut early = client::log_in(&http, &server.base, &later).await?.browser;
        early.get(&format!("/my/exams/{}", site.exam)).await?;
        let reply = early.post(&format!("/my/exams/{}/start", site.exam), &[]).await?;
        let refused = if reply.location.starts_with("/exam/attempts/") {
            "可以开考（错峰未生效）"
        } else {
            "被拒绝，回到开考页（提示开考时间）"
        };
        t.row(format!("错峰：下一时段（{STAGGER_MINUTES} 分钟后）的考生现在开考"), refused, "被拒绝");
        let all_logins = clerks as f64 / storm.rate.max(0.001);
        t.row(
            format!("全部 {clerks} 人登录所需（按实测速率）"),
            format!("{:.0} 秒（{:.1} 分钟）", all_logins, all_logins / 60.0),
            "≤ 错峰总时长",
        );
        eprintln!("同时开考…");
        let browsers = std::mem::take(&mut storm.browsers);
        let mut started = synchronised_start(browsers, site.exam, Duration::from_secs(start_window)).await;
        t.row("开考到试卷页面 p50 / p95 / p99", started.to_page.summary(), "p95 < 200 ms");
        t.row(
            "开考成功 / 错误",
            format!("{} · {}", started.candidates.len(), started.errors.describe()),
            "0 错误",
        );
        eprintln!("答案保存爬坡…");
        let pool = into_pool(std::mem::take(&mut started.candidates));
        let acked = Arc::new(Mutex::new(Acked::default()));
        let mut steps = save_ramp(&server, &pool, &acked, Duration::from_secs(3)).await;
        print_ramp(&mut steps, 3);
        let sustained = steps.iter_mut().filter_map(|s| s.holds().then_some(s.achieved)).fold(0.0, f64::max);
        t.row(
            "最大持续保存 ÷ 提交上限",
            format!("{} （{sustained:.0} ÷ {:.0}）", ratio(sustained, ceil.commits), ceil.commits),
            "≥ 0.5",
        );
        let (found, total) =
            verify(&mut *site.pool.get()?, &acked.lock().unwrap_or_else(|e| e.into_inner()))?;
        t.row("已确认的答案在库中且内容一致", format!("{found} / {total}"), "全部");
        t.row("服务器内存峰值（VmHWM）", format!("{:.0} MiB", server.peak_rss_mib()), "—");
        t.print("全省规模");
        anyhow::ensure!(found == total, "acknowledged answers missing from the database");
        anyhow::Ok(())
    })
}
