//! Direct quotations, their kind, speaker and cue.
//!
//! The `quotes` stage finds every quoted span ([`spans`]), decides whether it is speech or a
//! quoted name ([`kind`]), and credits speech to the speaker its cue points at
//! ([`attribution`]), using the sentences and referents the other extraction stages share.
//! Everything costly (the cue automaton, word lists) is built once in [`Quotes::new`].

mod attribution;
mod kind;
mod lexicon;
mod ranking;
mod spans;
mod tokens;

use std::ops::Range;

use model::{
    BuildContext, Capability, Document, DocumentStage, Quote, QuoteKind, SpeakerKind, StageError,
    StageOptions,
};
use serde::{Deserialize, Serialize};

use attribution::{Attribution, Route, Scene};
use lexicon::Lexicon;
use spans::{Cut, RawSpan};

pub use kind::is_title_case;
pub use ranking::{SpeakerCase, SpeakerChoice, SpeakerWeights};

const STAGE: &str = "quotes";

/// Options of the `quotes` stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuotesOptions {
    /// Cue verbs or phrases added to the built-in list (every inflection you want matched).
    pub extra_cues: Vec<String>,
    /// Files of further cues, one per line (`#` comments), relative to the config file.
    pub cue_lists: Vec<String>,
    /// Common nouns that may head a speaker phrase ("the spokesperson", "officials").
    pub extra_speaker_nouns: Vec<String>,
    /// Longest quotation (in characters) kept when a mark is never closed; the paragraph end
    /// bounds it too.
    pub max_quote_chars: usize,
    /// A quotation embedded in the writer's sentence that starts with a capital counts as a
    /// full clause from this many words on.
    pub min_full_words: usize,
    /// Report quotations nested inside other quotations as records of their own.
    pub nested: bool,
}

impl Default for QuotesOptions {
    fn default() -> Self {
        QuotesOptions {
            extra_cues: Vec::new(),
            cue_lists: Vec::new(),
            extra_speaker_nouns: Vec::new(),
            max_quote_chars: 3000,
            min_full_words: 4,
            nested: true,
        }
    }
}

impl StageOptions for QuotesOptions {
    fn docs() -> &'static [(&'static str, &'static str)] {
        &[
            ("extra_cues", "cue verbs/phrases added to the built-in list (each inflection listed)"),
            ("cue_lists", "files of further cues, one per line, relative to the config file"),
            ("extra_speaker_nouns", "common nouns that may head a speaker phrase (\"the spokesperson\")"),
            ("max_quote_chars", "bound (characters) on a quotation whose closing mark is missing"),
            ("min_full_words", "an embedded quotation starting with a capital is a full clause from this many words"),
            ("nested", "report quotations nested inside quotations as records of their own"),
        ]
    }
}

/// The `quotes` stage: needs `text`, provides `quotes`.
pub struct Quotes {
    lexicon: Lexicon,
    options: QuotesOptions,
    weights: SpeakerWeights,
}

impl Quotes {
    pub const NAME: &'static str = STAGE;
    pub const NEEDS: &'static [Capability] = &[Capability::Text];
    pub const PROVIDES: &'static [Capability] = &[Capability::Quotes];

    pub fn new(options: QuotesOptions, ctx: &BuildContext) -> Result<Self, StageError> {
        let mut cues = options.extra_cues.clone();
        for file in &options.cue_lists {
            let path = ctx.resolve(file);
            let text = std::fs::read_to_string(&path).map_err(|e| {
                StageError::new(format!(
                    "quotes: cannot read cue list {}: {e}",
                    path.display()
                ))
            })?;
            cues.push(text);
        }
        if options.max_quote_chars == 0 {
            return Err(StageError::new("quotes: max_quote_chars must be positive"));
        }
        let lexicon = Lexicon::new(&cues, &options.extra_speaker_nouns).map_err(StageError::new)?;
        Ok(Quotes {
            lexicon,
            options,
            weights: SpeakerWeights::shipped(),
        })
    }
}

