//! Soundness of the capacity bound on many small random programs: the bound's earliest date
//! for a milestone is never later than the best schedule an exhaustive search finds, and every
//! certificate it prints adds up by plain arithmetic.

use plan::bounds::certificate::Kind;
use plan::bounds::{Bucket, CapacityBound};
use plan::graph::LinkType;
use plan::model::{parse_model, parse_scenario, EstimateChoice};
use plan::program::{self, ProgramProblem};
use plan::resources::units_on;
use plan::schedule::SearchConfig;
use std::path::Path;

use crate::common::Rng;

/// A random program of 3-5 tasks over roles `a` and `b`, all feeding milestone `M`.
fn random_case(seed: u64) -> (String, String) {
    random_program(seed, false)
}

/// [`random_case`], and with `linked` every link of a random type (FS, SS, FF, SF) with a lag
/// from a lead of 1 day to a lag of 1.
fn random_program(seed: u64, linked: bool) -> (String, String) {
    random_program_with(seed, linked, false)
}

/// [`random_program`], and with `constrained` some tasks held back by a `start_no_earlier` or
/// `finish_no_earlier` date in the first two weeks (2025-09-15 is a Monday).
fn random_program_with(seed: u64, linked: bool, constrained: bool) -> (String, String) {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let n = 3 + rng.below(3) as usize;
    let mut text =
        String::from("[project]\nname = \"r\"\nstart = 2025-09-15\n[roles.a]\n[roles.b]\n");
    let mut has_succ = vec![false; n];
    for i in 0..n {
        text += &format!("[[task]]\nid = \"T{i}\"\n");
        let preds: Vec<usize> = (0..i).filter(|_| rng.below(3) == 0).collect();
        if !preds.is_empty() {
            let list: Vec<String> = preds
                .iter()
                .map(|&p| {
                    has_succ[p] = true;
                    if linked {
                        let kind = ["FS", "SS", "FF", "SF"][rng.below(4) as usize];
                        let lag = rng.below(3) as i64 - 1;
                        format!("{{ id = \"T{p}\", type = \"{kind}\", lag = {lag} }}")
                    } else {
                        format!("{{ id = \"T{p}\", lag = {} }}", rng.below(2))
                    }
                })
                .collect();
            text += &format!("after = [{}]\n", list.join(", "));
        }
        if constrained && rng.below(2) == 0 {
            let key = ["start_no_earlier", "finish_no_earlier"][rng.below(2) as usize];
            text += &format!("{key} = 2025-09-{}\n", 15 + rng.below(14));
        }
        let role = if rng.below(2) == 0 { "a" } else { "b" };
        if rng.below(2) == 0 {
            text += &format!(
                "duration = {}\ndemand = {{ {role} = {} }}\n",
                1 + rng.below(4),
                1 + rng.below(2)
            );
        } else {
            text += &format!(
                "effort = {{ {role} = {} }}\ncrew = {{ {role} = [1, 2] }}\n",
                1 + rng.below(6)
            );
        }
    }
    let sinks: Vec<String> = (0..n)
        .filter(|&i| !has_succ[i])
        .map(|i| format!("\"T{i}\""))
        .collect();
    text += &format!(
        "[[milestone]]\nid = \"M\"\ndue = 2025-12-31\nafter = [{}]\n",
        sinks.join(", ")
    );
    let team = format!(
        "[team]\na = {}\nb = {}\n",
        2 + rng.below(2),
        2 + rng.below(2)
    );
    (text, team)
}

fn problem(model_text: &str, team: &str) -> (plan::model::Model, ProgramProblem) {
    let model = parse_model(model_text, Path::new("r.toml")).expect("valid model");
    let sc = parse_scenario(team, Path::new("s.toml"), &model).expect("valid scenario");
    let pp = program::build(&model, &sc, EstimateChoice::Likely).expect("staffable");
    (model, pp)
}

