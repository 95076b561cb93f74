//! The output contract: every per-document table, its columns and their types, the capability
//! whose stage fills it, and how a document fills it. The CSV and Parquet writers and
//! `newsmill schema` are driven by it: adding a column is an entry in its table's `columns`
//! and a cell in its `fill_*` function, in the same order (a test checks that every filler
//! writes its columns' cells, with their types).
//!
//! The nested JSON document (`documents.jsonl`, the stdout stream) is defined by its serde
//! view (`json_export::DocumentJson` and the records' `Serialize` in `model`), and its schema is
//! read from that view (`schema.rs`).

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use model::{
    Capability, Claim, Document, Entity, Failure, Mention, Metadata, Quote, RemovedLine, Span,
    Status, Warning,
};

/// The type of a column's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    String,
    Integer,
    Float,
    Bool,
    /// A calendar day (`YYYY-MM-DD` in text formats).
    Date,
    /// Strings; text formats join them with `separator` in one cell.
    List {
        separator: &'static str,
    },
}

impl ColumnType {
    /// The name `newsmill schema` prints.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::String => "string",
            ColumnType::Integer => "integer",
            ColumnType::Float => "float",
            ColumnType::Bool => "bool",
            ColumnType::Date => "date",
            ColumnType::List { .. } => "list<string>",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColumnType,
    /// Whether a cell may be absent (an empty cell in CSV, null elsewhere).
    pub nullable: bool,
}

impl Column {
    const fn new(name: &'static str, ty: ColumnType) -> Column {
        Column {
            name,
            ty,
            nullable: false,
        }
    }
    const fn string(name: &'static str) -> Column {
        Column::new(name, ColumnType::String)
    }
    const fn integer(name: &'static str) -> Column {
        Column::new(name, ColumnType::Integer)
    }
    const fn list(name: &'static str) -> Column {
        Column::new(name, ColumnType::List { separator: "|" })
    }
    const fn nullable(self) -> Column {
        Column {
            nullable: true,
            ..self
        }
    }
}

/// A per-document table: its file stem, columns, and the capability whose stage fills it
/// (`None`: always written).
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    pub name: &'static str,
    pub columns: &'static [Column],
    pub needs: Option<Capability>,
    fill: Fill,
}

impl TableSpec {
    /// Writes `doc`'s rows (none, one or many) of this table to `out`.
    #[inline]
    pub(crate) fn fill<C: Cells>(&self, doc: &Document, out: &mut C) {
        match self.fill {
            Fill::Documents => fill_documents(doc, out),
            Fill::Quotes => fill_quotes(doc, out),
            Fill::Entities => fill_entities(doc, out),
            Fill::Mentions => fill_mentions(doc, out),
            Fill::Claims => fill_claims(doc, out),
            Fill::Removed => fill_removed(doc, out),
            Fill::Errors => fill_errors(doc, out),
        }
    }
}

/// Which filler writes a table (a function generic over the writer cannot be a `fn` value).
#[derive(Debug, Clone, Copy)]
enum Fill {
    Documents,
    Quotes,
    Entities,
    Mentions,
    Claims,
    Removed,
    Errors,
}

/// The four offset columns of a span, in every table of located records.
macro_rules! span_columns {
    () => {
        [
            Column::integer("start"),
            Column::integer("end"),
            Column::integer("source_start"),
            Column::integer("source_end"),
        ]
    };
}

const QUOTE_COLUMNS: &[Column] = &{
    let [start, end, source_start, source_end] = span_columns!();
    [
        Column::string("doc_id"),
        Column::string("quote_id"),
        Column::string("text"),
        Column::string("speaker").nullable(),
        Column::string("speaker_mention").nullable(),
        Column::string("speaker_kind").nullable(),
        Column::string("cue").nullable(),
        Column::string("via").nullable(),
        Column::string("kind"),
        start,
        end,
        source_start,
        source_end,
        Column::string("continues").nullable(),
        Column::string("key"),
    ]
};

