//! `examhall copy-db`: moves a whole site from one database to another (SQLite
//! to PostgreSQL, typically) in one pass and one transaction on the target,
//! then checks every table's row count.

use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::{write, Conn};
use crate::accounts::User;
use crate::org::OrgUnit;
use crate::schema::{audit_log, org_units, role_assignments, uploads, users};
use crate::web::msg;
use crate::web::upload::Upload;

/// Every table of the schema, parents before children. A test checks that
/// the migrations create no table missing here.
pub const TABLES: &[&str] = &[
    "org_units",
    "users",
    "role_assignments",
    "audit_log",
    "uploads",
    "banks",
    "questions",
    "question_versions",
    "question_images",
    "exams",
    "exam_people",
    "sittings",
    "attempts",
    "attempt_items",
    "key_reveals",
    "review_cases",
    "month_closes",
    "month_flags",
    "settings",
    "articles",
    "article_versions",
    "article_files",
    "assignments",
    "readings",
    "reading_exemptions",
    "rubrics",
    "rubric_versions",
    "scenarios",
    "phone_calls",
    "study_sessions",
    "study_attendees",
    "drill_types",
    "drills",
    "revoked_sessions",
    "question_sources",
    "question_flags",
    "practice_answers",
    "remedials",
    "remedial_assignments",
    "inspection_standards",
    "inspection_rounds",
    "inspection_assignments",
    "inspections",
    "inspection_results",
    "correction_orders",
    "defects",
    "order_events",
    "inspection_photos",
    "satisfaction_replies",
    "hall_satisfaction",
    "evaluation_schemes",
    "evaluation_ratings",
    "evaluation_appeals",
    "review360_rounds",
    "review360_raters",
    "review360_answers",
];

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Rows in `table` (one of [`TABLES`], never user input).
pub fn count(conn: &mut Conn, table: &str) -> QueryResult<i64> {
    debug_assert!(TABLES.contains(&table));
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result::<Count>(conn).map(|c| c.n)
}

/// Copies every table from `from` into the empty database `to`; returns the row counts.
pub fn copy_all(from: &mut Conn, to: &mut Conn) -> anyhow::Result<Vec<(&'static str, i64)>> {
    // The migrations give a new site its default drill types; a copy brings the source's.
    if count(to, "drills")? == 0 {
        diesel::delete(crate::schema::drill_types::table).execute(to)?;
    }
    for table in TABLES {
        anyhow::ensure!(count(to, table)? == 0, "{}", msg::copy_target_not_empty(table));
    }
    write(to, |to| -> anyhow::Result<()> {
        copy_org_units(from, to)?;
        for u in users::table.order(users::id).select(User::as_select()).load(from)? {
            diesel::insert_into(users::table)
                .values((
                    users::id.eq(u.id),
                    users::username.eq(u.username),
                    users::staff_no.eq(u.staff_no),
                    users::name.eq(u.name),
                    users::phone.eq(u.phone),
                    users::hall_id.eq(u.hall_id),
                    users::active.eq(u.active),
                    users::password_hash.eq(u.password_hash),
                    users::must_change_password.eq(u.must_change_password),
                    users::session_epoch.eq(u.session_epoch),
                    users::created_at.eq(u.created_at),
                    users::updated_at.eq(u.updated_at),
                    users::last_login_at.eq(u.last_login_at),
                ))
                .execute(to)?;
        }
        let grants: Vec<(i32, i32, String, i32)> =
            role_assignments::table.order(role_assignments::id).load(from)?;
        for (id, user_id, role, unit) in grants {
            diesel::insert_into(role_assignments::table)
                .values((
                    role_assignments::id.eq(id),
                    role_assignments::user_id.eq(user_id),
                    role_assignments::role.eq(role),
                    role_assignments::org_unit_id.eq(unit),
                ))
                .execute(to)?;
        }
        type LogRow = (i32, chrono::NaiveDateTime, Option<i32>, String, String, Option<String>);
        let log: Vec<LogRow> = audit_log::table.order(audit_log::id).load(from)?;
        for (id, at, actor, action, detail, ip) in log {
            diesel::insert_into(audit_log::table)
                .values((
                    audit_log::id.eq(id),
                    audit_log::at.eq(at),
                    audit_log::actor_id.eq(actor),
                    audit_log::action.eq(action),
                    audit_log::detail.eq(detail),
                    audit_log::ip.eq(ip),
                ))
                .execute(to)?;
        }
        for f in uploads::table.order(uploads::id).select(Upload::as_select()).load(from)? {
            diesel::insert_into(uploads::table)
                .values((
                    uploads::id.eq(f.id),
                    uploads::kind.eq(f.kind),
                    uploads::filename.eq(f.filename),
                    uploads::content.eq(f.content),
                    uploads::uploaded_by.eq(f.uploaded_by),
                    uploads::created_at.eq(f.created_at),
                ))
                .execute(to)?;
        }
        copy_banks(from, to)?;
        copy_exams(from, to)?;
        copy_review_cases(from, to)?;
        copy_month_closes(from, to)?;
        crate::settings::copy(from, to)?;
        crate::kb::model::copy(from, to)?;
        crate::phone::model::copy(from, to)?;
        crate::training::model::copy(from, to)?;
        crate::auth::revoked::copy(from, to)?;
        crate::bank::sources::copy(from, to)?;
        crate::practice::model::copy(from, to)?;
        crate::remedial::copy(from, to)?;
        crate::inspect::copy::copy(from, to)?;
        crate::evaluation::copy::copy(from, to)?;
        reset_sequences(to)?;
        Ok(())
    })?;
    // The copy starts with no planner statistics; a PostgreSQL with
    // autovacuum off would keep it that way, and every plan would be a guess.
    if let Conn::Pg(_) = to {
        diesel::sql_query("ANALYZE").execute(to)?;
    }
    let mut counts = Vec::new();
    for table in TABLES {
        let (source, target) = (count(from, table)?, count(to, table)?);
        anyhow::ensure!(source == target, "{}", msg::copy_count_mismatch(table, source, target));
        counts.push((*table, target));
    }
    Ok(counts)
}

