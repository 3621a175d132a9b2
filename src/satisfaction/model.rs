//! Stored replies and rates, and the month's figures per hall and clerk.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::rules::{is_dissatisfied, is_satisfied, parse_rating, Rating};
use crate::db::Conn;
use crate::domain::org::OrgTree;
use crate::domain::score::{percent_text, share};
use crate::domain::Month;
use crate::schema::{hall_satisfaction, satisfaction_replies, users};

/// One stored reply.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = satisfaction_replies)]
pub struct Reply {
    pub id: i32,
    pub month: Month,
    pub replied_at: NaiveDateTime,
    pub hall_id: i32,
    pub clerk_id: Option<i32>,
    pub rating: String,
    pub comment: String,
    pub ref_no: String,
    pub imported_by: Option<i32>,
    pub imported_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = satisfaction_replies)]
pub struct NewReply<'a> {
    pub month: Month,
    pub replied_at: NaiveDateTime,
    pub hall_id: i32,
    pub clerk_id: Option<i32>,
    pub rating: &'a str,
    pub comment: &'a str,
    pub ref_no: &'a str,
    pub imported_by: Option<i32>,
    pub imported_at: NaiveDateTime,
}

/// One stored hall rate.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hall_satisfaction)]
pub struct HallRate {
    pub id: i32,
    pub month: Month,
    pub hall_id: i32,
    pub rate: i32,
    pub surveyed: Option<i32>,
    pub imported_by: Option<i32>,
    pub imported_at: NaiveDateTime,
}

impl Reply {
    /// The month's replies, oldest first.
    pub fn of_month(conn: &mut Conn, month: Month) -> QueryResult<Vec<Reply>> {
        satisfaction_replies::table
            .filter(satisfaction_replies::month.eq(month))
            .order((satisfaction_replies::replied_at, satisfaction_replies::id))
            .select(Reply::as_select())
            .load(conn)
    }

    /// The replies of several months (for trends).
    pub fn of_months(conn: &mut Conn, months: &[Month]) -> QueryResult<Vec<Reply>> {
        satisfaction_replies::table
            .filter(satisfaction_replies::month.eq_any(months))
            .select(Reply::as_select())
            .load(conn)
    }

    /// The rating as read (stored cells were checked at import).
    pub fn parsed(&self) -> Option<Rating> {
        parse_rating(&self.rating).ok()
    }

    pub fn all(conn: &mut Conn) -> QueryResult<Vec<Reply>> {
        satisfaction_replies::table.order(satisfaction_replies::id).select(Reply::as_select()).load(conn)
    }
}

impl HallRate {
    pub fn of_months(conn: &mut Conn, months: &[Month]) -> QueryResult<Vec<HallRate>> {
        hall_satisfaction::table
            .filter(hall_satisfaction::month.eq_any(months))
            .select(HallRate::as_select())
            .load(conn)
    }

    pub fn all(conn: &mut Conn) -> QueryResult<Vec<HallRate>> {
        hall_satisfaction::table.order(hall_satisfaction::id).select(HallRate::as_select()).load(conn)
    }

    /// Stores a month's rate of a hall, replacing the one stored.
    pub fn put(
        conn: &mut Conn,
        month: Month,
        hall_id: i32,
        (rate, surveyed): (i64, Option<i32>),
        by: Option<i32>,
        at: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::delete(
            hall_satisfaction::table
                .filter(hall_satisfaction::month.eq(month))
                .filter(hall_satisfaction::hall_id.eq(hall_id)),
        )
        .execute(conn)?;
        diesel::insert_into(hall_satisfaction::table)
            .values((
                hall_satisfaction::month.eq(month),
                hall_satisfaction::hall_id.eq(hall_id),
                hall_satisfaction::rate.eq(rate as i32),
                hall_satisfaction::surveyed.eq(surveyed),
                hall_satisfaction::imported_by.eq(by),
                hall_satisfaction::imported_at.eq(at),
            ))
            .execute(conn)?;
        Ok(())
    }
}

/// The satisfaction setting: a score from this counts as satisfied.
pub fn satisfied_from(conn: &mut Conn) -> QueryResult<u8> {
    Ok(crate::settings::number(conn, &crate::settings::SATISFIED_FROM)?.clamp(1, 10) as u8)
}

