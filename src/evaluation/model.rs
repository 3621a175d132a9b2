//! A month's evaluation: every person of a role scored with the scheme in
//! force from their measured figures, their manager's ratings and upheld
//! appeals; with hall / county / city means and the rank. A closed month is
//! its frozen snapshot ([`crate::closing`], ledger `evaluation`).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::metrics::{self, Person};
use super::rules::{evaluate, rating_needs_reason, Input, Missing, Source};
use super::scheme::{formula, EvalRole, Scheme};
use crate::closing::{self, Closes, Ledger, Refusal as CloseRefusal};
use crate::db::Conn;
use crate::domain::score::{div_half_up, short_decimals, two_decimals};
use crate::domain::Month;
use crate::schema::{evaluation_appeals, evaluation_ratings};
use crate::web::msg;

/// A component as the sheet's header shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Head {
    pub code: String,
    pub label: String,
    pub max: i64,
    pub max_text: String,
    pub formula: String,
    pub rated: bool,
    pub veto: bool,
}

/// One component of one person's month.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Part {
    pub code: String,
    pub label: String,
    pub max_text: String,
    pub formula: String,
    pub veto: bool,
    /// None: no figure this month (see the scheme's missing rule).
    pub points: Option<i64>,
    pub points_text: String,
    /// The raw figure behind it ("86.50 分（3 通）", the rating's reason…).
    pub figure: String,
    /// The manager's reason for a rating below full marks.
    pub reason: String,
    /// Set on an upheld appeal.
    pub adjusted: bool,
    pub breached: bool,
    /// It has been appealed this month (one appeal per component: an answer is final).
    #[serde(default)]
    pub appealed: bool,
    /// There is something to dispute: below full marks, or a red line breached.
    #[serde(default)]
    pub appealable: bool,
    /// Means of this component's points (text) in the hall, county and city.
    pub hall_mean: String,
    pub area_mean: String,
    pub city_mean: String,
}

/// One person's month.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evaluation {
    pub user_id: i32,
    pub staff_no: String,
    pub name: String,
    pub hall_id: i32,
    pub hall: String,
    pub area_id: Option<i32>,
    pub area: String,
    pub total: i64,
    pub total_text: String,
    pub vetoed: bool,
    pub parts: Vec<Part>,
    pub rank: usize,
    pub hall_mean: String,
    pub area_mean: String,
    pub city_mean: String,
}

/// A role's month.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoleSheet {
    pub role: EvalRole,
    pub role_label: String,
    pub scheme_version: i32,
    pub missing: Missing,
    pub heads: Vec<Head>,
    pub people: Vec<Evaluation>,
}

/// The whole month (what closing freezes).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sheet {
    pub month: Month,
    pub roles: Vec<RoleSheet>,
}

impl Sheet {
    pub fn role(&self, role: EvalRole) -> Option<&RoleSheet> {
        self.roles.iter().find(|r| r.role == role)
    }
}

/// A stored rating.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Rating {
    pub id: i32,
    pub month: Month,
    pub user_id: i32,
    pub component: String,
    pub points: i32,
    pub reason: String,
    pub rated_by: Option<i32>,
    pub rated_at: NaiveDateTime,
}

impl Rating {
    pub fn of_month(conn: &mut Conn, month: Month) -> QueryResult<Vec<Rating>> {
        evaluation_ratings::table.filter(evaluation_ratings::month.eq(month)).load(conn)
    }

