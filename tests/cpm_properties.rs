//! Properties of the critical-path pass on random DAGs.

use plan::cpm::{analyze, EPS};
use plan::graph::TaskGraph;
use proptest::prelude::*;

/// A random DAG: edges only go from a lower to a higher index, so it is acyclic by construction.
fn dag() -> impl Strategy<Value = (Vec<f64>, Vec<(usize, usize, f64)>)> {
    (2usize..40).prop_flat_map(|n| {
        let durations = prop::collection::vec(prop_oneof![Just(0.0), 0.5f64..20.0], n);
        let edges =
            prop::collection::vec((0..n, 0..n, prop_oneof![Just(0.0), 0.0f64..5.0]), 0..3 * n)
                .prop_map(|es| {
                    es.into_iter()
                        .filter(|(a, b, _)| a != b)
                        .map(|(a, b, lag)| (a.min(b), a.max(b), lag))
                        .collect::<Vec<_>>()
                });
        (durations, edges)
    })
}

proptest! {
    #[test]
    fn floats_are_never_negative((durations, edges) in dag()) {
        let g = TaskGraph::new(durations.len(), &edges).unwrap();
        let cpm = analyze(&g, &durations);
        for i in 0..durations.len() {
            prop_assert!(cpm.total_float[i] >= 0.0);
            prop_assert!(cpm.free_float[i] >= 0.0);
            prop_assert!(cpm.free_float[i] <= cpm.total_float[i] + EPS);
        }
    }

    #[test]
    fn successors_start_after_predecessors_finish_plus_lag((durations, edges) in dag()) {
        let g = TaskGraph::new(durations.len(), &edges).unwrap();
        let cpm = analyze(&g, &durations);
        for &(a, b, lag) in &edges {
            prop_assert!(cpm.early_start[b] + EPS >= cpm.early_finish[a] + lag);
            prop_assert!(cpm.late_start[b] + EPS >= cpm.late_finish[a] + lag);
        }
    }

    #[test]
    fn the_critical_path_runs_from_the_start_to_the_finish_through_zero_float((durations, edges) in dag()) {
        let g = TaskGraph::new(durations.len(), &edges).unwrap();
        let cpm = analyze(&g, &durations);
        let path = &cpm.critical_path;
        prop_assert!(!path.is_empty());
        prop_assert!(cpm.early_start[path[0]].abs() <= EPS);
        prop_assert!((cpm.early_finish[*path.last().unwrap()] - cpm.duration).abs() <= EPS);
        for &i in path {
            prop_assert!(cpm.total_float[i] <= EPS);
        }
        // Consecutive entries are linked by a driving link: the successor starts exactly at the
        // predecessor's finish plus that link's lag.
        let driving_lag = |a: usize, b: usize| {
            g.succs(a)
                .iter()
                .find(|&&(s, lag)| s == b && (cpm.early_finish[a] + lag - cpm.early_start[b]).abs() <= EPS)
                .map(|&(_, lag)| lag)
        };
        for w in path.windows(2) {
            prop_assert!(driving_lag(w[0], w[1]).is_some(), "each link drives the next");
        }
        // The path's length adds up to the project duration.
        let along: f64 = path.iter().map(|&i| durations[i]).sum::<f64>()
            + path.windows(2).map(|w| driving_lag(w[0], w[1]).unwrap()).sum::<f64>();
        prop_assert!((along - cpm.duration).abs() <= 1e-6);
    }

    #[test]
    fn removing_a_dependency_never_lengthens_the_project((durations, edges) in dag(), pick in any::<prop::sample::Index>()) {
        prop_assume!(!edges.is_empty());
        let g = TaskGraph::new(durations.len(), &edges).unwrap();
        let before = analyze(&g, &durations).duration;
        let mut fewer = edges.clone();
        fewer.remove(pick.index(edges.len()));
        let g2 = TaskGraph::new(durations.len(), &fewer).unwrap();
        prop_assert!(analyze(&g2, &durations).duration <= before + EPS);
    }
}

/// An independent critical-path pass for links of every type, written plainly so it shares
/// nothing with the engine: its own link struct, and longest paths by repeated relaxation of
/// every link (Bellman-Ford style) instead of a topological order.
mod reference {
    /// `kind` is "FS", "SS", "FF" or "SF"; `lag` in days, negative for a lead.
    #[derive(Clone, Copy, Debug)]
    pub struct Link {
        pub from: usize,
        pub to: usize,
        pub kind: &'static str,
        pub lag: f64,
    }

