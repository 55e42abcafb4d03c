//! Ctrl-C: one handler for every command, installed once when the command starts.
//!
//! The first Ctrl-C sets the run's cancel flag ([`flag`]), which the search, the simulation
//! and the commands' own loops read between steps; they stop, write nothing and exit 130
//! ([`super::CliError::Interrupted`]). Work that cannot look at the flag (an LP solve, loading a
//! huge file) is not waited for: [`GRACE`] after the first Ctrl-C, or at a second one, the
//! process removes its temporary files and exits 130 itself. Either way no output file
//! appears and standard output stays empty (results are printed only once a command is done).

use super::{CliError, EXIT_INTERRUPTED};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// How long a command has to stop on its own after Ctrl-C before the process exits anyway.
const GRACE: Duration = Duration::from_millis(500);

/// The message of a run stopped by Ctrl-C.
pub const INTERRUPTED: &str = "interrupted: no output written";

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
pub fn check() -> Result<(), CliError> {
    if requested() {
        Err(CliError::Interrupted)
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
    super::output::remove_temporaries();
    eprintln!("{INTERRUPTED}");
    std::process::exit(EXIT_INTERRUPTED);
}
