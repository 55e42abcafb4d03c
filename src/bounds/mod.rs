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
//!
//! # Complexity
//!
//! For a role with `t` tasks and `K` buckets up to the latest window end (one per working
//! day with [`Bucket::Day`]; one per calendar week, about a fifth as many, with
//! [`Bucket::Week`]), the role's LP has at most `t · K` variables (one per task and bucket
//! its window touches), `t + K` rows (one "all work placed" row per task, one capacity row
//! per bucket) and `2 · t · K` nonzeros. It is built in `O(t · K)` and solved by simplex
//! (microlp, or HiGHS with the `highs` feature) within [`DEFAULT_TIME_LIMIT`] seconds.
//! Before the LPs, [`CapacityBound::feasible`] runs the energy-window check in `O(t³ + H)`
//! per role for a horizon of `H` working days (every window from a task's start to a task's
//! finish, each summed over the tasks). [`CapacityBound::earliest`] calls `feasible`
//! `O(log H)` times: doubling up from the precedence date, then bisection.
//!
//! # Example
//!
//! One developer and 9 person-days of work: the precedence pass alone allows day 7, the
//! bound proves that day 8 is impossible and allows day 9.
//!
//! ```
//! use plan::bounds::{Bucket, CapacityBound};
//! use plan::model::{parse_model, parse_scenario, EstimateChoice};
//! use std::path::Path;
//!
//! let text = r#"
//! [project]
//! name = "Tiny"
//! start = 2025-09-15
//! [roles.dev]
//! [[task]]
//! id = "A"
//! duration = 3
//! demand = { dev = 1 }
//! [[task]]
//! id = "B"
//! after = ["A"]
//! duration = 4
//! demand = { dev = 1 }
//! [[task]]
//! id = "C"
//! duration = 2
//! demand = { dev = 1 }
//! [[milestone]]
//! id = "M"
//! after = ["B", "C"]
//! "#;
//! let model = parse_model(text, Path::new("tiny.toml")).unwrap();
//! let team = "name = \"One dev\"\n[team]\ndev = 1\n";
//! let scenario = parse_scenario(team, Path::new("team.toml"), &model).unwrap();
//! let program = plan::program::build(&model, &scenario, EstimateChoice::Likely).unwrap();
//! let bound = CapacityBound::new(&model, &program, &program.capacity, Bucket::Day);
//!
//! let m = bound.milestone_nodes[0];
//! assert_eq!(bound.early_start[m], 7);
//! assert_eq!(bound.feasible(&[(m, 8)]), Ok(false));
//! assert_eq!(bound.feasible(&[(m, 9)]), Ok(true));
//! assert_eq!(bound.earliest(0, None), Ok(Some(9)));
//! let evidence = bound.certificate(0, 8).unwrap();
//! assert_eq!(evidence.role, Some(0));
//! assert!(evidence.required > evidence.available);
//! ```

pub mod capacity;
pub mod certificate;
mod deadline;
pub mod energetic;
pub mod hires;
pub mod shave;
pub mod solver;
pub mod staff;
pub mod team;
pub mod time_indexed;
pub mod verdict;

pub use capacity::{
    overlap, Bucket, CapacityBound, ModeShape, Share, SolverFailed, Windows, DEFAULT_TIME_LIMIT,
};
pub use certificate::Certificate;
