//! `plan`: a capacity-planning engine for programs of work.
pub mod schedule;
