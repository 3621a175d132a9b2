//! The demo's practice: the sample bank open for practice, and a week of
//! practice history for a few clerks (so the 错题本 has moved, streaks and
//! the weekly chart show something).

use chrono::Duration;
use diesel::prelude::*;

use crate::db::Conn;
use crate::schema::{banks, users};

/// Clerks who practise in the demo: (login, days of the last week with practice, from 6 days ago).
const PRACTISERS: [(&str, [bool; 7]); 3] = [
    ("10087", [false, true, true, false, true, true, true]),
    ("10003", [true, true, true, true, true, true, false]),
    ("10002", [false, false, true, false, false, true, false]),
];

pub fn populate(conn: &mut Conn, bank_id: i32) -> anyhow::Result<()> {
    diesel::update(banks::table.find(bank_id)).set(banks::practice.eq(true)).execute(conn)?;
    let now = crate::db::now();
    for (login, week) in PRACTISERS {
        let Some(user) =
            users::table.filter(users::username.eq(login)).select(users::id).first::<i32>(conn).optional()?
        else {
            continue;
        };
        let in_book: Vec<i32> = super::model::book(conn, user)?.into_iter().map(|w| w.question_id).collect();
        let pool = super::model::drawable(conn, &in_book, None, true)?;
        for (back, practised) in week.iter().rev().enumerate() {
            if !*practised {
                continue;
            }
            let at = now - Duration::days(back as i64) - Duration::hours(2);
            // Three of the book's questions a day, the third one wrong.
            for (i, d) in pool.iter().cycle().skip(back * 3).take(3.min(pool.len())).enumerate() {
                super::model::record(conn, user, d, "book", i != 2, at + Duration::minutes(i as i64))?;
            }
        }
    }
    Ok(())
}
