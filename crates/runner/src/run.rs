//! Runs a validated plan: documents flow through the per-document stages (in parallel, each
//! worker taking the next handful as it comes free and encoding it for the exporters), then
//! in input order into the corpus stages and the exporters' files.
//!
//! Memory is bounded by the documents in flight, never by the corpus: one thread reads,
//! processes and writes a window of documents before reading the next; more threads keep at
//! most two windows' worth read, being processed or waiting for their turn to be written.

use std::collections::BTreeMap;
use std::io::{BufReader, IsTerminal, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, TryRecvError};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use model::{CorpusStage, Document, DocumentStage, Exporter, Status};

use crate::config::{Input, OnError, Output, Plan};
use crate::registry::Built;

/// How a run ended.
pub struct Outcome {
    pub documents: usize,
    pub failed: usize,
    /// File → data rows written.
    pub files: Vec<(String, usize)>,
    pub elapsed: std::time::Duration,
    /// Set when a stage with `on_error = "fail"` stopped the run.
    pub aborted: Option<String>,
    pub skipped_inputs: Vec<std::path::PathBuf>,
    /// WARC records that are not HTML responses (requests, metadata, redirects…).
    pub skipped_records: usize,
    /// Bytes of decoded source text of the documents read.
    pub bytes: u64,
    pub threads: usize,
    /// Time per step, summed over threads: `ingest`, each stage instance, `export`.
    pub timings: Vec<(String, Duration)>,
    /// Where the cores went, so that the share two threads leave idle is known apart from
    /// the host's noise.
    pub usage: Usage,
}

/// Wall and busy times of the start-up and of the document workers.
#[derive(Default)]
pub struct Usage {
    /// From the start of the process to the first document handed to the workers.
    pub startup: Duration,
    /// Building the stages: time summed over the builds, and wall time.
    pub build_busy: Duration,
    pub build_wall: Duration,
    /// CPU time of each thread that built stages (see `Plan::build_cpu`).
    pub build_cpu: Vec<Duration>,
    /// From the first document handed to the workers to the last one processed.
    pub processing: Duration,
    /// Time the workers spent on documents, summed over workers: running stages, and with
    /// more than one thread also reading and encoding them (each worker does all three).
    pub workers_busy: Duration,
    /// Time the workers waited for their turn at the input or for a credit (memory bound),
    /// summed over workers.
    pub workers_waiting_for_input: Duration,
    /// The workers' own account from the scheduler (Linux): time on a core, and time ready
    /// but waiting for one (taken by other processes), summed over workers. The rest of their
    /// processing time they were blocked, with nothing to do: the idle share, which the host's
    /// load does not inflate the way it inflates wall-clock figures.
    pub workers_sched: Option<Sched>,
    /// The same of the writer thread that runs beside the workers (more than one thread). It
    /// uses cores the workers leave, so the cores left idle by the whole run are at least the
    /// workers' blocked time less its, and at most the blocked time.
    pub writer_sched: Option<Sched>,
    /// CPU time of the whole process (user and system), where the system tells it.
    pub cpu: Option<Duration>,
}

#[derive(Default, Clone, Copy)]
pub struct Sched {
    pub on_cpu: Duration,
    pub runnable: Duration,
}

impl Sched {
    /// This thread's counters so far, from `/proc/thread-self/schedstat`.
    pub fn of_this_thread() -> Option<Sched> {
        let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().ok());
        Some(Sched {
            on_cpu: Duration::from_nanos(fields.next()??),
            runnable: Duration::from_nanos(fields.next()??),
        })
    }

    fn add(a: Option<Sched>, b: Option<Sched>) -> Option<Sched> {
        let (a, b) = (a?, b?);
        Some(Sched {
            on_cpu: a.on_cpu + b.on_cpu,
            runnable: a.runnable + b.runnable,
        })
    }

    /// What `pairs` of (before, after) counters add up to, if every thread had them.
    pub fn spent(pairs: impl IntoIterator<Item = (Option<Sched>, Option<Sched>)>) -> Option<Sched> {
        let mut total = Sched::default();
        for (before, after) in pairs {
            let (before, after) = (before?, after?);
            total.on_cpu += after.on_cpu.saturating_sub(before.on_cpu);
            total.runnable += after.runnable.saturating_sub(before.runnable);
        }
        Some(total)
    }
}

impl Usage {
    /// Worker time not spent on documents while documents were being processed.
    pub fn workers_idle(&self, threads: usize) -> Duration {
        (self.processing * threads as u32).saturating_sub(self.workers_busy)
    }

    /// Worker time blocked with nothing to do, by the scheduler's account.
    pub fn workers_blocked(&self, threads: usize) -> Option<Duration> {
        let sched = self.workers_sched?;
        Some(
            (self.processing * threads as u32)
                .saturating_sub(sched.on_cpu)
                .saturating_sub(sched.runnable),
        )
    }
}

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
}

pub struct RunOptions {
    pub quiet: bool,
    /// When the process started, for the start-up time in [`Usage`].
    pub process_start: Instant,
}

struct DocStage<'p> {
    instance: &'p str,
    stage: &'p dyn DocumentStage,
    on_error: OnError,
    /// CPU time spent in this stage, summed over documents and threads.
    nanos: AtomicU64,
}

