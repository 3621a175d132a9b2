//! The review pages' SVG charts, drawn with [`crate::web::chart`] (which
//! escapes every label itself).

use super::{HistoryPoint, List};
use crate::domain::score::FULL_MARKS;
use crate::web::chart::{Chart, Svg};
use crate::web::msg;

const COUNTY: &str = "#2b6cb0";
const DISTRICT: &str = "#718096";
const CITY: &str = "#c53030";
const GRID: &str = "#e2e8f0";

/// The areas as horizontal bars of their average (0–100), with the city
/// average as a dashed line; participation and share below beside each bar.
pub fn areas_svg(list: &List) -> Chart {
    let (w, left, right, row_h, top) = (720.0, 130.0, 220.0, 30.0, 24.0);
    let h = top + row_h * list.areas.len() as f64 + 30.0;
    let plot = w - left - right;
    let x_of = |hundredths: i64| left + (hundredths.clamp(0, FULL_MARKS) as f64 / FULL_MARKS as f64) * plot;
    let mut svg = Svg::new(w, h, "areas-title", &msg::review_areas_title(list.month));
    for (i, a) in list.areas.iter().enumerate() {
        let y = top + i as f64 * row_h;
        svg.text(left - 8.0, y + 15.0, &a.area).end();
        if let Some(avg) = a.average_value {
            svg.rect(left, y + 2.0, x_of(avg) - left, 18.0, if a.county { COUNTY } else { DISTRICT })
                .tip(&a.average);
            svg.text(x_of(avg) + 4.0, y + 15.0, &a.average);
        }
        svg.text(w - right + 40.0, y + 15.0, &msg::review_area_note(&a.participation, &a.share_below));
    }
    if let Some(city) = list.city {
        let x = x_of(city.hundredths());
        svg.line((x, top - 6.0), (x, h - 24.0), CITY).dash("4 3");
        svg.text(x, h - 8.0, &msg::review_city_line(&list.city_average)).middle().fill(CITY);
    }
    svg.finish()
}

/// The history as an SVG line chart (0–100): the city average dashed, the
/// clerk's scores solid, months on the list marked red.
pub fn history_svg(points: &[HistoryPoint], title: &str) -> Chart {
    let (w, h, left, right, top, bottom) = (640.0, 260.0, 40.0, 20.0, 20.0, 36.0);
    let step = (w - left - right) / (points.len().max(2) - 1) as f64;
    let x = |i: usize| left + i as f64 * step;
    let y = |v: i64| top + (1.0 - v.clamp(0, FULL_MARKS) as f64 / FULL_MARKS as f64) * (h - top - bottom);
    let mut svg = Svg::new(w, h, "hist-title", title);
    for v in [0, 6_000, FULL_MARKS] {
        svg.line((left, y(v)), (w - right, y(v)), GRID);
        svg.text(left - 6.0, y(v) + 4.0, &(v / 100).to_string()).end();
    }
    let line = |value: fn(&HistoryPoint) -> Option<i64>| -> Vec<(f64, f64)> {
        points.iter().enumerate().filter_map(|(i, p)| Some((x(i), y(value(p)?)))).collect()
    };
    svg.polyline(&line(|p| p.average_value), CITY).dash("5 4");
    svg.polyline(&line(|p| p.score_value), COUNTY).width(2.0);
    for (i, p) in points.iter().enumerate() {
        if let Some(v) = p.score_value {
            svg.circle(x(i), y(v), 4.0, if p.listed { CITY } else { COUNTY })
                .tip(&format!("{} {}", p.month, p.score));
        }
        svg.text(x(i), h - bottom + 18.0, p.month.as_str().get(2..).unwrap_or(p.month.as_str())).middle();
    }
    svg.finish()
}
