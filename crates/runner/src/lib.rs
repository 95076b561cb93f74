//! `newsmill`: reads a pipeline config, validates it before touching any input, and runs it.
//!
//! This is the only crate that knows about the command line, TOML and the terminal; the
//! stage crates only see documents and their own typed options. The binary (`main.rs`) and the
//! Python package (`crates/python`) share its entry points: [`main_with_args`] is the whole
//! command, [`run_pipeline`] one run that returns its figures or the command's error message.

/// One line on stderr. Unlike `eprintln!`, which panics when stderr is closed or on a full
/// disk, a failed write is ignored: there is nowhere left to tell, and the exit code still says
/// how the command ended.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod config;
mod diagnostics;
mod init;
mod registry;
mod run;
mod shard;
mod stdout;

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use config::Overrides;

/// Mill news articles into clean, structured, cross-referenced tables.
///
/// With no subcommand, runs ./pipeline.toml (without one, the built-in default pipeline on
/// --input; `newsmill init` writes it out to edit).
#[derive(Parser)]
#[command(name = "newsmill", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Run a pipeline (the default).
    Run(RunArgs),
    /// Validate a pipeline without reading any input; exit 2 on problems.
    Check(CheckArgs),
    /// List every stage with its description, options, defaults, needs and provides.
    Stages,
    /// Print the schema of a streamed document line (Spark StructType JSON), so engines read
    /// `--output -` with an explicit schema instead of inferring one; or, with `--format
    /// tables`, every table with its columns and their types.
    Schema(SchemaArgs),
    /// Write a commented pipeline.toml (the built-in default pipeline) into the current folder.
    Init(InitArgs),
}

#[derive(Args)]
struct SchemaArgs {
    /// `spark`: the StructType of a document line; `tables`: every table's columns and types;
    /// `arrow`: every table's Arrow schema, as the `parquet` exporter writes it.
    #[arg(long, value_enum, default_value_t = SchemaFormat::Spark)]
    format: SchemaFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SchemaFormat {
    Spark,
    Tables,
    Arrow,
}

#[derive(Args)]
struct InitArgs {
    /// Overwrite an existing pipeline.toml.
    #[arg(long)]
    force: bool,
}

#[derive(Args, Clone)]
struct ConfigArgs {
    /// The pipeline config [default: pipeline.toml; without one, the built-in default pipeline
    /// runs on --input].
    #[arg(short = 'c', long = "config", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Input file or folder instead of the config's (repeatable); `-` reads JSONL from stdin.
    #[arg(long, value_name = "PATH")]
    input: Vec<String>,
    /// Output folder instead of the config's; `-` writes one JSON line per document to stdout.
    #[arg(long, value_name = "DIR")]
    output: Option<String>,
    /// Run only shard I of --shard-count (0-based): a contiguous share of the sorted inputs,
    /// written to OUTPUT/shard-IIIII-of-NNNNN/ with a _DONE marker; a finished shard is a no-op.
    #[arg(long, value_name = "I", requires = "shard_count")]
    shard_index: Option<usize>,
    /// Number of shards (see --shard-index).
    #[arg(long, value_name = "N", requires = "shard_index")]
    shard_count: Option<usize>,
}

#[derive(Args, Clone)]
struct RunArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// Worker threads (0 = one per core).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// No progress bar and no summary.
    #[arg(short, long)]
    quiet: bool,
    /// Print the time spent in each stage and its throughput.
    #[arg(long)]
    timings: bool,
    /// Write the run's figures (documents, bytes, time per stage, rows per file) as JSON.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    config: ConfigArgs,
}

