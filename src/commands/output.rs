//! Writing output files atomically, and only over regular files.
//!
//! A report or model that is written in place can be left half-written by a crash, a full disk
//! or Ctrl-C, and a half-written file looks valid to the next tool that opens it. So every file
//! `plan` writes goes to a temporary file in the same directory first (a rename is only atomic
//! within one file system), is flushed to disk, and then renamed over the target. An existing
//! file is replaced only when the new one is complete; on failure the temporary file is removed.
//!
//! What the target is decides how it is written ([`Target::of`]):
//! - a regular file, or nothing yet: atomically, as above, keeping an existing file's
//!   permissions;
//! - a symbolic link: atomically to the file it points to (created if the link dangles); the
//!   link itself stays;
//! - a directory: refused, naming it, before anything is written;
//! - anything else (a device such as `/dev/null`, a FIFO, a socket): written in place, as a
//!   shell redirection would. Renaming over a device node would replace it with a regular
//!   file, and a pipe cannot be "replaced" at all.
//!
//! Commands that write several files ([`write_all`]) first write every temporary file and only
//! then rename them all, so a failure leaves none of the new files. Temporary files are made
//! through [`interrupt::create_temporary`], so that Ctrl-C can remove them; a write that sees
//! the interrupt before renaming removes its temporaries and reports [`WriteError::Interrupted`].

use super::interrupt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use thiserror::Error;

/// Symbolic links followed before a path is called a loop (Linux's own limit).
const MAX_LINKS: usize = 40;

/// A file that could not be written; the old contents, if any, are still there.
#[derive(Debug, Error)]
pub enum WriteError {
    /// Creating, filling or flushing the temporary file (or the device) failed.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The file asked for.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// Renaming the temporary file over the target failed.
    #[error("cannot replace {}: {source}", .path.display())]
    Replace {
        /// The file asked for.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The path names a directory: a file cannot be written there.
    #[error("cannot write {}: it is a directory\n  help: give a file name, e.g. {}", .0.display(), .0.join("out").display())]
    Directory(PathBuf),
    /// Two outputs of one command resolve to the same file.
    #[error("{} and {} are the same file\n  help: give two different file names", .0.display(), .1.display())]
    SameFile(PathBuf, PathBuf),
    /// Ctrl-C came before the files were in place; nothing was written.
    #[error("{}", interrupt::INTERRUPTED)]
    Interrupted,
}

/// How one output path is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Through a temporary file renamed over this path (a regular file or nothing yet).
    Replace(PathBuf),
    /// Opened and written directly: a device, a FIFO or a socket.
    InPlace(PathBuf),
}

impl Target {
    /// How `path` is written; a directory is refused. Symbolic links are followed, so the
    /// file they point to is replaced, never the link.
    pub fn of(path: &Path) -> Result<Target, WriteError> {
        let io_error = |source| WriteError::Write {
            path: path.to_path_buf(),
            source,
        };
        let mut current = path.to_path_buf();
        for _ in 0..MAX_LINKS {
            // Nothing there yet (or a missing permission, which the write itself reports).
            let Ok(meta) = fs::symlink_metadata(&current) else {
                return Ok(Target::Replace(current));
            };
            let kind = meta.file_type();
            if kind.is_symlink() {
                let link = fs::read_link(&current).map_err(io_error)?;
                current = parent_dir(&current).join(link);
            } else if kind.is_dir() {
                return Err(WriteError::Directory(path.to_path_buf()));
            } else if kind.is_file() {
                return Ok(Target::Replace(current));
            } else {
                return Ok(Target::InPlace(current));
            }
        }
        Err(io_error(io::Error::other(
            "too many levels of symbolic links",
        )))
    }

