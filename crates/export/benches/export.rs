//! Throughput of the CSV and JSON exporters on one thread (bytes of document text per
//! second), over documents made at bench time from the seed articles: each copied many times,
//! with a mention and an entity per capitalized word and a quote per pair of curly quotes, as
//! the extract stages would attach them.

use std::collections::BTreeSet;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use export::{CsvExporter, CsvOptions, ExportContext, JsonExporter, JsonOptions};
use model::{Capability, Document, Entity, EntityKind, Exporter, Mention, Quote, QuoteKind};

fn corpus() -> Vec<Document> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/articles");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("seed articles")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("readable"))
        .collect();
    (0..100)
        .flat_map(|copy| texts.iter().enumerate().map(move |(i, t)| (copy, i, t)))
        .map(|(copy, i, text)| document(&format!("doc-{copy}-{i}"), text))
        .collect()
}

fn document(id: &str, text: &str) -> Document {
    let mut doc = Document::new(id, format!("{id}.txt"), text.to_string());
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (start, c.is_alphanumeric()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                words.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    for range in words {
        let word = &text[range.clone()];
        if !word.starts_with(char::is_uppercase) {
            continue;
        }
        let entity_id = format!("e{}", doc.entities.len() + 1);
        doc.entities.push(Entity {
            id: entity_id.clone(),
            name: word.to_string(),
            kind: EntityKind::Person,
            role: None,
            aliases: vec![word.to_lowercase()],
            mentions: 1,
            key: word.to_lowercase(),
            value: None,
            anchor: None,
        });
        let span = doc.span(range);
        doc.mentions.push(Mention {
            entity_id,
            text: word.to_string(),
            span,
        });
    }
    let mut from = 0;
    while let Some(open) = text[from..].find('“').map(|i| from + i + '“'.len_utf8()) {
        let Some(close) = text[open..].find('”').map(|i| open + i) else {
            break;
        };
        let span = doc.span(open..close);
        doc.quotes.push(Quote {
            id: format!("q{}", doc.quotes.len() + 1),
            text: text[open..close].to_string(),
            kind: QuoteKind::Full,
            speaker: Some("Someone Quoted".to_string()),
            speaker_mention: Some("Quoted".to_string()),
            speaker_kind: None,
            via: None,
            cue: Some("said".to_string()),
            continues: None,
            key: text[open..close].to_lowercase(),
            span,
        });
        from = close;
    }
    doc
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    let total: usize = docs.iter().map(|d| d.text().len()).sum();
    let dir = tempfile::tempdir().expect("temp dir");
    let context = ExportContext {
        output_dir: dir.path().to_path_buf(),
        capabilities: BTreeSet::from([
            Capability::CleanText,
            Capability::Quotes,
            Capability::Entities,
            Capability::Claims,
        ]),
        instance: "bench".to_string(),
    };
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("csv", |b| {
        b.iter(|| {
            let mut csv: Box<dyn Exporter> =
                Box::new(CsvExporter::new(CsvOptions::default(), &context).expect("csv"));
            for doc in &docs {
                csv.write_document(doc).expect("written");
            }
            csv.finish().expect("committed")
        })
    });
    group.bench_function("jsonl", |b| {
        let options = JsonOptions {
            per_document: false,
            ..JsonOptions::default()
        };
        b.iter(|| {
            let mut json: Box<dyn Exporter> =
                Box::new(JsonExporter::new(options.clone(), &context).expect("json"));
            for doc in &docs {
                json.write_document(doc).expect("written");
            }
            json.finish().expect("committed")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
