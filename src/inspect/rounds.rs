//! A month's plan of visits: the city's spot checks (N halls, those not
//! visited recently preferred) and a cross-inspection round (county team
//! leaders to halls of other counties). A draft is adjusted, then published;
//! only then do its inspectors see their assignments.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::model::Kind;
use super::rules::assign::{self, Hall, Inspector};
use crate::auth::Role;
use crate::db::Conn;
use crate::domain::org::{OrgTree, UnitKind};
use crate::domain::Month;
use crate::schema::{inspection_assignments, inspection_rounds, inspections, role_assignments, users};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = inspection_rounds)]
pub struct Round {
    pub id: i32,
    pub kind: Kind,
    pub month: Month,
    pub status: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = inspection_assignments)]
pub struct Assignment {
    pub id: i32,
    pub round_id: i32,
    pub hall_id: i32,
    pub inspector_id: Option<i32>,
}

pub const DRAFT: &str = "draft";
pub const PUBLISHED: &str = "published";

impl Round {
    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Round> {
        inspection_rounds::table.find(id).select(Round::as_select()).first(conn)
    }

    /// The month's round of a kind (the newest, if a draft was redrawn).
    pub fn of_month(conn: &mut Conn, kind: Kind, month: Month) -> QueryResult<Option<Round>> {
        inspection_rounds::table
            .filter(inspection_rounds::kind.eq(kind))
            .filter(inspection_rounds::month.eq(month))
            .order(inspection_rounds::id.desc())
            .select(Round::as_select())
            .first(conn)
            .optional()
    }

    pub fn assignments(&self, conn: &mut Conn) -> QueryResult<Vec<Assignment>> {
        inspection_assignments::table
            .filter(inspection_assignments::round_id.eq(self.id))
            .order(inspection_assignments::id)
            .select(Assignment::as_select())
            .load(conn)
    }

    pub fn is_draft(&self) -> bool {
        self.status == DRAFT
    }

    /// Makes a draft round of (hall, inspector) pairs, replacing the month's
    /// draft of that kind (a published round stays).
    pub fn create(
        conn: &mut Conn,
        kind: Kind,
        month: Month,
        pairs: &[(i32, Option<i32>)],
        by: i32,
        now: NaiveDateTime,
    ) -> QueryResult<Round> {
        if let Some(old) = Round::of_month(conn, kind, month)?.filter(Round::is_draft) {
            diesel::delete(inspection_assignments::table.filter(inspection_assignments::round_id.eq(old.id)))
                .execute(conn)?;
            diesel::delete(inspection_rounds::table.find(old.id)).execute(conn)?;
        }
        let id: i32 = diesel::insert_into(inspection_rounds::table)
            .values((
                inspection_rounds::kind.eq(kind),
                inspection_rounds::month.eq(month),
                inspection_rounds::status.eq(DRAFT),
                inspection_rounds::created_by.eq(Some(by)),
                inspection_rounds::created_at.eq(now),
            ))
            .returning(inspection_rounds::id)
            .get_result(conn)?;
        for (hall, inspector) in pairs {
            diesel::insert_into(inspection_assignments::table)
                .values((
                    inspection_assignments::round_id.eq(id),
                    inspection_assignments::hall_id.eq(hall),
                    inspection_assignments::inspector_id.eq(inspector),
                ))
                .execute(conn)?;
        }
        Round::find(conn, id)
    }

    pub fn publish(conn: &mut Conn, id: i32, now: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(inspection_rounds::table.find(id))
            .set((inspection_rounds::status.eq(PUBLISHED), inspection_rounds::published_at.eq(Some(now))))
            .execute(conn)
    }
}

impl Assignment {
    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Assignment> {
        inspection_assignments::table.find(id).select(Assignment::as_select()).first(conn)
    }

    pub fn set_inspector(conn: &mut Conn, id: i32, inspector: Option<i32>) -> QueryResult<usize> {
        diesel::update(inspection_assignments::table.find(id))
            .set(inspection_assignments::inspector_id.eq(inspector))
            .execute(conn)
    }

