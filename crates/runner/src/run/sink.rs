//! Where processed documents go, in input order: corpus stages, exporters or the stdout
//! stream; then the corpus stages' tables, and the exporters' files committed together.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use model::{CorpusStage, Exporter};

use super::executor::{Done, Note};
use super::RunError;

/// Where processed documents go, in input order: corpus stages, exporters or stdout, and
/// what was counted of them.
pub(super) struct Sink {
    pub(super) corpus_stages: Vec<(&'static str, Box<dyn CorpusStage>)>,
    pub(super) exporters: Vec<(&'static str, Box<dyn Exporter>)>,
    pub(super) stdout: Option<export::StreamWriter<std::io::BufWriter<std::io::Stdout>>>,
    pub(super) progress: indicatif::ProgressBar,
    quiet: bool,
    /// Stage instances with `on_error = "fail"`.
    pub(super) fail_fast: Vec<String>,
    pub(super) documents: usize,
    pub(super) failed: usize,
    failures_shown: usize,
    pub(super) aborted: Option<String>,
    pub(super) bytes: u64,
    corpus_time: Duration,
    pub(super) export_time: Duration,
}

impl Sink {
    /// A sink that has counted nothing yet.
    pub(super) fn new(
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
    pub(super) fn accept_done(&mut self, done: &mut Done) -> Result<(), RunError> {
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
                        exporter
                            .write_document(doc)
                            .map_err(|e| stage_error(instance, e))?;
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
                        .map_err(|e| stage_error(instance, e))?;
                }
            }
        }
        self.export_time += clock.elapsed();
        self.progress.inc(accepted as u64);
        Ok(())
    }

    /// Hands what was written to standard output on, so that a streaming consumer is never
    /// kept waiting for lines that are ready.
    pub(super) fn flush(&mut self) -> Result<(), RunError> {
        if let Some(out) = &mut self.stdout {
            out.flush().map_err(RunError::Stdout)?;
        }
        Ok(())
    }

    /// Clears the progress bar and says how many failures were not shown.
    pub(super) fn end_progress(&mut self) {
        self.progress.finish_and_clear();
        if self.failed > self.failures_shown && !self.quiet {
            say!(
                "error: … and {} more failed documents (see errors.csv)",
                self.failed - self.failures_shown
            );
        }
    }

    /// Every document is in: the corpus stages write their tables through the exporters, and
    /// the exporters finish their files (in the output folder's new generation). Returns the
    /// files written with their rows, and adds the time of both steps to `timings`.
    pub(super) fn finish(
        self,
        timings: &mut Vec<(String, Duration)>,
    ) -> Result<Vec<(String, usize)>, RunError> {
        let Sink {
            mut corpus_stages,
            mut exporters,
            mut corpus_time,
            mut export_time,
            ..
        } = self;
        for (instance, stage) in &mut corpus_stages {
            let clock = Instant::now();
            let tables = stage.finish().map_err(|e| stage_error(instance, e))?;
            corpus_time += clock.elapsed();
            let clock = Instant::now();
            for table in &tables {
                for (export_instance, exporter) in &mut exporters {
                    exporter
                        .write_table(table)
                        .map_err(|e| stage_error(export_instance, e))?;
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
            let summary = exporter.finish().map_err(|e| stage_error(instance, e))?;
            files.extend(summary.files);
        }
        timings.push(("export".to_string(), export_time + clock.elapsed()));
        Ok(files.into_iter().collect())
    }
}

fn stage_error(instance: &str, e: model::StageError) -> RunError {
    RunError::Stage {
        stage: instance.to_string(),
        message: e.message,
    }
}
