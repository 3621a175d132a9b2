//! The ledger computed live from the database: the month's assignments, who
//! they are for, their confirms and exemptions.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::sheet::{Ledger, Line, Person};
use super::{item_outcome, rate_fen, reading_penalty, yuan, Due, Outcome, Reader};
use crate::db::Conn;
use crate::domain::Month;
use crate::exam::model::{Audience, Tree};
use crate::kb::model::Assignment;
use crate::schema::{
    article_versions, articles, assignments, reading_exemptions, readings, role_assignments, users,
};

/// An active person as the audience rules see them.
pub struct Staff {
    pub id: i32,
    pub name: String,
    pub staff_no: String,
    pub hall_id: Option<i32>,
    /// The local date the account was created.
    pub joined: NaiveDate,
    pub ancestry: Vec<i32>,
    pub roles: Vec<String>,
}

/// (id, name, 工号, hall, created at) of a user.
type StaffRow = (i32, String, Option<String>, Option<i32>, NaiveDateTime);

/// Everyone active, with what they confirmed and were exempted from, for a
/// set of assignments.
pub struct Readers {
    pub tree: Tree,
    pub staff: Vec<Staff>,
    /// (user, article) → [(version number, confirmed at UTC)].
    confirms: HashMap<(i32, i32), Vec<(i32, NaiveDateTime)>>,
    /// (assignment, user) → the exemption's reason.
    exempt: HashMap<(i32, i32), String>,
    /// version id → version number.
    versions: HashMap<i32, i32>,
    /// article id → the current version's title.
    titles: HashMap<i32, String>,
}

impl Readers {
    pub fn load(conn: &mut Conn, due: &[Assignment]) -> QueryResult<Readers> {
        let tree = Tree::load(conn)?;
        let article_ids: Vec<i32> = due.iter().map(|a| a.article_id).collect();
        let assignment_ids: Vec<i32> = due.iter().map(|a| a.id).collect();
        let version_ids: Vec<i32> = due.iter().map(|a| a.version_id).collect();
        let mut roles: HashMap<i32, Vec<String>> = HashMap::new();
        let grants: Vec<(i32, String)> =
            role_assignments::table.select((role_assignments::user_id, role_assignments::role)).load(conn)?;
        for (user, role) in grants {
            roles.entry(user).or_default().push(role);
        }
        let rows: Vec<StaffRow> = users::table
            .filter(users::active.eq(true))
            .order((users::staff_no.asc(), users::id.asc()))
            .select((users::id, users::name, users::staff_no, users::hall_id, users::created_at))
            .load(conn)?;
        let staff = rows
            .into_iter()
            .map(|(id, name, staff_no, hall_id, created)| Staff {
                id,
                name,
                staff_no: staff_no.unwrap_or_default(),
                hall_id,
                joined: crate::time::local_date(created),
                ancestry: tree.ancestry(hall_id),
                roles: roles.remove(&id).unwrap_or_default(),
            })
            .collect();
        let confirmed: Vec<(i32, i32, i32, Option<NaiveDateTime>)> = readings::table
            .inner_join(article_versions::table)
            .filter(readings::confirmed_at.is_not_null())
            .filter(article_versions::article_id.eq_any(&article_ids))
            .select((
                readings::user_id,
                article_versions::article_id,
                article_versions::version,
                readings::confirmed_at,
            ))
            .load(conn)?;
        let mut confirms: HashMap<(i32, i32), Vec<(i32, NaiveDateTime)>> = HashMap::new();
        for (user, article, version, at) in confirmed {
            if let Some(at) = at {
                confirms.entry((user, article)).or_default().push((version, at));
            }
        }
        let exempt = reading_exemptions::table
            .filter(reading_exemptions::assignment_id.eq_any(&assignment_ids))
            .select((
                reading_exemptions::assignment_id,
                reading_exemptions::user_id,
                reading_exemptions::reason,
            ))
            .load::<(i32, i32, String)>(conn)?
            .into_iter()
            .map(|(a, u, reason)| ((a, u), reason))
            .collect();
        let versions = article_versions::table
            .filter(article_versions::id.eq_any(&version_ids))
            .select((article_versions::id, article_versions::version))
            .load::<(i32, i32)>(conn)?
            .into_iter()
            .collect();
        let titles = articles::table
            .inner_join(
                article_versions::table.on(article_versions::article_id
                    .eq(articles::id)
                    .and(article_versions::version.eq(articles::current_version))),
            )
            .filter(articles::id.eq_any(&article_ids))
            .select((articles::id, article_versions::title))
            .load::<(i32, String)>(conn)?
            .into_iter()
            .collect();
        Ok(Readers { tree, staff, confirms, exempt, versions, titles })
    }

