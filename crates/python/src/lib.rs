//! `newsmill._native`: the runner's entry points for the Python package (`python/newsmill`).
//! The package's Python side reads the tables a run writes; this side runs the pipeline and
//! turns the command's failures into `NewsmillError` with the same message.

use std::path::PathBuf;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;

create_exception!(
    _native,
    NewsmillError,
    PyException,
    "A run that did not happen or stopped: the message is what the `newsmill` command prints \
     on stderr, `exit_code` its exit code. Documents that fail are not errors: they are rows of \
     the `errors` table."
);

/// The `newsmill` command with `argv` (the first item is the program name); returns its exit
/// code. Prints what the command prints.
#[pyfunction]
fn main(py: Python<'_>, argv: Vec<String>) -> u8 {
    py.detach(|| runner::exit_code_number(runner::main_with_args(argv)))
}

/// Runs the pipeline `config` (None: the built-in default pipeline) over `inputs` (empty: the
/// config's) into the folder `output`, as `newsmill run --quiet` does. Returns a dict with
/// `documents`, `failed`, `files` (file name → data rows) and `warnings` (the config's);
/// raises `NewsmillError` with the command's message when the run cannot happen or stops.
#[pyfunction]
#[pyo3(signature = (inputs, output, config=None, threads=None))]
fn run<'py>(
    py: Python<'py>,
    inputs: Vec<String>,
    output: PathBuf,
    config: Option<PathBuf>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let request = runner::RunRequest {
        config,
        inputs,
        output,
        threads,
    };
    let summary = py
        .detach(|| runner::run_pipeline(&request))
        .map_err(|failure| error_of(py, failure))?;
    let result = PyDict::new(py);
    result.set_item("documents", summary.documents)?;
    result.set_item("failed", summary.failed)?;
    result.set_item("files", summary.files)?;
    result.set_item("warnings", summary.warnings)?;
    Ok(result)
}

/// `NewsmillError(message)` with the command's exit code as `exit_code`.
fn error_of(py: Python<'_>, failure: runner::RunFailure) -> PyErr {
    let error = NewsmillError::new_err(failure.message);
    match error.value(py).setattr("exit_code", failure.exit_code) {
        Ok(()) => error,
        Err(e) => e,
    }
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("NewsmillError", module.py().get_type::<NewsmillError>())?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add_function(wrap_pyfunction!(main, module)?)?;
    module.add_function(wrap_pyfunction!(run, module)?)?;
    Ok(())
}
