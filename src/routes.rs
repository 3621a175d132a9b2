//! The route table: every route of the site with the access rule that the
//! gate ([`crate::web::access`]) enforces. Keep all routes here, so one test
//! can walk every route × every role.

use actix_web::body::BoxBody;
use actix_web::dev::ServiceRequest;
use actix_web::http::Method;
use actix_web::middleware::{from_fn, Next};
use actix_web::{guard, web, Route};
use serde::Serialize;

use crate::auth::{CurrentUser, Role};
use crate::web::{access, msg};
use crate::{accounts, audit, auth, bank, closing, exam, home, kb, org, review, roster, settings};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
}

impl Verb {
    pub fn method(self) -> Method {
        match self {
            Verb::Get => Method::GET,
            Verb::Post => Method::POST,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, no session needed (static assets).
    Public,
    /// Pages for signed-out visitors (login); anyone may reach them.
    Guest,
    /// Any signed-in user who has no pending password change.
    Authenticated,
    /// Any signed-in user, even one who must change their password first.
    SelfService,
    /// Signed-in users holding one of these roles (scope is checked in the handler).
    Roles(&'static [Role]),
}

pub struct RouteSpec {
    pub verb: Verb,
    pub path: &'static str,
    pub access: Access,
    pub to: fn(Route) -> Route,
}

const ADMIN: Access = Access::Roles(&[Role::Admin]);
const TRAINERS: Access = Access::Roles(&[Role::Trainer, Role::Admin]);
/// The below-average list: supervisors (their scope), trainers and admins.
const REVIEWERS: Access = Access::Roles(&[Role::Supervisor, Role::Trainer, Role::Admin]);
/// Who follows a flagged clerk up (talk notes, exemptions): supervisors, in their scope.
const CASE_KEEPERS: Access = Access::Roles(&[Role::Supervisor, Role::Admin]);
/// Who assigns mandatory reading: trainers city-wide, supervisors in their scope.
const ASSIGNERS: Access = Access::Roles(&[Role::Trainer, Role::Supervisor, Role::Admin]);
/// A hall's reminder list: its team leaders and manager.
const HALL_LEADERS: Access = Access::Roles(&[Role::TeamLeader, Role::HallManager]);
/// Phone tests: trainers and admins score calls; supervisors (their scope) view.
const PHONE_VIEWERS: Access = Access::Roles(&[Role::Trainer, Role::Supervisor, Role::Admin]);
/// A clerk's own phone-test calls: whoever works in a hall may have answered.
const HALL_STAFF: Access = Access::Roles(&[Role::Clerk, Role::TeamLeader, Role::HallManager]);
/// Inspections: a hall's own managers and team leaders (also cross
/// inspectors), supervisors, trainers and admins; the handler checks the
/// hall, the assignment or the inspector.
/// Satisfaction pages: supervisors (their scope), trainers, admins and a hall's own leaders.
const HALL_OVERSEERS: Access =
    Access::Roles(&[Role::TeamLeader, Role::HallManager, Role::Supervisor, Role::Trainer, Role::Admin]);
/// Evaluation lists: supervisors (their scope), trainers, admins and hall managers (their hall).
const EVALUATORS: Access = Access::Roles(&[Role::HallManager, Role::Supervisor, Role::Trainer, Role::Admin]);
/// Whoever is evaluated or may rate a team leader in a 360 round.
const STAFF: Access = Access::Roles(&[Role::Clerk, Role::TeamLeader, Role::HallManager, Role::Supervisor]);
/// The city office: trainers, admins and supervisors (the handler keeps 360 rounds to the city-wide ones).
const CITY_OFFICE: Access = Access::Roles(&[Role::Supervisor, Role::Trainer, Role::Admin]);
const INSPECTORS: Access =
    Access::Roles(&[Role::TeamLeader, Role::HallManager, Role::Supervisor, Role::Trainer, Role::Admin]);

macro_rules! route {
    ($verb:ident $path:literal, $access:expr, $handler:path) => {
        RouteSpec { verb: Verb::$verb, path: $path, access: $access, to: |r| r.to($handler) }
    };
}

pub static ROUTES: &[RouteSpec] = &[
    route!(Get "/static/{name}", Access::Public, crate::web::assets::serve),
    route!(Get "/healthz", Access::Public, home::healthz),
    route!(Get "/login", Access::Guest, auth::routes::login_form),
    route!(Post "/login", Access::Guest, auth::routes::login),
    route!(Post "/logout", Access::SelfService, auth::routes::logout),
    route!(Get "/account/password", Access::SelfService, auth::routes::password_form),
    route!(Post "/account/password", Access::SelfService, auth::routes::change_password),
    route!(Get "/", Access::Authenticated, home::index),
    // Candidates: each handler checks the exam is for them and the attempt is theirs.
    // Early in the table: the router tries patterns in order, and exam day is
    // these routes' busiest hour.
    route!(Get "/my/exams/{id}", Access::Authenticated, exam::routes::sit::start_page::start_page),
    route!(Post "/my/exams/{id}/start", Access::Authenticated, exam::routes::sit::start::start),
    route!(Get "/my/exams/{id}/review", Access::Authenticated, exam::routes::sit::review::review),
    route!(Get "/exam/attempts/{id}", Access::Authenticated, exam::routes::sit::paper_page::sit),
    route!(Post "/exam/attempts/{id}/answer", Access::Authenticated, exam::routes::sit::save::save_answer),
    route!(Post "/exam/attempts/{id}/save", Access::Authenticated, exam::routes::sit::save::save_page),
    route!(Get "/exam/attempts/{id}/submit", Access::Authenticated, exam::routes::sit::submit::submit_form),
    route!(Post "/exam/attempts/{id}/submit", Access::Authenticated, exam::routes::sit::submit::submit),
    route!(Get "/admin/org", ADMIN, org::routes::index),
    route!(Post "/admin/org", ADMIN, org::routes::create),
    route!(Post "/admin/org/{id}/rename", ADMIN, org::routes::rename),
    route!(Post "/admin/org/{id}/move", ADMIN, org::routes::move_unit),
    route!(Post "/admin/org/{id}/active", ADMIN, org::routes::set_active),
    route!(Get "/admin/users", ADMIN, accounts::routes::list),
    route!(Get "/admin/users/{id}", ADMIN, accounts::routes::show),
    route!(Post "/admin/users/{id}", ADMIN, accounts::routes::update),
    route!(Post "/admin/users/{id}/active", ADMIN, accounts::routes::set_active),
    route!(Post "/admin/users/{id}/reset-password", ADMIN, accounts::routes::reset_password),
    route!(Post "/admin/users/{id}/roles", ADMIN, accounts::routes::grant),
    route!(Post "/admin/users/{id}/roles/{grant_id}/delete", ADMIN, accounts::routes::revoke),
    route!(Get "/admin/roster", ADMIN, roster::routes::index),
    route!(Get "/admin/roster/template.xlsx", ADMIN, roster::routes::template),
    route!(Post "/admin/roster/preview", ADMIN, roster::routes::preview),
    route!(Post "/admin/roster/{upload_id}/confirm", ADMIN, roster::routes::confirm),
    route!(Get "/admin/audit", ADMIN, audit::index),
    route!(Get "/admin/audit/export.xlsx", ADMIN, audit::export),
    route!(Get "/admin/settings", ADMIN, settings::page),
    route!(Post "/admin/settings", ADMIN, settings::save),
    route!(Get "/bank", TRAINERS, bank::routes::index),
    route!(Post "/bank", TRAINERS, bank::routes::create),
    // Before "/bank/{id}": the router takes the first pattern that matches.
    route!(Get "/bank/format", TRAINERS, bank::routes::format_help),
    route!(Get "/bank/template.xlsx", TRAINERS, bank::routes::template),
    route!(Get "/bank/{id}", TRAINERS, bank::routes::show),
    route!(Get "/bank/{id}/import", TRAINERS, bank::routes::import_form),
    route!(Post "/bank/{id}/import", TRAINERS, bank::routes::import_upload),
    route!(Post "/bank/{id}/import/paste", TRAINERS, bank::routes::import_paste),
    route!(Post "/bank/{id}/import/{upload_id}/confirm", TRAINERS, bank::routes::import_confirm),
    route!(Get "/bank/{id}/export.txt", TRAINERS, bank::routes::export_text),
    route!(Get "/bank/{id}/export.xlsx", TRAINERS, bank::routes::export_xlsx),
    route!(Get "/bank/{id}/export.gift", TRAINERS, bank::routes::export_gift),
    route!(Get "/bank/{id}/export.docx", TRAINERS, bank::routes::export_docx),
    route!(Get "/bank/questions/{id}", TRAINERS, bank::routes::question),
    route!(Get "/bank/questions/{id}/images/{n}", Access::Authenticated, bank::routes::image),
    route!(Post "/bank/questions/{id}", TRAINERS, bank::routes::edit),
    route!(Post "/bank/questions/{id}/status", TRAINERS, bank::routes::set_status),
    route!(Post "/bank/questions/{id}/sources", TRAINERS, bank::sources::routes::add),
    route!(Post "/bank/questions/{id}/sources/{source_id}/delete", TRAINERS, bank::sources::routes::remove),
    route!(Post "/bank/questions/{id}/review", TRAINERS, bank::sources::routes::clear_flag),
    route!(Post "/bank/{id}/sources", TRAINERS, bank::sources::routes::add_by_knowledge_point),
    route!(Post "/bank/{id}/practice", TRAINERS, bank::sources::routes::set_practice),
    route!(Get "/kb", Access::Authenticated, kb::routes::list::index),
    route!(Post "/kb", TRAINERS, kb::routes::write::create),
    // Before "/kb/{id}".
    route!(Get "/kb/new", TRAINERS, kb::routes::write::new_form),
    route!(Get "/kb/my", Access::Authenticated, kb::routes::mine::mine),
    route!(Get "/kb/hall", HALL_LEADERS, kb::routes::mine::hall),
    route!(Get "/kb/files/{id}", Access::Authenticated, kb::routes::files::file),
    route!(Post "/kb/assignments/{id}/withdraw", ASSIGNERS, kb::routes::assign::withdraw),
    // The reading-penalty ledger: as the below-average list (supervisors their
    // scope, trainers and admins everything); exempting and closing as its follow-up.
    route!(Get "/kb/ledger", REVIEWERS, kb::ledger_routes::index),
    route!(Get "/kb/ledger/export.xlsx", REVIEWERS, kb::ledger_routes::export_xlsx),
    route!(Post "/kb/ledger/exempt", CASE_KEEPERS, kb::ledger_routes::exempt),
    route!(Post "/kb/ledger/exempt/lift", CASE_KEEPERS, kb::ledger_routes::lift_exemption),
    // Closing: also checked in the handler to be city-wide (an admin or the city supervisor).
    route!(Post "/kb/ledger/close", CASE_KEEPERS, closing::routes::close_month::<kb::ledger::close::ReadingLedger>),
    route!(Post "/kb/ledger/reopen", ADMIN, closing::routes::reopen_month::<kb::ledger::close::ReadingLedger>),
    route!(Get "/kb/compliance", REVIEWERS, kb::ledger_routes::compliance),
    // Each handler checks the article is for the reader (its audience).
    route!(Get "/kb/{id}", Access::Authenticated, kb::routes::read::show),
    route!(Get "/kb/{id}/v/{version}", Access::Authenticated, kb::routes::read::show_version),
    route!(Post "/kb/{id}/beat", Access::Authenticated, kb::routes::read::beat),
    route!(Post "/kb/{id}/confirm", Access::Authenticated, kb::routes::read::confirm),
    route!(Post "/kb/{id}", TRAINERS, kb::routes::write::update),
    route!(Get "/kb/{id}/edit", TRAINERS, kb::routes::write::edit_form),
    route!(Post "/kb/{id}/archive", TRAINERS, kb::routes::write::archive),
    route!(Post "/kb/{id}/restore", TRAINERS, kb::routes::write::restore),
    route!(Post "/kb/{id}/files", TRAINERS, kb::routes::files::upload),
    // Supervisors assign within their scope (checked in the handler).
    route!(Get "/kb/{id}/assign", ASSIGNERS, kb::routes::assign::assign_form),
    route!(Post "/kb/{id}/assign", ASSIGNERS, kb::routes::assign::assign),
    // Phone tests: import and reports
    route!(Get "/phone/import", TRAINERS, crate::phone::import::routes::index),
    route!(Get "/phone/import/template.xlsx", TRAINERS, crate::phone::import::routes::template),
    route!(Post "/phone/import/preview", TRAINERS, crate::phone::import::routes::preview),
    route!(Post "/phone/import/{upload_id}/confirm", TRAINERS, crate::phone::import::routes::confirm),
    route!(Get "/phone/report", REVIEWERS, crate::phone::report_routes::index),
    route!(Get "/phone/report/export.xlsx", REVIEWERS, crate::phone::report_routes::export_xlsx),
    route!(Get "/phone/report/trend", REVIEWERS, crate::phone::report_routes::trend),
    route!(Get "/phone/calibration", REVIEWERS, crate::phone::report_routes::calibration),
    // Phone tests (电话拨测): rubric, scenarios, recording calls.
    route!(Get "/phone/rubric", TRAINERS, crate::phone::routes::rubric::rubric_page),
    route!(Post "/phone/rubric", TRAINERS, crate::phone::routes::rubric::save_rubric),
    route!(Get "/phone/scenarios", PHONE_VIEWERS, crate::phone::routes::scenarios::scenarios),
    route!(Post "/phone/scenarios", TRAINERS, crate::phone::routes::scenarios::create_scenario),
    // Before "/phone/scenarios/{id}".
    route!(Get "/phone/scenarios/new", TRAINERS, crate::phone::routes::scenarios::new_scenario),
    route!(Post "/phone/scenarios/{id}", TRAINERS, crate::phone::routes::scenarios::update_scenario),
    route!(Get "/phone/scenarios/{id}/edit", TRAINERS, crate::phone::routes::scenarios::edit_scenario),
    route!(Get "/phone/calls", PHONE_VIEWERS, crate::phone::routes::calls::calls),
    route!(Post "/phone/calls", TRAINERS, crate::phone::routes::record::record_call),
    // Before "/phone/calls/{id}".
    route!(Get "/phone/calls/new", TRAINERS, crate::phone::routes::record::new_call),
    // The handler checks the viewer: testers, supervisors over the hall, the clerk.
    route!(Get "/phone/calls/{id}", Access::Authenticated, crate::phone::routes::calls::show_call),
    route!(Get "/phone/my", HALL_STAFF, crate::phone::routes::calls::mine),
    // Study sessions (业务学习, issue 9).
    // Viewing: a hall's team leaders and manager (their hall), supervisors (their
    // scope), trainers and admins; recording: the hall's team leaders and admins.
    // Each handler checks the hall (another hall's session is 404).
    route!(Get "/training/study",
        Access::Roles(&[Role::TeamLeader, Role::HallManager, Role::Supervisor, Role::Trainer, Role::Admin]),
        crate::training::study::routes::list::index),
    route!(Post "/training/study", Access::Roles(&[Role::TeamLeader, Role::Admin]),
        crate::training::study::routes::save::create),
    // Before "/training/study/{id}".
    route!(Get "/training/study/new", Access::Roles(&[Role::TeamLeader, Role::Admin]),
        crate::training::study::routes::form::new_form),
    route!(Get "/training/study/export.xlsx",
        Access::Roles(&[Role::TeamLeader, Role::HallManager, Role::Supervisor, Role::Trainer, Role::Admin]),
        crate::training::study::routes::export::export_xlsx),
    route!(Get "/training/study/{id}",
        Access::Roles(&[Role::TeamLeader, Role::HallManager, Role::Supervisor, Role::Trainer, Role::Admin]),
        crate::training::study::routes::show::show),
    route!(Post "/training/study/{id}", Access::Roles(&[Role::TeamLeader, Role::Admin]),
        crate::training::study::routes::save::update),
    route!(Get "/training/study/{id}/edit", Access::Roles(&[Role::TeamLeader, Role::Admin]),
        crate::training::study::routes::form::edit_form),
    route!(Post "/training/study/{id}/delete", Access::Roles(&[Role::TeamLeader, Role::Admin]),
        crate::training::study::routes::save::delete),
    // Drills (离线环境测试, issue 9).
    // Business types: trainers. Viewing: a hall's team leaders and manager (their
    // hall), supervisors (their scope), trainers and admins; recording and deleting:
    // the hall's team leaders and admins; importing: also trainers. Each handler
    // checks the hall (another hall's page is 403, another hall's drill 404).
    route!(Get "/training/drills/types", TRAINERS, crate::training::drills::routes::types::index),
    route!(Post "/training/drills/types", TRAINERS, crate::training::drills::routes::types::create),
    route!(Post "/training/drills/types/{id}", TRAINERS, crate::training::drills::routes::types::update),
    route!(Get "/training/drills",
        Access::Roles(&[Role::TeamLeader, Role::HallManager, Role::Supervisor, Role::Trainer, Role::Admin]),
        crate::training::drills::routes::list::index),
    route!(Post "/training/drills", Access::Roles(&[Role::TeamLeader, Role::Admin]),
        crate::training::drills::routes::entry::record),
    route!(Get "/training/drills/new", Access::Roles(&[Role::TeamLeader, Role::Admin]),
        crate::training::drills::routes::entry::new_form),
    route!(Get "/training/drills/my", HALL_STAFF, crate::training::drills::routes::list::mine),
    route!(Get "/training/drills/report",
        Access::Roles(&[Role::TeamLeader, Role::HallManager, Role::Supervisor, Role::Trainer, Role::Admin]),
        crate::training::drills::routes::report::report),
    route!(Get "/training/drills/report.xlsx",
        Access::Roles(&[Role::TeamLeader, Role::HallManager, Role::Supervisor, Role::Trainer, Role::Admin]),
        crate::training::drills::routes::report::report_xlsx),
    route!(Get "/training/drills/import", Access::Roles(&[Role::TeamLeader, Role::Trainer, Role::Admin]),
        crate::training::import::routes::index),
    route!(Get "/training/drills/import/template.xlsx",
        Access::Roles(&[Role::TeamLeader, Role::Trainer, Role::Admin]),
        crate::training::import::routes::template),
    route!(Post "/training/drills/import/preview",
        Access::Roles(&[Role::TeamLeader, Role::Trainer, Role::Admin]),
        crate::training::import::routes::preview),
    route!(Post "/training/drills/import/{upload_id}/confirm",
        Access::Roles(&[Role::TeamLeader, Role::Trainer, Role::Admin]),
        crate::training::import::routes::confirm),
    route!(Post "/training/drills/{id}/delete", Access::Roles(&[Role::TeamLeader, Role::Admin]),
        crate::training::drills::routes::delete::delete),
    // Scorecards (issue 9).
    // The scorecard table and workbook: supervisors (their scope), trainers and
    // admins, and a hall's team leaders and manager (their hall); checked in the handler.
    route!(Get "/scorecard",
        Access::Roles(&[Role::Supervisor, Role::Trainer, Role::Admin, Role::TeamLeader, Role::HallManager]),
        crate::scorecard::routes::index),
    route!(Get "/scorecard/export.xlsx",
        Access::Roles(&[Role::Supervisor, Role::Trainer, Role::Admin, Role::TeamLeader, Role::HallManager]),
        crate::scorecard::routes::export_xlsx),
    // One clerk's card: the handler checks the clerk is the viewer or in their scope.
    route!(Get "/scorecard/clerk/{id}", Access::Authenticated, crate::scorecard::routes::clerk),
    route!(Get "/my/scorecard", HALL_STAFF, crate::scorecard::routes::mine),
    // 错题本 and practice: the clerk's own.
    route!(Get "/my/practice", HALL_STAFF, crate::practice::routes::index),
    route!(Get "/my/practice/next", HALL_STAFF, crate::practice::routes::next),
    route!(Post "/my/practice/answer", HALL_STAFF, crate::practice::routes::answer),
    // Practice per hall: team leaders their hall, supervisors their scope, trainers every hall.
    route!(Get "/practice/activity",
        Access::Roles(&[Role::TeamLeader, Role::HallManager, Role::Supervisor, Role::Trainer, Role::Admin]),
        crate::practice::activity::index),
    // Weak spots and the supervisor dashboard (issue 9).
    route!(Get "/dashboard", REVIEWERS, crate::dashboard::routes::index),
    route!(Get "/weak/knowledge", REVIEWERS, crate::dashboard::routes::knowledge),
    route!(Get "/weak/knowledge/questions", REVIEWERS, crate::dashboard::routes::questions),
    // 补学 from a weak spot: trainers city-wide, supervisors in their scope.
    route!(Get "/remedial", ASSIGNERS, crate::remedial::routes::index),
    route!(Get "/remedial/new", ASSIGNERS, crate::remedial::routes::new),
    route!(Post "/remedial", ASSIGNERS, crate::remedial::routes::create),
    route!(Get "/remedial/phone", ASSIGNERS, crate::remedial::routes::phone),
    route!(Post "/remedial/phone", ASSIGNERS, crate::remedial::routes::assign_phone),
    // 营业厅巡检 (issue 24).
    route!(Get "/inspections", INSPECTORS, crate::inspect::routes::home::index),
    route!(Post "/inspections/daily", HALL_LEADERS, crate::inspect::routes::form::start_daily),
    // Plans: supervisors, trainers and admins; the handlers admit the city office only.
    route!(Get "/inspections/plan", REVIEWERS, crate::inspect::routes::plan::spot_page),
    route!(Post "/inspections/plan", REVIEWERS, crate::inspect::routes::plan::draw_spot),
    route!(Get "/inspections/cross", REVIEWERS, crate::inspect::routes::plan::cross_page),
    route!(Post "/inspections/cross", REVIEWERS, crate::inspect::routes::plan::draw_cross),
    route!(Post "/inspections/rounds/{id}/publish", REVIEWERS, crate::inspect::routes::plan::publish),
    route!(Post "/inspections/assignments/{id}", REVIEWERS, crate::inspect::routes::plan::reassign),
    route!(Post "/inspections/assignments/{id}/start", INSPECTORS, crate::inspect::routes::plan::start),
    // The defect library and daily-check compliance: the halls the viewer oversees.
    route!(Get "/inspections/defects", INSPECTORS, crate::inspect::routes::library::defects),
    route!(Get "/inspections/compliance", INSPECTORS, crate::inspect::routes::library::compliance),
    route!(Get "/inspections/report", INSPECTORS, crate::inspect::routes::report::page),
    route!(Get "/inspections/report.xlsx", INSPECTORS, crate::inspect::routes::report::export_xlsx),
    route!(Get "/inspections/standard", INSPECTORS, crate::inspect::routes::standard::page),
    route!(Post "/inspections/standard", TRAINERS, crate::inspect::routes::standard::save),
    route!(Get "/inspections/photos/{id}", INSPECTORS, crate::inspect::routes::form::photo),
    route!(Post "/inspections/photos/{id}/delete", INSPECTORS, crate::inspect::routes::form::delete_photo),
    route!(Get "/inspections/{id}", INSPECTORS, crate::inspect::routes::form::show),
    route!(Post "/inspections/{id}/item", INSPECTORS, crate::inspect::routes::form::item),
    route!(Post "/inspections/{id}/queue", INSPECTORS, crate::inspect::routes::form::queue),
    route!(Post "/inspections/{id}/submit", INSPECTORS, crate::inspect::routes::form::submit),
    route!(Post "/inspections/{id}/order", INSPECTORS, crate::inspect::routes::orders::issue),
    // 纠错单: who sees the inspection sees the order; the hall replies, the inspector or city decides.
    route!(Get "/orders", INSPECTORS, crate::inspect::routes::orders::index),
    // The 100-point evaluation: the person's own month and appeals; lists in scope; the hall manager rates.
    route!(Get "/my/evaluation", Access::Roles(&[Role::Clerk, Role::TeamLeader]), crate::evaluation::routes::pages::mine),
    route!(Post "/my/evaluation/appeal", Access::Roles(&[Role::Clerk, Role::TeamLeader]), crate::evaluation::routes::appeals::file),
    route!(Get "/evaluation", EVALUATORS, crate::evaluation::routes::pages::list),
    route!(Get "/evaluation/export.xlsx", EVALUATORS, crate::evaluation::routes::pages::export),
    route!(Get "/evaluation/people/{id}", EVALUATORS, crate::evaluation::routes::pages::person),
    route!(Get "/evaluation/rate", Access::Roles(&[Role::HallManager]), crate::evaluation::routes::rate::page),
    route!(Post "/evaluation/rate/{user_id}", Access::Roles(&[Role::HallManager]), crate::evaluation::routes::rate::save),
    route!(Get "/evaluation/appeals", EVALUATORS, crate::evaluation::routes::appeals::list),
    route!(Post "/evaluation/appeals/{id}/answer", CASE_KEEPERS, crate::evaluation::routes::appeals::answer),
    route!(Post "/evaluation/close", CASE_KEEPERS, closing::routes::close_month::<crate::evaluation::model::EvaluationMonth>),
    route!(Post "/evaluation/reopen", ADMIN, closing::routes::reopen_month::<crate::evaluation::model::EvaluationMonth>),
    route!(Get "/evaluation/schemes", EVALUATORS, crate::evaluation::routes::schemes::page),
    route!(Post "/evaluation/schemes/{role}", ADMIN, crate::evaluation::routes::schemes::save),
    // The team leaders' 360: the city office runs rounds; raters answer; results after a round closes.
    route!(Get "/review360", CITY_OFFICE, crate::evaluation::three_sixty::routes::index),
    route!(Post "/review360", CITY_OFFICE, crate::evaluation::three_sixty::routes::create),
    route!(Get "/review360/mine", STAFF, crate::evaluation::three_sixty::routes::mine),
    route!(Get "/review360/{id}", CITY_OFFICE, crate::evaluation::three_sixty::routes::round),
    route!(Post "/review360/{id}/raters", CITY_OFFICE, crate::evaluation::three_sixty::routes::add_rater),
    route!(Post "/review360/{id}/raters/{rater_id}/remove", CITY_OFFICE, crate::evaluation::three_sixty::routes::remove_rater),
    route!(Post "/review360/{id}/open", CITY_OFFICE, crate::evaluation::three_sixty::routes::open),
    route!(Post "/review360/{id}/close", CITY_OFFICE, crate::evaluation::three_sixty::routes::close),
    route!(Get "/review360/{id}/rate/{leader_id}", STAFF, crate::evaluation::three_sixty::routes::form),
    route!(Post "/review360/{id}/rate/{leader_id}", STAFF, crate::evaluation::three_sixty::routes::submit),
    route!(Get "/review360/{id}/results/{leader_id}", Access::Roles(&[Role::TeamLeader, Role::HallManager, Role::Supervisor, Role::Trainer, Role::Admin]), crate::evaluation::three_sixty::routes::results),
    // Customer satisfaction: the city office imports; halls in scope are shown.
    route!(Get "/satisfaction", HALL_OVERSEERS, crate::satisfaction::routes::index),
    route!(Get "/satisfaction/halls/{id}", HALL_OVERSEERS, crate::satisfaction::routes::hall),
    route!(Get "/satisfaction/import", TRAINERS, crate::satisfaction::import::routes::index),
    route!(Post "/satisfaction/import/preview", TRAINERS, crate::satisfaction::import::routes::preview),
    route!(Post "/satisfaction/import/{upload_id}/confirm", TRAINERS, crate::satisfaction::import::routes::confirm),
    route!(Get "/satisfaction/import/template.xlsx", TRAINERS, crate::satisfaction::import::routes::template),
    route!(Get "/orders/{id}", INSPECTORS, crate::inspect::routes::orders::show),
    route!(Post "/orders/{id}/reply", INSPECTORS, crate::inspect::routes::orders::reply),
    route!(Post "/orders/{id}/decide", INSPECTORS, crate::inspect::routes::orders::decide),
    route!(Get "/weak/phone", REVIEWERS, crate::dashboard::routes::phone),
    route!(Get "/weak/drills", REVIEWERS, crate::dashboard::routes::drills),
    route!(Get "/review", REVIEWERS, review::routes::index),
    route!(Get "/review/export.xlsx", REVIEWERS, review::routes::export_xlsx),
    route!(Post "/review/case", CASE_KEEPERS, review::routes::record_case),
    // Closing: also checked in the handler to be city-wide (an admin or the city supervisor).
    route!(Post "/review/close", CASE_KEEPERS, closing::routes::close_month::<review::close::ReviewList>),
    route!(Post "/review/reopen", ADMIN, closing::routes::reopen_month::<review::close::ReviewList>),
    route!(Get "/review/explain", REVIEWERS, review::routes::explain),
    route!(Get "/review/import", TRAINERS, review::import::routes::index),
    route!(Get "/review/import/template.xlsx", TRAINERS, review::import::routes::template),
    route!(Post "/review/import/preview", TRAINERS, review::import::routes::preview),
    route!(Post "/review/import/{upload_id}/confirm", TRAINERS, review::import::routes::confirm),
    route!(Get "/exams", TRAINERS, exam::routes::list::index),
    route!(Post "/exams", TRAINERS, exam::routes::form::create),
    // Before "/exams/{id}".
    route!(Get "/exams/new", TRAINERS, exam::routes::form::new_form),
    route!(Get "/exams/{id}", TRAINERS, exam::routes::show::show),
    route!(Post "/exams/{id}", TRAINERS, exam::routes::form::update),
    route!(Get "/exams/{id}/edit", TRAINERS, exam::routes::form::edit_form),
    route!(Get "/exams/{id}/preview", TRAINERS, exam::routes::preview::preview),
    route!(Post "/exams/{id}/publish", TRAINERS, exam::routes::publish::publish),
    route!(Post "/exams/{id}/unpublish", TRAINERS, exam::routes::publish::unpublish),
    route!(Post "/exams/{id}/people", TRAINERS, exam::routes::people::set_person),
    route!(Get "/exams/{id}/attempts/{attempt_id}", TRAINERS, exam::routes::attempt::attempt),
    route!(Post "/exams/{id}/attempts/{attempt_id}/reopen", TRAINERS, exam::routes::time::reopen),
    route!(Post "/exams/{id}/attempts/{attempt_id}/extra-time", TRAINERS, exam::routes::time::extra_time),
    route!(Get "/exams/{id}/marking", TRAINERS, exam::routes::marking::marking),
    route!(Post "/exams/{id}/marking/{item_id}", TRAINERS, exam::routes::marking::mark),
    route!(Post "/exams/{id}/sittings", TRAINERS, exam::routes::sittings::open_sitting),
    route!(Get "/exams/{id}/sittings/{sitting_id}", TRAINERS, exam::routes::sittings::sitting),
    route!(Post "/exams/{id}/sittings/{sitting_id}/close", TRAINERS, exam::routes::sittings::close_sitting),
    route!(Get "/exams/{id}/results", TRAINERS, exam::routes::results::results),
    route!(Get "/exams/{id}/results.xlsx", TRAINERS, exam::routes::results::export_xlsx),
    route!(Get "/exams/{id}/distribution.svg", TRAINERS, exam::routes::results::chart),
    route!(Get "/exams/{id}/statistics", TRAINERS, exam::routes::statistics::statistics),
];

/// Registers every route of the table, each wrapped in its own access rule.
pub fn configure(cfg: &mut web::ServiceConfig) {
    for spec in ROUTES {
        cfg.service(
            web::resource(spec.path)
                .guard(guard::Method(spec.verb.method()))
                .wrap(from_fn(move |req: ServiceRequest, next: Next<BoxBody>| access::guard(req, next, spec)))
                .route((spec.to)(web::route())),
        );
    }
}

/// The table entry for a method and route pattern (navigation uses it).
pub fn find(method: &Method, pattern: Option<&str>) -> Option<&'static RouteSpec> {
    let pattern = pattern?;
    ROUTES.iter().find(|r| r.path == pattern && r.verb.method() == method)
}

#[derive(Debug, Serialize)]
pub struct NavItem {
    /// Unread 必读 items on the knowledge base's entry.
    pub badge: Option<usize>,
    pub label: &'static str,
    pub href: &'static str,
}

/// A heading of the menu and its entries; a group with one entry is shown as
/// that entry alone.
#[derive(Debug, Serialize)]
pub struct NavGroup {
    pub label: &'static str,
    pub items: Vec<NavItem>,
}

/// The navigation a user sees: only what their roles may open, grouped so
/// that even an admin's menu is one line at 1366 px, with the count of their
/// unread 必读 items (`kb_unread`) on the knowledge base.
pub fn navigation(user: &CurrentUser, kb_unread: Option<usize>) -> Vec<NavGroup> {
    const GROUPS: &[(&str, &[(&str, &str)])] = &[
        (msg::NAV_HOME, &[(msg::NAV_HOME, "/")]),
        (msg::NAV_GROUP_EXAMS, &[(msg::NAV_BANK, "/bank"), (msg::NAV_EXAMS, "/exams")]),
        (
            msg::NAV_KB,
            &[(msg::NAV_KB, "/kb"), (msg::NAV_KB_HALL, "/kb/hall"), (msg::NAV_LEDGER, "/kb/ledger")],
        ),
        (msg::NAV_PHONE, &[(msg::NAV_PHONE, "/phone/calls"), (msg::NAV_PHONE_MY, "/phone/my")]),
        (
            msg::NAV_GROUP_REVIEW,
            &[
                (msg::NAV_DASHBOARD, "/dashboard"),
                (msg::NAV_REVIEW, "/review"),
                (msg::NAV_SCORECARD, "/scorecard"),
                (msg::NAV_MY_SCORECARD, "/my/scorecard"),
                (msg::NAV_EVALUATION, "/evaluation"),
                (msg::NAV_MY_EVALUATION, "/my/evaluation"),
                (msg::NAV_REVIEW360_MINE, "/review360/mine"),
                (msg::NAV_REVIEW360, "/review360"),
            ],
        ),
        (
            msg::NAV_GROUP_SERVICE,
            &[
                (msg::NAV_INSPECTIONS, "/inspections"),
                (msg::NAV_ORDERS, "/orders"),
                (msg::NAV_SATISFACTION, "/satisfaction"),
            ],
        ),
        (
            msg::NAV_GROUP_TRAINING,
            &[
                (msg::NAV_STUDY, "/training/study"),
                (msg::NAV_DRILLS, "/training/drills"),
                (msg::NAV_DRILLS_MY, "/training/drills/my"),
                (msg::NAV_PRACTICE, "/my/practice"),
                (msg::NAV_PRACTICE_ACTIVITY, "/practice/activity"),
                (msg::NAV_REMEDIAL, "/remedial"),
            ],
        ),
        (
            msg::NAV_GROUP_ADMIN,
            &[
                (msg::NAV_ORG, "/admin/org"),
                (msg::NAV_USERS, "/admin/users"),
                (msg::NAV_ROSTER, "/admin/roster"),
                (msg::NAV_AUDIT, "/admin/audit"),
                (msg::NAV_SETTINGS, "/admin/settings"),
            ],
        ),
    ];
    let may_open = |href: &str| {
        find(&Method::GET, Some(href)).is_some_and(|spec| match spec.access {
            Access::Roles(roles) => user.has_any_role(roles),
            _ => true,
        })
    };
    GROUPS
        .iter()
        .map(|(label, entries)| NavGroup {
            label,
            items: entries
                .iter()
                .filter(|(_, href)| may_open(href))
                .map(|(label, href)| NavItem {
                    label,
                    href,
                    badge: if *href == "/kb" { kb_unread } else { None },
                })
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect()
}