/// The `newsmill` command with these arguments (the first is the program name): what the
/// binary's `main` and the Python package's `newsmill` script run.
pub fn main_with_args(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> ExitCode {
    let process_start = std::time::Instant::now();
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        // What `Cli::parse` does, without ending the process (a Python interpreter hosts it).
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match cli.command {
        None => run_command(cli.run, process_start),
        Some(Command::Run(args)) => run_command(args, process_start),
        Some(Command::Check(args)) => check_command(args),
        Some(Command::Stages) => stdout::write_all(print_stages),
        Some(Command::Schema(args)) => stdout::write_all(|out| {
            let schema = match args.format {
                SchemaFormat::Spark => export::document_schema(),
                SchemaFormat::Tables => export::tables_schema(&corpus_tables()),
                SchemaFormat::Arrow => {
                    return write!(out, "{}", export::arrow_schemas(&corpus_tables()))
                }
            };
            serde_json::to_writer_pretty(&mut *out, &schema)?;
            writeln!(out)
        }),
        Some(Command::Init(args)) => init::init(args.force),
    }
}

/// The tables corpus stages write, as they describe them.
fn corpus_tables() -> Vec<export::CorpusTable> {
    corroborate::TABLES
        .iter()
        .map(|&(name, columns)| export::CorpusTable {
            name,
            columns,
            needs: model::Capability::Corroboration,
        })
        .collect()
}

fn overrides(args: &ConfigArgs, threads: Option<usize>) -> Overrides {
    Overrides {
        input: (!args.input.is_empty()).then(|| args.input.clone()),
        output: args.output.clone(),
        threads,
        shard: (args.shard_index, args.shard_count),
    }
}

/// The config file to read, or `None` for the built-in default pipeline: the first run of
/// an installed binary, in a folder without pipeline.toml, works with just `--input`.
fn config_source(args: &ConfigArgs) -> Result<Option<PathBuf>, ExitCode> {
    if let Some(path) = &args.config {
        return Ok(Some(path.clone()));
    }
    let default = PathBuf::from(init::FILE_NAME);
    if default.exists() {
        return Ok(Some(default));
    }
    if args.input.is_empty() {
        say!(
            "error: no pipeline.toml here and no --input: run `newsmill run --input FOLDER` to use the built-in default pipeline, `newsmill init` to write a pipeline.toml to edit, or -c FILE"
        );
        return Err(ExitCode::from(2));
    }
    Ok(None)
}

fn load(args: &ConfigArgs, threads: Option<usize>) -> Result<config::Plan, ExitCode> {
    let source = config_source(args)?;
    load_from(source.as_deref(), &overrides(args, threads), &mut |line| {
        say!("{line}")
    })
}

/// Validates the config at `source` (`None`: the built-in default pipeline), handing each line
/// the command prints about it (diagnostics, then the count of problems) to `tell`; exit code 2
/// when there are errors.
fn load_from(
    source: Option<&std::path::Path>,
    overrides: &Overrides,
    tell: &mut dyn FnMut(String),
) -> Result<config::Plan, ExitCode> {
    let (label, (plan, diagnostics)) = match source {
        Some(path) => (path.to_path_buf(), config::load(path, overrides)),
        None => {
            let label = PathBuf::from(init::BUILT_IN_LABEL);
            let loaded = config::load_text(&label, init::DEFAULT_PIPELINE, overrides);
            (label, loaded)
        }
    };
    for d in &diagnostics {
        tell(d.to_string());
    }
    match plan {
        Some(plan) => Ok(plan),
        None => {
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            tell(format!(
                "{}: {errors} problem{} found; nothing was run",
                label.display(),
                if errors == 1 { "" } else { "s" }
            ));
            Err(ExitCode::from(2))
        }
    }
}

/// One run for a library (the Python package): what `newsmill run -c CONFIG --input … --output
/// OUTPUT --quiet` does, with the figures and the messages returned instead of printed.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    /// The pipeline config; `None` is the built-in default pipeline, whatever the current
    /// folder holds (a library call should not depend on where the interpreter started).
    pub config: Option<PathBuf>,
    /// Inputs instead of the config's (empty: the config's).
    pub inputs: Vec<String>,
    /// The output folder.
    pub output: PathBuf,
    /// Worker threads instead of the config's (0 = one per core).
    pub threads: Option<usize>,
}

/// A run that went to the end (some documents may have failed: they are in `errors`).
#[derive(Debug, Clone)]
pub struct RunSummary {
    pub documents: usize,
    pub failed: usize,
    /// File → data rows written.
    pub files: Vec<(String, usize)>,
    /// The config's warnings, as the command prints them.
    pub warnings: Vec<String>,
}

/// A run that did not happen or stopped: what the command prints on stderr (the same lines)
/// and its exit code.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct RunFailure {
    pub message: String,
    pub exit_code: u8,
}

/// Runs `request` as the command would, quietly.
pub fn run_pipeline(request: &RunRequest) -> Result<RunSummary, RunFailure> {
    let process_start = std::time::Instant::now();
    let overrides = Overrides {
        input: (!request.inputs.is_empty()).then(|| request.inputs.clone()),
        output: Some(request.output.to_string_lossy().into_owned()),
        threads: request.threads,
        shard: (None, None),
    };
    let mut lines = Vec::new();
    let plan = load_from(request.config.as_deref(), &overrides, &mut |line| {
        lines.push(line)
    })
    .map_err(|_| RunFailure {
        message: lines.join("\n"),
        exit_code: 2,
    })?;
    let failure = |message: String| RunFailure {
        message,
        exit_code: 1,
    };
    let options = run::RunOptions {
        quiet: true,
        process_start,
    };
    let outcome = run::run(plan, &options).map_err(|e| failure(format!("error: {e}")))?;
    if let Some(reason) = &outcome.aborted {
        return Err(failure(aborted_message(reason)));
    }
    Ok(RunSummary {
        documents: outcome.documents,
        failed: outcome.failed,
        files: outcome.files,
        warnings: lines,
    })
}

