//! Who said a quotation: the cue next to it, the speaker the cue points at, and the fullest
//! name the document gives that speaker.
//!
//! The speaker of a cue is its subject ("Witkoff said", "he explained"), or follows it
//! ("said Witkoff", "according to the envoy"), or is the agent of a passive ("described as …
//! by the White House"). Pronouns and role nouns are resolved against the shared referents
//! ([`crate::entities::find_referents`]); group nouns ("Leaders", "the coalition") take the
//! fullest form the document gave them earlier. When none of this finds a name the speaker is
//! left empty.

use std::cell::OnceCell;
use std::ops::Range;

use model::{EntityKind, SpeakerKind};

use super::lexicon::{
    is_capitalized_stopword, is_determiner, is_preposition, is_title_word, is_verb_filler,
    opens_subject, pronoun, CueHit, CueKind, Lexicon, Pronoun,
};
use super::tokens::{is_capitalized, is_possessive, lowercase, tokenize, Tok};
use crate::entities::{Gender, ReferentMention, Referents};

/// Everything attribution looks at, for one document.
pub struct Scene<'a> {
    pub text: &'a str,
    pub paragraphs: &'a [Range<usize>],
    pub sentences: &'a [Range<usize>],
    pub referents: &'a Referents,
    /// Outer ranges of the outermost quotations, in order.
    pub quoted: &'a [Range<usize>],
    /// Cues outside quotations, in order.
    pub cues: &'a Cues<'a>,
    pub lex: &'a Lexicon,
}

/// The cues outside quotations in the stretches of text around quotations (their paragraphs
/// and the ones before them), each stretch searched the first time a question reaches it:
/// most paragraphs before a quotation are never asked about.
pub struct Cues<'a> {
    text: &'a str,
    lex: &'a Lexicon,
    /// Closed outermost quotations, which the search may skip (see
    /// [`Lexicon::find_cues_outside`]); empty when it may not.
    closed: Vec<Range<usize>>,
    /// Outer ranges of the outermost quotations: cues inside them do not count.
    quoted: &'a [Range<usize>],
    /// Disjoint stretches in text order, with their cues once searched.
    parts: Vec<(Range<usize>, OnceCell<Vec<CueHit>>)>,
}

impl<'a> Cues<'a> {
    /// Cues of `parts` (disjoint, in text order): those a search of each part finds, but
    /// inside a quotation.
    pub fn new(
        text: &'a str,
        lex: &'a Lexicon,
        closed: Vec<Range<usize>>,
        quoted: &'a [Range<usize>],
        parts: Vec<Range<usize>>,
    ) -> Self {
        Cues {
            text,
            lex,
            closed,
            quoted,
            parts: parts.into_iter().map(|r| (r, OnceCell::new())).collect(),
        }
    }

    fn part(&self, k: usize) -> &[CueHit] {
        let (range, hits) = &self.parts[k];
        hits.get_or_init(|| {
            let mut found = Vec::new();
            self.lex
                .find_cues_outside(self.text, range.clone(), &self.closed, &mut found);
            found.retain(|c| {
                let i = self.quoted.partition_point(|q| q.end <= c.bytes.start);
                self.quoted.get(i).is_none_or(|q| q.start > c.bytes.start)
            });
            found
        })
    }

    /// The cues lying within `lo..hi`, in text order. Cues are sorted and disjoint, so this is
    /// also every cue from the first starting at or after `lo` up to the first ending past `hi`.
    pub fn within(&self, lo: usize, hi: usize) -> impl DoubleEndedIterator<Item = &CueHit> + '_ {
        // Parts ending by `lo` or starting from `hi` hold no such cue: they are not searched.
        let first = self.parts.partition_point(|(r, _)| r.end <= lo);
        let last = self.parts.partition_point(|(r, _)| r.start < hi).max(first);
        (first..last)
            .flat_map(move |k| self.part(k).iter())
            .filter(move |c| lo <= c.bytes.start && c.bytes.end <= hi)
    }
}

/// How a quotation was attributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Route {
    #[default]
    Nothing,
    /// A cue right after the closing mark ("…,” Witkoff said).
    After,
    /// The agent of a passive cue ("described as “…” by the White House").
    Passive,
    /// A cue earlier in the sentence ("Witkoff described it as “…”").
    Before,
    /// The speaker of the quotation before (split quotes, follow-on paragraphs).
    Continuation,
    /// A sentence ending in a colon just before the quotation.
    Colon,
    /// The last sentence of the paragraph before names the speaker.
    Lead,
    /// No cue names a speaker: the subject of the quotation's sentence ("Ames thanked
    /// them for “…”").
    Subject,
}

#[derive(Debug, Clone, Default)]
pub struct Attribution {
    pub speaker: Option<String>,
    pub mention: Option<String>,
    pub cue: Option<String>,
    pub cue_bytes: Option<Range<usize>>,
    pub route: Route,
    pub speaker_kind: Option<SpeakerKind>,
    /// The outlet or interviewer that carried the words ("told NBC").
    pub medium: Option<String>,
}

impl Attribution {
    pub fn is_attributed(&self) -> bool {
        self.route != Route::Nothing
    }
}

/// A phrase that might name a speaker.
#[derive(Debug, Clone)]
struct Cand {
    bytes: Range<usize>,
    what: CandKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CandKind {
    /// A mention of a referent (name or role noun) from the shared person finder.
    Referent(usize),
    Pronoun(Pronoun),
    /// A common-noun phrase headed by a speaker noun ("a high-level U.S. envoy").
    Noun {
        head_start: usize,
    },
    /// A capitalized run the person finder did not claim.
    Name,
}

impl<'a> Scene<'a> {
    pub fn inside_quote(&self, pos: usize) -> bool {
        let i = self.quoted.partition_point(|q| q.end <= pos);
        self.quoted.get(i).is_some_and(|q| q.start <= pos)
    }

    fn paragraph_of(&self, pos: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|p| p.end < pos);
        (i < self.paragraphs.len() && self.paragraphs[i].start <= pos).then_some(i)
    }

