//! Training duties (DESIGN §1, §4 rules 8–9): the hall's organised study
//! sessions (业务学习) and the weekly offline-environment drills (离线环境测试),
//! with the metrics the monthly feedback (月末反馈) and the scorecard use.

pub mod demo;
pub mod drill_entry;
pub mod drill_figures;
pub mod drill_model;
pub mod drill_report;
pub mod drill_routes;
pub mod drill_rules;
pub mod drill_types;
pub mod drill_view;
pub mod drills;
pub mod import;
pub mod model;
pub mod rules;
pub mod study;
pub mod study_edit;
pub mod study_export;
pub mod study_form;
pub mod study_routes;
