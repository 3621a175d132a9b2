//! The six roles of DESIGN §2. Stored as short English codes; shown in Chinese.

use serde::{Deserialize, Serialize};

use crate::org::UnitKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Clerk,
    TeamLeader,
    HallManager,
    Trainer,
    Supervisor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Clerk, Role::TeamLeader, Role::HallManager, Role::Trainer, Role::Supervisor, Role::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::TeamLeader => "team_leader",
            Role::HallManager => "hall_manager",
            Role::Trainer => "trainer",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Clerk => "营业员",
            Role::TeamLeader => "营业班长",
            Role::HallManager => "厅经理",
            Role::Trainer => "培训师",
            Role::Supervisor => "主管",
            Role::Admin => "管理员",
        }
    }

    pub fn parse_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn parse_label(label: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.label() == label.trim())
    }

    /// The kinds of org unit a grant of this role may be scoped to.
    pub fn scope_kinds(self) -> &'static [UnitKind] {
        match self {
            Role::Clerk | Role::TeamLeader | Role::HallManager => &[UnitKind::Hall],
            Role::Supervisor => &[UnitKind::County, UnitKind::District, UnitKind::City],
            Role::Trainer | Role::Admin => &[UnitKind::City],
        }
    }

    /// Hall roles: a person holding one belongs to that hall.
    pub fn is_hall_role(self) -> bool {
        self.scope_kinds() == [UnitKind::Hall]
    }
}

/// Every role with its code and label, for select boxes.
pub fn role_options() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.code(), r.label())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse_code(role.code()), Some(role));
            assert_eq!(Role::parse_label(role.label()), Some(role));
        }
        assert_eq!(Role::parse_label(" 营业班长 "), Some(Role::TeamLeader));
        assert_eq!(Role::parse_label("店长"), None);
    }

    #[test]
    fn scopes_follow_the_org_levels() {
        assert!(Role::Clerk.is_hall_role());
        assert!(!Role::Supervisor.is_hall_role());
        assert!(Role::Supervisor.scope_kinds().contains(&UnitKind::County));
        assert_eq!(Role::Admin.scope_kinds(), &[UnitKind::City]);
    }
}
