//! Knowledge base (知识库): articles in Markdown with versions and
//! attachments, mandatory reading (必读) with reading evidence, and the
//! monthly reading-penalty ledger (DESIGN §4 rules 5–6).

pub mod attachment;
pub mod badge;
pub mod demo;
pub mod ledger;
pub mod ledger_routes;
pub mod model;
pub mod routes;
pub mod rules;
