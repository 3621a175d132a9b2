//! The demo's teaching links: each question to the demo articles whose tags
//! its knowledge points name, and the 待复核 flags of the article the demo
//! changed materially this month.

use diesel::prelude::*;

use crate::db::Conn;
use crate::schema::{article_versions, articles, question_versions, questions};

pub fn populate(conn: &mut Conn, author: i32) -> QueryResult<()> {
    let now = crate::db::now();
    let tagged: Vec<(i32, String)> = articles::table.select((articles::id, articles::tags)).load(conn)?;
    let rows: Vec<(i32, String)> = questions::table
        .inner_join(
            question_versions::table.on(question_versions::question_id
                .eq(questions::id)
                .and(question_versions::version.eq(questions::current_version))),
        )
        .select((questions::id, question_versions::knowledge_points))
        .load(conn)?;
    let tag_lists: Vec<Vec<&str>> = tagged
        .iter()
        .map(|(_, tags)| tags.split([',', '，']).map(str::trim).filter(|t| t.chars().count() >= 2).collect())
        .collect();
    for (question, points) in rows {
        let points = super::points_of(&points);
        for at in teaching(&points, &tag_lists) {
            super::link(conn, question, tagged[at].0, "", Some(author), now)?;
        }
    }
    // The article changed materially this month: its questions wait for review.
    let changed: Vec<(i32, i32)> = article_versions::table
        .filter(article_versions::material.eq(true))
        .select((article_versions::article_id, article_versions::version))
        .load(conn)?;
    for (article, version) in changed {
        super::flag_on_change(conn, article, version, true, now)?;
    }
    Ok(())
}

/// Which articles (indexes into `articles`, each its tags) teach a question
/// with these knowledge points: a tag inside a point (套餐变更 ⊂
/// 套餐变更、生效规则) scores 2 if only this article has it and 1 if others
/// share it (5G, 宽带, or 套餐 inside another's 套餐变更); the best-scoring articles with at least 2 are kept,
/// at most two. Linking every article that shares a broad tag sent each 5G
/// question to three notices and flagged 30-odd questions on one change.
/// Tags too broad to say an article teaches a point on their own (资费 is in
/// 套餐外资费 and 国际漫游资费 alike; the roaming guide's 流量包 is not the
/// domestic data packs').
const GENERIC: [&str; 13] = [
    "资费",
    "通知",
    "套餐",
    "业务",
    "服务",
    "规则",
    "流程",
    "办理",
    "营业厅",
    "合规",
    "考核",
    "培训",
    "流量包",
];

fn teaching(points: &[String], articles: &[Vec<&str>]) -> Vec<usize> {
    // 套餐 is shared too: it is inside other articles' 套餐变更 and 融合套餐.
    let shared = |tag: &str| articles.iter().filter(|tags| tags.iter().any(|t| t.contains(tag))).count() > 1;
    let scores: Vec<usize> = articles
        .iter()
        .map(|tags| {
            tags.iter()
                .filter(|t| !GENERIC.contains(*t))
                .filter(|t| points.iter().any(|p| p.contains(**t)))
                .map(|t| if shared(t) { 1 } else { 2 })
                .sum()
        })
        .collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    if best < 2 {
        return Vec::new();
    }
    scores.iter().enumerate().filter(|(_, s)| **s == best).map(|(i, _)| i).take(2).collect()
}

#[cfg(test)]
mod tests {
    use super::teaching;

    #[test]
    fn a_question_goes_to_the_articles_that_teach_it_not_every_one_sharing_a_broad_tag() {
        let tariff = vec!["5G", "套餐变更", "资费"];
        let rules = vec!["5G", "套餐变更", "生效规则"];
        let stop = vec!["5G", "停售", "套餐"];
        let notice = vec!["营业时间", "通知"];
        let all = [tariff, rules, stop, notice];
        let points = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // 通知 alone (a generic word) links nothing: 订购通知 is not the holiday notice.
        assert_eq!(teaching(&points(&["订购通知"]), &all), Vec::<usize>::new());
        // 生效规则 is the rules article's own tag (2) + two shared tags (1 + 1).
        assert_eq!(teaching(&points(&["套餐变更、生效规则", "5G"]), &all), vec![1]);
        // Only shared tags: the two with 5G and 套餐变更 tie at 2 (套餐 and 资费
        // are generic and count nothing).
        assert_eq!(teaching(&points(&["5G套餐变更"]), &all), vec![0, 1]);
        assert_eq!(teaching(&points(&["停售套餐"]), &all), vec![2]);
        // One shared tag alone is not evidence enough.
        assert_eq!(teaching(&points(&["5G网络覆盖"]), &all), Vec::<usize>::new());
        // An own tag is.
        assert_eq!(teaching(&points(&["节假日营业时间"]), &all), vec![3]);
        assert_eq!(teaching(&points(&[]), &all), Vec::<usize>::new());
    }
}
