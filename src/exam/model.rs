//! Exams, attempts and answers in the database.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::key;
use super::paper::{Drawn, PaperRule, PoolQuestion};
use super::rules::{self, Phase, Stagger};
use crate::bank::grading::{self, Response};
use crate::bank::model::{VersionRow, ACTIVE};
use crate::bank::question::{Channel, Kind, Question};
use crate::db::{now, Conn};
pub use crate::domain::org::{Audience, OrgTree as Tree, Person};
use crate::schema::{
    attempt_items, attempts, exam_people, exams, org_units, question_versions, questions, role_assignments,
    sittings, users,
};

pub const PUBLISHED: &str = "published";
pub const DRAFT: &str = "draft";
pub const IN_PROGRESS: &str = "in_progress";
pub const SUBMITTED: &str = "submitted";

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = exams)]
pub struct Exam {
    pub id: i32,
    pub month: String,
    pub title: String,
    pub kind: String,
    pub channels: String,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub time_limit_minutes: i32,
    pub pass_mark: i32,
    pub audience: String,
    pub paper_rule: String,
    pub seed: i64,
    pub review: String,
    pub allowed_ips: String,
    pub stagger: String,
    pub grace_seconds: i32,
    pub status: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// [`SOURCE_SAT`] or [`SOURCE_IMPORTED`] (a results-only exam).
    pub source: String,
}

/// Sat in examhall.
pub const SOURCE_SAT: &str = "sat";
/// Results imported from a sitting held elsewhere: no paper, nothing to sit.
pub const SOURCE_IMPORTED: &str = "imported";

/// The review a candidate gets once the window has closed.
pub const REVIEW_NONE: &str = "none";
pub const REVIEW_SCORE: &str = "score";
pub const REVIEW_FULL: &str = "full";

pub const KINDS: [&str; 3] = ["monthly", "retest", "practice"];

impl Exam {
    /// Whether the exam is over for everyone: its window has closed and no
    /// attempt (in grace, re-opened, or given extra time) can still be
    /// answered. Only then may its key, marks, questions, or its scores beside
    /// others', be shown (DESIGN §4 rule 10, [`key::key_visible`]).
    pub fn over_for_everyone(&self, conn: &mut Conn) -> QueryResult<bool> {
        let now = now();
        if self.closes_at > now {
            return Ok(false);
        }
        Ok(key::key_visible(now, self.closes_at, &self.open_attempts(conn)?, i64::from(self.grace_seconds)))
    }

    /// When the key may be shown as things stand (for the trainer).
    pub fn key_visible_from(&self, conn: &mut Conn) -> QueryResult<NaiveDateTime> {
        Ok(key::visible_from(self.closes_at, &self.open_attempts(conn)?, i64::from(self.grace_seconds)))
    }

    /// The attempts still in progress, as the key rule sees them.
    fn open_attempts(&self, conn: &mut Conn) -> QueryResult<Vec<key::Open>> {
        let deadlines: Vec<NaiveDateTime> = attempts::table
            .filter(attempts::exam_id.eq(self.id))
            .filter(attempts::status.eq(IN_PROGRESS))
            .select(attempts::deadline_at)
            .load(conn)?;
        Ok(deadlines.into_iter().map(|deadline| key::Open { in_progress: true, deadline }).collect())
    }

    /// Takes the exam's row for the rest of the transaction: the review that
    /// shows the key and a reopen or extra time then happen one after the
    /// other, never both on a stale view (a row lock on PostgreSQL; SQLite
    /// writers are serial anyway).
    pub fn lock(conn: &mut Conn, id: i32) -> QueryResult<usize> {
        diesel::update(exams::table.find(id)).set(exams::status.eq(exams::status)).execute(conn)
    }

    pub fn review(&self) -> key::Review {
        key::Review::of(&self.review)
    }

    pub fn audience(&self) -> Audience {
        serde_json::from_str(&self.audience).unwrap_or_default()
    }

    pub fn paper_rule(&self) -> QueryResult<PaperRule> {
        serde_json::from_str(&self.paper_rule)
            .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
    }

