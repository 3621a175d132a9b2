//! An exam's results table: everyone in the audience plus anyone who sat,
//! with competition ranks in the city, the area and the hall.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use serde::Serialize;

use super::{audience_people, Attempt, AttemptStatus, Exam, Person, Tree};
use crate::db::Conn;
use crate::schema::users;

/// One row of an exam's results table.
#[derive(Debug, Clone, Serialize)]
pub struct ResultRow {
    pub person: Person,
    pub attempt: Option<Attempt>,
    /// Rank by score among submitted, graded attempts (1 = best; ties share).
    pub rank_city: Option<usize>,
    pub rank_area: Option<usize>,
    pub rank_hall: Option<usize>,
}

impl ResultRow {
    pub fn score(&self) -> Option<i32> {
        self.attempt.as_ref().and_then(|a| a.score)
    }

    pub fn absent(&self) -> bool {
        self.attempt.as_ref().is_none_or(|a| a.status != AttemptStatus::Submitted)
    }
}

/// Ranks (competition ranking: 1, 2, 2, 4) of scores.
pub fn ranks(scores: &[i32]) -> Vec<usize> {
    scores.iter().map(|s| 1 + scores.iter().filter(|o| *o > s).count()).collect()
}

/// The results of an exam: everyone in the audience plus anyone who sat it,
/// with the hall recorded at the start of each attempt.
pub fn results(conn: &mut Conn, exam: &Exam) -> QueryResult<Vec<ResultRow>> {
    let tree = Tree::load(conn)?;
    let mut people = audience_people(conn, exam, &tree)?;
    let attempts = Attempt::for_exam(conn, exam.id)?;
    let known: HashSet<i32> = people.iter().map(|p| p.id).collect();
    let missing: Vec<i32> = attempts.iter().map(|a| a.user_id).filter(|u| !known.contains(u)).collect();
    let extra: Vec<(i32, String, Option<String>, Option<i32>)> = users::table
        .filter(users::id.eq_any(&missing))
        .select((users::id, users::name, users::staff_no, users::hall_id))
        .load(conn)?;
    people.extend(extra.into_iter().map(|(id, name, no, hall)| tree.person(id, name, no, hall)));
    let mut by_user: HashMap<i32, Attempt> = attempts.into_iter().map(|a| (a.user_id, a)).collect();
    let mut rows: Vec<ResultRow> = people
        .into_iter()
        .map(|mut person| {
            let attempt = by_user.remove(&person.id);
            if let Some(a) = &attempt {
                // The hall at the time of the attempt, not today's.
                if a.hall_id.is_some() && a.hall_id != person.hall_id {
                    person = tree.person(person.id, person.name, person.staff_no, a.hall_id);
                }
            }
            ResultRow { person, attempt, rank_city: None, rank_area: None, rank_hall: None }
        })
        .collect();
    let graded: Vec<(usize, i32)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.absent())
        .filter_map(|(i, r)| r.score().map(|s| (i, s)))
        .collect();
    let rank_within = |key: &dyn Fn(&ResultRow) -> Option<i32>, rows: &[ResultRow]| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut groups: HashMap<Option<i32>, Vec<(usize, i32)>> = HashMap::new();
        for (i, s) in &graded {
            groups.entry(key(&rows[*i])).or_default().push((*i, *s));
        }
        for members in groups.values() {
            let scores: Vec<i32> = members.iter().map(|(_, s)| *s).collect();
            for ((i, _), r) in members.iter().zip(ranks(&scores)) {
                out.push((*i, r));
            }
        }
        out
    };
    for (i, r) in rank_within(&|_| None, &rows) {
        rows[i].rank_city = Some(r);
    }
    for (i, r) in rank_within(&|row| row.person.area_id, &rows) {
        rows[i].rank_area = Some(r);
    }
    for (i, r) in rank_within(&|row| row.person.hall_id, &rows) {
        rows[i].rank_hall = Some(r);
    }
    // The city district first, then the counties; halls and staff numbers within.
    rows.sort_by(|a, b| {
        let key =
            |r: &ResultRow| (r.person.county, r.person.area_id, r.person.hall_id, r.person.staff_no.clone());
        key(a).cmp(&key(b))
    });
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competition_ranks() {
        assert_eq!(ranks(&[9000, 8000, 9000, 7000]), vec![1, 3, 1, 4]);
        assert_eq!(ranks(&[]), Vec::<usize>::new());
    }
}
