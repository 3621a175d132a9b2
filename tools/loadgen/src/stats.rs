//! Latency samples, error tallies and the acknowledged answers to check.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

#[derive(Default, Clone)]
pub struct Latencies(Vec<u64>);

impl Latencies {
    pub fn push(&mut self, d: Duration) {
        self.0.push(d.as_micros() as u64);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The p-th percentile (0.0–1.0) in milliseconds, nearest rank.
    pub fn ms(&mut self, p: f64) -> f64 {
        if self.0.is_empty() {
            return 0.0;
        }
        self.0.sort_unstable();
        let i = ((self.0.len() as f64 - 1.0) * p).round() as usize;
        self.0[i.min(self.0.len() - 1)] as f64 / 1000.0
    }

    pub fn summary(&mut self) -> String {
        format!("{:.1} / {:.1} / {:.1} ms", self.ms(0.5), self.ms(0.95), self.ms(0.99))
    }
}

/// Errors by kind (status code or transport error).
#[derive(Default, Clone)]
pub struct Errors(BTreeMap<String, u64>);

impl Errors {
    pub fn add(&mut self, kind: impl Into<String>) {
        *self.0.entry(kind.into()).or_default() += 1;
    }

    pub fn total(&self) -> u64 {
        self.0.values().sum()
    }

    pub fn describe(&self) -> String {
        if self.0.is_empty() {
            return "0".into();
        }
        let parts: Vec<String> = self.0.iter().map(|(k, v)| format!("{k}×{v}")).collect();
        format!("{} ({})", self.total(), parts.join(", "))
    }
}

/// attempt → position → (sequence, value) of the last acknowledged save.
#[derive(Default)]
pub struct Acked(pub HashMap<i32, HashMap<i32, (u64, String)>>);

impl Acked {
    pub fn record(&mut self, attempt: i32, pos: i32, seq: u64, value: String) {
        let slot = self.0.entry(attempt).or_default().entry(pos).or_insert((0, String::new()));
        if seq >= slot.0 {
            *slot = (seq, value);
        }
    }
}