/// The earliest day the milestone node can be reached by any schedule: depth-first search over
/// every mode and start day of every activity, in topological order.
fn exhaustive_optimum(pp: &ProgramProblem, milestone: usize) -> u32 {
    let caps = |r: usize, day: u32| units_on(&pp.capacity[r], day);
    exhaustive_optimum_with(pp, milestone, caps)
}

/// [`exhaustive_optimum`] with `caps(role, day)` units of each role on each day.
fn exhaustive_optimum_with(
    pp: &ProgramProblem,
    milestone: usize,
    caps: impl Fn(usize, u32) -> u32,
) -> u32 {
    let acts = &pp.problem.activities[..pp.nodes];
    let order = &pp.graph.graph.order;
    // Room for every activity one after another at its slowest, plus capacity dips.
    let horizon: u32 = acts
        .iter()
        .map(|a| a.modes.iter().map(|m| m.duration).max().unwrap_or(0) + 1)
        .sum::<u32>()
        + 12;
    let caps: Vec<Vec<u32>> = (0..pp.capacity.len())
        .map(|r| (0..horizon + 8).map(|d| caps(r, d)).collect())
        .collect();
    let mut used = vec![vec![0u32; horizon as usize + 8]; caps.len()];
    let mut finish = vec![0u32; acts.len()];
    let mut start = vec![0u32; acts.len()];
    let mut best = u32::MAX;
    /// Each link type written out: the earliest start the links into `a` allow it with a
    /// mode of `own` days.
    fn ready(a: &plan::schedule::Activity, start: &[u32], finish: &[u32], own: u32) -> u32 {
        let links = a
            .preds
            .iter()
            .map(|p| {
                let (s, f, lag, own) = (
                    i64::from(start[p.pred]),
                    i64::from(finish[p.pred]),
                    i64::from(p.lag),
                    i64::from(own),
                );
                let at = match p.kind {
                    LinkType::FS => f + lag,
                    LinkType::SS => s + lag,
                    LinkType::FF => f + lag - own,
                    LinkType::SF => s + lag - own,
                };
                at.max(0) as u32
            })
            .max()
            .unwrap_or(0);
        links.max(a.release)
    }
    #[allow(clippy::too_many_arguments)]
    fn dfs(
        k: usize,
        order: &[usize],
        acts: &[plan::schedule::Activity],
        caps: &[Vec<u32>],
        used: &mut Vec<Vec<u32>>,
        (start, finish): (&mut Vec<u32>, &mut Vec<u32>),
        best: &mut u32,
        horizon: u32,
        milestone: usize,
    ) {
        if k == order.len() {
            *best = (*best).min(finish[milestone]);
            return;
        }
        let j = order[k];
        if j == milestone {
            let at = ready(&acts[j], start, finish, 0);
            start[j] = at;
            finish[j] = at;
            if at < *best {
                dfs(
                    k + 1,
                    order,
                    acts,
                    caps,
                    used,
                    (start, finish),
                    best,
                    horizon,
                    milestone,
                );
            }
            return;
        }
        for mode in &acts[j].modes {
            for s in ready(&acts[j], start, finish, mode.duration)..horizon {
                if s + mode.duration >= *best {
                    break;
                }
                let fits = (s..s + mode.duration).all(|d| {
                    mode.demand
                        .iter()
                        .enumerate()
                        .all(|(r, &q)| used[r][d as usize] + q <= caps[r][d as usize])
                });
                if !fits {
                    continue;
                }
                for d in s..s + mode.duration {
                    for (r, &q) in mode.demand.iter().enumerate() {
                        used[r][d as usize] += q;
                    }
                }
                start[j] = s;
                finish[j] = s + mode.duration;
                dfs(
                    k + 1,
                    order,
                    acts,
                    caps,
                    used,
                    (&mut *start, &mut *finish),
                    best,
                    horizon,
                    milestone,
                );
                for d in s..s + mode.duration {
                    for (r, &q) in mode.demand.iter().enumerate() {
                        used[r][d as usize] -= q;
                    }
                }
            }
        }
    }
    dfs(
        0,
        order,
        acts,
        &caps,
        &mut used,
        (&mut start, &mut finish),
        &mut best,
        horizon,
        milestone,
    );
    best
}

