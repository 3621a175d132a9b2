//! 百分制评价 (issue 25): the monthly 100-point evaluation of clerks and team
//! leaders — versioned schemes per role (measured components with a stated
//! mapping, rated ones with reasons, 一票否决), each month's evaluation with
//! its explanation, means and ranks, appeals, the month close — and the team
//! leaders' 360-degree evaluation.

pub mod copy;
pub mod demo;
pub mod export;
pub mod home;
pub mod metrics;
pub mod model;
pub mod routes;
pub mod rules;
pub mod scheme;
pub mod three_sixty;
