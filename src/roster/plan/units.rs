//! The plan's look-ups: a row's area and hall (existing or to be made), and
//! what would change for a person already on the staff.

use std::collections::HashMap;

use super::{ExistingStaff, PlannedUser, Snapshot, UnitRef};
use crate::auth::Role;
use crate::org::rules::Node;
use crate::org::UnitKind;
use crate::roster::rules::RosterRow;
use crate::web::msg;

pub(super) type Refs = (Option<UnitRef>, Option<UnitRef>);

/// Finds (or plans) the row's area and hall.
pub(super) fn resolve_units(
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
pub(super) fn describe_changes(
    existing: &ExistingStaff,
    planned: &PlannedUser,
    snap: &Snapshot,
) -> Vec<String> {
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
