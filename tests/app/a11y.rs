//! Accessibility (WCAG 2.1 AA) by axe-core, pinned in `tools/axe` (`npm ci
//! --prefix tools/axe`): every page of the route table that each demo role
//! can open, at 1366 and 390 px, has no serious or critical violation, and
//! at 320 px the page does not scroll sideways (reflow).
//!
//! The pages are found as their users find them: from the role's home,
//! following every link to a page of the table (the first link to each
//! route), and, for a clerk, starting the open exam. A page of the table the
//! role may open that no link reaches fails the test (a page nobody can find
//! is a defect too), unless [`UNLINKED`] says why. Each route is audited for
//! the first role that reaches it, the home page for every role (its menu
//! and panels differ). axe is injected over WebDriver, so the page's CSP
//! stays as it is served.

use std::collections::{BTreeMap, BTreeSet};

use examhall::auth::Role;
use examhall::routes::{Access, Verb, ROUTES};
use fantoccini::{Client, Locator};

use crate::browser::{click_to_next_page, login, logout, start_browser};
use crate::helpers::TestApp;

const AXE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/axe/node_modules/axe-core/axe.min.js");

/// GET routes that are files or parts of pages, not pages.
fn is_page(path: &str) -> bool {
    let file = [".xlsx", ".txt", ".gift", ".docx", ".svg"].iter().any(|ext| path.ends_with(ext));
    let part = ["/static/", "/healthz", "/images/", "/kb/files/"].iter().any(|p| path.contains(p));
    !file && !part
}

/// Pages a role may open that no link in the demo reaches, with why.
const UNLINKED: &[(&str, &str)] = &[
    // The sign-in page is audited signed out, before the roles.
    ("/login", "signed out"),
    // The demo has no closed exam sat in examhall: audited by
    // browser::a_clerk_reads_the_review_only_once_every_attempt_is_over.
    ("/my/exams/{id}/review", "audited where a review exists"),
    // The city office plans; a county supervisor passes the role rule and
    // gets 403 from the handler, so no link is shown to them.
    ("/inspections/plan", "city office only"),
    ("/inspections/cross", "city office only"),
    // The demo's 360 round is finished, so no questionnaire is linked; the
    // browser test fills one (browser_evaluation).
    ("/review360/{id}/rate/{leader_id}", "the demo's round is closed"),
    // A picture, not a page: linked from the inspection and the 纠错单.
    ("/inspections/photos/{id}", "an image"),
];

fn may_open(access: Access, roles: &[Role]) -> bool {
    match access {
        Access::Public | Access::Guest => false,
        Access::Authenticated | Access::SelfService => true,
        Access::Roles(allowed) => roles.iter().any(|r| allowed.contains(r)),
    }
}

/// The page's violations of impact serious or critical, one line each.
async fn audit(c: &Client) -> Vec<String> {
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations'],
                                rules: {'label-content-name-mismatch': {enabled: true}}})
               .then(r => done(r.violations
                  .filter(v => v.impact === 'serious' || v.impact === 'critical')
                  .map(v => v.id + ' (' + v.nodes.length + '): '
                       + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + n.failureSummary).join(' | '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe.run");
    serde_json::from_value(found).unwrap_or_default()
}

/// Every page a role reaches by links from its home: the first URL of each
/// route. Each route is followed once per set of query parameters (a list
/// and the same list for one hall lead to different pages). The pages are
/// fetched and read inside the browser, with the role's session: the same
/// links a user sees, without rendering each page.
async fn crawl(c: &Client) -> BTreeMap<&'static str, String> {
    let patterns: Vec<&str> =
        ROUTES.iter().filter(|r| r.verb == Verb::Get && is_page(r.path)).map(|r| r.path).collect();
    let found = c
        .execute_async(
            "const [patterns, done] = [arguments[0], arguments[arguments.length - 1]];
             const split = p => p.split('/');
             // A fixed segment beats a placeholder: /kb/new, not /kb/{id}.
             const holes = p => p.split('{').length - 1;
             const sorted = patterns.slice().sort((a, b) => holes(a) - holes(b));
             const patternOf = path => sorted.find(p => {
               const want = split(p), got = split(path);
               return want.length === got.length
                 && want.every((w, i) => w === got[i] || (w.startsWith('{') && got[i] !== ''));
             });
             (async () => {
               const found = {'/': '/'}, followed = new Set(), queue = ['/'];
               while (queue.length) {
                 const url = queue.shift();
                 const page = await fetch(url);
                 if (!(page.headers.get('content-type') || '').startsWith('text/html')) continue;
                 const doc = new DOMParser().parseFromString(await page.text(), 'text/html');
                 for (const a of doc.querySelectorAll('a[href]')) {
                   const href = a.getAttribute('href').split('#')[0];
                   if (!href.startsWith('/') || href.startsWith('//')) continue;
                   const [path, query] = href.split('?');
                   const pattern = patternOf(path);
                   if (!pattern) continue;
                   const params = (query || '').split('&').map(kv => kv.split('=')[0]).sort().join('&');
                   if (followed.has(pattern + '?' + params)) continue;
                   followed.add(pattern + '?' + params);
                   if (!(pattern in found)) found[pattern] = href;
                   queue.push(href);
                 }
               }
               done(found);
             })().catch(e => done({error: String(e)}));",
            vec![serde_json::json!(patterns)],
        )
        .await
        .expect("crawl");
    let found: BTreeMap<String, String> = serde_json::from_value(found).expect("pages");
    assert!(!found.contains_key("error"), "{found:?}");
    // Back to the table's own strings.
    found
        .into_iter()
        .filter_map(|(p, url)| ROUTES.iter().find(|r| r.path == p).map(|r| (r.path, url)))
        .collect()
}

/// Each demo login's roles, as the README's demo table gives them.
fn roles_of(login: &str) -> Vec<Role> {
    match login {
        "admin" => vec![Role::Admin],
        "10002" => vec![Role::TeamLeader, Role::Clerk],
        "10001" => vec![Role::HallManager],
        "90001" => vec![Role::Trainer],
        "80000" | "80001" => vec![Role::Supervisor],
        _ => vec![Role::Clerk],
    }
}

async fn audit_at_both_widths(c: &Client, base: &str, axe: &str, who: &str, urls: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for url in urls {
        // One load a page: the phone width is the same page narrowed (the
        // layout is CSS; the scripts do not depend on the width).
        c.set_window_size(1366, 768).await.unwrap();
        c.goto(&format!("{base}{url}")).await.unwrap();
        c.execute(&format!("{axe}\n;return typeof window.axe;"), vec![]).await.expect("inject axe");
        for width in [1366, 390] {
            if width != 1366 {
                c.set_window_size(width, 844).await.unwrap();
            }
            for v in audit(c).await {
                problems.push(format!("{who} {url} @{width}px: {v}"));
            }
        }
        // Reflow (WCAG 1.4.10): at 320 px the page itself never scrolls
        // sideways; wide tables scroll inside their own region.
        c.set_window_size(320, 844).await.unwrap();
        let wide = c
            .execute(
                "const d = document.documentElement; if (d.scrollWidth <= d.clientWidth) return null;
                 const over = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > d.clientWidth + 1
                     && ![...e.children].some(k => k.getBoundingClientRect().right > d.clientWidth + 1));
                 return d.scrollWidth + 'px: ' + over.slice(0, 3).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className).join(' ');",
                vec![],
            )
            .await
            .unwrap();
        if let Some(wide) = wide.as_str() {
            problems.push(format!("{who} {url} @320px scrolls sideways, {wide}"));
        }
    }
    c.set_window_size(1366, 768).await.unwrap();
    problems
}

