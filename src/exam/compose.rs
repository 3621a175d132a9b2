//! The trainer's exam form: what the page shows (strings, as typed), and its
//! validation into an [`Exam`]. Pure; the handler looks up staff numbers.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;

use super::key::Review;
use super::model::{Audience, Exam, ExamKind, ExamStatus, Source};
use super::paper::Exposure;
use super::rules::{parse_ip_ranges, Stagger};
use crate::bank::question::{parse_points, Channel, Kind};
use crate::domain::score::FULL_MARKS;
use crate::domain::{BadMonth, Month};
use crate::time;
use crate::web::form::{add_error, WHOLE_FORM};
use crate::web::{msg, FieldErrors};

/// Section rows the form offers.
pub const SECTION_ROWS: usize = 8;

#[derive(Debug, Clone, Default, Serialize)]
pub struct SectionForm {
    pub title: String,
    pub kind: String,
    pub count: String,
    pub points: String,
    pub categories: String,
    pub channels: Vec<String>,
    pub knowledge_points: String,
    pub difficulty_min: String,
    pub difficulty_max: String,
    pub exposure: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ExamForm {
    pub title: String,
    pub month: String,
    pub kind: String,
    pub channels: Vec<String>,
    pub opens_at: String,
    pub closes_at: String,
    pub time_limit: String,
    pub pass_mark: String,
    pub review: String,
    pub grace_seconds: String,
    pub allowed_ips: String,
    pub units: Vec<String>,
    pub roles: Vec<String>,
    pub include: String,
    pub exclude: String,
    pub mode: String,
    pub bank_id: String,
    pub fixed_items: String,
    pub sections: Vec<SectionForm>,
    pub offsets: BTreeMap<String, String>,
    pub random_max: String,
}

/// What the form yields once valid; staff numbers still to be resolved.
#[derive(Debug)]
pub struct Valid {
    pub exam: Exam,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

fn pad_sections(mut sections: Vec<SectionForm>) -> Vec<SectionForm> {
    while sections.len() < SECTION_ROWS {
        sections.push(SectionForm {
            difficulty_min: "1".into(),
            difficulty_max: "5".into(),
            exposure: Exposure::PreferFresh.code().into(),
            ..Default::default()
        });
    }
    sections
}

fn preset(title: &str, kind: Kind, count: usize, points: &str) -> SectionForm {
    SectionForm {
        title: title.into(),
        kind: kind.code().into(),
        count: count.to_string(),
        points: points.into(),
        difficulty_min: "1".into(),
        difficulty_max: "5".into(),
        // The monthly paper avoids what past reviews gave away (rule 11).
        exposure: Exposure::PreferFresh.code().into(),
        ..Default::default()
    }
}

impl ExamForm {
    /// A new monthly exam: this month, 09:00–17:00 tomorrow, 60 minutes, clerks.
    /// The new-exam form's defaults: the monthly exam of the first month from
    /// now that has none (this month or the next), opening the next day (or
    /// the 10th of a later month); when both months have theirs, a practice
    /// exam, so that saving the defaults never makes a second monthly exam.
    pub fn new_default(now_local: chrono::NaiveDateTime, has_monthly: impl Fn(Month) -> bool) -> ExamForm {
        let this = Month::of_date(now_local.date());
        let free = [Some(this), this.next()].into_iter().flatten().find(|m| !has_monthly(*m));
        let (month, kind) = match free {
            Some(m) => (m, ExamKind::Monthly),
            None => (this, ExamKind::Practice),
        };
        let tomorrow = now_local.date() + chrono::Duration::days(1);
        let day = if month == this { tomorrow } else { month.first_day() + chrono::Duration::days(9) };
        let title = match kind {
            ExamKind::Monthly => format!("{}三大渠道月考", month.label()),
            _ => format!("{}三大渠道练习", month.label()),
        };
        ExamForm {
            title,
            month: month.to_string(),
            kind: kind.code().into(),
            channels: vec!["hall".into(), "hotline".into(), "online".into()],
            opens_at: format!("{}T09:00", day.format("%Y-%m-%d")),
            closes_at: format!("{}T17:00", day.format("%Y-%m-%d")),
            time_limit: "60".into(),
            pass_mark: "60".into(),
            review: Review::default_for(kind).code().into(),
            grace_seconds: "30".into(),
            roles: vec!["clerk".into()],
            mode: "sections".into(),
            random_max: "0".into(),
            // The usual shape of the monthly paper: 60 + 30 + 10 = 100 points.
            sections: pad_sections(vec![
                preset("单选题", Kind::Single, 30, "2"),
                preset("多选题", Kind::Multiple, 10, "3"),
                preset("判断题", Kind::TrueFalse, 10, "1"),
            ]),
            ..Default::default()
        }
    }