    /// Sets (or replaces) a rating.
    pub fn put(
        conn: &mut Conn,
        month: Month,
        user_id: i32,
        component: &str,
        (points, reason): (i64, &str),
        by: i32,
        at: NaiveDateTime,
    ) -> QueryResult<()> {
        diesel::delete(
            evaluation_ratings::table
                .filter(evaluation_ratings::month.eq(month))
                .filter(evaluation_ratings::user_id.eq(user_id))
                .filter(evaluation_ratings::component.eq(component)),
        )
        .execute(conn)?;
        diesel::insert_into(evaluation_ratings::table)
            .values((
                evaluation_ratings::month.eq(month),
                evaluation_ratings::user_id.eq(user_id),
                evaluation_ratings::component.eq(component),
                evaluation_ratings::points.eq(points as i32),
                evaluation_ratings::reason.eq(reason),
                evaluation_ratings::rated_by.eq(Some(by)),
                evaluation_ratings::rated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(())
    }
}

/// An appeal's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealStatus {
    Open,
    Upheld,
    Rejected,
}

impl AppealStatus {
    pub fn code(self) -> &'static str {
        match self {
            AppealStatus::Open => "open",
            AppealStatus::Upheld => "upheld",
            AppealStatus::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> AppealStatus {
        match code {
            "upheld" => AppealStatus::Upheld,
            "rejected" => AppealStatus::Rejected,
            _ => AppealStatus::Open,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AppealStatus::Open => msg::APPEAL_OPEN,
            AppealStatus::Upheld => msg::APPEAL_UPHELD,
            AppealStatus::Rejected => msg::APPEAL_REJECTED,
        }
    }
}

/// A stored appeal.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Appeal {
    pub id: i32,
    pub month: Month,
    pub user_id: i32,
    pub component: String,
    pub reason: String,
    #[serde(skip)]
    pub status_code: String,
    pub filed_at: NaiveDateTime,
    pub points_before: Option<i32>,
    pub points_after: Option<i32>,
    pub answer: String,
    pub answered_by: Option<i32>,
    pub answered_at: Option<NaiveDateTime>,
}

impl Appeal {
    pub fn status(&self) -> AppealStatus {
        AppealStatus::parse(&self.status_code)
    }

    pub fn of_month(conn: &mut Conn, month: Month) -> QueryResult<Vec<Appeal>> {
        evaluation_appeals::table
            .filter(evaluation_appeals::month.eq(month))
            .order(evaluation_appeals::id)
            .load(conn)
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Appeal> {
        evaluation_appeals::table.find(id).first(conn)
    }
}

/// Why an evaluation action is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Closed(Month),
    UnknownComponent,
    NotRated,
    ReasonRequired(String),
    PointsOutOfRange(String),
    BadNumber(String),
    NewPointsRequired,
    UpheldMustRaise(String),
    /// Ratings and appeals are for a month that is over, within the appeal window.
    OutsideWindow(Month),
    AppealOpen,
    NothingToAppeal,
    AppealReason,
    AppealAnswered,
    AnswerRequired,
    NotYours,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Closed(m) => write!(f, "{}", msg::eval_month_closed(*m)),
            Refusal::UnknownComponent => f.write_str(msg::EVAL_UNKNOWN_COMPONENT),
            Refusal::NotRated => f.write_str(msg::EVAL_NOT_RATED),
            Refusal::ReasonRequired(label) => write!(f, "{}", msg::eval_reason_required(label)),
            Refusal::PointsOutOfRange(label) => write!(f, "{}", msg::eval_points_range(label)),
            Refusal::BadNumber(text) => write!(f, "{}", msg::eval_bad_number(text)),
            Refusal::NewPointsRequired => f.write_str(msg::APPEAL_NEW_POINTS),
            Refusal::UpheldMustRaise(before) => write!(f, "{}", msg::appeal_must_raise(before)),
            Refusal::OutsideWindow(m) => write!(f, "{}", msg::eval_outside_window(*m, WINDOW_MONTHS)),
            Refusal::AppealOpen => f.write_str(msg::APPEAL_ALREADY_OPEN),
            Refusal::NothingToAppeal => f.write_str(msg::APPEAL_NOTHING),
            Refusal::AppealReason => f.write_str(msg::APPEAL_REASON_REQUIRED),
            Refusal::AppealAnswered => f.write_str(msg::APPEAL_ALREADY_ANSWERED),
            Refusal::AnswerRequired => f.write_str(msg::APPEAL_ANSWER_REQUIRED),
            Refusal::NotYours => f.write_str(msg::APPEAL_NOT_YOURS),
        }
    }
}

