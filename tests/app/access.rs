//! The route table's rules, walked route by route and actor by actor: an
//! independent table of who may pass the gate (written from the README and
//! DESIGN §2, not read from `ROUTES`), every route × every kind of visitor,
//! and no POST passes without the session's CSRF token.

use examhall::auth::Role;
use examhall::routes::{Verb, ROUTES};
use reqwest::{Response, StatusCode};

use crate::helpers::{location, Browser, TestApp};

/// Who may pass the gate of each route: `public` (anyone, no session),
/// `guest` (the sign-in pages: anyone), `self` (any signed-in user, even one
/// who must change their password first), `any` (any signed-in user without a
/// pending password change), or the roles that may (scope is the handler's).
/// One line per route of the table; a route added without a line here fails.
#[rustfmt::skip]
const EXPECTED: &[(&str, &str, &str)] = &[
    ("GET",  "/static/{name}", "public"),
    ("GET",  "/healthz", "public"),
    ("GET",  "/login", "guest"),
    ("POST", "/login", "guest"),
    ("POST", "/logout", "self"),
    ("GET",  "/account/password", "self"),
    ("POST", "/account/password", "self"),
    ("GET",  "/", "any"),
    // Sitting an exam: whoever is in its audience (the handlers check it is theirs).
    ("GET",  "/my/exams/{id}", "any"),
    ("POST", "/my/exams/{id}/start", "any"),
    ("GET",  "/my/exams/{id}/review", "any"),
    ("GET",  "/exam/attempts/{id}", "any"),
    ("POST", "/exam/attempts/{id}/answer", "any"),
    ("POST", "/exam/attempts/{id}/save", "any"),
    ("GET",  "/exam/attempts/{id}/submit", "any"),
    ("POST", "/exam/attempts/{id}/submit", "any"),
    // Administration: org tree, accounts, roster, audit log, settings.
    ("GET",  "/admin/org", "admin"),
    ("POST", "/admin/org", "admin"),
    ("POST", "/admin/org/{id}/rename", "admin"),
    ("POST", "/admin/org/{id}/move", "admin"),
    ("POST", "/admin/org/{id}/active", "admin"),
    ("GET",  "/admin/users", "admin"),
    ("GET",  "/admin/users/{id}", "admin"),
    ("POST", "/admin/users/{id}", "admin"),
    ("POST", "/admin/users/{id}/active", "admin"),
    ("POST", "/admin/users/{id}/reset-password", "admin"),
    ("POST", "/admin/users/{id}/roles", "admin"),
    ("POST", "/admin/users/{id}/roles/{grant_id}/delete", "admin"),
    ("GET",  "/admin/roster", "admin"),
    ("GET",  "/admin/roster/template.xlsx", "admin"),
    ("POST", "/admin/roster/preview", "admin"),
    ("POST", "/admin/roster/{upload_id}/confirm", "admin"),
    ("GET",  "/admin/audit", "admin"),
    ("GET",  "/admin/audit/export.xlsx", "admin"),
    ("GET",  "/admin/settings", "admin"),
    ("POST", "/admin/settings", "admin"),
    // Question banks: the customer-service department's trainers.
    ("GET",  "/bank", "trainer admin"),
    ("POST", "/bank", "trainer admin"),
    ("GET",  "/bank/format", "trainer admin"),
    ("GET",  "/bank/template.xlsx", "trainer admin"),
    ("GET",  "/bank/{id}", "trainer admin"),
    ("GET",  "/bank/{id}/import", "trainer admin"),
    ("POST", "/bank/{id}/import", "trainer admin"),
    ("POST", "/bank/{id}/import/paste", "trainer admin"),
    ("POST", "/bank/{id}/import/{upload_id}/confirm", "trainer admin"),
    ("GET",  "/bank/{id}/export.txt", "trainer admin"),
    ("GET",  "/bank/{id}/export.xlsx", "trainer admin"),
    ("GET",  "/bank/{id}/export.gift", "trainer admin"),
    ("GET",  "/bank/{id}/export.docx", "trainer admin"),
    ("GET",  "/bank/questions/{id}", "trainer admin"),
    // A question's picture is shown on exam pages: anyone signed in reaches the
    // handler, which answers 404 unless the question is on their own paper.
    ("GET",  "/bank/questions/{id}/images/{n}", "any"),
    ("POST", "/bank/questions/{id}", "trainer admin"),
    ("POST", "/bank/questions/{id}/status", "trainer admin"),
    ("POST", "/bank/questions/{id}/sources", "trainer admin"),
    ("POST", "/bank/questions/{id}/sources/{source_id}/delete", "trainer admin"),
    ("POST", "/bank/questions/{id}/review", "trainer admin"),
    ("POST", "/bank/{id}/sources", "trainer admin"),
    ("POST", "/bank/{id}/practice", "trainer admin"),
    // Knowledge base: everyone reads (the audience is the handler's); trainers write;
    // trainers (city) and supervisors (their scope) assign 必读.
    ("GET",  "/kb", "any"),
    ("POST", "/kb", "trainer admin"),
    ("GET",  "/kb/new", "trainer admin"),
    ("GET",  "/kb/my", "any"),
    ("GET",  "/kb/hall", "team_leader hall_manager"),
    ("GET",  "/kb/files/{id}", "any"),
    ("POST", "/kb/assignments/{id}/withdraw", "trainer supervisor admin"),
    // The reading-penalty ledger: supervisors (their scope), trainers and admins see it;
    // exempting and closing are the supervisors' (and admins'); re-opening the admins'.
    ("GET",  "/kb/ledger", "supervisor trainer admin"),
    ("GET",  "/kb/ledger/export.xlsx", "supervisor trainer admin"),
    ("POST", "/kb/ledger/exempt", "supervisor admin"),
    ("POST", "/kb/ledger/exempt/lift", "supervisor admin"),
    ("POST", "/kb/ledger/close", "supervisor admin"),
    ("POST", "/kb/ledger/reopen", "admin"),
    ("GET",  "/kb/compliance", "supervisor trainer admin"),
    ("GET",  "/kb/{id}", "any"),
    ("GET",  "/kb/{id}/v/{version}", "any"),
    ("POST", "/kb/{id}/beat", "any"),
    ("POST", "/kb/{id}/confirm", "any"),
    ("POST", "/kb/{id}", "trainer admin"),
    ("GET",  "/kb/{id}/edit", "trainer admin"),
    ("POST", "/kb/{id}/archive", "trainer admin"),
    ("POST", "/kb/{id}/restore", "trainer admin"),
    ("POST", "/kb/{id}/files", "trainer admin"),
    ("GET",  "/kb/{id}/assign", "trainer supervisor admin"),
    ("POST", "/kb/{id}/assign", "trainer supervisor admin"),
    // Phone tests: trainers import and score; supervisors (their scope) read the reports.
    ("GET",  "/phone/import", "trainer admin"),
    ("GET",  "/phone/import/template.xlsx", "trainer admin"),
    ("POST", "/phone/import/preview", "trainer admin"),
    ("POST", "/phone/import/{upload_id}/confirm", "trainer admin"),
    ("GET",  "/phone/report", "supervisor trainer admin"),
    ("GET",  "/phone/report/export.xlsx", "supervisor trainer admin"),
    ("GET",  "/phone/report/trend", "supervisor trainer admin"),
    ("GET",  "/phone/calibration", "supervisor trainer admin"),
    ("GET",  "/phone/rubric", "trainer admin"),
    ("POST", "/phone/rubric", "trainer admin"),
    ("GET",  "/phone/scenarios", "trainer supervisor admin"),
    ("POST", "/phone/scenarios", "trainer admin"),
    ("GET",  "/phone/scenarios/new", "trainer admin"),
    ("POST", "/phone/scenarios/{id}", "trainer admin"),
    ("GET",  "/phone/scenarios/{id}/edit", "trainer admin"),
    ("GET",  "/phone/calls", "trainer supervisor admin"),
    ("POST", "/phone/calls", "trainer admin"),
    ("GET",  "/phone/calls/new", "trainer admin"),
    // One call: its testers, supervisors over the hall and the clerk (the handler's check).
    ("GET",  "/phone/calls/{id}", "any"),
    ("GET",  "/phone/my", "clerk team_leader hall_manager"),
    // Study sessions: a hall's team leaders record (admins too); its manager, supervisors,
    // trainers and admins view.
    ("GET",  "/training/study", "team_leader hall_manager supervisor trainer admin"),
    ("POST", "/training/study", "team_leader admin"),
    ("GET",  "/training/study/new", "team_leader admin"),
    ("GET",  "/training/study/export.xlsx", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/training/study/{id}", "team_leader hall_manager supervisor trainer admin"),
    ("POST", "/training/study/{id}", "team_leader admin"),
    ("GET",  "/training/study/{id}/edit", "team_leader admin"),
    ("POST", "/training/study/{id}/delete", "team_leader admin"),
    // Drills: trainers keep the business types; team leaders record (admins too) and
    // import (trainers too); the hall's manager, supervisors, trainers and admins view.
    ("GET",  "/training/drills/types", "trainer admin"),
    ("POST", "/training/drills/types", "trainer admin"),
    ("POST", "/training/drills/types/{id}", "trainer admin"),
    ("GET",  "/training/drills", "team_leader hall_manager supervisor trainer admin"),
    ("POST", "/training/drills", "team_leader admin"),
    ("GET",  "/training/drills/new", "team_leader admin"),
    ("GET",  "/training/drills/my", "clerk team_leader hall_manager"),
    ("GET",  "/training/drills/report", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/training/drills/report.xlsx", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/training/drills/import", "team_leader trainer admin"),
    ("GET",  "/training/drills/import/template.xlsx", "team_leader trainer admin"),
    ("POST", "/training/drills/import/preview", "team_leader trainer admin"),
    ("POST", "/training/drills/import/{upload_id}/confirm", "team_leader trainer admin"),
    ("POST", "/training/drills/{id}/delete", "team_leader admin"),
    // Scorecards: supervisors, trainers, admins, and a hall's team leaders and manager;
    // one clerk's card for whoever has them in scope (the clerk their own).
    ("GET",  "/scorecard", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/scorecard/export.xlsx", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/scorecard/clerk/{id}", "any"),
    ("GET",  "/my/scorecard", "clerk team_leader hall_manager"),
    ("GET",  "/my/practice", "clerk team_leader hall_manager"),
    ("GET",  "/my/practice/next", "clerk team_leader hall_manager"),
    ("POST", "/my/practice/answer", "clerk team_leader hall_manager"),
    ("GET",  "/practice/activity", "team_leader hall_manager supervisor trainer admin"),
    // Weak spots, the dashboard and the below-average list: supervisors, trainers, admins;
    // following a clerk up and closing the month: supervisors and admins; re-opening: admins.
    ("GET",  "/dashboard", "supervisor trainer admin"),
    ("GET",  "/weak/knowledge", "supervisor trainer admin"),
    ("GET",  "/weak/knowledge/questions", "supervisor trainer admin"),
    ("GET",  "/remedial", "trainer supervisor admin"),
    ("GET",  "/remedial/new", "trainer supervisor admin"),
    ("POST", "/remedial", "trainer supervisor admin"),
    ("GET",  "/remedial/phone", "trainer supervisor admin"),
    ("POST", "/remedial/phone", "trainer supervisor admin"),
    // Inspections: hall managers and team leaders (their hall, their assignments),
    // supervisors (their scope), trainers and admins; the handlers check which.
    // The 100-point evaluation: the person's own month and appeals; lists for hall managers
    // (their hall), supervisors (their scope), trainers and admins; the hall manager rates;
    // supervisors and admins answer appeals and close; admins re-open and edit schemes.
    ("GET",  "/my/evaluation", "clerk team_leader"),
    ("POST", "/my/evaluation/appeal", "clerk team_leader"),
    ("GET",  "/evaluation", "hall_manager supervisor trainer admin"),
    ("GET",  "/evaluation/export.xlsx", "hall_manager supervisor trainer admin"),
    ("GET",  "/evaluation/people/{id}", "hall_manager supervisor trainer admin"),
    ("GET",  "/evaluation/rate", "hall_manager"),
    ("POST", "/evaluation/rate/{user_id}", "hall_manager"),
    ("GET",  "/evaluation/appeals", "hall_manager supervisor trainer admin"),
    ("POST", "/evaluation/appeals/{id}/answer", "supervisor admin"),
    ("POST", "/evaluation/close", "supervisor admin"),
    ("POST", "/evaluation/reopen", "admin"),
    ("GET",  "/evaluation/schemes", "hall_manager supervisor trainer admin"),
    ("POST", "/evaluation/schemes/{role}", "admin"),
    // 360: the city office runs rounds (supervisors follow their scope); raters answer;
    // a leader, their superiors and the city office read results.
    ("GET",  "/review360", "supervisor trainer admin"),
    ("POST", "/review360", "supervisor trainer admin"),
    ("GET",  "/review360/mine", "clerk team_leader hall_manager supervisor"),
    ("GET",  "/review360/{id}", "supervisor trainer admin"),
    ("POST", "/review360/{id}/raters", "supervisor trainer admin"),
    ("POST", "/review360/{id}/raters/{rater_id}/remove", "supervisor trainer admin"),
    ("POST", "/review360/{id}/open", "supervisor trainer admin"),
    ("POST", "/review360/{id}/close", "supervisor trainer admin"),
    ("GET",  "/review360/{id}/rate/{leader_id}", "clerk team_leader hall_manager supervisor"),
    ("POST", "/review360/{id}/rate/{leader_id}", "clerk team_leader hall_manager supervisor"),
    ("GET",  "/review360/{id}/results/{leader_id}", "team_leader hall_manager supervisor trainer admin"),
    // Customer satisfaction: the city office imports; the halls' leaders and supervisors read.
    ("GET",  "/satisfaction", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/satisfaction/halls/{id}", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/satisfaction/import", "trainer admin"),
    ("POST", "/satisfaction/import/preview", "trainer admin"),
    ("POST", "/satisfaction/import/{upload_id}/confirm", "trainer admin"),
    ("GET",  "/satisfaction/import/template.xlsx", "trainer admin"),
    ("GET",  "/inspections", "team_leader hall_manager supervisor trainer admin"),
    ("POST", "/inspections/daily", "team_leader hall_manager"),
    ("GET",  "/inspections/plan", "supervisor trainer admin"),
    ("POST", "/inspections/plan", "supervisor trainer admin"),
    ("GET",  "/inspections/cross", "supervisor trainer admin"),
    ("POST", "/inspections/cross", "supervisor trainer admin"),
    ("POST", "/inspections/rounds/{id}/publish", "supervisor trainer admin"),
    ("POST", "/inspections/assignments/{id}", "supervisor trainer admin"),
    ("POST", "/inspections/assignments/{id}/start", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/inspections/defects", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/inspections/compliance", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/inspections/report", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/inspections/report.xlsx", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/inspections/standard", "team_leader hall_manager supervisor trainer admin"),
    ("POST", "/inspections/standard", "trainer admin"),
    ("GET",  "/inspections/photos/{id}", "team_leader hall_manager supervisor trainer admin"),
    ("POST", "/inspections/photos/{id}/delete", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/inspections/{id}", "team_leader hall_manager supervisor trainer admin"),
    ("POST", "/inspections/{id}/item", "team_leader hall_manager supervisor trainer admin"),
    ("POST", "/inspections/{id}/queue", "team_leader hall_manager supervisor trainer admin"),
    ("POST", "/inspections/{id}/submit", "team_leader hall_manager supervisor trainer admin"),
    ("POST", "/inspections/{id}/order", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/orders", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/orders/{id}", "team_leader hall_manager supervisor trainer admin"),
    ("POST", "/orders/{id}/reply", "team_leader hall_manager supervisor trainer admin"),
    ("POST", "/orders/{id}/decide", "team_leader hall_manager supervisor trainer admin"),
    ("GET",  "/weak/phone", "supervisor trainer admin"),
    ("GET",  "/weak/drills", "supervisor trainer admin"),
    ("GET",  "/review", "supervisor trainer admin"),
    ("GET",  "/review/export.xlsx", "supervisor trainer admin"),
    ("POST", "/review/case", "supervisor admin"),
    ("POST", "/review/close", "supervisor admin"),
    ("POST", "/review/reopen", "admin"),
    ("GET",  "/review/explain", "supervisor trainer admin"),
    ("GET",  "/review/import", "trainer admin"),
    ("GET",  "/review/import/template.xlsx", "trainer admin"),
    ("POST", "/review/import/preview", "trainer admin"),
    ("POST", "/review/import/{upload_id}/confirm", "trainer admin"),
    // Exams: the trainers' side.
    ("GET",  "/exams", "trainer admin"),
    ("POST", "/exams", "trainer admin"),
    ("GET",  "/exams/new", "trainer admin"),
    ("GET",  "/exams/{id}", "trainer admin"),
    ("POST", "/exams/{id}", "trainer admin"),
    ("GET",  "/exams/{id}/edit", "trainer admin"),
    ("GET",  "/exams/{id}/preview", "trainer admin"),
    ("POST", "/exams/{id}/publish", "trainer admin"),
    ("POST", "/exams/{id}/unpublish", "trainer admin"),
    ("POST", "/exams/{id}/people", "trainer admin"),
    ("GET",  "/exams/{id}/attempts/{attempt_id}", "trainer admin"),
    ("POST", "/exams/{id}/attempts/{attempt_id}/reopen", "trainer admin"),
    ("POST", "/exams/{id}/attempts/{attempt_id}/extra-time", "trainer admin"),
    ("GET",  "/exams/{id}/marking", "trainer admin"),
    ("POST", "/exams/{id}/marking/{item_id}", "trainer admin"),
    ("POST", "/exams/{id}/sittings", "trainer admin"),
    ("GET",  "/exams/{id}/sittings/{sitting_id}", "trainer admin"),
    ("POST", "/exams/{id}/sittings/{sitting_id}/close", "trainer admin"),
    ("GET",  "/exams/{id}/results", "trainer admin"),
    ("GET",  "/exams/{id}/results.xlsx", "trainer admin"),
    ("GET",  "/exams/{id}/distribution.svg", "trainer admin"),
    ("GET",  "/exams/{id}/statistics", "trainer admin"),
];

/// Cells (verb, path, actor label, why) where the gate lets the actor through
/// and the handler itself answers 403 无权访问 from its scope check (the same
/// page as the gate's); nothing else may look like the gate's refusal. The
/// walk uses ids that do not exist, so the handlers with a scope 403 (drills
/// and study of another hall, another clerk's scorecard, an exemption outside
/// the scope) answer 404 or 400 first. POSTs need no entry: a POST without a
/// token that gets 表单已过期 has passed the rule.
const HANDLER_SCOPE_403: &[(&str, &str, &str, &str)] = &[
    ("GET", "/inspections/plan", "county supervisor", "spot checks are planned by the city office"),
    ("GET", "/inspections/cross", "county supervisor", "cross rounds are planned by the city office"),
];

/// The role words of [`EXPECTED`].
const ROLE_WORDS: [(&str, Role); 6] = [
    ("clerk", Role::Clerk),
    ("team_leader", Role::TeamLeader),
    ("hall_manager", Role::HallManager),
    ("trainer", Role::Trainer),
    ("supervisor", Role::Supervisor),
    ("admin", Role::Admin),
];

/// Any number where the route has a parameter: no such object exists, so an
/// allowed request reaches the handler and changes nothing.
fn concrete(path: &str) -> String {
    regex::Regex::new(r"\{[a-z_]+\}").unwrap().replace_all(path, "999999").to_string()
}

fn verb_word(verb: Verb) -> &'static str {
    match verb {
        Verb::Get => "GET",
        Verb::Post => "POST",
    }
}

/// One kind of visitor, with their own session and its CSRF token.
struct Actor {
    label: &'static str,
    login: Option<&'static str>,
    roles: &'static [Role],
    must_change: bool,
    browser: Browser,
    token: String,
}

impl Actor {
    /// Whether the gate should let this actor through a route with this rule.
    fn passes(&self, rule: &str) -> bool {
        let signed_in = self.login.is_some();
        match rule {
            "public" | "guest" => true,
            "self" => signed_in,
            "any" => signed_in && !self.must_change,
            roles => {
                let allowed: Vec<Role> = roles
                    .split(' ')
                    .map(|w| {
                        ROLE_WORDS
                            .iter()
                            .find(|(word, _)| *word == w)
                            .unwrap_or_else(|| panic!("unknown word {w:?} in EXPECTED"))
                            .1
                    })
                    .collect();
                signed_in && !self.must_change && self.roles.iter().any(|r| allowed.contains(r))
            }
        }
    }
}

/// A response, read once.
struct Seen {
    status: StatusCode,
    location: String,
    body: String,
}

impl Seen {
    async fn of(res: Response) -> Seen {
        let (status, location) = (res.status(), location(&res));
        Seen { status, location, body: res.text().await.unwrap_or_default() }
    }

    /// The gate's refusal of `actor`, as the gate words it for them.
    fn is_refusal(&self, actor: &Actor, verb: Verb) -> bool {
        let redirect = self.status == StatusCode::SEE_OTHER;
        match (actor.login, verb) {
            (None, Verb::Get) => redirect && self.location.starts_with("/login?next="),
            (None, Verb::Post) => redirect && self.location == "/login",
            _ if actor.must_change => redirect && self.location == "/account/password",
            _ => self.status == StatusCode::FORBIDDEN && self.body.contains("无权访问"),
        }
    }

    fn is_csrf_refusal(&self) -> bool {
        self.status == StatusCode::FORBIDDEN && self.body.contains("表单已过期")
    }

    fn brief(&self) -> String {
        let title = regex::Regex::new(r"<title>([^<]*)</title>").unwrap();
        let title = title.captures(&self.body).map(|c| c[1].to_string()).unwrap_or_default();
        format!("{} {} {}", self.status.as_u16(), self.location, title.trim())
    }
}

async fn get(b: &Browser, path: &str) -> Seen {
    Seen::of(b.get(path).await).await
}

async fn post(b: &Browser, path: &str, token: Option<&str>) -> Seen {
    let form: Vec<(&str, &str)> = token.map(|t| vec![("csrf_token", t)]).unwrap_or_default();
    Seen::of(b.post_raw(path, &form).await).await
}

async fn signed_in(app: &TestApp, login: &str) -> Browser {
    let b = app.browser();
    b.login_ok(login).await;
    b
}

#[tokio::test]
async fn every_route_lets_through_exactly_whom_the_table_says() {
    // The table and EXPECTED name the same routes, each once.
    let mut problems = Vec::new();
    for spec in ROUTES {
        let n = EXPECTED.iter().filter(|(v, p, _)| *v == verb_word(spec.verb) && *p == spec.path).count();
        if n != 1 {
            problems.push(format!(
                "{} {}: {n} lines in EXPECTED (say who may pass)",
                verb_word(spec.verb),
                spec.path
            ));
        }
    }
    for (verb, path, _) in EXPECTED {
        if !ROUTES.iter().any(|s| verb_word(s.verb) == *verb && s.path == *path) {
            problems.push(format!("{verb} {path}: in EXPECTED but not in the route table"));
        }
    }
    for (verb, path, _, _) in HANDLER_SCOPE_403 {
        if !EXPECTED.iter().any(|(v, p, _)| v == verb && p == path) {
            problems.push(format!("{verb} {path}: a scope exception for no route"));
        }
    }
    assert!(problems.is_empty(), "route table and EXPECTED differ:\n{}", problems.join("\n"));

    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let hall = city.county_hall;
    app.add_user("10001", "营业员", Some(hall), &[(Role::Clerk, hall)]);
    app.add_user("20001", "班长", Some(hall), &[(Role::TeamLeader, hall)]);
    app.add_user("30001", "厅经理", Some(hall), &[(Role::HallManager, hall)]);
    app.add_user("90001", "培训师", None, &[(Role::Trainer, city.city)]);
    app.add_user("80001", "县主管", None, &[(Role::Supervisor, city.county)]);
    app.add_user("80000", "市主管", None, &[(Role::Supervisor, city.city)]);
    app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    // An admin with a temporary password: nothing but the password change until it is done.
    app.add_user_with("admin2", "新管理员", None, &[(Role::Admin, city.city)], true);

    let kinds: [(&str, Option<&str>, &[Role], bool); 9] = [
        ("anonymous", None, &[], false),
        ("clerk", Some("10001"), &[Role::Clerk], false),
        ("team leader", Some("20001"), &[Role::TeamLeader], false),
        ("hall manager", Some("30001"), &[Role::HallManager], false),
        ("trainer", Some("90001"), &[Role::Trainer], false),
        ("county supervisor", Some("80001"), &[Role::Supervisor], false),
        ("city supervisor", Some("80000"), &[Role::Supervisor], false),
        ("admin", Some("admin"), &[Role::Admin], false),
        ("admin who must change the password", Some("admin2"), &[Role::Admin], true),
    ];
    let mut actors = Vec::new();
    for (label, login, roles, must_change) in kinds {
        let browser = match login {
            Some(login) => signed_in(&app, login).await,
            None => app.browser(),
        };
        let token = browser.csrf().await;
        actors.push(Actor { label, login, roles, must_change, browser, token });
    }
    // A valid token, but another session's.
    let foreign = app.browser().csrf().await;

    let (mut cells, mut allowed, mut csrf_checks) = (0, 0, 0);
    for spec in ROUTES {
        let verb = verb_word(spec.verb);
        let rule = EXPECTED.iter().find(|(v, p, _)| *v == verb && *p == spec.path).unwrap().2;
        let path = concrete(spec.path);
        for actor in &actors {
            cells += 1;
            let cell = format!("{verb} {path} as {}", actor.label);
            let scope_403 = HANDLER_SCOPE_403
                .iter()
                .any(|(v, p, who, _)| *v == verb && *p == spec.path && *who == actor.label);
            if !actor.passes(rule) {
                // Refused by the gate, before the CSRF check: no token needed to see it.
                let seen = match spec.verb {
                    Verb::Get => get(&actor.browser, &path).await,
                    Verb::Post => post(&actor.browser, &path, None).await,
                };
                if !seen.is_refusal(actor, spec.verb) {
                    problems.push(format!("{cell}: should be refused ({rule}), got {}", seen.brief()));
                }
                continue;
            }
            allowed += 1;
            let seen = match spec.verb {
                Verb::Get => get(&actor.browser, &path).await,
                Verb::Post => {
                    // Past the rule, every POST needs this session's token.
                    for (what, token) in
                        [("no token", None), ("another session's token", Some(foreign.as_str()))]
                    {
                        csrf_checks += 1;
                        let seen = post(&actor.browser, &path, token).await;
                        if !seen.is_csrf_refusal() {
                            problems.push(format!(
                                "{cell} with {what}: want 403 表单已过期, got {}",
                                seen.brief()
                            ));
                        }
                    }
                    if spec.path == "/logout" {
                        // Signing out ends the session: use a session of its own.
                        let b = signed_in(&app, actor.login.unwrap()).await;
                        let token = b.csrf().await;
                        post(&b, &path, Some(&token)).await
                    } else {
                        post(&actor.browser, &path, Some(&actor.token)).await
                    }
                }
            };
            let refused =
                seen.is_refusal(actor, spec.verb) && !(scope_403 && seen.status == StatusCode::FORBIDDEN);
            if refused || seen.is_csrf_refusal() || seen.status.is_server_error() {
                problems.push(format!("{cell}: should pass the gate ({rule}), got {}", seen.brief()));
            }
        }
    }
    eprintln!(
        "access matrix: {} routes × {} actors = {cells} cells ({allowed} allowed, {} refused), \
         {csrf_checks} bad-token POSTs refused",
        ROUTES.len(),
        actors.len(),
        cells - allowed
    );
    assert!(problems.is_empty(), "{} cells disagree with EXPECTED:\n{}", problems.len(), problems.join("\n"));
}

#[tokio::test]
async fn every_post_without_a_valid_token_is_refused() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    // An admin who is also a clerk and a hall manager passes every POST's role
    // rule (practice is hall staff's, the daily inspection a hall's leaders').
    let grants =
        [(Role::Admin, city.city), (Role::Clerk, city.city_hall), (Role::HallManager, city.city_hall)];
    app.add_user("admin", "管理员", Some(city.city_hall), &grants);
    let admin = app.browser();
    admin.login_ok("admin").await;
    for spec in ROUTES.iter().filter(|s| s.verb == Verb::Post) {
        let path = concrete(spec.path);
        let res = admin.post_raw(&path, &[("name", "x")]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "no token: {path}");
        let res = admin.post_raw(&path, &[("name", "x"), ("csrf_token", "0000")]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "bad token: {path}");
        assert!(res.text().await.unwrap().contains("表单已过期"));
    }
    // A token from another session does not work either, in whichever place
    // the gate reads one (form field, `X-CSRF-Token` header); one in the query string counts for nothing.
    let other = app.browser();
    let foreign = other.csrf().await;
    let res = admin
        .post_raw(
            "/admin/org",
            &[("kind", "county"), ("parent_id", "1"), ("name", "新县"), ("csrf_token", &foreign)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    for spec in ROUTES.iter().filter(|s| s.verb == Verb::Post) {
        let path = concrete(spec.path);
        let by_header = admin.client.post(admin.url(&path)).header("X-CSRF-Token", &foreign).send();
        let by_query = admin.client.post(format!("{}?_csrf={foreign}", admin.url(&path))).send();
        for (how, res) in [("header", by_header.await.unwrap()), ("query", by_query.await.unwrap())] {
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "foreign token in the {how}: {path}");
            assert!(res.text().await.unwrap().contains("表单已过期"), "{how}: {path}");
        }
    }
}

#[tokio::test]
async fn unknown_pages_and_bad_ids_get_chinese_error_pages() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    let admin = app.browser();
    admin.login_ok("admin").await;
    for path in ["/no-such-page", "/admin/users/99999", "/admin/users/abc", "/static/nothing.js"] {
        let res = admin.get(path).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains("页面不存在"), "{path}");
        assert!(html.contains("lang=\"zh-CN\""));
    }
    // A page number that is not a number is read as page 1 (tests/app/bounds_lists.rs);
    // a parameter that must be an id is a 400.
    let res = admin.get("/training/drills/report?hall=abc").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("查询参数无效"));
}