    pub fn stagger(&self) -> Stagger {
        serde_json::from_str(&self.stagger).unwrap_or_default()
    }

    pub fn channel_list(&self) -> Vec<Channel> {
        let codes: Vec<String> = serde_json::from_str(&self.channels).unwrap_or_default();
        codes.iter().filter_map(|c| Channel::parse_code(c)).collect()
    }

    pub fn phase(&self, at: NaiveDateTime) -> Phase {
        Phase::of(self.status == PUBLISHED, at, self.opens_at, self.closes_at)
    }

    pub fn kind_label(&self) -> &'static str {
        kind_label(&self.kind)
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Exam> {
        exams::table.find(id).select(Exam::as_select()).first(conn)
    }

    pub fn all(conn: &mut Conn) -> QueryResult<Vec<Exam>> {
        exams::table.order((exams::month.desc(), exams::id.desc())).select(Exam::as_select()).load(conn)
    }

    pub fn published_since(conn: &mut Conn, month: &str) -> QueryResult<Vec<Exam>> {
        exams::table
            .filter(exams::status.eq(PUBLISHED))
            .filter(exams::month.ge(month))
            .order((exams::month.desc(), exams::opens_at.desc()))
            .select(Exam::as_select())
            .load(conn)
    }

    pub fn insert(conn: &mut Conn, exam: &Exam) -> QueryResult<i32> {
        diesel::insert_into(exams::table)
            .values((
                exams::month.eq(&exam.month),
                exams::title.eq(&exam.title),
                exams::kind.eq(&exam.kind),
                exams::channels.eq(&exam.channels),
                exams::opens_at.eq(exam.opens_at),
                exams::closes_at.eq(exam.closes_at),
                exams::time_limit_minutes.eq(exam.time_limit_minutes),
                exams::pass_mark.eq(exam.pass_mark),
                exams::audience.eq(&exam.audience),
                exams::paper_rule.eq(&exam.paper_rule),
                exams::seed.eq(exam.seed),
                exams::review.eq(&exam.review),
                exams::allowed_ips.eq(&exam.allowed_ips),
                exams::stagger.eq(&exam.stagger),
                exams::grace_seconds.eq(exam.grace_seconds),
                exams::status.eq(&exam.status),
                exams::created_by.eq(exam.created_by),
                exams::created_at.eq(exam.created_at),
                exams::updated_at.eq(exam.updated_at),
                exams::source.eq(&exam.source),
            ))
            .returning(exams::id)
            .get_result(conn)
    }

    /// Saves the trainer's settings (not the seed, status or creator).
    pub fn update(conn: &mut Conn, exam: &Exam) -> QueryResult<usize> {
        diesel::update(exams::table.find(exam.id))
            .set((
                exams::month.eq(&exam.month),
                exams::title.eq(&exam.title),
                exams::kind.eq(&exam.kind),
                exams::channels.eq(&exam.channels),
                exams::opens_at.eq(exam.opens_at),
                exams::closes_at.eq(exam.closes_at),
                exams::time_limit_minutes.eq(exam.time_limit_minutes),
                exams::pass_mark.eq(exam.pass_mark),
                exams::audience.eq(&exam.audience),
                exams::paper_rule.eq(&exam.paper_rule),
                exams::review.eq(&exam.review),
                exams::allowed_ips.eq(&exam.allowed_ips),
                exams::stagger.eq(&exam.stagger),
                exams::grace_seconds.eq(exam.grace_seconds),
                exams::updated_at.eq(now()),
            ))
            .execute(conn)
    }

    pub fn set_status(conn: &mut Conn, id: i32, status: &str) -> QueryResult<usize> {
        diesel::update(exams::table.find(id))
            .set((exams::status.eq(status), exams::updated_at.eq(now())))
            .execute(conn)
    }

    pub fn attempt_count(conn: &mut Conn, id: i32) -> QueryResult<i64> {
        attempts::table.filter(attempts::exam_id.eq(id)).count().get_result(conn)
    }
}

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "monthly" => crate::web::msg::EXAM_KIND_MONTHLY,
        "retest" => crate::web::msg::EXAM_KIND_RETEST,
        _ => crate::web::msg::EXAM_KIND_PRACTICE,
    }
}

