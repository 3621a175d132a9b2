//! argon2id hashing behind a bounded gate.
//!
//! Hashing costs ~20 ms of one core. On exam morning thousands of clerks log in
//! at once: the hashes must queue on a few blocking threads, never on the async
//! workers (which would starve every other page), and beyond a queue bound the
//! site answers 503 + Retry-After instead of letting latency grow without limit.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use tokio::sync::Semaphore;

use crate::web::{msg, AppError};

/// Hash with OWASP parameters: argon2id, m = 19 MiB, t = 2, p = 1 (the crate default).
pub fn hash(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!(msg::password_hash_failed(e)))
}

/// Verifies against a stored PHC string; a malformed hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

#[derive(Clone)]
pub struct PasswordGate {
    running: Arc<Semaphore>,
    queued: Arc<AtomicUsize>,
    max_queued: usize,
    /// Checked for unknown user names, so they take as long as wrong passwords.
    dummy_hash: Arc<String>,
    /// Hashes computed so far (lets tests see that unknown names cost a hash too).
    done: Arc<AtomicUsize>,
}

impl PasswordGate {
    /// `parallel` hashes at once (one per core), at most `max_queued` waiting or running.
    pub fn new(parallel: usize, max_queued: usize) -> anyhow::Result<Self> {
        Ok(Self {
            running: Arc::new(Semaphore::new(parallel.max(1))),
            queued: Arc::new(AtomicUsize::new(0)),
            max_queued: max_queued.max(parallel),
            dummy_hash: Arc::new(hash("examhall-dummy-password")?),
            done: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// Sized for this machine: one hash per core, a queue of 64 per core.
    pub fn for_this_machine() -> anyhow::Result<Self> {
        let cores = num_cpus::get();
        Self::new(cores, cores * 64)
    }

    /// Checks `password` against `stored`, or against a dummy hash when the
    /// account does not exist (the result is then always false).
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, AppError> {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| self.dummy_hash.as_str().to_string());
        let ok = self.run(move || verify(&password, &phc)).await?;
        Ok(ok && known)
    }

    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move || hash(&password)).await?.map_err(AppError::Internal)
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let _ticket = QueueTicket::take(&self.queued, self.max_queued).ok_or(AppError::Busy)?;
        let _permit = self.running.acquire().await.map_err(AppError::internal)?;
        let result = actix_web::web::block(work).await?;
        self.done.fetch_add(1, Ordering::Relaxed);
        Ok(result)
    }

    /// How many hashes or verifications this gate has run.
    pub fn hashes_done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }
}

/// A place in the bounded queue, given back when dropped.
struct QueueTicket<'a>(&'a AtomicUsize);

impl<'a> QueueTicket<'a> {
    fn take(counter: &'a AtomicUsize, max: usize) -> Option<Self> {
        counter
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max).then_some(n + 1))
            .ok()
            .map(|_| QueueTicket(counter))
    }
}

impl Drop for QueueTicket<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters() {
        let h = hash("s3cret-pass").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("s3cret-pass", &h));
        assert!(!verify("wrong", &h));
        assert!(!verify("s3cret-pass", "not a hash"));
    }

    #[test]
    fn the_queue_is_bounded() {
        let counter = AtomicUsize::new(0);
        let a = QueueTicket::take(&counter, 2);
        let b = QueueTicket::take(&counter, 2);
        assert!(a.is_some() && b.is_some());
        assert!(QueueTicket::take(&counter, 2).is_none());
        drop(a);
        assert!(QueueTicket::take(&counter, 2).is_some());
    }
}
