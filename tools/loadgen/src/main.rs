//! examhall-loadgen: exam-day load against the real server, over loopback,
//! with real sessions and CSRF tokens as browsers use them.
//!
//! Every command prepares a fresh database (the demo content plus bench
//! clerks), starts the real server on it in a child process, drives it, and
//! prints a table of figures beside ceilings measured in the same run:
//!
//!     cargo run --release -p examhall-loadgen -- all --clerks 2000
//!     cargo run --release -p examhall-loadgen -- day --clerks 2000
//!     cargo run --release -p examhall-loadgen -- province --clerks 40000 --active 4000
//!
//! See docs/PERFORMANCE.md for what each figure means and the goals.
//!
//! `crash` kills the server with SIGKILL mid-exam, restarts it and checks
//! that nothing the candidates were told was lost (docs/RELIABILITY.md):
//!
//!     cargo run -p examhall-loadgen -- crash --clerks 200 --rounds 3

mod client;
mod crash;
mod scenarios;
mod site;
mod stats;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "examhall 考试日负载基准")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone, Copy)]
pub struct Common {
    /// Server worker threads (default: the machine's cores).
    #[arg(long)]
    workers: Option<usize>,
}

#[derive(clap::Args)]
pub struct OnPostgres {
    /// Run on PostgreSQL (`all` only): a URL of the server; a database is made
    /// on it for the run and dropped afterwards.
    #[arg(long)]
    postgres: Option<String>,
    /// App servers on the one database (`all` only), the browsers spread over them.
    #[arg(long, default_value_t = 1)]
    servers: usize,
}

#[derive(Subcommand)]
enum Command {
    /// 上限、登录高峰、同时开考、答案保存爬坡、交卷高峰（同一数据库依次运行）
    All {
        #[arg(long, default_value_t = 2000)]
        clerks: usize,
        /// Seconds over which the clerks start the exam.
        #[arg(long, default_value_t = 60)]
        start_window: u64,
        /// Seconds of each step of the save ramp.
        #[arg(long, default_value_t = 3)]
        step_seconds: u64,
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        on: OnPostgres,
    },
    /// 全市考试日（时间压缩）：登录、开考、逐题作答、交卷、截止收卷，核对答案与内存峰值
    Day {
        #[arg(long, default_value_t = 2000)]
        clerks: usize,
        /// Compressed minutes: logins arrive over this many seconds…
        #[arg(long, default_value_t = 60)]
        login_window: u64,
        /// …and each clerk thinks this long per question on average (seconds).
        #[arg(long, default_value_t = 2.5)]
        think: f64,
        #[command(flatten)]
        common: Common,
    },
    /// 全省规模：数据库 40,000 名考生，错峰开考，一个时段的考生登录、开考、保存
    Province {
        #[arg(long, default_value_t = 40_000)]
        clerks: usize,
        /// Clerks of one stagger slot, driven for real.
        #[arg(long, default_value_t = 4000)]
        active: usize,
        #[arg(long, default_value_t = 60)]
        start_window: u64,
        #[command(flatten)]
        common: Common,
    },
    /// 崩溃测试：考试中 SIGKILL 服务器并重启，核对已确认的答案、作答记录、交卷与剩余时间
    Crash {
        #[arg(long, default_value_t = 200)]
        clerks: usize,
        /// Kill-and-restart rounds.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Seconds of saving in each round; the kill comes in the second half.
        #[arg(long, default_value_t = 5.0)]
        run_seconds: f64,
        /// Mean pause of a clerk between requests, in milliseconds.
        #[arg(long, default_value_t = 20)]
        think_ms: u64,
        /// Share of the clerks still sitting who submit during each round.
        #[arg(long, default_value_t = 0.15)]
        submit_share: f64,
        /// Share of the clerks who start the exam only during the first round.
        #[arg(long, default_value_t = 0.1)]
        late_share: f64,
        /// Answers each clerk saves after the last restart, before submitting.
        #[arg(long, default_value_t = 5)]
        final_saves: usize,
        /// Run on PostgreSQL: a URL of the server (a database is made on it
        /// and dropped afterwards), e.g. postgres://postgres@127.0.0.1:5432/postgres.
        #[arg(long)]
        postgres: Option<String>,
        /// App servers on the one database: with 2, the killed server's clerks carry on at once on the other.
        #[arg(long, default_value_t = 1)]
        servers: usize,
        /// (self-check) damage the database after the first kill; the run must fail.
        #[arg(long, hide = true, value_enum)]
        sabotage: Option<crash::Sabotage>,
        #[command(flatten)]
        common: Common,
    },
    /// (internal) the server side: run by the commands above as a child process.
    #[command(hide = true)]
    ServeChild {
        #[arg(long)]
        database: String,
        #[arg(long)]
        port_file: PathBuf,
        #[arg(long)]
        workers: usize,
        /// Take the configuration as `examhall serve` does (session key file).
        #[arg(long)]
        site_config: bool,
    },
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::ServeChild { database, port_file, workers, site_config } => {
            site::serve_child(&database, &port_file, workers, site_config)
        }
        Command::All { clerks, start_window, step_seconds, common, on } => scenarios::all(
            clerks,
            start_window,
            step_seconds,
            common.workers.unwrap_or_else(cores),
            scenarios::Target { postgres: on.postgres, servers: on.servers },
        ),
        Command::Day { clerks, login_window, think, common } => {
            scenarios::day(clerks, login_window, think, common.workers.unwrap_or_else(cores))
        }
        Command::Crash {
            clerks,
            rounds,
            run_seconds,
            think_ms,
            submit_share,
            late_share,
            final_saves,
            postgres,
            servers,
            sabotage,
            common,
        } => crash::crash(crash::Options {
            clerks,
            rounds,
            run_seconds,
            think_ms,
            submit_share,
            late_share,
            final_saves,
            postgres,
            servers,
            sabotage,
            workers: common.workers.unwrap_or_else(cores),
        }),
        Command::Province { clerks, active, start_window, common } => {
            scenarios::province(clerks, active, start_window, common.workers.unwrap_or_else(cores))
        }
    }
}
