//! A clerk's monthly scores against the city average, month by month.

#![allow(unused_imports)]
use serde::{Deserialize, Serialize};

use super::super::case::{Case, CaseStatus};
use super::super::rules::{self, two_decimals, Average, Flag, Reason, Sitter};
use super::*;
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::domain::Month;
use crate::exam::model::{self as exam_model, Exam, Tree, PUBLISHED};
use crate::web::msg;

/// One month of a clerk's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryPoint {
    pub month: Month,
    pub score: String,
    pub city_average: String,
    pub listed: bool,
    pub absent: bool,
    #[serde(skip)]
    pub score_value: Option<i64>,
    #[serde(skip)]
    pub average_value: Option<i64>,
}

impl HistoryPoint {
    fn of(e: &Explained) -> HistoryPoint {
        HistoryPoint {
            month: e.month,
            score: e.score.clone(),
            city_average: e.city_average.clone(),
            listed: e.listed,
            absent: e.score_value.is_none() && !e.pending,
            score_value: e.score_value,
            average_value: e.average_value,
        }
    }
}

/// The clerk's monthly exams of the `months` months up to `current`'s
/// (oldest first, `current` last); months without a monthly exam, or where
/// they were no candidate, are left out.
pub fn history(
    conn: &mut Conn,
    current: &Explained,
    months: usize,
) -> diesel::QueryResult<Vec<HistoryPoint>> {
    let mut points = vec![HistoryPoint::of(current)];
    for month in current.month.trailing(months).into_iter().rev().skip(1) {
        if let Some(e) = explain(conn, month, current.user_id)? {
            points.push(HistoryPoint::of(&e));
        }
    }
    points.reverse();
    Ok(points)
}
