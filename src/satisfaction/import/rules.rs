//! Reading the two satisfaction files and planning them against a snapshot
//! of halls, staff and what is stored. Pure: errors in Chinese with the
//! spreadsheet line number.
//!
//! - 回复明细 (SMS evaluation replies): one row per reply — time, hall, the
//!   clerk's 工号 when the carrier has it, the rating as sent (满意/一般/不满意
//!   or 1–10), the customer's text, the carrier's serial when there is one.
//! - 单厅满意率 (the province's monthly rate per hall): hall, rate, sample size.
//!
//! Carriers name their columns in several ways; each column is found by any
//! of its usual names.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::domain::Month;
use crate::phone::import::rules::{when_in_month, BadWhen};
use crate::roster::parse::parse_rows_with;
pub use crate::roster::rules::RowError;
use crate::satisfaction::rules::{parse_rating, BadRating};
use crate::web::import::ImportPlan;
use crate::web::msg;

pub const MAX_ROWS: usize = 20_000;

/// The columns of the replies file: (canonical name, the names carriers use).
pub const REPLY_COLUMNS: [(&str, &[&str]); 6] = [
    ("回复时间", &["回复时间", "评价时间", "时间", "日期时间", "回复日期"]),
    ("营业厅", &["营业厅", "营业厅名称", "厅店名称", "厅店", "渠道名称"]),
    ("工号", &["工号", "受理工号", "营业员工号", "员工工号", "服务工号"]),
    ("评价", &["评价", "评价结果", "满意度", "评分", "回复评价"]),
    ("回复内容", &["回复内容", "客户意见", "意见内容", "评价内容", "短信内容", "备注"]),
    ("流水号", &["流水号", "短信流水号", "工单号", "回访流水"]),
];
const REPLY_REQUIRED: [&str; 3] = ["回复时间", "营业厅", "评价"];

/// The columns of the rates file.
pub const RATE_COLUMNS: [(&str, &[&str]); 3] = [
    ("营业厅", &["营业厅", "营业厅名称", "厅店名称", "厅店", "渠道名称"]),
    ("满意率", &["满意率", "单厅满意率", "满意度", "客户满意率"]),
    ("样本量", &["样本量", "调查量", "样本数", "回访量", "参评量"]),
];
const RATE_REQUIRED: [&str; 2] = ["营业厅", "满意率"];

/// A person who may have served the customer: staff of a hall.
#[derive(Debug, Clone, Default)]
pub struct Person {
    pub id: i32,
    pub staff_no: String,
    pub name: String,
    pub hall_id: Option<i32>,
    pub active: bool,
}

/// What the plan checks against.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Active halls (id, name).
    pub halls: Vec<(i32, String)>,
    pub people: Vec<Person>,
    /// Stored replies of the month: serials, and (time, hall, clerk, rating, text) of those without.
    pub serials: Vec<String>,
    pub replies: Vec<ReplyKey>,
    /// Halls with a stored rate for the month (re-importing replaces them).
    pub rated_halls: Vec<i32>,
    /// Now (UTC): replies cannot be in the future.
    pub now: NaiveDateTime,
}

/// What makes two replies the same reply when the carrier gives no serial.
pub type ReplyKey = (NaiveDateTime, i32, Option<i32>, String, String);

/// One reply to store.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedReply {
    pub line: usize,
    #[serde(skip)]
    pub replied_at: NaiveDateTime,
    pub when: String,
    pub hall_id: i32,
    pub hall: String,
    pub clerk_id: Option<i32>,
    pub clerk: String,
    pub rating: String,
    pub comment: String,
    pub ref_no: String,
}

