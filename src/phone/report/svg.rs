//! Server-rendered charts: the weak items per hall as a heat table, and the
//! trend over months as lines. Plain SVG with Chinese labels, scaled by the
//! browser (viewBox), readable on a phone and in print (values are written
//! in the cells, colour only repeats them).

use super::figures::Grouped;
use super::Trend;
use crate::domain::score::FULL_MARKS;
use crate::domain::Month;
use crate::web::chart::{Chart, Svg};
use crate::web::msg;

/// The colour of a share (hundredths of a percent): weaker is warmer.
fn heat(share: i64) -> &'static str {
    match share {
        s if s < 6_000 => "#f56565",
        s if s < 8_000 => "#f6ad55",
        s if s < 9_000 => "#faf089",
        _ => "#9ae6b4",
    }
}

/// Halls as rows, rubric items as columns, each cell the share of the item's
/// points the hall earned this month.
pub fn halls_svg(g: &Grouped, month: Month) -> Chart {
    let halls: Vec<_> = g.areas.iter().flat_map(|a| &a.halls).collect();
    let (left, col, row_h, top) = (150.0, 72.0, 26.0, 40.0);
    let w = left + col * g.items.len().max(1) as f64 + 10.0;
    let h = top + row_h * halls.len() as f64 + 10.0;
    let mut svg = Svg::new(w, h, "phone-halls-title", &msg::phone_report_halls_title(month));
    for (j, (_, name)) in g.items.iter().enumerate() {
        svg.text(left + col * j as f64 + col / 2.0, top - 12.0, name).middle().bold();
    }
    for (i, hall) in halls.iter().enumerate() {
        let y = top + row_h * i as f64;
        svg.text(left - 8.0, y + 17.0, &hall.hall).end();
        for (j, share) in hall.shares.iter().enumerate() {
            let x = left + col * j as f64;
            let (fill, text) = match share {
                Some(s) => (heat(*s), format!("{}%", (s + 50) / 100)),
                None => ("#edf2f7", "—".to_string()),
            };
            svg.rect(x, y, col, row_h, fill)
                .stroke("#fff")
                .tip(&format!("{} {} {text}", hall.hall, g.items[j].1));
            svg.text(x + col / 2.0, y + 17.0, &text).middle();
        }
    }
    svg.finish()
}

const COLOURS: [&str; 8] =
    ["#c53030", "#2b6cb0", "#2f855a", "#b7791f", "#6b46c1", "#319795", "#d53f8c", "#4a5568"];

/// The city's and each area's average per month (0–100), with a legend.
pub fn trend_svg(t: &Trend) -> Chart {
    trend_chart(t, "phone-trend-title", msg::PHONE_REPORT_TREND_TITLE, 0)
}

/// A trend of monthly averages as lines from `floor` (hundredths) to 100,
/// the first (the city's) dashed; also the inspection report's, from 60
/// (its scores sit at 85–100, where a 0–100 axis lays every line on one).
pub fn trend_chart(t: &Trend, title_id: &str, title: &str, floor: i64) -> Chart {
    let (w, left, right, top, bottom) = (640.0, 40.0, 130.0, 20.0, 36.0);
    let h = (260.0_f64).max(top + bottom + 18.0 * t.lines.len() as f64);
    let step = (w - left - right) / (t.months.len().max(2) - 1) as f64;
    let x = |i: usize| left + i as f64 * step;
    let span = (FULL_MARKS - floor).max(1) as f64;
    let y = |v: i64| top + (1.0 - (v.clamp(floor, FULL_MARKS) - floor) as f64 / span) * (h - top - bottom);
    let mut svg = Svg::new(w, h, title_id, title);
    let ticks = if floor == 0 { [0, 6_000, 8_000, FULL_MARKS] } else { [floor, 8_000, 9_000, FULL_MARKS] };
    for v in ticks {
        svg.line((left, y(v)), (w - right, y(v)), "#e2e8f0");
        svg.text(left - 6.0, y(v) + 4.0, &(v / 100).to_string()).end();
    }
    for (i, m) in t.months.iter().enumerate() {
        svg.text(x(i), h - bottom + 18.0, m.as_str().get(2..).unwrap_or(m.as_str())).middle();
    }
    for (k, (label, _, values)) in t.lines.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let points: Vec<(f64, f64)> =
            values.iter().enumerate().filter_map(|(i, v)| Some((x(i), y((*v)?)))).collect();
        // The city's line dashed, the areas' solid.
        let line = svg.polyline(&points, colour).width(2.0);
        drop(if k == 0 { line.dash("5 4") } else { line });
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = v {
                svg.circle(x(i), y(*v), 3.0, colour);
            }
        }
        let ly = top + 18.0 * k as f64;
        svg.rect(w - right + 10.0, ly + 4.0, 12.0, 4.0, colour);
        svg.text(w - right + 28.0, ly + 10.0, label);
    }
    svg.finish()
}
