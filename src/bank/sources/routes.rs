//! Linking questions to where they are taught, one at a time on the question
//! page or a knowledge point at a time from the bank, and clearing 待复核.

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::Deserialize;

use super::rules::Outcome;
use crate::bank::model::{QuestionRow, ACTIVE, RETIRED};
use crate::schema::{question_versions, questions};
use crate::web::action::{self, Done};
use crate::web::{msg, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct LinkForm {
    article_id: String,
    #[serde(default)]
    heading: String,
}

/// The article and section of a form, checked against the knowledge base.
fn checked_link(conn: &mut crate::db::Conn, form: &LinkForm) -> QueryResult<Result<(i32, String), String>> {
    let heading = form.heading.trim().trim_start_matches(['#', '＃']).to_string();
    if heading.chars().count() > 60 {
        return Ok(Err(msg::SOURCE_HEADING_LONG.into()));
    }
    let titles = super::article_titles(conn)?;
    Ok(match form.article_id.trim().parse::<i32>() {
        Ok(id) if titles.iter().any(|a| a.id == id) && heading.is_empty() => Ok((id, heading)),
        // A section must be one of the article's headings (its link's anchor), as written there.
        Ok(id) if titles.iter().any(|a| a.id == id) => {
            let a = crate::kb::model::Article::find(conn, id)?;
            let body = crate::kb::model::Version::of(conn, a.id, a.current_version)?
                .map(|v| v.body)
                .unwrap_or_default();
            let headings = crate::web::markdown::headings(&body);
            match super::rules::match_heading(&heading, &headings) {
                Some(h) => Ok((id, h.clone())),
                None => Err(msg::source_heading_unknown(&heading, &headings)),
            }
        }
        _ => Err(msg::SOURCE_ARTICLE_MISSING.into()),
    })
}

/// POST /bank/questions/{id}/sources: links the question to an article (and section).
pub async fn add(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<LinkForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    action::act(&ctx, &req, &state, &format!("/bank/questions/{id}#sources"), move |conn, actor| {
        QuestionRow::find(conn, id)?;
        let (article_id, heading) = match checked_link(conn, &form)? {
            Ok(link) => link,
            Err(refusal) => return Ok(Err(refusal)),
        };
        if !super::link(conn, id, article_id, &heading, Some(actor.id), actor.now())? {
            return Ok(Err(msg::SOURCE_ALREADY.to_string()));
        }
        actor.audit(conn, "question_source", &msg::audit_question_source(id, article_id, &heading, true))?;
        Ok(Ok(Done::flash(msg::SOURCE_LINKED)))
    })
    .await
}

/// POST /bank/questions/{id}/sources/{source_id}/delete: removes one link.
pub async fn remove(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, source_id) = path.into_inner();
    action::act(&ctx, &req, &state, &format!("/bank/questions/{id}#sources"), move |conn, actor| {
        let Some(s) = super::unlink(conn, id, source_id)? else {
            return Ok(Err(msg::SOURCE_NOT_FOUND.to_string()));
        };
        actor.audit(
            conn,
            "question_source",
            &msg::audit_question_source(id, s.article_id, &s.heading, false),
        )?;
        Ok(Ok(Done::flash(msg::SOURCE_UNLINKED)))
    })
    .await
}

#[derive(Deserialize)]
pub struct BulkForm {
    knowledge_point: String,
    #[serde(flatten)]
    link: LinkForm,
}

/// POST /bank/{id}/sources: links every active question of the bank with a
/// knowledge point to an article (and section).
pub async fn add_by_knowledge_point(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<BulkForm>,
) -> AppResult<HttpResponse> {
    let bank = path.into_inner();
    let form = form.into_inner();
    action::act(&ctx, &req, &state, &format!("/bank/{bank}#sources"), move |conn, actor| {
        crate::bank::model::Bank::find(conn, bank)?;
        let (article_id, heading) = match checked_link(conn, &form.link)? {
            Ok(link) => link,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let point = form.knowledge_point.trim();
        let rows: Vec<(i32, String)> = questions::table
            .inner_join(
                question_versions::table.on(question_versions::question_id
                    .eq(questions::id)
                    .and(question_versions::version.eq(questions::current_version))),
            )
            .filter(questions::bank_id.eq(bank))
            .filter(questions::status.eq(ACTIVE))
            .select((questions::id, question_versions::knowledge_points))
            .load(conn)?;
        let ids: Vec<i32> = rows
            .into_iter()
            .filter(|(_, points)| !point.is_empty() && super::points_of(points).iter().any(|p| p == point))
            .map(|(id, _)| id)
            .collect();
        if ids.is_empty() {
            return Ok(Err(msg::source_no_questions(point)));
        }
        let mut made = 0;
        for id in &ids {
            made += usize::from(super::link(conn, *id, article_id, &heading, Some(actor.id), actor.now())?);
        }
        actor.audit(conn, "question_source", &msg::audit_sources_by_point(bank, point, article_id, made))?;
        Ok(Ok(Done::flash(msg::sources_linked(point, made, ids.len() - made))))
    })
    .await
}

#[derive(Deserialize)]
pub struct PracticeForm {
    #[serde(default)]
    practice: String,
}

/// POST /bank/{id}/practice: opens (可练习) or closes a bank for practice.
pub async fn set_practice(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<PracticeForm>,
) -> AppResult<HttpResponse> {
    let bank = path.into_inner();
    let open = form.practice == "1";
    action::act(&ctx, &req, &state, &format!("/bank/{bank}"), move |conn, actor| {
        use crate::schema::banks;
        let name = crate::bank::model::Bank::find(conn, bank)?.name;
        diesel::update(banks::table.find(bank)).set(banks::practice.eq(open)).execute(conn)?;
        actor.audit(conn, "bank_practice", &msg::bank_practice(&name, open))?;
        Ok(Ok::<_, std::convert::Infallible>(Done::flash(msg::bank_practice(&name, open))))
    })
    .await
}

#[derive(Deserialize)]
pub struct ReviewForm {
    outcome: String,
    #[serde(default)]
    note: String,
}

/// POST /bank/questions/{id}/review: clears 待复核 as kept, edited or retired, with a note.
pub async fn clear_flag(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<ReviewForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let ReviewForm { outcome, note } = form.into_inner();
    action::act(&ctx, &req, &state, &format!("/bank/questions/{id}"), move |conn, actor| {
        let note = note.trim().to_string();
        let Some(outcome) = Outcome::parse(&outcome) else {
            return Ok(Err(msg::FLAG_OUTCOME_MISSING.to_string()));
        };
        if note.is_empty() || note.chars().count() > 500 {
            return Ok(Err(msg::FLAG_NOTE_REQUIRED.to_string()));
        }
        QuestionRow::find(conn, id)?;
        // 已修改 means a new version of the question since it was flagged.
        if outcome == Outcome::Edited && !super::edited_since_flag(conn, id)? {
            return Ok(Err(msg::FLAG_NOT_EDITED.to_string()));
        }
        if super::clear(conn, id, outcome, &note, actor.id, actor.now())? == 0 {
            return Ok(Err(msg::FLAG_NONE_OPEN.to_string()));
        }
        if outcome == Outcome::Retired {
            QuestionRow::set_status(conn, id, RETIRED)?;
        }
        actor.audit(conn, "question_reviewed", &msg::audit_question_reviewed(id, outcome.code(), &note))?;
        Ok(Ok(Done::flash(msg::flag_cleared(outcome.code()))))
    })
    .await
}