impl PlannedReply {
    fn key(&self) -> ReplyKey {
        (self.replied_at, self.hall_id, self.clerk_id, self.rating.clone(), self.comment.clone())
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReplyPlan {
    pub month: Month,
    pub rows: Vec<PlannedReply>,
    pub errors: Vec<RowError>,
}

impl ImportPlan for ReplyPlan {
    fn ready(&self) -> bool {
        self.errors.is_empty() && !self.rows.is_empty()
    }
    fn error_count(&self) -> usize {
        self.errors.len()
    }
    fn fingerprint(&self) -> String {
        let rows: Vec<_> = self.rows.iter().map(|r| (r.line, r.key(), &r.ref_no)).collect();
        digest(&format!("{}|{:?}|{}", self.month, rows, self.errors.len()))
    }
}

/// One hall's rate to store.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRate {
    pub line: usize,
    pub hall_id: i32,
    pub hall: String,
    /// Hundredths of a percent.
    pub rate: i64,
    pub rate_text: String,
    pub surveyed: Option<i32>,
    /// A stored rate of the month is replaced.
    pub replaces: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct RatePlan {
    pub month: Month,
    pub rows: Vec<PlannedRate>,
    pub errors: Vec<RowError>,
}

impl ImportPlan for RatePlan {
    fn ready(&self) -> bool {
        self.errors.is_empty() && !self.rows.is_empty()
    }
    fn error_count(&self) -> usize {
        self.errors.len()
    }
    fn fingerprint(&self) -> String {
        let rows: Vec<_> =
            self.rows.iter().map(|r| (r.line, r.hall_id, r.rate, r.surveyed, r.replaces)).collect();
        digest(&format!("{}|{:?}|{}", self.month, rows, self.errors.len()))
    }
}

fn digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// A rate as the province writes it, in hundredths of a percent: `96.5%`,
/// `96.50`, or a fraction `0.965` (a number up to 1 without a % sign);
/// full-width digits read. None for anything else or above 100 %.
pub fn parse_rate(text: &str) -> Option<i64> {
    let t: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '％' => '%',
            c => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    let (number, percent) = match t.strip_suffix('%') {
        Some(n) => (n, true),
        None => (t.as_str(), false),
    };
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || whole.len() > 3 || !digits(whole) || !digits(frac) || frac.len() > 6 {
        return None;
    }
    // Exact: the number in millionths, then to hundredths of a percent, half up.
    let millionths: i64 =
        whole.parse::<i64>().ok()? * 1_000_000 + format!("{frac:0<6}").parse::<i64>().ok()?;
    let fraction = !percent && millionths <= 1_000_000;
    let hundredths = if fraction {
        // 0.965 → 96.50 %: millionths of one are ten-thousandths of a percent ×100.
        crate::domain::score::div_half_up(millionths, 100)
    } else {
        crate::domain::score::div_half_up(millionths, 10_000)
    };
    (hundredths <= 10_000).then_some(hundredths)
}

/// Finds the columns by any of their names; Err names the required ones missing.
fn find_columns(
    header: &[String],
    columns: &[(&'static str, &[&str])],
    required: &[&str],
) -> Result<HashMap<&'static str, usize>, String> {
    let found: HashMap<&'static str, usize> = columns
        .iter()
        .filter_map(|(name, aliases)| {
            let at = header.iter().position(|h| aliases.contains(&normal(h).as_str()))?;
            Some((*name, at))
        })
        .collect();
    let missing: Vec<String> =
        required.iter().filter(|c| !found.contains_key(*c)).map(|c| c.to_string()).collect();
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(msg::satisfaction_missing_columns(&missing))
    }
}

/// A header or hall name without spaces (carriers pad them) and with ASCII brackets.
fn normal(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

fn find_hall<'a>(snap: &'a Snapshot, name: &str) -> Option<&'a (i32, String)> {
    let name = normal(name);
    snap.halls.iter().find(|(_, n)| normal(n) == name)
}

/// Plans the replies file for `month` (first non-empty row = header).
pub fn plan_replies(month: Month, table: &[Vec<String>], snap: &Snapshot) -> ReplyPlan {
    let (rows, mut errors) = parse_rows_with(
        table,
        MAX_ROWS,
        |header| find_columns(header, &REPLY_COLUMNS, &REPLY_REQUIRED),
        |line, cells, cols, before| {
            reply_row(line, cells, cols, month, snap, before)
                .map_err(|errs| errs.into_iter().map(|m| RowError::new(line, m)).collect())
        },
    );
    errors.sort_by_key(|e| e.line);
    ReplyPlan { month, rows, errors }
}

fn reply_row(
    line: usize,
    cells: &[String],
    cols: &HashMap<&'static str, usize>,
    month: Month,
    snap: &Snapshot,
    before: &[PlannedReply],
) -> Result<PlannedReply, Vec<String>> {
    let cell = |name: &str| cols.get(name).and_then(|i| cells.get(*i)).map(|c| c.trim()).unwrap_or("");
    let mut errs = Vec::new();
    let when_text = cell("回复时间");
    let at = when_in_month(when_text, month, snap.now)
        .map_err(|why| {
            errs.push(match why {
                BadWhen::Unreadable => msg::satisfaction_bad_when(when_text),
                BadWhen::OutsideMonth => msg::satisfaction_outside_month(when_text, month),
                BadWhen::Future => msg::satisfaction_future(when_text),
            })
        })
        .ok();
    let hall_name = cell("营业厅");
    let hall = find_hall(snap, hall_name);
    if hall.is_none() {
        errs.push(msg::satisfaction_unknown_hall(hall_name));
    }
    let clerk_no = cell("工号");
    let clerk = if clerk_no.is_empty() {
        None
    } else {
        match snap.people.iter().find(|p| p.staff_no == clerk_no) {
            Some(p) if !p.active => {
                errs.push(msg::satisfaction_clerk_inactive(clerk_no, &p.name));
                None
            }
            Some(p) if hall.is_some_and(|h| Some(h.0) != p.hall_id) => {
                errs.push(msg::satisfaction_clerk_other_hall(clerk_no, &p.name, hall_name));
                None
            }
            Some(p) => Some(p),
            None => {
                errs.push(msg::satisfaction_clerk_unknown(clerk_no));
                None
            }
        }
    };
    let rating_text = cell("评价");
    let rating = match parse_rating(rating_text) {
        Ok(_) => Some(rating_text.to_string()),
        Err(BadRating::Empty) => {
            errs.push(msg::SATISFACTION_RATING_EMPTY.into());
            None
        }
        Err(BadRating::Unknown(t)) => {
            errs.push(msg::satisfaction_rating_unknown(&t));
            None
        }
    };
    let comment = cell("回复内容").chars().take(2_000).collect::<String>();
    let ref_no = cell("流水号").to_string();
    let (Some(at), Some(h), Some(rating)) = (at, hall, rating) else { return Err(errs) };
    if !errs.is_empty() {
        return Err(errs);
    }
    let row = PlannedReply {
        line,
        replied_at: at,
        when: crate::time::local_display(at),
        hall_id: h.0,
        hall: h.1.clone(),
        clerk_id: clerk.map(|c| c.id),
        clerk: clerk.map(|c| format!("{} {}", c.staff_no, c.name)).unwrap_or_default(),
        rating,
        comment,
        ref_no,
    };
    // The same reply twice: the same serial, or without one the same time, hall, clerk, rating and text.
    let same = |r: &PlannedReply| {
        if row.ref_no.is_empty() {
            r.ref_no.is_empty() && r.key() == row.key()
        } else {
            r.ref_no == row.ref_no
        }
    };
    if let Some(d) = before.iter().find(|r| same(r)) {
        return Err(vec![msg::satisfaction_duplicate(d.line)]);
    }
    let stored = if row.ref_no.is_empty() {
        snap.replies.contains(&row.key())
    } else {
        snap.serials.contains(&row.ref_no)
    };
    if stored {
        return Err(vec![msg::SATISFACTION_ALREADY_STORED.into()]);
    }
    Ok(row)
}

/// Plans the rates file for `month`.
pub fn plan_rates(month: Month, table: &[Vec<String>], snap: &Snapshot) -> RatePlan {
    let (rows, mut errors) = parse_rows_with(
        table,
        MAX_ROWS,
        |header| find_columns(header, &RATE_COLUMNS, &RATE_REQUIRED),
        |line, cells, cols, before: &[PlannedRate]| {
            let cell =
                |name: &str| cols.get(name).and_then(|i| cells.get(*i)).map(|c| c.trim()).unwrap_or("");
            let mut errs = Vec::new();
            let hall_name = cell("营业厅");
            let hall = find_hall(snap, hall_name);
            if hall.is_none() {
                errs.push(msg::satisfaction_unknown_hall(hall_name));
            }
            let rate_text = cell("满意率");
            let rate = parse_rate(rate_text);
            if rate.is_none() {
                errs.push(msg::satisfaction_bad_rate(rate_text));
            }
            let surveyed_text = cell("样本量");
            let surveyed = if surveyed_text.is_empty() {
                None
            } else {
                let n = surveyed_text.parse::<i32>().ok().filter(|n| (1..=1_000_000).contains(n));
                if n.is_none() {
                    errs.push(msg::satisfaction_bad_count(surveyed_text));
                }
                n
            };
            if let Some(h) = hall {
                if let Some(d) = before.iter().find(|r| r.hall_id == h.0) {
                    errs.push(msg::satisfaction_duplicate(d.line));
                }
            }
            match (hall, rate) {
                (Some(h), Some(rate)) if errs.is_empty() => Ok(PlannedRate {
                    line,
                    hall_id: h.0,
                    hall: h.1.clone(),
                    rate,
                    rate_text: crate::domain::score::percent_text(Some(rate)),
                    surveyed,
                    replaces: snap.rated_halls.contains(&h.0),
                }),
                _ => Err(errs.into_iter().map(|m| RowError::new(line, m)).collect()),
            }
        },
    );
    errors.sort_by_key(|e| e.line);
    RatePlan { month, rows, errors }
}

#[cfg(test)]
mod tests;
