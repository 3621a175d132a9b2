//! Study sessions (业务学习, DESIGN §4 rule 8): a hall's sessions with their
//! attendees, the month's hours against the target, and the export.
//!
//! - [`model`]: the session rows and their queries;
//! - [`summary`]: the month's sums per hall (one place) and attendance;
//! - [`rules`]: kinds, lengths, hours (pure);
//! - [`form`]: the form's checks (pure, a table of cases);
//! - [`export`]: the month in Excel;
//! - [`routes`]: the thin handlers.

pub mod export;
pub mod form;
pub mod model;
pub mod routes;
pub mod rules;
pub mod summary;

pub use summary::{hall_month_summary, HallStudy};
