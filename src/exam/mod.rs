//! Exams (考试): compose and publish (trainers), sit with every answer saved
//! as given (candidates), grade, mark, review, results and item analysis.

pub mod answer;
pub mod compose;
pub mod demo;
pub mod manage;
pub mod model;
pub mod paper;
pub mod results;
pub mod rules;
pub mod sit;
pub mod stats;
