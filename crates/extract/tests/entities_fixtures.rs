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
    let count = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "txt")
        })
        .count();
    assert!(count >= 40, "{count} fixtures");
    let ctx = BuildContext::default();
    let entities = Entities::new(EntitiesOptions::default(), &ctx).unwrap();
    let claims = Claims::new(ClaimsOptions::default(), &ctx).unwrap();
    // One snapshot per fixture, each reported on its own: a mismatch does not hide the rest.
    insta::glob!("fixtures/entities/*.txt", |path| {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let raw = std::fs::read_to_string(path).unwrap();
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
            json!({ "entities": rows, "role_mentions": role_mentions, "claims": claim_rows })
        );
    });
}

#[test]
fn odd_inputs_do_not_panic() {
    let ctx = BuildContext::default();
    let entities = Entities::new(EntitiesOptions::default(), &ctx).unwrap();
    let claims = Claims::new(ClaimsOptions::default(), &ctx).unwrap();
    let odd = [
        "",
        "   \n\n  ",
        "U.S.",
        "’s",
        "Mr. Dr. Sir",
        "$ € £ 5 %",
        "— “ ” ‘ ’ … ...",
        "The the THE The.",
        "Президент Владимир Путин заявил. 習近平 said. Ελλάδα.",
        "President",
        "the envoy said.",
        "Donald-Trump-Putin-Zelensky met in-in Kyiv-Kyiv.",
        "a third of",
        "Smith, 45, a",
        "\u{feff}Witkoff said \u{200b}“yes”.",
        "On Monday’s",
        "Feb. 30, 2025 and 2025-13-45 and 31 February",
    ];
    for (i, text) in odd.iter().enumerate() {
        let mut doc = Document::new(i.to_string(), "odd", text.to_string());
        doc.meta.published = chrono::NaiveDate::from_ymd_opt(2025, 2, 28);
        entities.process(&mut doc).unwrap();
        claims.process(&mut doc).unwrap();
        for m in &doc.mentions {
            assert_eq!(&doc.text()[m.span.bytes.clone()], m.text);
        }
    }
}

#[test]
fn user_lists_extend_the_builtin_ones() {
    let dir = std::env::temp_dir().join(format!("newsmill-entities-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("local.txt"),
        "# our beat\norg|Quuxville Water Board|QWB\nplace|Lower Quuxton\n",
    )
    .unwrap();
    let options = EntitiesOptions {
        extra_people: vec!["Zork Blarg|M|Minister of Magic|Blarg".into()],
        extra_places: vec!["Quuxville".into()],
        lists: vec!["local.txt".into()],
        ..Default::default()
    };
    let ctx = BuildContext {
        base_dir: dir.clone(),
        instance: "entities".into(),
    };
    let stage = Entities::new(options, &ctx).unwrap();
    let mut doc = Document::new(
        "u",
        "u.txt",
        "Blarg told the QWB that Quuxville and Lower Quuxton would get new pipes.".into(),
    );
    stage.process(&mut doc).unwrap();
    let found: Vec<(&str, &str)> = doc
        .entities
        .iter()
        .map(|e| (e.kind.as_str(), e.name.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("PERSON", "Zork Blarg"),
            ("ORG", "QWB"),
            ("PLACE", "Quuxville"),
            ("PLACE", "Lower Quuxton"),
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
    let missing = EntitiesOptions {
        lists: vec!["nope.txt".into()],
        ..Default::default()
    };
    assert!(Entities::new(missing, &BuildContext::default()).is_err());
}
