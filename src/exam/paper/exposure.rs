//! How exposed a bank's questions are (DESIGN §4 rule 11): per group for the
//! bank page, per section for the warnings of preview and publish.

use serde::Serialize;

use super::{partition, PaperRule, PoolQuestion, Section};
use crate::bank::question::Channel;

/// One channel × top-level category of a bank, as the bank page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupExposure {
    pub channel: Channel,
    pub category: String,
    pub active: usize,
    pub unrevealed: usize,
    /// Questions a monthly paper draws from this group, in tenths.
    pub draw_tenths: i64,
    /// Whole months the unrevealed questions last at that draw (None: not drawn).
    pub months: Option<i64>,
}

/// DESIGN §4 rule 11 for trainers: per channel and top-level category, how
/// many questions nobody has seen the key of, and how many months of exams
/// they last if each month's draw from the group is then revealed. A section
/// draws its count from the questions it may take; its draw is shared among
/// groups by how many of those each holds.
pub fn bank_exposure(pool: &[PoolQuestion], sections: &[Section]) -> Vec<GroupExposure> {
    let top = |q: &PoolQuestion| q.category.split('/').next().unwrap_or_default().to_string();
    let mut groups: Vec<GroupExposure> = Vec::new();
    for q in pool {
        let (channel, category) = (q.channel, top(q));
        let i = match groups.iter().position(|g| g.channel == channel && g.category == category) {
            Some(i) => i,
            None => {
                groups.push(GroupExposure {
                    channel,
                    category,
                    active: 0,
                    unrevealed: 0,
                    draw_tenths: 0,
                    months: None,
                });
                groups.len() - 1
            }
        };
        groups[i].active += 1;
        groups[i].unrevealed += usize::from(q.revealed_to == 0);
    }
    for (part, section) in partition(sections, pool).iter().zip(sections) {
        if part.is_empty() {
            continue;
        }
        for g in &mut groups {
            let inside = part.iter().filter(|q| q.channel == g.channel && top(q) == g.category).count();
            // Rounded half up, in tenths of a question.
            g.draw_tenths += (section.count * inside * 20 + part.len()) as i64 / (2 * part.len() as i64);
        }
    }
    for g in &mut groups {
        g.months = (g.draw_tenths > 0).then(|| g.unrevealed as i64 * 10 / g.draw_tenths);
    }
    groups.sort_by(|a, b| (a.channel.code(), &a.category).cmp(&(b.channel.code(), &b.category)));
    groups
}

/// How exposed a section's questions are, for the warnings of preview and
/// publish: (title, matching questions, of which the key has been shown).
pub fn exposure(rule: &PaperRule, pool: &[PoolQuestion]) -> Vec<(String, usize, usize)> {
    let count = |qs: &[&PoolQuestion]| (qs.len(), qs.iter().filter(|q| q.revealed_to > 0).count());
    match rule {
        PaperRule::Fixed { items } => {
            let qs: Vec<&PoolQuestion> =
                pool.iter().filter(|q| items.iter().any(|i| i.question_id == q.question_id)).collect();
            let (n, shown) = count(&qs);
            vec![(crate::web::msg::EXAM_FIXED_LIST.to_string(), n, shown)]
        }
        PaperRule::Sections { sections, .. } => {
            // Every matching question, also those an unrevealed-only section leaves out.
            let mut parts: Vec<Vec<&PoolQuestion>> = vec![Vec::new(); sections.len()];
            for q in pool {
                if let Some(i) = sections.iter().position(|s| s.matches(q)) {
                    parts[i].push(q);
                }
            }
            parts
                .iter()
                .zip(sections)
                .map(|(qs, s)| {
                    let (n, shown) = count(qs);
                    (s.title.clone(), n, shown)
                })
                .collect()
        }
    }
}