/// Replies counted: (rated, satisfied, dissatisfied).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    pub replies: i64,
    pub satisfied: i64,
    pub dissatisfied: i64,
}

impl Count {
    fn add(&mut self, r: Rating, from: u8) {
        self.replies += 1;
        self.satisfied += i64::from(is_satisfied(r, from));
        self.dissatisfied += i64::from(is_dissatisfied(r));
    }

    /// Satisfied ÷ replies, hundredths of a percent.
    pub fn rate(&self) -> Option<i64> {
        share(self.satisfied, self.replies)
    }
}

/// Counts of replies per hall and per clerk.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub halls: HashMap<i32, Count>,
    pub clerks: HashMap<i32, Count>,
    pub city: Count,
}

pub fn count(replies: &[Reply], from: u8) -> Counts {
    let mut c = Counts::default();
    for r in replies {
        let Some(rating) = r.parsed() else { continue };
        c.halls.entry(r.hall_id).or_default().add(rating, from);
        if let Some(clerk) = r.clerk_id {
            c.clerks.entry(clerk).or_default().add(rating, from);
        }
        c.city.add(rating, from);
    }
    c
}

/// The figure a hall's satisfaction is judged by: the province's rate when
/// it sent one, else the rate of the SMS replies.
pub fn hall_rates(conn: &mut Conn, month: Month) -> QueryResult<HashMap<i32, i64>> {
    let from = satisfied_from(conn)?;
    let mut rates: HashMap<i32, i64> = count(&Reply::of_month(conn, month)?, from)
        .halls
        .into_iter()
        .filter_map(|(h, c)| Some((h, c.rate()?)))
        .collect();
    for r in HallRate::of_months(conn, &[month])? {
        rates.insert(r.hall_id, i64::from(r.rate));
    }
    Ok(rates)
}

/// Each clerk's (rate, replies) of the month's SMS replies.
pub fn clerk_rates(conn: &mut Conn, month: Month) -> QueryResult<HashMap<i32, (i64, i64)>> {
    let from = satisfied_from(conn)?;
    Ok(count(&Reply::of_month(conn, month)?, from)
        .clerks
        .into_iter()
        .filter_map(|(id, c)| Some((id, (c.rate()?, c.replies))))
        .collect())
}

/// One row of the month's table: a hall, or a clerk of one.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub id: i32,
    pub name: String,
    pub area: String,
    pub count: Count,
    pub rate: String,
    pub province: String,
    /// The rates of the trend's months, oldest first ("" for none).
    pub trend: Vec<String>,
    #[serde(skip)]
    pub trend_values: Vec<Option<i64>>,
}

/// The month's halls (those `sees` keeps) with their replies, rate, the province's rate and a 6-month trend.
pub fn hall_lines(
    conn: &mut Conn,
    tree: &OrgTree,
    month: Month,
    sees: impl Fn(i32) -> bool,
) -> QueryResult<(Vec<Month>, Vec<Line>, Count)> {
    let from = satisfied_from(conn)?;
    let months = month.trailing(6);
    let replies = Reply::of_months(conn, &months)?;
    let province = HallRate::of_months(conn, &months)?;
    let per_month: Vec<Counts> = months
        .iter()
        .map(|m| count(&replies.iter().filter(|r| r.month == *m).cloned().collect::<Vec<_>>(), from))
        .collect();
    let now = per_month.last().cloned().unwrap_or_default();
    let mut city = Count::default();
    let lines = tree
        .halls()
        .into_iter()
        .filter(|h| sees(h.id))
        .map(|h| {
            let count = now.halls.get(&h.id).copied().unwrap_or_default();
            city.replies += count.replies;
            city.satisfied += count.satisfied;
            city.dissatisfied += count.dissatisfied;
            let trend_values: Vec<Option<i64>> =
                per_month.iter().map(|c| c.halls.get(&h.id).and_then(Count::rate)).collect();
            let p = province.iter().find(|r| r.hall_id == h.id && r.month == month);
            Line {
                id: h.id,
                name: h.name.clone(),
                area: tree.area_of(Some(h.id)).map(|a| a.name.clone()).unwrap_or_default(),
                count,
                rate: percent_text(count.rate()),
                province: p.map(|p| percent_text(Some(i64::from(p.rate)))).unwrap_or_default(),
                trend: trend_values
                    .iter()
                    .map(|v| v.map(|v| percent_text(Some(v))).unwrap_or_default())
                    .collect(),
                trend_values,
            }
        })
        .collect();
    Ok((months, lines, city))
}

