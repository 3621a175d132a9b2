use super::*;

const HOUR: i64 = 3600;

fn at(secs: i64) -> NaiveDateTime {
    chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default().naive_utc()
        + Duration::seconds(secs)
}

/// One attacker retrying as soon as allowed (checked every second) during
/// `[from, to)`, each guess failing; `account(n)` names the n-th guess's
/// account. Returns the guesses that reached a password check.
fn guesses(t: &Throttle, account: impl Fn(u32) -> String, address: &str, from: i64, to: i64) -> u32 {
    let mut n = 0;
    for s in from..to {
        while let Ok(charge) = t.attempt(&account(n), address, None, at(s)) {
            t.failed(&charge, address, at(s));
            n += 1;
            assert!(n < 10_000, "never slowed");
        }
    }
    n
}

fn clerk() -> String {
    account_key(Some(1), "10001")
}

#[test]
fn each_failure_past_the_free_ones_doubles_the_wait_up_to_the_cap() {
    let cases = [
        (&ACCOUNT, 0, 0),
        (&ACCOUNT, 4, 0),
        (&ACCOUNT, 5, 60),
        (&ACCOUNT, 6, 120),
        (&ACCOUNT, 8, 480),
        (&ACCOUNT, 9, 900), // 960 capped
        (&ACCOUNT, u32::MAX, 900),
        (&ADDRESS, 50, 0),
        (&ADDRESS, 51, 1),
        (&ADDRESS, 59, 256),
        (&ADDRESS, 60, 300), // 512 capped
    ];
    for (ladder, failures, want) in cases {
        assert_eq!(wait_after(ladder, failures), want, "{ladder:?} {failures}");
    }
}

#[test]
fn a_quiet_hour_starts_the_count_again() {
    let mut r = Record::default();
    for s in [0, 10, 20, 30] {
        r = record_failure(r, at(s), &ACCOUNT);
        assert_eq!(wait_left(&r, at(s)), None);
    }
    r = record_failure(r, at(40), &ACCOUNT);
    assert_eq!(wait_left(&r, at(40)), Some(60));
    assert_eq!(wait_left(&r, at(99)), Some(1));
    assert_eq!(wait_left(&r, at(100)), None, "open again at the minute");
    let cases = [(40 + HOUR - 1, 6), (40 + HOUR, 1)];
    for (s, failures) in cases {
        assert_eq!(record_failure(r, at(s), &ACCOUNT).failures, failures, "{s}");
    }
    // Part seconds are rounded up, so the page never says "0 seconds".
    let r = Record { open_at: Some(at(10) + Duration::milliseconds(1500)), ..r };
    assert_eq!(wait_left(&r, at(10)), Some(2));
}

/// Guesses per hour against one account, by hand from [`ACCOUNT`]:
/// five at 0 s, then at 60, 180 (60 + 120), 420 (+240), 900 (+480), 1800,
/// 2700 (+900 each): 11 in the first hour; afterwards one per 900 s, i.e.
/// 3600, 4500, 5400, 6300: 4 an hour. Before this change (5 failures, then
/// a 15-minute lock, measured on the old `Throttle`): 20 an hour, for ever.
#[test]
fn one_attacker_gets_11_guesses_the_first_hour_and_4_an_hour_after() {
    let t = Throttle::default();
    assert_eq!(guesses(&t, |_| clerk(), "6.6.6.6", 0, HOUR), 11);
    assert_eq!(guesses(&t, |_| clerk(), "6.6.6.6", HOUR, 2 * HOUR), 4);
}

/// One address spraying a new account each time, by hand from [`ADDRESS`]:
/// 51 guesses at 0 s, then at 1, 3, 7, 15, 31, 63, 127, 255, 511 (waits 1 s
/// doubling to 256 s), then every 300 s from 811 to 3511 (10): 70 in the
/// first hour, 12 an hour after. Before: 50 per 15-minute lock, 200 an hour.
#[test]
fn one_address_spraying_accounts_gets_70_guesses_the_first_hour() {
    let t = Throttle::default();
    let spray = |n: u32| account_key(None, &format!("{}", 20_000 + n));
    assert_eq!(guesses(&t, spray, "6.6.6.6", 0, HOUR), 70);
    assert_eq!(guesses(&t, |n| spray(n + 1000), "6.6.6.6", HOUR, 2 * HOUR), 12);
}

#[test]
fn a_clerk_with_a_device_token_gets_in_while_an_attacker_keeps_guessing() {
    let t = Throttle::default();
    for minute in 0..60 {
        // The attacker, from the clerk's own office address, at every chance.
        guesses(&t, |_| clerk(), "10.0.0.9", minute * 60, minute * 60 + 60);
        let trusted = t.attempt(&clerk(), "10.0.0.9", Some("nonce-of-the-clerk"), at(minute * 60 + 59));
        let charge = trusted.unwrap_or_else(|wait| panic!("minute {minute}: kept out {wait} s"));
        assert!(charge.trusted);
        t.succeed(&charge, "10.0.0.9", at(minute * 60 + 59));
    }
    // A fresh browser (no token) waits: the guesser holds the untrusted path.
    assert!(t.attempt(&clerk(), "10.0.0.9", None, at(HOUR - 1)).is_err());
}

