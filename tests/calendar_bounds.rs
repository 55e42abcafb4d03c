//! Soundness of the capacity bound on role and task calendars: on many small random models
//! whose roles and tasks name calendars of their own (different weekdays, holidays, leads
//! counted in sparse calendars), no date the bound (or the whole-team check) proves impossible
//! is ever reached by a schedule: neither the best one an exhaustive enumeration finds nor the
//! one the calendar search finds. The enumeration and the certificates' arithmetic are
//! written here from the model's calendars (weekdays and holidays as the generator wrote
//! them), without the engine's masks or clock.

use plan::bounds::certificate::Kind;
use plan::bounds::{Bucket, CapacityBound};
use plan::graph::LinkType;
use plan::model::{parse_model, parse_scenario, EstimateChoice, Model};
use plan::program::{self, ProgramProblem};
use plan::schedule::SearchConfig;
use std::path::Path;

use crate::common::Rng;

/// A named calendar: its weekdays (0 = Monday) and holidays (days after Monday 15 September
/// 2025, the project start).
struct Cal {
    name: &'static str,
    weekdays: &'static [u32],
    holidays: &'static [u32],
}

const PROJECT: Cal = Cal {
    name: "project",
    weekdays: &[0, 1, 2, 3, 4],
    holidays: &[11],
};

const CALENDARS: [Cal; 5] = [
    Cal {
        name: "mtw",
        weekdays: &[0, 1, 2],
        holidays: &[],
    },
    Cal {
        name: "offshore",
        weekdays: &[6, 0, 1, 2, 3],
        holidays: &[8],
    },
    Cal {
        name: "tt",
        weekdays: &[1, 3],
        holidays: &[],
    },
    Cal {
        name: "all",
        weekdays: &[0, 1, 2, 3, 4, 5, 6],
        holidays: &[],
    },
    Cal {
        name: "monday",
        weekdays: &[0],
        holidays: &[],
    },
];

impl Cal {
    fn works(&self, day: u32) -> bool {
        self.weekdays.contains(&(day % 7)) && !self.holidays.contains(&day)
    }
}

fn toml_date(day: u32) -> String {
    let d = jiff::civil::date(2025, 9, 15)
        .checked_add(jiff::Span::new().days(i64::from(day)))
        .unwrap();
    d.to_string()
}

