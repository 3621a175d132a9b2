//! Staff numbers as the exam form names people, to user ids and back.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::Conn;
use crate::schema::users;

/// Staff numbers to the ids of active users; Err lists the unknown numbers.
pub fn resolve_staff(conn: &mut Conn, numbers: &[String]) -> QueryResult<Result<Vec<i32>, Vec<String>>> {
    let found: Vec<(i32, Option<String>)> = users::table
        .filter(users::staff_no.eq_any(numbers))
        .filter(users::active.eq(true))
        .select((users::id, users::staff_no))
        .load(conn)?;
    let missing: Vec<String> = numbers
        .iter()
        .filter(|n| !found.iter().any(|(_, s)| s.as_deref() == Some(n.as_str())))
        .cloned()
        .collect();
    Ok(if missing.is_empty() { Ok(found.into_iter().map(|(id, _)| id).collect()) } else { Err(missing) })
}

/// The staff numbers of users by id.
pub fn staff_numbers(conn: &mut Conn, ids: &[i32]) -> QueryResult<HashMap<i32, Option<String>>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::staff_no))
        .load::<(i32, Option<String>)>(conn)?
        .into_iter()
        .collect())
}