#[test]
fn five_failures_with_a_token_end_its_trust() {
    let t = Throttle::default();
    for i in 1..=TOKEN_MAX_FAILURES {
        let charge = t.attempt(&clerk(), "10.0.0.9", Some("stolen"), at(0)).expect("trusted");
        assert!(charge.trusted);
        let failed = t.failed(&charge, "10.0.0.9", at(0));
        assert_eq!(failed, Failed { token_distrusted: i == TOKEN_MAX_FAILURES, ..Failed::default() });
    }
    // Now the token is ignored: the account's untrusted path, free tries first.
    let charge = t.attempt(&clerk(), "10.0.0.9", Some("stolen"), at(0)).expect("untrusted, first try");
    assert!(!charge.trusted);
    // Another token of the same account is unaffected.
    assert!(t.attempt(&clerk(), "10.0.0.9", Some("the clerk's own"), at(0)).is_ok_and(|c| c.trusted));
}

#[test]
fn a_county_office_signing_in_correctly_is_never_slowed() {
    // 300 clerks behind one NAT address, each mistyping once, then right:
    // 300 failures in an hour, six times the free 50, paid back as they go.
    let t = Throttle::default();
    for i in 0..300 {
        let account = account_key(Some(i), "");
        let typo = t.attempt(&account, "10.0.0.9", None, at(i as i64)).expect("never slowed");
        t.failed(&typo, "10.0.0.9", at(i as i64));
        let right = t.attempt(&account, "10.0.0.9", None, at(i as i64)).expect("never slowed");
        t.succeed(&right, "10.0.0.9", at(i as i64));
    }
}

#[test]
fn an_address_that_only_fails_is_slowed_but_not_for_device_tokens() {
    let t = Throttle::default();
    let spray = |n: u32| account_key(None, &format!("x{n}"));
    assert_eq!(guesses(&t, spray, "10.0.0.9", 0, 1), 51);
    assert_eq!(t.attempt(&clerk(), "10.0.0.9", None, at(0)).err(), Some(1), "no token: waits");
    assert!(t.attempt(&clerk(), "10.0.0.10", None, at(0)).is_ok(), "other addresses are unaffected");
    assert!(t.attempt(&clerk(), "10.0.0.9", Some("clerk's"), at(0)).is_ok_and(|c| c.trusted));
}

#[test]
fn one_insider_signing_in_again_and_again_buys_one_guess_an_hour() {
    let t = Throttle::default();
    let spray = |n: u32| account_key(None, &format!("x{n}"));
    assert_eq!(guesses(&t, spray, "10.0.0.9", 0, 1), 51);
    let own = account_key(Some(9), "insider");
    for s in 1..20 {
        let charge = t.attempt(&own, "10.0.0.9", Some("insider's token"), at(s)).expect("trusted");
        t.succeed(&charge, "10.0.0.9", at(s));
    }
    // 51 net failures, one paid back: 50, so the next guess is free again, once.
    assert_eq!(guesses(&t, |n| spray(n + 100), "10.0.0.9", 20, 21), 1);
}

#[test]
fn busy_refusals_never_slow_an_account() {
    let t = Throttle::default();
    for i in 0..15 {
        let charge = t.attempt(&clerk(), "10.0.0.5", None, at(0)).unwrap_or_else(|_| panic!("retry {i}"));
        t.undecided(&charge);
    }
    // Real failures still count: four free, the fifth makes the next wait.
    for _ in 0..5 {
        let charge = t.attempt(&clerk(), "10.0.0.5", None, at(1)).expect("free try");
        t.failed(&charge, "10.0.0.5", at(1));
    }
    assert_eq!(t.attempt(&clerk(), "10.0.0.5", None, at(1)).err(), Some(60));
}

#[test]
fn a_success_clears_the_account_and_names_share_one_record() {
    let t = Throttle::default();
    assert_eq!(account_key(None, " Zhang "), account_key(None, "zhang"));
    assert_eq!(account_key(Some(1), "10001"), account_key(Some(1), "zhangxm"), "工号 and user name");
    for _ in 0..5 {
        let charge = t.attempt(&clerk(), "1.2.3.4", None, at(0)).expect("free try");
        t.failed(&charge, "1.2.3.4", at(0));
    }
    assert!(t.attempt(&clerk(), "9.9.9.9", None, at(1)).is_err(), "slowed from anywhere");
    let charge = t.attempt(&clerk(), "9.9.9.9", None, at(61)).expect("after the wait");
    t.succeed(&charge, "9.9.9.9", at(61));
    assert!(t.attempt(&clerk(), "9.9.9.9", None, at(61)).is_ok_and(|c| c.failures == 1));
}

#[test]
fn the_refusal_says_how_long_to_wait() {
    let cases = [
        (1, "请 1 秒后再试"),
        (59, "请 59 秒后再试"),
        (60, "请 1 分钟后再试"),
        (61, "请 2 分钟后再试"),
        (900, "请 15 分钟后再试"),
    ];
    for (secs, want) in cases {
        assert!(crate::web::msg::login_wait(secs).contains(want), "{secs}");
    }
}
