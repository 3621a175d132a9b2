//! The knowledge-point heat map as server-made SVG: knowledge points as rows,
//! the city and the units as columns, five colour classes with a legend.
//! Every cell also says its value in text, so print, a phone and a
//! colour-blind reader all read it; each answered cell links to its questions.

use tera::escape_html as esc;

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

/// At most `max` characters, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

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
pub fn heat_svg(grid: &Grid, title: &str, href: impl Fn(&Row, &Cell) -> String) -> String {
    let (left, col, row_h, head, legend_h) = (180.0, 84.0, 30.0, 46.0, 64.0);
    let w = (left + col * grid.columns.len() as f64 + 10.0).max(540.0);
    let h = head + row_h * grid.rows.len() as f64 + legend_h;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="heat" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="group" aria-labelledby="heat-title" font-family="sans-serif" font-size="12"><title id="heat-title">{}</title>"#,
        esc(title)
    );
    for (j, c) in grid.columns.iter().enumerate() {
        let x = left + col * j as f64 + col / 2.0;
        let lines = header_lines(&c.name);
        for (k, line) in lines.iter().enumerate() {
            let y = head - 8.0 - 15.0 * (lines.len() - 1 - k) as f64;
            svg.push_str(&format!(
                r#"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" font-weight="bold">{}</text>"#,
                esc(line)
            ));
        }
    }
    for (i, row) in grid.rows.iter().enumerate() {
        let y = head + row_h * i as f64;
        svg.push_str(&format!(
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end"><title>{}</title>{}</text>"#,
            left - 8.0,
            y + 19.0,
            esc(&row.label),
            esc(&clip(&row.label, 12))
        ));
        for (j, cell) in row.cells.iter().enumerate() {
            let x = left + col * j as f64;
            let (fill, ink) = paint(cell);
            let unit = grid.columns.get(j).map(|c| c.name.as_str()).unwrap_or_default();
            let label = msg::weak_cell_label(&row.label, unit, &cell.value_text(), cell.tally.answers);
            let body = format!(
                r##"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{fill}" stroke="#ffffff"/><text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{ink}">{}</text>"##,
                col,
                row_h,
                x + col / 2.0,
                y + 19.0,
                esc(&cell.text)
            );
            if cell.tally.answers > 0 {
                svg.push_str(&format!(
                    r#"<a href="{}" aria-label="{}"><title>{}</title>{body}</a>"#,
                    esc(&href(row, cell)),
                    esc(&label),
                    esc(&label)
                ));
            } else {
                svg.push_str(&body);
            }
        }
    }
    // The legend: the five classes, then 样本少 and no answers; three per line.
    let mut keys: Vec<(&str, &str, String)> =
        FILLS.iter().zip(msg::WEAK_CLASSES).map(|(f, l)| (*f, "#1a202c", l.to_string())).collect();
    keys.push((SPARSE_FILL, SPARSE_INK, msg::weak_legend_sparse(MIN_ANSWERS)));
    let top = head + row_h * grid.rows.len() as f64 + 14.0;
    for (k, (fill, _, label)) in keys.iter().enumerate() {
        let (x, y) = (10.0 + 175.0 * (k % 3) as f64, top + 24.0 * (k / 3) as f64);
        svg.push_str(&format!(
            r##"<rect x="{x:.1}" y="{y:.1}" width="18" height="14" fill="{fill}" stroke="#a0aec0"/><text x="{:.1}" y="{:.1}">{}</text>"##,
            x + 24.0,
            y + 12.0,
            esc(label)
        ));
    }
    svg.push_str("</svg>");
    svg
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
        let svg = heat_svg(&g, "标题", |_, c| format!("/q?unit={}&x", c.unit));
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
