//! Benchmark: groups 100,000 generated quotes and reports time, peak memory and how well the
//! groups match the generated truth.
//!
//! The corpus is generated at run time from the seed articles' words (their natural
//! frequencies) plus a long tail of invented words: many speakers, utterances reported by one
//! to eight outlets, each report exact, re-cased and re-punctuated, truncated, or with a word
//! changed or dropped, some with the speaker named by surname only or not at all, and some
//! one-word partial quotes. Documents are generated one at a time and dropped after
//! `observe`, so the peak memory is the stage's own.
//!
//! Run: `cargo bench -p corroborate --bench group` (set `QUOTES=n` for another size).

use std::collections::HashMap;
use std::time::Instant;

use corroborate::{Corroborate, CorroborateOptions};
use model::{BuildContext, CorpusStage, Document, Entity, EntityKind, Quote, QuoteKind};

/// The bench's seeded generator: the same corpus on every run.
struct Rng(fastrand::Rng);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0.usize(..n)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.0.f64() <= p
    }
}

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "vin", "mar", "te", "sha", "ro", "dan", "el", "is", "bor", "ne", "ta", "gri", "va",
    "su", "ko", "ler", "mi", "an", "zo", "ber", "fi", "os", "ul", "ham", "re", "ty",
];

fn invented(rng: &mut Rng, syllables: usize) -> String {
    (0..syllables)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

struct Utterance {
    words: Vec<String>,
    speaker: usize,
}

struct Corpus {
    seed_stream: Vec<String>,
    tail: Vec<String>,
    speakers: Vec<(String, String)>,
    utterances: Vec<Utterance>,
}

impl Corpus {
    fn new(rng: &mut Rng, n_utterances: usize) -> Corpus {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/articles");
        let mut seed_stream = Vec::new();
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .expect("data/articles")
            .map(|e| e.expect("entry").path())
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(p).expect("article");
            seed_stream.extend(
                text.split_whitespace()
                    .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
                    .filter(|w| !w.is_empty()),
            );
        }
        let tail: Vec<String> = (0..60_000)
            .map(|_| {
                let n = 2 + rng.below(3);
                invented(rng, n)
            })
            .collect();
        let speakers: Vec<(String, String)> = (0..8_000)
            .map(|_| {
                let (a, b) = (2 + rng.below(2), 2 + rng.below(2));
                (
                    capitalized(&invented(rng, a)),
                    capitalized(&invented(rng, b)),
                )
            })
            .collect();
        let mut corpus = Corpus {
            seed_stream,
            tail,
            speakers,
            utterances: Vec::with_capacity(n_utterances),
        };
        for _ in 0..n_utterances {
            let len = 5 + rng.below(12) + rng.below(20);
            let words = (0..len).map(|_| corpus.word(rng)).collect();
            let speaker = rng.below(corpus.speakers.len());
            corpus.utterances.push(Utterance { words, speaker });
        }
        corpus
    }

    /// A word with the seeds' frequencies three times in four, else a Zipf-like tail word.
    fn word(&self, rng: &mut Rng) -> String {
        if rng.chance(0.75) {
            self.seed_stream[rng.below(self.seed_stream.len())].clone()
        } else {
            let r = rng.below(self.tail.len()) + 1;
            let i = (self.tail.len() * r / (r + rng.below(self.tail.len()) + 1))
                .min(self.tail.len() - 1);
            self.tail[i].clone()
        }
    }

    /// One outlet's rendering of an utterance.
    fn report(&self, rng: &mut Rng, u: &Utterance) -> (String, QuoteKind) {
        let w = &u.words;
        let roll = rng.below(100);
        let words: Vec<String> = match roll {
            0..=49 => w.clone(),
            50..=64 => w
                .iter()
                .map(|x| {
                    if rng.chance(0.2) {
                        x.to_uppercase()
                    } else {
                        x.to_lowercase()
                    }
                })
                .collect(),
            65..=79 => {
                let keep = (w.len() * (60 + rng.below(35)) / 100).max(5).min(w.len());
                let start = rng.below(w.len() - keep + 1);
                w[start..start + keep].to_vec()
            }
            80..=89 => {
                let mut v = w.clone();
                let i = rng.below(v.len());
                v[i] = self.word(rng);
                v
            }
            90..=94 => {
                let mut v = w.clone();
                v.remove(rng.below(v.len()));
                v
            }
            _ => {
                let i = rng.below(w.len());
                return (w[i].clone(), QuoteKind::Partial);
            }
        };
        let mut text = words.join(" ");
        if rng.chance(0.5) {
            text.push(',');
        } else {
            text.push('.');
        }
        (text, QuoteKind::Full)
    }
}

