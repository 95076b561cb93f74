//! The words attribution looks for: speech cues (one Aho-Corasick automaton), speaker nouns,
//! pronouns and the small closed classes (prepositions, determiners) that tell a subject from
//! an object. Built once per stage.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::PatternID;
use aho_corasick::{Anchored, MatchKind, StartKind};

const CUES: &str = include_str!("../../../../data/quotes/cues.txt");
const SPEAKER_NOUNS: &str = include_str!("../../../../data/quotes/speaker_nouns.txt");

/// How a cue relates to its speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// A speech verb: the speaker is its subject (or follows it: "said Witkoff").
    Verb,
    /// "according to X": the speaker follows.
    AccordingTo,
    /// "in a statement", "in an interview": the speaker is the clause's subject.
    Setting,
}

/// A cue found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueHit {
    pub bytes: Range<usize>,
    pub kind: CueKind,
}

pub struct Lexicon {
    /// Anchored only: [`Lexicon::find_cues`] runs it from the few positions a cue may start at.
    cues: DFA,
    cue_kinds: Vec<CueKind>,
    /// The cues' first `prefix_len` bytes, folded by [`fold`] and hashed by [`prefix_bit`].
    prefixes: Box<[u64; PREFIX_WORDS]>,
    /// The shortest cue's length, at most 3.
    prefix_len: usize,
    /// Cues that, found inside a word, may run over the start of a later word where a cue
    /// starts (“xaccording told”), each with the byte offset of the gap they cross there.
    crossing: Vec<(Vec<u8>, usize)>,
    /// No cue holds a character that may open or close a quotation.
    no_marks: bool,
    speaker_nouns: HashSet<String, BuildHasherDefault<Fnv>>,
}

/// FNV-1a. The speaker-noun set is probed for most words near a quotation; SipHash's
/// resistance to crafted keys buys nothing for a fixed word list and costs several times more.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Lines of a word list: trimmed, lowercase, without blanks and `#` comments.
pub fn list_lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            l.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
}

impl Lexicon {
    pub fn new(extra_cues: &[String], extra_nouns: &[String]) -> Result<Self, String> {
        let mut phrases: Vec<String> = list_lines(CUES).collect();
        phrases.extend(extra_cues.iter().flat_map(|c| list_lines(c)));
        phrases.sort();
        phrases.dedup();
        let cue_kinds = phrases
            .iter()
            .map(|p| {
                if p == "according to" {
                    CueKind::AccordingTo
                } else if p.starts_with("in a ") || p.starts_with("in an ") {
                    CueKind::Setting
                } else {
                    CueKind::Verb
                }
            })
            .collect();
        let no_marks = !phrases
            .iter()
            .any(|p| p.contains(super::spans::is_quote_mark));
        let cues = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            // No prefilter would apply to hundreds of cues anyway; without one, only dead
            // and match states are special, which the search loop relies on.
            .prefilter(false)
            .build(&phrases)
            .map_err(|e| format!("cannot build the cue automaton: {e}"))?;
        let prefix_len = phrases.iter().map(String::len).min().unwrap_or(1).min(3);
        let mut prefixes = Box::new([0u64; PREFIX_WORDS]);
        for p in &phrases {
            let bit = prefix_bit(fold(&p.as_bytes()[..prefix_len]));
            prefixes[bit / 64] |= 1 << (bit % 64);
        }
        let crossing = crossing_cues(&phrases);
        let mut speaker_nouns: HashSet<String, BuildHasherDefault<Fnv>> =
            list_lines(SPEAKER_NOUNS).collect();
        speaker_nouns.extend(extra_nouns.iter().flat_map(|n| list_lines(n)));
        Ok(Lexicon {
            cues,
            cue_kinds,
            prefixes,
            prefix_len,
            crossing,
            no_marks,
            speaker_nouns,
        })
    }