/// The previous quotation's speaker as a candidate for the next one.
struct FollowOn {
    attribution: Attribution,
    continues: Option<usize>,
    /// Features beyond the generic ones: what the hand-written rule looked at.
    signs: Vec<String>,
}

impl FollowOn {
    fn new(attribution: Attribution, continues: Option<usize>, rule: bool, signs: &[&str]) -> Self {
        let mut signs: Vec<String> = signs.iter().map(|s| format!("previous:{s}")).collect();
        if rule {
            signs.push("previous:rule".to_string());
        }
        FollowOn {
            attribution,
            continues,
            signs,
        }
    }
}

/// One quotation on its way to a record.
struct Found {
    span: RawSpan,
    attribution: Attribution,
    kind: QuoteKind,
    continues: Option<usize>,
}

impl DocumentStage for Quotes {
    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        self.run(doc, None)
    }
}

impl Quotes {
    /// The stage with other ranking weights (the trainer's, in tests).
    pub fn with_speaker_weights(mut self, weights: SpeakerWeights) -> Self {
        self.weights = weights;
        self
    }

    /// Runs the stage on `doc` and returns, for every quotation the ranking decided, its
    /// candidate attributions with their features: the trainer's examples.
    pub fn speaker_cases(&self, doc: &mut Document) -> Result<Vec<SpeakerCase>, StageError> {
        let mut cases = Vec::new();
        self.run(doc, Some(&mut cases))?;
        Ok(cases)
    }

    fn run(
        &self,
        doc: &mut Document,
        record: Option<&mut Vec<SpeakerCase>>,
    ) -> Result<(), StageError> {
        doc.quotes.clear();
        let mut warnings = Vec::new();
        let mut raw = spans::find_spans(
            doc.text(),
            &doc.paragraphs,
            self.options.max_quote_chars,
            &mut warnings,
        );
        if !self.options.nested {
            raw.retain(|s| s.depth == 0);
        }
        for span in raw.iter_mut().filter(|s| s.unclosed.is_some()) {
            self.cut_at_attribution(doc.text(), span);
            let at = crate::records::spans(
                doc,
                std::slice::from_ref(&(span.outer.start..span.outer.start)),
            )[0]
            .source_start;
            let hint: String = doc.text()[span.inner.clone()].chars().take(40).collect();
            warnings.push(format!(
                "unclosed quotation mark at character {at} of the source (“{hint}…”); quote ended at {}",
                span.unclosed.map_or("", Cut::describe)
            ));
        }
        if raw.is_empty() {
            for w in warnings {
                doc.warn(STAGE, w);
            }
            return Ok(());
        }
        let found = crate::entities::shared_referents(crate::entities::Lexicon::builtin(), doc);
        let referents = &found.referents;
        // The lists filtered from `raw` are sized for all of it: collected from a filter,
        // they grew from empty.
        let mut quoted: Vec<Range<usize>> = Vec::with_capacity(raw.len());
        quoted.extend(raw.iter().filter(|s| s.depth == 0).map(|s| s.outer.clone()));
        // Cues matter only around quotations: their paragraphs and the ones before them.
        let cues = {
            // Cues inside quotations do not count. When no cue holds a quote mark, none runs
            // into or out of a quotation with both its marks, so the search skips those: the
            // cues outside come out the same (see `find_cues_outside`).
            let closed: Vec<Range<usize>> = if self.lexicon.cues_hold_no_marks() {
                let mut closed = Vec::with_capacity(raw.len());
                closed.extend(
                    raw.iter()
                        .filter(|s| s.depth == 0 && s.unclosed.is_none())
                        .map(|s| s.outer.clone()),
                );
                closed
            } else {
                Vec::new()
            };
            let mut searched_to = 0;
            let mut paras: Vec<usize> = raw.iter().map(|s| s.paragraph).collect();
            paras.dedup();
            // `cue_parts` adds one or two parts per paragraph.
            let mut parts = Vec::with_capacity(2 * paras.len());
            for p in paras {
                let from = doc.paragraphs[p.saturating_sub(1)].start.max(searched_to);
                let to = doc.paragraphs[p].end;
                if from < to {
                    cue_parts(doc.text(), &doc.paragraphs, p, from..to, &mut parts);
                    searched_to = to;
                }
            }
            // Smaller still: most sentences of a paragraph are far from its quotations.
            let parts = split_at_sentence_ends(doc.text(), &doc.sentences, &self.lexicon, parts);
            attribution::Cues::new(doc.text(), &self.lexicon, closed, &quoted, parts)
        };
        let scene = Scene {
            text: doc.text(),
            paragraphs: &doc.paragraphs,
            sentences: &doc.sentences,
            referents,
            quoted: &quoted,
            cues: &cues,
            lex: &self.lexicon,
        };
        let found = self.attribute(&scene, raw, record);
        let records = to_records(doc, found);
        doc.quotes = records;
        for w in warnings {
            doc.warn(STAGE, w);
        }
        Ok(())
    }
}