/// What the command says when a stage with `on_error = "fail"` stopped the run.
fn aborted_message(reason: &str) -> String {
    format!("error: stopped at the first failure (on_error = \"fail\"): {reason}; no output was written")
}

/// The number of an exit code (`ExitCode` does not tell it), for callers that are not a
/// process's `main`.
pub fn exit_code_number(code: ExitCode) -> u8 {
    (0..=u8::MAX)
        .find(|&n| ExitCode::from(n) == code)
        .unwrap_or(1)
}

fn run_command(args: RunArgs, process_start: std::time::Instant) -> ExitCode {
    let plan = match load(&args.config, args.threads) {
        Ok(plan) => plan,
        Err(code) => return code,
    };
    let done_marker = match (&plan.shard, &plan.output) {
        (Some(_), config::Output::Dir(dir)) => Some(dir.join(shard::DONE_MARKER)),
        _ => None,
    };
    if let Some(marker) = &done_marker {
        if let Some(code) = shard::finished(marker) {
            if !args.quiet {
                say!("{}: shard already done; nothing to do", marker.display());
            }
            return ExitCode::from(code);
        }
    }
    let options = run::RunOptions {
        quiet: args.quiet,
        process_start,
    };
    match run::run(plan, &options) {
        Ok(outcome) => {
            if !args.quiet {
                if config_source(&args.config).is_ok_and(|s| s.is_none()) {
                    say!("{}", init::BUILT_IN_NOTICE);
                }
                run::print_summary(&outcome);
            }
            if args.timings {
                run::print_timings(&outcome);
            }
            if let Some(path) = &args.report {
                let json = run::report_json(&outcome);
                let text = serde_json::to_string_pretty(&json).unwrap_or_default();
                if let Err(e) = std::fs::write(path, text + "\n") {
                    say!("error: cannot write report {}: {e}", path.display());
                    return ExitCode::from(1);
                }
            }
            if let (Some(marker), None) = (&done_marker, &outcome.aborted) {
                if let Err(e) = shard::mark_done(marker, &outcome) {
                    say!("error: cannot write {}: {e}", marker.display());
                    return ExitCode::from(1);
                }
            }
            if let Some(reason) = &outcome.aborted {
                say!("{}", aborted_message(reason));
                ExitCode::from(1)
            } else if outcome.failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            say!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn check_command(args: CheckArgs) -> ExitCode {
    let plan = match load(&args.config, None) {
        Ok(plan) => plan,
        Err(code) => return code,
    };
    let streaming = plan.streaming_output();
    let names: Vec<String> = plan
        .stages
        .iter()
        .map(|s| {
            let unavailable = streaming && s.kind == registry::StageKind::Corpus;
            let suffix = if unavailable {
                " (unavailable when streaming)"
            } else {
                ""
            };
            if s.instance == s.entry {
                format!("{}{suffix}", s.instance)
            } else {
                format!("{} ({}){suffix}", s.instance, s.entry)
            }
        })
        .collect();
    let label = match config_source(&args.config) {
        Ok(Some(path)) => path.display().to_string(),
        _ => init::BUILT_IN_LABEL.to_string(),
    };
    stdout::write_all(|out| writeln!(out, "{label}: ok: {}", names.join(" → ")))
}

fn print_stages(out: &mut dyn Write) -> std::io::Result<()> {
    for entry in registry::registry() {
        writeln!(out, "{} [{}]", entry.name, entry.kind.as_str())?;
        writeln!(out, "    {}", entry.description)?;
        let caps = |c: &[model::Capability]| {
            if c.is_empty() {
                "-".to_string()
            } else {
                c.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
            }
        };
        writeln!(
            out,
            "    needs: {}   provides: {}",
            caps(entry.needs),
            caps(entry.provides)
        )?;
        let defaults = (entry.defaults)();
        if entry.option_docs.is_empty() {
            writeln!(out, "    options: none")?;
        } else {
            writeln!(out, "    options (with defaults):")?;
            for (key, doc) in entry.option_docs {
                let default = default_of(&defaults, key);
                writeln!(out, "      {key} = {default}\n          {doc}")?;
            }
        }
        writeln!(
            out,
            "    common: type = \"{}\" (for a named instance), on_error = \"skip\" | \"fail\"",
            entry.name
        )?;
        writeln!(out)?;
    }
    Ok(())
}

/// The default of a (possibly dotted) key, from the TOML of the options' defaults.
fn default_of(defaults: &str, key: &str) -> String {
    let Ok(table) = defaults.parse::<toml::Table>() else {
        return String::new();
    };
    let mut value: Option<&toml::Value> = None;
    let mut current = &table;
    for part in key.split('.') {
        value = current.get(part);
        match value {
            Some(toml::Value::Table(t)) => current = t,
            Some(_) => {}
            None => return "(none)".to_string(),
        }
    }
    value.map_or_else(|| "(none)".to_string(), |v| v.to_string())
}
