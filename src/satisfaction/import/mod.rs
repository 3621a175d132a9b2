//! The satisfaction imports (回复明细 and 单厅满意率): the shared pipeline —
//! dry run → row-numbered errors → confirm → one transaction that plans
//! again and checks the fingerprint.

pub mod routes;
pub mod rules;

use diesel::prelude::*;

use super::model::{HallRate, NewReply, Reply};
use crate::accounts::User;
use crate::db::{now, Conn};
use crate::domain::Month;
use crate::org::UnitKind;
use crate::schema::satisfaction_replies;
use crate::web::import;
use crate::web::msg;
use rules::{Person, Snapshot};
pub use rules::{RatePlan, ReplyPlan};

/// Halls, staff and what the month holds already.
pub fn snapshot(conn: &mut Conn, month: Month) -> QueryResult<Snapshot> {
    let halls = crate::org::OrgUnit::nodes(conn)?
        .into_iter()
        .filter(|n| n.kind == UnitKind::Hall && n.active)
        .map(|n| (n.id, n.name))
        .collect();
    let people = User::staff_refs(conn)?
        .into_iter()
        .map(|p| Person {
            id: p.id,
            staff_no: p.staff_no,
            name: p.name,
            hall_id: p.hall_id,
            active: p.active,
        })
        .collect();
    let stored = Reply::of_month(conn, month)?;
    let serials = stored.iter().filter(|r| !r.ref_no.is_empty()).map(|r| r.ref_no.clone()).collect();
    let replies = stored
        .iter()
        .filter(|r| r.ref_no.is_empty())
        .map(|r| (r.replied_at, r.hall_id, r.clerk_id, r.rating.clone(), r.comment.clone()))
        .collect();
    let rated_halls = HallRate::of_months(conn, &[month])?.into_iter().map(|r| r.hall_id).collect();
    Ok(Snapshot { halls, people, serials, replies, rated_halls, now: now() })
}

pub fn dry_run_replies(conn: &mut Conn, month: Month, table: &[Vec<String>]) -> QueryResult<ReplyPlan> {
    Ok(rules::plan_replies(month, table, &snapshot(conn, month)?))
}

pub fn dry_run_rates(conn: &mut Conn, month: Month, table: &[Vec<String>]) -> QueryResult<RatePlan> {
    Ok(rules::plan_rates(month, table, &snapshot(conn, month)?))
}

/// Plans the replies again in one transaction and stores them all, or nothing.
pub fn commit_replies(
    conn: &mut Conn,
    month: Month,
    table: &[Vec<String>],
    fingerprint: Option<&str>,
    actor: Option<i32>,
    ip: &str,
) -> Result<ReplyPlan, import::ImportError<ReplyPlan>> {
    import::commit(
        conn,
        fingerprint,
        |conn| dry_run_replies(conn, month, table),
        |conn, plan| {
            let at = now();
            // One insert per row: batch inserts do not build for the two-backend connection.
            for r in &plan.rows {
                let row = NewReply {
                    month,
                    replied_at: r.replied_at,
                    hall_id: r.hall_id,
                    clerk_id: r.clerk_id,
                    rating: &r.rating,
                    comment: &r.comment,
                    ref_no: &r.ref_no,
                    imported_by: actor,
                    imported_at: at,
                };
                diesel::insert_into(satisfaction_replies::table).values(&row).execute(conn)?;
            }
            crate::audit::record(
                conn,
                actor,
                "satisfaction_import",
                &msg::audit_satisfaction_replies(month, plan.rows.len()),
                ip,
            )?;
            Ok(plan)
        },
    )
}

/// Plans the rates again in one transaction and stores them all (replacing the month's), or nothing.
pub fn commit_rates(
    conn: &mut Conn,
    month: Month,
    table: &[Vec<String>],
    fingerprint: Option<&str>,
    actor: Option<i32>,
    ip: &str,
) -> Result<RatePlan, import::ImportError<RatePlan>> {
    import::commit(
        conn,
        fingerprint,
        |conn| dry_run_rates(conn, month, table),
        |conn, plan| {
            let at = now();
            for r in &plan.rows {
                HallRate::put(conn, month, r.hall_id, (r.rate, r.surveyed), actor, at)?;
            }
            crate::audit::record(
                conn,
                actor,
                "satisfaction_rates_import",
                &msg::audit_satisfaction_rates(month, plan.rows.len()),
                ip,
            )?;
            Ok(plan)
        },
    )
}