/// The date of working day `day` from Monday 15 September 2025 on a Monday-Friday calendar.
fn workday_date(day: u64) -> jiff::civil::Date {
    jiff::civil::date(2025, 9, 15)
        .checked_add(jiff::Span::new().days((day / 5 * 7 + day % 5) as i64))
        .unwrap()
}

/// A random team for [`random_case`]'s roles with part-timers, an absence and a part-timer
/// who leaves, and its capacity per role and working day written out plainly from the same
/// numbers (`caps(role, day)`), without `plan`'s reading of the scenario.
fn random_part_time_team(seed: u64) -> (String, impl Fn(usize, u32) -> u32) {
    let mut rng = Rng(seed.wrapping_mul(0xD1B5_4A32_D192_ED03) | 1);
    let full = [2 + rng.below(2), 2 + rng.below(2)];
    let part_a = [50, 60, 30][rng.below(3) as usize];
    let part_b = [50, 80][rng.below(2) as usize];
    let part_b_until = 2 + rng.below(8);
    let away_from = rng.below(8);
    let away_days = 1 + rng.below(5);
    let away = 1 + rng.below(2);
    let team = format!(
        "[team]\na = {}\nb = {}\n\
         [[part_time]]\nrole = \"a\"\navailability = {}\n\
         [[part_time]]\nrole = \"b\"\navailability = {}\nuntil = {}\n\
         [[absence]]\nrole = \"b\"\ncount = {away}\nfrom = {}\nuntil = {}\n",
        full[0],
        full[1],
        part_a as f64 / 100.0,
        part_b as f64 / 100.0,
        workday_date(part_b_until),
        workday_date(away_from),
        workday_date(away_from + away_days - 1),
    );
    let caps = move |r: usize, day: u32| {
        let day = u64::from(day);
        let units = if r == 0 {
            full[0] * 100 + part_a
        } else {
            let part = if day <= part_b_until { part_b } else { 0 };
            let gone = (away_from..away_from + away_days).contains(&day);
            full[1] * 100 + part - if gone { away * 100 } else { 0 }
        };
        units as u32
    };
    (team, caps)
}

/// With part-timers (effort-driven work goes at the crew's availability), a part-timer who
/// leaves and an absence: the bound never proves impossible a date that an exhaustive search
/// over the team's capacity, written out from the scenario's numbers, meets.
#[test]
fn the_bound_never_claims_a_date_that_a_part_time_team_with_absences_meets() {
    let (mut proofs, mut slower) = (0, 0);
    for seed in 0..200 {
        let (text, _) = random_case(seed);
        let (team, caps) = random_part_time_team(seed);
        let (model, pp) = problem(&text, &team);
        for r in 0..2 {
            for day in 0..40 {
                assert_eq!(
                    units_on(&pp.capacity[r], day),
                    caps(r, day),
                    "seed {seed}\n{team}"
                );
            }
        }
        // Some effort-driven task has a mode at a part-timer's pace.
        slower += usize::from(pp.problem.activities.iter().any(|a| {
            a.modes
                .iter()
                .any(|m| m.demand.iter().any(|&q| q % 100 != 0))
        }));
        let node = pp.graph.node("M").unwrap();
        let optimum = exhaustive_optimum_with(&pp, node, &caps);
        let config = SearchConfig {
            schedules: 50,
            seed,
            ..SearchConfig::default()
        };
        let found = pp.search(&config, &[]).unwrap().schedule;
        assert!(
            found.starts[node] >= optimum,
            "seed {seed}: the search beats the exhaustive optimum"
        );
        for r in 0..2 {
            for day in 0..found.starts[node] {
                let load: u32 = (0..pp.nodes)
                    .filter(|&j| {
                        found.starts[j] <= day && day < found.finish(&pp.problem, j).unwrap()
                    })
                    .map(|j| pp.problem.activities[j].modes[found.modes[j]].demand[r])
                    .sum();
                assert!(
                    load <= caps(r, day),
                    "seed {seed}: role {r} overloaded on day {day}"
                );
            }
        }
        proofs += assert_sound_below(&model, &pp, optimum, &format!("seed {seed}\n{text}{team}"));
    }
    assert!(
        proofs > 50,
        "the random cases exercise the bound ({proofs} proofs)"
    );
    assert!(
        slower > 50,
        "and modes at part-timers' pace ({slower} programs)"
    );
}

