//! One clerk's standing, explained with the exact comparison.

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

/// Why one clerk is or is not on a month's list, with the numbers.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    pub month: Month,
    pub exam_id: i32,
    pub exam_title: String,
    pub user_id: i32,
    pub staff_no: String,
    pub name: String,
    pub area: String,
    pub hall: String,
    pub county: bool,
    /// Submitted but not yet marked by hand: neither averaged nor judged.
    pub pending: bool,
    pub attempt_id: Option<i32>,
    pub score: String,
    pub n: i64,
    pub sum: String,
    pub city_average: String,
    /// score × n, printed like the sum (two decimals).
    pub product: String,
    pub verdict: Option<rules::Verdict>,
    pub listed: bool,
    /// The month is closed: these are the frozen figures of its snapshot.
    pub closed: bool,
    /// Absent county clerks are listed (the setting in force for the month).
    pub flag_absent: bool,
    #[serde(skip)]
    pub ancestry: Vec<i32>,
    /// Hundredths, for charts.
    #[serde(skip)]
    pub score_value: Option<i64>,
    #[serde(skip)]
    pub average_value: Option<i64>,
}

/// The explanation of `user_id`'s standing in `month`; None when the month
/// has no monthly exam or the clerk is not one of its candidates.
pub fn explain(conn: &mut Conn, month: Month, user_id: i32) -> diesel::QueryResult<Option<Explained>> {
    let Some((sheet, close)) = sheet(conn, month)? else { return Ok(None) };
    let tree = Tree::load(conn)?;
    let mut everyone = sheet.entries.iter().chain(&sheet.pending);
    let Some(me) = everyone.find(|e| e.user_id == user_id) else { return Ok(None) };
    let city = sheet.city;
    let counted = sheet.entry(user_id);
    let verdict = counted.map(|e| rules::verdict(&e.sitter(), city));
    let score = counted.and_then(|e| e.score);
    Ok(Some(Explained {
        month,
        exam_id: sheet.exam_id,
        exam_title: sheet.exam_title.clone(),
        user_id,
        staff_no: me.staff_no.clone(),
        name: me.name.clone(),
        area: me.area.clone(),
        hall: me.hall.clone(),
        county: me.county,
        pending: counted.is_none(),
        attempt_id: me.attempt_id,
        score: score.map(two_decimals).unwrap_or_default(),
        n: city.map_or(0, |a| a.n),
        sum: city.map(|a| two_decimals(a.sum)).unwrap_or_default(),
        city_average: city.map(|a| two_decimals(a.hundredths())).unwrap_or_default(),
        product: match (score, city) {
            (Some(s), Some(a)) => two_decimals(s * a.n),
            _ => String::new(),
        },
        verdict,
        listed: sheet.flagged(user_id),
        closed: close.is_some(),
        flag_absent: sheet.flag_absent,
        ancestry: tree.ancestry(me.hall_id),
        score_value: score,
        average_value: city.map(|a| a.hundredths()),
    }))
}
