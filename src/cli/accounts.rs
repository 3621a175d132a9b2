//! `create-admin`, and the admin account the demo and the tests make too.

use super::read_secret;
use crate::accounts::model::NewUser;
use crate::accounts::User;
use crate::auth::{password, rules, Role};
use crate::db::{self, write, Conn};
use crate::org::{OrgUnit, UnitKind};
use crate::web::msg;

/// Inserts an admin account scoped to the city (creating the city root on an empty site).
pub fn insert_admin(conn: &mut Conn, username: &str, name: &str, hash: &str) -> anyhow::Result<i32> {
    write(conn, |conn| {
        anyhow::ensure!(User::find_by_login(conn, username)?.is_none(), msg::cli_username_taken(username));
        let city = match OrgUnit::root(conn)? {
            Some(city) => city.id,
            None => OrgUnit::insert(conn, None, UnitKind::City, msg::DEFAULT_CITY_NAME)?,
        };
        let id = User::insert(
            conn,
            &NewUser {
                username,
                staff_no: None,
                name,
                phone: None,
                hall_id: None,
                password_hash: hash,
                must_change_password: false,
            },
        )?;
        User::grant(conn, id, Role::Admin, city)?;
        crate::audit::record(conn, None, "admin_created", &msg::audit_person(name, username), "cli")?;
        Ok(id)
    })
}

pub(super) fn create_admin(url: &str, username: &str, name: Option<&str>) -> anyhow::Result<u8> {
    let username = username.trim();
    anyhow::ensure!(!username.is_empty() && username.chars().count() <= 40, msg::CLI_USERNAME_INVALID);
    let pool = db::connect(url, 1)?;
    let password = read_secret(msg::CLI_PROMPT_ADMIN_PASSWORD, true)?;
    if let Err(message) = rules::check_new_password(&password, &password, "", username, None) {
        eprintln!("{message}");
        return Ok(1);
    }
    let hash = password::hash(&password)?;
    let mut conn = pool.get()?;
    insert_admin(&mut conn, username, name.unwrap_or(username), &hash)?;
    println!("{}", msg::cli_admin_created(username));
    Ok(0)
}
