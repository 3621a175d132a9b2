//! Who an exam is for, and each person's settings (extra time, in person).

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use super::{Exam, Person, Tree};
use crate::db::Conn;
use crate::domain::Month;
use crate::schema::{exam_people, role_assignments, users};

/// Role codes a user holds.
pub fn roles_of(conn: &mut Conn, user_id: i32) -> QueryResult<Vec<String>> {
    role_assignments::table
        .filter(role_assignments::user_id.eq(user_id))
        .select(role_assignments::role)
        .load(conn)
}

/// Every active person the exam is for, in staff-number order.
pub fn audience_people(conn: &mut Conn, exam: &Exam, tree: &Tree) -> QueryResult<Vec<Person>> {
    let audience = exam.audience();
    let staff: Vec<(i32, String, Option<String>, Option<i32>)> = users::table
        .filter(users::active.eq(true))
        .order((users::staff_no.asc(), users::id.asc()))
        .select((users::id, users::name, users::staff_no, users::hall_id))
        .load(conn)?;
    let grants: Vec<(i32, String)> =
        role_assignments::table.select((role_assignments::user_id, role_assignments::role)).load(conn)?;
    let mut roles: HashMap<i32, Vec<String>> = HashMap::new();
    for (user, role) in grants {
        roles.entry(user).or_default().push(role);
    }
    let empty = Vec::new();
    Ok(staff
        .into_iter()
        .filter(|(id, _, _, hall)| {
            audience.contains(*id, &tree.ancestry(*hall), roles.get(id).unwrap_or(&empty))
        })
        .map(|(id, name, staff_no, hall)| tree.person(id, name, staff_no, hall))
        .collect())
}

pub fn in_audience(
    conn: &mut Conn,
    exam: &Exam,
    user_id: i32,
    hall_id: Option<i32>,
    tree: &Tree,
) -> QueryResult<bool> {
    let roles = roles_of(conn, user_id)?;
    Ok(exam.audience().contains(user_id, &tree.ancestry(hall_id), &roles))
}

/// Per-person settings (extra time, in person).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = exam_people)]
pub struct ExamPerson {
    pub id: i32,
    pub exam_id: i32,
    pub user_id: i32,
    pub extra_minutes: i32,
    pub in_person: bool,
    pub note: String,
    /// The closed month whose list marked this person in person (None: by hand).
    pub flag_month: Option<Month>,
}

/// A person's settings as stored (a month flag of None is written as NULL).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = exam_people)]
#[diesel(treat_none_as_null = true, treat_none_as_default_value = false)]
struct PersonSettings<'a> {
    extra_minutes: i32,
    in_person: bool,
    note: &'a str,
    flag_month: Option<Month>,
}

impl ExamPerson {
    pub fn find(conn: &mut Conn, exam_id: i32, user_id: i32) -> QueryResult<Option<ExamPerson>> {
        exam_people::table
            .filter(exam_people::exam_id.eq(exam_id))
            .filter(exam_people::user_id.eq(user_id))
            .select(ExamPerson::as_select())
            .first(conn)
            .optional()
    }

    pub fn for_exam(conn: &mut Conn, exam_id: i32) -> QueryResult<Vec<ExamPerson>> {
        exam_people::table.filter(exam_people::exam_id.eq(exam_id)).select(ExamPerson::as_select()).load(conn)
    }

    /// Creates or changes a person's settings.
    pub fn upsert(
        conn: &mut Conn,
        exam_id: i32,
        user_id: i32,
        change: impl FnOnce(&mut ExamPerson),
    ) -> QueryResult<ExamPerson> {
        let mut p = Self::find(conn, exam_id, user_id)?.unwrap_or(ExamPerson {
            id: 0,
            exam_id,
            user_id,
            extra_minutes: 0,
            in_person: false,
            note: String::new(),
            flag_month: None,
        });
        change(&mut p);
        let settings = PersonSettings {
            extra_minutes: p.extra_minutes,
            in_person: p.in_person,
            note: &p.note,
            flag_month: p.flag_month,
        };
        if p.id == 0 {
            p.id = diesel::insert_into(exam_people::table)
                .values((exam_people::exam_id.eq(exam_id), exam_people::user_id.eq(user_id), settings))
                .returning(exam_people::id)
                .get_result(conn)?;
        } else {
            diesel::update(exam_people::table.find(p.id)).set(settings).execute(conn)?;
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Audience;

    #[test]
    fn audience_membership() {
        let a = Audience { units: vec![2], roles: vec!["clerk".into()], include: vec![9], exclude: vec![5] };
        let clerk = vec!["clerk".to_string()];
        assert!(a.contains(1, &[10, 2, 1], &clerk));
        assert!(!a.contains(1, &[11, 3, 1], &clerk), "another county");
        assert!(!a.contains(1, &[10, 2, 1], &["trainer".to_string()]), "another role");
        assert!(a.contains(9, &[11, 3, 1], &[]), "named");
        assert!(!a.contains(5, &[10, 2, 1], &clerk), "excluded");
    }
}
