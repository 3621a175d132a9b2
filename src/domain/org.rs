//! The org tree and who may see what in it: the city (市公司), its district
//! and counties (市区 / 县分公司), their halls (营业厅); a person's place in it;
//! an audience (roles in units, plus and minus named people); and the one
//! `Scope` every page asks "may this person see that unit or person".

use std::collections::HashMap;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::schema::org_units;

/// The kind of an org unit, stored as its code (`city`, `district`, `county`, `hall`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    City,
    District,
    County,
    Hall,
}

impl UnitKind {
    pub const ALL: [UnitKind; 4] = [UnitKind::City, UnitKind::District, UnitKind::County, UnitKind::Hall];

    pub fn code(self) -> &'static str {
        match self {
            UnitKind::City => "city",
            UnitKind::District => "district",
            UnitKind::County => "county",
            UnitKind::Hall => "hall",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitKind::City => "市公司",
            UnitKind::District => "市区",
            UnitKind::County => "县分公司",
            UnitKind::Hall => "营业厅",
        }
    }

    pub fn parse_code(code: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The roster's 区县类型 column: 市区 or 县分 (县分公司 accepted too).
    pub fn parse_area_type(text: &str) -> Option<UnitKind> {
        match text.trim() {
            "市区" => Some(UnitKind::District),
            "县分" | "县分公司" | "县" => Some(UnitKind::County),
            _ => None,
        }
    }

    /// Kinds a unit of this kind may be placed under (`None` = it is the root).
    pub fn parent_kinds(self) -> &'static [UnitKind] {
        match self {
            UnitKind::City => &[],
            UnitKind::District | UnitKind::County => &[UnitKind::City],
            UnitKind::Hall => &[UnitKind::District, UnitKind::County],
        }
    }

    pub fn is_area(self) -> bool {
        matches!(self, UnitKind::District | UnitKind::County)
    }
}

/// The part of a unit the rules need.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub kind: UnitKind,
    pub name: String,
    pub active: bool,
}

/// Who an exam is for: staff holding one of the roles in one of the units
/// (or below), plus named people, minus named people.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    pub units: Vec<i32>,
    pub roles: Vec<String>,
    #[serde(default)]
    pub include: Vec<i32>,
    #[serde(default)]
    pub exclude: Vec<i32>,
}

impl Audience {
    /// `ancestry` = the person's hall and every unit above it.
    pub fn contains(&self, user_id: i32, ancestry: &[i32], roles: &[String]) -> bool {
        if self.exclude.contains(&user_id) {
            return false;
        }
        self.include.contains(&user_id)
            || (self.units.iter().any(|u| ancestry.contains(u))
                && self.roles.iter().any(|r| roles.contains(r)))
    }
}

/// A person as the audience rules see them.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: i32,
    pub name: String,
    pub staff_no: Option<String>,
    pub hall_id: Option<i32>,
    pub hall: String,
    pub area_id: Option<i32>,
    pub area: String,
    /// Under a county branch (县分公司), not the city district.
    pub county: bool,
}

/// The one order of areas in every list, print and workbook: the city
/// district first (江州市区), then the counties in the order the roster made
/// them; rows with no area last. Names do not decide it: by code point
/// 临川县 would come before 江州市区.
pub type AreaRank = (bool, i32);

pub fn area_rank(area: Option<&Node>) -> AreaRank {
    area.map_or((true, i32::MAX), |n| (n.kind != UnitKind::District, n.id))
}

/// Rows grouped by a key in the order the keys first appear: rows already in
/// the one order stay in it (a BTreeMap would re-sort them by id or name).
pub fn groups_in_order<T, K: PartialEq>(
    rows: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> K,
) -> Vec<(K, Vec<T>)> {
    let mut groups: Vec<(K, Vec<T>)> = Vec::new();
    for row in rows {
        let k = key(&row);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, members)) => members.push(row),
            None => groups.push((k, vec![row])),
        }
    }
    groups
}

/// The org tree (city → districts/counties → halls), for ancestry and area
/// lookups. Load it once per request and pass it down.
pub struct OrgTree {
    nodes: HashMap<i32, Node>,
}

impl OrgTree {
    pub fn load(conn: &mut Conn) -> QueryResult<OrgTree> {
        Ok(OrgTree::from_nodes(load_nodes(conn)?))
    }

    pub fn from_nodes(nodes: Vec<Node>) -> OrgTree {
        OrgTree { nodes: nodes.into_iter().map(|n| (n.id, n)).collect() }
    }

    pub fn node(&self, id: i32) -> Option<&Node> {
        self.nodes.get(&id)
    }

    /// The unit and every unit above it.
    pub fn ancestry(&self, unit: Option<i32>) -> Vec<i32> {
        let mut out = Vec::new();
        let mut cur = unit;
        while let Some(id) = cur {
            if out.contains(&id) {
                break;
            }
            out.push(id);
            cur = self.nodes.get(&id).and_then(|n| n.parent_id);
        }
        out
    }

