use model::{BuildContext, Document, DocumentStage};
#[test]
fn dump() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/articles");
    let only = std::env::var("SEED").unwrap_or_default();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let ctx = BuildContext::default();
    let ent = extract::entities::Entities::new(Default::default(), &ctx).unwrap();
    let cl = extract::claims::Claims::new(Default::default(), &ctx).unwrap();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with(&only) {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let mut doc = Document::new(name.clone(), f.display().to_string(), text);
        if let Ok(p) = std::env::var("PUB") {
            doc.meta.published = chrono::NaiveDate::parse_from_str(&p, "%Y-%m-%d").ok();
        }
        ent.process(&mut doc).unwrap();
        cl.process(&mut doc).unwrap();
        println!("=== {name}");
        for e in &doc.entities {
            if e.kind == model::EntityKind::Person
                || e.kind == model::EntityKind::Date
                || std::env::var("ALL").is_ok()
            {
                println!(
                    "{} {:?} {:?} role={:?} al={:?} n={} v={:?} a={:?}",
                    e.id, e.kind, e.name, e.role, e.aliases, e.mentions, e.value, e.anchor
                );
            }
        }
        for c in &doc.claims {
            println!(
                "  CLAIM {:?} {} {} subj={:?} q={:?}",
                c.text, c.value, c.unit, c.subject, c.qualifier
            );
        }
    }
}
