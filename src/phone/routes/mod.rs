//! Phone-test pages: editing the rubric (each save a new version), scenarios,
//! recording a call (and a second tester's calibration scoring), a call's
//! page, the month's list and a clerk's own calls.
//!
//! "The clerk belongs to that hall" is checked against the current roster:
//! the site keeps no history of who worked in which hall.

pub mod calls;
pub mod record;
pub mod rubric;
pub mod scenarios;

pub use calls::{recent, views};

use crate::auth::{CurrentUser, Role};

/// Testers: trainers and admins (city-wide).
fn is_tester(user: &CurrentUser) -> bool {
    user.has_any_role(&[Role::Trainer, Role::Admin])
}

/// This month, as the recording form's month field shows it.
fn this_month() -> String {
    crate::domain::Month::current().to_string()
}
