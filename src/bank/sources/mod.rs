//! Where a question is taught (its knowledge-base articles and sections), and
//! the 待复核 flags a material change of such an article raises.

pub mod demo;
pub mod routes;
pub mod rules;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Conn;
use crate::schema::{article_versions, articles, question_flags, question_sources, questions};
use rules::{ArticleTitle, Link, Outcome};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = question_sources)]
pub struct SourceRow {
    pub id: i32,
    pub question_id: i32,
    pub article_id: i32,
    pub heading: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = question_flags)]
pub struct FlagRow {
    pub id: i32,
    pub question_id: i32,
    pub article_id: i32,
    pub article_version: i32,
    pub flagged_at: NaiveDateTime,
    pub cleared_at: Option<NaiveDateTime>,
    pub cleared_by: Option<i32>,
    pub outcome: String,
    pub note: String,
}

/// A link as pages show it: the article's current title and where to read.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Source {
    pub id: i32,
    pub question_id: i32,
    pub article_id: i32,
    pub title: String,
    pub heading: String,
    /// `/kb/27`, or `/kb/27#sec-资费标准` for a section.
    pub url: String,
}

/// The address of an article, or of a section in it (see [`crate::web::markdown::section_id`]).
pub fn url(article_id: i32, heading: &str) -> String {
    use crate::web::markdown::{section_id, ID_PREFIX};
    if heading.is_empty() {
        format!("/kb/{article_id}")
    } else {
        format!("/kb/{article_id}#{ID_PREFIX}{}", section_id(heading))
    }
}

/// Every article with its current title (what references resolve against).
pub fn article_titles(conn: &mut Conn) -> QueryResult<Vec<ArticleTitle>> {
    let rows: Vec<(i32, String)> = articles::table
        .inner_join(
            article_versions::table.on(article_versions::article_id
                .eq(articles::id)
                .and(article_versions::version.eq(articles::current_version))),
        )
        .order(articles::id)
        .select((articles::id, article_versions::title))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, title)| ArticleTitle { id, title }).collect())
}

