//! Choosing among competing attributions of one quotation by a scored ranking.
//!
//! Each way of attributing a quotation (a cue after the closing mark, a passive agent, a cue
//! earlier in the sentence, a colon lead-in) that finds something is a candidate. Each gets a
//! handful of binary features (which route, whether it names a speaker and of what kind, the
//! distance and punctuation between cue and quotation, whether the quotation ends its
//! sentence, whether the speaker is an outlet), and a linear model scores them; the highest
//! score wins, ties going to the earlier route. The weights are in
//! `data/quotes/speaker_weights.tsv`, fitted on PolNeAR's train split by
//! `cargo run --release -p train --bin speakers` (averaged perceptron ranking).

use std::collections::HashMap;
use std::ops::Range;

use model::SpeakerKind;

use super::attribution::{Attribution, Route};

const SHIPPED: &str = include_str!("../../../../data/quotes/speaker_weights.tsv");

/// Weights of the speaker ranking: feature name → weight.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpeakerWeights {
    weights: HashMap<String, f64>,
}

impl SpeakerWeights {
    /// The weights shipped in `data/quotes/speaker_weights.tsv`.
    pub fn shipped() -> Self {
        Self::parse(SHIPPED).expect("data/quotes/speaker_weights.tsv is well-formed")
    }

    /// Reads `feature<TAB>weight` lines; `#` starts a comment line.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut weights = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, value) = line
                .split_once('\t')
                .ok_or_else(|| format!("speaker weights line {}: no tab", i + 1))?;
            let value: f64 = value
                .trim()
                .parse()
                .map_err(|e| format!("speaker weights line {}: {e}", i + 1))?;
            weights.insert(name.to_string(), value);
        }
        Ok(SpeakerWeights { weights })
    }

    /// From a fitted table (the trainer's output).
    pub fn from_map(weights: HashMap<String, f64>) -> Self {
        SpeakerWeights { weights }
    }

    /// Sorted `feature<TAB>weight` lines (zero weights left out), deterministic.
    pub fn to_tsv(&self) -> String {
        let mut rows: Vec<(&String, &f64)> =
            self.weights.iter().filter(|(_, w)| **w != 0.0).collect();
        rows.sort_by(|a, b| a.0.cmp(b.0));
        rows.iter().map(|(n, w)| format!("{n}\t{w:.4}\n")).collect()
    }

    pub fn score(&self, features: &[String]) -> f64 {
        features
            .iter()
            .map(|f| self.weights.get(f).copied().unwrap_or(0.0))
            .sum()
    }

    pub fn get(&self, feature: &str) -> f64 {
        self.weights.get(feature).copied().unwrap_or(0.0)
    }
}

/// One candidate attribution and its features, as the trainer sees it.
#[derive(Debug, Clone)]
pub struct SpeakerChoice {
    pub features: Vec<String>,
    pub speaker: Option<String>,
    pub mention: Option<String>,
}

/// The candidates of one quotation (byte range of its outer span in the document text).
#[derive(Debug, Clone)]
pub struct SpeakerCase {
    pub quote: Range<usize>,
    pub choices: Vec<SpeakerChoice>,
}

/// What the features are computed from, besides the attribution itself.
pub struct Context<'a> {
    pub text: &'a str,
    pub quote: Range<usize>,
    pub ends_sentence: bool,
    pub is_outlet: &'a dyn Fn(&str) -> bool,
}

fn route_name(route: Route) -> &'static str {
    match route {
        Route::After => "after",
        Route::Passive => "passive",
        Route::Before => "before",
        Route::Colon => "colon",
        Route::Continuation => "previous",
        Route::Lead => "lead",
        Route::Subject => "subject",
        Route::Nothing => "none",
    }
}

fn kind_name(kind: Option<SpeakerKind>) -> &'static str {
    match kind {
        Some(SpeakerKind::Person) => "person",
        Some(SpeakerKind::Organization) => "organization",
        Some(SpeakerKind::Document) => "document",
        Some(SpeakerKind::Described) => "described",
        Some(SpeakerKind::Unknown) => "unknown",
        None => "blank",
    }
}

/// Distance in bytes between the cue and the nearer end of the quotation, bucketed.
fn distance_bucket(quote: &Range<usize>, cue: &Range<usize>) -> &'static str {
    let d = if cue.start >= quote.end {
        cue.start - quote.end
    } else {
        quote.start.saturating_sub(cue.end)
    };
    match d {
        0..=3 => "d0",
        4..=20 => "d1",
        21..=60 => "d2",
        _ => "d3",
    }
}

/// The features of one candidate attribution.
pub fn features(a: &Attribution, cx: &Context<'_>) -> Vec<String> {
    // A cue whose speaker was not found ("…,” it said) is a candidate of its own.
    let r = match a.route {
        Route::Nothing if a.cue.is_some() => "cue_only",
        route => route_name(route),
    };
    let mut f = vec![
        format!("route={r}"),
        format!("{r}:kind={}", kind_name(a.speaker_kind)),
        format!("{r}:named={}", a.speaker.is_some()),
    ];
    if cx.ends_sentence {
        f.push(format!("{r}:quote_ends_sentence"));
    }
    if a.speaker.as_deref().is_some_and(|s| (cx.is_outlet)(s)) {
        f.push(format!("{r}:outlet"));
    }
    if let Some(cue) = &a.cue {
        let lower = cue.to_lowercase();
        if lower == "according to" {
            f.push(format!("{r}:cue=according_to"));
        }
    } else {
        f.push(format!("{r}:no_cue"));
    }
    if let Some(cue) = &a.cue_bytes {
        f.push(format!("{r}:{}", distance_bucket(&cx.quote, cue)));
        let (lo, hi) = if cue.start >= cx.quote.end {
            (cx.quote.end, cue.start)
        } else {
            (cue.end.min(cx.quote.start), cx.quote.start)
        };
        let between = cx.text.get(lo..hi).unwrap_or("");
        for (mark, name) in [(',', "comma"), (':', "colon"), ('.', "period")] {
            if between.contains(mark) {
                f.push(format!("{r}:between_{name}"));
            }
        }
    }
    f
}

/// The index of the best-scored candidate (ties: the earliest); `extra` holds features
/// beyond the generic ones, one list per candidate.
pub fn choose(
    weights: &SpeakerWeights,
    candidates: &[Attribution],
    extra: &[Vec<String>],
    cx: &Context<'_>,
    record: Option<&mut Vec<SpeakerCase>>,
) -> Option<usize> {
    let feats: Vec<Vec<String>> = candidates
        .iter()
        .zip(extra)
        .map(|(a, more)| {
            let mut f = features(a, cx);
            f.extend(more.iter().cloned());
            f
        })
        .collect();
    let mut best: Option<(usize, f64)> = None;
    for (i, f) in feats.iter().enumerate() {
        let s = weights.score(f);
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    if let Some(cases) = record {
        let choices = candidates
            .iter()
            .zip(feats)
            .map(|(a, features)| SpeakerChoice {
                features,
                speaker: a.speaker.clone(),
                mention: a.mention.clone(),
            })
            .collect();
        cases.push(SpeakerCase {
            quote: cx.quote.clone(),
            choices,
        });
    }
    best.map(|(i, _)| i)
}