impl Quotes {
    /// A quotation whose closing mark is missing often runs into its own attribution
    /// ("“We were never consulted, said Janet Wu, …"): end it at the comma before the cue.
    fn cut_at_attribution(&self, text: &str, span: &mut RawSpan) {
        let mut hits = Vec::new();
        self.lexicon.find_cues(text, span.inner.clone(), &mut hits);
        for hit in hits {
            let before = &text[span.inner.start..hit.bytes.start];
            let Some(comma) = before.rfind(',') else {
                continue;
            };
            // Between the comma and the cue: nothing, or a short capitalized name.
            let between = before[comma + 1..].trim();
            let words: Vec<&str> = between.split_whitespace().collect();
            let name_like = words.len() <= 3
                && words.iter().all(|w| {
                    w.chars().next().is_some_and(char::is_uppercase) || *w == "he" || *w == "she"
                });
            if comma > 0 && (between.is_empty() || name_like) {
                let end = span.inner.start + comma + 1;
                span.inner.end = end;
                span.outer.end = end;
                span.unclosed = Some(Cut::Attribution);
                return;
            }
        }
    }

    fn attribute(
        &self,
        scene: &Scene<'_>,
        raw: Vec<RawSpan>,
        mut record: Option<&mut Vec<SpeakerCase>>,
    ) -> Vec<Found> {
        let text = scene.text;
        let mut out: Vec<Found> = Vec::with_capacity(raw.len());
        // Index into `out` of the last outermost quotation.
        let mut last_top: Option<usize> = None;
        for span in raw {
            let prev = last_top.map(|i| &out[i]);
            let same_para_prev = prev.filter(|p| p.span.paragraph == span.paragraph);
            let content = &text[span.inner.clone()];
            let para_start = scene.paragraphs.get(span.paragraph).map_or(0, |p| p.start);
            let before = &text[para_start..span.outer.start];
            let mut attribution = Attribution::default();
            let mut continues = None;
            if span.depth == 0 {
                if span.continued {
                    if let Some(p) = prev.filter(|p| p.span.runs_on) {
                        attribution = p.attribution.clone();
                        attribution.route = Route::Continuation;
                        continues = last_top;
                    }
                }
                if !attribution.is_attributed() {
                    attribution = self.attribute_one(scene, &span, content, record.as_deref_mut());
                }
                // Split quotation: both parts hang on the same cue ("…,” Witkoff said, “…”).
                if let (Some(p), Some(cue)) = (same_para_prev, &attribution.cue_bytes) {
                    if p.attribution.cue_bytes.as_ref() == Some(cue) {
                        continues = last_top;
                    }
                }
                if !attribution.is_attributed() && attribution.cue.is_none() {
                    let lead = scene
                        .signature(span.outer.end)
                        .or_else(|| scene.sentence_lead(span.outer.start, span.paragraph));
                    if let Some(a) = lead {
                        attribution = a;
                    }
                }
                if !attribution.is_attributed() {
                    let follow = self.follow_on(scene, &span, prev, last_top).filter(|f| {
                        self.keep_follow_on(scene, &span, content, f, record.as_deref_mut())
                    });
                    if let Some(FollowOn {
                        attribution: mut a,
                        continues: c,
                        ..
                    }) = follow
                    {
                        if attribution.cue.is_some() {
                            // Its own cue, the earlier speaker ("…, and emphasised “…”").
                            a.cue = attribution.cue.take();
                            a.cue_bytes = attribution.cue_bytes.take();
                        } else {
                            continues = c;
                        }
                        attribution = a;
                    } else if attribution.cue.is_none() {
                        if let Some(a) = scene.paragraph_lead(span.outer.start, span.paragraph) {
                            attribution = a;
                        }
                    }
                }
            }
            let kind = kind::classify(&kind::Shape {
                content,
                before,
                continues: continues.is_some(),
                attributed: attribution.is_attributed() || attribution.cue.is_some(),
                min_full_words: self.options.min_full_words,
            });
            if !kind.is_speech() {
                attribution = Attribution::default();
                continues = None;
            } else if span.depth == 0 {
                if attribution.speaker.is_none() {
                    if let Some(mut a) = scene.sentence_subject(span.outer.start) {
                        a.cue = attribution.cue.take();
                        a.cue_bytes = attribution.cue_bytes.take();
                        attribution = a;
                    }
                }
                attribution.medium = scene.medium(span.outer.start, span.outer.end);
            }
            // A title or term between two quotations ("… on NBC's “Meet the Press.”") does
            // not break their run.
            let is_top = span.depth == 0 && kind.is_speech();
            out.push(Found {
                span,
                attribution,
                kind,
                continues,
            });
            if is_top {
                last_top = Some(out.len() - 1);
            }
        }
        // A quotation running over paragraphs is attributed where its cue is; give every
        // part the same speaker.
        for i in (0..out.len()).rev() {
            if let Some(c) = out[i].continues {
                if !out[c].attribution.is_attributed() && out[i].attribution.is_attributed() {
                    let mut a = out[i].attribution.clone();
                    a.route = Route::Continuation;
                    out[c].attribution = a;
                }
            }
        }
        out
    }

