//! An inspection as its page shows it: sections of items with their
//! verdicts, notes and photos, the queue, the score so far and what is missing.

use std::collections::BTreeMap;

use diesel::QueryResult;
use serde::Serialize;

use super::model::{Inspection, Photo};
use super::rules::{self, Missing, Outcome, ZeroTolerance};
use crate::db::Conn;
use crate::domain::score::short_decimals;
use crate::web::msg;

#[derive(Debug, Serialize)]
pub struct ItemView {
    pub code: String,
    pub name: String,
    pub how: String,
    pub points: String,
    pub zero: &'static str,
    pub photo_on_fail: bool,
    pub queue: bool,
    pub outcome: Option<Outcome>,
    pub note: String,
    pub photos: Vec<i32>,
}

#[derive(Debug, Serialize)]
pub struct SectionView {
    pub name: String,
    pub earned: String,
    pub possible: String,
    pub items: Vec<ItemView>,
}

#[derive(Debug, Serialize)]
pub struct InspectionView {
    pub id: i32,
    pub kind: &'static str,
    pub hall: String,
    pub area: String,
    pub inspector: String,
    pub day: String,
    pub version: i32,
    pub submitted: bool,
    pub sections: Vec<SectionView>,
    pub answered: usize,
    pub total_items: usize,
    pub score: String,
    pub zero_hits: Vec<String>,
    pub failed: usize,
    pub missing: Option<String>,
    pub queue_minutes: Option<i32>,
    pub queue_waiting: Option<i32>,
    pub queue_na: bool,
    pub bands: String,
}

pub fn zero_label(z: ZeroTolerance) -> &'static str {
    match z {
        ZeroTolerance::None => "",
        ZeroTolerance::Section => msg::INSPECT_ZERO_SECTION,
        ZeroTolerance::All => msg::INSPECT_ZERO_ALL,
    }
}

/// What is missing, in words, naming the items by code and name.
pub fn missing_text(standard: &rules::Standard, missing: &Missing) -> String {
    let names = |codes: &[String]| {
        codes
            .iter()
            .map(|c| standard.item(c).map_or_else(|| c.clone(), |i| format!("{c} {}", i.name)))
            .collect::<Vec<_>>()
            .join("；")
    };
    match missing {
        Missing::Unanswered(codes) => msg::inspect_unanswered(codes.len(), &names(codes)),
        Missing::Photos(codes) => msg::inspect_needs_photo(&names(codes)),
        Missing::Queue => msg::INSPECT_NEEDS_QUEUE.to_string(),
    }
}

pub fn load(conn: &mut Conn, i: &Inspection, tree: &crate::domain::OrgTree) -> QueryResult<InspectionView> {
    let (standard, scored, missing) = i.evaluate(conn)?;
    let verdicts = i.verdicts(conn)?;
    // Before it is submitted the score shown is of what has been checked so
    // far: an item not yet answered (or a queue not yet measured) is left
    // out, not counted as failed (which would zero the score while a 零容忍
    // item is still open).
    let shown = if i.submitted_at.is_some() {
        scored.total
    } else {
        let mut so_far: std::collections::BTreeMap<String, Outcome> =
            verdicts.iter().map(|(c, v)| (c.clone(), v.outcome)).collect();
        for it in &standard.items {
            let measured = it.queue && i.queue_minutes.is_some();
            if !measured {
                so_far.entry(it.code.clone()).or_insert(Outcome::Na);
            }
        }
        rules::score(&standard, &so_far, i.queue()).total
    };
    let mut photos: BTreeMap<String, Vec<i32>> = BTreeMap::new();
    for p in Photo::of_inspection(conn, i.id)? {
        photos.entry(p.item_code).or_default().push(p.id);
    }
    let version = super::standard::Version::find(conn, i.standard_id)?.version;
    let inspector = crate::accounts::model::User::find(conn, i.inspector_id)?.name;
    let sections = scored
        .sections
        .iter()
        .map(|(name, earned, possible)| SectionView {
            name: name.clone(),
            earned: short_decimals(*earned),
            possible: short_decimals(*possible),
            items: standard
                .items
                .iter()
                .filter(|it| &it.section == name)
                .map(|it| {
                    let v = verdicts.get(&it.code);
                    ItemView {
                        code: it.code.clone(),
                        name: it.name.clone(),
                        how: it.how.clone(),
                        points: short_decimals(it.points),
                        zero: zero_label(it.zero),
                        photo_on_fail: it.photo_on_fail,
                        queue: it.queue,
                        outcome: v.map(|v| v.outcome),
                        note: v.map(|v| v.note.clone()).unwrap_or_default(),
                        photos: photos.get(&it.code).cloned().unwrap_or_default(),
                    }
                })
                .collect(),
        })
        .collect();
    let queue_code = standard.items.iter().find(|it| it.queue).map(|it| it.code.clone()).unwrap_or_default();
    let queue_na = verdicts.get(&queue_code).is_some_and(|v| v.outcome == Outcome::Na);
    let answered = standard
        .items
        .iter()
        .filter(|it| {
            if it.queue {
                queue_na || i.queue_minutes.is_some()
            } else {
                verdicts.contains_key(&it.code)
            }
        })
        .count();
    let bands =
        standard.bands.iter().map(|b| msg::inspect_band(b.minutes, b.percent)).collect::<Vec<_>>().join("，");
    let area = tree.area_of(Some(i.hall_id)).map(|a| a.name.clone()).unwrap_or_default();
    Ok(InspectionView {
        id: i.id,
        kind: i.kind.label(),
        hall: tree.name(Some(i.hall_id)),
        area,
        inspector,
        day: i.day.to_string(),
        version,
        submitted: i.submitted_at.is_some(),
        answered,
        total_items: standard.items.len(),
        score: short_decimals(i.score.map_or(shown, i64::from)),
        zero_hits: scored
            .zero_hits
            .iter()
            .map(|c| standard.item(c).map_or_else(|| c.clone(), |it| format!("{c} {}", it.name)))
            .collect(),
        failed: scored.failed.len(),
        missing: missing.map(|m| missing_text(&standard, &m)),
        queue_minutes: i.queue_minutes,
        queue_waiting: i.queue_waiting,
        queue_na,
        bands: msg::inspect_bands(&bands),
        sections,
    })
}