    /// The file this target writes, spelled canonically where its directory exists, so that
    /// `a.toml`, `./a.toml` and a link to it compare equal.
    fn identity(&self) -> PathBuf {
        let path = match self {
            Target::Replace(p) | Target::InPlace(p) => p,
        };
        let dir = parent_dir(path);
        let dir = fs::canonicalize(&dir).unwrap_or_else(|_| lexically_absolute(&dir));
        match path.file_name() {
            Some(name) => dir.join(name),
            None => dir,
        }
    }
}

/// True when `a` and `b` would write the same file (after links, `.` and `..`).
pub fn same_file(a: &Path, b: &Path) -> Result<bool, WriteError> {
    Ok(Target::of(a)?.identity() == Target::of(b)?.identity())
}

/// Writes `contents` to `path` atomically: the file either keeps its old contents or gets all
/// of the new ones. Errors name the file.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    write_all(&[(path, contents)])
}

/// Like [`write_atomic`], for output produced by a writer callback (large files, streaming).
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), WriteError> {
    match Target::of(path)? {
        Target::InPlace(device) => write_in_place(path, &device, fill),
        Target::Replace(target) => {
            let staged = stage(path, &target, fill)?;
            commit(vec![staged])
        }
    }
}

/// Writes several files as one: every path is checked first (directories and duplicates are
/// refused before anything is written), every regular file is staged in a temporary file, and
/// only then are they all renamed into place. A failure before the renames leaves nothing new
/// and nothing replaced; a rename failing after others succeeded removes the files that did
/// not exist before (files it replaced keep their new contents).
pub fn write_all(outputs: &[(&Path, &[u8])]) -> Result<(), WriteError> {
    let mut targets: Vec<(Target, PathBuf)> = Vec::with_capacity(outputs.len());
    for &(path, _) in outputs {
        let target = Target::of(path)?;
        let identity = target.identity();
        if let Some(k) = targets.iter().position(|(_, seen)| *seen == identity) {
            return Err(WriteError::SameFile(
                outputs[k].0.to_path_buf(),
                path.to_path_buf(),
            ));
        }
        targets.push((target, identity));
    }
    let mut staged = Vec::new();
    let mut devices = Vec::new();
    for ((target, _), &(path, contents)) in targets.iter().zip(outputs) {
        match target {
            Target::Replace(file) => match stage(path, file, |f| f.write_all(contents)) {
                Ok(s) => staged.push(s),
                Err(e) => {
                    discard(&staged);
                    return Err(e);
                }
            },
            Target::InPlace(device) => devices.push((path, device, contents)),
        }
    }
    // Devices cannot be staged: written once every regular file is ready, so that a failing
    // regular file leaves the device untouched.
    for (path, device, contents) in devices {
        if let Err(e) = write_in_place(path, device, |f| f.write_all(contents)) {
            discard(&staged);
            return Err(e);
        }
    }
    commit(staged)
}

/// A complete temporary file waiting to be renamed over its target.
struct Staged {
    /// The path the user gave, for messages.
    asked: PathBuf,
    /// The file replaced (the link's target for a link).
    target: PathBuf,
    temp: PathBuf,
    /// Whether the target existed before, so a failed commit knows what to remove.
    existed: bool,
}

