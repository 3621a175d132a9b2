//! Customer satisfaction (issue 25): the customers' SMS evaluation replies
//! (回复明细) and the province's per-hall satisfaction rates (单厅满意率),
//! imported through the shared dry-run pipeline; per hall and clerk the
//! rate, count and trend, the dissatisfied replies and their most frequent
//! words (jieba). The evaluation takes its satisfaction figures from here.

pub mod import;
pub mod model;
pub mod routes;
pub mod rules;
pub mod svg;
pub mod words;
