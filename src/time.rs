//! Time zones: the database holds UTC; people see Asia/Shanghai. And the
//! [`Clock`] that says what time it is.

use std::cell::RefCell;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, TimeZone};
use chrono_tz::Asia::Shanghai;

/// What time it is for one app: the system's, or a time set by hand.
///
/// Why: what a page shows depends on the date (this month's exam, the
/// reading due dates, the month a supervisor sees first), and a test of the
/// last second of a month cannot wait for one. Tests run many apps in one
/// process at once, each with its own time, so the clock belongs to the app
/// ([`crate::AppState::clock`]) rather than to the process. Model code does
/// not take it as an argument: it asks [`crate::db::now`], which reads the
/// clock installed on the running thread ([`Clock::install`]); the app
/// installs its clock on its worker threads and around its database work,
/// and anything else (the command line, the demo) gets the system's.
///
/// Clones share one setting, so a test keeps a clone and moves the app's time.
#[derive(Clone, Debug)]
pub struct Clock {
    /// Microseconds since 1970 (UTC) of a stopped clock, or [`SYSTEM`].
    fixed: Arc<AtomicI64>,
}

/// The value of [`Clock::fixed`] for a clock that follows the system's.
const SYSTEM: i64 = i64::MIN;

thread_local! {
    /// The clock of the app whose work runs on this thread, if any.
    static CURRENT: RefCell<Option<Clock>> = const { RefCell::new(None) };
}

impl Clock {
    /// The system's clock (production).
    pub fn system() -> Self {
        Self { fixed: Arc::new(AtomicI64::new(SYSTEM)) }
    }

    /// A clock stopped at `utc`: it stays there until set or advanced, so a
    /// test at 23:59:59 is not in the next month a second later.
    pub fn fixed(utc: NaiveDateTime) -> Self {
        let clock = Self::system();
        clock.set(utc);
        clock
    }

    /// Stops the clock at `utc` (this clock and every clone).
    pub fn set(&self, utc: NaiveDateTime) {
        self.fixed.store(utc.and_utc().timestamp_micros(), Ordering::SeqCst);
    }

    /// Moves the clock on by `by` (a system clock stops at now + `by`).
    pub fn advance(&self, by: chrono::Duration) {
        self.set(self.now() + by);
    }

    /// The current time in UTC.
    pub fn now(&self) -> NaiveDateTime {
        match self.fixed.load(Ordering::SeqCst) {
            SYSTEM => chrono::Utc::now().naive_utc(),
            micros => DateTime::from_timestamp_micros(micros).expect("a time set by Clock::set").naive_utc(),
        }
    }

    /// Makes this the clock of work on this thread until the guard is dropped
    /// (then the one before is back: blocking-pool threads serve every app).
    pub fn install(&self) -> Installed {
        let previous = CURRENT.with(|c| c.replace(Some(self.clone())));
        Installed { previous, _not_send: PhantomData }
    }

    /// Makes this the clock of this thread for good: for threads that belong
    /// to one app (its HTTP workers, its answer writer).
    pub fn install_for_thread(&self) {
        CURRENT.with(|c| *c.borrow_mut() = Some(self.clone()));
    }
}

/// Puts the previous clock back when dropped (see [`Clock::install`]).
#[must_use = "the clock is uninstalled when this is dropped"]
pub struct Installed {
    previous: Option<Clock>,
    /// A thread's clock is restored on that thread.
    _not_send: PhantomData<*const ()>,
}

impl Drop for Installed {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|c| *c.borrow_mut() = previous);
    }
}

/// The current time in UTC by the clock installed on this thread, or the
/// system's when none is (see [`Clock`]).
pub fn now_utc() -> NaiveDateTime {
    CURRENT.with(|c| c.borrow().as_ref().map(Clock::now)).unwrap_or_else(|| chrono::Utc::now().naive_utc())
}

/// A UTC timestamp as the branch reads it, e.g. `2026-11-27 12:36`.
pub fn local_display(utc: NaiveDateTime) -> String {
    Shanghai.from_utc_datetime(&utc).format("%Y-%m-%d %H:%M").to_string()
}

/// A UTC timestamp as a `datetime-local` input value in Beijing time.
pub fn local_input(utc: NaiveDateTime) -> String {
    Shanghai.from_utc_datetime(&utc).format("%Y-%m-%dT%H:%M").to_string()
}

/// A `datetime-local` value (or `2026-11-28 09:00`) in Beijing time, as UTC.
pub fn parse_local_input(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim().replace(' ', "T");
    let local = NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    Shanghai.from_local_datetime(&local).single().map(|dt| dt.naive_utc())
}

/// The branch's current local time.
pub fn local_now() -> NaiveDateTime {
    Shanghai.from_utc_datetime(&now_utc()).naive_local()
}

/// The month (YYYY-MM) a UTC timestamp falls in, in Beijing time.
pub fn local_month(utc: NaiveDateTime) -> String {
    Shanghai.from_utc_datetime(&utc).format("%Y-%m").to_string()
}

/// The local (Beijing) date of a UTC timestamp.
pub fn local_date(utc: NaiveDateTime) -> chrono::NaiveDate {
    Shanghai.from_utc_datetime(&utc).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_beijing_time() {
        let utc = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(16, 30, 0).unwrap();
        assert_eq!(local_display(utc), "2026-12-01 00:30");
        assert_eq!(local_month(utc), "2026-12");
        assert_eq!(parse_local_input(&local_input(utc)), Some(utc));
        assert_eq!(parse_local_input("2026-12-01 00:30"), Some(utc));
        assert_eq!(parse_local_input("明天"), None);
    }

    fn utc(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn a_set_clock_stays_put_and_moves_only_when_told() {
        let clock = Clock::fixed(utc("2026-01-31 15:59:59"));
        let other = clock.clone();
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert_eq!(clock.now(), utc("2026-01-31 15:59:59"));
        other.advance(chrono::Duration::seconds(1));
        assert_eq!(clock.now(), utc("2026-01-31 16:00:00"), "clones share the setting");
        let system = Clock::system().now();
        assert!((system - chrono::Utc::now().naive_utc()).num_seconds().abs() < 5);
    }

    #[test]
    fn now_reads_the_installed_clock_and_the_system_otherwise() {
        let outer = Clock::fixed(utc("2026-01-31 15:59:59"));
        let inner = Clock::fixed(utc("2030-06-01 00:00:00"));
        let is_system = || (now_utc() - chrono::Utc::now().naive_utc()).num_seconds().abs() < 5;
        assert!(is_system());
        {
            let _outer = outer.install();
            assert_eq!(now_utc(), utc("2026-01-31 15:59:59"));
            assert_eq!(local_now(), utc("2026-01-31 23:59:59"), "Beijing is UTC+8");
            {
                let _inner = inner.install();
                assert_eq!(now_utc(), utc("2030-06-01 00:00:00"));
            }
            assert_eq!(now_utc(), utc("2026-01-31 15:59:59"), "the previous clock is back");
            // Another thread has its own (none installed there).
            assert!(std::thread::spawn(is_system).join().unwrap());
        }
        assert!(is_system());
    }
}
