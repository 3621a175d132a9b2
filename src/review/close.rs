//! Closing a month: the list is frozen as a snapshot (the exam's scores, the
//! city average and the flags); re-opening is an admin's audited action with
//! a reason, and keeps the old snapshot so the recomputed list can show what
//! changed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::case::CaseStatus;
use super::model::{self, Sheet};
use super::rules::Reason;
use crate::db::Conn;
use crate::exam::model::{Exam, ExamPerson, SOURCE_SAT};
use crate::schema::{exams, month_closes, month_flags, review_cases};
use crate::web::msg;

/// One closing of a month (open again once `reopened_at` is set).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = month_closes)]
pub struct Close {
    pub id: i32,
    pub month: String,
    pub closed_at: NaiveDateTime,
    pub closed_by: Option<i32>,
    /// JSON of [`super::model::Snapshot`].
    pub snapshot: String,
    pub reopened_at: Option<NaiveDateTime>,
    pub reopened_by: Option<i32>,
    pub reopen_reason: String,
}

impl Close {
    /// Every closing of the month, newest first.
    pub fn for_month(conn: &mut Conn, month: &str) -> QueryResult<Vec<Close>> {
        month_closes::table
            .filter(month_closes::month.eq(month))
            .order(month_closes::id.desc())
            .select(Close::as_select())
            .load(conn)
    }

    /// The closing in force (the month is closed), if any.
    pub fn current(conn: &mut Conn, month: &str) -> QueryResult<Option<Close>> {
        Ok(Self::for_month(conn, month)?.into_iter().find(|c| c.reopened_at.is_none()))
    }

    pub fn insert(
        conn: &mut Conn,
        month: &str,
        snapshot: &str,
        by: i32,
        at: NaiveDateTime,
    ) -> QueryResult<i32> {
        diesel::insert_into(month_closes::table)
            .values((
                month_closes::month.eq(month),
                month_closes::closed_at.eq(at),
                month_closes::closed_by.eq(Some(by)),
                month_closes::snapshot.eq(snapshot),
                month_closes::reopen_reason.eq(""),
            ))
            .returning(month_closes::id)
            .get_result(conn)
    }

    /// Marks the closing in force as re-opened; false when the month was not closed.
    pub fn reopen(
        conn: &mut Conn,
        month: &str,
        by: i32,
        reason: &str,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let n = diesel::update(
            month_closes::table
                .filter(month_closes::month.eq(month))
                .filter(month_closes::reopened_at.is_null()),
        )
        .set((
            month_closes::reopened_at.eq(Some(at)),
            month_closes::reopened_by.eq(Some(by)),
            month_closes::reopen_reason.eq(reason),
        ))
        .execute(conn)?;
        Ok(n > 0)
    }
}

/// Closes `month`: freezes its list as a snapshot and marks the flagged
/// clerks in person for next month's exam. The caller audits. The inner Err
/// says, in Chinese, why the month cannot be closed now.
pub fn close_month(
    conn: &mut Conn,
    month: &str,
    by: i32,
    at: NaiveDateTime,
) -> QueryResult<Result<Sheet, String>> {
    if Close::current(conn, month)?.is_some() {
        return Ok(Err(msg::REVIEW_ALREADY_CLOSED.into()));
    }
    let Some(exam) = model::monthly_exam(conn, month)? else { return Ok(Err(msg::review_no_exam(month))) };
    if exam.closes_at > at {
        return Ok(Err(msg::REVIEW_EXAM_STILL_OPEN.into()));
    }
    let Some(sheet) = model::live_sheet(conn, month)? else { return Ok(Err(msg::review_no_exam(month))) };
    if !sheet.pending.is_empty() {
        return Ok(Err(msg::review_close_pending(sheet.pending.len())));
    }
    let json =
        serde_json::to_string(&sheet).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    let close_id = Close::insert(conn, month, &json, by, at)?;
    for f in &sheet.flags {
        let reason = match f.reason {
            Reason::Below => "below",
            Reason::Absent => "absent",
        };
        diesel::insert_into(month_flags::table)
            .values((
                month_flags::close_id.eq(close_id),
                month_flags::month.eq(month),
                month_flags::user_id.eq(f.user_id),
                month_flags::reason.eq(reason),
            ))
            .execute(conn)?;
    }
    sync_in_person(conn, month)?;
    Ok(Ok(sheet))
}

/// Re-opens a closed month (an admin, with a reason; the caller audits). The
/// in-person marks stay as the last snapshot set them until it is closed again.
pub fn reopen_month(
    conn: &mut Conn,
    month: &str,
    by: i32,
    reason: &str,
    at: NaiveDateTime,
) -> QueryResult<Result<(), String>> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Ok(Err(msg::REVIEW_REASON_REQUIRED.into()));
    }
    if !Close::reopen(conn, month, by, reason, at)? {
        return Ok(Err(msg::REVIEW_NOT_CLOSED.into()));
    }
    Ok(Ok(()))
}

