//! Mandatory assignments, reading evidence, and who must read what.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Conn;
use crate::exam::model::{Audience, Tree};
use crate::kb::rules;
use crate::schema::{article_versions, articles, assignments, reading_exemptions, readings};

use super::*;

impl Assignment {
    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Assignment> {
        assignments::table.find(id).select(Assignment::as_select()).first(conn)
    }

    pub fn audience(&self) -> Audience {
        serde_json::from_str(&self.audience).unwrap_or_default()
    }

    pub fn for_article(conn: &mut Conn, article_id: i32) -> QueryResult<Vec<Assignment>> {
        assignments::table
            .filter(assignments::article_id.eq(article_id))
            .order(assignments::id.desc())
            .select(Assignment::as_select())
            .load(conn)
    }

    pub fn active(conn: &mut Conn) -> QueryResult<Vec<Assignment>> {
        assignments::table
            .filter(assignments::active.eq(true))
            .order(assignments::due_date)
            .select(Assignment::as_select())
            .load(conn)
    }

    /// Withdrawn: it no longer counts anywhere.
    pub fn withdraw(conn: &mut Conn, id: i32) -> QueryResult<usize> {
        diesel::update(assignments::table.find(id)).set(assignments::active.eq(false)).execute(conn)
    }

    /// Asks every active assignment of an article again, for its new version
    /// `version_id`, due `due`; how many there were.
    pub fn ask_again(
        conn: &mut Conn,
        article_id: i32,
        version_id: i32,
        due: NaiveDate,
        by: i32,
        at: NaiveDateTime,
    ) -> QueryResult<usize> {
        let active: Vec<Assignment> =
            Assignment::for_article(conn, article_id)?.into_iter().filter(|a| a.active).collect();
        for a in &active {
            Assignment::insert(conn, article_id, version_id, &a.audience(), due, a.scope_unit, by, at)?;
        }
        Ok(active.len())
    }

    #[allow(clippy::too_many_arguments)]
    pub fn insert(
        conn: &mut Conn,
        article_id: i32,
        version_id: i32,
        audience: &Audience,
        due: NaiveDate,
        scope_unit: Option<i32>,
        by: i32,
        at: NaiveDateTime,
    ) -> QueryResult<i32> {
        diesel::insert_into(assignments::table)
            .values((
                assignments::article_id.eq(article_id),
                assignments::version_id.eq(version_id),
                assignments::audience.eq(serde_json::to_string(audience).unwrap_or_default()),
                assignments::due_date.eq(due),
                assignments::scope_unit.eq(scope_unit),
                assignments::active.eq(true),
                assignments::assigned_by.eq(Some(by)),
                assignments::assigned_at.eq(at),
            ))
            .returning(assignments::id)
            .get_result(conn)
    }
}

impl Reading {
    pub fn of(conn: &mut Conn, user_id: i32, version_id: i32) -> QueryResult<Option<Reading>> {
        readings::table
            .filter(readings::user_id.eq(user_id))
            .filter(readings::version_id.eq(version_id))
            .select(Reading::as_select())
            .first(conn)
            .optional()
    }

    /// Records the first opening (later openings change nothing).
    pub fn open(conn: &mut Conn, user_id: i32, version_id: i32, at: NaiveDateTime) -> QueryResult<Reading> {
        if let Some(r) = Self::of(conn, user_id, version_id)? {
            return Ok(r);
        }
        diesel::insert_into(readings::table)
            .values((
                readings::user_id.eq(user_id),
                readings::version_id.eq(version_id),
                readings::first_opened_at.eq(at),
                readings::last_beat_at.eq(at),
                readings::active_seconds.eq(0),
                readings::reached_end.eq(false),
            ))
            .execute(conn)?;
        Self::of(conn, user_id, version_id)?.ok_or(diesel::result::Error::NotFound)
    }

    /// A heartbeat from the visible page: credits at most the time the
    /// server saw pass since the last one (see [`rules::credited_seconds`]).
    pub fn beat(
        conn: &mut Conn,
        user_id: i32,
        version_id: i32,
        claimed: i64,
        at_end: bool,
        at: NaiveDateTime,
    ) -> QueryResult<Option<Reading>> {
        let Some(r) = Self::of(conn, user_id, version_id)? else { return Ok(None) };
        if r.confirmed_at.is_some() {
            return Ok(Some(r));
        }
        let since = (at - r.last_beat_at).num_seconds();
        let credit = rules::credited_seconds(claimed, since);
        diesel::update(readings::table.find(r.id))
            .set((
                readings::active_seconds.eq(r.active_seconds + credit as i32),
                readings::reached_end.eq(r.reached_end || at_end),
                readings::last_beat_at.eq(at),
            ))
            .execute(conn)?;
        Self::of(conn, user_id, version_id)
    }

    /// Confirms `user_id`'s reading of `v` at `at` if the evidence allows
    /// ([`rules::check_confirm`]); the reading as it was before, or why not.
    pub fn confirm_checked(
        conn: &mut Conn,
        user_id: i32,
        v: &Version,
        at: NaiveDateTime,
    ) -> QueryResult<Result<Reading, rules::ConfirmRefusal>> {
        let needed = needed_seconds(conn, v)?;
        let reading = Reading::of(conn, user_id, v.id)?;
        let check = rules::check_confirm(
            reading.is_some(),
            reading.as_ref().map_or(0, |r| i64::from(r.active_seconds)),
            reading.as_ref().is_some_and(|r| r.reached_end),
            reading.as_ref().is_some_and(|r| r.confirmed_at.is_some()),
            needed,
        );
        Ok(match (check, reading) {
            (Ok(()), Some(r)) => {
                Reading::confirm(conn, r.id, at)?;
                Ok(r)
            }
            (Err(why), _) => Err(why),
            (Ok(()), None) => Err(rules::ConfirmRefusal::NotOpened),
        })
    }

