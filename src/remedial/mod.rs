//! 补学: from a weak spot of the heat map (a knowledge point in a county,
//! hall or the city) to mandatory reading of the articles that teach it, for
//! exactly the clerks who answered it wrong, and whether it helped.

pub mod demo;
pub mod phone;
pub mod routes;
pub mod rules;

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Conn;
use crate::domain::org::{Audience, OrgTree};
use crate::domain::Month;
use crate::schema::{attempt_items, attempts, question_versions, remedial_assignments, remedials, users};
use rules::Answer;

/// The marked answers of a month's monthly exam (none before it is over or
/// when it was imported), each with whether its clerk is in `unit`; and the
/// questions answered, by knowledge point.
pub fn answers(
    conn: &mut Conn,
    month: Month,
    unit: Option<i32>,
    tree: &OrgTree,
) -> QueryResult<Vec<(i32, Answer)>> {
    let Some(exam) = crate::review::model::monthly_exam(conn, month)? else { return Ok(Vec::new()) };
    if !exam.over_for_everyone(conn)? {
        return Ok(Vec::new());
    }
    type Row = (i32, i32, Option<i32>, Option<i32>, i32, String);
    let rows: Vec<Row> = attempt_items::table
        .inner_join(attempts::table)
        .inner_join(question_versions::table)
        .filter(attempts::exam_id.eq(exam.id))
        .filter(attempts::status.ne(crate::exam::model::AttemptStatus::InProgress))
        .filter(attempt_items::earned.is_not_null())
        .select((
            attempt_items::question_id,
            attempts::user_id,
            attempts::hall_id,
            attempt_items::earned,
            attempt_items::points,
            question_versions::knowledge_points,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(question, user, hall, earned, points, kps)| {
            let in_unit = unit.is_none_or(|u| tree.ancestry(hall).contains(&u));
            let answer = Answer {
                user_id: user,
                in_unit,
                kps: crate::bank::sources::points_of(&kps),
                earned: i64::from(earned.unwrap_or(0)),
                possible: i64::from(points),
            };
            (question, answer)
        })
        .collect())
}

/// What a 补学 would assign: the people (工号, 姓名, 营业厅) and the articles (id, title).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Plan {
    pub people: Vec<(i32, String, String, String)>,
    pub articles: Vec<(i32, String)>,
    /// Of the people, those who already confirmed the current version of
    /// every article (rule 5: read once is read; the ledger shows no line).
    pub already_read: Vec<i32>,
}

pub fn plan(conn: &mut Conn, month: Month, kp: &str, unit: Option<i32>) -> QueryResult<Plan> {
    let tree = OrgTree::load(conn)?;
    let answered = answers(conn, month, unit, &tree)?;
    let list: Vec<Answer> = answered.iter().map(|(_, a)| a.clone()).collect();
    let who = rules::audience(&list, kp);
    let questions: Vec<i32> =
        answered.iter().filter(|(_, a)| a.kps.iter().any(|k| k == kp)).map(|(q, _)| *q).collect();
    let mut articles: Vec<(i32, String)> = Vec::new();
    for sources in crate::bank::sources::of_questions(conn, &questions)?.into_values() {
        for s in sources {
            if !articles.iter().any(|(id, _)| *id == s.article_id) {
                articles.push((s.article_id, s.title));
            }
        }
    }
    articles.sort();
    let ids: Vec<i32> = who.into_iter().collect();
    let rows: Vec<(i32, Option<String>, String, Option<i32>)> = users::table
        .filter(users::id.eq_any(&ids))
        .filter(users::active.eq(true))
        .order(users::staff_no)
        .select((users::id, users::staff_no, users::name, users::hall_id))
        .load(conn)?;
    let people: Vec<(i32, String, String, String)> = rows
        .into_iter()
        .map(|(id, no, name, hall)| (id, no.unwrap_or_default(), name, tree.name(hall)))
        .collect();
    let mut already_read: Vec<i32> = people.iter().map(|p| p.0).collect();
    for (article, _) in &articles {
        let a = crate::kb::model::Article::find(conn, *article)?;
        let Some(v) = crate::kb::model::Version::of(conn, a.id, a.current_version)? else { continue };
        let readers: Vec<i32> = crate::schema::readings::table
            .filter(crate::schema::readings::version_id.eq(v.id))
            .filter(crate::schema::readings::confirmed_at.is_not_null())
            .select(crate::schema::readings::user_id)
            .load(conn)?;
        already_read.retain(|p| readers.contains(p));
    }
    if articles.is_empty() {
        already_read.clear();
    }
    Ok(Plan { people, articles, already_read })
}

