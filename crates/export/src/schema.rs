//! Schemas `newsmill schema` prints: the StructType of a streamed document line (Spark's JSON
//! form, read from the JSON document's own serde view), and the tables with their column types
//! (read from the output contract and from the corpus stages' descriptions).
//!
//! Engines that read the stream with an explicit schema never have to run the binary twice to
//! infer one. A test checks every field the binary writes against this schema.

use std::fmt;

use chrono::NaiveDate;
use model::{
    Capability, Claim, Dateline, Document, Entity, EntityKind, Failure, Heading, Mention, Quote,
    QuoteKind, RemovedLine, Span, SpeakerKind, Status, Warning,
};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{json, Value};

use crate::contract::{Column, ColumnType, TABLES};
use crate::json_export::view;
use crate::parquet_export::arrow_schema;

/// A corpus stage's table as the stage describes it: its columns hold text.
#[derive(Debug, Clone, Copy)]
pub struct CorpusTable {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub needs: Capability,
}

/// Every table a run can write, as JSON: per-document tables from the output contract, then
/// the corpus stages' `corpus` tables.
pub fn tables_schema(corpus: &[CorpusTable]) -> Value {
    let column = |name: &str, ty: ColumnType, nullable: bool| {
        let mut c = json!({ "name": name, "type": ty.as_str(), "nullable": nullable });
        if let ColumnType::List { separator } = ty {
            c["csv_separator"] = json!(separator);
        }
        c
    };
    let mut tables: Vec<Value> = TABLES
        .iter()
        .map(|t| {
            json!({
                "name": t.name,
                "needs": t.needs.map(Capability::as_str),
                "columns": t.columns.iter().map(|c| column(c.name, c.ty, c.nullable)).collect::<Vec<_>>(),
            })
        })
        .collect();
    tables.extend(corpus.iter().map(|t| {
        json!({
            "name": t.name,
            "needs": t.needs.as_str(),
            "columns": t.columns.iter().map(|c| column(c, ColumnType::String, false)).collect::<Vec<_>>(),
        })
    }));
    json!({ "tables": tables })
}

/// Every table's Arrow schema, as the `parquet` exporter writes it: the table's name, then a
/// line per column (`name: type`, and `nullable` when it may be null).
pub fn arrow_schemas(corpus: &[CorpusTable]) -> String {
    let corpus_columns = |t: &CorpusTable| -> Vec<Column> {
        t.columns
            .iter()
            .map(|&name| Column {
                name,
                ty: ColumnType::String,
                nullable: false,
            })
            .collect()
    };
    let tables = TABLES
        .iter()
        .map(|t| (t.name, t.columns.to_vec()))
        .chain(corpus.iter().map(|t| (t.name, corpus_columns(t))));
    let mut out = String::new();
    for (name, columns) in tables {
        out.push_str(name);
        out.push('\n');
        for field in arrow_schema(&columns).fields() {
            let nullable = if field.is_nullable() {
                ", nullable"
            } else {
                ""
            };
            out.push_str(&format!(
                "  {}: {}{nullable}\n",
                field.name(),
                field.data_type()
            ));
        }
    }
    out
}

/// The StructType of one line of `--output -` (and of `documents.jsonl`): the types of a
/// document with every field filled, as its JSON view writes it.
pub fn document_schema() -> Value {
    let line = serde_json::to_string(&view(&sample_document(), 1)).expect("JSON into memory");
    let SparkType(schema) = serde_json::from_str(&line)
        .unwrap_or_else(|e| panic!("the sample document fills every field: {e}\n{line}"));
    schema
}

/// The Spark type of a JSON value: its fields in the order they were written, a list's
/// element type from its first element.
struct SparkType(Value);

impl<'de> Deserialize<'de> for SparkType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TypeOf)
    }
}

struct TypeOf;

