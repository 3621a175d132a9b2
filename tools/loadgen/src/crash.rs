//! The crash test: an exam with many candidates saving answers; the server is
//! killed with SIGKILL while saves are in flight, restarted on the same
//! database, and everything the candidates were told is checked, through the
//! database and through the pages, as the candidates.
//!
//!     cargo run -p examhall-loadgen -- crash --clerks 200 --rounds 3
//!
//! What counts as told (acknowledged):
//! - a save, only by `200 {"ok":true,…}`: the handler awaits the answer
//!   writer, which replies after the commit of the transaction holding the
//!   save (src/exam/writer.rs). It must be stored with that value, or with
//!   the value of the same question's next save, sent after it and in flight
//!   at the kill (each simulated clerk has one request in flight at most);
//! - a start, by its `303` to `/exam/attempts/{id}`;
//! - a submit, by its `303`.
//!
//! See docs/RELIABILITY.md.

use std::collections::{BTreeMap, HashMap};
use std::os::unix::process::ExitStatusExt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use examhall::bank::grading::Response;
use examhall::bank::question::Kind;
use examhall::db::{self, Conn};
use examhall::exam::model::{Attempt, Exam, ExamPerson, SUBMITTED};
use examhall::exam::paper::PaperRule;
use examhall::exam::rules;
use examhall::schema::{attempt_items, attempts, question_versions, users};
use rand::Rng;
use tokio::sync::Semaphore;

use crate::client::{self, Browser, Candidate};
use crate::site::{self, Server};

/// What the `crash` command was asked for.
pub struct Options {
    pub clerks: usize,
    pub rounds: usize,
    /// Seconds of saving before each kill: the kill comes at a random moment
    /// of the second half.
    pub run_seconds: f64,
    /// Mean pause of a clerk between two requests (milliseconds).
    pub think_ms: u64,
    /// Share of the clerks still sitting who submit during a round.
    pub submit_share: f64,
    /// Share of the clerks who start only during the first round (so that
    /// some starts are in flight at the kill).
    pub late_share: f64,
    /// Saves each clerk makes after the last restart, before submitting.
    pub final_saves: usize,
    /// A PostgreSQL server to run on instead of a SQLite file.
    pub postgres: Option<String>,
    /// App servers: with 2, the clerks of the killed server carry on at once on
    /// the other (same session key, as behind a load balancer), and the killed
    /// one comes back as the spare.
    pub servers: usize,
    pub workers: usize,
    /// Damage the database while the server is down (the checks must fail).
    pub sabotage: Option<Sabotage>,
}

/// What `--sabotage` does to the database after the first kill, to show
/// that the checks catch it (the run must then fail).
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Sabotage {
    /// An acknowledged answer is rolled back to unanswered.
    Answer,
    /// An attempt's countdown restarts (start and deadline moved to now).
    Clock,
    /// A submitted attempt is submitted again (new time, new score).
    Submit,
    /// An attempt disappears.
    Attempt,
}

/// Largest error allowed on the remaining time (seconds): the page shows
/// whole seconds, and the reply takes time to arrive.
const TOLERANCE: f64 = 2.0;

/// Problems shown in full (the rest are counted).
const SHOWN_PROBLEMS: usize = 30;

#[derive(Default)]
struct Problems(Mutex<Vec<String>>);

impl Problems {
    fn add(&self, text: impl Into<String>) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(text.into());
    }
    fn count(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
    fn all(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The deadlines implied by what the server said ("now + remaining"), as
/// the earliest and latest seen. A page or reply computed at server time s
/// shows ⌊deadline − s⌋ and arrives at r ≥ s, so r + remaining lies in
/// (deadline − 1 s, deadline + latency].
#[derive(Default, Clone, Copy)]
struct Implied {
    range: Option<(NaiveDateTime, NaiveDateTime)>,
    seen: u64,
}

impl Implied {
    fn add(&mut self, deadline: NaiveDateTime) {
        self.seen += 1;
        self.range = Some(match self.range {
            None => (deadline, deadline),
            Some((lo, hi)) => (lo.min(deadline), hi.max(deadline)),
        });
    }

    /// Largest distance (seconds) of an implied deadline from `deadline`.
    fn error(&self, deadline: NaiveDateTime) -> f64 {
        let secs = |d: chrono::Duration| d.num_milliseconds() as f64 / 1000.0;
        self.range.map_or(0.0, |(lo, hi)| secs(deadline - lo).max(secs(hi - deadline)))
    }
}

/// The last acknowledged save of one question.
#[derive(Clone)]
struct Ack {
    value: String,
    at: NaiveDateTime,
}

/// One simulated clerk and everything the server told it.
struct Clerk {
    login: String,
    /// Before the exam page is open; afterwards the candidate's own.
    browser: Browser,
    cand: Option<Candidate>,
    start_sent: Option<NaiveDateTime>,
    /// The attempt a start was acknowledged with (`303` to it).
    attempt: Option<i32>,
    start_acked: Option<NaiveDateTime>,
    /// Next save number (questions in turn).
    n: usize,
    /// Position → the last acknowledged save.
    acked: BTreeMap<i32, Ack>,
    /// Position → values sent after the last acknowledged save of the
    /// question and never acknowledged (in flight at a kill).
    pending: BTreeMap<i32, Vec<String>>,
    saves_acked: u64,
    /// Saves acknowledged after the last restart (the final phase).
    saves_after: u64,
    submit_sent: Option<NaiveDateTime>,
    submit_acked: Option<NaiveDateTime>,
    /// Submitted, as the database says after a restart or an acknowledged submit.
    done: bool,
    /// Seconds into a round's run at which to start, to submit.
    plan_start: Option<f64>,
    plan_submit: Option<f64>,
    /// Observed before the first kill, and after a restart.
    implied_before: Implied,
    implied_after: Implied,
    restarted: bool,
}

fn is_transport(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.is::<reqwest::Error>())
}

static REMAINING: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r#"data-remaining="(\d+)""#).expect("pattern"));
static POS_KIND: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r#"data-pos="(\d+)" data-kind="([a-z_]+)""#).expect("pattern"));
static CHECKED: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r#"<input type="(?:radio|checkbox)" name="a\d+" value="([^"]*)" checked>"#)
        .expect("pattern")
});
static TEXTAREA: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r#"(?s)<textarea [^>]*name="a\d+"[^>]*>(.*?)</textarea>"#).expect("pattern")
});

