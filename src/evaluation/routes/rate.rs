//! The hall manager rates the rated components of their hall's people
//! (a reason below full marks; a 一票否决 item marked with the reason).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::{month_of, EvalQuery, Viewer};
use crate::domain::score::{parse_hundredths, short_decimals};
use crate::evaluation::model::{self, Rating, Refusal};
use crate::evaluation::rules::Source;
use crate::evaluation::scheme::{EvalRole, Scheme};
use crate::web::action::{self, Done};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Serialize)]
struct Field {
    code: String,
    label: String,
    max: String,
    veto: bool,
    points: String,
    breached: bool,
    reason: String,
}

#[derive(Serialize)]
struct Person {
    user_id: i32,
    staff_no: String,
    name: String,
    hall: String,
    role: &'static str,
    role_code: &'static str,
    total: String,
    rated: bool,
    fields: Vec<Field>,
}

/// GET /evaluation/rate: the people of the viewer's halls with their rated components.
pub async fn page(ctx: Ctx, state: web::Data<AppState>, q: web::Query<EvalQuery>) -> AppResult<HttpResponse> {
    let month = month_of(q.month.as_deref())?;
    let me = ctx.user()?.clone();
    let (people, closed) = state
        .db(move |conn| {
            let viewer = Viewer::load(conn, me)?;
            let view = model::month_view(conn, month)?;
            let ratings = Rating::of_month(conn, month)?;
            let mut people = Vec::new();
            for sheet in &view.figures.roles {
                let scheme = Scheme::current(conn, sheet.role)?;
                let rated: Vec<_> =
                    scheme.body.components.iter().filter(|c| c.source == Source::Rated).collect();
                for e in sheet.people.iter().filter(|e| viewer.rates(e.hall_id)) {
                    let fields: Vec<Field> = rated
                        .iter()
                        .map(|c| {
                            let r = ratings.iter().find(|r| r.user_id == e.user_id && r.component == c.code);
                            Field {
                                code: c.code.clone(),
                                label: c.label.clone(),
                                max: short_decimals(c.max),
                                veto: c.veto,
                                points: r.map(|r| short_decimals(i64::from(r.points))).unwrap_or_default(),
                                breached: c.veto && r.is_some_and(|r| r.points > 0),
                                reason: r.map(|r| r.reason.clone()).unwrap_or_default(),
                            }
                        })
                        .collect();
                    let done = fields.iter().all(|f| f.veto || !f.points.is_empty());
                    people.push(Person {
                        user_id: e.user_id,
                        staff_no: e.staff_no.clone(),
                        name: e.name.clone(),
                        hall: e.hall.clone(),
                        role: sheet.role.label(),
                        role_code: sheet.role.code(),
                        total: e.total_text.clone(),
                        rated: done,
                        fields,
                    });
                }
            }
            Ok((people, view.closed.is_some()))
        })
        .await?;
    let mut c = super::context(month);
    c.insert("people", &people);
    c.insert("closed", &closed);
    c.insert("pending", &people.iter().filter(|p| !p.rated).count());
    ctx.render("evaluation/rate.html", c)
}

/// POST /evaluation/rate/{user_id}: one person's ratings (`role`, `month`, then `p_<code>` and `r_<code>`).
pub async fn save(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let user = path.into_inner();
    let fields = form.into_inner();
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string());
    let month = month_of(get("month").as_deref())?;
    let role = get("role").as_deref().and_then(EvalRole::parse).ok_or(AppError::NotFound)?;
    let me = ctx.user()?.clone();
    let back = format!("/evaluation/rate?month={month}#p{user}");
    // Points as typed ("8", "8.5"); a veto item is a checkbox.
    let mut given: Vec<(String, i64, String)> = Vec::new();
    let mut bad = None;
    for (name, value) in &fields {
        if let Some(code) = name.strip_prefix("p_") {
            let reason = get(&format!("r_{code}")).unwrap_or_default();
            let points = if value == "breach" { Some(100) } else { parse_hundredths(value) };
            match points {
                Some(p) => given.push((code.to_string(), p, reason)),
                None if value.is_empty() => {}
                None => bad = Some(value.to_string()),
            }
        }
    }
    for (name, _) in &fields {
        // An unticked veto box sends only its hidden "clear" marker.
        if let Some(code) = name.strip_prefix("v_") {
            if !given.iter().any(|(c, _, _)| c == code) {
                given.push((code.to_string(), 0, String::new()));
            }
        }
    }
    if let Some(code) = bad {
        return Ok(action::refuse(&ctx, &back, Refusal::BadNumber(code)));
    }
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let viewer = Viewer::load(conn, me)?;
        let sheet = model::role_sheet(conn, role, month)?;
        let Some(e) = sheet.people.iter().find(|e| e.user_id == user) else { return Err(AppError::NotFound) };
        if !viewer.sees(e.hall_id) {
            return Err(AppError::NotFound);
        }
        if !viewer.rates(e.hall_id) {
            return Err(AppError::Forbidden);
        }
        let name = format!("{} {}", e.staff_no, e.name);
        match model::rate(conn, month, (user, role), &given, actor.id, actor.now())? {
            Ok(n) => {
                actor.audit(conn, "evaluation_rate", &msg::audit_eval_rate(month, &name, n))?;
                Ok(Ok(Done::flash(msg::eval_rated_done(&name))))
            }
            Err(why) => Ok(Err(why)),
        }
    })
    .await
}
