//! Database faults: the disk full, the database locked, the database server
//! unreachable. A request that meets one fails as a whole with 503 and a clear
//! Chinese message that nothing was saved, writes nothing at all, and the same
//! request succeeds once the cause is gone, on the same running server. An
//! exam answer save is never acknowledged during a fault (JSON `ok:false` with
//! the message, which the exam page shows while it retries), and the resent
//! save is stored after recovery.
//!
//! Three writes are tried in each fault: a trainer publishing a 24 KB knowledge-base article,
//! a clerk saving an essay answer (through the answer writer thread), and an
//! admin confirming a roster import of 300 people.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use examhall::auth::Role;
use examhall::db::{self, now, Conn};
use examhall::schema::{articles, attempt_items, audit_log, org_units, role_assignments, users};
use examhall::web::error::DbFault;
use examhall::web::msg;
use reqwest::StatusCode;

use crate::helpers::{extract, location, postgres_url, xlsx, Browser, Options, TestApp};

const BANK: &str = "\
1.【单选】携号转网前，客户应先通过什么方式获取授权码？
A. 到营业厅现场申请
B. 发送短信查询授权码
C. 拨打110
D. 无需授权码
【答案】B

2.【简答】请简述客户办理补换卡时需要核验的内容。
【参考答案】核验本人有效证件
";

/// A site with an exam in progress: a trainer, an admin with a roster upload
/// waiting for confirmation, and a clerk on the essay question. The CSRF
/// tokens are read beforehand: during a fault no page can be loaded to read them.
struct Site {
    app: TestApp,
    trainer: Browser,
    trainer_token: String,
    admin: Browser,
    admin_token: String,
    /// The roster preview's confirm form: (action, fingerprint).
    roster: (String, String),
    clerk: Browser,
    clerk_token: String,
    attempt: i32,
    device: String,
    essay_pos: String,
}

/// Rows written by the three requests, or by anything else.
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    articles: i64,
    users: i64,
    roles: i64,
    units: i64,
    audit: i64,
    answered: i64,
}

fn counts(conn: &mut Conn) -> Counts {
    Counts {
        articles: articles::table.count().get_result(conn).unwrap(),
        users: users::table.count().get_result(conn).unwrap(),
        roles: role_assignments::table.count().get_result(conn).unwrap(),
        units: org_units::table.count().get_result(conn).unwrap(),
        audit: audit_log::table.count().get_result(conn).unwrap(),
        answered: attempt_items::table
            .filter(attempt_items::response.is_not_null())
            .count()
            .get_result(conn)
            .unwrap(),
    }
}

/// A connection of its own to the test database (not through the app's pool or proxy).
fn direct(app: &TestApp) -> Conn {
    let target = db::parse_url(&app.db_url).unwrap();
    match target.backend {
        db::Backend::Sqlite => Conn::Sqlite(diesel::SqliteConnection::establish(&target.location).unwrap()),
        db::Backend::Postgres => Conn::Pg(diesel::PgConnection::establish(&target.location).unwrap()),
    }
}

fn essay_text() -> String {
    // 5,000 characters (the longest answer allowed), 15 KB: it needs pages of its own.
    "核验本人有效证件并确认号码归属。".repeat(5000 / 16) + &"查".repeat(5000 % 16)
}

