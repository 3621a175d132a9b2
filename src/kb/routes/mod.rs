//! Knowledge-base pages: the list and search, reading an article (with the
//! reading evidence of a mandatory one), writing and editing, attachments,
//! assigning as mandatory, a clerk's 必读 list and a hall's reminder list.

pub mod assign;
pub mod files;
pub mod list;
pub mod mine;
pub mod read;
pub mod write;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::badge::Badges;
use super::model::{self, Article, Member};
use super::rules::ReadStatus;
use crate::auth::{CurrentUser, Role};
use crate::db::{now, Conn};
use crate::exam::model::Tree;
use crate::web::msg;

/// Trainers and admins manage every article; supervisors assign within their scope.
fn is_editor(user: &CurrentUser) -> bool {
    user.has_any_role(&[Role::Trainer, Role::Admin])
}

/// Staff who oversee others read every article whatever its audience.
fn reads_everything(user: &CurrentUser) -> bool {
    user.has_any_role(&[Role::Trainer, Role::Admin, Role::Supervisor])
}

fn today() -> NaiveDate {
    crate::time::local_date(now())
}

/// The caller's mandatory items (and the nav badge refreshed with them).
pub fn my_items(conn: &mut Conn, me: &CurrentUser, badges: &Badges) -> QueryResult<Vec<model::Item>> {
    let tree = Tree::load(conn)?;
    let member = Member::load(conn, me.id, me.hall_id, &tree)?;
    let items = model::items_of(conn, &member, today())?;
    let unread = items.iter().filter(|i| i.status == ReadStatus::Unread && !i.exempt).count();
    badges.store(me.id, unread);
    Ok(items)
}

/// How far ahead a reading may be due (a year).
pub const DUE_MAX_DAYS: i64 = 366;

/// What is wrong with a due date: more than [`DUE_MAX_DAYS`] ahead, or
/// `missing` when there is none or it has passed.
fn due_error(due: Option<NaiveDate>, missing: &'static str) -> Option<&'static str> {
    match due {
        Some(d) if d > today() + chrono::Duration::days(DUE_MAX_DAYS) => Some(msg::KB_DUE_TOO_FAR),
        Some(d) if d >= today() => None,
        _ => Some(missing),
    }
}

fn articles_find(conn: &mut Conn, id: i32) -> QueryResult<Option<Article>> {
    use crate::schema::articles;
    articles::table.find(id).select(Article::as_select()).first(conn).optional()
}