/// Months after a month ends in which it is rated and appealed (申诉期).
pub const WINDOW_MONTHS: usize = 3;

/// Whether ratings and appeals may be given for `month` now: it is over, and
/// no older than [`WINDOW_MONTHS`] (a month with no data invites nothing).
pub fn in_window(month: Month, now: Month) -> bool {
    month < now && now.trailing(WINDOW_MONTHS + 1).contains(&month)
}

/// Whether the month's evaluation is closed.
pub fn is_closed(conn: &mut Conn, month: Month) -> QueryResult<bool> {
    Ok(closing::Close::current(conn, Ledger::Evaluation, month)?.is_some())
}

fn mean_text(values: &[i64]) -> String {
    if values.is_empty() {
        String::new()
    } else {
        two_decimals(div_half_up(values.iter().sum(), values.len() as i64))
    }
}

/// A role's month computed now.
pub fn role_sheet(conn: &mut Conn, role: EvalRole, month: Month) -> QueryResult<RoleSheet> {
    let scheme = Scheme::current(conn, role)?;
    let people = metrics::load(conn, role, month)?;
    let ratings = Rating::of_month(conn, month)?;
    let appeals = Appeal::of_month(conn, month)?;
    Ok(compute(role, &scheme, &people, &ratings, &appeals))
}