impl<'de> Visitor<'de> for TypeOf {
    type Value = SparkType;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value of a filled document")
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<SparkType, E> {
        Ok(SparkType(json!("string")))
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<SparkType, E> {
        Ok(SparkType(json!("long")))
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<SparkType, E> {
        Ok(SparkType(json!("long")))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<SparkType, E> {
        Ok(SparkType(json!("double")))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<SparkType, E> {
        Ok(SparkType(json!("boolean")))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<SparkType, E> {
        Err(E::custom("null: the sample document leaves a field empty"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SparkType, A::Error> {
        let Some(SparkType(element)) = seq.next_element()? else {
            return Err(serde::de::Error::custom(
                "[]: the sample document leaves a list empty",
            ));
        };
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(SparkType(
            json!({ "type": "array", "elementType": element, "containsNull": true }),
        ))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SparkType, A::Error> {
        let mut fields = Vec::new();
        while let Some((name, SparkType(ty))) = map.next_entry::<String, SparkType>()? {
            fields.push(json!({ "name": name, "type": ty, "nullable": true, "metadata": {} }));
        }
        Ok(SparkType(json!({ "type": "struct", "fields": fields })))
    }
}

/// A document with every field of its JSON view filled (and one of every record), so that
/// every type can be read from its line. The struct literals fail to compile when a record
/// gains a field, and a field left empty fails `document_schema`.
fn sample_document() -> Document {
    let text = || "t".to_string();
    let span = || Span {
        start: 0,
        end: 1,
        source_start: 0,
        source_end: 1,
        bytes: 0..1,
    };
    let mut doc = Document::new("d", "d.txt", text());
    doc.status = Status::Failed;
    doc.failure = Some(Failure {
        stage: text(),
        message: text(),
    });
    let meta = &mut doc.meta;
    meta.title = Some(text());
    meta.published = NaiveDate::from_ymd_opt(2025, 1, 1);
    meta.authors = vec![text()];
    meta.image_credits = vec![text()];
    meta.volume = Some(text());
    meta.issue = Some(text());
    meta.dateline = Some(Dateline {
        place: text(),
        agency: Some(text()),
        text: text(),
    });
    meta.url = Some(text());
    meta.outlet = Some(text());
    meta.modified = meta.published;
    meta.language = Some(text());
    meta.section = Some(text());
    doc.headings.push(Heading {
        text: text(),
        before_paragraph: 0,
        line: 1,
    });
    doc.removed.push(RemovedLine {
        line: 1,
        reason: text(),
        text: text(),
    });
    doc.quotes.push(Quote {
        id: text(),
        text: text(),
        kind: QuoteKind::Full,
        speaker: Some(text()),
        speaker_mention: Some(text()),
        speaker_kind: Some(SpeakerKind::Person),
        cue: Some(text()),
        via: Some(text()),
        continues: Some(text()),
        key: text(),
        span: span(),
    });
    doc.entities.push(Entity {
        id: text(),
        name: text(),
        kind: EntityKind::Person,
        role: Some(text()),
        aliases: vec![text()],
        mentions: 1,
        key: text(),
        value: Some(text()),
        anchor: Some(text()),
    });
    doc.mentions.push(Mention {
        entity_id: text(),
        text: text(),
        span: span(),
    });
    doc.claims.push(Claim {
        id: text(),
        text: text(),
        value: 0.5,
        unit: text(),
        subject: Some(text()),
        qualifier: Some(text()),
        span: span(),
    });
    doc.warnings.push(Warning {
        stage: text(),
        message: text(),
    });
    doc
}

/// Every place where `value` has a field the schema lacks or a value of another type.
pub fn schema_mismatches(value: &Value, schema: &Value, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    match (schema, value) {
        (_, Value::Null) => {}
        (Value::String(t), v) => {
            let ok = match t.as_str() {
                "string" => v.is_string(),
                "long" => v.is_u64() || v.is_i64(),
                "double" => v.is_number(),
                "boolean" => v.is_boolean(),
                _ => false,
            };
            if !ok {
                out.push(format!("{path}: {v} is not a {t}"));
            }
        }
        (Value::Object(s), v) if s["type"] == "array" => match v.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    out.extend(schema_mismatches(
                        item,
                        &s["elementType"],
                        &format!("{path}[{i}]"),
                    ));
                }
            }
            None => out.push(format!("{path}: not an array")),
        },
        (Value::Object(s), v) if s["type"] == "struct" => match v.as_object() {
            Some(object) => {
                let fields = s["fields"].as_array().cloned().unwrap_or_default();
                for (key, item) in object {
                    match fields.iter().find(|f| f["name"] == key.as_str()) {
                        Some(f) => out.extend(schema_mismatches(
                            item,
                            &f["type"],
                            &format!("{path}.{key}"),
                        )),
                        None => out.push(format!("{path}.{key}: not in the schema")),
                    }
                }
            }
            None => out.push(format!("{path}: not an object")),
        },
        _ => out.push(format!("{path}: unknown schema {schema}")),
    }
    out
}
