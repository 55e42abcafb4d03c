//! Ctrl-C: one handler for every command, installed once when the command starts.
//!
//! The first Ctrl-C sets the run's cancel flag ([`flag`]), which the search, the simulation
//! and the commands' own loops read between steps; they stop, write nothing and exit 130
//! ([`Interrupted`]). Work that cannot look at the flag (an LP solve, loading a
//! huge file) is not waited for: [`GRACE`] after the first Ctrl-C, or at a second one, the
//! process removes its temporary files ([`create_temporary`]) and exits 130 itself. Either way no output file
//! appears and standard output stays empty (results are printed only once a command is done).

//!
//! A leaf of the binary: it imports no other command module, so every one of them may use it.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

/// How long a command has to stop on its own after Ctrl-C before the process exits anyway.
const GRACE: Duration = Duration::from_millis(500);

/// The message of a run stopped by Ctrl-C.
pub const INTERRUPTED: &str = "interrupted: no output written";

/// Exit code of a run interrupted by Ctrl-C (128 + SIGINT).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Ctrl-C was pressed: the command stops and writes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// The process's cancel flag, set by Ctrl-C once [`install`] ran.
pub fn flag() -> Arc<AtomicBool> {
    Arc::clone(FLAG.get_or_init(Arc::default))
}

/// True once Ctrl-C was pressed.
pub fn requested() -> bool {
    FLAG.get().is_some_and(|f| f.load(Ordering::SeqCst))
}

/// `Err(Interrupted)` once Ctrl-C was pressed: for the steps between long stages.
pub fn check() -> Result<(), Interrupted> {
    if requested() {
        Err(Interrupted)
    } else {
        Ok(())
    }
}

/// Installs the Ctrl-C handler (once per process; later calls do nothing).
pub fn install() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let cancel = flag();
        // Without a handler Ctrl-C still ends the process, only less tidily: not fatal.
        let _ = ctrlc::set_handler(move || {
            if cancel.swap(true, Ordering::SeqCst) {
                exit_now();
            }
            std::thread::spawn(|| {
                std::thread::sleep(GRACE);
                exit_now();
            });
        });
    });
}

/// Ends the process as interrupted, leaving no temporary file behind.
fn exit_now() -> ! {
    let temporaries = temporaries();
    for temp in temporaries.iter() {
        let _ = fs::remove_file(temp);
    }
    // Held until the process exits: a write in progress must not create another file.
    std::mem::forget(temporaries);
    eprintln!("{INTERRUPTED}");
    std::process::exit(EXIT_INTERRUPTED);
}

/// Temporary output files that exist right now: removed if the process exits on Ctrl-C.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn temporaries() -> MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARIES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Creates the temporary file `path`, to be removed if the process exits on Ctrl-C. Made while
/// holding the list, so an exit sees either no file or a listed one.
pub fn create_temporary(path: &Path) -> io::Result<File> {
    let mut list = temporaries();
    let file = File::create(path)?;
    list.push(path.to_path_buf());
    Ok(file)
}

/// The temporary file `path` was renamed into place: Ctrl-C no longer removes it.
pub fn keep_temporary(path: &Path) {
    temporaries().retain(|p| p != path);
}

/// Removes the temporary file `path` (a write that will not happen).
pub fn remove_temporary(path: &Path) {
    let mut list = temporaries();
    let _ = fs::remove_file(path);
    list.retain(|p| p != path);
}
