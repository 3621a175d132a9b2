//! The review pages' SVG charts.

#![allow(unused_imports)]
use serde::{Deserialize, Serialize};

use super::super::case::{Case, CaseStatus};
use super::super::rules::{self, two_decimals, Average, Flag, Reason, Sitter};
use super::*;
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::exam::model::{self as exam_model, Exam, Tree, PUBLISHED};
use crate::web::msg;

/// The areas as horizontal bars of their average (0–100), with the city
/// average as a dashed line; participation and share below beside each bar.
pub fn areas_svg(list: &List) -> String {
    let (w, left, right, row_h, top) = (720.0, 130.0, 220.0, 30.0, 24.0);
    let h = top + row_h * list.areas.len() as f64 + 30.0;
    let plot = w - left - right;
    let x_of = |hundredths: i64| left + (hundredths.clamp(0, 10_000) as f64 / 10_000.0) * plot;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="areas-title" font-family="sans-serif" font-size="12"><title id="areas-title">{}</title>"#,
        tera::escape_html(&msg::review_areas_title(list.month.as_str()))
    );
    for (i, a) in list.areas.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let fill = if a.county { "#2b6cb0" } else { "#718096" };
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 8.0,
            y + 15.0,
            tera::escape_html(&a.area)
        ));
        if let Some(avg) = a.average_value {
            svg.push_str(&format!(
                r#"<rect x="{left}" y="{:.1}" width="{:.1}" height="18" fill="{fill}"><title>{}</title></rect>"#,
                y + 2.0,
                x_of(avg) - left,
                tera::escape_html(&a.average)
            ));
            svg.push_str(&format!(
                r#"<text x="{:.1}" y="{:.1}">{}</text>"#,
                x_of(avg) + 4.0,
                y + 15.0,
                a.average
            ));
        }
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}">{}</text>"#,
            w - right + 40.0,
            y + 15.0,
            tera::escape_html(&msg::review_area_note(&a.participation, &a.share_below))
        ));
    }
    if let Some(city) = list.city {
        let x = x_of(city.hundredths());
        svg.push_str(&format!(
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#c53030" stroke-dasharray="4 3"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#c53030">{}</text>"##,
            top - 6.0,
            h - 24.0,
            h - 8.0,
            tera::escape_html(&msg::review_city_line(&list.city_average))
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The history as an SVG line chart (0–100): the city average dashed, the
/// clerk's scores solid, months on the list marked red.
pub fn history_svg(points: &[HistoryPoint], title: &str) -> String {
    let (w, h, left, right, top, bottom) = (640.0, 260.0, 40.0, 20.0, 20.0, 36.0);
    let step = (w - left - right) / (points.len().max(2) - 1) as f64;
    let x = |i: usize| left + i as f64 * step;
    let y = |v: i64| top + (1.0 - v.clamp(0, 10_000) as f64 / 10_000.0) * (h - top - bottom);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="hist-title" font-family="sans-serif" font-size="12"><title id="hist-title">{}</title>"#,
        tera::escape_html(title)
    );
    for v in [0, 6_000, 10_000] {
        svg.push_str(&format!(
            r##"<line x1="{left}" y1="{yy:.1}" x2="{x2}" y2="{yy:.1}" stroke="#e2e8f0"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            left - 6.0,
            y(v) + 4.0,
            v / 100,
            yy = y(v),
            x2 = w - right
        ));
    }
    let line = |values: Vec<(usize, i64)>| {
        values.iter().map(|(i, v)| format!("{:.1},{:.1}", x(*i), y(*v))).collect::<Vec<_>>().join(" ")
    };
    let city: Vec<(usize, i64)> =
        points.iter().enumerate().filter_map(|(i, p)| Some((i, p.average_value?))).collect();
    let mine: Vec<(usize, i64)> =
        points.iter().enumerate().filter_map(|(i, p)| Some((i, p.score_value?))).collect();
    svg.push_str(&format!(
        r##"<polyline points="{}" fill="none" stroke="#c53030" stroke-dasharray="5 4"/>"##,
        line(city)
    ));
    svg.push_str(&format!(
        r##"<polyline points="{}" fill="none" stroke="#2b6cb0" stroke-width="2"/>"##,
        line(mine)
    ));
    for (i, p) in points.iter().enumerate() {
        if let Some(v) = p.score_value {
            let fill = if p.listed { "#c53030" } else { "#2b6cb0" };
            svg.push_str(&format!(
                r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{fill}"><title>{} {}</title></circle>"#,
                x(i),
                y(v),
                p.month,
                p.score
            ));
        }
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(i),
            h - bottom + 18.0,
            p.month.as_str().get(2..).unwrap_or(p.month.as_str())
        ));
    }
    svg.push_str("</svg>");
    svg
}