/// The same with SS, FF and SF links and leads: the bound keeps only the finish-to-start
/// links, so it may be weaker, but it never proves impossible what a schedule meets.
#[test]
fn the_bound_never_claims_a_date_that_a_schedule_meets_with_every_link_type() {
    let mut proofs = 0;
    for seed in 0..300 {
        let (text, team) = random_program(seed, true);
        let (model, pp) = problem(&text, &team);
        let node = pp.graph.node("M").unwrap();
        let optimum = exhaustive_optimum(&pp, node);
        proofs += assert_sound_below(&model, &pp, optimum, &format!("seed {seed}\n{text}{team}"));
    }
    assert!(
        proofs > 50,
        "the random cases exercise the bound ({proofs} proofs)"
    );
}

#[test]
fn the_bound_never_claims_a_date_that_a_schedule_meets() {
    let mut proofs = 0;
    let mut certificates = 0;
    let mut capacity_proofs = 0;
    for seed in 0..300 {
        let (text, team) = random_case(seed);
        let (model, pp) = problem(&text, &team);
        let node = pp.graph.node("M").unwrap();
        let optimum = exhaustive_optimum(&pp, node);
        for bucket in [Bucket::Day, Bucket::Week] {
            let bound = CapacityBound::new(&model, &pp, &pp.capacity, bucket);
            let earliest = bound.earliest(0, None).unwrap().unwrap();
            assert!(
                earliest <= optimum,
                "seed {seed} {bucket:?}: bound {earliest} > optimum {optimum}\n{text}{team}"
            );
            // Every deadline before the bound date is proven impossible; check each proof.
            for d in 0..earliest {
                proofs += 1;
                assert!(d < optimum, "seed {seed}: a schedule meets day {d}");
                if let Some(c) = bound.certificate(0, d) {
                    certificates += 1;
                    capacity_proofs += usize::from(c.kind == Kind::Capacity);
                    assert!(c.recheck(&bound), "seed {seed} day {d}: {c:?}");
                    check_arithmetic(&pp, &c, d);
                }
            }
        }
    }
    assert!(
        proofs > 100,
        "the random cases exercise the bound ({proofs} proofs)"
    );
    assert!(certificates > 50, "and its certificates ({certificates})");
    assert!(
        capacity_proofs > 20,
        "including capacity ones ({capacity_proofs} of {certificates})"
    );
    eprintln!("{proofs} proofs, {certificates} certificates, {capacity_proofs} capacity");
}

/// With a day and a week bucket: the bound's earliest day for the first milestone is no later
/// than `optimum` (a day some schedule reaches), and every certificate for a day before it
/// rechecks and adds up. Returns how many days the bound ruled out.
fn assert_sound_below(
    model: &plan::model::Model,
    pp: &ProgramProblem,
    optimum: u32,
    case: &str,
) -> usize {
    let mut proofs = 0;
    for bucket in [Bucket::Day, Bucket::Week] {
        let bound = CapacityBound::new(model, pp, &pp.capacity, bucket);
        let earliest = bound.earliest(0, None).unwrap().unwrap();
        assert!(
            earliest <= optimum,
            "{bucket:?}: bound {earliest} > optimum {optimum}\n{case}"
        );
        for d in 0..earliest {
            proofs += 1;
            if let Some(c) = bound.certificate(0, d) {
                assert!(c.recheck(&bound), "day {d}: {c:?}\n{case}");
                check_arithmetic(pp, &c, d);
            }
        }
    }
    proofs
}

