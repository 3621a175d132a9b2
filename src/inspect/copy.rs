//! `copy-db` for the inspection tables: whole rows, ids included, parents first.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::Conn;
use crate::schema::{
    correction_orders, defects, inspection_assignments, inspection_photos, inspection_results,
    inspection_rounds, inspection_standards, inspections, order_events,
};

macro_rules! row {
    ($name:ident, $table:ident { $($field:ident: $ty:ty),* $(,)? }) => {
        #[derive(Queryable, Selectable, Insertable)]
        #[diesel(table_name = $table)]
        struct $name { $($field: $ty),* }
    };
}

row!(StandardRow, inspection_standards { id: i32, version: i32, body: String, note: String, created_by: Option<i32>, created_at: NaiveDateTime });
row!(RoundRow, inspection_rounds { id: i32, kind: String, month: String, status: String, created_by: Option<i32>, created_at: NaiveDateTime, published_at: Option<NaiveDateTime> });
row!(AssignmentRow, inspection_assignments { id: i32, round_id: i32, hall_id: i32, inspector_id: Option<i32> });
row!(InspectionRow, inspections {
    id: i32, kind: String, hall_id: i32, inspector_id: i32, standard_id: i32, assignment_id: Option<i32>,
    day: chrono::NaiveDate, month: String, queue_minutes: Option<i32>, queue_waiting: Option<i32>,
    score: Option<i32>, zero_hits: i32, started_at: NaiveDateTime, submitted_at: Option<NaiveDateTime>,
});
row!(
    ResultRow,
    inspection_results {
        id: i32,
        inspection_id: i32,
        item_code: String,
        outcome: String,
        note: String,
        updated_at: NaiveDateTime
    }
);
row!(OrderRow, correction_orders {
    id: i32, inspection_id: i32, hall_id: i32, manager_id: Option<i32>, due_date: chrono::NaiveDate, status: String,
    issued_by: i32, issued_at: NaiveDateTime, closed_at: Option<NaiveDateTime>,
});
row!(DefectRow, defects {
    id: i32, hall_id: i32, inspection_id: i32, item_code: String, item_name: String, section: String, note: String,
    opened_at: NaiveDateTime, closed_at: Option<NaiveDateTime>, order_id: Option<i32>,
});
row!(
    EventRow,
    order_events { id: i32, order_id: i32, action: String, actor_id: i32, note: String, at: NaiveDateTime }
);
row!(PhotoRow, inspection_photos {
    id: i32, inspection_id: Option<i32>, item_code: String, event_id: Option<i32>, mime: String, bytes: Vec<u8>,
    thumb: Vec<u8>, uploaded_by: i32, created_at: NaiveDateTime,
});

macro_rules! copy_table {
    ($from:expr, $to:expr, $row:ident, $table:ident) => {
        for row in $table::table.order($table::id).select($row::as_select()).load($from)? {
            diesel::insert_into($table::table).values(&row).execute($to)?;
        }
    };
}

pub fn copy(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    copy_table!(from, to, StandardRow, inspection_standards);
    copy_table!(from, to, RoundRow, inspection_rounds);
    copy_table!(from, to, AssignmentRow, inspection_assignments);
    copy_table!(from, to, InspectionRow, inspections);
    copy_table!(from, to, ResultRow, inspection_results);
    copy_table!(from, to, OrderRow, correction_orders);
    copy_table!(from, to, DefectRow, defects);
    copy_table!(from, to, EventRow, order_events);
    copy_table!(from, to, PhotoRow, inspection_photos);
    Ok(())
}
