//! The audit log: who did what, when, from where. Written in the same
//! transaction as the change it describes.

use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::db::{now, Conn};
use crate::schema::{audit_log, users};
use crate::web::pagination::Pager;
use crate::web::{msg, AppResult, Ctx};
use crate::AppState;

/// A person as the log names them: "10087 范俊" (工号 and name; the id when gone).
pub fn person(conn: &mut Conn, user_id: i32) -> QueryResult<String> {
    use crate::schema::users;
    let found: Option<(Option<String>, String)> =
        users::table.find(user_id).select((users::staff_no, users::name)).first(conn).optional()?;
    Ok(match found {
        Some((Some(no), name)) => format!("{no} {name}"),
        Some((None, name)) => name,
        None => format!("#{user_id}"),
    })
}

/// An org unit as the log names it: its name (the id when gone).
pub fn unit(conn: &mut Conn, unit_id: i32) -> QueryResult<String> {
    use crate::schema::org_units;
    let name: Option<String> =
        org_units::table.find(unit_id).select(org_units::name).first(conn).optional()?;
    Ok(name.unwrap_or_else(|| format!("#{unit_id}")))
}

pub fn record(conn: &mut Conn, actor: Option<i32>, action: &str, detail: &str, ip: &str) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(now()),
            audit_log::actor_id.eq(actor),
            audit_log::action.eq(action),
            audit_log::detail.eq(detail),
            audit_log::ip.eq(ip),
        ))
        .execute(conn)?;
    Ok(())
}

/// Chinese names of the recorded actions.
/// Every audited action: (code, label), in the order the filter lists them.
pub const ACTIONS: &[(&str, &str)] = &[
    ("login", msg::ACTION_LOGIN),
    ("login_failed", msg::ACTION_LOGIN_FAILED),
    ("login_locked", msg::ACTION_LOGIN_LOCKED),
    ("login_slowed", msg::ACTION_LOGIN_SLOWED),
    ("device_untrusted", msg::ACTION_DEVICE_UNTRUSTED),
    ("logout", msg::ACTION_LOGOUT),
    ("password_changed", msg::ACTION_PASSWORD_CHANGED),
    ("password_reset", msg::ACTION_PASSWORD_RESET),
    ("admin_created", msg::ACTION_ADMIN_CREATED),
    ("org_created", msg::ACTION_ORG_CREATED),
    ("org_renamed", msg::ACTION_ORG_RENAMED),
    ("org_moved", msg::ACTION_ORG_MOVED),
    ("org_activated", msg::ACTION_ORG_ACTIVATED),
    ("org_deactivated", msg::ACTION_ORG_DEACTIVATED),
    ("user_updated", msg::ACTION_USER_UPDATED),
    ("review_case", msg::ACTION_REVIEW_CASE),
    ("review_retest", msg::ACTION_REVIEW_RETEST),
    ("month_close", msg::ACTION_MONTH_CLOSE),
    ("kb_read", msg::ACTION_KB_READ),
    ("kb_created", msg::ACTION_KB_CREATED),
    ("kb_edited", msg::ACTION_KB_EDITED),
    ("kb_status", msg::ACTION_KB_STATUS),
    ("kb_file", msg::ACTION_KB_FILE),
    ("kb_assigned", msg::ACTION_KB_ASSIGNED),
    ("kb_withdrawn", msg::ACTION_KB_WITHDRAWN),
    ("kb_ledger_close", msg::ACTION_LEDGER_CLOSE),
    ("kb_ledger_reopen", msg::ACTION_LEDGER_REOPEN),
    ("reading_exempt", msg::ACTION_READING_EXEMPT),
    ("reading_exempt_lift", msg::ACTION_READING_EXEMPT_LIFT),
    ("import_results", msg::ACTION_RESULTS_IMPORTED),
    ("phone_import", msg::ACTION_PHONE_IMPORT),
    ("month_reopen", msg::ACTION_MONTH_REOPEN),
    ("setting_changed", msg::ACTION_SETTING_CHANGED),
    ("user_activated", msg::ACTION_USER_ACTIVATED),
    ("user_deactivated", msg::ACTION_USER_DEACTIVATED),
    ("role_granted", msg::ACTION_ROLE_GRANTED),
    ("role_revoked", msg::ACTION_ROLE_REVOKED),
    ("roster_imported", msg::ACTION_ROSTER_IMPORTED),
    ("bank_imported", msg::ACTION_BANK_IMPORTED),
    ("bank_created", msg::ACTION_BANK_CREATED),
    ("question_edited", msg::ACTION_QUESTION_EDITED),
    ("question_retired", msg::ACTION_QUESTION_RETIRED),
    ("question_source", msg::ACTION_QUESTION_SOURCE),
    ("bank_practice", msg::ACTION_BANK_PRACTICE),
    ("remedial", msg::ACTION_REMEDIAL),
    ("question_reviewed", msg::ACTION_QUESTION_REVIEWED),
    ("question_restored", msg::ACTION_QUESTION_RESTORED),
    ("exam_created", msg::ACTION_EXAM_CREATED),
    ("exam_updated", msg::ACTION_EXAM_UPDATED),
    ("exam_published", msg::ACTION_EXAM_PUBLISHED),
    ("exam_unpublished", msg::ACTION_EXAM_UNPUBLISHED),
    ("exam_person", msg::ACTION_EXAM_PERSON),
    ("attempt_reopened", msg::ACTION_ATTEMPT_REOPENED),
    ("attempt_extra_time", msg::ACTION_ATTEMPT_EXTRA_TIME),
    ("answer_marked", msg::ACTION_ANSWER_MARKED),
    ("sitting_opened", msg::ACTION_SITTING_OPENED),
    ("sitting_closed", msg::ACTION_SITTING_CLOSED),
    ("phone_rubric", msg::ACTION_PHONE_RUBRIC),
    ("phone_scenario", msg::ACTION_PHONE_SCENARIO),
    ("phone_call", msg::ACTION_PHONE_CALL),
    ("drill_record", msg::ACTION_DRILL_RECORD),
    ("drill_delete", msg::ACTION_DRILL_DELETE),
    ("drill_import", msg::ACTION_DRILL_IMPORT),
    ("drill_type_save", msg::ACTION_DRILL_TYPE_SAVE),
    ("study_create", msg::ACTION_STUDY_CREATE),
    ("study_update", msg::ACTION_STUDY_UPDATE),
    ("study_delete", msg::ACTION_STUDY_DELETE),
];

