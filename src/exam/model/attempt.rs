//! Attempts and their items: finding them, starting one with its drawn
//! paper, and saving answers.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::AttemptStatus;
use crate::bank::grading::Response;
use crate::bank::model::VersionRow;
use crate::bank::question::Question;
use crate::db::Conn;
use crate::exam::paper::Drawn;
use crate::exam::rules;
use crate::schema::{attempt_items, attempts, question_versions};

/// A random token naming the browser tab that holds an attempt.
pub fn new_device_token() -> String {
    crate::web::csrf::new_token()
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = attempts)]
pub struct Attempt {
    pub id: i32,
    pub exam_id: i32,
    pub user_id: i32,
    pub hall_id: Option<i32>,
    pub status: AttemptStatus,
    pub started_at: NaiveDateTime,
    pub deadline_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub submitted_by: Option<String>,
    pub earned: Option<i32>,
    pub possible: i32,
    pub score: Option<i32>,
    pub marking_pending: bool,
    pub device: String,
    pub sitting_id: Option<i32>,
    /// 1, 2, 3… a practice exam's rounds; 1 for every other exam.
    pub round: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = attempt_items)]
pub struct Item {
    pub id: i32,
    pub attempt_id: i32,
    pub position: i32,
    pub question_id: i32,
    pub version_id: i32,
    pub points: i32,
    pub option_order: String,
    pub response: Option<String>,
    pub flagged: bool,
    pub saved_at: Option<NaiveDateTime>,
    pub earned: Option<i32>,
    pub marked_by: Option<i32>,
    pub marked_at: Option<NaiveDateTime>,
}

impl Item {
    pub fn order(&self) -> Vec<usize> {
        serde_json::from_str(&self.option_order).unwrap_or_default()
    }

    pub fn response(&self) -> Option<Response> {
        self.response.as_deref().and_then(|r| serde_json::from_str(r).ok())
    }
}

/// What happened to one save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved {
        remaining: i64,
    },
    /// Another tab or device opened the attempt since.
    OtherDevice,
    /// Submitted, or the deadline (and grace) passed.
    Closed,
    NoSuchQuestion,
    /// From an address outside the exam's IP ranges.
    IpNotAllowed,
}

impl Attempt {
    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Attempt> {
        attempts::table.find(id).select(Attempt::as_select()).first(conn)
    }

    /// The candidate's attempt of the exam: the latest (a practice exam may
    /// be sat again and again; every other exam has at most one).
    pub fn of(conn: &mut Conn, exam_id: i32, user_id: i32) -> QueryResult<Option<Attempt>> {
        attempts::table
            .filter(attempts::exam_id.eq(exam_id))
            .filter(attempts::user_id.eq(user_id))
            .order(attempts::id.desc())
            .select(Attempt::as_select())
            .first(conn)
            .optional()
    }

    /// Every attempt of the candidate at the exam, oldest first (a practice exam's rounds).
    pub fn all_of(conn: &mut Conn, exam_id: i32, user_id: i32) -> QueryResult<Vec<Attempt>> {
        attempts::table
            .filter(attempts::exam_id.eq(exam_id))
            .filter(attempts::user_id.eq(user_id))
            .order(attempts::id.asc())
            .select(Attempt::as_select())
            .load(conn)
    }

    pub fn for_exam(conn: &mut Conn, exam_id: i32) -> QueryResult<Vec<Attempt>> {
        attempts::table.filter(attempts::exam_id.eq(exam_id)).select(Attempt::as_select()).load(conn)
    }

    /// The exam's attempts still in progress (not the whole exam's rows).
    pub fn running(conn: &mut Conn, exam_id: i32) -> QueryResult<Vec<Attempt>> {
        attempts::table
            .filter(attempts::exam_id.eq(exam_id))
            .filter(attempts::status.eq(AttemptStatus::InProgress))
            .select(Attempt::as_select())
            .load(conn)
    }

    pub fn for_user(conn: &mut Conn, user_id: i32) -> QueryResult<Vec<Attempt>> {
        attempts::table.filter(attempts::user_id.eq(user_id)).select(Attempt::as_select()).load(conn)
    }

    pub fn items(conn: &mut Conn, id: i32) -> QueryResult<Vec<Item>> {
        attempt_items::table
            .filter(attempt_items::attempt_id.eq(id))
            .order(attempt_items::position)
            .select(Item::as_select())
            .load(conn)
    }

    /// Items with the frozen question versions they show.
    pub fn paper(conn: &mut Conn, id: i32) -> QueryResult<Vec<(Item, Question)>> {
        let rows: Vec<(Item, VersionRow)> = attempt_items::table
            .inner_join(question_versions::table)
            .filter(attempt_items::attempt_id.eq(id))
            .order(attempt_items::position)
            .select((Item::as_select(), VersionRow::as_select()))
            .load(conn)?;
        rows.into_iter().map(|(item, v)| Ok((item, v.question()?))).collect()
    }