    fn attribute_one(
        &self,
        scene: &Scene<'_>,
        span: &RawSpan,
        content: &str,
        record: Option<&mut Vec<SpeakerCase>>,
    ) -> Attribution {
        let ends_sentence =
            content.trim_end().ends_with('.') && !content.trim_end().ends_with("..");
        // A closing mark written as two apostrophes ('') ends the span at the first one.
        let close_end = span.outer.end + scene.text[span.outer.end..].len()
            - scene.text[span.outer.end..]
                .trim_start_matches(['\'', '’'])
                .len();
        let window_start = scene.sentence_start(span.outer.start, 400);
        // Every route that finds something is a candidate; the ranking picks one (the
        // shipped weights prefer a cue after the closing mark, then a passive agent, then a
        // cue before, then a colon lead-in; "Lee called it “…,” according to Fox News" goes
        // to the speaker named before).
        let mut candidates = Vec::with_capacity(4);
        if !ends_sentence {
            candidates.extend(scene.after_close(close_end));
        }
        candidates.extend(scene.passive(span.outer.start, close_end, window_start));
        match scene.before_open(span.outer.start, window_start) {
            Some(a) => candidates.push(a),
            None => candidates.extend(scene.colon_lead(span.outer.start)),
        }
        let is_outlet = |s: &str| scene.lex.is_outlet(s);
        let cx = ranking::Context {
            text: scene.text,
            quote: span.outer.clone(),
            ends_sentence,
            is_outlet: &is_outlet,
        };
        let extra = vec![Vec::new(); candidates.len()];
        match ranking::choose(&self.weights, &candidates, &extra, &cx, record) {
            Some(i) => candidates.swap_remove(i),
            None => Attribution::default(),
        }
    }

