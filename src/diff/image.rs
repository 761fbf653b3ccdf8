//! Summaries of binary (base64) output data and attachments: byte size,
//! pixel size read from the PNG / JPEG / GIF header, and a short hash
//! ([`short_hash`]: SHA-1 of the decoded bytes). Used by the diff and by git's
//! textconv (`nbdiff show`). The base64 text is borrowed and decoded in small
//! chunks, never copied whole.

use base64::Engine;
use serde_json::Value;

/// What the diff says about one image (or other binary blob).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    /// Decoded size in bytes (text size for SVG).
    pub bytes: usize,
    /// Width × height in pixels, when the header could be read.
    pub pixels: Option<(u32, u32)>,
    /// The first 8 hex digits of the SHA-1 of the decoded bytes (of the text
    /// for SVG), as [`short_hash`] gives.
    pub hash: String,
}

/// The first 8 hex digits of the SHA-1 of `bytes`.
pub fn short_hash(bytes: &[u8]) -> String {
    let mut hasher = gix::hash::hasher(gix::hash::Kind::Sha1);
    hasher.update(bytes);
    finish(hasher)
}

fn finish(hasher: gix::hash::Hasher) -> String {
    match hasher.try_finalize() {
        Ok(id) => id.to_hex_with_len(8).to_string(),
        Err(_) => "????????".into(),
    }
}

/// Base64 as found in notebooks: padding optional, stray bits allowed.
const LENIENT: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

fn is_base64_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// Decodes the base64 parts in chunks: (decoded length, short SHA-1).
/// Characters outside the base64 alphabet (line breaks, padding) are skipped.
fn decoded_size_and_hash(value: &Value) -> (usize, String) {
    const CHUNK: usize = 4096; // a multiple of 4: whole quads decode alone
    let mut hasher = gix::hash::hasher(gix::hash::Kind::Sha1);
    let mut text = Vec::with_capacity(CHUNK);
    let mut bytes = 0;
    let mut flush = |text: &mut Vec<u8>| {
        text.truncate(text.len() - usize::from(text.len() % 4 == 1));
        if let Ok(decoded) = LENIENT.decode(&*text) {
            bytes += decoded.len();
            hasher.update(&decoded);
        }
        text.clear();
    };
    for part in parts(value) {
        for &b in part.as_bytes() {
            if is_base64_char(b) {
                text.push(b);
                if text.len() == CHUNK {
                    flush(&mut text);
                }
            }
        }
    }
    flush(&mut text);
    (bytes, finish(hasher))
}

/// True when two base64 values encode the same bytes: equal once line
/// breaks, padding and anything else outside the base64 alphabet are
/// dropped (re-wrapped base64, a trailing newline). Linear, no allocation.
/// Only meaningful for binary MIME types, not for SVG text.
pub fn same_payload(a: &Value, b: &Value) -> bool {
    let stream = |v| parts(v).flat_map(str::bytes).filter(|&c| is_base64_char(c));
    stream(a).eq(stream(b))
}

/// True when `mime` is base64-encoded binary data (not SVG text).
pub fn is_base64_mime(mime: &str) -> bool {
    is_binary_mime(mime) && !mime.starts_with("image/svg")
}

/// True for MIME types summarized rather than diffed as text.
pub fn is_binary_mime(mime: &str) -> bool {
    mime.starts_with("image/") || mime == "application/pdf" || mime.starts_with("video/")
}

/// The string parts of a multiline JSON string field (a string or a list).
fn parts(value: &Value) -> impl Iterator<Item = &str> {
    let (single, list) = match value {
        Value::String(s) => (Some(s.as_str()), None),
        Value::Array(items) => (None, Some(items.iter().filter_map(Value::as_str))),
        _ => (None, None),
    };
    single.into_iter().chain(list.into_iter().flatten())
}

