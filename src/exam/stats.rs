//! Exam statistics in the manner of Moodle's quiz statistics report, as pure
//! functions over graded attempts.
//!
//! The figures describe how an exam and its questions behaved; they are plain
//! `f64` because nothing here decides a score or docks pay. Every formula is the
//! one Moodle documents in "Quiz statistics calculations"
//! (<https://docs.moodle.org/dev/Quiz_statistics_calculations>) and "Quiz
//! statistics calculations in practice"
//! (<https://docs.moodle.org/dev/Quiz_item_analysis_calculations_in_practise>),
//! as implemented by Moodle's `quiz_statistics\calculator` (test level) and
//! `core_question\statistics\questions\calculator` (question level). Each
//! function and field below says which formula it uses.
//!
//! Papers are drawn per candidate, so an attempt need not have every question:
//! a question's figures are taken over the attempts whose paper carried it.
//!
//! Undefined figures (too few attempts, zero variance, a zero denominator) are
//! `None` (or `0.0` where the field is a plain number), never NaN, and no input
//! makes these functions panic.

use std::collections::HashMap;

use serde::Serialize;

/// One graded attempt: total earned and possible (hundredths of a point), and
/// per question its earned and max (hundredths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptScores {
    pub earned: i64,
    pub possible: i64,
    pub items: Vec<ItemScore>,
}

/// One question of an attempt. A question listed twice in one attempt counts
/// once, with the two scores (and maxima) added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemScore {
    pub question_id: i32,
    pub earned: i64,
    pub max: i64,
}

/// Moodle's question statistics for one question.
///
/// Scores are fractions of the question's max (earned ÷ max, 0 when max ≤ 0),
/// the rest of the test is (attempt earned − question earned) ÷ (attempt
/// possible − question max). Percentages are on the 0–100 scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStats {
    pub question_id: i32,
    /// Attempts whose paper carried this question (Moodle's `s`).
    pub attempts: usize,
    /// Facility index: 100 × mean of the question's fractions.
    pub facility: f64,
    /// Standard deviation of the fractions (sample, n − 1) × 100, i.e. percent of
    /// the question's max; 0 with fewer than two attempts.
    pub sd: f64,
    /// Discrimination index: 100 × Pearson correlation between the question's
    /// fraction and the rest-of-test fraction, i.e. 100 × cov(x, y) ÷ √(var x ·
    /// var y). `None` with fewer than two attempts or when either variance is 0.
    pub discrimination_index: Option<f64>,
    /// Discriminative efficiency: 100 × cov(x, y) ÷ cov_max(x, y), where cov_max
    /// pairs the x and y values each sorted ascending on its own (the largest
    /// covariance those two distributions allow). `None` when cov_max is 0 or
    /// there are fewer than two attempts.
    pub discriminative_efficiency: Option<f64>,
}

/// Moodle's quiz (test) statistics. Mean, median and SD are on the 0–100 scale
/// (earned ÷ possible × 100 per attempt, 0 when possible ≤ 0).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestStats {
    /// Number of attempts (Moodle's `s`).
    pub attempts: usize,
    /// Mean score (percent); 0 with no attempts.
    pub mean: f64,
    /// Median score (percent): the middle score, or the mean of the two middle
    /// scores for an even count; 0 with no attempts.
    pub median: f64,
    /// Standard deviation (sample): √(Σ(x − x̄)² ÷ (s − 1)); 0 with fewer than
    /// two attempts.
    pub sd: f64,
    /// Skewness k₃ ÷ k₂^(3/2) (see [`test_stats`]); from three attempts, `None`
    /// when the scores do not vary.
    pub skewness: Option<f64>,
    /// Kurtosis (excess) k₄ ÷ k₂² (see [`test_stats`]); from four attempts, `None`
    /// when the scores do not vary.
    pub kurtosis: Option<f64>,
    /// Coefficient of internal consistency (Cronbach's α, percent); see
    /// [`test_stats`].
    pub cic: Option<f64>,
    /// Error ratio 100 × √(1 − CIC ÷ 100).
    pub error_ratio: Option<f64>,
    /// Standard error ER ÷ 100 × SD (percentage points).
    pub standard_error: Option<f64>,
}

