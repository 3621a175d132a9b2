//! argon2id hashing behind a bounded gate.
//!
//! Hashing costs ~20 ms of one core. On exam morning thousands of clerks log in
//! at once: the hashes must queue on a few blocking threads, never on the async
//! workers (which would starve every other page), and beyond a queue bound the
//! site answers 503 + Retry-After instead of letting latency grow without limit.
//!
//! The hashes run on the gate's own threads, one per core, at a lower CPU
//! priority (nice 10): a login storm then uses every idle cycle, yet a page
//! or an answer save arriving meanwhile is scheduled ahead of the hashing
//! instead of waiting for its time slice.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};

use std::cell::RefCell;

use argon2::password_hash::phc::{Output, PasswordHash};
use argon2::password_hash::PasswordHasher;
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::oneshot;

use crate::web::{msg, AppError};

/// Hash with OWASP parameters: argon2id, m = 19 MiB, t = 2, p = 1 (the crate default).
pub fn hash(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!(msg::password_hash_failed(e)))
}

thread_local! {
    /// argon2's working memory (19 MiB), kept by each hashing thread between
    /// checks. Allocating it per check made glibc's heaps grow to 500+ MiB
    /// under a login storm, and returning it to the kernel each time cost
    /// page faults worth a third of the hash (measured, docs/PERFORMANCE.md).
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Verifies against a stored PHC string; a malformed hash never matches.
/// What the crate's `verify_password` does, on the thread's kept memory.
pub fn verify(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else { return false };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else { return false };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm.as_str()) else { return false };
    let Ok(version) = parsed.version.map(Version::try_from).transpose() else { return false };
    let Ok(params) = Params::try_from(&parsed) else { return false };
    let blocks = params.block_count();
    let argon2 = Argon2::new(algorithm, version.unwrap_or_default(), params);
    let mut out = vec![0u8; expected.len()];
    let hashed = MEMORY.with(|memory| {
        let Ok(mut memory) = memory.try_borrow_mut() else { return false };
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        argon2
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..blocks])
            .is_ok()
    });
    // Output's equality is constant-time.
    hashed && Output::new(&out).is_ok_and(|computed| &computed == expected)
}

type Work = Box<dyn FnOnce() + Send>;

#[derive(Clone)]
pub struct PasswordGate {
    /// To the hashing threads; they stop when the last clone of the gate goes.
    work: mpsc::Sender<Work>,
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
        let (work, queue) = mpsc::channel::<Work>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..parallel.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new().name(format!("argon2-{n}")).spawn(move || hashing_thread(&queue))?;
        }
        Ok(Self {
            work,
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
        let (reply, result) = oneshot::channel();
        let job: Work = Box::new(move || {
            let _ = reply.send(work());
        });
        self.work.send(job).map_err(|_| AppError::Busy)?;
        let result = result.await.map_err(|_| AppError::Busy)?;
        self.done.fetch_add(1, Ordering::Relaxed);
        Ok(result)
    }

    /// How many hashes or verifications this gate has run.
    pub fn hashes_done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }
}

/// One of the gate's threads: lowers its own priority, then hashes what comes.
fn hashing_thread(queue: &Mutex<mpsc::Receiver<Work>>) {
    lower_priority();
    loop {
        // Hold the lock only to take the next job, not while hashing it.
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

/// nice 10 for the calling thread (on Linux a thread has its own nice value).
#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: setpriority only reads its integer arguments; `who` 0 is the calling thread.
    let rc = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, 10) };
    if rc != 0 {
        tracing::debug!("argon2 threads keep normal priority: {}", std::io::Error::last_os_error());
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

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
    fn hashes_with_other_parameters_still_verify() {
        // A hash made with older, smaller parameters; then the default ones
        // on the same thread, whose kept memory must grow and be reused.
        let small = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(4096, 1, 1, None).unwrap())
            .hash_password(b"old-pass")
            .unwrap()
            .to_string();
        assert!(verify("old-pass", &small));
        assert!(!verify("old-pass!", &small));
        let big = hash("new-pass").unwrap();
        assert!(verify("new-pass", &big));
        assert!(verify("old-pass", &small), "smaller parameters after bigger ones");
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, Params::new(4096, 1, 1, None).unwrap())
            .hash_password(b"old-pass")
            .unwrap()
            .to_string();
        assert!(verify("old-pass", &argon2i), "the algorithm comes from the stored hash");
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
