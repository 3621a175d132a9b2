//! The navigation's 必读 badge: the count of a person's unread mandatory
//! items as last computed (home and knowledge-base pages compute it), so
//! rendering a page — an exam page on exam day included — never queries for it.
//! One per app ([`crate::AppState::kb_badges`]), so two apps in one process
//! (the tests) never see each other's counts.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The last count per user, with when it was computed.
#[derive(Debug, Default)]
pub struct Badges {
    counts: Mutex<HashMap<i32, (Instant, usize)>>,
}

/// Older counts are not shown (an assignment may have been added since).
const FRESH: Duration = Duration::from_secs(30 * 60);

impl Badges {
    pub fn store(&self, user_id: i32, unread: usize) {
        if let Ok(mut map) = self.counts.lock() {
            // Bounded: drop stale entries when it grows.
            if map.len() > 50_000 {
                map.retain(|_, (at, _)| at.elapsed() < FRESH);
            }
            map.insert(user_id, (Instant::now(), unread));
        }
    }

    pub fn cached(&self, user_id: i32) -> Option<usize> {
        let map = self.counts.lock().ok()?;
        map.get(&user_id).filter(|(at, _)| at.elapsed() < FRESH).map(|(_, n)| *n).filter(|n| *n > 0)
    }
}
