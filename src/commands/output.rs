//! Writing output files atomically.
//!
//! A report or model that is written in place can be left half-written by a crash, a full disk
//! or Ctrl-C, and a half-written file looks valid to the next tool that opens it. So every file
//! `plan` writes goes to a temporary file in the same directory first (a rename is only atomic
//! within one file system), is flushed to disk, and then renamed over the target. An existing
//! file is replaced only when the new one is complete; on failure the temporary file is removed.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// A file that could not be written; the old contents, if any, are still there.
#[derive(Debug, Error)]
pub enum WriteError {
    /// Creating, filling or flushing the temporary file failed.
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
}

/// Writes `contents` to `path` atomically: the file either keeps its old contents or gets all
/// of the new ones. Errors name the file.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    write_atomic_with(path, |file| file.write_all(contents))
}

/// Like [`write_atomic`], for output produced by a writer callback (large files, streaming).
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), WriteError> {
    let dir = parent_dir(path);
    let temp = temp_path(path);
    let result = (|| {
        let mut file = File::create(&temp)?;
        fill(&mut file)?;
        file.flush()?;
        file.sync_all()
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(WriteError::Write {
            path: path.to_path_buf(),
            source: e,
        });
    }
    if let Err(e) = fs::rename(&temp, path) {
        let _ = fs::remove_file(&temp);
        return Err(WriteError::Replace {
            path: path.to_path_buf(),
            source: e,
        });
    }
    // Persist the rename itself; not every platform can open a directory, so this is best effort.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The directory a file lives in ("." for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
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
}