fn main() {
    let total: usize = std::env::var("QUOTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let mut rng = Rng(fastrand::Rng::with_seed(0x5EED));
    let corpus = Corpus::new(&mut rng, total / 2);
    let outlets: Vec<String> = (0..300)
        .map(|i| {
            format!(
                "{} {}",
                capitalized(&invented(&mut rng, 2)),
                ["Times", "Post", "Herald", "Daily", "Wire"][i % 5]
            )
        })
        .collect();

    // The reports: (utterance, outlet), shuffled into documents of about six quotes.
    let mut reports: Vec<(u32, u32)> = Vec::with_capacity(total);
    let mut u = 0;
    while reports.len() < total {
        let copies = match rng.below(100) {
            0..=54 => 1,
            55..=74 => 2,
            75..=87 => 3,
            _ => 4 + rng.below(5),
        };
        for _ in 0..copies {
            reports.push((u as u32, rng.below(outlets.len()) as u32));
        }
        u = (u + 1) % corpus.utterances.len();
    }
    reports.truncate(total);
    for i in (1..reports.len()).rev() {
        reports.swap(i, rng.below(i + 1));
    }
    let base_kb = status_kb("VmHWM:");

    let mut stage =
        Corroborate::new(CorroborateOptions::default(), &BuildContext::default()).expect("stage");
    let mut truth: HashMap<(u32, u32), u32> = HashMap::with_capacity(total);
    let started = Instant::now();
    let mut gen_time = std::time::Duration::ZERO;
    for (d, chunk) in reports.chunks(6).enumerate() {
        let g = Instant::now();
        let mut text = String::new();
        let mut quotes = Vec::new();
        let mut entities = Vec::new();
        for &(u, _) in chunk {
            let utt = &corpus.utterances[u as usize];
            let (quote, kind) = corpus.report(&mut rng, utt);
            let (given, surname) = &corpus.speakers[utt.speaker];
            let speaker = match rng.below(100) {
                0..=4 => None,
                5..=14 => Some(surname.clone()),
                _ => Some(format!("{given} {surname}")),
            };
            let start = text.len() + "“".len();
            text.push_str(&format!("“{quote}” said {given} {surname}.\n"));
            quotes.push((start..start + quote.len(), quote, kind, speaker));
            entities.push(format!("{given} {surname}"));
            truth.insert((d as u32, quotes.len() as u32), u);
        }
        let mut doc = Document::new(format!("d{d}"), format!("d{d}.txt"), text);
        doc.meta.outlet = Some(outlets[chunk[0].1 as usize].clone());
        for (i, (range, quote, kind, speaker)) in quotes.into_iter().enumerate() {
            let span = doc.span(range);
            doc.quotes.push(Quote {
                id: format!("q{}", i + 1),
                key: model::normalize::quote_key(&quote),
                text: quote,
                kind,
                speaker,
                speaker_mention: None,
                speaker_kind: None,
                via: None,
                cue: None,
                continues: None,
                span,
            });
        }
        entities.sort();
        entities.dedup();
        for (i, name) in entities.into_iter().enumerate() {
            doc.entities.push(Entity {
                id: format!("e{}", i + 1),
                key: name.to_lowercase(),
                name,
                kind: EntityKind::Person,
                role: None,
                aliases: Vec::new(),
                mentions: 1,
                value: None,
                anchor: None,
            });
        }
        gen_time += g.elapsed();
        stage.observe(&doc);
    }
    let observed = started.elapsed() - gen_time;
    let rss_observed = status_kb("VmRSS:");
    let t = Instant::now();
    let tables = stage.finish().expect("finish");
    let finished = t.elapsed();
    let peak_kb = status_kb("VmHWM:");

    // Quality against the generated truth, on utterances reported at least twice in full.
    let members = tables[1].collect_rows().expect("rows");
    let mut group_utts: HashMap<&str, Vec<u32>> = HashMap::new();
    let mut utt_groups: HashMap<u32, Vec<&str>> = HashMap::new();
    let mut full_words: HashMap<u32, usize> = HashMap::new();
    for row in &members {
        let d: u32 = row[1][1..].parse().expect("doc id");
        let q: u32 = row[2][1..].parse().expect("quote id");
        let u = truth[&(d, q)];
        let words = row[3].split_whitespace().count();
        if words >= 5 {
            *full_words.entry(u).or_default() += 1;
            utt_groups.entry(u).or_default().push(&row[0]);
            group_utts.entry(&row[0]).or_default().push(u);
        }
    }
    let repeated: Vec<&Vec<&str>> = utt_groups
        .iter()
        .filter(|(u, _)| full_words[u] >= 2)
        .map(|(_, g)| g)
        .collect();
    let together = repeated
        .iter()
        .filter(|g| g.iter().all(|x| *x == g[0]))
        .count();
    // `MISSES=n` prints n utterances whose reports were split, to see why.
    let show: usize = std::env::var("MISSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if show > 0 {
        let mut split: Vec<u32> = utt_groups
            .iter()
            .filter(|(u, g)| full_words[*u] >= 2 && g.iter().any(|x| *x != g[0]))
            .map(|(u, _)| *u)
            .collect();
        split.sort_unstable();
        for u in split.into_iter().take(show) {
            println!("split utterance {u}:");
            for row in &members {
                let d: u32 = row[1][1..].parse().expect("doc id");
                let q: u32 = row[2][1..].parse().expect("quote id");
                if truth[&(d, q)] == u {
                    println!("  {} [{}] {}", row[0], row[4], row[3]);
                }
            }
        }
    }
    let pure = group_utts
        .values()
        .filter(|us| us.iter().all(|u| *u == us[0]))
        .count();
    let groups = tables[0].collect_rows().expect("rows");
    let corroborated = groups.iter().filter(|r| r[6] == "true").count();

    println!("quotes:               {}", members.len());
    println!("documents:            {}", reports.len().div_ceil(6));
    println!(
        "groups:               {} ({} corroborated)",
        groups.len(),
        corroborated
    );
    println!("corpus entities:      {}", tables[2].len());
    println!(
        "observe:              {:.3} s (document generation excluded)",
        observed.as_secs_f64()
    );
    println!("finish (grouping):    {:.3} s", finished.as_secs_f64());
    println!(
        "RSS after observe:    {:.1} MiB",
        rss_observed as f64 / 1024.0
    );
    println!(
        "peak RSS (VmHWM):     {:.1} MiB (before the stage: {:.1} MiB)",
        peak_kb as f64 / 1024.0,
        base_kb as f64 / 1024.0
    );
    println!(
        "recall:               {:.4} of {} utterances reported 2+ times (5+ words) fall in one group",
        together as f64 / repeated.len().max(1) as f64,
        repeated.len()
    );
    println!(
        "purity:               {:.4} of {} groups (5+ word members) hold one utterance",
        pure as f64 / group_utts.len().max(1) as f64,
        group_utts.len()
    );
}
