//! Inspection photos from a phone: the type is sniffed from the bytes (never
//! the file name or the browser's word), the size and pixel count bounded
//! before anything is decoded, the picture turned upright by its EXIF
//! orientation, shrunk and re-encoded as JPEG. Re-encoding writes no
//! metadata, so the phone's EXIF (GPS location, device) never reaches the
//! database or another viewer.
//!
//! HEIC (an iPhone's own format) is recognised but not decoded: no
//! maintained pure-Rust HEVC decoder exists and libheif is LGPL. The upload
//! field asks for `image/jpeg,image/png`, so Safari converts a HEIC photo to
//! JPEG as it uploads, and the page's script redraws a picture the browser
//! can read into a JPEG before sending; a HEIC that still arrives gets a
//! clear message instead of a broken picture.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// The largest upload accepted (a phone photo is 2–6 MB; the upload limit is 10 MB).
pub const MAX_BYTES: usize = crate::web::upload::MAX_UPLOAD_BYTES;
/// The longest side kept: enough to read a price tag on the wall.
pub const LONG_SIDE: u32 = 1600;
/// The thumbnail's longest side.
pub const THUMB_SIDE: u32 = 320;
/// More pixels than any phone camera makes (a 200-megapixel sensor is 16 320 × 12 240).
const MAX_PIXELS: u64 = 200_000_000;

/// A stored photo: the JPEG and its thumbnail.
#[derive(Debug, Clone)]
pub struct Processed {
    pub jpeg: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Why an upload is not a photo we keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoError {
    Empty,
    TooBig,
    Heic,
    /// Not JPEG, PNG or WebP by its first bytes.
    NotImage,
    /// Recognised but broken, or more pixels than allowed.
    Unreadable,
}

/// The format by its first bytes.
fn sniff(bytes: &[u8]) -> Result<ImageFormat, PhotoError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(ImageFormat::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(ImageFormat::Png)
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Ok(ImageFormat::WebP)
    } else if bytes.len() > 12
        && &bytes[4..8] == b"ftyp"
        && [&b"heic"[..], b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"].contains(&&bytes[8..12])
    {
        Err(PhotoError::Heic)
    } else {
        Err(PhotoError::NotImage)
    }
}

/// Checks, decodes, turns upright, shrinks and re-encodes an uploaded photo.
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(PhotoError::TooBig);
    }
    let format = sniff(bytes)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(1024 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| PhotoError::Unreadable)?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(PhotoError::Unreadable);
    }
    let orientation = decoder.orientation().map_err(|_| PhotoError::Unreadable)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::Unreadable)?;
    img.apply_orientation(orientation);
    let img =
        if img.width().max(img.height()) > LONG_SIDE { img.thumbnail(LONG_SIDE, LONG_SIDE) } else { img };
    let thumb = img.thumbnail(THUMB_SIDE, THUMB_SIDE);
    Ok(Processed {
        jpeg: jpeg(&img, 82)?,
        thumb: jpeg(&thumb, 75)?,
        width: img.width(),
        height: img.height(),
    })
}

/// An uploaded file (`read_multipart`'s) processed off the async threads,
/// before a database connection is taken; None when no file was chosen.
pub async fn from_upload(
    file: Option<(String, Vec<u8>)>,
) -> crate::web::AppResult<Option<Result<Processed, PhotoError>>> {
    let Some((_, bytes)) = file else { return Ok(None) };
    let processed = actix_web::web::block(move || process(&bytes)).await.map_err(|e| anyhow::anyhow!(e))?;
    Ok(Some(processed))
}

fn jpeg(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    // JPEG has no alpha: a transparent PNG is flattened as RGB.
    let rgb = img.to_rgb8();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&rgb)
        .map_err(|_| PhotoError::Unreadable)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, RgbImage};

    /// A little-endian EXIF block with an orientation and a GPS latitude
    /// reference entry ("N"), as a phone writes.
    fn exif(orientation: u16) -> Vec<u8> {
        let mut e = b"II\x2a\0\x08\0\0\0".to_vec();
        e.extend_from_slice(&2u16.to_le_bytes()); // two entries
        e.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0]);
        e.extend_from_slice(&orientation.to_le_bytes());
        e.extend_from_slice(&[0, 0]);
        // GPSLatitudeRef (0x0001), ASCII, 2 bytes "N\0" — stands for the location block.
        e.extend_from_slice(&[0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
        e.extend_from_slice(&[0, 0, 0, 0]);
        e.extend_from_slice(b"GPS-SECRET-29.5N");
        e
    }

    fn photo(w: u32, h: u32, orientation: Option<u16>) -> Vec<u8> {
        let img = RgbImage::from_fn(w, h, |x, _| {
            if x < w / 2 {
                image::Rgb([200, 30, 30])
            } else {
                image::Rgb([30, 30, 200])
            }
        });
        let mut out = Vec::new();
        let mut enc = JpegEncoder::new_with_quality(&mut out, 90);
        if let Some(o) = orientation {
            enc.set_exif_metadata(exif(o)).expect("exif");
        }
        enc.write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8).expect("encode");
        out
    }

    #[test]
    fn a_phone_photo_is_upright_shrunk_and_carries_no_exif() {
        let raw = photo(2400, 1200, Some(6)); // 6 = rotate 90° clockwise to view
        assert!(raw.windows(16).any(|w| w == b"GPS-SECRET-29.5N"), "the fixture has the location");
        let p = process(&raw).expect("processed");
        // Turned upright (portrait) and shrunk to 1600 on the long side.
        assert_eq!((p.width, p.height), (800, 1600));
        for bytes in [&p.jpeg, &p.thumb] {
            assert!(!bytes.windows(16).any(|w| w == b"GPS-SECRET-29.5N"));
            assert!(!bytes.windows(4).any(|w| w == b"Exif"));
            assert_eq!(sniff(bytes), Ok(ImageFormat::Jpeg));
        }
        let thumb = image::load_from_memory(&p.thumb).expect("thumb");
        assert_eq!((thumb.width(), thumb.height()), (160, 320));
    }

    #[test]
    fn a_small_png_is_kept_at_its_size_as_jpeg() {
        let img = image::RgbaImage::from_pixel(40, 30, image::Rgba([0, 128, 0, 0]));
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(img.as_raw(), 40, 30, image::ExtendedColorType::Rgba8)
            .expect("png");
        let p = process(&png).expect("processed");
        assert_eq!((p.width, p.height), (40, 30));
    }

    #[test]
    fn what_is_not_a_photo_is_refused_by_its_bytes() {
        assert_eq!(process(b"").err(), Some(PhotoError::Empty));
        assert_eq!(process(b"<svg onload=alert(1)>").err(), Some(PhotoError::NotImage));
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
        assert_eq!(process(&heic).err(), Some(PhotoError::Heic));
        // A JPEG header with nothing behind it.
        assert_eq!(process(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]).err(), Some(PhotoError::Unreadable));
        let mut big = photo(8, 8, None);
        big.resize(MAX_BYTES + 1, 0);
        assert_eq!(process(&big).err(), Some(PhotoError::TooBig));
        // A PNG claiming 100 000 × 100 000 pixels is refused before decoding.
        let mut png = Vec::new();
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR");
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(process(&png).err(), Some(PhotoError::Unreadable));
    }
}