    /// The inspection made for this assignment, if any.
    pub fn inspection(&self, conn: &mut Conn) -> QueryResult<Option<i32>> {
        inspections::table
            .filter(inspections::assignment_id.eq(self.id))
            .select(inspections::id)
            .first(conn)
            .optional()
    }

    /// Published assignments this person may start: cross visits named to
    /// them; spot checks for the city office (named to them or to nobody).
    /// A round of a later month waits for its month.
    pub fn open_for(conn: &mut Conn, me: i32, city: bool) -> QueryResult<Vec<(Assignment, Kind, Month)>> {
        let this = Month::of_date(crate::time::local_date(crate::db::now()));
        let rows: Vec<(Assignment, Kind, Month)> = inspection_assignments::table
            .inner_join(inspection_rounds::table)
            .filter(inspection_rounds::status.eq(PUBLISHED))
            .filter(inspection_rounds::month.le(this))
            .select((Assignment::as_select(), inspection_rounds::kind, inspection_rounds::month))
            .load(conn)?;
        let mut out = Vec::new();
        for (a, kind, month) in rows {
            let mine = match kind {
                Kind::Cross => a.inspector_id == Some(me),
                Kind::Spot => city && a.inspector_id.is_none_or(|i| i == me),
                Kind::Daily => false,
            };
            if mine && a.inspection(conn)?.is_none() {
                out.push((a, kind, month));
            }
        }
        Ok(out)
    }
}

/// Every active hall with its area and the days since the city last spot-checked it.
pub fn halls_for_spot(conn: &mut Conn, tree: &OrgTree, today: chrono::NaiveDate) -> QueryResult<Vec<Hall>> {
    let visits: Vec<(i32, Option<chrono::NaiveDate>)> = inspections::table
        .filter(inspections::kind.eq(Kind::Spot))
        .group_by(inspections::hall_id)
        .select((inspections::hall_id, diesel::dsl::max(inspections::day)))
        .load(conn)?;
    Ok(tree
        .halls()
        .into_iter()
        .map(|h| Hall {
            id: h.id,
            area: tree.area_of(Some(h.id)).map_or(0, |a| a.id),
            days_since_visit: visits
                .iter()
                .find(|(hall, _)| *hall == h.id)
                .and_then(|(_, d)| *d)
                .map(|d| (today - d).num_days()),
        })
        .collect())
}

/// The county team leaders who may cross-inspect, each with their county.
pub fn county_leaders(conn: &mut Conn, tree: &OrgTree) -> QueryResult<Vec<Inspector>> {
    let rows: Vec<(i32, i32)> = role_assignments::table
        .inner_join(users::table)
        .filter(role_assignments::role.eq(Role::TeamLeader.code()))
        .filter(users::active.eq(true))
        .select((users::id, role_assignments::org_unit_id))
        .load(conn)?;
    let mut out: Vec<Inspector> = rows
        .into_iter()
        .filter_map(|(id, unit)| {
            let area = tree.area_of(Some(unit))?;
            (area.kind == UnitKind::County).then_some(Inspector { id, area: area.id })
        })
        .collect();
    out.sort_by_key(|i| i.id);
    out.dedup_by_key(|i| i.id);
    Ok(out)
}

/// A new seed for a draw: the clock's nanoseconds (a redraw is a new draw).
pub fn seed(now: NaiveDateTime) -> u64 {
    now.and_utc().timestamp_nanos_opt().unwrap_or_default() as u64 ^ rand::random::<u64>()
}

/// The spot-check proposal for a month.
pub fn propose_spot(conn: &mut Conn, tree: &OrgTree, n: usize, now: NaiveDateTime) -> QueryResult<Vec<i32>> {
    let halls = halls_for_spot(conn, tree, crate::time::local_date(now))?;
    Ok(assign::propose_spot(&halls, n, seed(now)))
}
