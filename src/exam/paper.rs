//! Paper composition: which questions a candidate gets, in which order, with
//! which option order. Pure: the same rule, pool, exam seed and candidate give
//! the same paper, so a paper can be explained after the exam.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::bank::question::{Channel, Kind};

/// How an exam's paper is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum PaperRule {
    /// The same questions for everyone (order and options still shuffled).
    Fixed { items: Vec<FixedItem> },
    /// Sections drawing N questions each from one bank.
    Sections { bank_id: i32, sections: Vec<Section> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedItem {
    pub question_id: i32,
    /// Hundredths; None = the question's own points.
    pub points: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    pub kind: Kind,
    pub count: usize,
    /// Hundredths of a point per question.
    pub points: i64,
    /// Category prefixes (`资费与套餐` matches `资费与套餐/5G套餐`); empty = any.
    pub categories: Vec<String>,
    /// Empty = any channel.
    pub channels: Vec<Channel>,
    /// Any of these knowledge points; empty = any.
    pub knowledge_points: Vec<String>,
    pub difficulty_min: u8,
    pub difficulty_max: u8,
    /// How the section treats questions whose key has been shown (rule 11).
    #[serde(default)]
    pub exposure: Exposure,
}

/// DESIGN §4 rule 11, per section. Whatever the choice, a candidate is never
/// drawn a question whose key they saw themselves while the section has
/// enough others.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exposure {
    /// Any matching question.
    #[default]
    Any,
    /// The least exposed questions first (fewest people have seen the key).
    PreferFresh,
    /// Only questions whose key nobody has seen.
    UnrevealedOnly,
}

impl Exposure {
    pub const ALL: [Exposure; 3] = [Exposure::Any, Exposure::PreferFresh, Exposure::UnrevealedOnly];

    pub fn code(self) -> &'static str {
        match self {
            Exposure::Any => "any",
            Exposure::PreferFresh => "prefer_fresh",
            Exposure::UnrevealedOnly => "unrevealed_only",
        }
    }

    pub fn parse(code: &str) -> Option<Exposure> {
        Exposure::ALL.into_iter().find(|e| e.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Exposure::Any => crate::web::msg::EXPOSURE_ANY,
            Exposure::PreferFresh => crate::web::msg::EXPOSURE_PREFER_FRESH,
            Exposure::UnrevealedOnly => crate::web::msg::EXPOSURE_UNREVEALED_ONLY,
        }
    }
}

impl Section {
    /// A section of any category, channel, knowledge point and difficulty.
    pub fn any(title: &str, kind: Kind, count: usize, points: i64) -> Section {
        Section {
            title: title.into(),
            kind,
            count,
            points,
            categories: vec![],
            channels: vec![],
            knowledge_points: vec![],
            difficulty_min: 1,
            difficulty_max: 5,
            exposure: Exposure::Any,
        }
    }

    pub fn matches(&self, q: &PoolQuestion) -> bool {
        q.kind == self.kind
            && (self.channels.is_empty() || self.channels.contains(&q.channel))
            && (self.categories.is_empty()
                || self
                    .categories
                    .iter()
                    .any(|c| q.category == *c || q.category.starts_with(&format!("{c}/")) || c.is_empty()))
            && (self.knowledge_points.is_empty()
                || self.knowledge_points.iter().any(|k| q.knowledge_points.contains(k)))
            && (self.difficulty_min..=self.difficulty_max).contains(&q.difficulty)
    }
}

/// A question that may be drawn: the current version of an active question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolQuestion {
    pub question_id: i32,
    pub version_id: i32,
    pub kind: Kind,
    pub channel: Channel,
    pub category: String,
    pub knowledge_points: Vec<String>,
    pub difficulty: u8,
    pub points: i64,
    pub options: usize,
    /// How many people have seen the key of this question (any version).
    pub revealed_to: i64,
}

/// One question of a candidate's paper, frozen in the attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    pub question_id: i32,
    pub version_id: i32,
    pub points: i64,
    /// Shown option i is the question's option `option_order[i]`.
    pub option_order: Vec<usize>,
}

/// A section (or the fixed list) that cannot be filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortage {
    pub title: String,
    pub wanted: usize,
    pub available: usize,
}

/// The order papers group question types in, as Chinese papers do
/// (一、单选 二、多选 三、判断 …).
fn kind_rank(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(Kind::ALL.len())
}

