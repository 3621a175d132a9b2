//! The exam row: its settings, status and window, and what follows from them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::{AttemptStatus, Audience, ExamKind, ExamStatus, Source};
use crate::bank::question::Channel;
use crate::db::{now, Conn};
use crate::domain::Month;
use crate::exam::key;
use crate::exam::key::Review;
use crate::exam::paper::PaperRule;
use crate::exam::rules::{Phase, Stagger};
use crate::schema::{attempts, exams};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = exams)]
pub struct Exam {
    pub id: i32,
    pub month: Month,
    pub title: String,
    pub kind: ExamKind,
    pub channels: String,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub time_limit_minutes: i32,
    pub pass_mark: i32,
    pub audience: String,
    pub paper_rule: String,
    pub seed: i64,
    pub review: Review,
    pub allowed_ips: String,
    pub stagger: String,
    pub grace_seconds: i32,
    pub status: ExamStatus,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Sat here, or imported (a results-only exam).
    pub source: Source,
}

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
            .filter(attempts::status.eq(AttemptStatus::InProgress))
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

    /// Results imported from a sitting held elsewhere: no paper, nothing to
    /// sit, no sittings or times to give.
    pub fn is_results_only(&self) -> bool {
        self.source == Source::Imported
    }

    pub fn review(&self) -> Review {
        self.review
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
        Phase::of(self.status == ExamStatus::Published, at, self.opens_at, self.closes_at)
    }

    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Exam> {
        exams::table.find(id).select(Exam::as_select()).first(conn)
    }

    pub fn all(conn: &mut Conn) -> QueryResult<Vec<Exam>> {
        exams::table.order((exams::month.desc(), exams::id.desc())).select(Exam::as_select()).load(conn)
    }

    /// The month's monthly exams other than `except`, draft or published,
    /// oldest first: a month has one monthly exam, sat here or imported.
    pub fn other_monthly(conn: &mut Conn, month: Month, except: i32) -> QueryResult<Vec<Exam>> {
        exams::table
            .filter(exams::kind.eq(ExamKind::Monthly))
            .filter(exams::month.eq(month))
            .filter(exams::id.ne(except))
            .order(exams::id.asc())
            .select(Exam::as_select())
            .load(conn)
    }

    pub fn published_since(conn: &mut Conn, month: Month) -> QueryResult<Vec<Exam>> {
        exams::table
            .filter(exams::status.eq(ExamStatus::Published))
            .filter(exams::month.ge(month))
            .order((exams::month.desc(), exams::opens_at.desc()))
            .select(Exam::as_select())
            .load(conn)
    }

    pub fn insert(conn: &mut Conn, exam: &Exam) -> QueryResult<i32> {
        let row = NewExam {
            settings: exam.settings(exam.updated_at),
            seed: exam.seed,
            status: exam.status,
            created_by: exam.created_by,
            created_at: exam.created_at,
            source: exam.source,
        };
        diesel::insert_into(exams::table).values(row).returning(exams::id).get_result(conn)
    }

    /// Saves the trainer's settings (not the seed, status, creator or source).
    pub fn update(conn: &mut Conn, exam: &Exam) -> QueryResult<usize> {
        diesel::update(exams::table.find(exam.id)).set(exam.settings(now())).execute(conn)
    }

    /// The columns the trainer's form sets, as of `updated_at`.
    fn settings(&self, updated_at: NaiveDateTime) -> Settings<'_> {
        Settings {
            month: self.month,
            title: &self.title,
            kind: self.kind,
            channels: &self.channels,
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            time_limit_minutes: self.time_limit_minutes,
            pass_mark: self.pass_mark,
            audience: &self.audience,
            paper_rule: &self.paper_rule,
            review: self.review,
            allowed_ips: &self.allowed_ips,
            stagger: &self.stagger,
            grace_seconds: self.grace_seconds,
            updated_at,
        }
    }

    pub fn set_status(conn: &mut Conn, id: i32, status: ExamStatus) -> QueryResult<usize> {
        diesel::update(exams::table.find(id))
            .set((exams::status.eq(status), exams::updated_at.eq(now())))
            .execute(conn)
    }

    pub fn attempt_count(conn: &mut Conn, id: i32) -> QueryResult<i64> {
        attempts::table.filter(attempts::exam_id.eq(id)).count().get_result(conn)
    }
}

/// An exam's settings as the trainer's form sets them.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = exams)]
struct Settings<'a> {
    month: Month,
    title: &'a str,
    kind: ExamKind,
    channels: &'a str,
    opens_at: NaiveDateTime,
    closes_at: NaiveDateTime,
    time_limit_minutes: i32,
    pass_mark: i32,
    audience: &'a str,
    paper_rule: &'a str,
    review: Review,
    allowed_ips: &'a str,
    stagger: &'a str,
    grace_seconds: i32,
    updated_at: NaiveDateTime,
}

/// A new exam's row: its settings and what only creating it sets.
#[derive(Insertable)]
#[diesel(table_name = exams)]
#[diesel(treat_none_as_default_value = false)]
struct NewExam<'a> {
    #[diesel(embed)]
    settings: Settings<'a>,
    seed: i64,
    status: ExamStatus,
    created_by: Option<i32>,
    created_at: NaiveDateTime,
    source: Source,
}
