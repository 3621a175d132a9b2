//! Exposure control (DESIGN §4 rule 11): who has seen the key of which
//! question, so that papers can avoid what is already known.
//!
//! A question counts as revealed once any of its versions' key (or the
//! right/wrong marks on it) was shown to a candidate; an edit does not make a
//! question fresh again, since a reworded stem keeps its answer.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::dsl::{count, min};
use diesel::prelude::*;

use super::model::{Exam, ExamKind, ExamStatus};
use super::paper::{bank_exposure, GroupExposure, PaperRule};
use crate::db::Conn;
use crate::schema::{key_reveals, practice_answers};

/// How many people had seen the key of each of these questions before
/// `cutoff`: in an exam's review, or in practice (which shows the key after
/// each answer). Someone who saw it both ways counts twice: the figure is
/// what papers avoid, and zero stays exact.
pub fn revealed_to(
    conn: &mut Conn,
    question_ids: &[i32],
    cutoff: NaiveDateTime,
) -> QueryResult<HashMap<i32, i64>> {
    let mut out = HashMap::new();
    // Chunks keep the statement under every backend's bind limit.
    for chunk in question_ids.chunks(5_000) {
        let rows: Vec<(i32, i64)> = key_reveals::table
            .filter(key_reveals::question_id.eq_any(chunk))
            .filter(key_reveals::revealed_at.lt(cutoff))
            .group_by(key_reveals::question_id)
            .select((key_reveals::question_id, count(key_reveals::user_id).aggregate_distinct()))
            .load(conn)?;
        out.extend(rows);
        let practised: Vec<(i32, i64)> = practice_answers::table
            .filter(practice_answers::question_id.eq_any(chunk))
            .filter(practice_answers::answered_at.lt(cutoff))
            .group_by(practice_answers::question_id)
            .select((practice_answers::question_id, count(practice_answers::user_id).aggregate_distinct()))
            .load(conn)?;
        for (q, n) in practised {
            *out.entry(q).or_insert(0) += n;
        }
    }
    Ok(out)
}

/// The questions whose key this person has seen.
pub fn seen_by(conn: &mut Conn, user_id: i32) -> QueryResult<HashSet<i32>> {
    let ids: Vec<i32> = key_reveals::table
        .filter(key_reveals::user_id.eq(user_id))
        .select(key_reveals::question_id)
        .distinct()
        .load(conn)?;
    let practised: Vec<i32> = practice_answers::table
        .filter(practice_answers::user_id.eq(user_id))
        .select(practice_answers::question_id)
        .distinct()
        .load(conn)?;
    Ok(ids.into_iter().chain(practised).collect())
}

/// Records that `user_id` was shown the key of these (question, version)
/// pairs through `exam_id` (once; later views change nothing). Runs in the
/// caller's write transaction.
pub fn record(
    conn: &mut Conn,
    user_id: i32,
    exam_id: i32,
    items: &[(i32, i32)],
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let known: HashSet<i32> = key_reveals::table
        .filter(key_reveals::user_id.eq(user_id))
        .filter(key_reveals::exam_id.eq(exam_id))
        .select(key_reveals::version_id)
        .load::<i32>(conn)?
        .into_iter()
        .collect();
    let mut added = 0;
    // The caller holds the exam's row lock (`Exam::lock`), so two views of
    // the same review cannot both find a row missing.
    for (question_id, version_id) in items.iter().filter(|(_, v)| !known.contains(v)) {
        added += diesel::insert_into(key_reveals::table)
            .values((
                key_reveals::user_id.eq(user_id),
                key_reveals::exam_id.eq(exam_id),
                key_reveals::question_id.eq(question_id),
                key_reveals::version_id.eq(version_id),
                key_reveals::revealed_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(added)
}

/// How many people have been shown this exam's key or marks, and since when.
pub fn exam_revealed(conn: &mut Conn, exam_id: i32) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    key_reveals::table
        .filter(key_reveals::exam_id.eq(exam_id))
        .select((count(key_reveals::user_id).aggregate_distinct(), min(key_reveals::revealed_at)))
        .first(conn)
}

/// Per question version: when its key was first shown and to how many people.
pub fn by_version(conn: &mut Conn, version_ids: &[i32]) -> QueryResult<HashMap<i32, (NaiveDateTime, i64)>> {
    let mut out = HashMap::new();
    for chunk in version_ids.chunks(5_000) {
        let rows: Vec<(i32, Option<NaiveDateTime>, i64)> = key_reveals::table
            .filter(key_reveals::version_id.eq_any(chunk))
            .group_by(key_reveals::version_id)
            .select((
                key_reveals::version_id,
                min(key_reveals::revealed_at),
                count(key_reveals::user_id).aggregate_distinct(),
            ))
            .load(conn)?;
        out.extend(rows.into_iter().filter_map(|(v, at, n)| Some((v, (at?, n)))));
    }
    Ok(out)
}

/// The bank page's exposure table, with the monthly exam whose draw it
/// assumes (the latest published monthly exam drawing from this bank).
pub fn bank_summary(conn: &mut Conn, bank_id: i32) -> QueryResult<(Vec<GroupExposure>, Option<String>)> {
    let everything = PaperRule::Sections { bank_id, sections: Vec::new() };
    let pool = super::model::pool(conn, &everything)?;
    let latest = Exam::all(conn)?
        .into_iter()
        .filter(|e| e.kind == ExamKind::Monthly && e.status == ExamStatus::Published)
        .filter_map(|e| match e.paper_rule() {
            Ok(PaperRule::Sections { bank_id: b, sections }) if b == bank_id => Some((e, sections)),
            _ => None,
        })
        .max_by_key(|(e, _)| (e.opens_at, e.id));
    let sections = latest.as_ref().map(|(_, s)| s.clone()).unwrap_or_default();
    Ok((bank_exposure(&pool, &sections), latest.map(|(e, _)| e.title)))
}

/// Of these questions, those on an attempt (of any exam) that can still
/// change: their key and marks are withheld from every review meanwhile,
/// since a practice exam and the monthly exam may share questions.
pub fn in_running_attempts(conn: &mut Conn, question_ids: &[i32]) -> QueryResult<HashSet<i32>> {
    use crate::schema::{attempt_items, attempts, exams};
    let now = crate::db::now();
    let rows: Vec<(i32, NaiveDateTime, i32)> = attempt_items::table
        .inner_join(attempts::table.inner_join(exams::table))
        .filter(attempts::status.eq(super::model::IN_PROGRESS))
        .filter(attempt_items::question_id.eq_any(question_ids))
        .select((attempt_items::question_id, attempts::deadline_at, exams::grace_seconds))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(_, deadline, grace)| {
            super::key::can_change(
                super::key::Open { in_progress: true, deadline: *deadline },
                i64::from(*grace),
                now,
            )
        })
        .map(|(q, _, _)| q)
        .collect())
}