    /// Every cue in `text[range]` on word boundaries, in text order, appended to `out`.
    ///
    /// The matches are those of `AhoCorasick::find_iter` (leftmost-longest, non-overlapping,
    /// within the range) that lie on word boundaries. Walking the automaton over every byte
    /// costs about 15 instructions a byte; instead the search visits only word starts (found
    /// eight bytes at a time), drops those whose first bytes start no cue, and runs the
    /// automaton anchored from the rest. A match inside a word is never kept, so skipping
    /// those is safe unless one would have hidden a cue at a later word start by running
    /// over it; only the `crossing` cues can, and where one occurs the search steps match by
    /// match as the crate's iterator does.
    pub fn find_cues(&self, text: &str, range: Range<usize>, out: &mut Vec<CueHit>) {
        let bytes = text.as_bytes();
        let end = range.end;
        let mut at = range.start;
        // The first position not yet tried; `range.start` is tried whatever precedes it.
        let mut t = at;
        while t < end {
            if t != range.start {
                t = next_after_non_letter(bytes, t, end);
            }
            if t + self.prefix_len > end {
                break;
            }
            let here = t;
            t += 1;
            // No cue starts inside a character.
            if !self.may_start_cue(bytes, here)
                || !text.is_char_boundary(here)
                || (here > 0 && is_word_byte_before(text, here))
            {
                continue;
            }
            let Some((pattern, e)) = self.longest_at(bytes, here, end) else {
                continue;
            };
            if self.crossed(bytes, at, here, end) {
                // Step to the next match as the crate's iterator would, then go on from there.
                let Some((s, pattern, e)) = self.leftmost_from(bytes, at, end) else {
                    break;
                };
                self.push_on_boundaries(text, s, e, pattern, out);
                at = e;
                t = at;
                continue;
            }
            self.push_on_boundaries(text, here, e, pattern, out);
            at = e;
            t = at;
        }
    }

