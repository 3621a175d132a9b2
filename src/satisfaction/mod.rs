//! Customer satisfaction (issue 25): the customers' SMS evaluation replies
//! (回复明细) and the province's per-hall satisfaction rates (单厅满意率).
//! This first part is the rules: reading a rating as the carrier sends it,
//! and the satisfaction rate, exactly.

pub mod rules;
