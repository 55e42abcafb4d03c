//! The one place simulation settings get their defaults: what the caller gives, over the
//! scenario's `[simulation]` table, over the defaults below.

use crate::model::scenario::{Distribution, SimulationSettings};

/// Iterations when neither the caller nor the scenario gives them.
pub const DEFAULT_ITERATIONS: u64 = 10_000;
/// Seed when neither the caller nor the scenario gives one.
pub const DEFAULT_SEED: u64 = 1;
/// Correlation within a phase when neither the caller nor the scenario gives one.
pub const DEFAULT_CORRELATION: f64 = 0.0;

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// Iterations, at least 1.
    pub iterations: u64,
    /// Seed of the random streams.
    pub seed: u64,
    /// Distribution of three-point estimates.
    pub distribution: Distribution,
    /// Correlation of durations within a phase, 0..=1.
    pub correlation: f64,
    /// Schedule with the scenario's team (true) or precedence-only (false).
    pub resources: bool,
}

impl SimConfig {
    /// `given` over `scenario` (the scenario's `[simulation]` table) over the defaults;
    /// `resources` says whether to schedule with the scenario's team. Ranges are checked when
    /// the simulation starts.
    pub fn layered(
        given: &SimulationSettings,
        scenario: &SimulationSettings,
        resources: bool,
    ) -> SimConfig {
        SimConfig {
            iterations: given
                .iterations
                .or(scenario.iterations)
                .unwrap_or(DEFAULT_ITERATIONS),
            seed: given.seed.or(scenario.seed).unwrap_or(DEFAULT_SEED),
            distribution: given
                .distribution
                .or(scenario.distribution)
                .unwrap_or_default(),
            correlation: given
                .correlation
                .or(scenario.correlation)
                .unwrap_or(DEFAULT_CORRELATION),
            resources,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scenario::Distribution;

    #[test]
    fn given_settings_win_over_the_scenario_and_the_scenario_over_defaults() {
        let given = SimulationSettings {
            seed: Some(5),
            ..SimulationSettings::default()
        };
        let scenario = SimulationSettings {
            seed: Some(9),
            iterations: Some(300),
            distribution: Some(Distribution::Triangular),
            correlation: None,
        };
        let c = SimConfig::layered(&given, &scenario, true);
        assert_eq!((c.seed, c.iterations), (5, 300));
        assert_eq!(c.distribution, Distribution::Triangular);
        assert_eq!(c.correlation, DEFAULT_CORRELATION);
        let d = SimConfig::layered(&SimulationSettings::default(), &given, false);
        assert_eq!(
            (d.iterations, d.seed, d.resources),
            (DEFAULT_ITERATIONS, 5, false)
        );
    }
}