/// The questions a rule may draw: the current version of every active
/// question of the bank (sections) or of the listed questions (fixed), with
/// how exposed each is now.
pub fn pool(conn: &mut Conn, rule: &PaperRule) -> QueryResult<Vec<PoolQuestion>> {
    pool_as_of(conn, rule, now())
}

/// [`pool`] with the exposure as it was at `cutoff`: an exam's papers use the
/// exposure at its opening, so reveals elsewhere during the window cannot
/// make an unrevealed-only section run short halfway through the morning.
pub fn pool_as_of(
    conn: &mut Conn,
    rule: &PaperRule,
    cutoff: NaiveDateTime,
) -> QueryResult<Vec<PoolQuestion>> {
    let mut query = questions::table
        .inner_join(
            question_versions::table.on(question_versions::question_id
                .eq(questions::id)
                .and(question_versions::version.eq(questions::current_version))),
        )
        .filter(questions::status.eq(ACTIVE))
        .into_boxed();
    match rule {
        PaperRule::Sections { bank_id, .. } => query = query.filter(questions::bank_id.eq(*bank_id)),
        PaperRule::Fixed { items } => {
            let ids: Vec<i32> = items.iter().map(|i| i.question_id).collect();
            query = query.filter(questions::id.eq_any(ids));
        }
    }
    let rows: Vec<VersionRow> = query.order(questions::id).select(VersionRow::as_select()).load(conn)?;
    let ids: Vec<i32> = rows.iter().map(|v| v.question_id).collect();
    let revealed = super::exposure::revealed_to(conn, &ids, cutoff)?;
    rows.iter()
        .map(|v| {
            let q = v.question()?;
            Ok(PoolQuestion {
                question_id: v.question_id,
                version_id: v.id,
                kind: q.kind,
                channel: q.channel,
                category: q.category,
                knowledge_points: q.knowledge_points,
                difficulty: q.difficulty,
                points: q.points,
                options: q.options.len(),
                revealed_to: revealed.get(&v.question_id).copied().unwrap_or(0),
            })
        })
        .collect()
}

/// Role codes a user holds.
pub fn roles_of(conn: &mut Conn, user_id: i32) -> QueryResult<Vec<String>> {
    role_assignments::table
        .filter(role_assignments::user_id.eq(user_id))
        .select(role_assignments::role)
        .load(conn)
}

/// Every active person the exam is for, in staff-number order.
pub fn audience_people(conn: &mut Conn, exam: &Exam, tree: &Tree) -> QueryResult<Vec<Person>> {
    let audience = exam.audience();
    let staff: Vec<(i32, String, Option<String>, Option<i32>)> = users::table
        .filter(users::active.eq(true))
        .order((users::staff_no.asc(), users::id.asc()))
        .select((users::id, users::name, users::staff_no, users::hall_id))
        .load(conn)?;
    let grants: Vec<(i32, String)> =
        role_assignments::table.select((role_assignments::user_id, role_assignments::role)).load(conn)?;
    let mut roles: HashMap<i32, Vec<String>> = HashMap::new();
    for (user, role) in grants {
        roles.entry(user).or_default().push(role);
    }
    let empty = Vec::new();
    Ok(staff
        .into_iter()
        .filter(|(id, _, _, hall)| {
            audience.contains(*id, &tree.ancestry(*hall), roles.get(id).unwrap_or(&empty))
        })
        .map(|(id, name, staff_no, hall)| tree.person(id, name, staff_no, hall))
        .collect())
}

pub fn in_audience(
    conn: &mut Conn,
    exam: &Exam,
    user_id: i32,
    hall_id: Option<i32>,
    tree: &Tree,
) -> QueryResult<bool> {
    let roles = roles_of(conn, user_id)?;
    Ok(exam.audience().contains(user_id, &tree.ancestry(hall_id), &roles))
}

/// Per-person settings (extra time, in person).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = exam_people)]
pub struct ExamPerson {
    pub id: i32,
    pub exam_id: i32,
    pub user_id: i32,
    pub extra_minutes: i32,
    pub in_person: bool,
    pub note: String,
    /// The closed month whose list marked this person in person (None: by hand).
    pub flag_month: Option<String>,
}

