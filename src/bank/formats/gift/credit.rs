//! Moodle's weights (GIFT's `%50%`, Moodle XML's `fraction`) against what
//! examhall grades exactly: the policy in the `gift` module docs, shared by
//! both readers. What is not kept is said in a warning, never dropped
//! silently.

use super::WEIGHT_TOLERANCE;
use crate::bank::question::Kind;
use crate::web::msg;

/// One answer of a group: its weight in percent, its text, and whether it
/// holds an unescaped `*` (a wildcard in a short answer).
#[derive(Debug, Clone, PartialEq)]
pub struct Weighted {
    pub weight: f64,
    pub text: String,
    pub wildcard: bool,
}

/// Why a group was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A mistake in the file.
    Error(String),
    /// Something examhall cannot grade as written (listed as skipped).
    Skip(String),
}

pub fn full(weight: f64) -> bool {
    (weight - 100.0).abs() <= WEIGHT_TOLERANCE
}

/// A choice's type and correct options. `single`: Moodle's single-answer
/// mode (GIFT: an `=` among the answers; XML: `<single>true`).
pub fn choice(
    answers: &[Weighted],
    single: bool,
    warnings: &mut Vec<String>,
) -> Result<(Kind, Vec<usize>), Refusal> {
    let positive: Vec<usize> = (0..answers.len()).filter(|&i| answers[i].weight > 0.0).collect();
    if positive.is_empty() {
        return Err(Refusal::Error(msg::XML_NO_CORRECT_ANSWER.to_string()));
    }
    let (full_marks, partial): (Vec<usize>, Vec<usize>) =
        positive.iter().partition(|&&i| full(answers[i].weight));
    if single {
        let kind = match full_marks.len() {
            0 => return Err(Refusal::Skip(msg::PARTIAL_ONLY_SKIPPED.to_string())),
            1 => Kind::Single,
            _ => {
                warnings.push(msg::ANY_OF_SEVERAL.to_string());
                Kind::Multiple
            }
        };
        if !partial.is_empty() {
            warnings.push(msg::partial_choice_dropped(&named(answers, &partial)));
        }
        return Ok((kind, full_marks));
    }
    match positive.len() {
        1 if full_marks.len() == 1 => Ok((Kind::Single, full_marks)),
        1 => Err(Refusal::Skip(msg::PARTIAL_ONLY_SKIPPED.to_string())),
        n => {
            if !graded_alike(answers, n) {
                let all: Vec<usize> = (0..answers.len()).collect();
                warnings.push(msg::weighted_multiple(&named(answers, &all)));
            }
            Ok((Kind::Multiple, positive))
        }
    }
}

/// Whether Moodle's marks for these weights are examhall's 多选 marks: the
/// `correct` options share 100% equally and every other one costs 100% (or
/// more), so a wrong pick leaves nothing and a correct subset earns its share.
fn graded_alike(answers: &[Weighted], correct: usize) -> bool {
    let share = 100.0 / correct as f64;
    answers.iter().all(|a| {
        if a.weight > 0.0 {
            (a.weight - share).abs() <= WEIGHT_TOLERANCE
        } else {
            a.weight <= -100.0 + WEIGHT_TOLERANCE
        }
    })
}

/// The accepted answers of a blank: those with full credit. A full-credit
/// wildcard refuses the question; partial-credit answers are named in a
/// warning; answers at 0% or below earn nothing in Moodle either.
pub fn accepted(answers: Vec<Weighted>, warnings: &mut Vec<String>) -> Result<Vec<String>, Refusal> {
    if answers.iter().any(|a| a.wildcard && full(a.weight)) {
        return Err(Refusal::Skip(msg::WILDCARD_SKIPPED.to_string()));
    }
    if !answers.iter().any(|a| full(a.weight)) {
        return Err(Refusal::Error(msg::XML_NO_CORRECT_ANSWER.to_string()));
    }
    let partial: Vec<usize> =
        (0..answers.len()).filter(|&i| answers[i].weight > 0.0 && !full(answers[i].weight)).collect();
    if !partial.is_empty() {
        warnings.push(msg::partial_short_dropped(&named(&answers, &partial)));
    }
    Ok(answers.into_iter().filter(|a| full(a.weight)).map(|a| a.text).collect())
}

/// `「携转」50%、「携号」33.33%`
fn named(answers: &[Weighted], which: &[usize]) -> String {
    let list: Vec<String> =
        which.iter().map(|&i| format!("「{}」{}%", answers[i].text, percent(answers[i].weight))).collect();
    list.join("、")
}

fn percent(weight: f64) -> String {
    let text = format!("{weight:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}