    fn sentence_index(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= pos);
        (i < self.sentences.len() && self.sentences[i].start <= pos).then_some(i)
    }

    /// Start of the sentence holding `pos` (bounded to `limit` bytes back and to the paragraph).
    pub fn sentence_start(&self, pos: usize, limit: usize) -> usize {
        let para_start = self
            .paragraph_of(pos)
            .map_or(0, |p| self.paragraphs[p].start);
        let s = self
            .sentence_index(pos)
            .map_or(para_start, |i| self.sentences[i].start);
        let mut s = s.max(para_start).max(pos.saturating_sub(limit));
        while !self.text.is_char_boundary(s) {
            s += 1;
        }
        s
    }

    /// End of the clause after a closing mark: the first sentence-final stop (not an
    /// abbreviation), the next quotation, or the paragraph end, at most `limit` bytes on.
    pub fn right_window_end(&self, from: usize, limit: usize) -> usize {
        let para_end = self
            .paragraph_of(from.saturating_sub(1))
            .map_or(self.text.len(), |p| self.paragraphs[p].end);
        // `quoted` is in text order: a search, not a walk from the start for every quotation.
        let next_quote = self
            .quoted
            .get(self.quoted.partition_point(|q| q.start < from))
            .map_or(usize::MAX, |q| q.start);
        let mut hard = para_end.min(next_quote).min(from + limit);
        while !self.text.is_char_boundary(hard) {
            hard -= 1;
        }
        let window = &self.text[from..hard.max(from)];
        let bytes = window.as_bytes();
        let mut prev_word_start = 0;
        let mut i = 0;
        // By bytes: the stops are ASCII, and other characters only matter as whitespace.
        while i < bytes.len() {
            let b = bytes[i];
            if b >= 0x80 {
                let c = window[i..].chars().next().expect("a character starts here");
                if c.is_whitespace() {
                    prev_word_start = i + c.len_utf8();
                }
                i += c.len_utf8();
                continue;
            }
            match b {
                // `char::is_whitespace` on ASCII.
                b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' => prev_word_start = i + 1,
                b'!' | b'?' | b';' => return from + i,
                b'.' => {
                    let word = &window[prev_word_start..i];
                    let next = window[i + 1..].chars().next();
                    let abbreviation = word.chars().any(char::is_uppercase) && word.len() <= 4
                        || word.contains('.');
                    if !abbreviation && next.is_none_or(char::is_whitespace) {
                        return from + i;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        hard.max(from)
    }

    /// Where a noun phrase starting at `from` ends: the first punctuation that closes a phrase
    /// (a dot only when it ends a sentence, not "U.S." or "Dr.").
    fn phrase_end(&self, from: usize, limit: usize) -> usize {
        let mut limit = limit.min(self.text.len());
        while !self.text.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &self.text[from..limit];
        let mut word_start = 0;
        for (i, c) in window.char_indices() {
            if c.is_whitespace() && c != '\n' {
                word_start = i + c.len_utf8();
                continue;
            }
            if matches!(
                c,
                ',' | ';' | ':' | '—' | '–' | '“' | '”' | '"' | '(' | '\n' | '!' | '?'
            ) {
                return from + i;
            }
            if c == '.' {
                let word = &window[word_start..i];
                let next = window[i + 1..].chars().next();
                let abbreviation = word.contains('.')
                    || (word.len() <= 4 && word.chars().next().is_some_and(char::is_uppercase));
                if next.is_none_or(char::is_whitespace) && !abbreviation {
                    return from + i;
                }
            }
        }
        limit
    }

    /// Candidate speaker phrases in `range`, in text order.
    fn candidates(&self, range: Range<usize>) -> Vec<Cand> {
        let toks = tokenize(self.text, range.clone());
        let mentions = &self.referents.mentions;
        let mut mi = mentions.partition_point(|m| m.bytes.end <= range.start);
        let mut out: Vec<Cand> = Vec::new();
        // Nearly every window has a capitalized word to lowercase: room for a usual word up
        // front instead of a reallocation at the first one.
        let mut scratch = String::with_capacity(24);
        // `inside_quote` by a walk: the tokens come in text order.
        let quoted = self.quoted;
        let mut qi = quoted.partition_point(|q| q.end <= range.start);
        let mut i = 0;
        while i < toks.len() {
            let tok = &toks[i];
            while qi < quoted.len() && quoted[qi].end <= tok.bytes.start {
                qi += 1;
            }
            let inside = quoted.get(qi).is_some_and(|q| q.start <= tok.bytes.start);
            debug_assert_eq!(inside, self.inside_quote(tok.bytes.start));
            if inside {
                i += 1;
                continue;
            }
            while mi < mentions.len() && mentions[mi].bytes.end <= tok.bytes.start {
                mi += 1;
            }
            if let Some(m) = mentions
                .get(mi)
                .filter(|m| m.bytes.start <= tok.bytes.start && m.bytes.start >= range.start)
            {
                let referent = &self.referents.referents[m.referent];
                let mention_text = &self.text[m.bytes.clone()];
                // A bare speaker noun ("Leaders") or a pronoun is better handled as one.
                let plain_word = !mention_text.contains(' ') && {
                    let lower = lowercase(mention_text, &mut scratch);
                    self.lex.is_speaker_noun(lower) || pronoun(lower).is_some()
                };
                let usable = matches!(referent.kind, EntityKind::Person | EntityKind::Org)
                    && !is_capitalized_stopword(mention_text)
                    && !mention_text.chars().all(|c| !c.is_alphabetic())
                    && !mention_text.split_whitespace().all(is_title_word);
                if usable && !plain_word {
                    out.push(Cand {
                        bytes: m.bytes.clone(),
                        what: CandKind::Referent(m.referent),
                    });
                    while i < toks.len() && toks[i].bytes.start < m.bytes.end {
                        i += 1;
                    }
                    mi += 1;
                    continue;
                }
                if referent.kind == EntityKind::Date {
                    // "Last March" names nobody.
                    while i < toks.len() && toks[i].bytes.start < m.bytes.end {
                        i += 1;
                    }
                    mi += 1;
                    continue;
                }
                mi += 1;
            }
            let word = tok.text(self.text);
            let lower = lowercase(word, &mut scratch);
            if let Some(p) = pronoun(lower) {
                out.push(Cand {
                    bytes: tok.bytes.clone(),
                    what: CandKind::Pronoun(p),
                });
                i += 1;
                continue;
            }
            let next_capitalized = || {
                toks.get(i + 1).is_some_and(|n| {
                    adjacent(self.text, tok, n) && is_capitalized(n.text(self.text))
                })
            };
            // "Secretary of State Marco Rubio": a title, not a speaker noun.
            let title_of = || {
                self.text[tok.bytes.end..].starts_with(" of ")
                    && toks
                        .get(i + 2)
                        .is_some_and(|n| is_capitalized(n.text(self.text)))
            };
            if self.lex.is_speaker_noun(lower) && !next_capitalized() && !title_of() {
                let start = self.noun_phrase_start(&toks, i);
                // Drop candidates the phrase swallowed.
                while out.last().is_some_and(|c| c.bytes.start >= start) {
                    out.pop();
                }
                out.push(Cand {
                    bytes: start..tok.bytes.end,
                    what: CandKind::Noun {
                        head_start: tok.bytes.start,
                    },
                });
                i += 1;
                continue;
            }
            if is_capitalized(word) && !is_capitalized_stopword(word) {
                let next_mention = mentions.get(mi).map_or(usize::MAX, |m| m.bytes.start);
                let (j, cand) = self.name_run(&toks, i, next_mention, &mut scratch);
                out.extend(cand);
                i = j + 1;
                continue;
            }
            i += 1;
        }
        out
    }

    /// The run of capitalized words from `toks[i]` that no mention (from `next_mention`
    /// on) or speaker noun interrupts: its last index, and the run as a candidate unless it
    /// is only title words, a dateline or a sentence-opening modifier.
    fn name_run(
        &self,
        toks: &[Tok],
        i: usize,
        next_mention: usize,
        scratch: &mut String,
    ) -> (usize, Option<Cand>) {
        let mut j = i;
        while j + 1 < toks.len()
            && adjacent(self.text, &toks[j], &toks[j + 1])
            && is_capitalized(toks[j + 1].text(self.text))
            && toks[j + 1].bytes.start < next_mention
            && !self
                .lex
                .is_speaker_noun(lowercase(toks[j + 1].text(self.text), scratch))
        {
            j += 1;
        }
        let all_titles = toks[i..=j].iter().all(|t| is_title_word(t.text(self.text)));
        // "SEATTLE (Reuters) -": a dateline names a place, not a speaker.
        let run_end = toks[j].bytes.end;
        let dateline = toks[i..=j].iter().all(|t| {
            let w = t.text(self.text);
            w.chars().filter(|c| c.is_alphabetic()).count() >= 3
                && !w.chars().any(char::is_lowercase)
        }) && {
            let after = &self.text[run_end..];
            after.starts_with(" (")
                || after.starts_with(" —")
                || after.starts_with(" –")
                || after.starts_with(" -")
                || after.starts_with(", ")
        };
        let cand = (!all_titles && !dateline && !self.opening_modifier(toks, i, j)).then(|| Cand {
            bytes: toks[i].bytes.start..run_end,
            what: CandKind::Name,
        });
        (j, cand)
    }

    /// "Reprising one of her lines, …", "Hastily, …": a single capitalized word opening a
    /// sentence that reads as a participle or an adverb is capitalized by position, not a
    /// name.
    fn opening_modifier(&self, toks: &[Tok], i: usize, j: usize) -> bool {
        if i != j {
            return false;
        }
        let word = toks[i].text(self.text);
        let adverb = ["ally", "ately", "ently", "ously", "edly", "ily"]
            .iter()
            .any(|e| word.ends_with(e));
        if word.len() <= 5 || !(word.ends_with("ing") || adverb) {
            return false;
        }
        // "Manning said": a surname shaped like a participle is followed by its verb; the
        // participle by its object or a comma.
        let rest = self.text[toks[i].bytes.end..].trim_start();
        let next = rest
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_lowercase();
        let opens_phrase = rest.starts_with(',')
            || is_determiner(&next)
            || is_preposition(&next)
            || pronoun(&next).is_some();
        if !opens_phrase {
            return false;
        }
        let pos = toks[i].bytes.start;
        let k = self.sentences.partition_point(|s| s.end <= pos);
        self.sentences
            .get(k)
            .is_some_and(|s| s.start <= pos && self.text[s.start..pos].trim().is_empty())
    }

    /// Extends a speaker noun to the left over its modifiers and determiner.
    fn noun_phrase_start(&self, toks: &[Tok], head: usize) -> usize {
        // A determiner (or possessive) within four words opens the phrase: "A cabinet
        // minister", "the party’s state chairman".
        let mut k = head;
        while k > 0 && head - k < 4 && adjacent(self.text, &toks[k - 1], &toks[k]) {
            let t = &toks[k - 1];
            let w = t.text(self.text);
            let lower = w.to_lowercase();
            if is_determiner(&lower) {
                return t.bytes.start;
            }
            if is_possessive(self.text, t) && !self.inside_quote(t.bytes.start) {
                // "The party’s state chairman": the possessor's determiner opens the phrase.
                return match toks.get(k.wrapping_sub(2)) {
                    Some(d)
                        if k >= 2
                            && adjacent(self.text, d, t)
                            && is_determiner(&d.text(self.text).to_lowercase()) =>
                    {
                        d.bytes.start
                    }
                    _ => t.bytes.start,
                };
            }
            if is_preposition(&lower)
                || is_verb_filler(&lower)
                || pronoun(&lower).is_some()
                || opens_subject(&lower)
                || lower.ends_with("ed")
                || self.inside_quote(t.bytes.start)
            {
                break;
            }
            k -= 1;
        }
        let mut start = toks[head].bytes.start;
        let mut k = head;
        while k > 0 && head - k < 5 && adjacent(self.text, &toks[k - 1], &toks[k]) {
            let w = toks[k - 1].text(self.text);
            let lower = w.to_lowercase();
            if is_determiner(&lower) {
                start = toks[k - 1].bytes.start;
                break;
            }
            let modifier = (is_capitalized(w) && !is_capitalized_stopword(w))
                || w.contains('-')
                || matches!(
                    lower.as_str(),
                    "senior"
                        | "top"
                        | "former"
                        | "local"
                        | "foreign"
                        | "chief"
                        | "deputy"
                        | "own"
                        | "new"
                        | "unnamed"
                        | "anonymous"
                        | "government"
                        | "military"
                        | "defence"
                        | "defense"
                        | "police"
                        | "press"
                        | "party"
                        | "campaign"
                        | "western"
                        | "u.s."
                        | "ukrainian"
                        | "russian"
                        | "american"
                        | "european"
                        | "british"
                        | "french"
                        | "german"
                        | "chinese"
                        | "israeli"
                        | "palestinian"
                );
            if !modifier || self.inside_quote(toks[k - 1].bytes.start) {
                break;
            }
            start = toks[k - 1].bytes.start;
            k -= 1;
        }
        start
    }

    /// Whether a candidate can be the subject of a following verb.
    fn is_subject(&self, c: &Cand) -> bool {
        // A possessive ("Trump’s team", "the envoy’s plan") is never the subject itself.
        let whole = Tok {
            bytes: c.bytes.clone(),
        };
        if is_possessive(self.text, &whole) {
            return false;
        }
        // "Rep. Ann Lee (D-Ohio) said": a bracketed party tag is no subject.
        if self.text[..c.bytes.start].ends_with('(') {
            return false;
        }
        match self.word_before(c.bytes.start) {
            None => true,
            Some(w) => {
                let lower = w.to_lowercase();
                if is_preposition(&lower) {
                    return false;
                }
                if opens_subject(&lower) {
                    return true;
                }
                // A lowercase verb right before a name makes it that verb's object
                // ("pressed Putin", "told Rubio").
                !(lower.ends_with("ed") || takes_person_object(&lower)) || is_capitalized(w)
            }
        }
    }

    /// The word before `pos` in the same clause (skipping title words and initials that
    /// stand before a name: "by U.S. President Donald Trump" → "by"). `None` after
    /// punctuation or at the start of the text.
    fn word_before(&self, pos: usize) -> Option<&'a str> {
        let mut end = pos;
        loop {
            let before = &self.text[..end];
            let trimmed = before.trim_end_matches([' ', '\u{a0}']);
            if trimmed.len() == before.len() && end != pos {
                return None;
            }
            let last = trimmed.chars().next_back()?;
            if !(last.is_alphanumeric() || last == '.') {
                return None;
            }
            let start = trimmed
                .char_indices()
                .rev()
                .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '’' | '\'')))
                .map_or(0, |(i, c)| i + c.len_utf8());
            let word = &trimmed[start..];
            if word.ends_with('.')
                && !word.trim_end_matches('.').contains('.')
                && !is_title_word(word)
            {
                // A sentence stop, not an initial.
                return None;
            }
            if is_capitalized(word) && !is_capitalized_stopword(word) {
                // Part of the name's title ("Russian President", "U.S.").
                end = start;
                continue;
            }
            if matches!(word, "of" | "for") {
                // "Secretary of State Marco Rubio", "Envoy for Peace Missions Steve Witkoff".
                let left = self.text[..start].trim_end_matches(' ');
                let prev_start = left
                    .rfind(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-')))
                    .map_or(0, |i| {
                        i + left[i..].chars().next().map_or(1, char::len_utf8)
                    });
                if left.len() < start
                    && is_capitalized(&left[prev_start..])
                    && is_title_word(&left[prev_start..])
                {
                    end = prev_start;
                    continue;
                }
            }
            return Some(word);
        }
    }

    /// The subject of a cue: the nearest candidate before it that can be a subject.
    fn subject_before(&self, window_start: usize, cue_start: usize) -> Option<Cand> {
        let cands = self.candidates(window_start..cue_start);
        let before = self.text[window_start..cue_start].trim_end();
        // "Ann Lee, a lawyer who once worked for Bo Chan, said": the subject stands before
        // the appositive, not inside it.
        if let Some(comma) = before.strip_suffix(',').map(|b| window_start + b.len()) {
            let outer = cands.iter().rev().find(|c| {
                let after = self.skip_tag(c.bytes.end);
                after < comma && self.text[after..].starts_with(',') && self.is_subject(c)
            });
            if outer.is_some() {
                return outer.cloned();
            }
        }
        // "Lee said the plan failed and said …": a verb joined by "and" shares the first
        // verb's subject; so does a participle after a comma ("Lee hit back at the council,
        // calling its plan “…”").
        let last_word = before.rsplit(' ').next().unwrap_or("");
        let cue_word = self.text[cue_start..]
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        let participle = cue_word.ends_with("ing") && before.ends_with(',');
        if matches!(last_word, "and" | "but") || participle {
            // The first subject not set off by a comma ("In Ohio, …" opens no clause), with
            // the title words that run into the name ("Band member Flea").
            let first = cands.iter().position(|c| {
                self.is_subject(c) && !self.text[self.skip_tag(c.bytes.end)..].starts_with(',')
            });
            if let Some(k) = first {
                return Some(self.head_of_chain(&cands[k..]));
            }
        }
        cands.into_iter().rev().find(|c| self.is_subject(c))
    }

    /// The speaker right after a cue ("said Witkoff", "according to the envoy"), before any
    /// comma or stop.
    fn speaker_after(&self, cue_end: usize, window_end: usize, kind: CueKind) -> Option<Cand> {
        let end = self.phrase_end(cue_end, window_end.max(cue_end));
        let cands = self.candidates(cue_end..end);
        let Some(first) = cands.first() else {
            return self.described_after(cue_end, end);
        };
        // Only fillers may stand between the cue and an inverted subject.
        let gap = tokenize(self.text, cue_end..first.bytes.start);
        let fillers_only = gap.iter().all(|t| {
            is_verb_filler(&t.text(self.text).to_lowercase()) && t.text(self.text) != "to"
        });
        // "said fair manager Betty Olsen": a short title may stand before the name.
        let title_gap = matches!(first.what, CandKind::Referent(_) | CandKind::Name)
            && gap.len() <= 3
            && gap.iter().all(|t| {
                let l = t.text(self.text).to_lowercase();
                !is_preposition(&l) && !is_verb_filler(&l) && !opens_subject(&l)
                    || is_determiner(&l)
                    || is_rank_word(&l)
            })
            && self.text[cue_end..first.bytes.start]
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '.'));
        let gap_ok = fillers_only || title_gap || kind == CueKind::AccordingTo;
        if !gap_ok || first.bytes.start > cue_end + 60 {
            return self.described_after(cue_end, end);
        }
        if kind == CueKind::AccordingTo {
            // "according to U.S. Special Envoy for Peace Missions Steve Witkoff": the named
            // referent wins over the title words before it.
            return cands
                .iter()
                .find(|c| matches!(c.what, CandKind::Referent(r) if self.referents.referents[r].kind == EntityKind::Person))
                .or(cands.first())
                .cloned();
        }
        if let Some(w) = self.word_before(first.bytes.start) {
            if is_preposition(&w.to_lowercase()) {
                return None;
            }
        }
        let chain = self.head_of_chain(&cands);
        // "said one unaligned Florida Republican strategist": a name that only modifies a
        // described speaker.
        match self.described_after(cue_end, end) {
            Some(d)
                if d.bytes.end > chain.bytes.end
                    && !matches!(chain.what, CandKind::Noun { .. }) =>
            {
                Some(d)
            }
            _ => Some(chain),
        }
    }

    /// "said Regional Council President Helga Marsh", "said Cruz constituent Dan Golvach":
    /// names joined by title words only are one speaker phrase, whose head is its last
    /// person; "one former party leadership aide" is one description headed by its last noun.
    fn head_of_chain(&self, cands: &[Cand]) -> Cand {
        let mut chosen = cands[0].clone();
        for next in &cands[1..] {
            if !self.title_link(chosen.bytes.end, next.bytes.start) {
                break;
            }
            match next.what {
                CandKind::Referent(r) if self.referents.referents[r].kind == EntityKind::Person => {
                    chosen = next.clone()
                }
                CandKind::Name => chosen = next.clone(),
                // "said NAACP President Cornell Brooks": an organization in the title
                // passes the chain on to the person after it.
                CandKind::Referent(_) if matches!(chosen.what, CandKind::Name) => {
                    chosen = next.clone()
                }
                CandKind::Referent(_) => {}
                CandKind::Noun { head_start } if !matches!(chosen.what, CandKind::Pronoun(_)) => {
                    chosen = Cand {
                        bytes: chosen.bytes.start..next.bytes.end,
                        what: CandKind::Noun { head_start },
                    }
                }
                _ => break,
            }
        }
        chosen
    }

    /// "said an industry lobbyist who asked not to be named": a determiner and plain words
    /// after a cue describe a speaker the lists do not know. The phrase must end the clause
    /// or meet a relative pronoun or preposition ("said the move was …" describes no one).
    fn described_after(&self, cue_end: usize, end: usize) -> Option<Cand> {
        let toks = tokenize(self.text, cue_end..end);
        let first = toks.first()?;
        if !is_determiner(&first.text(self.text).to_lowercase())
            || !self.text[cue_end..first.bytes.start]
                .chars()
                .all(|c| c == ' ')
        {
            return None;
        }
        let mut last = None;
        for (k, t) in toks.iter().enumerate().skip(1) {
            let w = t.text(self.text);
            let lower = w.to_lowercase();
            let joined = self.text[toks[k - 1].bytes.end..t.bytes.start] == *" ";
            if !joined || k > 5 {
                return None;
            }
            // "a sign taped to the railing": a participle opening a phrase of its own ends
            // the description.
            let next_is_preposition = toks
                .get(k + 1)
                .is_some_and(|n| is_preposition(&n.text(self.text).to_lowercase()));
            if matches!(lower.as_str(), "who" | "whose" | "which" | "that")
                || is_preposition(&lower)
                || k > 1 && lower.ends_with("ed") && next_is_preposition
            {
                break;
            }
            // "one undecided voter": a participle may modify, not head.
            let modifier = lower.ends_with("ed") && toks.get(k + 1).is_some();
            if !(is_title_like(w) || modifier) || is_capitalized(w) && k == 1 && toks.len() == 2 {
                return None;
            }
            last = Some(t);
        }
        let head = last?;
        // "the Rev. Al Sharpton" is a name with its title, not a description.
        if is_capitalized(head.text(self.text)) {
            return None;
        }
        Some(Cand {
            bytes: first.bytes.start..head.bytes.end,
            what: CandKind::Noun {
                head_start: head.bytes.start,
            },
        })
    }

    /// "the party member said": the whole lead before a cue is a determiner and plain words.
    fn described_lead(&self, lead_start: usize, cue_start: usize) -> Option<Cand> {
        let toks = tokenize(self.text, lead_start..cue_start);
        let (first, head) = (toks.first()?, toks.last()?);
        let plain = self.text[lead_start..cue_start]
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '.' | '’' | '\''));
        // "the gaming tycoon": a participle may modify the head, not be it.
        let modifier = |t: &Tok| {
            let w = t.text(self.text);
            is_title_like(w)
                || t.bytes.end < head.bytes.end && (w.ends_with("ing") || w.ends_with("ed"))
        };
        let ok = plain
            && (2..=6).contains(&toks.len())
            && is_determiner(&first.text(self.text).to_lowercase())
            && is_title_like(head.text(self.text))
            && toks[1..].iter().all(modifier);
        ok.then_some(Cand {
            bytes: first.bytes.start..head.bytes.end,
            what: CandKind::Noun {
                head_start: head.bytes.start,
            },
        })
    }

    /// The end of a bracketed party or place tag right after `pos` ("Ann Lee (D-Ohio)"),
    /// else `pos`.
    fn skip_tag(&self, pos: usize) -> usize {
        let rest = &self.text[pos..];
        let Some(inner) = rest.strip_prefix(" (") else {
            return pos;
        };
        match inner.find(')') {
            Some(close) if close <= 24 && !inner[..close].contains('(') => pos + 2 + close + 1,
            _ => pos,
        }
    }

    /// Whether only title words stand between two phrases ("police Chief", "campaign
    /// manager"): at most three plain words, no punctuation, no verb or function word.
    fn title_link(&self, from: usize, to: usize) -> bool {
        // Candidates that overlap (a name inside a longer phrase) are not linked.
        if from >= to {
            return false;
        }
        // "Lee’s top policy aide Jo Park": the possessive belongs to the title.
        let from = ["’s ", "'s ", "’ ", "' "]
            .iter()
            .find(|p| self.text[from..to].starts_with(**p))
            .map_or(from, |p| from + p.len() - 1);
        let gap = &self.text[from..to];
        if !gap.starts_with(' ')
            || !gap
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-'))
        {
            return false;
        }
        let toks = tokenize(self.text, from..to);
        toks.len() <= 4 && toks.iter().all(|t| is_title_like(t.text(self.text)))
    }

    /// Attribution from a cue right after the closing mark.
    pub fn after_close(&self, close_end: usize) -> Option<Attribution> {
        let window_end = self.right_window_end(close_end, 200);
        // The first cue that has a speaker: "a lawmaker, who asked not to be named, told …"
        // passes over "asked".
        self.cues.within(close_end, window_end).find_map(|cue| {
            self.after_close_cue(close_end, window_end, cue)
                .or_else(|| self.after_trailing_words(close_end, window_end, cue))
        })
    }

    /// "“We are happy” about the decision, said Ann Lee": a few words finishing the
    /// writer's clause stand between the closing mark and the cue; the attribution starts
    /// after their comma.
    fn after_trailing_words(
        &self,
        close_end: usize,
        window_end: usize,
        cue: &CueHit,
    ) -> Option<Attribution> {
        let stretch = &self.text[close_end..cue.bytes.start];
        let comma = stretch.rfind(',')?;
        let words = stretch[..comma].split_whitespace().count();
        if words == 0 || words > 12 || stretch[..comma].contains(['.', ';', '“', '"']) {
            return None;
        }
        // "“…” by the White House, suggested …": a passive's agent is no mere tail.
        if stretch.trim_start().starts_with("by ") {
            return None;
        }
        self.after_close_cue(close_end + comma + 1, window_end, cue)
    }

    fn after_close_cue(
        &self,
        close_end: usize,
        window_end: usize,
        cue: &CueHit,
    ) -> Option<Attribution> {
        let stretch = &self.text[close_end..cue.bytes.start];
        let lead = stretch.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, ',' | '—' | '–' | '-' | ':')
        });
        let lead_start = close_end + (stretch.len() - lead.len());
        let cands = self.candidates(lead_start..cue.bytes.start);
        let inverted = || {
            // "…,” Sarandon, 69, told MSNBC": a subject in the lead is no inverted cue.
            cands
                .is_empty()
                .then(|| self.inverted_after_comma(cue, window_end))
                .flatten()
        };
        let cand = if lead.trim().is_empty() {
            // "…,” said Witkoff" / "…,” according to the ministry"
            self.speaker_after(cue.bytes.end, window_end, cue.kind)?
        } else if let Some(c) = inverted() {
            c
        } else {
            self.subject_in_lead(&cands, lead_start, cue)?
        };
        Some(self.attribution(&cand, cue, Route::After))
    }

    /// The subject among the lead's candidates (`lead_start..cue`) of a cue after a closing
    /// mark. Before the subject: determiners and a title ("the WHO said", "ECB President
    /// Christine Lagarde told"); after it: fillers, or an appositive between commas.
    fn subject_in_lead(&self, cands: &[Cand], lead_start: usize, cue: &CueHit) -> Option<Cand> {
        let prefix_ok = |c: &Cand| {
            let titled = matches!(c.what, CandKind::Referent(_) | CandKind::Name);
            self.text[lead_start..c.bytes.start]
                .chars()
                .all(|ch| ch.is_alphanumeric() || matches!(ch, ' ' | '.' | '-' | '’' | '\''))
                && tokenize(self.text, lead_start..c.bytes.start)
                    .iter()
                    .all(|t| {
                        let w = t.text(self.text);
                        is_determiner(&w.to_lowercase()) || (titled && is_title_like(w))
                    })
        };
        let fillers_after = |c: &Cand| {
            let end = match c.what {
                CandKind::Noun { .. } => self.complement_end(c.bytes.end, cue.bytes.start),
                _ => self.skip_tag(c.bytes.end),
            };
            // A bracket that runs past the cue leaves no room for fillers.
            end <= cue.bytes.start
                && self.text[end..cue.bytes.start]
                    .chars()
                    .all(|ch| ch.is_alphanumeric() || ch == ' ')
                && tokenize(self.text, end..cue.bytes.start)
                    .iter()
                    .all(|t| is_verb_filler(&t.text(self.text).to_lowercase()))
        };
        // "Ann Lee, a lawyer, said", "Ann Lee, who chairs the board said".
        let appositive_after = |c: &Cand| {
            let from = self.skip_tag(c.bytes.end);
            let rest = self.text.get(from..cue.bytes.start).unwrap_or_default();
            rest.strip_prefix(',').is_some_and(|inner| {
                let relative = inner.contains(" who ") || inner.contains(" which ");
                (inner.trim_end().ends_with(',') || relative) && inner.len() < 120
            })
        };
        // "Lee's chief of staff, Jo Park, told": the name between the commas.
        let named_between = |c: &Cand| {
            self.text.get(c.bytes.end..cue.bytes.start).map(str::trim) == Some(",")
                && self.text[lead_start..c.bytes.start]
                    .trim_end()
                    .ends_with(',')
                && matches!(c.what, CandKind::Referent(_) | CandKind::Name)
        };
        let chosen = cands
            .iter()
            .rev()
            .find(|c| fillers_after(c) && prefix_ok(c))
            .or_else(|| cands.iter().find(|c| prefix_ok(c) && appositive_after(c)))
            .or_else(|| cands.iter().rev().find(|c| named_between(c)))
            .cloned()
            .or_else(|| self.described_lead(lead_start, cue.bytes.start))?;
        if cands.len() > 1 && matches!(chosen.what, CandKind::Noun { .. }) {
            let from = cands
                .iter()
                .position(|c| c.bytes == chosen.bytes)
                .unwrap_or(0);
            Some(self.head_of_chain(&cands[from..]))
        } else {
            Some(chosen)
        }
    }

    /// "PM ‘will not resign’ over expenses row, says minister": an inverted cue after a comma
    /// whose speaker phrase ends the sentence attributes the sentence's quotations.
    fn inverted_after_comma(&self, cue: &CueHit, window_end: usize) -> Option<Cand> {
        if !self.text[..cue.bytes.start].trim_end().ends_with(',') {
            return None;
        }
        let end = self.phrase_end(cue.bytes.end, window_end);
        let rest = self.text[end..window_end.max(end)].trim();
        if !(rest.is_empty() || rest == ".") {
            return None;
        }
        self.speaker_after(cue.bytes.end, window_end, cue.kind)
    }

    /// Attribution of a passive cue: "described as “…” by the White House".
    pub fn passive(
        &self,
        open: usize,
        close_end: usize,
        window_start: usize,
    ) -> Option<Attribution> {
        let after = self.text[close_end..].trim_start_matches([' ', ',']);
        let by_at = close_end + (self.text.len() - close_end - after.len());
        let rest = after.strip_prefix("by ")?;
        let rest_start = by_at + 3;
        let end = self.phrase_end(rest_start, (rest_start + rest.len()).min(rest_start + 120));
        let cand = self.candidates(rest_start..end).into_iter().next()?;
        if cand.bytes.start > rest_start + 20 {
            return None;
        }
        let cue = self
            .cues
            .within(window_start, open)
            .rev()
            .find(|c| c.kind == CueKind::Verb)?;
        Some(self.attribution(&cand, cue, Route::Passive))
    }

    /// Attribution from a cue earlier in the quotation's sentence.
    pub fn before_open(&self, open: usize, window_start: usize) -> Option<Attribution> {
        let in_window = self.cues.within(window_start, open).rev();
        let mut nearest: Option<&CueHit> = None;
        for cue in in_window {
            nearest.get_or_insert(cue);
            let cand = match cue.kind {
                CueKind::AccordingTo => self.speaker_after(cue.bytes.end, open, cue.kind),
                _ => self.subject_before(window_start, cue.bytes.start),
            };
            if let Some(cand) = cand {
                let shown = if cue.kind == CueKind::AccordingTo {
                    cue
                } else {
                    nearest.unwrap_or(cue)
                };
                return Some(self.attribution(&cand, shown, Route::Before));
            }
        }
        // A cue without a subject of its own ("… and emphasised that …"): keep the cue; the
        // speaker may still come from the quotation before. A passive without its agent
        // ("we have been promised a “world-class” …") names no speaker at all.
        let nearest = nearest.filter(|cue| {
            let before = self.text[..cue.bytes.start].trim_end();
            let aux = before.rsplit(' ').next().unwrap_or("").to_lowercase();
            let as_follows = self.text[cue.bytes.end..].trim_start().starts_with("as ");
            as_follows
                || !matches!(
                    aux.as_str(),
                    "been" | "being" | "be" | "is" | "was" | "were" | "are"
                )
        });
        nearest.map(|cue| Attribution {
            cue: Some(self.text[cue.bytes.clone()].to_string()),
            cue_bytes: Some(cue.bytes.clone()),
            ..Default::default()
        })
    }

    /// A quotation after a sentence of its own paragraph with no quotation before it
    /// ("Bolton said he would serve if asked. “I'm going to support him.”"): that sentence
    /// may introduce its speaker.
    pub fn sentence_lead(&self, open: usize, paragraph: usize) -> Option<Attribution> {
        let para = self.paragraphs.get(paragraph)?;
        let before = self.text[para.start..open].trim_end();
        if before.is_empty() || !before.ends_with(['.', '!', '?', ':']) {
            return None;
        }
        let first_quote = self.quoted.partition_point(|q| q.end <= para.start);
        if self.quoted.get(first_quote).is_some_and(|q| q.start < open) {
            return None;
        }
        let end = para.start + before.len();
        let start = self.sentence_start(end - 1, 400).max(para.start);
        self.main_clause_speaker(start, end)
    }

    /// "“…” ⏎ — Bernie Sanders.": a line opening with a dash right after the quotation signs
    /// it with the name it starts with.
    pub fn signature(&self, close_end: usize) -> Option<Attribution> {
        let rest = &self.text[close_end..];
        let trimmed = rest.trim_start();
        if !rest[..rest.len() - trimmed.len()].contains('\n') {
            return None;
        }
        let signed = trimmed.strip_prefix(['-', '—', '–'])?;
        // "– Ready to quiz Trump –" is a heading between dashes, not a signature.
        let line = signed.split('\n').next().unwrap_or("").trim_end();
        if line.trim_end_matches('.').ends_with(['-', '—', '–']) {
            return None;
        }
        let start = self.text.len() - signed.len();
        let end = start + signed.find(['\n', ',']).unwrap_or(signed.len());
        if end - start > 60 {
            return None;
        }
        let cand = self.candidates(start..end).into_iter().next()?;
        let named = matches!(cand.what, CandKind::Referent(_) | CandKind::Name);
        if !named || !self.text[start..cand.bytes.start].trim().is_empty() {
            return None;
        }
        let a = self.credit(&cand, None, Route::After);
        a.speaker.is_some().then_some(a)
    }

    /// The speaker of the first cue with a subject between `start` and `end`.
    fn main_clause_speaker(&self, start: usize, end: usize) -> Option<Attribution> {
        // "Carter said that critics had been predicting a withdrawal.": the main clause's
        // speaker, the first cue with a subject, introduces the quotation.
        self.cues.within(start, end).find_map(|cue| {
            let cand = match cue.kind {
                CueKind::AccordingTo => self.speaker_after(cue.bytes.end, end, cue.kind),
                _ => self.subject_before(start, cue.bytes.start),
            }?;
            Some(self.attribution(&cand, cue, Route::Lead))
        })
    }

    /// A quotation opening its paragraph with no cue: the last sentence of the paragraph
    /// before may introduce its speaker ("…, Maria Lopez, spoke for ten minutes.").
    pub fn paragraph_lead(&self, open: usize, paragraph: usize) -> Option<Attribution> {
        let para = self.paragraphs.get(paragraph)?;
        if paragraph == 0 || !self.text[para.start..open].trim().is_empty() {
            return None;
        }
        let prev = self.paragraphs[paragraph - 1].clone();
        let first_from_prev = self.quoted.partition_point(|q| q.start < prev.start);
        if self
            .quoted
            .get(first_from_prev)
            .is_some_and(|q| q.start < prev.end)
        {
            return None;
        }
        let start = self
            .sentence_start(prev.end.saturating_sub(1), 400)
            .max(prev.start);
        self.main_clause_speaker(start, prev.end)
    }

    /// A sentence ending in a colon right before the quotation ("Rubio was blunt: “…”").
    pub fn colon_lead(&self, open: usize) -> Option<Attribution> {
        let before = self.text[..open].trim_end();
        if !before.ends_with(':') {
            return None;
        }
        let colon = before.len() - 1;
        let start = self.sentence_start(colon, 300);
        let start = self.main_clause_start(start, colon);
        let cands = self.candidates(start..colon);
        // "Polls moved late — Ann Lee: “…”": a name standing right before the colon, set
        // off by a dash, labels the quotation; otherwise the sentence's subject speaks.
        let labelled = cands.last().filter(|c| {
            let gap = self.text.get(self.skip_tag(c.bytes.end)..colon);
            let lead = self.text[start..c.bytes.start].trim_end();
            gap.is_some_and(|g| g.trim().is_empty())
                && matches!(c.what, CandKind::Referent(_) | CandKind::Name)
                && lead.ends_with(['-', '—', '–'])
        });
        // "… surprise Republican pollster Daron Shaw: “…”": the subject's title chain ends in
        // the person.
        let cand = match labelled {
            Some(c) => c.clone(),
            None => {
                let k = cands.iter().position(|c| self.is_subject(c))?;
                self.head_of_chain(&cands[k..])
            }
        };
        Some(self.credit(&cand, None, Route::Colon))
    }

    /// Where the main clause of the sentence `start..end` begins: after a fronted phrase
    /// set off by a comma ("In a Fox interview later that day, Trump went further:", "When
    /// the moderators pressed him, Cruz said"), else `start`.
    fn main_clause_start(&self, start: usize, end: usize) -> usize {
        let head = &self.text[start..end];
        let first = head
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_lowercase();
        let fronted = is_preposition(&first)
            || matches!(
                first.as_str(),
                "when"
                    | "while"
                    | "after"
                    | "before"
                    | "since"
                    | "although"
                    | "though"
                    | "if"
                    | "because"
                    | "during"
                    | "amid"
                    | "following"
            );
        if !fronted {
            return start;
        }
        // The first comma outside quotations that the fronted phrase does not go on after
        // ("At a rally in Birmingham, Alabama, on Saturday, …").
        let goes_on = |rest: &str| {
            let word = rest
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            is_preposition(&word.to_lowercase())
                || is_capitalized(word) && rest[word.len()..].starts_with(',')
        };
        let comma = head.match_indices(',').map(|(i, _)| start + i).find(|&i| {
            let rest = self.text[i + 1..end].trim_start();
            !self.inside_quote(i) && rest.len() > 1 && !goes_on(rest)
        });
        comma.map_or(start, |i| i + 1)
    }

    /// No cue names a speaker: the sentence's subject said it ("Senator Ames thanked the
    /// crew for “…”", "The ad promises “…”"). The first candidate that can be a subject.
    pub fn sentence_subject(&self, open: usize) -> Option<Attribution> {
        let start = self.sentence_start(open, 400);
        let start = self.main_clause_start(start, open);
        let cands = self.candidates(start..open);
        let k = cands.iter().position(|c| self.is_subject(c))?;
        let cand = self.head_of_chain(&cands[k..]);
        // "The minister has been accused of “…”": the subject of a passive is its target.
        let toks = tokenize(self.text, cand.bytes.end.min(open)..open);
        let passive = toks.windows(2).any(|w| {
            let (aux, verb) = (w[0].text(self.text), w[1].text(self.text));
            matches!(aux, "been" | "being" | "is" | "are" | "was" | "were" | "be")
                && verb.ends_with("ed")
        });
        if passive {
            return None;
        }
        let a = self.credit(&cand, None, Route::Subject);
        a.speaker.is_some().then_some(a)
    }

    fn attribution(&self, cand: &Cand, cue: &CueHit, route: Route) -> Attribution {
        self.credit(cand, Some(cue), route)
    }

    fn credit(&self, cand: &Cand, cue: Option<&CueHit>, route: Route) -> Attribution {
        let (speaker, mention, kind) = self.resolve(cand);
        Attribution {
            speaker,
            mention: Some(mention),
            cue: cue.map(|c| self.text[c.bytes.clone()].to_string()),
            cue_bytes: cue.map(|c| c.bytes.clone()),
            route,
            speaker_kind: Some(kind),
            medium: None,
        }
    }

    /// The fullest name for a candidate, the words that named it, and what kind of speaker
    /// it is.
    fn resolve(&self, cand: &Cand) -> (Option<String>, String, SpeakerKind) {
        let mention = self.text[cand.bytes.clone()].to_string();
        let (speaker, kind) = match cand.what {
            CandKind::Referent(r) => {
                let referent = &self.referents.referents[r];
                let person =
                    referent.kind == EntityKind::Person && !self.lex.is_outlet(&referent.name);
                let kind = if person {
                    SpeakerKind::Person
                } else {
                    SpeakerKind::Organization
                };
                (Some(referent.name.clone()), kind)
            }
            CandKind::Pronoun(p) => {
                let name = self.resolve_pronoun(p, cand.bytes.start);
                let kind = match (&name, p) {
                    (None, _) => SpeakerKind::Unknown,
                    (_, Pronoun::He | Pronoun::She) => SpeakerKind::Person,
                    (_, Pronoun::It) => SpeakerKind::Organization,
                    (_, Pronoun::They) => SpeakerKind::Described,
                };
                (name, kind)
            }
            CandKind::Noun { head_start } => self.resolve_described(cand.bytes.clone(), head_start),
            CandKind::Name => {
                let name = self.fullest_name(&mention);
                let org = self.lex.is_outlet(&name)
                    || name
                        .rsplit(' ')
                        .next()
                        .is_some_and(|w| is_org_noun(&w.to_lowercase()));
                let kind = if org {
                    SpeakerKind::Organization
                } else {
                    SpeakerKind::Person
                };
                (Some(name), kind)
            }
        };
        (speaker, mention, kind)
    }

    /// A speaker phrase headed by a common noun: the person it names or the role points at,
    /// the group's fullest form, else the description itself ("an industry lobbyist", "a
    /// spokesman for Harlow Mills", "the complaint").
    fn resolve_described(
        &self,
        phrase: Range<usize>,
        head_start: usize,
    ) -> (Option<String>, SpeakerKind) {
        if let Some(name) = self.named_apposition(phrase.end) {
            return (Some(name), SpeakerKind::Person);
        }
        let head_lower = self.text[head_start..phrase.end].to_lowercase();
        let end = self.complement_end(phrase.end, self.phrase_end(phrase.end, phrase.end + 80));
        let description = || Some(self.text[phrase.start..end].trim().to_string());
        if self.lex.is_document_noun(&head_lower) {
            return (description(), SpeakerKind::Document);
        }
        let plural = head_lower.ends_with('s') && !head_lower.ends_with("ss");
        let collective = is_org_noun(&head_lower);
        match self.resolve_noun(phrase.clone(), head_start) {
            Some(name) if collective => (Some(name), SpeakerKind::Organization),
            Some(name) if !plural => (Some(name), SpeakerKind::Person),
            Some(name) => (Some(name), SpeakerKind::Described),
            None if collective && end == phrase.end => (description(), SpeakerKind::Organization),
            None => (description(), SpeakerKind::Described),
        }
    }

    /// "a spokesman for Harlow Mills", "an official at the Treasury": the end of a
    /// prepositional complement naming whom a described speaker belongs to (`end` if none).
    fn complement_end(&self, end: usize, limit: usize) -> usize {
        let rest = &self.text[end..limit.max(end)];
        let Some(after) = [
            "for ",
            "of ",
            "at ",
            "with ",
            "from ",
            "to ",
            "close to ",
            "familiar with ",
        ]
        .iter()
        .find_map(|p| rest.strip_prefix(' ').and_then(|r| r.strip_prefix(p))) else {
            return end;
        };
        let mut pos = limit.max(end) - after.len();
        let mut stop = end;
        let mut determined = false;
        for (k, tok) in tokenize(self.text, pos..limit.max(end)).iter().enumerate() {
            let w = tok.text(self.text);
            let gap_ok = self.text[pos..tok.bytes.start].chars().all(|c| c == ' ');
            let lower = w.to_lowercase();
            let det = is_determiner(&lower);
            let joins = det || matches!(lower.as_str(), "of" | "and" | "&");
            // "close to the campaign": after a determiner, plain nouns too.
            let noun = determined && is_title_like(w) && !is_rank_word(&lower);
            if !gap_ok || k > 5 || !(is_capitalized(w) || joins || noun) {
                break;
            }
            determined |= det;
            if is_capitalized(w) || noun {
                stop = tok.bytes.end;
            }
            pos = tok.bytes.end;
        }
        stop
    }

    /// "the Riverton Times", "Meet the Press": a name goes on over capitalized words (and
    /// "of"/"the" between them) after the candidate that starts it.
    fn name_run_end(&self, end: usize, limit: usize) -> usize {
        let mut stop = end;
        let mut pos = end;
        for tok in tokenize(self.text, end..limit) {
            let w = tok.text(self.text);
            if self.text[pos..tok.bytes.start] != *" " {
                break;
            }
            if is_capitalized(w) {
                stop = tok.bytes.end;
            } else if !matches!(w, "of" | "the") {
                break;
            }
            pos = tok.bytes.end;
        }
        stop
    }

    /// The outlet, platform or interviewer that carried a quotation, named in its sentence
    /// ("told NBC", "according to the Riverton Times", "in an interview with Ann Bell",
    /// "wrote on Facebook").
    pub fn medium(&self, open: usize, close_end: usize) -> Option<String> {
        let start = self.sentence_start(open, 400);
        let end = self.right_window_end(close_end, 200);
        const MARKS: [&str; 7] = [
            "told ",
            "tells ",
            "telling ",
            "interview with ",
            "according to ",
            " on ",
            "speaking to ",
        ];
        let hay = &self.text[start..end];
        let lower = hay.to_ascii_lowercase();
        for mark in MARKS {
            for (at, _) in lower.match_indices(mark) {
                let from = start + at + mark.len();
                if self.inside_quote(from)
                    || (at > 0
                        && !mark.starts_with(' ')
                        && lower.as_bytes()[at - 1].is_ascii_alphabetic())
                {
                    continue;
                }
                let stop = self.phrase_end(from, (from + 80).min(self.text.len()));
                let Some(c) = self.candidates(from..stop).into_iter().next() else {
                    continue;
                };
                if !self.text[from..c.bytes.start]
                    .split_whitespace()
                    .all(|w| is_determiner(&w.to_lowercase()))
                {
                    continue;
                }
                let name = self.text[c.bytes.start..self.name_run_end(c.bytes.end, stop)]
                    .trim_end_matches("’s")
                    .trim_end_matches("'s");
                let anyone = mark == "interview with "
                    && matches!(c.what, CandKind::Referent(_) | CandKind::Name);
                if anyone || self.lex.is_outlet(name) {
                    return Some(name.to_string());
                }
            }
        }
        None
    }

    /// "one resident, 72-year-old Ahmed Saleh, told …": the person named right after a
    /// speaker noun, between commas.
    fn named_apposition(&self, after: usize) -> Option<String> {
        let rest = self.text.get(after..)?;
        let inner = rest.strip_prefix(", ")?;
        let start = after + 2;
        let end = start
            + inner
                .find([',', '.', ';', ':', '“', '"', '\n'])
                .unwrap_or(inner.len())
                .min(80);
        let m = self
            .referents
            .within(start..end)
            .find(|m| self.referents.referents[m.referent].kind == EntityKind::Person)?;
        // Only a short modifier ("72-year-old", "her sister") may come before the name.
        let lead = tokenize(self.text, start..m.bytes.start);
        (lead.len() <= 3
            && lead
                .iter()
                .all(|t| !is_preposition(&t.text(self.text).to_lowercase())))
        .then(|| self.referents.referents[m.referent].name.clone())
    }

    /// it/they: the organization (or, for "they", the group) that is the subject of the
    /// nearest sentence before that names one.
    fn resolve_group_pronoun(&self, p: Pronoun, at: usize) -> Option<String> {
        let here = self
            .sentences
            .partition_point(|s| s.start <= at)
            .checked_sub(1)?;
        for s in (here.saturating_sub(3)..=here).rev() {
            let sent = self.sentences[s].clone();
            let end = sent.end.min(at);
            if end <= sent.start {
                continue;
            }
            // The subject of the sentence's own cue first ("Cascade Freight said …"), then
            // any organization standing as a subject.
            let cue_subjects = self
                .cues
                .within(sent.start, end)
                .filter(|c| c.kind == CueKind::Verb)
                .filter_map(|c| self.subject_before(sent.start, c.bytes.start));
            let orgs = self
                .candidates(sent.start..end)
                .into_iter()
                .filter(|c| matches!(c.what, CandKind::Referent(_)))
                .filter(|c| !self.text[..c.bytes.start].ends_with('('));
            for c in cue_subjects.chain(orgs) {
                if !self.is_subject(&c) {
                    continue;
                }
                match c.what {
                    CandKind::Referent(r) => {
                        let referent = &self.referents.referents[r];
                        if referent.kind == EntityKind::Org {
                            return Some(referent.name.clone());
                        }
                    }
                    CandKind::Noun { head_start } => {
                        let head = self.text[head_start..c.bytes.end].to_lowercase();
                        let plural = head.ends_with('s') && !head.ends_with("ss");
                        if is_org_noun(&head) || (p == Pronoun::They && plural) {
                            if let Some(name) = self.resolve_noun(c.bytes.clone(), head_start) {
                                return Some(name);
                            }
                        }
                    }
                    // A name the person finder does not know is no person: for "it", the
                    // company it names is the best reading.
                    CandKind::Name if p == Pronoun::It => {
                        return Some(self.fullest_name(&self.text[c.bytes.clone()]));
                    }
                    _ => {}
                }
            }
        }
        None
    }

    /// he/she: the first compatible person named in the nearest sentence before (subjects
    /// come first in English sentences, and the subject is what a later "he" picks up).
    fn resolve_pronoun(&self, p: Pronoun, at: usize) -> Option<String> {
        let want = match p {
            Pronoun::He => Gender::Male,
            Pronoun::She => Gender::Female,
            Pronoun::They | Pronoun::It => return self.resolve_group_pronoun(p, at),
        };
        // The sentence holding `at`, or the last one before it (headlines have none).
        let here = self
            .sentences
            .partition_point(|s| s.start <= at)
            .checked_sub(1)?;
        let mentions = &self.referents.mentions;
        for s in (here.saturating_sub(6)..=here).rev() {
            let sent = &self.sentences[s];
            let lo = mentions.partition_point(|m| m.bytes.end <= sent.start);
            let compatible = mentions[lo..]
                .iter()
                .take_while(|m| m.bytes.start < sent.end.min(at))
                .filter(|m| !self.inside_quote(m.bytes.start))
                .filter(|m| {
                    let r = &self.referents.referents[m.referent];
                    r.kind == EntityKind::Person
                        && r.gender.is_none_or(|g| g == want)
                        && !is_capitalized_stopword(&self.text[m.bytes.clone()])
                });
            // The possessor in "Hahn’s deputy, Sarah Lin," is not the sentence's subject.
            let mut possessive = None;
            let mut found = None;
            for m in compatible {
                let tok = Tok {
                    bytes: m.bytes.clone(),
                };
                if is_possessive(self.text, &tok) {
                    possessive.get_or_insert(m);
                } else {
                    found = Some(m);
                    break;
                }
            }
            let found = found.or(possessive);
            if let Some(m) = found {
                return Some(self.referents.referents[m.referent].name.clone());
            }
        }
        None
    }

    /// A common-noun speaker: a role ("the envoy") is resolved to the one person the document
    /// gives that role; a group ("Leaders", "the coalition") takes its fullest earlier form.
    fn resolve_noun(&self, phrase: Range<usize>, head_start: usize) -> Option<String> {
        let head = &self.text[head_start..phrase.end];
        let head_lower = head.to_lowercase();
        let singular = head_lower.trim_end_matches('s');
        let plural = head_lower.ends_with('s') && !head_lower.ends_with("ss");
        let collective = is_org_noun(&head_lower);
        if !plural && !collective {
            return self.resolve_role(singular, phrase.start);
        }
        if let Some(full) = self.fullest_group(&head_lower, phrase.start) {
            return Some(full);
        }
        if collective {
            if let Some(org) = self.nearest_org(&head_lower, phrase.start) {
                return Some(org);
            }
        }
        let first = &self.text[phrase.clone()];
        let words: Vec<&str> = first.split_whitespace().collect();
        let trimmed: Vec<&str> = words
            .iter()
            .skip_while(|w| is_determiner(&w.to_lowercase()))
            .copied()
            .collect();
        // A bare "the coalition" with no fuller form stays honest rather than generic;
        // "Police said" names its speaker as the text does.
        if trimmed.len() == 1 && !plural && words.len() > 1 {
            return None;
        }
        Some(trimmed.join(" "))
    }

    /// "the company", "the ministry": the nearest organization before, preferring one whose
    /// name holds the noun ("the ministry" → "Ministry of Health").
    fn nearest_org(&self, head_lower: &str, before: usize) -> Option<String> {
        let mut nearest: Option<usize> = None;
        let mut named: Option<usize> = None;
        for m in self
            .referents
            .mentions
            .iter()
            .take_while(|m| m.bytes.end <= before)
        {
            let r = &self.referents.referents[m.referent];
            if r.kind != EntityKind::Org || self.inside_quote(m.bytes.start) {
                continue;
            }
            nearest = Some(m.referent);
            if r.name
                .to_lowercase()
                .split_whitespace()
                .any(|w| w == head_lower)
            {
                named = Some(m.referent);
            }
        }
        // A generic noun only points back a sentence or so: further back it is a guess.
        let recent = self
            .sentence_index(before)
            .map_or(before.saturating_sub(300), |i| {
                self.sentences[i.saturating_sub(1)].start
            });
        let nearest = nearest.filter(|&r| {
            self.referents
                .mentions
                .iter()
                .any(|m| m.referent == r && m.bytes.start >= recent && m.bytes.end <= before)
        });
        let generic = matches!(
            head_lower,
            "company" | "firm" | "group" | "organization" | "organisation"
        );
        named
            .or(if generic { nearest } else { None })
            .map(|r| self.referents.referents[r].name.clone())
    }

    /// The person the document gives this role (by the person finder's role, or by a title
    /// right before a name): the nearest before `at`, else the only one after it.
    fn resolve_role(&self, role: &str, at: usize) -> Option<String> {
        let mentions = &self.referents.mentions;
        // Whether each referent's own role names `role`: asked once per referent, not once
        // per mention.
        let mut role_of: Vec<Option<bool>> = vec![None; self.referents.referents.len()];
        let mut scratch = String::new();
        let mut has_role = |m: &ReferentMention| {
            let r = &self.referents.referents[m.referent];
            if r.kind != EntityKind::Person {
                return false;
            }
            let by_role = *role_of[m.referent].get_or_insert_with(|| {
                r.role.as_deref().is_some_and(|x| {
                    x.to_lowercase()
                        .split_whitespace()
                        .any(|w| w.trim_end_matches('s') == role)
                })
            });
            by_role
                || lowercase(&self.text[m.bytes.clone()], &mut scratch)
                    .split_whitespace()
                    .any(|w| expand_title(w) == role)
                || self.titled_before(m.bytes.start, role)
                || self.appositive_after(m.bytes.end, role)
        };
        // The last mention before `at` that has the role wins: look back from the end, and
        // past `at` only when none does.
        if let Some(m) = mentions
            .iter()
            .rev()
            .filter(|m| m.bytes.start < at)
            .find(|m| has_role(m))
        {
            return Some(self.referents.referents[m.referent].name.clone());
        }
        // Otherwise the only person after it with the role, if there is just one.
        let mut after: Option<usize> = None;
        for m in mentions.iter().filter(|m| m.bytes.start >= at) {
            if after == Some(m.referent) || !has_role(m) {
                continue;
            }
            if after.is_some() {
                return None;
            }
            after = Some(m.referent);
        }
        after.map(|r| self.referents.referents[r].name.clone())
    }

    /// "Russian President Vladimir Putin": the title words right before a mention.
    fn titled_before(&self, pos: usize, role: &str) -> bool {
        let from = pos.saturating_sub(60);
        let mut from = from;
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        let toks = tokenize(self.text, from..pos);
        let mut scratch = String::new();
        let mut next_start = pos;
        for t in toks.iter().rev().take(4) {
            // Words of the title stand right next to each other and to the name.
            if !self.text[t.bytes.end..next_start].chars().all(|c| c == ' ') {
                break;
            }
            let lower = lowercase(t.text(self.text), &mut scratch);
            if expand_title(lower) == role {
                return true;
            }
            if is_preposition(lower) || is_determiner(lower) {
                break;
            }
            next_start = t.bytes.start;
        }
        false
    }

    /// "Steve Witkoff, a special envoy appointed by …": the appositive right after a mention.
    fn appositive_after(&self, pos: usize, role: &str) -> bool {
        let rest = &self.text[pos..];
        let Some(rest) = rest.strip_prefix(", ") else {
            return false;
        };
        let mut end = rest.find([',', '.', ';']).unwrap_or(rest.len()).min(60);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let app = &rest[..end];
        let mut words = app.split_whitespace();
        let first = words.next().map(str::to_lowercase);
        matches!(first.as_deref(), Some("a" | "an" | "the" | "one"))
            && app
                .split_whitespace()
                .take(5)
                .any(|w| w.to_lowercase().trim_end_matches('s') == role)
    }

    /// The fullest earlier form of a group noun: capitalized modifiers before it ("European
    /// leaders") or an of-phrase after it ("coalition of the willing").
    fn fullest_group(&self, head_lower: &str, before: usize) -> Option<String> {
        let hay = &self.text[..before];
        let mut search_end = hay.len();
        let mut tries = 0;
        while tries < 20 {
            tries += 1;
            let found = rfind_ascii_ci(&hay[..search_end], head_lower)?;
            search_end = found;
            let end = found + head_lower.len();
            let boundary_ok = !hay[..found]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && !self.text[end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            if !boundary_ok {
                continue;
            }
            let mut start = found;
            // Capitalized modifiers to the left.
            loop {
                let left = self.text[..start].trim_end_matches(' ');
                if left.len() + 1 != start {
                    break;
                }
                let ws = left
                    .rfind(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '’')))
                    .map_or(0, |i| {
                        i + left[i..].chars().next().map_or(1, char::len_utf8)
                    });
                let w = &left[ws..];
                if w.is_empty() || !is_capitalized(w) || is_capitalized_stopword(w) {
                    break;
                }
                start = ws;
            }
            // An of-phrase to the right.
            let mut stop = end;
            let after = &self.text[end..];
            if let Some(rest) = after.strip_prefix(" of ") {
                let words: Vec<&str> = rest.splitn(4, ' ').collect();
                let mut take = 0;
                let mut len = 4;
                for (k, w) in words.iter().take(3).enumerate() {
                    let clean = w.trim_end_matches(|c: char| !c.is_alphanumeric());
                    if clean.is_empty() {
                        break;
                    }
                    len += if k > 0 { 1 } else { 0 } + clean.len();
                    take = k + 1;
                    if clean.len() != w.len()
                        || !matches!(clean.to_lowercase().as_str(), "the" | "a")
                    {
                        break;
                    }
                }
                if take > 0 {
                    stop = end + len;
                }
            }
            if start < found || stop > end {
                let phrase = self.text[start..stop].trim();
                return Some(phrase.to_string());
            }
        }
        None
    }

    /// The fullest name ending like `name` ("Witkoff" → "Steve Witkoff").
    fn fullest_name(&self, name: &str) -> String {
        let words: Vec<&str> = name
            .split_whitespace()
            .skip_while(|w| is_title_word(w))
            .collect();
        let core = if words.is_empty() {
            name.to_string()
        } else {
            words.join(" ")
        };
        let last = core.split_whitespace().last().unwrap_or(&core);
        self.referents
            .referents
            .iter()
            .filter(|r| r.kind == EntityKind::Person || r.kind == EntityKind::Org)
            .filter(|r| r.name.split_whitespace().last() == Some(last) && r.name.len() > core.len())
            .map(|r| r.name.clone())
            .max_by_key(String::len)
            .unwrap_or(core)
    }

    /// Whether another named person stands between two positions (then a quotation after it
    /// no longer continues the one before).
    pub fn person_between(&self, from: usize, to: usize) -> bool {
        self.candidates(from..to).iter().any(|c| match c.what {
            CandKind::Referent(r) => self.referents.referents[r].kind == EntityKind::Person,
            CandKind::Pronoun(_) => true,
            CandKind::Name => true,
            CandKind::Noun { .. } => false,
        })
    }
}

