//! `train`: fits the name tagger of crate `ner` on GUM's CoNLL-U files (and, optionally, on
//! Wikigold, re3d and UNER English-EWT) and writes the model the `extract` crate embeds.
//!
//! ```sh
//! cargo run --release -p train -- --gum ../shared/dev/gum/train --extra ../shared/dev/ner-extra \
//!   --out data/ner/names.model
//! ```
//! Deterministic: files are read in sorted order and shuffled with a fixed seed.

mod gum;
mod iob;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use gum::Sentence;

#[derive(Parser)]
#[command(about = "Fits Newsmill's name tagger and writes the model file")]
struct Args {
    /// GUM folder holding dep/*.conllu (the train split).
    #[arg(long)]
    gum: PathBuf,
    /// Folder with wikigold/, re3d/<source>/ and uner-ewt/ (optional extra data).
    #[arg(long)]
    extra: Option<PathBuf>,
    /// Where to write the model.
    #[arg(long, default_value = "data/ner/names.model")]
    out: PathBuf,
    /// The weight table has 2^bits rows.
    #[arg(long, default_value_t = 18)]
    bits: u32,
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How many times each GUM sentence is seen per epoch (GUM is the target; the extras help).
    #[arg(long, default_value_t = 2)]
    gum_weight: usize,
    /// Print the names read from GUM (type and text, one a line) and stop: to compare the
    /// converter with the scorer's gold.
    #[arg(long)]
    dump: bool,
    /// A GUM folder to measure the new model on (exact name spans by this converter).
    #[arg(long)]
    eval: Option<PathBuf>,
}

fn sorted_files(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .collect();
    files.sort();
    Ok(files)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn gum_sentences(dir: &Path) -> Result<Vec<Sentence>, String> {
    let mut out = Vec::new();
    for f in sorted_files(&dir.join("dep"), ".conllu")? {
        out.extend(gum::read(&read(&f)?));
    }
    Ok(out)
}

fn extra_sentences(dir: &Path) -> Result<Vec<Sentence>, String> {
    use iob::Columns;
    let mut out = iob::read(
        &read(&dir.join("wikigold/wikigold.conll.txt"))?,
        Columns::WordTag,
    );
    for f in sorted_files(&dir.join("uner-ewt"), ".iob2")? {
        out.extend(iob::read(&read(&f)?, Columns::IdWordTag));
    }
    let mut sources: Vec<PathBuf> = std::fs::read_dir(dir.join("re3d"))
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    sources.sort();
    for s in sources {
        for f in sorted_files(&s, ".conll")? {
            out.extend(iob::read(&read(&f)?, Columns::WordTag));
        }
    }
    Ok(out)
}

/// The tagger's words of a sentence and their tags: a word inside a name is tagged with it.
fn example(s: &Sentence) -> ner::Example<'_> {
    let words = extract::entities::tagger_tokens(&s.text, 0..s.text.len());
    let spans: Vec<ner::Span> = s
        .names
        .iter()
        .filter_map(|&(a, b, kind)| {
            let start = words.iter().position(|(r, _)| r.start >= a && r.end <= b)?;
            let end = words
                .iter()
                .rposition(|(r, _)| r.start >= a && r.end <= b)?
                + 1;
            Some(ner::Span { start, end, kind })
        })
        .collect();
    let mut spans = spans;
    // Nested names: the longest of overlapping ones (a flat tagger tags one).
    spans.sort_by_key(|s| (std::cmp::Reverse(s.end - s.start), s.start));
    let mut flat: Vec<ner::Span> = Vec::new();
    for s in spans {
        if flat.iter().all(|f| s.end <= f.start || f.end <= s.start) {
            flat.push(s);
        }
    }
    ner::Example {
        tags: ner::tags_of(words.len(), &flat),
        tokens: words
            .into_iter()
            .map(|(r, flags)| ner::Token {
                text: &s.text[r],
                flags,
            })
            .collect(),
    }
}

fn run(args: &Args) -> Result<(), String> {
    let started = std::time::Instant::now();
    let gum = gum_sentences(&args.gum)?;
    if args.dump {
        for s in &gum {
            for &(a, b, kind) in &s.names {
                println!("{kind:?}\t{}", &s.text[a..b]);
            }
        }
        return Ok(());
    }
    let extra = match &args.extra {
        Some(dir) => extra_sentences(dir)?,
        None => Vec::new(),
    };
    let names = |v: &[Sentence]| v.iter().map(|s| s.names.len()).sum::<usize>();
    eprintln!(
        "GUM: {} sentences, {} names; extra: {} sentences, {} names",
        gum.len(),
        names(&gum),
        extra.len(),
        names(&extra)
    );
    let mut examples: Vec<ner::Example> = Vec::new();
    for _ in 0..args.gum_weight {
        examples.extend(gum.iter().map(example));
    }
    examples.extend(extra.iter().map(example));
    let mut trainer = ner::Trainer::new(args.bits);
    trainer.train(&examples, args.epochs, args.seed);
    let model = trainer.finish();
    std::fs::write(&args.out, model.to_bytes())
        .map_err(|e| format!("{}: {e}", args.out.display()))?;
    if let Some(dir) = &args.eval {
        evaluate(&model, &gum_sentences(dir)?);
    }
    eprintln!(
        "wrote {} ({} bytes) in {:.1} s",
        args.out.display(),
        model.table_bytes() + 12,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Exact-span precision, recall and F1 of `model` on `sentences`, per kind and overall.
fn evaluate(model: &ner::Model, sentences: &[Sentence]) {
    let mut scratch = ner::Scratch::default();
    // (true positives, predicted, gold) per kind, then all.
    let mut counts = [[0usize; 3]; 4];
    let index = |k: ner::Kind| ner::Kind::ALL.iter().position(|&x| x == k).unwrap_or(0);
    for s in sentences {
        let ex = example(s);
        let mut gold = Vec::new();
        ner::spans_of(&ex.tags, &mut gold);
        let mut found = Vec::new();
        model.tag(&ex.tokens, &mut scratch, &mut found);
        for f in &found {
            counts[index(f.kind)][1] += 1;
            counts[index(f.kind)][0] += usize::from(gold.contains(f));
        }
        for g in &gold {
            counts[index(g.kind)][2] += 1;
        }
        if std::env::var_os("TRAIN_DEBUG").is_some() && found != gold {
            let show = |v: &[ner::Span]| {
                v.iter()
                    .map(|s| {
                        format!(
                            "{:?}:{}",
                            s.kind,
                            ex.tokens[s.start..s.end]
                                .iter()
                                .map(|t| t.text)
                                .collect::<Vec<_>>()
                                .join(" ")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" | ")
            };
            eprintln!("GOLD {}\nPRED {}\n", show(&gold), show(&found));
        }
    }
    counts[3] = (0..3).fold([0; 3], |acc, k| {
        [
            acc[0] + counts[k][0],
            acc[1] + counts[k][1],
            acc[2] + counts[k][2],
        ]
    });
    for (name, [tp, pred, gold]) in ["PERSON", "ORG", "PLACE", "all"].iter().zip(counts) {
        let p = tp as f64 / pred.max(1) as f64;
        let r = tp as f64 / gold.max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        eprintln!("eval {name}: P {p:.3} R {r:.3} F1 {f:.3} ({tp}/{pred}/{gold})");
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("train: {e}");
            ExitCode::FAILURE
        }
    }
}
