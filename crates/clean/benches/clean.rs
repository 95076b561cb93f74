//! Cleaning throughput on a generated corpus of at least 100 MB.
//!
//! The corpus is built at bench time from the seed articles: paragraphs shuffled across
//! articles, wrapped in varied mastheads, bylines, credits, share/ad/related lines and
//! breadcrumbs, separated by blank lines or single newlines, some of it run through
//! Windows-1252 mojibake. Nothing generated is written to disk.

use std::path::Path;
use std::time::Duration;

use clean::{Clean, CleanOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use model::{BuildContext, Document, DocumentStage};

const TARGET_BYTES: usize = 100 * 1024 * 1024;

/// One of `items`, chosen by the seeded generator.
fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

const MASTHEADS: &[&str] = &[
    "Thursday\n\n08-21-2025 Vol 2059",
    "Friday, 22 August 2025 | Vol. 14 No. 233",
    "Updated 10:42 AM EDT, Thu August 21, 2025",
    "Published: 21.08.2025",
    "Tuesday, March 4, 2025 • Vol. 112, No. 63 • $1.50",
];
const TOP: &[&str] = &[
    "By Jane Morrison and David Achterberg, Associated Press",
    "Jane Whitfield | Reuters",
    "By Laura Kent, BBC News, Kyiv",
    "- Home\n- World\n- Europe",
    "Home > News > World",
    "Share on Facebook\nShare on Twitter",
    "Image: Reuters",
];
const MIDDLE: &[&str] = &[
    "Advertisement",
    "Story continues below advertisement",
    "READ MORE: Pilots' union rejects final pay offer",
    "![](https://cdn.example.com/images/hero.jpg)",
    "https://www.example.com/news/item",
    "(Getty Images)",
    "Sign up for our free daily newsletter",
];
const BOTTOM: &[&str] = &[
    "image source from:aol\n\nCharlotte Hayes",
    "Reporting by Francesco Canepa; Editing by Toby Chopra",
    "Helen Park, Political Correspondent",
    "Share this article",
    "- Category\n- Latest news",
];

fn to_mojibake(s: &str) -> String {
    // UTF-8 bytes read as Windows-1252 for the characters the seeds use.
    s.replace('’', "â€™")
        .replace('“', "â€œ")
        .replace('”', "â€\u{9d}")
        .replace('—', "â€”")
}

fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/articles");
    let mut paragraphs = Vec::new();
    let mut headings = Vec::new();
    for entry in std::fs::read_dir(dir).expect("seed articles") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("seed");
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if line.len() > 120 {
                paragraphs.push(line.to_string());
            } else {
                headings.push(line.to_string());
            }
        }
    }
    let mut rng = fastrand::Rng::with_seed(0x9E37_79B9_7F4A_7C15);
    let mut docs = Vec::new();
    let mut total = 0;
    while total < TARGET_BYTES {
        let sep = if rng.usize(..3) == 0 { "\n" } else { "\n\n" };
        let mut doc = String::with_capacity(8 * 1024);
        if rng.usize(..2) == 0 {
            doc.push_str(pick(&mut rng, MASTHEADS));
            doc.push_str("\n\n");
        }
        doc.push_str(&headings[rng.usize(..headings.len())]);
        doc.push_str(sep);
        if rng.usize(..2) == 0 {
            doc.push_str(pick(&mut rng, TOP));
            doc.push_str(sep);
        }
        let n = 6 + rng.usize(..20);
        for k in 0..n {
            doc.push_str(&paragraphs[rng.usize(..paragraphs.len())]);
            doc.push_str(sep);
            if k % 5 == 4 {
                let extra = if rng.usize(..2) == 0 {
                    pick(&mut rng, MIDDLE).to_string()
                } else {
                    headings[rng.usize(..headings.len())].clone()
                };
                doc.push_str(&extra);
                doc.push_str(sep);
            }
        }
        if rng.usize(..2) == 0 {
            doc.push_str(pick(&mut rng, BOTTOM));
            doc.push('\n');
        }
        if rng.usize(..10) == 0 {
            doc = to_mojibake(&doc);
        }
        total += doc.len();
        docs.push(doc);
    }
    docs
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    let bytes: usize = docs.iter().map(String::len).sum();
    let stage = Clean::new(CleanOptions::default(), &BuildContext::default()).expect("stage");
    let mut group = c.benchmark_group("clean");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(
        format!("{} docs, {} MB", docs.len(), bytes / (1024 * 1024)),
        |b| {
            b.iter(|| {
                let mut words = 0;
                for text in &docs {
                    let mut doc = Document::new("bench", "bench", text.clone());
                    stage.process(&mut doc).expect("clean");
                    words += doc.paragraphs.len();
                }
                words
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
