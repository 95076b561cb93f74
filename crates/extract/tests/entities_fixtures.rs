//! Snapshot tests of the entities and claims stages on small articles in the styles of many
//! outlets (`tests/fixtures/entities/*.txt`). A fixture may start with a `published: DATE`
//! line (and a blank line), which sets the published date relative dates resolve against.

use extract::claims::{Claims, ClaimsOptions};
use extract::entities::{Entities, EntitiesOptions};
use model::{BuildContext, Document, DocumentStage};
use serde_json::json;

#[test]
fn fixtures() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/entities");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "{} fixtures", files.len());
    let ctx = BuildContext::default();
    let entities = Entities::new(EntitiesOptions::default(), &ctx).unwrap();
    let claims = Claims::new(ClaimsOptions::default(), &ctx).unwrap();
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let raw = std::fs::read_to_string(&path).unwrap();
        let (published, text) = match raw.strip_prefix("published: ") {
            Some(rest) => {
                let (date, body) = rest.split_once('\n').unwrap();
                (
                    chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok(),
                    body.trim_start_matches('\n').to_string(),
                )
            }
            None => (None, raw),
        };
        let mut doc = Document::new(name.clone(), path.display().to_string(), text);
        doc.meta.published = published;
        entities.process(&mut doc).unwrap();
        claims.process(&mut doc).unwrap();
        let rows: Vec<_> = doc
            .entities
            .iter()
            .map(|e| {
                json!({
                    "kind": e.kind.as_str(),
                    "name": e.name,
                    "role": e.role,
                    "aliases": e.aliases,
                    "mentions": e.mentions,
                    "key": e.key,
                    "value": e.value,
                    "anchor": e.anchor,
                })
            })
            .collect();
        let role_mentions: Vec<_> = doc
            .mentions
            .iter()
            .filter(|m| {
                let e = doc.entities.iter().find(|e| e.id == m.entity_id).unwrap();
                m.text != e.name && !e.aliases.contains(&m.text)
            })
            .map(|m| {
                let e = doc.entities.iter().find(|e| e.id == m.entity_id).unwrap();
                format!("{} → {}", m.text, e.name)
            })
            .collect();
        let claim_rows: Vec<_> = doc
            .claims
            .iter()
            .map(|c| {
                json!({
                    "text": c.text,
                    "value": c.value,
                    "unit": c.unit,
                    "subject": c.subject,
                    "qualifier": c.qualifier,
                })
            })
            .collect();
        insta::assert_json_snapshot!(
            format!("entities_fixture__{name}"),
            json!({ "entities": rows, "role_mentions": role_mentions, "claims": claim_rows })
        );
    }
}
