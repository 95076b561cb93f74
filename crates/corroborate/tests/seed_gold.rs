//! The acceptance criteria on the real seed articles, with the hand-checked gold
//! annotations (tests/gold) standing in for the per-document stages: quotes with their gold
//! speakers and offsets, gold persons/places/organizations, gold claims. Each article is its
//! own source (the seeds name no outlet).

use std::path::{Path, PathBuf};

use corroborate::{Corroborate, CorroborateOptions};
use model::{BuildContext, Claim, CorpusStage, Document, Entity, EntityKind, Quote, QuoteKind};

mod common;
use common::{collected, Table};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join(path)).expect(path)).expect(path)
}

/// Byte offset of a character offset.
fn byte_at(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(b, _)| b)
}

fn seed_docs() -> Vec<Document> {
    let quotes = json("tests/gold/seed_quotes.json");
    let entities = json("tests/gold/seed_entities.json");
    let mut files: Vec<String> = entities["documents"]
        .as_object()
        .expect("documents")
        .keys()
        .cloned()
        .collect();
    files.sort();
    let mut docs = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(root().join("data/articles").join(&file)).expect("seed");
        let id = file.trim_end_matches(".txt").to_string();
        let mut doc = Document::new(id, file.clone(), text);
        for q in quotes
            .as_array()
            .expect("quotes")
            .iter()
            .filter(|q| q["file"] == file.as_str())
        {
            let start = byte_at(doc.text(), q["char_start"].as_u64().unwrap() as usize);
            let end = byte_at(doc.text(), q["char_end"].as_u64().unwrap() as usize);
            let text = doc.text()[start..end].to_string();
            assert_eq!(text, q["quote_text"].as_str().unwrap());
            let span = doc.span(start..end);
            let n = doc.quotes.len() + 1;
            doc.quotes.push(Quote {
                id: format!("q{n}"),
                key: model::normalize::quote_key(&text),
                text,
                kind: if q["quote_type"] == "partial" {
                    QuoteKind::Partial
                } else {
                    QuoteKind::Full
                },
                speaker: q["speaker_canonical"].as_str().map(str::to_string),
                speaker_mention: None,
                speaker_kind: None,
                via: None,
                cue: None,
                continues: None,
                span,
            });
        }
        let gold = &entities["documents"][file.as_str()];
        let mut push = |name: &str, kind: EntityKind, aliases: Vec<String>| {
            let n = doc.entities.len() + 1;
            doc.entities.push(Entity {
                id: format!("e{n}"),
                name: name.to_string(),
                kind,
                role: None,
                aliases,
                mentions: 1,
                key: name.to_lowercase(),
                value: None,
                anchor: None,
            });
        };
        for p in gold["persons"].as_array().unwrap() {
            let aliases = p["aliases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
                .collect();
            push(p["name"].as_str().unwrap(), EntityKind::Person, aliases);
        }
        for (key, kind) in [("places", EntityKind::Place), ("orgs", EntityKind::Org)] {
            for name in gold[key].as_array().unwrap() {
                push(name.as_str().unwrap(), kind, Vec::new());
            }
        }
        for c in gold["claims"].as_array().unwrap() {
            let needle = c["text_contains"].as_str().unwrap();
            let start = doc.text().find(needle).expect("claim text");
            let value = c["value"].as_f64().unwrap();
            let unit = if needle.contains('%') {
                "percent"
            } else if value < 1.0 {
                "fraction"
            } else {
                "count"
            };
            let span = doc.span(start..start + needle.len());
            let n = doc.claims.len() + 1;
            doc.claims.push(Claim {
                id: format!("c{n}"),
                text: needle.to_string(),
                value,
                unit: unit.to_string(),
                subject: c["subject"].as_str().map(str::to_string),
                qualifier: None,
                span,
            });
        }
        docs.push(doc);
    }
    docs
}

fn col(t: &Table, row: &[String], name: &str) -> String {
    row[t.columns.iter().position(|c| c == name).expect(name)].clone()
}

#[test]
fn seed_acceptance() {
    let mut stage =
        Corroborate::new(CorroborateOptions::default(), &BuildContext::default()).unwrap();
    for doc in seed_docs() {
        stage.observe(&doc);
    }
    let tables: Vec<Table> = stage.finish().unwrap().into_iter().map(collected).collect();
    let (groups, entities, discrepancies) = (&tables[0], &tables[2], &tables[3]);

    let concession: Vec<&Vec<String>> = groups
        .rows
        .iter()
        .filter(|r| col(groups, r, "text").contains("win the following concession"))
        .collect();
    assert_eq!(concession.len(), 1);
    assert_eq!(col(groups, concession[0], "speaker"), "Steve Witkoff");
    assert_eq!(
        col(groups, concession[0], "doc_ids"),
        "002_4d88c86143ff9ccf|003_87b9127092bce8b2"
    );
    assert_eq!(col(groups, concession[0], "corroborated"), "true");

    let spanning = groups
        .rows
        .iter()
        .filter(|r| col(groups, r, "sources").parse::<usize>().unwrap() >= 2)
        .count();
    assert!(spanning >= 2, "{spanning} groups over two or more outlets");

    let zelensky: Vec<&Vec<String>> = entities
        .rows
        .iter()
        .filter(|r| col(entities, r, "variants").contains("Zelensk"))
        .collect();
    assert_eq!(zelensky.len(), 1);
    assert_eq!(col(entities, zelensky[0], "type"), "PERSON");
    assert_eq!(col(entities, zelensky[0], "documents"), "5");

    let donetsk: Vec<&Vec<String>> = discrepancies
        .rows
        .iter()
        .filter(|r| col(discrepancies, r, "subject") == "Donetsk")
        .collect();
    assert_eq!(donetsk.len(), 1);
    assert_eq!(
        col(discrepancies, donetsk[0], "doc_ids"),
        "003_87b9127092bce8b2|004_7d4e47de9d2a7c7e"
    );

    let mut rendered = String::new();
    for t in &tables {
        rendered.push_str(&format!(
            "## {} ({} rows)\n{}\n",
            t.name,
            t.rows.len(),
            t.columns.join(" ¦ ")
        ));
        for r in &t.rows {
            rendered.push_str(&r.join(" ¦ "));
            rendered.push('\n');
        }
        rendered.push('\n');
    }
    insta::assert_snapshot!("seed_gold", rendered);
}