/// Exams with their people, sittings, attempts and answers (row structs
/// derive `Insertable`, ids included).
fn copy_exams(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    use crate::exam::model::{Attempt, Exam, ExamPerson, Item, Sitting};
    use crate::schema::{attempt_items, attempts, exam_people, exams, sittings};
    for row in exams::table.order(exams::id).select(Exam::as_select()).load(from)? {
        diesel::insert_into(exams::table).values(&row).execute(to)?;
    }
    for row in exam_people::table.order(exam_people::id).select(ExamPerson::as_select()).load(from)? {
        diesel::insert_into(exam_people::table).values(&row).execute(to)?;
    }
    for row in sittings::table.order(sittings::id).select(Sitting::as_select()).load(from)? {
        diesel::insert_into(sittings::table).values(&row).execute(to)?;
    }
    for row in attempts::table.order(attempts::id).select(Attempt::as_select()).load(from)? {
        diesel::insert_into(attempts::table).values(&row).execute(to)?;
    }
    // In pages: an exam month holds tens of thousands of answers.
    let mut after = 0;
    loop {
        let page: Vec<Item> = attempt_items::table
            .filter(attempt_items::id.gt(after))
            .order(attempt_items::id)
            .limit(5_000)
            .select(Item::as_select())
            .load(from)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for row in &page {
            diesel::insert_into(attempt_items::table).values(row).execute(to)?;
        }
    }
    copy_key_reveals(from, to)
}

/// Who has seen which key (exposure control), in pages like the answers.
fn copy_key_reveals(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    use crate::schema::key_reveals as k;
    let mut after = 0;
    loop {
        type Row = (i32, i32, i32, i32, i32, chrono::NaiveDateTime);
        let page: Vec<Row> = k::table
            .filter(k::id.gt(after))
            .order(k::id)
            .limit(5_000)
            .select((k::id, k::user_id, k::exam_id, k::question_id, k::version_id, k::revealed_at))
            .load(from)?;
        let Some(last) = page.last() else { return Ok(()) };
        after = last.0;
        for (id, user_id, exam_id, question_id, version_id, at) in page {
            diesel::insert_into(k::table)
                .values((
                    k::id.eq(id),
                    k::user_id.eq(user_id),
                    k::exam_id.eq(exam_id),
                    k::question_id.eq(question_id),
                    k::version_id.eq(version_id),
                    k::revealed_at.eq(at),
                ))
                .execute(to)?;
        }
    }
}

