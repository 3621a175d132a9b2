//! `serve` and `demo`: the web site, on a demo database if asked.

use std::net::TcpListener;

use crate::accounts::User;
use crate::auth::password;
use crate::config::Config;
use crate::db;
use crate::web::msg;
use crate::{demo, AppState};

pub(super) fn serve(url: &str, bind: &str, demo_mode: bool) -> anyhow::Result<u8> {
    let pool = db::connect(url, 16)?;
    let mut conn = pool.get()?;
    if demo_mode {
        let hash = password::hash(demo::PASSWORD)?;
        if demo::populate(&mut conn, &hash)? {
            println!("{}", msg::cli_demo_created(url));
        }
        println!("{}", msg::cli_demo_accounts(demo::PASSWORD));
        for (role, login, note) in demo::logins() {
            println!("  {role:<10} {login:<8} {note}");
        }
    } else if User::count_all(&mut conn)? == 0 {
        println!("{}", msg::CLI_NO_ACCOUNTS);
        println!("{}", msg::CLI_CREATE_ADMIN_HINT);
    }
    // The answers table is updated at every click: without autovacuum it
    // bloats and its statistics go stale (docs/DEPLOY.md).
    if db::autovacuum_off(&mut conn)? {
        tracing::warn!("{}", msg::AUTOVACUUM_OFF);
        eprintln!("{}", msg::AUTOVACUUM_OFF);
    }
    drop(conn);
    let config = Config::load(url)?;
    let listener = TcpListener::bind(bind)?;
    println!("{}", msg::cli_started(listener.local_addr()?));
    crate::exam::start_sweeper(pool.clone());
    let state = AppState::new(pool)?;
    actix_web::rt::System::new().block_on(async move {
        let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        crate::build_server(listener, &config, state, workers)?.await
    })?;
    Ok(0)
}
