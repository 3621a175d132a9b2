//! The dry run: what an import will create, update and offer for deactivation,
//! computed from the valid rows and a snapshot of the database. Pure.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::rules::{RosterRow, RowError};
use crate::auth::Role;
use crate::org::rules::Node;
use crate::org::UnitKind;
use crate::web::msg;

/// An existing account with a 工号, as the plan needs it.
#[derive(Debug, Clone)]
pub struct ExistingStaff {
    pub id: i32,
    pub username: String,
    pub staff_no: String,
    pub name: String,
    pub phone: Option<String>,
    pub hall_id: Option<i32>,
    pub active: bool,
    pub grants: Vec<(Role, i32)>,
}

#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub nodes: Vec<Node>,
    pub staff: Vec<ExistingStaff>,
    /// User names of accounts without a 工号 (a new 工号 must not collide).
    pub other_usernames: Vec<String>,
}

/// Where a unit named in the file is, or will be.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum UnitRef {
    Existing(i32),
    /// The city root, created by the import when the site is empty.
    NewCity,
    NewArea(String),
    NewHall {
        area: String,
        hall: String,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedUser {
    pub line: usize,
    pub staff_no: String,
    pub name: String,
    pub phone: Option<String>,
    pub hall: Option<UnitRef>,
    pub hall_label: String,
    pub grants: Vec<(Role, UnitRef)>,
    pub roles_label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedUpdate {
    pub id: i32,
    pub user: PlannedUser,
    pub changes: Vec<String>,
    pub reactivate: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MissingStaff {
    pub id: i32,
    pub staff_no: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Plan {
    pub new_city: bool,
    pub new_areas: Vec<(String, UnitKind)>,
    pub new_halls: Vec<(String, String)>,
    pub creates: Vec<PlannedUser>,
    pub updates: Vec<PlannedUpdate>,
    pub unchanged: usize,
    pub missing: Vec<MissingStaff>,
    pub errors: Vec<RowError>,
}

impl Plan {
    /// Whether confirming would write anything (deactivations are optional).
    pub fn has_changes(&self) -> bool {
        self.new_city
            || !self.new_areas.is_empty()
            || !self.new_halls.is_empty()
            || !self.creates.is_empty()
            || !self.updates.is_empty()
    }

    /// A digest of what the admin saw; the commit refuses if the plan changed since.
    pub fn fingerprint(&self) -> String {
        let text = format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            self.new_city,
            self.new_areas,
            self.new_halls,
            self.creates
                .iter()
                .map(|u| (&u.staff_no, &u.name, &u.phone, &u.hall, &u.grants))
                .collect::<Vec<_>>(),
            self.updates.iter().map(|u| (u.id, &u.changes)).collect::<Vec<_>>(),
            self.missing.iter().map(|m| m.id).collect::<Vec<_>>(),
        );
        hex::encode(Sha256::digest(text.as_bytes()))
    }
}

/// Builds the plan for `rows` (already validated) against `snap`; `errors`
/// are the row errors found so far and come back with the unit errors added.
pub fn plan(rows: &[RosterRow], mut errors: Vec<RowError>, snap: &Snapshot) -> Plan {
    let mut p = Plan::default();
    let city = snap.nodes.iter().find(|n| n.kind == UnitKind::City && n.parent_id.is_none());
    let city_ref = match city {
        Some(c) => UnitRef::Existing(c.id),
        None => {
            p.new_city = true;
            UnitRef::NewCity
        }
    };
    // A new area's type may be given on any of its rows: the first one counts.
    let mut new_area_kinds: HashMap<String, (UnitKind, usize)> = HashMap::new();
    for row in rows {
        if let (Some(area), Some(kind)) = (&row.area, row.area_kind) {
            new_area_kinds.entry(area.clone()).or_insert((kind, row.line));
        }
    }
    let mut used_new_areas: BTreeSet<String> = BTreeSet::new();
    let mut new_halls: BTreeSet<(String, String)> = BTreeSet::new();
    let by_staff_no: HashMap<&str, &ExistingStaff> =
        snap.staff.iter().map(|s| (s.staff_no.as_str(), s)).collect();
    let mut in_file = BTreeSet::new();

    for row in rows {
        in_file.insert(row.staff_no.clone());
        let resolved = resolve_units(row, snap, city.map(|c| c.id), &new_area_kinds);
        let (area_ref, hall_ref) = match resolved {
            Ok(refs) => refs,
            Err(message) => {
                errors.push(RowError::new(row.line, message));
                continue;
            }
        };
        if snap.other_usernames.iter().any(|u| u == &row.staff_no)
            && !by_staff_no.contains_key(row.staff_no.as_str())
        {
            errors.push(RowError::new(row.line, msg::staff_no_taken_by_username(&row.staff_no)));
            continue;
        }
        if let Some(UnitRef::NewArea(area)) = &area_ref {
            used_new_areas.insert(area.clone());
        }
        if let Some(UnitRef::NewHall { area, hall }) = &hall_ref {
            new_halls.insert((area.clone(), hall.clone()));
        }
        let grants: Vec<(Role, UnitRef)> = row
            .roles
            .iter()
            .map(|role| {
                let unit = match role {
                    r if r.is_hall_role() => hall_ref.clone().unwrap_or(city_ref.clone()),
                    Role::Supervisor => area_ref.clone().unwrap_or(city_ref.clone()),
                    _ => city_ref.clone(),
                };
                (*role, unit)
            })
            .collect();
        let planned = PlannedUser {
            line: row.line,
            staff_no: row.staff_no.clone(),
            name: row.name.clone(),
            phone: row.phone.clone(),
            hall: hall_ref.clone(),
            hall_label: match (&row.area, &row.hall) {
                (Some(a), Some(h)) => format!("{a} / {h}"),
                (Some(a), None) => a.clone(),
                _ => UnitKind::City.label().into(),
            },
            roles_label: row.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(msg::LIST_SEPARATOR),
            grants,
        };
        match by_staff_no.get(row.staff_no.as_str()) {
            None => p.creates.push(planned),
            Some(existing) => {
                let mut planned = planned;
                if !row.phone_given {
                    planned.phone = existing.phone.clone();
                }
                let changes = describe_changes(existing, &planned, snap);
                if changes.is_empty() {
                    p.unchanged += 1;
                } else {
                    p.updates.push(PlannedUpdate {
                        id: existing.id,
                        reactivate: !existing.active,
                        user: planned,
                        changes,
                    });
                }
            }
        }
    }
    let mut areas: Vec<(String, UnitKind)> = new_area_kinds
        .into_iter()
        .filter(|(name, _)| used_new_areas.contains(name))
        .map(|(n, (k, _))| (n, k))
        .collect();
    areas.sort();
    p.new_areas = areas;
    p.new_halls = new_halls.into_iter().collect();
    // With bad rows, some people in the file are not in `in_file`: listing
    // "missing" staff then would be wrong, and nothing can be confirmed anyway.
    let clean = errors.is_empty();
    p.missing = snap
        .staff
        .iter()
        .filter(|s| clean && s.active && !in_file.contains(&s.staff_no))
        .map(|s| MissingStaff { id: s.id, staff_no: s.staff_no.clone(), name: s.name.clone() })
        .collect();
    errors.sort_by_key(|e| e.line);
    p.errors = errors;
    p
}

type Refs = (Option<UnitRef>, Option<UnitRef>);

/// Finds (or plans) the row's area and hall.
fn resolve_units(
    row: &RosterRow,
    snap: &Snapshot,
    city_id: Option<i32>,
    new_areas: &HashMap<String, (UnitKind, usize)>,
) -> Result<Refs, String> {
    let Some(area_name) = &row.area else {
        return Ok((None, None));
    };
    let existing_area = snap
        .nodes
        .iter()
        .find(|n| n.kind.is_area() && n.name == *area_name && city_id.is_some() && n.parent_id == city_id);
    let area_ref = match existing_area {
        Some(a) if !a.active => return Err(msg::area_inactive(area_name)),
        Some(a) => {
            if let Some(kind) = row.area_kind.filter(|k| *k != a.kind) {
                return Err(msg::area_kind_mismatch(area_name, a.kind.label(), kind.label()));
            }
            UnitRef::Existing(a.id)
        }
        None => {
            let known = new_areas.get(area_name).copied();
            match (row.area_kind, known) {
                (None, None) => return Err(msg::area_needs_kind(area_name)),
                (Some(kind), Some((other, line))) if kind != other => {
                    return Err(msg::area_kind_conflict(area_name, line, other.label(), kind.label()))
                }
                _ => {}
            }
            UnitRef::NewArea(area_name.clone())
        }
    };
    let Some(hall_name) = &row.hall else {
        return Ok((Some(area_ref), None));
    };
    let area_id = match area_ref {
        UnitRef::Existing(id) => Some(id),
        _ => None,
    };
    let same_name: Vec<&Node> =
        snap.nodes.iter().filter(|n| n.kind == UnitKind::Hall && n.name == *hall_name).collect();
    let hall_ref = match same_name.iter().find(|h| area_id.is_some() && h.parent_id == area_id) {
        Some(h) if !h.active => return Err(msg::hall_inactive(hall_name)),
        Some(h) => UnitRef::Existing(h.id),
        None => {
            if let Some(other) = same_name.first() {
                let owner = snap
                    .nodes
                    .iter()
                    .find(|n| Some(n.id) == other.parent_id)
                    .map(|n| n.name.as_str())
                    .unwrap_or("");
                return Err(msg::hall_in_other_area(hall_name, owner, area_name));
            }
            UnitRef::NewHall { area: area_name.clone(), hall: hall_name.clone() }
        }
    };
    Ok((Some(area_ref), Some(hall_ref)))
}

fn unit_name(snap: &Snapshot, id: i32) -> String {
    snap.nodes.iter().find(|n| n.id == id).map(|n| n.name.clone()).unwrap_or_default()
}

/// What would change for an existing person, in words for the dry run.
fn describe_changes(existing: &ExistingStaff, planned: &PlannedUser, snap: &Snapshot) -> Vec<String> {
    let mut changes = Vec::new();
    if !existing.active {
        changes.push(msg::CHANGE_REACTIVATE.to_string());
    }
    if existing.name != planned.name {
        changes.push(msg::change_name(&existing.name, &planned.name));
    }
    if existing.phone != planned.phone {
        let show = |p: &Option<String>| p.clone().unwrap_or_else(|| msg::NONE.into());
        changes.push(msg::change_phone(&show(&existing.phone), &show(&planned.phone)));
    }
    let hall_now = existing.hall_id.map(UnitRef::Existing);
    if hall_now != planned.hall {
        let before = existing.hall_id.map(|h| unit_name(snap, h)).unwrap_or_else(|| msg::NONE.into());
        changes.push(msg::change_hall(&before, &planned.hall_label));
    }
    let mut before: Vec<(Role, UnitRef)> =
        existing.grants.iter().map(|(r, u)| (*r, UnitRef::Existing(*u))).collect();
    let mut after = planned.grants.clone();
    before.sort();
    before.dedup();
    after.sort();
    after.dedup();
    if before != after {
        let labels = |g: &[(Role, UnitRef)]| {
            let mut roles: Vec<&str> = g.iter().map(|(r, _)| r.label()).collect();
            roles.dedup();
            if roles.is_empty() {
                msg::NONE.to_string()
            } else {
                roles.join(msg::LIST_SEPARATOR)
            }
        };
        let (b, a) = (labels(&before), labels(&after));
        if b == a {
            changes.push(msg::change_role_scope(&a));
        } else {
            changes.push(msg::change_roles(&b, &a));
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i32, parent: Option<i32>, kind: UnitKind, name: &str) -> Node {
        Node { id, parent_id: parent, kind, name: name.into(), active: true }
    }

    fn row(
        line: usize,
        staff_no: &str,
        name: &str,
        area: &str,
        kind: Option<UnitKind>,
        hall: &str,
        roles: &[Role],
    ) -> RosterRow {
        RosterRow {
            line,
            staff_no: staff_no.into(),
            name: name.into(),
            area: Some(area.to_string()).filter(|a| !a.is_empty()),
            area_kind: kind,
            hall: Some(hall.to_string()).filter(|h| !h.is_empty()),
            roles: roles.to_vec(),
            phone: None,
            phone_given: true,
        }
    }

    fn snapshot() -> Snapshot {
        Snapshot {
            nodes: vec![
                node(1, None, UnitKind::City, "江州市分公司"),
                node(2, Some(1), UnitKind::County, "青山县分公司"),
                node(3, Some(2), UnitKind::Hall, "青山中心营业厅"),
            ],
            staff: vec![
                ExistingStaff {
                    id: 10,
                    username: "10001".into(),
                    staff_no: "10001".into(),
                    name: "张三".into(),
                    phone: None,
                    hall_id: Some(3),
                    active: true,
                    grants: vec![(Role::Clerk, 3)],
                },
                ExistingStaff {
                    id: 11,
                    username: "10009".into(),
                    staff_no: "10009".into(),
                    name: "离职者".into(),
                    phone: None,
                    hall_id: Some(3),
                    active: true,
                    grants: vec![(Role::Clerk, 3)],
                },
            ],
            other_usernames: vec!["admin".into()],
        }
    }

    #[test]
    fn an_empty_site_gets_its_whole_tree_from_the_file() {
        let rows = vec![
            row(2, "1", "甲", "青山县分公司", Some(UnitKind::County), "青山中心营业厅", &[Role::Clerk]),
            row(3, "2", "乙", "江州市区", Some(UnitKind::District), "人民路营业厅", &[Role::Clerk]),
            row(4, "3", "丙", "", None, "", &[Role::Trainer]),
        ];
        let p = plan(&rows, vec![], &Snapshot::default());
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert!(p.new_city);
        assert_eq!(
            p.new_areas,
            vec![("江州市区".into(), UnitKind::District), ("青山县分公司".into(), UnitKind::County)]
        );
        assert_eq!(p.new_halls.len(), 2);
        assert_eq!(p.creates.len(), 3);
        assert_eq!(p.creates[2].grants, vec![(Role::Trainer, UnitRef::NewCity)]);
    }

    #[test]
    fn unchanged_updated_and_missing_staff() {
        let rows = vec![
            row(2, "10001", "张三", "青山县分公司", None, "青山中心营业厅", &[Role::Clerk]),
            row(3, "10002", "李四", "青山县分公司", None, "青山中心营业厅", &[Role::Clerk, Role::TeamLeader]),
        ];
        let p = plan(&rows, vec![], &snapshot());
        assert!(p.errors.is_empty());
        assert!(!p.new_city && p.new_halls.is_empty());
        assert_eq!((p.unchanged, p.creates.len(), p.updates.len()), (1, 1, 0));
        assert_eq!(p.missing.iter().map(|m| m.id).collect::<Vec<_>>(), vec![11]);

        let rows = vec![row(
            2,
            "10001",
            "张叁",
            "青山县分公司",
            None,
            "青山中心营业厅",
            &[Role::Clerk, Role::TeamLeader],
        )];
        let p = plan(&rows, vec![], &snapshot());
        assert_eq!(p.updates.len(), 1);
        assert_eq!(p.updates[0].changes, vec!["姓名：张三 → 张叁", "角色：营业员 → 营业员、营业班长"]);
    }

    #[test]
    fn a_new_area_type_may_come_on_a_later_row() {
        let rows = vec![
            row(2, "1", "甲", "白河县分公司", None, "白河中心营业厅", &[Role::Clerk]),
            row(3, "2", "乙", "白河县分公司", Some(UnitKind::County), "白河中心营业厅", &[Role::Clerk]),
        ];
        let p = plan(&rows, vec![], &snapshot());
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.new_areas, vec![("白河县分公司".into(), UnitKind::County)]);
        assert_eq!(p.creates.len(), 2);
    }

    #[test]
    fn phones_are_kept_when_the_file_has_no_phone_column() {
        let mut snap = snapshot();
        snap.staff[0].phone = Some("13800138000".into());
        let mut r = row(2, "10001", "张三", "青山县分公司", None, "青山中心营业厅", &[Role::Clerk]);
        r.phone_given = false;
        let p = plan(std::slice::from_ref(&r), vec![], &snap);
        assert_eq!((p.unchanged, p.updates.len()), (1, 0));
        r.phone_given = true;
        let p = plan(&[r], vec![], &snap);
        assert_eq!(p.updates[0].changes, vec!["手机号：13800138000 → （无）"]);
    }

    #[test]
    fn nobody_is_offered_for_deactivation_while_the_file_has_errors() {
        let rows = vec![row(2, "10001", "张三", "青山县分公司", None, "青山中心营业厅", &[Role::Clerk])];
        let p = plan(&rows, vec![RowError::new(3, "工号为空。")], &snapshot());
        assert!(p.missing.is_empty());
        let p = plan(&rows, vec![], &snapshot());
        assert_eq!(p.missing.len(), 1);
    }

    #[test]
    fn unit_problems_are_row_errors() {
        let rows = vec![
            row(2, "1", "甲", "白河县分公司", None, "白河营业厅", &[Role::Clerk]),
            row(3, "2", "乙", "青山县分公司", Some(UnitKind::District), "青山中心营业厅", &[Role::Clerk]),
            row(4, "3", "丙", "江州市区", Some(UnitKind::District), "青山中心营业厅", &[Role::Clerk]),
            row(5, "admin", "丁", "", None, "", &[Role::Trainer]),
        ];
        let p = plan(&rows, vec![], &snapshot());
        let got: Vec<(usize, bool)> = p.errors.iter().map(|e| (e.line, true)).collect();
        assert_eq!(got, vec![(2, true), (3, true), (4, true), (5, true)]);
        assert!(p.errors[0].message.contains("请填写区县类型"));
        assert!(p.errors[1].message.contains("已是县分公司"));
        assert!(p.errors[2].message.contains("属于「青山县分公司」"));
        assert!(p.errors[3].message.contains("用户名相同"));
    }

    #[test]
    fn fingerprint_follows_the_plan() {
        let rows = vec![row(2, "10002", "李四", "青山县分公司", None, "青山中心营业厅", &[Role::Clerk])];
        let a = plan(&rows, vec![], &snapshot());
        let b = plan(&rows, vec![], &snapshot());
        assert_eq!(a.fingerprint(), b.fingerprint());
        let rows = vec![row(2, "10002", "李肆", "青山县分公司", None, "青山中心营业厅", &[Role::Clerk])];
        assert_ne!(a.fingerprint(), plan(&rows, vec![], &snapshot()).fingerprint());
    }
}
