//! Authentication: who is signed in, with which roles, and the login pages.

pub mod cache;
pub mod device;
pub mod login;
pub mod password;
pub mod revoked;
pub mod role;
pub mod routes;
pub mod rules;
pub mod session;
pub mod throttle;

pub use role::Role;

use serde::Serialize;

/// One role held over one org unit.
#[derive(Debug, Clone, Serialize)]
pub struct Grant {
    pub role: Role,
    pub role_label: &'static str,
    pub unit_id: i32,
    pub unit_name: String,
}

/// The signed-in user as every handler sees them (checked on every request,
/// see [`cache`] for how a deactivation or role change takes effect at once).
#[derive(Debug, Clone, Serialize)]
pub struct CurrentUser {
    pub id: i32,
    pub username: String,
    pub staff_no: Option<String>,
    pub name: String,
    pub hall_id: Option<i32>,
    pub hall_name: Option<String>,
    pub grants: Vec<Grant>,
    pub must_change_password: bool,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    pub fn has_any_role(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has_role(*r))
    }

    /// The org units this user holds `role` over.
    pub fn scopes(&self, role: Role) -> Vec<i32> {
        self.grants.iter().filter(|g| g.role == role).map(|g| g.unit_id).collect()
    }
}