const MENTION_COLUMNS: &[Column] = &{
    let [start, end, source_start, source_end] = span_columns!();
    [
        Column::string("doc_id"),
        Column::string("entity_id"),
        Column::string("text"),
        start,
        end,
        source_start,
        source_end,
    ]
};

const CLAIM_COLUMNS: &[Column] = &{
    let [start, end, source_start, source_end] = span_columns!();
    [
        Column::string("doc_id"),
        Column::string("claim_id"),
        Column::string("text"),
        Column::new("value", ColumnType::Float),
        Column::string("unit"),
        Column::string("subject").nullable(),
        Column::string("qualifier").nullable(),
        start,
        end,
        source_start,
        source_end,
    ]
};

/// Every per-document table, in the order exporters open them.
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "documents",
        columns: &[
            Column::string("doc_id"),
            Column::string("source"),
            Column::string("status"),
            Column::string("title").nullable(),
            Column::new("published", ColumnType::Date).nullable(),
            Column::list("author"),
            Column::list("image_credit"),
            // Empty for a failed document.
            Column::integer("words").nullable(),
            Column::integer("paragraphs").nullable(),
            Column::string("volume").nullable(),
            Column::string("issue").nullable(),
            Column::string("dateline").nullable(),
            Column::string("url").nullable(),
            Column::string("outlet").nullable(),
            Column::new("warnings", ColumnType::List { separator: " | " }),
            // Added after `warnings` so that readers of the older columns keep their positions.
            Column::new("modified", ColumnType::Date).nullable(),
            Column::string("language").nullable(),
            Column::string("section").nullable(),
        ],
        needs: None,
        fill: Fill::Documents,
    },
    TableSpec {
        name: "quotes",
        columns: QUOTE_COLUMNS,
        needs: Some(Capability::Quotes),
        fill: Fill::Quotes,
    },
    TableSpec {
        name: "entities",
        columns: &[
            Column::string("doc_id"),
            Column::string("entity_id"),
            Column::string("name"),
            Column::string("type"),
            Column::string("role").nullable(),
            Column::list("aliases"),
            Column::integer("mentions"),
            Column::string("key"),
            Column::string("value").nullable(),
            Column::string("anchor").nullable(),
        ],
        needs: Some(Capability::Entities),
        fill: Fill::Entities,
    },
    TableSpec {
        name: "mentions",
        columns: MENTION_COLUMNS,
        needs: Some(Capability::Entities),
        fill: Fill::Mentions,
    },
    TableSpec {
        name: "claims",
        columns: CLAIM_COLUMNS,
        needs: Some(Capability::Claims),
        fill: Fill::Claims,
    },
    TableSpec {
        name: "removed",
        columns: &[
            Column::string("doc_id"),
            Column::integer("line"),
            Column::string("reason"),
            Column::string("text"),
        ],
        needs: Some(Capability::CleanText),
        fill: Fill::Removed,
    },
    TableSpec {
        name: "errors",
        columns: &[
            Column::string("source"),
            Column::string("stage"),
            Column::string("message"),
            Column::string("doc_id"),
        ],
        needs: None,
        fill: Fill::Errors,
    },
];

/// The per-document tables a pipeline with these capabilities writes.
pub fn tables_for(capabilities: &BTreeSet<Capability>) -> impl Iterator<Item = &'static TableSpec> {
    let capabilities = capabilities.clone();
    TABLES
        .iter()
        .filter(move |t| t.needs.is_none_or(|c| capabilities.contains(&c)))
}

/// The names of [`tables_for`].
pub fn table_names(capabilities: &BTreeSet<Capability>) -> Vec<&'static str> {
    tables_for(capabilities).map(|t| t.name).collect()
}

