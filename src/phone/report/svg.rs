//! Server-rendered charts: the weak items per hall as a heat table, and the
//! trend over months as lines. Plain SVG with Chinese labels, scaled by the
//! browser (viewBox), readable on a phone and in print (values are written
//! in the cells, colour only repeats them).

use super::figures::Grouped;
use super::Trend;
use crate::web::msg;
use tera::escape_html as esc;

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
pub fn halls_svg(g: &Grouped, month: &str) -> String {
    let halls: Vec<_> = g.areas.iter().flat_map(|a| &a.halls).collect();
    let (left, col, row_h, top) = (150.0, 72.0, 26.0, 40.0);
    let w = left + col * g.items.len().max(1) as f64 + 10.0;
    let h = top + row_h * halls.len() as f64 + 10.0;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="phone-halls-title" font-family="sans-serif" font-size="12"><title id="phone-halls-title">{}</title>"#,
        esc(&msg::phone_report_halls_title(month))
    );
    for (j, (_, name)) in g.items.iter().enumerate() {
        let x = left + col * j as f64 + col / 2.0;
        svg.push_str(&format!(
            r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-weight="bold">{}</text>"#,
            top - 12.0,
            esc(name)
        ));
    }
    for (i, hall) in halls.iter().enumerate() {
        let y = top + row_h * i as f64;
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 8.0,
            y + 17.0,
            esc(&hall.hall)
        ));
        for (j, share) in hall.shares.iter().enumerate() {
            let x = left + col * j as f64;
            let (fill, text) = match share {
                Some(s) => (heat(*s), format!("{}%", (s + 50) / 100)),
                None => ("#edf2f7", "—".to_string()),
            };
            svg.push_str(&format!(
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}" stroke="#fff"><title>{} {} {text}</title></rect><text x="{:.1}" y="{:.1}" text-anchor="middle">{text}</text>"##,
                x,
                y,
                col,
                row_h,
                esc(&hall.hall),
                esc(&g.items[j].1),
                x + col / 2.0,
                y + 17.0
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

const COLOURS: [&str; 8] =
    ["#c53030", "#2b6cb0", "#2f855a", "#b7791f", "#6b46c1", "#319795", "#d53f8c", "#4a5568"];

/// The city's and each area's average per month (0–100), with a legend.
pub fn trend_svg(t: &Trend) -> String {
    let (w, left, right, top, bottom) = (640.0, 40.0, 130.0, 20.0, 36.0);
    let h = (260.0_f64).max(top + bottom + 18.0 * t.lines.len() as f64);
    let step = (w - left - right) / (t.months.len().max(2) - 1) as f64;
    let x = |i: usize| left + i as f64 * step;
    let y = |v: i64| top + (1.0 - v.clamp(0, 10_000) as f64 / 10_000.0) * (h - top - bottom);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="phone-trend-title" font-family="sans-serif" font-size="12"><title id="phone-trend-title">{}</title>"#,
        esc(msg::PHONE_REPORT_TREND_TITLE)
    );
    for v in [0, 6_000, 8_000, 10_000] {
        svg.push_str(&format!(
            r##"<line x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#e2e8f0"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            w - right,
            left - 6.0,
            y(v) + 4.0,
            v / 100,
            yy = y(v)
        ));
    }
    for (i, m) in t.months.iter().enumerate() {
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(i),
            h - bottom + 18.0,
            m.get(2..).unwrap_or(m)
        ));
    }
    for (k, (label, _, values)) in t.lines.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let dash = if k == 0 { r#" stroke-dasharray="5 4""# } else { "" };
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some(format!("{:.1},{:.1}", x(i), y((*v)?))))
            .collect();
        svg.push_str(&format!(
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>"#,
            points.join(" ")
        ));
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = v {
                svg.push_str(&format!(
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{colour}"/>"#,
                    x(i),
                    y(*v)
                ));
            }
        }
        let ly = top + 18.0 * k as f64;
        svg.push_str(&format!(
            r#"<rect x="{:.1}" y="{:.1}" width="12" height="4" fill="{colour}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            w - right + 10.0,
            ly + 4.0,
            w - right + 28.0,
            ly + 10.0,
            esc(label)
        ));
    }
    svg.push_str("</svg>");
    svg
}