/// Verbs whose object is usually a person ("met Putin", "told Rubio").
fn takes_person_object(lower: &str) -> bool {
    matches!(
        lower,
        "told"
            | "asked"
            | "thanked"
            | "urged"
            | "met"
            | "phoned"
            | "called"
            | "said"
            | "tell"
            | "ask"
            | "meet"
            | "thank"
            | "urge"
            | "call"
            | "warn"
            | "invite"
            | "invited"
            | "accused"
            | "accuse"
            | "blamed"
            | "blame"
            | "praised"
            | "praise"
            | "criticized"
            | "criticised"
            | "welcomed"
            | "welcome"
            | "pressed"
            | "press"
            | "hosted"
            | "host"
            | "visited"
            | "visit"
            | "joined"
            | "join"
            | "replaced"
            | "replace"
    )
}

/// Nouns that name an organization or a body rather than a person ("the ministry").
fn is_org_noun(lower: &str) -> bool {
    matches!(
        lower,
        "coalition"
            | "government"
            | "ministry"
            | "administration"
            | "commission"
            | "council"
            | "committee"
            | "agency"
            | "department"
            | "office"
            | "company"
            | "firm"
            | "union"
            | "alliance"
            | "party"
            | "campaign"
            | "kremlin"
            | "military"
            | "army"
            | "police"
            | "group"
            | "organization"
            | "organisation"
            | "authorities"
            | "university"
            | "college"
            | "school"
            | "hospital"
            | "court"
            | "bank"
            | "board"
            | "fund"
            | "foundation"
            | "institute"
            | "charity"
            | "club"
            | "league"
            | "federation"
            | "association"
            | "network"
            | "newspaper"
            | "broadcaster"
            | "embassy"
            | "team"
            | "regulator"
            | "watchdog"
    )
}

