//! Capacity bounds: a linear relaxation of the resource-constrained schedule that proves
//! when a milestone cannot be met, finds the earliest date the bound allows, and names the
//! work and role that make a date impossible.
//!
//! The relaxation: time is cut into buckets (weeks or days). For each task, role and bucket a
//! variable holds the person-days of that role's work on that task in that bucket. Work may
//! only be placed inside the task's window (from its earliest start by the precedence pass to
//! the latest finish that the due dates allow by a backward pass), at most the task's largest
//! crew per working day, at most the role's capacity per bucket (team, hires, ramp-up, leaves
//! and calendar), and each task's remaining work must be placed in full. Every schedule that
//! meets the dates is a solution, so when the LP has none, no schedule meets them.
//!
//! Roles share nothing in the relaxation, so it splits into one small LP per role; the role
//! whose LP has no solution is the bottleneck. Certificates come from an energy argument over
//! windows ([`certificate`]) that is re-checked by plain arithmetic before it is shown.

pub mod capacity;
pub mod certificate;
mod deadline;
pub mod hires;
pub mod solver;
pub mod staff;
pub mod verdict;

pub use capacity::{
    overlap, Bucket, CapacityBound, Share, SolverFailed, Windows, DEFAULT_TIME_LIMIT,
};
pub use certificate::Certificate;
