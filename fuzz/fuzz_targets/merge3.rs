//! Fuzz target `merge3`: see [`nbdiff_fuzz::merge3`] for the properties asserted.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nbdiff_fuzz::merge3(data));