/// The certificate's numbers, recomputed from the scheduling problem without the bound.
fn check_arithmetic(pp: &ProgramProblem, c: &plan::bounds::Certificate, d: u32) {
    match c.kind {
        Kind::Capacity => {
            let r = c.role.unwrap();
            let sum: f64 = c.tasks.iter().map(|t| t.1).sum();
            assert!((sum - c.required).abs() < 1e-6);
            let supply: u32 = (c.start..c.end)
                .map(|day| units_on(&pp.capacity[r], day))
                .sum();
            assert!((f64::from(supply) / 100.0 - c.available).abs() < 1e-6);
            assert!(c.required > c.available);
            assert!(c.end <= d, "the window ends by the deadline");
            for &(j, part) in &c.tasks {
                let least_work = pp.problem.activities[j]
                    .modes
                    .iter()
                    .map(|m| f64::from(m.duration * m.demand[r]) / 100.0)
                    .fold(f64::INFINITY, f64::min);
                assert!(part > 0.0 && part <= least_work + 1e-9);
            }
        }
        Kind::CriticalPath => {
            assert!(c.required > f64::from(d));
            assert_eq!(c.available, f64::from(d));
        }
    }
}

/// The whole-team check (windows tightened by the energy of the work before and after each
/// task, every role's team at once) never refutes a date that an exhaustive search meets
/// with that team, and it refutes dates the per-role bound allows.
#[test]
fn the_team_check_never_refutes_a_date_that_a_schedule_of_that_team_meets() {
    let (mut refuted, mut tighter) = (0, 0);
    for seed in 0..150 {
        let (text, _) = random_program(seed, seed % 2 == 1);
        for (a, b) in [(1, 1), (1, 2), (2, 1), (2, 3), (3, 2)] {
            let team = format!("[team]\na = {a}\nb = {b}\n");
            let model = parse_model(&text, Path::new("r.toml")).expect("valid model");
            let sc = parse_scenario(&team, Path::new("s.toml"), &model).expect("valid scenario");
            let Ok(pp) = program::build(&model, &sc, EstimateChoice::Likely) else {
                continue; // a crew of 2 with a team of 1: no schedule at all
            };
            let node = pp.graph.node("M").unwrap();
            let optimum = exhaustive_optimum(&pp, node);
            for bucket in [Bucket::Day, Bucket::Week] {
                let bound = CapacityBound::new(&model, &pp, &pp.capacity, bucket);
                let at_optimum = plan::bounds::team::refute(&bound, &[(node, optimum)]).unwrap();
                assert!(
                    at_optimum.is_none(),
                    "seed {seed} team {a}/{b} {bucket:?}: refutes day {optimum}, which a schedule meets: {at_optimum:?}\n{text}"
                );
                for d in 0..optimum {
                    let why = plan::bounds::team::refute(&bound, &[(node, d)]).unwrap();
                    refuted += usize::from(why.is_some());
                    tighter += usize::from(why.is_some() && bound.feasible(&[(node, d)]).unwrap());
                }
            }
        }
    }
    assert!(refuted > 200, "the team check refutes dates ({refuted})");
    assert!(
        tighter > 0,
        "and some the per-role bound allows ({tighter} of {refuted})"
    );
    eprintln!("{refuted} refutations, {tighter} beyond the per-role bound");
}

/// With date constraints from below: the bound starts each task at its release, and still never
/// proves impossible what a schedule meets.
#[test]
fn the_bound_never_claims_a_date_that_a_schedule_meets_with_date_constraints() {
    let mut released = 0;
    for seed in 0..300 {
        let (text, team) = random_program_with(seed, seed % 2 == 0, true);
        let (model, pp) = problem(&text, &team);
        released += pp
            .problem
            .activities
            .iter()
            .filter(|a| a.release > 0)
            .count();
        let node = pp.graph.node("M").unwrap();
        let optimum = exhaustive_optimum(&pp, node);
        assert_sound_below(&model, &pp, optimum, &format!("seed {seed}\n{text}{team}"));
    }
    assert!(
        released > 100,
        "the constraints hold tasks back ({released})"
    );
}

