//! A clerk's trend over the months as a server-made SVG line chart: the exam
//! score (solid, round marks) and the phone-test average (dashed, square
//! marks), 0–100 points, months on the x axis in Chinese. Values are written
//! beside the marks and the lines differ by dash and mark, so the chart
//! reads in black-and-white print; the viewBox scales it to a phone.

use super::model::TrendPoint;
use crate::domain::score::{two_decimals, FULL_MARKS};
use crate::web::chart::{Chart, Root, Svg};
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
pub fn trend_svg(points: &[TrendPoint]) -> Option<Chart> {
    if points.iter().all(|p| p.exam.is_none() && p.phone.is_none()) {
        return None;
    }
    // Narrow on purpose: on a phone the chart is drawn about 380 px wide, so
    // 520 units keep the 13-unit text readable there.
    let (w, h, left, right, top, bottom) = (520.0, 280.0, 34.0, 18.0, 44.0, 48.0);
    let step = (w - left - right) / (points.len().max(2) - 1) as f64;
    let x = |i: usize| left + i as f64 * step;
    let y = |v: i64| top + (1.0 - v.clamp(0, FULL_MARKS) as f64 / FULL_MARKS as f64) * (h - top - bottom);
    let root = Root {
        title_id: "my-trend-title",
        title: msg::SCORECARD_TREND_TITLE,
        font_size: 13,
        ..Root::default()
    };
    let mut svg = Svg::with(w, h, root);
    for v in [0, 6_000, 8_000, FULL_MARKS] {
        svg.line((left, y(v)), (w - right, y(v)), "#cbd5e0");
        svg.text(left - 6.0, y(v) + 4.0, &(v / 100).to_string()).end();
    }
    // The legend, above the plot.
    svg.line((left, 14.0), (left + 28.0, 14.0), EXAM).width(2.0);
    svg.circle(left + 14.0, 14.0, 4.0, EXAM);
    svg.text(left + 34.0, 18.0, msg::SCORECARD_EXAM);
    svg.line((left + 130.0, 14.0), (left + 158.0, 14.0), PHONE).width(2.0).dash("6 4");
    svg.rect(left + 140.5, 10.5, 7.0, 7.0, PHONE);
    svg.text(left + 164.0, 18.0, msg::SCORECARD_PHONE);
    for (i, p) in points.iter().enumerate() {
        let (year, month) = (p.month.year(), p.month.number());
        svg.text(x(i), h - bottom + 18.0, &msg::scorecard_month_label(month)).middle();
        // The year under each January, and under the first month unless a
        // January follows too closely for both labels to fit.
        if month == 1 || (i == 0 && month <= 10) {
            svg.text(x(i), h - bottom + 36.0, &msg::scorecard_year_label(year)).middle().fill("#4a5568");
        }
    }
    let exam: Vec<Option<i64>> = points.iter().map(|p| p.exam).collect();
    let phone: Vec<Option<i64>> = points.iter().map(|p| p.phone).collect();
    for (values, colour, above) in [(&exam, EXAM, true), (&phone, PHONE, false)] {
        for run in runs(values) {
            let line: Vec<(f64, f64)> = run.iter().map(|(i, v)| (x(*i), y(*v))).collect();
            let drawn = svg.polyline(&line, colour).width(2.0);
            drop(if above { drawn } else { drawn.dash("6 4") });
        }
        for (i, v) in values.iter().enumerate() {
            let Some(v) = v else { continue };
            let (cx, cy, text) = (x(i), y(*v), two_decimals(*v));
            let what = if above { msg::SCORECARD_EXAM } else { msg::SCORECARD_PHONE };
            let tip = format!("{} {what} {text}", points[i].month);
            if above {
                svg.circle(cx, cy, 4.0, colour).tip(&tip);
            } else {
                svg.rect(cx - 3.5, cy - 3.5, 7.0, 7.0, colour).tip(&tip);
            }
            svg.text(cx, if above { cy - 8.0 } else { cy + 16.0 }, &text).middle().size(11).fill(colour);
        }
    }
    Some(svg.finish())
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
        let svg = svg.as_str();
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
        let autumn = autumn.as_str();
        assert!(autumn.contains("2026年") && autumn.contains("10月"));
        assert_eq!(svg.matches("<polyline").count(), 3, "exam: two runs; phone: one");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
