//! Word's automatic list numbers. They are not in the paragraph text: a
//! paragraph names a list (`w:numId`) and a level (`w:ilvl`), directly or
//! through its style; `numbering.xml` maps the list to an abstract
//! definition whose level says where counting starts, the number format and
//! the label text (`%1.`, `（%1）`, `%1、`). Counters run per list; a level
//! restarts when a level above it moves on.

use std::collections::HashMap;

use roxmltree::Document;

use super::{child, is, val};

#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

#[derive(Default)]
pub struct Lists {
    /// numId → the levels of its abstract definition (with start overrides).
    lists: HashMap<String, Vec<Level>>,
    /// Paragraph style → (numId, level).
    styles: HashMap<String, (String, usize)>,
    counters: HashMap<String, [u32; 9]>,
}

impl Lists {
    pub fn read(numbering: &str, styles: &str) -> Lists {
        let mut out = Lists::default();
        if let Ok(doc) = Document::parse(numbering) {
            let root = doc.root_element();
            let mut abstracts: HashMap<String, Vec<Level>> = HashMap::new();
            for a in root.children().filter(|n| is(n, "abstractNum")) {
                let Some(id) = a.attribute((super::W, "abstractNumId")) else { continue };
                let mut levels = vec![Level::default(); 9];
                for l in a.children().filter(|n| is(n, "lvl")) {
                    let Some(i) = l.attribute((super::W, "ilvl")).and_then(|v| v.parse::<usize>().ok())
                    else {
                        continue;
                    };
                    if i < 9 {
                        levels[i] = Level {
                            start: child(l, "start").and_then(val).and_then(|v| v.parse().ok()).unwrap_or(1),
                            format: child(l, "numFmt").and_then(val).unwrap_or("decimal").to_string(),
                            text: child(l, "lvlText").and_then(val).unwrap_or("").to_string(),
                        };
                    }
                }
                abstracts.insert(id.to_string(), levels);
            }
            for n in root.children().filter(|n| is(n, "num")) {
                let Some(id) = n.attribute((super::W, "numId")) else { continue };
                let Some(mut levels) =
                    child(n, "abstractNumId").and_then(val).and_then(|a| abstracts.get(a)).cloned()
                else {
                    continue;
                };
                for o in n.children().filter(|c| is(c, "lvlOverride")) {
                    let level = o.attribute((super::W, "ilvl")).and_then(|v| v.parse::<usize>().ok());
                    let start = child(o, "startOverride").and_then(val).and_then(|v| v.parse().ok());
                    if let (Some(l), Some(s)) = (level.filter(|l| *l < 9), start) {
                        levels[l].start = s;
                    }
                }
                out.lists.insert(id.to_string(), levels);
            }
        }
        if let Ok(doc) = Document::parse(styles) {
            for s in doc.root_element().children().filter(|n| is(n, "style")) {
                let Some(id) = s.attribute((super::W, "styleId")) else { continue };
                let num = child(s, "pPr").and_then(|p| child(p, "numPr"));
                if let Some(np) = num {
                    if let Some(num_id) = child(np, "numId").and_then(val) {
                        let level = child(np, "ilvl").and_then(val).and_then(|v| v.parse().ok()).unwrap_or(0);
                        out.styles.insert(id.to_string(), (num_id.to_string(), level));
                    }
                }
            }
        }
        out
    }

    /// The label of the next paragraph of a list (`"3. "`), counting it.
    pub fn next(&mut self, num: Option<(String, usize)>, style: Option<&str>) -> Option<String> {
        let (id, level) = num.or_else(|| style.and_then(|s| self.styles.get(s).cloned()))?;
        let levels = self.lists.get(&id)?;
        let level = level.min(8);
        let def = &levels[level];
        if def.format == "none" || def.format == "bullet" {
            return None;
        }
        let counters = self.counters.entry(id.clone()).or_insert([0; 9]);
        counters[level] = if counters[level] == 0 { def.start } else { counters[level] + 1 };
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = 0;
        }
        let mut label = def.text.clone();
        for (i, l) in levels.iter().enumerate().take(level + 1) {
            let value = if counters[i] == 0 { l.start } else { counters[i] };
            label = label.replace(&format!("%{}", i + 1), &render(value, &l.format));
        }
        Some(format!("{label} "))
    }
}

/// A counter in Word's number formats.
fn render(n: u32, format: &str) -> String {
    const CHINESE: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let letters = |base: u8| {
        let letter = (base + ((n.max(1) - 1) % 26) as u8) as char;
        letter.to_string().repeat(((n.max(1) - 1) / 26 + 1) as usize)
    };
    match format {
        "upperLetter" => letters(b'A'),
        "lowerLetter" => letters(b'a'),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographTraditional"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "japaneseCounting" => match n {
            0..=9 => CHINESE[n as usize].to_string(),
            10 => "十".into(),
            11..=19 => format!("十{}", CHINESE[(n % 10) as usize]),
            20..=99 => format!(
                "{}十{}",
                CHINESE[(n / 10) as usize],
                if n.is_multiple_of(10) { "" } else { CHINESE[(n % 10) as usize] }
            ),
            _ => n.to_string(),
        },
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map(String::from).unwrap_or_else(|| n.to_string())
        }
        "decimalFullWidth" | "decimalFullWidth2" => {
            n.to_string().chars().map(|c| char::from_u32(c as u32 + 0xfee0).unwrap_or(c)).collect()
        }
        "decimalZero" if n < 10 => format!("0{n}"),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, text) in table {
        while n >= value {
            out.push_str(text);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_render_as_word_shows_them() {
        assert_eq!(render(3, "decimal"), "3");
        assert_eq!(render(2, "upperLetter"), "B");
        assert_eq!(render(12, "chineseCounting"), "十二");
        assert_eq!(render(20, "chineseCounting"), "二十");
        assert_eq!(render(4, "lowerRoman"), "iv");
        assert_eq!(render(1, "decimalEnclosedCircle"), "①");
    }
}