impl ExamPerson {
    pub fn find(conn: &mut Conn, exam_id: i32, user_id: i32) -> QueryResult<Option<ExamPerson>> {
        exam_people::table
            .filter(exam_people::exam_id.eq(exam_id))
            .filter(exam_people::user_id.eq(user_id))
            .select(ExamPerson::as_select())
            .first(conn)
            .optional()
    }

    pub fn for_exam(conn: &mut Conn, exam_id: i32) -> QueryResult<Vec<ExamPerson>> {
        exam_people::table.filter(exam_people::exam_id.eq(exam_id)).select(ExamPerson::as_select()).load(conn)
    }

    /// Creates or changes a person's settings.
    pub fn upsert(
        conn: &mut Conn,
        exam_id: i32,
        user_id: i32,
        change: impl FnOnce(&mut ExamPerson),
    ) -> QueryResult<ExamPerson> {
        let mut p = Self::find(conn, exam_id, user_id)?.unwrap_or(ExamPerson {
            id: 0,
            exam_id,
            user_id,
            extra_minutes: 0,
            in_person: false,
            note: String::new(),
            flag_month: None,
        });
        change(&mut p);
        if p.id == 0 {
            p.id = diesel::insert_into(exam_people::table)
                .values((
                    exam_people::exam_id.eq(exam_id),
                    exam_people::user_id.eq(user_id),
                    exam_people::extra_minutes.eq(p.extra_minutes),
                    exam_people::in_person.eq(p.in_person),
                    exam_people::note.eq(&p.note),
                    exam_people::flag_month.eq(&p.flag_month),
                ))
                .returning(exam_people::id)
                .get_result(conn)?;
        } else {
            diesel::update(exam_people::table.find(p.id))
                .set((
                    exam_people::extra_minutes.eq(p.extra_minutes),
                    exam_people::in_person.eq(p.in_person),
                    exam_people::note.eq(&p.note),
                    exam_people::flag_month.eq(&p.flag_month),
                ))
                .execute(conn)?;
        }
        Ok(p)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = sittings)]
pub struct Sitting {
    pub id: i32,
    pub exam_id: i32,
    pub room: String,
    pub code: String,
    pub starts_at: NaiveDateTime,
    pub status: String,
    pub opened_by: Option<i32>,
    pub opened_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

impl Sitting {
    pub fn for_exam(conn: &mut Conn, exam_id: i32) -> QueryResult<Vec<Sitting>> {
        sittings::table
            .filter(sittings::exam_id.eq(exam_id))
            .order(sittings::id.desc())
            .select(Sitting::as_select())
            .load(conn)
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Sitting> {
        sittings::table.find(id).select(Sitting::as_select()).first(conn)
    }

    /// The open sitting of this exam with this code (codes compare without case or spaces).
    pub fn open_with_code(conn: &mut Conn, exam_id: i32, code: &str) -> QueryResult<Option<Sitting>> {
        let code = code.trim().to_uppercase();
        if code.is_empty() {
            return Ok(None);
        }
        sittings::table
            .filter(sittings::exam_id.eq(exam_id))
            .filter(sittings::status.eq("open"))
            .filter(sittings::code.eq(code))
            .select(Sitting::as_select())
            .first(conn)
            .optional()
    }

    pub fn open(
        conn: &mut Conn,
        exam_id: i32,
        room: &str,
        starts_at: NaiveDateTime,
        by: i32,
    ) -> QueryResult<i32> {
        diesel::insert_into(sittings::table)
            .values((
                sittings::exam_id.eq(exam_id),
                sittings::room.eq(room),
                sittings::code.eq(new_code()),
                sittings::starts_at.eq(starts_at),
                sittings::status.eq("open"),
                sittings::opened_by.eq(by),
                sittings::opened_at.eq(now()),
            ))
            .returning(sittings::id)
            .get_result(conn)
    }

    pub fn close(conn: &mut Conn, id: i32) -> QueryResult<usize> {
        diesel::update(sittings::table.find(id))
            .set((sittings::status.eq("closed"), sittings::closed_at.eq(now())))
            .execute(conn)
    }
}

/// Six characters from an alphabet without look-alikes (no 0/O, 1/I/L).
fn new_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    (0..6).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

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
    pub status: String,
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

