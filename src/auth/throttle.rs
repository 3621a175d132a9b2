//! Login throttling that slows guessing down instead of locking accounts
//! (OWASP Authentication Cheat Sheet; "Slow Down Online Guessing Attacks with
//! Device Cookies"). A hard lock let anyone lock a clerk out: staff numbers
//! are sequential, and five anonymous failures kept the real clerk out for 15
//! minutes from anywhere. Three kinds of keys, each with a record of failures:
//!
//! - an **account**, for attempts from browsers holding no device token for
//!   it ("untrusted clients"): after a few free failures each further one
//!   makes the next attempt wait, doubling up to a cap ([`ACCOUNT`]);
//! - a **client address**, charged only for real failures and paid back by
//!   successes of distinct accounts, so a county office's NAT address where
//!   clerks sign in correctly is not slowed, while an address that only
//!   fails (one guesser spraying many accounts) is ([`ADDRESS`]);
//! - a **device token** ([`super::device`]): an attempt carrying a valid one
//!   skips both of the above, so failures made elsewhere never keep that
//!   browser's clerk out; its own failures count against it, and after
//!   [`TOKEN_MAX_FAILURES`] it is no longer trusted (the untrusted path then).
//!
//! Kept in memory: it protects one server process; the audit log keeps the
//! durable trace.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{Duration, NaiveDateTime};

/// How failures slow a key's next attempt: `free` failures cost nothing, the
/// next makes it wait `first_secs`, each further one twice as long, up to
/// `cap_secs`; a key quiet for `quiet_secs` starts again.
#[derive(Debug)]
pub struct Ladder {
    pub free: u32,
    pub first_secs: i64,
    pub cap_secs: i64,
    pub quiet_secs: i64,
}

/// An account from browsers without its device token: five tries as before,
/// then 1, 2, 4, 8 minutes, then 15 minutes a guess (4 an hour).
pub const ACCOUNT: Ladder = Ladder { free: 4, first_secs: 60, cap_secs: 15 * 60, quiet_secs: 3600 };
/// A client address: fifty net failures free (a county office's typos), then
/// 1 s doubling to 5 minutes: a sprayer gets 12 guesses an hour, a clerk
/// behind the same NAT without a device cookie waits at most 5 minutes.
pub const ADDRESS: Ladder = Ladder { free: 50, first_secs: 1, cap_secs: 5 * 60, quiet_secs: 3600 };
/// Failures made with one device token before it is no longer trusted.
pub const TOKEN_MAX_FAILURES: u32 = 5;
/// Beyond this many keys, records older than an hour are dropped (memory bound).
const MAX_KEYS: usize = 100_000;

/// Seconds the next attempt waits after `failures` failures in a row.
pub fn wait_after(ladder: &Ladder, failures: u32) -> i64 {
    if failures <= ladder.free {
        return 0;
    }
    // Doubling 32 times is far past any cap; stop there so the shift cannot overflow.
    let doublings = (failures - ladder.free - 1).min(32);
    ladder.first_secs.saturating_mul(1_i64 << doublings).min(ladder.cap_secs)
}

/// One key's failures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Record {
    pub failures: u32,
    pub last_at: Option<NaiveDateTime>,
    /// No attempt before this.
    pub open_at: Option<NaiveDateTime>,
}

/// Records one failure on `ladder`.
pub fn record_failure(prev: Record, now: NaiveDateTime, ladder: &Ladder) -> Record {
    let quiet = prev.last_at.is_none_or(|t| now - t >= Duration::seconds(ladder.quiet_secs));
    let failures = if quiet { 1 } else { prev.failures.saturating_add(1) };
    let wait = wait_after(ladder, failures);
    Record { failures, last_at: Some(now), open_at: (wait > 0).then(|| now + Duration::seconds(wait)) }
}

/// Whole seconds (rounded up) before the key may try again; None if it may now.
pub fn wait_left(record: &Record, now: NaiveDateTime) -> Option<i64> {
    let open_at = record.open_at.filter(|t| *t > now)?;
    Some(((open_at - now).num_milliseconds() + 999) / 1000)
}

/// A login attempt let through, counted in advance as a failure against one
/// key: the token's when it was trusted, else the account's.
#[derive(Debug)]
pub struct Charge {
    account: String,
    charged: String,
    pub trusted: bool,
    failures: u32,
}

/// What a failure brought about (for the audit log).
#[derive(Debug, Default, PartialEq)]
pub struct Failed {
    /// Seconds the account's untrusted clients now wait (0: none).
    pub account_wait: i64,
    /// Seconds the address now waits (0: none).
    pub address_wait: i64,
    /// This failure used up the device token's trust.
    pub token_distrusted: bool,
    /// Failures the account may still make from this browser before it must
    /// wait (the last of them starts the wait); None with a trusted device token.
    pub tries_before_wait: Option<u32>,
}

