//! One iteration's random draws: a uniform per uncertain task (correlated within a phase through
//! a Gaussian copula when asked), and which risks happen with their delays. Durations follow
//! from the draws by a [`DurationModel`], which knows whether people are modelled or not.
//!
//! Iteration `i`'s generator is seeded from `(seed, i)` alone, so a draw never depends on which
//! thread made it or on what was drawn before.

use super::distribution::{normal_cdf, Sampler, SamplerFactory};
use crate::graph::{NodeKind, ProgramGraph};
use crate::model::scenario::Distribution;
use crate::model::{Model, Work};
use rand::{Rng, RngCore, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;
use std::collections::HashMap;

/// The generator of iteration `i` of a run seeded with `seed`.
pub fn iteration_rng(seed: u64, i: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(splitmix(splitmix(seed) ^ i))
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform in the open interval (0, 1), so quantile functions never see 0 or 1.
#[inline]
pub fn open_uniform(rng: &mut impl RngCore) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// One part of a node's work: `sampler(u) * scale` working days (scale = remaining fraction,
/// divided by the crew for effort).
#[derive(Debug, Clone)]
struct Part {
    sampler: Sampler,
    scale: f64,
}

/// How each node's duration follows from its draw, for one choice of crews.
#[derive(Debug, Clone)]
pub struct DurationModel {
    /// Parts of all nodes, node after node; the longest part of a node sets its duration.
    parts: Vec<Part>,
    /// Node `n`'s parts are `parts[start[n]..start[n + 1]]` (none = zero duration).
    start: Vec<u32>,
}

impl DurationModel {
    /// The node's duration in working days for draw `u`, before risk delays.
    #[inline]
    pub fn duration(&self, node: usize, u: f64) -> f64 {
        let parts = &self.parts[self.start[node] as usize..self.start[node + 1] as usize];
        match parts {
            [only] => only.sampler.quantile(u) * only.scale,
            _ => parts
                .iter()
                .map(|p| p.sampler.quantile(u) * p.scale)
                .fold(0.0, f64::max),
        }
    }

    /// Builds the duration of every node: fixed tasks take their sampled duration times the
    /// work left; effort-driven tasks take, over their roles, the longest sampled effort times
    /// the work left divided by `crew(node, role)` persons (full persons: a part-timer at half
    /// availability is 0.5).
    pub fn new(
        model: &Model,
        graph: &ProgramGraph,
        distribution: Distribution,
        factory: &mut SamplerFactory,
        crew: impl Fn(usize, usize) -> f64,
    ) -> DurationModel {
        let per_node: Vec<Vec<Part>> = graph
            .kinds
            .iter()
            .enumerate()
            .map(|(node, kind)| {
                let NodeKind::Task(t) = *kind else {
                    return Vec::new();
                };
                let task = &model.tasks[t];
                let left = 1.0 - task.done;
                if left <= 0.0 {
                    return Vec::new();
                }
                match &task.work {
                    Work::Fixed { duration, .. } => vec![Part {
                        sampler: factory.sampler(duration, distribution),
                        scale: left,
                    }],
                    Work::Effort(efforts) => efforts
                        .iter()
                        .map(|e| Part {
                            sampler: factory.sampler(&e.effort, distribution),
                            scale: left
                                / Some(crew(node, e.role)).filter(|&c| c > 0.0).unwrap_or(1.0),
                        })
                        .collect(),
                }
            })
            .collect();
        let mut start = vec![0u32];
        let mut parts = Vec::new();
        for node_parts in per_node {
            parts.extend(node_parts);
            start.push(parts.len() as u32);
        }
        DurationModel { parts, start }
    }

    /// The parts of `node`: (sampler, scale); its duration is the largest
    /// `sampler.quantile(u) * scale` (0 without parts).
    pub fn parts(&self, node: usize) -> impl Iterator<Item = (&Sampler, f64)> {
        self.parts[self.start[node] as usize..self.start[node + 1] as usize]
            .iter()
            .map(|p| (&p.sampler, p.scale))
    }

    /// True when node's duration varies between iterations.
    pub fn is_random(&self, node: usize) -> bool {
        self.parts[self.start[node] as usize..self.start[node + 1] as usize]
            .iter()
            .any(|p| p.sampler.is_random())
    }
}

/// A risk ready to sample.
#[derive(Debug, Clone)]
struct RiskPlan {
    probability: f64,
    delay: Sampler,
    /// Nodes with work left that the risk delays.
    nodes: Vec<usize>,
}

/// Everything random about the program, fixed for a run.
#[derive(Debug, Clone)]
pub struct SamplePlan {
    /// Nodes whose duration varies, in node order; draws are made for these only.
    pub random_nodes: Vec<usize>,
    /// Phase group of each random node (index into the phase factors), if any.
    groups: Vec<Option<usize>>,
    phases: usize,
    correlation: f64,
    risks: Vec<RiskPlan>,
}

/// One iteration's draws.
#[derive(Debug, Clone)]
pub struct Draws {
    /// Uniform per random node (indexed like [`SamplePlan::random_nodes`]).
    pub u: Vec<f64>,
    /// Working days added to each node by risks that happened.
    pub delay: Vec<f64>,
    /// Whether each risk happened.
    pub happened: Vec<bool>,
}

impl SamplePlan {
    /// The plan for `model`: which nodes vary (by `durations`), their phases, and the risks.
    pub fn new(
        model: &Model,
        graph: &ProgramGraph,
        durations: &DurationModel,
        distribution: Distribution,
        correlation: f64,
        factory: &mut SamplerFactory,
    ) -> SamplePlan {
        let random_nodes: Vec<usize> = (0..graph.ids.len())
            .filter(|&n| durations.is_random(n))
            .collect();
        let phase_index: HashMap<&str, usize> = model
            .phases
            .iter()
            .enumerate()
            .map(|(i, ph)| (ph.id.as_str(), i))
            .collect();
        let groups = random_nodes
            .iter()
            .map(|&n| match graph.kinds[n] {
                NodeKind::Task(t) => model.tasks[t]
                    .phase
                    .as_ref()
                    .and_then(|p| phase_index.get(p.as_str()).copied()),
                NodeKind::Milestone(_) => None,
            })
            .collect();
        let risks = model
            .risks
            .iter()
            .map(|r| RiskPlan {
                probability: r.probability,
                delay: factory.sampler(&r.delay, distribution),
                nodes: r
                    .tasks
                    .iter()
                    .filter_map(|id| graph.node(id))
                    .filter(|&n| match graph.kinds[n] {
                        NodeKind::Task(t) => model.tasks[t].done < 1.0,
                        NodeKind::Milestone(_) => false,
                    })
                    .collect(),
            })
            .collect();
        SamplePlan {
            random_nodes,
            groups,
            phases: model.phases.len(),
            correlation,
            risks,
        }
    }

    /// Empty draw buffers for `nodes` graph nodes.
    pub fn buffers(&self, nodes: usize) -> Draws {
        Draws {
            u: vec![0.0; self.random_nodes.len()],
            delay: vec![0.0; nodes],
            happened: vec![false; self.risks.len()],
        }
    }

    /// Fills `d` with iteration `i`'s draws. Order of use of the stream: phase factors (only
    /// with correlation), one value per random node, then per risk whether it happens and, if
    /// so, its delay.
    pub fn draw(&self, seed: u64, i: u64, d: &mut Draws, factors: &mut Vec<f64>) {
        let mut rng = iteration_rng(seed, i);
        if self.correlation > 0.0 {
            let shared = self.correlation.sqrt();
            let own = (1.0 - self.correlation).sqrt();
            factors.clear();
            factors.extend((0..self.phases).map(|_| rng.sample::<f64, _>(StandardNormal)));
            for (u, group) in d.u.iter_mut().zip(&self.groups) {
                let e: f64 = rng.sample(StandardNormal);
                let z = match group {
                    Some(g) => shared * factors[*g] + own * e,
                    None => e,
                };
                // Keep u inside (0, 1) so quantile functions stay finite.
                *u = normal_cdf(z).clamp(1e-12, 1.0 - 1e-12);
            }
        } else {
            for u in d.u.iter_mut() {
                *u = open_uniform(&mut rng);
            }
        }
        d.delay.fill(0.0);
        let delay = &mut d.delay;
        self.draw_risks(&mut rng, &mut d.happened, |n, days| delay[n] += days);
    }

    /// Draws, from `rng`, whether each risk happens and, if so, its delay; `delay(node, days)`
    /// is told the days added to each of its nodes.
    #[inline]
    pub fn draw_risks(
        &self,
        rng: &mut impl RngCore,
        happened: &mut [bool],
        mut delay: impl FnMut(usize, f64),
    ) {
        for (risk, happened) in self.risks.iter().zip(happened.iter_mut()) {
            *happened = open_uniform(rng) < risk.probability;
            if *happened {
                let days = risk.delay.quantile(open_uniform(rng));
                for &n in &risk.nodes {
                    delay(n, days);
                }
            }
        }
    }

    /// True when draws come from the Gaussian copula (correlation above 0).
    pub fn correlated(&self) -> bool {
        self.correlation > 0.0
    }

    /// Number of risks.
    pub fn risk_count(&self) -> usize {
        self.risks.len()
    }
}
