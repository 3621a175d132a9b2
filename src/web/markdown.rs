//! Markdown to HTML that is safe to show: pulldown-cmark renders, ammonia
//! removes anything that could run script.

pub fn to_safe_html(markdown: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::clean(&html)
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn renders_tables_and_drops_scripts() {
        let html = to_safe_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>\n\n**粗体**");
        assert!(html.contains("<table>") && html.contains("<strong>粗体</strong>"));
        assert!(!html.contains("<script"));
    }
}
