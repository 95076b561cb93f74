//! Extraction stages: who said what (`quotes`), who and what is in the story (`entities`,
//! with dates), and which numbers are claimed (`claims`). The stages share one sentence
//! splitter ([`text`]) and one person finder ([`entities::find_referents`]) so that a quote's
//! speaker and the entity table always agree.

pub mod claims;
pub mod entities;
pub mod quotes;
mod records;
pub mod text;

/// A small deterministic generator (xorshift) for tests that glue random pieces of text:
/// `next(n)` is a number below `n`.
#[cfg(test)]
fn test_rng(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    }
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