pub fn run(plan: Plan, options: &RunOptions) -> Result<Outcome, RunError> {
    let started = Instant::now();
    let threads = if plan.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        plan.threads
    };

    let mut doc_stages = Vec::new();
    let mut corpus_stages: Vec<(&str, Box<dyn CorpusStage>)> = Vec::new();
    let mut exporters: Vec<(&str, Box<dyn Exporter>)> = Vec::new();
    let streaming = plan.streaming_output();
    let mut plan = plan;
    let stages = std::mem::take(&mut plan.stages);
    let output_dir = match &plan.output {
        Output::Dir(dir) => Some(dir.clone()),
        Output::Stdout => None,
    };
    let capabilities = plan.capabilities.clone();
    let export_context = |instance: &str| {
        output_dir.as_ref().map(|dir| export::ExportContext {
            output_dir: dir.clone(),
            capabilities: capabilities.clone(),
            instance: instance.to_string(),
        })
    };
    let mut owned_doc_stages = Vec::new();
    for stage in stages {
        match stage.built {
            Built::Document(s) => owned_doc_stages.push((stage.instance, s, stage.on_error)),
            Built::Corpus(s) if !streaming && plan.shard.is_none() => {
                corpus_stages.push((leak(stage.instance), s))
            }
            Built::Corpus(_) => {}
            Built::Export(factory) => {
                if let Some(ctx) = export_context(&stage.instance) {
                    std::fs::create_dir_all(&ctx.output_dir).map_err(|e| RunError::Stage {
                        stage: stage.instance.clone(),
                        message: format!("{}: {e}", ctx.output_dir.display()),
                    })?;
                    let exporter = factory(&ctx).map_err(|e| RunError::Stage {
                        stage: stage.instance.clone(),
                        message: e.message,
                    })?;
                    exporters.push((leak(stage.instance), exporter));
                }
            }
        }
    }
    for (instance, stage, on_error) in &owned_doc_stages {
        doc_stages.push(DocStage {
            instance,
            stage: stage.as_ref(),
            on_error: *on_error,
            nanos: AtomicU64::new(0),
        });
    }

    let (source, total, skipped_inputs, skipped_records) = open_inputs(&plan)?;
    let mut sink = Sink::new(
        corpus_stages,
        exporters,
        streaming.then(|| {
            export::StreamWriter::new(std::io::BufWriter::with_capacity(
                1 << 16,
                std::io::stdout(),
            ))
        }),
        progress_bar(options.quiet, total),
        options.quiet,
        doc_stages
            .iter()
            .filter(|s| s.on_error == OnError::Fail)
            .map(|s| s.instance.to_string())
            .collect(),
    );
    let window = (threads * 32).max(64);
    let ingest_nanos = AtomicU64::new(0);
    let mut usage = Usage {
        startup: options.process_start.elapsed(),
        build_busy: plan.build_busy,
        build_wall: plan.build_wall,
        build_cpu: std::mem::take(&mut plan.build_cpu),
        ..Usage::default()
    };
    let processing = Instant::now();
    if threads == 1 {
        // One thread means one thread: reading, stages and writing take turns.
        let sched_before = Sched::of_this_thread();
        let batches = Batches {
            source,
            window,
            nanos: &ingest_nanos,
        };
        for mut batch in batches {
            for doc in &mut batch {
                run_document(doc, &doc_stages);
            }
            // Like the writer of more threads, stop at the failure that stops the run, so that
            // what was streamed does not depend on the thread count.
            for doc in batch {
                sink.accept(doc)?;
                if sink.aborted.is_some() {
                    break;
                }
            }
            sink.flush()?;
            if sink.aborted.is_some() {
                break;
            }
        }
        usage.processing = processing.elapsed();
        usage.workers_sched = Sched::spent([(sched_before, Sched::of_this_thread())]);
    } else {
        let flow = Flow {
            threads,
            in_flight: 2 * window,
            chunk: HANDOUT,
            doc_stages: &doc_stages,
            ingest_nanos: &ingest_nanos,
        };
        let (workers, result) = flow.run(source, &mut sink);
        usage.processing = processing.elapsed();
        usage.workers_waiting_for_input = workers.waiting;
        usage.workers_sched = workers.sched;
        usage.writer_sched = workers.writer;
        sink.export_time += workers.encoding;
        // The workers also read and encode (which the one thread's figure leaves out).
        usage.workers_busy =
            workers.encoding + Duration::from_nanos(ingest_nanos.load(Ordering::Relaxed));
        result?;
    }
    usage.workers_busy += doc_stages
        .iter()
        .map(|s| Duration::from_nanos(s.nanos.load(Ordering::Relaxed)))
        .sum::<Duration>();
    sink.progress.finish_and_clear();
    if sink.failed > sink.failures_shown && !options.quiet {
        say!(
            "error: … and {} more failed documents (see errors.csv)",
            sink.failed - sink.failures_shown
        );
    }
    let Sink {
        mut corpus_stages,
        exporters,
        documents,
        failed,
        aborted,
        bytes,
        corpus_time,
        mut export_time,
        ..
    } = sink;
    let mut timings = vec![(
        "ingest".to_string(),
        Duration::from_nanos(ingest_nanos.load(Ordering::Relaxed)),
    )];
    for stage in &doc_stages {
        let nanos = stage.nanos.load(Ordering::Relaxed);
        timings.push((stage.instance.to_string(), Duration::from_nanos(nanos)));
    }
    if let Some(reason) = aborted {
        // Exporters are dropped uncommitted: the previous run's outputs stay as they were.
        return Ok(Outcome {
            documents,
            failed,
            files: Vec::new(),
            elapsed: started.elapsed(),
            aborted: Some(reason),
            skipped_inputs,
            skipped_records: skipped_records.load(Ordering::Relaxed),
            bytes,
            threads,
            timings,
            usage,
        });
    }
    let mut exporters = exporters;
    let mut corpus_time = corpus_time;
    for (instance, stage) in &mut corpus_stages {
        let clock = Instant::now();
        let tables = stage.finish().map_err(|e| RunError::Stage {
            stage: instance.to_string(),
            message: e.message,
        })?;
        corpus_time += clock.elapsed();
        let clock = Instant::now();
        for table in &tables {
            for (export_instance, exporter) in &mut exporters {
                exporter.write_table(table).map_err(|e| RunError::Stage {
                    stage: export_instance.to_string(),
                    message: e.message,
                })?;
            }
        }
        export_time += clock.elapsed();
    }
    if !corpus_stages.is_empty() {
        timings.push(("corpus stages".to_string(), corpus_time));
    }
    let clock = Instant::now();
    let mut files = BTreeMap::new();
    for (instance, exporter) in exporters {
        let summary = exporter.finish().map_err(|e| RunError::Stage {
            stage: instance.to_string(),
            message: e.message,
        })?;
        files.extend(summary.files);
    }
    timings.push(("export".to_string(), export_time + clock.elapsed()));
    Ok(Outcome {
        documents,
        failed,
        files: files.into_iter().collect(),
        elapsed: started.elapsed(),
        aborted: None,
        skipped_inputs,
        skipped_records: skipped_records.load(Ordering::Relaxed),
        bytes,
        threads,
        timings,
        usage: Usage {
            cpu: process_cpu_time(),
            ..usage
        },
    })
}

