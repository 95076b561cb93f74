//! Fitting the quotes stage's speaker ranking on brat attribution annotations (PolNeAR).
//!
//! The quotes stage itself produces the examples ([`Quotes::speaker_cases`]): for every
//! quotation it ranked, its candidate attributions and their features. A candidate is right
//! when its speaker or mention shares the last word of the gold Source span, or of the span's
//! head (the words before a comma, bracket, dash or "at", "of", …), as the PolNeAR scorer
//! judges it; when none is, a candidate naming no one (which leaves the quotation to the
//! later rules) is the right one. Quotations whose gold source is a pronoun, or that have
//! fewer than two candidates, or whose candidates are all right or all wrong, teach nothing
//! and are left out. The weights are fitted
//! by an averaged perceptron that ranks: when the best-scored candidate is wrong, the right
//! one's features gain and the chosen one's lose.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use extract::quotes::{Quotes, QuotesOptions, SpeakerCase, SpeakerWeights};
use model::{BuildContext, Document};

/// One quotation to learn from: each candidate's features, and which candidates are right.
#[derive(Debug, Clone)]
pub struct Example {
    pub choices: Vec<Vec<String>>,
    pub right: Vec<bool>,
}

impl Example {
    /// Whether this is the decision between the previous quotation's speaker and no one.
    pub fn is_follow_on(&self) -> bool {
        self.choices
            .iter()
            .any(|c| c.iter().any(|f| f == "route=previous"))
    }
}

/// A gold attribution: the byte ranges of its content and its source text.
#[derive(Debug, Clone)]
pub struct GoldAttribution {
    pub content: Vec<Range<usize>>,
    pub source: String,
}

const PRONOUNS: &[&str] = &[
    "he", "she", "they", "it", "i", "we", "you", "him", "her", "them",
];

