//! Staff roster import: spreadsheet → validated rows → a plan (dry run) →
//! one transaction. Used by the admin page, the CLI and the demo.

pub mod apply;
mod guard;
pub mod parse;
pub mod plan;
pub mod routes;
pub mod rules;