/// A larger random program than the exhaustive search can take (6 to 11 tasks, three roles,
/// effort-driven tasks with crews of 1 to 3, finish-to-start links with lags of 0 to 2).
fn larger_program(seed: u64) -> String {
    let mut rng = Rng(seed.wrapping_mul(0xD134_2543_DE82_EF95) | 1);
    let n = 6 + rng.below(6) as usize;
    let mut text = String::from(
        "[project]\nname = \"r\"\nstart = 2025-09-15\n[roles.a]\n[roles.b]\n[roles.c]\n",
    );
    for i in 0..n {
        text += &format!("[[task]]\nid = \"T{i}\"\n");
        let mut preds = Vec::new();
        for p in 0..i {
            if rng.below(4) == 0 {
                preds.push(format!("{{ id = \"T{p}\", lag = {} }}", rng.below(3)));
            }
        }
        if !preds.is_empty() {
            text += &format!("after = [{}]\n", preds.join(", "));
        }
        let role = ["a", "b", "c"][rng.below(3) as usize];
        if rng.below(3) == 0 {
            text += &format!(
                "duration = {}\ndemand = {{ {role} = {} }}\n",
                1 + rng.below(5),
                1 + rng.below(2)
            );
        } else {
            text += &format!(
                "effort = {{ {role} = {} }}\ncrew = {{ {role} = [1, {}] }}\n",
                2 + rng.below(9),
                1 + rng.below(3)
            );
        }
    }
    let all: Vec<String> = (0..n).map(|i| format!("\"T{i}\"")).collect();
    text + &format!(
        "[[milestone]]\nid = \"M\"\ndue = 2025-12-31\nafter = [{}]\n",
        all.join(", ")
    )
}

/// One larger random program with one of its teams, and the day the search's checked
/// schedule reaches its milestone `M`.
struct Searched {
    seed: u64,
    team: String,
    text: String,
    model: plan::model::Model,
    pp: ProgramProblem,
    node: usize,
    reached: u32,
}

/// Every larger random program (seeds 0 to 59) with each of three teams of roles a, b and c
/// that can staff its crews, searched with 300 schedules.
fn each_searched_larger_program(mut visit: impl FnMut(&Searched)) {
    for seed in 0..60 {
        let text = larger_program(seed);
        for team in ["1, 1, 1", "2, 1, 3", "3, 3, 2"] {
            let n: Vec<&str> = team.split(", ").collect();
            let team = format!("[team]\na = {}\nb = {}\nc = {}\n", n[0], n[1], n[2]);
            let model = parse_model(&text, Path::new("r.toml")).expect("valid model");
            let sc = parse_scenario(&team, Path::new("s.toml"), &model).expect("valid scenario");
            let Ok(pp) = program::build(&model, &sc, EstimateChoice::Likely) else {
                continue; // a crew the team cannot staff
            };
            let node = pp.graph.node("M").unwrap();
            let config = SearchConfig {
                schedules: 300,
                ..SearchConfig::default()
            };
            let found = pp.search(&config, &[]).expect("a checked schedule");
            let reached = found.schedule.starts[node];
            visit(&Searched {
                seed,
                team,
                text: text.clone(),
                model,
                pp,
                node,
                reached,
            });
        }
    }
}

/// The proofs held against the schedules the search finds, on programs too large for the
/// exhaustive search: the whole-team check (with the fixed-crew energy windows) never refutes
/// the day a checked schedule of that team reaches the milestone, with day or week buckets,
/// and it refutes earlier days, some by the fixed-crew windows alone.
#[test]
fn no_team_proven_impossible_gets_a_schedule_that_meets_the_date() {
    let (mut refuted, mut by_fixed_crews) = (0, 0);
    each_searched_larger_program(|run| {
        let Searched {
            seed,
            team,
            text,
            model,
            pp,
            node,
            reached,
        } = run;
        let (node, reached) = (*node, *reached);
        for bucket in [Bucket::Day, Bucket::Week] {
            let bound = CapacityBound::new(model, pp, &pp.capacity, bucket);
            let why = plan::bounds::team::refute(&bound, &[(node, reached)]).unwrap();
            assert!(
                    why.is_none(),
                    "seed {seed} {team:?} {bucket:?}: day {reached} is met by a checked schedule, yet refuted: {why:?}\n{text}"
                );
            for d in 0..reached {
                let Some(why) = plan::bounds::team::refute(&bound, &[(node, d)]).unwrap() else {
                    continue;
                };
                refuted += 1;
                by_fixed_crews +=
                    usize::from(matches!(why, plan::bounds::team::Refutation::FixedCrew(_)));
            }
        }
    });
    assert!(refuted > 500, "the team check refutes days ({refuted})");
    assert!(
        by_fixed_crews > 0,
        "the fixed-crew windows refute days the other checks allow ({by_fixed_crews} of {refuted})"
    );
    eprintln!("{refuted} refutations, {by_fixed_crews} by fixed-crew windows alone");
}

