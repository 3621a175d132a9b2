//! A clerk's trend over the months as a server-made SVG line chart: the exam
//! score (solid, round marks) and the phone-test average (dashed, square
//! marks), 0–100 points, months on the x axis in Chinese. Values are written
//! beside the marks and the lines differ by dash and mark, so the chart
//! reads in black-and-white print; the viewBox scales it to a phone.

use tera::escape_html as esc;

use super::model::TrendPoint;
use crate::review::rules::two_decimals;
use crate::web::msg;

const EXAM: &str = "#2b6cb0";
const PHONE: &str = "#c05621";

/// The runs of consecutive months that have a value: the line breaks at a gap.
fn runs(values: &[Option<i64>]) -> Vec<Vec<(usize, i64)>> {
    let mut out: Vec<Vec<(usize, i64)>> = Vec::new();
    let mut current = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => current.push((i, *v)),
            None if !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The chart; None when no month has either figure.
pub fn trend_svg(points: &[TrendPoint]) -> Option<String> {
    if points.iter().all(|p| p.exam.is_none() && p.phone.is_none()) {
        return None;
    }
    // Narrow on purpose: on a phone the chart is drawn about 380 px wide, so
    // 520 units keep the 13-unit text readable there.
    let (w, h, left, right, top, bottom) = (520.0, 280.0, 34.0, 18.0, 44.0, 48.0);
    let step = (w - left - right) / (points.len().max(2) - 1) as f64;
    let x = |i: usize| left + i as f64 * step;
    let y = |v: i64| top + (1.0 - v.clamp(0, 10_000) as f64 / 10_000.0) * (h - top - bottom);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="my-trend-title" font-family="sans-serif" font-size="13"><title id="my-trend-title">{}</title>"#,
        esc(msg::SCORECARD_TREND_TITLE)
    );
    for v in [0, 6_000, 8_000, 10_000] {
        svg.push_str(&format!(
            r##"<line x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#cbd5e0"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            w - right,
            left - 6.0,
            y(v) + 4.0,
            v / 100,
            yy = y(v)
        ));
    }
    // The legend, above the plot.
    svg.push_str(&format!(
        r##"<line x1="{left}" y1="14" x2="{:.1}" y2="14" stroke="{EXAM}" stroke-width="2"/><circle cx="{:.1}" cy="14" r="4" fill="{EXAM}"/><text x="{:.1}" y="18">{}</text><line x1="{:.1}" y1="14" x2="{:.1}" y2="14" stroke="{PHONE}" stroke-width="2" stroke-dasharray="6 4"/><rect x="{:.1}" y="10.5" width="7" height="7" fill="{PHONE}"/><text x="{:.1}" y="18">{}</text>"##,
        left + 28.0,
        left + 14.0,
        left + 34.0,
        esc(msg::SCORECARD_EXAM),
        left + 130.0,
        left + 158.0,
        left + 140.5,
        left + 164.0,
        esc(msg::SCORECARD_PHONE),
    ));
    for (i, p) in points.iter().enumerate() {
        let (year, month) = (p.month.year().to_string(), p.month.number().to_string());
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(i),
            h - bottom + 18.0,
            esc(&msg::scorecard_month_label(&month))
        ));
        // The year under each January, and under the first month unless a
        // January follows too closely for both labels to fit.
        let first_fits = month.parse::<u32>().is_ok_and(|m| m <= 10);
        if month == "1" || (i == 0 && first_fits) {
            svg.push_str(&format!(
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#4a5568">{}</text>"##,
                x(i),
                h - bottom + 36.0,
                esc(&msg::scorecard_year_label(&year))
            ));
        }
    }
    let exam: Vec<Option<i64>> = points.iter().map(|p| p.exam).collect();
    let phone: Vec<Option<i64>> = points.iter().map(|p| p.phone).collect();
    for (values, colour, dash, above) in
        [(&exam, EXAM, "", true), (&phone, PHONE, r#" stroke-dasharray="6 4""#, false)]
    {
        for run in runs(values) {
            let line: Vec<String> = run.iter().map(|(i, v)| format!("{:.1},{:.1}", x(*i), y(*v))).collect();
            svg.push_str(&format!(
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>"#,
                line.join(" ")
            ));
        }
        for (i, v) in values.iter().enumerate() {
            let Some(v) = v else { continue };
            let (cx, cy, text) = (x(i), y(*v), two_decimals(*v));
            let tip = format!(
                "{} {} {text}",
                points[i].month,
                if above { msg::SCORECARD_EXAM } else { msg::SCORECARD_PHONE }
            );
            let mark = if above {
                format!(r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="4" fill="{colour}">"#)
            } else {
                format!(
                    r#"<rect x="{:.1}" y="{:.1}" width="7" height="7" fill="{colour}">"#,
                    cx - 3.5,
                    cy - 3.5
                )
            };
            let close = if above { "</circle>" } else { "</rect>" };
            svg.push_str(&format!(
                r#"{mark}<title>{}</title>{close}<text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="{colour}">{text}</text>"#,
                esc(&tip),
                if above { cy - 8.0 } else { cy + 16.0 },
            ));
        }
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Month;

    fn point(month: Month, exam: Option<i64>, phone: Option<i64>) -> TrendPoint {
        TrendPoint { month, exam, phone }
    }

    #[test]
    fn lines_break_at_months_without_a_value() {
        type Case<'a> = (&'a [Option<i64>], Vec<Vec<(usize, i64)>>);
        let cases: [Case; 4] = [
            (&[], vec![]),
            (&[None, None], vec![]),
            (&[Some(1), Some(2), None, Some(4)], vec![vec![(0, 1), (1, 2)], vec![(3, 4)]]),
            (&[None, Some(5)], vec![vec![(1, 5)]]),
        ];
        for (values, want) in cases {
            assert_eq!(runs(values), want, "{values:?}");
        }
    }

    #[test]
    fn the_chart_labels_months_in_chinese_and_writes_the_values() {
        assert_eq!(trend_svg(&[point(Month::parse("2026-11").unwrap(), None, None)]), None);
        let svg = trend_svg(&[
            point(Month::parse("2026-12").unwrap(), Some(8550), None),
            point(Month::parse("2027-01").unwrap(), None, Some(9000)),
            point(Month::parse("2027-02").unwrap(), Some(7000), Some(8800)),
        ])
        .unwrap();
        for want in ["12月", "1月", "2027年", "2月", "85.50", "90.00", "88.00", "月考成绩", "拨测平均分"]
        {
            assert!(svg.contains(want), "{want} in {svg}");
        }
        assert!(!svg.contains("2026年"), "no room for December's year next to January's");
        let autumn = trend_svg(&[
            point(Month::parse("2026-10").unwrap(), Some(8000), None),
            point(Month::parse("2026-11").unwrap(), None, None),
        ])
        .unwrap();
        assert!(autumn.contains("2026年") && autumn.contains("10月"));
        assert_eq!(svg.matches("<polyline").count(), 3, "exam: two runs; phone: one");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
