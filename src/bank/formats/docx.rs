//! Word .docx read as the trainer sees it: paragraphs in order with Word's
//! automatic list numbers rendered (`numbering.xml`), bold/red/highlighted
//! runs marked (an option so marked is the answer when no answer line
//! says otherwise), images kept with the paragraph they sit in, and tables
//! either read as a question-per-row sheet (when their first row is a sheet
//! header) or cell by cell. The text then goes through the text reader, so a
//! Word file and the same text pasted are read alike.
//!
//! `.doc` (binary Word) and `.wps` are refused with how to save as .docx.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use roxmltree::{Document, Node};

use super::text::{self, IMAGE_OFF, IMAGE_ON, MARK_OFF, MARK_ON, TABLE_ROW};
use super::{sheet, Image, Parsed};
use crate::web::msg;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
/// The XML parts read whole; a Word file of 2,000 questions is under 5 MB.
const MAX_PART_BYTES: u64 = 40 * 1024 * 1024;
const MAX_IMAGE_BYTES: u64 = 2 * 1024 * 1024;

/// Whether the bytes are an old binary Office file (.doc / .wps / .xls).
pub fn is_binary_office(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    if is_binary_office(bytes) {
        return Err(msg::DOCX_BINARY_WORD.into());
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| msg::DOCX_UNREADABLE.to_string())?;
    let document = part(&mut zip, "word/document.xml")?.ok_or_else(|| msg::DOCX_UNREADABLE.to_string())?;
    let numbering = part(&mut zip, "word/numbering.xml")?.unwrap_or_default();
    let rels = part(&mut zip, "word/_rels/document.xml.rels")?.unwrap_or_default();
    let styles = part(&mut zip, "word/styles.xml")?.unwrap_or_default();
    let opts = roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() };
    let doc = Document::parse_with_options(&document, opts).map_err(|_| msg::DOCX_UNREADABLE.to_string())?;
    let mut reader = Reader {
        lists: Lists::read(&numbering, &styles),
        targets: relationships(&rels),
        ..Default::default()
    };
    if let Some(body) = doc.root_element().children().find(|n| is(n, "body")) {
        reader.block(body);
    }
    let mut images = Vec::new();
    for target in &reader.image_targets {
        images.push(image(&mut zip, target)?);
    }
    let mut parsed = text::parse_marked(&reader.lines.join("\n"));
    parsed.recognise(msg::RECOGNISED_WORD);
    for (at, rows) in reader.tables {
        let mut table = sheet::parse(&rows);
        for item in &mut table.items {
            item.line += at;
            item.end = item.line;
        }
        let shift = |e: &mut super::LineError| e.line += at;
        table.errors.iter_mut().for_each(shift);
        table.warnings.iter_mut().for_each(shift);
        parsed.items.extend(table.items);
        parsed.errors.extend(table.errors);
        parsed.warnings.extend(table.warnings);
        parsed.recognise(msg::RECOGNISED_WORD_TABLE);
    }
    parsed.items.sort_by_key(|i| i.line);
    parsed.errors.sort_by_key(|e| e.line);
    parsed.images = images;
    Ok(parsed)
}

fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, String> {
    let Ok(entry) = zip.by_name(name) else { return Ok(None) };
    let mut text = String::new();
    entry.take(MAX_PART_BYTES + 1).read_to_string(&mut text).map_err(|_| msg::DOCX_UNREADABLE.to_string())?;
    if text.len() as u64 > MAX_PART_BYTES {
        return Err(msg::FILE_TOO_LARGE.into());
    }
    Ok(Some(text))
}

fn image(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, target: &str) -> Result<Image, String> {
    let name = format!("word/{}", target.trim_start_matches('/').trim_start_matches("word/"));
    let mut bytes = Vec::new();
    if let Ok(entry) = zip.by_name(&name) {
        entry
            .take(MAX_IMAGE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|_| msg::DOCX_UNREADABLE.to_string())?;
    }
    let file = target.rsplit('/').next().unwrap_or(target).to_string();
    Ok(Image { name: file, bytes })
}

fn relationships(xml: &str) -> HashMap<String, String> {
    let Ok(doc) = Document::parse(xml) else { return HashMap::new() };
    doc.descendants()
        .filter(|n| n.tag_name().name() == "Relationship" && n.tag_name().namespace() == Some(REL))
        .filter_map(|n| Some((n.attribute("Id")?.to_string(), n.attribute("Target")?.to_string())))
        .collect()
}

fn is(node: &Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(W)
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| is(n, name))
}

fn val<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    node.attribute((W, "val"))
}

#[derive(Default)]
struct Reader {
    lists: Lists,
    targets: HashMap<String, String>,
    lines: Vec<String>,
    image_targets: Vec<String>,
    /// Question tables: the line before their first row, and their rows.
    tables: Vec<(usize, Vec<Vec<String>>)>,
}