    /// Starts an attempt with its drawn paper, in one transaction (the caller's).
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        conn: &mut Conn,
        exam_id: i32,
        user_id: i32,
        hall_id: Option<i32>,
        paper: &[Drawn],
        started_at: NaiveDateTime,
        deadline_at: NaiveDateTime,
        device: &str,
        sitting_id: Option<i32>,
    ) -> QueryResult<i32> {
        let possible: i64 = paper.iter().map(|d| d.points).sum();
        // The next round (a practice exam's; 1 otherwise): two starts racing
        // for the same round meet the unique (exam, user, round) instead.
        let last: Option<i32> = attempts::table
            .filter(attempts::exam_id.eq(exam_id))
            .filter(attempts::user_id.eq(user_id))
            .select(diesel::dsl::max(attempts::round))
            .first(conn)?;
        let id: i32 = diesel::insert_into(attempts::table)
            .values((
                attempts::round.eq(last.unwrap_or(0) + 1),
                attempts::exam_id.eq(exam_id),
                attempts::user_id.eq(user_id),
                attempts::hall_id.eq(hall_id),
                attempts::status.eq(AttemptStatus::InProgress),
                attempts::started_at.eq(started_at),
                attempts::deadline_at.eq(deadline_at),
                attempts::possible.eq(possible as i32),
                attempts::marking_pending.eq(false),
                attempts::device.eq(device),
                attempts::sitting_id.eq(sitting_id),
            ))
            .returning(attempts::id)
            .get_result(conn)?;
        for (i, d) in paper.iter().enumerate() {
            diesel::insert_into(attempt_items::table)
                .values((
                    attempt_items::attempt_id.eq(id),
                    attempt_items::position.eq(i as i32 + 1),
                    attempt_items::question_id.eq(d.question_id),
                    attempt_items::version_id.eq(d.version_id),
                    attempt_items::points.eq(d.points as i32),
                    attempt_items::option_order
                        .eq(serde_json::to_string(&d.option_order).unwrap_or_default()),
                    attempt_items::flagged.eq(false),
                ))
                .execute(conn)?;
        }
        Ok(id)
    }

    /// The newest tab to open an attempt holds it.
    pub fn take_over(conn: &mut Conn, id: i32, device: &str) -> QueryResult<usize> {
        diesel::update(attempts::table.find(id)).set(attempts::device.eq(device)).execute(conn)
    }

    /// Saves one answer: only for the holder's device, before the deadline
    /// plus grace, on an attempt still in progress. The caller runs it in a
    /// write transaction, so the check and the write are one.
    pub fn save(
        conn: &mut Conn,
        attempt: &Attempt,
        grace_seconds: i64,
        position: i32,
        response: Option<&Response>,
        flagged: bool,
        at: NaiveDateTime,
    ) -> QueryResult<SaveOutcome> {
        if attempt.status != AttemptStatus::InProgress
            || !rules::accepts_saves(at, attempt.deadline_at, grace_seconds)
        {
            return Ok(SaveOutcome::Closed);
        }
        let json = response.map(|r| serde_json::to_string(r).unwrap_or_default());
        let n = diesel::update(
            attempt_items::table
                .filter(attempt_items::attempt_id.eq(attempt.id))
                .filter(attempt_items::position.eq(position)),
        )
        .set((
            attempt_items::response.eq(json),
            attempt_items::flagged.eq(flagged),
            attempt_items::saved_at.eq(at),
        ))
        .execute(conn)?;
        Ok(if n == 1 {
            SaveOutcome::Saved { remaining: rules::remaining_seconds(at, attempt.deadline_at) }
        } else {
            SaveOutcome::NoSuchQuestion
        })
    }

    /// Saves one answer with the checks in the same statement: the attempt is
    /// in progress, held by `device`, and its deadline is not before `cutoff`
    /// (now − grace). True if saved.
    ///
    /// Written as SQL text because diesel never caches the prepared statement
    /// of a DSL `UPDATE`, and preparing it again cost more than running it on
    /// the exam-day hot path; a text query is cached per connection.
    #[allow(clippy::too_many_arguments)]
    pub fn save_guarded(
        conn: &mut Conn,
        id: i32,
        device: &str,
        cutoff: NaiveDateTime,
        position: i32,
        response: Option<&Response>,
        flagged: bool,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        use diesel::sql_types::{Bool, Integer, Nullable, Text, Timestamp};
        const SQLITE: &str = "UPDATE attempt_items SET response = ?, flagged = ?, saved_at = ? \
            WHERE attempt_id = ? AND position = ? AND EXISTS (SELECT 1 FROM attempts \
            WHERE id = ? AND status = ? AND device = ? AND deadline_at >= ?)";
        const POSTGRES: &str = "UPDATE attempt_items SET response = $1, flagged = $2, saved_at = $3 \
            WHERE attempt_id = $4 AND position = $5 AND EXISTS (SELECT 1 FROM attempts \
            WHERE id = $6 AND status = $7 AND device = $8 AND deadline_at >= $9)";
        let json = response.map(|r| serde_json::to_string(r).unwrap_or_default());
        macro_rules! run {
            ($sql:expr, $conn:expr) => {
                diesel::sql_query($sql)
                    .bind::<Nullable<Text>, _>(&json)
                    .bind::<Bool, _>(flagged)
                    .bind::<Timestamp, _>(at)
                    .bind::<Integer, _>(id)
                    .bind::<Integer, _>(position)
                    .bind::<Integer, _>(id)
                    .bind::<Text, _>(AttemptStatus::InProgress.code())
                    .bind::<Text, _>(device)
                    .bind::<Timestamp, _>(cutoff)
                    .execute($conn)
            };
        }
        let n = match conn {
            Conn::Sqlite(c) => run!(SQLITE, c)?,
            Conn::Pg(c) => run!(POSTGRES, c)?,
        };
        Ok(n == 1)
    }
}
