//! 百分制评价 (issue 25): the monthly 100-point evaluation of clerks and team
//! leaders, and the team leaders' 360-degree evaluation. This first part is
//! the rules, as pure functions: how a measured figure maps to points, how
//! a month's components make a total (missing data, 一票否决), who rates a
//! team leader, and when an anonymous group's result may be shown.

pub mod copy;
pub mod rules;
