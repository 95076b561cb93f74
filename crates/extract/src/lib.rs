//! Extraction stages: who said what (`quotes`), who and what is in the story (`entities`,
//! with dates), and which numbers are claimed (`claims`). The stages share one sentence
//! splitter ([`text`]) and one person finder ([`entities::find_referents`]) so that a quote's
//! speaker and the entity table always agree.

pub mod claims;
pub mod entities;
pub mod quotes;
mod records;
pub mod text;

/// A seeded generator for tests that glue random pieces of text: `next(n)` is a number
/// below `n`, the same sequence on every run.
#[cfg(test)]
fn test_rng(seed: u64) -> impl FnMut(usize) -> usize {
    let mut rng = fastrand::Rng::with_seed(seed);
    move |n| rng.usize(..n)
}

/// The seed articles of `data/articles`, for tests that check a fast path against its
/// reference on real text.
#[cfg(test)]
fn seed_texts() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/articles");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect()
}
