//! Fuzz target `scenario`: see [`plan_fuzz::scenario`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plan_fuzz::scenario(data));
