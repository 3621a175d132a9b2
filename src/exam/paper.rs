//! Paper composition: which questions a candidate gets, in which order, with
//! which option order. Pure: the same rule, pool, exam seed and candidate give
//! the same paper, so a paper can be explained after the exam.

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
            parts[i].push(q);
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

/// The paper of one candidate, or what is short.
pub fn compose(
    rule: &PaperRule,
    pool: &[PoolQuestion],
    seed: u64,
    candidate: i32,
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

/// A tiny PRNG written out here on purpose: a paper must be reproducible from
/// (seed, candidate) for years, and library generators may change their output
/// between versions. Statistical quality far beyond a shuffle's needs.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0), by rejection so no value is favoured.
    pub fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let v = self.next_u64();
            if v < zone {
                return v % n;
            }
        }
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: i32, kind: Kind, channel: Channel, category: &str, difficulty: u8) -> PoolQuestion {
        PoolQuestion {
            question_id: id,
            version_id: id * 10,
            kind,
            channel,
            category: category.to_string(),
            knowledge_points: vec![format!("kp{}", id % 3)],
            difficulty,
            points: kind.default_points(),
            options: if kind.has_options() { 4 } else { 0 },
        }
    }

    fn pool() -> Vec<PoolQuestion> {
        let mut pool = Vec::new();
        for i in 1..=30 {
            let channel = [Channel::Hall, Channel::Hotline, Channel::Online][i as usize % 3];
            pool.push(q(i, Kind::Single, channel, "资费与套餐/5G套餐", (i % 5 + 1) as u8));
        }
        for i in 31..=40 {
            pool.push(q(i, Kind::Multiple, Channel::Hall, "业务办理/携号转网", 3));
        }
        for i in 41..=50 {
            pool.push(q(i, Kind::TrueFalse, Channel::General, "服务规范", 2));
        }
        pool
    }

    fn section(title: &str, kind: Kind, count: usize, points: i64) -> Section {
        Section::any(title, kind, count, points)
    }

    fn sections_rule() -> PaperRule {
        let mut hall = section("营业厅单选", Kind::Single, 5, 200);
        hall.channels = vec![Channel::Hall];
        PaperRule::Sections {
            bank_id: 1,
            sections: vec![
                hall,
                section("其他单选", Kind::Single, 10, 200),
                section("多选", Kind::Multiple, 5, 400),
                section("判断", Kind::TrueFalse, 10, 100),
            ],
        }
    }

    #[test]
    fn same_seed_and_candidate_give_the_same_paper() {
        let (rule, pool) = (sections_rule(), pool());
        let a = compose(&rule, &pool, 42, 7).unwrap();
        assert_eq!(a, compose(&rule, &pool, 42, 7).unwrap());
        assert_ne!(a, compose(&rule, &pool, 42, 8).unwrap(), "another candidate, another paper");
        assert_ne!(a, compose(&rule, &pool, 43, 7).unwrap(), "another exam, another paper");
    }

    #[test]
    fn sections_draw_their_count_in_order_without_repeats() {
        let (rule, pool) = (sections_rule(), pool());
        for candidate in 0..50 {
            let paper = compose(&rule, &pool, 9, candidate).unwrap();
            assert_eq!(paper.len(), 30);
            let ids: std::collections::HashSet<i32> = paper.iter().map(|d| d.question_id).collect();
            assert_eq!(ids.len(), 30, "no question twice");
            let find = |id: i32| pool.iter().find(|q| q.question_id == id).unwrap();
            // The first five are hall single-choice questions, then other singles, …
            assert!(paper[..5].iter().all(|d| find(d.question_id).channel == Channel::Hall));
            assert!(paper[5..15].iter().all(|d| find(d.question_id).kind == Kind::Single));
            assert!(paper[15..20]
                .iter()
                .all(|d| find(d.question_id).kind == Kind::Multiple && d.points == 400));
            assert!(paper[20..].iter().all(|d| find(d.question_id).kind == Kind::TrueFalse));
            assert_eq!(paper.iter().map(|d| d.points).sum::<i64>(), possible_points(&rule, &pool));
            for d in &paper {
                let mut order = d.option_order.clone();
                order.sort_unstable();
                assert_eq!(order, (0..find(d.question_id).options).collect::<Vec<_>>(), "a permutation");
            }
        }
    }

    #[test]
    fn shuffles_questions_and_options_across_candidates() {
        let (rule, pool) = (sections_rule(), pool());
        let papers: Vec<_> = (0..20).map(|c| compose(&rule, &pool, 1, c).unwrap()).collect();
        let firsts: std::collections::HashSet<i32> = papers.iter().map(|p| p[0].question_id).collect();
        assert!(firsts.len() > 1);
        let orders: std::collections::HashSet<Vec<usize>> =
            papers.iter().map(|p| p[0].option_order.clone()).collect();
        assert!(orders.len() > 1);
    }

    #[test]
    fn reports_shortages_per_section() {
        let pool = pool();
        let mut hard = section("难题", Kind::Single, 3, 100);
        hard.difficulty_min = 5;
        hard.categories = vec!["资费与套餐".into()];
        let mut kp = section("知识点", Kind::Multiple, 1, 100);
        kp.knowledge_points = vec!["不存在".into()];
        let rule = PaperRule::Sections {
            bank_id: 1,
            sections: vec![hard, kp, section("判断", Kind::TrueFalse, 11, 100)],
        };
        // Difficulty 5: ids 4, 9, 14, 19, 24, 29 → 6 available, enough.
        assert_eq!(
            shortages(&rule, &pool),
            vec![
                Shortage { title: "知识点".into(), wanted: 1, available: 0 },
                Shortage { title: "判断".into(), wanted: 11, available: 10 },
            ]
        );
        assert_eq!(compose(&rule, &pool, 1, 1).unwrap_err().len(), 2);
    }

    #[test]
    fn a_question_serves_only_the_first_matching_section() {
        let pool = pool();
        // Both sections match all 30 singles; together they need 30: exact.
        let rule = PaperRule::Sections {
            bank_id: 1,
            sections: vec![section("甲", Kind::Single, 20, 100), section("乙", Kind::Single, 10, 100)],
        };
        assert_eq!(shortages(&rule, &pool), vec![Shortage { title: "乙".into(), wanted: 10, available: 0 }]);
    }

    #[test]
    fn fixed_list_groups_by_type_and_reports_missing_questions() {
        let pool = pool();
        let items = [45, 2, 33, 5]
            .iter()
            .map(|id| FixedItem { question_id: *id, points: if *id == 5 { Some(300) } else { None } })
            .collect();
        let rule = PaperRule::Fixed { items };
        let paper = compose(&rule, &pool, 3, 3).unwrap();
        let ids: Vec<i32> = paper.iter().map(|d| d.question_id).collect();
        assert_eq!(&ids[2..], &[33, 45]);
        assert_eq!(possible_points(&rule, &pool), 100 + 300 + 200 + 100);
        let missing = PaperRule::Fixed { items: vec![FixedItem { question_id: 999, points: None }] };
        assert_eq!(shortages(&missing, &pool)[0].available, 0);
    }

    #[test]
    fn splitmix_is_stable() {
        // Reference values of SplitMix64 with seed 0 (Vigna's reference code).
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }
}
