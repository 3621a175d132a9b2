//! The evaluation pages: the list (supervisors their scope, trainers and
//! admins the city, hall managers their hall), one person's month (theirs,
//! or someone in the viewer's scope), the hall manager's ratings, appeals,
//! schemes and the export.

pub mod appeals;
pub mod pages;
pub mod rate;
pub mod schemes;

use diesel::QueryResult;
use serde::Deserialize;

use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::domain::org::OrgTree;
use crate::domain::{Month, Scope};
use crate::evaluation::scheme::EvalRole;
use crate::web::month::asked_month;
use crate::web::{msg, AppError, AppResult};

/// Who looks, and what they may see or do.
pub struct Viewer {
    pub me: CurrentUser,
    pub tree: OrgTree,
    scope: Scope,
    managed: Vec<i32>,
    pub city: bool,
}

impl Viewer {
    pub fn load(conn: &mut Conn, me: CurrentUser) -> QueryResult<Viewer> {
        let city =
            me.has_any_role(&[Role::Trainer, Role::Admin]) || crate::accounts::User::is_city_wide(conn, &me)?;
        Ok(Viewer {
            tree: OrgTree::load(conn)?,
            scope: Scope::supervising(&me),
            managed: me.scopes(Role::HallManager),
            me,
            city,
        })
    }

    /// Whether the viewer sees the evaluations of a hall's people.
    pub fn sees(&self, hall: i32) -> bool {
        self.scope.sees(&self.tree, Some(hall)) || self.managed.contains(&hall)
    }

    /// Hall managers rate the people of their hall.
    pub fn rates(&self, hall: i32) -> bool {
        self.managed.contains(&hall)
    }

    /// Supervisors (their scope) and admins answer appeals.
    pub fn answers(&self, hall: i32) -> bool {
        self.me.has_any_role(&[Role::Supervisor, Role::Admin]) && self.scope.sees(&self.tree, Some(hall))
    }

    pub fn managed(&self) -> &[i32] {
        &self.managed
    }
}

#[derive(Deserialize)]
pub struct EvalQuery {
    pub month: Option<String>,
    pub role: Option<String>,
    pub sort: Option<String>,
    pub desc: Option<String>,
    /// Only this county (or the district).
    pub area: Option<i32>,
}

/// The asked month, else last month (the month being evaluated).
/// A month still to come has nothing to evaluate.
pub fn month_of(asked: Option<&str>) -> AppResult<Month> {
    let month = asked_month(asked, msg::EVAL_BAD_MONTH)?
        .unwrap_or_else(|| Month::current().previous().unwrap_or_else(Month::current));
    if month > Month::current() {
        return Err(AppError::bad_request(msg::EVAL_FUTURE_MONTH));
    }
    Ok(month)
}

/// A month page's context: no link into the future, and a word when the month is still running.
pub fn context(month: Month) -> tera::Context {
    let mut c = crate::web::month::month_context(month);
    if month >= Month::current() {
        c.insert("next", &None::<Month>);
        c.insert("running", &true);
    }
    c
}

pub fn role_of(asked: Option<&str>) -> EvalRole {
    asked.and_then(EvalRole::parse).unwrap_or(EvalRole::Clerk)
}