/// Every role's team, for the time-indexed check: all three roles of [`larger_program`].
const ROLES: [usize; 3] = [0, 1, 2];

/// The time-indexed relaxation ([`plan::bounds::time_indexed`]) held against exhaustive
/// optima: with every role's relaxation asked, the whole-team check never refutes the best
/// day any schedule of that team reaches, and it refutes days the cheaper checks allow.
#[test]
fn the_time_indexed_check_never_refutes_a_date_that_a_schedule_of_that_team_meets() {
    let (mut refuted, mut deeper) = (0, 0);
    for seed in 0..150 {
        let (text, _) = random_program(seed, seed % 2 == 1);
        for (a, b) in [(1, 1), (1, 2), (2, 1), (2, 3), (3, 2)] {
            let team = format!("[team]\na = {a}\nb = {b}\n");
            let model = parse_model(&text, Path::new("r.toml")).expect("valid model");
            let sc = parse_scenario(&team, Path::new("s.toml"), &model).expect("valid scenario");
            let Ok(pp) = program::build(&model, &sc, EstimateChoice::Likely) else {
                continue;
            };
            let node = pp.graph.node("M").unwrap();
            let optimum = exhaustive_optimum(&pp, node);
            let bound = CapacityBound::new(&model, &pp, &pp.capacity, Bucket::Day);
            let at = plan::bounds::team::refute_deep(&bound, &[(node, optimum)], &ROLES[..2]);
            assert!(
                at.unwrap().is_none(),
                "seed {seed} team {a}/{b}: the time-indexed check refutes day {optimum}, which a schedule meets\n{text}"
            );
            for d in 0..optimum {
                let deep = plan::bounds::team::refute_deep(&bound, &[(node, d)], &ROLES[..2]);
                let Some(why) = deep.unwrap() else { continue };
                refuted += 1;
                deeper += usize::from(matches!(
                    why,
                    plan::bounds::team::Refutation::TimeIndexed { .. }
                ));
            }
        }
    }
    assert!(refuted > 200, "the deep check refutes dates ({refuted})");
    assert!(
        deeper > 0,
        "the time-indexed relaxation refutes dates the other checks allow ({deeper} of {refuted})"
    );
    eprintln!("{refuted} refutations, {deeper} by the time-indexed relaxation alone");
}

/// The same against the schedules the search finds on the larger random programs: the day a
/// checked schedule reaches is never refuted by the time-indexed relaxation of any role.
#[test]
fn the_time_indexed_check_never_refutes_a_day_a_searched_schedule_reaches() {
    let (mut refuted, mut deeper) = (0, 0);
    each_searched_larger_program(|run| {
        let Searched {
            seed,
            team,
            text,
            model,
            pp,
            node,
            reached,
        } = run;
        let (node, reached) = (*node, *reached);
        let bound = CapacityBound::new(model, pp, &pp.capacity, Bucket::Day);
        let why = plan::bounds::team::refute_deep(&bound, &[(node, reached)], &ROLES).unwrap();
        assert!(
                why.is_none(),
                "seed {seed} {team:?}: day {reached} is met by a checked schedule, yet refuted: {why:?}\n{text}"
            );
        for d in reached.saturating_sub(8)..reached {
            let deep = plan::bounds::team::refute_deep(&bound, &[(node, d)], &ROLES);
            let Some(why) = deep.unwrap() else { continue };
            refuted += 1;
            deeper += usize::from(matches!(
                why,
                plan::bounds::team::Refutation::TimeIndexed { .. }
            ));
        }
    });
    assert!(refuted > 100, "the deep check refutes days ({refuted})");
    assert!(
        deeper > 0,
        "the time-indexed relaxation refutes days the other checks allow ({deeper} of {refuted})"
    );
    eprintln!("{refuted} refutations, {deeper} by the time-indexed relaxation alone");
}

