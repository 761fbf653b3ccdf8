//! Summaries of binary (base64) output data and attachments: byte size,
//! pixel size read from the PNG / JPEG / GIF header, and a short hash
//! ([`short_hash`]: SHA-1 of the decoded bytes). Used by the diff and by git's
//! textconv (`nbdiff show`). The base64 text is borrowed and decoded in small
//! chunks, never copied whole.
//!
//! Images are also compared by what they show ([`compare_pixels`]): PNG,
//! JPEG and GIF are decoded to 8-bit RGBA and compared pixel by pixel, so an
//! image re-encoded with every byte different but the same pixels is no
//! change, and a changed one says how much changed and where. Notebooks are
//! untrusted: an image declaring more than [`MAX_PIXELS`] pixels (a
//! decompression bomb) is not decoded, the decoders' own memory limits are
//! set from the same cap, and a decoding error only means "not compared by
//! pixels". The work is linear in pixels.

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
    ImageInfo {
        bytes,
        pixels: header_size(value),
        hash,
    }
}

/// Width and height read from the header of base64 image data, without
/// decoding the rest. 4 base64 characters carry 3 bytes: PNG and GIF need a
/// few bytes; JPEG's frame header may sit after metadata, so read more.
fn header_size(value: &Value) -> Option<(u32, u32)> {
    [64, 64 * 1024, 256 * 1024]
        .into_iter()
        .find_map(|n| header(value, n).and_then(|h| pixel_size(&h)))
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

/// The most pixels decoded per image (width × height, and over all frames of
/// an animated GIF): 4096 × 4096, 64 MiB as RGBA. Larger images are
/// compared by their bytes only.
pub const MAX_PIXELS: u64 = 4096 * 4096;

/// What the pixels of two same-format images say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelChange {
    /// Both decode to the same pixels: only the encoding changed.
    Same,
    /// Same width and height, some pixels differ.
    Changed {
        /// Pixels that differ.
        changed: u64,
        /// Pixels in the image (width × height).
        total: u64,
        /// The bounding box of the changed pixels: x, y, width, height.
        region: (u32, u32, u32, u32),
    },
    /// The frames of an animated GIF differ (or their number does).
    FramesChanged,
}

impl PixelChange {
    /// `re-encoded, same pixels`, `12% of pixels, region 140×60 at (20,30)`.
    pub fn describe(&self) -> String {
        match *self {
            PixelChange::Same => "re-encoded, same pixels".into(),
            PixelChange::Changed {
                changed,
                total,
                region: (x, y, w, h),
            } => {
                let pct = changed as f64 * 100.0 / total.max(1) as f64;
                let pct = if changed == total {
                    "100%".to_string()
                } else if pct >= 10.0 {
                    format!("{}%", pct.floor())
                } else if pct >= 0.1 {
                    format!("{:.1}%", (pct * 10.0).floor() / 10.0)
                } else {
                    "<0.1%".to_string()
                };
                format!("{pct} of pixels, region {w}×{h} at ({x},{y})")
            }
            PixelChange::FramesChanged => "animation frames changed".into(),
        }
    }
}

/// A decoded image: size, first frame as RGBA, later frames (GIF) as
/// position, size and RGBA bytes one after the other.
struct Decoded {
    width: u32,
    height: u32,
    rgba: Vec<u8>,
    more_frames: Vec<u8>,
}

