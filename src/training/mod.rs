//! Training duties (DESIGN §1, §4 rules 8–9): the hall's organised study
//! sessions (业务学习, [`study`]) and the weekly offline-environment drills
//! (离线环境测试, [`drills`], with their spreadsheet [`import`]), with the
//! metrics the monthly feedback (月末反馈) and the scorecard use. Who sees
//! and records which hall is one answer for both: [`access`].

pub mod access;
pub mod demo;
pub mod drills;
pub mod import;
pub mod model;
pub mod study;

/// The paths the drill import's routes use (that file belongs to the
/// generic-import work): the time shown as text.
pub mod rules {
    pub use super::drills::rules::duration_text;
}
