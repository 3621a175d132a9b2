//! Drills from a spreadsheet (.xlsx/.csv), one row per drill. Same pipeline
//! as the other imports: dry run → confirm → one transaction that plans
//! again and checks the fingerprint.

pub mod routes;
pub mod rules;

use std::collections::HashMap;

use diesel::prelude::*;

use super::drills::model::{self as drill_model, DrillType, NewDrill};
use crate::accounts::User;
use crate::audit;
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::web::import;
use crate::web::msg;
pub use rules::Plan;
use rules::Snapshot;

/// Trainers and admins import for every hall and any past date; team
/// leaders for their halls' staff and the last quarter.
fn reach(who: &CurrentUser) -> (Option<Vec<i32>>, bool) {
    if who.has_any_role(&[Role::Trainer, Role::Admin]) {
        (None, false)
    } else {
        (Some(who.scopes(Role::TeamLeader)), true)
    }
}

/// Staff, types and the stored drills around the file's dates, as they are now.
pub fn snapshot(conn: &mut Conn, table: &[Vec<String>], who: &CurrentUser) -> QueryResult<Snapshot> {
    let people = User::staff_refs(conn)?;
    let types = DrillType::all(conn)?.into_iter().map(|t| (t.id, t.name, t.active)).collect();
    let hall_names: HashMap<i32, String> =
        crate::org::OrgUnit::halls(conn)?.into_iter().map(|h| (h.id, h.name)).collect();
    let dates = rules::dates(table);
    let existing = match (dates.iter().min(), dates.iter().max()) {
        (Some(from), Some(to)) => drill_model::keys_between(conn, *from, *to)?.into_iter().collect(),
        _ => Default::default(),
    };
    let (halls, limited) = reach(who);
    Ok(Snapshot { people, types, hall_names, halls, limited, today: drill_model::today(), existing })
}

/// The dry run: nothing is written.
pub fn dry_run(conn: &mut Conn, table: &[Vec<String>], who: &CurrentUser) -> QueryResult<Plan> {
    Ok(rules::plan(table, &snapshot(conn, table, who)?))
}

/// Why a drill import did not go in.
pub type ImportError = import::ImportError<Plan>;

/// Plans again inside one transaction and stores every drill, or nothing.
pub fn commit(
    conn: &mut Conn,
    table: &[Vec<String>],
    fingerprint: Option<&str>,
    who: &CurrentUser,
    ip: &str,
) -> Result<Plan, ImportError> {
    import::commit(
        conn,
        fingerprint,
        |conn| dry_run(conn, table, who),
        |conn, plan| {
            for r in &plan.rows {
                let drill = NewDrill {
                    drilled_on: r.drilled_on,
                    hall_id: r.hall_id,
                    clerk_id: r.clerk_id,
                    drill_type_id: r.type_id,
                    seconds: r.seconds,
                    errors: r.errors,
                    notes: r.notes.clone(),
                };
                drill.insert(conn, Some(who.id))?;
            }
            let detail = msg::audit_drill_import(plan.rows.len(), &plan.months);
            audit::record(conn, Some(who.id), "drill_import", &detail, ip)?;
            Ok(plan)
        },
    )
}
