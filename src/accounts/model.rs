//! Users and role assignments in the database.

use diesel::prelude::*;
use serde::Serialize;

use crate::auth::Role;
use crate::db::{lower, now, Conn};
use crate::org::rules::subtree_ids;
use crate::org::OrgUnit;
use crate::schema::{org_units, role_assignments, users};
use crate::web::pagination::Pager;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub username: String,
    pub staff_no: Option<String>,
    pub name: String,
    pub phone: Option<String>,
    pub hall_id: Option<i32>,
    pub active: bool,
    #[serde(skip)]
    pub password_hash: String,
    pub must_change_password: bool,
    pub session_epoch: i32,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
    pub last_login_at: Option<chrono::NaiveDateTime>,
}

/// A new account. The password hash may be shared by a whole import (one
/// initial password), so it is hashed once by the caller.
pub struct NewUser<'a> {
    pub username: &'a str,
    pub staff_no: Option<&'a str>,
    pub name: &'a str,
    pub phone: Option<&'a str>,
    pub hall_id: Option<i32>,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

/// One role grant with its scope's name.
#[derive(Debug, Clone, Serialize)]
pub struct GrantRow {
    pub id: i32,
    pub role: String,
    pub unit_id: i32,
    pub unit_name: String,
    pub unit_kind: String,
}

/// Filters of the account list.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub q: Option<String>,
    /// A hall, or a district/county (everyone in its halls).
    pub unit_id: Option<i32>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

/// A person as an import file names them: by 工号 and name.
#[derive(Debug, Clone, Default)]
pub struct StaffRef {
    pub id: i32,
    /// 工号 (or the login when there is none).
    pub staff_no: String,
    pub name: String,
    pub hall_id: Option<i32>,
    pub active: bool,
}

impl User {
    /// Names of users by id (for "who did it" columns).
    pub fn names(conn: &mut Conn, ids: &[i32]) -> QueryResult<std::collections::HashMap<i32, String>> {
        Ok(users::table
            .filter(users::id.eq_any(ids))
            .select((users::id, users::name))
            .load::<(i32, String)>(conn)?
            .into_iter()
            .collect())
    }

    /// Everyone, as an import file names them.
    pub fn staff_refs(conn: &mut Conn) -> QueryResult<Vec<StaffRef>> {
        type Row = (i32, String, Option<String>, String, Option<i32>, bool);
        Ok(users::table
            .select((users::id, users::username, users::staff_no, users::name, users::hall_id, users::active))
            .load::<Row>(conn)?
            .into_iter()
            .map(|(id, login, staff_no, name, hall_id, active)| StaffRef {
                id,
                staff_no: staff_no.unwrap_or(login),
                name,
                hall_id,
                active,
            })
            .collect())
    }

