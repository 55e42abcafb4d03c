//! Fuzz target `pipeline`: see [`plan_fuzz::pipeline`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plan_fuzz::pipeline(data));
