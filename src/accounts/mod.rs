//! Accounts: people, their hall, and their role grants.

pub mod model;
pub mod routes;

pub use model::User;
