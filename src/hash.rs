//! Fast, non-cryptographic hashing of bytes and JSON values: cell and output
//! identities for alignment and pairing (not for untrusted hash-map keys, not
//! for anything shown to people; images show a short SHA-1, see
//! [`crate::diff::image::short_hash`]).

use serde_json::Value;
use std::hash::Hasher;

/// A fast, non-cryptographic hash of bytes (Fx-style, 8 bytes at a time).
pub fn fast_hash(mut h: u64, bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ b as u64).wrapping_mul(K);
    }
    (h.rotate_left(5) ^ bytes.len() as u64).wrapping_mul(K)
}

/// A [`Hasher`] using [`fast_hash`], for hashing big
/// JSON values (outputs) quickly; not for untrusted hash-map keys.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fast_hash(self.0, bytes);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Hashes a JSON value (keys in order).
pub fn hash_value(v: &Value, h: &mut impl Hasher) {
    match v {
        Value::Null => h.write_u8(0),
        Value::Bool(b) => h.write_u8(1 + *b as u8),
        Value::Number(n) => {
            h.write_u8(3);
            h.write(n.to_string().as_bytes());
        }
        Value::String(s) => {
            h.write_u8(4);
            h.write(s.as_bytes());
            h.write_u8(0xff);
        }
        Value::Array(items) => {
            h.write_u8(5);
            h.write_usize(items.len());
            for item in items {
                hash_value(item, h);
            }
        }
        Value::Object(map) => {
            h.write_u8(6);
            h.write_usize(map.len());
            for (k, item) in map {
                h.write(k.as_bytes());
                h.write_u8(0xff);
                hash_value(item, h);
            }
        }
    }
}
