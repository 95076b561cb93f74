//! The schema of a streamed document line, as Spark's StructType JSON (`newsmill schema`).
//!
//! Engines that read the stream with an explicit schema never have to run the binary twice to
//! infer one. A test checks every field the binary writes against this schema.

use serde_json::{json, Value};

fn field(name: &str, data_type: Value) -> Value {
    json!({ "name": name, "type": data_type, "nullable": true, "metadata": {} })
}

fn string() -> Value {
    json!("string")
}

fn long() -> Value {
    json!("long")
}

fn array(element: Value) -> Value {
    json!({ "type": "array", "elementType": element, "containsNull": true })
}

fn strukt(fields: Vec<Value>) -> Value {
    json!({ "type": "struct", "fields": fields })
}

fn span_fields() -> Vec<Value> {
    ["start", "end", "source_start", "source_end"]
        .iter()
        .map(|n| field(n, long()))
        .collect()
}

fn strings(names: &[&str]) -> Vec<Value> {
    names.iter().map(|n| field(n, string())).collect()
}

/// The StructType of one line of `--output -` (and of `documents.jsonl`).
pub fn document_schema() -> Value {
    let quote = {
        let mut f = strings(&[
            "id",
            "text",
            "kind",
            "speaker",
            "speaker_mention",
            "speaker_kind",
            "cue",
            "via",
            "continues",
            "key",
        ]);
        f.extend(span_fields());
        strukt(f)
    };
    let entity = {
        let mut f = strings(&["id", "name", "kind", "role"]);
        f.push(field("aliases", array(string())));
        f.push(field("mentions", long()));
        f.extend(strings(&["key", "value", "anchor"]));
        strukt(f)
    };
    let mention = {
        let mut f = strings(&["entity_id", "text"]);
        f.extend(span_fields());
        strukt(f)
    };
    let claim = {
        let mut f = strings(&["id", "text"]);
        f.push(field("value", json!("double")));
        f.extend(strings(&["unit", "subject", "qualifier"]));
        f.extend(span_fields());
        strukt(f)
    };
    let mut fields = strings(&["id", "source", "status"]);
    fields.push(field("error", strukt(strings(&["stage", "message"]))));
    fields.extend(strings(&["title", "published"]));
    fields.push(field("authors", array(string())));
    fields.push(field("image_credits", array(string())));
    fields.extend(strings(&["volume", "issue"]));
    fields.push(field(
        "dateline",
        strukt(strings(&["place", "agency", "text"])),
    ));
    fields.extend(strings(&[
        "url", "outlet", "modified", "language", "section",
    ]));
    fields.push(field("words", long()));
    fields.push(field("paragraphs", long()));
    fields.push(field(
        "headings",
        array(strukt(vec![
            field("text", string()),
            field("before_paragraph", long()),
            field("line", long()),
        ])),
    ));
    fields.push(field("text", string()));
    fields.push(field(
        "removed",
        array(strukt(vec![
            field("line", long()),
            field("reason", string()),
            field("text", string()),
        ])),
    ));
    fields.push(field("quotes", array(quote)));
    fields.push(field("entities", array(entity)));
    fields.push(field("mentions", array(mention)));
    fields.push(field("claims", array(claim)));
    fields.push(field(
        "warnings",
        array(strukt(strings(&["stage", "message"]))),
    ));
    strukt(fields)
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