pub fn action_label(action: &str) -> &'static str {
    ACTIONS.iter().find(|(code, _)| *code == action).map_or(msg::ACTION_OTHER, |(_, label)| label)
}

#[derive(Debug, Serialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: Option<String>,
    pub action: &'static str,
    pub detail: String,
    pub ip: Option<String>,
}

/// (at, actor name, action, detail, ip) as loaded.
type LogLine = (chrono::NaiveDateTime, Option<String>, String, String, Option<String>);

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct AuditQuery {
    #[serde(default, skip_serializing, deserialize_with = "crate::web::pagination::page")]
    page: Option<i64>,
    /// An action code.
    #[serde(default)]
    action: String,
    /// Part of the actor's name, login or 工号.
    #[serde(default, deserialize_with = "crate::web::pagination::search")]
    actor: String,
    /// Part of the detail text.
    #[serde(default, deserialize_with = "crate::web::pagination::search")]
    q: String,
    /// Local dates (YYYY-MM-DD), inclusive.
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

type Filtered<'a> = diesel::helper_types::IntoBoxed<
    'a,
    diesel::helper_types::LeftJoin<audit_log::table, users::table>,
    crate::db::MultiBackend,
>;

/// The log filtered as asked (dates are Beijing days); callers order it.
fn filtered(q: &AuditQuery) -> Filtered<'static> {
    let mut query = audit_log::table.left_join(users::table).into_boxed();
    if !q.action.is_empty() {
        query = query.filter(audit_log::action.eq(q.action.clone()));
    }
    let actor = q.actor.trim();
    if !actor.is_empty() {
        let p = crate::kb::model::like_pattern(actor);
        query = query.filter(
            users::name
                .like(p.clone())
                .escape('\\')
                .or(users::username.like(p.clone()).escape('\\'))
                .or(users::staff_no.like(p).escape('\\')),
        );
    }
    let text = q.q.trim();
    if !text.is_empty() {
        query = query.filter(audit_log::detail.like(crate::kb::model::like_pattern(text)).escape('\\'));
    }
    // Like a malformed date, one outside 2000–2099 filters nothing (and the
    // arithmetic below cannot overflow chrono's range).
    let day = |d: &str| {
        chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| (2000..=2099).contains(&chrono::Datelike::year(d)))
    };
    // A Beijing day starts at 16:00 UTC the day before.
    if let Some(d) = day(&q.from) {
        query = query.filter(
            audit_log::at.ge(d.and_hms_opt(0, 0, 0).unwrap_or_default() - chrono::Duration::hours(8)),
        );
    }
    if let Some(d) = day(&q.to) {
        query = query.filter(
            audit_log::at.lt(d.and_hms_opt(0, 0, 0).unwrap_or_default() + chrono::Duration::hours(16)),
        );
    }
    query
}

