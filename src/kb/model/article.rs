//! Articles and their versions: the draft as typed and checked, saving,
//! editing, search.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Conn;
use crate::exam::model::Audience;
use crate::kb::rules;
use crate::schema::{article_files, article_versions, articles, assignments, reading_exemptions, readings};
use crate::web::FieldErrors;

use super::*;

/// What a trainer types for an article (new or edited).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Draft {
    pub title: String,
    pub category: String,
    pub tags: String,
    /// YYYY-MM-DD.
    pub effective_date: String,
    pub body: String,
    #[serde(default)]
    pub material: Option<String>,
    #[serde(default)]
    pub change_note: String,
    /// Who may read it: empty = everyone, else an org unit's id (and below).
    #[serde(default)]
    pub visible_unit: String,
    /// A material change of an assigned article: the new due date (YYYY-MM-DD).
    #[serde(default)]
    pub new_due: String,
}

/// A draft's fields, checked.
pub struct Checked {
    pub title: String,
    pub category: String,
    pub tags: Vec<String>,
    pub effective_date: NaiveDate,
    pub body: String,
    pub visible_unit: Option<i32>,
}

impl Checked {
    /// The article's audience: everyone, or every role under one unit.
    fn audience_json(&self) -> String {
        match self.visible_unit {
            None => "{}".to_string(),
            Some(u) => serde_json::to_string(&Audience {
                units: vec![u],
                roles: crate::auth::Role::ALL.iter().map(|r| r.code().to_string()).collect(),
                ..Audience::default()
            })
            .unwrap_or_default(),
        }
    }
}

/// The effective dates an article may carry (a typo such as year 9999 is refused).
pub const EFFECTIVE_FIRST: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
pub const EFFECTIVE_LAST: NaiveDate = NaiveDate::from_ymd_opt(2099, 12, 31).unwrap();

impl Draft {
    /// The checked values, or what is wrong in Chinese by field (the names
    /// the form posts).
    pub fn check(&self) -> Result<Checked, FieldErrors> {
        use crate::web::msg;
        let mut errors = FieldErrors::new();
        let title = self.title.trim().to_string();
        if title.is_empty() || title.chars().count() > 100 {
            errors.insert("title", msg::KB_TITLE_INVALID.into());
        }
        let category = self.category.trim().to_string();
        if !CATEGORIES.contains(&category.as_str()) {
            errors.insert("category", msg::KB_CATEGORY_INVALID.into());
        }
        let effective = NaiveDate::parse_from_str(self.effective_date.trim(), "%Y-%m-%d").ok();
        match effective {
            None => {
                errors.insert("effective_date", msg::KB_DATE_INVALID.into());
            }
            Some(d) if !(EFFECTIVE_FIRST..=EFFECTIVE_LAST).contains(&d) => {
                errors.insert("effective_date", msg::KB_DATE_RANGE.into());
            }
            _ => {}
        }
        let body = self.body.replace("\r\n", "\n");
        if body.trim().is_empty() || body.len() > 200_000 {
            errors.insert("body", msg::KB_BODY_INVALID.into());
        }
        if self.change_note.chars().count() > 200 {
            errors.insert("change_note", msg::KB_NOTE_TOO_LONG.into());
        }
        match (errors.is_empty(), effective) {
            (true, Some(effective_date)) => Ok(Checked {
                title,
                category,
                tags: rules::parse_tags(&self.tags),
                effective_date,
                body,
                visible_unit: self.visible_unit.trim().parse().ok(),
            }),
            _ => Err(errors),
        }
    }
}

impl Article {
    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Article> {
        articles::table.find(id).select(Article::as_select()).first(conn)
    }

    pub fn tag_list(&self) -> Vec<String> {
        rules::parse_tags(&self.tags)
    }

    pub fn audience(&self) -> Audience {
        serde_json::from_str(&self.audience).unwrap_or_default()
    }

    /// Creates an article with its first version; the article's id.
    pub fn create(conn: &mut Conn, c: &Checked, by: i32, at: NaiveDateTime) -> QueryResult<i32> {
        let id: i32 = diesel::insert_into(articles::table)
            .values((
                articles::category.eq(&c.category),
                articles::tags.eq(c.tags.join(",")),
                articles::effective_date.eq(c.effective_date),
                articles::audience.eq(c.audience_json()),
                articles::current_version.eq(1),
                articles::status.eq(PUBLISHED),
                articles::created_by.eq(Some(by)),
                articles::created_at.eq(at),
                articles::updated_at.eq(at),
            ))
            .returning(articles::id)
            .get_result(conn)?;
        Version::insert(conn, id, 1, c, false, "", by, at)?;
        Ok(id)
    }

    /// Saves an edit as the next version; the new version.
    pub fn edit(
        conn: &mut Conn,
        id: i32,
        c: &Checked,
        material: bool,
        note: &str,
        by: i32,
        at: NaiveDateTime,
    ) -> QueryResult<Version> {
        let article = Article::find(conn, id)?;
        let next = article.current_version + 1;
        let version_id = Version::insert(conn, id, next, c, material, note, by, at)?;
        diesel::update(articles::table.find(id))
            .set((
                articles::category.eq(&c.category),
                articles::tags.eq(c.tags.join(",")),
                articles::effective_date.eq(c.effective_date),
                articles::current_version.eq(next),
                articles::audience.eq(c.audience_json()),
                articles::updated_at.eq(at),
            ))
            .execute(conn)?;
        article_versions::table.find(version_id).select(Version::as_select()).first(conn)
    }

