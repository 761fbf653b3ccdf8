//! Fuzz target `line_merge`: see [`nbdiff_fuzz::line_merge`] for the properties asserted.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nbdiff_fuzz::line_merge(data));
