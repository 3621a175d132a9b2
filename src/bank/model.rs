//! Banks, questions and their versions in the database.

use std::collections::HashSet;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::question::{dedup_key, split_list, Answer, Channel, Kind, Question};
use crate::db::{lower, now, Conn};
use crate::schema::{banks, question_versions, questions};
use crate::web::pagination::Pager;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = banks)]
pub struct Bank {
    pub id: i32,
    pub name: String,
    pub description: String,
    pub created_by: Option<i32>,
    pub created_at: chrono::NaiveDateTime,
    /// 可练习: clerks may practise its questions (those no monthly exam still needs unrevealed).
    pub practice: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct BankSummary {
    pub bank: Bank,
    pub active: i64,
    pub retired: i64,
    /// Questions 待复核 (set by the bank list; 0 elsewhere).
    pub flagged: usize,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = questions)]
pub struct QuestionRow {
    pub id: i32,
    pub bank_id: i32,
    pub current_version: i32,
    pub status: String,
    pub dedup_key: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = question_versions)]
pub struct VersionRow {
    pub id: i32,
    pub question_id: i32,
    pub version: i32,
    pub kind: String,
    pub stem: String,
    pub body: String,
    pub points: i32,
    pub difficulty: i32,
    pub channel: String,
    pub category: String,
    pub knowledge_points: String,
    pub created_by: Option<i32>,
    pub created_at: chrono::NaiveDateTime,
}

/// The parts of a question stored as JSON in `body`.
#[derive(Debug, Serialize, Deserialize)]
struct Body {
    options: Vec<String>,
    answer: Answer,
    explanation: String,
    source: String,
}

pub const ACTIVE: &str = "active";
pub const RETIRED: &str = "retired";

impl VersionRow {
    /// The question this version holds (a row that no longer parses is a defect,
    /// reported as a database error rather than shown half).
    pub fn question(&self) -> QueryResult<Question> {
        let body: Body = serde_json::from_str(&self.body)
            .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
        let bad = |what: &str| diesel::result::Error::DeserializationError(what.to_string().into());
        Ok(Question {
            kind: Kind::parse_code(&self.kind).ok_or_else(|| bad("kind"))?,
            stem: self.stem.clone(),
            options: body.options,
            answer: body.answer,
            explanation: body.explanation,
            points: i64::from(self.points),
            difficulty: u8::try_from(self.difficulty).map_err(|_| bad("difficulty"))?,
            channel: Channel::parse_code(&self.channel).ok_or_else(|| bad("channel"))?,
            category: self.category.clone(),
            // A JSON array, so a point may contain any character.
            knowledge_points: serde_json::from_str(&self.knowledge_points)
                .unwrap_or_else(|_| split_list(&self.knowledge_points)),
            source: body.source,
        })
    }
}

/// Search filters of a bank page.
#[derive(Debug, Clone, Default)]
pub struct QuestionFilter {
    pub text: Option<String>,
    pub knowledge_point: Option<String>,
    pub category: Option<String>,
    pub channel: Option<Channel>,
    pub kind: Option<Kind>,
    pub difficulty: Option<i32>,
    /// None = active only; Some(true) = include retired.
    pub include_retired: bool,
}

fn like(text: &str) -> String {
    format!("%{}%", text.trim().to_lowercase().replace(['%', '_'], ""))
}

