//! The trainer's side: compose, preview, publish; per-person settings;
//! reopen and extra time (audited); hand marking; proctored sittings.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::compose::{ExamForm, Fields};
use super::model::{
    self, Attempt, Exam, ExamPerson, Sitting, Tree, DRAFT, IN_PROGRESS, PUBLISHED, SUBMITTED,
};
use super::paper;
use super::rules::sitting_start;
use super::sit::review_item;
use super::{exposure, key};
use crate::audit;
use crate::bank::model::Bank;
use crate::bank::question::{format_points, letter, parse_points, Answer};
use crate::db::{now, write, Conn};
use crate::review::import::is_results_only;
use crate::schema::users;
use crate::time::local_display;
use crate::web::form::{add_error, insert_errors};
use crate::web::{client_ip, msg, redirect, AppError, AppResult, Ctx, FieldErrors};
use crate::AppState;

#[derive(Serialize)]
struct ExamRow {
    id: i32,
    month: String,
    title: String,
    kind: &'static str,
    phase: &'static str,
    opens_at: String,
    closes_at: String,
    attempts: i64,
    /// Results-only (imported): no paper to preview.
    imported: bool,
}

pub async fn index(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let rows = state
        .db(|conn| {
            let exams = Exam::all(conn)?;
            let mut rows = Vec::new();
            for e in exams {
                rows.push(ExamRow {
                    id: e.id,
                    month: e.month.clone(),
                    title: e.title.clone(),
                    kind: e.kind_label(),
                    phase: e.phase(now()).label(),
                    opens_at: local_display(e.opens_at),
                    closes_at: local_display(e.closes_at),
                    attempts: Exam::attempt_count(conn, e.id)?,
                    imported: is_results_only(&e),
                });
            }
            Ok(rows)
        })
        .await?;
    let mut c = Context::new();
    c.insert("exams", &rows);
    ctx.render("exam/index.html", c)
}

/// Whether exam `id` is results-only (imported). Its source never changes, so
/// checking before an action's own transaction is enough.
async fn results_only(state: &AppState, id: i32) -> AppResult<bool> {
    state.db(move |conn| Ok(is_results_only(&Exam::find(conn, id)?))).await
}

/// An action a results-only exam has no use for: refused, back to `back` with the reason.
fn refuse_results_only(ctx: &Ctx, back: &str) -> HttpResponse {
    ctx.flash("error", msg::EXAM_RESULTS_ONLY);
    redirect(back)
}

/// What the form page needs besides the form: banks, areas, roles. Ids go
/// to the page as strings, as the form holds them.
fn form_context(conn: &mut Conn, c: &mut Context, form: &ExamForm) -> AppResult<()> {
    let banks = Bank::all(conn)?;
    let banks: Vec<(String, String, i64)> =
        banks.into_iter().map(|b| (b.bank.id.to_string(), b.bank.name, b.active)).collect();
    let tree = Tree::load(conn)?;
    let root = crate::org::OrgUnit::root(conn)?;
    let mut units: Vec<(String, String)> = root.iter().map(|r| (r.id.to_string(), r.name.clone())).collect();
    let areas: Vec<(String, String, String)> = tree
        .areas()
        .iter()
        .map(|a| {
            let id = a.id.to_string();
            let offset = form.offsets.get(&id).cloned().unwrap_or_default();
            (id, a.name.clone(), offset)
        })
        .collect();
    units.extend(areas.iter().map(|(id, name, _)| (id.clone(), name.clone())));
    c.insert("banks", &banks);
    c.insert("units", &units);
    c.insert("areas", &areas);
    c.insert("roles", &crate::auth::role::role_options());
    c.insert(
        "kinds",
        &crate::bank::question::Kind::ALL.iter().map(|k| (k.code(), k.label())).collect::<Vec<_>>(),
    );
    c.insert(
        "channels",
        &crate::bank::question::Channel::ALL.iter().map(|k| (k.code(), k.label())).collect::<Vec<_>>(),
    );
    c.insert("exposures", &paper::Exposure::ALL.iter().map(|e| (e.code(), e.label())).collect::<Vec<_>>());
    c.insert("reviews", &key::Review::OFFERED.iter().map(|r| (r.code(), r.label())).collect::<Vec<_>>());
    Ok(())
}

async fn render_form(
    ctx: &Ctx,
    state: &AppState,
    form: ExamForm,
    exam_id: Option<i32>,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let shown = form.clone();
    let mut c = state
        .db(move |conn| {
            let mut c = Context::new();
            form_context(conn, &mut c, &shown)?;
            Ok(c)
        })
        .await?;
    c.insert("form", &form);
    c.insert("exam_id", &exam_id);
    insert_errors(&mut c, &errors);
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.render_status(status, "exam/form.html", c)
}

