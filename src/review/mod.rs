//! Month close (review): the city average, the below-average list of county
//! clerks, consecutive flags and the in-person retest. This first step holds
//! the rules; the pages come with the month-close issue.

pub mod rules;