async fn setup(options: Options) -> Site {
    let app = TestApp::spawn_with(options).await;
    let city = app.seed_city();
    app.add_user("90001", "周培训", None, &[(Role::Trainer, city.city)]);
    app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    app.add_user("10087", "范俊", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let parsed = examhall::bank::formats::text::parse(BANK);
    let opts = examhall::bank::import::CommitOptions {
        fixes: &[],
        expected_fingerprint: None,
        skip_invalid: false,
        actor: None,
        ip: "test",
    };
    examhall::bank::import::commit(&mut app.conn(), "月考题库", parsed, &opts).unwrap();
    let ids: Vec<String> = examhall::schema::questions::table
        .select(examhall::schema::questions::id)
        .order(examhall::schema::questions::id)
        .load::<i32>(&mut app.conn())
        .unwrap()
        .iter()
        .map(i32::to_string)
        .collect();

    let trainer = app.browser();
    trainer.login_ok("90001").await;
    let local = |minutes: i64| examhall::time::local_input(now() + chrono::Duration::minutes(minutes));
    let (opens, closes, city_id, fixed) = (local(-5), local(120), city.city.to_string(), ids.join("\n"));
    let form: Vec<(&str, &str)> = vec![
        ("title", "2026年11月三大渠道月考"),
        ("month", "2026-11"),
        ("kind", "monthly"),
        ("channels", "hall"),
        ("opens_at", &opens),
        ("closes_at", &closes),
        ("time_limit", "30"),
        ("pass_mark", "60"),
        ("review", "full"),
        ("grace_seconds", "30"),
        ("units", &city_id),
        ("roles", "clerk"),
        ("mode", "fixed"),
        ("fixed_items", &fixed),
    ];
    let res = trainer.post("/exams", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let exam: i32 = extract(&location(&res), r"/exams/(\d+)/preview").unwrap().parse().unwrap();
    assert_eq!(trainer.post(&format!("/exams/{exam}/publish"), &[]).await.status(), StatusCode::SEE_OTHER);

    let clerk = app.browser();
    clerk.login_ok("10087").await;
    let res = clerk.post(&format!("/my/exams/{exam}/start"), &[]).await;
    let attempt: i32 = extract(&location(&res), r"^/exam/attempts/(\d+)$").expect("started").parse().unwrap();
    let html = clerk.get_text(&format!("/exam/attempts/{attempt}")).await;
    let device = extract(&html, r#"name="device" value="([0-9a-f]+)""#).expect("device token");
    let essay_pos = extract(&html, r#"data-pos="(\d+)" data-kind="essay""#).expect("essay question");

    let admin = app.browser();
    admin.login_ok("admin").await;
    let mut rows: Vec<Vec<String>> = vec![["工号", "姓名", "区县", "区县类型", "营业厅", "角色", "手机号"]
        .iter()
        .map(|s| s.to_string())
        .collect()];
    for i in 0..300 {
        let row = [
            &format!("2{i:04}"),
            &format!("新员工{i}"),
            "青山县分公司",
            "县分",
            "青山中心营业厅",
            "营业员",
            "",
        ];
        rows.push(row.iter().map(|s| s.to_string()).collect());
    }
    let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    let res = admin.upload("/admin/roster/preview", "名单.xlsx", xlsx(&rows)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let action = extract(&html, r#"action="(/admin/roster/\d+/confirm)""#).expect("confirm form");
    let fingerprint = extract(&html, r#"name="fingerprint" value="([0-9a-f]+)""#).unwrap();

    let (trainer_token, admin_token, clerk_token) =
        (trainer.csrf().await, admin.csrf().await, clerk.csrf().await);
    Site {
        app,
        trainer,
        trainer_token,
        admin,
        admin_token,
        roster: (action, fingerprint),
        clerk,
        clerk_token,
        attempt,
        device,
        essay_pos,
    }
}

/// What one request got back, and how long it took.
struct Reply {
    status: StatusCode,
    location: String,
    retry_after: Option<String>,
    body: String,
    took: Duration,
}

async fn send(request: reqwest::RequestBuilder) -> Reply {
    let started = Instant::now();
    let res = request.send().await.expect("the server answers");
    let (status, location) = (res.status(), location(&res));
    let retry_after = res.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_string);
    let body = crate::helpers::unescape(res.text().await.unwrap());
    Reply { status, location, retry_after, body, took: started.elapsed() }
}

impl Site {
    /// A trainer publishes a long knowledge-base article (24 KB: it needs new pages).
    async fn create_article(&self) -> Reply {
        let body =
            "## 携号转网办理要点\n\n核验本人有效证件，确认号码无欠费、无在网合约后方可受理。\n".repeat(120);
        let today = examhall::time::local_date(examhall::db::now()).to_string();
        let form = [
            ("title", "故障测试：携号转网办理要点"),
            ("category", examhall::kb::model::CATEGORIES[0]),
            ("tags", "携号转网"),
            ("effective_date", today.as_str()),
            ("body", body.as_str()),
            ("csrf_token", &self.trainer_token),
        ];
        send(self.trainer.client.post(self.trainer.url("/kb")).form(&form)).await
    }

    /// The exam page's autosave of the essay answer, as static/exam.js sends it.
    async fn save_answer(&self) -> Reply {
        let text = essay_text();
        let form = [
            ("csrf_token", self.clerk_token.as_str()),
            ("device", &self.device),
            ("pos", &self.essay_pos),
            ("flag", "0"),
            ("a", &text),
        ];
        let url = self.clerk.url(&format!("/exam/attempts/{}/answer", self.attempt));
        let request = self
            .clerk
            .client
            .post(url)
            .header("X-CSRF-Token", &self.clerk_token)
            .header("Accept", "application/json")
            .form(&form);
        send(request).await
    }

    /// The admin confirms the roster import of 300 new clerks.
    async fn confirm_roster(&self) -> Reply {
        let (action, fingerprint) = &self.roster;
        let form = [
            ("fingerprint", fingerprint.as_str()),
            ("initial_password", "chushi2026"),
            ("initial_password_confirm", "chushi2026"),
            ("csrf_token", &self.admin_token),
        ];
        send(self.admin.client.post(self.admin.url(action)).form(&form)).await
    }

    /// The three writes during a fault: each refused with `message`, nothing
    /// written (`conn` reads the database around them); the shortest and
    /// longest wait.
    async fn all_refused(&self, conn: &mut Conn, message: &str) -> (Duration, Duration) {
        let before = counts(conn);
        let (mut shortest, mut longest) = (Duration::MAX, Duration::ZERO);
        for (what, reply) in [
            ("article", self.create_article().await),
            ("save", self.save_answer().await),
            ("roster", self.confirm_roster().await),
        ] {
            assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{what}: {}", reply.body);
            assert!(reply.body.contains(message), "{what}: {}", reply.body);
            assert!(reply.retry_after.is_some(), "{what}: 503 says when to come back");
            (shortest, longest) = (shortest.min(reply.took), longest.max(reply.took));
            if what == "save" {
                let json: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON");
                assert_eq!(json["ok"], false, "never acknowledged: {json}");
                assert_eq!(json["message"], message);
            }
        }
        assert_eq!(counts(conn), before, "nothing half-written");
        let stored: Option<String> = attempt_items::table
            .filter(attempt_items::attempt_id.eq(self.attempt))
            .filter(attempt_items::position.eq(self.essay_pos.parse::<i32>().unwrap()))
            .select(attempt_items::response)
            .get_result(conn)
            .unwrap();
        assert_eq!(stored, None, "the refused answer is not stored");
        (shortest, longest)
    }

    /// The same three writes once the cause is gone: all kept.
    async fn all_succeed(&self, conn: &mut Conn) {
        let before = counts(conn);
        let article = self.create_article().await;
        assert_eq!(article.status, StatusCode::SEE_OTHER, "article: {}", article.body);
        assert!(article.location.starts_with("/kb/"), "{}", article.location);
        let save = self.save_answer().await;
        assert_eq!(save.status, StatusCode::OK, "save: {}", save.body);
        assert!(save.body.contains(r#""ok":true"#), "{}", save.body);
        let roster = self.confirm_roster().await;
        assert_eq!(
            (roster.status, roster.location.as_str()),
            (StatusCode::SEE_OTHER, "/admin/roster"),
            "roster"
        );
        let after = counts(conn);
        assert_eq!(after.articles, before.articles + 1);
        assert_eq!(after.users, before.users + 300);
        assert_eq!(after.answered, before.answered + 1);
        let stored: Option<String> = attempt_items::table
            .filter(attempt_items::attempt_id.eq(self.attempt))
            .filter(attempt_items::position.eq(self.essay_pos.parse::<i32>().unwrap()))
            .select(attempt_items::response)
            .get_result(conn)
            .unwrap();
        assert!(stored.is_some_and(|r| r.contains("核验本人有效证件")), "the resent answer is stored");
    }
}

/// Runs `sql` on every connection of the pool (all checked out at once, so
/// each is a different one). Per-connection settings such as
/// `max_page_count` reach the server's connections this way.
pub(crate) fn on_every_connection(app: &TestApp, sql: &str) {
    let mut all: Vec<_> = (0..app.pool.max_size()).map(|_| app.conn()).collect();
    for conn in &mut all {
        conn.batch_execute(sql).unwrap();
    }
}

#[derive(QueryableByName)]
struct Number {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn pragma(conn: &mut Conn, name: &str) -> i64 {
    diesel::sql_query(format!("SELECT {name} AS n FROM pragma_{name}")).get_result::<Number>(conn).unwrap().n
}

/// The disk fills up. On SQLite for real: `PRAGMA max_page_count` (a
/// per-connection setting, so applied to every pooled connection) stops the
/// file from growing, and a filler table takes the free pages: from then on,
/// as on a full disk, any write that needs a new page fails with SQLITE_FULL.
/// The three writes are made large enough that they must grow the file. A
/// PostgreSQL server's disk cannot be filled from a test: there, triggers on
/// the three writes' tables raise the error the server raises on a full disk
/// (SQLSTATE 53100, its own message), so the app's side is the same test.
#[tokio::test]
async fn a_full_disk_refuses_writes_whole_with_a_clear_message_and_they_succeed_once_space_is_back() {
    let started = Instant::now();
    let site = setup(Options::default()).await;
    let mut conn = direct(&site.app);
    let space_back = match &conn {
        Conn::Sqlite(_) => fill_sqlite(&site.app, &mut conn),
        Conn::Pg(_) => fill_postgres(&mut conn),
    };
    let filled = Instant::now();

    let (_, longest) = site.all_refused(&mut conn, msg::DB_FULL).await;
    // Refused again: the connections keep the limit (no connection was replaced).
    let again = site.create_article().await;
    assert_eq!((again.status, again.body.contains(msg::DB_FULL)), (StatusCode::SERVICE_UNAVAILABLE, true));
    // The site still reads: pages show.
    assert_eq!(site.trainer.get("/bank").await.status(), StatusCode::OK);
    let refused = filled.elapsed();

    // Space is back: the very same requests go through.
    space_back(&site.app, &mut conn);
    site.all_succeed(&mut conn).await;
    eprintln!(
        "disk full: longest refusal {} ms, fault phase {} ms, whole test {} ms",
        longest.as_millis(),
        refused.as_millis(),
        started.elapsed().as_millis()
    );
}

/// What undoes a fault.
type Undo = Box<dyn FnOnce(&TestApp, &mut Conn)>;

/// Fills the SQLite file's free pages and stops it growing; checks SQLite's own error.
fn fill_sqlite(app: &TestApp, conn: &mut Conn) -> Undo {
    let unlimited = pragma(conn, "max_page_count");
    conn.batch_execute("CREATE TABLE fault_filler (b BLOB)").unwrap();
    let pages = pragma(conn, "page_count");
    on_every_connection(app, &format!("PRAGMA max_page_count = {pages}"));
    conn.batch_execute(&format!("PRAGMA max_page_count = {pages}")).unwrap();
    // Fill the free pages; the error is SQLite's own for a full disk.
    let full = loop {
        if let Err(err) = conn.batch_execute("INSERT INTO fault_filler VALUES (zeroblob(3000))") {
            break err;
        }
    };
    assert_eq!(full.to_string(), "database or disk is full");
    assert_eq!(DbFault::of(&full), Some(DbFault::Full));
    Box::new(move |app, conn| {
        on_every_connection(app, &format!("PRAGMA max_page_count = {unlimited}"));
        conn.batch_execute(&format!("PRAGMA max_page_count = {unlimited}")).unwrap();
    })
}

/// Makes the three writes' tables fail as PostgreSQL does on a full disk.
fn fill_postgres(conn: &mut Conn) -> Undo {
    conn.batch_execute(
        "CREATE FUNCTION fault_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
           RAISE EXCEPTION 'could not extend file \"base/16384/16385\": No space left on device' \
             USING ERRCODE = 'disk_full', HINT = 'Check free disk space.'; \
         END $$; \
         CREATE TRIGGER fault_full BEFORE INSERT ON articles FOR EACH ROW EXECUTE FUNCTION fault_disk_full(); \
         CREATE TRIGGER fault_full BEFORE UPDATE ON attempt_items FOR EACH ROW EXECUTE FUNCTION fault_disk_full(); \
         CREATE TRIGGER fault_full BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION fault_disk_full();",
    )
    .unwrap();
    let full = conn.batch_execute("UPDATE attempt_items SET flagged = flagged").unwrap_err();
    assert!(full.to_string().contains("No space left on device"), "{full}");
    assert_eq!(DbFault::of(&full), Some(DbFault::Full));
    Box::new(|_, conn| {
        conn.batch_execute(
            "DROP TRIGGER fault_full ON articles; DROP TRIGGER fault_full ON attempt_items; \
             DROP TRIGGER fault_full ON users; DROP FUNCTION fault_disk_full();",
        )
        .unwrap();
    })
}

/// The database stays locked: another connection holds the lock longer than
/// the app waits for it (200 ms here instead of production's 5 s, so the
/// test is quick). Each write waits that long, then is refused with the busy
/// message; after the lock is released, they succeed. On SQLite the whole
/// database's write lock (`BEGIN EXCLUSIVE`) against the busy timeout; on
/// PostgreSQL, which locks rows and tables, the three writes' tables
/// (`LOCK TABLE … IN EXCLUSIVE MODE`: reads go on) against `lock_timeout`.
#[tokio::test]
async fn a_locked_database_refuses_writes_after_the_busy_timeout_and_they_succeed_once_it_is_free() {
    let started = Instant::now();
    let busy_timeout = Duration::from_millis(200);
    let tuning = db::Tuning { busy_timeout, ..Default::default() };
    let site = setup(Options { db_tuning: Some(tuning), ..Default::default() }).await;
    let mut conn = direct(&site.app);
    let mut holder = direct(&site.app);
    let locked = match &holder {
        Conn::Sqlite(_) => {
            holder.batch_execute("BEGIN EXCLUSIVE; UPDATE users SET name = name WHERE id = 0;").unwrap();
            // SQLite's own error for a write that waited out the busy timeout.
            let locked = site.app.conn().batch_execute("BEGIN IMMEDIATE").unwrap_err();
            assert_eq!(locked.to_string(), "database is locked");
            locked
        }
        Conn::Pg(_) => {
            let lock_timeout = format!("SET lock_timeout = '{}ms'", busy_timeout.as_millis());
            on_every_connection(&site.app, &lock_timeout);
            holder
                .batch_execute("BEGIN; LOCK TABLE articles, attempt_items, users IN EXCLUSIVE MODE;")
                .unwrap();
            // PostgreSQL's own error for a write that waited out the lock timeout.
            let locked =
                site.app.conn().batch_execute("UPDATE users SET name = name WHERE id = 0").unwrap_err();
            assert_eq!(locked.to_string(), "canceling statement due to lock timeout");
            locked
        }
    };
    assert_eq!(DbFault::of(&locked), Some(DbFault::Busy));

    let locked_at = Instant::now();
    let (shortest, longest) = site.all_refused(&mut conn, msg::DB_LOCKED).await;
    assert!(shortest >= busy_timeout, "each write waited the busy timeout first: {shortest:?}");
    assert!(longest < Duration::from_secs(3), "and not much longer: {longest:?}");
    // Reading goes on meanwhile (WAL): pages show.
    assert_eq!(site.trainer.get("/bank").await.status(), StatusCode::OK);
    let held = locked_at.elapsed();

    holder.batch_execute("COMMIT").unwrap();
    site.all_succeed(&mut conn).await;
    eprintln!(
        "locked: longest refusal {} ms, lock held {} ms, whole test {} ms",
        longest.as_millis(),
        held.as_millis(),
        started.elapsed().as_millis()
    );
}

/// The database cannot be reached. On PostgreSQL the app talks to the server
/// through a TCP proxy; cutting the proxy drops every open connection and
/// refuses new ones, as a stopped server or a broken network would. SQLite is
/// a file the server opens itself, with no server to lose (removing or
/// locking the file is no analogue: open connections go on with the file
/// they have, and root ignores permissions); what is the same there is a
/// request that gets no connection: every pooled connection is taken. Either
/// way, requests are refused within the pool's connection timeout (1 s here,
/// 10 s in production) instead of hanging, nothing panics, and once the cause
/// is gone the app serves again by itself.
#[tokio::test]
async fn an_unreachable_database_gets_a_quick_clear_refusal_and_the_app_recovers() {
    let started = Instant::now();
    let tuning = db::Tuning { connection_timeout: Duration::from_secs(1), ..Default::default() };
    let proxy = postgres_url().map(|base| {
        let (upstream, dial) = authority(&base);
        (Proxy::start(dial), upstream)
    });
    let app_db_url: Option<crate::helpers::UrlMap> = proxy.as_ref().map(|(proxy, upstream)| {
        let (upstream, via) = (upstream.clone(), proxy.addr.to_string());
        Box::new(move |url: &str| url.replacen(&upstream, &via, 1)) as crate::helpers::UrlMap
    });
    let site = setup(Options { db_tuning: Some(tuning), app_db_url, ..Default::default() }).await;
    let mut conn = direct(&site.app);

    let mut taken = Vec::new();
    match &proxy {
        Some((proxy, _)) => proxy.set(false).await,
        None => taken = (0..site.app.pool.max_size()).map(|_| site.app.conn()).collect(),
    }
    let cut = Instant::now();
    // Signed-in users are then loaded again (as after any account change), so
    // the requests fail before their handlers too: the save still gets JSON.
    examhall::auth::cache::note_change();
    examhall::auth::cache::publish_changes();
    let (_, longest) = site.all_refused(&mut conn, msg::DB_UNREACHABLE).await;
    assert!(longest < Duration::from_secs(5), "refused quickly: {longest:?}");
    let page = send(site.trainer.client.get(site.trainer.url("/bank"))).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.body.contains(msg::DB_UNREACHABLE), "{}", page.body);
    let down = cut.elapsed();

    match &proxy {
        Some((proxy, _)) => proxy.set(true).await,
        None => drop(std::mem::take(&mut taken)),
    }
    let restored = Instant::now();
    // The pool reconnects by itself: pages show again within seconds.
    loop {
        if site.trainer.get("/bank").await.status() == StatusCode::OK {
            break;
        }
        assert!(restored.elapsed() < Duration::from_secs(15), "the pool reconnects");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recovered = restored.elapsed();
    site.all_succeed(&mut conn).await;
    eprintln!(
        "unreachable ({}): longest refusal {} ms, down {} ms, serving again after {} ms, whole test {} ms",
        if proxy.is_some() { "server cut off" } else { "no free connection" },
        longest.as_millis(),
        down.as_millis(),
        recovered.as_millis(),
        started.elapsed().as_millis()
    );
}

/// The host:port part of a PostgreSQL URL as written, and the address to dial.
fn authority(url: &str) -> (String, String) {
    let rest = url.split_once("://").expect("a URL").1;
    let server = rest.split(['/', '?']).next().unwrap();
    let host = server.rsplit_once('@').map_or(server, |(_, host)| host).to_string();
    let dial = if host.contains(':') { host.clone() } else { format!("{host}:5432") };
    (host, dial)
}

type Command = (bool, tokio::sync::oneshot::Sender<()>);

/// A TCP proxy to the database server, on a thread and runtime of its own
/// (the app's pool connects from blocking threads, and from the test's
/// thread at start). `set(false)` closes its port and every connection
/// through it; `set(true)` opens the same port again.
struct Proxy {
    addr: std::net::SocketAddr,
    commands: tokio::sync::mpsc::UnboundedSender<Command>,
}

impl Proxy {
    fn start(upstream: String) -> Proxy {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (commands, mut queue) = tokio::sync::mpsc::unbounded_channel::<Command>();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async move {
                let mut listener = Some(tokio::net::TcpListener::from_std(listener).unwrap());
                let mut pipes = tokio::task::JoinSet::new();
                loop {
                    tokio::select! {
                        command = queue.recv() => {
                            let Some((up, done)) = command else { break };
                            if !up {
                                listener = None;
                                pipes.abort_all();
                                while pipes.join_next().await.is_some() {}
                            } else if listener.is_none() {
                                listener = Some(rebind(addr).await);
                            }
                            let _ = done.send(());
                        }
                        accepted = accept(listener.as_ref()) => {
                            if let Ok((client, _)) = accepted {
                                pipes.spawn(pipe(client, upstream.clone()));
                            }
                        }
                        Some(_) = pipes.join_next(), if !pipes.is_empty() => {}
                    }
                }
            });
        });
        Proxy { addr, commands }
    }

    async fn set(&self, up: bool) {
        let (done, finished) = tokio::sync::oneshot::channel();
        self.commands.send((up, done)).unwrap();
        finished.await.unwrap();
    }
}

async fn accept(
    listener: Option<&tokio::net::TcpListener>,
) -> std::io::Result<(tokio::net::TcpStream, std::net::SocketAddr)> {
    match listener {
        Some(listener) => listener.accept().await,
        None => std::future::pending().await,
    }
}

async fn rebind(addr: std::net::SocketAddr) -> tokio::net::TcpListener {
    for _ in 0..50 {
        if let Ok(listener) = tokio::net::TcpListener::bind(addr).await {
            return listener;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("port {addr} taken");
}

async fn pipe(mut client: tokio::net::TcpStream, upstream: String) {
    if let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
    }
}
