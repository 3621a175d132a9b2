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
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Self { map: Mutex::new(HashMap::new()) }
    }
}

impl<T> Memo<T> {
    fn get(&self, key: Month, load: impl FnOnce() -> QueryResult<T>) -> QueryResult<Arc<T>> {
        // A panic elsewhere while holding the lock leaves the map usable.
        let fresh = |map: &HashMap<Month, (Instant, Arc<T>)>| {
            map.get(&key).filter(|(at, _)| at.elapsed() < TTL).map(|(_, v)| v.clone())
        };
        if let Some(v) = fresh(&self.map.lock().unwrap_or_else(|e| e.into_inner())) {
            return Ok(v);
        }
        // Loaded without the lock: two clerks arriving together may both
        // compute it, which is cheaper than making every page wait on one.
        let v = Arc::new(load()?);
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (at, _)| at.elapsed() < TTL);
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
}
