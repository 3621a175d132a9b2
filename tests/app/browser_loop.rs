//! The learning loop in real Chromium: a clerk practises from the 错题本 on a
//! phone, and a supervisor assigns 补学 from the heat map.

use fantoccini::Locator;

use crate::browser::{click_to_next_page, login, start_browser, text_of};
use crate::helpers::TestApp;

#[tokio::test]
async fn a_clerk_practises_from_the_mistake_book_at_phone_width() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let app = TestApp::spawn_demo().await;
    c.set_window_size(390, 844).await.unwrap();
    login(&c, &app.base, "10087", examhall::demo::PASSWORD).await;
    c.goto(&format!("{}/my/practice", app.base)).await.unwrap();
    let book = text_of(&c, "a[href='/my/practice/next?mode=book']").await;
    assert!(book.starts_with("练错题"), "{book}");
    click_to_next_page(&c, "a[href='/my/practice/next?mode=book']").await;
    let stem = text_of(&c, "#practice-stem").await;
    assert!(!stem.is_empty());
    // One thumb: tap the first choice, then the big submit button.
    c.find(Locator::Css("#practice-form label.choice")).await.unwrap().click().await.unwrap();
    click_to_next_page(&c, ".practice-submit").await;
    let result = text_of(&c, "#practice-result").await;
    assert!(result.starts_with("回答"), "{result}");
    // The key and where to learn are on the page; nothing scrolls sideways.
    let text = text_of(&c, "main").await;
    assert!(text.contains("正确") && text.contains(stem.trim()), "the same question, marked: {text}");
    let width = c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(width.as_i64().unwrap() <= 390, "{width}");
    click_to_next_page(&c, "#next").await;
    assert!(c.find(Locator::Css("#practice-form")).await.is_ok(), "the next question");
    crate::a11y::assert_accessible(&c, "a practice question").await;
}

#[tokio::test]
async fn a_supervisor_assigns_remedial_reading_from_the_heat_map() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let app = TestApp::spawn_demo().await;
    login(&c, &app.base, "80001", examhall::demo::PASSWORD).await;
    c.goto(&format!("{}/weak/knowledge", app.base)).await.unwrap();
    // The first weak spot whose questions are linked to an article (found
    // the way the pages link them), then the same path by clicks.
    let spot = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const links = [...document.querySelectorAll('a[href^=\"/weak/knowledge/questions\"]')].map(a => a.getAttribute('href'));
             (async () => {
               for (const href of links) {
                 const page = new DOMParser().parseFromString(await (await fetch(href)).text(), 'text/html');
                 const go = page.querySelector('#remedial-link');
                 if (!go) continue;
                 const preview = new DOMParser().parseFromString(await (await fetch(go.getAttribute('href'))).text(), 'text/html');
                 if (preview.querySelector('#remedial-form')) return done(href);
               }
               done(null);
             })();",
            vec![],
        )
        .await
        .unwrap();
    let spot = spot.as_str().expect("a weak spot with linked articles in the demo county").to_string();
    click_to_next_page(&c, &format!("a[href='{}']", spot.replace('\'', "\\'"))).await;
    click_to_next_page(&c, "#remedial-link").await;
    let people = text_of(&c, "#people-h").await;
    assert!(people.starts_with("补学人员"), "{people}");
    let rows = c.find_all(Locator::Css("#remedial-people tbody tr")).await.unwrap().len();
    assert!(rows >= 1);
    crate::a11y::assert_accessible(&c, "the 补学 preview").await;
    click_to_next_page(&c, "#remedial-form button[type=submit]").await;
    let flash = text_of(&c, ".flash").await;
    assert!(flash.starts_with("已安排补学") && flash.contains(&format!("{rows} 人")), "{flash}");
    assert!(text_of(&c, "#remedials tbody").await.contains("—"), "next month's effect not in yet");
}
