//! Knowledge-base records: articles and their versions, attachments,
//! mandatory assignments and reading evidence.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::rules;
use crate::db::Conn;
use crate::exam::model::{Audience, Tree};
use crate::schema::{article_files, article_versions, articles, assignments, reading_exemptions, readings};
use crate::web::FieldErrors;

pub const PUBLISHED: &str = "published";
pub const ARCHIVED: &str = "archived";

pub const CATEGORIES: [&str; 7] =
    ["资费政策", "业务流程", "实名制与安全", "服务规范", "终端与宽带", "系统操作", "营销活动"];

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = articles)]
pub struct Article {
    pub id: i32,
    pub category: String,
    pub tags: String,
    pub effective_date: NaiveDate,
    pub audience: String,
    pub current_version: i32,
    pub status: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = article_versions)]
pub struct Version {
    pub id: i32,
    pub article_id: i32,
    pub version: i32,
    pub title: String,
    pub body: String,
    pub chars: i32,
    pub material: bool,
    pub change_note: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = article_files)]
pub struct ArticleFile {
    pub id: i32,
    pub article_id: i32,
    pub filename: String,
    pub content_type: String,
    pub content: Vec<u8>,
    pub uploaded_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = assignments)]
pub struct Assignment {
    pub id: i32,
    pub article_id: i32,
    pub version_id: i32,
    pub audience: String,
    pub due_date: NaiveDate,
    pub scope_unit: Option<i32>,
    pub active: bool,
    pub assigned_by: Option<i32>,
    pub assigned_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = readings)]
pub struct Reading {
    pub id: i32,
    pub user_id: i32,
    pub version_id: i32,
    pub first_opened_at: NaiveDateTime,
    pub last_beat_at: NaiveDateTime,
    pub active_seconds: i32,
    pub reached_end: bool,
    pub confirmed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = reading_exemptions)]
pub struct Exemption {
    pub id: i32,
    pub assignment_id: i32,
    pub user_id: i32,
    pub reason: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

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

impl Assignment {
    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Assignment> {
        assignments::table.find(id).select(Assignment::as_select()).first(conn)
    }

    pub fn audience(&self) -> Audience {
        serde_json::from_str(&self.audience).unwrap_or_default()
    }

    pub fn for_article(conn: &mut Conn, article_id: i32) -> QueryResult<Vec<Assignment>> {
        assignments::table
            .filter(assignments::article_id.eq(article_id))
            .order(assignments::id.desc())
            .select(Assignment::as_select())
            .load(conn)
    }

    pub fn active(conn: &mut Conn) -> QueryResult<Vec<Assignment>> {
        assignments::table
            .filter(assignments::active.eq(true))
            .order(assignments::due_date)
            .select(Assignment::as_select())
            .load(conn)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn insert(
        conn: &mut Conn,
        article_id: i32,
        version_id: i32,
        audience: &Audience,
        due: NaiveDate,
        scope_unit: Option<i32>,
        by: i32,
        at: NaiveDateTime,
    ) -> QueryResult<i32> {
        diesel::insert_into(assignments::table)
            .values((
                assignments::article_id.eq(article_id),
                assignments::version_id.eq(version_id),
                assignments::audience.eq(serde_json::to_string(audience).unwrap_or_default()),
                assignments::due_date.eq(due),
                assignments::scope_unit.eq(scope_unit),
                assignments::active.eq(true),
                assignments::assigned_by.eq(Some(by)),
                assignments::assigned_at.eq(at),
            ))
            .returning(assignments::id)
            .get_result(conn)
    }
}

impl Reading {
    pub fn of(conn: &mut Conn, user_id: i32, version_id: i32) -> QueryResult<Option<Reading>> {
        readings::table
            .filter(readings::user_id.eq(user_id))
            .filter(readings::version_id.eq(version_id))
            .select(Reading::as_select())
            .first(conn)
            .optional()
    }

