//! The entities and claims stages on the raw seed articles (no cleaning stage) against the
//! hand-checked gold in `tests/gold/seed_entities.json`, plus the rule that nothing comes from a
//! title, heading or boilerplate line (`tests/gold/seed_clean.json`).

use extract::claims::{Claims, ClaimsOptions};
use extract::entities::{name_key, Entities, EntitiesOptions};
use model::{BuildContext, Document, DocumentStage, Entity, EntityKind};
use serde_json::Value;

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(name: &str) -> Value {
    let path = root().join("tests/gold").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn run(file: &str) -> Document {
    let path = root().join("data/articles").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut doc = Document::new(file, path.display().to_string(), text);
    let ctx = BuildContext::default();
    Entities::new(EntitiesOptions::default(), &ctx)
        .unwrap()
        .process(&mut doc)
        .unwrap();
    Claims::new(ClaimsOptions::default(), &ctx)
        .unwrap()
        .process(&mut doc)
        .unwrap();
    doc
}

/// Whether an entity is called `name` (its name, an alias or its key, up to transliteration).
fn called(e: &Entity, name: &str) -> bool {
    let k = name_key(name);
    e.key == k || name_key(&e.name) == k || e.aliases.iter().any(|a| name_key(a) == k)
}

#[test]
fn seeds_match_the_entity_gold() {
    let gold = load("seed_entities.json");
    let mut failures = Vec::new();
    let mut checked = 0;
    for (file, g) in gold["documents"].as_object().unwrap() {
        let doc = run(file);
        let persons = g["persons"].as_array().unwrap();
        for p in persons {
            checked += 1;
            let name = p["name"].as_str().unwrap();
            let found = doc
                .entities
                .iter()
                .find(|e| e.kind == EntityKind::Person && called(e, name));
            let Some(e) = found else {
                failures.push(format!("{file}: person {name} not found"));
                continue;
            };
            if let Some(role) = p["role"].as_str() {
                let ok = e
                    .role
                    .as_deref()
                    .is_some_and(|r| r.to_lowercase().contains(&role.to_lowercase()));
                if !ok {
                    failures.push(format!("{file}: {name} role {:?}, want {role}", e.role));
                }
            }
            for alias in p["aliases"].as_array().unwrap() {
                let alias = alias.as_str().unwrap();
                if !called(e, alias) && name_key(alias) != name_key(name) {
                    failures.push(format!("{file}: {name} lacks alias {alias}"));
                }
            }
            let surname = name.rsplit(' ').next().unwrap();
            for wrong in doc.entities.iter().filter(|e| e.kind != EntityKind::Person) {
                if called(wrong, name) || called(wrong, surname) {
                    failures.push(format!("{file}: person {name} typed as {:?}", wrong.kind));
                }
            }
        }
        for (field, kind) in [("places", EntityKind::Place), ("orgs", EntityKind::Org)] {
            for x in g[field].as_array().unwrap() {
                checked += 1;
                let name = x.as_str().unwrap();
                if !doc
                    .entities
                    .iter()
                    .any(|e| e.kind == kind && called(e, name))
                {
                    failures.push(format!("{file}: {kind:?} {name} not found"));
                }
                if doc
                    .entities
                    .iter()
                    .any(|e| e.kind == EntityKind::Person && called(e, name))
                {
                    failures.push(format!("{file}: {kind:?} {name} typed as a person"));
                }
            }
        }
        for c in g["claims"].as_array().unwrap() {
            checked += 1;
            let contains = c["text_contains"].as_str().unwrap();
            let value = c["value"].as_f64().unwrap();
            let found = doc
                .claims
                .iter()
                .find(|x| x.text.contains(contains) && (x.value - value).abs() < 1e-9);
            match found {
                None => failures.push(format!(
                    "{file}: claim {contains} = {value} not found in {:?}",
                    doc.claims
                        .iter()
                        .map(|c| (&c.text, c.value))
                        .collect::<Vec<_>>()
                )),
                Some(x) => {
                    if let Some(subject) = c.get("subject").and_then(Value::as_str) {
                        if x.subject.as_deref() != Some(subject) {
                            failures
                                .push(format!("{file}: claim {contains} subject {:?}", x.subject));
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 60);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn nothing_comes_from_titles_headings_or_boilerplate() {
    let clean = load("seed_clean.json");
    for (file, g) in clean["documents"].as_object().unwrap() {
        let doc = run(file);
        let lines: Vec<&str> = doc.source_text.lines().collect();
        let mut banned: Vec<usize> = g["removed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["line"].as_u64().unwrap() as usize)
            .collect();
        let mut texts: Vec<String> = g["headings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                h.as_str()
                    .map_or_else(|| h["text"].as_str().unwrap().to_string(), str::to_string)
            })
            .collect();
        if let Some(t) = g["title"].as_str() {
            texts.push(t.to_string());
        }
        for t in &texts {
            for (i, l) in lines.iter().enumerate() {
                if l.trim() == t.trim() {
                    banned.push(i + 1);
                }
            }
        }
        assert!(
            !banned.is_empty() || file.starts_with("000") || file.starts_with("002"),
            "{file}"
        );
        let line_of = |char_offset: usize| {
            let byte = doc
                .source_text
                .char_indices()
                .nth(char_offset)
                .map_or(doc.source_text.len(), |(b, _)| b);
            doc.source_text[..byte].matches('\n').count() + 1
        };
        for m in &doc.mentions {
            let line = line_of(m.span.source_start);
            assert!(
                !banned.contains(&line),
                "{file}: mention {:?} on line {line}",
                m.text
            );
        }
        for c in &doc.claims {
            let line = line_of(c.span.source_start);
            assert!(
                !banned.contains(&line),
                "{file}: claim {:?} on line {line}",
                c.text
            );
        }
    }
}
