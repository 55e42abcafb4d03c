//! `plan report` in a real browser: headless Chromium opens the FANZ report from disk, takes
//! a screenshot, and dumps the DOM it built. The test checks that the page rendered (many
//! colours and non-white pixels, not a blank or error page), that every chart is in the DOM,
//! and that the console shows no error. The screenshot stays at `target/report.png` for a
//! person to look at.
//!
//! Without Chromium the test skips with a loud message, unless `CI=true`, where a skipped
//! browser check would hide a broken report: there it fails. `.ci/run` installs Debian's
//! `chromium`. `PLAN_CHROMIUM` names another binary.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long Chromium may take for one page before the test gives up.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(120);

/// Ids of the charts the two-scenario FANZ report must show.
const CHART_IDS: &[&str] = &[
    "gantt-0",
    "gantt-1",
    "load-0-backend",
    "load-1-qa",
    "scurve-0-0",
    "hist-0-0",
    "scurve-1-5",
    "hist-1-5",
    "tornado-0",
    "criticality-0",
    "tornado-1",
    "criticality-1",
    "compare-0",
    "compare-5",
];

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The Chromium binary: `$PLAN_CHROMIUM`, else the first of the usual names on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PLAN_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
    .find(|p| p.is_file())
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// What a Chromium run printed.
struct Run {
    stdout: String,
    stderr: String,
}

/// Runs Chromium headless on `url` with `extra` flags, each run with its own profile; kills it
/// after [`BROWSER_TIMEOUT`]. Output goes to files, not pipes: a DOM larger than a pipe's
/// buffer would block Chromium while the test waits for it to exit.
fn run_chromium(bin: &Path, url: &str, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .args(extra)
        .arg(url)
        .stdout(Stdio::from(std::fs::File::create(&out_path).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(&err_path).unwrap()))
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if started.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {BROWSER_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let run = Run {
        stdout: String::from_utf8_lossy(&std::fs::read(&out_path).unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&std::fs::read(&err_path).unwrap()).into_owned(),
    };
    assert!(
        status.success(),
        "chromium failed ({status}): {}",
        run.stderr
    );
    run
}

/// Console errors and uncaught exceptions in Chromium's log.
fn console_errors(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .filter(|l| l.contains("ERROR") || l.contains("Uncaught"))
        .collect()
}

/// Distinct colours and the share of pixels that are not (near) white.
fn pixel_stats(png_path: &Path) -> (usize, f64) {
    let mut decoder = png::Decoder::new(std::fs::File::open(png_path).expect("open screenshot"));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("decode the screenshot");
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let mut colours = HashSet::new();
    let mut inked = 0usize;
    let mut total = 0usize;
    for px in pixels.chunks_exact(channels) {
        let rgb = if channels >= 3 {
            [px[0], px[1], px[2]]
        } else {
            [px[0]; 3]
        };
        colours.insert(rgb);
        if rgb.iter().any(|&c| c < 235) {
            inked += 1;
        }
        total += 1;
    }
    (colours.len(), inked as f64 / total.max(1) as f64)
}

#[test]
fn the_fanz_report_renders_in_chromium() {
    let Some(bin) = chromium() else {
        if on_ci() {
            panic!("CI=true but no chromium found: .ci/run installs it (apt-get install chromium), or set PLAN_CHROMIUM");
        }
        eprintln!("\n*** SKIPPED the_fanz_report_renders_in_chromium: no chromium on PATH (apt-get install chromium, or set PLAN_CHROMIUM) ***\n");
        return;
    };
    let target = target_dir();
    std::fs::create_dir_all(&target).unwrap();
    let html = target.join("report.html");
    let png = target.join("report.png");
    let _ = std::fs::remove_file(&png);
    let status = Command::new(env!("CARGO_BIN_EXE_plan"))
        .args([
            "report",
            "--scenario",
            "scenarios/seed-low.toml",
            "--scenario",
            "scenarios/seed-high.toml",
            "--schedules",
            "3000",
            "--iterations",
            "2000",
            "--out",
        ])
        .arg(&html)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("run plan report");
    assert!(status.success(), "plan report failed");
    let url = format!("file://{}", html.canonicalize().unwrap().display());

    let shot = run_chromium(
        &bin,
        &url,
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1400,4000",
        ],
    );
    let errors = console_errors(&shot.stderr);
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    let (colours, inked) = pixel_stats(&png);
    eprintln!(
        "screenshot {}: {colours} colours, {:.0}% of pixels inked",
        png.display(),
        inked * 100.0
    );
    assert!(colours >= 50, "only {colours} colours: a blank page?");
    assert!(inked > 0.05, "only {:.1}% of pixels inked", inked * 100.0);

    let dom = run_chromium(&bin, &url, &["--dump-dom"]);
    assert!(
        dom.stdout.contains("</footer>"),
        "the DOM did not load to its end"
    );
    for id in CHART_IDS {
        assert!(
            dom.stdout.contains(&format!("id=\"{id}\"")),
            "no chart {id} in the DOM"
        );
    }
    let errors = console_errors(&dom.stderr);
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

/// The tracking charts (`--baseline`, `--history`) in Chromium: the FANZ model's two weeks
/// committed to a repository, drawn against the baseline of the first.
#[test]
fn the_tracking_report_renders_in_chromium() {
    let Some(bin) = chromium() else {
        if on_ci() {
            panic!("CI=true but no chromium found: .ci/run installs it (apt-get install chromium), or set PLAN_CHROMIUM");
        }
        eprintln!(
            "\n*** SKIPPED the_tracking_report_renders_in_chromium: no chromium on PATH ***\n"
        );
        return;
    };
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fanz-history");
    let repo = tempfile::tempdir().unwrap();
    let p = repo.path();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .current_dir(p)
            .args(args)
            .status()
            .expect("git is installed");
        assert!(ok.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["config", "user.name", "Plan Tests"]);
    git(&["config", "user.email", "tests@example.invalid"]);
    git(&["config", "commit.gpgsign", "false"]);
    for week in ["fanz-2025-09-15.toml", "fanz-2025-09-29.toml"] {
        std::fs::copy(data.join(week), p.join("fanz.toml")).unwrap();
        git(&["add", "fanz.toml"]);
        git(&["commit", "-q", "-m", week]);
    }
    let html = p.join("report.html");
    let status = Command::new(env!("CARGO_BIN_EXE_plan"))
        .args(["report", "--model", "fanz.toml", "--scenario"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/seed-low.toml"))
        .arg("--baseline")
        .arg(data.join("baseline-2025-09-15.json"))
        .args([
            "--history",
            "--schedules",
            "1000",
            "--iterations",
            "500",
            "--out",
            "report.html",
        ])
        .current_dir(p)
        .status()
        .expect("run plan report");
    assert!(status.success(), "plan report failed");
    let url = format!("file://{}", html.display());
    let dom = run_chromium(&bin, &url, &["--dump-dom"]);
    assert!(dom.stdout.contains("</footer>"), "the DOM did not load");
    for id in ["evm-scurve", "milestone-trend", "gantt-0"] {
        assert!(
            dom.stdout.contains(&format!("id=\"{id}\"")),
            "no chart {id} in the DOM"
        );
    }
    assert!(dom.stdout.contains("class=\"baseline\""), "no baseline bar");
    let errors = console_errors(&dom.stderr);
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}