/// A title word in full ("gov." → "governor"), lowercase and singular.
fn expand_title(lower: &str) -> &str {
    match lower.trim_end_matches('.') {
        "gov" => "governor",
        "sen" => "senator",
        "rep" => "representative",
        "gen" => "general",
        "supt" => "superintendent",
        "insp" => "inspector",
        "det" => "detective",
        "sgt" => "sergeant",
        "lt" => "lieutenant",
        "col" => "colonel",
        "capt" => "captain",
        "prof" => "professor",
        "dr" => "doctor",
        "pres" => "president",
        "amb" => "ambassador",
        other => other
            .strip_suffix('s')
            .filter(|_| other.len() > 4 && !other.ends_with("ss"))
            .unwrap_or(other),
    }
}

/// A word that may stand in a title before a name ("Budget Chairman", "police Chief",
/// "campaign manager"): capitalized, or a plain lowercase word that is no verb, function
/// word or pronoun.
fn is_title_like(word: &str) -> bool {
    let lower = word.to_lowercase();
    if is_capitalized(word) || is_rank_word(&lower) {
        return true;
    }
    // "Air Force 1st Lt. Tyler Livingston", "the 82nd Airborne's Maj. Ann Lee".
    let ordinal = ["st", "nd", "rd", "th"].iter().any(|e| {
        lower
            .strip_suffix(e)
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    });
    if ordinal {
        return true;
    }
    word.chars().all(|c| c.is_alphabetic() || c == '-')
        && !is_preposition(&lower)
        && !is_determiner(&lower)
        // Every "-ly" word counts as a filler there; "ally" and "family" are nouns.
        && (!is_verb_filler(&lower) || lower.ends_with("ly"))
        && !opens_subject(&lower)
        && pronoun(&lower).is_none()
        && !lower.ends_with("ed")
        && (!lower.ends_with("ing") || lower == "ranking")
        && !(lower.ends_with("ly") && lower.len() > 5)
        && !matches!(
            lower.as_str(),
            "and" | "or" | "but" | "says" | "said" | "told" | "tells" | "asks" | "asked"
        )
}