fn remaining_of_page(body: &str) -> Option<i64> {
    REMAINING.captures(body)?[1].parse().ok()
}

/// The answers an exam page shows, as the values a candidate would send:
/// position → value (None: unanswered).
fn shown_answers(body: &str) -> BTreeMap<i32, Option<String>> {
    let mut shown = BTreeMap::new();
    for chunk in body.split(r#"<fieldset class="question card""#).skip(1) {
        let Some(c) = POS_KIND.captures(chunk) else { continue };
        let Ok(pos) = c[1].parse::<i32>() else { continue };
        let value = if &c[2] == "essay" {
            TEXTAREA.captures(chunk).map(|t| t[1].to_string()).filter(|t| !t.is_empty())
        } else {
            let checked: Vec<String> = CHECKED.captures_iter(chunk).map(|v| v[1].to_string()).collect();
            (!checked.is_empty()).then(|| checked.join(","))
        };
        shown.insert(pos, value);
    }
    shown
}

impl Clerk {
    fn new(login: String, browser: Browser) -> Clerk {
        Clerk {
            login,
            browser,
            cand: None,
            start_sent: None,
            attempt: None,
            start_acked: None,
            n: 0,
            acked: BTreeMap::new(),
            pending: BTreeMap::new(),
            saves_acked: 0,
            saves_after: 0,
            submit_sent: None,
            submit_acked: None,
            done: false,
            plan_start: None,
            plan_submit: None,
            implied_before: Implied::default(),
            implied_after: Implied::default(),
            restarted: false,
        }
    }

    fn browser(&mut self) -> &mut Browser {
        match &mut self.cand {
            Some(c) => &mut c.browser,
            None => &mut self.browser,
        }
    }

    fn observe(&mut self, at: NaiveDateTime, remaining: i64) {
        let implied = at + chrono::Duration::seconds(remaining);
        if self.restarted {
            self.implied_after.add(implied);
        } else {
            self.implied_before.add(implied);
        }
    }

    /// Start page, start (acknowledged by its 303), exam page.
    async fn start(&mut self, exam: i32) -> anyhow::Result<()> {
        self.start_sent = Some(db::now());
        let b = self.browser();
        b.get(&format!("/my/exams/{exam}")).await?;
        let reply = b.post(&format!("/my/exams/{exam}/start"), &[]).await?;
        let attempt = client::attempt_of(&reply.location)
            .with_context(|| format!("start: HTTP {} → {:?}", reply.status.as_u16(), reply.location))?;
        self.attempt = Some(attempt);
        self.start_acked = Some(db::now());
        self.open(attempt).await?;
        Ok(())
    }

    /// Opens the exam page (as a reload does) and notes the remaining time it shows.
    async fn open(&mut self, attempt: i32) -> anyhow::Result<BTreeMap<i32, Option<String>>> {
        let b = self.browser().clone();
        let (cand, page) = client::open_exam(b, attempt).await?;
        let at = db::now();
        let remaining = remaining_of_page(&page.body).context("no remaining time on the exam page")?;
        self.observe(at, remaining);
        if let Some(before) = &self.cand {
            anyhow::ensure!(before.questions == cand.questions, "the paper changed");
        }
        self.cand = Some(cand);
        Ok(shown_answers(&page.body))
    }

    /// The next answer; Ok only when acknowledged.
    async fn save(&mut self) -> anyhow::Result<()> {
        let n = self.n;
        self.n += 1;
        let (pos, value) = self.cand.as_ref().context("no exam page")?.answer(n).context("no questions")?;
        self.send(pos, value).await
    }

