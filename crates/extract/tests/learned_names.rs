//! The shipped name model (`data/ner/names.model`) on sentences written for this test, with
//! people, organizations and places that no reference list holds: the finder must find them
//! through the learned tagger alone.

use extract::entities::find_referents;
use model::{Document, EntityKind};

fn kinds_of(text: &str) -> Vec<(String, EntityKind)> {
    let mut doc = Document::new("t", "t.txt", text.to_string());
    let whole = 0..doc.text().len();
    doc.paragraphs = std::iter::once(whole).collect();
    find_referents(&doc)
        .referents
        .into_iter()
        .map(|r| (r.name, r.kind))
        .collect()
}

fn has(found: &[(String, EntityKind)], name: &str, kind: EntityKind) -> bool {
    found.iter().any(|(n, k)| n == name && *k == kind)
}

#[test]
fn unlisted_people_orgs_and_places_are_found() {
    let cases: &[(&str, &str, EntityKind)] = &[
        (
            "The report was written by Tobias Wennerholm and reviewed by two colleagues.",
            "Tobias Wennerholm",
            EntityKind::Person,
        ),
        (
            "Priyanka Deshmane, a lawyer for the family, said the ruling was fair.",
            "Priyanka Deshmane",
            EntityKind::Person,
        ),
        (
            "She studied chemistry at Harlowe University before moving abroad.",
            "Harlowe University",
            EntityKind::Org,
        ),
        (
            "Members of the Brackenfield Council voted against the new car park.",
            "Brackenfield Council",
            EntityKind::Org,
        ),
        (
            "The ferry from Quessant Island to the mainland takes two hours.",
            "Quessant Island",
            EntityKind::Place,
        ),
    ];
    let mut misses = Vec::new();
    for (text, name, kind) in cases {
        let found = kinds_of(text);
        if !has(&found, name, *kind) {
            misses.push(format!("{name} ({kind:?}) in {text:?}: found {found:?}"));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}
