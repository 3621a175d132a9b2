//! Integration tests through the real server, each on its own database.

mod access;
mod admin;
mod auth;
mod browser;
mod cli;
mod helpers;
mod roster;
mod schema;
