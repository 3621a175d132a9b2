//! Who sees and records which hall's training, study sessions and drills
//! alike (the route table checks roles; these check the hall). One answer
//! for both rooms, through [`Scope`].

use crate::auth::{CurrentUser, Role};
use crate::domain::{OrgTree, Scope};

/// Whether `user` may see a hall's sessions and drills: supervisors over it,
/// trainers and admins, and the hall's own team leaders and managers.
pub fn may_view(user: &CurrentUser, tree: &OrgTree, hall_id: i32) -> bool {
    Scope::with_own_halls(user).sees(tree, Some(hall_id))
}

/// Whether `user` may record (change, delete) a hall's sessions and drills:
/// its team leaders, and admins everywhere.
pub fn may_record(user: &CurrentUser, hall_id: i32) -> bool {
    user.has_role(Role::Admin) || user.scopes(Role::TeamLeader).contains(&hall_id)
}

/// Whether `user` sees halls side by side (supervisors, trainers, admins)
/// rather than only their own hall.
pub fn oversees(user: &CurrentUser) -> bool {
    user.has_any_role(&[Role::Supervisor, Role::Trainer, Role::Admin])
}