    /// The district or county a hall lies under.
    pub fn area_of(&self, unit: Option<i32>) -> Option<&Node> {
        self.ancestry(unit).into_iter().filter_map(|id| self.nodes.get(&id)).find(|n| n.kind.is_area())
    }

    pub fn name(&self, unit: Option<i32>) -> String {
        unit.and_then(|id| self.nodes.get(&id)).map(|n| n.name.clone()).unwrap_or_default()
    }

    /// The active areas in [`area_rank`] order.
    pub fn areas(&self) -> Vec<&Node> {
        let mut areas: Vec<&Node> = self.nodes.values().filter(|n| n.kind.is_area() && n.active).collect();
        areas.sort_by_key(|n| area_rank(Some(n)));
        areas
    }

    /// The active halls, by area in [`area_rank`] order, then name.
    pub fn halls(&self) -> Vec<&Node> {
        let mut halls: Vec<&Node> =
            self.nodes.values().filter(|n| n.kind == UnitKind::Hall && n.active).collect();
        halls.sort_by(|a, b| {
            let rank = |n: &Node| area_rank(self.area_of(Some(n.id)));
            rank(a).cmp(&rank(b)).then_with(|| a.name.cmp(&b.name))
        });
        halls
    }

    /// An area's place in every list (see [`area_rank`]).
    pub fn area_rank(&self, area: Option<i32>) -> AreaRank {
        area_rank(area.and_then(|id| self.nodes.get(&id)))
    }

    pub fn person(&self, id: i32, name: String, staff_no: Option<String>, hall_id: Option<i32>) -> Person {
        let area = self.area_of(hall_id);
        Person {
            id,
            name,
            staff_no,
            hall_id,
            hall: self.name(hall_id),
            area_id: area.map(|a| a.id),
            area: area.map(|a| a.name.clone()).unwrap_or_default(),
            county: area.is_some_and(|a| a.kind == UnitKind::County),
        }
    }
}

crate::stored_as_text!(UnitKind);

fn load_nodes(conn: &mut Conn) -> QueryResult<Vec<Node>> {
    let rows: Vec<(i32, Option<i32>, UnitKind, String, bool)> = org_units::table
        .select((org_units::id, org_units::parent_id, org_units::kind, org_units::name, org_units::active))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, parent_id, kind, name, active)| Node { id, parent_id, kind, name, active })
        .collect())
}

/// Which units a person oversees: one answer to "may this person see that
/// unit or person", instead of a check per feature.
///
/// Trainers and admins see the whole city; a supervisor the units they were
/// granted (a county, or the city) and everything under them; with
/// [`Scope::with_own_halls`] also the halls a person leads or manages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    all: bool,
    units: Vec<i32>,
}

impl Scope {
    /// Everything (the command line, trainers, admins).
    pub fn everything() -> Scope {
        Scope { all: true, units: Vec::new() }
    }

    /// What a user oversees: everything for trainers and admins, the
    /// supervised units for supervisors, nothing otherwise.
    pub fn supervising(user: &CurrentUser) -> Scope {
        Scope { all: user.has_any_role(&[Role::Admin, Role::Trainer]), units: user.scopes(Role::Supervisor) }
    }

    /// [`Scope::supervising`] plus the halls the user leads (班长) or manages (厅经理).
    pub fn with_own_halls(user: &CurrentUser) -> Scope {
        let mut scope = Scope::supervising(user);
        scope.units.extend(user.scopes(Role::TeamLeader));
        scope.units.extend(user.scopes(Role::HallManager));
        scope
    }

    pub fn is_everything(&self) -> bool {
        self.all
    }

    /// Whether a unit with this ancestry (itself first, then up to the city) is in scope.
    pub fn sees_ancestry(&self, ancestry: &[i32]) -> bool {
        self.all || self.units.iter().any(|u| ancestry.contains(u))
    }

