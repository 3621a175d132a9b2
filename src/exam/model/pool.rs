//! The questions an exam's paper is drawn from, and their labels.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::bank::model::{VersionRow, ACTIVE};
use crate::bank::question::Kind;
use crate::db::{now, Conn};
use crate::exam::paper::{PaperRule, PoolQuestion};
use crate::schema::{org_units, question_versions, questions};

/// The questions a rule may draw: the current version of every active
/// question of the bank (sections) or of the listed questions (fixed), with
/// how exposed each is now.
pub fn pool(conn: &mut Conn, rule: &PaperRule) -> QueryResult<Vec<PoolQuestion>> {
    pool_as_of(conn, rule, now())
}

/// [`pool`] with the exposure as it was at `cutoff`: an exam's papers use the
/// exposure at its opening, so reveals elsewhere during the window cannot
/// make an unrevealed-only section run short halfway through the morning.
pub fn pool_as_of(
    conn: &mut Conn,
    rule: &PaperRule,
    cutoff: NaiveDateTime,
) -> QueryResult<Vec<PoolQuestion>> {
    let mut query = questions::table
        .inner_join(
            question_versions::table.on(question_versions::question_id
                .eq(questions::id)
                .and(question_versions::version.eq(questions::current_version))),
        )
        .filter(questions::status.eq(ACTIVE))
        .into_boxed();
    match rule {
        PaperRule::Sections { bank_id, .. } => query = query.filter(questions::bank_id.eq(*bank_id)),
        PaperRule::Fixed { items } => {
            let ids: Vec<i32> = items.iter().map(|i| i.question_id).collect();
            query = query.filter(questions::id.eq_any(ids));
        }
    }
    let rows: Vec<VersionRow> = query.order(questions::id).select(VersionRow::as_select()).load(conn)?;
    let ids: Vec<i32> = rows.iter().map(|v| v.question_id).collect();
    let revealed = crate::exam::exposure::revealed_to(conn, &ids, cutoff)?;
    rows.iter()
        .map(|v| {
            let q = v.question()?;
            Ok(PoolQuestion {
                question_id: v.question_id,
                version_id: v.id,
                kind: q.kind,
                channel: q.channel,
                category: q.category,
                knowledge_points: q.knowledge_points,
                difficulty: q.difficulty,
                points: q.points,
                options: q.options.len(),
                revealed_to: revealed.get(&v.question_id).copied().unwrap_or(0),
            })
        })
        .collect()
}

/// The current version of questions, for labelling statistics.
pub fn question_stems(conn: &mut Conn, ids: &[i32]) -> QueryResult<HashMap<i32, (String, Kind)>> {
    let rows: Vec<VersionRow> = questions::table
        .inner_join(
            question_versions::table.on(question_versions::question_id
                .eq(questions::id)
                .and(question_versions::version.eq(questions::current_version))),
        )
        .filter(questions::id.eq_any(ids))
        .select(VersionRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|v| (v.question_id, (v.stem.clone(), Kind::parse_code(&v.kind).unwrap_or(Kind::Single))))
        .collect())
}

/// Units by id for filters.
pub fn unit_names(conn: &mut Conn) -> QueryResult<HashMap<i32, String>> {
    let rows: Vec<(i32, String)> = org_units::table.select((org_units::id, org_units::name)).load(conn)?;
    Ok(rows.into_iter().collect())
}
