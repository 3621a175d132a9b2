//! Org tree rules: which unit may sit under which, moves without cycles, and
//! the tree in display order. Pure functions over plain rows.

use serde::Serialize;

use crate::web::msg;

pub use crate::domain::org::{Node, UnitKind};

/// Checks a unit name: trimmed, 1–40 characters, unique among its siblings.
pub fn check_name(
    nodes: &[Node],
    parent_id: Option<i32>,
    name: &str,
    except: Option<i32>,
) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(msg::UNIT_NAME_EMPTY.into());
    }
    if name.chars().count() > 40 {
        return Err(msg::UNIT_NAME_TOO_LONG.into());
    }
    if nodes.iter().any(|n| n.parent_id == parent_id && n.name == name && Some(n.id) != except) {
        return Err(msg::unit_name_taken(name));
    }
    Ok(name.to_string())
}

/// Checks that a unit of `kind` may be placed under `parent`.
pub fn check_parent(kind: UnitKind, parent: Option<&Node>, nodes: &[Node]) -> Result<(), String> {
    match parent {
        None if kind == UnitKind::City => {
            if nodes.iter().any(|n| n.kind == UnitKind::City) {
                Err(msg::CITY_ALREADY_EXISTS.into())
            } else {
                Ok(())
            }
        }
        None => Err(msg::unit_needs_parent(kind.label())),
        Some(p) if !kind.parent_kinds().contains(&p.kind) => {
            Err(msg::unit_parent_not_allowed(kind.label(), p.kind.label(), &p.name))
        }
        // The page offers only active parents; a hand-made request gets the same rule.
        Some(p) if !p.active => Err(msg::unit_parent_inactive(&p.name)),
        Some(_) => Ok(()),
    }
}

/// Checks a move: the new parent must suit the unit's kind and must not be the
/// unit itself or one of its descendants.
pub fn check_move(nodes: &[Node], unit_id: i32, new_parent_id: i32) -> Result<(), String> {
    let unit = nodes.iter().find(|n| n.id == unit_id).ok_or(msg::UNIT_NOT_FOUND)?;
    let parent = nodes.iter().find(|n| n.id == new_parent_id).ok_or(msg::TARGET_PARENT_NOT_FOUND)?;
    let mut cursor = Some(parent);
    while let Some(node) = cursor {
        if node.id == unit_id {
            return Err(msg::CANNOT_MOVE_UNDER_ITSELF.into());
        }
        cursor = node.parent_id.and_then(|p| nodes.iter().find(|n| n.id == p));
    }
    check_parent(unit.kind, Some(parent), nodes)?;
    check_name(nodes, Some(new_parent_id), &unit.name, Some(unit_id)).map(|_| ())
}

/// A unit with its depth, in display order (each parent followed by its children).
#[derive(Debug, Clone, Serialize)]
pub struct TreeRow {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub name: String,
    pub active: bool,
    pub depth: usize,
}

