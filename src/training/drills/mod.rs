//! Weekly offline-environment drills (离线环境测试, DESIGN §4 rule 9): per
//! clerk per week, business type, seconds taken and errors; speed is the
//! median time per business type, accuracy the share of error-free drills.
//!
//! - [`model`]: drills, business types, the hall's staff;
//! - [`rules`]: weeks, medians, speed and accuracy (pure);
//! - [`form`]: what people type, checked (pure, shared with the import);
//! - [`metrics`]: the grouping per clerk, hall and week (pure) and its loads;
//! - [`figures`]: the month as the pages and the feedback show it;
//! - [`entry`]: the quick entry form read and checked;
//! - [`view`]: what the pages load;
//! - [`export`]: the feedback as a workbook;
//! - [`routes`]: the thin handlers.

pub mod entry;
pub mod export;
pub mod figures;
pub mod form;
pub mod metrics;
pub mod model;
pub mod routes;
pub mod rules;
pub mod view;

pub use metrics::{clerk_month, hall_type_stats, ClerkDrills, TypeMiss};
