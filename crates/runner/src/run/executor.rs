//! The worker pool: `threads` workers each take the next handful of documents from the input,
//! run the per-document stages and encode the results; the calling thread writes them to the
//! [`Sink`] in input order. One code path whatever the thread count: one thread is one worker.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, TryRecvError};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use model::{Document, DocumentStage, Status};

use super::report::Sched;
use super::sink::Sink;
use super::RunError;
use crate::config::OnError;

pub(super) type Source = Box<dyn Iterator<Item = Document> + Send>;

/// A per-document stage as the workers run it.
pub(super) struct DocStage<'p> {
    pub(super) instance: &'p str,
    stage: &'p dyn DocumentStage,
    pub(super) on_error: OnError,
    /// CPU time spent in this stage, summed over documents and threads.
    nanos: AtomicU64,
}

impl<'p> DocStage<'p> {
    pub(super) fn new(instance: &'p str, stage: &'p dyn DocumentStage, on_error: OnError) -> Self {
        DocStage {
            instance,
            stage,
            on_error,
            nanos: AtomicU64::new(0),
        }
    }

    /// Its name and the time spent in it so far.
    pub(super) fn time(&self) -> (String, Duration) {
        let nanos = self.nanos.load(Ordering::Relaxed);
        (self.instance.to_string(), Duration::from_nanos(nanos))
    }
}

/// Documents a worker takes at a time. One at a time cost a thread wake-up or two per
/// document (about 12,000 context switches and 15% more CPU time on 16,000 articles with two
/// threads); sixteen (a few milliseconds of work) cut that sixteenfold, and the worker that
/// ends last is at most one such handful behind.
pub(super) const HANDOUT: usize = 16;

/// What the writer counts of a document (see [`Sink::count`]).
pub(super) struct Note {
    pub(super) bytes: u64,
    pub(super) failed: bool,
    /// A failure as shown (`source: stage: message`), and whether its stage stops the run.
    pub(super) failure: Option<(String, bool)>,
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
pub(super) struct Done {
    seq: usize,
    /// The worker that made it, and gets it back once it is written.
    worker: usize,
    /// One per document, in input order.
    pub(super) notes: Vec<Note>,
    /// The documents, when corpus stages or an exporter without an encoder need them
    /// (otherwise empty: the worker dropped them); the worker drops them once they are back.
    pub(super) docs: Vec<Document>,
    /// Per exporter, its documents' encoding, or `None` for an exporter that takes them one
    /// by one.
    pub(super) encoded: Vec<Option<model::Encoded>>,
    /// Streaming: the documents' lines, and where each ends in `lines`.
    pub(super) lines: Vec<u8>,
    pub(super) line_ends: Vec<usize>,
}

/// `threads` workers (one or more) and the writer (the calling thread) run at once.
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
pub(super) struct Executor<'a, 'p> {
    pub(super) threads: usize,
    pub(super) in_flight: usize,
    pub(super) chunk: usize,
    pub(super) doc_stages: &'a [DocStage<'p>],
    pub(super) ingest_nanos: &'a AtomicU64,
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
pub(super) struct WorkersTime {
    /// Waiting for their turn at the source or for a credit, summed over workers.
    pub(super) waiting: Duration,
    pub(super) sched: Option<Sched>,
    /// The writer thread's own account.
    pub(super) writer: Option<Sched>,
    /// Encoding for the exporters and the stream, summed over workers.
    pub(super) encoding: Duration,
}

impl Executor<'_, '_> {
    pub(super) fn run(
        &self,
        source: Source,
        sink: &mut Sink,
    ) -> (WorkersTime, Result<(), RunError>) {
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
            let Some((seq, mut handful)) = self.take_handful(intake, stop, &mut waiting) else {
                break;
            };
            for doc in &mut handful {
                if stop.load(Ordering::Relaxed) {
                    return finish(waiting, encode_time);
                }
                run_document(doc, self.doc_stages);
            }
            let clock = Instant::now();
            take_back(back_rx, &mut encoding, &mut spares);
            let done = spares.pop().unwrap_or_else(|| Done::new(worker));
            let done = encoding.pack(done, seq, handful, fail_fast);
            encode_time += clock.elapsed();
            if done_tx.send(done).is_err() {
                break;
            }
        }
        finish(waiting, encode_time)
    }