/// The month's evaluation from its inputs (pure).
pub fn compute(
    role: EvalRole,
    scheme: &Scheme,
    people: &[Person],
    ratings: &[Rating],
    appeals: &[Appeal],
) -> RoleSheet {
    let comps = &scheme.body.components;
    let heads: Vec<Head> = comps
        .iter()
        .map(|c| Head {
            code: c.code.clone(),
            label: c.label.clone(),
            max: c.max,
            max_text: short_decimals(c.max),
            formula: formula(c),
            rated: c.source == Source::Rated,
            veto: c.veto,
        })
        .collect();
    let mut out: Vec<Evaluation> = people
        .iter()
        .map(|p| {
            let mut inputs: BTreeMap<String, Input> = BTreeMap::new();
            let mut breaches = Vec::new();
            let mut figures: HashMap<&str, String> = HashMap::new();
            let mut reasons: HashMap<&str, String> = HashMap::new();
            for c in comps {
                let rating = ratings.iter().find(|r| r.user_id == p.user_id && r.component == c.code);
                match &c.source {
                    Source::Measured { metric, .. } => {
                        if let Some(f) = p.figures.get(metric) {
                            inputs.insert(c.code.clone(), Input::Figure(f.value));
                            figures.insert(&c.code, f.text.clone());
                            if c.veto && f.value > 0 {
                                breaches.push(c.code.clone());
                            }
                        }
                    }
                    Source::Rated => {
                        if let Some(r) = rating {
                            let points = i64::from(r.points);
                            if c.veto {
                                if points > 0 {
                                    breaches.push(c.code.clone());
                                }
                                inputs.insert(c.code.clone(), Input::Rating(0));
                                figures.insert(
                                    &c.code,
                                    if points > 0 {
                                        msg::EVAL_BREACHED.into()
                                    } else {
                                        msg::EVAL_NOT_BREACHED.into()
                                    },
                                );
                            } else {
                                inputs.insert(c.code.clone(), Input::Rating(points));
                                figures.insert(&c.code, msg::eval_rated(&short_decimals(points)));
                            }
                            reasons.insert(&c.code, r.reason.clone());
                        }
                    }
                }
                let upheld = appeals.iter().rfind(|a| {
                    a.user_id == p.user_id && a.component == c.code && a.status() == AppealStatus::Upheld
                });
                if let Some(points) = upheld.and_then(|a| a.points_after) {
                    inputs.insert(c.code.clone(), Input::Points(i64::from(points)));
                }
            }
            let e = evaluate(comps, &inputs, scheme.body.missing, &breaches);
            let parts = e
                .parts
                .iter()
                .zip(&heads)
                .map(|(part, head)| Part {
                    code: part.code.clone(),
                    label: head.label.clone(),
                    max_text: head.max_text.clone(),
                    formula: head.formula.clone(),
                    veto: head.veto,
                    points: part.points,
                    points_text: part.points.map(two_decimals).unwrap_or_default(),
                    figure: figures.get(part.code.as_str()).cloned().unwrap_or_else(|| {
                        if head.veto && head.rated {
                            msg::EVAL_NOT_BREACHED.into()
                        } else {
                            String::new()
                        }
                    }),
                    reason: reasons.get(part.code.as_str()).cloned().unwrap_or_default(),
                    adjusted: matches!(inputs.get(&part.code), Some(Input::Points(_))),
                    breached: breaches.contains(&part.code),
                    appealed: appeals.iter().any(|a| a.user_id == p.user_id && a.component == part.code),
                    appealable: if head.veto {
                        breaches.contains(&part.code)
                    } else {
                        part.points != Some(part.max)
                    },
                    hall_mean: String::new(),
                    area_mean: String::new(),
                    city_mean: String::new(),
                })
                .collect();
            Evaluation {
                user_id: p.user_id,
                staff_no: p.staff_no.clone(),
                name: p.name.clone(),
                hall_id: p.hall_id,
                hall: p.hall.clone(),
                area_id: p.area_id,
                area: p.area.clone(),
                total: e.total,
                total_text: two_decimals(e.total),
                vetoed: !e.vetoed.is_empty(),
                parts,
                rank: 0,
                hall_mean: String::new(),
                area_mean: String::new(),
                city_mean: String::new(),
            }
        })
        .collect();
    // Ranks in the city (1, 1, 3 on ties) and the means beside each figure.
    let totals: Vec<i64> = out.iter().map(|e| e.total).collect();
    let snapshot = out.clone();
    for e in out.iter_mut() {
        e.rank = 1 + totals.iter().filter(|t| **t > e.total).count();
        let group = |keep: &dyn Fn(&Evaluation) -> bool| -> Vec<&Evaluation> {
            snapshot.iter().filter(|x| keep(x)).collect()
        };
        let hall = group(&|x| x.hall_id == e.hall_id);
        let area = group(&|x| x.area_id == e.area_id);
        let city = group(&|_| true);
        let totals_of = |g: &[&Evaluation]| g.iter().map(|x| x.total).collect::<Vec<_>>();
        e.hall_mean = mean_text(&totals_of(&hall));
        e.area_mean = mean_text(&totals_of(&area));
        e.city_mean = mean_text(&totals_of(&city));
        for (i, part) in e.parts.iter_mut().enumerate() {
            let of = |g: &[&Evaluation]| {
                g.iter().filter_map(|x| x.parts.get(i).and_then(|p| p.points)).collect::<Vec<_>>()
            };
            part.hall_mean = mean_text(&of(&hall));
            part.area_mean = mean_text(&of(&area));
            part.city_mean = mean_text(&of(&city));
        }
    }
    out.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.staff_no.cmp(&b.staff_no)));
    RoleSheet {
        role,
        role_label: role.label().into(),
        scheme_version: scheme.version,
        missing: scheme.body.missing,
        heads,
        people: out,
    }
}

/// Both roles' month computed now.
pub fn live(conn: &mut Conn, month: Month) -> QueryResult<Sheet> {
    let roles = EvalRole::ALL.into_iter().map(|r| role_sheet(conn, r, month)).collect::<QueryResult<_>>()?;
    Ok(Sheet { month, roles })
}

/// What changed for a person since the last snapshot (shown after a re-opening).
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub name: String,
    pub before: String,
    pub after: String,
}