/// Where a filler writes its cells, one call per column in the table's order, then
/// [`Cells::end_row`]. Each format implements it (CSV text, Arrow arrays).
pub(crate) trait Cells {
    fn string(&mut self, value: &str);
    fn opt_string(&mut self, value: Option<&str>);
    fn integer(&mut self, value: Option<usize>);
    fn float(&mut self, value: f64);
    fn date(&mut self, value: Option<NaiveDate>);
    fn list<T: fmt::Display>(&mut self, items: &[T]);
    fn end_row(&mut self);
}

// The fillers destructure each record without `..`, so that a field added to a record in
// `model` fails to compile here until the contract says what to do with it.

fn fill_errors(doc: &Document, out: &mut impl Cells) {
    if let Some(Failure { stage, message }) = &doc.failure {
        out.string(&doc.source);
        out.string(stage);
        out.string(message);
        out.string(&doc.id);
        out.end_row();
    }
}

fn fill_quotes(doc: &Document, out: &mut impl Cells) {
    if doc.status == Status::Failed {
        return;
    }
    for quote in &doc.quotes {
        let Quote {
            id,
            text,
            kind,
            speaker,
            speaker_mention,
            speaker_kind,
            cue,
            via,
            continues,
            key,
            span,
        } = quote;
        out.string(&doc.id);
        out.string(id);
        out.string(text);
        out.opt_string(speaker.as_deref());
        out.opt_string(speaker_mention.as_deref());
        out.opt_string(speaker_kind.map(|k| k.as_str()));
        out.opt_string(cue.as_deref());
        out.opt_string(via.as_deref());
        out.string(kind.as_str());
        span_cells(out, span);
        out.opt_string(continues.as_deref());
        out.string(key);
        out.end_row();
    }
}

fn fill_entities(doc: &Document, out: &mut impl Cells) {
    if doc.status == Status::Failed {
        return;
    }
    for entity in &doc.entities {
        let Entity {
            id,
            name,
            kind,
            role,
            aliases,
            mentions,
            key,
            value,
            anchor,
        } = entity;
        out.string(&doc.id);
        out.string(id);
        out.string(name);
        out.string(kind.as_str());
        out.opt_string(role.as_deref());
        out.list(aliases);
        out.integer(Some(*mentions));
        out.string(key);
        out.opt_string(value.as_deref());
        out.opt_string(anchor.as_deref());
        out.end_row();
    }
}

fn fill_mentions(doc: &Document, out: &mut impl Cells) {
    if doc.status == Status::Failed {
        return;
    }
    for mention in &doc.mentions {
        let Mention {
            entity_id,
            text,
            span,
        } = mention;
        out.string(&doc.id);
        out.string(entity_id);
        out.string(text);
        span_cells(out, span);
        out.end_row();
    }
}

fn fill_claims(doc: &Document, out: &mut impl Cells) {
    if doc.status == Status::Failed {
        return;
    }
    for claim in &doc.claims {
        let Claim {
            id,
            text,
            value,
            unit,
            subject,
            qualifier,
            span,
        } = claim;
        out.string(&doc.id);
        out.string(id);
        out.string(text);
        out.float(*value);
        out.string(unit);
        out.opt_string(subject.as_deref());
        out.opt_string(qualifier.as_deref());
        span_cells(out, span);
        out.end_row();
    }
}

fn fill_removed(doc: &Document, out: &mut impl Cells) {
    if doc.status == Status::Failed {
        return;
    }
    for removed in &doc.removed {
        let RemovedLine { line, reason, text } = removed;
        out.string(&doc.id);
        out.integer(Some(*line));
        out.string(reason);
        out.string(text);
        out.end_row();
    }
}

/// A warning as one item of the `warnings` list.
struct WarningText<'a>(&'a Warning);

impl fmt::Display for WarningText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Warning { stage, message } = self.0;
        write!(f, "{stage}: {message}")
    }
}