/// A hall's clerks with their month's replies, rate and trend.
pub fn clerk_lines(conn: &mut Conn, hall: i32, month: Month) -> QueryResult<(Vec<Month>, Vec<Line>)> {
    let from = satisfied_from(conn)?;
    let months = month.trailing(6);
    let replies = Reply::of_months(conn, &months)?;
    let per_month: Vec<Counts> = months
        .iter()
        .map(|m| count(&replies.iter().filter(|r| r.month == *m).cloned().collect::<Vec<_>>(), from))
        .collect();
    let staff: Vec<(i32, Option<String>, String)> = users::table
        .filter(users::hall_id.eq(hall))
        .filter(users::active.eq(true))
        .order((users::staff_no, users::id))
        .select((users::id, users::staff_no, users::name))
        .load(conn)?;
    let now = per_month.last().cloned().unwrap_or_default();
    Ok((
        months,
        staff
            .into_iter()
            .filter(|(id, _, _)| per_month.iter().any(|c| c.clerks.contains_key(id)))
            .map(|(id, no, name)| {
                let count = now.clerks.get(&id).copied().unwrap_or_default();
                let trend_values: Vec<Option<i64>> =
                    per_month.iter().map(|c| c.clerks.get(&id).and_then(Count::rate)).collect();
                Line {
                    id,
                    name: format!("{} {name}", no.unwrap_or_default()),
                    area: String::new(),
                    count,
                    rate: percent_text(count.rate()),
                    province: String::new(),
                    trend: trend_values
                        .iter()
                        .map(|v| v.map(|v| percent_text(Some(v))).unwrap_or_default())
                        .collect(),
                    trend_values,
                }
            })
            .collect(),
    ))
}

/// A dissatisfied reply as the hall page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Complaint {
    pub id: i32,
    pub when: String,
    pub clerk: String,
    pub rating: String,
    pub comment: String,
}

/// The month's dissatisfied replies of a hall, and their most frequent words.
pub fn complaints(
    conn: &mut Conn,
    hall: i32,
    month: Month,
) -> QueryResult<(Vec<Complaint>, Vec<super::words::Frequent>)> {
    let replies: Vec<Reply> = Reply::of_month(conn, month)?
        .into_iter()
        .filter(|r| r.hall_id == hall && r.parsed().is_some_and(is_dissatisfied))
        .collect();
    let ids: Vec<i32> = replies.iter().filter_map(|r| r.clerk_id).collect();
    let names = crate::accounts::User::names(conn, &ids)?;
    let texts: Vec<(i32, &str)> = replies.iter().map(|r| (r.id, r.comment.as_str())).collect();
    let words = super::words::top(&texts, 10);
    let list = replies
        .iter()
        .map(|r| Complaint {
            id: r.id,
            when: crate::time::local_display(r.replied_at),
            clerk: r.clerk_id.and_then(|c| names.get(&c).cloned()).unwrap_or_default(),
            rating: r.rating.clone(),
            comment: r.comment.clone(),
        })
        .collect();
    Ok((list, words))
}

/// The city's most frequent complaint words of the month in the halls `sees` keeps (the weak-spot view).
pub fn city_words(
    conn: &mut Conn,
    month: Month,
    sees: impl Fn(i32) -> bool,
) -> QueryResult<Vec<super::words::Frequent>> {
    let replies: Vec<Reply> = Reply::of_month(conn, month)?
        .into_iter()
        .filter(|r| sees(r.hall_id) && r.parsed().is_some_and(is_dissatisfied))
        .collect();
    let texts: Vec<(i32, &str)> = replies.iter().map(|r| (r.id, r.comment.as_str())).collect();
    Ok(super::words::top(&texts, 15))
}