    /// The next handful from the source and its position in the input, once a credit allows
    /// it; `None` when the source is drained or the writer stopped.
    fn take_handful(
        &self,
        intake: &Mutex<Intake>,
        stop: &AtomicBool,
        waiting: &mut Duration,
    ) -> Option<(usize, Vec<Document>)> {
        let clock = Instant::now();
        // Stage panics are caught in run_document and ingest does not panic, so the lock is
        // never poisoned by one.
        let mut intake = intake
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if intake.drained || intake.credits.recv().is_err() || stop.load(Ordering::Relaxed) {
            *waiting += clock.elapsed();
            return None;
        }
        let reading = Instant::now();
        *waiting += reading - clock;
        let handful: Vec<Document> = intake.source.by_ref().take(self.chunk).collect();
        self.ingest_nanos
            .fetch_add(reading.elapsed().as_nanos() as u64, Ordering::Relaxed);
        let seq = intake.seq;
        intake.seq += 1;
        if handful.len() < self.chunk {
            intake.drained = true;
        }
        (!handful.is_empty()).then_some((seq, handful))
    }
}

impl Encoding {
    /// Fills `done` (an empty handful) with what the writer needs of `handful`: counts,
    /// encodings, stream lines, and the documents themselves only if something must see them.
    fn pack(
        &mut self,
        mut done: Done,
        seq: usize,
        handful: Vec<Document>,
        fail_fast: &[String],
    ) -> Done {
        done.seq = seq;
        for doc in &handful {
            done.notes.push(Note::of(doc, fail_fast));
            for encoder in self.encoders.iter_mut().flatten() {
                encoder.encode(doc);
            }
            if self.stdout {
                export::stream_line(&mut done.lines, doc);
                done.line_ends.push(done.lines.len());
            }
        }
        let encoders = self.encoders.iter_mut();
        done.encoded
            .extend(encoders.map(|encoder| encoder.as_mut().map(|e| e.take())));
        if self.keep_docs {
            done.docs = handful;
        }
        done
    }
}

impl Done {
    fn new(worker: usize) -> Done {
        Done {
            seq: 0,
            worker,
            notes: Vec::with_capacity(HANDOUT),
            docs: Vec::new(),
            encoded: Vec::new(),
            lines: Vec::new(),
            line_ends: Vec::new(),
        }
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

/// The writer's side of [`Executor`]: handfuls arrive in any order and leave in input order.
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

#[cfg(test)]
mod tests {
    use super::*;
    use model::{CorpusStage, Exporter};
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

    /// Runs the executor on `docs` into `sink`.
    fn run_into(sink: &mut Sink, docs: Vec<Document>, threads: usize, chunk: usize) {
        let stage = Uneven;
        let doc_stages = [DocStage::new("uneven", &stage, OnError::Skip)];
        let ingest_nanos = AtomicU64::new(0);
        let executor = Executor {
            threads,
            in_flight: 4 * chunk,
            chunk,
            doc_stages: &doc_stages,
            ingest_nanos: &ingest_nanos,
        };
        let (_, result) = executor.run(Box::new(docs.into_iter()), sink);
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
    fn any_thread_count_and_handful_writes_the_same_files() {
        let mut texts = vec!["text, \"quoted\""; 150];
        texts[3] = "fail";
        texts[90] = "=fail";
        let (documents, failed, one) = exported(&texts, 1, 1, false);
        assert_eq!((documents, failed), (150, 2));
        assert_eq!(one.len(), 3, "documents.csv, documents.jsonl, errors.csv");
        for threads in [1, 2, 3] {
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
        for threads in [1, 2, 3, 5] {
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
        for (threads, chunk) in [(1, 1), (1, super::HANDOUT), (2, 1), (2, super::HANDOUT)] {
            let (sink, seen) = flow(&texts, threads, chunk, true);
            assert_eq!(sink.failed, 1);
            assert_eq!(sink.documents, 38, "nothing is written after the failure");
            assert!(sink
                .aborted
                .as_deref()
                .unwrap()
                .starts_with("d37.txt: uneven"));
            assert_eq!(seen.len(), 37);
            // Without on_error = "fail" the run goes on past it.
            let (sink, seen) = flow(&texts, threads, chunk, false);
            assert_eq!((sink.documents, sink.failed, seen.len()), (500, 1, 499));
        }
    }

    #[test]
    fn a_page_left_as_html_is_flagged_once_naming_the_first_stage() {
        let stage = Uneven;
        let stages =
            ["clean", "quotes"].map(|instance| DocStage::new(instance, &stage, OnError::Skip));
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
