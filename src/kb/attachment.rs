//! What a knowledge-base attachment is, from its bytes: the type it is served
//! with and the extension its served name carries. The name a trainer's
//! browser sent is never trusted for either: a file called `报告.html` that is
//! a Word document is offered as `报告.docx`, so no browser or desktop opens
//! it as a web page.

use std::io::Cursor;

/// An accepted attachment type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    /// The Content-Type it is served with.
    pub content_type: &'static str,
    /// Extensions that name it (the first is used when the name has none of them).
    pub extensions: &'static [&'static str],
}

const fn kind(content_type: &'static str, extensions: &'static [&'static str]) -> Option<Sniffed> {
    Some(Sniffed { content_type, extensions })
}

/// The type of an attachment from its first bytes (never from the name or
/// what the browser said); None = not accepted.
pub fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    match bytes {
        [0x89, b'P', b'N', b'G', ..] => kind("image/png", &["png"]),
        [0xFF, 0xD8, 0xFF, ..] => kind("image/jpeg", &["jpg", "jpeg"]),
        [b'G', b'I', b'F', b'8', ..] => kind("image/gif", &["gif"]),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => kind("image/webp", &["webp"]),
        [b'%', b'P', b'D', b'F', b'-', ..] => kind("application/pdf", &["pdf"]),
        // Office files are zips: offered for download only, whatever they hold.
        [b'P', b'K', 3, 4, ..] => kind("application/octet-stream", office_extensions(bytes)),
        _ => None,
    }
}

/// Which Office (or OpenDocument) file a zip is, by the part every such file
/// has; a zip that is none of them is a zip.
fn office_extensions(bytes: &[u8]) -> &'static [&'static str] {
    let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return &["zip"] };
    let has = |name: &str| zip.index_for_name(name).is_some();
    if has("word/document.xml") {
        &["docx", "docm"]
    } else if has("xl/workbook.xml") {
        &["xlsx", "xlsm"]
    } else if has("ppt/presentation.xml") {
        &["pptx", "pptm"]
    } else if has("content.xml") && has("mimetype") {
        // OpenDocument: the type is in the `mimetype` part, which is stored
        // uncompressed and first; its name alone is enough to tell them apart.
        opendocument(bytes)
    } else {
        &["zip"]
    }
}

fn opendocument(bytes: &[u8]) -> &'static [&'static str] {
    let window = &bytes[..bytes.len().min(200)];
    let says = |t: &[u8]| window.windows(t.len()).any(|w| w == t);
    if says(b"opendocument.text") {
        &["odt"]
    } else if says(b"opendocument.spreadsheet") {
        &["ods"]
    } else if says(b"opendocument.presentation") {
        &["odp"]
    } else {
        &["zip"]
    }
}

/// The name an attachment is stored and served under: the last path
/// component of what was sent, without control characters, at most 100
/// characters, ending in an extension of its sniffed type (a matching one is
/// kept as it is, in any case; any other is replaced).
pub fn file_name(sent: &str, sniffed: Sniffed) -> String {
    let base: String = sent
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let (stem, ext) = match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, Some(ext)),
        _ => (base.as_str(), None),
    };
    if ext.is_some_and(|e| sniffed.extensions.iter().any(|x| x.eq_ignore_ascii_case(e))) {
        return base;
    }
    let stem = if stem.trim().is_empty() { "附件" } else { stem };
    format!("{stem}.{}", sniffed.extensions[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(parts: &[&str]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            for part in parts {
                zip.start_file(*part, zip::write::SimpleFileOptions::default()).unwrap();
                zip.write_all(b"<x/>").unwrap();
            }
            zip.finish().unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn a_served_name_carries_the_extension_of_what_the_bytes_are() {
        let docx = sniff(&zip_with(&["[Content_Types].xml", "word/document.xml"])).unwrap();
        let xlsx = sniff(&zip_with(&["[Content_Types].xml", "xl/workbook.xml"])).unwrap();
        let zip = sniff(&zip_with(&["a.txt"])).unwrap();
        let png = sniff(&[0x89, b'P', b'N', b'G', 0, 0]).unwrap();
        let jpeg = sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).unwrap();
        let cases = [
            ("报告.html", docx, "报告.docx"),
            ("报告.docx", docx, "报告.docx"),
            ("报告.DOCX", docx, "报告.DOCX"),
            ("报表.htm", xlsx, "报表.xlsx"),
            ("报表.docx", xlsx, "报表.xlsx"),
            ("资料.svg", zip, "资料.zip"),
            ("../../etc/流程图.png", png, "流程图.png"),
            ("照片.JPEG", jpeg, "照片.JPEG"),
            ("照片.html", jpeg, "照片.jpg"),
            ("无扩展名", png, "无扩展名.png"),
            (".html", png, ".html.png"),
            ("", png, "附件.png"),
            ("a/", png, "附件.png"),
        ];
        for (sent, sniffed, served) in cases {
            assert_eq!(file_name(sent, sniffed), served, "{sent}");
        }
        assert_eq!(docx.content_type, "application/octet-stream");
        assert_eq!(sniff(b"<html>"), None);
    }
}