/// Who the latest snapshot of `month` sends to next month's exam in person:
/// the flagged clerks, less the exempted. Empty when it was never closed.
fn in_person_ids(conn: &mut Conn, month: &str) -> QueryResult<Vec<i32>> {
    let Some(last) = Close::for_month(conn, month)?.into_iter().next() else { return Ok(Vec::new()) };
    let sheet = model::read_snapshot(&last)?;
    let exempt: Vec<i32> = review_cases::table
        .filter(review_cases::month.eq(month))
        .filter(review_cases::status.eq(CaseStatus::Exempt.code()))
        .select(review_cases::user_id)
        .load(conn)?;
    Ok(sheet.flags.iter().map(|f| f.user_id).filter(|id| !exempt.contains(id)).collect())
}

/// Keeps the in-person marks of one exam in step with the previous month's
/// list (rule 4): only for a monthly exam sat in examhall; a mark set by a
/// trainer by hand (no `flag_month`) is left alone. Returns how many are marked.
pub fn sync_exam(conn: &mut Conn, exam_id: i32) -> QueryResult<usize> {
    let exam = Exam::find(conn, exam_id)?;
    let wanted = match model::previous_month(exam.month.as_str()) {
        Some(prev) if exam.kind == crate::exam::model::ExamKind::Monthly && exam.source == SOURCE_SAT => {
            Some((prev.clone(), in_person_ids(conn, &prev)?))
        }
        _ => None,
    };
    for p in ExamPerson::for_exam(conn, exam_id)? {
        let keep = match (&p.flag_month, &wanted) {
            (None, _) => true,
            (Some(m), Some((prev, ids))) => m == prev && ids.contains(&p.user_id),
            (Some(_), None) => false,
        };
        if !keep {
            ExamPerson::upsert(conn, exam_id, p.user_id, |p| {
                p.in_person = false;
                p.flag_month = None;
            })?;
        }
    }
    let Some((prev, ids)) = wanted else { return Ok(0) };
    for id in &ids {
        ExamPerson::upsert(conn, exam_id, *id, |p| {
            p.in_person = true;
            p.flag_month = Some(prev.clone());
        })?;
    }
    Ok(ids.len())
}

/// Re-applies `month`'s list to every monthly exam of the next month.
pub fn sync_in_person(conn: &mut Conn, month: &str) -> QueryResult<()> {
    let Some(next) = model::next_month(month) else { return Ok(()) };
    let ids: Vec<i32> = exams::table
        .filter(exams::month.eq(&next))
        .filter(exams::kind.eq("monthly"))
        .select(exams::id)
        .load(conn)?;
    for id in ids {
        sync_exam(conn, id)?;
    }
    Ok(())
}

/// What a flagged clerk sees on the home page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Notice {
    /// The month whose list they are on.
    pub month: String,
    pub absent: bool,
    /// Next month's exam, once created, and its window (Beijing time).
    pub exam: Option<(String, String, String)>,
    /// In-person sittings scheduled for it: (room, start, Beijing time).
    pub sittings: Vec<(String, String)>,
}

/// The notice for `user_id`: on the list of a closed month whose next month
/// is not over yet, and not exempted. None for everyone else.
pub fn notice(conn: &mut Conn, user_id: i32, today_month: &str) -> QueryResult<Option<Notice>> {
    use crate::exam::model::Sitting;
    let Some(last_month) = model::previous_month(today_month) else { return Ok(None) };
    let flag: Option<(String, String)> = month_flags::table
        .inner_join(month_closes::table)
        .filter(month_flags::user_id.eq(user_id))
        .filter(month_closes::reopened_at.is_null())
        .filter(month_flags::month.ge(&last_month))
        .order(month_flags::month.desc())
        .select((month_flags::month, month_flags::reason))
        .first(conn)
        .optional()?;
    let Some((month, reason)) = flag else { return Ok(None) };
    let exempt = review_cases::table
        .filter(review_cases::month.eq(&month))
        .filter(review_cases::user_id.eq(user_id))
        .filter(review_cases::status.eq(CaseStatus::Exempt.code()))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if exempt {
        return Ok(None);
    }
    let next = model::next_month(&month).unwrap_or_default();
    let exam: Option<Exam> = exams::table
        .filter(exams::month.eq(&next))
        .filter(exams::kind.eq("monthly"))
        .filter(exams::status.eq(crate::exam::model::PUBLISHED))
        .order(exams::id)
        .select(Exam::as_select())
        .first(conn)
        .optional()?;
    let sittings = match &exam {
        Some(e) => Sitting::for_exam(conn, e.id)?
            .into_iter()
            .filter(|s| s.closed_at.is_none())
            .map(|s| (s.room, crate::time::local_display(s.starts_at)))
            .collect(),
        None => Vec::new(),
    };
    Ok(Some(Notice {
        month,
        absent: reason == "absent",
        exam: exam.map(|e| {
            (e.title, crate::time::local_display(e.opens_at), crate::time::local_display(e.closes_at))
        }),
        sittings,
    }))
}
