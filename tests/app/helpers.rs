//! TestApp: the real server on port 0 with a fresh database per test, and
//! `Browser`s (HTTP clients with their own cookie jar) to drive it.

use std::net::TcpListener;

use actix_web::dev::ServerHandle;
use examhall::accounts::model::NewUser;
use examhall::accounts::User;
use examhall::auth::password::PasswordGate;
use examhall::auth::{password, Role};
use examhall::config::Config;
use examhall::db::{self, DbPool, PooledConn};
use examhall::org::{OrgUnit, UnitKind};
use examhall::time::Clock;
use examhall::AppState;
use reqwest::redirect::Policy;
use reqwest::{Response, StatusCode};

pub const PASSWORD: &str = "test1234";

pub struct TestApp {
    pub base: String,
    pub passwords: PasswordGate,
    pub pool: DbPool,
    pub db_url: String,
    /// The app's clock: `app.clock.set(…)` moves the time its pages and
    /// model code see (not the test thread's, unless installed there).
    pub clock: Clock,
    handle: ServerHandle,
    /// Last, so the database goes after everything that uses it.
    _db: TestDb,
}

/// A fresh database for one test: a SQLite file in a temporary folder, or,
/// when `TEST_DATABASE_URL` points at PostgreSQL, a new database on that
/// server (dropped afterwards), so tests stay parallel on both backends.
pub struct TestDb {
    pub url: String,
    server: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl TestDb {
    pub fn new() -> TestDb {
        match postgres_url() {
            Some(base) => Self::postgres(&base),
            None => Self::sqlite(),
        }
    }

    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = dir.path().join("test.db").to_string_lossy().to_string();
        TestDb { url, server: None, _dir: dir }
    }

    pub fn postgres(base: &str) -> TestDb {
        use diesel::{Connection, RunQueryDsl};
        let name = format!("examhall_test_{}", hex::encode(rand::random::<[u8; 8]>()));
        let mut admin = diesel::PgConnection::establish(base).expect("TEST_DATABASE_URL reachable");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .expect("create test database");
        TestDb {
            url: crate::template::sibling_url(base, &name),
            server: Some((base.to_string(), name)),
            _dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A copy of the demo city (`examhall::demo::populate`), which is built
    /// once per run (see `template.rs`).
    pub fn demo() -> TestDb {
        match postgres_url() {
            Some(base) => {
                let template = crate::template::demo();
                let name = format!("examhall_test_{}", hex::encode(rand::random::<[u8; 8]>()));
                template.copy_to(&name);
                TestDb {
                    url: crate::template::sibling_url(&base, &name),
                    server: Some((base, name)),
                    _dir: tempfile::tempdir().expect("temp dir"),
                }
            }
            None => Self::sqlite_demo(),
        }
    }

    /// A copy of the demo city in a SQLite file, whatever the suite's backend.
    pub fn sqlite_demo() -> TestDb {
        let db = Self::sqlite();
        crate::template::sqlite_demo().copy_to(&db.url);
        db
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        use diesel::{Connection, RunQueryDsl};
        if let Some((base, name)) = &self.server {
            if let Ok(mut admin) = diesel::PgConnection::establish(base) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin);
            }
        }
    }
}

/// The PostgreSQL server the suite should run on, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres"))
}

#[derive(Default)]
pub struct Options {
    pub secure_cookies: bool,
    pub trust_proxy: bool,
    /// (hashes at once, queue bound) instead of this machine's sizing.
    pub password_gate: Option<(usize, usize)>,
    /// Database waiting times instead of production's (`db::Tuning::default()`).
    pub db_tuning: Option<db::Tuning>,
    /// The URL the server connects with, made from the test database's (e.g.
    /// through a proxy); `TestApp::db_url` stays the direct one.
    pub app_db_url: Option<UrlMap>,
    /// Start from a copy of the demo city instead of an empty database.
    pub demo: bool,
    /// SQLite even when the suite runs on PostgreSQL (tests of SQLite's own faults).
    pub sqlite: bool,
}

/// Makes one database URL from another.
pub type UrlMap = Box<dyn Fn(&str) -> String>;