    pub fn set_status(conn: &mut Conn, id: i32, status: &str) -> QueryResult<usize> {
        diesel::update(articles::table.find(id)).set(articles::status.eq(status)).execute(conn)
    }
}

impl Version {
    #[allow(clippy::too_many_arguments)]
    fn insert(
        conn: &mut Conn,
        article_id: i32,
        version: i32,
        c: &Checked,
        material: bool,
        note: &str,
        by: i32,
        at: NaiveDateTime,
    ) -> QueryResult<i32> {
        diesel::insert_into(article_versions::table)
            .values((
                article_versions::article_id.eq(article_id),
                article_versions::version.eq(version),
                article_versions::title.eq(&c.title),
                article_versions::body.eq(&c.body),
                article_versions::chars.eq(rules::reading_chars(&c.body)),
                article_versions::material.eq(material),
                article_versions::change_note.eq(note.trim()),
                article_versions::created_by.eq(Some(by)),
                article_versions::created_at.eq(at),
            ))
            .returning(article_versions::id)
            .get_result(conn)
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Version> {
        article_versions::table.find(id).select(Version::as_select()).first(conn)
    }

    pub fn of(conn: &mut Conn, article_id: i32, version: i32) -> QueryResult<Option<Version>> {
        article_versions::table
            .filter(article_versions::article_id.eq(article_id))
            .filter(article_versions::version.eq(version))
            .select(Version::as_select())
            .first(conn)
            .optional()
    }

    /// Every version of an article, newest first.
    pub fn all(conn: &mut Conn, article_id: i32) -> QueryResult<Vec<Version>> {
        article_versions::table
            .filter(article_versions::article_id.eq(article_id))
            .order(article_versions::version.desc())
            .select(Version::as_select())
            .load(conn)
    }
}

/// One line of the article list: the article and its current version's title.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub id: i32,
    pub title: String,
    pub category: String,
    pub tags: Vec<String>,
    pub effective_date: NaiveDate,
    pub version: i32,
    pub updated: String,
    pub status: String,
    /// Assigned as mandatory to this reader, with its due date.
    pub mandatory_due: Option<NaiveDate>,
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `\` as the escape.
pub fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Articles matching a search: a substring of the title or the body (Chinese
/// has no spaces to split words on), a category and a tag; newest first.
pub fn search(
    conn: &mut Conn,
    q: &str,
    category: &str,
    tag: &str,
    include_archived: bool,
) -> QueryResult<Vec<(Article, Version)>> {
    let mut query = articles::table
        .inner_join(
            article_versions::table.on(article_versions::article_id
                .eq(articles::id)
                .and(article_versions::version.eq(articles::current_version))),
        )
        .select((Article::as_select(), Version::as_select()))
        .order((articles::effective_date.desc(), articles::id.desc()))
        .into_boxed();
    let q = q.trim();
    if !q.is_empty() {
        let p = like_pattern(q);
        query = query.filter(
            article_versions::title
                .like(p.clone())
                .escape('\\')
                .or(article_versions::body.like(p).escape('\\')),
        );
    }
    if !category.is_empty() {
        query = query.filter(articles::category.eq(category.to_string()));
    }
    if !include_archived {
        query = query.filter(articles::status.eq(PUBLISHED));
    }
    let rows: Vec<(Article, Version)> = query.load(conn)?;
    let tag = tag.trim();
    Ok(rows.into_iter().filter(|(a, _)| tag.is_empty() || a.tag_list().iter().any(|t| t == tag)).collect())
}

/// Every tag in use, most used first.
pub fn all_tags(conn: &mut Conn) -> QueryResult<Vec<String>> {
    let fields: Vec<String> =
        articles::table.filter(articles::status.eq(PUBLISHED)).select(articles::tags).load(conn)?;
    let mut counts: HashMap<String, usize> = HashMap::new();
    for f in fields {
        for t in rules::parse_tags(&f) {
            *counts.entry(t).or_default() += 1;
        }
    }
    let mut tags: Vec<(String, usize)> = counts.into_iter().collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(tags.into_iter().map(|(t, _)| t).collect())
}

/// The current-version title of an article.
pub fn title_of(conn: &mut Conn, article: &Article) -> QueryResult<String> {
    Ok(Version::of(conn, article.id, article.current_version)?.map(|v| v.title).unwrap_or_default())
}

/// For `copy-db`.
pub fn copy(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    for row in articles::table.order(articles::id).select(Article::as_select()).load(from)? {
        diesel::insert_into(articles::table).values(&row).execute(to)?;
    }
    for row in article_versions::table.order(article_versions::id).select(Version::as_select()).load(from)? {
        diesel::insert_into(article_versions::table).values(&row).execute(to)?;
    }
    for row in article_files::table.order(article_files::id).select(ArticleFile::as_select()).load(from)? {
        diesel::insert_into(article_files::table).values(&row).execute(to)?;
    }
    for row in assignments::table.order(assignments::id).select(Assignment::as_select()).load(from)? {
        diesel::insert_into(assignments::table).values(&row).execute(to)?;
    }
    for row in readings::table.order(readings::id).select(Reading::as_select()).load(from)? {
        diesel::insert_into(readings::table).values(&row).execute(to)?;
    }
    for row in
        reading_exemptions::table.order(reading_exemptions::id).select(Exemption::as_select()).load(from)?
    {
        diesel::insert_into(reading_exemptions::table).values(&row).execute(to)?;
    }
    Ok(())
}
