//! Milestone finish histograms for the report's S-curves and histograms.
//!
//! [`plan::simulate::simulate`] returns percentiles, chances and drivers, not the distribution
//! a curve needs. This replays the same iterations with the simulation's public building
//! blocks, as `simulate` sets them up with resources: the same deterministic schedule search
//! (its activity list and crews), the same duration model and sampling plan, and iteration
//! `i` drawn from `(seed, i)` alone. So the histogram is that of the forecast's own
//! iterations; a test checks that its percentiles equal the forecast's.

use super::CliError;
use plan::graph::{NodeKind, ProgramGraph};
use plan::model::{Model, Scenario};
use plan::simulate::distribution::SamplerFactory;
use plan::simulate::engine::{Profile, ResourceNet};
use plan::simulate::sample::{DurationModel, SamplePlan};
use plan::simulate::{FixedListPlan, SimConfig, SimError};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// Iterations per parallel task.
const CHUNK: u64 = 512;

/// Iterations per finish day of one milestone: (working day, count), ascending.
pub type Histogram = Vec<(f64, u64)>;

/// Everything an iteration needs, built once per scenario.
struct Setup {
    net: ResourceNet,
    durations: DurationModel,
    plan: SamplePlan,
    milestone_nodes: Vec<usize>,
    nodes: usize,
}

/// One histogram per milestone (model order) over `config.iterations` resource-constrained
/// iterations. Runs on the current rayon pool; `cancel` stops it between chunks.
pub fn milestone_histograms(
    model: &Model,
    scenario: &Scenario,
    config: &SimConfig,
    cancel: &AtomicBool,
) -> Result<Vec<Histogram>, CliError> {
    let setup = setup(model, scenario, config)?;
    let chunks: Vec<(u64, u64)> = (0..config.iterations)
        .step_by(CHUNK as usize)
        .map(|s| (s, (s + CHUNK).min(config.iterations)))
        .collect();
    let counts = chunks
        .par_iter()
        .map(|&(from, to)| {
            if cancel.load(Ordering::Relaxed) {
                Vec::new() // dropped below: the run reports the interrupt instead
            } else {
                run_chunk(&setup, config.seed, from, to)
            }
        })
        .reduce(
            || vec![BTreeMap::new(); setup.milestone_nodes.len()],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    for (day, n) in y {
                        *x.entry(day).or_insert(0) += n;
                    }
                }
                a
            },
        );
    if cancel.load(Ordering::Relaxed) {
        return Err(CliError::Interrupted);
    }
    Ok(counts
        .into_iter()
        .map(|c| c.into_iter().map(|(d, n)| (f64::from(d), n)).collect())
        .collect())
}

/// The network, durations and sampling plan, as `simulate` builds them with resources.
fn setup(model: &Model, scenario: &Scenario, config: &SimConfig) -> Result<Setup, CliError> {
    let graph = ProgramGraph::from_model(model).map_err(|d| CliError::Input(d.into()))?;
    let nodes = graph.ids.len();
    let fixed = FixedListPlan::new(model, scenario, nodes).map_err(|e| match e {
        SimError::Input(d) => CliError::Input(d),
        SimError::Search(failure) => failure.into(),
        other => CliError::Invalid(other.to_string()),
    })?;
    let mut factory = SamplerFactory;
    let durations = DurationModel::new(model, &graph, config.distribution, &mut factory, |n, r| {
        fixed.crews[n][r]
    });
    let plan = SamplePlan::new(
        model,
        &graph,
        &durations,
        config.distribution,
        config.correlation,
        &mut factory,
    );
    let milestone_nodes = (0..nodes)
        .filter(|&n| matches!(graph.kinds[n], NodeKind::Milestone(_)))
        .collect();
    Ok(Setup {
        net: fixed.net,
        durations,
        plan,
        milestone_nodes,
        nodes,
    })
}

/// Finish counts per milestone of iterations `from..to`.
fn run_chunk(s: &Setup, seed: u64, from: u64, to: u64) -> Vec<BTreeMap<u32, u64>> {
    let n = s.nodes;
    let base: Vec<f64> = (0..n).map(|j| s.durations.duration(j, 0.5)).collect();
    let mut draws = s.plan.buffers(n);
    let mut factors = Vec::new();
    let mut duration = base.clone();
    let mut whole = vec![0u32; n];
    let mut start = vec![0u32; n];
    let mut profile = Profile::default();
    let mut counts = vec![BTreeMap::new(); s.milestone_nodes.len()];
    for i in from..to {
        s.plan.draw(seed, i, &mut draws, &mut factors);
        duration.copy_from_slice(&base);
        for (&node, &u) in s.plan.random_nodes.iter().zip(&draws.u) {
            duration[node] = s.durations.duration(node, u);
        }
        if draws.happened.iter().any(|&h| h) {
            for (d, &extra) in duration.iter_mut().zip(&draws.delay) {
                *d += extra;
            }
        }
        for (w, &d) in whole.iter_mut().zip(&duration) {
            // Whole working days, as the simulation rounds them for the schedule.
            *w = (d - 1e-9).ceil().max(0.0) as u32;
        }
        s.net.run(&whole, &mut profile, &mut start);
        for (k, &node) in s.milestone_nodes.iter().enumerate() {
            *counts[k].entry(start[node] + whole[node]).or_insert(0) += 1;
        }
    }
    counts
}

/// The nearest-rank percentile `p` of a histogram (the simulation's definition).
#[cfg(test)]
fn percentile(h: &[(f64, u64)], p: f64) -> f64 {
    let total: u64 = h.iter().map(|b| b.1).sum();
    let rank = ((p * total as f64 - 1e-9).ceil() as u64).clamp(1, total.max(1));
    let mut seen = 0;
    for &(day, count) in h {
        seen += count;
        if seen >= rank {
            return day;
        }
    }
    h.last().map_or(0.0, |b| b.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plan::model::{builtin_model, load_scenario};
    use plan::simulate::simulate;
    use std::path::Path;

    /// The replay must be the forecast's own iterations: same percentiles and chances. If the
    /// simulation changes how it sets up an iteration, this fails and the replay must follow.
    #[test]
    fn the_histograms_are_those_of_the_forecast() {
        let model = builtin_model();
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/seed-high.toml");
        let scenario = load_scenario(&path, &model).unwrap();
        let config = SimConfig {
            iterations: 300,
            seed: 7,
            distribution: Default::default(),
            correlation: 0.3,
            resources: true,
        };
        let result = simulate(
            &model,
            &scenario,
            &config,
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
        let hists =
            milestone_histograms(&model, &scenario, &config, &AtomicBool::new(false)).unwrap();
        assert_eq!(hists.len(), result.milestones.len());
        for (h, m) in hists.iter().zip(&result.milestones) {
            assert_eq!(h.iter().map(|b| b.1).sum::<u64>(), 300);
            assert_eq!(percentile(h, 0.5), m.summary.p50, "{} P50", m.id);
            assert_eq!(percentile(h, 0.8), m.summary.p80, "{} P80", m.id);
            assert_eq!(percentile(h, 0.95), m.summary.p95, "{} P95", m.id);
        }
    }
}
