//! The demo's 补学: found in the exam two months back (the county with the
//! most clerks who missed a knowledge point that has articles), so last
//! month's exam shows its effect.

use chrono::Days;

use crate::db::Conn;
use crate::domain::org::OrgTree;
use crate::domain::Month;

pub fn populate(conn: &mut Conn, by: i32) -> anyhow::Result<()> {
    let Some(found) = Month::current().previous().and_then(|m| m.previous()) else { return Ok(()) };
    let tree = OrgTree::load(conn)?;
    // The knowledge points whose questions have an article to read.
    let everyone = super::answers(conn, found, None, &tree)?;
    let questions: Vec<i32> = everyone.iter().map(|(q, _)| *q).collect();
    let taught = crate::bank::sources::of_questions(conn, &questions)?;
    let mut points: Vec<String> =
        everyone.iter().filter(|(q, _)| taught.contains_key(q)).flat_map(|(_, a)| a.kps.clone()).collect();
    points.sort();
    points.dedup();
    let counties = tree
        .areas()
        .iter()
        .filter(|a| a.kind == crate::domain::org::UnitKind::County)
        .map(|a| a.id)
        .collect::<Vec<_>>();
    let mut best: Option<(usize, String, i32)> = None;
    for area in counties {
        let answers: Vec<super::rules::Answer> =
            super::answers(conn, found, Some(area), &tree)?.into_iter().map(|(_, a)| a).collect();
        for kp in &points {
            let n = super::rules::audience(&answers, kp).len();
            if best.as_ref().is_none_or(|b| n > b.0) {
                best = Some((n, kp.clone(), area));
            }
        }
    }
    let best = match best {
        Some((n, kp, area)) if n > 0 => Some((kp.clone(), area, super::plan(conn, found, &kp, Some(area))?)),
        _ => None,
    };
    if let Some((kp, area, plan)) = best.filter(|b| !b.2.articles.is_empty()) {
        let at = crate::db::now() - chrono::Duration::days(40);
        let due = crate::time::local_date(at) + Days::new(7);
        super::assign(conn, found, &kp, Some(area), &plan, due, by, at)?;
    }
    Ok(())
}