/// Links a question to an article (or one of its sections); linking twice is one link.
pub fn link(
    conn: &mut Conn,
    question_id: i32,
    article_id: i32,
    heading: &str,
    by: Option<i32>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let exists = question_sources::table
        .filter(question_sources::question_id.eq(question_id))
        .filter(question_sources::article_id.eq(article_id))
        .filter(question_sources::heading.eq(heading))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if !exists {
        diesel::insert_into(question_sources::table)
            .values((
                question_sources::question_id.eq(question_id),
                question_sources::article_id.eq(article_id),
                question_sources::heading.eq(heading),
                question_sources::created_by.eq(by),
                question_sources::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(!exists)
}

/// Removes one link of a question (None when it is not that question's).
pub fn unlink(conn: &mut Conn, question_id: i32, source_id: i32) -> QueryResult<Option<Source>> {
    let found = of_questions(conn, &[question_id])?.remove(&question_id).unwrap_or_default();
    let Some(source) = found.into_iter().find(|s| s.id == source_id) else { return Ok(None) };
    diesel::delete(question_sources::table.find(source_id)).execute(conn)?;
    Ok(Some(source))
}

/// The links of these questions, by question, in the order they were made.
pub fn of_questions(conn: &mut Conn, question_ids: &[i32]) -> QueryResult<HashMap<i32, Vec<Source>>> {
    let rows: Vec<(i32, i32, i32, String, String)> = question_sources::table
        .inner_join(articles::table)
        .inner_join(
            article_versions::table.on(article_versions::article_id
                .eq(articles::id)
                .and(article_versions::version.eq(articles::current_version))),
        )
        .filter(question_sources::question_id.eq_any(question_ids))
        .order(question_sources::id)
        .select((
            question_sources::id,
            question_sources::question_id,
            question_sources::article_id,
            question_sources::heading,
            article_versions::title,
        ))
        .load(conn)?;
    let mut out: HashMap<i32, Vec<Source>> = HashMap::new();
    for (id, question_id, article_id, heading, title) in rows {
        let url = url(article_id, &heading);
        out.entry(question_id).or_default().push(Source { id, question_id, article_id, title, heading, url });
    }
    Ok(out)
}

/// Links the question to every article its source text names and the
/// knowledge base has; the rest are left (the preview said so).
pub fn link_from_source(
    conn: &mut Conn,
    question_id: i32,
    source: &str,
    titles: &[ArticleTitle],
    by: Option<i32>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let mut made = 0;
    for r in rules::references(source) {
        if let Ok((article_id, heading)) = rules::resolve(&r, titles) {
            made += usize::from(link(conn, question_id, article_id, &heading, by, at)?);
        }
    }
    Ok(made)
}

/// Raises 待复核 on the questions linked to an article after its new version
/// (see [`rules::flagged_by_change`]); the number flagged.
pub fn flag_on_change(
    conn: &mut Conn,
    article_id: i32,
    version: i32,
    material: bool,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let rows: Vec<(i32, String)> = question_sources::table
        .inner_join(questions::table)
        .filter(question_sources::article_id.eq(article_id))
        .select((question_sources::question_id, questions::status))
        .load(conn)?;
    let links: Vec<Link> = rows
        .into_iter()
        .map(|(question_id, status)| Link {
            question_id,
            article_id,
            retired: status != crate::bank::model::ACTIVE,
        })
        .collect();
    let open: HashSet<i32> = question_flags::table
        .filter(question_flags::article_id.eq(article_id))
        .filter(question_flags::cleared_at.is_null())
        .select(question_flags::question_id)
        .load::<i32>(conn)?
        .into_iter()
        .collect();
    let flagged = rules::flagged_by_change(&links, article_id, material, &open);
    for question_id in &flagged {
        diesel::insert_into(question_flags::table)
            .values((
                question_flags::question_id.eq(question_id),
                question_flags::article_id.eq(article_id),
                question_flags::article_version.eq(version),
                question_flags::flagged_at.eq(at),
                question_flags::outcome.eq(""),
                question_flags::note.eq(""),
            ))
            .execute(conn)?;
    }
    Ok(flagged.len())
}

/// An open 待复核 flag as the trainer's lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct OpenFlag {
    pub question_id: i32,
    pub bank_id: i32,
    pub article_id: i32,
    pub article: String,
    pub article_version: i32,
    pub flagged_at: String,
}

/// Every open flag, oldest first (of these questions, when given).
pub fn open_flags(conn: &mut Conn, only: Option<&[i32]>) -> QueryResult<Vec<OpenFlag>> {
    let mut query = question_flags::table
        .inner_join(questions::table)
        .inner_join(articles::table)
        .inner_join(
            article_versions::table.on(article_versions::article_id
                .eq(articles::id)
                .and(article_versions::version.eq(question_flags::article_version))),
        )
        .filter(question_flags::cleared_at.is_null())
        .into_boxed();
    if let Some(ids) = only {
        query = query.filter(question_flags::question_id.eq_any(ids.to_vec()));
    }
    let rows: Vec<(i32, i32, i32, String, i32, NaiveDateTime)> = query
        .order(question_flags::id)
        .select((
            question_flags::question_id,
            questions::bank_id,
            question_flags::article_id,
            article_versions::title,
            question_flags::article_version,
            question_flags::flagged_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(question_id, bank_id, article_id, article, article_version, at)| OpenFlag {
            question_id,
            bank_id,
            article_id,
            article,
            article_version,
            flagged_at: crate::time::local_display(at),
        })
        .collect())
}

/// Clears a question's open flags with the trainer's outcome and note; how many.
pub fn clear(
    conn: &mut Conn,
    question_id: i32,
    outcome: Outcome,
    note: &str,
    by: i32,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        question_flags::table
            .filter(question_flags::question_id.eq(question_id))
            .filter(question_flags::cleared_at.is_null()),
    )
    .set((
        question_flags::cleared_at.eq(Some(at)),
        question_flags::cleared_by.eq(Some(by)),
        question_flags::outcome.eq(outcome.code()),
        question_flags::note.eq(note),
    ))
    .execute(conn)
}

/// Whether the question has a version saved after its oldest open flag.
pub fn edited_since_flag(conn: &mut Conn, question_id: i32) -> QueryResult<bool> {
    use crate::schema::question_versions;
    let flagged: Option<NaiveDateTime> = question_flags::table
        .filter(question_flags::question_id.eq(question_id))
        .filter(question_flags::cleared_at.is_null())
        .select(diesel::dsl::min(question_flags::flagged_at))
        .first(conn)?;
    let Some(flagged) = flagged else { return Ok(false) };
    let newer: i64 = question_versions::table
        .filter(question_versions::question_id.eq(question_id))
        .filter(question_versions::created_at.gt(flagged))
        .count()
        .get_result(conn)?;
    Ok(newer > 0)
}

/// The knowledge points of a stored version (a JSON list).
pub fn points_of(stored: &str) -> Vec<String> {
    serde_json::from_str(stored).unwrap_or_default()
}

/// A knowledge point of a bank: its active questions and how many have a source.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PointSources {
    pub point: String,
    pub questions: usize,
    pub linked: usize,
}

/// The knowledge points of a bank's active questions, most questions first.
pub fn by_knowledge_point(conn: &mut Conn, bank_id: i32) -> QueryResult<Vec<PointSources>> {
    use crate::schema::question_versions;
    let rows: Vec<(i32, String)> = questions::table
        .inner_join(
            question_versions::table.on(question_versions::question_id
                .eq(questions::id)
                .and(question_versions::version.eq(questions::current_version))),
        )
        .filter(questions::bank_id.eq(bank_id))
        .filter(questions::status.eq(crate::bank::model::ACTIVE))
        .select((questions::id, question_versions::knowledge_points))
        .load(conn)?;
    let ids: Vec<i32> = rows.iter().map(|(id, _)| *id).collect();
    let linked: HashSet<i32> = question_sources::table
        .filter(question_sources::question_id.eq_any(&ids))
        .select(question_sources::question_id)
        .load::<i32>(conn)?
        .into_iter()
        .collect();
    let mut points: Vec<PointSources> = Vec::new();
    for (id, text) in rows {
        for point in points_of(&text) {
            let i = match points.iter().position(|p| p.point == point) {
                Some(i) => i,
                None => {
                    points.push(PointSources { point, questions: 0, linked: 0 });
                    points.len() - 1
                }
            };
            points[i].questions += 1;
            points[i].linked += usize::from(linked.contains(&id));
        }
    }
    points.sort_by(|a, b| b.questions.cmp(&a.questions).then(a.point.cmp(&b.point)));
    Ok(points)
}

/// For `copy-db`.
pub fn copy(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    for row in
        question_sources::table.order(question_sources::id).select(SourceRow::as_select()).load(from)?
    {
        diesel::insert_into(question_sources::table).values(&row).execute(to)?;
    }
    for row in question_flags::table.order(question_flags::id).select(FlagRow::as_select()).load(from)? {
        diesel::insert_into(question_flags::table).values(&row).execute(to)?;
    }
    Ok(())
}
