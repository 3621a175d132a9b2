//! The practice tables and the queries behind the 错题本 and the draw.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::rules::{self, Candidate};
use crate::bank::question::{Kind, Question};
use crate::db::Conn;
use crate::exam::model::{AttemptStatus, Exam, ExamKind, ExamStatus};
use crate::exam::paper::PaperRule;
use crate::schema::{attempt_items, attempts, banks, practice_answers, question_versions, questions};

/// How a practice question was chosen.
pub const MODES: [&str; 3] = ["book", "point", "daily"];

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = practice_answers)]
pub struct AnswerRow {
    pub id: i32,
    pub user_id: i32,
    pub question_id: i32,
    pub version_id: i32,
    pub mode: String,
    pub correct: bool,
    pub answered_at: NaiveDateTime,
}

/// A question in the 错题本: the exam answer that put it there.
#[derive(Debug, Clone)]
pub struct Wrong {
    pub question_id: i32,
    pub exam_id: i32,
    pub exam_title: String,
    pub attempt_id: i32,
    pub wrong_on: NaiveDate,
}

/// Whether a clerk may see the key of this exam now (rule 10 and the review setting).
fn key_open(conn: &mut Conn, exam: &Exam) -> QueryResult<bool> {
    Ok(exam.review().shows_key() && (exam.kind == ExamKind::Practice || exam.over_for_everyone(conn)?))
}

/// The clerk's practice answers: (question, Beijing date, right) in time order.
pub fn answers_of(conn: &mut Conn, user_id: i32) -> QueryResult<Vec<(i32, NaiveDate, bool)>> {
    let rows: Vec<(i32, NaiveDateTime, bool)> = practice_answers::table
        .filter(practice_answers::user_id.eq(user_id))
        .order(practice_answers::id)
        .select((practice_answers::question_id, practice_answers::answered_at, practice_answers::correct))
        .load(conn)?;
    Ok(rows.into_iter().map(|(q, at, right)| (q, crate::time::local_date(at), right)).collect())
}

/// An exam answer: (exam, attempt, question, earned, points, handed in).
type ExamAnswer = (i32, i32, i32, Option<i32>, i32, Option<NaiveDateTime>);

/// The clerk's 错题本: each question answered wrong (or partly) in an exam
/// whose key they may see, still short of its right answers, not on anyone's
/// running attempt; the latest wrong answer of each, newest first.
pub fn book(conn: &mut Conn, user_id: i32) -> QueryResult<Vec<Wrong>> {
    let rows: Vec<ExamAnswer> = attempt_items::table
        .inner_join(attempts::table)
        .filter(attempts::user_id.eq(user_id))
        .filter(attempts::status.ne(AttemptStatus::InProgress))
        .select((
            attempts::exam_id,
            attempts::id,
            attempt_items::question_id,
            attempt_items::earned,
            attempt_items::points,
            attempts::submitted_at,
        ))
        .load(conn)?;
    let mut exams: HashMap<i32, (bool, String)> = HashMap::new();
    let mut latest: HashMap<i32, Wrong> = HashMap::new();
    for (exam_id, attempt_id, question_id, earned, points, at) in rows {
        if let std::collections::hash_map::Entry::Vacant(e) = exams.entry(exam_id) {
            let exam = Exam::find(conn, exam_id)?;
            e.insert((key_open(conn, &exam)?, exam.title));
        }
        let (open, title) = &exams[&exam_id];
        let Some(at) = at.filter(|_| rules::enters_book(*open, earned, points)) else { continue };
        let wrong_on = crate::time::local_date(at);
        if latest.get(&question_id).is_none_or(|w| w.wrong_on <= wrong_on) {
            latest.insert(
                question_id,
                Wrong { question_id, exam_id, exam_title: title.clone(), attempt_id, wrong_on },
            );
        }
    }
    let ids: Vec<i32> = latest.keys().copied().collect();
    let withheld = crate::exam::exposure::in_running_attempts(conn, &ids)?;
    let mut practice: HashMap<i32, Vec<(NaiveDate, bool)>> = HashMap::new();
    for (q, day, right) in answers_of(conn, user_id)? {
        practice.entry(q).or_default().push((day, right));
    }
    let mut out: Vec<Wrong> = latest
        .into_values()
        .filter(|w| !withheld.contains(&w.question_id))
        .filter(|w| rules::still_in_book(w.wrong_on, practice.get(&w.question_id).map_or(&[], Vec::as_slice)))
        .collect();
    out.sort_by(|a, b| b.wrong_on.cmp(&a.wrong_on).then(a.question_id.cmp(&b.question_id)));
    Ok(out)
}

/// A question that may be drawn, with its current version.
#[derive(Debug, Clone)]
pub struct Drawable {
    pub question_id: i32,
    pub version_id: i32,
    pub question: Question,
}

