//! Resource-constrained scheduling: the problem model, schedule generation,
//! the search for short schedules, an independent checker, the one function that
//! hands out schedules ([`search_checked`]: search, then check), and the PSPLIB
//! benchmark that measures the search.
//!
//! ```
//! use plan::schedule::{check, search, Activity, Capacity, Problem, Resource, SearchConfig};
//!
//! // Two developers (100 units each), a third joins at 50% on day 10.
//! let devs = Resource {
//!     name: "dev".into(),
//!     capacity: Capacity::from_steps(vec![(0, 200), (10, 250)]).unwrap(),
//! };
//! let problem = Problem {
//!     activities: vec![
//!         Activity::single(5, vec![100]),
//!         Activity::single(3, vec![200]).after(0, 0),
//!         Activity::single(4, vec![100]),
//!     ],
//!     resources: vec![devs],
//!     horizon_hint: 0,
//! };
//! let config = SearchConfig { schedules: 1000, seed: 7, ..SearchConfig::default() };
//! let result = search(&problem, &config, &[]).unwrap();
//! assert!(check(&problem, &result.schedule).is_empty());
//! assert_eq!(result.makespan, 8);
//! // Later, with more capacity, warm-start from the previous best.
//! let again = search(&problem, &config, &[result.solution.clone()]).unwrap();
//! assert!(again.makespan <= result.makespan);
//! ```

pub mod bench;
pub mod calendar_search;
pub mod calendars;
mod checked;
pub mod checker;
mod compiled;
pub mod driver;
pub mod driver_check;
pub mod lower_bound;
mod parallel_sgs;
pub mod problem;
pub mod psplib;
pub mod search;
pub mod sgs;

pub use checked::{search_checked, SearchFailure};
pub use checker::{check, Violation};
pub use driver::{driving_chain, CapacityWait, Driver};
pub use driver_check::{check_drivers, check_drivers_on_calendars, DriverViolation};
pub use lower_bound::{lower_bound, BoundKind, LowerBound};
pub use problem::{
    Activity, Capacity, Mode, Precedence, Problem, ProblemError, Resource, Schedule,
};
pub use search::{search, SearchConfig, SearchError, SearchResult, Solution};
pub use sgs::{ListError, Sgs};
