//! examhall-loadgen: exam-day load against the real server, over loopback,
//! with real sessions and CSRF tokens as browsers use them.
//!
//! `saves`: prepares a fresh demo database (one open exam, the demo clerks),
//! measures the raw one-row diesel commit rate on the same schema (the
//! ceiling), then logs candidates in, starts their attempts and has every
//! candidate save answers as fast as the server acknowledges them. Prints
//! saves/s and latency percentiles beside the ceiling, then checks in the
//! database that every acknowledged answer is stored with its value.
//!
//!     cargo run --release -p examhall-loadgen -- saves --candidates 200 --seconds 20

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand};
use diesel::prelude::*;
use examhall::db::{self, Conn};
use examhall::schema::{attempt_items, attempts, exams, question_versions, role_assignments, users};

#[derive(Parser)]
#[command(about = "examhall 考试日负载基准")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 答案保存：饱和吞吐与延迟，对照同机同库的单行提交上限
    Saves {
        /// Concurrent candidates (at most the demo's clerks, 288).
        #[arg(long, default_value_t = 200)]
        candidates: usize,
        /// Seconds of saving.
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Seconds of the raw commit loop.
        #[arg(long, default_value_t = 5)]
        ceiling_seconds: u64,
        /// Server worker threads (default: the machine's cores).
        #[arg(long)]
        workers: Option<usize>,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Saves { candidates, seconds, ceiling_seconds, workers } => {
            let workers =
                workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
            saves(candidates, Duration::from_secs(seconds), Duration::from_secs(ceiling_seconds), workers)
        }
    }
}

/// A prepared site: the database, the open exam, the clerks' logins.
struct Site {
    _dir: tempfile::TempDir,
    url: String,
    pool: db::DbPool,
    exam: i32,
    logins: Vec<String>,
}

fn prepare(candidates: usize) -> anyhow::Result<Site> {
    let dir = tempfile::tempdir()?;
    let url = dir.path().join("bench.db").display().to_string();
    let pool = db::connect(&url, 32)?;
    let mut conn = pool.get()?;
    let hash = examhall::auth::password::hash(examhall::demo::PASSWORD)?;
    examhall::demo::populate(&mut conn, &hash)?;
    let now = db::now();
    let exam: i32 = exams::table
        .filter(exams::opens_at.le(now))
        .filter(exams::closes_at.gt(now))
        .select(exams::id)
        .first(&mut conn)
        .context("the demo has an open exam")?;
    let logins: Vec<Option<String>> = users::table
        .inner_join(role_assignments::table)
        .filter(role_assignments::role.eq("clerk"))
        .filter(users::active.eq(true))
        .order(users::id)
        .limit(candidates as i64)
        .select(users::staff_no)
        .load(&mut conn)?;
    let logins: Vec<String> = logins.into_iter().flatten().collect();
    anyhow::ensure!(logins.len() == candidates, "only {} clerks in the demo", logins.len());
    Ok(Site { _dir: dir, url, pool, exam, logins })
}

/// The ceiling: one-row commits on the answers table through diesel, one
/// connection, the same pragmas as the server (WAL, synchronous=NORMAL).
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

fn start_server(site: &Site, workers: usize) -> anyhow::Result<String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    let config = examhall::config::Config {
        database_url: site.url.clone(),
        secure_cookies: false,
        trust_proxy: false,
        session_key: vec![7; 64],
    };
    let state = examhall::AppState::new(site.pool.clone())?;
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            match examhall::build_server(listener, &config, state, workers) {
                Ok(server) => {
                    let _ = server.await;
                }
                Err(err) => eprintln!("server: {err}"),
            }
        })
    });
    Ok(base)
}

fn capture(html: &str, pattern: &str) -> Option<String> {
    regex::Regex::new(pattern).ok()?.captures(html).map(|c| c[1].to_string())
}

/// One signed-in candidate with a started attempt.
struct Candidate {
    client: reqwest::Client,
    base: String,
    csrf: String,
    device: String,
    attempt: i32,
    /// (position, kind) of each question.
    questions: Vec<(i32, String)>,
}

