//! Fuzz target `check`: see [`nbdiff_fuzz::check`] for the properties asserted.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nbdiff_fuzz::check(data));
