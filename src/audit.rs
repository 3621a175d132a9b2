//! The audit log: who did what, when, from where. Written in the same
//! transaction as the change it describes.

use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::db::{now, Conn};
use crate::schema::{audit_log, users};
use crate::web::pagination::Pager;
use crate::web::{AppResult, Ctx};
use crate::AppState;

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
pub fn action_label(action: &str) -> &'static str {
    match action {
        "login" => "登录",
        "login_failed" => "登录失败",
        "login_locked" => "账号临时锁定",
        "logout" => "退出",
        "password_changed" => "修改密码",
        "password_reset" => "重置密码",
        "admin_created" => "创建管理员",
        "org_created" => "新增单位",
        "org_renamed" => "单位改名",
        "org_moved" => "单位调整上级",
        "org_activated" => "启用单位",
        "org_deactivated" => "停用单位",
        "user_updated" => "修改人员信息",
        "user_activated" => "启用账号",
        "user_deactivated" => "停用账号",
        "role_granted" => "授予角色",
        "role_revoked" => "撤销角色",
        "roster_imported" => "导入人员名单",
        _ => "其他",
    }
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

#[derive(Deserialize)]
pub struct AuditQuery {
    page: Option<i64>,
}

pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let page = q.page;
    let (rows, pager) = state
        .db(move |conn| {
            let total: i64 = audit_log::table.count().get_result(conn)?;
            let pager = Pager::new(page, 50, total);
            let rows: Vec<LogLine> = audit_log::table
                .left_join(users::table)
                .order(audit_log::id.desc())
                .limit(pager.per_page)
                .offset(pager.offset())
                .select((
                    audit_log::at,
                    users::name.nullable(),
                    audit_log::action,
                    audit_log::detail,
                    audit_log::ip,
                ))
                .load(conn)?;
            let rows = rows
                .into_iter()
                .map(|(at, actor, action, detail, ip)| AuditRow {
                    at: crate::time::local_display(at),
                    actor,
                    action: action_label(&action),
                    detail,
                    ip,
                })
                .collect::<Vec<_>>();
            Ok((rows, pager))
        })
        .await?;
    let mut c = Context::new();
    c.insert("rows", &rows);
    c.insert("pager", &pager);
    c.insert("query", "");
    ctx.render("audit/index.html", c)
}