    /// Every version `user_id` confirmed, latest first: article, version,
    /// title, when, seconds read.
    #[allow(clippy::type_complexity)]
    pub fn confirmed_by(
        conn: &mut Conn,
        user_id: i32,
    ) -> QueryResult<Vec<(i32, i32, String, Option<NaiveDateTime>, i32)>> {
        readings::table
            .inner_join(article_versions::table)
            .filter(readings::user_id.eq(user_id))
            .filter(readings::confirmed_at.is_not_null())
            .order(readings::confirmed_at.desc())
            .select((
                article_versions::article_id,
                article_versions::version,
                article_versions::title,
                readings::confirmed_at,
                readings::active_seconds,
            ))
            .load(conn)
    }

    pub fn confirm(conn: &mut Conn, id: i32, at: NaiveDateTime) -> QueryResult<usize> {
        diesel::update(readings::table.find(id).filter(readings::confirmed_at.is_null()))
            .set(readings::confirmed_at.eq(Some(at)))
            .execute(conn)
    }
}

/// The minimum reading seconds for a version, from the settings.
pub fn needed_seconds(conn: &mut Conn, v: &Version) -> QueryResult<i64> {
    let per = crate::settings::number(conn, &crate::settings::KB_CHARS_PER_MINUTE)?;
    let floor = crate::settings::number(conn, &crate::settings::KB_MIN_SECONDS)?;
    Ok(rules::min_seconds(v.chars, per, floor))
}

/// A person as the audience rules see them: ancestry of their hall, roles.
pub struct Member {
    pub user_id: i32,
    pub ancestry: Vec<i32>,
    pub roles: Vec<String>,
}

impl Member {
    pub fn load(conn: &mut Conn, user_id: i32, hall_id: Option<i32>, tree: &Tree) -> QueryResult<Member> {
        Ok(Member {
            user_id,
            ancestry: tree.ancestry(hall_id),
            roles: crate::exam::model::roles_of(conn, user_id)?,
        })
    }

    pub fn in_audience(&self, audience: &Audience) -> bool {
        audience.contains(self.user_id, &self.ancestry, &self.roles)
    }

    /// An article's readers: everyone when its audience names no unit or person.
    pub fn may_read(&self, article: &Article) -> bool {
        let a = article.audience();
        if a.exclude.contains(&self.user_id) {
            return false;
        }
        (a.units.is_empty() && a.include.is_empty()) || self.in_audience(&a)
    }
}

/// One mandatory item of one person.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub assignment_id: i32,
    pub article_id: i32,
    pub title: String,
    pub version: i32,
    pub due_date: NaiveDate,
    pub days_left: i64,
    pub status: rules::ReadStatus,
    /// Beijing time.
    pub confirmed_at: String,
    pub exempt: bool,
}

/// Confirms of one person: article id → [(version number, confirmed at)].
pub fn confirms_of(conn: &mut Conn, user_id: i32) -> QueryResult<HashMap<i32, Vec<(i32, NaiveDateTime)>>> {
    let rows: Vec<(i32, i32, Option<NaiveDateTime>)> = readings::table
        .inner_join(article_versions::table)
        .filter(readings::user_id.eq(user_id))
        .filter(readings::confirmed_at.is_not_null())
        .select((article_versions::article_id, article_versions::version, readings::confirmed_at))
        .load(conn)?;
    let mut out: HashMap<i32, Vec<(i32, NaiveDateTime)>> = HashMap::new();
    for (article, version, at) in rows {
        if let Some(at) = at {
            out.entry(article).or_default().push((version, at));
        }
    }
    Ok(out)
}

/// A person's mandatory items, the latest assignment per article: unread
/// first (soonest due first), then the read ones.
pub fn items_of(conn: &mut Conn, member: &Member, today: NaiveDate) -> QueryResult<Vec<Item>> {
    let mine: Vec<Assignment> =
        Assignment::active(conn)?.into_iter().filter(|a| member.in_audience(&a.audience())).collect();
    let confirms = confirms_of(conn, member.user_id)?;
    let exempt: Vec<i32> = reading_exemptions::table
        .filter(reading_exemptions::user_id.eq(member.user_id))
        .select(reading_exemptions::assignment_id)
        .load(conn)?;
    let mut latest: HashMap<i32, Assignment> = HashMap::new();
    for a in mine {
        let newer = latest.get(&a.article_id).is_none_or(|b| (a.due_date, a.id) > (b.due_date, b.id));
        if newer {
            latest.insert(a.article_id, a);
        }
    }
    let mut items = Vec::new();
    for a in latest.into_values() {
        let v = Version::find(conn, a.version_id)?;
        let current: String = article_versions::table
            .inner_join(articles::table.on(articles::id.eq(article_versions::article_id)))
            .filter(articles::id.eq(a.article_id))
            .filter(article_versions::version.eq(articles::current_version))
            .select(article_versions::title)
            .first(conn)?;
        let empty = Vec::new();
        let (status, at) =
            rules::read_status(v.version, confirms.get(&a.article_id).unwrap_or(&empty), a.due_date);
        items.push(Item {
            assignment_id: a.id,
            article_id: a.article_id,
            title: current,
            version: v.version,
            due_date: a.due_date,
            days_left: rules::days_left(today, a.due_date),
            status,
            confirmed_at: at.map(crate::time::local_display).unwrap_or_default(),
            exempt: exempt.contains(&a.id),
        });
    }
    items.sort_by_key(|i| (i.status != rules::ReadStatus::Unread, i.due_date, i.article_id));
    Ok(items)
}
