//! Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device
//! Cookies"): a browser that signed in to an account gets a signed token for
//! it. A login attempt carrying a valid token for the account is not slowed by
//! failures made elsewhere (other browsers, the shared address), so an
//! attacker guessing a clerk's password cannot keep the clerk out; the
//! token's own failures are counted against it instead ([`super::throttle`]).
//!
//! Hall PCs are shared, so one cookie holds the tokens of up to
//! [`MAX_ACCOUNTS`] accounts. The cookie is signed (HMAC) with a key derived
//! from the session key, so every app server of a site reads it.

use actix_web::cookie::{Cookie, CookieJar, Key, SameSite};
use actix_web::HttpRequest;
use sha2::{Digest, Sha512};

pub const COOKIE: &str = "examhall_device";
/// How long a token is trusted after the login that issued it.
pub const MAX_AGE_DAYS: i64 = 180;
/// Tokens one browser keeps (a hall PC's clerks); the oldest goes first.
pub const MAX_ACCOUNTS: usize = 10;

/// One account's token in a browser's device cookie.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub user_id: i32,
    /// Random: names the token in the throttle (its failures are its own).
    pub nonce: String,
    /// Unix seconds of the login that issued it.
    pub issued_at: i64,
}

impl Token {
    pub fn issue(user_id: i32, now: i64) -> Token {
        Token { user_id, nonce: hex::encode(rand::random::<[u8; 16]>()), issued_at: now }
    }

    fn fresh(&self, now: i64) -> bool {
        self.issued_at <= now && now - self.issued_at < MAX_AGE_DAYS * 86_400
    }
}

/// Reads a verified cookie value (`id.nonce.issued` joined by `-`); malformed entries are skipped.
pub fn parse(value: &str) -> Vec<Token> {
    let entry = |text: &str| {
        let mut parts = text.split('.');
        let user_id = parts.next()?.parse().ok()?;
        let nonce = parts.next().filter(|n| n.len() == 32 && n.chars().all(|c| c.is_ascii_hexdigit()))?;
        let issued_at = parts.next()?.parse().ok()?;
        parts.next().is_none().then(|| Token { user_id, nonce: nonce.to_string(), issued_at })
    };
    value.split('-').filter_map(entry).take(MAX_ACCOUNTS).collect()
}

/// The cookie value for these tokens (cookie-safe characters only).
pub fn render(tokens: &[Token]) -> String {
    let entries: Vec<String> =
        tokens.iter().map(|t| format!("{}.{}.{}", t.user_id, t.nonce, t.issued_at)).collect();
    entries.join("-")
}

/// The browser's token for this account, if it is still young enough.
pub fn token_for(tokens: &[Token], user_id: i32, now: i64) -> Option<&Token> {
    tokens.iter().find(|t| t.user_id == user_id && t.fresh(now))
}

/// The tokens to keep after `fresh` was issued: it replaces its account's
/// old token and comes first; stale tokens go, then the oldest beyond the bound.
pub fn after_login(tokens: Vec<Token>, fresh: Token, now: i64) -> Vec<Token> {
    let mut kept: Vec<Token> =
        tokens.into_iter().filter(|t| t.user_id != fresh.user_id && t.fresh(now)).collect();
    kept.sort_by_key(|t| std::cmp::Reverse(t.issued_at));
    kept.insert(0, fresh);
    kept.truncate(MAX_ACCOUNTS);
    kept
}

/// Signs and reads device cookies.
pub struct DeviceCookies {
    key: Key,
    secure: bool,
}

impl DeviceCookies {
    /// A signing key of its own, derived from the session key: the same on
    /// every server of a site, and never the key of the session cookie.
    pub fn new(session_key: &[u8], secure: bool) -> DeviceCookies {
        let mut hasher = Sha512::new();
        hasher.update(b"examhall device cookie v1\0");
        hasher.update(session_key);
        DeviceCookies { key: Key::from(&hasher.finalize()), secure }
    }

    /// The tokens of the request's device cookie (none when missing or forged).
    pub fn read(&self, req: &HttpRequest) -> Vec<Token> {
        let Some(cookie) = req.cookie(COOKIE) else { return Vec::new() };
        let mut jar = CookieJar::new();
        jar.add_original(cookie);
        jar.signed(&self.key).get(COOKIE).map(|c| parse(c.value())).unwrap_or_default()
    }

    /// The signed cookie carrying these tokens (HttpOnly, SameSite=Lax,
    /// Secure as the session cookie is; behind a trusted HTTPS proxy the
    /// proxy middleware marks it Secure too).
    pub fn cookie(&self, tokens: &[Token]) -> Cookie<'static> {
        let mut jar = CookieJar::new();
        jar.signed_mut(&self.key).add(Cookie::new(COOKIE, render(tokens)));
        let value = jar.get(COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
        Cookie::build(COOKIE, value)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure)
            .max_age(actix_web::cookie::time::Duration::days(MAX_AGE_DAYS))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    fn token(user_id: i32, issued_at: i64) -> Token {
        Token { user_id, nonce: format!("{user_id:032x}"), issued_at }
    }

    #[test]
    fn a_cookie_value_reads_back_and_junk_is_skipped() {
        let tokens = vec![token(7, 100), token(12, 200)];
        assert_eq!(parse(&render(&tokens)), tokens);
        let cases = [
            ("", 0),
            ("7.abc.100", 0),                                   // nonce too short
            ("x.00000000000000000000000000000007.100", 0),      // id not a number
            ("7.00000000000000000000000000000007.100.9", 0),    // a part too many
            ("7.00000000000000000000000000000007.100-junk", 1), // the good one stays
        ];
        for (value, n) in cases {
            assert_eq!(parse(value).len(), n, "{value}");
        }
    }

    #[test]
    fn a_token_counts_for_its_account_for_180_days() {
        let tokens = vec![token(7, 0)];
        let cases = [
            (7, 0, true),
            (7, 180 * DAY - 1, true),
            (7, 180 * DAY, false),
            (8, 0, false),  // another account's browser
            (7, -1, false), // issued "in the future": not ours
        ];
        for (user, now, want) in cases {
            assert_eq!(token_for(&tokens, user, now).is_some(), want, "{user} {now}");
        }
    }

    #[test]
    fn a_login_replaces_its_token_and_the_oldest_goes_beyond_the_bound() {
        let now = 1000 * DAY;
        let old: Vec<Token> = (1..=MAX_ACCOUNTS as i32).map(|id| token(id, now - DAY * id as i64)).collect();
        // Account 3 signs in again: still 10 tokens, 3's first and new.
        let kept = after_login(old.clone(), token(3, now), now);
        assert_eq!(kept.len(), MAX_ACCOUNTS);
        assert_eq!((kept[0].user_id, kept[0].issued_at), (3, now));
        assert_eq!(kept.iter().filter(|t| t.user_id == 3).count(), 1);
        // A new account: the oldest (account 10, issued 10 days ago) goes.
        let kept = after_login(old.clone(), token(11, now), now);
        assert_eq!(kept.len(), MAX_ACCOUNTS);
        assert!(kept.iter().all(|t| t.user_id != 10));
        // Stale tokens go first.
        let stale = vec![token(1, now - 180 * DAY), token(2, now - DAY)];
        let ids: Vec<i32> = after_login(stale, token(5, now), now).iter().map(|t| t.user_id).collect();
        assert_eq!(ids, vec![5, 2]);
    }
}
