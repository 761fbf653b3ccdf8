//! Fuzz target `resolve_markers`: see [`nbdiff_fuzz::resolve_markers`] for the properties asserted.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nbdiff_fuzz::resolve_markers(data));
