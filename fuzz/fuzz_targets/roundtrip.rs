//! Fuzz target `roundtrip`: see [`nbdiff_fuzz::roundtrip`] for the properties asserted.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nbdiff_fuzz::roundtrip(data));
