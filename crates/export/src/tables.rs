//! The output contract: which tables exist, their columns, and how a document fills them.

use std::collections::BTreeSet;

use model::{Capability, Document, Span, Status};

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
            "cue",
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

/// Rows a document contributes to table `name`.
pub(crate) fn rows(name: &str, doc: &Document) -> Vec<Vec<String>> {
    let id = || doc.id.clone();
    match name {
        "documents" => vec![document_row(doc)],
        "errors" => doc
            .failure
            .iter()
            .map(|f| vec![doc.source.clone(), f.stage.clone(), f.message.clone(), id()])
            .collect(),
        _ if doc.status == Status::Failed => Vec::new(),
        "quotes" => doc
            .quotes
            .iter()
            .map(|q| {
                let mut row = vec![
                    id(),
                    q.id.clone(),
                    q.text.clone(),
                    opt(&q.speaker),
                    opt(&q.speaker_mention),
                    opt(&q.cue),
                    q.kind.as_str().to_string(),
                ];
                push_span(&mut row, &q.span);
                row.push(opt(&q.continues));
                row.push(q.key.clone());
                row
            })
            .collect(),
        "entities" => doc
            .entities
            .iter()
            .map(|e| {
                vec![
                    id(),
                    e.id.clone(),
                    e.name.clone(),
                    e.kind.as_str().to_string(),
                    opt(&e.role),
                    e.aliases.join("|"),
                    e.mentions.to_string(),
                    e.key.clone(),
                    opt(&e.value),
                    opt(&e.anchor),
                ]
            })
            .collect(),
        "mentions" => doc
            .mentions
            .iter()
            .map(|m| {
                let mut row = vec![id(), m.entity_id.clone(), m.text.clone()];
                push_span(&mut row, &m.span);
                row
            })
            .collect(),
        "claims" => doc
            .claims
            .iter()
            .map(|c| {
                let mut row = vec![
                    id(),
                    c.id.clone(),
                    c.text.clone(),
                    format_number(c.value),
                    c.unit.clone(),
                    opt(&c.subject),
                    opt(&c.qualifier),
                ];
                push_span(&mut row, &c.span);
                row
            })
            .collect(),
        "removed" => doc
            .removed
            .iter()
            .map(|r| vec![id(), r.line.to_string(), r.reason.clone(), r.text.clone()])
            .collect(),
        _ => Vec::new(),
    }
}

fn document_row(doc: &Document) -> Vec<String> {
    let ok = doc.status == Status::Ok;
    let m = &doc.meta;
    vec![
        doc.id.clone(),
        doc.source.clone(),
        match doc.status {
            Status::Ok => "ok".to_string(),
            Status::Failed => "failed".to_string(),
        },
        opt(&m.title),
        m.published.map(|d| d.to_string()).unwrap_or_default(),
        m.authors.join("|"),
        m.image_credits.join("|"),
        if ok {
            doc.word_count().to_string()
        } else {
            String::new()
        },
        if ok {
            doc.paragraphs.len().to_string()
        } else {
            String::new()
        },
        opt(&m.volume),
        opt(&m.issue),
        m.dateline
            .as_ref()
            .map(|d| d.text.clone())
            .unwrap_or_default(),
        opt(&m.url),
        opt(&m.outlet),
        doc.warnings
            .iter()
            .map(|w| format!("{}: {}", w.stage, w.message))
            .collect::<Vec<_>>()
            .join(" | "),
    ]
}

fn push_span(row: &mut Vec<String>, span: &Span) {
    row.extend(
        [span.start, span.end, span.source_start, span.source_end]
            .iter()
            .map(usize::to_string),
    );
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// Shortest text that reads back as the same number (`0.7`, `5`, `1250000`).
pub(crate) fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}
