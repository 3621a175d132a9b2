//! The exams on a person's home page.

use serde::Serialize;

use crate::db::{now, Conn};
use crate::domain::Month;
use crate::exam::model::{self, Attempt, AttemptStatus, Exam, ExamKind, Tree};
use crate::exam::rules::Phase;
use crate::time::local_display;
use crate::web::{msg, AppResult};

/// The exams on a person's home page: published, for them, from last month on.
#[derive(Serialize)]
pub struct HomeExam {
    pub exam: ExamViewPublic,
    pub state: &'static str,
    pub score: Option<String>,
}

#[derive(Serialize)]
pub struct ExamViewPublic {
    id: i32,
    title: String,
    kind: &'static str,
    phase_label: &'static str,
    opens_at: String,
    closes_at: String,
    time_limit: i32,
}

pub fn home_exams(conn: &mut Conn, user_id: i32, hall_id: Option<i32>) -> AppResult<Vec<HomeExam>> {
    let since = Month::of(now() - chrono::Duration::days(31));
    let tree = Tree::load(conn)?;
    let mut out = Vec::new();
    for exam in Exam::published_since(conn, since)? {
        let attempt = Attempt::of(conn, exam.id, user_id)?;
        if attempt.is_none() && !model::in_audience(conn, &exam, user_id, hall_id, &tree)? {
            continue;
        }
        let phase = exam.phase(now());
        let state = match (&attempt, phase) {
            (Some(a), _) if a.status == AttemptStatus::InProgress => msg::EXAM_STATE_IN_PROGRESS,
            (Some(_), _) => msg::EXAM_STATE_SUBMITTED,
            (None, Phase::Closed) => msg::EXAM_STATE_ABSENT,
            (None, _) => msg::EXAM_STATE_NOT_STARTED,
        };
        let score = attempt
            .as_ref()
            .filter(|a| {
                let practice_done = exam.kind == ExamKind::Practice && a.status != AttemptStatus::InProgress;
                (phase == Phase::Closed || practice_done) && exam.review().shows_score()
            })
            .and_then(|a| a.score)
            .map(|s| crate::domain::score::two_decimals(i64::from(s)));
        out.push(HomeExam {
            exam: ExamViewPublic {
                id: exam.id,
                title: exam.title.clone(),
                kind: exam.kind_label(),
                phase_label: phase.label(),
                opens_at: local_display(exam.opens_at),
                closes_at: local_display(exam.closes_at),
                time_limit: exam.time_limit_minutes,
            },
            state,
            score,
        });
    }
    Ok(out)
}