    pub struct Dates {
        pub duration: f64,
        pub early_start: Vec<f64>,
        pub late_finish: Vec<f64>,
        pub total_float: Vec<f64>,
        pub free_float: Vec<f64>,
    }

    /// The successor's earliest start that `link` asks for, given the predecessor's dates.
    fn asks(link: &Link, start: &[f64], length: &[f64]) -> f64 {
        let (p, s) = (link.from, link.to);
        match link.kind {
            "FS" => start[p] + length[p] + link.lag,
            "SS" => start[p] + link.lag,
            "FF" => start[p] + length[p] + link.lag - length[s],
            "SF" => start[p] + link.lag - length[s],
            other => panic!("unknown link type {other}"),
        }
    }

    /// The predecessor's latest finish that `link` allows, given the successor's latest finish.
    fn allows(link: &Link, finish: &[f64], length: &[f64]) -> f64 {
        let (p, s) = (link.from, link.to);
        match link.kind {
            "FS" => finish[s] - length[s] - link.lag,
            "SS" => finish[s] - length[s] - link.lag + length[p],
            "FF" => finish[s] - link.lag,
            "SF" => finish[s] - link.lag + length[p],
            other => panic!("unknown link type {other}"),
        }
    }

    pub fn dates(length: &[f64], links: &[Link]) -> Dates {
        let n = length.len();
        // Nothing starts before day 0, however long a lead.
        let mut start = vec![0.0f64; n];
        for _ in 0..=n {
            for l in links {
                let asked = asks(l, &start, length);
                if asked > start[l.to] {
                    start[l.to] = asked;
                }
            }
        }
        let duration = (0..n).map(|i| start[i] + length[i]).fold(0.0, f64::max);
        // Everything finishes by the project's end.
        let mut finish = vec![duration; n];
        for _ in 0..=n {
            for l in links {
                let allowed = allows(l, &finish, length);
                if allowed < finish[l.from] {
                    finish[l.from] = allowed;
                }
            }
        }
        let total_float = (0..n)
            .map(|i| (finish[i] - length[i] - start[i]).max(0.0))
            .collect();
        let free_float = (0..n)
            .map(|i| {
                let mut free = duration - start[i] - length[i];
                for l in links.iter().filter(|l| l.from == i) {
                    free = free.min(start[l.to] - asks(l, &start, length));
                }
                free.max(0.0)
            })
            .collect();
        Dates {
            duration,
            early_start: start,
            late_finish: finish,
            total_float,
            free_float,
        }
    }
}

fn engine_link(kind: &str, lag: f64) -> plan::graph::Link {
    let kind = plan::graph::LinkType::from_name(kind).expect("a link type");
    plan::graph::Link { kind, lag }
}

/// A random acyclic network with links of every type and leads, lags and fractions.
fn linked_dag() -> impl Strategy<Value = (Vec<f64>, Vec<reference::Link>)> {
    (2usize..30).prop_flat_map(|n| {
        let durations = prop::collection::vec(prop_oneof![Just(0.0), 0.5f64..20.0], n);
        let lag = prop_oneof![Just(0.0), -10.0f64..10.0, (-8i32..8).prop_map(f64::from)];
        let kind = prop::sample::select(vec!["FS", "SS", "FF", "SF"]);
        let links = prop::collection::vec((0..n, 0..n, kind, lag), 0..3 * n).prop_map(|ls| {
            ls.into_iter()
                .filter(|(a, b, _, _)| a != b)
                .map(|(a, b, kind, lag)| reference::Link {
                    from: a.min(b),
                    to: a.max(b),
                    kind,
                    lag,
                })
                .collect::<Vec<_>>()
        });
        (durations, links)
    })
}