/// Shaving ([`plan::bounds::shave`]) held against exhaustive optima: the windows narrowed by
/// refuting early starts and late finishes never refute the best day a schedule of that team
/// reaches, and they refute days the whole-team check allows.
#[test]
fn shaving_never_refutes_a_date_that_a_schedule_of_that_team_meets() {
    let (mut refuted, mut shaved) = (0, 0);
    for seed in 0..150 {
        let (text, _) = random_program(seed, seed % 2 == 1);
        for (a, b) in [(1, 1), (1, 2), (2, 1), (2, 3), (3, 2)] {
            let team = format!("[team]\na = {a}\nb = {b}\n");
            let model = parse_model(&text, Path::new("r.toml")).expect("valid model");
            let sc = parse_scenario(&team, Path::new("s.toml"), &model).expect("valid scenario");
            let Ok(pp) = program::build(&model, &sc, EstimateChoice::Likely) else {
                continue;
            };
            let node = pp.graph.node("M").unwrap();
            let optimum = exhaustive_optimum(&pp, node);
            let bound = CapacityBound::new(&model, &pp, &pp.capacity, Bucket::Day);
            let at = plan::bounds::shave::refute(&bound, &[(node, optimum)]).unwrap();
            assert!(
                at.is_none(),
                "seed {seed} team {a}/{b}: shaving refutes day {optimum}, which a schedule meets: {at:?}\n{text}"
            );
            for d in 0..optimum {
                let Some(why) = plan::bounds::shave::refute(&bound, &[(node, d)]).unwrap() else {
                    continue;
                };
                refuted += 1;
                shaved += usize::from(matches!(why, plan::bounds::team::Refutation::Shaved(_)));
            }
        }
    }
    assert!(refuted > 200, "the shaved check refutes dates ({refuted})");
    eprintln!("{refuted} refutations, {shaved} only after shaving");
}

/// The same against the schedules the search finds on the larger random programs (three
/// roles, crews of 1 to 3): the day a checked schedule reaches is never refuted after
/// shaving, and shaving refutes days the whole-team check allows.
#[test]
fn shaving_never_refutes_a_day_a_searched_schedule_reaches() {
    let (mut refuted, mut shaved) = (0, 0);
    each_searched_larger_program(|run| {
        let Searched {
            seed,
            team,
            text,
            model,
            pp,
            node,
            reached,
        } = run;
        let (node, reached) = (*node, *reached);
        for bucket in [Bucket::Day, Bucket::Week] {
            let bound = CapacityBound::new(model, pp, &pp.capacity, bucket);
            let why = plan::bounds::shave::refute(&bound, &[(node, reached)]).unwrap();
            assert!(
                    why.is_none(),
                    "seed {seed} {team:?} {bucket:?}: day {reached} is met by a checked schedule, yet refuted after shaving: {why:?}\n{text}"
                );
            for d in reached.saturating_sub(8)..reached {
                let Some(why) = plan::bounds::shave::refute(&bound, &[(node, d)]).unwrap() else {
                    continue;
                };
                refuted += 1;
                shaved += usize::from(matches!(why, plan::bounds::team::Refutation::Shaved(_)));
            }
        }
    });
    assert!(refuted > 100, "the shaved check refutes days ({refuted})");
    assert!(
        shaved > 0,
        "shaving refutes days the whole-team check allows ({shaved} of {refuted})"
    );
    eprintln!("{refuted} refutations, {shaved} only after shaving");
}