pub fn tree(nodes: &[Node]) -> Vec<TreeRow> {
    fn walk(nodes: &[Node], parent: Option<i32>, depth: usize, out: &mut Vec<TreeRow>) {
        let mut children: Vec<&Node> = nodes.iter().filter(|n| n.parent_id == parent).collect();
        // Areas in the one order (the city district first, then the counties as
        // the roster made them: `domain::org::area_rank`); halls by name.
        let key = |n: &Node| {
            let rank = if n.kind.is_area() { crate::domain::org::area_rank(Some(n)) } else { (false, 0) };
            (rank, n.name.clone())
        };
        children.sort_by_key(|n| key(n));
        for n in children {
            out.push(TreeRow {
                id: n.id,
                parent_id: n.parent_id,
                kind: n.kind.code(),
                kind_label: n.kind.label(),
                name: n.name.clone(),
                active: n.active,
                depth,
            });
            if depth < 8 {
                walk(nodes, Some(n.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::with_capacity(nodes.len());
    walk(nodes, None, 0, &mut out);
    out
}

/// The ids of a unit and everything under it.
pub fn subtree_ids(nodes: &[Node], root: i32) -> Vec<i32> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let current = out[i];
        out.extend(nodes.iter().filter(|n| n.parent_id == Some(current)).map(|n| n.id));
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i32, parent: Option<i32>, kind: UnitKind, name: &str) -> Node {
        Node { id, parent_id: parent, kind, name: name.into(), active: true }
    }

    #[test]
    fn the_tree_lists_the_district_then_counties_as_made_and_halls_by_name() {
        let nodes = vec![
            node(1, None, UnitKind::City, "江州市分公司"),
            node(2, Some(1), UnitKind::County, "青山县分公司"),
            node(3, Some(1), UnitKind::County, "临川县分公司"),
            node(4, Some(1), UnitKind::District, "江州市区"),
            node(5, Some(2), UnitKind::Hall, "青山中心营业厅"),
            node(6, Some(2), UnitKind::Hall, "青山城东营业厅"),
        ];
        let names: Vec<String> = tree(&nodes).into_iter().map(|r| r.name).collect();
        // 青山 (made first) before 临川; its halls by name (中 U+4E2D before 城 U+57CE).
        assert_eq!(
            names,
            ["江州市分公司", "江州市区", "青山县分公司", "青山中心营业厅", "青山城东营业厅", "临川县分公司"]
        );
    }

    fn city() -> Vec<Node> {
        vec![
            node(1, None, UnitKind::City, "江州市分公司"),
            node(2, Some(1), UnitKind::County, "青山县分公司"),
            node(3, Some(1), UnitKind::District, "江州市区"),
            node(4, Some(2), UnitKind::Hall, "青山中心营业厅"),
            node(5, Some(3), UnitKind::Hall, "人民路营业厅"),
        ]
    }

    #[test]
    fn parents_must_suit_the_kind() {
        let n = city();
        assert!(check_parent(UnitKind::Hall, Some(&n[1]), &n).is_ok());
        assert!(check_parent(UnitKind::Hall, Some(&n[0]), &n).is_err());
        assert!(check_parent(UnitKind::County, Some(&n[3]), &n).is_err());
        assert!(check_parent(UnitKind::City, None, &n).is_err(), "only one city");
        assert!(check_parent(UnitKind::City, None, &[]).is_ok());
        assert!(check_parent(UnitKind::Hall, None, &n).is_err());
    }

    #[test]
    fn moves_refuse_cycles_and_wrong_levels() {
        let n = city();
        assert!(check_move(&n, 4, 3).is_ok(), "hall to another area");
        assert!(check_move(&n, 2, 4).is_err(), "county under its own hall");
        assert!(check_move(&n, 4, 4).is_err(), "under itself");
        assert!(check_move(&n, 4, 1).is_err(), "hall directly under city");
        assert_eq!(check_move(&n, 4, 99), Err(msg::TARGET_PARENT_NOT_FOUND.to_string()));
        assert_eq!(check_move(&n, 99, 3), Err(msg::UNIT_NOT_FOUND.to_string()));
        let mut closed = city();
        closed[2].active = false;
        assert_eq!(check_move(&closed, 4, 3), Err(msg::unit_parent_inactive(&closed[2].name)));
    }

    #[test]
    fn names_are_unique_among_siblings() {
        let n = city();
        assert!(check_name(&n, Some(2), "青山中心营业厅", None).is_err());
        assert!(check_name(&n, Some(3), "青山中心营业厅", None).is_ok());
        assert!(check_name(&n, Some(2), "青山中心营业厅", Some(4)).is_ok(), "renaming to itself");
        assert_eq!(check_name(&n, Some(2), "  新厅 ", None), Ok("新厅".into()));
        assert!(check_name(&n, Some(2), "  ", None).is_err());
    }

    #[test]
    fn tree_lists_district_first_then_children() {
        let rows = tree(&city());
        let names: Vec<_> = rows.iter().map(|r| (r.depth, r.name.as_str())).collect();
        assert_eq!(
            names,
            vec![
                (0, "江州市分公司"),
                (1, "江州市区"),
                (2, "人民路营业厅"),
                (1, "青山县分公司"),
                (2, "青山中心营业厅")
            ]
        );
        let mut sub = subtree_ids(&city(), 2);
        sub.sort();
        assert_eq!(sub, vec![2, 4]);
    }
}
