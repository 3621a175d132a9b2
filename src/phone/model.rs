//! Phone-test records: rubrics and their versions, scenarios, scored calls.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::rules::{self, Item, Mark, Scored};
use crate::db::Conn;
use crate::domain::Month;
use crate::schema::{phone_calls, rubric_versions, rubrics, scenarios};

pub const DEFAULT_RUBRIC: &str = "电话拨测评分标准";

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = rubrics)]
pub struct Rubric {
    pub id: i32,
    pub name: String,
    pub current_version: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = rubric_versions)]
pub struct RubricVersion {
    pub id: i32,
    pub rubric_id: i32,
    pub version: i32,
    /// JSON of `Vec<rules::Item>`.
    pub items: String,
    pub note: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

impl RubricVersion {
    pub fn items(&self) -> Vec<Item> {
        serde_json::from_str(&self.items).unwrap_or_default()
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<RubricVersion> {
        rubric_versions::table.find(id).select(RubricVersion::as_select()).first(conn)
    }
}

impl Rubric {
    /// The rubric in use (the first one), created with the default items when there is none.
    pub fn current(conn: &mut Conn, at: NaiveDateTime) -> QueryResult<(Rubric, RubricVersion)> {
        let found: Option<Rubric> =
            rubrics::table.order(rubrics::id).select(Rubric::as_select()).first(conn).optional()?;
        let rubric = match found {
            Some(r) => r,
            None => {
                let id: i32 = diesel::insert_into(rubrics::table)
                    .values((
                        rubrics::name.eq(DEFAULT_RUBRIC),
                        rubrics::current_version.eq(1),
                        rubrics::created_at.eq(at),
                    ))
                    .returning(rubrics::id)
                    .get_result(conn)?;
                insert_version(conn, id, 1, &rules::default_items(), "默认评分标准", None, at)?;
                rubrics::table.find(id).select(Rubric::as_select()).first(conn)?
            }
        };
        let v = rubric_versions::table
            .filter(rubric_versions::rubric_id.eq(rubric.id))
            .filter(rubric_versions::version.eq(rubric.current_version))
            .select(RubricVersion::as_select())
            .first(conn)?;
        Ok((rubric, v))
    }

    /// Saves edited items as the next version (already checked); the new version.
    pub fn edit(
        conn: &mut Conn,
        items: &[Item],
        note: &str,
        by: i32,
        at: NaiveDateTime,
    ) -> QueryResult<RubricVersion> {
        let (rubric, _) = Rubric::current(conn, at)?;
        let next = rubric.current_version + 1;
        let id = insert_version(conn, rubric.id, next, items, note, Some(by), at)?;
        diesel::update(rubrics::table.find(rubric.id))
            .set(rubrics::current_version.eq(next))
            .execute(conn)?;
        RubricVersion::find(conn, id)
    }

