//! Inspections in real Chromium: a hall manager's daily check on a phone
//! (items tapped and saved one by one, a photo from the camera input, the
//! queue, submit), and a 纠错单 from the city's spot check to its close.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::browser::{click_to_next_page, login, logout, start_browser, text_of};
use crate::helpers::TestApp;

/// Waits until the form's counter says `n` items are checked (each tap saves by fetch).
async fn wait_answered(c: &Client, n: usize) {
    for _ in 0..200 {
        if text_of(c, "#answered").await == n.to_string() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the counter never reached {n}: {}", text_of(c, "#answered").await);
}

/// Taps an element as a thumb does: scrolled to the middle of the screen
/// first (WebDriver alone may leave it under the pinned counter).
async fn tap(c: &Client, el: &fantoccini::elements::Element) {
    let arg = serde_json::to_value(el).unwrap();
    c.execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg]).await.unwrap();
    el.click().await.unwrap();
}

/// Taps `outcome` (pass | fail | na) on every item but those in `except`.
async fn tap_all(c: &Client, outcome: &str, except: &[&str]) -> usize {
    let forms = c.find_all(Locator::Css("form[data-autosave]")).await.unwrap();
    let mut n = 0;
    for form in forms {
        let code = form
            .find(Locator::Css("input[name=code]"))
            .await
            .unwrap()
            .attr("value")
            .await
            .unwrap()
            .unwrap_or_default();
        if except.contains(&code.as_str()) {
            continue;
        }
        tap(c, &form.find(Locator::Css(&format!("input[value={outcome}]"))).await.unwrap()).await;
        n += 1;
    }
    n
}

#[tokio::test]
async fn a_hall_manager_does_the_daily_check_on_a_phone_with_a_photo() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let app = TestApp::spawn_demo().await;
    c.set_window_size(390, 844).await.unwrap();
    login(&c, &app.base, "10001", examhall::demo::PASSWORD).await;
    c.goto(&format!("{}/inspections", app.base)).await.unwrap();
    assert!(text_of(&c, "#daily-h").await.starts_with("今日日检"));
    click_to_next_page(&c, ".daily-hall form button").await;
    assert!(text_of(&c, "h1").await.starts_with("日检"));
    // One thumb: tap 合格 on every item but H3, which fails with a photo.
    let tapped = tap_all(&c, "pass", &["H3"]).await;
    assert_eq!(tapped, 28);
    wait_answered(&c, 28).await;
    // The counter stays in view while the items scroll under it.
    let top = c
        .execute(
            "window.scrollTo(0, document.body.scrollHeight / 2); \
             return document.getElementById('inspect-progress').getBoundingClientRect().top;",
            vec![],
        )
        .await
        .unwrap();
    assert!(top.as_f64().is_some_and(|t| (0.0..2.0).contains(&t)), "{top}");
    let h3 = c.find(Locator::Css("form[data-autosave]:has(input[name=code][value=H3])")).await.unwrap();
    tap(&c, &h3.find(Locator::Css("input[value=fail]")).await.unwrap()).await;
    wait_answered(&c, 29).await;
    // The note and camera input appear once the item fails.
    let file = h3.find(Locator::Css("input[type=file]")).await.unwrap();
    assert!(file.is_displayed().await.unwrap());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("IMG_1024.jpg");
    std::fs::write(&path, crate::inspect::phone_photo()).unwrap();
    file.send_keys(path.to_str().unwrap()).await.unwrap();
    // The photo is redrawn, uploaded and shown as a thumbnail under the item.
    let thumb = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("form[data-autosave]:has(input[value=H3]) [data-photos] img"))
        .await
        .expect("the photo's thumbnail");
    assert_eq!(thumb.attr("alt").await.unwrap().as_deref(), Some("H3 照片 1"));
    // The queue, then submit.
    c.find(Locator::Css(".queue-form input[name=minutes]")).await.unwrap().send_keys("6").await.unwrap();
    c.find(Locator::Css(".queue-form input[name=waiting]")).await.unwrap().send_keys("3").await.unwrap();
    click_to_next_page(&c, ".queue-form button").await;
    assert_eq!(text_of(&c, "#answered").await, "30");
    // The page lands on the queue item, and its notice is there, not out of sight at the top.
    let before = c
        .execute("return document.getElementById('queue').previousElementSibling.className", vec![])
        .await
        .unwrap();
    assert_eq!(before.as_str(), Some("flash flash-success"));
    let width = c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(width.as_i64().unwrap() <= 390, "{width}");
    crate::a11y::assert_accessible(&c, "the daily check at 390 px").await;
    click_to_next_page(&c, ".inspect-submit button").await;
    // 100 − H3's 3 points.
    let flash = text_of(&c, ".flash").await;
    assert!(flash.starts_with("已提交：97 分，不合格 1 项"), "{flash}");
    assert_eq!(
        c.find_all(Locator::Css("form[data-autosave]")).await.unwrap().len(),
        0,
        "read-only once submitted"
    );
}