fn engine_cpm(durations: &[f64], links: &[reference::Link]) -> plan::cpm::Cpm {
    let edges: Vec<_> = links
        .iter()
        .map(|l| (l.from, l.to, engine_link(l.kind, l.lag)))
        .collect();
    let g = TaskGraph::with_links(durations.len(), &edges).unwrap();
    analyze(&g, durations)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_engine_agrees_with_the_reference_on_every_link_type((durations, links) in linked_dag()) {
        let cpm = engine_cpm(&durations, &links);
        let want = reference::dates(&durations, &links);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6;
        prop_assert!(close(cpm.duration, want.duration), "{} vs {}", cpm.duration, want.duration);
        for (i, &d) in durations.iter().enumerate() {
            prop_assert!(close(cpm.early_start[i], want.early_start[i]), "ES {i}");
            prop_assert!(close(cpm.early_finish[i], want.early_start[i] + d), "EF {i}");
            prop_assert!(close(cpm.late_finish[i], want.late_finish[i]), "LF {i}");
            prop_assert!(close(cpm.late_start[i], want.late_finish[i] - d), "LS {i}");
            prop_assert!(close(cpm.total_float[i], want.total_float[i]), "TF {i}");
            prop_assert!(close(cpm.free_float[i], want.free_float[i]), "FF {i}");
        }
    }

    #[test]
    fn the_critical_path_with_every_link_type_is_zero_float_and_driven((durations, links) in linked_dag()) {
        let cpm = engine_cpm(&durations, &links);
        let path = &cpm.critical_path;
        prop_assert!(!path.is_empty());
        prop_assert!(cpm.early_start[path[0]].abs() <= EPS);
        for &i in path {
            prop_assert!(cpm.total_float[i] <= EPS);
        }
        for w in path.windows(2) {
            let driving = links.iter().filter(|l| l.from == w[0] && l.to == w[1]).any(|l| {
                let es = &cpm.early_start;
                let asked = match l.kind {
                    "FS" => cpm.early_finish[w[0]] + l.lag,
                    "SS" => es[w[0]] + l.lag,
                    "FF" => cpm.early_finish[w[0]] + l.lag - durations[w[1]],
                    _ => es[w[0]] + l.lag - durations[w[1]],
                };
                (asked - es[w[1]]).abs() <= EPS
            });
            prop_assert!(driving, "{} does not drive {}", w[0], w[1]);
        }
    }
}

/// A precedence-diagramming network with every link type, a lead and the day-0 clamp, worked
/// by hand (not taken from a book):
///
/// ```text
/// A 4d                          ES 0   EF 4
/// B 6d  SS A +2                 ES 2   EF 8
/// C 3d  FF B +1                 EF 9, so ES 6
/// D 5d  FS A -6 (a lead)        asks -2, clamped: ES 0  EF 5
/// E 2d  SF D +3                 EF >= 0 + 3, so ES 1  EF 3
/// F 4d  FS C, FS E              ES 9   EF 13 (project end)
/// ```
///
/// Backward from 13: F LF 13; C LF 9 (FS); E LF 9; B: FF to C lets it finish at 9 - 1 = 8;
/// D: SF to E (E LF 9) lets D start by 9 - 3 = 6, so LF 11; A: SS to B (LS 2) lets A start by
/// 0, LF 4, and FS -6 to D (LS 6) lets it finish by 12, so LF 4. Critical: A, B, C, F.
#[test]
fn a_hand_worked_precedence_diagram_with_every_link_type() {
    use reference::Link;
    let link = |from, to, kind, lag| Link {
        from,
        to,
        kind,
        lag,
    };
    let durations = [4.0, 6.0, 3.0, 5.0, 2.0, 4.0];
    let links = [
        link(0, 1, "SS", 2.0),
        link(1, 2, "FF", 1.0),
        link(0, 3, "FS", -6.0),
        link(3, 4, "SF", 3.0),
        link(2, 5, "FS", 0.0),
        link(4, 5, "FS", 0.0),
    ];
    let cpm = engine_cpm(&durations, &links);
    assert_eq!(cpm.early_start, [0.0, 2.0, 6.0, 0.0, 1.0, 9.0]);
    assert_eq!(cpm.duration, 13.0);
    assert_eq!(cpm.late_finish, [4.0, 8.0, 9.0, 11.0, 9.0, 13.0]);
    assert_eq!(cpm.total_float, [0.0, 0.0, 0.0, 6.0, 6.0, 0.0]);
    assert_eq!(cpm.critical_path, [0, 1, 2, 5]);
}

/// The reference pass with date constraints, deadlines and a status date, written plainly from
/// MS Project's rules (shares nothing with the engine): every sweep recomputes each activity
/// from its links, then its constraint; as many sweeps as activities reach every chain.
mod reference_windows {
    use super::reference::Link;