    /// Whether the bytes at `at` may open a cue (the caller ensures `prefix_len` fit).
    fn may_start_cue(&self, bytes: &[u8], at: usize) -> bool {
        let bit = prefix_bit(fold(&bytes[at..at + self.prefix_len]));
        self.prefixes[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// The longest cue starting at `at` and ending by `end`: its pattern and end.
    fn longest_at(&self, bytes: &[u8], at: usize, end: usize) -> Option<(PatternID, usize)> {
        let dfa = &self.cues;
        let mut sid = dfa
            .start_state(Anchored::Yes)
            .expect("the cue automaton supports anchored searches");
        let mut found = None;
        // The DFA goes on past a match state while a longer match is possible and dies
        // once none is (no pattern is empty, so the start state is no match).
        for (i, &b) in bytes[at..end].iter().enumerate() {
            sid = dfa.next_state(Anchored::Yes, sid, b);
            if dfa.is_special(sid) {
                if dfa.is_dead(sid) {
                    break;
                }
                found = Some((dfa.match_pattern(sid, 0), at + i + 1));
            }
        }
        found
    }

    /// The leftmost-longest cue in `bytes[from..end]`, wherever it starts.
    fn leftmost_from(
        &self,
        bytes: &[u8],
        from: usize,
        end: usize,
    ) -> Option<(usize, PatternID, usize)> {
        (from..end)
            .take_while(|&s| s + self.prefix_len <= end)
            .filter(|&s| self.may_start_cue(bytes, s))
            .find_map(|s| self.longest_at(bytes, s, end).map(|(p, e)| (s, p, e)))
    }

    /// Whether a crossing cue starting at or after `from` runs over the word start `t`.
    fn crossed(&self, bytes: &[u8], from: usize, t: usize, end: usize) -> bool {
        self.crossing.iter().any(|(cue, gap)| {
            t > *gap
                && t - 1 - gap >= from
                && t - 1 - gap + cue.len() <= end
                && bytes[t - 1 - gap..t - 1 - gap + cue.len()].eq_ignore_ascii_case(cue)
        })
    }

    fn push_on_boundaries(
        &self,
        text: &str,
        s: usize,
        e: usize,
        pattern: PatternID,
        out: &mut Vec<CueHit>,
    ) {
        if s > 0 && is_word_byte_before(text, s) {
            return;
        }
        if e < text.len() && is_word_byte_after(text, e) {
            return;
        }
        out.push(CueHit {
            bytes: s..e,
            kind: self.cue_kinds[pattern.as_usize()],
        });
    }

    /// Whether no cue holds a quote mark (then [`Lexicon::find_cues_outside`] may skip
    /// quotations).
    pub fn cues_hold_no_marks(&self) -> bool {
        self.no_marks
    }

    /// The cues [`Lexicon::find_cues`] finds in `text[range]` that start outside `skip`, and
    /// maybe some inside (sorted, disjoint ranges, each opening and ending with a quote mark;
    /// valid only when [`Lexicon::cues_hold_no_marks`]), without searching inside `skip`.
    ///
    /// A match never holds a mark, so it lies before, inside or after each skipped range. A
    /// search from before a range finds the same leftmost-longest match as a search stopped
    /// at the range's opening mark, or none in either; once past the range's start, the next
    /// match outside it starts after its closing mark, the same match a search from there finds.
    pub fn find_cues_outside(
        &self,
        text: &str,
        range: Range<usize>,
        skip: &[Range<usize>],
        out: &mut Vec<CueHit>,
    ) {
        let mut at = range.start;
        let mut k = skip.partition_point(|q| q.end <= at);
        while at < range.end {
            let next = skip.get(k).filter(|q| q.start < range.end);
            let stop = next.map_or(range.end, |q| q.start.max(at));
            if at < stop {
                self.find_cues(text, at..stop, out);
            }
            match next {
                Some(q) => {
                    at = at.max(q.end);
                    k += 1;
                }
                None => break,
            }
        }
    }

    pub fn is_speaker_noun(&self, lower: &str) -> bool {
        self.speaker_nouns.contains(lower)
    }
}

/// The first position at or after `from` (and before `end`) that follows a byte that is
/// no ASCII letter, or `end`: every word start but the range's first is one.
fn next_after_non_letter(bytes: &[u8], from: usize, end: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // `from` > 0: the range's start is tried without looking back.
    let mut i = from - 1;
    while i + 8 <= end {
        let w = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("eight bytes"));
        // With 0x20 set, ASCII letters are exactly the bytes 0x61..=0x7a.
        let y = w | (0x20 * LO);
        let low = y & !HI;
        let ge_a = low.wrapping_add((0x80 - 0x61) * LO);
        let gt_z = low.wrapping_add((0x80 - 0x7b) * LO);
        let letter = ge_a & !gt_z & !y & HI;
        let other = !letter & HI;
        if other != 0 {
            return i + (other.trailing_zeros() / 8) as usize + 1;
        }
        i += 8;
    }
    while i < end {
        if !bytes[i].is_ascii_alphabetic() {
            return i + 1;
        }
        i += 1;
    }
    end
}

const PREFIX_WORDS: usize = 512;

/// ASCII letters lowercased (other bytes change too, alike in cues and text, so equal
/// prefixes stay equal), packed little-endian.
fn fold(prefix: &[u8]) -> u32 {
    prefix
        .iter()
        .rev()
        .fold(0, |k, &b| (k << 8) | u32::from(b | 0x20))
}

fn prefix_bit(key: u32) -> usize {
    (key.wrapping_mul(0x9e37_79b1) >> (32 - 15)) as usize
}

/// The cues that may hide a cue at a word start inside them: those with a byte that may end a
/// non-word character (the gap) before their last byte, followed by text a cue may start
/// with. A cue found inside a word hides nothing else that could be kept: any word start it
/// runs over follows such a gap.
fn crossing_cues(phrases: &[String]) -> Vec<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    for p in phrases {
        let b = p.as_bytes();
        for gap in 0..b.len().saturating_sub(1) {
            let c = b[gap];
            if c.is_ascii_alphanumeric() || c == b'-' {
                continue;
            }
            let rest = &b[gap + 1..];
            let meets = |q: &[u8]| {
                let n = q.len().min(rest.len());
                q[..n].eq_ignore_ascii_case(&rest[..n])
            };
            if phrases.iter().any(|q| meets(q.as_bytes())) {
                out.push((b.to_vec(), gap));
            }
        }
    }
    out
}

/// Whether the character ending at byte `s` continues a word (letters, digits, a hyphen:
/// "value-added" is no cue).
fn is_word_byte_before(text: &str, s: usize) -> bool {
    text[..s]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '-')
}

fn is_word_byte_after(text: &str, e: usize) -> bool {
    text[e..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '-')
}

