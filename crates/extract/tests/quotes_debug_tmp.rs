use model::Document;
#[test]
fn dump() {
    for f in [
        "../../crates/extract/tests/fixtures/quotes/according_to.txt",
        "../../crates/extract/tests/fixtures/quotes/organization_statement.txt",
    ] {
        let text = std::fs::read_to_string(format!(
            "{}/../../data/articles/{f}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let mut doc = Document::new("x", "x", text);
        extract::text::ensure_sentences(&mut doc);
        let r = extract::entities::find_referents(&doc);
        println!("== {f}");
        for m in &r.mentions {
            let re = &r.referents[m.referent];
            println!(
                "{:?} {:?} -> {} {:?} {:?} {:?} role={}",
                m.bytes,
                &doc.text[m.bytes.clone()],
                re.name,
                re.kind,
                re.gender,
                re.role,
                m.by_role
            );
        }
    }
}