    /// `kind` is one of the model keys: "start_no_earlier", "start_no_later",
    /// "finish_no_earlier", "finish_no_later", "must_start_on", "must_finish_on"; `at` its time
    /// (a start time for start kinds, a finish time for finish kinds).
    #[derive(Clone, Copy, Debug)]
    pub struct Constraint {
        pub kind: &'static str,
        pub at: f64,
    }

    pub struct Dates {
        pub duration: f64,
        pub early_start: Vec<f64>,
        pub late_finish: Vec<f64>,
        pub total_float: Vec<f64>,
        pub broken: Vec<(usize, usize)>,
    }

    fn asks(link: &Link, start: &[f64], length: &[f64]) -> f64 {
        let (p, s) = (link.from, link.to);
        match link.kind {
            "FS" => start[p] + length[p] + link.lag,
            "SS" => start[p] + link.lag,
            "FF" => start[p] + length[p] + link.lag - length[s],
            _ => start[p] + link.lag - length[s],
        }
    }

    fn allows(link: &Link, finish: &[f64], length: &[f64]) -> f64 {
        let (p, s) = (link.from, link.to);
        match link.kind {
            "FS" => finish[s] - length[s] - link.lag,
            "SS" => finish[s] - length[s] - link.lag + length[p],
            "FF" => finish[s] - link.lag,
            _ => finish[s] - link.lag + length[p],
        }
    }

    pub fn dates(
        length: &[f64],
        links: &[Link],
        constraints: &[Option<Constraint>],
        deadlines: &[Option<f64>],
        status: f64,
    ) -> Dates {
        let n = length.len();
        let mut start = vec![status; n];
        for _ in 0..=n {
            let mut next = vec![status; n];
            for l in links {
                next[l.to] = next[l.to].max(asks(l, &start, length));
            }
            for i in 0..n {
                let d = length[i];
                // Honoured as MS Project does by default: the constraint wins over the links.
                next[i] = match constraints[i] {
                    None => next[i],
                    Some(c) => match c.kind {
                        "start_no_earlier" => next[i].max(c.at),
                        "finish_no_earlier" => next[i].max(c.at - d),
                        "start_no_later" => next[i].min(c.at),
                        "finish_no_later" => next[i].min(c.at - d),
                        "must_start_on" => c.at,
                        _ => c.at - d,
                    },
                };
                // Nothing starts before the status date.
                next[i] = next[i].max(status);
            }
            start = next;
        }
        let duration = (0..n).map(|i| start[i] + length[i]).fold(status, f64::max);
        let mut finish = vec![duration; n];
        for _ in 0..=n {
            let mut next = vec![duration; n];
            for l in links {
                next[l.from] = next[l.from].min(allows(l, &finish, length));
            }
            for i in 0..n {
                let d = length[i];
                if let Some(c) = constraints[i] {
                    next[i] = match c.kind {
                        "start_no_later" => next[i].min(c.at + d),
                        "finish_no_later" => next[i].min(c.at),
                        "must_start_on" => c.at + d,
                        "must_finish_on" => c.at,
                        _ => next[i],
                    };
                }
                if let Some(t) = deadlines[i] {
                    next[i] = next[i].min(t);
                }
            }
            finish = next;
        }
        let total_float = (0..n).map(|i| finish[i] - length[i] - start[i]).collect();
        let broken = links
            .iter()
            .filter(|l| asks(l, &start, length) > start[l.to] + 1e-6)
            .map(|l| (l.from, l.to))
            .collect();
        Dates {
            duration,
            early_start: start,
            late_finish: finish,
            total_float,
            broken,
        }
    }
}

const CONSTRAINT_KINDS: [&str; 6] = [
    "start_no_earlier",
    "start_no_later",
    "finish_no_earlier",
    "finish_no_later",
    "must_start_on",
    "must_finish_on",
];

type Windowed = (
    Vec<f64>,
    Vec<reference::Link>,
    Vec<Option<reference_windows::Constraint>>,
    Vec<Option<f64>>,
    f64,
);

