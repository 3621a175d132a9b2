//! Signed-in users kept in memory between requests.
//!
//! Every request needs its user (hall, roles, session epoch). Loading them
//! from the database costs a trip to the blocking pool per request, which on
//! exam day is most of an answer save. So a loaded user is kept here and
//! trusted only while
//! - no account change has been committed by this process since it was
//!   loaded (the audit log marks account actions; [`AppState::db`] publishes
//!   them after the work, i.e. after its commit), and
//! - it is younger than [`TTL`], which bounds how late a change made by
//!   another process (the command line, a second server) is seen.
//!
//! Only acceptance is cached: a session the cached copy would end (another
//! epoch, a deactivated account) is checked against the database first.
//!
//! [`AppState::db`]: crate::AppState::db

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use super::CurrentUser;

/// How long a cached user is trusted without any change seen.
pub const TTL: Duration = Duration::from_secs(60);
/// Beyond this many entries the cache starts again (a province has 40,000 clerks).
const MAX_ENTRIES: usize = 100_000;

/// Bumped after every committed account change in this process. Shared by
/// all apps of the process (tests run several): a change in one only makes
/// the others reload.
static GENERATION: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Set by the audit log when the work on this thread changed accounts.
    static CHANGED: Cell<bool> = const { Cell::new(false) };
}

/// Marks that the current database work changes accounts (users, roles, org units).
pub fn note_change() {
    CHANGED.with(|c| c.set(true));
}

/// Called once the work is over (committed or rolled back): a noted change
/// makes every cached user stale.
pub fn publish_changes() {
    if CHANGED.with(|c| c.replace(false)) {
        GENERATION.fetch_add(1, Ordering::AcqRel);
    }
}

/// The generation to tag a load with: read it before loading.
pub fn generation() -> u64 {
    GENERATION.load(Ordering::Acquire)
}

/// What the session check needs of an account.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub user: CurrentUser,
    pub epoch: i32,
    pub active: bool,
}

struct Entry {
    loaded: Loaded,
    generation: u64,
    at: Instant,
}

#[derive(Default)]
pub struct UserCache {
    entries: RwLock<HashMap<i32, Entry>>,
}

impl UserCache {
    /// The cached account, if it is still to be trusted.
    pub fn get(&self, user_id: i32) -> Option<Loaded> {
        let entries = self.entries.read().ok()?;
        let entry = entries.get(&user_id)?;
        (entry.generation == generation() && entry.at.elapsed() < TTL).then(|| entry.loaded.clone())
    }

    /// Keeps an account loaded when the generation was `generation`.
    pub fn put(&self, user_id: i32, loaded: Loaded, generation: u64) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(user_id, Entry { loaded, generation, at: Instant::now() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i32) -> Loaded {
        Loaded {
            user: CurrentUser {
                id,
                username: format!("u{id}"),
                staff_no: None,
                name: "张三".into(),
                hall_id: None,
                hall_name: None,
                grants: vec![],
                must_change_password: false,
            },
            epoch: 1,
            active: true,
        }
    }

    #[test]
    fn an_account_change_makes_cached_users_stale() {
        let cache = UserCache::default();
        let g = generation();
        cache.put(1, user(1), g);
        // Other tests may bump the shared generation: only assert when they did not.
        if generation() == g {
            assert!(cache.get(1).is_some());
        }
        note_change();
        publish_changes();
        assert!(cache.get(1).is_none(), "a committed change makes the entry stale");
        // Publishing again without a new note changes nothing.
        let g = generation();
        cache.put(1, user(1), g);
        publish_changes();
        assert!(generation() != g || cache.get(1).is_some());
    }

    #[test]
    fn a_load_that_raced_a_change_is_not_trusted() {
        let cache = UserCache::default();
        let before = generation();
        note_change();
        publish_changes();
        cache.put(7, user(7), before);
        assert!(cache.get(7).is_none());
    }
}
