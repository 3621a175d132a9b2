//! The exam row: its settings, status and window, and what follows from them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::{Audience, IN_PROGRESS, PUBLISHED};
use crate::bank::question::Channel;
use crate::db::{now, Conn};
use crate::exam::key;
use crate::exam::paper::PaperRule;
use crate::exam::rules::{Phase, Stagger};
use crate::schema::{attempts, exams};

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
