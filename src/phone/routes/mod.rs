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
use crate::db::now;

/// Testers: trainers and admins (city-wide).
fn is_tester(user: &CurrentUser) -> bool {
    user.has_any_role(&[Role::Trainer, Role::Admin])
}

fn this_month() -> String {
    crate::time::local_month(now())
}
