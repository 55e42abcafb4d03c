//! Holds the library to its stage order (docs/architecture.md): every file's `use crate::…`,
//! `use super::…` and inline `crate::…` paths are read from the source, resolved to the file
//! they name, and checked against the stage table. A module may import modules of its own or
//! an earlier stage, never a later one, and no two files may import each other. The binary
//! (`main.rs`, `cli.rs`, `commands/`) is the last stage: it may use the whole library, and
//! the same rule holds among its own files (a `commands/*.rs` never imports `commands/mod.rs`,
//! which dispatches to it; what commands share lives in leaf files such as `commands/common.rs`).
//!
//! The scan is textual (no parser): it drops line comments and everything from the first
//! `#[cfg(test)]` on, since tests may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Stages in order; a module belongs to the first entry whose path is a prefix of its own.
const STAGES: &[(&str, &[&str])] = &[
    ("foundation", &["error", "calendar", "run"]),
    ("graph", &["graph"]),
    ("model", &["model"]),
    ("precedence", &["cpm", "resources"]),
    ("schedule", &["schedule"]),
    ("problem", &["program", "drivers", "timeline"]),
    ("analysis", &["simulate", "bounds", "explain"]),
    ("report", &["report"]),
    ("tracking", &["tracking"]),
    ("interchange", &["interchange"]),
];

/// A module path inside the library, e.g. `["bounds", "staff"]`.
type Module = Vec<String>;

fn stage(module: &[String]) -> Option<usize> {
    let top = module.first()?;
    STAGES
        .iter()
        .position(|(_, modules)| modules.contains(&top.as_str()))
}

/// Which crate of the package a scan reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Crate {
    /// `src/lib.rs` and its modules.
    Library,
    /// `src/main.rs` and its modules (`cli`, `commands`).
    Binary,
}

/// The binary's top-level modules; every other file under `src` is the library's.
const BINARY: &[&str] = &["main", "cli", "commands"];

/// Every file of one crate as its module path (the crate root is the empty path), with its
/// text.
fn crate_files(src: &Path, which: Crate) -> BTreeMap<Module, String> {
    let mut out = BTreeMap::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).expect("under src");
            let mut module: Module = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|m| m == "mod") {
                module.pop();
            }
            let binary = module.first().is_some_and(|m| BINARY.contains(&m.as_str()));
            if binary != (which == Crate::Binary) || module == ["stages"] {
                continue;
            }
            if module == ["lib"] || module == ["main"] {
                // The crate root: `crate::x` and its own `mod x;` both name `x`.
                module.clear();
                if which == Crate::Library {
                    continue;
                }
            }
            let text = std::fs::read_to_string(&path).expect("a source file is readable");
            out.insert(module, text);
        }
    }
    out
}

/// A module path as it is written, the crate root as `main`.
fn shown(module: &[String]) -> String {
    if module.is_empty() {
        "main".into()
    } else {
        module.join("::")
    }
}

/// The text without line comments and without its test module.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `a::{b, c::{d, e}}` as `[a::b, a::c::d, a::c::e]`.
fn expand(tree: &str) -> Vec<Vec<String>> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        return vec![tree.split("::").map(|s| s.trim().to_string()).collect()];
    };
    let prefix: Vec<String> = tree[..open]
        .split("::")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut parts, mut depth, mut current) = (Vec::new(), 0, String::new());
    for ch in inner.chars() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(ch);
    }
    parts.push(current);
    parts
        .iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| expand(p))
        .map(|rest| prefix.iter().cloned().chain(rest).collect())
        .collect()
}

/// Paths a file names: its `use` trees, inline `crate::`/`super::` paths, and the children
/// it declares with `mod x;` and then names as `x::`.
fn named_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for stmt in code.split(';') {
        let stmt = stmt.trim();
        let body = stmt
            .strip_prefix("pub use ")
            .or_else(|| stmt.strip_prefix("pub(crate) use "))
            .or_else(|| stmt.strip_prefix("use "));
        if let Some(body) = body.map(str::trim) {
            if ["crate::", "super::", "self::"]
                .iter()
                .any(|p| body.starts_with(p))
            {
                paths.extend(expand(body));
            }
        }
    }
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    for (i, _) in code
        .match_indices("crate::")
        .chain(code.match_indices("super::"))
    {
        if i > 0 && code[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let path: String = code[i..].chars().take_while(|&c| ident(c)).collect();
        let path: Vec<String> = path
            .trim_end_matches(':')
            .split("::")
            .map(str::to_string)
            .collect();
        // `use super::{…}` alone names nothing yet: its expansion above does.
        if path.len() > 1 {
            paths.push(path);
        }
    }
    for line in code.lines() {
        let line = line.trim();
        let child = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
            .and_then(|l| l.strip_suffix(';'));
        if let Some(child) = child.filter(|c| names(code, c)) {
            paths.push(vec!["self".into(), child.into()]);
        }
    }
    paths
}

