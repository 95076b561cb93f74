//! The stage contract: what every stage of a pipeline implements and declares.

use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::document::Document;
use crate::table::Table;

/// What a stage needs from the stages before it and provides to those after. The runner
/// refuses a pipeline in which a stage needs something no earlier stage provides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// Decoded article text (ingest provides it).
    Text,
    /// A web page's article text and metadata extracted (HTML documents become text).
    ArticleText,
    /// Boilerplate removed, title/headings/metadata recovered, removed lines recorded.
    CleanText,
    Quotes,
    /// Entities and their mentions.
    Entities,
    Claims,
    /// Cross-document groups and discrepancies (a corpus stage provides them).
    Corroboration,
}

impl Capability {
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Text => "text",
            Capability::ArticleText => "article_text",
            Capability::CleanText => "clean_text",
            Capability::Quotes => "quotes",
            Capability::Entities => "entities",
            Capability::Claims => "claims",
            Capability::Corroboration => "corroboration",
        }
    }
}

/// Where a stage is being built: lets options name files relative to the config file.
#[derive(Debug, Clone, Default)]
pub struct BuildContext {
    /// The folder of the config file; relative paths in options resolve against it.
    pub base_dir: PathBuf,
    /// The instance name in the pipeline (`clean`, `quotes_strict`, …).
    pub instance: String,
}

impl BuildContext {
    pub fn resolve(&self, path: &str) -> PathBuf {
        self.base_dir.join(path)
    }
}

/// An error a stage reports, for one document or while being built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct StageError {
    pub message: String,
}

impl StageError {
    pub fn new(message: impl Into<String>) -> Self {
        StageError {
            message: message.into(),
        }
    }
}

/// A stage that looks at one document at a time. Runs in parallel over documents, so it
/// must not keep per-document state between calls.
pub trait DocumentStage: Send + Sync {
    fn process(&self, doc: &mut Document) -> Result<(), StageError>;
}

/// A stage that sees every document (in input order) after the per-document stages, and
/// produces tables about the corpus. It must keep compact records, never whole texts, so that
/// memory grows with the records and not with the corpus; texts it needs for its output rows
/// belong in a temporary file, and the [`Table`]s it returns spill their rows to one past a
/// small budget, so a table of millions of rows costs no more memory than a small one.
pub trait CorpusStage: Send {
    fn observe(&mut self, doc: &Document);
    fn finish(&mut self) -> Result<Vec<Table>, StageError>;
}

/// A stage that writes results out. Documents arrive in input order, failed ones included.
pub trait Exporter: Send {
    fn write_document(&mut self, doc: &Document) -> Result<(), StageError>;
    fn write_table(&mut self, table: &Table) -> Result<(), StageError>;
    /// Moves everything into place; nothing is visible at its final name before this.
    fn finish(self: Box<Self>) -> Result<ExportSummary, StageError>;

    /// An encoder for documents, for a worker thread of its own: with more than one thread the
    /// runner encodes each document on the thread that processed it (where its strings were
    /// allocated and are still in cache) and passes only bytes to this exporter, through
    /// [`Exporter::write_encoded`] in input order, instead of calling `write_document`.
    /// `None` (the default) when the exporter must see the documents themselves.
    fn encoder(&self) -> Option<Box<dyn DocumentEncoder>> {
        None
    }

    /// Appends what an encoder of this exporter produced, as `write_document` would have
    /// written those documents. Called in input order; only after `encoder` returned one.
    fn write_encoded(&mut self, encoded: &Encoded) -> Result<(), StageError> {
        let _ = encoded;
        Err(StageError::new("this exporter has no document encoder"))
    }
}

/// Encodes documents into memory for one [`Exporter`]: one per worker thread.
pub trait DocumentEncoder: Send {
    /// Adds a document's rows (encoding into memory cannot fail; writing can, later).
    fn encode(&mut self, doc: &Document);
    /// What was encoded since the last call, to hand to [`Exporter::write_encoded`].
    fn take(&mut self) -> Encoded;
    /// Takes back what `take` returned once it is written, so that its buffers are encoded
    /// into again (and freed, in the end, by the thread that allocated them).
    fn recycle(&mut self, encoded: Encoded) {
        let _ = encoded;
    }
}

/// Documents encoded for an exporter: for each of its files (in the exporter's own order), the
/// bytes to append and the data rows they hold.
#[derive(Debug, Default)]
pub struct Encoded {
    pub parts: Vec<EncodedPart>,
}

/// What to append to one file.
#[derive(Debug, Default)]
pub struct EncodedPart {
    /// The bytes are `buf[..len]`; the rest is room the encoder had, kept for it to reuse
    /// without clearing it again.
    pub buf: Vec<u8>,
    pub len: usize,
    pub rows: usize,
}

impl EncodedPart {
    pub fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// What an exporter wrote: file name → data rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub files: Vec<(String, usize)>,
}

/// The options of a stage type: a serde struct with a default for every field, rejecting
/// unknown keys (`#[serde(default, deny_unknown_fields)]`). The runner deserializes it from the
/// stage's table in the config and prints its defaults and docs in `newsmill stages`.
pub trait StageOptions: Default + Serialize + DeserializeOwned + Send + 'static {
    /// `(key, one-line meaning)` for every option, nested keys dotted (`masthead.enabled`).
    fn docs() -> &'static [(&'static str, &'static str)];
}

/// A stage without options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NoOptions {}

impl StageOptions for NoOptions {
    fn docs() -> &'static [(&'static str, &'static str)] {
        &[]
    }
}