/// Units of the small city most tests use.
pub struct City {
    pub city: i32,
    pub district: i32,
    pub county: i32,
    pub county_hall: i32,
    pub city_hall: i32,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(Options::default()).await
    }

    /// The app on a copy of the demo city (staff sign in with `examhall::demo::PASSWORD`).
    pub async fn spawn_demo() -> TestApp {
        Self::spawn_with(Options { demo: true, ..Options::default() }).await
    }

    pub async fn spawn_with(options: Options) -> TestApp {
        let test_db = match (options.demo, options.sqlite) {
            (true, false) => TestDb::demo(),
            (true, true) => TestDb::sqlite_demo(),
            (false, true) => TestDb::sqlite(),
            (false, false) => TestDb::new(),
        };
        let db_url = test_db.url.clone();
        let app_url = options.app_db_url.as_ref().map_or_else(|| db_url.clone(), |via| via(&db_url));
        let pool = db::connect_with(&app_url, 4, options.db_tuning.unwrap_or_default()).expect("database");
        let config = Config {
            database_url: app_url,
            secure_cookies: options.secure_cookies,
            trust_proxy: options.trust_proxy,
            session_key: vec![7; 64],
        };
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let passwords = match options.password_gate {
            Some((parallel, queued)) => PasswordGate::new(parallel, queued).unwrap(),
            None => PasswordGate::for_this_machine().unwrap(),
        };
        let clock = Clock::system();
        let state = AppState::with_clock(pool.clone(), passwords.clone(), clock.clone()).expect("state");
        let server = examhall::build_server(listener, &config, state, 1).expect("server");
        let handle = server.handle();
        tokio::spawn(server);
        TestApp { base, passwords, pool, db_url, clock, handle, _db: test_db }
    }

    pub fn conn(&self) -> PooledConn {
        self.pool.get().expect("connection")
    }

    pub fn browser(&self) -> Browser {
        let client =
            reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().expect("client");
        Browser { base: self.base.clone(), client }
    }

    /// 江州 city with a district and a county, one hall each.
    pub fn seed_city(&self) -> City {
        let mut c = self.conn();
        let city = OrgUnit::insert(&mut c, None, UnitKind::City, "江州市分公司").unwrap();
        let district = OrgUnit::insert(&mut c, Some(city), UnitKind::District, "江州市区").unwrap();
        let county = OrgUnit::insert(&mut c, Some(city), UnitKind::County, "青山县分公司").unwrap();
        let county_hall = OrgUnit::insert(&mut c, Some(county), UnitKind::Hall, "青山中心营业厅").unwrap();
        let city_hall = OrgUnit::insert(&mut c, Some(district), UnitKind::Hall, "人民路营业厅").unwrap();
        City { city, district, county, county_hall, city_hall }
    }

    /// Adds an account with password [`PASSWORD`] and the given grants.
    pub fn add_user(&self, username: &str, name: &str, hall: Option<i32>, grants: &[(Role, i32)]) -> i32 {
        self.add_user_with(username, name, hall, grants, false)
    }

    pub fn add_user_with(
        &self,
        username: &str,
        name: &str,
        hall: Option<i32>,
        grants: &[(Role, i32)],
        must_change: bool,
    ) -> i32 {
        let hash = password::hash(PASSWORD).unwrap();
        let mut c = self.conn();
        let id = User::insert(
            &mut c,
            &NewUser {
                username,
                staff_no: Some(username).filter(|u| u.chars().all(|c| c.is_ascii_digit())),
                name,
                phone: None,
                hall_id: hall,
                password_hash: &hash,
                must_change_password: must_change,
            },
        )
        .unwrap();
        for (role, unit) in grants {
            User::grant(&mut c, id, *role, *unit).unwrap();
        }
        id
    }

    pub fn user(&self, id: i32) -> User {
        User::find(&mut self.conn(), id).unwrap()
    }

    pub fn user_by_login(&self, login: &str) -> Option<User> {
        User::find_by_login(&mut self.conn(), login).unwrap()
    }

    pub fn count_users(&self) -> i64 {
        User::count_all(&mut self.conn()).unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        tokio::spawn(async move { handle.stop(false).await });
    }
}

