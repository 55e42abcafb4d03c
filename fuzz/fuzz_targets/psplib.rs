//! Fuzz target `psplib`: see [`plan_fuzz::psplib`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plan_fuzz::psplib(data));