/// Writes the temporary file for `target`, flushed to disk, with the old file's permissions.
fn stage(
    asked: &Path,
    target: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<Staged, WriteError> {
    let temp = temp_path(target);
    let old = fs::metadata(target).ok();
    let result = (|| {
        let mut file = interrupt::create_temporary(&temp)?;
        if let Some(old) = &old {
            file.set_permissions(old.permissions())?;
        }
        fill(&mut file)?;
        file.flush()?;
        file.sync_all()
    })();
    if let Err(e) = result {
        interrupt::remove_temporary(&temp);
        return Err(WriteError::Write {
            path: asked.to_path_buf(),
            source: e,
        });
    }
    Ok(Staged {
        asked: asked.to_path_buf(),
        target: target.to_path_buf(),
        temp,
        existed: old.is_some(),
    })
}

/// Renames every staged file into place, unless Ctrl-C came first.
fn commit(staged: Vec<Staged>) -> Result<(), WriteError> {
    if interrupt::requested() {
        discard(&staged);
        return Err(WriteError::Interrupted);
    }
    for (k, s) in staged.iter().enumerate() {
        if let Err(e) = fs::rename(&s.temp, &s.target) {
            discard(&staged[k..]);
            for done in staged[..k].iter().filter(|d| !d.existed) {
                let _ = fs::remove_file(&done.target);
            }
            return Err(WriteError::Replace {
                path: s.asked.clone(),
                source: e,
            });
        }
        interrupt::keep_temporary(&s.temp);
        // Persist the rename itself; not every platform can open a directory: best effort.
        if let Ok(d) = File::open(parent_dir(&s.target)) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Removes the temporary files of a write that will not happen.
fn discard(staged: &[Staged]) {
    for s in staged {
        interrupt::remove_temporary(&s.temp);
    }
}

/// Writes straight into a device, FIFO or socket (no temporary file, no rename).
fn write_in_place(
    asked: &Path,
    device: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), WriteError> {
    if interrupt::requested() {
        return Err(WriteError::Interrupted);
    }
    let result = (|| {
        let mut file = OpenOptions::new().write(true).open(device)?;
        fill(&mut file)?;
        file.flush()
    })();
    result.map_err(|source| WriteError::Write {
        path: asked.to_path_buf(),
        source,
    })
}

/// The directory a file lives in ("." for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `path` made absolute and without `.` or `..`, without touching the file system (for
/// directories that do not exist yet).
fn lexically_absolute(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A hidden sibling of `path`, unique per process so two runs never share a temporary file.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    parent_dir(path).join(format!(".{name}.{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_an_existing_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        fs::write(&path, "old").unwrap();
        let err = write_atomic_with(&path, |f| {
            f.write_all(b"half")?;
            Err(io::Error::other("interrupted"))
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("out.txt"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_the_file() {
        let err = write_atomic(Path::new("/nonexistent-dir/x/out.txt"), b"x")
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent-dir/x/out.txt"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        let link = dir.path().join("link.txt");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink("real.txt", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        // A dangling link gets its file created.
        let dangling = dir.path().join("dangling.txt");
        std::os::unix::fs::symlink("made.txt", &dangling).unwrap();
        write_atomic(&dangling, b"made").unwrap();
        assert!(fs::symlink_metadata(&dangling).unwrap().is_symlink());
        assert_eq!(
            fs::read_to_string(dir.path().join("made.txt")).unwrap(),
            "made"
        );
        assert_eq!(
            names(dir.path()),
            ["dangling.txt", "link.txt", "made.txt", "real.txt"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&path, b"new").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn a_directory_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomic(dir.path(), b"x").unwrap_err();
        assert!(matches!(err, WriteError::Directory(_)), "{err:?}");
        assert!(err.to_string().contains("it is a directory"), "{err}");
    }

    #[test]
    fn two_spellings_of_one_file_are_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.toml");
        let dotted = dir.path().join(".").join("sub").join("..").join("a.toml");
        assert!(same_file(&a, &dotted).unwrap());
        assert!(!same_file(&a, &dir.path().join("b.toml")).unwrap());
        let missing = dir.path().join("nodir");
        assert!(same_file(&missing.join("x"), &missing.join(".").join("x")).unwrap());
    }

    #[test]
    fn a_failed_second_file_leaves_neither() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("half.toml");
        let second = dir.path().join("nodir").join("team.toml");
        let err = write_all(&[(&first, b"model"), (&second, b"team")]).unwrap_err();
        assert!(err.to_string().contains("team.toml"), "{err}");
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    }

    #[test]
    fn the_same_file_twice_is_refused_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.toml");
        let err =
            write_all(&[(&a, b"model"), (&dir.path().join("./a.toml"), b"team")]).unwrap_err();
        assert!(matches!(err, WriteError::SameFile(..)), "{err:?}");
        assert!(names(dir.path()).is_empty());
    }
}
