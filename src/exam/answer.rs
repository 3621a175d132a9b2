//! Answers between the page and the database. The page shows options in the
//! candidate's shuffled order; the database keeps the question's own option
//! numbers, so grading and review never depend on the shuffle.

use serde::Serialize;

use super::refusal::ExamRefusal;
use crate::bank::grading::Response;
use crate::bank::question::Kind;

pub const MAX_TEXT: usize = 5_000;
pub const MAX_BLANK: usize = 200;

/// Turns the values a page sent for one question into a response (None = not
/// answered). `order[i]` is the question's option shown at position i.
pub fn parse(
    kind: Kind,
    order: &[usize],
    blanks: usize,
    values: &[String],
) -> Result<Option<Response>, ExamRefusal> {
    let bad = || ExamRefusal::Incomplete;
    match kind {
        Kind::Single | Kind::Multiple => {
            let mut chosen = Vec::new();
            for v in values.iter().filter(|v| !v.trim().is_empty()) {
                let shown: usize = v.trim().parse().map_err(|_| bad())?;
                chosen.push(*order.get(shown).ok_or_else(bad)?);
            }
            chosen.sort_unstable();
            chosen.dedup();
            if kind == Kind::Single && chosen.len() > 1 {
                return Err(bad());
            }
            Ok((!chosen.is_empty()).then_some(Response::Choices(chosen)))
        }
        Kind::TrueFalse => match values.iter().map(|v| v.trim()).find(|v| !v.is_empty()) {
            None => Ok(None),
            Some("true") => Ok(Some(Response::TrueFalse(true))),
            Some("false") => Ok(Some(Response::TrueFalse(false))),
            Some(_) => Err(bad()),
        },
        Kind::Blanks => {
            if values.len() > blanks || values.iter().any(|v| v.chars().count() > MAX_BLANK) {
                return Err(ExamRefusal::AnswerTooLong);
            }
            let given: Vec<String> = values.iter().map(|v| v.trim().to_string()).collect();
            Ok(given.iter().any(|g| !g.is_empty()).then_some(Response::Blanks(given)))
        }
        Kind::Essay => {
            let text = values.first().map(|v| v.trim()).unwrap_or_default();
            if text.chars().count() > MAX_TEXT {
                return Err(ExamRefusal::AnswerTooLong);
            }
            Ok((!text.is_empty()).then(|| Response::Text(text.to_string())))
        }
    }
}

/// A response as the page shows it again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Shown {
    /// Shown positions of the chosen options.
    pub chosen: Vec<usize>,
    pub true_false: Option<bool>,
    pub blanks: Vec<String>,
    pub text: String,
}

pub fn show(order: &[usize], response: Option<&Response>, blanks: usize) -> Shown {
    let mut shown = Shown { blanks: vec![String::new(); blanks], ..Default::default() };
    match response {
        Some(Response::Choices(c)) => {
            shown.chosen = order.iter().enumerate().filter(|(_, o)| c.contains(o)).map(|(i, _)| i).collect();
        }
        Some(Response::TrueFalse(v)) => shown.true_false = Some(*v),
        Some(Response::Blanks(given)) => {
            for (slot, g) in shown.blanks.iter_mut().zip(given) {
                slot.clone_from(g);
            }
        }
        Some(Response::Text(t)) => shown.text.clone_from(t),
        None => {}
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn shown_positions_map_to_question_options() {
        // Shown A B C D = question options 2 0 3 1.
        let order = [2, 0, 3, 1];
        assert_eq!(parse(Kind::Single, &order, 0, &v(&["0"])), Ok(Some(Response::Choices(vec![2]))));
        assert_eq!(
            parse(Kind::Multiple, &order, 0, &v(&["3", "0", "3"])),
            Ok(Some(Response::Choices(vec![1, 2])))
        );
        assert_eq!(parse(Kind::Multiple, &order, 0, &v(&[])), Ok(None));
        assert!(parse(Kind::Single, &order, 0, &v(&["4"])).is_err());
        assert!(parse(Kind::Single, &order, 0, &v(&["x"])).is_err());
        assert!(parse(Kind::Single, &order, 0, &v(&["0", "1"])).is_err());
        let shown = show(&order, Some(&Response::Choices(vec![1, 2])), 0);
        assert_eq!(shown.chosen, vec![0, 3]);
    }

    #[test]
    fn other_kinds() {
        assert_eq!(parse(Kind::TrueFalse, &[], 0, &v(&["false"])), Ok(Some(Response::TrueFalse(false))));
        assert_eq!(parse(Kind::TrueFalse, &[], 0, &v(&[""])), Ok(None));
        assert!(parse(Kind::TrueFalse, &[], 0, &v(&["yes"])).is_err());
        assert_eq!(
            parse(Kind::Blanks, &[], 2, &v(&[" 携号转网 ", ""])),
            Ok(Some(Response::Blanks(v(&["携号转网", ""]))))
        );
        assert_eq!(parse(Kind::Blanks, &[], 2, &v(&["", ""])), Ok(None));
        assert!(parse(Kind::Blanks, &[], 1, &v(&["a", "b"])).is_err());
        assert_eq!(
            parse(Kind::Essay, &[], 0, &v(&["  先核实身份  "])),
            Ok(Some(Response::Text("先核实身份".into())))
        );
        assert!(parse(Kind::Essay, &[], 0, &["字".repeat(MAX_TEXT + 1)]).is_err());
        let shown = show(&[], Some(&Response::Blanks(v(&["a"]))), 3);
        assert_eq!(shown.blanks, v(&["a", "", ""]));
    }
}
