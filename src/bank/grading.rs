//! Grading rules, in hundredths of a point. Pure functions; the exam feature
//! calls them, and FORMAT.md states them for trainers.

use super::question::{normalise, Answer};

/// 单选 and 判断: all or nothing.
pub fn grade_exact(points: i64, correct: bool) -> i64 {
    if correct {
        points
    } else {
        0
    }
}

/// 多选: all correct options and no wrong one = full points; any wrong option
/// chosen = 0; a subset of the correct ones = points × chosen ÷ all correct,
/// rounded down to hundredths.
pub fn grade_multiple_choice(points: i64, correct: &[usize], chosen: &[usize]) -> i64 {
    if correct.is_empty() || chosen.iter().any(|c| !correct.contains(c)) {
        return 0;
    }
    let mut hits: Vec<usize> = chosen.iter().copied().filter(|c| correct.contains(c)).collect();
    hits.sort_unstable();
    hits.dedup();
    points * hits.len() as i64 / correct.len() as i64
}

/// 填空: each blank is worth points ÷ blanks, rounded down, the remainder going
/// to the last blank so a fully correct answer earns exactly `points`. A blank
/// matches an accepted answer after [`normalise`] (width, case, spaces).
pub fn grade_blanks(points: i64, accepted: &[Vec<String>], given: &[String]) -> i64 {
    let n = accepted.len() as i64;
    if n == 0 {
        return 0;
    }
    let share = points / n;
    accepted
        .iter()
        .enumerate()
        .filter(|(i, answers)| {
            let g = given.get(*i).map(|g| normalise(g)).unwrap_or_default();
            !g.is_empty() && answers.iter().any(|a| normalise(a) == g)
        })
        .map(|(i, _)| if i as i64 == n - 1 { points - share * (n - 1) } else { share })
        .sum()
}

/// Grades a response to an automatically marked question; None for 简答.
pub fn grade(points: i64, answer: &Answer, response: &Response) -> Option<i64> {
    match (answer, response) {
        (Answer::Choices(correct), Response::Choices(chosen)) if correct.len() == 1 => {
            Some(grade_exact(points, chosen.len() == 1 && chosen[0] == correct[0]))
        }
        (Answer::Choices(correct), Response::Choices(chosen)) => {
            Some(grade_multiple_choice(points, correct, chosen))
        }
        (Answer::TrueFalse(v), Response::TrueFalse(r)) => Some(grade_exact(points, v == r)),
        (Answer::Blanks(accepted), Response::Blanks(given)) => Some(grade_blanks(points, accepted, given)),
        (Answer::Reference(_), _) => None,
        _ => Some(0),
    }
}

/// What a candidate answered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Response {
    Choices(Vec<usize>),
    TrueFalse(bool),
    Blanks(Vec<String>),
    Text(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiple_choice_table() {
        // (points, correct, chosen, expected hundredths)
        let cases: &[(i64, &[usize], &[usize], i64)] = &[
            (200, &[0, 1, 3], &[0, 1, 3], 200),
            (200, &[0, 1, 3], &[3, 1, 0], 200),
            (200, &[0, 1, 3], &[0, 1], 133),
            (200, &[0, 1, 3], &[0], 66),
            (200, &[0, 1, 3], &[0, 1, 2], 0),
            (200, &[0, 1, 3], &[2], 0),
            (200, &[0, 1, 3], &[], 0),
            (200, &[0, 1, 3], &[0, 0, 1], 133),
            (100, &[0, 1], &[1], 50),
            (150, &[0, 1, 2, 3], &[0, 1, 2], 112),
        ];
        for (points, correct, chosen, want) in cases {
            assert_eq!(grade_multiple_choice(*points, correct, chosen), *want, "{correct:?} {chosen:?}");
        }
    }

    #[test]
    fn blanks_share_the_points_and_compare_normalised() {
        let accepted = vec![
            vec!["携号转网".to_string(), "携转".to_string()],
            vec!["授权码".to_string()],
            vec!["5G".to_string()],
        ];
        let cases: &[(&[&str], i64)] = &[
            (&["携号转网", "授权码", "5G"], 100),
            (&[" 携转 ", "授权码", "５ｇ"], 100),
            (&["携号转网", "授权码", ""], 66),
            (&["", "", "5g"], 34),
            (&["x", "y", "z"], 0),
            (&[], 0),
        ];
        for (given, want) in cases {
            let given: Vec<String> = given.iter().map(|s| s.to_string()).collect();
            assert_eq!(grade_blanks(100, &accepted, &given), *want, "{given:?}");
        }
    }

    #[test]
    fn grade_dispatches_by_answer_type() {
        assert_eq!(grade(100, &Answer::Choices(vec![2]), &Response::Choices(vec![2])), Some(100));
        assert_eq!(grade(100, &Answer::Choices(vec![2]), &Response::Choices(vec![2, 1])), Some(0));
        assert_eq!(grade(100, &Answer::TrueFalse(false), &Response::TrueFalse(false)), Some(100));
        assert_eq!(grade(500, &Answer::Reference(String::new()), &Response::Text("…".into())), None);
        assert_eq!(grade(100, &Answer::TrueFalse(true), &Response::Choices(vec![0])), Some(0));
    }
}
