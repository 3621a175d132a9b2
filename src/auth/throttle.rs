//! Login throttling per account and per client address.
//!
//! After `MAX_FAILURES` failures inside `WINDOW`, the key is locked for `LOCK`;
//! a success clears the account's record. Kept in memory: it protects one
//! server process; the audit log keeps the durable trace.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{Duration, NaiveDateTime};

pub const ACCOUNT_MAX_FAILURES: u32 = 5;
/// Generous: a county office's clerks may share one address (NAT).
pub const ADDRESS_MAX_FAILURES: u32 = 50;
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
    let in_window = prev.first_at.is_some_and(|t| now - t < Duration::minutes(WINDOW_MINUTES));
    let (count, first_at) = if in_window { (prev.count + 1, prev.first_at) } else { (1, Some(now)) };
    let locked_until = if count >= max { Some(now + Duration::minutes(LOCK_MINUTES)) } else { None };
    Failures { count, first_at, locked_until }
}

pub fn is_locked(state: &Failures, now: NaiveDateTime) -> bool {
    state.locked_until.is_some_and(|until| now < until)
}

#[derive(Default)]
pub struct Throttle {
    keys: Mutex<HashMap<String, Failures>>,
}

impl Throttle {
    /// Starts a login attempt: `None` if the account or address is locked;
    /// otherwise the attempt is counted against the account as a failure in
    /// advance (see [`Throttle::succeed`]) and the result says whether it
    /// reached the account's limit.
    ///
    /// The address is charged only for real failures ([`Throttle::failed`]):
    /// on exam morning a county office's clerks log in together from one NAT
    /// address, and 50 logins waiting for their hashes must not lock it.
    /// Guesses in flight across many accounts are bounded by the hashing queue.
    pub fn attempt(&self, account: &str, address: &str, now: NaiveDateTime) -> Option<bool> {
        let Ok(mut keys) = self.keys.lock() else { return Some(false) };
        let (acc_key, addr_key) = (account_key(account), address_key(address));
        if [&acc_key, &addr_key].iter().any(|k| keys.get(*k).is_some_and(|f| is_locked(f, now))) {
            return None;
        }
        if keys.len() > 100_000 {
            // Bound the memory an attacker can make us hold.
            keys.retain(|_, f| is_locked(f, now));
        }
        let acc = keys.entry(acc_key).or_default();
        *acc = record_failure(*acc, now, ACCOUNT_MAX_FAILURES);
        Some(is_locked(acc, now))
    }

    /// A login failed: the address is charged (the account was in advance).
    pub fn failed(&self, address: &str, now: NaiveDateTime) {
        if let Ok(mut keys) = self.keys.lock() {
            let addr = keys.entry(address_key(address)).or_default();
            *addr = record_failure(*addr, now, ADDRESS_MAX_FAILURES);
        }
    }

    /// A login was not decided (the server was too busy to check the
    /// password): the account gets back the failure counted in advance, so a
    /// clerk retrying through a login storm is never locked out by it.
    pub fn undecided(&self, account: &str) {
        if let Ok(mut keys) = self.keys.lock() {
            if let Some(f) = keys.get_mut(&account_key(account)) {
                f.count = f.count.saturating_sub(1);
                if f.count < ACCOUNT_MAX_FAILURES {
                    f.locked_until = None;
                }
            }
        }
    }

    /// A login succeeded: the account's record goes.
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

    #[test]
    fn successful_logins_never_lock_an_address() {
        let t = Throttle::default();
        for _ in 0..(ADDRESS_MAX_FAILURES * 2) {
            assert_eq!(t.attempt("someone", "10.0.0.1", at(0)), Some(false));
            t.succeed("someone");
        }
        assert!(t.attempt("other", "10.0.0.1", at(0)).is_some());
    }

    #[test]
    fn many_logins_in_flight_from_one_address_do_not_lock_it() {
        // A county office behind one NAT address, everyone at 8:59.
        let t = Throttle::default();
        for i in 0..(ADDRESS_MAX_FAILURES * 4) {
            assert!(t.attempt(&format!("clerk{i}"), "10.0.0.9", at(0)).is_some(), "attempt {i}");
        }
    }

    #[test]
    fn busy_refusals_never_lock_an_account() {
        let t = Throttle::default();
        for i in 0..(ACCOUNT_MAX_FAILURES * 3) {
            assert!(t.attempt("li", "10.0.0.5", at(0)).is_some(), "retry {i}");
            t.undecided("li");
        }
        // Real failures still count.
        for i in 1..=ACCOUNT_MAX_FAILURES {
            assert_eq!(t.attempt("li", "10.0.0.5", at(1)), Some(i == ACCOUNT_MAX_FAILURES));
        }
    }

    #[test]
    fn an_address_is_locked_after_many_failures_on_any_accounts() {
        let t = Throttle::default();
        for i in 0..ADDRESS_MAX_FAILURES {
            assert!(t.attempt(&format!("user{i}"), "10.0.0.2", at(0)).is_some());
            t.failed("10.0.0.2", at(0));
        }
        assert_eq!(t.attempt("fresh", "10.0.0.2", at(1)), None);
        assert!(t.attempt("fresh", "10.0.0.3", at(1)).is_some(), "other addresses are unaffected");
    }

    fn at(minute: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap().naive_utc() + Duration::minutes(minute)
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
    fn the_fifth_failure_locks_and_a_success_clears_the_account() {
        let t = Throttle::default();
        for i in 1..=5 {
            assert_eq!(t.attempt("Zhang", "1.2.3.4", at(0)), Some(i == 5));
        }
        assert_eq!(t.attempt("zhang", "9.9.9.9", at(1)), None, "locked from anywhere");
        t.succeed("zhang");
        assert!(t.attempt("zhang", "9.9.9.9", at(1)).is_some());
    }
}
