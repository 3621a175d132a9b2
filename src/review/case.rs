//! The follow-up of a flagged clerk: the direct talk and what comes after.
//!
//! A talk note may be added at any step without changing it.
//! 待沟通 → 已沟通 (a talk note is required) → 已安排复考 → 复考完成; 豁免 (with a
//! required reason) from any open step, and back to 待沟通 with a reason. The
//! allowed steps are a pure function with table tests; every change is audited.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Conn;
use crate::domain::Month;
use crate::schema::review_cases;
use crate::web::msg;

/// A follow-up step, stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    ToTalk,
    Talked,
    RetestScheduled,
    RetestDone,
    Exempt,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 5] = [
        CaseStatus::ToTalk,
        CaseStatus::Talked,
        CaseStatus::RetestScheduled,
        CaseStatus::RetestDone,
        CaseStatus::Exempt,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::ToTalk => "to_talk",
            CaseStatus::Talked => "talked",
            CaseStatus::RetestScheduled => "retest_scheduled",
            CaseStatus::RetestDone => "retest_done",
            CaseStatus::Exempt => "exempt",
        }
    }

    pub fn parse_code(code: &str) -> Option<CaseStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::ToTalk => msg::REVIEW_TO_TALK,
            CaseStatus::Talked => msg::REVIEW_TALKED,
            CaseStatus::RetestScheduled => msg::REVIEW_RETEST_SCHEDULED,
            CaseStatus::RetestDone => msg::REVIEW_RETEST_DONE,
            CaseStatus::Exempt => msg::REVIEW_EXEMPT,
        }
    }
}

/// The longest talk note and reason a step may carry.
pub const NOTE_MAX: usize = 1000;
pub const REASON_MAX: usize = 200;

/// Whether a case may go from `from` to `to` with this talk note and reason;
/// the message says why not.
pub fn check_change(from: CaseStatus, to: CaseStatus, note: &str, reason: &str) -> Result<(), &'static str> {
    use CaseStatus::*;
    let (note, reason) = (note.trim(), reason.trim());
    if note.chars().count() > NOTE_MAX {
        return Err(msg::REVIEW_NOTE_TOO_LONG);
    }
    if reason.chars().count() > REASON_MAX {
        return Err(msg::REVIEW_REASON_TOO_LONG);
    }
    match (from, to) {
        // A talk note alone (the most common action): the step stays.
        (from, to) if from == to && to != Talked => {
            if note.is_empty() {
                Err(msg::REVIEW_NOTHING_TO_SAVE)
            } else {
                Ok(())
            }
        }
        (_, Talked) if note.is_empty() => Err(msg::REVIEW_NOTE_REQUIRED),
        (_, Exempt) | (Exempt, ToTalk) if reason.is_empty() => Err(msg::REVIEW_REASON_REQUIRED),
        (ToTalk | Talked, Talked) => Ok(()),
        (Talked | RetestScheduled, RetestScheduled) => Ok(()),
        (RetestScheduled, RetestDone) => Ok(()),
        (ToTalk | Talked | RetestScheduled, Exempt) => Ok(()),
        (Exempt, ToTalk) => Ok(()),
        _ => Err(msg::REVIEW_STEP_NOT_ALLOWED),
    }
}

crate::stored_as_text!(CaseStatus);

/// A case as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = review_cases)]
pub struct Case {
    pub id: i32,
    pub month: Month,
    pub user_id: i32,
    pub status: CaseStatus,
    pub talk_note: String,
    pub talked_by: Option<i32>,
    pub talked_at: Option<NaiveDateTime>,
    pub exempt_reason: String,
    pub updated_by: Option<i32>,
    pub updated_at: NaiveDateTime,
    /// Next month's in-person attempt and its score, once graded.
    pub retest_attempt_id: Option<i32>,
    pub retest_score: Option<i32>,
}

impl Case {
    pub fn status(&self) -> CaseStatus {
        self.status
    }