impl Bank {
    pub fn all(conn: &mut Conn) -> QueryResult<Vec<BankSummary>> {
        let list: Vec<Bank> = banks::table.order(banks::name).select(Bank::as_select()).load(conn)?;
        let counts: Vec<(i32, String, i64)> = questions::table
            .group_by((questions::bank_id, questions::status))
            .select((questions::bank_id, questions::status, diesel::dsl::count(questions::id)))
            .load(conn)?;
        let count = |bank: i32, status: &str| {
            counts.iter().find(|(b, s, _)| *b == bank && s == status).map(|(_, _, n)| *n).unwrap_or(0)
        };
        Ok(list
            .into_iter()
            .map(|bank| BankSummary {
                active: count(bank.id, ACTIVE),
                retired: count(bank.id, RETIRED),
                bank,
                flagged: 0,
            })
            .collect())
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Bank> {
        banks::table.find(id).select(Bank::as_select()).first(conn)
    }

    pub fn find_by_name(conn: &mut Conn, name: &str) -> QueryResult<Option<Bank>> {
        banks::table.filter(banks::name.eq(name)).select(Bank::as_select()).first(conn).optional()
    }

    pub fn insert(conn: &mut Conn, name: &str, description: &str, by: Option<i32>) -> QueryResult<i32> {
        diesel::insert_into(banks::table)
            .values((
                banks::name.eq(name),
                banks::description.eq(description),
                banks::created_by.eq(by),
                banks::created_at.eq(now()),
            ))
            .returning(banks::id)
            .get_result(conn)
    }

    /// The bank called `name`, created if missing (the CLI and the demo).
    pub fn find_or_create(conn: &mut Conn, name: &str, by: Option<i32>) -> QueryResult<Bank> {
        if let Some(bank) = Self::find_by_name(conn, name)? {
            return Ok(bank);
        }
        let id = Self::insert(conn, name, "", by)?;
        Self::find(conn, id)
    }

    /// Duplicate keys of the bank's active questions.
    pub fn active_keys(conn: &mut Conn, bank_id: i32) -> QueryResult<HashSet<String>> {
        let keys: Vec<String> = questions::table
            .filter(questions::bank_id.eq(bank_id))
            .filter(questions::status.eq(ACTIVE))
            .select(questions::dedup_key)
            .load(conn)?;
        Ok(keys.into_iter().collect())
    }

    /// One page of the bank's questions (their current versions) matching `filter`.
    pub fn search(
        conn: &mut Conn,
        bank_id: i32,
        filter: &QuestionFilter,
        page: Option<i64>,
    ) -> QueryResult<(Vec<(QuestionRow, VersionRow)>, Pager)> {
        let build = || {
            let mut q = questions::table
                .inner_join(question_versions::table)
                .filter(question_versions::version.eq(questions::current_version))
                .filter(questions::bank_id.eq(bank_id))
                .into_boxed();
            if !filter.include_retired {
                q = q.filter(questions::status.eq(ACTIVE));
            }
            if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
                q = q.filter(lower(question_versions::stem).like(like(text)));
            }
            if let Some(kp) = filter.knowledge_point.as_deref().filter(|t| !t.trim().is_empty()) {
                q = q.filter(lower(question_versions::knowledge_points).like(like(kp)));
            }
            if let Some(cat) = filter.category.as_deref().filter(|t| !t.trim().is_empty()) {
                q = q.filter(
                    question_versions::category.like(format!("{}%", cat.trim().replace(['%', '_'], ""))),
                );
            }
            if let Some(channel) = filter.channel {
                q = q.filter(question_versions::channel.eq(channel.code()));
            }
            if let Some(kind) = filter.kind {
                q = q.filter(question_versions::kind.eq(kind.code()));
            }
            if let Some(d) = filter.difficulty {
                q = q.filter(question_versions::difficulty.eq(d));
            }
            q
        };
        let pager = Pager::new(page, 30, build().count().get_result(conn)?);
        let rows = build()
            .order(questions::id)
            .limit(pager.per_page)
            .offset(pager.offset())
            .select((QuestionRow::as_select(), VersionRow::as_select()))
            .load(conn)?;
        Ok((rows, pager))
    }

    /// The distinct categories of a bank (filter suggestions).
    pub fn categories(conn: &mut Conn, bank_id: i32) -> QueryResult<Vec<String>> {
        question_versions::table
            .inner_join(questions::table)
            .filter(questions::bank_id.eq(bank_id))
            .filter(question_versions::version.eq(questions::current_version))
            .select(question_versions::category)
            .distinct()
            .order(question_versions::category)
            .load(conn)
    }

    /// Every active question of a bank, current versions, in id order (export).
    pub fn questions(conn: &mut Conn, bank_id: i32) -> QueryResult<Vec<Question>> {
        Ok(Self::questions_with_ids(conn, bank_id)?.into_iter().map(|(_, q)| q).collect())
    }

