//! 补学 suggested by phone tests: a call's weak rubric item suggests its
//! scenario's articles for the clerk who answered; a supervisor assigns a
//! suggestion with one click (never automatically).

use std::collections::{HashMap, HashSet};

use chrono::Days;
use diesel::prelude::*;
use serde::Serialize;

use super::rules::{self, CallItem};
use crate::db::Conn;
use crate::domain::Month;
use crate::phone::model::Scenario;
use crate::schema::{assignments, phone_calls};

#[derive(Debug, Clone, Serialize)]
pub struct PhoneSuggestion {
    pub call_id: i32,
    pub clerk_id: i32,
    pub staff_no: String,
    pub clerk: String,
    pub hall_id: i32,
    pub hall: String,
    pub when: String,
    pub item: String,
    pub article_id: i32,
    pub article: String,
}

/// Every (clerk, article) already given to a clerk by name (補学 and named audiences).
fn given(conn: &mut Conn) -> QueryResult<HashSet<(i32, i32)>> {
    let rows: Vec<(i32, String)> = assignments::table
        .filter(assignments::active.eq(true))
        .select((assignments::article_id, assignments::audience))
        .load(conn)?;
    let mut out = HashSet::new();
    for (article, audience) in rows {
        let audience: crate::domain::org::Audience = serde_json::from_str(&audience).unwrap_or_default();
        out.extend(audience.include.into_iter().map(|clerk| (clerk, article)));
    }
    Ok(out)
}

/// The month's suggestions in the halls `sees` allows, in call order.
pub fn suggestions(
    conn: &mut Conn,
    month: Month,
    sees: impl Fn(i32) -> bool,
) -> QueryResult<Vec<PhoneSuggestion>> {
    let facts = crate::phone::report::first_scorings(&crate::phone::report::facts(conn, month, None)?);
    let scenario_of: HashMap<i32, i32> = phone_calls::table
        .filter(phone_calls::month.eq(month))
        .filter(phone_calls::scenario_id.is_not_null())
        .select((phone_calls::id, phone_calls::scenario_id.assume_not_null()))
        .load::<(i32, i32)>(conn)?
        .into_iter()
        .collect();
    let scenarios: HashMap<i32, Vec<i32>> =
        Scenario::all(conn)?.into_iter().map(|s| (s.id, s.article_ids())).collect();
    let mut items = Vec::new();
    let mut articles_of_call = HashMap::new();
    for f in facts.iter().filter(|f| sees(f.hall_id)) {
        let Some(clerk_id) = f.clerk_id else { continue };
        if let Some(articles) = scenario_of.get(&f.id).and_then(|s| scenarios.get(s)) {
            articles_of_call.insert(f.id, articles.clone());
        }
        for m in &f.marks {
            if let Some(mark) = m.mark {
                items.push(CallItem {
                    call_id: f.id,
                    clerk_id,
                    item: m.name.clone(),
                    mark,
                    points: m.points,
                });
            }
        }
    }
    let titles: HashMap<i32, String> =
        crate::bank::sources::article_titles(conn)?.into_iter().map(|a| (a.id, a.title)).collect();
    Ok(rules::phone_suggestions(&items, &articles_of_call, &given(conn)?)
        .into_iter()
        .filter_map(|(call_id, clerk_id, item, article_id)| {
            let f = facts.iter().find(|f| f.id == call_id)?;
            Some(PhoneSuggestion {
                call_id,
                clerk_id,
                staff_no: f.staff_no.clone(),
                clerk: f.clerk.clone(),
                hall_id: f.hall_id,
                hall: f.hall.clone(),
                when: f.when.clone(),
                item,
                article: titles.get(&article_id)?.clone(),
                article_id,
            })
        })
        .collect())
}

/// Assigns one suggestion (still suggested now) as a 补学 due in a week.
pub fn assign(
    conn: &mut Conn,
    month: Month,
    call_id: i32,
    article_id: i32,
    sees: impl Fn(i32) -> bool,
    by: i32,
    at: chrono::NaiveDateTime,
) -> QueryResult<Option<PhoneSuggestion>> {
    let found = suggestions(conn, month, sees)?
        .into_iter()
        .find(|s| s.call_id == call_id && s.article_id == article_id);
    let Some(s) = found else { return Ok(None) };
    let plan = super::Plan {
        people: vec![(s.clerk_id, s.staff_no.clone(), s.clerk.clone(), s.hall.clone())],
        articles: vec![(s.article_id, s.article.clone())],
        already_read: Vec::new(),
    };
    let due = crate::time::local_date(at) + Days::new(7);
    let point = crate::web::msg::remedial_phone_point(&s.item);
    super::assign(conn, month, &point, Some(s.hall_id), &plan, due, by, at)?;
    Ok(Some(s))
}
