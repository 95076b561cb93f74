//! Everything the command prints on standard output goes through [`write_all`], so that a
//! reader that stops early (`newsmill stages | head -1`) or a full disk ends the command with
//! a message instead of a panic.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

/// Runs `print` on a buffered standard output and flushes it. A closed pipe ends the command
/// quietly with success, like most Unix tools (the reader has what it wanted); any other
/// write error (a full disk) is one line on stderr and exit code 1.
pub fn write_all(print: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> ExitCode {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = print(&mut out).and_then(|()| out.flush());
    // The buffer is empty or its content undeliverable: do not let drop retry the write.
    let _ = out.into_parts();
    exit_code(result)
}

fn exit_code(result: std::io::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            say!("error: cannot write to standard output: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_pipe_is_success_and_other_write_errors_are_failure() {
        assert_eq!(exit_code(Ok(())), ExitCode::SUCCESS);
        let pipe = std::io::Error::from(ErrorKind::BrokenPipe);
        assert_eq!(exit_code(Err(pipe)), ExitCode::SUCCESS);
        let full = std::io::Error::from(ErrorKind::StorageFull);
        assert_eq!(exit_code(Err(full)), ExitCode::from(1));
    }
}
