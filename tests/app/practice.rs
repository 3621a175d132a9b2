//! The 错题本 and practice: a wrong exam answer enters the book once the key
//! is open, practice marks each answer at once, and a question leaves the
//! book after right answers on two different days. Practice never hands out
//! a question the clerk may not be given.

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::exam::{answer_all, clerk, close_exam, setup, start};
use crate::helpers::unescape;
use examhall::schema::practice_answers;
use examhall::web::msg;

fn practised(app: &crate::helpers::TestApp) -> Vec<(i32, bool)> {
    practice_answers::table
        .order(practice_answers::id)
        .select((practice_answers::question_id, practice_answers::correct))
        .load(&mut app.conn())
        .unwrap()
}

#[tokio::test]
async fn a_wrong_answer_enters_the_book_and_leaves_after_two_right_days() {
    let s = setup(false, &[]).await;
    let b = clerk(&s.app, "10087").await;
    let attempt = start(&b, s.exam, None).await.unwrap();
    // Right on 携号转网前 and 欠费; two of three on 实名登记 (partly right: wrong).
    answer_all(&b, attempt).await;
    b.post(&format!("/exam/attempts/{attempt}/submit"), &[]).await;
    // While the exam is open the key is not: the book is empty.
    let page = unescape(b.get_text("/my/practice").await);
    assert!(page.contains("错题本是空的") && !page.contains("KEYMARK"), "{page}");

    close_exam(&s.app, s.exam);
    let page = unescape(b.get_text("/my/practice").await);
    assert!(page.contains("实名登记可使用的证件有哪些") && page.contains("KEYMARK-会员卡不是证件"), "{page}");
    assert!(!page.contains("携号转网前"), "a right answer is not in the book");
    assert!(page.contains("《2026年11月三大渠道月考》中答错"), "{page}");
    assert!(page.contains("练错题（1 题）"), "{page}");

    // Practising it: the book's question, marked at once with the key.
    let question = unescape(b.get_text("/my/practice/next?mode=book").await);
    assert!(question.contains("实名登记可使用的证件有哪些"), "{question}");
    let id = s.ids[2].to_string();
    let answer = |choices: &'static [&'static str]| {
        let mut form = vec![("question_id", id.clone()), ("mode", "book".to_string()), ("kp", String::new())];
        form.extend(choices.iter().map(|c| ("c", c.to_string())));
        form
    };
    let post = |form: Vec<(&'static str, String)>| {
        let b = &b;
        async move {
            let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = b.post("/my/practice/answer", &refs).await;
            assert_eq!(res.status(), StatusCode::OK);
            unescape(res.text().await.unwrap())
        }
    };
    let wrong = post(answer(&["0"])).await;
    assert!(wrong.contains("回答错误") && wrong.contains("KEYMARK-会员卡不是证件"), "{wrong}");
    assert!(wrong.contains("仍在错题本中：在两个不同的日子各答对一次才会移出（错题本还有 1 题）"), "{wrong}");
    let right = post(answer(&["0", "1", "2"])).await;
    assert!(
        right.contains("回答正确")
            && right.contains("答对了：再在另一天答对一次即移出错题本（错题本还有 1 题）"),
        "{right}"
    );
    assert_eq!(practised(&s.app), vec![(s.ids[2], false), (s.ids[2], true)]);

    // The exam three days ago, the wrong practice two days ago, the right one
    // yesterday: one more right answer today makes two days → out of the book.
    let days_ago = |n| examhall::db::now() - chrono::Duration::days(n);
    diesel::update(examhall::schema::attempts::table.find(attempt))
        .set(examhall::schema::attempts::submitted_at.eq(Some(days_ago(3))))
        .execute(&mut s.app.conn())
        .unwrap();
    let ids: Vec<i32> = practice_answers::table
        .order(practice_answers::id)
        .select(practice_answers::id)
        .load(&mut s.app.conn())
        .unwrap();
    for (id, n) in ids.iter().zip([2, 1]) {
        diesel::update(practice_answers::table.find(id))
            .set(practice_answers::answered_at.eq(days_ago(n)))
            .execute(&mut s.app.conn())
            .unwrap();
    }
    let again = post(answer(&["0", "1", "2"])).await;
    assert!(again.contains("这道题已移出错题本（错题本还有 0 题）"), "{again}");
    let page = unescape(b.get_text("/my/practice").await);
    assert!(page.contains("错题本是空的"), "{page}");
    // Practice showed the key: exposure knows (rule 11).
    let seen = examhall::exam::exposure::seen_by(&mut s.app.conn(), s.app.user_by_login("10087").unwrap().id)
        .unwrap();
    assert!(seen.contains(&s.ids[2]));

    // The trainer sees the hall's practice (3 answers, 2 right); a supervisor
    // of the city district sees nothing of a county hall's.
    let page = unescape(s.trainer.get_text("/practice/activity").await);
    let row =
        regex::Regex::new(r"青山中心营业厅</th><td[^>]*>1</td><td[^>]*>3</td><td[^>]*>66\.67%</td>").unwrap();
    assert!(row.is_match(&page), "{page}");
    s.app.add_user("80002", "城区主管", None, &[(examhall::auth::Role::Supervisor, s.city.district)]);
    let district = clerk(&s.app, "80002").await;
    let page = unescape(district.get_text("/practice/activity").await);
    assert!(!page.contains("青山中心营业厅") && page.contains("还没有练习记录"), "{page}");
}

