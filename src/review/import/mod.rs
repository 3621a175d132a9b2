//! A month's exam results from a spreadsheet, for a sitting held elsewhere (a
//! paper sitting, the provincial system): the file becomes a results-only
//! monthly exam ([`SOURCE_IMPORTED`]) whose audience is every active clerk at
//! import time, with one submitted attempt per score. Same pipeline as the
//! roster import: dry run → confirm → one transaction that checks it all again.
//! Used by the trainer's pages and the CLI.

pub mod routes;
pub mod rules;

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit;
use crate::auth::Role;
use crate::db::{now, Conn};
use crate::domain::Month;
use crate::exam::model::{Audience, Exam, Tree, PUBLISHED, REVIEW_SCORE, SOURCE_IMPORTED, SUBMITTED};
use crate::exam::paper::PaperRule;
use crate::schema::{attempts, role_assignments, users};
use crate::web::import;
use crate::web::msg;
use rules::{parse_rows, Snapshot, Staff};
pub use rules::{Plan, Target};

/// How an imported attempt says where it came from (`attempts.submitted_by`).
pub const SUBMITTED_BY_IMPORT: &str = "import";

/// Whether an exam is results-only: no paper, nothing to sit, edit or publish.
pub fn is_results_only(exam: &Exam) -> bool {
    exam.source == SOURCE_IMPORTED
}

/// (id, 工号, 姓名, hall, active) as loaded.
type Person = (i32, Option<String>, String, Option<i32>, bool);

/// Everyone with a 工号, and every clerk, as they are now.
pub fn staff(conn: &mut Conn, tree: &Tree) -> QueryResult<Vec<Staff>> {
    let people: Vec<Person> = users::table
        .order(users::id)
        .select((users::id, users::staff_no, users::name, users::hall_id, users::active))
        .load(conn)?;
    let clerks: HashSet<i32> = role_assignments::table
        .filter(role_assignments::role.eq(Role::Clerk.code()))
        .select(role_assignments::user_id)
        .load::<i32>(conn)?
        .into_iter()
        .collect();
    Ok(people
        .into_iter()
        .filter(|(id, staff_no, ..)| staff_no.is_some() || clerks.contains(id))
        .map(|(id, staff_no, name, hall_id, active)| Staff {
            id,
            staff_no: staff_no.unwrap_or_default(),
            name,
            hall_id,
            hall: tree.name(hall_id),
            active,
            clerk: clerks.contains(&id),
        })
        .collect())
}

/// The staff as the plan sees them now, and whether the month can take an import.
pub fn snapshot(conn: &mut Conn, month: Month) -> QueryResult<Snapshot> {
    let tree = Tree::load(conn)?;
    let staff = staff(conn, &tree)?;
    let monthly_exam = crate::review::model::monthly_exam(conn, month)?.map(|e| (e.id, e.title));
    let closed = crate::closing::Close::current(conn, crate::closing::Ledger::Review, month)?.is_some();
    Ok(Snapshot { staff, monthly_exam, closed })
}

/// The dry run: validates the table and plans it against the database.
pub fn dry_run(conn: &mut Conn, target: &Target, table: &[Vec<String>]) -> QueryResult<Plan> {
    let (rows, errors) = parse_rows(table);
    Ok(rules::plan(target.clone(), &rows, errors, &snapshot(conn, target.month)?))
}

pub struct CommitOptions<'a> {
    /// The fingerprint of the plan the trainer confirmed; None to take the plan as it is now.
    pub expected_fingerprint: Option<&'a str>,
    pub actor: Option<i32>,
    pub ip: &'a str,
}

/// Why a results import did not go in; [`ImportError::Refused`]: the month
/// already has its monthly exam, or is closed.
pub type ImportError = import::ImportError<Plan>;

/// Plans again inside one immediate transaction and writes the exam, its
/// attempts and the audit line, or nothing. Returns the plan and the exam id.
pub fn commit(
    conn: &mut Conn,
    target: &Target,
    table: &[Vec<String>],
    opts: &CommitOptions,
) -> Result<(Plan, i32), ImportError> {
    import::commit(
        conn,
        opts.expected_fingerprint,
        |conn| dry_run(conn, target, table),
        |conn, plan| {
            let at = now();
            let exam_id = Exam::insert(conn, &results_exam(&plan, opts.actor, at))?;
            for row in &plan.rows {
                if let Some(score) = row.score {
                    insert_attempt(conn, exam_id, row.user_id, row.hall_id, score, at)?;
                }
            }
            let detail = msg::audit_results_imported(
                exam_id,
                target.month,
                &target.title,
                plan.sat,
                plan.marked_absent,
                plan.missing.len(),
            );
            audit::record(conn, opts.actor, "import_results", &detail, opts.ip)?;
            Ok((plan, exam_id))
        },
    )
}

/// The results-only monthly exam: published, closed at import time, no paper.
fn results_exam(plan: &Plan, actor: Option<i32>, at: NaiveDateTime) -> Exam {
    let audience = Audience { units: vec![], roles: vec![], include: plan.audience.clone(), exclude: vec![] };
    Exam {
        id: 0,
        month: plan.target.month,
        title: plan.target.title.clone(),
        kind: crate::exam::model::ExamKind::Monthly,
        channels: "[]".into(),
        opens_at: at,
        closes_at: at,
        time_limit_minutes: 0,
        pass_mark: 6000,
        audience: serde_json::to_string(&audience).unwrap_or_default(),
        paper_rule: serde_json::to_string(&PaperRule::Fixed { items: vec![] }).unwrap_or_default(),
        seed: 0,
        review: REVIEW_SCORE,
        allowed_ips: String::new(),
        stagger: "{}".into(),
        grace_seconds: 0,
        status: PUBLISHED,
        created_by: actor,
        created_at: at,
        updated_at: at,
        source: SOURCE_IMPORTED,
    }
}

/// One imported score: a submitted attempt out of 100 points, with the hall at import time.
fn insert_attempt(
    conn: &mut Conn,
    exam_id: i32,
    user_id: i32,
    hall_id: Option<i32>,
    score: i32,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(attempts::table)
        .values((
            attempts::exam_id.eq(exam_id),
            attempts::user_id.eq(user_id),
            attempts::hall_id.eq(hall_id),
            attempts::status.eq(SUBMITTED),
            attempts::started_at.eq(at),
            attempts::deadline_at.eq(at),
            attempts::submitted_at.eq(Some(at)),
            attempts::submitted_by.eq(Some(SUBMITTED_BY_IMPORT)),
            attempts::earned.eq(Some(score)),
            attempts::possible.eq(10_000),
            attempts::score.eq(Some(score)),
            attempts::marking_pending.eq(false),
            attempts::device.eq(""),
            attempts::sitting_id.eq(None::<i32>),
        ))
        .execute(conn)
}
