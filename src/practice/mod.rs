//! 错题本 and practice (练习): a clerk's wrong answers from exams whose key
//! they may see, practice from them, from a knowledge point or a daily set,
//! instant feedback with the article that teaches each question, and the
//! activity their team leader, supervisor and trainer see.

pub mod activity;
pub mod demo;
pub mod model;
pub mod routes;
pub mod rules;