fn rows_of(lines: Vec<LogLine>) -> Vec<AuditRow> {
    lines
        .into_iter()
        .map(|(at, actor, action, detail, ip)| AuditRow {
            at: crate::time::local_display(at),
            actor,
            action: action_label(&action),
            detail,
            ip,
        })
        .collect()
}

#[allow(clippy::type_complexity)]
fn log_columns(
) -> (audit_log::at, diesel::dsl::Nullable<users::name>, audit_log::action, audit_log::detail, audit_log::ip)
{
    (audit_log::at, users::name.nullable(), audit_log::action, audit_log::detail, audit_log::ip)
}

/// Most rows one export holds.
const EXPORT_LIMIT: i64 = 100_000;

/// GET /admin/audit/export.xlsx: the filtered log (newest first, at most 100,000 rows).
pub async fn export(state: web::Data<AppState>, q: web::Query<AuditQuery>) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let rows = state
        .db(move |conn| {
            let lines: Vec<LogLine> = filtered(&q)
                .order(audit_log::id.desc())
                .limit(EXPORT_LIMIT)
                .select(log_columns())
                .load(conn)?;
            Ok(rows_of(lines))
        })
        .await?;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let wrap = rust_xlsxwriter::Format::new().set_text_wrap();
    let write = |sheet: &mut rust_xlsxwriter::Worksheet| -> Result<(), rust_xlsxwriter::XlsxError> {
        sheet.set_name("操作日志")?;
        let mut layout = crate::web::xlsx::Layout::new(msg::AUDIT_SHEET_TITLE, "", 1, 1);
        layout.heading(sheet, &["时间（北京时间）", "操作人", "操作", "内容", "地址"])?;
        for (i, r) in rows.iter().enumerate() {
            let row = i as u32 + 2;
            // A real date and time (sortable, filterable), not text.
            crate::web::xlsx::write_when(sheet, row, 0, &r.at)?;
            let actor = r.actor.as_deref().unwrap_or(msg::AUDIT_SYSTEM);
            let ip = r.ip.as_deref().unwrap_or_default();
            for (c, text) in [(0, r.at.as_str()), (1, actor), (2, r.action), (3, &r.detail), (4, ip)] {
                layout.see(row, c, text);
                match c {
                    0 => {}
                    3 => sheet.write_string_with_format(row, c, text, &wrap).map(|_| ())?,
                    _ => sheet.write_string(row, c, text).map(|_| ())?,
                }
            }
        }
        layout.apply(sheet, &crate::web::xlsx::made_now())?;
        Ok(())
    };
    write(sheet).map_err(crate::web::AppError::internal)?;
    let bytes = book.save_to_buffer().map_err(crate::web::AppError::internal)?;
    Ok(crate::web::xlsx_response(bytes, "audit-log.xlsx"))
}

pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let query = serde_urlencoded::to_string(&q).unwrap_or_default();
    let (rows, pager) = {
        let q = q.clone();
        state
            .db(move |conn| {
                let total: i64 = filtered(&q).count().get_result(conn)?;
                let pager = Pager::new(q.page, 50, total);
                let lines: Vec<LogLine> = filtered(&q)
                    .order(audit_log::id.desc())
                    .limit(pager.per_page)
                    .offset(pager.offset())
                    .select(log_columns())
                    .load(conn)?;
                Ok((rows_of(lines), pager))
            })
            .await?
    };
    let mut c = Context::new();
    c.insert("rows", &rows);
    c.insert("pager", &pager);
    c.insert("filter", &q);
    c.insert("actions", &ACTIONS);
    // The pager's links keep the filter.
    c.insert("query", &if query.is_empty() { String::new() } else { format!("{query}&") });
    c.insert("export_query", &query);
    ctx.render("audit/index.html", c)
}