    /// Saves `value` for the question at `pos`; Ok only when acknowledged.
    async fn send(&mut self, pos: i32, value: String) -> anyhow::Result<()> {
        let cand = self.cand.as_mut().context("no exam page")?;
        self.pending.entry(pos).or_default().push(value.clone());
        let reply = cand.save_value(pos, &value).await?;
        anyhow::ensure!(
            reply.status == 200 && reply.body.contains(r#""ok":true"#),
            "save: HTTP {} {}",
            reply.status.as_u16(),
            reply.body
        );
        let at = db::now();
        // Sent one at a time: this acknowledgement supersedes every earlier send.
        self.pending.remove(&pos);
        self.acked.insert(pos, Ack { value, at });
        self.saves_acked += 1;
        let remaining = serde_json::from_str::<serde_json::Value>(&reply.body)?["remaining"]
            .as_i64()
            .context("no remaining time in the save reply")?;
        self.observe(at, remaining);
        Ok(())
    }

    /// Confirmation page and submit (acknowledged by its 303).
    async fn submit(&mut self) -> anyhow::Result<()> {
        self.submit_sent = Some(db::now());
        let cand = self.cand.as_mut().context("no exam page")?;
        let reply = cand.submit().await?;
        anyhow::ensure!(reply.status == 303, "submit: HTTP {}", reply.status.as_u16());
        self.submit_acked = Some(db::now());
        self.done = true;
        Ok(())
    }

    /// Values the database (or the page) may hold for a question: the last
    /// acknowledged one, or one sent after it; None only if nothing was acknowledged.
    fn allowed(&self, pos: i32) -> (Option<&str>, Vec<&str>) {
        let acked = self.acked.get(&pos).map(|a| a.value.as_str());
        let later =
            self.pending.get(&pos).map(|v| v.iter().map(String::as_str).collect()).unwrap_or_default();
        (acked, later)
    }
}

struct Shared {
    stop: AtomicBool,
    /// Saves sent and not yet answered.
    in_flight: AtomicUsize,
    problems: Problems,
}

/// A clerk during a round: thinks, then starts, saves or submits, one
/// request at a time, until the kill.
async fn run_clerk(mut c: Clerk, exam: i32, began: Instant, think: Duration, sh: Arc<Shared>) -> Clerk {
    loop {
        let pause = think.mul_f64(2.0 * rand::rng().random::<f64>());
        tokio::time::sleep(pause).await;
        if sh.stop.load(Ordering::SeqCst) {
            break;
        }
        let t = began.elapsed().as_secs_f64();
        let outcome = if c.cand.is_none() {
            if c.plan_start.is_some_and(|s| t < s) {
                continue;
            }
            c.start(exam).await
        } else if c.plan_submit.is_some_and(|s| t >= s) {
            c.submit().await
        } else {
            sh.in_flight.fetch_add(1, Ordering::SeqCst);
            let saved = c.save().await;
            sh.in_flight.fetch_sub(1, Ordering::SeqCst);
            saved
        };
        match outcome {
            Ok(()) if c.done => break,
            Ok(()) => {}
            Err(e) => {
                // A broken connection is the kill; anything else is a refusal.
                if !is_transport(&e) || !sh.stop.load(Ordering::SeqCst) {
                    sh.problems.add(format!("{}: {e:#} (before the kill)", c.login));
                }
                break;
            }
        }
    }
    c
}

/// How a clerk came back after a restart.
#[derive(Default)]
struct Back {
    session_kept: bool,
    /// Reopened the exam page (its answers and remaining time checked).
    reopened: bool,
    /// Kept the page open, as exam.js does, and resent what was in flight.
    kept_page: bool,
    resent: usize,
}

/// After a restart, as the clerk: the same session cookie on the new
/// server; then either the start button (which must lead back to the same
/// attempt, or be refused once submitted) and the exam page (the answers
/// and the remaining time it shows), or — half of those still sitting — the
/// page left open, which resends the saves that failed, as `exam.js` does;
/// and a second submit of a submitted attempt.
async fn resume(
    mut c: Clerk,
    http: reqwest::Client,
    base: String,
    exam: i32,
    stored: Option<(i32, bool)>,
    sh: Arc<Shared>,
) -> (Clerk, Back) {
    c.restarted = true;
    c.browser.base.clone_from(&base);
    if let Some(cand) = &mut c.cand {
        cand.browser.base.clone_from(&base);
    }
    let mut back = Back { session_kept: true, ..Back::default() };
    let keep_page = rand::rng().random::<bool>();
    let run = async {
        let home = c.browser().get(&format!("/my/exams/{exam}")).await?;
        if home.status != 200 {
            back.session_kept = false;
            sh.problems.add(format!(
                "{}: session lost over the restart (HTTP {} → {})",
                c.login,
                home.status.as_u16(),
                home.location
            ));
            let fresh = client::log_in(&http, &base, &c.login).await?.browser;
            if let Some(cand) = &mut c.cand {
                cand.browser = fresh.clone();
            }
            c.browser = fresh;
            c.browser().get(&format!("/my/exams/{exam}")).await?;
        }
        match stored {
            None => {
                // The start never landed (it was in flight, or not sent): start later.
                c.cand = None;
            }
            Some((id, true)) => {
                c.done = true;
                let page = c.browser().get(&format!("/exam/attempts/{id}")).await?;
                if page.location != format!("/my/exams/{exam}") {
                    sh.problems.add(format!("{}: submitted attempt {id} opens ({})", c.login, page.status));
                }
                let again = c.browser().post(&format!("/my/exams/{exam}/start"), &[]).await?;
                if client::attempt_of(&again.location).is_some() {
                    sh.problems.add(format!("{}: started again after submitting", c.login));
                }
                let twice = c.browser().post(&format!("/exam/attempts/{id}/submit"), &[]).await?;
                if twice.status != 303 {
                    sh.problems.add(format!("{}: second submit: HTTP {}", c.login, twice.status.as_u16()));
                }
            }
            Some((id, false)) if keep_page && c.cand.as_ref().is_some_and(|k| k.attempt == id) => {
                // An unacknowledged submit did not land: the clerk is still sitting.
                c.submit_sent = None;
                back.kept_page = true;
                // Each question's current value, for those whose save failed.
                let failed: Vec<(i32, String)> =
                    c.pending.iter().filter_map(|(pos, v)| Some((*pos, v.last()?.clone()))).collect();
                for (pos, value) in failed {
                    c.send(pos, value).await?;
                    back.resent += 1;
                }
            }
            Some((id, false)) => {
                c.submit_sent = None;
                let again = c.browser().post(&format!("/my/exams/{exam}/start"), &[]).await?;
                if client::attempt_of(&again.location) != Some(id) {
                    sh.problems.add(format!(
                        "{}: the start button leads to {:?}, not attempt {id}",
                        c.login, again.location
                    ));
                }
                let shown = c.open(id).await?;
                back.reopened = true;
                c.attempt = Some(id);
                for (pos, value) in shown {
                    let (acked, later) = c.allowed(pos);
                    let fine = match value.as_deref() {
                        None => acked.is_none(),
                        Some(v) => acked == Some(v) || later.contains(&v),
                    };
                    if !fine {
                        sh.problems.add(format!(
                            "{}: the resumed page shows {value:?} for question {pos}; acknowledged {acked:?}",
                            c.login
                        ));
                    }
                }
            }
        }
        anyhow::Ok(())
    };
    if let Err(e) = run.await {
        sh.problems.add(format!("{}: after the restart: {e:#}", c.login));
    }
    (c, back)
}

/// After the last restart: the clerks still sitting save a few more
/// answers (each must be acknowledged) and submit.
async fn finish(mut c: Clerk, exam: i32, saves: usize, sh: Arc<Shared>) -> Clerk {
    if c.done {
        return c;
    }
    let run = async {
        if c.cand.is_none() {
            c.start(exam).await?;
        }
        for _ in 0..saves {
            c.save().await?;
            c.saves_after += 1;
        }
        c.submit().await
    };
    if let Err(e) = run.await {
        sh.problems.add(format!("{}: after the last restart: {e:#}", c.login));
    }
    c
}

/// An attempt as submitted: what must never change afterwards.
type Closed = (Option<NaiveDateTime>, Option<String>, Option<i32>, Option<i32>, bool);

/// What the database holds, against what the clerks were told.
#[derive(Default, Clone)]
struct Check {
    attempts: usize,
    duplicates: usize,
    lost_attempts: usize,
    phantom_attempts: usize,
    torn: usize,
    /// (attempt, question) pairs with an acknowledged save.
    checked: usize,
    as_acked: usize,
    later: usize,
    lost: usize,
    phantom_answers: usize,
    submits_acked: usize,
    submits_kept: usize,
    submitted: usize,
    changed_after_submit: usize,
    deadline_wrong: usize,
    remaining_error: f64,
    remaining_error_after: f64,
    /// login → (attempt, submitted).
    stored: HashMap<String, (i32, bool)>,
}

struct Fixed {
    exam: Exam,
    users: HashMap<String, i32>,
    /// Extra minutes of the people who have them.
    extra: HashMap<i32, i64>,
    paper_size: usize,
}

/// Items of the exam's attempts: (position, option order, response, kind, earned).
type ItemRow = (i32, String, Option<String>, String, Option<i32>);

fn check(
    conn: &mut Conn,
    fixed: &Fixed,
    clerks: &[Clerk],
    closed: &mut HashMap<i32, Closed>,
    problems: &Problems,
    when: &str,
) -> anyhow::Result<Check> {
    let exam = &fixed.exam;
    let all = Attempt::for_exam(conn, exam.id)?;
    let rows: Vec<(i32, ItemRow)> = attempt_items::table
        .inner_join(attempts::table)
        .inner_join(question_versions::table)
        .filter(attempts::exam_id.eq(exam.id))
        .select((
            attempt_items::attempt_id,
            (
                attempt_items::position,
                attempt_items::option_order,
                attempt_items::response,
                question_versions::kind,
                attempt_items::earned,
            ),
        ))
        .load(conn)?;
    let mut items: HashMap<i32, Vec<ItemRow>> = HashMap::new();
    for (attempt, item) in rows {
        items.entry(attempt).or_default().push(item);
    }
    let mut by_user: HashMap<i32, Vec<&Attempt>> = HashMap::new();
    for a in &all {
        by_user.entry(a.user_id).or_default().push(a);
    }
    let mut out = Check { attempts: all.len(), ..Check::default() };
    let ours: std::collections::HashSet<i32> =
        clerks.iter().filter_map(|c| fixed.users.get(&c.login).copied()).collect();
    for a in all.iter().filter(|a| !ours.contains(&a.user_id)) {
        out.phantom_attempts += 1;
        problems.add(format!("{when}: attempt {} of user {} who is no bench clerk", a.id, a.user_id));
    }
    let limit = i64::from(exam.time_limit_minutes);
    for c in clerks {
        let who = &c.login;
        let uid = *fixed.users.get(who).context("clerk without a user")?;
        let mine = by_user.get(&uid).cloned().unwrap_or_default();
        out.duplicates += mine.len().saturating_sub(1);
        if mine.len() > 1 {
            problems.add(format!("{when}: {who} has {} attempts", mine.len()));
        }
        if c.submit_acked.is_some() {
            out.submits_acked += 1;
        }
        let Some(a) = mine.first().copied() else {
            if let Some(id) = c.attempt {
                out.lost_attempts += 1;
                problems.add(format!("{when}: {who}'s acknowledged attempt {id} is gone"));
            }
            continue;
        };
        out.stored.insert(who.clone(), (a.id, a.status == SUBMITTED));
        match c.attempt {
            Some(id) if id != a.id => problems.add(format!("{when}: {who}'s attempt {id} became {}", a.id)),
            None if c.start_sent.is_none() => {
                out.phantom_attempts += 1;
                problems.add(format!("{when}: {who} has attempt {} but never started", a.id));
            }
            _ => {}
        }
        let its = items.get(&a.id).map(Vec::as_slice).unwrap_or_default();
        if its.len() != fixed.paper_size {
            out.torn += 1;
            problems.add(format!(
                "{when}: {who}'s attempt has {} of {} questions",
                its.len(),
                fixed.paper_size
            ));
        }
        // The countdown: the stored deadline is the start plus the time limit,
        // the start is when the clerk pressed the button, and every remaining
        // time the server showed points at that deadline.
        let extra = fixed.extra.get(&uid).copied().unwrap_or(0);
        let expected = rules::deadline(a.started_at, limit, exam.closes_at, extra);
        let second = chrono::Duration::seconds(1);
        let started_ok = c.start_sent.is_none_or(|s| a.started_at >= s - second)
            && c.start_acked.is_none_or(|s| a.started_at <= s + second);
        if (a.deadline_at - expected).abs() > second || !started_ok {
            out.deadline_wrong += 1;
            problems.add(format!(
                "{when}: {who}: started {} deadline {} (expected {expected}; start sent {:?}, acknowledged {:?})",
                a.started_at, a.deadline_at, c.start_sent, c.start_acked
            ));
        }
        for (implied, after) in [(&c.implied_before, false), (&c.implied_after, true)] {
            let error = implied.error(a.deadline_at);
            if error > TOLERANCE {
                problems.add(format!(
                    "{when}: {who}: remaining time off by {error:.1} s {}",
                    if after { "after a restart" } else { "before the kill" }
                ));
            }
            out.remaining_error = out.remaining_error.max(error);
            if after {
                out.remaining_error_after = out.remaining_error_after.max(error);
            }
        }
        // Submission: acknowledged ones stay submitted, nothing submits by
        // itself, and a submitted attempt never changes again.
        let row: Closed = (a.submitted_at, a.submitted_by.clone(), a.earned, a.score, a.marking_pending);
        if a.status == SUBMITTED {
            out.submitted += 1;
            if let Some(acked) = c.submit_acked {
                out.submits_kept += 1;
                // Submitted by that request, not again later.
                let when_ok = c.submit_sent.is_some_and(|sent| {
                    a.submitted_at.is_some_and(|at| at >= sent - second && at <= acked + second)
                });
                if !when_ok {
                    out.changed_after_submit += 1;
                    problems.add(format!(
                        "{when}: {who} submitted at {:?}, not by the request sent {:?} and acknowledged {acked}",
                        a.submitted_at, c.submit_sent
                    ));
                }
            }
            if c.submit_sent.is_none() {
                problems.add(format!("{when}: {who}'s attempt submitted ({:?}) unasked", a.submitted_by));
            }
            let earned: Option<i64> = its.iter().map(|i| i.4.map(i64::from)).sum();
            let graded = earned.is_some_and(|e| {
                a.earned == Some(e as i32)
                    && a.score == Some(rules::score(e, i64::from(a.possible)) as i32)
                    && a.submitted_at.is_some()
                    && a.submitted_by.as_deref() == Some("self")
            });
            if !graded {
                out.torn += 1;
                problems.add(format!("{when}: {who}'s submitted attempt {} is half graded", a.id));
            }
            match closed.get(&a.id) {
                Some(before) if *before != row => {
                    out.changed_after_submit += 1;
                    problems.add(format!(
                        "{when}: {who}'s attempt changed after submitting: {before:?} → {row:?}"
                    ));
                }
                Some(_) => {}
                None => {
                    closed.insert(a.id, row);
                }
            }
        } else {
            if c.submit_acked.is_some() {
                problems.add(format!("{when}: {who}'s acknowledged submit is lost"));
            }
            if closed.contains_key(&a.id) {
                out.changed_after_submit += 1;
                problems.add(format!("{when}: {who}'s submitted attempt is in progress again"));
            }
            if a.submitted_at.is_some() || a.score.is_some() {
                out.torn += 1;
                problems.add(format!("{when}: {who}'s attempt in progress has a submission"));
            }
        }
        // Answers.
        for (pos, order, response, kind, _) in its {
            let kind = Kind::parse_code(kind).context("question kind")?;
            let order: Vec<usize> = serde_json::from_str(order)?;
            let stored: Option<Response> = response.as_deref().map(serde_json::from_str).transpose()?;
            let as_response = |v: &str| {
                examhall::exam::answer::parse(kind, &order, 0, &[v.to_string()])
                    .map_err(|e| anyhow::anyhow!(e))
            };
            let (acked, later) = c.allowed(*pos);
            let mut is_later = false;
            for v in &later {
                is_later |= as_response(v)? == stored;
            }
            match acked {
                Some(v) => {
                    out.checked += 1;
                    if as_response(v)? == stored {
                        out.as_acked += 1;
                    } else if is_later && stored.is_some() {
                        out.later += 1;
                    } else {
                        out.lost += 1;
                        problems.add(format!(
                            "{when}: {who} question {pos}: acknowledged {v:?}, stored {stored:?}"
                        ));
                    }
                }
                None if stored.is_some() && !is_later => {
                    out.phantom_answers += 1;
                    problems.add(format!("{when}: {who} question {pos}: {stored:?} stored, never sent"));
                }
                None => {}
            }
        }
    }
    Ok(out)
}

fn sabotage(conn: &mut Conn, fixed: &Fixed, clerks: &[Clerk], kind: Sabotage) -> anyhow::Result<()> {
    let now = db::now();
    let attempt_of = |c: &Clerk| c.attempt.context("a clerk with an attempt");
    let sitting = clerks.iter().find(|c| c.attempt.is_some() && !c.done && !c.acked.is_empty());
    let n = match kind {
        Sabotage::Answer => {
            let c = sitting.context("a clerk with an acknowledged answer")?;
            let pos = *c.acked.keys().next().context("an answer")?;
            diesel::update(
                attempt_items::table
                    .filter(attempt_items::attempt_id.eq(attempt_of(c)?))
                    .filter(attempt_items::position.eq(pos)),
            )
            .set(attempt_items::response.eq(None::<String>))
            .execute(conn)?
        }
        Sabotage::Clock => {
            let c = sitting.context("a clerk sitting")?;
            let limit = chrono::Duration::minutes(i64::from(fixed.exam.time_limit_minutes));
            diesel::update(attempts::table.find(attempt_of(c)?))
                .set((attempts::started_at.eq(now), attempts::deadline_at.eq(now + limit)))
                .execute(conn)?
        }
        Sabotage::Submit => {
            let c = clerks.iter().find(|c| c.done).or(sitting).context("a clerk with an attempt")?;
            diesel::update(attempts::table.find(attempt_of(c)?))
                .set((
                    attempts::status.eq(SUBMITTED),
                    attempts::submitted_at.eq(Some(now)),
                    attempts::submitted_by.eq(Some("deadline")),
                    attempts::score.eq(Some(0)),
                ))
                .execute(conn)?
        }
        Sabotage::Attempt => {
            let id = attempt_of(sitting.context("a clerk sitting")?)?;
            diesel::delete(attempt_items::table.filter(attempt_items::attempt_id.eq(id))).execute(conn)?;
            diesel::delete(attempts::table.find(id)).execute(conn)?
        }
    };
    eprintln!("  --sabotage {kind:?}: {n} row(s) changed while the server is down");
    Ok(())
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// One kill and restart, for the table.
struct Round {
    kill_after: f64,
    in_flight: usize,
    last_ack_ms: Option<i64>,
    saves_acked: u64,
    down: Check,
    up: Check,
    sessions: (usize, usize),
    pages: usize,
    kept_pages: usize,
    resent: usize,
    restart: Duration,
}

fn secs(d: f64) -> String {
    format!("{d:.3} s")
}

pub fn crash(o: Options) -> anyhow::Result<()> {
    eprintln!("准备数据库：{} 名考生…", o.clerks);
    let site = site::prepare_on(o.clerks, o.postgres.as_deref())?;
    let backend =
        if site.postgres.is_some() { "PostgreSQL" } else { examhall::db::Tuning::default().sqlite_label() };
    let backend = if o.servers > 1 {
        format!("{backend} · 两台应用服务器，被杀后考生转到另一台")
    } else {
        backend.to_string()
    };
    let fixed = {
        let mut conn = site.pool.get()?;
        let exam = Exam::find(&mut conn, site.exam)?;
        let users: HashMap<String, i32> = users::table
            .select((users::staff_no, users::id))
            .load::<(Option<String>, i32)>(&mut conn)?
            .into_iter()
            .filter_map(|(s, id)| Some((s?, id)))
            .collect();
        anyhow::ensure!(
            Attempt::for_exam(&mut conn, exam.id)?.is_empty(),
            "the open exam has attempts already"
        );
        let paper_size = match exam.paper_rule()? {
            PaperRule::Fixed { items } => items.len(),
            PaperRule::Sections { sections, .. } => sections.iter().map(|s| s.count).sum(),
        };
        let extra = ExamPerson::for_exam(&mut conn, exam.id)?
            .into_iter()
            .map(|p| (p.user_id, i64::from(p.extra_minutes)))
            .collect();
        Fixed { exam, users, extra, paper_size }
    };
    let exam = fixed.exam.id;
    let mut server = Server::start_with(&site, o.workers, true)?;
    // Started second, it reads the session key file the first one wrote.
    let mut spare = if o.servers > 1 { Some(Server::start_with(&site, o.workers, true)?) } else { None };
    let http = client::http()?;
    println!(
        "examhall 崩溃测试 · {} · {} 核 · 考生 {} · {} 轮 SIGKILL + 重启 · 服务器 {} 个工作线程 · {backend}",
        chrono::Local::now().format("%Y-%m-%d %H:%M"),
        crate::cores(),
        o.clerks,
        o.rounds,
        o.workers
    );
    let sh = Arc::new(Shared {
        stop: AtomicBool::new(false),
        in_flight: AtomicUsize::new(0),
        problems: Problems::default(),
    });
    let think = Duration::from_millis(o.think_ms);
    let mut closed: HashMap<i32, Closed> = HashMap::new();
    let mut rounds: Vec<Round> = Vec::new();
    let started = Instant::now();
    let (clerks, last) = runtime()?.block_on(async {
        eprintln!("登录并开考…");
        let gate = Arc::new(Semaphore::new(32));
        let tasks: Vec<_> = site
            .logins
            .iter()
            .map(|login| {
                let (http, base, login, gate) =
                    (http.clone(), server.base.clone(), login.clone(), gate.clone());
                let late = rand::rng().random::<f64>() < o.late_share;
                let plan = late.then(|| rand::rng().random::<f64>() * o.run_seconds);
                tokio::spawn(async move {
                    let _permit = gate.acquire().await?;
                    let browser = client::log_in(&http, &base, &login).await?.browser;
                    let mut c = Clerk::new(login, browser);
                    c.plan_start = plan;
                    if plan.is_none() {
                        c.start(exam).await?;
                    }
                    anyhow::Ok(c)
                })
            })
            .collect();
        let mut clerks = Vec::new();
        for t in tasks {
            clerks.push(t.await??);
        }
        eprintln!(
            "  {} 人已登录，{} 人已开考",
            clerks.len(),
            clerks.iter().filter(|c| c.cand.is_some()).count()
        );

        for round in 1..=o.rounds {
            let mut rng = rand::rng();
            for c in clerks.iter_mut().filter(|c| !c.done) {
                c.plan_submit =
                    (rng.random::<f64>() < o.submit_share).then(|| rng.random::<f64>() * o.run_seconds);
                if round > 1 {
                    c.plan_start = None;
                }
            }
            let kill_after = o.run_seconds * (0.5 + 0.5 * rng.random::<f64>());
            sh.stop.store(false, Ordering::SeqCst);
            let began = Instant::now();
            let (sitting, mut done): (Vec<Clerk>, Vec<Clerk>) = clerks.into_iter().partition(|c| !c.done);
            eprintln!("第 {round} 轮：{} 人作答，{kill_after:.1} 秒后 SIGKILL…", sitting.len());
            // The kill waits (up to 2 s) for one save in flight per 20 clerks sitting.
            let wanted = (sitting.len() / 20).max(1);
            let tasks: Vec<_> = sitting
                .into_iter()
                .map(|c| tokio::spawn(run_clerk(c, exam, began, think, sh.clone())))
                .collect();
            tokio::time::sleep(Duration::from_secs_f64(kill_after)).await;
            // Kill while saves are in flight.
            let waited = Instant::now();
            while sh.in_flight.load(Ordering::SeqCst) < wanted && waited.elapsed() < Duration::from_secs(2) {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            sh.stop.store(true, Ordering::SeqCst);
            let in_flight = sh.in_flight.load(Ordering::SeqCst);
            let killed_at = db::now();
            let (status, ended_before) = server.kill()?;
            let kill_after = began.elapsed().as_secs_f64();
            if ended_before {
                sh.problems.add(format!("round {round}: the server had stopped by itself: {status}"));
            } else if status.signal() != Some(9) {
                sh.problems.add(format!("round {round}: the server ended with {status}, not SIGKILL"));
            }
            for t in tasks {
                done.push(t.await?);
            }
            clerks = done;
            if let (1, Some(kind)) = (round, o.sabotage) {
                sabotage(&mut *site.pool.get()?, &fixed, &clerks, kind)?;
            }
            let last_ack = clerks
                .iter()
                .flat_map(|c| c.acked.values())
                .map(|a| a.at)
                .filter(|at| *at <= killed_at)
                .max();
            let saves_acked = clerks.iter().map(|c| c.saves_acked).sum();
            eprintln!("  已杀死（在途保存 {in_flight}），核对数据库…");
            let down = check(
                &mut *site.pool.get()?,
                &fixed,
                &clerks,
                &mut closed,
                &sh.problems,
                &format!("round {round}, server down"),
            )?;

            let t = Instant::now();
            let restart = match spare.take() {
                // Two servers: the clerks go on at once on the other one; the
                // killed server comes back as the spare for the next round.
                Some(other) => {
                    server = other;
                    let switched = t.elapsed();
                    spare = Some(Server::start_with(&site, o.workers, true)?);
                    eprintln!("  考生转到另一台服务器续考（被杀的服务器已重启为备用）…");
                    switched
                }
                None => {
                    server = Server::start_with(&site, o.workers, true)?;
                    let restart = t.elapsed();
                    eprintln!("  已重启（{:.2} 秒），考生续考…", restart.as_secs_f64());
                    restart
                }
            };
            let gate = Arc::new(Semaphore::new(64));
            let tasks: Vec<_> = clerks
                .into_iter()
                .map(|c| {
                    let stored = down.stored.get(&c.login).copied();
                    let (http, base, gate, sh) =
                        (http.clone(), server.base.clone(), gate.clone(), sh.clone());
                    tokio::spawn(async move {
                        let _permit = gate.acquire().await;
                        resume(c, http, base, exam, stored, sh).await
                    })
                })
                .collect();
            let (mut kept, mut pages, mut kept_pages, mut resent) = (0, 0, 0, 0);
            clerks = Vec::new();
            for t in tasks {
                let (c, back) = t.await?;
                kept += usize::from(back.session_kept);
                pages += usize::from(back.reopened);
                kept_pages += usize::from(back.kept_page);
                resent += back.resent;
                clerks.push(c);
            }
            let up = check(
                &mut *site.pool.get()?,
                &fixed,
                &clerks,
                &mut closed,
                &sh.problems,
                &format!("round {round}, restarted"),
            )?;
            rounds.push(Round {
                kill_after,
                in_flight,
                last_ack_ms: last_ack.map(|at| (killed_at - at).num_milliseconds()),
                saves_acked,
                sessions: (kept, clerks.len()),
                pages,
                kept_pages,
                resent,
                down,
                up,
                restart,
            });
        }

        eprintln!("最后一次重启后：继续保存 {} 次并交卷…", o.final_saves);
        let tasks: Vec<_> =
            clerks.into_iter().map(|c| tokio::spawn(finish(c, exam, o.final_saves, sh.clone()))).collect();
        let mut clerks = Vec::new();
        for t in tasks {
            clerks.push(t.await?);
        }
        let last = check(
            &mut *site.pool.get()?,
            &fixed,
            &clerks,
            &mut closed,
            &sh.problems,
            "after the last restart",
        )?;
        anyhow::Ok((clerks, last))
    })?;
    drop(server);

    // The figures.
    println!("\n### 崩溃与重启（每轮：SIGKILL 时有保存在途；核对为重启后）\n");
    println!("| 轮次 | 杀死时刻 | 杀死时在途保存 | 最后一次确认距杀死 | 已确认保存（累计） | 核对（考生×题） | 为确认值 / 为其后在途值 | 丢失 | 作答记录 / 重复 / 丢失 | 已确认交卷 / 仍为已交 | 会话保持 | 剩余时间最大误差 | 重启用时 |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (i, r) in rounds.iter().enumerate() {
        let u = &r.up;
        println!(
            "| {} | {:.1} s | {} | {} | {} | {} | {} / {} | {} | {} / {} / {} | {} / {} | {} / {} | {} | {:.2} s |",
            i + 1,
            r.kill_after,
            r.in_flight,
            r.last_ack_ms.map_or("—".to_string(), |ms| format!("{ms} ms")),
            r.saves_acked,
            u.checked,
            u.as_acked,
            u.later,
            u.lost.max(r.down.lost),
            u.attempts,
            u.duplicates.max(r.down.duplicates),
            u.lost_attempts.max(r.down.lost_attempts),
            u.submits_acked,
            u.submits_kept,
            r.sessions.0,
            r.sessions.1,
            secs(u.remaining_error),
            r.restart.as_secs_f64(),
        );
    }
    let saves: u64 = clerks.iter().map(|c| c.saves_acked).sum();
    let after: u64 = clerks.iter().map(|c| c.saves_after).sum();
    let kept: usize = rounds.iter().map(|r| r.sessions.0).sum();
    let resumed: usize = rounds.iter().map(|r| r.sessions.1).sum();
    let pages: usize = rounds.iter().map(|r| r.pages).sum();
    let kept_pages: usize = rounds.iter().map(|r| r.kept_pages).sum();
    let resent: usize = rounds.iter().map(|r| r.resent).sum();
    let worst = |f: fn(&Check) -> usize| {
        rounds.iter().flat_map(|r| [f(&r.down), f(&r.up)]).chain([f(&last)]).max().unwrap_or(0)
    };
    let lost = worst(|c| c.lost);
    let max_error_after =
        rounds.iter().map(|r| r.up.remaining_error_after).fold(last.remaining_error_after, f64::max);
    let max_error = rounds.iter().map(|r| r.up.remaining_error).fold(last.remaining_error, f64::max);
    let seen_after: u64 = clerks.iter().map(|c| c.implied_after.seen).sum();
    let restart = rounds.iter().map(|r| r.restart.as_secs_f64()).fold(0.0, f64::max);
    let all_done = clerks.iter().filter(|c| c.done).count();
    let mut t: Vec<(String, String, &str)> = Vec::new();
    t.push(("考生".into(), o.clerks.to_string(), "—"));
    t.push(("SIGKILL + 重启".into(), format!("{} 轮（信号 9，保存进行中）", rounds.len()), "—"));
    t.push(("已确认的保存（200 ok，全部轮次与重启后）".into(), saves.to_string(), "—"));
    t.push((
        "已确认的答案（考生×题，核对其最后确认值）".into(),
        format!("{}（其中 {} 为其后在途的值）", last.checked, last.later),
        "—",
    ));
    t.push(("在库且为确认值".into(), format!("{} / {}", last.as_acked + last.later, last.checked), "全部"));
    t.push(("丢失（任一轮，停机时或重启后）".into(), lost.to_string(), "0"));
    t.push(("凭空出现的答案".into(), worst(|c| c.phantom_answers).to_string(), "0"));
    t.push(("作答记录（每人一条）".into(), format!("{} / {}", last.attempts, o.clerks), "全部"));
    t.push((
        "重复 / 丢失 / 多出的作答记录".into(),
        format!(
            "{} / {} / {}",
            worst(|c| c.duplicates),
            worst(|c| c.lost_attempts),
            worst(|c| c.phantom_attempts)
        ),
        "0 / 0 / 0",
    ));
    t.push(("半截的作答记录（题目不全、交卷未评完）".into(), worst(|c| c.torn).to_string(), "0"));
    let before: usize = rounds.last().map_or(0, |r| r.up.submits_kept);
    t.push((
        "杀死前已确认的交卷：仍为已交、分数不变".into(),
        format!("{before} / {}", rounds.last().map_or(0, |r| r.up.submits_acked)),
        "全部",
    ));
    t.push(("重复交卷或交卷后被改动".into(), worst(|c| c.changed_after_submit).to_string(), "0"));
    t.push(("截止时间 ≠ 开考时间 + 时限".into(), worst(|c| c.deadline_wrong).to_string(), "0"));
    t.push((
        "剩余时间最大误差：重启后（续考页与保存回复，对开考时间 + 时限 − 当前）".into(),
        format!("{}（{seen_after} 次）；全部 {}", secs(max_error_after), secs(max_error)),
        "≤ 2 s",
    ));
    t.push(("重启后会话保持（同一 Cookie）".into(), format!("{kept} / {resumed}"), "全部"));
    t.push((
        "重启后续考：重新打开试卷页（核对） / 保留原页面（重发失败的保存）".into(),
        format!("{pages} / {kept_pages}（重发 {resent} 次，全部确认）"),
        "—",
    ));
    t.push((
        "最后一次重启后：继续保存 / 交卷".into(),
        format!("{after} 次保存已确认；{all_done} / {} 人已交卷", o.clerks),
        "全部",
    ));
    t.push(("重启用时（最长）".into(), format!("{restart:.2} s"), "—"));
    t.push(("总时长".into(), format!("{:.0} s", started.elapsed().as_secs_f64()), "—"));
    let problems = sh.problems.all();
    t.push(("问题".into(), problems.len().to_string(), "0"));
    println!("\n### 崩溃测试核对\n");
    println!("| 指标 | 数值 | 目标 |");
    println!("|---|---|---|");
    for (a, b, c) in &t {
        println!("| {a} | {b} | {c} |");
    }
    if !problems.is_empty() {
        eprintln!("\n问题（{} 个）：", problems.len());
        for p in problems.iter().take(SHOWN_PROBLEMS) {
            eprintln!("- {p}");
        }
        if problems.len() > SHOWN_PROBLEMS {
            eprintln!("- …以及另外 {} 个", problems.len() - SHOWN_PROBLEMS);
        }
        let log = site.dir.path().join("server.log");
        let kept = std::env::temp_dir().join(format!("examhall-crash-{}.log", std::process::id()));
        if std::fs::copy(&log, &kept).is_ok() {
            eprintln!("服务器日志：{}", kept.display());
        }
    }
    anyhow::ensure!(sh.problems.count() == 0, "crash test failed: {} problems", problems.len());
    anyhow::ensure!(all_done == o.clerks, "not every clerk submitted");
    println!("\n结果：通过");
    Ok(())
}
