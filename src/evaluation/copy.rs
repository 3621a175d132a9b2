//! `copy-db` for the satisfaction, evaluation and 360 tables: whole rows, ids included, parents first.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::Conn;
use crate::schema::{
    evaluation_appeals, evaluation_ratings, evaluation_schemes, hall_satisfaction, review360_answers,
    review360_raters, review360_rounds, satisfaction_replies,
};

macro_rules! row {
    ($name:ident, $table:ident { $($field:ident: $ty:ty),* $(,)? }) => {
        #[derive(Queryable, Selectable, Insertable)]
        #[diesel(table_name = $table)]
        struct $name { $($field: $ty),* }
    };
}

row!(ReplyRow, satisfaction_replies {
    id: i32, month: String, replied_at: NaiveDateTime, hall_id: i32, clerk_id: Option<i32>, rating: String,
    comment: String, ref_no: String, imported_by: Option<i32>, imported_at: NaiveDateTime,
});
row!(RateRow, hall_satisfaction {
    id: i32, month: String, hall_id: i32, rate: i32, surveyed: Option<i32>, imported_by: Option<i32>,
    imported_at: NaiveDateTime,
});
row!(SchemeRow, evaluation_schemes {
    id: i32, role: String, version: i32, body: String, note: String, created_by: Option<i32>, created_at: NaiveDateTime,
});
row!(RatingRow, evaluation_ratings {
    id: i32, month: String, user_id: i32, component: String, points: i32, reason: String, rated_by: Option<i32>,
    rated_at: NaiveDateTime,
});
row!(AppealRow, evaluation_appeals {
    id: i32, month: String, user_id: i32, component: String, reason: String, status: String, filed_at: NaiveDateTime,
    points_before: Option<i32>, points_after: Option<i32>, answer: String, answered_by: Option<i32>,
    answered_at: Option<NaiveDateTime>,
});
row!(RoundRow, review360_rounds {
    id: i32, title: String, month: String, questionnaire_version: i32, questionnaire: String, status: String,
    created_by: Option<i32>, created_at: NaiveDateTime, opened_at: Option<NaiveDateTime>, closed_at: Option<NaiveDateTime>,
});
row!(
    RaterRow,
    review360_raters {
        id: i32,
        round_id: i32,
        leader_id: i32,
        rater_id: i32,
        perspective: String,
        done: bool
    }
);
row!(
    AnswerRow,
    review360_answers {
        key: String,
        round_id: i32,
        leader_id: i32,
        perspective: String,
        scores: String,
        comment: String,
    }
);

macro_rules! copy_table {
    ($from:expr, $to:expr, $row:ident, $table:ident, $order:ident) => {
        for row in $table::table.order($table::$order).select($row::as_select()).load($from)? {
            diesel::insert_into($table::table).values(&row).execute($to)?;
        }
    };
}

pub fn copy(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    copy_table!(from, to, ReplyRow, satisfaction_replies, id);
    copy_table!(from, to, RateRow, hall_satisfaction, id);
    copy_table!(from, to, SchemeRow, evaluation_schemes, id);
    copy_table!(from, to, RatingRow, evaluation_ratings, id);
    copy_table!(from, to, AppealRow, evaluation_appeals, id);
    copy_table!(from, to, RoundRow, review360_rounds, id);
    copy_table!(from, to, RaterRow, review360_raters, id);
    // Answers carry no order worth keeping: by their random key.
    copy_table!(from, to, AnswerRow, review360_answers, key);
    Ok(())
}
