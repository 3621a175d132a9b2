//! Exams (考试): compose and publish (trainers), sit with every answer saved
//! as given (candidates), grade, mark, review, results and item analysis.

pub mod answer;
pub mod compose;
pub mod demo;
pub mod exposure;
pub mod key;
pub mod model;
pub mod paper;
pub mod refusal;
pub mod results;
pub mod routes;
pub mod rules;
pub mod stats;
pub mod writer;

/// Submits abandoned attempts every 30 s (attempts are also closed whenever
/// anyone opens them), so results are complete at the window's end.
pub fn start_sweeper(pool: crate::db::DbPool) {
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(30));
        let Ok(mut conn) = pool.get() else { continue };
        match model::Attempt::sweep(&mut conn, crate::db::now()) {
            Ok(0) => {}
            Ok(n) => tracing::info!(submitted = n, "deadline sweep"),
            Err(err) => tracing::warn!(error = %err, "deadline sweep failed"),
        }
    });
}
