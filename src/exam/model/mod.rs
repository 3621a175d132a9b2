//! Exams, attempts and answers in the database, one file per entity.

mod attempt;
mod exam;
mod grading;
mod people;
mod pool;
mod results;
mod sitting;

pub use attempt::{new_device_token, Attempt, Item, SaveOutcome};
pub use exam::{kind_label, Exam};
pub use grading::{graded_items, marking_queue, MarkingItem};
pub use people::{audience_people, in_audience, roles_of, ExamPerson};
pub use pool::{pool, pool_as_of, question_stems, unit_names};
pub use results::{ranks, results, ResultRow};
pub use sitting::Sitting;

pub use crate::domain::org::{Audience, OrgTree as Tree, Person};

pub const PUBLISHED: &str = "published";
pub const DRAFT: &str = "draft";
pub const IN_PROGRESS: &str = "in_progress";
pub const SUBMITTED: &str = "submitted";

/// Sat in examhall.
pub const SOURCE_SAT: &str = "sat";
/// Results imported from a sitting held elsewhere: no paper, nothing to sit.
pub const SOURCE_IMPORTED: &str = "imported";

/// The review a candidate gets once the window has closed.
pub const REVIEW_NONE: &str = "none";
pub const REVIEW_SCORE: &str = "score";
pub const REVIEW_FULL: &str = "full";

pub const KINDS: [&str; 3] = ["monthly", "retest", "practice"];