/// Each pool question belongs to the first section that matches it, so
/// sections never compete for a question and their counts are exact whatever
/// the seed.
fn partition<'a>(sections: &[Section], pool: &'a [PoolQuestion]) -> Vec<Vec<&'a PoolQuestion>> {
    let mut parts: Vec<Vec<&PoolQuestion>> = vec![Vec::new(); sections.len()];
    for q in pool {
        if let Some(i) = sections.iter().position(|s| s.matches(q)) {
            if sections[i].exposure != Exposure::UnrevealedOnly || q.revealed_to == 0 {
                parts[i].push(q);
            }
        }
    }
    parts
}

/// Sections (or fixed questions) the pool cannot supply.
pub fn shortages(rule: &PaperRule, pool: &[PoolQuestion]) -> Vec<Shortage> {
    match rule {
        PaperRule::Fixed { items } => {
            let missing =
                items.iter().filter(|i| !pool.iter().any(|q| q.question_id == i.question_id)).count();
            if missing > 0 {
                vec![Shortage {
                    title: crate::web::msg::EXAM_FIXED_LIST.to_string(),
                    wanted: items.len(),
                    available: items.len() - missing,
                }]
            } else {
                Vec::new()
            }
        }
        PaperRule::Sections { sections, .. } => partition(sections, pool)
            .iter()
            .zip(sections)
            .filter(|(part, s)| part.len() < s.count)
            .map(|(part, s)| Shortage { title: s.title.clone(), wanted: s.count, available: part.len() })
            .collect(),
    }
}

/// Total points of a paper drawn from the rule (the same for every candidate).
pub fn possible_points(rule: &PaperRule, pool: &[PoolQuestion]) -> i64 {
    match rule {
        PaperRule::Fixed { items } => items
            .iter()
            .map(|i| {
                i.points.unwrap_or_else(|| {
                    pool.iter().find(|q| q.question_id == i.question_id).map(|q| q.points).unwrap_or(0)
                })
            })
            .sum(),
        PaperRule::Sections { sections, .. } => sections.iter().map(|s| s.points * s.count as i64).sum(),
    }
}

/// The paper of one candidate, or what is short. `seen` holds the questions
/// whose key this candidate has seen: they come last in every section, so they
/// are drawn only when the section has no others left.
pub fn compose(
    rule: &PaperRule,
    pool: &[PoolQuestion],
    seed: u64,
    candidate: i32,
    seen: &HashSet<i32>,
) -> Result<Vec<Drawn>, Vec<Shortage>> {
    let short = shortages(rule, pool);
    if !short.is_empty() {
        return Err(short);
    }
    let mut rng = SplitMix64::new(seed ^ (candidate as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut paper = Vec::new();
    match rule {
        PaperRule::Fixed { items } => {
            let mut chosen: Vec<(&PoolQuestion, i64)> = items
                .iter()
                .filter_map(|i| {
                    let q = pool.iter().find(|q| q.question_id == i.question_id)?;
                    Some((q, i.points.unwrap_or(q.points)))
                })
                .collect();
            rng.shuffle(&mut chosen);
            // Stable: the shuffled order survives within each type.
            chosen.sort_by_key(|(q, _)| kind_rank(q.kind));
            for (q, points) in chosen {
                paper.push(draw(&mut rng, q, points));
            }
        }
        PaperRule::Sections { sections, .. } => {
            for (mut part, section) in partition(sections, pool).into_iter().zip(sections) {
                rng.shuffle(&mut part);
                // Stable sorts: the shuffle still decides among equals, so with
                // nothing seen and `Any` the paper is what it always was.
                let own = |q: &PoolQuestion| seen.contains(&q.question_id);
                match section.exposure {
                    Exposure::PreferFresh => part.sort_by_key(|q| (own(q), q.revealed_to)),
                    _ => part.sort_by_key(|q| own(q)),
                }
                for q in part.into_iter().take(section.count) {
                    paper.push(draw(&mut rng, q, section.points));
                }
            }
        }
    }
    Ok(paper)
}

fn draw(rng: &mut SplitMix64, q: &PoolQuestion, points: i64) -> Drawn {
    let mut option_order: Vec<usize> = (0..q.options).collect();
    rng.shuffle(&mut option_order);
    Drawn { question_id: q.question_id, version_id: q.version_id, points, option_order }
}

mod exposure;
mod rng;

pub use exposure::{bank_exposure, exposure, GroupExposure};
pub use rng::SplitMix64;

#[cfg(test)]
mod tests;