    /// Whether a unit (or a person in hall `unit`) is in scope; nobody sees
    /// "no unit" except with the whole city.
    pub fn sees(&self, tree: &OrgTree, unit: Option<i32>) -> bool {
        self.all || (unit.is_some() && self.sees_ancestry(&tree.ancestry(unit)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Grant;

    fn node(id: i32, parent: Option<i32>, kind: UnitKind) -> Node {
        Node { id, parent_id: parent, kind, name: format!("u{id}"), active: true }
    }

    /// City 1; district 2 with hall 4; county 3 with halls 5, 6.
    fn tree() -> OrgTree {
        OrgTree::from_nodes(vec![
            node(1, None, UnitKind::City),
            node(2, Some(1), UnitKind::District),
            node(3, Some(1), UnitKind::County),
            node(4, Some(2), UnitKind::Hall),
            node(5, Some(3), UnitKind::Hall),
            node(6, Some(3), UnitKind::Hall),
        ])
    }

    #[test]
    fn the_city_district_comes_first_however_the_roster_made_the_areas() {
        // 临川 (id 2) before 江州市区 (id 5) by id and by code point; the district leads anyway.
        let named = |id, parent, kind, name: &str| Node { name: name.into(), ..node(id, parent, kind) };
        let t = OrgTree::from_nodes(vec![
            node(1, None, UnitKind::City),
            named(2, Some(1), UnitKind::County, "临川县分公司"),
            named(3, Some(1), UnitKind::County, "青山县分公司"),
            named(5, Some(1), UnitKind::District, "江州市区"),
            node(6, Some(2), UnitKind::Hall),
        ]);
        let names: Vec<&str> = t.areas().iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["江州市区", "临川县分公司", "青山县分公司"]);
        assert!(t.area_rank(Some(5)) < t.area_rank(Some(2)));
        assert!(t.area_rank(Some(3)) < t.area_rank(None), "no area last");
        assert_eq!(t.area_rank(t.area_of(Some(6)).map(|a| a.id)), (true, 2));
    }

    #[test]
    fn groups_keep_the_order_their_rows_come_in() {
        let rows = [("江州市区", 1), ("临川", 2), ("江州市区", 3), ("青山", 4)];
        let groups = groups_in_order(rows, |r| r.0);
        let seen: Vec<(&str, Vec<i32>)> =
            groups.into_iter().map(|(k, rs)| (k, rs.into_iter().map(|r| r.1).collect())).collect();
        assert_eq!(seen, [("江州市区", vec![1, 3]), ("临川", vec![2]), ("青山", vec![4])]);
    }

    fn user(grants: &[(Role, i32)]) -> CurrentUser {
        CurrentUser {
            id: 9,
            username: "u".into(),
            staff_no: None,
            name: "u".into(),
            hall_id: None,
            hall_name: None,
            grants: grants
                .iter()
                .map(|(role, unit_id)| Grant {
                    role: *role,
                    role_label: role.label(),
                    unit_id: *unit_id,
                    unit_name: String::new(),
                })
                .collect(),
            must_change_password: false,
        }
    }

    #[test]
    fn ancestry_areas_and_people() {
        let t = tree();
        assert_eq!(t.ancestry(Some(5)), [5, 3, 1]);
        assert_eq!(t.ancestry(None), Vec::<i32>::new());
        assert_eq!(t.area_of(Some(4)).map(|n| n.id), Some(2));
        let p = t.person(7, "张三".into(), Some("10087".into()), Some(6));
        assert!(p.county && p.area_id == Some(3) && p.hall == "u6");
        assert!(!t.person(8, "李四".into(), None, Some(4)).county);
        assert_eq!(t.areas().iter().map(|n| n.id).collect::<Vec<_>>(), [2, 3]);
    }

    #[test]
    fn scope_answers_who_sees_what() {
        let t = tree();
        // (grants, unit, supervising sees, with own halls sees) — by hand.
        type Case<'a> = (&'a [(Role, i32)], Option<i32>, bool, bool);
        let cases: &[Case] = &[
            (&[(Role::Trainer, 1)], Some(5), true, true),
            (&[(Role::Admin, 1)], None, true, true),
            (&[(Role::Supervisor, 3)], Some(5), true, true),
            (&[(Role::Supervisor, 3)], Some(3), true, true),
            (&[(Role::Supervisor, 3)], Some(4), false, false),
            (&[(Role::Supervisor, 1)], Some(4), true, true),
            (&[(Role::Supervisor, 3)], None, false, false),
            (&[(Role::TeamLeader, 5)], Some(5), false, true),
            (&[(Role::TeamLeader, 5)], Some(6), false, false),
            (&[(Role::HallManager, 4)], Some(4), false, true),
            (&[(Role::Clerk, 4)], Some(4), false, false),
        ];
        for (grants, unit, supervising, with_halls) in cases {
            let u = user(grants);
            assert_eq!(Scope::supervising(&u).sees(&t, *unit), *supervising, "{grants:?} {unit:?}");
            assert_eq!(Scope::with_own_halls(&u).sees(&t, *unit), *with_halls, "{grants:?} {unit:?}");
        }
    }

    #[test]
    fn audience_is_roles_in_units_plus_and_minus_people() {
        let a =
            Audience { units: vec![3], roles: vec!["clerk".into()], include: vec![20], exclude: vec![21] };
        let clerk = ["clerk".to_string()];
        assert!(a.contains(10, &[5, 3, 1], &clerk));
        assert!(!a.contains(10, &[4, 2, 1], &clerk));
        assert!(!a.contains(10, &[5, 3, 1], &["trainer".to_string()]));
        assert!(a.contains(20, &[4, 2, 1], &[]));
        assert!(!a.contains(21, &[5, 3, 1], &clerk));
    }
}