/// Words that rank a title rather than open a clause ("former Rep.", "acting director").
fn is_rank_word(lower: &str) -> bool {
    matches!(
        lower,
        "former" | "acting" | "late" | "interim" | "outgoing" | "incoming" | "retired"
    )
}

fn adjacent(text: &str, a: &Tok, b: &Tok) -> bool {
    let gap = &text[a.bytes.end..b.bytes.start];
    gap == " " || gap == "\u{a0}"
}

/// Last occurrence of an ASCII-lowercase needle in `hay`, ignoring ASCII case.
fn rfind_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    let matches_at = |i: usize| h[i..i + n.len()].eq_ignore_ascii_case(n);
    // A group noun is looked for back to the start of the text: jump between occurrences of
    // the needle's first byte in either case. Candidate starts left to test are `0..end`.
    let (lower, upper) = (n[0].to_ascii_lowercase(), n[0].to_ascii_uppercase());
    let mut end = h.len() - n.len() + 1;
    while let Some(i) = memchr::memrchr2(lower, upper, &h[..end]) {
        if matches_at(i) {
            return Some(i);
        }
        end = i;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::rfind_ascii_ci;

    #[test]
    fn reverse_search_finds_the_last_match_ignoring_ascii_case() {
        let reference = |h: &str, n: &str| {
            let (h, n) = (h.as_bytes(), n.as_bytes());
            if n.is_empty() || h.len() < n.len() {
                return None;
            }
            (0..=h.len() - n.len())
                .rev()
                .find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
        };
        let mut texts = crate::seed_texts();
        texts.push("Officials said. OFFICIALS’ officials — é ministry Ministry".to_string());
        for text in &texts {
            for needle in [
                "officials",
                "ministry",
                "é",
                "s",
                "o",
                "the coalition",
                "x",
                "",
            ] {
                for cut in [0, 1, 7, 8, 9, 63, 500, text.len()] {
                    let mut cut = cut.min(text.len());
                    while !text.is_char_boundary(cut) {
                        cut += 1;
                    }
                    let hay = &text[..cut];
                    assert_eq!(
                        rfind_ascii_ci(hay, needle),
                        reference(hay, needle),
                        "{needle} {cut}"
                    );
                }
            }
        }
    }
}
