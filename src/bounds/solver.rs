//! The one place that talks to an LP solver. Everything else builds a solver-neutral [`Lp`],
//! so the pure-Rust `microlp` (default) and HiGHS (`--features highs`, needs cmake) are
//! interchangeable.

use good_lp::{
    constraint, variable, Expression, ProblemVariables, ResolutionError, Solution, SolverModel,
    WithTimeLimit,
};

/// A variable: `0 <= x <= upper`, optionally integer, with its objective coefficient.
#[derive(Debug, Clone, Copy)]
pub struct Var {
    /// Upper bound (`f64::INFINITY` for none).
    pub upper: f64,
    /// Lower bound.
    pub lower: f64,
    /// Integer-valued.
    pub integer: bool,
    /// Coefficient in the objective, which is minimised.
    pub cost: f64,
}

/// A row `lower <= Σ coef·x <= upper`.
#[derive(Debug, Clone)]
pub struct Row {
    /// (variable index, coefficient).
    pub terms: Vec<(usize, f64)>,
    /// Lower bound (`f64::NEG_INFINITY` for none).
    pub lower: f64,
    /// Upper bound (`f64::INFINITY` for none).
    pub upper: f64,
}

/// A linear program (or MILP when some variables are integer), minimised.
#[derive(Debug, Clone, Default)]
pub struct Lp {
    /// Variables.
    pub vars: Vec<Var>,
    /// Constraints.
    pub rows: Vec<Row>,
}

/// What the solver said.
#[derive(Debug, Clone, PartialEq)]
pub enum LpOutcome {
    /// Solved to optimality: the variable values.
    Optimal(Vec<f64>),
    /// Proven to have no solution.
    Infeasible,
    /// The solver did not finish (time limit, numerical trouble): no conclusion.
    Unknown(String),
}

impl Lp {
    /// Adds a variable and returns its index.
    pub fn var(&mut self, lower: f64, upper: f64, integer: bool, cost: f64) -> usize {
        self.vars.push(Var {
            upper,
            lower,
            integer,
            cost,
        });
        self.vars.len() - 1
    }
}

/// The name of the solver this build uses.
pub fn solver_name() -> &'static str {
    if cfg!(feature = "highs") {
        "HiGHS"
    } else {
        "microlp"
    }
}

/// Solves `lp` within `time_limit` seconds.
pub fn solve(lp: &Lp, time_limit: f64) -> LpOutcome {
    let mut pv = ProblemVariables::new();
    let xs: Vec<good_lp::Variable> = lp
        .vars
        .iter()
        .map(|v| {
            let mut def = variable().min(v.lower);
            if v.upper.is_finite() {
                def = def.max(v.upper);
            }
            if v.integer {
                def = def.integer();
            }
            pv.add(def)
        })
        .collect();
    let objective: Expression = lp
        .vars
        .iter()
        .zip(&xs)
        .filter(|(v, _)| v.cost != 0.0)
        .map(|(v, &x)| v.cost * x)
        .sum();
    let mut model = backend(pv.minimise(objective)).with_time_limit(time_limit);
    for row in &lp.rows {
        let expr: Expression = row.terms.iter().map(|&(i, c)| c * xs[i]).sum();
        if row.lower.is_finite() && row.upper.is_finite() && row.lower == row.upper {
            model = model.with(constraint!(expr == row.lower));
            continue;
        }
        if row.lower.is_finite() {
            model = model.with(constraint!(expr.clone() >= row.lower));
        }
        if row.upper.is_finite() {
            model = model.with(constraint!(expr <= row.upper));
        }
    }
    match model.solve() {
        Ok(sol) => LpOutcome::Optimal(xs.iter().map(|&x| sol.value(x)).collect()),
        Err(ResolutionError::Infeasible) => LpOutcome::Infeasible,
        Err(e) => LpOutcome::Unknown(e.to_string()),
    }
}

#[cfg(not(feature = "highs"))]
fn backend(
    p: good_lp::variable::UnsolvedProblem,
) -> impl SolverModel<Error = ResolutionError> + WithTimeLimit {
    good_lp::solvers::microlp::microlp(p)
}

#[cfg(feature = "highs")]
fn backend(
    p: good_lp::variable::UnsolvedProblem,
) -> impl SolverModel<Error = ResolutionError> + WithTimeLimit {
    good_lp::solvers::highs::highs(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tiny_lp_is_solved_and_an_impossible_one_is_reported() {
        let mut lp = Lp::default();
        let x = lp.var(0.0, 3.0, false, 1.0);
        let y = lp.var(0.0, 3.0, false, 2.0);
        lp.rows.push(Row {
            terms: vec![(x, 1.0), (y, 1.0)],
            lower: 4.0,
            upper: f64::INFINITY,
        });
        let LpOutcome::Optimal(v) = solve(&lp, 5.0) else {
            panic!("feasible")
        };
        assert!((v[x] - 3.0).abs() < 1e-6 && (v[y] - 1.0).abs() < 1e-6);
        lp.rows[0].lower = 7.0;
        assert_eq!(solve(&lp, 5.0), LpOutcome::Infeasible);
    }

    #[test]
    fn integer_variables_take_whole_values() {
        let mut lp = Lp::default();
        let n = lp.var(0.0, 100.0, true, 1.0);
        lp.rows.push(Row {
            terms: vec![(n, 3.0)],
            lower: 10.0,
            upper: f64::INFINITY,
        });
        let LpOutcome::Optimal(v) = solve(&lp, 5.0) else {
            panic!("feasible")
        };
        assert_eq!(v[n].round(), 4.0);
    }
}
