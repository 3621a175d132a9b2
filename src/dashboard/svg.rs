//! The knowledge-point heat map as server-made SVG: knowledge points as rows,
//! the city and the units as columns, five colour classes with a legend.
//! Every cell also says its value in text, so print, a phone and a
//! colour-blind reader all read it; each answered cell links to its questions.

use crate::web::chart::{clip, Chart, Root, Svg};

use super::heat::{Cell, Grid, Row};
use super::rules::MIN_ANSWERS;
use crate::web::msg;

/// Fill and ink of the five classes, weakest first (ColorBrewer RdYlBu,
/// safe for colour-blind readers).
const FILLS: [&str; 5] = ["#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"];
const INKS: [&str; 5] = ["#ffffff", "#1a202c", "#1a202c", "#1a202c", "#ffffff"];
const SPARSE_FILL: &str = "#e2e8f0";
const SPARSE_INK: &str = "#4a5568";
const EMPTY_FILL: &str = "#f7fafc";

/// A column name on up to two lines of six characters.
fn header_lines(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= 6 {
        return vec![name.to_string()];
    }
    let half = chars.len().div_ceil(2).min(6);
    let rest: String = chars[half..].iter().collect();
    vec![chars[..half].iter().collect(), clip(&rest, 6)]
}

fn paint(cell: &Cell) -> (&'static str, &'static str) {
    match cell.class {
        Some(c) => (FILLS[c.min(4)], INKS[c.min(4)]),
        None if cell.sparse => (SPARSE_FILL, SPARSE_INK),
        None => (EMPTY_FILL, SPARSE_INK),
    }
}

/// The heat map; `href` gives each answered cell's link.
pub fn heat_svg(grid: &Grid, title: &str, href: impl Fn(&Row, &Cell) -> String) -> Chart {
    let (left, col, row_h, head, legend_h) = (180.0, 84.0, 30.0, 46.0, 64.0);
    let w = (left + col * grid.columns.len() as f64 + 10.0).max(540.0);
    let h = head + row_h * grid.rows.len() as f64 + legend_h;
    let root = Root {
        title_id: "heat-title",
        title,
        role: "group",
        class: Some("heat"),
        sized: true,
        font_size: 12,
    };
    let mut svg = Svg::with(w, h, root);
    for (j, c) in grid.columns.iter().enumerate() {
        let x = left + col * j as f64 + col / 2.0;
        let lines = header_lines(&c.name);
        for (k, line) in lines.iter().enumerate() {
            svg.text(x, head - 8.0 - 15.0 * (lines.len() - 1 - k) as f64, line).middle().bold();
        }
    }
    for (i, row) in grid.rows.iter().enumerate() {
        let y = head + row_h * i as f64;
        svg.text(left - 8.0, y + 19.0, &clip(&row.label, 12)).end().tip(&row.label);
        for (j, cell) in row.cells.iter().enumerate() {
            let x = left + col * j as f64;
            let (fill, ink) = paint(cell);
            let unit = grid.columns.get(j).map(|c| c.name.as_str()).unwrap_or_default();
            let label =
                msg::weak_cell_label(&row.label, unit, &cell.text, &cell.value_text(), cell.tally.answers);
            let draw = |svg: &mut Svg| {
                svg.rect(x, y, col, row_h, fill).stroke("#ffffff");
                svg.text(x + col / 2.0, y + 19.0, &cell.text).middle().fill(ink);
            };
            if cell.tally.answers > 0 {
                svg.link(&href(row, cell), &label, draw);
            } else {
                draw(&mut svg);
            }
        }
    }
    // The legend: the five classes, then 样本少 and no answers; three per line.
    let mut keys: Vec<(&'static str, String)> =
        FILLS.iter().zip(msg::WEAK_CLASSES).map(|(f, l)| (*f, l.to_string())).collect();
    keys.push((SPARSE_FILL, msg::weak_legend_sparse(MIN_ANSWERS)));
    let top = head + row_h * grid.rows.len() as f64 + 14.0;
    for (k, (fill, label)) in keys.iter().enumerate() {
        let (x, y) = (10.0 + 175.0 * (k % 3) as f64, top + 24.0 * (k / 3) as f64);
        svg.rect(x, y, 18.0, 14.0, fill).stroke("#a0aec0");
        svg.text(x + 24.0, y + 12.0, label);
    }
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::heat::{grid, Column, Fact};

    #[test]
    fn the_map_links_answered_cells_and_writes_every_value() {
        let facts: Vec<Fact> = (0..6)
            .map(|i| Fact {
                question_id: 1,
                hall_id: Some(11),
                kps: vec!["携号转网<授权码>".into()],
                earned: if i < 4 { 100 } else { 0 },
                possible: 100,
            })
            .collect();
        let units = [
            Column { key: "11".into(), name: "青山中心营业厅".into() },
            Column { key: "12".into(), name: "白水营业厅".into() },
        ];
        let g = grid(&facts, &units, |f| f.hall_id.map(|h| h.to_string()));
        let chart = heat_svg(&g, "标题", |_, c| format!("/q?unit={}&x", c.unit));
        let svg = chart.as_str();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        // City and hall 11 answered (linked); hall 12 not.
        assert_eq!(svg.matches("<a href=").count(), 2);
        assert!(svg.contains("66.67%") && svg.contains("&lt;授权码&gt;") && svg.contains("&amp;x"));
        assert!(svg.contains("青山中心") && svg.contains("营业厅"), "two header lines");
        assert_eq!(svg.matches("<rect").count(), 3 + 6, "three cells, six legend keys");
        assert_eq!(header_lines("青山县分公司"), vec!["青山县分公司"]);
        assert_eq!(header_lines("江州市区人民路中心营业厅"), vec!["江州市区人民", "路中心营业厅"]);
        assert_eq!(clip("一二三四五六七八九十甲乙丙", 12), "一二三四五六七八九十甲…");
    }
}