#[tokio::test]
async fn assets_are_served_by_the_binary_and_navigation_follows_roles() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    app.add_user("admin", "管理员", None, &[(Role::Admin, city.city)]);
    let b = app.browser();
    let css = b.get("/static/app.css").await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    let login = b.get_text("/login").await;
    assert!(!login.contains("http://") && !login.contains("https://"), "no CDN");

    b.login_ok("10001").await;
    let home = b.get_text("/").await;
    assert!(home.contains("name=\"viewport\""));
    assert!(!home.contains("/admin/users"), "a clerk sees no admin menu");
    let admin = app.browser();
    admin.login_ok("admin").await;
    assert!(admin.get_text("/").await.contains("href=\"/admin/users\""));
}

#[tokio::test]
async fn spelling_a_path_differently_does_not_get_past_the_rules() {
    let app = TestApp::spawn().await;
    let city = app.seed_city();
    let clerk_id =
        app.add_user("10001", "张晓梅", Some(city.county_hall), &[(Role::Clerk, city.county_hall)]);
    let anonymous = app.browser();
    for path in ["/admin/%75sers", "/admin/%61udit", "/%61dmin/org", "/admin/users/"] {
        let res = anonymous.get(path).await;
        assert_ne!(res.status(), StatusCode::OK, "anonymous GET {path}");
        assert!(!res.text().await.unwrap().contains("人员账号"), "{path}");
    }
    let clerk = app.browser();
    clerk.login_ok("10001").await;
    let unit = city.city.to_string();
    let res = clerk
        .post(&format!("/admin/%75sers/{clerk_id}/roles"), &[("role", "admin"), ("unit_id", &unit)])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let grants = examhall::accounts::User::grants(&mut app.conn(), clerk_id).unwrap();
    assert!(grants.iter().all(|g| g.role != "admin"), "no self-promotion");
}