    /// Whether `me` speaks for the whole city — an admin, or a supervisor
    /// over the root unit: closing a month freezes every county's figures.
    pub fn is_city_wide(conn: &mut Conn, me: &crate::auth::CurrentUser) -> QueryResult<bool> {
        if me.has_role(Role::Admin) {
            return Ok(true);
        }
        let root = OrgUnit::root(conn)?.map(|u| u.id);
        Ok(root.is_some_and(|r| me.scopes(Role::Supervisor).contains(&r)))
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<User> {
        users::table.find(id).select(User::as_select()).first(conn)
    }

    /// Finds an account by user name or 工号 (clerks log in with their 工号).
    pub fn find_by_login(conn: &mut Conn, login: &str) -> QueryResult<Option<User>> {
        users::table
            .filter(users::username.eq(login).or(users::staff_no.eq(login)))
            .select(User::as_select())
            .first(conn)
            .optional()
    }

    pub fn insert(conn: &mut Conn, new: &NewUser) -> QueryResult<i32> {
        crate::auth::cache::note_change();
        let at = now();
        diesel::insert_into(users::table)
            .values((
                users::username.eq(new.username),
                users::staff_no.eq(new.staff_no),
                users::name.eq(new.name),
                users::phone.eq(new.phone),
                users::hall_id.eq(new.hall_id),
                users::active.eq(true),
                users::password_hash.eq(new.password_hash),
                users::must_change_password.eq(new.must_change_password),
                users::session_epoch.eq(0),
                users::created_at.eq(at),
                users::updated_at.eq(at),
            ))
            .returning(users::id)
            .get_result(conn)
    }

    /// Sets a new password; other sessions of the account end (epoch bump).
    pub fn set_password(conn: &mut Conn, id: i32, hash: &str, must_change: bool) -> QueryResult<i32> {
        crate::auth::cache::note_change();
        diesel::update(users::table.find(id))
            .set((
                users::password_hash.eq(hash),
                users::must_change_password.eq(must_change),
                users::session_epoch.eq(users::session_epoch + 1),
                users::updated_at.eq(now()),
            ))
            .returning(users::session_epoch)
            .get_result(conn)
    }

    pub fn set_active(conn: &mut Conn, id: i32, active: bool) -> QueryResult<usize> {
        crate::auth::cache::note_change();
        diesel::update(users::table.find(id))
            .set((
                users::active.eq(active),
                users::session_epoch.eq(users::session_epoch + 1),
                users::updated_at.eq(now()),
            ))
            .execute(conn)
    }

    pub fn update_profile(
        conn: &mut Conn,
        id: i32,
        name: &str,
        phone: Option<&str>,
        hall_id: Option<i32>,
    ) -> QueryResult<usize> {
        crate::auth::cache::note_change();
        diesel::update(users::table.find(id))
            .set((
                users::name.eq(name),
                users::phone.eq(phone),
                users::hall_id.eq(hall_id),
                users::updated_at.eq(now()),
            ))
            .execute(conn)
    }

    pub fn touch_login(conn: &mut Conn, id: i32) -> QueryResult<usize> {
        diesel::update(users::table.find(id)).set(users::last_login_at.eq(Some(now()))).execute(conn)
    }

    pub fn count_all(conn: &mut Conn) -> QueryResult<i64> {
        users::table.count().get_result(conn)
    }

    /// One page of accounts matching `filter`, and the total count.
    /// One page (1-based, 50 per page) of accounts matching `filter`.
    pub fn search(
        conn: &mut Conn,
        filter: &UserFilter,
        page: Option<i64>,
    ) -> QueryResult<(Vec<User>, Pager)> {
        let halls = match filter.unit_id {
            Some(unit) => Some(subtree_ids(&OrgUnit::nodes(conn)?, unit)),
            None => None,
        };
        let build = || {
            let mut query = users::table.into_boxed();
            if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
                let pattern = format!("%{}%", q.to_lowercase().replace(['%', '_'], ""));
                query = query.filter(
                    users::name
                        .like(pattern.clone())
                        .or(lower(users::username).like(pattern.clone()))
                        .or(users::staff_no.like(pattern)),
                );
            }
            if let Some(halls) = &halls {
                query = query.filter(users::hall_id.eq_any(halls.clone()));
            }
            if let Some(role) = filter.role {
                query = query.filter(
                    users::id.eq_any(
                        role_assignments::table
                            .filter(role_assignments::role.eq(role.code()))
                            .select(role_assignments::user_id),
                    ),
                );
            }
            if let Some(active) = filter.active {
                query = query.filter(users::active.eq(active));
            }
            query
        };
        let pager = Pager::new(page, 50, build().count().get_result(conn)?);
        let rows = build()
            // Accounts without a 工号 last, on both backends (they sort NULL differently).
            .order((users::staff_no.is_null().asc(), users::staff_no.asc(), users::id.asc()))
            .limit(pager.per_page)
            .offset(pager.offset())
            .select(User::as_select())
            .load(conn)?;
        Ok((rows, pager))
    }

