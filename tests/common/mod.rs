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
