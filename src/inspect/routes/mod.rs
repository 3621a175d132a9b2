//! The inspection pages (routes are listed in `crate::routes`).

pub mod form;
pub mod home;
pub mod library;
pub mod orders;
pub mod plan;
pub mod report;
pub mod standard;

/// `?month=YYYY-MM` of the monthly pages (this month when absent or malformed).
#[derive(serde::Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

impl MonthQuery {
    pub fn month(&self) -> crate::domain::Month {
        crate::web::month::valid_month_or_this(self.month.as_deref())
    }
}