    pub fn of(conn: &mut Conn, exam_id: i32, user_id: i32) -> QueryResult<Option<Attempt>> {
        attempts::table
            .filter(attempts::exam_id.eq(exam_id))
            .filter(attempts::user_id.eq(user_id))
            .select(Attempt::as_select())
            .first(conn)
            .optional()
    }

    pub fn for_exam(conn: &mut Conn, exam_id: i32) -> QueryResult<Vec<Attempt>> {
        attempts::table.filter(attempts::exam_id.eq(exam_id)).select(Attempt::as_select()).load(conn)
    }

    /// The exam's attempts still in progress (not the whole exam's rows).
    pub fn running(conn: &mut Conn, exam_id: i32) -> QueryResult<Vec<Attempt>> {
        attempts::table
            .filter(attempts::exam_id.eq(exam_id))
            .filter(attempts::status.eq(IN_PROGRESS))
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
        let id: i32 = diesel::insert_into(attempts::table)
            .values((
                attempts::exam_id.eq(exam_id),
                attempts::user_id.eq(user_id),
                attempts::hall_id.eq(hall_id),
                attempts::status.eq(IN_PROGRESS),
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
        if attempt.status != IN_PROGRESS || !rules::accepts_saves(at, attempt.deadline_at, grace_seconds) {
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
                    .bind::<Text, _>(IN_PROGRESS)
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

    /// Grades and closes an attempt: objective questions now, 简答 left for
    /// marking. Idempotent: an attempt already submitted is left alone.
    pub fn submit(conn: &mut Conn, id: i32, by: &str, at: NaiveDateTime) -> QueryResult<bool> {
        let attempt = Attempt::find(conn, id)?;
        if attempt.status != IN_PROGRESS {
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
                attempts::status.eq(SUBMITTED),
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
        crate::review::case::record_retest(conn, id, score)?;
        Ok(())
    }

    /// Submits every attempt whose deadline and grace have passed; returns how many.
    pub fn sweep(conn: &mut Conn, at: NaiveDateTime) -> QueryResult<usize> {
        let due: Vec<(i32, NaiveDateTime, i32)> = attempts::table
            .inner_join(exams::table)
            .filter(attempts::status.eq(IN_PROGRESS))
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
                attempts::status.eq(IN_PROGRESS),
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

/// One row of an exam's results table.
#[derive(Debug, Clone, Serialize)]
pub struct ResultRow {
    pub person: Person,
    pub attempt: Option<Attempt>,
    /// Rank by score among submitted, graded attempts (1 = best; ties share).
    pub rank_city: Option<usize>,
    pub rank_area: Option<usize>,
    pub rank_hall: Option<usize>,
}

impl ResultRow {
    pub fn score(&self) -> Option<i32> {
        self.attempt.as_ref().and_then(|a| a.score)
    }

    pub fn absent(&self) -> bool {
        self.attempt.as_ref().is_none_or(|a| a.status != SUBMITTED)
    }
}

/// Ranks (competition ranking: 1, 2, 2, 4) of scores.
pub fn ranks(scores: &[i32]) -> Vec<usize> {
    scores.iter().map(|s| 1 + scores.iter().filter(|o| *o > s).count()).collect()
}

/// The results of an exam: everyone in the audience plus anyone who sat it,
/// with the hall recorded at the start of each attempt.
pub fn results(conn: &mut Conn, exam: &Exam) -> QueryResult<Vec<ResultRow>> {
    let tree = Tree::load(conn)?;
    let mut people = audience_people(conn, exam, &tree)?;
    let attempts = Attempt::for_exam(conn, exam.id)?;
    let known: HashSet<i32> = people.iter().map(|p| p.id).collect();
    let missing: Vec<i32> = attempts.iter().map(|a| a.user_id).filter(|u| !known.contains(u)).collect();
    let extra: Vec<(i32, String, Option<String>, Option<i32>)> = users::table
        .filter(users::id.eq_any(&missing))
        .select((users::id, users::name, users::staff_no, users::hall_id))
        .load(conn)?;
    people.extend(extra.into_iter().map(|(id, name, no, hall)| tree.person(id, name, no, hall)));
    let mut by_user: HashMap<i32, Attempt> = attempts.into_iter().map(|a| (a.user_id, a)).collect();
    let mut rows: Vec<ResultRow> = people
        .into_iter()
        .map(|mut person| {
            let attempt = by_user.remove(&person.id);
            if let Some(a) = &attempt {
                // The hall at the time of the attempt, not today's.
                if a.hall_id.is_some() && a.hall_id != person.hall_id {
                    person = tree.person(person.id, person.name, person.staff_no, a.hall_id);
                }
            }
            ResultRow { person, attempt, rank_city: None, rank_area: None, rank_hall: None }
        })
        .collect();
    let graded: Vec<(usize, i32)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.absent())
        .filter_map(|(i, r)| r.score().map(|s| (i, s)))
        .collect();
    let rank_within = |key: &dyn Fn(&ResultRow) -> Option<i32>, rows: &[ResultRow]| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut groups: HashMap<Option<i32>, Vec<(usize, i32)>> = HashMap::new();
        for (i, s) in &graded {
            groups.entry(key(&rows[*i])).or_default().push((*i, *s));
        }
        for members in groups.values() {
            let scores: Vec<i32> = members.iter().map(|(_, s)| *s).collect();
            for ((i, _), r) in members.iter().zip(ranks(&scores)) {
                out.push((*i, r));
            }
        }
        out
    };
    for (i, r) in rank_within(&|_| None, &rows) {
        rows[i].rank_city = Some(r);
    }
    for (i, r) in rank_within(&|row| row.person.area_id, &rows) {
        rows[i].rank_area = Some(r);
    }
    for (i, r) in rank_within(&|row| row.person.hall_id, &rows) {
        rows[i].rank_hall = Some(r);
    }
    // The city district first, then the counties; halls and staff numbers within.
    rows.sort_by(|a, b| {
        let key =
            |r: &ResultRow| (r.person.county, r.person.area_id, r.person.hall_id, r.person.staff_no.clone());
        key(a).cmp(&key(b))
    });
    Ok(rows)
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
        .filter(attempts::status.eq(SUBMITTED))
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
        .filter(attempts::status.eq(SUBMITTED))
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

/// The current version of questions, for labelling statistics.
pub fn question_stems(conn: &mut Conn, ids: &[i32]) -> QueryResult<HashMap<i32, (String, Kind)>> {
    let rows: Vec<VersionRow> = questions::table
        .inner_join(
            question_versions::table.on(question_versions::question_id
                .eq(questions::id)
                .and(question_versions::version.eq(questions::current_version))),
        )
        .filter(questions::id.eq_any(ids))
        .select(VersionRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|v| (v.question_id, (v.stem.clone(), Kind::parse_code(&v.kind).unwrap_or(Kind::Single))))
        .collect())
}

/// Units by id for filters.
pub fn unit_names(conn: &mut Conn) -> QueryResult<HashMap<i32, String>> {
    let rows: Vec<(i32, String)> = org_units::table.select((org_units::id, org_units::name)).load(conn)?;
    Ok(rows.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audience_membership() {
        let a = Audience { units: vec![2], roles: vec!["clerk".into()], include: vec![9], exclude: vec![5] };
        let clerk = vec!["clerk".to_string()];
        assert!(a.contains(1, &[10, 2, 1], &clerk));
        assert!(!a.contains(1, &[11, 3, 1], &clerk), "another county");
        assert!(!a.contains(1, &[10, 2, 1], &["trainer".to_string()]), "another role");
        assert!(a.contains(9, &[11, 3, 1], &[]), "named");
        assert!(!a.contains(5, &[10, 2, 1], &clerk), "excluded");
    }

    #[test]
    fn competition_ranks() {
        assert_eq!(ranks(&[9000, 8000, 9000, 7000]), vec![1, 3, 1, 4]);
        assert_eq!(ranks(&[]), Vec::<usize>::new());
    }
}