    /// Where `s` stands on `a` on `today`; None when `a` is not for them.
    pub fn judge(
        &self,
        a: &Assignment,
        audience: &Audience,
        s: &Staff,
        today: NaiveDate,
    ) -> Option<(Outcome, Option<NaiveDateTime>)> {
        if !audience.contains(s.id, &s.ancestry, &s.roles) {
            return None;
        }
        let due = Due { version: self.version(a.version_id), date: a.due_date };
        let reader = Reader { joined: s.joined, exempt: self.exempt.contains_key(&(a.id, s.id)) };
        let confirms = self.confirms.get(&(s.id, a.article_id)).map(Vec::as_slice).unwrap_or_default();
        Some(item_outcome(due, reader, confirms, today))
    }

    /// Why `user` was exempted from `assignment`, if they were.
    pub fn exemption(&self, assignment: i32, user: i32) -> Option<&str> {
        self.exempt.get(&(assignment, user)).map(String::as_str)
    }

    pub fn version(&self, version_id: i32) -> i32 {
        self.versions.get(&version_id).copied().unwrap_or(1)
    }

    pub fn title(&self, article_id: i32) -> &str {
        self.titles.get(&article_id).map(String::as_str).unwrap_or_default()
    }
}

/// Active assignments due in the month, by due date.
pub fn due_in(conn: &mut Conn, month: Month) -> QueryResult<Vec<Assignment>> {
    let (first, last) = (month.first_day(), month.last_day());
    assignments::table
        .filter(assignments::active.eq(true))
        .filter(assignments::due_date.between(first, last))
        .order((assignments::due_date, assignments::id))
        .select(Assignment::as_select())
        .load(conn)
}

/// The month's ledger computed now (`today` local decides what is still pending).
pub fn live(conn: &mut Conn, month: Month, today: NaiveDate) -> QueryResult<Ledger> {
    let rate = rate_fen(None, crate::settings::number(conn, &crate::settings::KB_PENALTY_YUAN)?);
    let due = due_in(conn, month)?;
    let r = Readers::load(conn, &due)?;
    let audiences: Vec<Audience> = due.iter().map(Assignment::audience).collect();
    // 补学 items: marked in 明细; not charged when an admin setting says so.
    let remedial = crate::remedial::assignment_ids(conn)?;
    let charge_remedial = crate::settings::switch(conn, &crate::settings::KB_CHARGE_REMEDIAL)?;
    let mut people = Vec::new();
    for s in &r.staff {
        let (mut outcomes, mut lines, mut upcoming, mut upcoming_read) = (Vec::new(), Vec::new(), 0, 0);
        for (a, audience) in due.iter().zip(&audiences) {
            let Some((outcome, at)) = r.judge(a, audience, s, today) else { continue };
            if outcome == Outcome::Joiner {
                continue;
            }
            let is_remedial = remedial.contains(&a.id);
            let waived = is_remedial && !charge_remedial && outcome.charged();
            let outcome = if waived { Outcome::Exempt } else { outcome };
            if today <= a.due_date && outcome != Outcome::Exempt {
                upcoming += 1;
                upcoming_read += usize::from(outcome == Outcome::OnTime);
            }
            outcomes.push(outcome);
            if outcome.listed() {
                lines.push(Line {
                    assignment_id: a.id,
                    article_id: a.article_id,
                    title: r.title(a.article_id).to_string(),
                    version: r.version(a.version_id),
                    due_date: a.due_date,
                    outcome,
                    status: outcome.label().to_string(),
                    read_at: at
                        .filter(|_| outcome == Outcome::Late)
                        .map(crate::time::local_display)
                        .unwrap_or_default(),
                    reason: if waived {
                        crate::web::msg::LEDGER_REMEDIAL_WAIVED.to_string()
                    } else {
                        r.exemption(a.id, s.id).unwrap_or_default().to_string()
                    },
                    remedial: is_remedial,
                });
            }
        }
        if outcomes.is_empty() {
            continue;
        }
        let penalty = reading_penalty(&outcomes, rate);
        let area = r.tree.area_of(s.hall_id);
        people.push(Person {
            user_id: s.id,
            staff_no: s.staff_no.clone(),
            name: s.name.clone(),
            hall_id: s.hall_id,
            hall: r.tree.name(s.hall_id),
            area_id: area.map(|a| a.id),
            area: area.map(|a| a.name.clone()).unwrap_or_default(),
            due: outcomes.len(),
            on_time: outcomes.iter().filter(|o| **o == Outcome::OnTime).count(),
            upcoming,
            upcoming_read,
            lines,
            penalty,
            amount: yuan(penalty.fen),
        });
    }
    people.sort_by_cached_key(|p| {
        (r.tree.area_rank(p.area_id), p.hall.clone(), p.hall_id, p.staff_no.clone(), p.user_id)
    });
    Ok(Ledger { month, rate_fen: rate, items: due.len(), people })
}
