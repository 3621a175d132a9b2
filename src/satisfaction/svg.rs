//! The halls' satisfaction over six months as a server-made SVG: the
//! city's rate of each month as a line, each hall as a faint line, 60–100 %.

use super::model::Line;
use crate::domain::score::percent_text;
use crate::domain::Month;
use crate::web::chart::{Chart, Svg};

/// The bottom of the scale: 60 %, or lower in steps of 20 % when a rate is below it.
fn low(lines: &[Line]) -> i64 {
    let min = lines.iter().flat_map(|l| l.trend_values.iter().flatten()).copied().min().unwrap_or(10_000);
    let mut low = 6_000;
    while min < low && low > 0 {
        low -= 2_000;
    }
    low
}

fn y(v: i64, low: i64) -> f64 {
    let v = v.clamp(low, 10_000);
    20.0 + (10_000 - v) as f64 / (10_000 - low).max(1) as f64 * 140.0
}

/// The chart, or None without any rate in the months.
pub fn trend(months: &[Month], lines: &[Line]) -> Option<Chart> {
    if lines.iter().all(|l| l.trend_values.iter().all(Option::is_none)) {
        return None;
    }
    let x = |i: usize| 60.0 + i as f64 * 100.0;
    let low = low(lines);
    let title = format!("各营业厅短信评价满意率（近六个月，{}–100%）", low / 100);
    let mut svg = Svg::new(600.0, 200.0, "sat-trend-title", &title);
    for pct in [low, (low + 10_000) / 2, 10_000] {
        svg.line((50.0, y(pct, low)), (570.0, y(pct, low)), "#ddd");
        svg.text(45.0, y(pct, low) + 4.0, &percent_text(Some(pct))).end().size(12);
    }
    for (i, m) in months.iter().enumerate() {
        svg.text(x(i), 190.0, &m.label()).middle().size(12);
    }
    for line in lines {
        let points: Vec<(f64, f64)> =
            line.trend_values.iter().enumerate().filter_map(|(i, v)| Some((x(i), y((*v)?, low)))).collect();
        if points.len() > 1 {
            svg.polyline(&points, "#90a4c8");
        }
        for (i, v) in line.trend_values.iter().enumerate() {
            if let Some(v) = v {
                svg.circle(x(i), y(*v, low), 3.0, "#2b6cb0").tip(&format!(
                    "{} {} {}",
                    line.name,
                    months[i],
                    percent_text(Some(*v))
                ));
            }
        }
    }
    Some(svg.finish())
}