/// User and system time of this process so far, from `/proc/self/stat` (Linux), in clock
/// ticks of 10 ms: coarse, but enough against runs of seconds.
fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ').skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

/// Windows of documents, read lazily.
struct Batches<'t> {
    source: Source,
    window: usize,
    nanos: &'t AtomicU64,
}

impl Iterator for Batches<'_> {
    type Item = Vec<Document>;

    fn next(&mut self) -> Option<Vec<Document>> {
        let clock = Instant::now();
        let batch: Vec<Document> = self.source.by_ref().take(self.window).collect();
        self.nanos
            .fetch_add(clock.elapsed().as_nanos() as u64, Ordering::Relaxed);
        (!batch.is_empty()).then_some(batch)
    }
}

/// Where processed documents go, in input order: corpus stages, exporters or stdout.
struct Sink {
    corpus_stages: Vec<(&'static str, Box<dyn CorpusStage>)>,
    exporters: Vec<(&'static str, Box<dyn Exporter>)>,
    stdout: Option<export::StreamWriter<std::io::BufWriter<std::io::Stdout>>>,
    progress: indicatif::ProgressBar,
    quiet: bool,
    /// Stage instances with `on_error = "fail"`.
    fail_fast: Vec<String>,
    documents: usize,
    failed: usize,
    failures_shown: usize,
    aborted: Option<String>,
    bytes: u64,
    corpus_time: Duration,
    export_time: Duration,
}

impl Sink {
    /// A sink that has counted nothing yet.
    fn new(
        corpus_stages: Vec<(&'static str, Box<dyn CorpusStage>)>,
        exporters: Vec<(&'static str, Box<dyn Exporter>)>,
        stdout: Option<export::StreamWriter<std::io::BufWriter<std::io::Stdout>>>,
        progress: indicatif::ProgressBar,
        quiet: bool,
        fail_fast: Vec<String>,
    ) -> Sink {
        Sink {
            corpus_stages,
            exporters,
            stdout,
            progress,
            quiet,
            fail_fast,
            documents: 0,
            failed: 0,
            failures_shown: 0,
            aborted: None,
            bytes: 0,
            corpus_time: Duration::ZERO,
            export_time: Duration::ZERO,
        }
    }

    /// Takes the next document in input order.
    fn accept(&mut self, doc: Document) -> Result<(), RunError> {
        self.count(&Note::of(&doc, &self.fail_fast));
        if doc.status != Status::Failed {
            let clock = Instant::now();
            for (_, stage) in &mut self.corpus_stages {
                stage.observe(&doc);
            }
            self.corpus_time += clock.elapsed();
        }
        let clock = Instant::now();
        if let Some(out) = &mut self.stdout {
            out.write(&doc).map_err(RunError::Stdout)?;
        }
        for (instance, exporter) in &mut self.exporters {
            exporter.write_document(&doc).map_err(|e| RunError::Stage {
                stage: instance.to_string(),
                message: e.message,
            })?;
        }
        self.export_time += clock.elapsed();
        self.progress.inc(1);
        Ok(())
    }

    /// Counts the next document in input order, shows its failure and notes whether it
    /// stops the run.
    fn count(&mut self, note: &Note) {
        self.documents += 1;
        self.bytes += note.bytes;
        if !note.failed {
            return;
        }
        self.failed += 1;
        if let Some((failure, stops)) = &note.failure {
            if !self.quiet && self.failures_shown < 20 {
                self.progress.suspend(|| say!("error: {failure}"));
                self.failures_shown += 1;
            }
            if *stops && self.aborted.is_none() {
                self.aborted = Some(failure.clone());
            }
        }
    }

    /// Takes the next handful a worker finished, in input order: what [`Sink::accept`] does
    /// for each of its documents, with the encoding already done by the worker. Stops at the
    /// document that stops the run, as `accept` one at a time would.
    ///
    /// It goes back to its worker afterwards, which drops the documents and fills the rest
    /// again.
    fn accept_done(&mut self, done: &mut Done) -> Result<(), RunError> {
        let Done {
            notes,
            docs,
            encoded,
            lines,
            line_ends,
            ..
        } = done;
        let mut docs = docs.iter();
        let mut accepted: usize = 0;
        for note in notes.iter() {
            self.count(note);
            accepted += 1;
            if let Some(doc) = docs.next() {
                if !note.failed {
                    let clock = Instant::now();
                    for (_, stage) in &mut self.corpus_stages {
                        stage.observe(doc);
                    }
                    self.corpus_time += clock.elapsed();
                }
                let clock = Instant::now();
                for ((instance, exporter), encoded) in self.exporters.iter_mut().zip(&*encoded) {
                    if encoded.is_none() {
                        exporter.write_document(doc).map_err(|e| RunError::Stage {
                            stage: instance.to_string(),
                            message: e.message,
                        })?;
                    }
                }
                self.export_time += clock.elapsed();
            }
            if self.aborted.is_some() {
                break;
            }
        }
        let clock = Instant::now();
        if let Some(out) = &mut self.stdout {
            if let Some(&end) = accepted.checked_sub(1).and_then(|last| line_ends.get(last)) {
                out.write_encoded(&lines[..end]).map_err(RunError::Stdout)?;
            }
        }
        // Nothing is committed after the failure that stops the run: the rest can go.
        if self.aborted.is_none() {
            for ((instance, exporter), encoded) in self.exporters.iter_mut().zip(&*encoded) {
                if let Some(encoded) = encoded {
                    exporter
                        .write_encoded(encoded)
                        .map_err(|e| RunError::Stage {
                            stage: instance.to_string(),
                            message: e.message,
                        })?;
                }
            }
        }
        self.export_time += clock.elapsed();
        self.progress.inc(accepted as u64);
        Ok(())
    }

    /// Hands what was written to standard output on, so that a streaming consumer is never
    /// kept waiting for lines that are ready.
    fn flush(&mut self) -> Result<(), RunError> {
        if let Some(out) = &mut self.stdout {
            out.flush().map_err(RunError::Stdout)?;
        }
        Ok(())
    }
}

/// Documents a worker takes at a time. One at a time cost a thread wake-up or two per
/// document (about 12,000 context switches and 15% more CPU time on 16,000 articles with two
/// threads); sixteen (a few milliseconds of work) cut that sixteenfold, and the worker that
/// ends last is at most one such handful behind.
const HANDOUT: usize = 16;

/// What the writer counts of a document (see [`Sink::count`]).
struct Note {
    bytes: u64,
    failed: bool,
    /// A failure as shown (`source: stage: message`), and whether its stage stops the run.
    failure: Option<(String, bool)>,
}

impl Note {
    fn of(doc: &Document, fail_fast: &[String]) -> Note {
        let failed = doc.status == Status::Failed;
        let failure = match &doc.failure {
            Some(f) if failed => Some((
                format!("{}: {}: {}", doc.source, f.stage, f.message),
                fail_fast.contains(&f.stage),
            )),
            _ => None,
        };
        Note {
            bytes: doc.source_text.len() as u64,
            failed,
            failure,
        }
    }
}

/// A handful as a worker hands it to the writer: what the writer counts and the bytes it
/// writes, the documents themselves only where something must see them in input order.
struct Done {
    seq: usize,
    /// The worker that made it, and gets it back once it is written.
    worker: usize,
    /// One per document, in input order.
    notes: Vec<Note>,
    /// The documents, when corpus stages or an exporter without an encoder need them
    /// (otherwise empty: the worker dropped them); the worker drops them once they are back.
    docs: Vec<Document>,
    /// Per exporter, its documents' encoding, or `None` for an exporter that takes them one
    /// by one.
    encoded: Vec<Option<model::Encoded>>,
    /// Streaming: the documents' lines, and where each ends in `lines`.
    lines: Vec<u8>,
    line_ends: Vec<usize>,
}

/// More than one thread: `threads` workers and the writer (the calling thread) run at once.
/// Each worker takes the next handful of `chunk` documents from the source itself (reading
/// and parsing them), runs the stages, encodes them for every exporter (and for the stdout
/// stream) into buffers of its own and drops them, so that a document lives on one core from
/// parse to drop: its strings are allocated and freed by one thread and cross no core. The
/// writer gets bytes and counts and writes them in input order; only corpus stages (and an
/// exporter without an encoder) still get the documents, in input order.
///
/// Memory stays bounded because a worker needs a credit per handful and the writer returns it
/// only once the handful is written: at most `in_flight` documents (rounded up to handfuls)
/// are read, processed or waiting for their turn.
struct Flow<'a, 'p> {
    threads: usize,
    in_flight: usize,
    chunk: usize,
    doc_stages: &'a [DocStage<'p>],
    ingest_nanos: &'a AtomicU64,
}

/// The source, taken from in turn by the workers.
struct Intake {
    source: Source,
    credits: mpsc::Receiver<()>,
    /// The next handful's position in the input.
    seq: usize,
    /// Set once the source is drained, so that no worker waits for a credit for nothing.
    drained: bool,
}

/// What a worker brings to each handful besides the stages.
struct Encoding {
    encoders: Vec<Option<Box<dyn model::DocumentEncoder>>>,
    stdout: bool,
    keep_docs: bool,
}

/// What the workers report of their time.
#[derive(Default)]
struct WorkersTime {
    /// Waiting for their turn at the source or for a credit, summed over workers.
    waiting: Duration,
    sched: Option<Sched>,
    /// The writer thread's own account.
    writer: Option<Sched>,
    /// Encoding for the exporters and the stream, summed over workers.
    encoding: Duration,
}

impl Flow<'_, '_> {
    fn run(&self, source: Source, sink: &mut Sink) -> (WorkersTime, Result<(), RunError>) {
        let handfuls = self.in_flight.div_ceil(self.chunk).max(1);
        let (credit_tx, credit_rx) = mpsc::sync_channel::<()>(handfuls);
        for _ in 0..handfuls {
            let _ = credit_tx.send(());
        }
        let intake = Mutex::new(Intake {
            source,
            credits: credit_rx,
            seq: 0,
            drained: false,
        });
        let (done_tx, done_rx) = mpsc::channel::<Done>();
        // Written handfuls go back to their worker, so that their buffers are filled again
        // (and freed, in the end, by the thread that allocated them).
        let (back_txs, back_rxs): (Vec<_>, Vec<_>) =
            (0..self.threads).map(|_| mpsc::channel::<Done>()).unzip();
        // Set when the writer stops early (an error, or `on_error = "fail"`), so that the
        // workers stop too instead of finishing the documents in flight.
        let stop = AtomicBool::new(false);
        let keep_docs = !sink.corpus_stages.is_empty()
            || sink.exporters.iter().any(|(_, e)| e.encoder().is_none());
        let fail_fast = sink.fail_fast.clone();
        std::thread::scope(|scope| {
            let mut workers = Vec::new();
            let mut spawn_error = None;
            for (i, back_rx) in back_rxs.into_iter().enumerate() {
                let encoding = Encoding {
                    encoders: sink.exporters.iter().map(|(_, e)| e.encoder()).collect(),
                    stdout: sink.stdout.is_some(),
                    keep_docs,
                };
                let done_tx = done_tx.clone();
                let (intake, stop, fail_fast) = (&intake, &stop, &fail_fast);
                let worker = std::thread::Builder::new()
                    .name(format!("newsmill-worker-{i}"))
                    .spawn_scoped(scope, move || {
                        let channels = (&done_tx, &back_rx);
                        self.work(i, intake, channels, stop, encoding, fail_fast)
                    });
                match worker {
                    Ok(w) => workers.push(w),
                    Err(e) => {
                        spawn_error = Some(e);
                        break;
                    }
                }
            }
            drop(done_tx);
            let writer_before = Sched::of_this_thread();
            let result = match spawn_error {
                Some(e) => Err(RunError::Threads(e.to_string())),
                None => write_in_order(&done_rx, &back_txs, &credit_tx, sink),
            };
            let writer = Sched::spent([(writer_before, Sched::of_this_thread())]);
            stop.store(true, Ordering::Relaxed);
            // Workers wait for credits and for the writer: let them go.
            drop(credit_tx);
            drop(done_rx);
            drop(back_txs);
            let mut time = WorkersTime {
                sched: Some(Sched::default()),
                writer,
                ..WorkersTime::default()
            };
            for worker in workers {
                let (waiting, encoding, sched) = worker.join().expect("workers catch stage panics");
                time.waiting += waiting;
                time.encoding += encoding;
                time.sched = Sched::add(time.sched, sched);
            }
            (time, result)
        })
    }

    /// One worker: takes handfuls from the source and hands the writer what it must write of
    /// them, until the source is drained or the writer stops.
    fn work(
        &self,
        worker: usize,
        intake: &Mutex<Intake>,
        (done_tx, back_rx): (&mpsc::Sender<Done>, &mpsc::Receiver<Done>),
        stop: &AtomicBool,
        mut encoding: Encoding,
        fail_fast: &[String],
    ) -> (Duration, Duration, Option<Sched>) {
        let before = Sched::of_this_thread();
        let mut waiting = Duration::ZERO;
        let mut encode_time = Duration::ZERO;
        let finish = |waiting, encode_time| {
            (
                waiting,
                encode_time,
                Sched::spent([(before, Sched::of_this_thread())]),
            )
        };
        // Handfuls written and given back, emptied, to be filled again.
        let mut spares = Vec::new();
        loop {
            take_back(back_rx, &mut encoding, &mut spares);
            let clock = Instant::now();
            let (seq, mut handful) = {
                // Stage panics are caught in run_document and ingest does not panic, so the
                // lock is never poisoned by one.
                let mut intake = intake
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                if intake.drained || intake.credits.recv().is_err() || stop.load(Ordering::Relaxed)
                {
                    waiting += clock.elapsed();
                    break;
                }
                let reading = Instant::now();
                waiting += reading - clock;
                let chunk = self.chunk;
                let handful: Vec<Document> = intake.source.by_ref().take(chunk).collect();
                self.ingest_nanos
                    .fetch_add(reading.elapsed().as_nanos() as u64, Ordering::Relaxed);
                let seq = intake.seq;
                intake.seq += 1;
                if handful.len() < chunk {
                    intake.drained = true;
                }
                (seq, handful)
            };
            if handful.is_empty() {
                break;
            }
            for doc in &mut handful {
                if stop.load(Ordering::Relaxed) {
                    return finish(waiting, encode_time);
                }
                run_document(doc, self.doc_stages);
            }
            let clock = Instant::now();
            take_back(back_rx, &mut encoding, &mut spares);
            let mut done = match spares.pop() {
                Some(mut done) => {
                    done.seq = seq;
                    done
                }
                None => Done {
                    seq,
                    worker,
                    notes: Vec::with_capacity(handful.len()),
                    docs: Vec::new(),
                    encoded: Vec::new(),
                    lines: Vec::new(),
                    line_ends: Vec::new(),
                },
            };
            for doc in &handful {
                done.notes.push(Note::of(doc, fail_fast));
                for encoder in encoding.encoders.iter_mut().flatten() {
                    encoder.encode(doc);
                }
                if encoding.stdout {
                    export::stream_line(&mut done.lines, doc);
                    done.line_ends.push(done.lines.len());
                }
            }
            let encoders = encoding.encoders.iter_mut();
            done.encoded
                .extend(encoders.map(|encoder| encoder.as_mut().map(|e| e.take())));
            if encoding.keep_docs {
                done.docs = handful;
            } else {
                drop(handful);
            }
            encode_time += clock.elapsed();
            if done_tx.send(done).is_err() {
                break;
            }
        }
        finish(waiting, encode_time)
    }
}

/// Empties the handfuls the writer gave back into `spares`: their documents are dropped here,
/// on the thread that allocated them, and their buffers go back to the encoders.
fn take_back(back_rx: &mpsc::Receiver<Done>, encoding: &mut Encoding, spares: &mut Vec<Done>) {
    while let Ok(mut done) = back_rx.try_recv() {
        let encoders = encoding.encoders.iter_mut();
        for (encoder, encoded) in encoders.zip(done.encoded.drain(..)) {
            if let (Some(encoder), Some(encoded)) = (encoder, encoded) {
                encoder.recycle(encoded);
            }
        }
        done.docs.clear();
        done.notes.clear();
        done.lines.clear();
        done.line_ends.clear();
        spares.push(done);
    }
}

/// The writer's side of [`Flow`]: handfuls arrive in any order and leave in input order.
fn write_in_order(
    done_rx: &mpsc::Receiver<Done>,
    back_txs: &[mpsc::Sender<Done>],
    credit_tx: &mpsc::SyncSender<()>,
    sink: &mut Sink,
) -> Result<(), RunError> {
    // Handfuls that finished before an earlier one, by input position.
    let mut waiting: BTreeMap<usize, Done> = BTreeMap::new();
    let mut next = 0;
    loop {
        let done = match done_rx.try_recv() {
            Ok(done) => done,
            Err(TryRecvError::Disconnected) => break,
            Err(TryRecvError::Empty) => {
                // Nothing ready: a good moment to pass on what was written.
                sink.flush()?;
                match done_rx.recv() {
                    Ok(done) => done,
                    Err(_) => break,
                }
            }
        };
        if done.seq != next {
            waiting.insert(done.seq, done);
            continue;
        }
        let mut done = done;
        loop {
            sink.accept_done(&mut done)?;
            // A worker that has stopped does not need it.
            let _ = back_txs[done.worker].send(done);
            if sink.aborted.is_some() {
                return sink.flush();
            }
            next += 1;
            let _ = credit_tx.send(());
            match waiting.remove(&next) {
                Some(d) => done = d,
                None => break,
            }
        }
    }
    sink.flush()
}

/// Instance names live as long as the run; leaking a handful of short strings keeps the
/// borrow structure of the loop simple.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Runs the per-document stages on one document. A stage error or panic fails the document
/// (recorded with the stage's name); later stages do not see it.
fn run_document(doc: &mut Document, stages: &[DocStage<'_>]) {
    if !doc.is_ok() {
        return;
    }
    for stage in stages {
        let clock = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| stage.stage.process(doc)));
        stage
            .nanos
            .fetch_add(clock.elapsed().as_nanos() as u64, Ordering::Relaxed);
        let message = match result {
            Ok(Ok(())) => {
                warn_if_still_html(doc, stage.instance);
                continue;
            }
            Ok(Err(e)) => e.message,
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown".into());
                format!("internal error (panic): {what}")
            }
        };
        doc.fail(stage.instance, message);
        return;
    }
}

/// A web page that a stage has processed and left as HTML went through it as raw markup:
/// no stage before it extracted the article (`extract_html` is not in the pipeline). Said
/// once, on the document, naming the first such stage, rather than tables of tag soup.
fn warn_if_still_html(doc: &mut Document, instance: &str) {
    const WARNED: &str = "read as raw HTML";
    if doc.format != model::Format::Html || doc.warnings.iter().any(|w| w.message.contains(WARNED))
    {
        return;
    }
    doc.warn(
        instance,
        format!("{WARNED}: no stage before it extracted the page's article (add `extract_html` to the start of pipeline.stages)"),
    );
}

type Source = Box<dyn Iterator<Item = Document> + Send>;

/// The documents to read, their count when known, the files skipped in input folders, and
/// the count of WARC records skipped (filled as the archives are read).
type Inputs = (
    Source,
    Option<u64>,
    Vec<std::path::PathBuf>,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
);

fn open_inputs(plan: &Plan) -> Result<Inputs, RunError> {
    let mut paths = Vec::new();
    let mut stdin = false;
    for input in &plan.inputs {
        match input {
            Input::Stdin => stdin = true,
            Input::Path(p) => paths.push(p.clone()),
        }
    }
    let (mut files, skipped) = ingest::plan_inputs(&paths, &plan.ingest.extensions)?;
    if let Some(shard) = plan.shard {
        files = files[shard.range(files.len())].to_vec();
    }
    let one_each = |k| matches!(k, ingest::InputKind::Article | ingest::InputKind::Html);
    let total = (!stdin && files.iter().all(|f| one_each(f.kind))).then_some(files.len() as u64);
    let from_files = ingest::FileReader::new(files, plan.ingest.clone());
    let skipped_records = from_files.skipped_records();
    let source: Source = if stdin {
        let reader = BufReader::with_capacity(1 << 16, std::io::stdin());
        let from_stdin = ingest::JsonlStreamReader::new(reader, "<stdin>", plan.ingest.clone());
        Box::new(from_files.chain(from_stdin))
    } else {
        Box::new(from_files)
    };
    Ok((source, total, skipped, skipped_records))
}

fn progress_bar(quiet: bool, total: Option<u64>) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = match total {
        Some(n) => indicatif::ProgressBar::new(n).with_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos}/{len} documents [{bar:30}] {per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        ),
        None => indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} documents {per_sec}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        ),
    };
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    bar
}