    /// Records the first opening (later openings change nothing).
    pub fn open(conn: &mut Conn, user_id: i32, version_id: i32, at: NaiveDateTime) -> QueryResult<Reading> {
        if let Some(r) = Self::of(conn, user_id, version_id)? {
            return Ok(r);
        }
        diesel::insert_into(readings::table)
            .values((
                readings::user_id.eq(user_id),
                readings::version_id.eq(version_id),
                readings::first_opened_at.eq(at),
                readings::last_beat_at.eq(at),
                readings::active_seconds.eq(0),
                readings::reached_end.eq(false),
            ))
            .execute(conn)?;
        Self::of(conn, user_id, version_id)?.ok_or(diesel::result::Error::NotFound)
    }

    /// A heartbeat from the visible page: credits at most the time the
    /// server saw pass since the last one (see [`rules::credited_seconds`]).
    pub fn beat(
        conn: &mut Conn,
        user_id: i32,
        version_id: i32,
        claimed: i64,
        at_end: bool,
        at: NaiveDateTime,
    ) -> QueryResult<Option<Reading>> {
        let Some(r) = Self::of(conn, user_id, version_id)? else { return Ok(None) };
        if r.confirmed_at.is_some() {
            return Ok(Some(r));
        }
        let since = (at - r.last_beat_at).num_seconds();
        let credit = rules::credited_seconds(claimed, since);
        diesel::update(readings::table.find(r.id))
            .set((
                readings::active_seconds.eq(r.active_seconds + credit as i32),
                readings::reached_end.eq(r.reached_end || at_end),
                readings::last_beat_at.eq(at),
            ))
            .execute(conn)?;
        Self::of(conn, user_id, version_id)
    }

    pub fn confirm(conn: &mut Conn, id: i32, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(readings::table.find(id).filter(readings::confirmed_at.is_null()))
            .set(readings::confirmed_at.eq(Some(at)))
            .execute(conn)
    }
}

/// The minimum reading seconds for a version, from the settings.
pub fn needed_seconds(conn: &mut Conn, v: &Version) -> QueryResult<i64> {
    let per = crate::settings::number(conn, &crate::settings::KB_CHARS_PER_MINUTE)?;
    let floor = crate::settings::number(conn, &crate::settings::KB_MIN_SECONDS)?;
    Ok(rules::min_seconds(v.chars, per, floor))
}

/// A person as the audience rules see them: ancestry of their hall, roles.
pub struct Member {
    pub user_id: i32,
    pub ancestry: Vec<i32>,
    pub roles: Vec<String>,
}

impl Member {
    pub fn load(conn: &mut Conn, user_id: i32, hall_id: Option<i32>, tree: &Tree) -> QueryResult<Member> {
        Ok(Member {
            user_id,
            ancestry: tree.ancestry(hall_id),
            roles: crate::exam::model::roles_of(conn, user_id)?,
        })
    }

    pub fn in_audience(&self, audience: &Audience) -> bool {
        audience.contains(self.user_id, &self.ancestry, &self.roles)
    }

