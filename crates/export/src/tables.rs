//! The output contract: which tables exist, their columns, and how a document fills them.

use std::collections::BTreeSet;
use std::fmt::Write;

use model::{
    Capability, Claim, Document, Entity, Failure, Mention, Metadata, Quote, RemovedLine, Span,
    Status, Warning,
};

use crate::csv_export::{RowWriter, Rows};

/// A per-document table: its file stem, columns, and the capability whose stage fills it
/// (`None`: always written).
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub needs: Option<Capability>,
}

pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "documents",
        columns: &[
            "doc_id",
            "source",
            "status",
            "title",
            "published",
            "author",
            "image_credit",
            "words",
            "paragraphs",
            "volume",
            "issue",
            "dateline",
            "url",
            "outlet",
            "warnings",
            "modified",
            "language",
            "section",
        ],
        needs: None,
    },
    TableSpec {
        name: "quotes",
        columns: &[
            "doc_id",
            "quote_id",
            "text",
            "speaker",
            "speaker_mention",
            "speaker_kind",
            "cue",
            "via",
            "kind",
            "start",
            "end",
            "source_start",
            "source_end",
            "continues",
            "key",
        ],
        needs: Some(Capability::Quotes),
    },
    TableSpec {
        name: "entities",
        columns: &[
            "doc_id",
            "entity_id",
            "name",
            "type",
            "role",
            "aliases",
            "mentions",
            "key",
            "value",
            "anchor",
        ],
        needs: Some(Capability::Entities),
    },
    TableSpec {
        name: "mentions",
        columns: &[
            "doc_id",
            "entity_id",
            "text",
            "start",
            "end",
            "source_start",
            "source_end",
        ],
        needs: Some(Capability::Entities),
    },
    TableSpec {
        name: "claims",
        columns: &[
            "doc_id",
            "claim_id",
            "text",
            "value",
            "unit",
            "subject",
            "qualifier",
            "start",
            "end",
            "source_start",
            "source_end",
        ],
        needs: Some(Capability::Claims),
    },
    TableSpec {
        name: "removed",
        columns: &["doc_id", "line", "reason", "text"],
        needs: Some(Capability::CleanText),
    },
    TableSpec {
        name: "errors",
        columns: &["source", "stage", "message", "doc_id"],
        needs: None,
    },
];

/// The per-document tables a pipeline with these capabilities writes.
pub fn table_names(capabilities: &BTreeSet<Capability>) -> Vec<&'static str> {
    TABLES
        .iter()
        .filter(|t| t.needs.is_none_or(|c| capabilities.contains(&c)))
        .map(|t| t.name)
        .collect()
}

/// How a document fills one table: writes its rows (none, one or many) to `rows`.
pub(crate) type FillRows = fn(&Document, &mut Rows);

/// The row writer of per-document table `name`.
pub(crate) fn fill_rows(name: &str) -> Option<FillRows> {
    let fill: FillRows = match name {
        "documents" => document_row,
        "errors" => error_rows,
        "quotes" => quote_rows,
        "entities" => entity_rows,
        "mentions" => mention_rows,
        "claims" => claim_rows,
        "removed" => removed_rows,
        _ => return None,
    };
    Some(fill)
}

// The row writers destructure each record without `..`, so that a field added to a record in
// `model` fails to compile here until the tables say what to do with it.

fn error_rows(doc: &Document, rows: &mut Rows) {
    if let Some(Failure { stage, message }) = &doc.failure {
        rows.write(|row| {
            row.text(&doc.source);
            row.text(stage);
            row.text(message);
            row.doc_id();
            row.end();
        });
    }
}

fn quote_rows(doc: &Document, rows: &mut Rows) {
    if doc.status == Status::Failed {
        return;
    }
    rows.write(|row| {
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
            row.doc_id();
            row.text(id);
            row.text(text);
            row.opt(speaker);
            row.opt(speaker_mention);
            match speaker_kind {
                Some(k) => row.text(k.as_str()),
                None => row.delimit(),
            }
            row.opt(cue);
            row.opt(via);
            row.text(kind.as_str());
            span_cells(row, span);
            row.opt(continues);
            row.text(key);
            row.end();
        }
    });
}

fn entity_rows(doc: &Document, rows: &mut Rows) {
    if doc.status == Status::Failed {
        return;
    }
    rows.write(|row| {
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
            row.doc_id();
            row.text(id);
            row.text(name);
            row.text(kind.as_str());
            row.opt(role);
            row.joined(aliases, "|");
            row.number(*mentions);
            row.text(key);
            row.opt(value);
            row.opt(anchor);
            row.end();
        }
    });
}

fn mention_rows(doc: &Document, rows: &mut Rows) {
    if doc.status == Status::Failed {
        return;
    }
    rows.write(|row| {
        for mention in &doc.mentions {
            let Mention {
                entity_id,
                text,
                span,
            } = mention;
            row.doc_id();
            row.text(entity_id);
            row.text(text);
            span_cells(row, span);
            row.end();
        }
    });
}

fn claim_rows(doc: &Document, rows: &mut Rows) {
    if doc.status == Status::Failed {
        return;
    }
    rows.write(|row| {
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
            row.doc_id();
            row.text(id);
            row.text(text);
            row.text(&format_number(*value));
            row.text(unit);
            row.opt(subject);
            row.opt(qualifier);
            span_cells(row, span);
            row.end();
        }
    });
}

fn removed_rows(doc: &Document, rows: &mut Rows) {
    if doc.status == Status::Failed {
        return;
    }
    rows.write(|row| {
        for removed in &doc.removed {
            let RemovedLine { line, reason, text } = removed;
            row.doc_id();
            row.number(*line);
            row.text(reason);
            row.text(text);
            row.end();
        }
    });
}

/// A date cell (`YYYY-MM-DD`), empty when unknown.
fn date_cell(row: &mut RowWriter, date: &Option<chrono::NaiveDate>) {
    match date {
        Some(date) => row.text_with(|cell| write!(cell, "{date}").expect("write to a String")),
        None => row.text(""),
    }
}

fn document_row(doc: &Document, rows: &mut Rows) {
    rows.write(|row| {
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
        row.doc_id();
        row.text(&doc.source);
        row.text(match doc.status {
            Status::Ok => "ok",
            Status::Failed => "failed",
        });
        row.opt(title);
        date_cell(row, published);
        row.joined(authors, "|");
        row.joined(image_credits, "|");
        if ok {
            row.number(doc.word_count());
            row.number(doc.paragraphs.len());
        } else {
            row.text("");
            row.text("");
        }
        row.opt(volume);
        row.opt(issue);
        row.text(dateline.as_ref().map_or("", |d| d.text.as_str()));
        row.opt(url);
        row.opt(outlet);
        row.text_with(|cell| {
            for (i, Warning { stage, message }) in doc.warnings.iter().enumerate() {
                if i > 0 {
                    cell.push_str(" | ");
                }
                write!(cell, "{stage}: {message}").expect("write to a String");
            }
        });
        // Added after `warnings` so that readers of the older columns keep their positions.
        date_cell(row, modified);
        row.opt(language);
        row.opt(section);
        row.end();
    });
}

#[inline(always)]
fn span_cells(row: &mut RowWriter, span: &Span) {
    row.number(span.start);
    row.number(span.end);
    row.number(span.source_start);
    row.number(span.source_end);
}

/// Shortest text that reads back as the same number (`0.7`, `5`, `1250000`).
pub(crate) fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}