/// The closing summary, on stderr.
pub fn print_summary(outcome: &Outcome) {
    let mut err = std::io::stderr().lock();
    let ok = outcome.documents - outcome.failed;
    let _ = writeln!(
        err,
        "{} documents: {ok} ok, {} failed, in {:.2} s",
        outcome.documents,
        outcome.failed,
        outcome.elapsed.as_secs_f64()
    );
    if !outcome.skipped_inputs.is_empty() {
        let example = outcome.skipped_inputs[0].display();
        let _ = writeln!(
            err,
            "skipped {} files in input folders that are not articles (hidden, or another extension; e.g. {example}): see ingest.extensions",
            outcome.skipped_inputs.len()
        );
    }
    if outcome.skipped_records > 0 {
        let _ = writeln!(
            err,
            "skipped {} web archive records that are not HTML responses (requests, metadata, redirects…)",
            outcome.skipped_records
        );
    }
    for (file, rows) in &outcome.files {
        let _ = writeln!(err, "  {file}: {rows} rows");
    }
}

/// Time per step, on stderr (`--timings`). Throughput per step is the input size over the
/// step's own time (summed over threads), so steps compare on one scale.
pub fn print_timings(outcome: &Outcome) {
    let mut err = std::io::stderr().lock();
    let mb = outcome.bytes as f64 / 1e6;
    let _ = writeln!(
        err,
        "{:.1} MB in {:.2} s on {} threads: {:.1} MB/s, {:.0} documents/s end to end",
        mb,
        outcome.elapsed.as_secs_f64(),
        outcome.threads,
        mb / outcome.elapsed.as_secs_f64().max(1e-9),
        outcome.documents as f64 / outcome.elapsed.as_secs_f64().max(1e-9)
    );
    for (step, time) in &outcome.timings {
        let secs = time.as_secs_f64();
        let _ = writeln!(
            err,
            "  {step:<16} {secs:>8.3} s  {:>9.1} MB/s",
            mb / secs.max(1e-9)
        );
    }
    let u = &outcome.usage;
    let _ = writeln!(
        err,
        "start-up {:.3} s (building the stages: {:.3} s of work in {:.3} s)",
        u.startup.as_secs_f64(),
        u.build_busy.as_secs_f64(),
        u.build_wall.as_secs_f64()
    );
    if !u.build_cpu.is_empty() {
        let cpu: Vec<String> = u
            .build_cpu
            .iter()
            .map(|c| format!("{:.3}", c.as_secs_f64()))
            .collect();
        let _ = writeln!(
            err,
            "  stage builds by the scheduler: {} s on a core, per thread",
            cpu.join(" + ")
        );
    }
    let capacity = u.processing.as_secs_f64() * outcome.threads as f64;
    let idle = u.workers_idle(outcome.threads).as_secs_f64();
    if outcome.threads == 1 {
        // One thread reads and writes between documents: that time is not idle.
        let _ = writeln!(
            err,
            "one thread: {:.3} s on stages, {idle:.3} s reading and writing, of {:.3} s",
            u.workers_busy.as_secs_f64(),
            u.processing.as_secs_f64()
        );
    } else {
        let _ = writeln!(
            err,
            "workers: {:.3} s busy (reading, stages, encoding), {idle:.3} s idle ({:.1}% of {} × {:.3} s; waiting for their turn at the input or for a credit {:.3} s)",
            u.workers_busy.as_secs_f64(),
            100.0 * idle / capacity.max(1e-9),
            outcome.threads,
            u.processing.as_secs_f64(),
            u.workers_waiting_for_input.as_secs_f64()
        );
    }
    if let (Some(sched), Some(blocked)) = (u.workers_sched, u.workers_blocked(outcome.threads)) {
        let _ = writeln!(
            err,
            "workers by the scheduler: {:.3} s on a core, {:.3} s ready but waiting for one, {:.3} s blocked ({:.1}% idle)",
            sched.on_cpu.as_secs_f64(),
            sched.runnable.as_secs_f64(),
            blocked.as_secs_f64(),
            100.0 * blocked.as_secs_f64() / capacity.max(1e-9)
        );
        if let Some(others) = u.writer_sched {
            let least = blocked.saturating_sub(others.on_cpu).as_secs_f64();
            let _ = writeln!(
                err,
                "writer: {:.3} s on a core; cores left idle: {:.1}% to {:.1}%",
                others.on_cpu.as_secs_f64(),
                100.0 * least / capacity.max(1e-9),
                100.0 * blocked.as_secs_f64() / capacity.max(1e-9)
            );
        }
    }
    if let Some(cpu) = u.cpu {
        let wall = (u.startup + outcome.elapsed).as_secs_f64();
        let _ = writeln!(
            err,
            "CPU {:.2} s over {wall:.2} s from process start: {:.2} cores busy",
            cpu.as_secs_f64(),
            cpu.as_secs_f64() / wall.max(1e-9)
        );
    }
}

