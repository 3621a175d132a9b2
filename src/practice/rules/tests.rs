use super::*;

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
}

#[test]
fn only_a_marked_wrong_answer_with_the_key_open_enters_the_book() {
    let cases = [
        (true, Some(0), 100, true),
        (true, Some(50), 100, true), // partly right
        (true, Some(100), 100, false),
        (true, None, 500, false),     // 简答 not yet marked
        (false, Some(0), 100, false), // the key is not open to them
    ];
    for (open, earned, points, want) in cases {
        assert_eq!(enters_book(open, earned, points), want, "{open} {earned:?} {points}");
    }
}

#[test]
fn a_question_leaves_the_book_after_right_answers_on_two_different_days() {
    let wrong = d(10);
    let cases: Vec<(Vec<(NaiveDate, bool)>, bool)> = vec![
        (vec![], true),
        (vec![(d(11), true)], true),
        (vec![(d(11), true), (d(11), true)], true), // twice on one day
        (vec![(d(11), true), (d(12), true)], false),
        (vec![(d(10), true), (d(11), true)], true), // the day of the wrong answer does not count
        (vec![(d(11), true), (d(12), false), (d(13), true)], true), // wrong again: the count restarts
        (vec![(d(11), true), (d(12), false), (d(13), true), (d(14), true)], false),
        (vec![(d(9), true), (d(8), true)], true), // before the wrong answer
    ];
    for (practice, want) in cases {
        assert_eq!(still_in_book(wrong, &practice), want, "{practice:?}");
    }
}

#[test]
fn practice_never_draws_what_a_monthly_exam_still_needs_unrevealed() {
    let c = |practice_bank, monthly_pool, revealed| Candidate {
        question_id: 1,
        active: true,
        auto_marked: true,
        practice_bank,
        monthly_pool,
        revealed,
        in_running_exam: false,
    };
    let cases = [
        (c(true, false, false), false, true),
        (c(true, true, false), false, false), // unrevealed, a monthly exam may draw it
        (c(true, true, true), false, true),
        (c(false, false, true), false, false), // not a 可练习 bank
        (c(false, true, false), true, true),   // the clerk's own wrong question: they saw its key
        (Candidate { active: false, ..c(true, false, false) }, true, false),
        (Candidate { auto_marked: false, ..c(true, false, false) }, false, false),
        // On a paper someone is answering now: not even from the clerk's own book.
        (Candidate { in_running_exam: true, ..c(true, false, true) }, true, false),
    ];
    for (candidate, in_book, want) in cases {
        assert_eq!(may_practise(&candidate, in_book), want, "{candidate:?} in book {in_book}");
    }
}

#[test]
fn the_streak_counts_days_in_a_row_and_survives_until_today_is_over() {
    let days: BTreeSet<NaiveDate> = [d(5), d(7), d(8), d(9)].into();
    assert_eq!(streak(&days, d(9)), 3);
    assert_eq!(streak(&days, d(10)), 3, "not yet practised today");
    assert_eq!(streak(&days, d(11)), 0);
    assert_eq!(streak(&days, d(6)), 1);
    assert_eq!(streak(&BTreeSet::new(), d(9)), 0);
}

#[test]
fn the_week_has_seven_days_ending_today() {
    let answers = [d(3), d(9), d(9), d(10)];
    let w = week(&answers, d(10));
    assert_eq!(w.len(), 7);
    assert_eq!(w[0], (d(4), 0));
    assert_eq!(w[5], (d(9), 2));
    assert_eq!(w[6], (d(10), 1));
}

#[test]
fn the_next_question_is_the_first_not_answered_today() {
    let today: BTreeSet<i32> = [4, 7].into();
    assert_eq!(next(&[4, 7, 9, 2], &today), Some(9));
    assert_eq!(next(&[4, 7], &today), None);
}
