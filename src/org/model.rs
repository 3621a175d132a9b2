//! Org units in the database.

use diesel::prelude::*;
use serde::Serialize;

use super::rules::{Node, UnitKind};
use crate::db::{now, Conn};
use crate::schema::{org_units, users};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = org_units)]
pub struct OrgUnit {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub kind: String,
    pub name: String,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
}

/// A hall with the district/county it lies under, for select boxes and lists.
#[derive(Debug, Clone, Serialize)]
pub struct HallOption {
    pub id: i32,
    pub name: String,
    pub area: String,
    pub active: bool,
}

impl OrgUnit {
    pub fn kind(&self) -> Option<UnitKind> {
        UnitKind::parse_code(&self.kind)
    }

    pub fn node(&self) -> Node {
        Node {
            id: self.id,
            parent_id: self.parent_id,
            kind: self.kind().unwrap_or(UnitKind::Hall),
            name: self.name.clone(),
            active: self.active,
        }
    }
}

impl OrgUnit {
    pub fn all(conn: &mut Conn) -> QueryResult<Vec<OrgUnit>> {
        org_units::table.order(org_units::id).select(OrgUnit::as_select()).load(conn)
    }

    pub fn nodes(conn: &mut Conn) -> QueryResult<Vec<Node>> {
        Ok(Self::all(conn)?.iter().map(OrgUnit::node).collect())
    }

    /// (id, name) of every active hall, by id: what an import matches hall names against.
    pub fn active_halls(conn: &mut Conn) -> QueryResult<Vec<(i32, String)>> {
        Ok(Self::nodes(conn)?
            .into_iter()
            .filter(|n| n.kind == UnitKind::Hall && n.active)
            .map(|n| (n.id, n.name))
            .collect())
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<OrgUnit> {
        org_units::table.find(id).select(OrgUnit::as_select()).first(conn)
    }

    pub fn root(conn: &mut Conn) -> QueryResult<Option<OrgUnit>> {
        org_units::table
            .filter(org_units::parent_id.is_null())
            .filter(org_units::kind.eq(UnitKind::City.code()))
            .select(OrgUnit::as_select())
            .first(conn)
            .optional()
    }

    pub fn insert(conn: &mut Conn, parent_id: Option<i32>, kind: UnitKind, name: &str) -> QueryResult<i32> {
        crate::auth::cache::note_change();
        diesel::insert_into(org_units::table)
            .values((
                org_units::parent_id.eq(parent_id),
                org_units::kind.eq(kind.code()),
                org_units::name.eq(name),
                org_units::active.eq(true),
                org_units::created_at.eq(now()),
            ))
            .returning(org_units::id)
            .get_result(conn)
    }

    pub fn rename(conn: &mut Conn, id: i32, name: &str) -> QueryResult<usize> {
        crate::auth::cache::note_change();
        diesel::update(org_units::table.find(id)).set(org_units::name.eq(name)).execute(conn)
    }

    pub fn set_parent(conn: &mut Conn, id: i32, parent_id: i32) -> QueryResult<usize> {
        crate::auth::cache::note_change();
        diesel::update(org_units::table.find(id)).set(org_units::parent_id.eq(Some(parent_id))).execute(conn)
    }

    pub fn set_active(conn: &mut Conn, id: i32, active: bool) -> QueryResult<usize> {
        crate::auth::cache::note_change();
        diesel::update(org_units::table.find(id)).set(org_units::active.eq(active)).execute(conn)
    }

    /// Active staff whose hall is one of `unit_ids`.
    pub fn active_staff_in(conn: &mut Conn, unit_ids: &[i32]) -> QueryResult<i64> {
        users::table
            .filter(users::active.eq(true))
            .filter(users::hall_id.eq_any(unit_ids))
            .count()
            .get_result(conn)
    }

    /// Every hall with its area name, by area (the city district first) then name.
    pub fn halls(conn: &mut Conn) -> QueryResult<Vec<HallOption>> {
        let units = Self::all(conn)?;
        let mut halls: Vec<(crate::domain::org::AreaRank, HallOption)> = units
            .iter()
            .filter(|u| u.kind() == Some(UnitKind::Hall))
            .map(|h| {
                let area = h.parent_id.and_then(|p| units.iter().find(|u| u.id == p)).map(OrgUnit::node);
                let option = HallOption {
                    id: h.id,
                    name: h.name.clone(),
                    area: area.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
                    active: h.active,
                };
                (crate::domain::org::area_rank(area.as_ref()), option)
            })
            .collect();
        halls.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
        Ok(halls.into_iter().map(|(_, h)| h).collect())
    }
}