/// axe-core's text, or None (with a notice) when it is not installed and
/// the browser tests are not required.
fn axe_source() -> Option<String> {
    match std::fs::read_to_string(AXE) {
        Ok(axe) => Some(axe),
        Err(_) => {
            let notice = "无障碍测试已跳过：未找到 axe-core。安装方法：npm ci --prefix tools/axe";
            let required = std::env::var("EXAMHALL_BROWSER_TESTS").as_deref() == Ok("required");
            assert!(!required, "{notice}（EXAMHALL_BROWSER_TESTS=required）");
            eprintln!("{notice}");
            None
        }
    }
}

/// For other browser tests: the page now open has no serious or critical
/// violation at its width and at 390 px.
pub(crate) async fn assert_accessible(c: &Client, what: &str) {
    let Some(axe) = axe_source() else { return };
    let url = c.current_url().await.unwrap();
    let base = url.origin().ascii_serialization();
    let path = url.query().map_or_else(|| url.path().to_string(), |q| format!("{}?{q}", url.path()));
    let problems = audit_at_both_widths(c, &base, &axe, what, &[path]).await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn no_serious_or_critical_axe_violation_on_any_page_a_role_can_open() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let Some(axe) = axe_source() else { return };
    let app = TestApp::spawn_demo().await;
    let base = app.base.clone();

    let mut problems = audit_at_both_widths(&c, &base, &axe, "(signed out)", &["/login".into()]).await;
    let mut audited: BTreeSet<&'static str> = BTreeSet::new();
    let mut unreached = Vec::new();
    for (label, login_name, _) in examhall::demo::logins() {
        login(&c, &base, login_name, examhall::demo::PASSWORD).await;
        let mut pages = crawl(&c).await;
        if let Some(exam) = pages.get("/my/exams/{id}").cloned() {
            // The exam pages behind the start button: the paper and the submit page.
            c.goto(&format!("{base}{exam}")).await.unwrap();
            if c.find(Locator::Css("form[action$='/start'] button")).await.is_ok() {
                click_to_next_page(&c, "form[action$='/start'] button").await;
                let paper = c.current_url().await.unwrap().path().to_string();
                pages.insert("/exam/attempts/{id}", paper.clone());
                pages.insert("/exam/attempts/{id}/submit", format!("{paper}/submit"));
            }
        }
        // Every page of the menu's kind (no id in its path) is linked for each
        // role that may open it; pages of one record are reached when the
        // demo has such a record for the role (and audited for some role, below).
        let roles = roles_of(login_name);
        for route in
            ROUTES.iter().filter(|r| r.verb == Verb::Get && is_page(r.path) && may_open(r.access, &roles))
        {
            let linked = pages.contains_key(route.path) || route.path.contains('{');
            if !linked && !UNLINKED.iter().any(|(p, _)| *p == route.path) {
                unreached.push(format!("{label} {login_name}: {}", route.path));
            }
        }
        let urls: Vec<String> = pages
            .iter()
            .filter(|(pattern, _)| **pattern == "/" || !audited.contains(*pattern))
            .map(|(_, url)| url.clone())
            .collect();
        audited.extend(pages.keys());
        problems.extend(audit_at_both_widths(&c, &base, &axe, &format!("{label} {login_name}"), &urls).await);
        logout(&c).await;
    }
    eprintln!("a11y: {} pages audited", audited.len());
    for route in ROUTES.iter().filter(|r| r.verb == Verb::Get && is_page(r.path)) {
        if !audited.contains(route.path) && !UNLINKED.iter().any(|(p, _)| *p == route.path) {
            unreached.push(format!("no role: {}", route.path));
        }
    }
    assert!(unreached.is_empty(), "pages of the route table no link reaches:\n{}", unreached.join("\n"));
    assert!(problems.is_empty(), "{} serious or critical:\n{}", problems.len(), problems.join("\n"));
}
