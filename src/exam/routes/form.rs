//! The exam form: new, create, edit, update. A refused form comes back
//! (422) with what was typed and each problem under its field.

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use tera::Context;

use super::{form_status, results_only};
use crate::bank::model::Bank;
use crate::db::Conn;
use crate::exam::compose::{ExamForm, Fields};
use crate::exam::model::{resolve_staff, staff_numbers, Exam, ExamKind, Tree};
use crate::exam::refusal::{ExamRefusal, Invalid};
use crate::exam::{exposure, key, paper};
use crate::web::action::{self, Actor, Done};
use crate::web::form::{add_error, insert_errors};
use crate::web::{msg, AppResult, Ctx, FieldErrors};
use crate::AppState;

/// What the form page needs besides the form: banks, areas, roles. Ids go
/// to the page as strings, as the form holds them.
fn form_context(conn: &mut Conn, c: &mut Context, form: &ExamForm) -> AppResult<()> {
    let banks: Vec<(String, String, i64)> =
        Bank::all(conn)?.into_iter().map(|b| (b.bank.id.to_string(), b.bank.name, b.active)).collect();
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
    ctx.render_status(form_status(&errors), "exam/form.html", c)
}

pub async fn new_form(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let (root, banks, exams) =
        state.db(|conn| Ok((crate::org::OrgUnit::root(conn)?, Bank::all(conn)?, Exam::all(conn)?))).await?;
    let has_monthly = |m| exams.iter().any(|e| e.kind == ExamKind::Monthly && e.month == m);
    let mut form = ExamForm::new_default(crate::time::local_now(), has_monthly);
    form.units = root.map(|r| vec![r.id.to_string()]).unwrap_or_default();
    form.bank_id = banks.first().map(|b| b.bank.id.to_string()).unwrap_or_default();
    render_form(&ctx, &state, form, None, FieldErrors::new()).await
}

/// Validates the posted form and resolves named people; the exam to save, or
/// the errors by field (an unknown staff number under its list, a bank that
/// is gone under the bank, a second monthly exam of a month under the month).
/// `id` is the exam being edited (0 for a new one).
fn checked(conn: &mut Conn, form: &ExamForm, id: i32) -> AppResult<Result<Exam, Invalid>> {
    let valid = match form.validate() {
        Ok(v) => v,
        Err(errors) => return Ok(Err(Invalid(errors))),
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
    if exam.kind == ExamKind::Monthly {
        if let Some(other) = Exam::other_monthly(conn, exam.month, id)?.into_iter().next() {
            add_error(&mut errors, "month", msg::exam_month_has_monthly(exam.month, &other.title, other.id));
        }
    }
    if !errors.is_empty() {
        return Ok(Err(Invalid(errors)));
    }
    exam.audience = serde_json::to_string(&audience).unwrap_or_default();
    Ok(Ok(exam))
}

/// The saved form's answer: on to `to`, or the form again with its problems.
async fn answer(
    ctx: &Ctx,
    state: &AppState,
    form: ExamForm,
    exam_id: Option<i32>,
    outcome: Result<Done, Invalid>,
) -> AppResult<HttpResponse> {
    match outcome {
        Ok(done) => Ok(action::answer::<Invalid>(ctx, "/exams", Ok(done))),
        Err(Invalid(errors)) => render_form(ctx, state, form, exam_id, errors).await,
    }
}

pub async fn create(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let form = ExamForm::from_fields(&Fields(form.into_inner()));
    let posted = form.clone();
    let outcome = action::run(&state, Actor::of(&ctx, &req)?, move |conn, actor| {
        let mut exam = match checked(conn, &posted, 0)? {
            Ok(exam) => exam,
            Err(invalid) => return Ok(Err(invalid)),
        };
        exam.created_by = Some(actor.id);
        let id = Exam::insert(conn, &exam)?;
        // Last month's list, if closed, sends its flagged clerks here in person.
        crate::review::close::sync_exam(conn, id)?;
        actor.audit(conn, "exam_created", &format!("#{id} {}", exam.title))?;
        Ok(Ok(Done::then(msg::EXAM_CREATED, format!("/exams/{id}/preview"))))
    })
    .await?;
    answer(&ctx, &state, form, None, outcome).await
}

pub async fn edit_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    if results_only(&state, id).await? {
        return Ok(action::refuse(&ctx, &format!("/exams/{id}"), ExamRefusal::ResultsOnly));
    }
    let form = state
        .db(move |conn| {
            let exam = Exam::find(conn, id)?;
            let audience = exam.audience();
            let ids: Vec<i32> = audience.include.iter().chain(&audience.exclude).copied().collect();
            let numbers = staff_numbers(conn, &ids)?;
            Ok(ExamForm::from_exam(&exam, &|id| numbers.get(&id).cloned().flatten().unwrap_or_default()))
        })
        .await?;
    render_form(&ctx, &state, form, Some(id), FieldErrors::new()).await
}

/// Why saved settings may not replace `old`'s: the paper rule is frozen once
/// anyone started (papers already drawn stay as drawn), and the window once
/// the key was shown (rule 10: a window moved, or a longer grace, would let
/// people answer from it).
fn frozen(conn: &mut Conn, old: &Exam, exam: &Exam) -> QueryResult<Option<Invalid>> {
    if exam.paper_rule != old.paper_rule && Exam::attempt_count(conn, old.id)? > 0 {
        return Ok(Some(Invalid(FieldErrors::from([("mode", msg::EXAM_HAS_ATTEMPTS.to_string())]))));
    }
    let window_moved = (exam.opens_at, exam.closes_at, exam.grace_seconds)
        != (old.opens_at, old.closes_at, old.grace_seconds);
    if window_moved && exposure::exam_revealed(conn, old.id)?.0 > 0 {
        return Ok(Some(Invalid(FieldErrors::from([("window", msg::EXAM_WINDOW_FROZEN.to_string())]))));
    }
    Ok(None)
}

pub async fn update(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    if results_only(&state, id).await? {
        return Ok(action::refuse(&ctx, &format!("/exams/{id}"), ExamRefusal::ResultsOnly));
    }
    let form = ExamForm::from_fields(&Fields(form.into_inner()));
    let posted = form.clone();
    let outcome = action::run(&state, Actor::of(&ctx, &req)?, move |conn, actor| {
        let old = Exam::find(conn, id)?;
        let mut exam = match checked(conn, &posted, id)? {
            Ok(exam) => exam,
            Err(invalid) => return Ok(Err(invalid)),
        };
        if let Some(invalid) = frozen(conn, &old, &exam)? {
            return Ok(Err(invalid));
        }
        exam.id = id;
        Exam::update(conn, &exam)?;
        crate::review::close::sync_exam(conn, id)?;
        actor.audit(conn, "exam_updated", &format!("#{id} {}", exam.title))?;
        Ok(Ok(Done::then(msg::EXAM_SAVED, format!("/exams/{id}"))))
    })
    .await?;
    answer(&ctx, &state, form, Some(id), outcome).await
}