/// One visitor with their own cookies.
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> String {
        let res = self.get(path).await;
        assert_eq!(res.status(), StatusCode::OK, "GET {path}");
        unescape(res.text().await.unwrap())
    }

    /// The session's CSRF token, read from the page's meta tag.
    pub async fn csrf(&self) -> String {
        // The login page, or wherever it sends a signed-in user.
        let mut path = "/login".to_string();
        for _ in 0..4 {
            let res = self.get(&path).await;
            if res.status() == StatusCode::SEE_OTHER {
                path = location(&res);
                continue;
            }
            let html = res.text().await.unwrap();
            return extract(&html, r#"name="csrf-token" content="([0-9a-f]+)""#).expect("csrf meta tag");
        }
        panic!("no page with a CSRF token")
    }

    /// Posts a form with the session's CSRF token added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", &token));
        self.client.post(self.url(path)).form(&form).send().await.expect("POST")
    }

    /// Posts a form exactly as given (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client.post(self.url(path)).form(fields).send().await.expect("POST")
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post("/login", &[("username", username), ("password", password), ("next", "/")]).await
    }

    /// Logs in and checks it worked.
    pub async fn login_ok(&self, username: &str) {
        let res = self.login(username, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "login {username}");
    }

    /// A multipart form that starts, as the site's upload forms do, with the
    /// session's CSRF token (the gate reads it from the first part).
    pub async fn upload_form(&self) -> reqwest::multipart::Form {
        reqwest::multipart::Form::new().text("csrf_token", self.csrf().await)
    }

    pub async fn upload(&self, path: &str, filename: &str, bytes: Vec<u8>) -> Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(filename.to_string());
        let form = self.upload_form().await.part("file", part);
        self.client.post(self.url(path)).multipart(form).send().await.expect("upload")
    }
}

pub fn location(res: &Response) -> String {
    res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

pub fn extract(html: &str, pattern: &str) -> Option<String> {
    regex::Regex::new(pattern).unwrap().captures(html).map(|c| c[1].to_string())
}

/// An .xlsx file with these rows (first row = header).
pub fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            // Staff numbers as Excel numbers, as people type them.
            match text.parse::<f64>() {
                Ok(n) if r > 0 && c == 0 => sheet.write_number(r as u32, c as u16, n).map(|_| ()),
                _ => sheet.write_string(r as u32, c as u16, *text).map(|_| ()),
            }
            .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

pub fn csv(rows: &[&[&str]]) -> Vec<u8> {
    rows.iter().map(|r| r.join(",")).collect::<Vec<_>>().join("\n").into_bytes()
}

/// Undoes Tera's escaping of `/`, so tests can look for "区县 / 营业厅".
pub fn unescape(html: String) -> String {
    html.replace("&#x2F;", "/")
}

/// Checks an exported workbook's sheet (0-based) prints as every export must
/// (see `web::xlsx`): A4, one page wide (landscape when `landscape`), the
/// title and header rows repeated, page n / m in the footer, the header
/// frozen, an autofilter, column widths set, and a title row containing `title`.
/// An import template: its sheets by name (the importer reads the first; the
/// last is 填写说明, a row per column), each printing as every export does;
/// the format's headings start at A1 with `first_heading`.
pub fn assert_template(bytes: &[u8], sheets: &[&str], landscape: bool, first_heading: &str) {
    use calamine::Reader;
    let book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(book.sheet_names(), sheets);
    assert_eq!(sheets.last(), Some(&"填写说明"));
    assert_prints(bytes, 0, landscape, first_heading);
    assert_prints(bytes, sheets.len() - 1, false, "说明");
}

pub fn assert_prints(bytes: &[u8], sheet: usize, landscape: bool, title: &str) {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx is a zip");
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name).unwrap_or_else(|_| panic!("{name}")).read_to_string(&mut text).unwrap();
        text
    };
    let xml = read(&format!("xl/worksheets/sheet{}.xml", sheet + 1));
    let book = read("xl/workbook.xml");
    for (what, found) in [
        ("A4", xml.contains(r#"paperSize="9""#)),
        (
            "one page wide",
            xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#) && xml.contains(r#"fitToHeight="0""#),
        ),
        ("landscape as asked", xml.contains(r#"orientation="landscape""#) == landscape),
        ("page n / m", xml.contains("<oddFooter>") && xml.contains("&amp;P") && xml.contains("&amp;N")),
        ("a header", xml.contains("<oddHeader>")),
        ("frozen header", xml.contains(r#"state="frozen""#)),
        ("autofilter", xml.contains("<autoFilter ref=")),
        ("widths", xml.contains("<cols>")),
        ("repeated rows", book.contains("_xlnm.Print_Titles")),
    ] {
        assert!(found, "{what}: {xml}");
    }
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = wb.sheet_names()[sheet].clone();
    let range = wb.worksheet_range(&name).unwrap();
    let first = range.get((0, 0)).map(|c| c.to_string()).unwrap_or_default();
    assert!(first.contains(title), "title row {first:?} should name {title:?}");
}

/// Every cell of a workbook's first sheet, as text, one row per line.
pub fn xlsx_text(bytes: &[u8]) -> String {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("\t"))
        .collect::<Vec<_>>()
        .join("\n")
}
