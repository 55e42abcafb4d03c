//! Fuzz target `csv`: see [`plan_fuzz::csv`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plan_fuzz::csv(data));
