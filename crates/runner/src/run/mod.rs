//! Runs a validated plan: documents flow through the per-document stages (in parallel, each
//! worker taking the next handful as it comes free and encoding it for the exporters), then
//! in input order into the corpus stages and the exporters' files, which are committed to the
//! output folder together.
//!
//! - [`executor`]: the workers and the reordering into input order;
//! - [`sink`]: corpus stages, exporters and the stdout stream, in input order;
//! - [`progress`]: the progress bar;
//! - [`report`]: the run's figures, the summary, `--timings` and `--report`.
//!
//! Memory is bounded by the documents in flight, never by the corpus: at most two windows'
//! worth are read, being processed or waiting for their turn to be written.

mod executor;
mod progress;
mod report;
mod sink;

use std::io::BufReader;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use export::{ExportContext, OutputFolder};
use model::{CorpusStage, DocumentStage, Exporter};

use crate::config::{Input, OnError, Output, Plan};
use crate::registry::{Built, ExporterFactory};
use executor::{DocStage, Executor, Source, HANDOUT};
pub use report::{print_summary, print_timings, report_json, Outcome, Sched, Usage};
use sink::Sink;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Input(#[from] ingest::IngestError),
    #[error("stage `{stage}`: {message}")]
    Stage { stage: String, message: String },
    #[error("writing to standard output: {0}")]
    Stdout(std::io::Error),
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    /// The output folder could not be locked, prepared or committed.
    #[error("{0}")]
    Output(String),
}

pub struct RunOptions {
    pub quiet: bool,
    /// When the process started, for the start-up time in [`Usage`].
    pub process_start: Instant,
}

/// Documents read at a time per thread; twice as many, at least 128, are in flight.
const WINDOW_PER_THREAD: usize = 32;

pub fn run(plan: Plan, options: &RunOptions) -> Result<Outcome, RunError> {
    let started = Instant::now();
    let mut plan = plan;
    let threads = match plan.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let stages = Stages::of(&mut plan);
    // The lock comes first: a second run on the same folder stops before reading anything.
    let (output, exporters) = open_output(&plan, stages.exporters)?;
    let doc_stages: Vec<DocStage<'_>> = stages
        .document
        .iter()
        .map(|(instance, stage, on_error)| DocStage::new(instance, stage.as_ref(), *on_error))
        .collect();
    let inputs = open_inputs(&plan)?;
    let stdout = plan.streaming_output().then(|| {
        export::StreamWriter::new(std::io::BufWriter::with_capacity(
            1 << 16,
            std::io::stdout(),
        ))
    });
    let fail_fast = doc_stages
        .iter()
        .filter(|s| s.on_error == OnError::Fail)
        .map(|s| s.instance.to_string())
        .collect();
    let progress = progress::progress_bar(options.quiet, inputs.total);
    let mut sink = Sink::new(
        stages.corpus,
        exporters,
        stdout,
        progress,
        options.quiet,
        fail_fast,
    );
    let mut usage = Usage {
        startup: options.process_start.elapsed(),
        build_busy: plan.build_busy,
        build_wall: plan.build_wall,
        build_cpu: std::mem::take(&mut plan.build_cpu),
        ..Usage::default()
    };
    let ingest_nanos = AtomicU64::new(0);
    let executor = Executor {
        threads,
        in_flight: 2 * (threads * WINDOW_PER_THREAD).max(64),
        chunk: HANDOUT,
        doc_stages: &doc_stages,
        ingest_nanos: &ingest_nanos,
    };
    let processing = Instant::now();
    let (workers, result) = executor.run(inputs.source, &mut sink);
    usage.processing = processing.elapsed();
    usage.workers_waiting_for_input = workers.waiting;
    usage.workers_sched = workers.sched;
    usage.writer_sched = workers.writer;
    sink.export_time += workers.encoding;
    let ingest_time = Duration::from_nanos(ingest_nanos.load(Ordering::Relaxed));
    let stage_times: Vec<(String, Duration)> = doc_stages.iter().map(DocStage::time).collect();
    // Each worker reads, runs the stages and encodes.
    usage.workers_busy =
        workers.encoding + ingest_time + stage_times.iter().map(|(_, t)| *t).sum::<Duration>();
    result?;
    sink.end_progress();
    let mut timings = vec![("ingest".to_string(), ingest_time)];
    timings.extend(stage_times);
    let (documents, failed, bytes) = (sink.documents, sink.failed, sink.bytes);
    let aborted = sink.aborted.clone();
    let files = match (&aborted, output) {
        // The exporters and the new generation are dropped uncommitted: the previous run's
        // outputs stay as they were.
        (Some(_), _) => Vec::new(),
        (None, output) => {
            let files = sink.finish(&mut timings)?;
            if let Some(output) = output {
                output.commit().map_err(|e| RunError::Output(e.message))?;
            }
            files
        }
    };
    Ok(Outcome {
        documents,
        failed,
        files,
        elapsed: started.elapsed(),
        aborted,
        skipped_inputs: inputs.skipped,
        skipped_records: inputs.skipped_records.load(Ordering::Relaxed),
        bytes,
        threads,
        timings,
        usage: Usage {
            cpu: report::process_cpu_time(),
            ..usage
        },
    })
}