fn changes(before: &Sheet, after: &Sheet) -> Vec<Change> {
    let mut out = Vec::new();
    for r in &after.roles {
        for e in &r.people {
            let old = before.role(r.role).and_then(|b| b.people.iter().find(|x| x.user_id == e.user_id));
            if old.map(|o| o.total) != Some(e.total) {
                out.push(Change {
                    name: format!("{} {}", e.staff_no, e.name),
                    before: old.map(|o| o.total_text.clone()).unwrap_or_default(),
                    after: e.total_text.clone(),
                });
            }
        }
    }
    out
}

/// The month as pages show it: the snapshot of a closed month, else live.
pub fn month_view(conn: &mut Conn, month: Month) -> QueryResult<closing::MonthView<Sheet, Change>> {
    closing::view(conn, Ledger::Evaluation, month, |conn| live(conn, month), changes)
}

/// The evaluation as a month close.
pub struct EvaluationMonth;

impl Closes for EvaluationMonth {
    const KIND: Ledger = Ledger::Evaluation;
    type Snapshot = Sheet;

    fn page(month: Month) -> String {
        format!("/evaluation?month={month}")
    }

    /// A month closes once it is over and no appeal waits for an answer.
    fn snapshot(
        conn: &mut Conn,
        month: Month,
        at: NaiveDateTime,
    ) -> QueryResult<Result<Sheet, CloseRefusal>> {
        if !month.ended_by(crate::time::local_date(at)) {
            return Ok(Err(CloseRefusal::NotOver(month)));
        }
        let open =
            Appeal::of_month(conn, month)?.into_iter().filter(|a| a.status() == AppealStatus::Open).count();
        if open > 0 {
            return Ok(Err(CloseRefusal::Feature(msg::eval_close_appeals_open(open))));
        }
        Ok(Ok(live(conn, month)?))
    }

    fn closed(_: &mut Conn, _: Month, _: i32, _: &Sheet) -> QueryResult<()> {
        Ok(())
    }

    fn close_notes(month: Month, sheet: &Sheet) -> (&'static str, String, String) {
        let n: usize = sheet.roles.iter().map(|r| r.people.len()).sum();
        ("evaluation_close", msg::audit_eval_close(month, n), msg::eval_closed(month, n))
    }

    fn reopen_notes(month: Month, reason: &str) -> (&'static str, String, String) {
        ("evaluation_reopen", msg::audit_eval_reopen(month, reason), msg::eval_reopened(month))
    }
}

/// Records a manager's ratings of one person (every rated component given).
pub fn rate(
    conn: &mut Conn,
    month: Month,
    (user_id, role): (i32, EvalRole),
    given: &[(String, i64, String)],
    by: i32,
    at: NaiveDateTime,
) -> QueryResult<Result<usize, Refusal>> {
    if !in_window(month, Month::current()) {
        return Ok(Err(Refusal::OutsideWindow(month)));
    }
    if is_closed(conn, month)? {
        return Ok(Err(Refusal::Closed(month)));
    }
    let scheme = Scheme::current(conn, role)?;
    let mut n = 0;
    for (code, points, reason) in given {
        let Some(c) = scheme.body.components.iter().find(|c| &c.code == code) else {
            return Ok(Err(Refusal::UnknownComponent));
        };
        if c.source != Source::Rated {
            return Ok(Err(Refusal::NotRated));
        }
        let reason = reason.trim();
        if c.veto {
            // A breach (1) needs the reason the person will read.
            if *points > 0 && reason.is_empty() {
                return Ok(Err(Refusal::ReasonRequired(c.label.clone())));
            }
            Rating::put(conn, month, user_id, code, (if *points > 0 { 100 } else { 0 }, reason), by, at)?;
        } else {
            if !(0..=c.max).contains(points) {
                return Ok(Err(Refusal::PointsOutOfRange(c.label.clone())));
            }
            if rating_needs_reason(*points, c.max) && reason.is_empty() {
                return Ok(Err(Refusal::ReasonRequired(c.label.clone())));
            }
            Rating::put(conn, month, user_id, code, (*points, reason), by, at)?;
        }
        n += 1;
    }
    Ok(Ok(n))
}