pub async fn new_form(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let mut form = ExamForm::new_monthly(crate::time::local_now());
    let (root, banks) = state.db(|conn| Ok((crate::org::OrgUnit::root(conn)?, Bank::all(conn)?))).await?;
    form.units = root.map(|r| vec![r.id.to_string()]).unwrap_or_default();
    form.bank_id = banks.first().map(|b| b.bank.id.to_string()).unwrap_or_default();
    render_form(&ctx, &state, form, None, FieldErrors::new()).await
}

/// Staff numbers to user ids; unknown numbers are errors.
fn resolve_staff(conn: &mut Conn, numbers: &[String]) -> QueryResult<Result<Vec<i32>, Vec<String>>> {
    let found: Vec<(i32, Option<String>)> = users::table
        .filter(users::staff_no.eq_any(numbers))
        .filter(users::active.eq(true))
        .select((users::id, users::staff_no))
        .load(conn)?;
    let missing: Vec<String> = numbers
        .iter()
        .filter(|n| !found.iter().any(|(_, s)| s.as_deref() == Some(n.as_str())))
        .cloned()
        .collect();
    Ok(if missing.is_empty() { Ok(found.into_iter().map(|(id, _)| id).collect()) } else { Err(missing) })
}

/// Validates the posted form and resolves named people; the exam to save, or
/// the errors by field (an unknown staff number under its list, a bank that
/// is gone under the bank).
fn checked(conn: &mut Conn, form: &ExamForm) -> AppResult<Result<Exam, FieldErrors>> {
    let valid = match form.validate() {
        Ok(v) => v,
        Err(errors) => return Ok(Err(errors)),
    };
    let mut exam = valid.exam;
    let mut audience = exam.audience();
    let mut errors = FieldErrors::new();
    for (field, numbers, target) in [
        ("include", &valid.include, &mut audience.include),
        ("exclude", &valid.exclude, &mut audience.exclude),
    ] {
        match resolve_staff(conn, numbers)? {
            Ok(ids) => *target = ids,
            Err(missing) => add_error(
                &mut errors,
                field,
                msg::exam_unknown_staff_list(&missing.join(msg::LIST_SEPARATOR)),
            ),
        }
    }
    if let Ok(paper::PaperRule::Sections { bank_id, .. }) = exam.paper_rule() {
        if Bank::find(conn, bank_id).optional()?.is_none() {
            add_error(&mut errors, "bank_id", msg::EXAM_BANK_REQUIRED);
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    exam.audience = serde_json::to_string(&audience).unwrap_or_default();
    Ok(Ok(exam))
}

pub async fn create(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let (actor, ip) = (ctx.user()?.id, client_ip(&req));
    let form = ExamForm::from_fields(&Fields(form.into_inner()));
    let posted = form.clone();
    let result = state
        .db(move |conn| {
            write(conn, |conn| {
                let mut exam = match checked(conn, &posted)? {
                    Ok(exam) => exam,
                    Err(errors) => return Ok(Err(errors)),
                };
                exam.created_by = Some(actor);
                let id = Exam::insert(conn, &exam)?;
                // Last month's list, if closed, sends its flagged clerks here in person.
                crate::review::close::sync_exam(conn, id)?;
                audit::record(conn, Some(actor), "exam_created", &format!("#{id} {}", exam.title), &ip)?;
                Ok(Ok(id))
            })
        })
        .await?;
    match result {
        Ok(id) => {
            ctx.flash("success", msg::EXAM_CREATED);
            Ok(redirect(&format!("/exams/{id}/preview")))
        }
        Err(errors) => render_form(&ctx, &state, form, None, errors).await,
    }
}

pub async fn edit_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    if results_only(&state, id).await? {
        return Ok(refuse_results_only(&ctx, &format!("/exams/{id}")));
    }
    let form = state
        .db(move |conn| {
            let exam = Exam::find(conn, id)?;
            let audience = exam.audience();
            let ids: Vec<i32> = audience.include.iter().chain(&audience.exclude).copied().collect();
            let numbers: HashMap<i32, Option<String>> = users::table
                .filter(users::id.eq_any(&ids))
                .select((users::id, users::staff_no))
                .load::<(i32, Option<String>)>(conn)?
                .into_iter()
                .collect();
            Ok(ExamForm::from_exam(&exam, &|id| numbers.get(&id).cloned().flatten().unwrap_or_default()))
        })
        .await?;
    render_form(&ctx, &state, form, Some(id), FieldErrors::new()).await
}

pub async fn update(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let (actor, ip) = (ctx.user()?.id, client_ip(&req));
    let id = path.into_inner();
    if results_only(&state, id).await? {
        return Ok(refuse_results_only(&ctx, &format!("/exams/{id}")));
    }
    let form = ExamForm::from_fields(&Fields(form.into_inner()));
    let posted = form.clone();
    let result = state
        .db(move |conn| {
            write(conn, |conn| {
                let old = Exam::find(conn, id)?;
                let mut exam = match checked(conn, &posted)? {
                    Ok(exam) => exam,
                    Err(errors) => return Ok(Err(errors)),
                };
                // Papers already drawn stay as drawn: the rule is frozen once anyone started.
                if exam.paper_rule != old.paper_rule && Exam::attempt_count(conn, id)? > 0 {
                    return Ok(Err(FieldErrors::from([("mode", msg::EXAM_HAS_ATTEMPTS.to_string())])));
                }
                // Rule 10: a window moved (or a longer grace) after the key was
                // shown would let people answer from it.
                let window_moved = (exam.opens_at, exam.closes_at, exam.grace_seconds)
                    != (old.opens_at, old.closes_at, old.grace_seconds);
                if window_moved && exposure::exam_revealed(conn, id)?.0 > 0 {
                    return Ok(Err(FieldErrors::from([("window", msg::EXAM_WINDOW_FROZEN.to_string())])));
                }
                exam.id = id;
                Exam::update(conn, &exam)?;
                crate::review::close::sync_exam(conn, id)?;
                audit::record(conn, Some(actor), "exam_updated", &format!("#{id} {}", exam.title), &ip)?;
                Ok(Ok(()))
            })
        })
        .await?;
    match result {
        Ok(()) => {
            ctx.flash("success", msg::EXAM_SAVED);
            Ok(redirect(&format!("/exams/{id}")))
        }
        Err(errors) => render_form(&ctx, &state, form, Some(id), errors).await,
    }
}

#[derive(Serialize)]
struct PersonRow {
    user_id: i32,
    name: String,
    staff_no: String,
    hall: String,
    extra_minutes: i32,
    in_person: bool,
    note: String,
}

#[derive(Serialize)]
struct SittingRow {
    id: i32,
    room: String,
    code: String,
    starts_at: String,
    open: bool,
}

fn sitting_row(s: &Sitting) -> SittingRow {
    SittingRow {
        id: s.id,
        room: s.room.clone(),
        code: s.code.clone(),
        starts_at: local_display(s.starts_at),
        open: s.status == "open",
    }
}

/// GET /exams/{id}: settings at a glance, per-person settings, sittings.
pub async fn show(ctx: Ctx, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let sitting = SittingForm { room: String::new(), starts_at: crate::time::local_input(now()) };
    show_page(&ctx, &state, path.into_inner(), sitting, FieldErrors::new()).await
}

/// The exam's page; a refused sitting form comes back on it (422) with what
/// was typed and each problem under its field.
async fn show_page(
    ctx: &Ctx,
    state: &AppState,
    id: i32,
    sitting: SittingForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let mut c = state
        .db(move |conn| {
            let exam = Exam::find(conn, id)?;
            let tree = Tree::load(conn)?;
            let rule = exam.paper_rule()?;
            let pool = model::pool(conn, &rule)?;
            let shortages = paper::shortages(&rule, &pool);
            let people: Vec<PersonRow> = ExamPerson::for_exam(conn, id)?
                .into_iter()
                .filter_map(|p| {
                    let u = crate::accounts::User::find(conn, p.user_id).ok()?;
                    Some(PersonRow {
                        user_id: p.user_id,
                        name: u.name,
                        staff_no: u.staff_no.unwrap_or_default(),
                        hall: tree.name(u.hall_id),
                        extra_minutes: p.extra_minutes,
                        in_person: p.in_person,
                        note: p.note,
                    })
                })
                .collect();
            let sittings: Vec<SittingRow> = Sitting::for_exam(conn, id)?.iter().map(sitting_row).collect();
            let attempts = Attempt::for_exam(conn, id)?;
            let audience = model::audience_people(conn, &exam, &tree)?.len();
            let mut c = Context::new();
            c.insert("exam", &exam);
            c.insert("kind", exam.kind_label());
            c.insert("phase", exam.phase(now()).label());
            c.insert("imported", &is_results_only(&exam));
            c.insert("draft", &(exam.status == DRAFT));
            c.insert("opens_at", &local_display(exam.opens_at));
            c.insert("closes_at", &local_display(exam.closes_at));
            c.insert("pass_mark", &format_points(i64::from(exam.pass_mark)));
            c.insert("possible", &format_points(paper::possible_points(&rule, &pool)));
            c.insert(
                "shortages",
                &shortages
                    .iter()
                    .map(|s| msg::exam_shortage(&s.title, s.wanted, s.available))
                    .collect::<Vec<_>>(),
            );
            c.insert("people", &people);
            c.insert("sittings", &sittings);
            c.insert("audience", &audience);
            c.insert("started", &attempts.len());
            c.insert("in_progress", &attempts.iter().filter(|a| a.status == IN_PROGRESS).count());
            c.insert("submitted", &attempts.iter().filter(|a| a.status == SUBMITTED).count());
            c.insert("pending_marking", &attempts.iter().filter(|a| a.marking_pending).count());
            Ok(c)
        })
        .await?;
    c.insert("exam_id", &id);
    c.insert("sitting_form", &sitting);
    insert_errors(&mut c, &errors);
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.render_status(status, "exam/show.html", c)
}

#[derive(Deserialize)]
pub struct PreviewQuery {
    candidate: Option<i32>,
}

/// One question of a trainer's sample paper, key included.
#[derive(Serialize)]
struct PreviewItem {
    pos: usize,
    question_id: i32,
    kind_label: &'static str,
    stem: String,
    points: String,
    options: Vec<(char, String, bool)>,
    key: String,
}

/// GET /exams/{id}/preview: the paper one candidate would get, and what is short.
pub async fn preview(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    query: web::Query<PreviewQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    if results_only(&state, id).await? {
        return Ok(refuse_results_only(&ctx, &format!("/exams/{id}")));
    }
    let candidate = query.candidate.unwrap_or_else(|| rand::random::<u16>() as i32);
    let mut c = state
        .db(move |conn| {
            let exam = Exam::find(conn, id)?;
            let rule = exam.paper_rule()?;
            let pool = model::pool(conn, &rule)?;
            let mut c = Context::new();
            c.insert("exposure", &exposure_warnings(&rule, &pool));
            match paper::compose(&rule, &pool, exam.seed as u64, candidate, &Default::default()) {
                Ok(drawn) => {
                    let mut items = Vec::new();
                    for (i, d) in drawn.iter().enumerate() {
                        let v: crate::bank::model::VersionRow = crate::schema::question_versions::table
                            .find(d.version_id)
                            .select(crate::bank::model::VersionRow::as_select())
                            .first(conn)?;
                        let q = v.question()?;
                        let options = d
                            .option_order
                            .iter()
                            .enumerate()
                            .map(|(shown, o)| {
                                let correct = matches!(&q.answer, Answer::Choices(c) if c.contains(o));
                                (letter(shown), q.options.get(*o).cloned().unwrap_or_default(), correct)
                            })
                            .collect();
                        let key = match &q.answer {
                            Answer::TrueFalse(true) => "正确".to_string(),
                            Answer::TrueFalse(false) => "错误".to_string(),
                            Answer::Blanks(g) => g.iter().map(|a| a.join("/")).collect::<Vec<_>>().join("；"),
                            Answer::Reference(r) => r.clone(),
                            Answer::Choices(_) => String::new(),
                        };
                        items.push(PreviewItem {
                            pos: i + 1,
                            question_id: d.question_id,
                            kind_label: q.kind.label(),
                            stem: q.stem,
                            points: format_points(d.points),
                            options,
                            key,
                        });
                    }
                    c.insert("items", &items);
                    c.insert("shortages", &Vec::<String>::new());
                }
                Err(short) => {
                    c.insert("items", &Vec::<PreviewItem>::new());
                    c.insert(
                        "shortages",
                        &short
                            .iter()
                            .map(|s| msg::exam_shortage(&s.title, s.wanted, s.available))
                            .collect::<Vec<_>>(),
                    );
                }
            }
            c.insert("possible", &format_points(paper::possible_points(&rule, &pool)));
            c.insert("exam", &exam);
            c.insert("draft", &(exam.status == DRAFT));
            Ok(c)
        })
        .await?;
    c.insert("candidate", &candidate);
    ctx.render("exam/preview.html", c)
}

/// "本节 40 题中 31 题已公开过答案" for each section whose key has been shown
/// (DESIGN §4 rule 11), for preview and publish.
fn exposure_warnings(rule: &paper::PaperRule, pool: &[paper::PoolQuestion]) -> Vec<String> {
    paper::exposure(rule, pool)
        .into_iter()
        .filter(|(_, _, shown)| *shown > 0)
        .map(|(title, n, shown)| msg::exam_exposure(&title, n, shown))
        .collect()
}

pub async fn publish(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (actor, ip) = (ctx.user()?.id, client_ip(&req));
    let id = path.into_inner();
    if results_only(&state, id).await? {
        return Ok(refuse_results_only(&ctx, &format!("/exams/{id}")));
    }
    let result = state
        .db(move |conn| {
            write(conn, |conn| {
                let exam = Exam::find(conn, id)?;
                if let Some(taken) = imported_monthly(conn, &exam)? {
                    return Ok(Err(msg::results_month_taken(&exam.month, &taken.title)));
                }
                let rule = exam.paper_rule()?;
                let pool = model::pool(conn, &rule)?;
                let short = paper::shortages(&rule, &pool);
                if !short.is_empty() {
                    let list: Vec<String> =
                        short.iter().map(|s| msg::exam_shortage(&s.title, s.wanted, s.available)).collect();
                    return Ok(Err(format!("{}{}", msg::EXAM_CANNOT_PUBLISH_SHORT, list.join("；"))));
                }
                let warnings = exposure_warnings(&rule, &pool);
                Exam::set_status(conn, id, PUBLISHED)?;
                audit::record(conn, Some(actor), "exam_published", &format!("#{id} {}", exam.title), &ip)?;
                if warnings.is_empty() {
                    return Ok(Ok(msg::EXAM_PUBLISHED.to_string()));
                }
                Ok(Ok(format!("{}{}", msg::EXAM_PUBLISHED_EXPOSED, warnings.join("；"))))
            })
        })
        .await?;
    crate::org::routes::flash_result(&ctx, result);
    Ok(redirect(&format!("/exams/{id}")))
}

pub async fn unpublish(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (actor, ip) = (ctx.user()?.id, client_ip(&req));
    let id = path.into_inner();
    if results_only(&state, id).await? {
        return Ok(refuse_results_only(&ctx, &format!("/exams/{id}")));
    }
    let result = state
        .db(move |conn| {
            write(conn, |conn| {
                let exam = Exam::find(conn, id)?;
                if Exam::attempt_count(conn, id)? > 0 {
                    return Ok(Err(msg::EXAM_HAS_ATTEMPTS.to_string()));
                }
                Exam::set_status(conn, id, DRAFT)?;
                audit::record(conn, Some(actor), "exam_unpublished", &format!("#{id} {}", exam.title), &ip)?;
                Ok(Ok(msg::EXAM_UNPUBLISHED.to_string()))
            })
        })
        .await?;
    crate::org::routes::flash_result(&ctx, result);
    Ok(redirect(&format!("/exams/{id}")))
}

/// For a monthly exam: the month's imported results, if any (a month has one
/// monthly exam, sat here or imported).
fn imported_monthly(conn: &mut Conn, exam: &Exam) -> QueryResult<Option<Exam>> {
    if exam.kind != "monthly" {
        return Ok(None);
    }
    Ok(Exam::all(conn)?.into_iter().find(|e| {
        e.id != exam.id
            && e.month == exam.month
            && e.kind == "monthly"
            && e.status == PUBLISHED
            && is_results_only(e)
    }))
}

/// Minutes of a reopen or extra time: at most [`key::MAX_MINUTES`] at once.
fn minutes(text: &str) -> Option<i32> {
    text.trim().parse::<i32>().ok().filter(|m| (1..=key::MAX_MINUTES).contains(m))
}

#[derive(Deserialize)]
pub struct PersonForm {
    staff_no: String,
    extra_minutes: Option<String>,
    in_person: Option<String>,
    reason: String,
}

/// POST /exams/{id}/people: a person's extra time and in-person requirement.
pub async fn set_person(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<PersonForm>,
) -> AppResult<HttpResponse> {
    let (actor, ip) = (ctx.user()?.id, client_ip(&req));
    let id = path.into_inner();
    if results_only(&state, id).await? {
        return Ok(refuse_results_only(&ctx, &format!("/exams/{id}")));
    }
    let form = form.into_inner();
    let reason = form.reason.trim().to_string();
    let extra = match form.extra_minutes.as_deref().map(str::trim).unwrap_or("") {
        "" | "0" => Some(0),
        t => minutes(t),
    };
    let result = match (reason.is_empty(), extra) {
        (true, _) => Err(msg::EXAM_REASON_REQUIRED.to_string()),
        (_, None) => Err(msg::EXAM_BAD_MINUTES.to_string()),
        (false, Some(extra)) => {
            let in_person = form.in_person.is_some();
            let staff_no = form.staff_no.trim().to_string();
            state
                .db(move |conn| {
                    write(conn, |conn| {
                        Exam::find(conn, id)?;
                        let Ok(ids) = resolve_staff(conn, std::slice::from_ref(&staff_no))? else {
                            return Ok(Err(msg::EXAM_UNKNOWN_STAFF.to_string()));
                        };
                        let Some(user_id) = ids.first().copied() else {
                            return Ok(Err(msg::EXAM_UNKNOWN_STAFF.to_string()));
                        };
                        ExamPerson::upsert(conn, id, user_id, |p| {
                            p.extra_minutes = extra;
                            p.in_person = in_person;
                            p.note.clone_from(&reason);
                        })?;
                        let detail = format!(
                            "考试 #{id} 工号 {staff_no}：现场考试={}，加时 {extra} 分钟；原因：{reason}",
                            if in_person { "是" } else { "否" }
                        );
                        audit::record(conn, Some(actor), "exam_person", &detail, &ip)?;
                        Ok(Ok(msg::EXAM_PERSON_SAVED.to_string()))
                    })
                })
                .await?
        }
    };
    crate::org::routes::flash_result(&ctx, result);
    Ok(redirect(&format!("/exams/{id}")))
}

#[derive(Deserialize)]
pub struct TimeForm {
    minutes: String,
    reason: String,
}

/// The attempt of this exam (an attempt id from another exam is "not found").
fn attempt_of_exam(conn: &mut Conn, exam_id: i32, attempt_id: i32) -> AppResult<Attempt> {
    let attempt = Attempt::find(conn, attempt_id)?;
    if attempt.exam_id != exam_id {
        return Err(AppError::NotFound);
    }
    Ok(attempt)
}

/// POST /exams/{id}/attempts/{attempt_id}/reopen: a submitted attempt gets
/// `minutes` more from now (a crash, a power cut in the hall).
pub async fn reopen(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    form: web::Form<TimeForm>,
) -> AppResult<HttpResponse> {
    change_time(ctx, req, state, path.into_inner(), form.into_inner(), true).await
}

/// POST /exams/{id}/attempts/{attempt_id}/extra-time: a running attempt's
/// deadline moves by `minutes`.
pub async fn extra_time(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    form: web::Form<TimeForm>,
) -> AppResult<HttpResponse> {
    change_time(ctx, req, state, path.into_inner(), form.into_inner(), false).await
}

async fn change_time(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    (exam_id, attempt_id): (i32, i32),
    form: TimeForm,
    reopen: bool,
) -> AppResult<HttpResponse> {
    let (actor, ip) = (ctx.user()?.id, client_ip(&req));
    if results_only(&state, exam_id).await? {
        return Ok(refuse_results_only(&ctx, &format!("/exams/{exam_id}/attempts/{attempt_id}")));
    }
    let reason = form.reason.trim().to_string();
    let result = match (reason.is_empty(), minutes(&form.minutes)) {
        (true, _) => Err(msg::EXAM_REASON_REQUIRED.to_string()),
        (_, None) => Err(msg::EXAM_BAD_MINUTES.to_string()),
        (false, Some(m)) => {
            state
                .db(move |conn| {
                    write(conn, |conn| {
                        let attempt = attempt_of_exam(conn, exam_id, attempt_id)?;
                        // Rule 10: an attempt that could be answered from a seen key
                        // stays shut (under the exam's lock, so no review slips between).
                        Exam::lock(conn, exam_id)?;
                        if let Err(why) = key::may_give_time(exposure::exam_revealed(conn, exam_id)?.0) {
                            return Ok(Err(why));
                        }
                        // An in-person attempt belongs to its room: once the room has
                        // closed it is not opened again from elsewhere.
                        if let Some(sitting) = attempt.sitting_id {
                            if Sitting::find(conn, sitting)?.status != "open" {
                                return Ok(Err(msg::EXAM_SITTING_CLOSED_NO_TIME.to_string()));
                            }
                        }
                        let staff =
                            crate::accounts::User::find(conn, attempt.user_id)?.staff_no.unwrap_or_default();
                        let detail;
                        if reopen {
                            if attempt.status != SUBMITTED {
                                return Ok(Err(msg::EXAM_NOT_SUBMITTED_YET.to_string()));
                            }
                            let deadline = now() + chrono::Duration::minutes(i64::from(m));
                            Attempt::reopen(conn, attempt_id, deadline)?;
                            detail =
                                format!("考试 #{exam_id} 工号 {staff}：重新开放 {m} 分钟；原因：{reason}");
                            audit::record(conn, Some(actor), "attempt_reopened", &detail, &ip)?;
                            Ok(Ok(msg::EXAM_REOPENED.to_string()))
                        } else {
                            if attempt.status != IN_PROGRESS {
                                return Ok(Err(msg::EXAM_ATTEMPT_CLOSED.to_string()));
                            }
                            let deadline = attempt.deadline_at + chrono::Duration::minutes(i64::from(m));
                            Attempt::set_deadline(conn, attempt_id, deadline)?;
                            ExamPerson::upsert(conn, exam_id, attempt.user_id, |p| p.extra_minutes += m)?;
                            detail = format!("考试 #{exam_id} 工号 {staff}：延长 {m} 分钟；原因：{reason}");
                            audit::record(conn, Some(actor), "attempt_extra_time", &detail, &ip)?;
                            Ok(Ok(msg::EXAM_EXTRA_TIME_GIVEN.to_string()))
                        }
                    })
                })
                .await?
        }
    };
    crate::org::routes::flash_result(&ctx, result);
    Ok(redirect(&format!("/exams/{exam_id}/attempts/{attempt_id}")))
}

/// GET /exams/{id}/attempts/{attempt_id}: one candidate's paper with the key.
pub async fn attempt(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (exam_id, attempt_id) = path.into_inner();
    let mut c = state
        .db(move |conn| {
            let attempt = attempt_of_exam(conn, exam_id, attempt_id)?;
            let exam = Exam::find(conn, exam_id)?;
            let user = crate::accounts::User::find(conn, attempt.user_id)?;
            let tree = Tree::load(conn)?;
            let paper = Attempt::paper(conn, attempt_id)?;
            let items: Vec<_> = paper.iter().map(|(i, q)| review_item(i, q)).collect();
            let mut c = Context::new();
            c.insert("exam", &exam);
            c.insert("candidate", &tree.person(user.id, user.name, user.staff_no, attempt.hall_id));
            c.insert("in_progress", &(attempt.status == IN_PROGRESS));
            c.insert("started_at", &local_display(attempt.started_at));
            c.insert("deadline_at", &local_display(attempt.deadline_at));
            c.insert("submitted_at", &attempt.submitted_at.map(local_display));
            c.insert("score", &attempt.score.map(|s| format_points(i64::from(s))));
            c.insert("attempt_id", &attempt_id);
            c.insert("imported", &is_results_only(&exam));
            c.insert("items", &items);
            Ok(c)
        })
        .await?;
    c.insert("exam_id", &exam_id);
    ctx.render("exam/attempt.html", c)
}

#[derive(Serialize)]
struct MarkRow {
    item_id: i32,
    candidate: String,
    staff_no: String,
    question_id: i32,
    stem: String,
    reference: String,
    answer: String,
    points: String,
}

#[derive(Deserialize)]
pub struct MarkingQuery {
    by: Option<String>,
}

/// GET /exams/{id}/marking: 简答 answers waiting for a score, by question
/// (one question across candidates, for consistent marking) or by person.
pub async fn marking(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    query: web::Query<MarkingQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let by_person = query.by.as_deref() == Some("person");
    let (exam, queue) = state
        .db(move |conn| {
            let exam = Exam::find(conn, id)?;
            let queue = model::marking_queue(conn, id)?;
            Ok((exam, queue))
        })
        .await?;
    let mut rows: Vec<MarkRow> = queue
        .into_iter()
        .map(|m| MarkRow {
            item_id: m.item.id,
            candidate: m.candidate,
            staff_no: m.staff_no.unwrap_or_default(),
            question_id: m.item.question_id,
            stem: m.question.stem.clone(),
            reference: match &m.question.answer {
                Answer::Reference(r) => r.clone(),
                _ => String::new(),
            },
            answer: match m.item.response() {
                Some(crate::bank::grading::Response::Text(t)) => t,
                _ => String::new(),
            },
            points: format_points(i64::from(m.item.points)),
        })
        .collect();
    if by_person {
        rows.sort_by(|a, b| (&a.staff_no, a.question_id).cmp(&(&b.staff_no, b.question_id)));
    }
    let mut c = Context::new();
    c.insert("exam", &exam);
    c.insert("rows", &rows);
    c.insert("by_person", &by_person);
    ctx.render("exam/marking.html", c)
}

#[derive(Deserialize)]
pub struct MarkForm {
    score: String,
}

pub async fn mark(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    form: web::Form<MarkForm>,
) -> AppResult<HttpResponse> {
    let (actor, ip) = (ctx.user()?.id, client_ip(&req));
    let (exam_id, item_id) = path.into_inner();
    let score = parse_points(&form.score);
    let result = state
        .db(move |conn| {
            write(conn, |conn| {
                use crate::schema::attempt_items;
                let item: model::Item =
                    attempt_items::table.find(item_id).select(model::Item::as_select()).first(conn)?;
                let attempt = attempt_of_exam(conn, exam_id, item.attempt_id)?;
                if attempt.status != SUBMITTED {
                    return Err(AppError::NotFound);
                }
                let Some(score) = score.filter(|s| *s <= i64::from(item.points)) else {
                    return Ok(Err(msg::EXAM_BAD_MARK.to_string()));
                };
                Attempt::mark(conn, item_id, score, actor)?;
                let detail = format!(
                    "考试 #{exam_id} 答卷 #{} 第 {} 题：{} / {}",
                    attempt.id,
                    item.position,
                    format_points(score),
                    format_points(i64::from(item.points))
                );
                audit::record(conn, Some(actor), "answer_marked", &detail, &ip)?;
                Ok(Ok(msg::EXAM_MARK_SAVED.to_string()))
            })
        })
        .await?;
    crate::org::routes::flash_result(&ctx, result);
    Ok(redirect(&format!("/exams/{exam_id}/marking")))
}

/// The open-a-sitting form on the exam's page, as typed.
#[derive(Deserialize, Serialize)]
pub struct SittingForm {
    room: String,
    /// Beijing time; empty means now.
    #[serde(default)]
    starts_at: String,
}

pub async fn open_sitting(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<SittingForm>,
) -> AppResult<HttpResponse> {
    let (actor, ip) = (ctx.user()?.id, client_ip(&req));
    let id = path.into_inner();
    if results_only(&state, id).await? {
        return Ok(refuse_results_only(&ctx, &format!("/exams/{id}")));
    }
    let room = form.room.trim().to_string();
    let mut errors = FieldErrors::new();
    if room.is_empty() || room.chars().count() > 60 {
        errors.insert("room", msg::EXAM_ROOM_REQUIRED.into());
    }
    let starts = match sitting_start(&form.starts_at, now()) {
        Ok(at) => Some(at),
        Err(why) => {
            errors.insert("starts_at", why.into());
            None
        }
    };
    let Some(starts) = starts.filter(|_| errors.is_empty()) else {
        return show_page(&ctx, &state, id, form.into_inner(), errors).await;
    };
    let sitting = state
        .db(move |conn| {
            write(conn, |conn| {
                Exam::find(conn, id)?;
                let sid = Sitting::open(conn, id, &room, starts, actor)?;
                audit::record(conn, Some(actor), "sitting_opened", &format!("考试 #{id} 考场 {room}"), &ip)?;
                Ok(sid)
            })
        })
        .await?;
    ctx.flash("success", msg::EXAM_SITTING_OPENED);
    Ok(redirect(&format!("/exams/{id}/sittings/{sitting}")))
}

#[derive(Serialize)]
struct SittingPerson {
    name: String,
    staff_no: String,
    hall: String,
    state: &'static str,
}

/// GET /exams/{id}/sittings/{sid}: the code to show, who started, submitted, is missing.
pub async fn sitting(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (exam_id, sid) = path.into_inner();
    let mut c = state
        .db(move |conn| {
            let sitting = Sitting::find(conn, sid)?;
            if sitting.exam_id != exam_id {
                return Err(AppError::NotFound);
            }
            let exam = Exam::find(conn, exam_id)?;
            let tree = Tree::load(conn)?;
            let expected: Vec<i32> = ExamPerson::for_exam(conn, exam_id)?
                .into_iter()
                .filter(|p| p.in_person)
                .map(|p| p.user_id)
                .collect();
            let attempts = Attempt::for_exam(conn, exam_id)?;
            let mut people = Vec::new();
            let mut ids: Vec<i32> = expected.clone();
            ids.extend(attempts.iter().filter(|a| a.sitting_id == Some(sid)).map(|a| a.user_id));
            ids.sort_unstable();
            ids.dedup();
            for uid in ids {
                let u = crate::accounts::User::find(conn, uid)?;
                let attempt = attempts.iter().find(|a| a.user_id == uid);
                let state = match attempt {
                    Some(a) if a.status == SUBMITTED => msg::EXAM_STATE_SUBMITTED,
                    Some(_) => msg::EXAM_STATE_IN_PROGRESS,
                    None => msg::EXAM_STATE_NOT_STARTED,
                };
                people.push(SittingPerson {
                    name: u.name,
                    staff_no: u.staff_no.unwrap_or_default(),
                    hall: tree.name(u.hall_id),
                    state,
                });
            }
            let mut c = Context::new();
            c.insert("exam", &exam);
            c.insert("sitting", &sitting_row(&sitting));
            c.insert("people", &people);
            Ok(c)
        })
        .await?;
    c.insert("exam_id", &exam_id);
    ctx.render("exam/sitting.html", c)
}

pub async fn close_sitting(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (actor, ip) = (ctx.user()?.id, client_ip(&req));
    let (exam_id, sid) = path.into_inner();
    state
        .db(move |conn| {
            write(conn, |conn| {
                let sitting = Sitting::find(conn, sid)?;
                if sitting.exam_id != exam_id {
                    return Err(AppError::NotFound);
                }
                Sitting::close(conn, sid)?;
                // Closing the room collects its papers: an in-person attempt
                // is tied to its sitting and cannot go on from elsewhere.
                let collected =
                    Attempt::running(conn, exam_id)?.into_iter().filter(|a| a.sitting_id == Some(sid));
                for a in collected {
                    Attempt::submit(conn, a.id, "sitting", now())?;
                }
                let detail = format!("考试 #{exam_id} 考场 {}", sitting.room);
                audit::record(conn, Some(actor), "sitting_closed", &detail, &ip)?;
                Ok(())
            })
        })
        .await?;
    ctx.flash("success", msg::EXAM_SITTING_CLOSED);
    Ok(redirect(&format!("/exams/{exam_id}/sittings/{sid}")))
}
