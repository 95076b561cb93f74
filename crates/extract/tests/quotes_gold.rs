//! The quotes stage on the five raw seed articles against the hand-checked gold
//! (`tests/gold/seed_quotes.json`, `seed_quotes_excluded.json`): how many gold quotations are
//! found, how many reported speech quotations are right, and how many get the right speaker.

use std::path::PathBuf;

use extract::quotes::{Quotes, QuotesOptions};
use model::{BuildContext, Document, DocumentStage, Quote};
use serde_json::Value;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(name: &str) -> Vec<Value> {
    let path = workspace().join("tests/gold").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// Names equal up to transliteration and articles: "Zelensky" = "Zelenskyy",
/// "the White House" = "White House".
fn name_key(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "the")
        .map(|w| w.trim_end_matches('y').to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn run(file: &str) -> (Document, Vec<Quote>) {
    let text = std::fs::read_to_string(workspace().join("data/articles").join(file)).unwrap();
    let mut doc = Document::new(file.trim_end_matches(".txt"), file, text);
    let stage = Quotes::new(QuotesOptions::default(), &BuildContext::default()).unwrap();
    stage.process(&mut doc).unwrap();
    let quotes = doc.quotes.clone();
    (doc, quotes)
}

fn overlaps(q: &Quote, start: u64, end: u64) -> bool {
    (q.span.source_start as u64) < end && start < q.span.source_end as u64
}

#[test]
fn seeds_against_gold() {
    let gold = load("seed_quotes.json");
    let excluded = load("seed_quotes_excluded.json");
    let mut files: Vec<String> = gold
        .iter()
        .map(|g| g["file"].as_str().unwrap().to_string())
        .collect();
    files.sort();
    files.dedup();

    let (mut found, mut speaker_right, mut reported_speech, mut speech_right) = (0, 0, 0, 0);
    let mut misses = Vec::new();
    for file in &files {
        let (doc, quotes) = run(file);
        let source: Vec<char> = doc.source_text.chars().collect();
        let text: Vec<char> = doc.text().chars().collect();
        for q in &quotes {
            let in_text: String = text[q.span.start..q.span.end].iter().collect();
            let in_source: String = source[q.span.source_start..q.span.source_end]
                .iter()
                .collect();
            assert_eq!(q.text, in_text, "{file} {}", q.id);
            assert_eq!(q.text, in_source, "{file} {}", q.id);
        }
        let golds: Vec<&Value> = gold.iter().filter(|g| g["file"] == file.as_str()).collect();
        for g in &golds {
            let (s, e) = (
                g["char_start"].as_u64().unwrap(),
                g["char_end"].as_u64().unwrap(),
            );
            match quotes.iter().find(|q| overlaps(q, s, e)) {
                Some(q) => {
                    found += 1;
                    let want = name_key(g["speaker_canonical"].as_str().unwrap());
                    let got = q.speaker.as_deref().map(name_key);
                    if got.as_deref() == Some(want.as_str()) {
                        speaker_right += 1;
                    } else {
                        misses.push(format!(
                            "{file}: “{}” speaker {:?} (mention {:?}, cue {:?}), gold {}",
                            q.text, q.speaker, q.speaker_mention, q.cue, g["speaker_canonical"]
                        ));
                    }
                }
                None => misses.push(format!("{file}: not found: “{}”", g["quote_text"])),
            }
        }
        for q in quotes
            .iter()
            .filter(|q| q.kind.is_speech() && q.speaker.is_some())
        {
            reported_speech += 1;
            let is_gold = golds.iter().any(|g| {
                overlaps(
                    q,
                    g["char_start"].as_u64().unwrap(),
                    g["char_end"].as_u64().unwrap(),
                )
            });
            let is_excluded = excluded.iter().any(|x| {
                x["file"] == file.as_str()
                    && overlaps(
                        q,
                        x["char_start"].as_u64().unwrap(),
                        x["char_end"].as_u64().unwrap(),
                    )
            });
            if is_gold && !is_excluded {
                speech_right += 1;
            } else {
                misses.push(format!(
                    "{file}: reported as speech: “{}” ({:?})",
                    q.text, q.speaker
                ));
            }
        }
    }
    let total = gold.len();
    let recall = found as f64 / total as f64;
    let precision = speech_right as f64 / reported_speech.max(1) as f64;
    let speakers = speaker_right as f64 / found.max(1) as f64;
    println!(
        "quotes on seeds: found {found}/{total} ({:.1}%), speech correct {speech_right}/{reported_speech} ({:.1}%), speaker right {speaker_right}/{found} ({:.1}%)",
        recall * 100.0,
        precision * 100.0,
        speakers * 100.0
    );
    for m in &misses {
        println!("  {m}");
    }
    assert!(recall >= 0.95, "found {recall:.3}");
    assert!(precision >= 0.95, "speech precision {precision:.3}");
    assert!(speakers >= 0.95, "speaker accuracy {speakers:.3}");
}
