//! Weak spots and the supervisor dashboard (issue 9): the month's
//! knowledge-point heat map from the exam answers, the weakest phone-test
//! items per hall, the drills that miss, and the few numbers a supervisor
//! watches with links into each list. Charts are SVG made here.

pub mod board;
pub mod heat;
pub mod knowledge;
pub mod model;
pub mod routes;
pub mod rules;
pub mod spots;
pub mod svg;
