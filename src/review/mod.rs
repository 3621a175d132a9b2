//! Month close (review): the city average, the below-average list of county
//! clerks, consecutive flags and the in-person retest. So far: the exact rules,
//! the live list for a month with its scope, export and CLI report; closing a
//! month, talk notes and retest tracking come with the rest of month close.

pub mod model;
pub mod routes;
pub mod rules;