const WEEKDAY: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A random model: roles `a`, `b`, `c` (each on a calendar of its own or the project's), 3 to
/// 5 tasks (fixed or effort-driven, some on a calendar of their own, some without people),
/// links of every type with lags from a lead of 1 to a lag of 1, all feeding milestone `M`.
/// Returns the model, the team, and each task's calendars (its own or the project's, then
/// its role's).
struct Case {
    text: String,
    team: String,
    people: [u32; 3],
    /// Per task: the indices into [`CALENDARS`] (`None`: the project's) it works on.
    task_calendars: Vec<Vec<Option<usize>>>,
    /// Per task: its role, if it needs people.
    task_role: Vec<Option<usize>>,
}

fn random_case(seed: u64, larger: bool) -> Case {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut text = String::from("[project]\nname = \"r\"\nstart = 2025-09-15\n");
    text += &format!(
        "[calendar]\nholidays = [{}]\n",
        PROJECT
            .holidays
            .iter()
            .map(|&d| toml_date(d))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for c in &CALENDARS {
        let days: Vec<String> = c
            .weekdays
            .iter()
            .map(|&w| format!("\"{}\"", WEEKDAY[w as usize]))
            .collect();
        let hols: Vec<String> = c.holidays.iter().map(|&d| toml_date(d)).collect();
        text += &format!(
            "[calendars.{}]\nworkdays = [{}]\nholidays = [{}]\n",
            c.name,
            days.join(", "),
            hols.join(", ")
        );
    }
    let role_cal: Vec<Option<usize>> = (0..3)
        .map(|_| {
            let k = rng.below(CALENDARS.len() as u64 + 2) as usize;
            (k < CALENDARS.len()).then_some(k)
        })
        .collect();
    for (r, cal) in role_cal.iter().enumerate() {
        text += &format!("[roles.{}]\n", ["a", "b", "c"][r]);
        if let Some(k) = cal {
            text += &format!("calendar = \"{}\"\n", CALENDARS[*k].name);
        }
    }
    let n = if larger {
        6 + rng.below(5) as usize
    } else {
        3 + rng.below(3) as usize
    };
    let mut has_succ = vec![false; n];
    let mut task_calendars = Vec::new();
    let mut task_role = Vec::new();
    for i in 0..n {
        text += &format!("[[task]]\nid = \"T{i}\"\n");
        let preds: Vec<usize> = (0..i).filter(|_| rng.below(3) == 0).collect();
        if !preds.is_empty() {
            let list: Vec<String> = preds
                .iter()
                .map(|&p| {
                    has_succ[p] = true;
                    let kind = ["FS", "FS", "FS", "SS", "FF", "SF"][rng.below(6) as usize];
                    let lag = rng.below(3) as i64 - 1;
                    format!("{{ id = \"T{p}\", type = \"{kind}\", lag = {lag} }}")
                })
                .collect();
            text += &format!("after = [{}]\n", list.join(", "));
        }
        let own = (rng.below(3) == 0).then(|| rng.below(CALENDARS.len() as u64) as usize);
        if let Some(k) = own {
            text += &format!("calendar = \"{}\"\n", CALENDARS[k].name);
        }
        let role = (rng.below(6) != 0).then(|| rng.below(3) as usize);
        let mut cals = vec![own];
        match role {
            None => text += &format!("duration = {}\n", 1 + rng.below(3)),
            Some(r) => {
                let id = ["a", "b", "c"][r];
                if rng.below(2) == 0 {
                    text += &format!(
                        "duration = {}\ndemand = {{ {id} = {} }}\n",
                        1 + rng.below(3),
                        1 + rng.below(2)
                    );
                } else {
                    text += &format!(
                        "effort = {{ {id} = {} }}\ncrew = {{ {id} = [1, 2] }}\n",
                        1 + rng.below(5)
                    );
                }
                if role_cal[r].is_some() {
                    cals.push(role_cal[r]);
                }
            }
        }
        task_calendars.push(cals);
        task_role.push(role);
    }
    let sinks: Vec<String> = (0..n)
        .filter(|&i| !has_succ[i])
        .map(|i| format!("\"T{i}\""))
        .collect();
    text += &format!(
        "[[milestone]]\nid = \"M\"\ndue = 2026-06-30\nafter = [{}]\n",
        sinks.join(", ")
    );
    let people = [
        2 + rng.below(2) as u32,
        2 + rng.below(2) as u32,
        2 + rng.below(2) as u32,
    ];
    let team = format!(
        "[team]\na = {}\nb = {}\nc = {}\n",
        people[0], people[1], people[2]
    );
    Case {
        text,
        team,
        people,
        task_calendars,
        task_role,
    }
}

/// Days after the start the enumeration looks at.
const DAYS: u32 = 700;

/// The working days of every graph node over the schedule's grid, from the case's own
/// calendars: the grid is the days the project calendar or some task works; a task works a
/// grid day when its own calendar (or the project's) and its role's do; a milestone on the
/// project's days.
struct Grid {
    /// Per node: whether it works each grid day.
    works: Vec<Vec<bool>>,
    /// Per node: its working grid days in order.
    days: Vec<Vec<u32>>,
    /// Per role: the grid days on which some task of the role works.
    role_days: Vec<Vec<bool>>,
    /// Grid day number → days after the start.
    date: Vec<u32>,
}

fn grid(case: &Case, pp: &ProgramProblem) -> Grid {
    let cal = |k: Option<usize>| k.map_or(&PROJECT, |k| &CALENDARS[k]);
    let task_works = |t: usize, day: u32| case.task_calendars[t].iter().all(|&k| cal(k).works(day));
    let tasks = case.task_calendars.len();
    let date: Vec<u32> = (0..DAYS)
        .filter(|&day| PROJECT.works(day) || (0..tasks).any(|t| task_works(t, day)))
        .collect();
    let works: Vec<Vec<bool>> = pp
        .graph
        .ids
        .iter()
        .map(|id| match id.strip_prefix('T') {
            Some(i) => {
                let t: usize = i.parse().unwrap();
                date.iter().map(|&day| task_works(t, day)).collect()
            }
            None => date.iter().map(|&day| PROJECT.works(day)).collect(),
        })
        .collect();
    let days = works
        .iter()
        .map(|w| (0..w.len() as u32).filter(|&g| w[g as usize]).collect())
        .collect();
    let mut role_days = vec![vec![false; date.len()]; 3];
    for (node, id) in pp.graph.ids.iter().enumerate() {
        let Some(i) = id.strip_prefix('T') else {
            continue;
        };
        if let Some(r) = case.task_role[i.parse::<usize>().unwrap()] {
            for (g, w) in works[node].iter().enumerate() {
                role_days[r][g] |= *w;
            }
        }
    }
    Grid {
        works,
        days,
        role_days,
        date,
    }
}

impl Grid {
    /// Node `j`'s working days in grid time `[0, t)`.
    fn count(&self, j: usize, t: u32) -> i64 {
        self.works[j][..t as usize].iter().filter(|&&w| w).count() as i64
    }
}

/// The earliest grid day the milestone can be reached: the serial schedule generation on the
/// calendars (each activity at the first count of its own days its links, release and the
/// people left on its working days allow) over every precedence-feasible order and every mode
/// of every activity. Every schedule can be left-shifted into one of these without a later
/// milestone, so their best is the optimum.
fn optimum(pp: &ProgramProblem, g: &Grid, people: &[u32; 3], milestone: usize) -> u32 {
    let acts = &pp.problem.activities[..pp.nodes];
    let n = acts.len();
    let mut best = u32::MAX;
    let mut orders = Vec::new();
    linear_extensions(acts, &mut vec![], &mut vec![false; n], &mut orders);
    let mut modes = vec![0usize; n];
    loop {
        for order in &orders {
            best = best.min(place(acts, g, people, order, &modes)[milestone]);
        }
        // Next mode combination.
        let mut k = 0;
        while k < n {
            modes[k] += 1;
            if modes[k] < acts[k].modes.len() {
                break;
            }
            modes[k] = 0;
            k += 1;
        }
        if k == n {
            return best;
        }
    }
}

fn linear_extensions(
    acts: &[plan::schedule::Activity],
    prefix: &mut Vec<usize>,
    placed: &mut Vec<bool>,
    out: &mut Vec<Vec<usize>>,
) {
    if prefix.len() == acts.len() {
        out.push(prefix.clone());
        return;
    }
    for j in 0..acts.len() {
        if placed[j] || acts[j].preds.iter().any(|p| !placed[p.pred]) {
            continue;
        }
        placed[j] = true;
        prefix.push(j);
        linear_extensions(acts, prefix, placed, out);
        prefix.pop();
        placed[j] = false;
    }
}

/// One serial pass in `order` with `modes`: the finish grid day of every activity.
fn place(
    acts: &[plan::schedule::Activity],
    g: &Grid,
    people: &[u32; 3],
    order: &[usize],
    modes: &[usize],
) -> Vec<u32> {
    let horizon = g.date.len();
    let mut used = vec![vec![0u32; horizon]; 3];
    let mut start = vec![0u32; acts.len()];
    let mut finish = vec![0u32; acts.len()];
    for &j in order {
        let mode = &acts[j].modes[modes[j]];
        let d = mode.duration;
        let mut c = g.count(j, acts[j].release);
        for p in &acts[j].preds {
            let anchor = match p.kind {
                LinkType::FS | LinkType::FF => finish[p.pred],
                LinkType::SS | LinkType::SF => start[p.pred],
            };
            let own = match p.kind {
                LinkType::FF | LinkType::SF => i64::from(d),
                LinkType::FS | LinkType::SS => 0,
            };
            c = c.max(g.count(j, anchor) + i64::from(p.lag) - own);
        }
        let days = &g.days[j];
        if d == 0 {
            let f = if c == 0 { 0 } else { days[c as usize - 1] + 1 };
            start[j] = f.max(acts[j].release);
            finish[j] = start[j];
            continue;
        }
        loop {
            let span = &days[c as usize..c as usize + d as usize];
            let fits = span.iter().all(|&day| {
                (0..3).all(|r| used[r][day as usize] + mode.demand[r] <= people[r] * 100)
            });
            if fits {
                for &day in span {
                    for (r, row) in used.iter_mut().enumerate() {
                        row[day as usize] += mode.demand[r];
                    }
                }
                start[j] = span[0];
                finish[j] = span[span.len() - 1] + 1;
                break;
            }
            c += 1;
        }
    }
    finish
}

fn problem(case: &Case) -> Option<(Model, ProgramProblem)> {
    // Calendars drawn at random may share no weekday: validation refuses those models.
    let model = parse_model(&case.text, Path::new("r.toml")).ok()?;
    let sc = parse_scenario(&case.team, Path::new("s.toml"), &model).expect("valid scenario");
    let pp = program::build(&model, &sc, EstimateChoice::Likely).expect("staffable");
    Some((model, pp))
}

/// A certificate's numbers from the case's calendars: the supply is the team on the grid
/// days of the window on which some task of the role works, each task's part is positive and
/// at most its least work, they add up, and they exceed the supply.
fn check_arithmetic(
    case: &Case,
    g: &Grid,
    pp: &ProgramProblem,
    c: &plan::bounds::Certificate,
    d: u32,
) {
    match c.kind {
        Kind::Capacity => {
            let r = c.role.unwrap();
            let days = (c.start..c.end)
                .filter(|&day| g.role_days[r][day as usize])
                .count();
            let supply = f64::from(case.people[r]) * days as f64;
            assert!((supply - c.available).abs() < 1e-6, "{c:?}: {supply}");
            let sum: f64 = c.tasks.iter().map(|t| t.1).sum();
            assert!((sum - c.required).abs() < 1e-6);
            assert!(c.required > c.available);
            for &(j, part) in &c.tasks {
                let least_work = pp.problem.activities[j]
                    .modes
                    .iter()
                    .map(|m| f64::from(m.duration * m.demand[r]) / 100.0)
                    .fold(f64::INFINITY, f64::min);
                assert!(part > 0.0 && part <= least_work + 1e-9, "{c:?}");
            }
        }
        Kind::CriticalPath => {
            assert!(c.required > f64::from(d));
            assert_eq!(c.available, f64::from(d));
        }
    }
}

/// What the random cases exercised.
#[derive(Default, Debug)]
struct Tally {
    cases: usize,
    proofs: usize,
    certificates: usize,
    capacity: usize,
    team_refuted: usize,
    plain_wrong: usize,
    staffed: usize,
}

/// One case: the bound's earliest day (day and week buckets) is no later than the optimum and
/// than the searched schedule's day, every day before it comes with a certificate that
/// rechecks and adds up from the calendars, and the whole-team check does not refute the
/// optimum.
fn check_case(seed: u64, larger: bool, tally: &mut Tally) {
    let case = random_case(seed, larger);
    let Some((model, pp)) = problem(&case) else {
        return;
    };
    if pp.calendars.is_none() {
        return; // every task works the project's days: the plain bound's case
    }
    tally.cases += 1;
    let g = grid(&case, &pp);
    let node = pp.graph.node("M").unwrap();
    let config = SearchConfig {
        schedules: 200,
        ..SearchConfig::default()
    };
    let searched = pp.search(&config, &[]).expect("a checked schedule");
    let reached = pp.finish_of(&searched.schedule, node).unwrap();
    let what = format!("seed {seed}\n{}{}", case.text, case.team);
    // Too many orders to enumerate on the larger programs: there the day the checked
    // schedule reaches is what no proof may contradict.
    let best = if larger {
        reached
    } else {
        optimum(&pp, &g, &case.people, node)
    };
    assert!(
        reached >= best,
        "the enumeration misses a schedule the search finds ({reached} < {best}): {what}"
    );
    staffed_within_team(&case, &g, best, tally, &what);
    for bucket in [Bucket::Day, Bucket::Week] {
        let bound = CapacityBound::new(&model, &pp, &pp.capacity, bucket);
        assert!(bound.on_calendars());
        let earliest = bound.earliest(0, Some(reached)).unwrap().unwrap();
        assert!(
            earliest <= best,
            "{bucket:?}: bound {earliest} > optimum {best}: {what}"
        );
        for d in 0..earliest {
            tally.proofs += 1;
            if let Some(c) = bound.certificate(0, d) {
                tally.certificates += 1;
                tally.capacity += usize::from(c.kind == Kind::Capacity);
                assert!(c.recheck(&bound), "day {d}: {c:?}: {what}");
                check_arithmetic(&case, &g, &pp, &c, d);
            }
        }
        let at_best = plan::bounds::team::refute(&bound, &[(node, best)]).unwrap();
        assert!(
            at_best.is_none(),
            "{bucket:?}: the team check refutes day {best}, which a schedule meets: {at_best:?}: {what}"
        );
        for d in earliest..best {
            let why = plan::bounds::team::refute(&bound, &[(node, d)]).unwrap();
            tally.team_refuted += usize::from(why.is_some());
        }
        // The relaxation that counts every grid day as a working day of every task.
        let mut plain_pp = pp.clone();
        plain_pp.calendars = None;
        let plain = CapacityBound::new(&model, &plain_pp, &pp.capacity, bucket);
        tally.plain_wrong += usize::from(!plain.feasible(&[(node, best)]).unwrap());
    }
}

/// With M due on the day a schedule of the case's team reaches it, the per-role lower bound
/// of `plan staff` asks no more people of any role than that team has.
fn staffed_within_team(case: &Case, g: &Grid, best: u32, tally: &mut Tally, what: &str) {
    let Some(&last) = best.checked_sub(1).and_then(|d| g.date.get(d as usize)) else {
        return;
    };
    let text = case
        .text
        .replace("due = 2026-06-30", &format!("due = {}", toml_date(last)));
    let model = parse_model(&text, Path::new("r.toml")).unwrap();
    let sc = parse_scenario(&case.team, Path::new("s.toml"), &model).unwrap();
    for bucket in [Bucket::Day, Bucket::Week] {
        let lb = plan::bounds::staff::lower_bound_team(&model, &sc, EstimateChoice::Likely, bucket)
            .unwrap();
        assert!(
            lb.unreachable.is_empty(),
            "{bucket:?}: M due on day {best}, which a schedule meets, is called out of reach: {what}"
        );
        for r in 0..3 {
            assert!(
                lb.team[r] <= case.people[r],
                "{bucket:?}: role {r} needs {} by the bound, a schedule meets day {best} with {}: {what}",
                lb.team[r],
                case.people[r]
            );
        }
        tally.staffed += 1;
    }
}

/// 250 random calendar models: no proof is ever contradicted by a schedule (the exhaustive
/// optimum or the searched one), certificates add up from the calendars, and the whole-team
/// check never refutes the optimum. The relaxation without calendars refutes the optimum of
/// some of them (a lead counted in a sparse calendar reaches back further than on the grid).
#[test]
fn no_date_proven_impossible_on_calendars_is_met_by_a_schedule() {
    let mut tally = Tally::default();
    for seed in 0..250 {
        check_case(seed, false, &mut tally);
    }
    eprintln!("{tally:?}");
    assert!(tally.cases >= 150, "valid random models: {tally:?}");
    assert!(tally.proofs > 500, "the bound proves dates: {tally:?}");
    assert!(tally.capacity > 20, "capacity certificates: {tally:?}");
    assert!(
        tally.team_refuted > 0,
        "the team check refutes more: {tally:?}"
    );
    assert!(
        tally.plain_wrong > 0,
        "some optimum the relaxation without calendars refutes: {tally:?}"
    );
}

/// The same on larger random calendar models (6 to 10 tasks), held against the schedules the
/// calendar search finds: the day a checked schedule reaches is never proven impossible.
#[test]
fn no_date_a_calendar_schedule_reaches_is_proven_impossible() {
    let mut tally = Tally::default();
    for seed in 1000..1080 {
        check_case(seed, true, &mut tally);
    }
    eprintln!("{tally:?}");
    assert!(tally.cases >= 50, "valid random models: {tally:?}");
    assert!(tally.proofs > 500, "the bound proves dates: {tally:?}");
}

/// A lead counted in a sparse calendar: the ops check works Mondays only and may start 3 of
/// its working days (three Mondays) before the 10-day build finishes, so it can run on Monday
/// 15 September, the first day, and the milestone after it is met that day. The relaxation
/// that counts every grid day for every task reads the lead as 3 grid days: the build would
/// have to finish by Thursday 18, which its 10 days cannot, and it refutes a date the
/// schedule meets. The bound on calendars allows it.
#[test]
fn a_lead_in_a_sparse_calendar_is_not_refuted_as_the_grid_would() {
    let text = r#"
[project]
name = "Lead"
start = 2025-09-15
[calendars.monday]
workdays = ["mon"]
[roles.dev]
[roles.ops]
calendar = "monday"
[[task]]
id = "BUILD"
duration = 10
demand = { dev = 1 }
[[task]]
id = "CHECK"
after = [{ id = "BUILD", type = "FS", lag = -3 }]
duration = 1
demand = { ops = 1 }
[[milestone]]
id = "M"
after = ["CHECK"]
due = 2025-09-15
"#;
    let model = parse_model(text, Path::new("lead.toml")).unwrap();
    let sc = parse_scenario("[team]\ndev = 1\nops = 1\n", Path::new("t.toml"), &model).unwrap();
    let pp = program::build(&model, &sc, EstimateChoice::Likely).unwrap();
    let node = pp.graph.node("M").unwrap();
    let found = pp.search(&SearchConfig::default(), &[]).unwrap();
    assert_eq!(pp.finish_of(&found.schedule, node), Some(1), "met on day 1");
    let verdicts = plan::bounds::verdict::verdicts(&model, &pp, &found.schedule, Bucket::Day);
    assert_eq!(
        verdicts.milestones[0].verdict,
        plan::bounds::verdict::Verdict::Met
    );
    for bucket in [Bucket::Day, Bucket::Week] {
        let bound = CapacityBound::new(&model, &pp, &pp.capacity, bucket);
        assert_eq!(bound.feasible(&[(node, 1)]), Ok(true), "{bucket:?}");
        assert_eq!(bound.earliest(0, Some(1)), Ok(Some(1)), "{bucket:?}");
        let mut grid_only = pp.clone();
        grid_only.calendars = None;
        let plain = CapacityBound::new(&model, &grid_only, &pp.capacity, bucket);
        assert_eq!(plain.feasible(&[(node, 1)]), Ok(false), "{bucket:?}");
    }
}

/// A calendar-only impossibility: the only qa person works Tuesdays and Thursdays, and two
/// QA tasks of 3 days each (each alone fits) must be done in the two weeks from Monday 15
/// September to Friday 26: the grid has 10 days, qa works 4 of them. Proven impossible, by a
/// certificate that counts qa's days, where the grid alone allows it; the earliest day the
/// bound allows is the one the schedule reaches, the day after Thursday 2 October.
#[test]
fn a_part_week_calendar_proves_what_the_grid_allows() {
    let text = r#"
[project]
name = "Part week"
start = 2025-09-15
[calendars.tt]
workdays = ["tue", "thu"]
[roles.qa]
calendar = "tt"
[roles.dev]
[[task]]
id = "QA1"
duration = 3
demand = { qa = 1 }
[[task]]
id = "QA2"
duration = 3
demand = { qa = 1 }
[[task]]
id = "DOCS"
duration = 2
demand = { dev = 1 }
[[milestone]]
id = "M"
after = ["QA1", "QA2", "DOCS"]
due = 2025-09-26
"#;
    let model = parse_model(text, Path::new("tt.toml")).unwrap();
    let sc = parse_scenario("[team]\nqa = 1\ndev = 1\n", Path::new("t.toml"), &model).unwrap();
    let pp = program::build(&model, &sc, EstimateChoice::Likely).unwrap();
    let node = pp.graph.node("M").unwrap();
    let found = pp.search(&SearchConfig::default(), &[]).unwrap();
    // Tuesdays and Thursdays 16, 18, 23, 25, 30 September and 2 October: day 14 of the grid
    // is Friday 3 October, the day after.
    assert_eq!(pp.finish_of(&found.schedule, node), Some(14));
    let verdicts = plan::bounds::verdict::verdicts(&model, &pp, &found.schedule, Bucket::Day);
    let m = &verdicts.milestones[0];
    let plan::bounds::verdict::Verdict::Infeasible(Some(cert)) = &m.verdict else {
        panic!("{m:?}");
    };
    assert_eq!(m.bound_day, Some(Some(14)));
    let plan::bounds::verdict::BoundRun::Solved { bound, .. } = &verdicts.bound else {
        panic!("no bound");
    };
    assert!(cert.recheck(bound));
    assert_eq!(cert.kind, Kind::Capacity, "{cert:?}");
    assert_eq!((cert.required, cert.available), (6.0, 4.0), "{cert:?}");
    assert_eq!((cert.start, cert.end), (0, 10), "{cert:?}");
    let mut grid_only = pp.clone();
    grid_only.calendars = None;
    let plain = CapacityBound::new(&model, &grid_only, &pp.capacity, Bucket::Day);
    assert_eq!(
        plain.feasible(&[(node, 10)]),
        Ok(true),
        "the grid alone allows it"
    );
}
