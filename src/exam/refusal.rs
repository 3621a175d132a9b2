//! Why the exam feature refused an action: typed, so callers and tests can
//! match on the reason; the Chinese text is made only at the edge (Display,
//! from the message catalog).

use std::fmt;

use super::rules;
use crate::domain::Month;
use crate::web::msg;

/// A refusal of an exam action; `Display` is the notice the user sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExamRefusal {
    /// A results-only (imported) exam has no paper, sittings or times.
    ResultsOnly,
    /// A results-only exam cannot be started.
    ResultsOnlyStart,
    ReasonRequired,
    BadMinutes,
    /// Someone has seen the key or their marks (rule 10): this many people.
    KeyShown(i64),
    /// An in-person attempt whose room has closed.
    SittingClosed,
    NotSubmittedYet,
    AttemptClosed,
    UnknownStaff,
    BadMark,
    HasAttempts,
    /// The month already has its published monthly exam (imported results or sat here).
    MonthTaken {
        month: Month,
        title: String,
        id: i32,
        imported: bool,
    },
    /// Sections the pool cannot fill, each as its shortage line.
    Short(Vec<String>),
    IpNotAllowed,
    OtherDevice,
    /// A start refused by the rules (DESIGN §4).
    Start(rules::Refusal),
    /// Too many wrong sitting codes lately.
    CodeThrottled,
    /// The right code, too early: from when it works (Beijing time, shown).
    SittingNotYet(String),
    /// An answer the page could not have sent.
    Incomplete,
    /// An answer longer than a question takes.
    AnswerTooLong,
}

impl fmt::Display for ExamRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: &str = match self {
            ExamRefusal::ResultsOnly => msg::EXAM_RESULTS_ONLY,
            ExamRefusal::ResultsOnlyStart => msg::EXAM_RESULTS_ONLY_START,
            ExamRefusal::ReasonRequired => msg::EXAM_REASON_REQUIRED,
            ExamRefusal::BadMinutes => msg::EXAM_BAD_MINUTES,
            ExamRefusal::KeyShown(n) => return f.write_str(&msg::exam_key_already_shown(*n)),
            ExamRefusal::SittingClosed => msg::EXAM_SITTING_CLOSED_NO_TIME,
            ExamRefusal::NotSubmittedYet => msg::EXAM_NOT_SUBMITTED_YET,
            ExamRefusal::AttemptClosed => msg::EXAM_ATTEMPT_CLOSED,
            ExamRefusal::UnknownStaff => msg::EXAM_UNKNOWN_STAFF,
            ExamRefusal::BadMark => msg::EXAM_BAD_MARK,
            ExamRefusal::HasAttempts => msg::EXAM_HAS_ATTEMPTS,
            ExamRefusal::MonthTaken { month, title, imported: true, .. } => {
                return f.write_str(&msg::results_month_taken(*month, title))
            }
            ExamRefusal::MonthTaken { month, title, id, imported: false } => {
                return f.write_str(&msg::exam_month_published(*month, title, *id))
            }
            ExamRefusal::Short(lines) => {
                return write!(f, "{}{}", msg::EXAM_CANNOT_PUBLISH_SHORT, lines.join("；"))
            }
            ExamRefusal::IpNotAllowed => msg::EXAM_IP_NOT_ALLOWED,
            ExamRefusal::OtherDevice => msg::EXAM_OTHER_DEVICE,
            ExamRefusal::Start(r) => return f.write_str(&r.message()),
            ExamRefusal::CodeThrottled => msg::EXAM_SITTING_CODE_THROTTLED,
            ExamRefusal::SittingNotYet(from) => return f.write_str(&msg::exam_sitting_not_yet(from)),
            ExamRefusal::Incomplete => msg::REQUEST_INCOMPLETE,
            ExamRefusal::AnswerTooLong => msg::EXAM_ANSWER_TOO_LONG,
        };
        f.write_str(text)
    }
}

/// A refused exam form: the problems by field, shown beside the form (422).
#[derive(Debug, Clone)]
pub struct Invalid(pub crate::web::FieldErrors);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<&str> = self.0.values().map(String::as_str).collect();
        f.write_str(&lines.join("；"))
    }
}