#[tokio::test]
async fn a_correction_order_goes_from_the_city_spot_check_to_its_close() {
    let Some((_driver, c, _profile)) = start_browser().await else {
        return;
    };
    let app = TestApp::spawn_demo().await;
    login(&c, &app.base, "80000", examhall::demo::PASSWORD).await;
    c.goto(&format!("{}/inspections", app.base)).await.unwrap();
    // The demo's third spot-check hall is still to visit.
    assert!(text_of(&c, "#tasks-h").await.starts_with("我的巡检任务"));
    click_to_next_page(&c, "#tasks-h ~ .daily-hall form button").await;
    tap_all(&c, "pass", &["S1"]).await;
    let s1 = c.find(Locator::Css("form[data-autosave]:has(input[name=code][value=S1])")).await.unwrap();
    tap(&c, &s1.find(Locator::Css("input[value=fail]")).await.unwrap()).await;
    wait_answered(&c, 29).await;
    let note = s1.find(Locator::Css("textarea[name=note]")).await.unwrap();
    note.send_keys("2 号窗口营业员未佩戴工牌").await.unwrap();
    // The note saves when the field is left.
    c.find(Locator::Css("h1")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css(".queue-form input[name=na]")).await.unwrap().click().await.unwrap();
    click_to_next_page(&c, ".queue-form button").await;
    click_to_next_page(&c, ".inspect-submit button").await;
    assert!(text_of(&c, ".flash").await.starts_with("已提交"));
    let inspection_url = c.current_url().await.unwrap().to_string();
    click_to_next_page(&c, "form[action$='/order'] button").await;
    assert!(text_of(&c, "h1").await.starts_with("营业厅服务纠错单"));
    let sheet = text_of(&c, ".order-sheet").await;
    assert!(sheet.contains("S1") && sheet.contains("2 号窗口营业员未佩戴工牌"), "{sheet}");
    let order_url = c.current_url().await.unwrap().to_string();
    crate::a11y::assert_accessible(&c, "a 纠错单").await;

    // The hall's manager replies.
    let order: i32 = order_url.rsplit('/').next().unwrap().parse().unwrap();
    let hall = {
        use diesel::prelude::*;
        use examhall::schema::correction_orders;
        let mut conn = app.conn();
        let hall: i32 =
            correction_orders::table.find(order).select(correction_orders::hall_id).first(&mut conn).unwrap();
        let manager =
            examhall::inspect::model::hall_manager(&mut conn, hall).unwrap().expect("the hall has a manager");
        examhall::accounts::model::User::find(&mut conn, manager).unwrap().username
    };
    logout(&c).await;
    login(&c, &app.base, &hall, examhall::demo::PASSWORD).await;
    c.goto(&order_url).await.unwrap();
    c.find(Locator::Css("#reply-h ~ form textarea[name=note]"))
        .await
        .unwrap()
        .send_keys("已在班前会要求全员佩戴工牌，值班经理每日检查")
        .await
        .unwrap();
    click_to_next_page(&c, "#reply-h ~ form button").await;
    assert!(text_of(&c, ".flash").await.starts_with("整改反馈已提交"));
    logout(&c).await;

    // The city closes it; the defect is closed with it.
    login(&c, &app.base, "80000", examhall::demo::PASSWORD).await;
    c.goto(&order_url).await.unwrap();
    click_to_next_page(&c, "#decide-h ~ form button[value=close]").await;
    assert!(text_of(&c, ".flash").await.starts_with("已验收关闭"));
    let sheet = text_of(&c, ".order-sheet").await;
    assert!(sheet.contains("已关闭") && sheet.contains("验收关闭") && sheet.contains("已销项"), "{sheet}");
    assert!(!inspection_url.is_empty());
}
