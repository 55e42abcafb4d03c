//! Fuzz target `model`: see [`plan_fuzz::model`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plan_fuzz::model(data));
