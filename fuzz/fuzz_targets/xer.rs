//! Fuzz target `xer`: see [`plan_fuzz::xer`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plan_fuzz::xer(data));
