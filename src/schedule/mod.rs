//! Resource-constrained scheduling: the problem model, schedule generation,
//! the search for short schedules, an independent checker, and the PSPLIB
//! benchmark tooling that measures the search.

pub mod bench;
pub mod checker;
mod compiled;
pub mod problem;
pub mod psplib;
pub mod rcpsp_cmd;
pub mod search;
pub mod sgs;

pub use checker::{check, Violation};
pub use problem::{
    Activity, Capacity, Mode, Precedence, Problem, ProblemError, Resource, Schedule,
};
pub use search::{search, SearchConfig, SearchError, SearchResult, Solution};
pub use sgs::{ListError, Sgs};