    pub fn versions(conn: &mut Conn) -> QueryResult<Vec<RubricVersion>> {
        rubric_versions::table.order(rubric_versions::id.desc()).select(RubricVersion::as_select()).load(conn)
    }
}

fn insert_version(
    conn: &mut Conn,
    rubric_id: i32,
    version: i32,
    items: &[Item],
    note: &str,
    by: Option<i32>,
    at: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(rubric_versions::table)
        .values((
            rubric_versions::rubric_id.eq(rubric_id),
            rubric_versions::version.eq(version),
            rubric_versions::items.eq(serde_json::to_string(items).unwrap_or_default()),
            rubric_versions::note.eq(note),
            rubric_versions::created_by.eq(by),
            rubric_versions::created_at.eq(at),
        ))
        .returning(rubric_versions::id)
        .get_result(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = scenarios)]
pub struct Scenario {
    pub id: i32,
    pub title: String,
    /// 营业厅 / 热线 / 电子渠道 (the exam channels' codes).
    pub channel: String,
    pub business: String,
    pub question: String,
    pub key_points: String,
    /// JSON list of knowledge-base article ids.
    pub article_ids: String,
    pub active: bool,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Scenario {
    pub fn article_ids(&self) -> Vec<i32> {
        serde_json::from_str(&self.article_ids).unwrap_or_default()
    }

    pub fn all(conn: &mut Conn) -> QueryResult<Vec<Scenario>> {
        scenarios::table.order(scenarios::id).select(Scenario::as_select()).load(conn)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = phone_calls)]
pub struct Call {
    pub id: i32,
    pub called_at: NaiveDateTime,
    pub month: Month,
    pub hall_id: i32,
    pub clerk_id: Option<i32>,
    pub tester_id: i32,
    pub scenario_id: Option<i32>,
    pub rubric_version_id: i32,
    /// JSON {code: hundredths or null (N/A)}.
    pub scores: String,
    pub total: i32,
    pub critical_failed: bool,
    pub rings: i32,
    pub duration_seconds: i32,
    pub notes: String,
    pub recording_ref: String,
    pub second_of: Option<i32>,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

impl Call {
    /// The marks as stored (code → Some(hundredths) or None for N/A).
    pub fn marks(&self) -> BTreeMap<String, Option<i64>> {
        serde_json::from_str(&self.scores).unwrap_or_default()
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Call> {
        phone_calls::table.find(id).select(Call::as_select()).first(conn)
    }
}

/// A call ready to store: checked and scored (see [`record`]).
#[derive(Debug, Clone)]
pub struct NewCall {
    pub called_at: NaiveDateTime,
    pub hall_id: i32,
    pub clerk_id: Option<i32>,
    pub tester_id: i32,
    pub scenario_id: Option<i32>,
    pub rubric_version_id: i32,
    pub marks: Vec<(String, Mark)>,
    pub rings: i32,
    pub duration_seconds: i32,
    pub notes: String,
    pub recording_ref: String,
    pub second_of: Option<i32>,
}

/// Scores `call` with its rubric version and stores it; the new id. The
/// caller has checked the hall, clerk and date (see the routes and the import).
pub fn record(
    conn: &mut Conn,
    call: &NewCall,
    by: Option<i32>,
    at: NaiveDateTime,
) -> QueryResult<Result<i32, rules::ScoreError>> {
    let version = RubricVersion::find(conn, call.rubric_version_id)?;
    let scored: Scored = match rules::score(&version.items(), &call.marks) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let stored: BTreeMap<&str, Option<i64>> = call
        .marks
        .iter()
        .map(|(c, m)| {
            (
                c.as_str(),
                match m {
                    Mark::Score(s) => Some(*s),
                    Mark::NotApplicable => None,
                },
            )
        })
        .collect();
    let id = diesel::insert_into(phone_calls::table)
        .values((
            phone_calls::called_at.eq(call.called_at),
            phone_calls::month.eq(Month::of(call.called_at)),
            phone_calls::hall_id.eq(call.hall_id),
            phone_calls::clerk_id.eq(call.clerk_id),
            phone_calls::tester_id.eq(call.tester_id),
            phone_calls::scenario_id.eq(call.scenario_id),
            phone_calls::rubric_version_id.eq(call.rubric_version_id),
            phone_calls::scores.eq(serde_json::to_string(&stored).unwrap_or_default()),
            phone_calls::total.eq(scored.total as i32),
            phone_calls::critical_failed.eq(scored.critical_failed),
            phone_calls::rings.eq(call.rings),
            phone_calls::duration_seconds.eq(call.duration_seconds),
            phone_calls::notes.eq(&call.notes),
            phone_calls::recording_ref.eq(&call.recording_ref),
            phone_calls::second_of.eq(call.second_of),
            phone_calls::created_by.eq(by),
            phone_calls::created_at.eq(at),
        ))
        .returning(phone_calls::id)
        .get_result(conn)?;
    Ok(Ok(id))
}

/// The month's first scorings (not the calibration second ones).
pub fn calls_of_month(conn: &mut Conn, month: Month) -> QueryResult<Vec<Call>> {
    phone_calls::table
        .filter(phone_calls::month.eq(month))
        .filter(phone_calls::second_of.is_null())
        .order((phone_calls::called_at, phone_calls::id))
        .select(Call::as_select())
        .load(conn)
}

/// For `copy-db`.
pub fn copy(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    for row in rubrics::table.order(rubrics::id).select(Rubric::as_select()).load(from)? {
        diesel::insert_into(rubrics::table).values(&row).execute(to)?;
    }
    for row in
        rubric_versions::table.order(rubric_versions::id).select(RubricVersion::as_select()).load(from)?
    {
        diesel::insert_into(rubric_versions::table).values(&row).execute(to)?;
    }
    for row in scenarios::table.order(scenarios::id).select(Scenario::as_select()).load(from)? {
        diesel::insert_into(scenarios::table).values(&row).execute(to)?;
    }
    for row in phone_calls::table.order(phone_calls::id).select(Call::as_select()).load(from)? {
        diesel::insert_into(phone_calls::table).values(&row).execute(to)?;
    }
    Ok(())
}

/// A scenario as the form gives it (checked by the routes).
#[derive(Debug, Clone, Default)]
pub struct ScenarioFields {
    pub title: String,
    pub channel: String,
    pub business: String,
    pub question: String,
    pub key_points: String,
    pub article_ids: Vec<i32>,
    pub active: bool,
}

impl Scenario {
    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Scenario> {
        scenarios::table.find(id).select(Scenario::as_select()).first(conn)
    }

    /// Inserts a scenario, or updates scenario `id`; its id.
    pub fn save(
        conn: &mut Conn,
        id: Option<i32>,
        f: &ScenarioFields,
        by: i32,
        at: NaiveDateTime,
    ) -> QueryResult<i32> {
        let articles = serde_json::to_string(&f.article_ids).unwrap_or_else(|_| "[]".into());
        let values = (
            scenarios::title.eq(&f.title),
            scenarios::channel.eq(&f.channel),
            scenarios::business.eq(&f.business),
            scenarios::question.eq(&f.question),
            scenarios::key_points.eq(&f.key_points),
            scenarios::article_ids.eq(articles),
            scenarios::active.eq(f.active),
            scenarios::updated_at.eq(at),
        );
        match id {
            Some(id) => {
                diesel::update(scenarios::table.find(id)).set(values).execute(conn)?;
                Ok(id)
            }
            None => diesel::insert_into(scenarios::table)
                .values((values, scenarios::created_by.eq(Some(by)), scenarios::created_at.eq(at)))
                .returning(scenarios::id)
                .get_result(conn),
        }
    }
}

impl Call {
    /// A clerk's calls (first scorings only), newest first; `limit` None = all.
    pub fn of_clerk(conn: &mut Conn, clerk_id: i32, limit: Option<i64>) -> QueryResult<Vec<Call>> {
        let mut q = phone_calls::table
            .filter(phone_calls::clerk_id.eq(clerk_id))
            .filter(phone_calls::second_of.is_null())
            .order((phone_calls::called_at.desc(), phone_calls::id.desc()))
            .select(Call::as_select())
            .into_boxed();
        if let Some(n) = limit {
            q = q.limit(n);
        }
        q.load(conn)
    }

    /// The calibration scorings of call `id`.
    pub fn seconds_of(conn: &mut Conn, id: i32) -> QueryResult<Vec<Call>> {
        phone_calls::table
            .filter(phone_calls::second_of.eq(id))
            .order(phone_calls::id)
            .select(Call::as_select())
            .load(conn)
    }
}