/// Summarizes a binary MIME value (base64 text, or SVG text).
pub fn summarize(mime: &str, value: &Value) -> ImageInfo {
    if mime.starts_with("image/svg") {
        let mut hasher = gix::hash::hasher(gix::hash::Kind::Sha1);
        let mut bytes = 0;
        for part in parts(value) {
            hasher.update(part.as_bytes());
            bytes += part.len();
        }
        return ImageInfo {
            bytes,
            pixels: None,
            hash: finish(hasher),
        };
    }
    let (bytes, hash) = decoded_size_and_hash(value);
    // 4 base64 characters carry 3 bytes. Headers: PNG and GIF need a few
    // bytes; JPEG's frame header may sit after metadata, so read more.
    let pixels = [64, 64 * 1024, 256 * 1024]
        .into_iter()
        .find_map(|n| header(value, n).and_then(|h| pixel_size(&h)));
    ImageInfo {
        bytes,
        pixels,
        hash,
    }
}

/// Decodes the first `max` base64 characters of the data.
fn header(value: &Value, max: usize) -> Option<Vec<u8>> {
    let mut text = Vec::with_capacity(max.min(4096));
    'outer: for part in parts(value) {
        for &b in part.as_bytes() {
            if is_base64_char(b) {
                text.push(b);
                if text.len() >= max {
                    break 'outer;
                }
            }
        }
    }
    text.truncate(text.len() / 4 * 4);
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(&text)
        .ok()
}

/// Width and height from a PNG, GIF or JPEG header.
pub fn pixel_size(b: &[u8]) -> Option<(u32, u32)> {
    let be16 = |i: usize| Some(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]) as u32);
    if b.starts_with(b"\x89PNG\r\n\x1a\n") && b.get(12..16) == Some(b"IHDR") {
        let w = u32::from_be_bytes(b.get(16..20)?.try_into().ok()?);
        let h = u32::from_be_bytes(b.get(20..24)?.try_into().ok()?);
        return Some((w, h));
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        let w = u16::from_le_bytes([*b.get(6)?, *b.get(7)?]) as u32;
        let h = u16::from_le_bytes([*b.get(8)?, *b.get(9)?]) as u32;
        return Some((w, h));
    }
    if b.starts_with(&[0xFF, 0xD8]) {
        let mut i = 2;
        while i + 3 < b.len() {
            if b[i] != 0xFF {
                return None;
            }
            let marker = b[i + 1];
            if marker == 0xFF {
                i += 1;
                continue;
            }
            if marker == 0x01 || (0xD0..=0xD9).contains(&marker) {
                i += 2;
                continue;
            }
            let len = be16(i + 2)? as usize;
            let is_sof = (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker);
            if is_sof {
                let h = be16(i + 5)?;
                let w = be16(i + 7)?;
                return Some((w, h));
            }
            i += 2 + len;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_gif_and_jpeg_sizes_are_read() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&640u32.to_be_bytes());
        png.extend_from_slice(&480u32.to_be_bytes());
        assert_eq!(pixel_size(&png), Some((640, 480)));
        let gif = b"GIF89a\x20\x03\x58\x02";
        assert_eq!(pixel_size(gif), Some((800, 600)));
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0x01, 0xE0, 0x02, 0x80,
        ];
        assert_eq!(pixel_size(&jpeg), Some((640, 480)));
        assert_eq!(pixel_size(b"GIF89a\x02\x00\x03\x00"), Some((2, 3)));
        assert_eq!(pixel_size(b"\xff\xd8\xff"), None);
        assert_eq!(pixel_size(b"nope"), None);
    }

    #[test]
    fn base64_png_is_summarized() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&3u32.to_be_bytes());
        png.extend_from_slice(&2u32.to_be_bytes());
        let text = base64::engine::general_purpose::STANDARD.encode(&png);
        let info = summarize("image/png", &Value::String(format!("{text}\n")));
        assert_eq!(info.pixels, Some((3, 2)));
        assert_eq!(info.bytes, png.len());
        assert_eq!(info.hash, short_hash(&png));
        // Line breaks inside the base64 text do not change the summary.
        let wrapped: Vec<Value> = text
            .as_bytes()
            .chunks(7)
            .map(|c| Value::String(format!("{}\n", String::from_utf8_lossy(c))))
            .collect();
        assert_eq!(summarize("image/png", &Value::Array(wrapped)), info);
    }

    #[test]
    fn big_base64_is_decoded_in_chunks() {
        let data: Vec<u8> = (0..20_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let text = base64::engine::general_purpose::STANDARD.encode(&data);
        let info = summarize("image/png", &Value::String(text));
        assert_eq!(info.bytes, data.len());
        assert_eq!(info.hash, short_hash(&data));
    }
}
