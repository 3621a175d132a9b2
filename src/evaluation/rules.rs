//! The evaluation's rules, in integer hundredths, each with table tests.

#[cfg(test)]
mod tests;
pub mod three_sixty;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::score::{div_half_up, FULL_MARKS};

/// How a measured figure (hundredths: a score, a percentage, a ratio) becomes
/// a component's points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mapping {
    /// No points at `zero_at` or worse, full points at `full_at` or better,
    /// straight in between (half up). `zero_at > full_at` when lower is
    /// better (drill time against the target).
    Linear { zero_at: i64, full_at: i64 },
    /// The share (percent) of the points of the first band whose `from` the
    /// figure reaches, bands from the best down; below the last, none.
    Bands { bands: Vec<Band> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub from: i64,
    pub percent: i64,
}

/// The points (hundredths) a figure earns of `max` (hundredths).
pub fn points(mapping: &Mapping, figure: i64, max: i64) -> i64 {
    match mapping {
        Mapping::Linear { zero_at, full_at } => {
            let (span, got) = (full_at - zero_at, figure - zero_at);
            if span == 0 {
                return if figure >= *full_at { max } else { 0 };
            }
            // The share of the way from zero_at to full_at, whichever way round.
            if got.signum() != span.signum() && got != 0 {
                0
            } else if got.abs() >= span.abs() {
                max
            } else {
                div_half_up(max * got.abs(), span.abs())
            }
        }
        Mapping::Bands { bands } => bands
            .iter()
            .find(|b| figure >= b.from)
            .map_or(0, |b| div_half_up(max * b.percent.clamp(0, 100), 100)),
    }
}

/// Where a component's figure comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Source {
    /// Measured (exam score, phone-test average, reading on time, drills,
    /// study attendance, satisfaction, the hall's inspections, the 360).
    Measured { metric: String, mapping: Mapping },
    /// Rated by the person's manager, in points; below full marks needs a reason.
    Rated,
}

/// One component of a scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    pub code: String,
    pub label: String,
    /// Hundredths; a scheme's components sum to 100 points.
    pub max: i64,
    pub source: Source,
    /// 一票否决: a breach (e.g. a 零容忍 failure) zeroes the whole evaluation.
    #[serde(default)]
    pub veto: bool,
}

/// What a scheme does with a component that has no figure this month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// The total is rescaled over the components that have a figure.
    #[default]
    Rescale,
    /// A missing component earns nothing.
    Zero,
}

/// A component's input for one person and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A measured figure (hundredths).
    Figure(i64),
    /// The manager's rating (points in hundredths).
    Rating(i64),
    /// Points set on an upheld appeal (hundredths): they stand whatever the source says.
    Points(i64),
    /// No figure this month (no exam sat, no call made…).
    None,
}

/// One component's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    pub code: String,
    /// None: no figure (see [`Missing`]).
    pub points: Option<i64>,
    pub max: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluated {
    /// Out of 100, hundredths.
    pub total: i64,
    pub parts: Vec<Part>,
    /// The 一票否决 components breached (the total is 0).
    pub vetoed: Vec<String>,
}

/// The most components a scheme may have (a rating form per person shows them all).
pub const MAX_COMPONENTS: usize = 20;

/// Why a scheme cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeError {
    TooMany(usize),
    Sum(i64),
    Duplicate(String),
    Bad(String),
}

/// A scheme's components must be named, unique, non-negative and sum to 100 points.
pub fn check_scheme(components: &[Component]) -> Result<(), SchemeError> {
    if components.len() > MAX_COMPONENTS {
        return Err(SchemeError::TooMany(components.len()));
    }
    let mut seen = std::collections::BTreeSet::new();
    for c in components {
        // A component worth nothing is only there to veto.
        if c.code.trim().is_empty() || c.label.trim().is_empty() || c.max < 0 || (c.max == 0 && !c.veto) {
            return Err(SchemeError::Bad(c.label.clone()));
        }
        if !seen.insert(c.code.as_str()) {
            return Err(SchemeError::Duplicate(c.code.clone()));
        }
    }
    let sum: i64 = components.iter().map(|c| c.max).sum();
    if sum != FULL_MARKS {
        return Err(SchemeError::Sum(sum));
    }
    Ok(())
}

/// A person's month: each component's points from its input, then the
/// total — the sum, or (rescale) the sum over the components with a figure
/// scaled to 100 — and 0 when a 一票否决 component is breached (`breaches`:
/// codes whose veto condition the month met).
pub fn evaluate(
    components: &[Component],
    inputs: &BTreeMap<String, Input>,
    missing: Missing,
    breaches: &[String],
) -> Evaluated {
    let parts: Vec<Part> = components
        .iter()
        .map(|c| {
            let points = match (&c.source, inputs.get(&c.code).copied().unwrap_or(Input::None)) {
                (Source::Measured { mapping, .. }, Input::Figure(f)) => Some(points(mapping, f, c.max)),
                (Source::Rated, Input::Rating(r)) | (_, Input::Points(r)) => Some(r.clamp(0, c.max)),
                _ => None,
            };
            Part { code: c.code.clone(), points, max: c.max }
        })
        .collect();
    let vetoed: Vec<String> =
        components.iter().filter(|c| c.veto && breaches.contains(&c.code)).map(|c| c.code.clone()).collect();
    let earned: i64 = parts.iter().filter_map(|p| p.points).sum();
    let total = if !vetoed.is_empty() {
        0
    } else {
        match missing {
            Missing::Zero => earned,
            Missing::Rescale => {
                let possible: i64 = parts.iter().filter(|p| p.points.is_some()).map(|p| p.max).sum();
                if possible == 0 {
                    0
                } else {
                    div_half_up(earned * FULL_MARKS, possible)
                }
            }
        }
    };
    Evaluated { total, parts, vetoed }
}

/// A rating below full marks needs a reason (the rated person sees it).
pub fn rating_needs_reason(points: i64, max: i64) -> bool {
    points < max
}
