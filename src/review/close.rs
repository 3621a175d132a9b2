//! Closing a month: the list is frozen as a snapshot (the exam's scores, the
//! city average and the flags); re-opening is an admin's audited action with
//! a reason, and keeps the old snapshot so the recomputed list can show what
//! changed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::case::CaseStatus;
use super::model::{self, Sheet};
use super::rules::{two_decimals, Reason};
use crate::closing::{Close, Closes, Ledger, Refusal};
use crate::db::Conn;
use crate::domain::Month;
use crate::exam::model::{Exam, ExamPerson, SOURCE_SAT};
use crate::schema::{exams, month_closes, month_flags, review_cases};
use crate::web::msg;

/// The below-average list as a month close ([`crate::closing`]).
pub struct ReviewList;

impl Closes for ReviewList {
    const KIND: Ledger = Ledger::Review;
    type Snapshot = Sheet;

    fn page(month: Month) -> String {
        format!("/review?month={month}")
    }

    /// The list can close once the month's exam is over and nothing waits for marking.
    fn snapshot(conn: &mut Conn, month: Month, at: NaiveDateTime) -> QueryResult<Result<Sheet, Refusal>> {
        let no_exam = || Refusal::Feature(msg::review_no_exam(month));
        let Some(exam) = model::monthly_exam(conn, month)? else { return Ok(Err(no_exam())) };
        if exam.closes_at > at {
            return Ok(Err(Refusal::Feature(msg::REVIEW_EXAM_STILL_OPEN.into())));
        }
        let Some(sheet) = model::live_sheet(conn, month)? else { return Ok(Err(no_exam())) };
        if !sheet.pending.is_empty() {
            return Ok(Err(Refusal::Feature(msg::review_close_pending(sheet.pending.len()))));
        }
        Ok(Ok(sheet))
    }

    /// Records the flags and marks the flagged clerks in person for next month's exam.
    fn closed(conn: &mut Conn, month: Month, close_id: i32, sheet: &Sheet) -> QueryResult<()> {
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
        sync_in_person(conn, month)
    }

    fn close_notes(month: Month, sheet: &Sheet) -> (&'static str, String, String) {
        let average = sheet.city.map(|a| two_decimals(a.hundredths())).unwrap_or_default();
        (
            "month_close",
            msg::audit_review_close(month, &average, sheet.flags.len()),
            msg::review_closed(month, sheet.flags.len()),
        )
    }

    fn reopen_notes(month: Month, reason: &str) -> (&'static str, String, String) {
        ("month_reopen", msg::audit_review_reopen(month, reason), msg::review_reopened(month))
    }
}

/// Who the latest snapshot of `month` sends to next month's exam in person:
/// the flagged clerks, less the exempted. Empty when it was never closed.
fn in_person_ids(conn: &mut Conn, month: Month) -> QueryResult<Vec<i32>> {
    let Some(last) = Close::for_month(conn, Ledger::Review, month)?.into_iter().next() else {
        return Ok(Vec::new());
    };
    let sheet: Sheet = last.snapshot()?;
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
    let previous = exam.month.previous();
    let wanted = match previous {
        Some(prev) if exam.kind == crate::exam::model::ExamKind::Monthly && exam.source == SOURCE_SAT => {
            Some((prev, in_person_ids(conn, prev)?))
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
            p.flag_month = Some(prev);
        })?;
    }
    Ok(ids.len())
}

/// Re-applies `month`'s list to every monthly exam of the next month.
pub fn sync_in_person(conn: &mut Conn, month: Month) -> QueryResult<()> {
    let Some(next) = month.next() else { return Ok(()) };
    let ids: Vec<i32> = exams::table
        .filter(exams::month.eq(next))
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
    pub month: Month,
    pub absent: bool,
    /// Next month's exam, once created, and its window (Beijing time).
    pub exam: Option<(String, String, String)>,
    /// In-person sittings scheduled for it: (room, start, Beijing time).
    pub sittings: Vec<(String, String)>,
}

/// The notice for `user_id`: on the list of a closed month whose next month
/// is not over yet, and not exempted. None for everyone else.
pub fn notice(conn: &mut Conn, user_id: i32, this_month: Month) -> QueryResult<Option<Notice>> {
    use crate::exam::model::Sitting;
    let Some(last_month) = this_month.previous() else { return Ok(None) };
    let flag: Option<(Month, String)> = month_flags::table
        .inner_join(month_closes::table)
        .filter(month_flags::user_id.eq(user_id))
        .filter(month_closes::reopened_at.is_null())
        .filter(month_flags::month.ge(last_month))
        .order(month_flags::month.desc())
        .select((month_flags::month, month_flags::reason))
        .first(conn)
        .optional()?;
    let Some((month, reason)) = flag else { return Ok(None) };
    let exempt = review_cases::table
        .filter(review_cases::month.eq(month))
        .filter(review_cases::user_id.eq(user_id))
        .filter(review_cases::status.eq(CaseStatus::Exempt.code()))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if exempt {
        return Ok(None);
    }
    let next = month.next().unwrap_or(month);
    let exam: Option<Exam> = exams::table
        .filter(exams::month.eq(next))
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