    /// An article's readers: everyone when its audience names no unit or person.
    pub fn may_read(&self, article: &Article) -> bool {
        let a = article.audience();
        if a.exclude.contains(&self.user_id) {
            return false;
        }
        (a.units.is_empty() && a.include.is_empty()) || self.in_audience(&a)
    }
}

/// One mandatory item of one person.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub assignment_id: i32,
    pub article_id: i32,
    pub title: String,
    pub version: i32,
    pub due_date: NaiveDate,
    pub days_left: i64,
    pub status: rules::ReadStatus,
    /// Beijing time.
    pub confirmed_at: String,
    pub exempt: bool,
}

/// Confirms of one person: article id → [(version number, confirmed at)].
pub fn confirms_of(conn: &mut Conn, user_id: i32) -> QueryResult<HashMap<i32, Vec<(i32, NaiveDateTime)>>> {
    let rows: Vec<(i32, i32, Option<NaiveDateTime>)> = readings::table
        .inner_join(article_versions::table)
        .filter(readings::user_id.eq(user_id))
        .filter(readings::confirmed_at.is_not_null())
        .select((article_versions::article_id, article_versions::version, readings::confirmed_at))
        .load(conn)?;
    let mut out: HashMap<i32, Vec<(i32, NaiveDateTime)>> = HashMap::new();
    for (article, version, at) in rows {
        if let Some(at) = at {
            out.entry(article).or_default().push((version, at));
        }
    }
    Ok(out)
}

/// A person's mandatory items, the latest assignment per article: unread
/// first (soonest due first), then the read ones.
pub fn items_of(conn: &mut Conn, member: &Member, today: NaiveDate) -> QueryResult<Vec<Item>> {
    let mine: Vec<Assignment> =
        Assignment::active(conn)?.into_iter().filter(|a| member.in_audience(&a.audience())).collect();
    let confirms = confirms_of(conn, member.user_id)?;
    let exempt: Vec<i32> = reading_exemptions::table
        .filter(reading_exemptions::user_id.eq(member.user_id))
        .select(reading_exemptions::assignment_id)
        .load(conn)?;
    let mut latest: HashMap<i32, Assignment> = HashMap::new();
    for a in mine {
        let newer = latest.get(&a.article_id).is_none_or(|b| (a.due_date, a.id) > (b.due_date, b.id));
        if newer {
            latest.insert(a.article_id, a);
        }
    }
    let mut items = Vec::new();
    for a in latest.into_values() {
        let v = Version::find(conn, a.version_id)?;
        let current: String = article_versions::table
            .inner_join(articles::table.on(articles::id.eq(article_versions::article_id)))
            .filter(articles::id.eq(a.article_id))
            .filter(article_versions::version.eq(articles::current_version))
            .select(article_versions::title)
            .first(conn)?;
        let empty = Vec::new();
        let (status, at) =
            rules::read_status(v.version, confirms.get(&a.article_id).unwrap_or(&empty), a.due_date);
        items.push(Item {
            assignment_id: a.id,
            article_id: a.article_id,
            title: current,
            version: v.version,
            due_date: a.due_date,
            days_left: rules::days_left(today, a.due_date),
            status,
            confirmed_at: at.map(crate::time::local_display).unwrap_or_default(),
            exempt: exempt.contains(&a.id),
        });
    }
    items.sort_by_key(|i| (i.status != rules::ReadStatus::Unread, i.due_date, i.article_id));
    Ok(items)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::msg;

    fn good() -> Draft {
        Draft {
            title: "携号转网办理流程".into(),
            category: "业务流程".into(),
            tags: "携号转网".into(),
            effective_date: "2026-11-01".into(),
            body: "## 办理要求\n\n本人持证办理。".into(),
            ..Draft::default()
        }
    }

    #[test]
    fn each_bad_field_is_named_with_its_message() {
        type Change = fn(&mut Draft);
        let cases: [(Change, &str, &str); 8] = [
            (|d| d.title = " ".into(), "title", msg::KB_TITLE_INVALID),
            (|d| d.title = "文".repeat(101), "title", msg::KB_TITLE_INVALID),
            (|d| d.category = "其他".into(), "category", msg::KB_CATEGORY_INVALID),
            (|d| d.effective_date = "2026-11-31".into(), "effective_date", msg::KB_DATE_INVALID),
            (|d| d.effective_date = "9999-12-31".into(), "effective_date", msg::KB_DATE_RANGE),
            (|d| d.effective_date = "1999-12-31".into(), "effective_date", msg::KB_DATE_RANGE),
            (|d| d.body = "\r\n".into(), "body", msg::KB_BODY_INVALID),
            (|d| d.change_note = "注".repeat(201), "change_note", msg::KB_NOTE_TOO_LONG),
        ];
        for (change, field, want) in cases {
            let mut d = good();
            change(&mut d);
            let errors = d.check().err().unwrap_or_default();
            assert_eq!(errors, FieldErrors::from([(field, want.to_string())]), "{d:?}");
        }
        assert!(good().check().is_ok());
    }
}
