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
    for (question, points) in rows {
        let points = super::points_of(&points);
        for (article, tags) in &tagged {
            // A tag of two characters or more inside a knowledge point: 套餐变更 ⊂ 套餐变更、生效规则.
            let teaches = tags
                .split([',', '，'])
                .map(str::trim)
                .filter(|t| t.chars().count() >= 2)
                .any(|t| points.iter().any(|p| p.contains(t)));
            if teaches {
                super::link(conn, question, *article, "", Some(author), now)?;
            }
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
