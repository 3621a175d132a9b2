//! The paper rule as the form states it: a fixed list of questions, or
//! sections drawn from a bank.

use super::ExamForm;
use crate::bank::question::{parse_points, split_list, Channel, Kind};
use crate::domain::score::FULL_MARKS;
use crate::exam::paper::{Exposure, FixedItem, PaperRule, Section};
use crate::web::form::add_error;
use crate::web::{msg, FieldErrors};

impl ExamForm {
    pub(super) fn fixed_rule(&self, errors: &mut FieldErrors) -> Option<PaperRule> {
        let mut items = Vec::new();
        for (i, line) in self.fixed_items.lines().enumerate() {
            let mut parts = line.split_whitespace();
            let Some(id) = parts.next() else { continue };
            let id = id.trim_start_matches('#').parse::<i32>().ok();
            let points = parts.next().map(parse_points);
            match (id, points) {
                (Some(question_id), None) => items.push(FixedItem { question_id, points: None }),
                (Some(question_id), Some(Some(p))) if p > 0 => {
                    items.push(FixedItem { question_id, points: Some(p) })
                }
                _ => add_error(errors, "fixed_items", msg::exam_bad_fixed_line(i + 1, line.trim())),
            }
        }
        if items.is_empty() {
            add_error(errors, "fixed_items", msg::EXAM_PAPER_EMPTY);
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = items.iter().find(|i| !seen.insert(i.question_id)) {
            add_error(errors, "fixed_items", msg::exam_fixed_duplicate(dup.question_id));
        }
        Some(PaperRule::Fixed { items })
    }

    pub(super) fn sections_rule(&self, errors: &mut FieldErrors) -> Option<PaperRule> {
        let bank_id = self.bank_id.parse::<i32>().ok();
        if bank_id.is_none() {
            add_error(errors, "bank_id", msg::EXAM_BANK_REQUIRED);
        }
        let mut sections = Vec::new();
        for (i, s) in self.sections.iter().enumerate() {
            if s.count.is_empty() && s.title.is_empty() {
                continue;
            }
            let n = i + 1;
            let kind = Kind::parse_code(&s.kind);
            let count = s.count.parse::<usize>().ok().filter(|c| (1..=200).contains(c));
            let points = parse_points(&s.points).filter(|p| *p > 0 && *p <= FULL_MARKS);
            let dmin = s.difficulty_min.parse::<u8>().ok().filter(|d| (1..=5).contains(d));
            let dmax = s.difficulty_max.parse::<u8>().ok().filter(|d| (1..=5).contains(d));
            // Empty (a form from before the setting) is `Any`.
            let exposure = Exposure::parse(&s.exposure);
            if exposure.is_none() && !s.exposure.is_empty() {
                add_error(errors, "sections", msg::exam_section_error(n, msg::EXAM_SECTION_EXPOSURE));
            }
            if kind.is_none() {
                add_error(errors, "sections", msg::exam_section_error(n, msg::EXAM_SECTION_KIND));
            }
            if count.is_none() {
                add_error(errors, "sections", msg::exam_section_error(n, msg::EXAM_SECTION_COUNT));
            }
            if points.is_none() {
                add_error(errors, "sections", msg::exam_section_error(n, msg::EXAM_SECTION_POINTS));
            }
            match (dmin, dmax) {
                (Some(a), Some(b)) if a <= b => {}
                _ => add_error(errors, "sections", msg::exam_section_error(n, msg::EXAM_SECTION_DIFFICULTY)),
            }
            if let (Some(kind), Some(count), Some(points), Some(dmin), Some(dmax)) =
                (kind, count, points, dmin, dmax)
            {
                let title =
                    if s.title.is_empty() { format!("{}{}", kind.label(), n) } else { s.title.clone() };
                sections.push(Section {
                    title,
                    kind,
                    count,
                    points,
                    categories: split_list(&s.categories),
                    channels: s.channels.iter().filter_map(|c| Channel::parse_code(c)).collect(),
                    knowledge_points: split_list(&s.knowledge_points),
                    difficulty_min: dmin,
                    difficulty_max: dmax,
                    exposure: exposure.unwrap_or_default(),
                });
            }
        }
        if sections.is_empty() {
            add_error(errors, "sections", msg::EXAM_PAPER_EMPTY);
        }
        bank_id.map(|bank_id| PaperRule::Sections { bank_id, sections })
    }
}
