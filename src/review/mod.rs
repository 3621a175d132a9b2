//! Month close (review): the city average, the below-average list of county
//! clerks, consecutive flags and the in-person retest. So far: the exact rules,
//! the live list for a month with its scope, export and CLI report, and the
//! supervisors' follow-up of each listed clerk (`case`); closing a month and
//! the automatic retest marking come with the rest of month close.

pub mod case;
pub mod close;
pub mod import;
pub mod model;
pub mod routes;
pub mod rules;
