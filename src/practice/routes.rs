//! GET /my/practice: the 错题本 and where to start; GET /my/practice/next:
//! one question; POST /my/practice/answer: the instant feedback.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::model::{self, Drawable};
use super::rules;
use crate::bank::grading::{grade, Response};
use crate::bank::question::{letter, Answer, Kind};
use crate::db::{now, write};
use crate::exam::routes::sit::review::{review_item, ReviewItem};
use crate::web::chart::{Chart, Svg};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

/// GET /my/practice: streak and week, the ways to practise, the 错题本 with
/// the key, the explanation and where to learn (showing a key records it, rule 11).
pub async fn index(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let (items, points, days, daily) = state
        .db(move |conn| {
            write(conn, |conn| {
                let wrong = model::book(conn, me)?;
                let ids: Vec<i32> = wrong.iter().map(|w| w.question_id).collect();
                let mut sources = crate::bank::sources::of_questions(conn, &ids)?;
                let mut items: Vec<ReviewItem> = Vec::new();
                // Each attempt's paper once, however many of its questions are in the book.
                let mut papers: HashMap<
                    i32,
                    Vec<(crate::exam::model::Item, crate::bank::question::Question)>,
                > = HashMap::new();
                for (i, w) in wrong.iter().enumerate() {
                    let paper = match papers.entry(w.attempt_id) {
                        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(crate::exam::model::Attempt::paper(conn, w.attempt_id)?)
                        }
                    };
                    let Some((item, q)) = paper.iter().find(|(it, _)| it.question_id == w.question_id) else {
                        continue;
                    };
                    crate::exam::exposure::record(
                        conn,
                        me,
                        w.exam_id,
                        &[(item.question_id, item.version_id)],
                        now(),
                    )?;
                    let mut shown = review_item(item, q);
                    shown.pos = i as i32 + 1;
                    shown.learn = sources.remove(&w.question_id).unwrap_or_default();
                    shown.origin = msg::practice_origin(&w.exam_title, w.wrong_on);
                    items.push(shown);
                }
                let mut points: BTreeMap<String, usize> = BTreeMap::new();
                for d in model::drawable(conn, &ids, None, false)? {
                    for p in d.question.knowledge_points {
                        *points.entry(p).or_default() += 1;
                    }
                }
                let daily = crate::settings::number(conn, &crate::settings::PRACTICE_DAILY)?;
                Ok((items, points, model::days(conn, me)?, (daily, model::today_count(conn, me, "daily")?)))
            })
        })
        .await?;
    let today = crate::time::local_date(now());
    let practised: BTreeSet<_> = days.0.iter().copied().collect();
    let mut c = Context::new();
    c.insert("items", &items);
    c.insert("points", &points.into_iter().collect::<Vec<_>>());
    c.insert("streak", &rules::streak(&practised, today));
    c.insert("week", &week_chart(&rules::week(&days.0, today)));
    c.insert("daily", &daily.0);
    c.insert("daily_done", &daily.1);
    ctx.render("practice/index.html", c)
}

/// The seven days' answers as small bars (the clerk's home and practice page).
pub fn week_chart(week: &[(chrono::NaiveDate, usize)]) -> Chart {
    let top = week.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let mut svg = Svg::new(280.0, 90.0, "practice-week", "最近 7 天练习题数");
    for (i, (day, n)) in week.iter().enumerate() {
        let x = 10.0 + i as f64 * 38.0;
        let h = 50.0 * *n as f64 / top;
        svg.rect(x, 62.0 - h, 26.0, h.max(1.0), "#2b6cb0").tip(&format!("{day}：{n} 题"));
        svg.text(x + 13.0, 58.0 - h, &n.to_string()).middle().size(11);
        svg.text(x + 13.0, 80.0, &day.format("%m-%d").to_string()).middle().size(10);
    }
    svg.finish()
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    mode: String,
    #[serde(default)]
    kp: String,
}

impl NextQuery {
    fn mode(&self) -> &'static str {
        model::MODES.into_iter().find(|m| *m == self.mode).unwrap_or("daily")
    }

    fn point(&self) -> Option<&str> {
        Some(self.kp.trim()).filter(|p| !p.is_empty() && self.mode() == "point")
    }
}

/// GET /my/practice/next?mode=book|point|daily&kp=: the next question, or why there is none.
pub async fn next(ctx: Ctx, state: web::Data<AppState>, q: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let q = q.into_inner();
    let (mode, point) = (q.mode(), q.point().map(str::to_string));
    let drawn = state
        .db(move |conn| {
            if mode == "daily" {
                let n = crate::settings::number(conn, &crate::settings::PRACTICE_DAILY)?;
                if model::today_count(conn, me, "daily")? >= n as usize {
                    return Ok(Err(msg::PRACTICE_DAILY_DONE));
                }
            }
            let in_book: Vec<i32> = model::book(conn, me)?.into_iter().map(|w| w.question_id).collect();
            let pool = model::drawable(conn, &in_book, point.as_deref(), mode == "book")?;
            let (_, today) = model::days(conn, me)?;
            let ids: Vec<i32> = pool.iter().map(|d| d.question_id).collect();
            Ok(match rules::next(&ids, &today) {
                Some(id) => Ok(pool.into_iter().find(|d| d.question_id == id)),
                None => Err(msg::PRACTICE_NONE_LEFT),
            })
        })
        .await?;
    let mut c = Context::new();
    c.insert("mode", mode);
    c.insert("mode_label", msg::practice_mode_label(mode));
    c.insert("kp", &q.kp);
    match drawn {
        Ok(Some(d)) => c.insert("q", &question_view(&d)),
        Ok(None) => return Err(AppError::NotFound),
        Err(message) => c.insert("none", message),
    }
    ctx.render("practice/question.html", c)
}

