//! Closing attempts: grading on submit, hand marking, the deadline sweep,
//! reopening and extra time; the marking queue and graded items.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{Attempt, AttemptStatus, Item};
use crate::bank::grading;
use crate::bank::model::VersionRow;
use crate::bank::question::Question;
use crate::db::{now, Conn};
use crate::exam::rules;
use crate::schema::{attempt_items, attempts, exams, question_versions, users};

impl Attempt {
    /// Grades and closes an attempt: objective questions now, 简答 left for
    /// marking. Idempotent: an attempt already submitted is left alone.
    pub fn submit(conn: &mut Conn, id: i32, by: &str, at: NaiveDateTime) -> QueryResult<bool> {
        let attempt = Attempt::find(conn, id)?;
        if attempt.status != AttemptStatus::InProgress {
            return Ok(false);
        }
        let paper = Attempt::paper(conn, id)?;
        let mut pending = false;
        for (item, question) in &paper {
            let earned = match item.response() {
                Some(response) => grading::grade(i64::from(item.points), &question.answer, &response),
                // Unanswered: nothing to mark, nothing earned.
                None => Some(0),
            };
            pending |= earned.is_none();
            diesel::update(attempt_items::table.find(item.id))
                .set(attempt_items::earned.eq(earned.map(|e| e as i32)))
                .execute(conn)?;
        }
        diesel::update(attempts::table.find(id))
            .set((
                attempts::status.eq(AttemptStatus::Submitted),
                attempts::submitted_at.eq(at),
                attempts::submitted_by.eq(by),
                attempts::marking_pending.eq(pending),
            ))
            .execute(conn)?;
        Self::finalise(conn, id)?;
        Ok(true)
    }

    /// Recomputes earned and score from the items; the score stays empty
    /// while any item waits for marking.
    pub fn finalise(conn: &mut Conn, id: i32) -> QueryResult<()> {
        let items = Attempt::items(conn, id)?;
        let pending = items.iter().any(|i| i.earned.is_none());
        let earned: i64 = items.iter().filter_map(|i| i.earned).map(i64::from).sum();
        let possible: i64 = items.iter().map(|i| i64::from(i.points)).sum();
        let score = (!pending).then(|| rules::score(earned, possible) as i32);
        diesel::update(attempts::table.find(id))
            .set((
                attempts::earned.eq((!pending).then_some(earned as i32)),
                attempts::score.eq(score),
                attempts::marking_pending.eq(pending),
            ))
            .execute(conn)?;
        // A flagged clerk's in-person retest: the flag records the result.
        crate::review::on_attempt_finalised(conn, id, score)?;
        Ok(())
    }

    /// Submits every attempt whose deadline and grace have passed; returns how many.
    pub fn sweep(conn: &mut Conn, at: NaiveDateTime) -> QueryResult<usize> {
        let due: Vec<(i32, NaiveDateTime, i32)> = attempts::table
            .inner_join(exams::table)
            .filter(attempts::status.eq(AttemptStatus::InProgress))
            .filter(attempts::deadline_at.lt(at))
            .select((attempts::id, attempts::deadline_at, exams::grace_seconds))
            .load(conn)?;
        let mut n = 0;
        for (id, deadline, grace) in due {
            if !rules::accepts_saves(at, deadline, i64::from(grace)) {
                let done = crate::db::write(conn, |conn| Attempt::submit(conn, id, "deadline", at))?;
                n += usize::from(done);
            }
        }
        Ok(n)
    }

    /// Opens a submitted attempt again with a new deadline.
    pub fn reopen(conn: &mut Conn, id: i32, deadline_at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(attempt_items::table.filter(attempt_items::attempt_id.eq(id)))
            .set(attempt_items::earned.eq(None::<i32>))
            .execute(conn)?;
        diesel::update(attempts::table.find(id))
            .set((
                attempts::status.eq(AttemptStatus::InProgress),
                attempts::deadline_at.eq(deadline_at),
                attempts::submitted_at.eq(None::<NaiveDateTime>),
                attempts::submitted_by.eq(None::<String>),
                attempts::earned.eq(None::<i32>),
                attempts::score.eq(None::<i32>),
                attempts::marking_pending.eq(false),
            ))
            .execute(conn)
    }

    pub fn set_deadline(conn: &mut Conn, id: i32, deadline_at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(attempts::table.find(id)).set(attempts::deadline_at.eq(deadline_at)).execute(conn)
    }

    /// Marks one hand-marked item.
    pub fn mark(conn: &mut Conn, item_id: i32, earned: i64, by: i32) -> QueryResult<i32> {
        let item: Item = attempt_items::table.find(item_id).select(Item::as_select()).first(conn)?;
        diesel::update(attempt_items::table.find(item_id))
            .set((
                attempt_items::earned.eq(earned as i32),
                attempt_items::marked_by.eq(by),
                attempt_items::marked_at.eq(now()),
            ))
            .execute(conn)?;
        Self::finalise(conn, item.attempt_id)?;
        Ok(item.attempt_id)
    }
}

/// Items waiting for hand marking, with their question and candidate.
pub struct MarkingItem {
    pub item: Item,
    pub question: Question,
    pub candidate: String,
    pub staff_no: Option<String>,
}

pub fn marking_queue(conn: &mut Conn, exam_id: i32) -> QueryResult<Vec<MarkingItem>> {
    let rows: Vec<(Item, VersionRow, String, Option<String>)> = attempt_items::table
        .inner_join(question_versions::table)
        .inner_join(attempts::table.inner_join(users::table))
        .filter(attempts::exam_id.eq(exam_id))
        .filter(attempts::status.eq(AttemptStatus::Submitted))
        .filter(attempt_items::earned.is_null())
        .order((attempt_items::question_id, attempts::user_id))
        .select((Item::as_select(), VersionRow::as_select(), users::name, users::staff_no))
        .load(conn)?;
    rows.into_iter()
        .map(|(item, v, candidate, staff_no)| {
            Ok(MarkingItem { item, question: v.question()?, candidate, staff_no })
        })
        .collect()
}

/// Per-question scores of every graded attempt, for item analysis.
pub fn graded_items(conn: &mut Conn, exam_id: i32) -> QueryResult<Vec<(i32, Vec<Item>)>> {
    let attempts: Vec<i32> = attempts::table
        .filter(attempts::exam_id.eq(exam_id))
        .filter(attempts::status.eq(AttemptStatus::Submitted))
        .filter(attempts::score.is_not_null())
        .order(attempts::id)
        .select(attempts::id)
        .load(conn)?;
    let items: Vec<Item> = attempt_items::table
        .filter(attempt_items::attempt_id.eq_any(&attempts))
        .order((attempt_items::attempt_id, attempt_items::position))
        .select(Item::as_select())
        .load(conn)?;
    let mut grouped: Vec<(i32, Vec<Item>)> = attempts.into_iter().map(|a| (a, Vec::new())).collect();
    let index: HashMap<i32, usize> = grouped.iter().enumerate().map(|(i, (a, _))| (*a, i)).collect();
    for item in items {
        if let Some(i) = index.get(&item.attempt_id) {
            grouped[*i].1.push(item);
        }
    }
    Ok(grouped)
}
