//! Moodle GIFT. (Being written.)

use super::Parsed;
use crate::bank::question::Question;

pub fn parse(_text: &str) -> Parsed {
    Parsed::default()
}

pub fn write(_questions: &[Question]) -> String {
    String::new()
}