/// What monthly exams not yet over may draw: the banks of drawn papers, and
/// the questions of fixed ones.
fn monthly_pools(conn: &mut Conn) -> QueryResult<(HashSet<i32>, HashSet<i32>)> {
    let now = crate::db::now();
    let (mut banks, mut fixed) = (HashSet::new(), HashSet::new());
    for exam in Exam::all(conn)? {
        let live = exam.status == ExamStatus::Draft || exam.closes_at > now;
        if exam.kind != ExamKind::Monthly || !live {
            continue;
        }
        match exam.paper_rule() {
            Ok(PaperRule::Sections { bank_id, .. }) => {
                banks.insert(bank_id);
            }
            Ok(PaperRule::Fixed { items }) => fixed.extend(items.iter().map(|i| i.question_id)),
            Err(_) => {}
        }
    }
    Ok((banks, fixed))
}

/// The questions a clerk whose 错题本 holds `in_book` may practise now (see
/// [`rules::may_practise`]), their own 错题本 first, then by knowledge point
/// `point` when given.
pub fn drawable(
    conn: &mut Conn,
    in_book: &[i32],
    point: Option<&str>,
    book_only: bool,
) -> QueryResult<Vec<Drawable>> {
    let in_book: Vec<i32> = in_book.to_vec();
    let (monthly_banks, monthly_questions) = monthly_pools(conn)?;
    let mut query = questions::table
        .inner_join(banks::table)
        .inner_join(
            question_versions::table.on(question_versions::question_id
                .eq(questions::id)
                .and(question_versions::version.eq(questions::current_version))),
        )
        .into_boxed();
    if book_only {
        query = query.filter(questions::id.eq_any(in_book.clone()));
    } else {
        query = query.filter(banks::practice.eq(true).or(questions::id.eq_any(in_book.clone())));
    }
    let rows: Vec<(i32, String, i32, bool, crate::bank::model::VersionRow)> = query
        .order(questions::id)
        .select((
            questions::id,
            questions::status,
            questions::bank_id,
            banks::practice,
            crate::bank::model::VersionRow::as_select(),
        ))
        .load(conn)?;
    let ids: Vec<i32> = rows.iter().map(|r| r.0).collect();
    let revealed = crate::exam::exposure::revealed_to(conn, &ids, crate::db::now())?;
    let running = crate::exam::exposure::in_running_attempts(conn, &ids)?;
    let mut out = Vec::new();
    for (question_id, status, bank_id, practice_bank, version) in rows {
        let question = version.question()?;
        let candidate = Candidate {
            question_id,
            active: status == crate::bank::model::ACTIVE,
            auto_marked: question.kind != Kind::Essay,
            practice_bank,
            monthly_pool: monthly_banks.contains(&bank_id) || monthly_questions.contains(&question_id),
            revealed: revealed.get(&question_id).is_some_and(|n| *n > 0),
            in_running_exam: running.contains(&question_id),
        };
        let mine = in_book.contains(&question_id);
        if !rules::may_practise(&candidate, mine) {
            continue;
        }
        if point.is_some_and(|p| !question.knowledge_points.iter().any(|k| k == p)) {
            continue;
        }
        out.push((!mine, Drawable { question_id, version_id: version.id, question }));
    }
    // The 错题本 first.
    out.sort_by_key(|(not_mine, d)| (*not_mine, d.question_id));
    Ok(out.into_iter().map(|(_, d)| d).collect())
}

/// Records a practice answer (it shows the key: exposure counts it, rule 11).
pub fn record(
    conn: &mut Conn,
    user_id: i32,
    d: &Drawable,
    mode: &str,
    correct: bool,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(practice_answers::table)
        .values((
            practice_answers::user_id.eq(user_id),
            practice_answers::question_id.eq(d.question_id),
            practice_answers::version_id.eq(d.version_id),
            practice_answers::mode.eq(mode),
            practice_answers::correct.eq(correct),
            practice_answers::answered_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The questions answered today (Beijing), and every day with practice.
pub fn days(conn: &mut Conn, user_id: i32) -> QueryResult<(Vec<NaiveDate>, BTreeSet<i32>)> {
    let today = crate::time::local_date(crate::db::now());
    let answers = answers_of(conn, user_id)?;
    let today_ids = answers.iter().filter(|(_, d, _)| *d == today).map(|(q, _, _)| *q).collect();
    Ok((answers.into_iter().map(|(_, d, _)| d).collect(), today_ids))
}

/// How many questions the clerk answered today (Beijing) in `mode`.
pub fn today_count(conn: &mut Conn, user_id: i32, mode: &str) -> QueryResult<usize> {
    let today = crate::time::local_date(crate::db::now());
    let rows: Vec<NaiveDateTime> = practice_answers::table
        .filter(practice_answers::user_id.eq(user_id))
        .filter(practice_answers::mode.eq(mode))
        .select(practice_answers::answered_at)
        .load(conn)?;
    Ok(rows.into_iter().filter(|at| crate::time::local_date(*at) == today).count())
}

/// For `copy-db`.
pub fn copy(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    for row in
        practice_answers::table.order(practice_answers::id).select(AnswerRow::as_select()).load(from)?
    {
        diesel::insert_into(practice_answers::table).values(&row).execute(to)?;
    }
    Ok(())
}