impl Reader {
    fn block(&mut self, node: Node) {
        for n in node.children() {
            if is(&n, "p") {
                let text = self.paragraph(n);
                self.lines.push(text);
            } else if is(&n, "tbl") {
                self.table(n);
            } else if is(&n, "sdt") {
                if let Some(content) = child(n, "sdtContent") {
                    self.block(content);
                }
            }
        }
    }

    /// A paragraph's text with its list number, marks and image tokens.
    fn paragraph(&mut self, p: Node) -> String {
        let mut out = String::new();
        if let Some(props) = child(p, "pPr") {
            let num = child(props, "numPr").and_then(|np| {
                let id = child(np, "numId").and_then(val)?.to_string();
                let level = child(np, "ilvl").and_then(val).and_then(|v| v.parse().ok()).unwrap_or(0);
                Some((id, level))
            });
            let style = child(props, "pStyle").and_then(val);
            if let Some(label) = self.lists.next(num, style) {
                out.push_str(&label);
            }
        }
        self.runs(p, &mut out);
        out
    }

    fn runs(&mut self, node: Node, out: &mut String) {
        for n in node.children().filter(|n| n.is_element()) {
            if is(&n, "r") {
                let marked = child(n, "rPr").is_some_and(emphasised);
                let mut text = String::new();
                for part in n.descendants() {
                    if is(&part, "t") {
                        text.push_str(part.text().unwrap_or(""));
                    } else if is(&part, "tab") && part.parent().is_some_and(|p| is(&p, "r")) {
                        text.push('\t');
                    } else if is(&part, "br") || is(&part, "cr") {
                        text.push('\n');
                    } else if part.tag_name().name() == "blip" || part.tag_name().name() == "imagedata" {
                        let id = part.attribute((R, "embed")).or(part.attribute((R, "id")));
                        if let Some(target) = id.and_then(|id| self.targets.get(id)) {
                            self.image_targets.push(target.clone());
                            text.push_str(&format!("{IMAGE_ON}{}{IMAGE_OFF}", self.image_targets.len() - 1));
                        }
                    }
                }
                if marked && !text.trim().is_empty() {
                    out.push(MARK_ON);
                    out.push_str(&text);
                    out.push(MARK_OFF);
                } else {
                    out.push_str(&text);
                }
            } else if is(&n, "hyperlink") || is(&n, "ins") || is(&n, "smartTag") || is(&n, "fldSimple") {
                self.runs(n, out);
            }
        }
    }

    fn table(&mut self, tbl: Node) {
        let rows: Vec<Vec<String>> = tbl
            .children()
            .filter(|n| is(n, "tr"))
            .map(|tr| {
                tr.children()
                    .filter(|n| is(n, "tc"))
                    .map(|tc| {
                        let paragraphs: Vec<String> =
                            tc.children().filter(|n| is(n, "p")).map(|p| self.paragraph(p)).collect();
                        paragraphs.join("\n")
                    })
                    .collect()
            })
            .collect();
        let plain = |c: &String| text::strip_marks(c);
        if rows
            .first()
            .is_some_and(|header| is_question_header(&header.iter().map(plain).collect::<Vec<_>>()))
        {
            // A question per row: the sheet reader reads it; the text reader skips the rows.
            self.tables
                .push((self.lines.len(), rows.iter().map(|r| r.iter().map(plain).collect()).collect()));
            for row in &rows {
                let shown: Vec<String> = row.iter().map(plain).collect();
                self.lines.push(format!("{TABLE_ROW}{}", shown.join(" | ").replace('\n', " ")));
            }
        } else {
            for cell in rows.into_iter().flatten() {
                self.lines.extend(cell.split('\n').map(String::from));
            }
        }
    }
}

/// A table's first row that names a stem column and an answer column.
fn is_question_header(cells: &[String]) -> bool {
    let has = |names: &[&str]| cells.iter().any(|c| names.contains(&c.trim().to_lowercase().as_str()));
    has(&["题干", "题目", "试题内容", "题目内容", "试题", "question", "stem"])
        && has(&["答案", "正确答案", "参考答案", "标准答案", "answer"])
}

/// Bold, a red-ish colour, or a highlight.
fn emphasised(props: Node) -> bool {
    let on = |name: &str| child(props, name).is_some_and(|n| !matches!(val(n), Some("0" | "false" | "none")));
    let red = child(props, "color").and_then(val).is_some_and(|c| {
        let rgb = u32::from_str_radix(c, 16).unwrap_or(0);
        let (r, g, b) = ((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
        c.len() == 6 && r >= 0x99 && g < 0x66 && b < 0x66
    });
    on("b") || red || on("highlight")
}

mod lists;
mod write;
use lists::Lists;
pub use write::write;

#[cfg(test)]
mod tests;
