//! What the import preview shows of each question: the source lines it came
//! from beside what was read (type, options with the answer marked,
//! explanation), what was inferred, and the fields a trainer may correct
//! before confirming (type, answer, leave out). The corrections come back
//! as form fields `kind_{line}`, `answer_{line}`, `leave_{line}`.

use std::collections::HashMap;

use serde::Serialize;

use super::formats::LineError;
use super::import::{Fix, Plan};
use super::question::{format_points, letter, Answer, Kind, Question};
use crate::web::msg;

#[derive(Debug, Serialize)]
pub struct SourceLine {
    pub no: usize,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct QuestionPreview {
    pub line: usize,
    pub end: usize,
    pub source: Vec<SourceLine>,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub stem: String,
    pub options: Vec<(char, String, bool)>,
    pub answer: String,
    pub explanation: String,
    pub points: String,
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
    pub images: usize,
    /// Worth a look: the answer or type was inferred beyond a heading, or a warning.
    pub flagged: bool,
}

/// The answer as the trainer writes it in the correction field.
pub fn answer_input(answer: &Answer) -> String {
    match answer {
        Answer::Choices(c) => c.iter().map(|i| letter(*i)).collect(),
        Answer::TrueFalse(v) => msg::true_false(*v).to_string(),
        Answer::Blanks(groups) => groups.iter().map(|g| format!("({})", g.join("|"))).collect(),
        Answer::Reference(r) => r.clone(),
    }
}

/// At most this many source lines are shown beside a question.
const MAX_SOURCE_LINES: usize = 40;

pub fn previews(plan: &Plan) -> Vec<QuestionPreview> {
    plan.new
        .iter()
        .map(|item| {
            let q: &Question = &item.question;
            let correct = |i: usize| matches!(&q.answer, Answer::Choices(c) if c.contains(&i));
            let source = (item.line..=item.end.max(item.line))
                .take(MAX_SOURCE_LINES)
                .filter_map(|no| plan.source.get(no - 1).map(|t| SourceLine { no, text: t.clone() }))
                .filter(|l| !l.text.trim().is_empty())
                .collect();
            let warnings: Vec<String> = plan
                .warnings
                .iter()
                .filter(|w| (item.line..=item.end.max(item.line)).contains(&w.line))
                .map(|w: &LineError| w.message.clone())
                .collect();
            let routine = [msg::NOTE_TYPE_FROM_HEADING, msg::NOTE_POINTS_FROM_HEADING];
            let flagged = item.notes.iter().any(|n| !routine.contains(&n.as_str())) || !warnings.is_empty();
            QuestionPreview {
                flagged,
                line: item.line,
                end: item.end.max(item.line),
                source,
                kind: q.kind.code(),
                kind_label: q.kind.label(),
                stem: q.stem.clone(),
                options: q
                    .options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| (letter(i), o.clone(), correct(i)))
                    .collect(),
                answer: answer_input(&q.answer),
                explanation: q.explanation.clone(),
                points: format_points(q.points),
                notes: item.notes.clone(),
                warnings,
                images: item.images.len(),
            }
        })
        .collect()
}

/// The corrections sent with the confirmation: only what differs from the
/// question as read counts.
pub fn fixes(plan: &Plan, form: &HashMap<String, String>) -> Vec<Fix> {
    plan.new
        .iter()
        .filter_map(|item| {
            let q = &item.question;
            let kind = form
                .get(&format!("kind_{}", item.line))
                .and_then(|k| Kind::parse_code(k))
                .filter(|k| *k != q.kind);
            let answer = form
                .get(&format!("answer_{}", item.line))
                .map(|a| a.trim().to_string())
                .filter(|a| *a != answer_input(&q.answer) && q.kind != Kind::Essay);
            let leave_out = form.contains_key(&format!("leave_{}", item.line));
            (kind.is_some() || answer.is_some() || leave_out).then_some(Fix {
                line: item.line,
                kind,
                answer,
                leave_out,
            })
        })
        .collect()
}
