//! Integration tests through the real server, each on its own database.

mod access;
mod admin;
mod auth;
mod bank;
mod bounds;
mod browser;
mod cli;
mod dashboard;
mod drills;
mod exam;
mod faults;
mod helpers;
mod idor;
mod import_results;
mod kb;
mod kb_ledger;
mod month_close;
mod phone;
mod phone_reports;
mod plans;
mod review;
mod roster;
mod schema;
mod scorecard;
mod study;
