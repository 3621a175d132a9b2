//! The month's figures the rules count: its monthly exam's sitters, the
//! city average and the flags — live while the month is open, the snapshot
//! once it is closed.

#![allow(unused_imports)]
use serde::{Deserialize, Serialize};

use super::super::case::{Case, CaseStatus};
use super::super::rules::{self, two_decimals, Average, Flag, Reason, Sitter};
use super::*;
use crate::auth::{CurrentUser, Role};
use crate::closing::{Close, Ledger};
use crate::db::Conn;
use crate::domain::Month;
use crate::exam::model::{self as exam_model, Exam, Tree, PUBLISHED};
use crate::web::msg;

/// The month's monthly exam: the first published one of that month.
pub fn monthly_exam(conn: &mut Conn, month: Month) -> diesel::QueryResult<Option<Exam>> {
    let mut exams: Vec<Exam> = Exam::all(conn)?
        .into_iter()
        .filter(|e| {
            e.month == month && e.kind == crate::exam::model::ExamKind::Monthly && e.status == PUBLISHED
        })
        .collect();
    exams.sort_by_key(|e| e.id);
    Ok(exams.into_iter().next())
}

/// One clerk of the month's exam, with the hall recorded at the attempt: what
/// the rules count and the pages show. A closed month keeps these frozen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub user_id: i32,
    pub staff_no: String,
    pub name: String,
    pub hall_id: Option<i32>,
    pub hall: String,
    pub area_id: Option<i32>,
    pub area: String,
    pub county: bool,
    /// Hundredths; None = absent (缺考).
    pub score: Option<i64>,
    pub attempt_id: Option<i32>,
}

impl Entry {
    pub fn sitter(&self) -> Sitter {
        Sitter {
            user_id: self.user_id,
            hall_id: self.hall_id,
            area_id: self.area_id,
            county: self.county,
            score: self.score,
        }
    }
}

/// The month's exam as the rules see it, and what they made of it. Closing a
/// month stores this as JSON (`month_closes.snapshot`): the outcome is stored,
/// not recomputed, so a closed list never changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    pub month: Month,
    pub exam_id: i32,
    pub exam_title: String,
    /// The setting in force ([`crate::settings::FLAG_ABSENT`]).
    pub flag_absent: bool,
    /// Submitted and graded, or absent.
    pub entries: Vec<Entry>,
    /// Submitted but waiting for hand marking: neither averaged nor flagged.
    pub pending: Vec<Entry>,
    pub city: Option<Average>,
    pub flags: Vec<Flag>,
}

impl Sheet {
    pub fn entry(&self, user_id: i32) -> Option<&Entry> {
        self.entries.iter().find(|e| e.user_id == user_id)
    }

    pub fn flagged(&self, user_id: i32) -> bool {
        self.flags.iter().any(|f| f.user_id == user_id)
    }
}

/// The month's sheet computed now from its monthly exam; None without one.
pub fn live_sheet(conn: &mut Conn, month: Month) -> diesel::QueryResult<Option<Sheet>> {
    let Some(exam) = monthly_exam(conn, month)? else { return Ok(None) };
    let flag_absent = crate::settings::switch(conn, &crate::settings::FLAG_ABSENT)?;
    let (mut entries, mut pending) = (Vec::new(), Vec::new());
    for r in exam_model::results(conn, &exam)? {
        let waiting = !r.absent() && r.score().is_none();
        let entry = Entry {
            user_id: r.person.id,
            staff_no: r.person.staff_no.clone().unwrap_or_default(),
            name: r.person.name.clone(),
            hall_id: r.person.hall_id,
            hall: r.person.hall.clone(),
            area_id: r.person.area_id,
            area: r.person.area.clone(),
            county: r.person.county,
            score: if r.absent() { None } else { r.score().map(i64::from) },
            attempt_id: r.attempt.as_ref().map(|a| a.id),
        };
        if waiting {
            pending.push(entry);
        } else {
            entries.push(entry);
        }
    }
    let sitters: Vec<Sitter> = entries.iter().map(Entry::sitter).collect();
    let outcome = rules::close_month(&sitters, flag_absent);
    Ok(Some(Sheet {
        month,
        exam_id: exam.id,
        exam_title: exam.title,
        flag_absent,
        entries,
        pending,
        city: outcome.city,
        flags: outcome.flags,
    }))
}

/// The month's sheet: the snapshot of a closed month, else computed live,
/// with the closing in force.
pub fn sheet(conn: &mut Conn, month: Month) -> diesel::QueryResult<Option<(Sheet, Option<Close>)>> {
    if let Some(close) = Close::current(conn, Ledger::Review, month)? {
        let sheet = close.snapshot()?;
        return Ok(Some((sheet, Some(close))));
    }
    Ok(live_sheet(conn, month)?.map(|s| (s, None)))
}

/// What changed between a snapshot and a sheet, as the rules see it.
pub fn changes(before: &Sheet, after: &Sheet) -> Vec<rules::Change> {
    let side = |s: &Sheet| -> Vec<rules::Side> {
        s.entries
            .iter()
            .map(|e| rules::Side {
                user_id: e.user_id,
                label: format!("{} {}", e.staff_no, e.name),
                score: e.score,
                listed: s.flagged(e.user_id),
            })
            .collect()
    };
    rules::diff(before.city, &side(before), after.city, &side(after))
}