/// Assigns the plan: one mandatory item per article, for exactly its people.
#[allow(clippy::too_many_arguments)]
pub fn assign(
    conn: &mut Conn,
    month: Month,
    kp: &str,
    unit: Option<i32>,
    plan: &Plan,
    due: NaiveDate,
    by: i32,
    at: NaiveDateTime,
) -> QueryResult<i32> {
    let people: Vec<i32> = plan.people.iter().map(|p| p.0).collect();
    let id: i32 = diesel::insert_into(remedials::table)
        .values((
            remedials::knowledge_point.eq(kp),
            remedials::month.eq(month.as_str()),
            remedials::unit_id.eq(unit),
            remedials::people.eq(serde_json::to_string(&people).unwrap_or_default()),
            remedials::created_by.eq(Some(by)),
            remedials::created_at.eq(at),
        ))
        .returning(remedials::id)
        .get_result(conn)?;
    let audience = Audience { include: people, ..Audience::default() };
    for (article, _) in &plan.articles {
        let a = crate::kb::model::Article::find(conn, *article)?;
        let Some(v) = crate::kb::model::Version::of(conn, a.id, a.current_version)? else { continue };
        let assignment =
            crate::kb::model::Assignment::insert(conn, a.id, v.id, &audience, due, unit, by, at)?;
        diesel::insert_into(remedial_assignments::table)
            .values((
                remedial_assignments::remedial_id.eq(id),
                remedial_assignments::assignment_id.eq(assignment),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// The 补学 already assigned for this weak spot (knowledge point, month, unit), if any.
pub fn existing(conn: &mut Conn, month: Month, kp: &str, unit: Option<i32>) -> QueryResult<Option<i32>> {
    let q = remedials::table
        .filter(remedials::knowledge_point.eq(kp))
        .filter(remedials::month.eq(month.as_str()))
        .select(remedials::id);
    match unit {
        Some(u) => q.filter(remedials::unit_id.eq(u)).first(conn).optional(),
        None => q.filter(remedials::unit_id.is_null()).first(conn).optional(),
    }
}

/// The month whose exam shows whether a 补学 made at `created` helped: the
/// first month after the one it was found in whose monthly exam opened after
/// the 补学 was assigned (a 补学 made late, from an older month's heat map,
/// is not credited with an exam sat before it existed).
fn measured_month(conn: &mut Conn, found: Month, created: NaiveDateTime) -> QueryResult<Month> {
    let now = Month::current();
    let mut next = found.next().unwrap_or(found);
    while let Some(exam) = crate::review::model::monthly_exam(conn, next)? {
        if exam.opens_at >= created {
            break;
        }
        match next.next() {
            Some(n) if n <= now.next().unwrap_or(now) => next = n,
            _ => break,
        }
    }
    Ok(next)
}

/// Every assignment that is a 补学 (the ledger marks them).
pub fn assignment_ids(conn: &mut Conn) -> QueryResult<BTreeSet<i32>> {
    Ok(remedial_assignments::table
        .select(remedial_assignments::assignment_id)
        .load::<i32>(conn)?
        .into_iter()
        .collect())
}

/// A 补学 as its page lists it, with its effect.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub id: i32,
    pub knowledge_point: String,
    pub month: String,
    pub next_month: String,
    pub unit: String,
    pub people: usize,
    pub articles: Vec<String>,
    pub effect: [String; 3],
    pub gain: String,
    pub answers_after: i64,
}

/// The 补学 whose unit the viewer sees, newest first (at most `limit`), each with its effect.
pub fn list(conn: &mut Conn, sees: impl Fn(Option<i32>) -> bool, limit: usize) -> QueryResult<Vec<Listed>> {
    type Row = (i32, String, String, Option<i32>, String, NaiveDateTime);
    let rows: Vec<Row> = remedials::table
        .order(remedials::id.desc())
        .select((
            remedials::id,
            remedials::knowledge_point,
            remedials::month,
            remedials::unit_id,
            remedials::people,
            remedials::created_at,
        ))
        .load(conn)?;
    let tree = OrgTree::load(conn)?;
    let mut out = Vec::new();
    for (id, kp, month, unit, people, created) in rows.into_iter().filter(|r| sees(r.3)).take(limit) {
        let people: BTreeSet<i32> =
            serde_json::from_str::<Vec<i32>>(&people).unwrap_or_default().into_iter().collect();
        let Ok(m) = Month::parse(&month) else { continue };
        let next = measured_month(conn, m, created)?;
        let strip = |v: Vec<(i32, Answer)>| v.into_iter().map(|(_, a)| a).collect::<Vec<_>>();
        let before = strip(answers(conn, m, None, &tree)?);
        let after = strip(answers(conn, next, None, &tree)?);
        let effect = rules::effect(&people, &kp, &before, &after);
        let articles: Vec<String> = remedial_assignments::table
            .inner_join(crate::schema::assignments::table)
            .filter(remedial_assignments::remedial_id.eq(id))
            .select(crate::schema::assignments::article_id)
            .load::<i32>(conn)?
            .into_iter()
            .map(|a| {
                crate::kb::model::Article::find(conn, a).and_then(|a| crate::kb::model::title_of(conn, &a))
            })
            .collect::<QueryResult<_>>()?;
        out.push(Listed {
            id,
            knowledge_point: kp,
            month,
            next_month: next.to_string(),
            unit: unit.map_or_else(|| crate::web::msg::WEAK_CITY.to_string(), |u| tree.name(Some(u))),
            people: people.len(),
            articles,
            gain: effect.gain().map(crate::domain::score::two_decimals).unwrap_or_else(|| "—".into()),
            answers_after: effect.answers_after,
            effect: effect.texts(),
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = remedials)]
struct RemedialRow {
    id: i32,
    knowledge_point: String,
    month: String,
    unit_id: Option<i32>,
    people: String,
    created_by: Option<i32>,
    created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = remedial_assignments)]
struct LinkRow {
    id: i32,
    remedial_id: i32,
    assignment_id: i32,
}

/// For `copy-db`: the 补学 and their assignments (after the knowledge base's).
pub fn copy(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    for row in remedials::table.order(remedials::id).select(RemedialRow::as_select()).load(from)? {
        diesel::insert_into(remedials::table).values(&row).execute(to)?;
    }
    for row in
        remedial_assignments::table.order(remedial_assignments::id).select(LinkRow::as_select()).load(from)?
    {
        diesel::insert_into(remedial_assignments::table).values(&row).execute(to)?;
    }
    Ok(())
}