fn fill_documents(doc: &Document, out: &mut impl Cells) {
    let ok = doc.status == Status::Ok;
    let Metadata {
        title,
        published,
        authors,
        image_credits,
        volume,
        issue,
        dateline,
        url,
        outlet,
        modified,
        language,
        section,
        ..
    } = &doc.meta;
    out.string(&doc.id);
    out.string(&doc.source);
    out.string(match doc.status {
        Status::Ok => "ok",
        Status::Failed => "failed",
    });
    out.opt_string(title.as_deref());
    out.date(*published);
    out.list(authors);
    out.list(image_credits);
    out.integer(ok.then(|| doc.word_count()));
    out.integer(ok.then_some(doc.paragraphs.len()));
    out.opt_string(volume.as_deref());
    out.opt_string(issue.as_deref());
    out.opt_string(dateline.as_ref().map(|d| d.text.as_str()));
    out.opt_string(url.as_deref());
    out.opt_string(outlet.as_deref());
    let warnings: Vec<WarningText> = doc.warnings.iter().map(WarningText).collect();
    out.list(&warnings);
    out.date(*modified);
    out.opt_string(language.as_deref());
    out.opt_string(section.as_deref());
    out.end_row();
}

#[inline(always)]
fn span_cells(out: &mut impl Cells, span: &Span) {
    out.integer(Some(span.start));
    out.integer(Some(span.end));
    out.integer(Some(span.source_start));
    out.integer(Some(span.source_end));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records the type of every cell a filler writes, row by row.
    #[derive(Default)]
    struct Types {
        row: Vec<&'static str>,
        rows: Vec<Vec<&'static str>>,
    }

    impl Cells for Types {
        fn string(&mut self, _: &str) {
            self.row.push("string");
        }
        fn opt_string(&mut self, _: Option<&str>) {
            self.row.push("string");
        }
        fn integer(&mut self, _: Option<usize>) {
            self.row.push("integer");
        }
        fn float(&mut self, _: f64) {
            self.row.push("float");
        }
        fn date(&mut self, _: Option<NaiveDate>) {
            self.row.push("date");
        }
        fn list<T: fmt::Display>(&mut self, _: &[T]) {
            self.row.push("list<string>");
        }
        fn end_row(&mut self) {
            self.rows.push(std::mem::take(&mut self.row));
        }
    }

    fn span() -> Span {
        Span {
            start: 0,
            end: 4,
            source_start: 0,
            source_end: 4,
            bytes: 0..4,
        }
    }

    #[test]
    fn every_filler_writes_its_columns_with_their_types() {
        let mut doc = Document::new("d1", "d1.txt", "Text.".to_string());
        doc.quotes.push(Quote {
            id: "q1".into(),
            text: "Text".into(),
            kind: model::QuoteKind::Full,
            speaker: None,
            speaker_mention: None,
            speaker_kind: None,
            cue: None,
            via: None,
            continues: None,
            key: "k".into(),
            span: span(),
        });
        doc.entities.push(Entity {
            id: "e1".into(),
            name: "Text".into(),
            kind: model::EntityKind::Org,
            role: None,
            aliases: vec![],
            mentions: 1,
            key: "text".into(),
            value: None,
            anchor: None,
        });
        doc.mentions.push(Mention {
            entity_id: "e1".into(),
            text: "Text".into(),
            span: span(),
        });
        doc.claims.push(Claim {
            id: "c1".into(),
            text: "Text".into(),
            value: 1.5,
            unit: "%".into(),
            subject: None,
            qualifier: None,
            span: span(),
        });
        doc.removed.push(RemovedLine {
            line: 1,
            reason: "ad".into(),
            text: "Buy".into(),
        });
        let mut failed = Document::new("d2", "d2.txt", "Text.".to_string());
        failed.fail("clean", "broken");
        for table in TABLES {
            let mut types = Types::default();
            table.fill(&doc, &mut types);
            table.fill(&failed, &mut types);
            assert!(!types.rows.is_empty(), "{} wrote no row", table.name);
            let want: Vec<&str> = table.columns.iter().map(|c| c.ty.as_str()).collect();
            for row in &types.rows {
                assert_eq!(row, &want, "{}", table.name);
            }
        }
    }
}
