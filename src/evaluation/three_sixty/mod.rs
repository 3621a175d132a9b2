//! The team leaders' 360-degree evaluation: rounds, raters from the org
//! tree (adjusted by the city office before opening), anonymous answers
//! stored apart from who gave them, results by perspective under the
//! anonymity threshold, and the figure the leader's evaluation takes.

pub mod model;
pub mod routes;