/// [`linked_dag`] with a constraint on about a third of the activities, a deadline on about a
/// fifth, and a status date of day 0 or later.
fn windowed_dag() -> impl Strategy<Value = Windowed> {
    linked_dag().prop_flat_map(|(durations, links)| {
        let n = durations.len();
        let constraint = prop_oneof![
            2 => Just(None),
            1 => (prop::sample::select(CONSTRAINT_KINDS.to_vec()), 0u32..40)
                .prop_map(|(kind, at)| Some(reference_windows::Constraint { kind, at: f64::from(at) })),
        ];
        let deadline = prop_oneof![4 => Just(None), 1 => (0u32..50).prop_map(|t| Some(f64::from(t)))];
        let status = prop_oneof![Just(0.0), (0u32..10).prop_map(f64::from)];
        (
            Just(durations),
            Just(links),
            prop::collection::vec(constraint, n),
            prop::collection::vec(deadline, n),
            status,
        )
    })
}

fn engine_kind(key: &str) -> plan::model::ConstraintKind {
    *plan::model::ConstraintKind::ALL
        .iter()
        .find(|k| k.key() == key)
        .expect("a constraint key")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_engine_agrees_with_the_reference_with_constraints_and_a_status_date(
        (durations, links, constraints, deadlines, status) in windowed_dag()
    ) {
        let edges: Vec<_> = links
            .iter()
            .map(|l| (l.from, l.to, engine_link(l.kind, l.lag)))
            .collect();
        let g = TaskGraph::with_links(durations.len(), &edges).unwrap();
        let windows = plan::cpm::Windows {
            constraint: constraints.iter().map(|c| c.map(|c| (engine_kind(c.kind), c.at))).collect(),
            deadline: deadlines.clone(),
            floor: status,
        };
        let cpm = plan::cpm::analyze_windowed(&g, &durations, &windows);
        let want = reference_windows::dates(&durations, &links, &constraints, &deadlines, status);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6;
        prop_assert!(close(cpm.duration, want.duration), "{} vs {}", cpm.duration, want.duration);
        for (i, &d) in durations.iter().enumerate() {
            prop_assert!(close(cpm.early_start[i], want.early_start[i]), "ES {i}: {} vs {}", cpm.early_start[i], want.early_start[i]);
            prop_assert!(close(cpm.early_finish[i], want.early_start[i] + d), "EF {i}");
            prop_assert!(close(cpm.late_finish[i], want.late_finish[i]), "LF {i}: {} vs {}", cpm.late_finish[i], want.late_finish[i]);
            prop_assert!(close(cpm.total_float[i], want.total_float[i]), "TF {i}");
        }
        let mut broken = cpm.broken_links.clone();
        let mut expected = want.broken.clone();
        broken.sort_unstable();
        broken.dedup();
        expected.sort_unstable();
        expected.dedup();
        prop_assert_eq!(broken, expected);
    }
}

/// A status date and constraints worked by hand (times in working days):
///
/// ```text
/// A 3d                   status date 2: ES 2, EF 5
/// B 4d  FS A, start_no_later 4      the link asks 5, the cap wins: ES 4 (A -> B broken)
/// C 2d  FS B, deadline 7            ES 8, EF 10: 3 days late
/// D 1d  must_finish_on 6            ES 5, EF 6
/// ```
///
/// Backward from 10: C LF 7 (deadline), LS 5; B LF 5 (its own cap 4 + 4 = 8 is later), LS 1; A
/// LF 1, LS -2: float -4, the days the broken link overlaps and the deadline's 3 together. D is
/// fixed at 5-6: float 0.
#[test]
fn a_hand_worked_network_with_a_status_date_and_constraints() {
    use reference::Link;
    let link = |from, to| Link {
        from,
        to,
        kind: "FS",
        lag: 0.0,
    };
    let durations = [3.0, 4.0, 2.0, 1.0];
    let links = [link(0, 1), link(1, 2)];
    let edges: Vec<_> = links
        .iter()
        .map(|l| (l.from, l.to, engine_link(l.kind, l.lag)))
        .collect();
    let g = TaskGraph::with_links(4, &edges).unwrap();
    let mut windows = plan::cpm::Windows::none(4);
    windows.floor = 2.0;
    windows.constraint[1] = Some((plan::model::ConstraintKind::StartNoLater, 4.0));
    windows.constraint[3] = Some((plan::model::ConstraintKind::MustFinishOn, 6.0));
    windows.deadline[2] = Some(7.0);
    let cpm = plan::cpm::analyze_windowed(&g, &durations, &windows);
    assert_eq!(cpm.early_start, [2.0, 4.0, 8.0, 5.0]);
    assert_eq!(cpm.duration, 10.0);
    assert_eq!(cpm.late_finish, [1.0, 5.0, 7.0, 6.0]);
    assert_eq!(cpm.total_float, [-4.0, -3.0, -3.0, 0.0]);
    assert_eq!(cpm.broken_links, [(0, 1)]);
}

