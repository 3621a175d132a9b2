//! Export as a Word file: the text export's lines (strict, escaped — see
//! `text::write`), one paragraph each, with each question's pictures in
//! paragraphs right after its first line. Reading it back gives the same
//! bank, pictures included; trainers can also open and print it in Word.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use crate::bank::formats::{text, Image};
use crate::bank::images::mime_of;
use crate::bank::question::Question;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn paragraph(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#, escape(text))
}

fn picture(rel: usize) -> String {
    format!(
        concat!(
            r#"<w:p><w:r><w:drawing><wp:inline><wp:extent cx="2857500" cy="1905000"/><wp:docPr id="{n}" name="图片{n}"/>"#,
            r#"<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>"#,
            r#"<pic:nvPicPr><pic:cNvPr id="{n}" name="图片{n}"/><pic:cNvPicPr/></pic:nvPicPr>"#,
            r#"<pic:blipFill><a:blip r:embed="rIdImg{n}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"#,
            r#"<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2857500" cy="1905000"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr>"#,
            r#"</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
        ),
        n = rel
    )
}

fn extension(bytes: &[u8]) -> &'static str {
    match mime_of(bytes) {
        Some("image/jpeg") => "jpeg",
        Some("image/gif") => "gif",
        Some("image/webp") => "webp",
        Some("image/bmp") => "bmp",
        _ => "png",
    }
}

/// The .docx bytes of these questions (with their pictures).
pub fn write(questions: &[(Question, Vec<Image>)]) -> zip::result::ZipResult<Vec<u8>> {
    let plain: Vec<Question> = questions.iter().map(|(q, _)| q.clone()).collect();
    let written = text::write(&plain);
    let mut body = String::new();
    let mut media: Vec<&Image> = Vec::new();
    let mut next = 0;
    for line in written.lines() {
        body.push_str(&paragraph(line));
        // A question's first line is `N.【…】`; escaped lines start with `\`.
        if questions.get(next).is_some() && line.starts_with(&format!("{}.【", next + 1)) {
            for image in &questions[next].1 {
                media.push(image);
                body.push_str(&picture(media.len() - 1));
            }
            next += 1;
        }
    }
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default();
    let types = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
        r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
        r#"<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>"#,
        r#"<Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="gif" ContentType="image/gif"/>"#,
        r#"<Default Extension="webp" ContentType="image/webp"/><Default Extension="bmp" ContentType="image/bmp"/>"#,
        r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
    );
    zip.start_file("[Content_Types].xml", opts)?;
    zip.write_all(types.as_bytes())?;
    zip.start_file("_rels/.rels", opts)?;
    zip.write_all(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#
    ).as_bytes())?;
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, image) in media.iter().enumerate() {
        let ext = extension(&image.bytes);
        rels.push_str(&format!(
            r#"<Relationship Id="rIdImg{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image{i}.{ext}"/>"#
        ));
        zip.start_file(format!("word/media/image{i}.{ext}"), opts)?;
        zip.write_all(&image.bytes)?;
    }
    rels.push_str("</Relationships>");
    zip.start_file("word/_rels/document.xml.rels", opts)?;
    zip.write_all(rels.as_bytes())?;
    zip.start_file("word/document.xml", opts)?;
    let ns = concat!(
        r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
        r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
        r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#,
        r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
        r#"xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#
    );
    zip.write_all(
        format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {ns}><w:body>{body}<w:sectPr/></w:body></w:document>"#)
            .as_bytes(),
    )?;
    Ok(zip.finish()?.into_inner())
}
