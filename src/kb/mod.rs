//! Knowledge base (知识库): articles in Markdown with versions and
//! attachments, mandatory reading (必读) with reading evidence, and the
//! monthly reading-penalty ledger (DESIGN §4 rules 5–6).

pub mod model;
pub mod rules;