/// The reference pass with a calendar per activity, written plainly by trying every day
/// (shares nothing with the engine): `works[i][d]` says whether activity `i` works grid day
/// `d`; days before 0 and from `works[i].len()` on are worked. Durations and lags are whole
/// days. An activity of length `d > 0` starts at the beginning of one of its working days and
/// ends at the end of its `d`-th working day from there; one of length 0 sits at any day
/// boundary. A link holds when the successor's calendar counts at least `lag` working days
/// from the predecessor's end the type names to the successor's end it names. Each early
/// start is the first day every link into it and the status date allow; each late finish the
/// last day the successors' late dates and the project's end allow (a late start may sit at
/// the end of the activity's previous working day: no work lies between).
mod reference_calendars {
    use super::reference::Link;

    pub struct Dates {
        pub duration: i64,
        pub early_start: Vec<i64>,
        pub early_finish: Vec<i64>,
        pub late_finish: Vec<i64>,
        pub total_float: Vec<i64>,
    }

    fn works(mask: &[bool], day: i64) -> bool {
        day < 0 || day as usize >= mask.len() || mask[day as usize]
    }

    /// Working days of `mask` in `[a, b)`, negative when `b < a`.
    fn between(mask: &[bool], a: i64, b: i64) -> i64 {
        if b < a {
            return -between(mask, b, a);
        }
        (a..b).filter(|&d| works(mask, d)).count() as i64
    }

    /// The end of the `d`-th working day from `start`.
    fn finish_from(mask: &[bool], start: i64, d: i64) -> i64 {
        let mut t = start;
        let mut done = 0;
        while done < d {
            if works(mask, t) {
                done += 1;
            }
            t += 1;
        }
        t
    }

    /// Where work `d` long that ends at `finish` began, moved back over the days it does not
    /// work to the end of its previous working day.
    fn start_before(mask: &[bool], finish: i64, d: i64) -> i64 {
        let mut t = finish;
        let mut done = 0;
        while done < d {
            t -= 1;
            if works(mask, t) {
                done += 1;
            }
        }
        while !works(mask, t - 1) {
            t -= 1;
        }
        t
    }

    /// `(from, to)` of the link's ends: start or finish of each side.
    fn ends(kind: &str) -> (bool, bool) {
        match kind {
            "FS" => (false, true),
            "SS" => (true, true),
            "FF" => (false, false),
            _ => (true, false),
        }
    }

    pub fn dates(length: &[i64], links: &[Link], calendars: &[Vec<bool>], status: i64) -> Dates {
        let n = length.len();
        let span: i64 = 20
            + length.iter().sum::<i64>()
            + links.iter().map(|l| l.lag.abs() as i64).sum::<i64>()
            + calendars.iter().map(|w| w.len() as i64).max().unwrap_or(0);
        let mut start = vec![0i64; n];
        let mut finish = vec![0i64; n];
        // Links go from a lower to a higher index, so index order is a topological order.
        for i in 0..n {
            let mask = &calendars[i];
            let d = length[i];
            let ok = |x: i64| {
                let f = if d > 0 { finish_from(mask, x, d) } else { x };
                (d == 0 || works_day(mask, x))
                    && between(mask, status, x) >= 0
                    && links.iter().filter(|l| l.to == i).all(|l| {
                        let (from_start, to_start) = ends(l.kind);
                        let a = if from_start {
                            start[l.from]
                        } else {
                            finish[l.from]
                        };
                        let b = if to_start { x } else { f };
                        between(mask, a, b) >= l.lag as i64
                    })
            };
            let x = (0..span).find(|&x| ok(x)).expect("a start within the span");
            start[i] = x;
            finish[i] = if d > 0 { finish_from(mask, x, d) } else { x };
        }
        let duration = finish.iter().copied().fold(status, i64::max);
        let mut late = vec![duration; n];
        let mut late_start = vec![duration; n];
        for i in (0..n).rev() {
            let mask = &calendars[i];
            let d = length[i];
            let ok = |y: i64| {
                let s = if d > 0 { start_before(mask, y, d) } else { y };
                (d == 0 || works_day(mask, y - 1))
                    && between(mask, y, duration) >= 0
                    && links.iter().filter(|l| l.from == i).all(|l| {
                        let (from_start, to_start) = ends(l.kind);
                        let a = if from_start { s } else { y };
                        let b = if to_start {
                            late_start[l.to]
                        } else {
                            late[l.to]
                        };
                        between(&calendars[l.to], a, b) >= l.lag as i64
                    })
            };
            let mut y = (-span..=duration).rev().find(|&y| ok(y)).expect("a finish");
            if d == 0 {
                // A milestone sits at the end of the last working day before it.
                while !works(mask, y - 1) && between(mask, y - 1, y) == 0 && y > -span {
                    y -= 1;
                }
            }
            late[i] = y;
            late_start[i] = if d > 0 { start_before(mask, y, d) } else { y };
        }
        let total_float = (0..n)
            .map(|i| between(&calendars[i], start[i], late[i]) - length[i])
            .collect();
        Dates {
            duration,
            early_start: start,
            early_finish: finish,
            late_finish: late,
            total_float,
        }
    }

