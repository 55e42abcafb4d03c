//! Named calendars, role calendars and task calendars (`[calendars.<id>]`, `calendar = "…"`)
//! through the commands: the critical path and the simulation (precedence-only and with
//! people) count each task in its own calendar, the resource-constrained schedule works each
//! task on its own days (checked from the model), and `plan staff` and `plan feasibility`
//! (with `--marginal`) search teams on the calendars and prove with a capacity bound that
//! counts each task's own working days.

use crate::common::{json, plan};
use serde_json::Value;

const MODEL: &str = "tests/data/calendars.toml";
const TEAM: &str = "tests/data/calendars-team.toml";

fn row<'a>(rows: &'a Value, id: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

/// The model with a second QA task beside QA (after the burn-in, 5 days, one qa): with one
/// qa the two run one after the other, QA from Monday 29 September to Tuesday 7 October, QA2
/// on Wednesday 8, Thursday 9, Monday 13, Tuesday 14 and Wednesday 15 (QA works Monday to
/// Thursday), so DONE, due Friday 10, is 5 days of the grid late (the burn-in's calendar
/// makes every day a grid day); with two qa both end on Tuesday 7.
fn two_qa_tasks(test: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    variant(
        &format!("two-qa-{test}"),
        "[[milestone]]\nid = \"DONE\"\nafter = [\"QA\", \"DOCS\"]",
        "[[task]]\nid = \"QA2\"\nafter = [\"BURN-IN\"]\nduration = 5\ndemand = { qa = 1 }\n\n\
         [[milestone]]\nid = \"DONE\"\nafter = [\"QA\", \"QA2\", \"DOCS\"]",
    )
}

