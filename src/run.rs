//! The run's environment: how a run may use the machine and when it must stop.
//!
//! Seed, search budget, time limit, worker threads, a cancel flag and a progress callback
//! reach the engine as one [`Environment`] value (as vrp's `Environment` does), built once by
//! the caller and handed to the search ([`crate::schedule::SearchConfig::for_run`]), the
//! simulation and the benchmark ([`crate::schedule::bench`]). The engine never reads flags,
//! installs signal handlers or draws progress itself: the caller decides what a cancel request
//! or a progress report means. This module sits below every stage and imports none of them.
//!
//! ```
//! use plan::run::Environment;
//! use plan::schedule::SearchConfig;
//!
//! let env = Environment::builder().seed(7).schedules(500).threads(Some(1)).build().unwrap();
//! let config = SearchConfig::for_run(&env);
//! assert_eq!((config.seed, config.schedules), (7, 500));
//! assert_eq!(env.install(rayon::current_num_threads), 1);
//! ```

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;

/// Search budget in generated schedules when none is given.
pub const DEFAULT_SCHEDULES: u64 = 5000;
/// Search seed when none is given.
pub const DEFAULT_SEED: u64 = 1;

/// How far a run has come, in the run's own steps (instances, iterations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Steps finished.
    pub done: u64,
    /// Steps in the whole run.
    pub total: u64,
}

/// Told each [`Progress`]; called from worker threads, so it must be cheap and thread-safe.
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// A setting the environment cannot be built with.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SettingsError {
    /// A search budget of zero schedules finds nothing.
    #[error("a search budget of 0 schedules")]
    ZeroBudget,
    /// A time limit that is not a positive, finite number of seconds.
    #[error("a time limit of {0} seconds")]
    TimeLimit(f64),
    /// Zero worker threads run nothing.
    #[error("0 worker threads")]
    ZeroThreads,
    /// The operating system refused to start the worker threads.
    #[error("cannot start worker threads: {0}")]
    ThreadPool(String),
}

/// Seed, budget, time limit, threads, cancel flag and progress of one run. Cheap to clone:
/// clones share the thread pool, the cancel flag and the progress callback.
#[derive(Clone)]
pub struct Environment {
    seed: u64,
    schedules: u64,
    time_limit: Option<Duration>,
    cancel: Arc<AtomicBool>,
    progress: Option<ProgressFn>,
    pool: Arc<rayon::ThreadPool>,
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Environment")
            .field("seed", &self.seed)
            .field("schedules", &self.schedules)
            .field("time_limit", &self.time_limit)
            .field("threads", &self.pool.current_num_threads())
            .field("cancelled", &self.is_cancelled())
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl Environment {
    /// A builder with the search's defaults, all cores and no progress callback.
    pub fn builder() -> EnvironmentBuilder {
        EnvironmentBuilder::default()
    }

    /// Seed of the search.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Search budget in generated schedules.
    pub fn schedules(&self) -> u64 {
        self.schedules
    }

    /// Wall-clock limit of each search.
    pub fn time_limit(&self) -> Option<Duration> {
        self.time_limit
    }

    /// The run's worker threads, for code that takes a pool.
    pub fn pool(&self) -> &rayon::ThreadPool {
        &self.pool
    }

    /// Runs `op` on the run's worker threads (rayon calls inside it use them).
    pub fn install<R: Send>(&self, op: impl FnOnce() -> R + Send) -> R {
        self.pool.install(op)
    }

    /// The flag a caller sets to stop the run; the engine reads it between steps.
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }

    /// A handle on the cancel flag, for engine parts that keep it (the search's settings).
    pub fn cancel_handle(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancel)
    }

    /// True once the run was asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// Reports progress to the callback, if there is one.
    pub fn report(&self, done: u64, total: u64) {
        if let Some(progress) = &self.progress {
            progress(Progress { done, total });
        }
    }
}