#[derive(Default)]
pub struct Throttle {
    keys: Mutex<HashMap<String, Record>>,
}

impl Throttle {
    /// Starts a login attempt on `account` (see [`account_key`]) from
    /// `address`, with the nonce of the browser's device token for that
    /// account if it has one. `Err(seconds)` when the attempt must wait.
    ///
    /// The attempt is counted as a failure in advance, in the same step as
    /// the check, so parallel guesses cannot slip past the limit while their
    /// hashes are queued; [`Throttle::succeed`] and [`Throttle::undecided`]
    /// take it back. The address is charged only for real failures
    /// ([`Throttle::failed`]): on exam morning a county office's clerks log in
    /// together from one NAT address, and logins waiting for their hashes must
    /// not slow it. Guesses in flight across accounts are bounded by the
    /// hashing queue.
    pub fn attempt(
        &self,
        account: &str,
        address: &str,
        token: Option<&str>,
        now: NaiveDateTime,
    ) -> Result<Charge, i64> {
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        if keys.len() > MAX_KEYS {
            keys.retain(|_, r| r.last_at.is_some_and(|t| now - t < Duration::seconds(ADDRESS.quiet_secs)));
        }
        if let Some(nonce) = token {
            let key = format!("d:{nonce}");
            let record = keys.entry(key.clone()).or_default();
            if record.failures < TOKEN_MAX_FAILURES {
                record.failures += 1;
                record.last_at = Some(now);
                let failures = record.failures;
                return Ok(Charge { account: account.into(), charged: key, trusted: true, failures });
            }
        }
        let address = address_key(address);
        let waits = [account, address.as_str()].map(|k| keys.get(k).and_then(|r| wait_left(r, now)));
        if let Some(wait) = waits.into_iter().flatten().max() {
            return Err(wait);
        }
        let record = keys.entry(account.to_string()).or_default();
        *record = record_failure(*record, now, &ACCOUNT);
        let failures = record.failures;
        Ok(Charge { account: account.into(), charged: account.into(), trusted: false, failures })
    }

    /// A login failed: the address is charged too (the account or token was
    /// in advance). Failures with a trusted token are the token's alone.
    pub fn failed(&self, charge: &Charge, address: &str, now: NaiveDateTime) -> Failed {
        if charge.trusted {
            return Failed { token_distrusted: charge.failures == TOKEN_MAX_FAILURES, ..Failed::default() };
        }
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        let record = keys.entry(address_key(address)).or_default();
        *record = record_failure(*record, now, &ADDRESS);
        Failed {
            account_wait: wait_after(&ACCOUNT, charge.failures),
            address_wait: wait_after(&ADDRESS, record.failures),
            token_distrusted: false,
            tries_before_wait: Some((ACCOUNT.free + 1).saturating_sub(charge.failures)),
        }
    }

    /// A login was not decided (the server was too busy to check the
    /// password): the failure counted in advance is taken back, so a clerk
    /// retrying through a login storm is never slowed by it.
    pub fn undecided(&self, charge: &Charge) {
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(record) = keys.get_mut(&charge.charged) {
            record.failures = record.failures.saturating_sub(1);
            if !charge.trusted {
                // The wait as it was before this attempt's charge.
                let wait = wait_after(&ACCOUNT, record.failures);
                record.open_at = record.last_at.filter(|_| wait > 0).map(|t| t + Duration::seconds(wait));
            }
        }
    }

    /// A login succeeded: the record charged (the account's untrusted one or
    /// the token's) goes, and the address gets one failure back, once per
    /// account and hour, so one insider signing in over and over cannot buy
    /// an address unlimited guesses.
    pub fn succeed(&self, charge: &Charge, address: &str, now: NaiveDateTime) {
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        keys.remove(&charge.charged);
        let paid = format!("p:{address}|{}", charge.account);
        let quiet = Duration::seconds(ADDRESS.quiet_secs);
        if keys.get(&paid).and_then(|r| r.last_at).is_some_and(|t| now - t < quiet) {
            return;
        }
        keys.insert(paid, Record { last_at: Some(now), ..Record::default() });
        if let Some(record) = keys.get_mut(&address_key(address)) {
            record.failures = record.failures.saturating_sub(1);
        }
    }
}

/// The throttle's key of an account: its id when the name is one, else the
/// name as typed (so 工号 and user name share one record).
pub fn account_key(user_id: Option<i32>, typed: &str) -> String {
    match user_id {
        Some(id) => format!("u:{id}"),
        None => format!("n:{}", typed.trim().to_lowercase()),
    }
}

fn address_key(address: &str) -> String {
    format!("a:{address}")
}

#[cfg(test)]
mod tests;