    pub fn grants(conn: &mut Conn, user_id: i32) -> QueryResult<Vec<GrantRow>> {
        let rows: Vec<(i32, String, i32, String, String)> = role_assignments::table
            .inner_join(org_units::table)
            .filter(role_assignments::user_id.eq(user_id))
            .order(role_assignments::id)
            .select((
                role_assignments::id,
                role_assignments::role,
                org_units::id,
                org_units::name,
                org_units::kind,
            ))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(id, role, unit_id, unit_name, unit_kind)| GrantRow {
                id,
                role,
                unit_id,
                unit_name,
                unit_kind,
            })
            .collect())
    }

    pub fn grant(conn: &mut Conn, user_id: i32, role: Role, unit_id: i32) -> QueryResult<usize> {
        crate::auth::cache::note_change();
        let exists: i64 = role_assignments::table
            .filter(role_assignments::user_id.eq(user_id))
            .filter(role_assignments::role.eq(role.code()))
            .filter(role_assignments::org_unit_id.eq(unit_id))
            .count()
            .get_result(conn)?;
        if exists > 0 {
            return Ok(0);
        }
        diesel::insert_into(role_assignments::table)
            .values((
                role_assignments::user_id.eq(user_id),
                role_assignments::role.eq(role.code()),
                role_assignments::org_unit_id.eq(unit_id),
            ))
            .execute(conn)
    }

    pub fn revoke(conn: &mut Conn, user_id: i32, grant_id: i32) -> QueryResult<usize> {
        crate::auth::cache::note_change();
        diesel::delete(
            role_assignments::table
                .filter(role_assignments::id.eq(grant_id))
                .filter(role_assignments::user_id.eq(user_id)),
        )
        .execute(conn)
    }

    /// Moves the hall-level grants (营业员、营业班长、厅经理) of a user from one hall to another.
    pub fn move_hall_grants(conn: &mut Conn, user_id: i32, from: i32, to: i32) -> QueryResult<()> {
        crate::auth::cache::note_change();
        let hall_roles: Vec<&str> = Role::ALL.iter().filter(|r| r.is_hall_role()).map(|r| r.code()).collect();
        let moving: Vec<(i32, String)> = role_assignments::table
            .filter(role_assignments::user_id.eq(user_id))
            .filter(role_assignments::org_unit_id.eq(from))
            .filter(role_assignments::role.eq_any(hall_roles))
            .select((role_assignments::id, role_assignments::role))
            .load(conn)?;
        for (grant_id, role) in moving {
            diesel::delete(role_assignments::table.find(grant_id)).execute(conn)?;
            if let Some(role) = Role::parse_code(&role) {
                Self::grant(conn, user_id, role, to)?;
            }
        }
        Ok(())
    }

    /// Active accounts holding any grant scoped to one of `unit_ids`.
    pub fn count_active_grantees(conn: &mut Conn, unit_ids: &[i32]) -> QueryResult<i64> {
        role_assignments::table
            .inner_join(users::table)
            .filter(users::active.eq(true))
            .filter(role_assignments::org_unit_id.eq_any(unit_ids))
            .select(diesel::dsl::count(role_assignments::user_id).aggregate_distinct())
            .first(conn)
    }

    /// Replaces all grants of a user (roster import: the roster is the source of truth).
    pub fn replace_grants(conn: &mut Conn, user_id: i32, grants: &[(Role, i32)]) -> QueryResult<()> {
        crate::auth::cache::note_change();
        diesel::delete(role_assignments::table.filter(role_assignments::user_id.eq(user_id)))
            .execute(conn)?;
        for (role, unit) in grants {
            Self::grant(conn, user_id, *role, *unit)?;
        }
        Ok(())
    }

    /// Counts active accounts per role (admin dashboard).
    pub fn count_by_role(conn: &mut Conn) -> QueryResult<Vec<(String, i64)>> {
        role_assignments::table
            .inner_join(users::table)
            .filter(users::active.eq(true))
            .group_by(role_assignments::role)
            .select((
                role_assignments::role,
                diesel::dsl::count(role_assignments::user_id).aggregate_distinct(),
            ))
            .load(conn)
    }
}