/// Moodle's test statistics over `attempts`.
///
/// With x the attempts' percent scores, s their number, x̄ their mean and
/// mₖ = Σ(x − x̄)ᵏ ÷ s, as Moodle's calculator does (the k-statistics, i.e.
/// the sample-corrected "adjusted Fisher–Pearson" forms, the same as
/// spreadsheet `SKEW` and `KURT`):
///
/// * k₂ = s·m₂ ÷ (s − 1)
/// * k₃ = s²·m₃ ÷ ((s − 1)(s − 2)), skewness = k₃ ÷ k₂^(3/2) (s ≥ 3, k₂ ≠ 0)
/// * k₄ = s²·((s + 1)·m₄ − 3(s − 1)·m₂²) ÷ ((s − 1)(s − 2)(s − 3)),
///   kurtosis = k₄ ÷ k₂² (s ≥ 4, k₂ ≠ 0)
///
/// The coefficient of internal consistency is Moodle's
/// CIC = 100 · P ÷ (P − 1) · (1 − Σ item variances ÷ test variance), with the
/// variances (sample, n − 1) of raw marks as Moodle takes them: each question's
/// earned over the attempts that had it, and the attempts' total earned. P is
/// the number of questions on a paper. Because papers differ per candidate,
/// "Σ item variances" is that sum for one paper averaged over the attempts
/// (each question's variance weighted by the share of attempts whose paper
/// carried it); when every attempt has the same questions this is exactly
/// Moodle's sum. It counts only how answers to the same question vary, so
/// where candidates drew papers of unequal difficulty that difference adds to
/// the test variance alone and the CIC reads somewhat high. As in Moodle, CIC
/// needs s ≥ 3 and a non-zero test variance; it also needs P ≥ 2 questions on
/// every paper alike and every question seen in at least two attempts
/// (otherwise its variance is unknown), else `None`.
///
/// Error ratio ER = 100 · √(1 − CIC ÷ 100) and standard error SE = ER ÷ 100 ·
/// SD follow whenever CIC is defined (ER is `None` for CIC above 100, which
/// only very uneven papers can produce).
pub fn test_stats(attempts: &[AttemptScores]) -> TestStats {
    let scores: Vec<f64> = attempts.iter().map(|a| fraction(a.earned, a.possible) * 100.0).collect();
    let s = scores.len();
    let n = s as f64;
    let mean = mean(&scores);
    let median = median(&scores);

    let mut stats = TestStats {
        attempts: s,
        mean,
        median,
        sd: 0.0,
        skewness: None,
        kurtosis: None,
        cic: None,
        error_ratio: None,
        standard_error: None,
    };
    if s < 2 {
        return stats;
    }

    let power2 = power_sum(&scores, mean, 2);
    stats.sd = (power2 / (n - 1.0)).sqrt();

    if s >= 3 {
        let m2 = power2 / n;
        let m3 = power_sum(&scores, mean, 3) / n;
        let m4 = power_sum(&scores, mean, 4) / n;
        let k2 = n * m2 / (n - 1.0);
        if k2 > 0.0 {
            let k3 = n * n * m3 / ((n - 1.0) * (n - 2.0));
            stats.skewness = finite(k3 / k2.powf(1.5));
            if s >= 4 {
                let k4 = n * n * ((n + 1.0) * m4 - 3.0 * (n - 1.0) * m2 * m2)
                    / ((n - 1.0) * (n - 2.0) * (n - 3.0));
                stats.kurtosis = finite(k4 / (k2 * k2));
            }
        }
        stats.cic = cic(attempts);
    }

    if let Some(cic) = stats.cic {
        let radicand = 1.0 - cic / 100.0;
        // A CIC of exactly 100 may come out a rounding error above it.
        if radicand > -1e-9 {
            let er = 100.0 * radicand.max(0.0).sqrt();
            stats.error_ratio = finite(er);
            stats.standard_error = finite(er / 100.0 * stats.sd);
        }
    }
    stats
}