/// Whether `code` names `child::…` as a path of its own (not as the end of a longer name).
fn names(code: &str, child: &str) -> bool {
    let pattern = format!("{child}::");
    code.match_indices(&pattern).any(|(i, _)| {
        !code[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    })
}

/// The file a path names: the longest prefix that is a file.
fn resolve(files: &BTreeMap<Module, String>, from: &[String], path: &[String]) -> Option<Module> {
    let (mut full, rest): (Vec<String>, &[String]) = match path.first().map(String::as_str) {
        Some("crate") => (Vec::new(), &path[1..]),
        Some("self") => (from.to_vec(), &path[1..]),
        Some("super") => {
            let mut base = from.to_vec();
            let mut rest = path;
            while rest.first().is_some_and(|p| p == "super") {
                base.pop();
                rest = &rest[1..];
            }
            (base, rest)
        }
        _ => return None,
    };
    full.extend(
        rest.iter()
            .filter(|p| !p.is_empty() && *p != "*" && *p != "self")
            .map(|p| p.split(" as ").next().unwrap_or(p).trim().to_string()),
    );
    (1..=full.len())
        .rev()
        .map(|k| full[..k].to_vec())
        .find(|m| files.contains_key(m))
}

/// Every file-to-file import edge of the library.
fn edges(files: &BTreeMap<Module, String>) -> BTreeSet<(Module, Module)> {
    let mut out = BTreeSet::new();
    for (module, text) in files {
        for path in named_paths(&code(text)) {
            if let Some(target) = resolve(files, module, &path) {
                if &target != module {
                    out.insert((module.clone(), target));
                }
            }
        }
    }
    out
}

fn files_of(which: Crate) -> BTreeMap<Module, String> {
    crate_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), which)
}

fn library() -> BTreeMap<Module, String> {
    files_of(Crate::Library)
}

/// Pairs of files that import each other, as `a <-> b`.
fn mutual_imports(edges: &BTreeSet<(Module, Module)>) -> Vec<String> {
    edges
        .iter()
        .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
        .map(|(a, b)| format!("{} <-> {}", shown(a), shown(b)))
        .collect()
}

#[test]
fn every_library_module_has_a_stage() {
    let missing: Vec<String> = library()
        .keys()
        .filter(|m| stage(m).is_none())
        .map(|m| shown(m))
        .collect();
    assert!(
        missing.is_empty(),
        "add these modules to STAGES in src/stages.rs and docs/architecture.md: {missing:?}"
    );
}

#[test]
fn no_module_imports_a_later_stage() {
    let files = library();
    let edges = edges(&files);
    assert!(
        edges.len() > 50,
        "the scan finds the imports ({})",
        edges.len()
    );
    let backward: Vec<String> = edges
        .iter()
        .filter(|(a, b)| stage(a) < stage(b))
        .map(|(a, b)| format!("{} -> {}", shown(a), shown(b)))
        .collect();
    assert!(
        backward.is_empty(),
        "imports of a later stage: {backward:#?}"
    );
}

#[test]
fn no_two_files_import_each_other() {
    let mutual = mutual_imports(&edges(&library()));
    assert!(
        mutual.is_empty(),
        "files that import each other: {mutual:#?}"
    );
}

#[test]
fn no_two_files_of_the_binary_import_each_other() {
    let files = files_of(Crate::Binary);
    let edges = edges(&files);
    let commands = |m: &Module| m.first().is_some_and(|c| c == "commands") && m.len() > 1;
    assert!(
        edges.iter().filter(|(a, _)| commands(a)).count() > 10,
        "the scan finds the commands' imports ({edges:?})"
    );
    let mutual = mutual_imports(&edges);
    assert!(
        mutual.is_empty(),
        "files of the binary that import each other (move what they share into a leaf such \
         as commands/common.rs): {mutual:#?}"
    );
}

#[test]
fn the_scan_sees_braced_relative_and_inline_imports() {
    let files: BTreeMap<Module, String> = [
        (
            vec!["a".to_string()],
            "mod b;\nfn f() { b::g(); }".to_string(),
        ),
        (vec!["a".into(), "b".into()], "use super::{c::X, d};".into()),
        (vec!["a".into(), "c".into()], String::new()),
        (
            vec!["a".into(), "d".into()],
            "fn h() { crate::e::f(); }".into(),
        ),
        (vec!["e".into()], "// use crate::a;\n".into()),
    ]
    .into_iter()
    .collect();
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Module>();
    let found = edges(&files);
    let expected: BTreeSet<(Module, Module)> = [
        (names(&["a"]), names(&["a", "b"])),
        (names(&["a", "b"]), names(&["a", "c"])),
        (names(&["a", "b"]), names(&["a", "d"])),
        (names(&["a", "d"]), names(&["e"])),
    ]
    .into_iter()
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn the_scan_sees_a_child_that_imports_its_parent() {
    let module = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Module>();
    let files: BTreeMap<Module, String> = [
        (
            module(&[]),
            "mod commands;\nfn main() { commands::run(); }".to_string(),
        ),
        (
            module(&["commands"]),
            "mod bounds;\nmod common;\npub fn run() { bounds::staff(); }".into(),
        ),
        (
            module(&["commands", "bounds"]),
            "use super::{emit, CliError};\nuse super::common::load;".into(),
        ),
        (
            module(&["commands", "common"]),
            "use crate::cli::Args;".into(),
        ),
        (module(&["cli"]), String::new()),
    ]
    .into_iter()
    .collect();
    let found = edges(&files);
    assert!(found.contains(&(module(&["commands", "common"]), module(&["cli"]))));
    assert_eq!(mutual_imports(&found), ["commands <-> commands::bounds"]);
}
