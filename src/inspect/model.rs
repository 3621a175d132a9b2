//! Inspections: started, filled item by item, submitted (scored, with the
//! defects it found or closed), and the photos of failed items.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::rules::{self, Outcome, Queue, Scored, Standard};
use super::standard::Version;
use crate::db::Conn;
use crate::domain::Month;
use crate::schema::{defects, inspection_photos, inspection_results, inspections};

/// Who inspects and why: a hall's own daily check, the city's spot check, a
/// cross inspection by another county's team leader.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Daily,
    Spot,
    Cross,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Daily, Kind::Spot, Kind::Cross];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Daily => "daily",
            Kind::Spot => "spot",
            Kind::Cross => "cross",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Daily => crate::web::msg::INSPECT_KIND_DAILY,
            Kind::Spot => crate::web::msg::INSPECT_KIND_SPOT,
            Kind::Cross => crate::web::msg::INSPECT_KIND_CROSS,
        }
    }

    pub fn parse_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// City and cross inspections issue 纠错单; a hall's own check does not.
    pub fn issues_orders(self) -> bool {
        self != Kind::Daily
    }
}

crate::stored_as_text!(Kind);

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = inspections)]
pub struct Inspection {
    pub id: i32,
    pub kind: Kind,
    pub hall_id: i32,
    pub inspector_id: i32,
    pub standard_id: i32,
    pub assignment_id: Option<i32>,
    pub day: NaiveDate,
    pub month: Month,
    pub queue_minutes: Option<i32>,
    pub queue_waiting: Option<i32>,
    pub score: Option<i32>,
    pub zero_hits: i32,
    pub started_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
}

/// An item's saved verdict and note.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub outcome: Outcome,
    pub note: String,
}

impl Inspection {
    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Inspection> {
        inspections::table.find(id).select(Inspection::as_select()).first(conn)
    }

    /// Starts an inspection with the current standard.
    pub fn start(
        conn: &mut Conn,
        kind: Kind,
        hall: i32,
        inspector: i32,
        assignment: Option<i32>,
        now: NaiveDateTime,
    ) -> QueryResult<Inspection> {
        let standard = Version::current(conn, now)?;
        let day = crate::time::local_date(now);
        let id: i32 = diesel::insert_into(inspections::table)
            .values((
                inspections::kind.eq(kind),
                inspections::hall_id.eq(hall),
                inspections::inspector_id.eq(inspector),
                inspections::standard_id.eq(standard.id),
                inspections::assignment_id.eq(assignment),
                inspections::day.eq(day),
                inspections::month.eq(Month::of_date(day)),
                inspections::zero_hits.eq(0),
                inspections::started_at.eq(now),
            ))
            .returning(inspections::id)
            .get_result(conn)?;
        Inspection::find(conn, id)
    }

    /// This inspector's unfinished inspection of the hall, of this kind, today.
    pub fn open_today(
        conn: &mut Conn,
        kind: Kind,
        hall: i32,
        inspector: i32,
        day: NaiveDate,
    ) -> QueryResult<Option<Inspection>> {
        inspections::table
            .filter(inspections::kind.eq(kind))
            .filter(inspections::hall_id.eq(hall))
            .filter(inspections::inspector_id.eq(inspector))
            .filter(inspections::day.eq(day))
            .filter(inspections::submitted_at.is_null())
            .select(Inspection::as_select())
            .first(conn)
            .optional()
    }

    pub fn standard(&self, conn: &mut Conn) -> QueryResult<Standard> {
        Ok(Version::find(conn, self.standard_id)?.standard())
    }

