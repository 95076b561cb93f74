//! Throughput of the entities and claims stages on one thread, over a corpus made at bench
//! time from the seed articles (each copied many times as separate documents).

mod common;

use common::corpus;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use extract::claims::{Claims, ClaimsOptions};
use extract::entities::{Entities, EntitiesOptions};
use model::{BuildContext, Document, DocumentStage};

fn bench(c: &mut Criterion) {
    let docs = corpus();
    let total: usize = docs.iter().map(String::len).sum();
    let ctx = BuildContext::default();
    let entities = Entities::new(EntitiesOptions::default(), &ctx).unwrap();
    let claims = Claims::new(ClaimsOptions::default(), &ctx).unwrap();
    let mut group = c.benchmark_group("entities");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(total as u64));
    // The person finder alone: the quotes stage runs it too.
    let prepared: Vec<Document> = docs
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut d = Document::new(i.to_string(), "bench", t.clone());
            extract::text::ensure_sentences(&mut d);
            d
        })
        .collect();
    group.bench_function("find_referents", |b| {
        b.iter(|| {
            prepared
                .iter()
                .map(|d| extract::entities::find_referents(d).mentions.len())
                .sum::<usize>()
        })
    });
    group.bench_function("entities", |b| {
        b.iter(|| {
            let mut found = 0;
            for (i, text) in docs.iter().enumerate() {
                let mut doc = Document::new(i.to_string(), "bench", text.clone());
                entities.process(&mut doc).unwrap();
                found += doc.mentions.len();
            }
            found
        })
    });
    group.bench_function("claims", |b| {
        b.iter(|| {
            let mut found = 0;
            for (i, text) in docs.iter().enumerate() {
                let mut doc = Document::new(i.to_string(), "bench", text.clone());
                claims.process(&mut doc).unwrap();
                found += doc.claims.len();
            }
            found
        })
    });
    group.bench_function("entities+claims", |b| {
        b.iter(|| {
            let mut found = 0;
            for (i, text) in docs.iter().enumerate() {
                let mut doc = Document::new(i.to_string(), "bench", text.clone());
                entities.process(&mut doc).unwrap();
                claims.process(&mut doc).unwrap();
                found += doc.mentions.len() + doc.claims.len();
            }
            found
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