    /// The same, with each question's id (the Word export adds its pictures).
    pub fn questions_with_ids(conn: &mut Conn, bank_id: i32) -> QueryResult<Vec<(i32, Question)>> {
        let rows: Vec<VersionRow> = question_versions::table
            .inner_join(questions::table)
            .filter(questions::bank_id.eq(bank_id))
            .filter(questions::status.eq(ACTIVE))
            .filter(question_versions::version.eq(questions::current_version))
            .order(questions::id)
            .select(VersionRow::as_select())
            .load(conn)?;
        rows.iter().map(|r| Ok((r.question_id, r.question()?))).collect()
    }
}

fn insert_version(
    conn: &mut Conn,
    question_id: i32,
    version: i32,
    q: &Question,
    by: Option<i32>,
) -> QueryResult<()> {
    let body = serde_json::to_string(&Body {
        options: q.options.clone(),
        answer: q.answer.clone(),
        explanation: q.explanation.clone(),
        source: q.source.clone(),
    })
    .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    diesel::insert_into(question_versions::table)
        .values((
            question_versions::question_id.eq(question_id),
            question_versions::version.eq(version),
            question_versions::kind.eq(q.kind.code()),
            question_versions::stem.eq(q.stem.clone()),
            question_versions::body.eq(body),
            question_versions::points.eq(i32::try_from(q.points).unwrap_or(i32::MAX)),
            question_versions::difficulty.eq(i32::from(q.difficulty)),
            question_versions::channel.eq(q.channel.code()),
            question_versions::category.eq(q.category.clone()),
            question_versions::knowledge_points
                .eq(serde_json::to_string(&q.knowledge_points).unwrap_or_default()),
            question_versions::created_by.eq(by),
            question_versions::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

impl QuestionRow {
    /// Adds a question with its first version.
    pub fn insert(conn: &mut Conn, bank_id: i32, q: &Question, by: Option<i32>) -> QueryResult<i32> {
        let at = now();
        let id = diesel::insert_into(questions::table)
            .values((
                questions::bank_id.eq(bank_id),
                questions::current_version.eq(1),
                questions::status.eq(ACTIVE),
                questions::dedup_key.eq(dedup_key(q)),
                questions::created_at.eq(at),
                questions::updated_at.eq(at),
            ))
            .returning(questions::id)
            .get_result(conn)?;
        insert_version(conn, id, 1, q, by)?;
        Ok(id)
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<QuestionRow> {
        questions::table.find(id).select(QuestionRow::as_select()).first(conn)
    }

    /// Every version, newest first.
    pub fn versions(conn: &mut Conn, id: i32) -> QueryResult<Vec<VersionRow>> {
        question_versions::table
            .filter(question_versions::question_id.eq(id))
            .order(question_versions::version.desc())
            .select(VersionRow::as_select())
            .load(conn)
    }

    /// Saves an edit as a new version; older versions stay for the exams that used them.
    pub fn add_version(conn: &mut Conn, id: i32, q: &Question, by: Option<i32>) -> QueryResult<i32> {
        let row = Self::find(conn, id)?;
        let version = row.current_version + 1;
        insert_version(conn, id, version, q, by)?;
        diesel::update(questions::table.find(id))
            .set((
                questions::current_version.eq(version),
                questions::dedup_key.eq(dedup_key(q)),
                questions::updated_at.eq(now()),
            ))
            .execute(conn)?;
        Ok(version)
    }

    pub fn set_status(conn: &mut Conn, id: i32, status: &str) -> QueryResult<usize> {
        diesel::update(questions::table.find(id))
            .set((questions::status.eq(status), questions::updated_at.eq(now())))
            .execute(conn)
    }

    /// Other active questions of the bank with this duplicate key.
    pub fn duplicates_of(conn: &mut Conn, bank_id: i32, key: &str, except: i32) -> QueryResult<Vec<i32>> {
        questions::table
            .filter(questions::bank_id.eq(bank_id))
            .filter(questions::status.eq(ACTIVE))
            .filter(questions::dedup_key.eq(key))
            .filter(questions::id.ne(except))
            .select(questions::id)
            .load(conn)
    }
}