    pub fn verdicts(&self, conn: &mut Conn) -> QueryResult<BTreeMap<String, Verdict>> {
        let rows: Vec<(String, String, String)> = inspection_results::table
            .filter(inspection_results::inspection_id.eq(self.id))
            .select((inspection_results::item_code, inspection_results::outcome, inspection_results::note))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .filter_map(|(code, outcome, note)| {
                Some((code, Verdict { outcome: Outcome::parse(&outcome)?, note }))
            })
            .collect())
    }

    /// Saves one item's verdict (the form saves each as it is given).
    pub fn save_verdict(
        conn: &mut Conn,
        id: i32,
        code: &str,
        outcome: Outcome,
        note: &str,
        now: NaiveDateTime,
    ) -> QueryResult<()> {
        let updated = diesel::update(
            inspection_results::table
                .filter(inspection_results::inspection_id.eq(id))
                .filter(inspection_results::item_code.eq(code)),
        )
        .set((
            inspection_results::outcome.eq(outcome.as_str()),
            inspection_results::note.eq(note),
            inspection_results::updated_at.eq(now),
        ))
        .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(inspection_results::table)
                .values((
                    inspection_results::inspection_id.eq(id),
                    inspection_results::item_code.eq(code),
                    inspection_results::outcome.eq(outcome.as_str()),
                    inspection_results::note.eq(note),
                    inspection_results::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(())
    }

    pub fn save_queue(conn: &mut Conn, id: i32, queue: Option<Queue>) -> QueryResult<()> {
        diesel::update(inspections::table.find(id))
            .set((
                inspections::queue_minutes.eq(queue.map(|q| q.minutes as i32)),
                inspections::queue_waiting.eq(queue.map(|q| q.waiting as i32)),
            ))
            .execute(conn)?;
        Ok(())
    }

    pub fn queue(&self) -> Option<Queue> {
        Some(Queue {
            minutes: i64::from(self.queue_minutes?),
            waiting: i64::from(self.queue_waiting.unwrap_or(0)),
        })
    }

    /// The items that have at least one photo.
    pub fn photographed(&self, conn: &mut Conn) -> QueryResult<BTreeSet<String>> {
        Ok(Photo::of_inspection(conn, self.id)?.into_iter().map(|p| p.item_code).collect())
    }

    /// What the saved verdicts score, and what is still missing.
    pub fn evaluate(&self, conn: &mut Conn) -> QueryResult<(Standard, Scored, Option<rules::Missing>)> {
        let standard = self.standard(conn)?;
        let outcomes: BTreeMap<String, Outcome> =
            self.verdicts(conn)?.into_iter().map(|(c, v)| (c, v.outcome)).collect();
        let photos = self.photographed(conn)?;
        let scored = rules::score(&standard, &outcomes, self.queue());
        let missing = rules::missing(&standard, &outcomes, self.queue(), &photos);
        Ok((standard, scored, missing))
    }

    /// Submits a complete inspection: its score, a defect per failed item,
    /// and the hall's open defects of the items it passed closed. Returns the
    /// score, or what is missing.
    pub fn submit(&self, conn: &mut Conn, now: NaiveDateTime) -> QueryResult<Result<Scored, rules::Missing>> {
        let (standard, scored, missing) = self.evaluate(conn)?;
        if let Some(missing) = missing {
            return Ok(Err(missing));
        }
        diesel::update(inspections::table.find(self.id))
            .set((
                inspections::score.eq(Some(scored.total as i32)),
                inspections::zero_hits.eq(scored.zero_hits.len() as i32),
                inspections::submitted_at.eq(Some(now)),
            ))
            .execute(conn)?;
        let verdicts = self.verdicts(conn)?;
        let passed: Vec<&String> = standard
            .items
            .iter()
            .map(|i| &i.code)
            .filter(|c| {
                verdicts.get(*c).is_some_and(|v| v.outcome == Outcome::Pass)
                    || queue_passed(&standard, &scored, c)
            })
            .collect();
        let open: Vec<(i32, Kind, Option<i32>)> = defects::table
            .inner_join(inspections::table)
            .filter(defects::hall_id.eq(self.hall_id))
            .filter(defects::closed_at.is_null())
            .filter(defects::item_code.eq_any(passed))
            .select((defects::id, inspections::kind, defects::order_id))
            .load(conn)?;
        let closing: Vec<i32> = open
            .into_iter()
            .filter(|(_, found, order)| {
                rules::pass_closes(*found == Kind::Daily, order.is_some(), self.kind == Kind::Daily)
            })
            .map(|(id, _, _)| id)
            .collect();
        diesel::update(defects::table.filter(defects::id.eq_any(closing)))
            .set(defects::closed_at.eq(Some(now)))
            .execute(conn)?;
        for code in &scored.failed {
            let Some(item) = standard.item(code) else { continue };
            let note = verdicts.get(code).map(|v| v.note.clone()).unwrap_or_default();
            diesel::insert_into(defects::table)
                .values((
                    defects::hall_id.eq(self.hall_id),
                    defects::inspection_id.eq(self.id),
                    defects::item_code.eq(code),
                    defects::item_name.eq(&item.name),
                    defects::section.eq(&item.section),
                    defects::note.eq(note),
                    defects::opened_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(Ok(scored))
    }

    /// Submitted inspections of a month (all halls).
    pub fn of_month(conn: &mut Conn, month: Month) -> QueryResult<Vec<Inspection>> {
        inspections::table
            .filter(inspections::month.eq(month))
            .filter(inspections::submitted_at.is_not_null())
            .order(inspections::started_at.desc())
            .select(Inspection::as_select())
            .load(conn)
    }

    /// Recent inspections (submitted or not) of some halls, newest first.
    pub fn recent(conn: &mut Conn, halls: &[i32], limit: i64) -> QueryResult<Vec<Inspection>> {
        inspections::table
            .filter(inspections::hall_id.eq_any(halls))
            .order(inspections::started_at.desc())
            .limit(limit)
            .select(Inspection::as_select())
            .load(conn)
    }

    /// An inspector's own unfinished inspections.
    pub fn unfinished_of(conn: &mut Conn, inspector: i32) -> QueryResult<Vec<Inspection>> {
        inspections::table
            .filter(inspections::inspector_id.eq(inspector))
            .filter(inspections::submitted_at.is_null())
            .order(inspections::started_at.desc())
            .select(Inspection::as_select())
            .load(conn)
    }
}

/// The queue item passes when it earned anything (it has no verdict of its own).
fn queue_passed(standard: &Standard, scored: &Scored, code: &str) -> bool {
    standard.item(code).is_some_and(|i| i.queue) && !scored.failed.iter().any(|f| f == code)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = inspection_photos)]
pub struct Photo {
    pub id: i32,
    pub inspection_id: Option<i32>,
    pub item_code: String,
    pub event_id: Option<i32>,
    pub created_at: NaiveDateTime,
}

impl Photo {
    pub fn of_inspection(conn: &mut Conn, inspection: i32) -> QueryResult<Vec<Photo>> {
        inspection_photos::table
            .filter(inspection_photos::inspection_id.eq(inspection))
            .order(inspection_photos::id)
            .select(Photo::as_select())
            .load(conn)
    }

    pub fn of_events(conn: &mut Conn, events: &[i32]) -> QueryResult<Vec<Photo>> {
        inspection_photos::table
            .filter(inspection_photos::event_id.eq_any(events))
            .order(inspection_photos::id)
            .select(Photo::as_select())
            .load(conn)
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Photo> {
        inspection_photos::table.find(id).select(Photo::as_select()).first(conn)
    }

    /// The JPEG or its thumbnail.
    pub fn bytes(conn: &mut Conn, id: i32, thumb: bool) -> QueryResult<Vec<u8>> {
        if thumb {
            inspection_photos::table.find(id).select(inspection_photos::thumb).first(conn)
        } else {
            inspection_photos::table.find(id).select(inspection_photos::bytes).first(conn)
        }
    }

    pub fn insert(
        conn: &mut Conn,
        inspection: Option<i32>,
        item: &str,
        event: Option<i32>,
        photo: &super::photo::Processed,
        by: i32,
        now: NaiveDateTime,
    ) -> QueryResult<i32> {
        diesel::insert_into(inspection_photos::table)
            .values((
                inspection_photos::inspection_id.eq(inspection),
                inspection_photos::item_code.eq(item),
                inspection_photos::event_id.eq(event),
                inspection_photos::mime.eq("image/jpeg"),
                inspection_photos::bytes.eq(&photo.jpeg),
                inspection_photos::thumb.eq(&photo.thumb),
                inspection_photos::uploaded_by.eq(by),
                inspection_photos::created_at.eq(now),
            ))
            .returning(inspection_photos::id)
            .get_result(conn)
    }

    pub fn delete(conn: &mut Conn, id: i32) -> QueryResult<usize> {
        diesel::delete(inspection_photos::table.find(id)).execute(conn)
    }
}

/// Removes an item's verdict (the queue measured after it was marked 不适用).
pub fn clear_verdict(conn: &mut Conn, id: i32, code: &str) -> QueryResult<usize> {
    diesel::delete(
        inspection_results::table
            .filter(inspection_results::inspection_id.eq(id))
            .filter(inspection_results::item_code.eq(code)),
    )
    .execute(conn)
}

/// Daily checks of a hall submitted on a day (anyone's).
pub fn daily_count(conn: &mut Conn, hall: i32, day: NaiveDate) -> QueryResult<i64> {
    inspections::table
        .filter(inspections::kind.eq(Kind::Daily))
        .filter(inspections::hall_id.eq(hall))
        .filter(inspections::day.eq(day))
        .filter(inspections::submitted_at.is_not_null())
        .count()
        .get_result(conn)
}

/// A defect as lists and orders show it.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Defect {
    pub id: i32,
    pub hall_id: i32,
    pub item_code: String,
    pub item_name: String,
    pub section: String,
    pub note: String,
    pub opened_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
}

/// The defects an inspection found.
pub fn defects_of(conn: &mut Conn, inspection: i32) -> QueryResult<Vec<Defect>> {
    defects::table
        .filter(defects::inspection_id.eq(inspection))
        .order(defects::id)
        .select((
            defects::id,
            defects::hall_id,
            defects::item_code,
            defects::item_name,
            defects::section,
            defects::note,
            defects::opened_at,
            defects::closed_at,
        ))
        .load(conn)
}

/// The hall's manager (厅经理) who answers for a 纠错单: the first active one.
pub fn hall_manager(conn: &mut Conn, hall: i32) -> QueryResult<Option<i32>> {
    use crate::schema::{role_assignments, users};
    role_assignments::table
        .inner_join(users::table)
        .filter(role_assignments::org_unit_id.eq(hall))
        .filter(role_assignments::role.eq(crate::auth::Role::HallManager.code()))
        .filter(users::active.eq(true))
        .order(users::id)
        .select(users::id)
        .first(conn)
        .optional()
}
