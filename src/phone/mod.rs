//! Phone tests (电话拨测): versioned rubrics, scenarios, scored calls with
//! calibration by a second tester, and the month's views (DESIGN §4 rule 7).

pub mod model;
pub mod rules;