async fn sign_in_and_start(base: &str, login: &str, exam: i32) -> anyhow::Result<Candidate> {
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
    let page = client.get(format!("{base}/login")).send().await?.text().await?;
    let csrf = capture(&page, r#"name="csrf-token" content="([0-9a-f]+)""#).context("login csrf")?;
    let res = client
        .post(format!("{base}/login"))
        .form(&[
            ("username", login),
            ("password", examhall::demo::PASSWORD),
            ("next", "/"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await?;
    anyhow::ensure!(res.status() == 303, "login {login}: {}", res.status());
    let page = client.get(format!("{base}/my/exams/{exam}")).send().await?.text().await?;
    let csrf = capture(&page, r#"name="csrf-token" content="([0-9a-f]+)""#).context("csrf")?;
    let res =
        client.post(format!("{base}/my/exams/{exam}/start")).form(&[("csrf_token", &csrf)]).send().await?;
    let location =
        res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let attempt: i32 = capture(&location, r"^/exam/attempts/(\d+)$").context("started")?.parse()?;
    let page = client.get(format!("{base}/exam/attempts/{attempt}")).send().await?.text().await?;
    let device = capture(&page, r#"name="device" value="([0-9a-f]+)""#).context("device")?;
    let re = regex::Regex::new(r#"data-pos="(\d+)" data-kind="([a-z_]+)""#)?;
    let questions = re.captures_iter(&page).map(|c| (c[1].parse().unwrap_or(0), c[2].to_string())).collect();
    Ok(Candidate { client, base: base.to_string(), csrf, device, attempt, questions })
}

/// The value a candidate gives on its n-th save of a question.
fn value(kind: &str, n: usize) -> Option<String> {
    match kind {
        "single" | "multiple" => Some((n % 2).to_string()),
        "true_false" => Some(if n.is_multiple_of(2) { "true" } else { "false" }.to_string()),
        "essay" => Some(format!("第{n}次作答")),
        _ => None,
    }
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    errors: HashMap<String, u64>,
    /// attempt → position → last acknowledged value.
    acked: HashMap<i32, HashMap<i32, String>>,
}

async fn save_loop(c: Candidate, until: Instant) -> Tally {
    let mut tally = Tally::default();
    let mut n = 0usize;
    let answerable: Vec<&(i32, String)> = c.questions.iter().filter(|(_, k)| value(k, 0).is_some()).collect();
    if answerable.is_empty() {
        return tally;
    }
    let url = format!("{}/exam/attempts/{}/answer", c.base, c.attempt);
    while Instant::now() < until {
        let (pos, kind) = answerable[n % answerable.len()];
        let v = value(kind, n / answerable.len()).unwrap_or_default();
        n += 1;
        let pos_text = pos.to_string();
        let form = [("device", c.device.as_str()), ("pos", &pos_text), ("flag", "0"), ("a", &v)];
        let t = Instant::now();
        let res = c.client.post(&url).header("X-CSRF-Token", &c.csrf).form(&form).send().await;
        let elapsed = t.elapsed().as_micros() as u64;
        match res {
            Ok(r) if r.status() == 200 => {
                let body = r.text().await.unwrap_or_default();
                if body.contains(r#""ok":true"#) {
                    tally.latencies_us.push(elapsed);
                    tally.acked.entry(c.attempt).or_default().insert(*pos, v);
                } else {
                    *tally.errors.entry("200 without ok".into()).or_default() += 1;
                }
            }
            Ok(r) => *tally.errors.entry(r.status().to_string()).or_default() += 1,
            Err(e) => *tally.errors.entry(format!("{e}")).or_default() += 1,
        }
    }
    tally
}

/// Every acknowledged answer is in the database with its value.
fn verify(conn: &mut Conn, acked: &HashMap<i32, HashMap<i32, String>>) -> anyhow::Result<(usize, usize)> {
    let (mut total, mut found) = (0, 0);
    for (attempt, answers) in acked {
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
        for (pos, value) in answers {
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

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64 / 1000.0
}

fn saves(candidates: usize, duration: Duration, ceiling_for: Duration, workers: usize) -> anyhow::Result<()> {
    eprintln!("准备演示数据库与 {candidates} 名考生…");
    let site = prepare(candidates)?;
    eprintln!("测量单行提交上限 {} 秒…", ceiling_for.as_secs());
    let ceiling = commit_ceiling(&mut *site.pool.get()?, ceiling_for)?;
    let base = start_server(&site, workers)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let (tally, elapsed) = runtime.block_on(async {
        eprintln!("考生登录并开考…");
        // Logins take turns in small groups: argon2 is the cost here, not what is measured.
        let mut ready = Vec::new();
        for chunk in site.logins.chunks(8) {
            let starts = chunk.iter().map(|login| sign_in_and_start(&base, login, site.exam));
            for c in futures_util::future::join_all(starts).await {
                ready.push(c?);
            }
        }
        eprintln!("保存答案 {} 秒…", duration.as_secs());
        let started = Instant::now();
        let until = started + duration;
        let handles: Vec<_> = ready.into_iter().map(|c| tokio::spawn(save_loop(c, until))).collect();
        let mut all = Tally::default();
        for h in handles {
            let t = h.await?;
            all.latencies_us.extend(t.latencies_us);
            for (k, v) in t.errors {
                *all.errors.entry(k).or_default() += v;
            }
            all.acked.extend(t.acked);
        }
        anyhow::Ok((all, started.elapsed()))
    })?;
    let (found, total) = verify(&mut *site.pool.get()?, &tally.acked)?;
    let mut lat = tally.latencies_us.clone();
    lat.sort_unstable();
    let rate = lat.len() as f64 / elapsed.as_secs_f64();
    let errors: u64 = tally.errors.values().sum();
    let attempts_started: i64 = attempts::table.count().get_result(&mut site.pool.get()?)?;
    println!(
        "examhall 答案保存基准（{}，{} 核，SQLite WAL synchronous=NORMAL）",
        chrono::Local::now().format("%Y-%m-%d %H:%M"),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("考生 {candidates}（闭环：每人收到确认后立即保存下一题），保存 {} 秒，服务器 {workers} 个工作线程；库中答卷 {attempts_started}", duration.as_secs());
    println!("| 指标 | 数值 |");
    println!("|---|---|");
    println!("| 单行提交上限（diesel，同库同表，一个连接） | {ceiling:.0} 次/秒 |");
    println!("| 答案保存（HTTP，含会话、CSRF、期限检查） | {rate:.0} 次/秒 |");
    println!("| 比值 保存 ÷ 上限 | {:.2}（目标 ≥ 0.5） |", rate / ceiling);
    println!(
        "| 延迟 p50 / p95 / p99 / 最大 | {:.1} / {:.1} / {:.1} / {:.1} ms |",
        percentile(&lat, 0.50),
        percentile(&lat, 0.95),
        percentile(&lat, 0.99),
        percentile(&lat, 1.0)
    );
    println!("| 错误 | {errors} {:?} |", tally.errors);
    println!("| 已确认的答案在库中且内容一致 | {found} / {total} |");
    anyhow::ensure!(found == total, "acknowledged answers missing from the database");
    Ok(())
}
