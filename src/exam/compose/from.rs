//! An exam form from what was posted, or from a saved exam.

use super::{pad_sections, ExamForm, SectionForm, SECTION_ROWS};
use crate::bank::question::format_points;
use crate::exam::model::Exam;
use crate::exam::paper::PaperRule;
use crate::time;

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

impl ExamForm {
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
}
