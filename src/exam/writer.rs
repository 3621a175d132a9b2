//! The answer writer: one thread that writes every fetch() save, many saves
//! per transaction (group commit).
//!
//! On exam day a whole city saves an answer at every click. With each save a
//! transaction of its own on the blocking pool, the pool's connections fight
//! for SQLite's single write lock: the losers sleep in the busy handler and
//! every save pays a commit. Here the saves queue on a channel; the writer
//! takes whatever has queued (up to [`MAX_BATCH`]), runs each save's checks
//! and `UPDATE` in one `BEGIN IMMEDIATE` transaction, commits once and then
//! acknowledges each. A save is acknowledged only after the commit that holds
//! it, so an acknowledged answer is never lost.
//!
//! SQLite has one write lock, so it gets one writer. PostgreSQL commits
//! several transactions at once (its single-row commit rate is ~3× higher
//! with 16 connections than with one): it gets [`PG_WRITERS`] writer threads,
//! each with its own connection and its own queue. An attempt's saves always
//! go to the same writer (by attempt id), so they are committed in the order
//! they came: a retry sent while the first try is still being written (the
//! page timed out) can never be overwritten by that older try.
//!
//! If the batch fails as a whole, each of its saves is retried alone, so one
//! save's trouble is not its neighbours' (on a full disk a short answer may
//! still fit where a long one does not). Only a batch refused because the
//! database stayed locked past the busy timeout is refused as a whole: alone,
//! each save would wait that long again. A refused save is never
//! acknowledged; the page keeps the answer and retries (see [`DbFault`]).

use std::sync::mpsc;

use tokio::sync::oneshot;

use super::model::SaveOutcome;
use super::refusal::ExamRefusal;
use super::routes::sit::save::save_fast;
use crate::db::{write, DbPool};
use crate::web::error::DbFault;
use crate::web::{AppError, AppResult};

/// At most this many saves share one transaction.
pub const MAX_BATCH: usize = 256;

/// Writer threads on PostgreSQL (each holds one pool connection while it writes).
pub const PG_WRITERS: usize = 4;

/// One answer to save: whose attempt, from which device, which question.
pub struct Save {
    pub attempt: i32,
    pub user: i32,
    pub device: String,
    pub position: i32,
    pub values: Vec<String>,
    pub flagged: bool,
    /// The client's address: the exam's IP ranges hold for every save.
    pub ip: Option<std::net::IpAddr>,
}

type Outcome = AppResult<Result<SaveOutcome, ExamRefusal>>;

struct Job {
    save: Save,
    reply: oneshot::Sender<Outcome>,
}

/// The handle request handlers use; the thread stops when the last handle
/// (the app state) is dropped.
#[derive(Clone)]
pub struct Writer {
    /// One queue per writer thread; an attempt's saves use one of them.
    jobs: Vec<mpsc::Sender<Job>>,
}

impl Writer {
    /// Starts the thread; its saves are timed by `clock`, the app's (the
    /// grace period and deadlines are checked against it).
    pub fn start(pool: DbPool, clock: crate::time::Clock) -> std::io::Result<Self> {
        let postgres = pool.get().is_ok_and(|c| matches!(*c, crate::db::Conn::Pg(_)));
        // Never more writers than leave the pool half its connections for pages.
        let max = usize::try_from(pool.max_size() / 2).unwrap_or(1);
        let writers = if postgres { PG_WRITERS.min(max).max(1) } else { 1 };
        let mut jobs = Vec::with_capacity(writers);
        for n in 0..writers {
            let (sender, queue) = mpsc::channel::<Job>();
            jobs.push(sender);
            let (pool, clock) = (pool.clone(), clock.clone());
            std::thread::Builder::new().name(format!("answer-writer-{n}")).spawn(move || {
                clock.install_for_thread();
                run(&pool, &queue)
            })?;
        }
        Ok(Self { jobs })
    }

    /// Saves one answer; resolves once it is committed (or refused).
    pub async fn save(&self, save: Save) -> Outcome {
        let (reply, outcome) = oneshot::channel();
        let queue = &self.jobs[save.attempt.unsigned_abs() as usize % self.jobs.len()];
        queue.send(Job { save, reply }).map_err(|_| AppError::Busy)?;
        outcome.await.map_err(|_| AppError::Busy)?
    }
}

/// The next batch: blocks for its first save, then takes whatever has
/// queued. None once the app is gone.
fn next_batch(queue: &mpsc::Receiver<Job>) -> Option<Vec<Job>> {
    let first = queue.recv().ok()?;
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        match queue.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    Some(batch)
}

fn run(pool: &DbPool, queue: &mpsc::Receiver<Job>) {
    // Ends with the app.
    while let Some(batch) = next_batch(queue) {
        // A bug must not stop exam-day saving: the batch's savers are
        // answered 503 (their replies are dropped) and the writer goes on.
        let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| write_batch(pool, batch)));
        if written.is_err() {
            tracing::error!("answer writer: a batch panicked; its saves were refused");
        }
    }
}

fn write_batch(pool: &DbPool, batch: Vec<Job>) {
    let mut conn = match pool.get() {
        Ok(conn) => conn,
        Err(err) => {
            tracing::error!("answer writer: no connection: {err}");
            for job in batch {
                let _ = job.reply.send(Err(AppError::Unavailable(DbFault::Unreachable)));
            }
            return;
        }
    };
    // A refusal (someone else's attempt, a bad answer) is that save's outcome;
    // only a database error undoes the batch.
    let together: AppResult<Vec<Outcome>> = write(&mut conn, |conn| {
        let mut outcomes = Vec::with_capacity(batch.len());
        for job in &batch {
            match apply(conn, &job.save) {
                Err(AppError::Db(err)) if !matches!(err, diesel::result::Error::NotFound) => {
                    return Err(AppError::Db(err))
                }
                outcome => outcomes.push(outcome),
            }
        }
        Ok(outcomes)
    });
    match together {
        Ok(outcomes) => {
            for (job, outcome) in batch.into_iter().zip(outcomes) {
                // The candidate may have gone (closed the tab): the answer is saved regardless.
                let _ = job.reply.send(outcome);
            }
        }
        // Locked past the busy timeout: saving one by one would wait it out
        // again for every save while the queue grows. All are refused, none
        // acknowledged; the pages keep the answers and retry.
        Err(err) if err.fault() == Some(DbFault::Busy) => {
            tracing::warn!("answer writer: batch of {} refused, database locked: {err:?}", batch.len());
            for job in batch {
                let _ = job.reply.send(Err(AppError::Unavailable(DbFault::Busy)));
            }
        }
        Err(err) => {
            tracing::warn!("answer writer: batch of {} failed ({err}), saving one by one", batch.len());
            for job in batch {
                let alone = write(&mut conn, |conn| apply(conn, &job.save));
                let _ = job.reply.send(alone);
            }
        }
    }
}

fn apply(conn: &mut crate::db::Conn, s: &Save) -> Outcome {
    save_fast(conn, s)
}
