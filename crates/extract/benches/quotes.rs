//! Throughput of the quotes stage on one thread, over a corpus made at bench time from the
//! seed articles (each copied many times as separate documents).

mod common;

use common::corpus;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use extract::quotes::{Quotes, QuotesOptions};
use model::{BuildContext, Document, DocumentStage};

fn bench(c: &mut Criterion) {
    let docs = corpus();
    let total: usize = docs.iter().map(String::len).sum();
    let stage = Quotes::new(QuotesOptions::default(), &BuildContext::default()).unwrap();
    let mut group = c.benchmark_group("quotes");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("stage", |b| {
        b.iter(|| {
            let mut found = 0;
            for (i, text) in docs.iter().enumerate() {
                let mut doc = Document::new(i.to_string(), "bench", text.clone());
                stage.process(&mut doc).unwrap();
                found += doc.quotes.len();
            }
            found
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