/// The supervisors' follow-up of flagged clerks.
fn copy_review_cases(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    use crate::review::case::Case;
    use crate::schema::review_cases;
    for row in review_cases::table.order(review_cases::id).select(Case::as_select()).load(from)? {
        diesel::insert_into(review_cases::table).values(&row).execute(to)?;
    }
    Ok(())
}

/// Closed months and their snapshots.
fn copy_month_closes(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    use crate::schema::{month_closes, month_flags};
    for row in crate::closing::Close::all(from)? {
        diesel::insert_into(month_closes::table).values(&row).execute(to)?;
    }
    let flags: Vec<(i32, String, i32, String)> =
        month_flags::table.order((month_flags::close_id, month_flags::user_id)).load(from)?;
    for (close_id, month, user_id, reason) in flags {
        diesel::insert_into(month_flags::table)
            .values((
                month_flags::close_id.eq(close_id),
                month_flags::month.eq(month),
                month_flags::user_id.eq(user_id),
                month_flags::reason.eq(reason),
            ))
            .execute(to)?;
    }
    Ok(())
}

/// Banks, questions, every version of every question, and their pictures.
fn copy_banks(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    use crate::bank::model::{Bank, QuestionRow, VersionRow};
    use crate::schema::{banks, question_versions, questions};
    for b in banks::table.order(banks::id).select(Bank::as_select()).load(from)? {
        diesel::insert_into(banks::table)
            .values((
                banks::id.eq(b.id),
                banks::name.eq(b.name),
                banks::description.eq(b.description),
                banks::created_by.eq(b.created_by),
                banks::created_at.eq(b.created_at),
                banks::practice.eq(b.practice),
            ))
            .execute(to)?;
    }
    for q in questions::table.order(questions::id).select(QuestionRow::as_select()).load(from)? {
        diesel::insert_into(questions::table)
            .values((
                questions::id.eq(q.id),
                questions::bank_id.eq(q.bank_id),
                questions::current_version.eq(q.current_version),
                questions::status.eq(q.status),
                questions::dedup_key.eq(q.dedup_key),
                questions::created_at.eq(q.created_at),
                questions::updated_at.eq(q.updated_at),
            ))
            .execute(to)?;
    }
    for v in
        question_versions::table.order(question_versions::id).select(VersionRow::as_select()).load(from)?
    {
        diesel::insert_into(question_versions::table)
            .values((
                question_versions::id.eq(v.id),
                question_versions::question_id.eq(v.question_id),
                question_versions::version.eq(v.version),
                question_versions::kind.eq(v.kind),
                question_versions::stem.eq(v.stem),
                question_versions::body.eq(v.body),
                question_versions::points.eq(v.points),
                question_versions::difficulty.eq(v.difficulty),
                question_versions::channel.eq(v.channel),
                question_versions::category.eq(v.category),
                question_versions::knowledge_points.eq(v.knowledge_points),
                question_versions::created_by.eq(v.created_by),
                question_versions::created_at.eq(v.created_at),
            ))
            .execute(to)?;
    }
    crate::bank::images::copy(from, to)?;
    Ok(())
}

/// Units refer to their parents, which a move may have given a higher id:
/// insert all without parents first, then set the parents.
fn copy_org_units(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    let units = OrgUnit::all(from)?;
    for u in &units {
        diesel::insert_into(org_units::table)
            .values((
                org_units::id.eq(u.id),
                org_units::parent_id.eq(None::<i32>),
                org_units::kind.eq(&u.kind),
                org_units::name.eq(&u.name),
                org_units::active.eq(u.active),
                org_units::created_at.eq(u.created_at),
            ))
            .execute(to)?;
    }
    for u in units.iter().filter(|u| u.parent_id.is_some()) {
        diesel::update(org_units::table.find(u.id)).set(org_units::parent_id.eq(u.parent_id)).execute(to)?;
    }
    Ok(())
}

/// PostgreSQL's id sequences continue after the copied ids (SQLite needs nothing).
fn reset_sequences(conn: &mut Conn) -> QueryResult<()> {
    if let Conn::Pg(_) = conn {
        // `settings` is keyed by name, the others by pairs: no sequence.
        for table in TABLES
            .iter()
            .filter(|t| !["settings", "month_flags", "study_attendees", "review360_answers"].contains(*t))
        {
            diesel::sql_query(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
            .execute(conn)?;
        }
    }
    Ok(())
}
