//! The trainer's exam form: what the page shows (strings, as typed), and its
//! validation into an [`Exam`]. Pure; the handler looks up staff numbers.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;

use super::key::Review;
use super::model::{Audience, Exam, ExamKind, ExamStatus, Source};
use super::paper::{Exposure, PaperRule};
use super::rules::{parse_ip_ranges, Stagger};
use crate::bank::question::{format_points, parse_points, Channel, Kind};
use crate::domain::score::FULL_MARKS;
use crate::domain::{BadMonth, Month};
use crate::time;
use crate::web::form::{add_error, WHOLE_FORM};
use crate::web::{msg, FieldErrors};

/// Section rows the form offers.
pub const SECTION_ROWS: usize = 8;

/// A urlencoded form with repeated fields (checkbox groups).
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn get(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
}

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
    pub fn new_monthly(now_local: chrono::NaiveDateTime) -> ExamForm {
        let day = now_local.date() + chrono::Duration::days(1);
        ExamForm {
            title: format!("{}三大渠道月考", now_local.format("%Y年%-m月")),
            month: now_local.format("%Y-%m").to_string(),
            kind: "monthly".into(),
            channels: vec!["hall".into(), "hotline".into(), "online".into()],
            opens_at: format!("{}T09:00", day.format("%Y-%m-%d")),
            closes_at: format!("{}T17:00", day.format("%Y-%m-%d")),
            time_limit: "60".into(),
            pass_mark: "60".into(),
            review: Review::default_for(ExamKind::Monthly).code().into(),
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

    pub fn from_fields(f: &Fields) -> ExamForm {
        let sections = (0..SECTION_ROWS)
            .map(|i| SectionForm {
                title: f.get(&format!("s{i}_title")),
                kind: f.get(&format!("s{i}_kind")),
                count: f.get(&format!("s{i}_count")),
                points: f.get(&format!("s{i}_points")),
                categories: f.get(&format!("s{i}_categories")),
                channels: f.all(&format!("s{i}_channels")),
                knowledge_points: f.get(&format!("s{i}_kps")),
                difficulty_min: f.get(&format!("s{i}_dmin")),
                difficulty_max: f.get(&format!("s{i}_dmax")),
                exposure: f.get(&format!("s{i}_exposure")),
            })
            .collect();
        let offsets = f
            .0
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("offset_").map(|id| (id.to_string(), v.trim().to_string())))
            .collect();
        ExamForm {
            title: f.get("title"),
            month: f.get("month"),
            kind: f.get("kind"),
            channels: f.all("channels"),
            opens_at: f.get("opens_at"),
            closes_at: f.get("closes_at"),
            time_limit: f.get("time_limit"),
            pass_mark: f.get("pass_mark"),
            review: f.get("review"),
            grace_seconds: f.get("grace_seconds"),
            allowed_ips: f.get("allowed_ips"),
            units: f.all("units"),
            roles: f.all("roles"),
            include: f.get("include"),
            exclude: f.get("exclude"),
            mode: f.get("mode"),
            bank_id: f.get("bank_id"),
            fixed_items: f.get("fixed_items"),
            sections,
            offsets,
            random_max: f.get("random_max"),
        }
    }

    /// The form of a saved exam; `staff_no` names people by id.
    pub fn from_exam(exam: &Exam, staff_no: &dyn Fn(i32) -> String) -> ExamForm {
        let audience = exam.audience();
        let stagger = exam.stagger();
        let mut form = ExamForm {
            title: exam.title.clone(),
            month: exam.month.to_string(),
            kind: exam.kind.code().into(),
            channels: exam.channel_list().iter().map(|c| c.code().to_string()).collect(),
            opens_at: time::local_input(exam.opens_at),
            closes_at: time::local_input(exam.closes_at),
            time_limit: exam.time_limit_minutes.to_string(),
            pass_mark: format_points(i64::from(exam.pass_mark)),
            review: exam.review.code().into(),
            grace_seconds: exam.grace_seconds.to_string(),
            allowed_ips: exam.allowed_ips.clone(),
            units: audience.units.iter().map(|u| u.to_string()).collect(),
            roles: audience.roles.clone(),
            include: audience.include.iter().map(|u| staff_no(*u)).collect::<Vec<_>>().join("\n"),
            exclude: audience.exclude.iter().map(|u| staff_no(*u)).collect::<Vec<_>>().join("\n"),
            offsets: stagger.area_offsets.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            random_max: stagger.random_max_minutes.to_string(),
            ..Default::default()
        };
        match exam.paper_rule() {
            Ok(PaperRule::Fixed { items }) => {
                form.mode = "fixed".into();
                form.fixed_items = items
                    .iter()
                    .map(|i| match i.points {
                        Some(p) => format!("{} {}", i.question_id, format_points(p)),
                        None => i.question_id.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
            }
            Ok(PaperRule::Sections { bank_id, sections }) => {
                form.mode = "sections".into();
                form.bank_id = bank_id.to_string();
                form.sections = sections
                    .iter()
                    .map(|s| SectionForm {
                        title: s.title.clone(),
                        kind: s.kind.code().into(),
                        count: s.count.to_string(),
                        points: format_points(s.points),
                        categories: s.categories.join("、"),
                        channels: s.channels.iter().map(|c| c.code().to_string()).collect(),
                        knowledge_points: s.knowledge_points.join("、"),
                        difficulty_min: s.difficulty_min.to_string(),
                        difficulty_max: s.difficulty_max.to_string(),
                        exposure: s.exposure.code().into(),
                    })
                    .collect();
            }
            Err(_) => form.mode = "sections".into(),
        }
        form.sections = pad_sections(form.sections);
        form
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

mod paper_rule;
#[cfg(test)]
mod tests;
