//! The org tree: city → districts/counties → halls.

pub mod model;
pub mod routes;
pub mod rules;

pub use model::OrgUnit;
pub use rules::UnitKind;
