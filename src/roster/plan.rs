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

#[cfg(test)]
mod tests;
mod units;

use units::{describe_changes, resolve_units};

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
    /// Changes to check one by one before confirming: a new name (the wrong
    /// 工号 on a row, or a template's sample left in) or a role taken away.
    pub alarms: Vec<String>,
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
/// What in an update must be checked by a person: a changed name, roles removed.
fn alarms(existing: &ExistingStaff, planned: &PlannedUser) -> Vec<String> {
    let mut alarms = Vec::new();
    if existing.name != planned.name {
        alarms.push(msg::roster_alarm_rename(&existing.staff_no, &existing.name, &planned.name));
    }
    let kept: BTreeSet<Role> = planned.grants.iter().map(|(r, _)| *r).collect();
    let mut removed: Vec<&str> =
        existing.grants.iter().filter(|(r, _)| !kept.contains(r)).map(|(r, _)| r.label()).collect();
    removed.dedup();
    if existing.active && !removed.is_empty() {
        alarms.push(msg::roster_alarm_roles_removed(&existing.name, &removed.join(msg::LIST_SEPARATOR)));
    }
    alarms
}

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
        in_file.insert(row.staff_no.to_string());
        let resolved = resolve_units(row, snap, city.map(|c| c.id), &new_area_kinds);
        let (area_ref, hall_ref) = match resolved {
            Ok(refs) => refs,
            Err(message) => {
                errors.push(RowError::new(row.line, message));
                continue;
            }
        };
        if snap.other_usernames.iter().any(|u| u == row.staff_no.as_str())
            && !by_staff_no.contains_key(row.staff_no.as_str())
        {
            errors.push(RowError::new(row.line, msg::staff_no_taken_by_username(row.staff_no.as_str())));
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
            staff_no: row.staff_no.to_string(),
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
                        alarms: alarms(existing, &planned),
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