/// A question as the practice page asks it (options in their own order: no
/// shuffle to undo, the clerk learns the question as the bank has it).
fn question_view(d: &Drawable) -> serde_json::Value {
    let q = &d.question;
    let options: Vec<(char, &String)> = q.options.iter().enumerate().map(|(i, o)| (letter(i), o)).collect();
    let blanks = match &q.answer {
        Answer::Blanks(groups) => groups.len(),
        _ => 0,
    };
    serde_json::json!({
        "id": d.question_id,
        "kind": q.kind.code(),
        "kind_label": q.kind.label(),
        "multiple": q.kind == Kind::Multiple,
        "stem": q.stem,
        "options": options,
        "blanks": blanks,
        "points": q.knowledge_points,
    })
}

/// The response a practice form gives: chosen letters (`c`), `tf`, `blank`s.
fn values<'a>(fields: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    fields.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.trim())
}

fn response_of(kind: Kind, fields: &[(String, String)]) -> Option<Response> {
    let values = |name| values(fields, name);
    match kind {
        Kind::Single | Kind::Multiple => {
            let chosen: Vec<usize> =
                values("c").filter_map(|v| v.parse().ok()).collect::<BTreeSet<usize>>().into_iter().collect();
            (!chosen.is_empty()).then_some(Response::Choices(chosen))
        }
        Kind::TrueFalse => values("tf").next().and_then(|v| match v {
            "true" => Some(Response::TrueFalse(true)),
            "false" => Some(Response::TrueFalse(false)),
            _ => None,
        }),
        Kind::Blanks => {
            let given: Vec<String> = values("blank").map(str::to_string).collect();
            given.iter().any(|g| !g.is_empty()).then_some(Response::Blanks(given))
        }
        Kind::Essay => None,
    }
}

/// POST /my/practice/answer: marks the answer at once, records it, and shows
/// the key, the explanation and where it is taught.
pub async fn answer(
    ctx: Ctx,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let fields = form.into_inner();
    let field =
        |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let query = NextQuery { mode: field("mode"), kp: field("kp") };
    let (mode, point) = (query.mode(), query.point().map(str::to_string));
    let question_id: i32 = field("question_id").parse().map_err(|_| AppError::NotFound)?;
    let outcome = state
        .db(move |conn| {
            write(conn, |conn| {
                // Only a question the clerk may be given: no key for a question a monthly exam still needs.
                let in_book: Vec<i32> = model::book(conn, me)?.into_iter().map(|w| w.question_id).collect();
                let pool = model::drawable(conn, &in_book, None, false)?;
                let Some(d) = pool.into_iter().find(|d| d.question_id == question_id) else {
                    return Ok(Err(msg::PRACTICE_NOT_DRAWABLE));
                };
                let Some(response) = response_of(d.question.kind, &fields) else {
                    return Ok(Ok((d, None, String::new())));
                };
                let full = 100;
                let right = grade(full, &d.question.answer, &response) == Some(full);
                model::record(conn, me, &d, mode, right, now())?;
                let sources = crate::bank::sources::of_questions(conn, &[question_id])?.remove(&question_id);
                let book = model::book(conn, me)?;
                let was = in_book.contains(&question_id);
                let still = book.iter().any(|w| w.question_id == question_id);
                let note = msg::practice_book_note(was, still, right, book.len());
                let mut shown = practice_item(&d, &response, right);
                shown.learn = sources.unwrap_or_default();
                Ok(Ok((d, Some((shown, right)), note)))
            })
        })
        .await?;
    let mut c = Context::new();
    c.insert("mode", mode);
    c.insert("mode_label", msg::practice_mode_label(mode));
    c.insert("kp", &point.unwrap_or_default());
    match outcome {
        Err(message) => c.insert("none", message),
        Ok((d, None, _)) => {
            c.insert("q", &question_view(&d));
            c.insert("error", msg::PRACTICE_NO_ANSWER);
        }
        Ok((_, Some((item, right)), left)) => {
            c.insert("item", &true);
            c.insert("items", &[item]);
            c.insert("right", &right);
            c.insert("book_left", &left);
        }
    }
    ctx.render("practice/question.html", c)
}

/// The marked answer as the review shows it (the same partial as an exam's):
/// one item in the bank's own option order, 1 point, right or not.
fn practice_item(d: &Drawable, response: &Response, right: bool) -> ReviewItem {
    let item = crate::exam::model::Item {
        id: 0,
        attempt_id: 0,
        position: 1,
        question_id: d.question_id,
        version_id: d.version_id,
        points: 100,
        option_order: serde_json::to_string(&(0..d.question.options.len()).collect::<Vec<_>>())
            .unwrap_or_default(),
        response: serde_json::to_string(response).ok(),
        flagged: false,
        saved_at: None,
        earned: Some(if right { 100 } else { 0 }),
        marked_by: None,
        marked_at: None,
    };
    review_item(&item, &d.question)
}