/// Builds an [`Environment`], checking every setting once.
#[derive(Clone)]
pub struct EnvironmentBuilder {
    seed: u64,
    schedules: u64,
    time_limit: Option<f64>,
    threads: Option<usize>,
    cancel: Option<Arc<AtomicBool>>,
    progress: Option<ProgressFn>,
}

impl Default for EnvironmentBuilder {
    fn default() -> Self {
        EnvironmentBuilder {
            seed: DEFAULT_SEED,
            schedules: DEFAULT_SCHEDULES,
            time_limit: None,
            threads: None,
            cancel: None,
            progress: None,
        }
    }
}

impl EnvironmentBuilder {
    /// Seed of the search; the same seed and budget give the same result.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Search budget in generated schedules, at least 1.
    pub fn schedules(mut self, schedules: u64) -> Self {
        self.schedules = schedules;
        self
    }

    /// Wall-clock limit of each search in seconds (positive); results then depend on timing.
    pub fn time_limit(mut self, seconds: Option<f64>) -> Self {
        self.time_limit = seconds;
        self
    }

    /// Worker threads, at least 1; `None` uses every core. Results do not depend on it.
    pub fn threads(mut self, threads: Option<usize>) -> Self {
        self.threads = threads;
        self
    }

    /// The flag that stops the run when set (default: a flag nobody sets).
    pub fn cancel(mut self, flag: Arc<AtomicBool>) -> Self {
        self.cancel = Some(flag);
        self
    }

    /// The callback told the run's progress.
    pub fn progress(mut self, progress: ProgressFn) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Checks the settings (budget, then time limit, then threads) and starts the thread pool.
    pub fn build(self) -> Result<Environment, SettingsError> {
        if self.schedules == 0 {
            return Err(SettingsError::ZeroBudget);
        }
        let time_limit = match self.time_limit {
            None => None,
            Some(s) if s.is_finite() && s > 0.0 => Some(Duration::from_secs_f64(s)),
            Some(s) => return Err(SettingsError::TimeLimit(s)),
        };
        Ok(Environment {
            seed: self.seed,
            schedules: self.schedules,
            time_limit,
            cancel: self.cancel.unwrap_or_default(),
            progress: self.progress,
            pool: Arc::new(thread_pool(self.threads)?),
        })
    }
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, SettingsError> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    match threads {
        Some(0) => return Err(SettingsError::ZeroThreads),
        Some(n) => builder = builder.num_threads(n),
        None => {}
    }
    builder
        .build()
        .map_err(|e| SettingsError::ThreadPool(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn each_bad_setting_has_its_own_error() {
        let bad = |b: EnvironmentBuilder| b.build().unwrap_err();
        assert_eq!(
            bad(Environment::builder().schedules(0)),
            SettingsError::ZeroBudget
        );
        for s in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let err = bad(Environment::builder().time_limit(Some(s)));
            assert!(matches!(err, SettingsError::TimeLimit(_)), "{s}: {err:?}");
        }
        assert_eq!(
            bad(Environment::builder().threads(Some(0))),
            SettingsError::ZeroThreads
        );
    }

    #[test]
    fn the_settings_are_kept() {
        let env = Environment::builder()
            .seed(9)
            .schedules(123)
            .time_limit(Some(1.5))
            .build()
            .unwrap();
        assert_eq!((env.seed(), env.schedules()), (9, 123));
        assert_eq!(env.time_limit(), Some(Duration::from_millis(1500)));
    }

    #[test]
    fn the_cancel_flag_is_shared_and_progress_reaches_the_callback() {
        let flag = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        let env = Environment::builder()
            .cancel(Arc::clone(&flag))
            .progress(Arc::new(move |p| sink.lock().unwrap().push(p)))
            .build()
            .unwrap();
        assert!(!env.is_cancelled());
        flag.store(true, Ordering::SeqCst);
        assert!(env.clone().is_cancelled());
        env.report(2, 5);
        assert_eq!(*seen.lock().unwrap(), vec![Progress { done: 2, total: 5 }]);
    }
}