/// Subject pronouns that can name a speaker, with the gender they imply.
pub fn pronoun(lower: &str) -> Option<Pronoun> {
    match lower {
        "he" => Some(Pronoun::He),
        "she" => Some(Pronoun::She),
        "they" => Some(Pronoun::They),
        "it" => Some(Pronoun::It),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pronoun {
    He,
    She,
    They,
    /// An organization ("…,” it said in a statement).
    It,
}

/// Words after which a name is an object, not a subject ("appointed by Trump", "with Putin").
pub fn is_preposition(lower: &str) -> bool {
    matches!(
        lower,
        "to" | "by"
            | "with"
            | "from"
            | "of"
            | "on"
            | "for"
            | "in"
            | "at"
            | "about"
            | "against"
            | "alongside"
            | "toward"
            | "towards"
            | "despite"
            | "than"
            | "like"
            | "between"
            | "among"
            | "including"
            | "over"
            | "under"
            | "into"
            | "onto"
            | "upon"
            | "via"
            | "per"
            | "without"
            | "behind"
            | "beside"
            | "near"
            | "through"
            | "across"
            | "amid"
            | "unlike"
    )
}

/// Words that may stand right before a subject (conjunctions, determiners, adverbs that open
/// a clause); any other lowercase word there suggests a verb, and the name is its object.
pub fn opens_subject(lower: &str) -> bool {
    matches!(
        lower,
        "and"
            | "but"
            | "or"
            | "nor"
            | "when"
            | "while"
            | "as"
            | "that"
            | "after"
            | "before"
            | "because"
            | "since"
            | "then"
            | "so"
            | "yet"
            | "where"
            | "which"
            | "who"
            | "though"
            | "although"
            | "if"
            | "once"
            | "until"
            | "also"
            | "later"
            | "meanwhile"
            | "however"
            | "the"
            | "a"
            | "an"
            | "this"
            | "these"
            | "those"
            | "one"
            | "two"
            | "three"
            | "several"
            | "many"
            | "some"
            | "both"
            | "all"
            | "other"
            | "former"
            | "now"
            | "still"
            | "even"
            | "whereas"
            | "unless"
            | "whether"
            | "what"
            | "how"
            | "why"
            | "instead"
            | "indeed"
            | "only"
    )
}

/// Determiners that open a noun phrase.
pub fn is_determiner(lower: &str) -> bool {
    matches!(
        lower,
        "the"
            | "a"
            | "an"
            | "one"
            | "two"
            | "three"
            | "four"
            | "several"
            | "many"
            | "some"
            | "other"
            | "this"
            | "these"
            | "those"
            | "its"
            | "their"
            | "his"
            | "her"
            | "our"
            | "another"
            | "each"
            | "both"
            | "all"
            | "most"
    )
}

/// Little words that may stand between a subject and its cue ("Witkoff also said",
/// "he has repeatedly warned").
pub fn is_verb_filler(lower: &str) -> bool {
    lower.ends_with("ly")
        || matches!(
            lower,
            "also"
                | "later"
                | "then"
                | "again"
                | "has"
                | "had"
                | "have"
                | "was"
                | "were"
                | "is"
                | "are"
                | "would"
                | "will"
                | "did"
                | "does"
                | "do"
                | "not"
                | "never"
                | "once"
                | "further"
                | "first"
                | "himself"
                | "herself"
                | "themselves"
                | "itself"
                | "just"
                | "since"
                | "soon"
                | "too"
                | "even"
                | "still"
                | "often"
                | "can"
                | "could"
                | "may"
                | "might"
                | "must"
                | "should"
                | "been"
                | "being"
                | "went"
                | "on"
                | "to"
                | "quickly"
                | "immediately"
                | "previously"
                | "recently"
                | "subsequently"
                | "repeatedly"
                | "openly"
                | "publicly"
                | "privately"
                | "reportedly"
                | "confidently"
                | "bluntly"
                | "flatly"
                | "simply"
                | "earlier"
                | "afterwards"
                | "afterward"
        )
}

/// Title words that stand before a name without being part of it.
pub fn is_title_word(word: &str) -> bool {
    matches!(
        word.trim_end_matches('.'),
        "President"
            | "Vice"
            | "Prime"
            | "Minister"
            | "Secretary"
            | "Chancellor"
            | "Envoy"
            | "Special"
            | "Senator"
            | "Sen"
            | "Rep"
            | "Representative"
            | "Gov"
            | "Governor"
            | "Mayor"
            | "Mr"
            | "Mrs"
            | "Ms"
            | "Dr"
            | "Prof"
            | "Professor"
            | "General"
            | "Gen"
            | "Col"
            | "Colonel"
            | "Chief"
            | "Spokesman"
            | "Spokeswoman"
            | "Spokesperson"
            | "Ambassador"
            | "Foreign"
            | "Defence"
            | "Defense"
            | "Deputy"
            | "Former"
            | "Judge"
            | "Justice"
            | "King"
            | "Queen"
            | "Prince"
            | "Princess"
            | "Pope"
            | "Sir"
            | "Dame"
            | "Lord"
            | "Lady"
            | "Commissioner"
            | "Director"
            | "Chairman"
            | "Chairwoman"
            | "CEO"
            | "Coach"
            | "Captain"
            | "Capt"
            | "Detective"
            | "Officer"
            | "Sgt"
            | "Sergeant"
            | "Councillor"
            | "Councilor"
            | "Councilman"
            | "Councilwoman"
            | "Leader"
            | "Speaker"
            | "Attorney"
            | "Inspector"
            | "Superintendent"
            | "Lt"
            | "Lieutenant"
            | "Admiral"
            | "Bishop"
            | "Rev"
            | "Reverend"
            | "Father"
            | "Sister"
            | "Brother"
            | "U.S"
            | "US"
            | "UK"
            | "EU"
            | "UN"
    )
}

/// Capitalized words that open a sentence without naming anyone.
pub fn is_capitalized_stopword(word: &str) -> bool {
    matches!(
        word,
        "The"
            | "A"
            | "An"
            | "In"
            | "On"
            | "At"
            | "According"
            | "Despite"
            | "After"
            | "Before"
            | "When"
            | "While"
            | "But"
            | "And"
            | "Or"
            | "Still"
            | "However"
            | "Meanwhile"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "It"
            | "He"
            | "She"
            | "They"
            | "We"
            | "I"
            | "You"
            | "His"
            | "Her"
            | "Their"
            | "Its"
            | "Our"
            | "My"
            | "Your"
            | "If"
            | "As"
            | "For"
            | "From"
            | "With"
            | "By"
            | "To"
            | "Of"
            | "Asked"
            | "Speaking"
            | "Yet"
            | "So"
            | "Then"
            | "Now"
            | "Although"
            | "Though"
            | "Because"
            | "Since"
            | "Once"
            | "Until"
            | "Even"
            | "Also"
            | "Later"
            | "Earlier"
            | "Today"
            | "Yesterday"
            | "Tomorrow"
            | "Monday"
            | "Tuesday"
            | "Wednesday"
            | "Thursday"
            | "Friday"
            | "Saturday"
            | "Sunday"
            | "There"
            | "Here"
            | "What"
            | "Who"
            | "Why"
            | "How"
            | "Where"
            | "Which"
            | "Some"
            | "Many"
            | "Several"
            | "Both"
            | "All"
            | "Most"
            | "Other"
            | "Others"
            | "Another"
            | "Each"
            | "Every"
            | "No"
            | "Not"
            | "Only"
            | "Instead"
            | "Indeed"
            | "Among"
            | "Under"
            | "Over"
            | "Interestingly"
            | "Crucially"
            | "Separately"
            | "Notably"
            | "Finally"
            | "First"
            | "Reports"
            | "Sources"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, Input};

    /// `find_cues` walks the DFA itself; it must find what the crate's iterator finds.
    #[test]
    fn cue_search_matches_the_crate_iterator() {
        let lex = Lexicon::new(&[], &[]).unwrap();
        let mut phrases: Vec<String> = list_lines(CUES).collect();
        phrases.sort();
        phrases.dedup();
        let reference = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&phrases)
            .unwrap();
        let mut texts = crate::seed_texts();
        // Matches that hide others: a rejected match inside a word, one running past a
        // word's end, cues at the very ends.
        texts.push(
            "Xmaintain a posted, within a posted note; according told him. SAID Witkoff, \
             unsaid, well-said, saying"
                .to_string(),
        );
        for text in &texts {
            // The whole text, and each line.
            let mut start = 0;
            let mut ranges: Vec<Range<usize>> = text
                .match_indices('\n')
                .map(|(i, _)| {
                    let line = start..i;
                    start = i + 1;
                    line
                })
                .collect();
            ranges.push(0..text.len());
            for range in ranges {
                let mut got = Vec::new();
                lex.find_cues(text, range.clone(), &mut got);
                let want: Vec<CueHit> = reference
                    .find_iter(Input::new(text).span(range))
                    .filter(|m| {
                        (m.start() == 0 || !is_word_byte_before(text, m.start()))
                            && (m.end() == text.len() || !is_word_byte_after(text, m.end()))
                    })
                    .map(|m| CueHit {
                        bytes: m.range(),
                        kind: lex.cue_kinds[m.pattern().as_usize()],
                    })
                    .collect();
                assert_eq!(got, want);
            }
        }
    }

    /// The word-start search against the crate's iterator on generated text full of traps:
    /// cues inside words and running over later cues, case changes, digits, hyphens,
    /// non-ASCII characters next to cues, and ranges that start or end inside words; also
    /// with extra cues that are short or hold punctuation and non-ASCII characters.
    #[test]
    fn cue_search_matches_the_crate_iterator_on_generated_text() {
        let pieces = [
            "said", "Said", "SAID", "xsaid", "saidx", "according", "to", "told", "Xaccording",
            "within", "in", "a", "post", "statement", "says", "add", "added", "ad", "ask",
            "the", "con", "confirmed", "rep", "reported", "“", "”", "’", "é", "Ünsaid", "—",
            "-", "well-said", "7", "said7", ",", ".", "(", ")", "_", "\n", "@", "[", "`",
            "{", "according to", "in a post", "in a statement", "told—", "étold", "saidé",
        ];
        let seps = [" ", " ", " ", "", "\n", ", ", "  ", "—", "“", "’"];
        let extra_sets: [&[&str]; 3] = [
            &[],
            &["ad", "x", "ab cd", "sai d", "—said", "é said", "to ld"],
            &["told them", "a post", "d to"],
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for extra in extra_sets {
            let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
            let lex = Lexicon::new(&extra, &[]).unwrap();
            let mut phrases: Vec<String> = list_lines(CUES).collect();
            phrases.extend(extra.iter().flat_map(|c| list_lines(c)));
            phrases.sort();
            phrases.dedup();
            let reference = AhoCorasickBuilder::new()
                .kind(Some(AhoCorasickKind::DFA))
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&phrases)
                .unwrap();
            for _ in 0..400 {
                let mut text = String::new();
                for _ in 0..next(60) {
                    text.push_str(pieces[next(pieces.len())]);
                    text.push_str(seps[next(seps.len())]);
                }
                let bounds: Vec<usize> = (0..=text.len())
                    .filter(|&i| text.is_char_boundary(i))
                    .collect();
                for _ in 0..8 {
                    let a = bounds[next(bounds.len())];
                    let b = bounds[next(bounds.len())];
                    let range = a.min(b)..a.max(b);
                    let mut got = Vec::new();
                    lex.find_cues(&text, range.clone(), &mut got);
                    let want: Vec<CueHit> = reference
                        .find_iter(Input::new(&text).span(range.clone()))
                        .filter(|m| {
                            (m.start() == 0 || !is_word_byte_before(&text, m.start()))
                                && (m.end() == text.len() || !is_word_byte_after(&text, m.end()))
                        })
                        .map(|m| CueHit {
                            bytes: m.range(),
                            kind: lex.cue_kinds[m.pattern().as_usize()],
                        })
                        .collect();
                    assert_eq!(got, want, "{text:?} {range:?} extra {extra:?}");
                }
            }
        }
    }

    /// Skipping closed quotations keeps every cue outside quotations, in order.
    #[test]
    fn cues_outside_quotations_survive_the_skip() {
        let lex = Lexicon::new(&[], &[]).unwrap();
        assert!(lex.cues_hold_no_marks());
        let mut texts = crate::seed_texts();
        texts.push(
            "He said “said he” said she, according to“ told ”the aide. \"added\" added \
             Xsaid ‘warned’ told “unclosed said Janet\nand 'noted' noted «dit» said"
                .to_string(),
        );
        for text in &texts {
            let mut start = 0;
            let paras: Vec<Range<usize>> = text
                .split_inclusive('\n')
                .map(|line| {
                    let r = start..start + line.trim_end_matches('\n').len();
                    start += line.len();
                    r
                })
                .collect();
            let raw = super::super::spans::find_spans(text, &paras, 3000, &mut Vec::new());
            let quoted: Vec<Range<usize>> = raw
                .iter()
                .filter(|s| s.depth == 0)
                .map(|s| s.outer.clone())
                .collect();
            let closed: Vec<Range<usize>> = raw
                .iter()
                .filter(|s| s.depth == 0 && s.unclosed.is_none())
                .map(|s| s.outer.clone())
                .collect();
            let inside = |p: usize| quoted.iter().any(|q| q.start <= p && p < q.end);
            let mut ranges = paras.clone();
            ranges.push(0..text.len());
            for w in paras.windows(2) {
                ranges.push(w[0].start..w[1].end);
            }
            for range in ranges {
                let mut want = Vec::new();
                lex.find_cues(text, range.clone(), &mut want);
                want.retain(|c| !inside(c.bytes.start));
                let mut got = Vec::new();
                lex.find_cues_outside(text, range, &closed, &mut got);
                got.retain(|c| !inside(c.bytes.start));
                assert_eq!(got, want);
            }
        }
        let marked = Lexicon::new(&["he said ’".to_string()], &[]).unwrap();
        assert!(!marked.cues_hold_no_marks());
    }
}
