//! `StaffNo`: a clerk's staff number (工号), the key every spreadsheet the
//! branch exchanges uses. Checked once where it enters (a form, an import).

use std::fmt;

/// Up to 20 ASCII letters, digits, `-` or `_` — what the roster accepts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct StaffNo(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadStaffNo {
    Empty,
    Invalid,
}

impl StaffNo {
    pub const MAX_CHARS: usize = 20;

    /// A staff number as typed or read from a cell: blanks around it are
    /// dropped, full-width digits and letters read as ASCII, and a number
    /// Excel stored as `10087.0` read as `10087`.
    pub fn parse(text: &str) -> Result<StaffNo, BadStaffNo> {
        let t: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                }
                c => c,
            })
            .collect();
        let t = t.strip_suffix(".0").filter(|s| s.chars().all(|c| c.is_ascii_digit())).unwrap_or(&t);
        if t.is_empty() {
            return Err(BadStaffNo::Empty);
        }
        if t.chars().count() > Self::MAX_CHARS
            || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(BadStaffNo::Invalid);
        }
        Ok(StaffNo(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StaffNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_staff_numbers_as_people_type_them() {
        let cases = [
            ("10087", Ok("10087")),
            (" 10087 ", Ok("10087")),
            ("１００８７", Ok("10087")),
            ("10087.0", Ok("10087")),
            ("JZ-0012", Ok("JZ-0012")),
            ("a_1", Ok("a_1")),
            ("", Err(BadStaffNo::Empty)),
            ("   ", Err(BadStaffNo::Empty)),
            ("100 87", Err(BadStaffNo::Invalid)),
            ("张三", Err(BadStaffNo::Invalid)),
            ("123456789012345678901", Err(BadStaffNo::Invalid)),
            ("10087.5", Err(BadStaffNo::Invalid)),
        ];
        for (text, want) in cases {
            assert_eq!(StaffNo::parse(text).as_ref().map(StaffNo::as_str).map_err(|e| *e), want, "{text:?}");
        }
    }
}
