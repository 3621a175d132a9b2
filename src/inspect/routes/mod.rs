//! The inspection pages (routes are listed in `crate::routes`).

pub mod form;
pub mod home;
pub mod library;
pub mod orders;
pub mod plan;
pub mod report;
pub mod standard;
