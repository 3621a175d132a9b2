//! Question banks (题库): questions, their rules, grading and import formats.

pub mod formats;
pub mod grading;
pub mod images;
pub mod import;
pub mod model;
pub mod preview;
pub mod question;
pub mod routes;
pub mod sources;