/// Files an appeal of one component of the person's own month.
pub fn file_appeal(
    conn: &mut Conn,
    month: Month,
    (user_id, role): (i32, EvalRole),
    component: &str,
    reason: &str,
    at: NaiveDateTime,
) -> QueryResult<Result<i32, Refusal>> {
    if !in_window(month, Month::current()) {
        return Ok(Err(Refusal::OutsideWindow(month)));
    }
    if is_closed(conn, month)? {
        return Ok(Err(Refusal::Closed(month)));
    }
    let sheet = role_sheet(conn, role, month)?;
    let Some(me) = sheet.people.iter().find(|e| e.user_id == user_id) else {
        return Ok(Err(Refusal::NotYours));
    };
    let Some(part) = me.parts.iter().find(|p| p.code == component) else {
        return Ok(Err(Refusal::UnknownComponent));
    };
    // Nothing to dispute: full marks, or a red line not breached.
    if !part.appealable {
        return Ok(Err(Refusal::NothingToAppeal));
    }
    if reason.trim().is_empty() {
        return Ok(Err(Refusal::AppealReason));
    }
    // One appeal per component and month: an answer is final.
    if part.appealed {
        return Ok(Err(Refusal::AppealOpen));
    }
    let id = diesel::insert_into(evaluation_appeals::table)
        .values((
            evaluation_appeals::month.eq(month),
            evaluation_appeals::user_id.eq(user_id),
            evaluation_appeals::component.eq(component),
            evaluation_appeals::reason.eq(reason.trim().chars().take(1_000).collect::<String>()),
            evaluation_appeals::status.eq(AppealStatus::Open.code()),
            evaluation_appeals::filed_at.eq(at),
            evaluation_appeals::points_before.eq(part.points.map(|p| p as i32)),
            evaluation_appeals::answer.eq(""),
        ))
        .returning(evaluation_appeals::id)
        .get_result(conn)?;
    Ok(Ok(id))
}

/// Answers an open appeal: upheld with the component's new points, or rejected with a reason.
pub fn answer_appeal(
    conn: &mut Conn,
    appeal: &Appeal,
    (label, max): (&str, i64),
    decision: Option<i64>,
    answer: &str,
    by: i32,
    at: NaiveDateTime,
) -> QueryResult<Result<AppealStatus, Refusal>> {
    if is_closed(conn, appeal.month)? {
        return Ok(Err(Refusal::Closed(appeal.month)));
    }
    if appeal.status() != AppealStatus::Open {
        return Ok(Err(Refusal::AppealAnswered));
    }
    if answer.trim().is_empty() {
        return Ok(Err(Refusal::AnswerRequired));
    }
    if decision.is_some_and(|p| !(0..=max).contains(&p)) {
        return Ok(Err(Refusal::PointsOutOfRange(label.to_string())));
    }
    // Upholding an appeal gives the person more than they had.
    if let (Some(p), Some(before)) = (decision, appeal.points_before) {
        if p <= i64::from(before) {
            return Ok(Err(Refusal::UpheldMustRaise(two_decimals(i64::from(before)))));
        }
    }
    let status = if decision.is_some() { AppealStatus::Upheld } else { AppealStatus::Rejected };
    diesel::update(evaluation_appeals::table.find(appeal.id))
        .set((
            evaluation_appeals::status.eq(status.code()),
            evaluation_appeals::points_after.eq(decision.map(|p| p as i32)),
            evaluation_appeals::answer.eq(answer.trim()),
            evaluation_appeals::answered_by.eq(Some(by)),
            evaluation_appeals::answered_at.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(Ok(status))
}
