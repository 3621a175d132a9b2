use super::*;

#[test]
fn bands_of_ten_points() {
    let h = histogram(&[0, 999, 1_000, 5_950, 9_999, 10_000, -5]);
    assert_eq!(h, [3, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
    let chart = distribution_svg(&h, 6_000);
    let svg = chart.as_str();
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    assert_eq!(svg.matches("<rect").count(), 10);
}
