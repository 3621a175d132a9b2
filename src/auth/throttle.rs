//! Login throttling per account and per client address.
//!
//! After `MAX_FAILURES` failures inside `WINDOW`, the key is locked for `LOCK`;
//! a success clears the account's record. Kept in memory: it protects one
//! server process; the audit log keeps the durable trace.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{Duration, NaiveDateTime};

pub const ACCOUNT_MAX_FAILURES: u32 = 5;
pub const ADDRESS_MAX_FAILURES: u32 = 30;
pub const WINDOW_MINUTES: i64 = 15;
pub const LOCK_MINUTES: i64 = 15;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Failures {
    pub count: u32,
    pub first_at: Option<NaiveDateTime>,
    pub locked_until: Option<NaiveDateTime>,
}

/// Records one failure; returns the new state (locked when the limit is reached).
pub fn record_failure(prev: Failures, now: NaiveDateTime, max: u32) -> Failures {
    let in_window = prev
        .first_at
        .is_some_and(|t| now - t < Duration::minutes(WINDOW_MINUTES));
    let (count, first_at) = if in_window {
        (prev.count + 1, prev.first_at)
    } else {
        (1, Some(now))
    };
    let locked_until = if count >= max {
        Some(now + Duration::minutes(LOCK_MINUTES))
    } else {
        None
    };
    Failures {
        count,
        first_at,
        locked_until,
    }
}

pub fn is_locked(state: &Failures, now: NaiveDateTime) -> bool {
    state.locked_until.is_some_and(|until| now < until)
}

#[derive(Default)]
pub struct Throttle {
    keys: Mutex<HashMap<String, Failures>>,
}

impl Throttle {
    pub fn locked(&self, account: &str, address: &str, now: NaiveDateTime) -> bool {
        let Ok(keys) = self.keys.lock() else {
            return false;
        };
        [account_key(account), address_key(address)]
            .iter()
            .any(|k| keys.get(k).is_some_and(|f| is_locked(f, now)))
    }

    /// Records a failure for both keys; returns true if this failure locked the account.
    pub fn fail(&self, account: &str, address: &str, now: NaiveDateTime) -> bool {
        let Ok(mut keys) = self.keys.lock() else {
            return false;
        };
        if keys.len() > 100_000 {
            // Bound the memory an attacker can make us hold.
            keys.retain(|_, f| is_locked(f, now));
        }
        let acc = keys.entry(account_key(account)).or_default();
        *acc = record_failure(*acc, now, ACCOUNT_MAX_FAILURES);
        let locked = acc.count == ACCOUNT_MAX_FAILURES;
        let addr = keys.entry(address_key(address)).or_default();
        *addr = record_failure(*addr, now, ADDRESS_MAX_FAILURES);
        locked
    }

    pub fn succeed(&self, account: &str) {
        if let Ok(mut keys) = self.keys.lock() {
            keys.remove(&account_key(account));
        }
    }
}

fn account_key(account: &str) -> String {
    format!("u:{}", account.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("a:{address}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .unwrap()
            .naive_utc()
            + Duration::minutes(minute)
    }

    #[test]
    fn failures_lock_after_the_limit_within_the_window() {
        let mut f = Failures::default();
        for minute in 0..4 {
            f = record_failure(f, at(minute), 5);
            assert!(!is_locked(&f, at(minute)));
        }
        f = record_failure(f, at(4), 5);
        assert!(is_locked(&f, at(4)));
        assert!(is_locked(&f, at(18)));
        assert!(!is_locked(&f, at(19)));
    }

    #[test]
    fn old_failures_fall_out_of_the_window() {
        let mut f = Failures::default();
        for minute in [0, 1, 2, 3] {
            f = record_failure(f, at(minute), 5);
        }
        f = record_failure(f, at(20), 5);
        assert_eq!(f.count, 1);
        assert!(!is_locked(&f, at(20)));
    }

    #[test]
    fn success_clears_the_account_but_not_the_address() {
        let t = Throttle::default();
        for _ in 0..5 {
            t.fail("Zhang", "1.2.3.4", at(0));
        }
        assert!(t.locked("zhang", "9.9.9.9", at(1)));
        t.succeed("zhang");
        assert!(!t.locked("zhang", "9.9.9.9", at(1)));
    }
}
