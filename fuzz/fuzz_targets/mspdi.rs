//! Fuzz target `mspdi`: see [`plan_fuzz::mspdi`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plan_fuzz::mspdi(data));
