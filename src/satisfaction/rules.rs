//! Ratings and rates, as pure functions with tables of cases.

use serde::Serialize;

use crate::domain::score::share;

/// A customer's rating as the SMS reply gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Rating {
    /// 满意 / 一般 / 不满意 (the three-word survey).
    Word(Word),
    /// A 1–10 score (the ten-point survey).
    Score(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Word {
    Satisfied,
    Neutral,
    Dissatisfied,
}

/// Why a rating cell is not a rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadRating {
    Empty,
    /// Neither a survey word nor a whole number 1–10.
    Unknown(String),
}

/// Reads a rating as carriers send it: 满意 / 非常满意 / 一般 / 不满意 / 非常不满意
/// (also 很满意, 基本满意 = 一般), or a score 1–10 (full-width digits too, "8分").
pub fn parse_rating(text: &str) -> Result<Rating, BadRating> {
    let t: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = t.trim_end_matches('分');
    if t.is_empty() {
        return Err(BadRating::Empty);
    }
    let word = match t {
        "满意" | "非常满意" | "很满意" | "十分满意" => Some(Word::Satisfied),
        "一般" | "基本满意" | "还行" => Some(Word::Neutral),
        "不满意" | "非常不满意" | "很不满意" => Some(Word::Dissatisfied),
        _ => None,
    };
    if let Some(w) = word {
        return Ok(Rating::Word(w));
    }
    match t.parse::<u8>() {
        Ok(n) if (1..=10).contains(&n) => Ok(Rating::Score(n)),
        _ => Err(BadRating::Unknown(text.trim().to_string())),
    }
}

/// Whether a rating counts as satisfied: 满意, or a score at or above
/// `satisfied_from` (a setting; carriers commonly count 9–10, some 8–10).
pub fn is_satisfied(r: Rating, satisfied_from: u8) -> bool {
    match r {
        Rating::Word(w) => w == Word::Satisfied,
        Rating::Score(n) => n >= satisfied_from,
    }
}

/// Whether a rating is a complaint to read: 不满意, or a score of 6 or below
/// (the detractors of a ten-point survey).
pub fn is_dissatisfied(r: Rating) -> bool {
    match r {
        Rating::Word(w) => w == Word::Dissatisfied,
        Rating::Score(n) => n <= 6,
    }
}

/// The satisfaction rate (hundredths of a percent, half up): satisfied ÷ rated; None without ratings.
pub fn rate(ratings: &[Rating], satisfied_from: u8) -> Option<i64> {
    let satisfied = ratings.iter().filter(|r| is_satisfied(**r, satisfied_from)).count() as i64;
    share(satisfied, ratings.len() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_as_carriers_send_them() {
        use Word::*;
        for (text, want) in [
            ("满意", Ok(Rating::Word(Satisfied))),
            (" 非常满意 ", Ok(Rating::Word(Satisfied))),
            ("基本满意", Ok(Rating::Word(Neutral))),
            ("一般", Ok(Rating::Word(Neutral))),
            ("不满意", Ok(Rating::Word(Dissatisfied))),
            ("10", Ok(Rating::Score(10))),
            ("８分", Ok(Rating::Score(8))),
            ("1", Ok(Rating::Score(1))),
            ("0", Err(BadRating::Unknown("0".into()))),
            ("11", Err(BadRating::Unknown("11".into()))),
            ("8.5", Err(BadRating::Unknown("8.5".into()))),
            ("好评", Err(BadRating::Unknown("好评".into()))),
            ("", Err(BadRating::Empty)),
            ("  ", Err(BadRating::Empty)),
        ] {
            assert_eq!(parse_rating(text), want, "{text:?}");
        }
    }

    #[test]
    fn rates_by_hand() {
        let r = |t: &str| parse_rating(t).unwrap_or(Rating::Score(1));
        let month = [r("满意"), r("一般"), r("不满意"), r("10"), r("9"), r("8"), r("6")];
        // From 9: 满意, 10, 9 → 3 of 7 = 42.857…% → 42.86%.
        assert_eq!(rate(&month, 9), Some(4_286));
        // From 8: 4 of 7 = 57.14%.
        assert_eq!(rate(&month, 8), Some(5_714));
        assert_eq!(rate(&[], 9), None);
        // Complaints to read: 不满意 and 6.
        assert_eq!(month.iter().filter(|x| is_dissatisfied(**x)).count(), 2);
    }
}
