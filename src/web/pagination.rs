//! Page numbers for long lists, and the bounds of list pages' query strings.
//!
//! A list page's `?page=` and search text come from the address bar, so they
//! may be anything: a page that is not a number (or is out of range) is read
//! as the nearest sensible page, and search text is cut to [`SEARCH_MAX`]
//! characters. Query structs opt in with
//! `#[serde(default, deserialize_with = "pagination::page")]` and
//! `#[serde(default, deserialize_with = "pagination::search")]` (or `search_opt`).

use serde::{Deserialize, Deserializer, Serialize};

/// The longest search text a list page uses (characters; longer is cut).
pub const SEARCH_MAX: usize = 100;

/// The highest page number a list page accepts; [`Pager::new`] then clamps
/// to the list's last page.
pub const PAGE_MAX: i64 = 1_000_000;

/// `?page=` read leniently: a number (saturated to 1..=[`PAGE_MAX`]), a run of
/// digits too long for an i64 (the last page), or None for anything else.
pub fn parse_page(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let digits = raw.strip_prefix(['-', '+']).unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = raw.parse::<i64>().unwrap_or(if raw.starts_with('-') { 1 } else { PAGE_MAX });
    Some(value.clamp(1, PAGE_MAX))
}

/// Search text cut to [`SEARCH_MAX`] characters (on a character boundary).
pub fn cut_search(text: &str) -> String {
    match text.char_indices().nth(SEARCH_MAX) {
        Some((end, _)) => text[..end].to_string(),
        None => text.to_string(),
    }
}

/// serde: `?page=` as [`parse_page`] reads it (never an error).
pub fn page<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.as_deref().and_then(parse_page))
}

/// serde: search text cut by [`cut_search`].
pub fn search<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(cut_search(&String::deserialize(d)?))
}

/// serde: optional search text cut by [`cut_search`].
pub fn search_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(|t| cut_search(&t)))
}

#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    pub pages: i64,
}

impl Pager {
    /// `page` is 1-based as shown to users; out-of-range values are clamped.
    pub fn new(page: Option<i64>, per_page: i64, total: i64) -> Self {
        let per_page = per_page.max(1);
        let pages = (total.max(0) / per_page + i64::from(total % per_page > 0)).max(1);
        let page = page.unwrap_or(1).clamp(1, pages);
        Self { page, per_page, total, pages }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::{cut_search, parse_page, Pager, PAGE_MAX, SEARCH_MAX};

    #[test]
    fn clamps_and_counts_pages() {
        let cases = [
            (None, 0, 1, 1, 0),
            (Some(1), 50, 1, 1, 0),
            (Some(2), 51, 2, 2, 50),
            (Some(9), 120, 3, 3, 100),
            (Some(-4), 120, 1, 3, 0),
            (Some(i64::MAX), 120, 3, 3, 100),
            (Some(i64::MIN), 120, 1, 3, 0),
            (Some(3), i64::MAX, 3, i64::MAX / 50 + 1, 100),
        ];
        for (page, total, want_page, want_pages, want_offset) in cases {
            let p = Pager::new(page, 50, total);
            assert_eq!(
                (p.page, p.pages, p.offset()),
                (want_page, want_pages, want_offset),
                "{page:?} {total}"
            );
        }
    }

    #[test]
    fn reads_any_page_text() {
        let cases = [
            ("", None),
            ("abc", None),
            ("1e3", None),
            ("-", None),
            ("3", Some(3)),
            (" 7 ", Some(7)),
            ("+2", Some(2)),
            ("0", Some(1)),
            ("-5", Some(1)),
            ("1000000000000000000", Some(PAGE_MAX)),
            ("99999999999999999999999999", Some(PAGE_MAX)),
            ("-99999999999999999999999999", Some(1)),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_page(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn query_structs_read_any_page_and_cut_search_text() {
        #[derive(serde::Deserialize)]
        struct Q {
            #[serde(default, deserialize_with = "super::page")]
            page: Option<i64>,
            #[serde(default, deserialize_with = "super::search")]
            q: String,
            #[serde(default, deserialize_with = "super::search_opt")]
            kp: Option<String>,
        }
        let long = "王".repeat(500);
        let q: Q = serde_urlencoded::from_str(&format!("page=abc&q={long}&kp={long}")).unwrap();
        assert_eq!((q.page, q.q.chars().count(), q.kp.map(|k| k.chars().count())), (None, 100, Some(100)));
        let q: Q = serde_urlencoded::from_str("page=99999999999999999999999").unwrap();
        assert_eq!((q.page, q.q.as_str(), q.kp), (Some(PAGE_MAX), "", None));
    }

    #[test]
    fn cuts_search_text_on_a_character() {
        assert_eq!(cut_search("话务"), "话务");
        let long = "话".repeat(SEARCH_MAX + 50);
        assert_eq!(cut_search(&long).chars().count(), SEARCH_MAX);
        assert_eq!(cut_search(&"a".repeat(SEARCH_MAX)).len(), SEARCH_MAX);
    }
}
