//! Every rule a question must keep, whatever format it came from, and which
//! part of the question each broken rule is about.

use super::{count_blanks, letter, normalise, Answer, Kind, Question};
use super::{MAX_BLANKS, MAX_BLANK_ANSWER, MAX_POINTS, MAX_REFERENCE, MAX_SOURCE, MAX_STEM};
use super::{
    MAX_CATEGORY, MAX_EXPLANATION, MAX_KNOWLEDGE_POINT, MAX_KNOWLEDGE_POINTS, MAX_OPTION, MAX_OPTIONS,
};
use crate::web::msg;

/// Every rule a question must keep, whatever format it came from. The
/// messages are shown after the line or row number.
pub fn validate(q: &Question) -> Vec<String> {
    problems(q).into_iter().map(|(_, m)| m).collect()
}

/// Which part of a question a broken rule is about (an import points at that part's line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Stem,
    Answer,
    Other,
}

/// [`validate`]'s messages with the part each is about.
pub fn problems(q: &Question) -> Vec<(Part, String)> {
    let mut errors = Vec::new();
    let mut answer = Vec::new();
    if q.stem.trim().is_empty() {
        errors.push(msg::Q_STEM_EMPTY.to_string());
    }
    if q.kind.has_options() {
        if q.options.len() < 2 {
            errors.push(msg::Q_TOO_FEW_OPTIONS.to_string());
        }
        if q.options.len() > MAX_OPTIONS {
            errors.push(msg::Q_TOO_MANY_OPTIONS.to_string());
        }
        if q.options.iter().any(|o| o.trim().is_empty()) {
            errors.push(msg::Q_OPTION_EMPTY.to_string());
        }
        let mut seen = std::collections::HashSet::new();
        if q.options.iter().any(|o| !seen.insert(normalise(o))) {
            errors.push(msg::Q_OPTION_DUPLICATE.to_string());
        }
    } else if !q.options.is_empty() {
        errors.push(msg::q_kind_has_no_options(q.kind.label()));
    }
    match (&q.kind, &q.answer) {
        (Kind::Single, Answer::Choices(c)) if c.len() != 1 => {
            answer.push(msg::q_single_answer_count(c.len()))
        }
        (Kind::Multiple, Answer::Choices(c)) if c.len() < 2 => {
            answer.push(msg::Q_MULTIPLE_NEEDS_TWO.to_string())
        }
        (Kind::Single | Kind::Multiple, Answer::Choices(c)) => {
            if let Some(bad) = c.iter().find(|i| **i >= q.options.len()) {
                answer.push(msg::q_answer_option_missing(letter(*bad)));
            }
        }
        (Kind::TrueFalse, Answer::TrueFalse(_)) => {}
        (Kind::Blanks, Answer::Blanks(groups)) => {
            if groups.is_empty() || groups.iter().any(|g| g.iter().all(|a| a.trim().is_empty())) {
                answer.push(msg::Q_BLANK_WITHOUT_ANSWER.to_string());
            }
            let marked = count_blanks(&q.stem);
            if marked > 0 && marked != groups.len() {
                answer.push(msg::q_blank_count(groups.len(), marked));
            }
        }
        (Kind::Essay, Answer::Reference(_)) => {}
        _ => answer.push(msg::q_answer_wrong_kind(q.kind.label())),
    }
    errors.extend(length_errors(q).into_iter().map(String::from));
    if q.points <= 0 || q.points > MAX_POINTS {
        errors.push(msg::Q_POINTS_RANGE.to_string());
    }
    if !(1..=5).contains(&q.difficulty) {
        errors.push(msg::Q_DIFFICULTY_RANGE.to_string());
    }
    let part = |m: &String| {
        if m == msg::Q_STEM_EMPTY || m == msg::Q_STEM_TOO_LONG {
            Part::Stem
        } else {
            Part::Other
        }
    };
    let mut out: Vec<(Part, String)> = errors.into_iter().map(|m| (part(&m), m)).collect();
    out.extend(answer.into_iter().map(|m| (Part::Answer, m)));
    out
}

/// The bounds on how long a question's texts and lists may be.
fn length_errors(q: &Question) -> Vec<&'static str> {
    let long = |text: &str, max: usize| text.chars().count() > max;
    let mut errors = Vec::new();
    if long(&q.stem, MAX_STEM) {
        errors.push(msg::Q_STEM_TOO_LONG);
    }
    if q.options.iter().any(|o| long(o, MAX_OPTION)) {
        errors.push(msg::Q_OPTION_TOO_LONG);
    }
    if long(&q.explanation, MAX_EXPLANATION) {
        errors.push(msg::Q_EXPLANATION_TOO_LONG);
    }
    match &q.answer {
        Answer::Reference(r) if long(r, MAX_REFERENCE) => errors.push(msg::Q_REFERENCE_TOO_LONG),
        Answer::Blanks(groups) => {
            if groups.len() > MAX_BLANKS {
                errors.push(msg::Q_TOO_MANY_BLANKS);
            }
            if groups.iter().flatten().any(|a| long(a, MAX_BLANK_ANSWER)) {
                errors.push(msg::Q_BLANK_ANSWER_TOO_LONG);
            }
        }
        _ => {}
    }
    if q.knowledge_points.len() > MAX_KNOWLEDGE_POINTS {
        errors.push(msg::Q_TOO_MANY_KNOWLEDGE_POINTS);
    }
    if q.knowledge_points.iter().any(|k| long(k, MAX_KNOWLEDGE_POINT)) {
        errors.push(msg::Q_KNOWLEDGE_POINT_TOO_LONG);
    }
    if long(&q.category, MAX_CATEGORY) {
        errors.push(msg::Q_CATEGORY_TOO_LONG);
    }
    if long(&q.source, MAX_SOURCE) {
        errors.push(msg::Q_SOURCE_TOO_LONG);
    }
    errors
}