    /// Day `day` is worked (the start of a working day, or the end of one for `day - 1`).
    fn works_day(mask: &[bool], day: i64) -> bool {
        works(mask, day)
    }
}

type Calendared = (Vec<f64>, Vec<reference::Link>, Vec<Vec<bool>>, f64);

/// [`linked_dag`] with whole durations and lags, a random calendar of 30 grid days per
/// activity (each day worked with a chance of two in three; every day after them is worked),
/// and a status date of day 0 or later.
fn calendared_dag() -> impl Strategy<Value = Calendared> {
    (2usize..14).prop_flat_map(|n| {
        let durations =
            prop::collection::vec(prop_oneof![Just(0.0), (1u32..8).prop_map(f64::from)], n);
        let lag = prop_oneof![Just(0.0), (-6i32..6).prop_map(f64::from)];
        let kind = prop::sample::select(vec!["FS", "SS", "FF", "SF"]);
        let links = prop::collection::vec((0..n, 0..n, kind, lag), 0..2 * n).prop_map(|ls| {
            ls.into_iter()
                .filter(|(a, b, _, _)| a != b)
                .map(|(a, b, kind, lag)| reference::Link {
                    from: a.min(b),
                    to: a.max(b),
                    kind,
                    lag,
                })
                .collect::<Vec<_>>()
        });
        let mask = prop::collection::vec(prop::bool::weighted(0.67), 30);
        let status = prop_oneof![Just(0.0), (0u32..6).prop_map(f64::from)];
        (durations, links, prop::collection::vec(mask, n), status)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_engine_agrees_with_the_reference_with_a_calendar_per_activity(
        (durations, links, works, status) in calendared_dag()
    ) {
        let edges: Vec<_> = links
            .iter()
            .map(|l| (l.from, l.to, engine_link(l.kind, l.lag)))
            .collect();
        let n = durations.len();
        let g = TaskGraph::with_links(n, &edges).unwrap();
        let mut windows = plan::cpm::Windows::none(n);
        windows.floor = status;
        let clock = plan::calendar::GridClock::from_masks(works.clone(), (0..n).collect());
        let cpm = plan::cpm::analyze_on_calendars(&g, &durations, &windows, &clock);
        let length: Vec<i64> = durations.iter().map(|&d| d as i64).collect();
        let want = reference_calendars::dates(&length, &links, &works, status as i64);
        let close = |a: f64, b: i64| (a - b as f64).abs() <= 1e-6;
        prop_assert!(close(cpm.duration, want.duration), "{} vs {}", cpm.duration, want.duration);
        for i in 0..n {
            prop_assert!(close(cpm.early_start[i], want.early_start[i]), "ES {i}: {} vs {}", cpm.early_start[i], want.early_start[i]);
            prop_assert!(close(cpm.early_finish[i], want.early_finish[i]), "EF {i}: {} vs {}", cpm.early_finish[i], want.early_finish[i]);
            prop_assert!(close(cpm.late_finish[i], want.late_finish[i]), "LF {i}: {} vs {}", cpm.late_finish[i], want.late_finish[i]);
            prop_assert!(close(cpm.total_float[i], want.total_float[i]), "TF {i}: {} vs {}", cpm.total_float[i], want.total_float[i]);
        }
    }
}
