//! Page numbers for long lists.

use serde::Serialize;

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
        let pages = ((total + per_page - 1) / per_page).max(1);
        let page = page.unwrap_or(1).clamp(1, pages);
        Self { page, per_page, total, pages }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }
}

#[cfg(test)]
mod tests {
    use super::Pager;

    #[test]
    fn clamps_and_counts_pages() {
        let cases = [
            (None, 0, 1, 1, 0),
            (Some(1), 50, 1, 1, 0),
            (Some(2), 51, 2, 2, 50),
            (Some(9), 120, 3, 3, 100),
            (Some(-4), 120, 1, 3, 0),
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
}
