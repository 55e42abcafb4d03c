//! Helpers shared by the end-to-end tests: run the `plan` binary and read what it printed.

use assert_cmd::Command;
use serde_json::Value;

/// Runs `plan` with `args`; returns stdout, stderr and the exit code.
pub fn plan(args: &[&str]) -> (String, String, i32) {
    let out = Command::cargo_bin("plan")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

/// Runs `plan` with `args`, asserts success, and parses stdout as JSON.
pub fn json(args: &[&str]) -> Value {
    let (out, err, code) = plan(args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// Runs `plan` in `dir` with `args`; returns stdout, stderr and the exit code.
pub fn plan_in(dir: &std::path::Path, args: &[&str]) -> (String, String, i32) {
    let out = Command::cargo_bin("plan")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

/// Runs `plan` in `dir` with `args`, asserts success, and parses stdout as JSON.
pub fn json_in(dir: &std::path::Path, args: &[&str]) -> Value {
    let (out, err, code) = plan_in(dir, args);
    assert_eq!(code, 0, "plan {args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// Runs `git` in `dir`, asserts success, and returns its stdout.
pub fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// What a run stopped by Ctrl-C left: its output, and how long it took to stop.
#[cfg(unix)]
pub struct Interrupted {
    /// Exit status, stdout and stderr.
    pub output: std::process::Output,
    /// From SIGINT to exit.
    pub stopped_in: std::time::Duration,
}

/// Starts `plan` with `args`, sends it SIGINT (as Ctrl-C does) after `after`, and waits.
#[cfg(unix)]
pub fn interrupt(args: &[&str], after: std::time::Duration) -> Interrupted {
    use std::process::{Command, Stdio};
    let child = Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let sent = std::time::Instant::now();
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success(), "kill -INT failed");
    let output = child.wait_with_output().unwrap();
    Interrupted {
        output,
        stopped_in: sent.elapsed(),
    }
}

/// Asserts that an interrupted run exited 130 within `limit`, printed nothing on stdout and
/// said so on stderr.
#[cfg(unix)]
pub fn assert_interrupted(what: &str, run: &Interrupted, limit: std::time::Duration) {
    let err = String::from_utf8_lossy(&run.output.stderr);
    assert_eq!(run.output.status.code(), Some(130), "{what}: {err}");
    assert!(
        err.contains("interrupted: no output written"),
        "{what}: {err}"
    );
    assert!(run.output.stdout.is_empty(), "{what} printed on stdout");
    assert!(
        run.stopped_in < limit,
        "{what} took {:?} to stop",
        run.stopped_in
    );
}

/// xorshift64*: a deterministic generator for the random-model tests, with no dependency.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
