//! 纠错单: a city or cross inspection's failed items sent to the hall's
//! county to rectify by a due date; the hall replies (what was done, photos),
//! the inspector or the city office closes it or returns it with a reason.
//! Every step is an event on the order (its history) and a line in the audit log.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::model::Inspection;
use crate::db::Conn;
use crate::schema::{correction_orders, defects, order_events, users};

/// Where an order stands.
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
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Issued; the hall has not replied.
    Open,
    /// The hall replied; the inspector or city office decides.
    Replied,
    /// Sent back with a reason; the hall must reply again.
    Returned,
    Closed,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Open, Status::Replied, Status::Returned, Status::Closed];

    pub fn code(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Replied => "replied",
            Status::Returned => "returned",
            Status::Closed => "closed",
        }
    }

    pub fn parse_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        use crate::web::msg;
        match self {
            Status::Open => msg::ORDER_OPEN,
            Status::Replied => msg::ORDER_REPLIED,
            Status::Returned => msg::ORDER_RETURNED,
            Status::Closed => msg::ORDER_CLOSED,
        }
    }

    /// Waiting on the hall (so it can be overdue).
    pub fn awaits_hall(self) -> bool {
        matches!(self, Status::Open | Status::Returned)
    }
}

crate::stored_as_text!(Status);

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = correction_orders)]
pub struct Order {
    pub id: i32,
    pub inspection_id: i32,
    pub hall_id: i32,
    pub manager_id: Option<i32>,
    pub due_date: NaiveDate,
    pub status: Status,
    pub issued_by: i32,
    pub issued_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: i32,
    pub action: String,
    pub actor: String,
    pub note: String,
    pub at: NaiveDateTime,
}

impl Order {
    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Order> {
        correction_orders::table.find(id).select(Order::as_select()).first(conn)
    }

    pub fn of_inspection(conn: &mut Conn, inspection: i32) -> QueryResult<Option<Order>> {
        correction_orders::table
            .filter(correction_orders::inspection_id.eq(inspection))
            .select(Order::as_select())
            .first(conn)
            .optional()
    }

    /// The inspection behind the order a reply event belongs to (who may see its photos).
    pub fn inspection_of_event(conn: &mut Conn, event: i32) -> QueryResult<Inspection> {
        let order: i32 = order_events::table.find(event).select(order_events::order_id).first(conn)?;
        let inspection = Order::find(conn, order)?.inspection_id;
        Inspection::find(conn, inspection)
    }

    pub fn all(conn: &mut Conn) -> QueryResult<Vec<Order>> {
        correction_orders::table.order(correction_orders::id.desc()).select(Order::as_select()).load(conn)
    }

    /// Issues an order for a submitted inspection's failed items: its open
    /// defects are tied to the order.
    pub fn issue(
        conn: &mut Conn,
        inspection: &Inspection,
        manager: Option<i32>,
        due: NaiveDate,
        note: &str,
        by: i32,
        now: NaiveDateTime,
    ) -> QueryResult<Order> {
        let id: i32 = diesel::insert_into(correction_orders::table)
            .values((
                correction_orders::inspection_id.eq(inspection.id),
                correction_orders::hall_id.eq(inspection.hall_id),
                correction_orders::manager_id.eq(manager),
                correction_orders::due_date.eq(due),
                correction_orders::status.eq(Status::Open),
                correction_orders::issued_by.eq(by),
                correction_orders::issued_at.eq(now),
            ))
            .returning(correction_orders::id)
            .get_result(conn)?;
        let order = Order::find(conn, id)?;
        diesel::update(defects::table.filter(defects::inspection_id.eq(inspection.id)))
            .set(defects::order_id.eq(Some(order.id)))
            .execute(conn)?;
        Order::event(conn, order.id, "issued", by, note, now)?;
        Ok(order)
    }

    /// Moves the order to `status` with an event; closing also closes its defects.
    pub fn step(
        conn: &mut Conn,
        id: i32,
        status: Status,
        action: &str,
        by: i32,
        note: &str,
        now: NaiveDateTime,
    ) -> QueryResult<i32> {
        let closed = (status == Status::Closed).then_some(now);
        diesel::update(correction_orders::table.find(id))
            .set((correction_orders::status.eq(status), correction_orders::closed_at.eq(closed)))
            .execute(conn)?;
        if status == Status::Closed {
            diesel::update(
                defects::table.filter(defects::order_id.eq(id)).filter(defects::closed_at.is_null()),
            )
            .set(defects::closed_at.eq(Some(now)))
            .execute(conn)?;
        }
        Order::event(conn, id, action, by, note, now)
    }

    fn event(
        conn: &mut Conn,
        order: i32,
        action: &str,
        by: i32,
        note: &str,
        now: NaiveDateTime,
    ) -> QueryResult<i32> {
        diesel::insert_into(order_events::table)
            .values((
                order_events::order_id.eq(order),
                order_events::action.eq(action),
                order_events::actor_id.eq(by),
                order_events::note.eq(note),
                order_events::at.eq(now),
            ))
            .returning(order_events::id)
            .get_result(conn)
    }

    pub fn events(conn: &mut Conn, order: i32) -> QueryResult<Vec<Event>> {
        let rows: Vec<(i32, String, String, String, NaiveDateTime)> = order_events::table
            .inner_join(users::table.on(users::id.eq(order_events::actor_id)))
            .filter(order_events::order_id.eq(order))
            .order(order_events::id)
            .select((
                order_events::id,
                order_events::action,
                users::name,
                order_events::note,
                order_events::at,
            ))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(id, action, actor, note, at)| Event { id, action, actor, note, at })
            .collect())
    }
}