/// Reads a brat `.ann` file's attributions (events with a Content span); offsets are
/// characters of `text`, turned into byte offsets. A malformed line is an error naming it.
pub fn read_ann(ann: &str, text: &str) -> Result<Vec<GoldAttribution>, String> {
    let byte_of: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let to_bytes = |c: usize| byte_of.get(c).copied().unwrap_or(text.len());
    let mut spans: HashMap<&str, Vec<Range<usize>>> = HashMap::new();
    // A span's text may run over lines: only "T<digits><TAB>" starts an entry.
    let is_entry = |l: &str, tag: char| {
        l.split('\t').next().is_some_and(|id| {
            id.len() > 1 && id.starts_with(tag) && id[1..].bytes().all(|b| b.is_ascii_digit())
        }) && l.contains('\t')
    };
    for (i, line) in ann.lines().enumerate().filter(|(_, l)| is_entry(l, 'T')) {
        let mut cols = line.split('\t');
        let (id, mid) = (cols.next().unwrap_or(""), cols.next().unwrap_or(""));
        let (_, offsets) = mid
            .split_once(' ')
            .ok_or_else(|| format!("line {}: no offsets", i + 1))?;
        let mut ranges = Vec::new();
        for part in offsets.split(';') {
            let mut n = part.split_whitespace().map(str::parse::<usize>);
            match (n.next(), n.next()) {
                (Some(Ok(s)), Some(Ok(e))) => ranges.push(to_bytes(s)..to_bytes(e)),
                _ => return Err(format!("line {}: bad offsets {part:?}", i + 1)),
            }
        }
        spans.insert(id, ranges);
    }
    let mut out = Vec::new();
    for line in ann.lines().filter(|l| is_entry(l, 'E')) {
        let args: HashMap<&str, &str> = line
            .split('\t')
            .nth(1)
            .unwrap_or("")
            .split_whitespace()
            .skip(1)
            .filter_map(|a| a.split_once(':'))
            .collect();
        let Some(content) = args.get("Content").and_then(|t| spans.get(t)) else {
            continue;
        };
        let source = args
            .get("Source")
            .and_then(|t| spans.get(t))
            .map(|rs| {
                rs.iter()
                    .map(|r| text.get(r.clone()).unwrap_or(""))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        out.push(GoldAttribution {
            content: content.clone(),
            source,
        });
    }
    Ok(out)
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .replace('’', "'")
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The words a right speaker must share with the gold source: its last word and the last
/// word of its head. None for a pronoun source (not judged by name).
fn source_keys(source: &str) -> Option<Vec<String>> {
    let all = words(source);
    let last = all.last()?;
    if PRONOUNS.contains(&last.as_str()) {
        return None;
    }
    let cuts = [
        ",", " at ", " of ", " for ", " who ", " from ", " with ", " in ", "(", "—", " – ",
    ];
    let head_end = cuts
        .iter()
        .filter_map(|c| source.find(c))
        .min()
        .unwrap_or(source.len());
    let mut keys = vec![last.clone()];
    keys.extend(words(&source[..head_end]).last().cloned());
    Some(keys)
}

fn overlap(a: &Range<usize>, b: &Range<usize>) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// Labels the stage's cases of one document with the gold attributions.
pub fn label(cases: &[SpeakerCase], gold: &[GoldAttribution]) -> Vec<Example> {
    let mut out = Vec::new();
    for case in cases.iter().filter(|c| c.choices.len() >= 2) {
        let quote_len = case.quote.len().max(1);
        let Some(g) = gold.iter().find(|g| {
            g.content
                .iter()
                .map(|r| overlap(r, &case.quote))
                .sum::<usize>()
                * 2
                >= quote_len
        }) else {
            continue;
        };
        let Some(keys) = source_keys(&g.source) else {
            continue;
        };
        let mut right: Vec<bool> = case
            .choices
            .iter()
            .map(|c| {
                let said = format!(
                    "{} {}",
                    c.speaker.as_deref().unwrap_or(""),
                    c.mention.as_deref().unwrap_or("")
                );
                words(&said).iter().any(|w| keys.contains(w))
            })
            .collect();
        // When no candidate names the source, naming no one is the right choice: it leaves
        // the quotation to the later rules instead of a wrong speaker.
        if !right.iter().any(|r| *r) {
            for (r, c) in right.iter_mut().zip(&case.choices) {
                *r = c.speaker.is_none();
            }
        }
        if right.iter().any(|r| *r) && !right.iter().all(|r| *r) {
            out.push(Example {
                choices: case.choices.iter().map(|c| c.features.clone()).collect(),
                right,
            });
        }
    }
    out
}

/// Reads `dir/text/*.txt` and their `dir/attributions/<stem>_*.ann`, runs the quotes stage on
/// each text, and labels its cases.
pub fn read_corpus(dir: &Path) -> Result<Vec<Example>, String> {
    // The candidates come from the rule order, not from the shipped weights: the fitted file
    // must not depend on the file it replaces.
    let stage = Quotes::new(QuotesOptions::default(), &BuildContext::default())
        .map_err(|e| e.to_string())?
        .with_speaker_weights(SpeakerWeights::from_map(rule_order()));
    let list = |sub: &str, ext: &str| -> Result<Vec<PathBuf>, String> {
        let d = dir.join(sub);
        let rd = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        let mut v: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .collect();
        v.sort();
        Ok(v)
    };
    let anns = list("attributions", "ann")?;
    let mut out = Vec::new();
    for t in list("text", "txt")? {
        let stem = t
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let Some(ann) = anns.iter().find(|a| {
            a.file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.rsplit_once('_'))
                .is_some_and(|(s, _)| s == stem)
        }) else {
            continue;
        };
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
        let text = read(&t)?;
        let gold = read_ann(&read(ann)?, &text).map_err(|e| format!("{}: {e}", ann.display()))?;
        let mut doc = Document::new(&stem, &stem, text);
        let cases = stage
            .speaker_cases(&mut doc)
            .map_err(|e| format!("{}: {e}", t.display()))?;
        out.extend(label(&cases, &gold));
    }
    Ok(out)
}

/// What fitting gave: the weights, and how often they rank a right candidate first on the
/// training examples, against the shipped rule-order weights.
pub struct Fit {
    pub weights: SpeakerWeights,
    pub examples: usize,
    pub accuracy: f64,
    pub baseline: f64,
}

fn best(weights: &HashMap<String, f64>, choices: &[Vec<String>]) -> usize {
    let score = |f: &Vec<String>| {
        f.iter()
            .map(|x| weights.get(x).unwrap_or(&0.0))
            .sum::<f64>()
    };
    let mut top = 0;
    for i in 1..choices.len() {
        if score(&choices[i]) > score(&choices[top]) {
            top = i;
        }
    }
    top
}

fn accuracy(weights: &HashMap<String, f64>, examples: &[Example]) -> f64 {
    let ok = examples
        .iter()
        .filter(|e| e.right[best(weights, &e.choices)])
        .count();
    ok as f64 / examples.len().max(1) as f64
}

/// Averaged perceptron ranking, starting from the rule-order weights (so a feature the data
/// never contradicts keeps the rules' preference).
pub fn fit(examples: &[Example], epochs: usize) -> Fit {
    let start: HashMap<String, f64> = rule_order();
    let mut w = start.clone();
    let mut sum: HashMap<String, f64> = HashMap::new();
    let mut steps = 0.0;
    for _ in 0..epochs {
        for e in examples {
            let top = best(&w, &e.choices);
            if !e.right[top] {
                let gold = (0..e.choices.len())
                    .filter(|&i| e.right[i])
                    .max_by(|&a, &b| {
                        let s = |i: usize| {
                            e.choices[i]
                                .iter()
                                .map(|x| w.get(x).unwrap_or(&0.0))
                                .sum::<f64>()
                        };
                        s(a).total_cmp(&s(b)).then(b.cmp(&a))
                    })
                    .unwrap_or(0);
                for f in &e.choices[gold] {
                    *w.entry(f.clone()).or_default() += 1.0;
                }
                for f in &e.choices[top] {
                    *w.entry(f.clone()).or_default() -= 1.0;
                }
            }
            for (k, v) in &w {
                *sum.entry(k.clone()).or_default() += v;
            }
            steps += 1.0;
        }
    }
    let averaged: HashMap<String, f64> = if steps > 0.0 {
        sum.into_iter().map(|(k, v)| (k, v / steps)).collect()
    } else {
        start.clone()
    };
    Fit {
        accuracy: accuracy(&averaged, examples),
        baseline: accuracy(&start, examples),
        examples: examples.len(),
        weights: SpeakerWeights::from_map(averaged),
    }
}

/// The weights that reproduce the fixed rule order: a cue after the closing mark, then a
/// passive agent, then a cue before, then a colon lead-in; an outlet after "according to"
/// gives way to a speaker named before.
pub fn rule_order() -> HashMap<String, f64> {
    [
        ("route=after", 8.0),
        ("route=passive", 6.0),
        ("route=before", 4.0),
        ("route=colon", 2.0),
        ("before:named=true", 0.5),
        ("after:outlet", -3.8),
        ("previous:rule", 1.0),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}
