//! The plain statistics the figures are built from: means, variances,
//! covariances, and Moodle's two discrimination measures.

/// 100 × cov(x, y) ÷ √(var x · var y); Moodle leaves it out when the product
/// of the variances is 0.
pub(super) fn discrimination_index(x: &[f64], y: &[f64]) -> Option<f64> {
    let observed = covariance(x, y)?;
    let product = sample_variance(x)? * sample_variance(y)?;
    if product > 0.0 {
        finite(100.0 * observed / product.sqrt())
    } else {
        None
    }
}

/// 100 × cov(x, y) ÷ cov_max, cov_max from x and y each sorted on its own.
pub(super) fn discriminative_efficiency(x: &[f64], y: &[f64]) -> Option<f64> {
    let observed = covariance(x, y)?;
    let mut sorted_x = x.to_vec();
    let mut sorted_y = y.to_vec();
    sorted_x.sort_by(f64::total_cmp);
    sorted_y.sort_by(f64::total_cmp);
    let max = covariance(&sorted_x, &sorted_y)?;
    if max > 0.0 {
        finite(100.0 * observed / max)
    } else {
        None
    }
}

/// Earned ÷ possible, 0 when nothing is possible.
pub(super) fn fraction(earned: i64, possible: i64) -> f64 {
    if possible > 0 {
        earned as f64 / possible as f64
    } else {
        0.0
    }
}

/// The mean; 0 for no values, and exactly the value when all are equal (so
/// that identical scores have exactly zero variance, not a rounding error).
pub(super) fn mean(xs: &[f64]) -> f64 {
    match xs.split_first() {
        None => 0.0,
        Some((first, rest)) if rest.iter().all(|x| x == first) => *first,
        Some(_) => xs.iter().sum::<f64>() / xs.len() as f64,
    }
}

pub(super) fn median(xs: &[f64]) -> f64 {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted.get(mid).copied().unwrap_or(0.0)
    } else {
        match (mid.checked_sub(1).and_then(|i| sorted.get(i)), sorted.get(mid)) {
            (Some(low), Some(high)) => (low + high) / 2.0,
            _ => 0.0,
        }
    }
}

/// Σ(x − mean)ᵏ.
pub(super) fn power_sum(xs: &[f64], mean: f64, k: i32) -> f64 {
    xs.iter().map(|x| (x - mean).powi(k)).sum()
}

/// Σ(x − x̄)² ÷ (n − 1); `None` for fewer than two values.
pub(super) fn sample_variance(xs: &[f64]) -> Option<f64> {
    covariance(xs, xs)
}

/// Σ(x − x̄)(y − ȳ) ÷ (n − 1) over pairs; `None` for fewer than two pairs or
/// unequal lengths.
pub(super) fn covariance(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    let (mx, my) = (mean(x), mean(y));
    let sum: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    finite(sum / (x.len() - 1) as f64)
}

pub(super) fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}
