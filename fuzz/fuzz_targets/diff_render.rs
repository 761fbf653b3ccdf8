//! Fuzz target `diff_render`: see [`nbdiff_fuzz::diff_render`] for the properties asserted.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nbdiff_fuzz::diff_render(data));
