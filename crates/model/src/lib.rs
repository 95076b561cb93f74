//! The shared vocabulary of Newsmill: the [`Document`] record that flows through every stage,
//! the records stages attach to it (quotes, entities, claims, …), the map from cleaned text back
//! to the source file, and the stage contract ([`DocumentStage`], [`CorpusStage`], [`Exporter`]).
//!
//! Stage crates depend on this crate only; they never depend on each other, and none of them
//! knows about TOML, the command line or the terminal (that is the runner's job).

mod document;
pub mod normalize;
mod offsets;
mod records;
mod stage;
mod table;
mod text_index;
mod words;

pub use document::{
    Dateline, Derived, Document, Failure, Format, Heading, Metadata, RemovedLine, Span, Status,
    Warning,
};
pub use offsets::{OffsetMap, TextBuilder};
pub use records::{Claim, Entity, EntityKind, Mention, Quote, QuoteKind, SpeakerKind};
pub use stage::{
    BuildContext, Capability, CorpusStage, DocumentEncoder, DocumentStage, Encoded, EncodedPart,
    ExportSummary, Exporter, NoOptions, StageError, StageOptions,
};
pub use table::{Cell, Cells, RowWriter, Rows, Table};
pub use text_index::TextIndex;