/// The plan's stages by kind, built and ready to run.
struct Stages {
    document: Vec<(String, Box<dyn DocumentStage>, OnError)>,
    corpus: Vec<(&'static str, Box<dyn CorpusStage>)>,
    exporters: Vec<(String, ExporterFactory)>,
}

impl Stages {
    /// Takes the stages out of `plan`. Corpus stages are left out when streaming or in a
    /// shard (config validation warned about it).
    fn of(plan: &mut Plan) -> Stages {
        let skip_corpus = plan.streaming_output() || plan.shard.is_some();
        let mut stages = Stages {
            document: Vec::new(),
            corpus: Vec::new(),
            exporters: Vec::new(),
        };
        for stage in std::mem::take(&mut plan.stages) {
            match stage.built {
                Built::Document(s) => stages.document.push((stage.instance, s, stage.on_error)),
                Built::Corpus(_) if skip_corpus => {}
                Built::Corpus(s) => stages.corpus.push((leak(stage.instance), s)),
                Built::Export(factory) => stages.exporters.push((stage.instance, factory)),
            }
        }
        stages
    }
}

/// An exporter with its instance name.
type NamedExporter = (&'static str, Box<dyn Exporter>);

/// Locks the output folder, opens a new generation in it and the exporters that write there
/// (none when streaming).
fn open_output(
    plan: &Plan,
    factories: Vec<(String, ExporterFactory)>,
) -> Result<(Option<OutputFolder>, Vec<NamedExporter>), RunError> {
    let Output::Dir(dir) = &plan.output else {
        return Ok((None, Vec::new()));
    };
    let folder = OutputFolder::open(dir).map_err(|e| RunError::Output(e.message))?;
    let mut exporters = Vec::new();
    for (instance, factory) in factories {
        let context = ExportContext {
            output_dir: folder.staging_dir().to_path_buf(),
            capabilities: plan.capabilities.clone(),
            instance: instance.clone(),
        };
        let exporter = factory(&context).map_err(|e| RunError::Stage {
            stage: instance.clone(),
            message: e.message,
        })?;
        exporters.push((leak(instance), exporter));
    }
    Ok((Some(folder), exporters))
}

/// Instance names live as long as the run; leaking a handful of short strings keeps the
/// borrow structure of the loop simple.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The documents to read.
struct Inputs {
    source: Source,
    /// Their count, when known up front (one document per file).
    total: Option<u64>,
    /// Entries of input folders (and named paths) not read, and why.
    skipped: Vec<ingest::Skipped>,
    /// WARC records skipped, counted as the archives are read.
    skipped_records: Arc<AtomicUsize>,
}

fn open_inputs(plan: &Plan) -> Result<Inputs, RunError> {
    let mut paths = Vec::new();
    let mut stdin = false;
    for input in &plan.inputs {
        match input {
            Input::Stdin => stdin = true,
            Input::Path(p) => paths.push(p.clone()),
        }
    }
    // A shard's folder is inside the output folder given: all of it is left out of the walk.
    let output = match (&plan.output, plan.shard) {
        (Output::Dir(dir), Some(_)) => dir.parent(),
        (Output::Dir(dir), None) => Some(dir.as_path()),
        (Output::Stdout, _) => None,
    };
    let walk = ingest::WalkOptions {
        extensions: &plan.ingest.extensions,
        output,
    };
    let ingest::Planned { mut files, skipped } = ingest::plan_inputs(&paths, &walk)?;
    // A shard reads its share, after the ids of the files before it (so ids match one run).
    let first = plan.shard.map_or(0, |shard| {
        let range = shard.range(files.len());
        files.truncate(range.end);
        range.start
    });
    let known = !stdin && files[first..].iter().all(|f| f.kind.one_document());
    let total = known.then_some((files.len() - first) as u64);
    let mut from_files = ingest::FileReader::new(files, plan.ingest.clone()).starting_at(first);
    let skipped_records = from_files.skipped_records();
    if stdin {
        let reader = BufReader::with_capacity(1 << 16, std::io::stdin());
        from_files = from_files.then_stream(Box::new(reader), "<stdin>");
    }
    let source: Source = Box::new(from_files);
    Ok(Inputs {
        source,
        total,
        skipped,
        skipped_records,
    })
}