    /// Checks every field; all problems at once, in Chinese, each under the
    /// field it is about (the names the form posts; `window` for the two
    /// times, `audience` for units and roles, `sections` for the rule rows).
    pub fn validate(&self) -> Result<Valid, FieldErrors> {
        let mut errors = FieldErrors::new();
        let e = &mut errors;
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > 100 {
            add_error(e, "title", msg::EXAM_TITLE_REQUIRED);
        }
        let month = Month::parse(&self.month);
        match &month {
            Err(BadMonth::Malformed) => add_error(e, "month", msg::EXAM_BAD_MONTH),
            Err(BadMonth::OutOfRange) => add_error(e, "month", msg::EXAM_MONTH_RANGE),
            Ok(_) => {}
        }
        let kind = ExamKind::parse_code(&self.kind);
        if kind.is_none() {
            add_error(e, "kind", msg::EXAM_BAD_KIND);
        }
        let channels: Vec<Channel> = self.channels.iter().filter_map(|c| Channel::parse_code(c)).collect();
        if channels.is_empty() {
            add_error(e, "channels", msg::EXAM_CHANNELS_REQUIRED);
        }
        let opens = time::parse_local_input(&self.opens_at);
        let closes = time::parse_local_input(&self.closes_at);
        match (opens, closes) {
            (Some(o), Some(c))
                if ![o, c].iter().all(|t| (Month::FIRST_YEAR..=Month::LAST_YEAR).contains(&t.year())) =>
            {
                add_error(e, "window", msg::EXAM_WINDOW_RANGE)
            }
            (Some(o), Some(c)) if c <= o => add_error(e, "window", msg::EXAM_WINDOW_ORDER),
            (Some(_), Some(_)) => {}
            _ => add_error(e, "window", msg::EXAM_BAD_WINDOW),
        }
        let limit = self.time_limit.trim().parse::<i32>().ok().filter(|m| (1..=600).contains(m));
        if limit.is_none() {
            add_error(e, "time_limit", msg::EXAM_BAD_LIMIT);
        }
        let pass = parse_points(&self.pass_mark).filter(|p| *p <= FULL_MARKS);
        if pass.is_none() {
            add_error(e, "pass_mark", msg::EXAM_BAD_PASS_MARK);
        }
        let review = Review::parse(&self.review);
        if review.is_none() {
            add_error(e, "review", msg::EXAM_BAD_REVIEW);
        }
        let grace = self.grace_seconds.trim().parse::<i32>().ok().filter(|g| (0..=300).contains(g));
        if grace.is_none() {
            add_error(e, "grace_seconds", msg::EXAM_BAD_GRACE);
        }
        if let Err(lines) = parse_ip_ranges(&self.allowed_ips) {
            for line in lines {
                add_error(e, "allowed_ips", line);
            }
        }
        let units: Vec<i32> = self.units.iter().filter_map(|u| u.parse().ok()).collect();
        let roles: Vec<String> =
            self.roles.iter().filter(|r| crate::auth::Role::parse_code(r).is_some()).cloned().collect();
        let include = split_staff(&self.include);
        let exclude = split_staff(&self.exclude);
        if (units.is_empty() || roles.is_empty()) && include.is_empty() {
            add_error(e, "audience", msg::EXAM_AUDIENCE_REQUIRED);
        }
        let mut stagger = Stagger::default();
        for (area, minutes) in &self.offsets {
            if minutes.is_empty() || minutes == "0" {
                continue;
            }
            match (area.parse::<i32>(), minutes.parse::<i64>()) {
                (Ok(a), Ok(m)) if (0..=240).contains(&m) => {
                    stagger.area_offsets.insert(a, m);
                }
                _ if e.contains_key("offsets") => {}
                _ => add_error(e, "offsets", msg::EXAM_BAD_OFFSET),
            }
        }
        match self.random_max.trim() {
            "" => {}
            t => match t.parse::<i64>() {
                Ok(m) if (0..=120).contains(&m) => stagger.random_max_minutes = m,
                _ => add_error(e, "random_max", msg::EXAM_BAD_OFFSET),
            },
        }
        let rule = match self.mode.as_str() {
            "fixed" => self.fixed_rule(e),
            _ => self.sections_rule(e),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let (
            Ok(month),
            Some(kind),
            Some(review),
            Some(opens),
            Some(closes),
            Some(limit),
            Some(pass),
            Some(grace),
            Some(rule),
        ) = (month, kind, review, opens, closes, limit, pass, grace, rule)
        else {
            return Err(FieldErrors::from([(WHOLE_FORM, msg::REQUEST_INCOMPLETE.to_string())]));
        };
        let now = crate::db::now();
        let codes: Vec<&str> = channels.iter().map(|c| c.code()).collect();
        let audience = Audience { units, roles, include: Vec::new(), exclude: Vec::new() };
        Ok(Valid {
            exam: Exam {
                id: 0,
                month,
                title: title.to_string(),
                kind,
                channels: serde_json::to_string(&codes).unwrap_or_default(),
                opens_at: opens,
                closes_at: closes,
                time_limit_minutes: limit,
                pass_mark: pass as i32,
                audience: serde_json::to_string(&audience).unwrap_or_default(),
                paper_rule: serde_json::to_string(&rule).unwrap_or_default(),
                seed: rand::random::<i64>() & i64::MAX,
                review,
                allowed_ips: self.allowed_ips.trim().to_string(),
                stagger: serde_json::to_string(&stagger).unwrap_or_default(),
                grace_seconds: grace,
                status: ExamStatus::Draft,
                created_by: None,
                created_at: now,
                updated_at: now,
                source: Source::Sat,
            },
            include,
            exclude,
        })
    }
}

/// Staff numbers, one per line or separated by commas / spaces.
fn split_staff(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || ",，、;；".contains(c))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

mod from;
mod paper_rule;

pub use from::Fields;
#[cfg(test)]
mod tests;
