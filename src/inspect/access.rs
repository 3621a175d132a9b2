//! Who may see and do what with inspections, in one place: a hall's own
//! staff (厅经理, 班长) their hall, supervisors their county or the city,
//! trainers and admins everything, and an inspector what they inspect.

use diesel::QueryResult;

use super::model::Inspection;
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::domain::org::OrgTree;
use crate::domain::Scope;

/// The viewer, their scope (with their own halls) and the org tree.
pub struct Who {
    pub me: CurrentUser,
    pub tree: OrgTree,
    pub scope: Scope,
    /// The city office: trainers, admins and the city's supervisors (plan
    /// spot checks and cross rounds, issue and close any 纠错单).
    pub city: bool,
}

impl Who {
    pub fn load(conn: &mut Conn, me: CurrentUser) -> QueryResult<Who> {
        let city = me.has_any_role(&[Role::Trainer, Role::Admin])
            || crate::accounts::model::User::is_city_wide(conn, &me)?;
        Ok(Who { tree: OrgTree::load(conn)?, scope: Scope::with_own_halls(&me), me, city })
    }

    /// Whether the viewer oversees a hall (its own staff, its county's or the city's supervisors).
    pub fn sees_hall(&self, hall: i32) -> bool {
        self.scope.sees(&self.tree, Some(hall))
    }

    /// The active halls the viewer oversees, in the one area order.
    pub fn halls(&self) -> Vec<&crate::domain::org::Node> {
        self.tree.halls().into_iter().filter(|h| self.sees_hall(h.id)).collect()
    }

    /// The halls whose daily check this person does: those they manage or lead.
    pub fn daily_halls(&self) -> Vec<i32> {
        let mut halls = self.me.scopes(Role::HallManager);
        halls.extend(self.me.scopes(Role::TeamLeader));
        halls.retain(|h| self.tree.node(*h).is_some_and(|n| n.kind == crate::domain::org::UnitKind::Hall));
        halls.sort_unstable();
        halls.dedup();
        halls
    }

    /// Whether the viewer may see an inspection: its inspector, or who oversees its hall.
    pub fn sees(&self, inspection: &Inspection) -> bool {
        inspection.inspector_id == self.me.id || self.sees_hall(inspection.hall_id)
    }

    /// Only the inspector fills in their inspection, and only until it is submitted.
    pub fn fills(&self, inspection: &Inspection) -> bool {
        inspection.inspector_id == self.me.id && inspection.submitted_at.is_none()
    }
}
