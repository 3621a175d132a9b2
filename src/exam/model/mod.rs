//! Exams, attempts and answers in the database, one file per entity.

mod attempt;
mod exam;
mod grading;
mod people;
mod pool;
mod results;
mod sitting;
mod staff;
mod status;

pub use attempt::{new_device_token, Attempt, Item, SaveOutcome};
pub use exam::Exam;
pub use grading::{graded_items, marking_queue, MarkingItem};
pub use people::{audience_people, in_audience, roles_of, ExamPerson};
pub use pool::{pool, pool_as_of, question_stems, unit_names};
pub use results::{ranks, results, ResultRow};
pub use sitting::Sitting;
pub use staff::{resolve_staff, staff_numbers};
pub use status::{AttemptStatus, ExamKind, ExamStatus, SittingStatus, Source};

pub use crate::domain::org::{Audience, OrgTree as Tree, Person};

use crate::exam::key::Review;

// The names other features and the tests use for the statuses; new code
// names the variant.
pub const PUBLISHED: ExamStatus = ExamStatus::Published;
pub const DRAFT: ExamStatus = ExamStatus::Draft;
pub const IN_PROGRESS: AttemptStatus = AttemptStatus::InProgress;
pub const SUBMITTED: AttemptStatus = AttemptStatus::Submitted;
/// Sat in examhall.
pub const SOURCE_SAT: Source = Source::Sat;
/// Results imported from a sitting held elsewhere: no paper, nothing to sit.
pub const SOURCE_IMPORTED: Source = Source::Imported;
/// The review a candidate gets once the window has closed.
pub const REVIEW_NONE: Review = Review::None;
pub const REVIEW_SCORE: Review = Review::Score;
pub const REVIEW_FULL: Review = Review::Full;
