//! A clerk's browser, as far as the server can tell: its own session cookie
//! and CSRF token, over connections shared with the other simulated clerks
//! (one connection pool keeps the load generator's own cost low).

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use anyhow::Context;
use reqwest::header::{COOKIE, RETRY_AFTER, SET_COOKIE};
use reqwest::StatusCode;

const COOKIE_NAME: &str = "examhall_session=";

pub fn http() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // Below the server's keep-alive (5 s), so an idle connection is not
        // reused just as the server closes it.
        .pool_idle_timeout(Duration::from_secs(4))
        .timeout(Duration::from_secs(60))
        .build()?)
}

#[derive(Clone)]
pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
    pub cookie: String,
    pub csrf: String,
}

pub struct Reply {
    pub status: StatusCode,
    pub location: String,
    pub retry_after: Option<u64>,
    pub body: String,
    pub elapsed: Duration,
}

/// Compiled once: compiling per page cost the load generator more than the server.
fn re(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern).unwrap_or_else(|e| panic!("pattern {pattern}: {e}"))
}
static CSRF: LazyLock<regex::Regex> = LazyLock::new(|| re(r#"name="csrf-token" content="([0-9a-f]+)""#));
static ATTEMPT: LazyLock<regex::Regex> = LazyLock::new(|| re(r"^/exam/attempts/(\d+)$"));
static DEVICE: LazyLock<regex::Regex> = LazyLock::new(|| re(r#"name="device" value="([0-9a-f]+)""#));
static QUESTION: LazyLock<regex::Regex> = LazyLock::new(|| re(r#"data-pos="(\d+)" data-kind="([a-z_]+)""#));

fn capture(text: &str, pattern: &regex::Regex) -> Option<String> {
    pattern.captures(text).map(|c| c[1].to_string())
}

pub fn csrf_of(page: &str) -> Option<String> {
    capture(page, &CSRF)
}

impl Browser {
    pub fn new(http: &reqwest::Client, base: &str) -> Self {
        Browser { http: http.clone(), base: base.to_string(), cookie: String::new(), csrf: String::new() }
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> anyhow::Result<Reply> {
        let req = if self.cookie.is_empty() {
            req
        } else {
            req.header(COOKIE, format!("{COOKIE_NAME}{}", self.cookie))
        };
        let t = Instant::now();
        let res = req.send().await?;
        for value in res.headers().get_all(SET_COOKIE) {
            if let Some(v) = value.to_str().ok().and_then(|v| v.strip_prefix(COOKIE_NAME)) {
                self.cookie = v.split(';').next().unwrap_or_default().to_string();
            }
        }
        let status = res.status();
        let header = |name| {
            res.headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let location = header(reqwest::header::LOCATION).unwrap_or_default();
        let retry_after = header(RETRY_AFTER).and_then(|v| v.parse().ok());
        let body = res.text().await?;
        Ok(Reply { status, location, retry_after, body, elapsed: t.elapsed() })
    }

    /// A GET, retried once on a broken connection as browsers retry idempotent requests.
    pub async fn get(&mut self, path: &str) -> anyhow::Result<Reply> {
        let url = format!("{}{path}", self.base);
        let reply = match self.send(self.http.get(&url)).await {
            Ok(reply) => reply,
            Err(_) => self.send(self.http.get(&url)).await?,
        };
        if let Some(token) = csrf_of(&reply.body) {
            self.csrf = token;
        }
        Ok(reply)
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> anyhow::Result<Reply> {
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        let csrf = self.csrf.clone();
        fields.push(("csrf_token", &csrf));
        let req = self.http.post(format!("{}{path}", self.base)).form(&fields);
        self.send(req).await
    }

    /// The exam page's fetch() save: the token in a header, as `exam.js` sends it.
    pub async fn post_fetch(&mut self, path: &str, form: &[(&str, &str)]) -> anyhow::Result<Reply> {
        let req =
            self.http.post(format!("{}{path}", self.base)).header("X-CSRF-Token", &self.csrf).form(form);
        self.send(req).await
    }
}

/// What one login cost: the POST's latency, and how often it was turned away.
pub struct LoggedIn {
    pub browser: Browser,
    pub post_latency: Duration,
    pub busy: u32,
}

/// Signs a clerk in as a browser does: the login page, the form, the home
/// page it redirects to. A 503 is retried after its Retry-After.
pub async fn log_in(http: &reqwest::Client, base: &str, login: &str) -> anyhow::Result<LoggedIn> {
    let mut b = Browser::new(http, base);
    let mut busy = 0;
    loop {
        b.get("/login").await?;
        let reply = b
            .post("/login", &[("username", login), ("password", examhall::demo::PASSWORD), ("next", "/")])
            .await?;
        match reply.status.as_u16() {
            303 => {
                b.get("/").await?;
                anyhow::ensure!(!b.csrf.is_empty(), "no CSRF token after login");
                return Ok(LoggedIn { browser: b, post_latency: reply.elapsed, busy });
            }
            503 => {
                busy += 1;
                tokio::time::sleep(Duration::from_secs(reply.retry_after.unwrap_or(2))).await;
            }
            other => anyhow::bail!("login: HTTP {}", other),
        }
    }
}

/// A clerk on the exam page: the attempt, the device token, the questions.
#[derive(Clone)]
pub struct Candidate {
    pub browser: Browser,
    pub attempt: i32,
    pub device: String,
    /// (position, kind) of each question that takes a value.
    pub questions: Vec<(i32, String)>,
}

/// Start page, start, exam page. Returns the candidate and the time from the
/// start button to the rendered exam page.
pub async fn start_exam(b: Browser, exam: i32) -> anyhow::Result<(Candidate, Duration)> {
    let (candidate, _, took) = start_exam_page(b, exam).await?;
    Ok((candidate, took))
}

/// As [`start_exam`], also returning the exam page.
pub async fn start_exam_page(mut b: Browser, exam: i32) -> anyhow::Result<(Candidate, Reply, Duration)> {
    b.get(&format!("/my/exams/{exam}")).await?;
    let t = Instant::now();
    let reply = b.post(&format!("/my/exams/{exam}/start"), &[]).await?;
    anyhow::ensure!(reply.status == 303, "start: {}", reply.status);
    let attempt = attempt_of(&reply.location).context("started")?;
    let (candidate, page) = open_exam(b, attempt).await?;
    Ok((candidate, page, t.elapsed()))
}

/// The attempt a redirect leads to (`/exam/attempts/{id}`), if it leads to one.
pub fn attempt_of(location: &str) -> Option<i32> {
    capture(location, &ATTEMPT)?.parse().ok()
}

/// Opens the exam page of an attempt, as a reload does (this tab takes the
/// attempt over): the candidate, with the page's device token and questions,
/// and the page.
pub async fn open_exam(mut b: Browser, attempt: i32) -> anyhow::Result<(Candidate, Reply)> {
    let page = b.get(&format!("/exam/attempts/{attempt}")).await?;
    anyhow::ensure!(page.status == 200, "exam page: {}", page.status);
    let device = capture(&page.body, &DEVICE).context("device")?;
    let questions = QUESTION
        .captures_iter(&page.body)
        .filter_map(|c| Some((c[1].parse().ok()?, c[2].to_string())))
        .filter(|(_, kind): &(i32, String)| value(kind, 0).is_some())
        .collect();
    Ok((Candidate { browser: b, attempt, device, questions }, page))
}

/// The value a candidate gives on its n-th answer to a question.
pub fn value(kind: &str, n: usize) -> Option<String> {
    match kind {
        "single" | "multiple" => Some((n % 2).to_string()),
        "true_false" => Some(if n.is_multiple_of(2) { "true" } else { "false" }.to_string()),
        "essay" => Some(format!("第{n}次作答")),
        _ => None,
    }
}

impl Candidate {
    /// The `n`-th answer of this candidate: (position, value), questions in turn.
    pub fn answer(&self, n: usize) -> Option<(i32, String)> {
        let count = self.questions.len().max(1);
        let (pos, kind) = self.questions.get(n % count)?;
        Some((*pos, value(kind, n / count).unwrap_or_default()))
    }

    /// Saves the `n`-th answer of this candidate (questions in turn).
    /// Returns (position, value) and the reply.
    pub async fn save(&mut self, n: usize) -> anyhow::Result<((i32, String), Reply)> {
        let (pos, v) = self.answer(n).context("no questions")?;
        let reply = self.save_value(pos, &v).await?;
        Ok(((pos, v), reply))
    }

    /// Saves `v` as the answer to the question at `pos`.
    pub async fn save_value(&mut self, pos: i32, v: &str) -> anyhow::Result<Reply> {
        let pos_text = pos.to_string();
        let path = format!("/exam/attempts/{}/answer", self.attempt);
        let device = self.device.clone();
        let form = [("device", device.as_str()), ("pos", &pos_text), ("flag", "0"), ("a", v)];
        self.browser.post_fetch(&path, &form).await
    }

    pub async fn submit(&mut self) -> anyhow::Result<Reply> {
        let path = format!("/exam/attempts/{}/submit", self.attempt);
        self.browser.get(&path).await?;
        self.browser.post(&path, &[]).await
    }
}
