//! The navigation's 必读 badge: the count of a person's unread mandatory
//! items as last computed (home and knowledge-base pages compute it), so
//! rendering a page — an exam page on exam day included — never queries for it.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

static COUNTS: LazyLock<Mutex<HashMap<i32, (Instant, usize)>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Older counts are not shown (an assignment may have been added since).
const FRESH: Duration = Duration::from_secs(30 * 60);

pub fn store(user_id: i32, unread: usize) {
    if let Ok(mut map) = COUNTS.lock() {
        // Bounded: drop stale entries when it grows.
        if map.len() > 50_000 {
            map.retain(|_, (at, _)| at.elapsed() < FRESH);
        }
        map.insert(user_id, (Instant::now(), unread));
    }
}

pub fn cached(user_id: i32) -> Option<usize> {
    let map = COUNTS.lock().ok()?;
    map.get(&user_id).filter(|(at, _)| at.elapsed() < FRESH).map(|(_, n)| *n).filter(|n| *n > 0)
}