    /// Whether the ranking credits the previous quotation's speaker rather than no one.
    fn keep_follow_on(
        &self,
        scene: &Scene<'_>,
        span: &RawSpan,
        content: &str,
        follow: &FollowOn,
        record: Option<&mut Vec<SpeakerCase>>,
    ) -> bool {
        let is_outlet = |s: &str| scene.lex.is_outlet(s);
        let cx = ranking::Context {
            text: scene.text,
            quote: span.outer.clone(),
            ends_sentence: content.trim_end().ends_with('.'),
            is_outlet: &is_outlet,
        };
        // No one first: a tie leaves the quotation to the paragraph lead or its sentence.
        let candidates = [Attribution::default(), follow.attribution.clone()];
        let extra = [Vec::new(), follow.signs.clone()];
        ranking::choose(&self.weights, &candidates, &extra, &cx, record) == Some(1)
    }

    /// A quotation with no cue of its own that goes on from the one before: in the same
    /// paragraph after its attribution ("…,” Witkoff explained. “It’s …”), or opening the
    /// next paragraph. The ranking decides between crediting the previous speaker and no
    /// one (then the paragraph lead or the sentence's subject may answer); `rule` is what
    /// the hand-written conditions said, `signs` what they looked at.
    fn follow_on(
        &self,
        scene: &Scene<'_>,
        span: &RawSpan,
        prev: Option<&Found>,
        prev_index: Option<usize>,
    ) -> Option<FollowOn> {
        let p = prev?;
        if !p.kind.is_speech() || p.attribution.speaker.is_none() {
            return None;
        }
        let mut a = p.attribution.clone();
        a.route = Route::Continuation;
        if p.span.paragraph == span.paragraph {
            let gap = p.span.outer.end..span.outer.start;
            let cue_in_gap = p
                .attribution
                .cue_bytes
                .as_ref()
                .is_some_and(|c| gap.start <= c.start && c.end <= gap.end);
            if cue_in_gap && p.attribution.route == Route::After {
                return Some(FollowOn::new(
                    a,
                    prev_index,
                    true,
                    &["same_paragraph", "cue_between"],
                ));
            }
            let blocked = scene.person_between(gap.start, gap.end);
            let signs: &[&str] = if blocked {
                &["same_paragraph", "person_between"]
            } else {
                &["same_paragraph"]
            };
            return Some(FollowOn::new(a, None, !blocked, signs));
        }
        let opens_paragraph = scene
            .paragraphs
            .get(span.paragraph)
            .is_some_and(|para| scene.text[para.start..span.outer.start].trim().is_empty());
        if span.paragraph == p.span.paragraph + 1 && opens_paragraph && p.kind == QuoteKind::Full {
            // Nobody else may be named after the previous quotation in its paragraph.
            let para_end = scene.paragraphs[p.span.paragraph].end;
            let after_cue = p
                .attribution
                .cue_bytes
                .as_ref()
                .map_or(p.span.outer.end, |c| c.end.max(p.span.outer.end));
            let tail_start = after_cue.min(para_end);
            let tail_has_person = scene.person_between(tail_start, para_end)
                && !scene.text[tail_start..para_end]
                    .trim_start()
                    .starts_with(['.', ','])
                && p.attribution.route != Route::After;
            let signs: &[&str] = if tail_has_person {
                &["next_paragraph", "person_after_previous"]
            } else {
                &["next_paragraph"]
            };
            return Some(FollowOn::new(a, None, !tail_has_person, signs));
        }
        let signs: &[&str] = if span.paragraph == p.span.paragraph + 1 {
            &["next_paragraph", "not_opening"]
        } else {
            &["farther"]
        };
        Some(FollowOn::new(a, None, false, signs))
    }
}