#[tokio::test]
async fn practice_gives_only_what_the_clerk_may_practise() {
    let s = setup(false, &[]).await;
    let b = clerk(&s.app, "10003").await;
    // The bank is not 可练习 and the clerk has no wrong answers: nothing to draw.
    let page = unescape(b.get_text("/my/practice/next?mode=daily").await);
    assert!(page.contains(msg::PRACTICE_NONE_LEFT), "{page}");
    // Asking for a question's key by its id is refused, and nothing is recorded.
    let id = s.ids[0].to_string();
    let res =
        b.post("/my/practice/answer", &[("question_id", id.as_str()), ("mode", "daily"), ("c", "1")]).await;
    let page = unescape(res.text().await.unwrap());
    assert!(page.contains(msg::PRACTICE_NOT_DRAWABLE) && !page.contains("KEYMARK"), "{page}");
    assert!(practised(&s.app).is_empty());

    // 可练习, but a monthly exam still open draws from the bank: its unrevealed questions stay out.
    let bank = examhall::bank::model::Bank::find_by_name(&mut s.app.conn(), "月考题库").unwrap().unwrap();
    let res = s.trainer.post(&format!("/bank/{}/practice", bank.id), &[("practice", "1")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = unescape(b.get_text("/my/practice/next?mode=daily").await);
    assert!(page.contains(msg::PRACTICE_NONE_LEFT), "{page}");
    // The window has closed but a colleague's paper is still being answered
    // (extra time): its questions stay out of practice, keys and all.
    let late = clerk(&s.app, "10087").await;
    let running = start(&late, s.exam, None).await.unwrap();
    close_exam(&s.app, s.exam);
    let page = unescape(b.get_text("/my/practice/next?mode=daily").await);
    assert!(page.contains(msg::PRACTICE_NONE_LEFT), "{page}");
    let res =
        b.post("/my/practice/answer", &[("question_id", id.as_str()), ("mode", "daily"), ("c", "1")]).await;
    let page = unescape(res.text().await.unwrap());
    assert!(page.contains(msg::PRACTICE_NOT_DRAWABLE) && !page.contains("KEYMARK"), "{page}");
    // Once every paper is in, the bank's questions can be practised.
    late.post(&format!("/exam/attempts/{running}/submit"), &[]).await;
    let page = unescape(b.get_text("/my/practice/next?mode=daily").await);
    assert!(page.contains("携号转网前") && page.contains("提交答案"), "{page}");
    let res =
        b.post("/my/practice/answer", &[("question_id", id.as_str()), ("mode", "daily"), ("kp", "")]).await;
    let page = unescape(res.text().await.unwrap());
    assert!(page.contains(msg::PRACTICE_NO_ANSWER), "an empty answer is asked again: {page}");
    assert!(practised(&s.app).is_empty());
}
