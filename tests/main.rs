//! The integration tests, as one binary: linking the whole crate once instead of once per
//! file is most of `cargo test`'s build time. Each file here is a module named after the
//! area it covers; `common` holds the helpers that run the `plan` binary.

mod common;

mod bad_input;
mod bounds_commands;
mod bounds_soundness;
mod calendar_bounds;
mod calendars;
mod commands;
mod constraints;
mod cpm_properties;
mod explain;
mod interchange;
mod mpxj_interchange;
mod mspdi_import;
mod rcpsp;
mod report;
mod report_browser;
mod report_tracking;
mod schedule_commands;
mod simulate;
mod staff_plans;
mod status;
mod tracking;
mod xer_import;