/// The run's figures as JSON (`--report FILE`), for batch systems and the benchmark.
pub fn report_json(outcome: &Outcome) -> serde_json::Value {
    serde_json::json!({
        "documents": outcome.documents,
        "failed": outcome.failed,
        "bytes": outcome.bytes,
        "threads": outcome.threads,
        "elapsed_seconds": outcome.elapsed.as_secs_f64(),
        "aborted": outcome.aborted,
        "skipped_inputs": outcome.skipped_inputs.len(),
        "skipped_records": outcome.skipped_records,
        "startup_seconds": outcome.usage.startup.as_secs_f64(),
        "build_seconds": outcome.usage.build_busy.as_secs_f64(),
        "build_wall_seconds": outcome.usage.build_wall.as_secs_f64(),
        "build_cpu_seconds_per_thread": outcome.usage.build_cpu.iter().map(|c| c.as_secs_f64()).collect::<Vec<_>>(),
        "processing_seconds": outcome.usage.processing.as_secs_f64(),
        "workers_busy_seconds": outcome.usage.workers_busy.as_secs_f64(),
        "workers_idle_seconds": outcome.usage.workers_idle(outcome.threads).as_secs_f64(),
        "workers_waiting_for_input_seconds": outcome.usage.workers_waiting_for_input.as_secs_f64(),
        "workers_on_cpu_seconds": outcome.usage.workers_sched.map(|s| s.on_cpu.as_secs_f64()),
        "workers_runnable_seconds": outcome.usage.workers_sched.map(|s| s.runnable.as_secs_f64()),
        "writer_on_cpu_seconds": outcome.usage.writer_sched.map(|s| s.on_cpu.as_secs_f64()),
        "workers_blocked_seconds": outcome.usage.workers_blocked(outcome.threads).map(|d| d.as_secs_f64()),
        "cpu_seconds": outcome.usage.cpu.map(|c| c.as_secs_f64()),
        "timings": outcome.timings.iter().map(|(step, time)| serde_json::json!({"step": step, "seconds": time.as_secs_f64()})).collect::<Vec<_>>(),
        "files": outcome.files.iter().map(|(k, v)| (k.clone(), serde_json::json!(v))).collect::<serde_json::Map<_, _>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// Takes longer on some documents than on others, so that workers finish out of order;
    /// fails the ones whose text says so.
    struct Uneven;

    impl DocumentStage for Uneven {
        fn process(&self, doc: &mut Document) -> Result<(), model::StageError> {
            let n: u64 = doc.id.trim_start_matches('d').parse().unwrap_or(0);
            std::thread::sleep(Duration::from_micros((n * 7919) % 13 * 50));
            if doc.text().contains("fail") {
                return Err(model::StageError::new("failed on purpose"));
            }
            Ok(())
        }
    }

    /// Records the order documents reach the corpus stages in.
    struct Order(Arc<Mutex<Vec<String>>>);

    impl CorpusStage for Order {
        fn observe(&mut self, doc: &Document) {
            self.0.lock().unwrap().push(doc.id.clone());
        }
        fn finish(&mut self) -> Result<Vec<model::Table>, model::StageError> {
            Ok(Vec::new())
        }
    }

    fn sink(
        corpus_stages: Vec<(&'static str, Box<dyn CorpusStage>)>,
        exporters: Vec<(&'static str, Box<dyn Exporter>)>,
        fail_fast: bool,
    ) -> Sink {
        Sink::new(
            corpus_stages,
            exporters,
            None,
            indicatif::ProgressBar::hidden(),
            true,
            if fail_fast {
                vec!["uneven".to_string()]
            } else {
                Vec::new()
            },
        )
    }

    fn documents(texts: &[&str]) -> Vec<Document> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document::new(format!("d{i}"), format!("d{i}.txt"), t.to_string()))
            .collect()
    }

    /// Runs `Flow` on `docs` into `sink`; one thread takes the one-thread path instead.
    fn run_into(sink: &mut Sink, docs: Vec<Document>, threads: usize, chunk: usize) {
        let stage = Uneven;
        let doc_stages = [DocStage {
            instance: "uneven",
            stage: &stage,
            on_error: OnError::Skip,
            nanos: AtomicU64::new(0),
        }];
        if threads == 1 {
            for mut doc in docs {
                run_document(&mut doc, &doc_stages);
                sink.accept(doc).unwrap();
                if sink.aborted.is_some() {
                    break;
                }
            }
            return;
        }
        let ingest_nanos = AtomicU64::new(0);
        let flow = Flow {
            threads,
            in_flight: 4 * chunk,
            chunk,
            doc_stages: &doc_stages,
            ingest_nanos: &ingest_nanos,
        };
        let (_, result) = flow.run(Box::new(docs.into_iter()), sink);
        assert!(result.is_ok());
    }

    fn flow(texts: &[&str], threads: usize, chunk: usize, fail_fast: bool) -> (Sink, Vec<String>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let mut sink = sink(
            vec![("order", Box::new(Order(seen.clone())))],
            Vec::new(),
            fail_fast,
        );
        run_into(&mut sink, documents(texts), threads, chunk);
        let seen = seen.lock().unwrap().clone();
        (sink, seen)
    }

    /// The files a CSV and a JSON exporter write of `texts` (with no corpus stage, so that the
    /// workers encode), and the documents and failures counted.
    fn exported(
        texts: &[&str],
        threads: usize,
        chunk: usize,
        fail_fast: bool,
    ) -> (usize, usize, Vec<Vec<u8>>) {
        let dir = tempfile::tempdir().unwrap();
        let context = |instance: &str| export::ExportContext {
            output_dir: dir.path().to_path_buf(),
            capabilities: [model::Capability::Text].into_iter().collect(),
            instance: instance.to_string(),
        };
        let csv = export::CsvExporter::new(export::CsvOptions::default(), &context("csv"));
        let json = export::JsonExporter::new(
            export::JsonOptions {
                per_document: false,
                ..Default::default()
            },
            &context("json"),
        );
        let mut sink = sink(
            Vec::new(),
            vec![
                ("csv", Box::new(csv.unwrap())),
                ("json", Box::new(json.unwrap())),
            ],
            fail_fast,
        );
        run_into(&mut sink, documents(texts), threads, chunk);
        let (documents, failed) = (sink.documents, sink.failed);
        for (_, exporter) in sink.exporters {
            exporter.finish().unwrap();
        }
        let mut files: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        files.sort();
        let files = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        (documents, failed, files)
    }

    #[test]
    fn workers_encode_what_one_thread_writes() {
        let mut texts = vec!["text, \"quoted\""; 150];
        texts[3] = "fail";
        texts[90] = "=fail";
        let (documents, failed, one) = exported(&texts, 1, 1, false);
        assert_eq!((documents, failed), (150, 2));
        assert_eq!(one.len(), 3, "documents.csv, documents.jsonl, errors.csv");
        for threads in [2, 3] {
            for chunk in [1, 7, super::HANDOUT] {
                let (d, f, files) = exported(&texts, threads, chunk, false);
                assert_eq!((d, f), (documents, failed));
                assert!(files == one, "{threads} threads, {chunk} a handful");
                // Counting stops at the failure that stops the run, in the middle of a handful.
                let (d, f, _) = exported(&texts, threads, chunk, true);
                assert_eq!((d, f), (4, 1));
            }
        }
    }

    #[test]
    fn documents_leave_in_input_order_whatever_finishes_first() {
        let texts = vec!["text"; 200];
        let expected: Vec<String> = (0..200).map(|i| format!("d{i}")).collect();
        for threads in [2, 3, 5] {
            // 7 leaves a short last handful.
            for chunk in [1, 7, super::HANDOUT] {
                let (sink, seen) = flow(&texts, threads, chunk, false);
                assert_eq!(sink.documents, 200);
                assert_eq!(seen, expected, "{threads} threads, {chunk} a handful");
            }
        }
    }

    #[test]
    fn a_failure_that_stops_the_run_stops_the_workers() {
        let mut texts = vec!["text"; 500];
        texts[37] = "fail";
        for chunk in [1, super::HANDOUT] {
            let (sink, seen) = flow(&texts, 2, chunk, true);
            assert_eq!(sink.failed, 1);
            assert_eq!(sink.documents, 38, "nothing is written after the failure");
            assert!(sink
                .aborted
                .as_deref()
                .unwrap()
                .starts_with("d37.txt: uneven"));
            assert_eq!(seen.len(), 37);
            // Without on_error = "fail" the run goes on past it.
            let (sink, seen) = flow(&texts, 2, chunk, false);
            assert_eq!((sink.documents, sink.failed, seen.len()), (500, 1, 499));
        }
    }

    #[test]
    fn a_page_left_as_html_is_flagged_once_naming_the_first_stage() {
        let stage = Uneven;
        let stages = ["clean", "quotes"].map(|instance| DocStage {
            instance,
            stage: &stage,
            on_error: OnError::Skip,
            nanos: AtomicU64::new(0),
        });
        let mut page = Document::new("d1", "page.html", "<p>Hello.</p>".to_string());
        page.format = model::Format::Html;
        run_document(&mut page, &stages);
        assert_eq!(page.warnings.len(), 1, "{:?}", page.warnings);
        assert_eq!(page.warnings[0].stage, "clean");
        assert!(page.warnings[0].message.contains("extract_html"));
        let mut text = Document::new("d2", "a.txt", "Hello.".to_string());
        run_document(&mut text, &stages);
        assert!(text.warnings.is_empty());
    }
}
