//! The `report` exporter: one self-contained `report.html` that shows a run at a glance —
//! the most quoted people, the quotes several outlets carry (and those only one does), where
//! documents disagree, coverage over time, who is named with whom, and every document with its
//! quotes.
//!
//! The page has no external resource: its style is inline, its charts are SVG drawn here, and
//! it needs no script, so it opens from disk, offline, and prints. Memory and page size are
//! bounded whatever the corpus: the exporter keeps counts and small top-N tables, never a
//! document, and lists only the first `max_documents` documents.

mod aggregate;
mod corpus_tables;
mod diff;
mod html;
mod page;
mod svg;
mod timeline;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use model::{Document, ExportSummary, Exporter, StageError, StageOptions, Table};
use serde::{Deserialize, Serialize};

use aggregate::Corpus;
use corpus_tables::CorpusTables;

/// The stage's options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportOptions {
    /// The page's title and first heading.
    pub title: String,
    /// The file written in the output folder.
    pub file: String,
    /// Speakers in the chart and table.
    pub top_speakers: usize,
    /// Quote groups of two or more outlets shown, best corroborated first.
    pub top_groups: usize,
    /// Co-mentioned pairs shown.
    pub top_pairs: usize,
    /// Rows of the other lists: single-outlet quotes, discrepancies, failed documents.
    pub max_rows: usize,
    /// Documents listed with their quotes (the first ones, in input order).
    pub max_documents: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            title: "Newsmill report".into(),
            file: "report.html".into(),
            top_speakers: 20,
            top_groups: 40,
            top_pairs: 20,
            max_rows: 50,
            max_documents: 300,
        }
    }
}

impl StageOptions for ReportOptions {
    fn docs() -> &'static [(&'static str, &'static str)] {
        &[
            ("title", "the page's title and first heading"),
            ("file", "the HTML file written in the output folder"),
            ("top_speakers", "most quoted speakers shown in the chart and table"),
            ("top_groups", "quotes carried by two or more outlets shown, best first"),
            ("top_pairs", "people and organizations named together: pairs shown"),
            ("max_rows", "rows of the other lists (single-outlet quotes, discrepancies, failed documents)"),
            ("max_documents", "documents listed with their quotes, the first in input order; the page stays a few MB at any corpus size"),
        ]
    }
}

/// Writes the report once the run is done; until then keeps only aggregates.
pub struct ReportExporter {
    options: ReportOptions,
    output_dir: PathBuf,
    corpus: Corpus,
    tables: CorpusTables,
}

impl ReportExporter {
    pub fn new(options: ReportOptions, output_dir: &Path) -> Result<Self, StageError> {
        let file = Path::new(&options.file);
        if options.file.is_empty() || file.components().count() != 1 {
            return Err(StageError::new(format!(
                "report: file {:?} must be a plain file name",
                options.file
            )));
        }
        Ok(ReportExporter {
            corpus: Corpus::new(options.max_documents, options.max_rows),
            tables: CorpusTables::new(options.top_groups, options.max_rows),
            output_dir: output_dir.to_path_buf(),
            options,
        })
    }

    /// The page as it stands (for tests and for `finish`).
    pub fn render(&self) -> String {
        page::render(&self.corpus, &self.tables, &self.options)
    }
}

impl Exporter for ReportExporter {
    fn write_document(&mut self, doc: &Document) -> Result<(), StageError> {
        self.corpus.observe(doc);
        Ok(())
    }

    fn write_table(&mut self, table: &Table) -> Result<(), StageError> {
        self.tables
            .read(table)
            .map_err(|e| StageError::new(format!("report: cannot read table {}: {e}", table.name)))
    }

    fn finish(self: Box<Self>) -> Result<ExportSummary, StageError> {
        let page = self.render();
        let name = &self.options.file;
        write_atomically(&self.output_dir, name, page.as_bytes())?;
        Ok(ExportSummary {
            files: vec![(name.clone(), self.corpus.documents as usize)],
        })
    }
}

/// Writes `name` under a temporary name and renames it into place, so an interrupted run
/// leaves the previous report whole.
fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), StageError> {
    let fail = |path: &Path, e: std::io::Error| {
        StageError::new(format!("{}: cannot write: {e}", path.display()))
    };
    fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
    let staged = dir.join(format!(".newsmill-staging-{name}-{}", std::process::id()));
    let result = fs::File::create(&staged)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| fs::rename(&staged, dir.join(name)));
    if let Err(e) = result {
        let _ = fs::remove_file(&staged);
        return Err(fail(&dir.join(name), e));
    }
    Ok(())
}
