//! What the evaluation asks of people on their home page: questionnaires to
//! fill, ratings to give, appeals to answer. Counts only, cheap to read.

use diesel::prelude::*;

use super::model::{is_closed, Appeal, AppealStatus};
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::domain::{Month, OrgTree, Scope};
use crate::schema::{evaluation_ratings, review360_raters, review360_rounds, role_assignments, users};

/// The 360 questionnaires of open rounds `me` has not answered yet.
pub fn questionnaires_pending(conn: &mut Conn, me: i32) -> QueryResult<i64> {
    review360_raters::table
        .inner_join(review360_rounds::table)
        .filter(review360_rounds::status.eq("open"))
        .filter(review360_raters::rater_id.eq(me))
        .filter(review360_raters::done.eq(false))
        .count()
        .get_result(conn)
}

/// The month's open appeals of people in the supervisor's scope.
pub fn appeals_open(conn: &mut Conn, me: &CurrentUser, month: Month) -> QueryResult<usize> {
    let tree = OrgTree::load(conn)?;
    let scope = Scope::supervising(me);
    let open: Vec<Appeal> =
        Appeal::of_month(conn, month)?.into_iter().filter(|a| a.status() == AppealStatus::Open).collect();
    let ids: Vec<i32> = open.iter().map(|a| a.user_id).collect();
    let halls: Vec<(i32, Option<i32>)> =
        users::table.filter(users::id.eq_any(&ids)).select((users::id, users::hall_id)).load(conn)?;
    Ok(open.iter().filter(|a| halls.iter().any(|(id, h)| *id == a.user_id && scope.sees(&tree, *h))).count())
}

/// (people not rated yet, people evaluated) of a hall for the month; None once it is closed.
pub fn unrated(conn: &mut Conn, hall: i32, month: Month) -> QueryResult<Option<(usize, usize)>> {
    if is_closed(conn, month)? {
        return Ok(None);
    }
    let mut people: Vec<i32> = users::table
        .inner_join(role_assignments::table)
        .filter(users::active.eq(true))
        .filter(users::hall_id.eq(hall))
        .filter(role_assignments::role.eq_any([Role::Clerk.code(), Role::TeamLeader.code()]))
        .select(users::id)
        .distinct()
        .load(conn)?;
    people.sort_unstable();
    people.dedup();
    let rated: Vec<i32> = evaluation_ratings::table
        .filter(evaluation_ratings::month.eq(month))
        .filter(evaluation_ratings::user_id.eq_any(&people))
        .select(evaluation_ratings::user_id)
        .distinct()
        .load(conn)?;
    Ok(Some((people.len() - rated.len().min(people.len()), people.len())))
}
