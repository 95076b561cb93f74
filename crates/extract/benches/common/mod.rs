//! The corpus both extract benchmarks run on: the seed articles copied as separate documents
//! until there are about 4 MB, so per-document setup and per-record work both show.

use std::path::Path;

pub fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/articles");
    let mut seeds: Vec<String> = std::fs::read_dir(&dir)
        .expect("data/articles")
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    seeds.sort();
    let mut docs = Vec::new();
    let mut bytes = 0;
    while bytes < 4_000_000 {
        for s in &seeds {
            bytes += s.len();
            docs.push(s.clone());
        }
    }
    docs
}
