//! The clerk home's scorecard parts, shared for a minute.
//!
//! Every clerk's home page shows their card and their 12-month trend, and
//! both come from the whole city's month: hall, county and city means, ranks,
//! and each month's below-average sheet. On exam morning 2,000 clerks open
//! their home within minutes of each other; computing the city's month once a
//! minute instead of once per clerk keeps logins at the password-hashing
//! ceiling (measured in docs/PERFORMANCE.md). The scorecard pages themselves
//! are computed fresh; the home card may lag them by up to [`TTL`].

use crate::domain::Month;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::QueryResult;

use super::rules::Scorecard;

/// How long a computed month is shown on home pages.
pub const TTL: Duration = Duration::from_secs(60);

/// A month's city-wide figures, as the home page uses them.
#[derive(Default)]
pub struct HomeCache {
    cards: Memo<Scorecard>,
    exam_scores: Memo<HashMap<i32, Option<i64>>>,
}

impl HomeCache {
    /// The month's scorecard, computed by `load` at most once per [`TTL`].
    pub fn card(
        &self,
        month: Month,
        load: impl FnOnce() -> QueryResult<Scorecard>,
    ) -> QueryResult<Arc<Scorecard>> {
        self.cards.get(month, load)
    }

    /// The month's exam scores by clerk, computed by `load` at most once per [`TTL`].
    pub fn exam_scores(
        &self,
        month: Month,
        load: impl FnOnce() -> QueryResult<HashMap<i32, Option<i64>>>,
    ) -> QueryResult<Arc<HashMap<i32, Option<i64>>>> {
        self.exam_scores.get(month, load)
    }
}

/// Values by month, each kept for [`TTL`]. Only the current month and the
/// eleven before it are ever asked for, so the map stays small.
struct Memo<T> {
    map: Mutex<HashMap<Month, (Instant, Arc<T>)>>,
    /// Held by the one request computing a value: on exam morning 70 home
    /// pages a second would otherwise all compute the city's month at once
    /// when it goes stale (measured: logins fell to 0.71 of the hashing
    /// ceiling). The others show the stale value meanwhile, or wait for it.
    loading: Mutex<()>,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Self { map: Mutex::new(HashMap::new()), loading: Mutex::new(()) }
    }
}

impl<T> Memo<T> {
    fn get(&self, key: Month, load: impl FnOnce() -> QueryResult<T>) -> QueryResult<Arc<T>> {
        // A panic elsewhere while holding the lock leaves the map usable.
        let fresh = |map: &HashMap<Month, (Instant, Arc<T>)>| {
            map.get(&key).filter(|(at, _)| at.elapsed() < TTL).map(|(_, v)| v.clone())
        };
        let stale = {
            let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(v) = fresh(&map) {
                return Ok(v);
            }
            map.get(&key).map(|(_, v)| v.clone())
        };
        // One computes; the others use the stale value meanwhile, or wait for it.
        let _loading = match (self.loading.try_lock(), stale) {
            (Ok(guard), _) => guard,
            (Err(std::sync::TryLockError::Poisoned(e)), _) => e.into_inner(),
            (Err(std::sync::TryLockError::WouldBlock), Some(stale)) => return Ok(stale),
            (Err(std::sync::TryLockError::WouldBlock), None) => {
                let guard = self.loading.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(v) = fresh(&self.map.lock().unwrap_or_else(|e| e.into_inner())) {
                    return Ok(v);
                }
                guard
            }
        };
        let v = Arc::new(load()?);
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        // Stale entries stay (as fallbacks) only for the last two TTLs.
        map.retain(|_, (at, _)| at.elapsed() < 2 * TTL);
        map.insert(key, (Instant::now(), v.clone()));
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_computed_once_while_fresh_and_errors_are_not_kept() {
        let m = |s: &str| Month::parse(s).unwrap();
        let memo: Memo<i32> = Memo::default();
        let mut calls = 0;
        for _ in 0..3 {
            let v = memo
                .get(m("2026-11"), || {
                    calls += 1;
                    Ok(7)
                })
                .unwrap();
            assert_eq!(*v, 7);
        }
        assert_eq!(calls, 1);
        assert_eq!(*memo.get(m("2026-10"), || Ok(5)).unwrap(), 5, "each month its own");
        assert!(memo.get(m("2026-09"), || Err(diesel::result::Error::NotFound)).is_err());
        assert_eq!(*memo.get(m("2026-09"), || Ok(3)).unwrap(), 3, "a failed load is retried");
        // Once stale, it is computed again.
        memo.map.lock().unwrap().get_mut(&m("2026-11")).unwrap().0 -= TTL;
        assert_eq!(*memo.get(m("2026-11"), || Ok(8)).unwrap(), 8);
    }

    #[test]
    fn requests_arriving_together_compute_a_month_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let month = Month::parse("2026-12").unwrap();
        let memo: Memo<i32> = Memo::default();
        let calls = AtomicUsize::new(0);
        let slow = || {
            calls.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(200));
            Ok(1)
        };
        // Cold: eight at once, one computes, the others wait for its value.
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| assert_eq!(*memo.get(month, slow).unwrap(), 1));
            }
        });
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // Stale: one recomputes, the others are answered with the stale value at once.
        memo.map.lock().unwrap().get_mut(&month).unwrap().0 -= TTL;
        let started = Instant::now();
        std::thread::scope(|s| {
            s.spawn(|| {
                memo.get(month, || {
                    std::thread::sleep(Duration::from_millis(300));
                    Ok(2)
                })
            });
            std::thread::sleep(Duration::from_millis(50));
            for _ in 0..4 {
                s.spawn(|| {
                    let v = memo.get(month, || unreachable!("one refresh at a time")).unwrap();
                    assert_eq!(*v, 1, "the stale value meanwhile");
                    assert!(started.elapsed() < Duration::from_millis(250));
                });
            }
        });
        assert_eq!(*memo.get(month, || unreachable!("fresh again")).unwrap(), 2);
    }
}
