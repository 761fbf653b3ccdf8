//! Fuzz target `markdown_gfm`: see [`nbdiff_fuzz::markdown_gfm`] for the properties asserted.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nbdiff_fuzz::markdown_gfm(data));
