//! The candidate's review of their paper once no attempt can change, and the
//! review item the trainer's attempt page shares.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use tera::Context;

use super::{attempt_view, blanks_of, exam_view};
use crate::bank::question::{format_points, letter, Answer, Question};
use crate::db::{now, write, Conn};
use crate::exam::answer;
use crate::exam::model::{self, Attempt, AttemptStatus, Exam};
use crate::web::{AppError, AppResult, Ctx};
use crate::AppState;

/// A question after the exam: the candidate's answer, the key, the explanation.
#[derive(Serialize)]
pub struct ReviewItem {
    pub pos: i32,
    pub kind_label: &'static str,
    pub stem: String,
    pub options: Vec<(char, String, bool, bool)>,
    pub true_false: Option<(Option<bool>, bool)>,
    pub blanks: Vec<(String, String)>,
    pub text: String,
    pub reference: String,
    pub explanation: String,
    pub points: String,
    pub earned: Option<String>,
    pub correct: bool,
    /// Whether the key and explanation are in this item (else only marks).
    pub key: bool,
    /// Neither mark nor key: the question is still in use elsewhere.
    pub withheld: bool,
    /// Where the question is taught (去学习): its knowledge-base sources.
    pub learn: Vec<crate::bank::sources::Source>,
    /// In the 错题本: which exam, which day (empty on an exam's own review).
    pub origin: String,
}

impl ReviewItem {
    /// The candidate's answers marked right or wrong, with the key and the
    /// explanation taken out (not merely hidden: they are not in the page).
    pub fn marked_only(mut self) -> ReviewItem {
        for option in &mut self.options {
            option.2 = false;
        }
        if let Some((_, key)) = &mut self.true_false {
            *key = false;
        }
        for (_, key) in &mut self.blanks {
            key.clear();
        }
        self.reference.clear();
        self.explanation.clear();
        self.key = false;
        self
    }

    /// A question still on someone's running attempt (another exam shares
    /// it): the candidate's own answer only, no mark, no key.
    pub fn withheld(self) -> ReviewItem {
        let mut item = self.marked_only();
        item.earned = None;
        item.correct = false;
        item.withheld = true;
        item.learn.clear();
        item
    }
}

/// Builds the review of one item (shared with the trainer's attempt page).
pub fn review_item(item: &model::Item, q: &Question) -> ReviewItem {
    let order = item.order();
    let response = item.response();
    let shown = answer::show(&order, response.as_ref(), blanks_of(q));
    let options = match &q.answer {
        Answer::Choices(correct) => order
            .iter()
            .enumerate()
            .map(|(i, o)| {
                (
                    letter(i),
                    q.options.get(*o).cloned().unwrap_or_default(),
                    correct.contains(o),
                    shown.chosen.contains(&i),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    let true_false = match &q.answer {
        Answer::TrueFalse(v) => Some((shown.true_false, *v)),
        _ => None,
    };
    let blanks = match &q.answer {
        Answer::Blanks(groups) => {
            groups.iter().zip(&shown.blanks).map(|(g, given)| (given.clone(), g.join(" / "))).collect()
        }
        _ => Vec::new(),
    };
    let reference = match &q.answer {
        Answer::Reference(r) => r.clone(),
        _ => String::new(),
    };
    ReviewItem {
        pos: item.position,
        kind_label: q.kind.label(),
        stem: q.stem.clone(),
        options,
        true_false,
        blanks,
        text: shown.text,
        reference,
        explanation: q.explanation.clone(),
        points: format_points(i64::from(item.points)),
        earned: item.earned.map(|e| format_points(i64::from(e))),
        correct: item.earned == Some(item.points),
        key: true,
        withheld: false,
        learn: Vec::new(),
        origin: String::new(),
    }
}

/// GET /my/exams/{id}/review: the candidate's paper, marked (and with the key
/// and explanations if the exam shows them), only once no attempt of the exam
/// can change (DESIGN §4 rule 10). Showing it records the reveal (rule 11).
pub async fn review(ctx: Ctx, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let id = path.into_inner();
    let (shown, mut sources) = state
        .db(move |conn| {
            let shown = write(conn, |conn| reveal(conn, id, me))?;
            let ids: Vec<i32> =
                shown.iter().flat_map(|s| s.2.iter().map(|(item, _)| item.question_id)).collect();
            Ok((shown, crate::bank::sources::of_questions(conn, &ids)?))
        })
        .await?;
    let Some((exam, attempt, paper, withheld)) = shown else {
        return Err(AppError::Forbidden);
    };
    let key = exam.review().shows_key();
    let items: Vec<ReviewItem> = paper
        .iter()
        .map(|(item, q)| {
            let mut shown = review_item(item, q);
            shown.learn = sources.remove(&item.question_id).unwrap_or_default();
            if withheld.contains(&item.question_id) {
                shown.withheld()
            } else if key {
                shown
            } else {
                shown.marked_only()
            }
        })
        .collect();
    let mut c = Context::new();
    c.insert("exam", &exam_view(&exam));
    c.insert("attempt", &attempt_view(&attempt, exam.pass_mark));
    c.insert("items", &items);
    ctx.render("exam/review.html", c)
}

type Revealed = (Exam, Attempt, Vec<(model::Item, Question)>, std::collections::HashSet<i32>);

/// The review's check and its record, in one write transaction under the
/// exam's lock: no reopen slips between them (rule 10). Questions still on a
/// running attempt of any exam are withheld, and only what is shown is
/// recorded as revealed (rule 11).
fn reveal(conn: &mut Conn, id: i32, me: i32) -> AppResult<Option<Revealed>> {
    let exam = Exam::find(conn, id)?;
    let attempt = Attempt::of(conn, id, me)?.ok_or(AppError::NotFound)?;
    Exam::lock(conn, id)?;
    // Practice is for learning: each round's paper right after it is handed in
    // (what is still on anyone's running attempt is withheld below).
    let practice = exam.kind == crate::exam::model::ExamKind::Practice;
    if !exam.review().shows_paper()
        || attempt.status == AttemptStatus::InProgress
        || !(practice || exam.over_for_everyone(conn)?)
    {
        return Ok(None);
    }
    // Attempts past their grace but not yet swept are closed first: none stays open under a shown key.
    for other in Attempt::running(conn, id)?.into_iter().filter(|_| !practice) {
        Attempt::submit(conn, other.id, "deadline", now())?;
    }
    let paper = Attempt::paper(conn, attempt.id)?;
    let ids: Vec<i32> = paper.iter().map(|(i, _)| i.question_id).collect();
    let withheld = crate::exam::exposure::in_running_attempts(conn, &ids)?;
    let seen: Vec<(i32, i32)> = paper
        .iter()
        .filter(|(i, _)| !withheld.contains(&i.question_id))
        .map(|(i, _)| (i.question_id, i.version_id))
        .collect();
    crate::exam::exposure::record(conn, me, exam.id, &seen, now())?;
    Ok(Some((exam, attempt, paper, withheld)))
}
