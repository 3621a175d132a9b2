//! GET /practice/activity: practice per hall over the last 30 days — who
//! practises, how much, how often right, and the knowledge points most
//! missed — for team leaders (their hall), supervisors (their scope) and
//! trainers (every hall), halls grouped by area in the one area order.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use actix_web::{web, HttpResponse};
use chrono::Duration;
use diesel::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::db::Conn;
use crate::domain::org::{OrgTree, Scope};
use crate::domain::score::two_decimals;
use crate::schema::{practice_answers, question_versions, users};
use crate::web::{AppResult, Ctx};
use crate::AppState;

/// Days of practice the page looks back over.
pub const DAYS: i64 = 30;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HallActivity {
    pub area: String,
    pub hall: String,
    pub clerks: usize,
    pub answers: usize,
    /// Right answers in hundredths of a percent, as text (`85.00%`).
    pub right: String,
    /// The knowledge points most answered wrong, most first (up to three).
    pub missed: Vec<(String, usize)>,
    /// An area's total row (after its halls).
    pub total: bool,
}

/// One row's figures from its answers.
fn row(area: String, hall: String, rows: &[&Fact], total: bool) -> HallActivity {
    let clerks: BTreeSet<i32> = rows.iter().map(|f| f.0).collect();
    let right = rows.iter().filter(|f| f.2).count();
    let mut missed: HashMap<&str, usize> = HashMap::new();
    for f in rows.iter().filter(|f| !f.2) {
        for p in &f.3 {
            *missed.entry(p.as_str()).or_default() += 1;
        }
    }
    let mut missed: Vec<(String, usize)> = missed.into_iter().map(|(p, n)| (p.to_string(), n)).collect();
    missed.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    missed.truncate(3);
    // Exact: hundredths of a percent, rounded half up.
    let n = rows.len().max(1) as i64;
    let right = format!("{}%", two_decimals((right as i64 * 20_000 + n) / (2 * n)));
    HallActivity { area, hall, clerks: clerks.len(), answers: rows.len(), right, missed, total }
}

/// One practice answer as the page counts it: (user, hall, right, knowledge points).
pub type Fact = (i32, Option<i32>, bool, Vec<String>);

/// Per hall: distinct clerks, answers, share right, most-missed points;
/// each area's halls followed by the area's total row.
pub fn by_hall(facts: &[Fact], tree: &OrgTree) -> Vec<HallActivity> {
    type Key = (crate::domain::org::AreaRank, String);
    let mut areas: BTreeMap<Key, BTreeMap<(String, i32), Vec<&Fact>>> = BTreeMap::new();
    for f in facts {
        let Some(hall) = f.1 else { continue };
        let area = tree.area_of(Some(hall));
        let key = (crate::domain::org::area_rank(area), area.map(|a| a.name.clone()).unwrap_or_default());
        areas.entry(key).or_default().entry((tree.name(Some(hall)), hall)).or_default().push(f);
    }
    let mut out = Vec::new();
    for ((_, area), halls) in areas {
        let all: Vec<&Fact> = halls.values().flatten().copied().collect();
        for ((hall, _), rows) in halls {
            out.push(row(area.clone(), hall, &rows, false));
        }
        out.push(row(area.clone(), crate::web::msg::TOTAL.to_string(), &all, true));
    }
    out
}

fn facts(conn: &mut Conn, scope: &Scope, tree: &OrgTree) -> QueryResult<Vec<Fact>> {
    let since = crate::db::now() - Duration::days(DAYS);
    let rows: Vec<(i32, Option<i32>, bool, String)> = practice_answers::table
        .inner_join(users::table)
        .inner_join(question_versions::table.on(question_versions::id.eq(practice_answers::version_id)))
        .filter(practice_answers::answered_at.ge(since))
        .select((
            practice_answers::user_id,
            users::hall_id,
            practice_answers::correct,
            question_versions::knowledge_points,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(_, hall, _, _)| scope.sees(tree, *hall))
        .map(|(u, h, r, p)| (u, h, r, crate::bank::sources::points_of(&p)))
        .collect())
}

pub async fn index(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let halls = state
        .db(move |conn| {
            let tree = OrgTree::load(conn)?;
            let scope = Scope::with_own_halls(&me);
            Ok(by_hall(&facts(conn, &scope, &tree)?, &tree))
        })
        .await?;
    let mut c = Context::new();
    c.insert("halls", &halls);
    c.insert("days", &DAYS);
    ctx.render("practice/activity.html", c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::org::{Node, UnitKind};

    #[test]
    fn halls_count_clerks_answers_right_share_and_missed_points_district_first() {
        let node = |id, parent, kind, name: &str| Node {
            id,
            parent_id: parent,
            kind,
            name: name.into(),
            active: true,
        };
        // County 2 made before district 3.
        let tree = OrgTree::from_nodes(vec![
            node(1, None, UnitKind::City, "江州"),
            node(2, Some(1), UnitKind::County, "青山县分公司"),
            node(3, Some(1), UnitKind::District, "江州市区"),
            node(4, Some(2), UnitKind::Hall, "青山中心营业厅"),
            node(5, Some(3), UnitKind::Hall, "人民路营业厅"),
        ]);
        let p = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let facts: Vec<Fact> = vec![
            (10, Some(4), true, p(&["携转条件"])),
            (10, Some(4), false, p(&["携转条件", "授权码"])),
            (11, Some(4), false, p(&["授权码"])),
            (20, Some(5), true, p(&["套餐变更"])),
            (20, Some(5), true, p(&["套餐变更"])),
            (20, Some(5), false, p(&["套餐变更"])),
            (30, None, false, p(&["x"])), // no hall: not a hall's
        ];
        let halls = by_hall(&facts, &tree);
        // 人民路: 1 clerk, 3 answers, 2/3 right = 66.67%; 青山: 2 clerks, 3 answers, 1/3 = 33.33%;
        // each area's total after its halls (one hall each here: the same figures).
        let shape: Vec<(&str, usize, usize, &str, bool)> =
            halls.iter().map(|h| (h.hall.as_str(), h.clerks, h.answers, h.right.as_str(), h.total)).collect();
        assert_eq!(
            shape,
            [
                ("人民路营业厅", 1, 3, "66.67%", false),
                ("合计", 1, 3, "66.67%", true),
                ("青山中心营业厅", 2, 3, "33.33%", false),
                ("合计", 2, 3, "33.33%", true),
            ]
        );
        assert_eq!(halls[2].missed, [("授权码".to_string(), 2), ("携转条件".to_string(), 1)]);
        assert_eq!((halls[0].area.as_str(), halls[3].area.as_str()), ("江州市区", "青山县分公司"));
    }
}