/// Splits `range` (the end of paragraph `p - 1` on, and paragraph `p`) where it crosses
/// from paragraph `p - 1` into `p`, so that each part can be searched for cues on its own,
/// and pushes the parts onto `parts`. A search of the whole finds what searches of the parts
/// find when nothing but whitespace with a line break lies between them: a cue is words joined
/// by single spaces, so no cue starts in that gap or runs across it. Otherwise the range stays
/// whole.
fn cue_parts(
    text: &str,
    paragraphs: &[Range<usize>],
    p: usize,
    range: Range<usize>,
    parts: &mut Vec<Range<usize>>,
) {
    if p > 0 {
        let (before, here) = (&paragraphs[p - 1], &paragraphs[p]);
        if range.start < before.end && before.end <= here.start && here.start < range.end {
            let gap = &text[before.end..here.start];
            if gap.contains('\n') && gap.chars().all(char::is_whitespace) {
                parts.push(range.start..before.end);
                parts.push(here.start..range.end);
                return;
            }
        }
    }
    parts.push(range);
}

/// `parts` (disjoint, in text order) split further at the sentence ends inside them whose
/// last byte no cue holds (a full stop, say): the cue search may be split there (see
/// [`Lexicon::splits_cues`]).
fn split_at_sentence_ends(
    text: &str,
    sentences: &[Range<usize>],
    lex: &Lexicon,
    parts: Vec<Range<usize>>,
) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    // Each part, and each sentence end at most once (the parts are disjoint): sized once
    // rather than grown past `parts.len()` at the first split.
    let mut out = Vec::with_capacity(parts.len() + sentences.len());
    for part in parts {
        let mut start = part.start;
        let first = sentences.partition_point(|s| s.end <= part.start);
        for s in &sentences[first..] {
            if s.end >= part.end {
                break;
            }
            if s.end > start && lex.splits_cues(bytes[s.end - 1]) {
                out.push(start..s.end);
                start = s.end;
            }
        }
        out.push(start..part.end);
    }
    out
}

fn to_records(doc: &mut Document, found: Vec<Found>) -> Vec<Quote> {
    let ranges: Vec<Range<usize>> = found.iter().map(|f| f.span.inner.clone()).collect();
    let spans = crate::records::spans(doc, &ranges);
    let mut out = Vec::with_capacity(found.len());
    // The attributions are moved into the records, not copied.
    for ((i, f), span) in found.into_iter().enumerate().zip(spans) {
        let text = doc.text()[f.span.inner].to_string();
        let key = model::normalize::quote_key(&text);
        let a = f.attribution;
        let speaker_kind = f.kind.is_speech().then(|| match &a.speaker {
            Some(_) => a.speaker_kind.unwrap_or(SpeakerKind::Unknown),
            None => SpeakerKind::Unknown,
        });
        out.push(Quote {
            id: crate::records::numbered('q', i + 1),
            text,
            kind: f.kind,
            speaker: a.speaker,
            speaker_mention: a.mention,
            speaker_kind,
            cue: a.cue,
            via: a.medium,
            continues: f.continues.map(|c| crate::records::numbered('q', c + 1)),
            key,
            span,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parts the cue search is split into find the cues a search of the whole range
    /// finds, on every seed article and on texts made to put cues at the splits.
    #[test]
    fn split_cue_searches_find_the_cues_of_the_whole() {
        let lex = Lexicon::new(&[], &[]).unwrap();
        let mut texts = crate::seed_texts();
        texts.push(
            "He said.\n\nSaid she: “no,” she said. Officials said! said he?\nsaid\n\n  said told"
                .to_string(),
        );
        for text in texts {
            let mut doc = Document::new("t", "t", text);
            crate::text::ensure_sentences(&mut doc);
            let (text, paragraphs) = (doc.text(), &doc.paragraphs);
            for p in 0..paragraphs.len() {
                let whole = paragraphs[p.saturating_sub(1)].start..paragraphs[p].end;
                let mut want = Vec::new();
                lex.find_cues_outside(text, whole.clone(), &[], &mut want);
                let mut parts = Vec::new();
                cue_parts(text, paragraphs, p, whole, &mut parts);
                let parts = split_at_sentence_ends(text, &doc.sentences, &lex, parts);
                let mut got = Vec::new();
                for part in parts {
                    lex.find_cues_outside(text, part, &[], &mut got);
                }
                assert_eq!(got, want, "paragraph {p}");
            }
        }
    }
}
