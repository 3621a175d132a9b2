//! The exam-day hot statements use indexes, never a scan of a big table:
//! EXPLAIN QUERY PLAN on a migrated SQLite database. The statements are those
//! of the code named beside each (parameters left unbound).

use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};

use crate::helpers::TestDb;

#[derive(QueryableByName)]
struct Step {
    #[diesel(sql_type = Text)]
    detail: String,
}

/// Tables that grow with the city: a full scan of one is a bug on exam day.
const BIG: &[&str] = &["users", "role_assignments", "attempts", "attempt_items", "audit_log", "exam_people"];

const HOT: &[(&str, &str)] = &[
    (
        // exam::sit::save_target
        "save: the question of a position",
        "SELECT question_versions.kind, attempt_items.option_order, question_versions.body, \
         exams.grace_seconds, attempts.deadline_at FROM attempt_items \
         INNER JOIN question_versions ON attempt_items.version_id = question_versions.id \
         INNER JOIN (attempts INNER JOIN exams ON attempts.exam_id = exams.id) \
         ON attempt_items.attempt_id = attempts.id \
         WHERE attempt_items.attempt_id = ? AND attempt_items.position = ? AND attempts.user_id = ?",
    ),
    (
        // exam::model::Attempt::save_guarded
        "save: the guarded update",
        "UPDATE attempt_items SET response = ?, flagged = ?, saved_at = ? \
         WHERE attempt_id = ? AND position = ? AND EXISTS (SELECT 1 FROM attempts \
         WHERE id = ? AND status = ? AND device = ? AND deadline_at >= ?)",
    ),
    (
        // exam::model::Attempt::sweep
        "deadline sweeper: attempts past their deadline",
        "SELECT attempts.id, attempts.deadline_at, exams.grace_seconds FROM attempts \
         INNER JOIN exams ON attempts.exam_id = exams.id \
         WHERE attempts.status = ? AND attempts.deadline_at < ?",
    ),
    (
        // exam start and the home page: one's own attempt
        "start: one's attempt at an exam",
        "SELECT * FROM attempts WHERE exam_id = ? AND user_id = ?",
    ),
    (
        // exam start: extra time / in-person flags of the candidate
        "start: the candidate's exam settings",
        "SELECT * FROM exam_people WHERE exam_id = ? AND user_id = ?",
    ),
    (
        // accounts::User::find_by_login
        "login: the account by user name or staff number",
        "SELECT * FROM users WHERE username = ? OR staff_no = ?",
    ),
    (
        // auth::session::load_current (User::grants)
        "session: the user's roles",
        "SELECT role_assignments.role, role_assignments.org_unit_id, org_units.name \
         FROM role_assignments INNER JOIN org_units ON role_assignments.org_unit_id = org_units.id \
         WHERE role_assignments.user_id = ?",
    ),
    (
        // exam::model::Attempt::paper (grading at submit)
        "submit: the paper of an attempt",
        "SELECT * FROM attempt_items INNER JOIN question_versions \
         ON attempt_items.version_id = question_versions.id WHERE attempt_items.attempt_id = ? \
         ORDER BY attempt_items.position",
    ),
];

fn scans_big_table(detail: &str) -> bool {
    // "SCAN t" reads every row; "SEARCH t USING …INDEX" does not.
    let Some(rest) = detail.strip_prefix("SCAN ") else { return false };
    let table = rest.split_whitespace().next().unwrap_or_default();
    BIG.contains(&table) && !rest.contains("USING COVERING INDEX")
}

#[test]
fn exam_day_statements_use_indexes() {
    let db = TestDb::sqlite();
    let pool = examhall::db::connect(&db.url, 1).expect("database");
    let mut conn = pool.get().expect("connection");
    let examhall::db::Conn::Sqlite(sqlite) = &mut *conn else { panic!("SQLite") };
    for (what, sql) in HOT {
        let plan: Vec<Step> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load(sqlite)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(!plan.is_empty(), "{what}: no plan");
        let scans: Vec<&str> =
            plan.iter().map(|s| s.detail.as_str()).filter(|d| scans_big_table(d)).collect();
        assert!(scans.is_empty(), "{what} scans a big table: {scans:?}\n{sql}");
    }
}

#[test]
fn the_check_catches_a_scan() {
    assert!(scans_big_table("SCAN attempts"));
    assert!(scans_big_table("SCAN attempt_items"));
    assert!(!scans_big_table("SEARCH attempts USING INDEX attempts_open (status=? AND deadline_at<?)"));
    assert!(!scans_big_table("SCAN exams"));
}
