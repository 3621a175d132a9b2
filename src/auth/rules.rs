//! Password policy and login throttling limits: pure functions with their tables.

use crate::web::msg;

/// Checks a new password against the site policy; the error is shown as is.
pub fn check_new_password(
    new: &str,
    confirm: &str,
    current: &str,
    username: &str,
    staff_no: Option<&str>,
) -> Result<(), &'static str> {
    if new != confirm {
        return Err(msg::PASSWORD_MISMATCH);
    }
    let chars = new.chars().count();
    if chars < 8 {
        return Err(msg::PASSWORD_TOO_SHORT);
    }
    if chars > 128 {
        return Err(msg::PASSWORD_TOO_LONG);
    }
    if !new.chars().any(|c| c.is_ascii_alphabetic()) || !new.chars().any(|c| c.is_ascii_digit()) {
        return Err(msg::PASSWORD_NEEDS_MIX);
    }
    if new.eq_ignore_ascii_case(username) || staff_no.is_some_and(|s| new == s) {
        return Err(msg::PASSWORD_SAME_AS_NAME);
    }
    if new == current {
        return Err(msg::PASSWORD_UNCHANGED);
    }
    Ok(())
}

/// A random password handed to a user by an admin (reset): no look-alike characters.
pub fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    loop {
        let pw: String = (0..10).map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char).collect();
        if pw.chars().any(|c| c.is_ascii_digit()) && pw.chars().any(|c| c.is_ascii_alphabetic()) {
            return pw;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_policy_table() {
        let cases: &[(&str, &str, &str, Result<(), &str>)] = &[
            ("abc12345", "abc12345", "old", Ok(())),
            ("abc12345", "abc12346", "old", Err(msg::PASSWORD_MISMATCH)),
            ("abc123", "abc123", "old", Err(msg::PASSWORD_TOO_SHORT)),
            ("abcdefgh", "abcdefgh", "old", Err(msg::PASSWORD_NEEDS_MIX)),
            ("12345678", "12345678", "old", Err(msg::PASSWORD_NEEDS_MIX)),
            ("zhang123", "zhang123", "old", Err(msg::PASSWORD_SAME_AS_NAME)),
            ("Zhang123", "Zhang123", "old", Err(msg::PASSWORD_SAME_AS_NAME)),
            ("abc12345", "abc12345", "abc12345", Err(msg::PASSWORD_UNCHANGED)),
        ];
        for (new, confirm, current, want) in cases {
            assert_eq!(check_new_password(new, confirm, current, "zhang123", Some("10023")), *want, "{new}");
        }
        let long = format!("a1{}", "x".repeat(127));
        assert_eq!(check_new_password(&long, &long, "", "u", None), Err(msg::PASSWORD_TOO_LONG));
    }

    #[test]
    fn temporary_passwords_pass_the_policy() {
        for _ in 0..50 {
            let pw = temporary_password();
            assert_eq!(check_new_password(&pw, &pw, "", "admin", None), Ok(()));
        }
    }
}
