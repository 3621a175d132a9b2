//! Proctored sittings: a room with a code that starts in-person attempts.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::SittingStatus;
use crate::db::{now, Conn};
use crate::schema::sittings;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = sittings)]
pub struct Sitting {
    pub id: i32,
    pub exam_id: i32,
    pub room: String,
    pub code: String,
    pub starts_at: NaiveDateTime,
    pub status: SittingStatus,
    pub opened_by: Option<i32>,
    pub opened_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

impl Sitting {
    pub fn for_exam(conn: &mut Conn, exam_id: i32) -> QueryResult<Vec<Sitting>> {
        sittings::table
            .filter(sittings::exam_id.eq(exam_id))
            .order(sittings::id.desc())
            .select(Sitting::as_select())
            .load(conn)
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Sitting> {
        sittings::table.find(id).select(Sitting::as_select()).first(conn)
    }

    /// The open sitting of this exam with this code (codes compare without case or spaces).
    pub fn open_with_code(conn: &mut Conn, exam_id: i32, code: &str) -> QueryResult<Option<Sitting>> {
        let code = code.trim().to_uppercase();
        if code.is_empty() {
            return Ok(None);
        }
        sittings::table
            .filter(sittings::exam_id.eq(exam_id))
            .filter(sittings::status.eq(SittingStatus::Open))
            .filter(sittings::code.eq(code))
            .select(Sitting::as_select())
            .first(conn)
            .optional()
    }

    pub fn open(
        conn: &mut Conn,
        exam_id: i32,
        room: &str,
        starts_at: NaiveDateTime,
        by: i32,
    ) -> QueryResult<i32> {
        diesel::insert_into(sittings::table)
            .values((
                sittings::exam_id.eq(exam_id),
                sittings::room.eq(room),
                sittings::code.eq(new_code()),
                sittings::starts_at.eq(starts_at),
                sittings::status.eq(SittingStatus::Open),
                sittings::opened_by.eq(by),
                sittings::opened_at.eq(now()),
            ))
            .returning(sittings::id)
            .get_result(conn)
    }

    pub fn close(conn: &mut Conn, id: i32) -> QueryResult<usize> {
        diesel::update(sittings::table.find(id))
            .set((sittings::status.eq(SittingStatus::Closed), sittings::closed_at.eq(now())))
            .execute(conn)
    }
}

/// Six characters from an alphabet without look-alikes (no 0/O, 1/I/L).
fn new_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    (0..6).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}
