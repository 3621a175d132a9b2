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
use crate::schema::satisfaction_replies;
use crate::web::import;
use crate::web::msg;
use rules::{Person, Snapshot};
pub use rules::{RatePlan, ReplyPlan};

/// Halls, staff and what the month holds already.
pub fn snapshot(conn: &mut Conn, month: Month) -> QueryResult<Snapshot> {
    let halls = crate::org::OrgUnit::active_halls(conn)?;
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

/// One of the two files: how it is planned and stored. The pipeline
/// (dry run, commit, confirm) is the same for both.
pub trait File: 'static {
    type Plan: import::ImportPlan + Send + 'static;
    /// The kept upload's kind.
    const UPLOAD: &'static str;
    /// The form's `kind` value.
    const CODE: &'static str;
    fn plan(month: Month, table: &[Vec<String>], snap: &Snapshot) -> Self::Plan;
    /// Writes the plan; returns (audit action, audit detail).
    fn store(
        conn: &mut Conn,
        month: Month,
        plan: &Self::Plan,
        actor: Option<i32>,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<(&'static str, String)>;
}

/// 回复明细: one row per SMS reply.
pub struct Replies;
/// 单厅满意率: one row per hall.
pub struct Rates;

impl File for Replies {
    type Plan = ReplyPlan;
    const UPLOAD: &'static str = "satisfaction_replies";
    const CODE: &'static str = "replies";

    fn plan(month: Month, table: &[Vec<String>], snap: &Snapshot) -> ReplyPlan {
        rules::plan_replies(month, table, snap)
    }

    fn store(
        conn: &mut Conn,
        month: Month,
        plan: &ReplyPlan,
        actor: Option<i32>,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<(&'static str, String)> {
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
        Ok(("satisfaction_import", msg::audit_satisfaction_replies(month, plan.rows.len())))
    }
}

impl File for Rates {
    type Plan = RatePlan;
    const UPLOAD: &'static str = "satisfaction_rates";
    const CODE: &'static str = "rates";

    fn plan(month: Month, table: &[Vec<String>], snap: &Snapshot) -> RatePlan {
        rules::plan_rates(month, table, snap)
    }

    fn store(
        conn: &mut Conn,
        month: Month,
        plan: &RatePlan,
        actor: Option<i32>,
        at: chrono::NaiveDateTime,
    ) -> QueryResult<(&'static str, String)> {
        for r in &plan.rows {
            HallRate::put(conn, month, r.hall_id, (r.rate, r.surveyed), actor, at)?;
        }
        Ok(("satisfaction_rates_import", msg::audit_satisfaction_rates(month, plan.rows.len())))
    }
}

/// The dry run: nothing is written.
pub fn dry_run<F: File>(conn: &mut Conn, month: Month, table: &[Vec<String>]) -> QueryResult<F::Plan> {
    Ok(F::plan(month, table, &snapshot(conn, month)?))
}

/// Plans again in one transaction and stores the whole file, or nothing.
pub fn commit<F: File>(
    conn: &mut Conn,
    month: Month,
    table: &[Vec<String>],
    fingerprint: Option<&str>,
    actor: Option<i32>,
    ip: &str,
) -> Result<F::Plan, import::ImportError<F::Plan>> {
    import::commit(
        conn,
        fingerprint,
        |conn| dry_run::<F>(conn, month, table),
        |conn, plan| {
            let (action, detail) = F::store(conn, month, &plan, actor, now())?;
            crate::audit::record(conn, actor, action, &detail, ip)?;
            Ok(plan)
        },
    )
}