/// Compares two base64 images by their pixels. `None` when either side is
/// not a decodable PNG, JPEG or GIF within [`MAX_PIXELS`], or the sizes
/// differ (the summaries say so).
pub fn compare_pixels(mime: &str, old: &Value, new: &Value) -> Option<PixelChange> {
    if !matches!(mime, "image/png" | "image/jpeg" | "image/jpg" | "image/gif") {
        return None;
    }
    // Images whose headers give different sizes are not decoded at all (a
    // plot redrawn at another size is the common case).
    if let (Some(sa), Some(sb)) = (header_size(old), header_size(new)) {
        if sa != sb {
            return None;
        }
    }
    let a = decode_image(&decode_all(old)?)?;
    let b = decode_image(&decode_all(new)?)?;
    if (a.width, a.height) != (b.width, b.height) || a.rgba.len() != b.rgba.len() {
        return None;
    }
    let (mut changed, mut x0, mut y0, mut x1, mut y1) = (0u64, u32::MAX, u32::MAX, 0, 0);
    let w = a.width.max(1) as usize;
    for (i, (pa, pb)) in a
        .rgba
        .chunks_exact(4)
        .zip(b.rgba.chunks_exact(4))
        .enumerate()
    {
        // Fully transparent pixels look the same whatever their colour.
        if pa == pb || (pa[3] == 0 && pb[3] == 0) {
            continue;
        }
        changed += 1;
        let (x, y) = ((i % w) as u32, (i / w) as u32);
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    if changed == 0 {
        return Some(if a.more_frames == b.more_frames {
            PixelChange::Same
        } else {
            PixelChange::FramesChanged
        });
    }
    Some(PixelChange::Changed {
        changed,
        total: u64::from(a.width) * u64::from(a.height),
        region: (x0, y0, x1 - x0 + 1, y1 - y0 + 1),
    })
}

/// The whole decoded base64 payload (at most a bound: notebooks are in
/// memory already, and a payload beyond 64 MiB is not compared by pixels).
fn decode_all(value: &Value) -> Option<Vec<u8>> {
    const MAX_TEXT: usize = 90 << 20;
    let mut text = Vec::new();
    for part in parts(value) {
        text.extend(part.bytes().filter(|&b| is_base64_char(b)));
        if text.len() > MAX_TEXT {
            return None;
        }
    }
    text.truncate(text.len() - usize::from(text.len() % 4 == 1));
    LENIENT.decode(&text).ok()
}

fn fits(w: u32, h: u32) -> bool {
    w > 0 && h > 0 && u64::from(w) * u64::from(h) <= MAX_PIXELS
}

fn decode_image(bytes: &[u8]) -> Option<Decoded> {
    if bytes.starts_with(b"\x89PNG") {
        decode_png(bytes)
    } else if bytes.starts_with(b"GIF8") {
        decode_gif(bytes)
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        decode_jpeg(bytes)
    } else {
        None
    }
}

fn decode_png(bytes: &[u8]) -> Option<Decoded> {
    use png::{ColorType, Transformations};
    let limits = png::Limits {
        bytes: (MAX_PIXELS * 4 + (1 << 20)) as usize,
    };
    let mut decoder = png::Decoder::new_with_limits(std::io::Cursor::new(bytes), limits);
    decoder.set_transformations(Transformations::normalize_to_color8());
    decoder.set_ignore_text_chunk(true);
    let mut reader = decoder.read_info().ok()?;
    let (width, height) = reader.info().size();
    // An animated PNG: only its default image would be read, and a change
    // in a later frame must not read as "same pixels". Compared by bytes.
    if reader.info().animation_control.is_some() || !fits(width, height) {
        return None;
    }
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    buf.truncate(info.buffer_size());
    let n = width as usize * height as usize;
    let channels = match info.color_type {
        ColorType::Grayscale => 1,
        ColorType::GrayscaleAlpha => 2,
        ColorType::Rgb => 3,
        ColorType::Rgba => 4,
        ColorType::Indexed => return None,
    };
    if info.bit_depth != png::BitDepth::Eight || info.line_size != width as usize * channels {
        return None;
    }
    let rgba = to_rgba(&buf, channels, n)?;
    Some(Decoded {
        width,
        height,
        rgba,
        more_frames: Vec::new(),
    })
}

/// 8-bit grey, grey+alpha, RGB or RGBA samples as RGBA.
fn to_rgba(buf: &[u8], channels: usize, n: usize) -> Option<Vec<u8>> {
    let buf = buf.get(..n * channels)?;
    if channels == 4 {
        return Some(buf.to_vec());
    }
    let mut out = Vec::with_capacity(n * 4);
    for px in buf.chunks_exact(channels) {
        let rgba = match *px {
            [g] => [g, g, g, 255],
            [g, a] => [g, g, g, a],
            [r, g, b] => [r, g, b, 255],
            _ => return None,
        };
        out.extend_from_slice(&rgba);
    }
    Some(out)
}

fn decode_jpeg(bytes: &[u8]) -> Option<Decoded> {
    use zune_jpeg::zune_core::{colorspace::ColorSpace, options::DecoderOptions};
    let options = DecoderOptions::default()
        .set_max_width(1 << 14)
        .set_max_height(1 << 14)
        .jpeg_set_out_colorspace(ColorSpace::RGBA);
    let mut decoder =
        zune_jpeg::JpegDecoder::new_with_options(std::io::Cursor::new(bytes), options);
    decoder.decode_headers().ok()?;
    let info = decoder.info()?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    if !fits(width, height) {
        return None;
    }
    let out = decoder.decode().ok()?;
    let n = width as usize * height as usize;
    let channels = decoder.output_colorspace()?.num_components();
    let rgba = to_rgba(&out, channels, n)?;
    Some(Decoded {
        width,
        height,
        rgba,
        more_frames: Vec::new(),
    })
}

fn decode_gif(bytes: &[u8]) -> Option<Decoded> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    options.set_memory_limit(gif::MemoryLimit::Bytes(std::num::NonZeroU64::new(
        MAX_PIXELS * 4,
    )?));
    let mut decoder = options.read_info(std::io::Cursor::new(bytes)).ok()?;
    let (width, height) = (u32::from(decoder.width()), u32::from(decoder.height()));
    if !fits(width, height) {
        return None;
    }
    // The first frame drawn on the (transparent) screen; later frames kept
    // as they are, within the same pixel budget.
    let mut rgba = vec![0u8; width as usize * height as usize * 4];
    let mut more_frames = Vec::new();
    let mut budget = MAX_PIXELS;
    let mut first = true;
    while let Some(frame) = decoder.read_next_frame().ok()? {
        let (fw, fh) = (usize::from(frame.width), usize::from(frame.height));
        budget = budget.checked_sub((fw * fh) as u64)?;
        if first {
            first = false;
            let (left, top) = (usize::from(frame.left), usize::from(frame.top));
            for (row, line) in frame.buffer.chunks_exact(fw.max(1) * 4).enumerate() {
                let y = top + row;
                if y >= height as usize || left >= width as usize {
                    break;
                }
                let len = line.len().min((width as usize - left) * 4);
                let at = (y * width as usize + left) * 4;
                rgba[at..at + len].copy_from_slice(&line[..len]);
            }
        } else {
            for v in [frame.left, frame.top, frame.width, frame.height] {
                more_frames.extend_from_slice(&v.to_le_bytes());
            }
            more_frames.extend_from_slice(&frame.buffer);
        }
    }
    Some(Decoded {
        width,
        height,
        rgba,
        more_frames,
    })
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

    /// A PNG of `w`×`h` pixels from `px(x, y)`, RGB or RGBA, at a zlib level.
    fn png_of(w: u32, h: u32, px: impl Fn(u32, u32) -> [u8; 3], alpha: bool, fast: bool) -> Value {
        let mut bytes = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut bytes, w, h);
            enc.set_color(if alpha {
                png::ColorType::Rgba
            } else {
                png::ColorType::Rgb
            });
            enc.set_depth(png::BitDepth::Eight);
            enc.set_compression(if fast {
                png::Compression::Fastest
            } else {
                png::Compression::High
            });
            let mut data = Vec::new();
            for y in 0..h {
                for x in 0..w {
                    data.extend_from_slice(&px(x, y));
                    if alpha {
                        data.push(255);
                    }
                }
            }
            let mut writer = enc.write_header().unwrap();
            writer.write_image_data(&data).unwrap();
        }
        Value::String(base64::engine::general_purpose::STANDARD.encode(&bytes))
    }

    fn gradient(x: u32, y: u32) -> [u8; 3] {
        [(x * 7) as u8, (y * 5) as u8, 99]
    }

    #[test]
    fn same_pixels_encoded_anew_are_the_same_image() {
        let a = png_of(30, 20, gradient, false, false);
        let b = png_of(30, 20, gradient, true, true);
        assert!(!same_payload(&a, &b), "the encodings must differ");
        assert_eq!(compare_pixels("image/png", &a, &b), Some(PixelChange::Same));
    }

    #[test]
    fn changed_pixels_are_counted_and_boxed() {
        let a = png_of(40, 20, gradient, false, false);
        let patch = |x, y| {
            if (10..14).contains(&x) && (5..7).contains(&y) {
                [255, 0, 0]
            } else {
                gradient(x, y)
            }
        };
        let b = png_of(40, 20, patch, false, false);
        let change = compare_pixels("image/png", &a, &b).unwrap();
        assert_eq!(
            change,
            PixelChange::Changed {
                changed: 8,
                total: 800,
                region: (10, 5, 4, 2)
            }
        );
        assert_eq!(change.describe(), "1.0% of pixels, region 4×2 at (10,5)");
        // Different sizes are not compared by pixels (the summary says it).
        let c = png_of(41, 20, gradient, false, false);
        assert_eq!(compare_pixels("image/png", &a, &c), None);
    }

    /// A PNG that declares 100,000 × 100,000 pixels (40 GB as RGBA) in a
    /// few hundred bytes: not decoded, no panic, no huge allocation.
    #[test]
    fn decompression_bomb_png_is_not_decoded() {
        fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let mut body = kind.to_vec();
            body.extend_from_slice(data);
            out.extend_from_slice(&body);
            let mut h = crc32(&body).to_be_bytes().to_vec();
            out.append(&mut h);
        }
        fn crc32(bytes: &[u8]) -> u32 {
            let mut c = !0u32;
            for &b in bytes {
                c ^= u32::from(b);
                for _ in 0..8 {
                    c = if c & 1 != 0 {
                        0xEDB8_8320 ^ (c >> 1)
                    } else {
                        c >> 1
                    };
                }
            }
            !c
        }
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&100_000u32.to_be_bytes());
        ihdr.extend_from_slice(&100_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        chunk(&mut png, b"IHDR", &ihdr);
        // A stored (uncompressed) zlib block of zeros: the first rows.
        let mut idat = vec![0x78, 0x01, 0x01, 0x00, 0x04, 0xFF, 0xFB];
        idat.extend_from_slice(&[0u8; 1024]);
        chunk(&mut png, b"IDAT", &idat);
        chunk(&mut png, b"IEND", b"");
        let v = Value::String(base64::engine::general_purpose::STANDARD.encode(&png));
        assert_eq!(summarize("image/png", &v).pixels, Some((100_000, 100_000)));
        assert_eq!(compare_pixels("image/png", &v, &v.clone()), None);
        // A GIF declaring 65,535 × 65,535 is refused alike.
        let gif = b"GIF89a\xff\xff\xff\xff\x00\x00\x00;";
        let g = Value::String(base64::engine::general_purpose::STANDARD.encode(gif));
        assert_eq!(compare_pixels("image/gif", &g, &g.clone()), None);
    }

    #[test]
    fn undecodable_images_are_compared_by_bytes_only() {
        let junk = Value::String(
            base64::engine::general_purpose::STANDARD.encode(b"\x89PNG\r\n\x1a\nnot really"),
        );
        let ok = png_of(4, 4, gradient, false, false);
        assert_eq!(compare_pixels("image/png", &junk, &ok), None);
        let jpeg = Value::String(
            base64::engine::general_purpose::STANDARD.encode([0xFF, 0xD8, 0xFF, 0xC0, 0, 3]),
        );
        assert_eq!(compare_pixels("image/jpeg", &jpeg, &jpeg.clone()), None);
        assert_eq!(compare_pixels("image/svg+xml", &ok, &ok.clone()), None);
    }

    /// A one-frame GIF of `indices` (w×h) in `palette`.
    fn gif_of(w: u16, h: u16, palette: &[u8], indices: &[u8]) -> Value {
        let mut bytes = Vec::new();
        {
            let mut enc = gif::Encoder::new(&mut bytes, w, h, &[]).unwrap();
            let frame =
                gif::Frame::from_palette_pixels(w, h, indices.to_vec(), palette.to_vec(), None);
            enc.write_frame(&frame).unwrap();
        }
        Value::String(base64::engine::general_purpose::STANDARD.encode(&bytes))
    }

    #[test]
    fn gif_with_its_palette_reordered_shows_the_same_pixels() {
        // Red, green: the same picture with the palette entries swapped.
        let a = gif_of(3, 2, &[255, 0, 0, 0, 255, 0], &[0, 1, 0, 1, 1, 0]);
        let b = gif_of(3, 2, &[0, 255, 0, 255, 0, 0], &[1, 0, 1, 0, 0, 1]);
        assert!(!same_payload(&a, &b));
        assert_eq!(compare_pixels("image/gif", &a, &b), Some(PixelChange::Same));
        let c = gif_of(3, 2, &[255, 0, 0, 0, 255, 0], &[0, 1, 0, 1, 1, 1]);
        assert_eq!(
            compare_pixels("image/gif", &a, &c),
            Some(PixelChange::Changed {
                changed: 1,
                total: 6,
                region: (2, 1, 1, 1)
            })
        );
    }
}
