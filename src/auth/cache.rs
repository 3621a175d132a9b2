//! Signed-in users kept in memory between requests.
//!
//! Every request needs its user (hall, roles, session epoch). Loading them
//! from the database costs a trip to the blocking pool per request, which on
//! exam day is most of an answer save. So a loaded user is kept here and
//! trusted only while
//! - no account change has been committed by this process since it was
//!   loaded (every model function that writes users, their grants or org
//!   units calls [`note_change`] itself, so no new kind of change can skip
//!   it; [`AppState::db`] publishes them after the work, i.e. after its
//!   commit), and
//! - it is younger than [`TTL`], which bounds how late a change made by
//!   another process (the command line, a second server) is seen.
//!
//! Only acceptance is cached: a session the cached copy would end (another
//! epoch, a deactivated account, a logged-out session id) is checked against
//! the database first.
//!
//! A logout forgets only its own user ([`UserCache::forget`]): logouts come by
//! the thousand after an exam, and emptying the whole cache for each would
//! send every clerk's next save to the database.
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
    /// Set by the account-writing model functions when the work on this thread changed accounts.
    static CHANGED: Cell<bool> = const { Cell::new(false) };
}

/// Marks that the current database work changes accounts (users, roles, org
/// units): called by `accounts::User` and `org::OrgUnit` in each function
/// that writes them.
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

fn generation() -> u64 {
    GENERATION.load(Ordering::Acquire)
}

/// When a load started: take it before loading, and hand it to [`UserCache::put`].
#[derive(Debug, Clone, Copy)]
pub struct Ticket {
    generation: u64,
    at: Instant,
}

pub fn ticket() -> Ticket {
    Ticket { generation: generation(), at: Instant::now() }
}

/// What the session check needs of an account.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub user: CurrentUser,
    pub epoch: i32,
    pub active: bool,
    /// Session ids of this account ended by logout (see [`super::revoked`]).
    pub revoked: Vec<String>,
}

struct Entry {
    loaded: Loaded,
    generation: u64,
    at: Instant,
}

#[derive(Default)]
struct Entries {
    loaded: HashMap<i32, Entry>,
    /// When each user was last forgotten: a load that started before then may
    /// have read the account as it was, and must not be kept.
    forgotten: HashMap<i32, Instant>,
}

#[derive(Default)]
pub struct UserCache {
    entries: RwLock<Entries>,
}

impl UserCache {
    /// The cached account, if it is still to be trusted.
    pub fn get(&self, user_id: i32) -> Option<Loaded> {
        let entries = self.entries.read().ok()?;
        let entry = entries.loaded.get(&user_id)?;
        (entry.generation == generation() && entry.at.elapsed() < TTL).then(|| entry.loaded.clone())
    }

    /// Keeps an account loaded under `ticket`, unless the account changed
    /// since the load started (a committed account change, or a forget).
    pub fn put(&self, user_id: i32, loaded: Loaded, ticket: Ticket) {
        let Ok(mut entries) = self.entries.write() else { return };
        if entries.forgotten.get(&user_id).is_some_and(|at| *at >= ticket.at) {
            return;
        }
        if entries.loaded.len() >= MAX_ENTRIES {
            entries.loaded.clear();
        }
        let entry = Entry { loaded, generation: ticket.generation, at: Instant::now() };
        entries.loaded.insert(user_id, entry);
    }

    /// Drops one account at once, after a change to it was committed (a
    /// logout): its next request loads it again.
    pub fn forget(&self, user_id: i32) {
        let Ok(mut entries) = self.entries.write() else { return };
        entries.loaded.remove(&user_id);
        if entries.forgotten.len() >= MAX_ENTRIES {
            // A load outlives its ticket by far less than the TTL.
            entries.forgotten.retain(|_, at| at.elapsed() < TTL);
        }
        entries.forgotten.insert(user_id, Instant::now());
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
            revoked: vec![],
        }
    }

    #[test]
    fn an_account_change_makes_cached_users_stale() {
        let cache = UserCache::default();
        let t = ticket();
        cache.put(1, user(1), t);
        // Other tests may bump the shared generation: only assert when they did not.
        if generation() == t.generation {
            assert!(cache.get(1).is_some());
        }
        note_change();
        publish_changes();
        assert!(cache.get(1).is_none(), "a committed change makes the entry stale");
        // Publishing again without a new note changes nothing.
        let t = ticket();
        cache.put(1, user(1), t);
        publish_changes();
        assert!(generation() != t.generation || cache.get(1).is_some());
    }

    #[test]
    fn a_load_that_raced_a_change_is_not_trusted() {
        let cache = UserCache::default();
        let before = ticket();
        note_change();
        publish_changes();
        cache.put(7, user(7), before);
        assert!(cache.get(7).is_none());
    }

    #[test]
    fn a_forgotten_user_goes_at_once_and_a_load_that_raced_it_is_not_kept() {
        let cache = UserCache::default();
        let (early, other) = (ticket(), ticket());
        cache.put(3, user(3), early);
        cache.put(4, user(4), other);
        cache.forget(3);
        assert!(cache.entries.read().is_ok_and(|e| !e.loaded.contains_key(&3)));
        // Loaded before the logout committed: it may not know of it.
        cache.put(3, user(3), early);
        assert!(cache.entries.read().is_ok_and(|e| !e.loaded.contains_key(&3)));
        // Loaded after: kept. Other users were never touched.
        cache.put(3, user(3), ticket());
        assert!(cache.entries.read().is_ok_and(|e| e.loaded.contains_key(&3) && e.loaded.contains_key(&4)));
    }
}
