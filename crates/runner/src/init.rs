//! The built-in default pipeline: what runs in a folder without pipeline.toml, and what
//! `newsmill init` writes there to edit.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

/// The config file looked for in the current folder.
pub const FILE_NAME: &str = "pipeline.toml";

/// The commented default pipeline (the same stages as the repository's pipeline.toml).
pub const DEFAULT_PIPELINE: &str = include_str!("default_pipeline.toml");

/// How diagnostics about the built-in pipeline name it.
pub const BUILT_IN_LABEL: &str = "(built-in default pipeline.toml)";

/// Printed with the summary of a run of the built-in pipeline.
pub const BUILT_IN_NOTICE: &str =
    "no pipeline.toml here: using the built-in default pipeline (newsmill init writes one to edit)";

/// `newsmill init [--force]`: writes the default pipeline into ./pipeline.toml; refuses
/// (exit 2) to overwrite one unless `force`.
pub fn init(force: bool) -> ExitCode {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        // create_new: the check and the creation are one step, so a file made meanwhile is safe.
        options.create_new(true);
    }
    let written = options
        .open(FILE_NAME)
        .and_then(|mut file| file.write_all(DEFAULT_PIPELINE.as_bytes()));
    match written {
        Ok(()) => {
            say!(
                "wrote {FILE_NAME}: put articles in articles/ (or edit `input`), check it with `newsmill check`, run it with `newsmill`"
            );
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            say!("error: {FILE_NAME} already exists here; not overwritten (newsmill init --force replaces it)");
            ExitCode::from(2)
        }
        Err(e) => {
            say!("error: cannot write {FILE_NAME}: {e}");
            ExitCode::from(1)
        }
    }
}