    /// The month's cases by clerk, with the name of whoever talked.
    pub fn for_month(conn: &mut Conn, month: Month) -> QueryResult<HashMap<i32, (Case, Option<String>)>> {
        let cases: Vec<Case> =
            review_cases::table.filter(review_cases::month.eq(month)).select(Case::as_select()).load(conn)?;
        let talkers: Vec<i32> = cases.iter().filter_map(|c| c.talked_by).collect();
        let names = crate::accounts::User::names(conn, &talkers)?;
        Ok(cases
            .into_iter()
            .map(|c| {
                let by = c.talked_by.and_then(|id| names.get(&id).cloned());
                (c.user_id, (c, by))
            })
            .collect())
    }

    /// Records a change (already checked): a talk note makes the actor the
    /// one who talked, now.
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        conn: &mut Conn,
        month: Month,
        user_id: i32,
        to: CaseStatus,
        note: &str,
        reason: &str,
        actor: i32,
        at: NaiveDateTime,
    ) -> QueryResult<()> {
        let existing: Option<Case> = review_cases::table
            .filter(review_cases::month.eq(month))
            .filter(review_cases::user_id.eq(user_id))
            .select(Case::as_select())
            .get_result(conn)
            .optional()?;
        let (note, reason) = (note.trim(), reason.trim());
        let talked = !note.is_empty();
        match existing {
            Some(case) => {
                diesel::update(review_cases::table.find(case.id))
                    .set((
                        review_cases::status.eq(to.code()),
                        review_cases::talk_note.eq(if talked {
                            added_note(&case.talk_note, note, at)
                        } else {
                            case.talk_note.clone()
                        }),
                        review_cases::talked_by.eq(if talked { Some(actor) } else { case.talked_by }),
                        review_cases::talked_at.eq(if talked { Some(at) } else { case.talked_at }),
                        review_cases::exempt_reason.eq(if reason.is_empty() {
                            case.exempt_reason.as_str()
                        } else {
                            reason
                        }),
                        review_cases::updated_by.eq(Some(actor)),
                        review_cases::updated_at.eq(at),
                    ))
                    .execute(conn)?;
            }
            None => {
                diesel::insert_into(review_cases::table)
                    .values((
                        review_cases::month.eq(month),
                        review_cases::user_id.eq(user_id),
                        review_cases::status.eq(to.code()),
                        review_cases::talk_note.eq(note),
                        review_cases::talked_by.eq(talked.then_some(actor)),
                        review_cases::talked_at.eq(talked.then_some(at)),
                        review_cases::exempt_reason.eq(reason),
                        review_cases::updated_by.eq(Some(actor)),
                        review_cases::updated_at.eq(at),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(())
    }
}

/// The talk notes so far with `note` added: earlier notes are kept (a second
/// talk adds to the first), the new one on its own line with its Beijing date.
fn added_note(earlier: &str, note: &str, at: NaiveDateTime) -> String {
    if earlier.trim().is_empty() {
        return note.to_string();
    }
    format!("{earlier}\n{} {note}", crate::time::local_date(at).format("%m-%d"))
}

/// Rule 4: when an attempt on an exam this clerk had to sit in person
/// because of `month`'s list is graded, the flag records it — the retest
/// score, and 复考完成 (an exempted case keeps its status). Called wherever an
/// attempt's score is set; a no-op for everyone else.
pub fn record_retest(conn: &mut Conn, attempt_id: i32, score: Option<i32>) -> QueryResult<()> {
    use crate::schema::{attempts, exam_people};
    let flag_month: Option<Month> =
        attempts::table
            .inner_join(exam_people::table.on(
                exam_people::exam_id.eq(attempts::exam_id).and(exam_people::user_id.eq(attempts::user_id)),
            ))
            .filter(attempts::id.eq(attempt_id))
            .select(exam_people::flag_month)
            .get_result::<Option<Month>>(conn)
            .optional()?
            .flatten();
    let (Some(month), Some(score)) = (flag_month, score) else { return Ok(()) };
    let user_id: i32 = attempts::table.find(attempt_id).select(attempts::user_id).get_result(conn)?;
    let at = crate::db::now();
    let existing: Option<Case> = review_cases::table
        .filter(review_cases::month.eq(month))
        .filter(review_cases::user_id.eq(user_id))
        .select(Case::as_select())
        .get_result(conn)
        .optional()?;
    match existing {
        Some(case) => {
            let status =
                if case.status() == CaseStatus::Exempt { CaseStatus::Exempt } else { CaseStatus::RetestDone };
            diesel::update(review_cases::table.find(case.id))
                .set((
                    review_cases::status.eq(status.code()),
                    review_cases::retest_attempt_id.eq(Some(attempt_id)),
                    review_cases::retest_score.eq(Some(score)),
                    review_cases::updated_at.eq(at),
                ))
                .execute(conn)?;
        }
        None => {
            diesel::insert_into(review_cases::table)
                .values((
                    review_cases::month.eq(month),
                    review_cases::user_id.eq(user_id),
                    review_cases::status.eq(CaseStatus::RetestDone.code()),
                    review_cases::talk_note.eq(""),
                    review_cases::exempt_reason.eq(""),
                    review_cases::updated_at.eq(at),
                    review_cases::retest_attempt_id.eq(Some(attempt_id)),
                    review_cases::retest_score.eq(Some(score)),
                ))
                .execute(conn)?;
        }
    }
    let person = crate::audit::person(conn, user_id)?;
    crate::audit::record(conn, None, "review_retest", &msg::audit_review_retest(month, &person, score), "")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::CaseStatus::*;
    use super::*;

    #[test]
    fn an_over_long_note_or_reason_is_refused() {
        let long = "谈".repeat(NOTE_MAX + 1);
        assert_eq!(check_change(ToTalk, Talked, &long, ""), Err(msg::REVIEW_NOTE_TOO_LONG));
        let long = "因".repeat(REASON_MAX + 1);
        assert_eq!(check_change(ToTalk, Exempt, "", &long), Err(msg::REVIEW_REASON_TOO_LONG));
        assert_eq!(check_change(ToTalk, Exempt, "", &"因".repeat(REASON_MAX)), Ok(()));
    }

    #[test]
    fn the_steps_of_a_case() {
        let ok = Ok(());
        let cases = [
            // (from, to, note, reason, expected)
            (ToTalk, Talked, "已当面沟通，本人认可", "", ok),
            (ToTalk, Talked, "  ", "", Err(msg::REVIEW_NOTE_REQUIRED)),
            (Talked, Talked, "补充：已约定复习计划", "", ok),
            (ToTalk, RetestScheduled, "", "", Err(msg::REVIEW_STEP_NOT_ALLOWED)),
            (Talked, RetestScheduled, "", "", ok),
            (RetestScheduled, RetestDone, "", "", ok),
            (Talked, RetestDone, "", "", Err(msg::REVIEW_STEP_NOT_ALLOWED)),
            (ToTalk, Exempt, "", "长期病假", ok),
            (RetestScheduled, Exempt, "", "调岗", ok),
            (ToTalk, Exempt, "", " ", Err(msg::REVIEW_REASON_REQUIRED)),
            (RetestDone, Exempt, "", "迟到的豁免", Err(msg::REVIEW_STEP_NOT_ALLOWED)),
            (Exempt, ToTalk, "", "病假结束", ok),
            (Exempt, ToTalk, "", "", Err(msg::REVIEW_REASON_REQUIRED)),
            (Exempt, Talked, "谈过了", "", Err(msg::REVIEW_STEP_NOT_ALLOWED)),
            (RetestDone, ToTalk, "", "重来", Err(msg::REVIEW_STEP_NOT_ALLOWED)),
            // A note alone keeps the step; without one there is nothing to save.
            (ToTalk, ToTalk, "", "", Err(msg::REVIEW_NOTHING_TO_SAVE)),
            (ToTalk, ToTalk, "电话未接通，约明天面谈", "", ok),
            (RetestDone, RetestDone, "复考后已再次沟通", "", ok),
            (Exempt, Exempt, "病假证明已存档", "", ok),
            (Exempt, Exempt, " ", "", Err(msg::REVIEW_NOTHING_TO_SAVE)),
        ];
        for (from, to, note, reason, want) in cases {
            assert_eq!(check_change(from, to, note, reason), want, "{from:?} → {to:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse_code(s.code()), Some(s));
        }
        assert_eq!(CaseStatus::parse_code("done"), None);
    }
}
