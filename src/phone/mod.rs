//! Phone tests (电话拨测): versioned rubrics, scenarios, scored calls with
//! calibration by a second tester, and the month's views (DESIGN §4 rule 7).

pub mod demo;
pub mod import;
pub mod model;
pub mod report;
pub mod report_routes;
pub mod routes;
pub mod rules;