/// Moodle's question statistics, one per question id, in order of first
/// appearance across `attempts`. See [`ItemStats`] for each formula.
///
/// An attempt whose rest of the test is worth nothing (its possible minus this
/// question's max ≤ 0) has no rest-of-test score, so it counts for facility and
/// SD but not for the discrimination index or discriminative efficiency.
pub fn item_stats(attempts: &[AttemptScores]) -> Vec<ItemStats> {
    collect(attempts).questions.iter().map(question_stats).collect()
}

/// One question as seen in one attempt.
struct Observation {
    /// Earned ÷ max.
    fraction: f64,
    /// The rest of the test as a fraction of its worth; `None` if it is worth nothing.
    rest: Option<f64>,
    /// Earned, hundredths.
    earned: f64,
}

struct Question {
    id: i32,
    seen: Vec<Observation>,
}

struct Collected {
    questions: Vec<Question>,
    /// Per attempt, the indices into `questions` of its paper's questions.
    papers: Vec<Vec<usize>>,
}

fn collect(attempts: &[AttemptScores]) -> Collected {
    let mut questions: Vec<Question> = Vec::new();
    let mut index: HashMap<i32, usize> = HashMap::new();
    let mut papers = Vec::with_capacity(attempts.len());
    for attempt in attempts {
        // Merge a question listed twice, keeping the paper's order.
        let mut paper: Vec<(i32, f64, f64)> = Vec::with_capacity(attempt.items.len());
        let mut on_paper: HashMap<i32, usize> = HashMap::with_capacity(attempt.items.len());
        for item in &attempt.items {
            let at = *on_paper.entry(item.question_id).or_insert_with(|| {
                paper.push((item.question_id, 0.0, 0.0));
                paper.len() - 1
            });
            if let Some((_, earned, max)) = paper.get_mut(at) {
                *earned += item.earned as f64;
                *max += item.max as f64;
            }
        }
        let total = attempt.earned as f64;
        let possible = attempt.possible as f64;
        let mut indices = Vec::with_capacity(paper.len());
        for (id, earned, max) in paper {
            let i = *index.entry(id).or_insert_with(|| {
                questions.push(Question { id, seen: Vec::new() });
                questions.len() - 1
            });
            let rest_possible = possible - max;
            let rest = (rest_possible > 0.0).then(|| (total - earned) / rest_possible);
            let fraction = if max > 0.0 { earned / max } else { 0.0 };
            if let Some(question) = questions.get_mut(i) {
                question.seen.push(Observation { fraction, rest, earned });
            }
            indices.push(i);
        }
        papers.push(indices);
    }
    Collected { questions, papers }
}

fn question_stats(question: &Question) -> ItemStats {
    let fractions: Vec<f64> = question.seen.iter().map(|o| o.fraction).collect();
    let (x, y): (Vec<f64>, Vec<f64>) =
        question.seen.iter().filter_map(|o| o.rest.map(|rest| (o.fraction, rest))).unzip();
    ItemStats {
        question_id: question.id,
        attempts: fractions.len(),
        facility: 100.0 * mean(&fractions),
        sd: sample_variance(&fractions).map_or(0.0, |v| 100.0 * v.sqrt()),
        discrimination_index: discrimination_index(&x, &y),
        discriminative_efficiency: discriminative_efficiency(&x, &y),
    }
}

/// See [`test_stats`]: Moodle's CIC with "Σ item variances" averaged over papers.
fn cic(attempts: &[AttemptScores]) -> Option<f64> {
    let collected = collect(attempts);
    let p = collected.papers.first()?.len();
    if p < 2 || collected.papers.iter().any(|paper| paper.len() != p) {
        return None;
    }
    let totals: Vec<f64> = attempts.iter().map(|a| a.earned as f64).collect();
    let test_variance = sample_variance(&totals)?;
    if test_variance <= 0.0 {
        return None;
    }
    let n = attempts.len() as f64;
    let mut item_variances = 0.0;
    for question in &collected.questions {
        let earned: Vec<f64> = question.seen.iter().map(|o| o.earned).collect();
        let share = earned.len() as f64 / n;
        item_variances += share * sample_variance(&earned)?;
    }
    let p = p as f64;
    finite(100.0 * p / (p - 1.0) * (1.0 - item_variances / test_variance))
}

mod maths;
use maths::*;

#[cfg(test)]
mod tests;
