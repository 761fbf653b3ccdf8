//! Fuzz target `clean_filter`: see [`nbdiff_fuzz::clean_filter`] for the properties asserted.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nbdiff_fuzz::clean_filter(data));