/// `plan staff` on calendars: the team search schedules on the calendars and the capacity
/// bound, counted on each task's own working days, proves the minimum. BUILD needs a dev, QA a
/// qa, so one of each is the least any team can have, and it meets DONE (Tuesday 7 October,
/// due Friday 10). With the second QA task one qa cannot: QA and QA2 (10 qa-days) both lie
/// between Monday 29 September (after the burn-in) and DONE's due date, where qa works 7 days
/// (Monday to Thursday, not the offshore holiday of Monday 6 October), so the answer is one
/// dev and two qa, proven: no team under 3 people, and the qa removal is at its proven minimum.
#[test]
fn staff_on_calendars_finds_the_cheapest_team_and_proves_its_minimum() {
    let staff = |model: &str| {
        json(&[
            "staff",
            "--model",
            model,
            "--scenario",
            TEAM,
            "--format",
            "json",
        ])
    };
    let out = staff(MODEL);
    assert_eq!(out["team"]["dev"], 1, "{out}");
    assert_eq!(out["team"]["qa"], 1, "{out}");
    assert_eq!(row(&out["milestones"], "DONE")["finish_date"], "2025-10-07");
    let (dir, two) = two_qa_tasks("staff");
    let out = staff(two.to_str().unwrap());
    assert_eq!(out["team"]["dev"], 1, "{out}");
    assert_eq!(out["team"]["qa"], 2, "{out}");
    assert_eq!(out["all_met"], true, "{out}");
    assert_eq!(row(&out["milestones"], "DONE")["finish_date"], "2025-10-07");
    assert!(out["bound_not_asked"].is_null(), "{out}");
    assert_eq!(
        out["lower_bound_team"],
        serde_json::json!({"dev": 1, "qa": 2}),
        "{out}"
    );
    assert_eq!(out["proven_min_people"], 3, "{out}");
    assert_eq!(out["gap"], 0, "{out}");
    let proof = out["headcount_proof"].as_str().unwrap();
    assert!(
        proof.contains("no team under 3 people")
            && proof.contains("qa needs 2 (between 29 Sep 2025 and 12 Oct 2025, the qa work that must be done is at least 10 person-days; 1 qa person supplies at most 7 (counted on the 7 of the window's 14 days on which qa can work"),
        "{proof}"
    );
    let qa = out["removals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == "qa")
        .unwrap_or_else(|| panic!("no qa removal in {out}"));
    assert_eq!(qa["outcome"], "at_minimum", "{qa}");
    assert_eq!(qa["reason"], "at the role's proven minimum", "{qa}");
    let (table, err, code) = plan(&[
        "staff",
        "--model",
        two.to_str().unwrap(),
        "--scenario",
        TEAM,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        table.contains("proven minimum: 3 people, gap 0") && !table.contains("not asked"),
        "{table}"
    );
    // The hiring plan: nobody of qa from the start and two hired on 1 October (the first
    // month start) meet DONE: QA and QA2 both run Wednesday 1, Thursday 2, Tuesday 7,
    // Wednesday 8 and Thursday 9 October. The hire's date is the schedule's day too.
    let hired = json(&[
        "staff",
        "--model",
        two.to_str().unwrap(),
        "--scenario",
        TEAM,
        "--hires",
        "--format",
        "json",
    ]);
    assert_eq!(hired["all_met"], true, "{hired}");
    assert_eq!(hired["proven_min_people"], 3, "{hired}");
    assert_eq!(
        hired["hires"],
        serde_json::json!([{"role": "qa", "count": 2, "start": "2025-10-01"}]),
        "{hired}"
    );
    assert_eq!(hired["team"]["qa"], 0, "{hired}");
    assert_eq!(
        row(&hired["milestones"], "DONE")["finish_date"],
        "2025-10-09"
    );
    // Fewer person-days than two qa from the start, and no fewer than the bound's least.
    assert!(
        hired["person_days"].as_f64().unwrap() < out["person_days"].as_f64().unwrap(),
        "{hired}"
    );
    assert!(
        hired["lower_bound_person_days"].as_f64().unwrap()
            <= hired["person_days"].as_f64().unwrap(),
        "{hired}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A milestone that no team can meet (DONE due Friday 3 October, reached on Tuesday 7 at the
/// earliest: the chain BUILD → BURN-IN → QA on its own calendars) is proven out of reach of
/// any team, with its dependency-only date, and the team stays one of each.
#[test]
fn staff_on_calendars_proves_a_date_no_team_meets() {
    let (dir, tight) = variant("staff-tight", "due = 2025-10-10", "due = 2025-10-03");
    let out = json(&[
        "staff",
        "--model",
        tight.to_str().unwrap(),
        "--scenario",
        TEAM,
        "--format",
        "json",
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out["team"]["dev"], 1, "{out}");
    assert_eq!(out["team"]["qa"], 1, "{out}");
    let blocked = &out["blocked"][0];
    assert_eq!(blocked["id"], "DONE", "{out}");
    let reason = blocked["reason"].as_str().unwrap();
    assert!(reason.contains("no team of any size meets it"), "{reason}");
    let done = row(&out["milestones"], "DONE");
    assert_eq!(done["dependency_only_date"], "2025-10-07", "{out}");
    assert_eq!(done["finish_date"], "2025-10-07", "{out}");
}

#[test]
fn validate_accepts_named_calendars_and_lists_them() {
    let (out, err, code) = plan(&["validate", "--model", MODEL]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("calendars   2 (offshore, 7x24)"), "{out}");
}

/// Worked by hand (2025-09-15 is a Monday): BUILD takes Monday to Friday 15-19 September. The
/// burn-in's calendar works every day, so it starts on Saturday 20 and its 7 days end on
/// Friday 26. QA works only when the project calendar (Monday to Friday) and the offshore
/// one (Sunday to Thursday) both do, Monday to Thursday, and Monday 6 October is an offshore
/// holiday: Monday 29 September, 30, 1, 2 October, then Tuesday 7. The burn-in may end as late
/// as Sunday 28 without moving QA: 2 days of float in its own calendar. DOCS (3 days after
/// BUILD) runs Monday 22 to Wednesday 24 September and has until Tuesday 7 October: the days between
/// count in the project calendar, 9 of them. DONE is due on Friday 10 October.
#[test]
fn the_critical_path_counts_each_task_in_its_own_calendar() {
    let out = json(&["critical-path", "--model", MODEL, "--format", "json"]);
    let tasks = &out["tasks"];
    let dates = |id: &str| {
        let r = row(tasks, id);
        (
            r["early_start_date"].as_str().unwrap().to_string(),
            r["early_finish_date"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(dates("BUILD"), ("2025-09-15".into(), "2025-09-19".into()));
    assert_eq!(dates("BURN-IN"), ("2025-09-20".into(), "2025-09-26".into()));
    assert_eq!(dates("QA"), ("2025-09-29".into(), "2025-10-07".into()));
    assert_eq!(dates("DOCS"), ("2025-09-22".into(), "2025-09-24".into()));
    assert_eq!(row(tasks, "DOCS")["total_float"], 9.0);
    assert_eq!(row(tasks, "BURN-IN")["total_float"], 2.0);
    assert_eq!(row(tasks, "QA")["total_float"], 0.0);
    assert_eq!(row(tasks, "BUILD")["total_float"], 0.0);
    assert_eq!(out["finish_date"], "2025-10-07");
    assert_eq!(out["milestones"][0]["slack"], 3.0);
}

/// Without the calendar keys the same network runs on the project calendar alone: the
/// burn-in waits for Monday and takes 7 weekdays (22 to 30 September), so the keys are what
/// moved the dates.
#[test]
fn removing_the_calendar_keys_gives_the_project_calendar_dates() {
    let text = std::fs::read_to_string(MODEL).unwrap();
    let plain: String = text
        .lines()
        .filter(|l| !l.starts_with("calendar = "))
        .collect::<Vec<_>>()
        .join("\n");
    let dir = std::env::temp_dir().join(format!("plan-calendars-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plain.toml");
    std::fs::write(&file, plain).unwrap();
    let out = json(&[
        "critical-path",
        "--model",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let burn_in = row(&out["tasks"], "BURN-IN");
    assert_eq!(burn_in["early_start_date"], "2025-09-22");
    assert_eq!(burn_in["early_finish_date"], "2025-09-30");
    assert_eq!(row(&out["tasks"], "QA")["early_start_date"], "2025-10-01");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A temporary copy of the model with `from` replaced by `to`, and its directory.
fn variant(name: &str, from: &str, to: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let text = std::fs::read_to_string(MODEL).unwrap();
    assert!(text.contains(from), "{from}");
    let dir = std::env::temp_dir().join(format!("plan-calendars-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("model.toml");
    std::fs::write(&file, text.replace(from, to)).unwrap();
    (dir, file)
}

#[test]
fn a_precedence_only_simulation_of_fixed_durations_gives_the_critical_path_dates() {
    let out = json(&[
        "simulate",
        "--model",
        MODEL,
        "--no-resources",
        "--iterations",
        "200",
        "--format",
        "json",
    ]);
    let done = &out["milestones"][0];
    assert_eq!(done["p50_date"], "2025-10-07");
    assert_eq!(done["p95_date"], "2025-10-07");
    assert_eq!(done["probability_on_time"], 1.0);
}

/// With an uncertain burn-in (5 to 12 days around the clock), every percentile of the
/// simulation lies between the optimistic and the pessimistic critical path, both on the
/// calendars. The pessimistic burn-in runs 12 days from Saturday 20 September to Wednesday 1
/// October, so QA (Monday to Thursday, not the offshore holiday on Monday 6) works Thursday 2,
/// Tuesday 7 to Thursday 9 and ends on Monday 13 October at the latest.
#[test]
fn simulated_dates_lie_between_the_optimistic_and_pessimistic_critical_paths() {
    let (dir, file) = variant("uncertain", "duration = 7", "estimate = [5, 7, 12]");
    let model = file.to_str().unwrap();
    let finish = |estimate: &str| {
        let out = json(&[
            "critical-path",
            "--model",
            model,
            "--estimate",
            estimate,
            "--format",
            "json",
        ]);
        out["finish_date"].as_str().unwrap().to_string()
    };
    let (early, late) = (finish("optimistic"), finish("pessimistic"));
    assert_eq!(late, "2025-10-13");
    let out = json(&[
        "simulate",
        "--model",
        model,
        "--no-resources",
        "--iterations",
        "2000",
        "--format",
        "json",
    ]);
    let done = &out["milestones"][0];
    for key in ["p50_date", "p80_date", "p95_date"] {
        let date = done[key].as_str().unwrap();
        assert!(
            early.as_str() <= date && date <= late.as_str(),
            "{key} {date} not in {early}..{late}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// With people and fixed durations every iteration is the schedule worked out by hand below
/// (`the_schedule_works_each_task_on_its_own_calendar`): DONE on Tuesday 7 October.
#[test]
fn a_simulation_with_people_works_each_task_on_its_own_calendar() {
    let out = json(&[
        "simulate",
        "--model",
        MODEL,
        "--scenario",
        TEAM,
        "--iterations",
        "200",
        "--format",
        "json",
    ]);
    let done = &out["milestones"][0];
    assert_eq!(done["p50_date"], "2025-10-07");
    assert_eq!(done["p95_date"], "2025-10-07");
    assert_eq!(done["probability_on_time"], 1.0);
}

/// With an uncertain burn-in (5 to 12 days) and people, the same seed gives the same JSON on
/// 1 and 16 threads, and its dates lie between the optimistic and the pessimistic critical
/// path (nobody waits for a person in this model, so people add no delay): a 5-day burn-in
/// ends on Wednesday 24 September and QA (Monday to Thursday) on Thursday 2 October; the
/// 12-day one gives Monday 13 October (see
/// `simulated_dates_lie_between_the_optimistic_and_pessimistic_critical_paths`).
#[test]
fn a_simulation_with_people_on_calendars_is_the_same_on_any_number_of_threads() {
    let (dir, file) = variant("threads", "duration = 7", "estimate = [5, 7, 12]");
    let model = file.to_str().unwrap();
    let run = |threads: &str| {
        let args = [
            "simulate",
            "--model",
            model,
            "--scenario",
            TEAM,
            "--iterations",
            "1500",
            "--seed",
            "9",
            "--threads",
            threads,
            "--format",
            "json",
        ];
        let (out, err, code) = plan(&args);
        assert_eq!(code, 0, "{err}");
        out
    };
    let one = run("1");
    assert_eq!(one, run("16"));
    let out: Value = serde_json::from_str(&one).unwrap();
    let done = &out["milestones"][0];
    assert!(done["p10"].as_f64() < done["p95"].as_f64(), "{done}");
    for key in ["p50_date", "p80_date", "p95_date"] {
        let date = done[key].as_str().unwrap();
        assert!(
            ("2025-10-02"..="2025-10-13").contains(&date),
            "{key} {date}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// TWO_QA_JOBS by hand, with one QA engineer: on the offshore calendar (Monday to Thursday
/// with the project's, not Monday 22 September) the second job ends on Wednesday 24 September
/// (see `one_person_does_two_jobs_on_its_calendar_and_the_checker_catches_a_day_off`);
/// without it the jobs run Monday 15 to Wednesday 17 and Thursday 18 to Monday 22.
#[test]
fn an_offshore_role_calendar_moves_the_simulated_dates_as_worked_out_by_hand() {
    let dir = std::env::temp_dir().join(format!("plan-calendars-qa-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let team = dir.join("team.toml");
    std::fs::write(&team, "name = \"one\"\n[team]\nqa = 1\n").unwrap();
    let end = |name: &str, text: &str| {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let out = json(&[
            "simulate",
            "--model",
            file.to_str().unwrap(),
            "--scenario",
            team.to_str().unwrap(),
            "--iterations",
            "100",
            "--format",
            "json",
        ]);
        let end = &out["milestones"][0];
        assert_eq!(end["p10"], end["p95"], "fixed durations: {end}");
        end["p50_date"].as_str().unwrap().to_string()
    };
    assert_eq!(end("offshore.toml", TWO_QA_JOBS), "2025-09-24");
    let home = TWO_QA_JOBS.replace("[roles.qa]\ncalendar = \"offshore\"", "[roles.qa]");
    assert_eq!(end("home.toml", &home), "2025-09-22");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Calendars that all equal the project calendar change no working day: FANZ with every role
/// on such a copy gives the very forecast of FANZ (same seed), P50 and P80 included.
#[test]
fn role_calendars_equal_to_the_project_calendar_give_the_same_forecast() {
    let text = std::fs::read_to_string("models/fanz.toml").unwrap();
    let start = text.find("[calendar]\n").unwrap();
    let end = start + text[start..].find("\n[").unwrap();
    let copy = text[start..end].replacen("[calendar]", "[calendars.same]", 1);
    let mut same = text.clone();
    for role in ["frontend", "backend", "devops", "security", "qa"] {
        let header = format!("[roles.{role}]\n");
        assert!(same.contains(&header), "{role}");
        same = same.replace(&header, &format!("{header}calendar = \"same\"\n"));
    }
    same = format!("{same}\n{copy}\n");
    let dir = std::env::temp_dir().join(format!("plan-calendars-same-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("fanz-same.toml");
    std::fs::write(&file, &same).unwrap();
    let forecast = |model: &str| {
        json(&[
            "simulate",
            "--model",
            model,
            "--scenario",
            "scenarios/seed-low.toml",
            "--iterations",
            "500",
            "--format",
            "json",
        ])
    };
    let (plain, on_copies) = (
        forecast("models/fanz.toml"),
        forecast(file.to_str().unwrap()),
    );
    for (a, b) in plain["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .zip(on_copies["milestones"].as_array().unwrap())
    {
        assert_eq!(a["p50_date"], b["p50_date"], "{}", a["id"]);
        assert_eq!(a["p80_date"], b["p80_date"], "{}", a["id"]);
    }
    assert_eq!(plain, on_copies);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// With one developer and one QA engineer nobody waits for a person: BUILD and DOCS are a
/// chain on the developer, QA is the QA engineer's only task. So the schedule has the dates
/// worked out by hand above for the critical path: BUILD Monday 15 to Friday 19 September,
/// the burn-in Saturday 20 to Friday 26 (every day), DOCS Monday 22 to Wednesday 24, QA on
/// Mondays to Thursdays from Monday 29 September past the offshore holiday of Monday 6 October
/// to Tuesday 7, and DONE on Tuesday 7 October, three days before it is due.
#[test]
fn the_schedule_works_each_task_on_its_own_calendar() {
    let out = json(&[
        "schedule",
        "--model",
        MODEL,
        "--scenario",
        TEAM,
        "--format",
        "json",
    ]);
    let dates = |id: &str| {
        let r = row(&out["tasks"], id);
        (
            r["start_date"].as_str().unwrap().to_string(),
            r["finish_date"].as_str().unwrap().to_string(),
        )
    };
    let want = [
        ("BUILD", "2025-09-15", "2025-09-19"),
        ("BURN-IN", "2025-09-20", "2025-09-26"),
        ("DOCS", "2025-09-22", "2025-09-24"),
        ("QA", "2025-09-29", "2025-10-07"),
    ];
    for (id, start, finish) in want {
        assert_eq!(dates(id), (start.to_string(), finish.to_string()), "{id}");
    }
    let done = row(&out["milestones"], "DONE");
    assert_eq!(done["finish_date"], "2025-10-07");
    assert_eq!(done["met"], true);
}

const TWO_QA_JOBS: &str = r#"
[project]
name = "Two QA jobs"
start = 2025-09-15

[calendars.offshore]
workdays = ["sun", "mon", "tue", "wed", "thu"]
holidays = [2025-09-22]

[roles.qa]
calendar = "offshore"

[[task]]
id = "Q1"
duration = 3
demand = { qa = 1 }

[[task]]
id = "Q2"
duration = 3
demand = { qa = 1 }

[[milestone]]
id = "END"
after = ["Q1", "Q2"]
"#;

fn solved(
    model_text: &str,
    team_text: &str,
    schedules: u64,
) -> (
    plan::model::Model,
    plan::program::ProgramProblem,
    plan::schedule::SearchResult,
) {
    use plan::model::{parse_model, parse_scenario, EstimateChoice};
    use std::path::Path;
    let model = parse_model(model_text, Path::new("m.toml")).unwrap();
    let team = parse_scenario(team_text, Path::new("t.toml"), &model).unwrap();
    let pp = plan::program::build(&model, &team, EstimateChoice::Likely).unwrap();
    let config = plan::schedule::SearchConfig {
        schedules,
        seed: 3,
        ..Default::default()
    };
    let result = pp.search(&config, &[]).unwrap();
    (model, pp, result)
}

fn node(pp: &plan::program::ProgramProblem, id: &str) -> usize {
    pp.graph.ids.iter().position(|i| i == id).unwrap()
}

/// Worked by hand: QA jobs work when the project (Monday to Friday) and the offshore team
/// (Sunday to Thursday) both do, Monday to Thursday, and not on the offshore holiday Monday
/// 22 September. One QA engineer does one job on Monday 15 to Wednesday 17, the other on
/// Thursday 18, Tuesday 23 and Wednesday 24: the end is Wednesday 24 September, and no
/// schedule ends earlier (6 days of QA work, 6 QA working days up to it). Moving the
/// second job onto Friday 19 (a day off for the offshore team) is caught by the checker.
#[test]
fn one_person_does_two_jobs_on_its_calendar_and_the_checker_catches_a_day_off() {
    let team = "name = \"one\"\n[team]\nqa = 1\n";
    let (model, pp, result) = solved(TWO_QA_JOBS, team, 50);
    let schedule = &result.schedule;
    assert!(plan::timeline::check_calendars(&model, &pp, schedule).is_empty());
    let mut cal = model.work_calendar();
    let (q1, q2) = (node(&pp, "Q1"), node(&pp, "Q2"));
    let (first, second) = if schedule.starts[q1] < schedule.starts[q2] {
        (q1, q2)
    } else {
        (q2, q1)
    };
    let date =
        |cal: &mut plan::calendar::WorkCalendar, day: u32| cal.date_of(day as usize).to_string();
    assert_eq!(date(&mut cal, schedule.starts[first]), "2025-09-15");
    assert_eq!(date(&mut cal, schedule.starts[second]), "2025-09-18");
    let end = pp.finish_of(schedule, second).unwrap();
    assert_eq!(date(&mut cal, end - 1), "2025-09-24");
    assert_eq!(
        date(&mut cal, pp.milestone_finishes(schedule)[0] - 1),
        "2025-09-24"
    );

    // The QA engineer's 6 days of work fit on no fewer of its working days: the bound (the
    // qa work alone) is the schedule's end, so the search knows it is best.
    assert_eq!(result.lower_bound, pp.finish(schedule));
    assert!(result.optimal);

    let mut moved = schedule.clone();
    let friday = (0..20u32)
        .find(|&d| cal.date_of(d as usize).to_string() == "2025-09-19")
        .unwrap();
    moved.starts[second] = friday;
    let found = plan::timeline::check_calendars(&model, &pp, &moved);
    assert!(
        found.iter().any(|v| matches!(v,
            plan::timeline::CalendarViolation::OffDay { date, .. } if date.to_string() == "2025-09-19")),
        "{found:?}"
    );
}

/// A random model with role and task calendars: calendars with random weekdays and holidays,
/// tasks linked to earlier ones by every link type with lags and leads, some on their own
/// calendar, demands on roles with or without one.
fn random_model(rng: &mut impl rand::Rng) -> (String, String) {
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let mut text = String::from("[project]\nname = \"R\"\nstart = 2025-09-15\n\n");
    for c in 0..3 {
        let mut w: Vec<&str> = days
            .iter()
            .copied()
            .filter(|_| rng.random_bool(0.5))
            .collect();
        if w.is_empty() {
            w.push(days[rng.random_range(0..7)]);
        }
        let list: Vec<String> = w.iter().map(|d| format!("\"{d}\"")).collect();
        text += &format!(
            "[calendars.c{c}]\nworkdays = [{}]\nholidays = [2025-09-{}]\n\n",
            list.join(", "),
            rng.random_range(16..30)
        );
    }
    let roles = 3;
    for r in 0..roles {
        text += &format!("[roles.r{r}]\n");
        if rng.random_bool(0.6) {
            text += &format!("calendar = \"c{}\"\n", rng.random_range(0..3));
        }
    }
    let tasks = rng.random_range(3..10);
    for t in 0..tasks {
        text += &format!("\n[[task]]\nid = \"T{t}\"\n");
        if rng.random_bool(0.3) {
            // Effort-driven: one mode per crew size, so the schedule picks durations too.
            let r = rng.random_range(0..roles);
            let effort = rng.random_range(1..9);
            text += &format!("effort = {{ r{r} = {effort} }}\ncrew = {{ r{r} = [1, 2] }}\n");
        } else {
            text += &format!("duration = {}\n", rng.random_range(1..6));
            if rng.random_bool(0.8) {
                text += &format!("demand = {{ r{} = 1 }}\n", rng.random_range(0..roles));
            }
        }
        if rng.random_bool(0.3) {
            text += &format!("calendar = \"c{}\"\n", rng.random_range(0..3));
        }
        let mut links = Vec::new();
        for p in 0..t {
            if rng.random_bool(0.3) {
                let kind = ["FS", "SS", "FF", "SF"][rng.random_range(0..4)];
                let lag = rng.random_range(-2..4);
                links.push(format!(
                    "{{ id = \"T{p}\", type = \"{kind}\", lag = {lag} }}"
                ));
            }
        }
        if !links.is_empty() {
            text += &format!("after = [{}]\n", links.join(", "));
        }
    }
    let team: Vec<String> = (0..roles)
        .map(|r| format!("r{r} = {}", rng.random_range(1..3)))
        .collect();
    (
        text,
        format!("name = \"team\"\n[team]\n{}\n", team.join("\n")),
    )
}

#[test]
fn every_schedule_of_random_calendar_models_passes_the_model_checks() {
    use rand::SeedableRng;
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(11);
    let mut checked = 0;
    for case in 0..200 {
        let (text, team) = random_model(&mut rng);
        // Calendars drawn at random may share no weekday: validation refuses those models.
        if plan::model::parse_model(&text, std::path::Path::new("m.toml")).is_err() {
            continue;
        }
        checked += 1;
        let (model, pp, result) = solved(&text, &team, 20);
        let found = plan::timeline::check_calendars(&model, &pp, &result.schedule);
        assert!(found.is_empty(), "case {case}: {found:?}\n{text}");
        let dates = plan::timeline::check_model_dates(&model, &pp, &result.schedule);
        assert!(dates.is_empty(), "case {case}: {dates:?}\n{text}");
        assert!(
            pp.finish(&result.schedule) >= result.lower_bound,
            "case {case}: the bound {} is above a schedule\n{text}",
            result.lower_bound
        );
    }
    assert!(checked >= 50, "only {checked} random models were valid");
}

/// `plan feasibility` on calendars: DONE is met on Tuesday 7 October (the schedule above), so
/// due on Friday 10 it is met. Due on Friday 3 October it is proven impossible: the chain
/// BUILD → BURN-IN → QA, each task on its own working days, ends on Tuesday 7 at the earliest.
/// With the second QA task and one qa, due Friday 10, it is proven impossible by qa's
/// calendar alone: 10 qa-days between Monday 29 September and the due date, where qa works 7
/// days (the grid has 14: the burn-in works every day). Counting every grid day, as the
/// relaxation without calendars does, would allow it (14 ≥ 10).
#[test]
fn feasibility_on_calendars_proves_what_the_calendars_make_impossible() {
    let verdict = |model: &str| {
        let out = json(&[
            "feasibility",
            "--model",
            model,
            "--scenario",
            TEAM,
            "--format",
            "json",
        ]);
        row(&out["milestones"], "DONE").clone()
    };
    assert_eq!(verdict(MODEL)["verdict"], "met");
    let (dir, tight) = variant("tight", "due = 2025-10-10", "due = 2025-10-03");
    let late = verdict(tight.to_str().unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(late["verdict"], "infeasible", "{late}");
    assert_eq!(late["slack"], -4, "{late}");
    assert_eq!(late["bound_date"], "2025-10-07", "{late}");
    let cert = &late["certificate"];
    assert_eq!(cert["kind"], "critical_path", "{cert}");
    assert_eq!(
        cert["text"],
        "the chain BUILD → BURN-IN → QA, each task on its own working days (BUILD 5 on project, BURN-IN 7 on 7x24, QA 5 on project and offshore), ends on 7 Oct 2025 at the earliest, after the due date 3 Oct 2025",
        "{cert}"
    );
    let (dir, two) = two_qa_tasks("feasibility");
    let short = verdict(two.to_str().unwrap());
    assert_eq!(short["verdict"], "infeasible", "{short}");
    assert_eq!(short["bound_date"], "2025-10-15", "{short}");
    let cert = &short["certificate"];
    assert_eq!(cert["kind"], "capacity", "{cert}");
    assert_eq!(cert["role"], "qa", "{cert}");
    assert_eq!(cert["required"], 10.0, "{cert}");
    assert_eq!(cert["available"], 7.0, "{cert}");
    assert!(
        cert["text"].as_str().unwrap().contains(
            "counted on the 7 of the window's 14 days on which qa can work: its calendar offshore"
        ),
        "{cert}"
    );
    let (out, err, code) = plan(&[
        "feasibility",
        "--model",
        two.to_str().unwrap(),
        "--scenario",
        TEAM,
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("INFEASIBLE: not before 2025-10-15") && !out.contains("not computed"),
        "{out}"
    );
}

/// `plan feasibility --marginal` on calendars: with the second QA task (see
/// [`two_qa_tasks`]) a second qa brings DONE from Wednesday 15 to Tuesday 7 October, 8 days
/// of the grid, in the schedule and under the bound; a second dev moves nothing (the chain
/// through the burn-in and QA holds DONE).
#[test]
fn marginal_on_calendars_comes_from_calendar_schedules_and_the_bound() {
    let (dir, two) = two_qa_tasks("marginal");
    let out = json(&[
        "feasibility",
        "--marginal",
        "--model",
        two.to_str().unwrap(),
        "--scenario",
        TEAM,
        "--format",
        "json",
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    let gain = |role: &str| {
        let r = out["marginal"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["role"] == role)
            .unwrap_or_else(|| panic!("no {role} in {out}"));
        row(&r["milestones"], "DONE").clone()
    };
    assert_eq!(gain("qa")["schedule_days_gained"], 8, "{out}");
    assert_eq!(gain("dev")["schedule_days_gained"], 0, "{out}");
    // The bound's date moves as far: from Wednesday 15 (10 qa-days on qa's 7 days to the
    // due date do not fit one qa) to Tuesday 7 October (the chain).
    assert_eq!(gain("qa")["bound_days_gained"], 8, "{out}");
    assert_eq!(gain("dev")["bound_days_gained"], 0, "{out}");
}

/// The table counts each task's working days: QA spans Monday 29 September to Tuesday
/// 7 October (9 days of the grid) but works 5 of them.
#[test]
fn the_schedule_table_shows_the_days_a_task_works() {
    let (out, err, code) = plan(&["schedule", "--model", MODEL, "--scenario", TEAM]);
    assert_eq!(code, 0, "{err}");
    let qa = out
        .lines()
        .find(|l| l.trim_start().starts_with("QA "))
        .unwrap_or_else(|| panic!("no QA row in {out}"));
    let cells: Vec<&str> = qa.split_whitespace().collect();
    assert_eq!(cells[2..5], ["2025-09-29", "2025-10-07", "5"], "{qa}");
}

/// `plan export` writes the calendar schedule's dates (those of the schedule test above) and
/// each task's working days on its own calendars: QA spans Monday 29 September to Tuesday 7
/// October but works 5 days. The Mermaid chart excludes no weekend, since the burn-in works
/// Saturday and Sunday. MSPDI writes the calendars themselves.
#[test]
fn export_writes_the_calendar_schedule_in_every_format() {
    let export = |format: &str| {
        let args = [
            "export",
            "--model",
            MODEL,
            "--scenario",
            TEAM,
            "--format",
            format,
            "--out",
            "-",
        ];
        let (out, err, code) = plan(&args);
        assert_eq!(code, 0, "{format}: {err}");
        out
    };
    let out: Value = serde_json::from_str(&export("json")).unwrap();
    let item = row(&out["items"], "QA");
    assert_eq!(
        (&item["start_date"], &item["finish_date"], &item["duration"]),
        (
            &Value::from("2025-09-29"),
            &Value::from("2025-10-07"),
            &Value::from(5)
        )
    );
    assert_eq!(row(&out["items"], "BURN-IN")["start_date"], "2025-09-20");
    assert_eq!(out["finish_date"], "2025-10-07");
    let csv = export("csv");
    assert!(
        csv.lines()
            .any(|l| l == "task,QA,QA,,BURN-IN,5,2025-09-29,2025-10-07,1 qa,,true"),
        "{csv}"
    );
    let mermaid = export("mermaid");
    assert!(
        mermaid.contains("QA :crit, QA, 2025-09-29, 2025-10-08"),
        "{mermaid}"
    );
    assert!(!mermaid.contains("excludes"), "{mermaid}");

    // MSPDI carries the calendars (tests/mpxj_interchange.rs reads them back with MPXJ).
    let xml = export("mspdi");
    assert!(
        xml.contains("<Calendars>") && xml.contains("<CalendarUID>"),
        "{xml}"
    );
    assert!(xml.contains("2025-09-29T"), "{xml}");
}

/// A task finished before the status date keeps its actual dates on a calendar model, and the
/// work after it starts no earlier than the status date (Monday 22 September): the finished
/// task's zero-length remainder waits for the status date instead of sitting at the end of
/// Friday, which the checker refused as an internal error.
#[test]
fn a_finished_task_on_a_calendar_model_keeps_its_dates_and_the_rest_waits_for_the_status_date() {
    let text = std::fs::read_to_string(MODEL)
        .unwrap()
        .replacen(
            "start = 2025-09-15\n",
            "start = 2025-09-15\nstatus_date = 2025-09-22\n",
            1,
        )
        .replace(
            "id = \"BUILD\"\nduration = 5\n",
            "id = \"BUILD\"\nduration = 5\nactual_start = 2025-09-15\nactual_finish = 2025-09-19\n",
        );
    assert!(text.contains("actual_finish"), "the fixture changed");
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("status.toml");
    std::fs::write(&model, text).unwrap();
    let model = model.to_str().unwrap();
    let args = [
        "schedule",
        "--model",
        model,
        "--scenario",
        TEAM,
        "--format",
        "json",
    ];
    let out = json(&args);
    let tasks = &out["tasks"];
    let build = row(tasks, "BUILD");
    assert_eq!(
        (&build["start_date"], &build["finish_date"]),
        (&Value::from("2025-09-15"), &Value::from("2025-09-19")),
        "{out}"
    );
    for id in ["DOCS", "BURN-IN"] {
        assert_eq!(row(tasks, id)["start_date"], "2025-09-22", "{id}: {out}");
    }
}

/// `text` with a named calendar that is a copy of its `[calendar]` (same workdays, same
/// holidays) and every role on it: a calendar model in which every task works exactly the
/// project's days.
fn roles_on_a_copy_of_the_project_calendar(text: &str) -> String {
    let at = text.find("[calendar]\n").expect("a [calendar] table");
    let end = text[at..].find("\n\n").map_or(text.len(), |e| at + e);
    let copy = text[at..end].replace("[calendar]", "[calendars.same]");
    let mut out = String::with_capacity(text.len() + copy.len());
    for line in text.lines() {
        if line.starts_with("[roles.") && !out.contains("[calendars.same]") {
            out += &copy;
            out += "\n\n";
        }
        out += line;
        out += "\n";
        if line.starts_with("[roles.") {
            out += "calendar = \"same\"\n";
        }
    }
    out
}

/// What a user reads of a schedule: every task's dates and crew, every milestone's date and
/// whether it is met, the finish.
fn schedule_dates(model: &str, team: &str) -> (Vec<String>, Vec<String>, Value) {
    let out = json(&[
        "schedule",
        "--model",
        model,
        "--scenario",
        team,
        "--schedules",
        "2000",
        "--seed",
        "5",
        "--format",
        "json",
    ]);
    let tasks = out["tasks"].as_array().unwrap().iter();
    let tasks = tasks
        .map(|t| {
            let (id, crew) = (&t["id"], &t["crew"]);
            let (start, finish) = (&t["start_date"], &t["finish_date"]);
            format!("{id} {start} {finish} {crew}")
        })
        .collect();
    let milestones = out["milestones"].as_array().unwrap().iter();
    let milestones = milestones
        .map(|m| format!("{} {} {}", m["id"], m["finish_date"], m["met"]))
        .collect();
    (tasks, milestones, out["finish_date"].clone())
}

/// The yardstick of the calendar search: a model whose named calendars all equal the project
/// calendar has the schedule of the same model without calendar keys (the same budget and
/// seed), although it runs through the calendar search (the masks, its generator and check):
/// on the FANZ program (due dates, deadlines, effort-driven crews) and on PSPLIB j30 and j60
/// instances imported as models.
#[test]
fn calendars_equal_to_the_project_calendar_give_the_schedule_without_calendars() {
    let dir = tempfile::tempdir().unwrap();
    let mut cases = vec![(
        "models/fanz.toml".to_string(),
        "scenarios/seed-low.toml".to_string(),
    )];
    for instance in ["j301_1", "j3013_1", "j601_1"] {
        let out = dir.path().join(format!("{instance}.toml"));
        let out = out.to_str().unwrap().to_string();
        let sm = format!("tests/data/psplib/{instance}.sm");
        let (_, err, code) = plan(&["import", &sm, "--out", &out]);
        assert_eq!(code, 0, "{err}");
        let team = out.replace(".toml", "-team.toml");
        cases.push((out, team));
    }
    for (model, team) in cases {
        let text = std::fs::read_to_string(&model).unwrap();
        let same = roles_on_a_copy_of_the_project_calendar(&text);
        assert!(same.matches("calendar = \"same\"").count() >= 4, "{same}");
        let file = dir.path().join("same.toml");
        std::fs::write(&file, &same).unwrap();
        let file = file.to_str().unwrap();
        let parsed = plan::model::parse_model(&same, std::path::Path::new(file)).unwrap();
        assert!(
            parsed.uses_calendars(),
            "{model}: the copy is a calendar model"
        );
        assert_eq!(
            schedule_dates(file, &team),
            schedule_dates(&model, &team),
            "{model}"
        );
    }
}

/// The FANZ program with its QA team offshore (Sunday to Thursday, other holidays) and DevOps
/// on a four-day week: a calendar model whose tasks work different days.
fn fanz_on_team_calendars() -> String {
    let text = std::fs::read_to_string("models/fanz.toml").unwrap();
    let calendars =
        "[calendars.offshore]\nworkdays = [\"sun\", \"mon\", \"tue\", \"wed\", \"thu\"]\n\
        holidays = [2025-10-02, 2025-12-25, 2026-01-01]\n\n\
        [calendars.four-day]\nworkdays = [\"mon\", \"tue\", \"wed\", \"thu\"]\n\n";
    let text = text.replacen(
        "[roles.frontend]",
        &format!("{calendars}[roles.frontend]"),
        1,
    );
    let text = text.replacen("[roles.qa]\n", "[roles.qa]\ncalendar = \"offshore\"\n", 1);
    text.replacen(
        "[roles.devops]\n",
        "[roles.devops]\ncalendar = \"four-day\"\n",
        1,
    )
}

/// A seed gives the same schedule on calendars whatever the thread count, as without them.
#[test]
fn a_calendar_schedule_is_the_same_on_one_thread_or_sixteen() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fanz-calendars.toml");
    let text = fanz_on_team_calendars();
    let model = plan::model::parse_model(&text, &file).unwrap();
    assert!(model.uses_calendars());
    std::fs::write(&file, text).unwrap();
    let run = |threads: &str| {
        let (out, err, code) = plan(&[
            "schedule",
            "--model",
            file.to_str().unwrap(),
            "--scenario",
            "scenarios/seed-low.toml",
            "--schedules",
            "1500",
            "--seed",
            "9",
            "--threads",
            threads,
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{err}");
        out
    };
    let one = run("1");
    assert!(one.contains("\"finish_date\""), "{one}");
    assert_eq!(run("16"), one);
}

/// `plan explain` on calendars prints the certificate beside the chain for a milestone proven
/// impossible: with the second QA task and one qa, DONE (due Friday 10 October) is scheduled
/// on Wednesday 15, and qa's 7 working days to the due date cannot hold 10 qa-days.
#[test]
fn explain_on_calendars_prints_the_certificate_beside_the_chain() {
    let (dir, two) = two_qa_tasks("explain");
    let model = two.to_str().unwrap();
    let out = json(&[
        "explain",
        "DONE",
        "--model",
        model,
        "--scenario",
        TEAM,
        "--format",
        "json",
    ]);
    let (words, err, code) = plan(&["explain", "DONE", "--model", model, "--scenario", TEAM]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out["finish_date"], "2025-10-15", "{out}");
    assert!(
        out.get("proof_not_asked").is_none_or(Value::is_null),
        "{out}"
    );
    let cert = &out["certificate"];
    assert_eq!(cert["kind"], "capacity", "{out}");
    assert_eq!(cert["role"], "qa", "{out}");
    assert_eq!(
        (cert["required"].as_f64(), cert["available"].as_f64()),
        (Some(10.0), Some(7.0))
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        words.contains("Proof that no schedule meets the due date 2025-10-10")
            && words.contains("1 qa person supplies at most 7 (counted on the 7 of the window's 14 days on which qa can work"),
        "{words}"
    );
}
