//! `plan`: a capacity-planning engine for programs of work.
//!
//! Data flows one way: a model file ([`model`]) becomes a validated dependency graph
//! ([`graph`]), a precedence-only critical-path pass ([`cpm`]) gives early/late dates
//! and float, the resource-constrained scheduler ([`schedule`]) respects team counts
//! per role, and [`report`] turns results into tables, JSON and CSV.
//! The library never prints; the `plan` binary wires arguments and output.
//! `docs/architecture.md` gives the stage order; a unit test holds every import to it.

#![deny(missing_docs)]

pub mod bounds;
pub mod calendar;
pub mod cpm;
pub mod drivers;
pub mod error;
pub mod explain;
pub mod graph;
pub mod interchange;
pub mod model;
pub mod program;
pub mod report;
pub mod resources;
pub mod run;
pub mod schedule;
pub mod simulate;
#[cfg(test)]
mod stages;
pub mod timeline;
pub mod tracking;

pub use error::{Diagnostic, Diagnostics};
