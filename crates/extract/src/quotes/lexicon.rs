//! The words attribution looks for: speech cues (one Aho-Corasick automaton), speaker nouns,
//! pronouns and the small closed classes (prepositions, determiners) that tell a subject from
//! an object. Built once per stage.

use std::ops::Range;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};
// The speaker-noun set is probed for most words near a quotation; SipHash's resistance to
// crafted keys buys nothing for a fixed word list and costs several times more.
use rustc_hash::FxHashSet;

const CUES: &str = include_str!("../../../../data/quotes/cues.txt");
const SPEAKER_NOUNS: &str = include_str!("../../../../data/quotes/speaker_nouns.txt");
const DOCUMENT_NOUNS: &str = include_str!("../../../../data/quotes/document_nouns.txt");
const OUTLETS: &str = include_str!("../../../../data/quotes/outlets.txt");

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
    /// Searched by [`Lexicon::find_cues`] with a loop of its own (see there).
    cues: DFA,
    cue_kinds: Vec<CueKind>,
    /// No cue holds a character that may open or close a quotation.
    no_marks: bool,
    /// The bytes some cue holds, in either ASCII case (the search ignores it).
    cue_bytes: [bool; 256],
    speaker_nouns: FxHashSet<String>,
    /// Nouns of texts that speak ("the report"); also speaker nouns.
    document_nouns: FxHashSet<String>,
    /// Whole outlet names ("cnn", "fox news").
    outlets: FxHashSet<String>,
    /// Head words that make a name an outlet ("times", "news").
    outlet_heads: FxHashSet<String>,
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
        let mut cue_bytes = [false; 256];
        for b in phrases.iter().flat_map(|p| p.bytes()) {
            cue_bytes[usize::from(b.to_ascii_lowercase())] = true;
            cue_bytes[usize::from(b.to_ascii_uppercase())] = true;
        }
        let no_marks = !phrases
            .iter()
            .any(|p| p.contains(super::spans::is_quote_mark));
        let cues = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            // No prefilter would apply to hundreds of cues anyway; without one, only dead
            // and match states are special, which the search loop relies on.
            .prefilter(false)
            .build(&phrases)
            .map_err(|e| format!("cannot build the cue automaton: {e}"))?;
        let mut speaker_nouns: FxHashSet<String> = list_lines(SPEAKER_NOUNS).collect();
        speaker_nouns.extend(extra_nouns.iter().flat_map(|n| list_lines(n)));
        let document_nouns: FxHashSet<String> = list_lines(DOCUMENT_NOUNS).collect();
        speaker_nouns.extend(document_nouns.iter().cloned());
        let (heads, names): (Vec<String>, Vec<String>) =
            list_lines(OUTLETS).partition(|l| l.starts_with('*'));
        Ok(Lexicon {
            cues,
            cue_kinds,
            no_marks,
            cue_bytes,
            speaker_nouns,
            document_nouns,
            outlets: names.into_iter().collect(),
            outlet_heads: heads.iter().map(|h| h[1..].to_string()).collect(),
        })
    }

    /// Every cue in `text[range]` on word boundaries, in text order, appended to `out`.
    ///
    /// The matches are those of `AhoCorasick::find_iter` (leftmost-longest, non-overlapping,
    /// within the range), but walked by the loop below: the crate's general search loop costs
    /// about three times as many instructions per byte, and this scan covers most of the
    /// text around quotations.
    pub fn find_cues(&self, text: &str, range: Range<usize>, out: &mut Vec<CueHit>) {
        let bytes = text.as_bytes();
        let dfa = &self.cues;
        let start = dfa
            .start_state(Anchored::No)
            .expect("the cue automaton supports unanchored searches");
        // Cut to the range so that indexing below needs no check of its own.
        let hay = &bytes[..range.end];
        let mut at = range.start;
        while at < range.end {
            // The leftmost-longest match from `at`: the DFA goes on past a match state while
            // a longer match is possible and dies once none is (no pattern is empty, so the
            // start state is no match). A plain index loop: an enumerating iterator kept two
            // counters, a third of the loop's cost.
            let mut found = None;
            let mut sid = start;
            let mut i = at;
            while i < hay.len() {
                sid = dfa.next_state(Anchored::No, sid, hay[i]);
                i += 1;
                if dfa.is_special(sid) {
                    if dfa.is_dead(sid) {
                        break;
                    }
                    found = Some((dfa.match_pattern(sid, 0), i));
                }
            }
            let Some((pattern, e)) = found else {
                break;
            };
            let s = e - dfa.pattern_len(pattern);
            at = e;
            if s > 0 && is_word_byte_before(text, s) {
                continue;
            }
            if e < bytes.len() && is_word_byte_after(text, e) {
                continue;
            }
            out.push(CueHit {
                bytes: s..e,
                kind: self.cue_kinds[pattern.as_usize()],
            });
        }
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

    /// Whether no cue holds byte `b`. No match runs across such a byte and no partial match
    /// survives it, so a search may be split right after it: the searches of the two sides
    /// find the matches a search of the whole finds.
    pub fn splits_cues(&self, b: u8) -> bool {
        !self.cue_bytes[usize::from(b)]
    }

    pub fn is_speaker_noun(&self, lower: &str) -> bool {
        self.speaker_nouns.contains(lower) || is_age_noun(lower)
    }

    pub fn is_document_noun(&self, lower: &str) -> bool {
        self.document_nouns.contains(lower)
    }

    /// Whether a name is a media outlet or platform: a listed name ("CNN", "the BBC"), or a
    /// capitalized name ending in an outlet word ("The Riverton Times", "Meet the Press").
    pub fn is_outlet(&self, name: &str) -> bool {
        let lower = name.trim().to_lowercase();
        let bare = lower.strip_prefix("the ").unwrap_or(&lower);
        let bare = bare.trim_end_matches("’s").trim_end_matches("'s");
        if self.outlets.contains(bare) {
            return true;
        }
        let capitalized = name.trim().chars().next().is_some_and(char::is_uppercase);
        let last = bare.rsplit(' ').next().unwrap_or("");
        capitalized && bare.contains(' ') && self.outlet_heads.contains(last)
    }
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
/// "the 46-year-old said": an age standing for the person.
fn is_age_noun(lower: &str) -> bool {
    lower
        .strip_suffix("-year-old")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

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

    /// The automaton built the way `Lexicon::new` builds its own, searched through the
    /// crate's iterator as the reference.
    fn reference_automaton(phrases: &[String]) -> aho_corasick::AhoCorasick {
        AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(phrases)
            .unwrap()
    }

    /// `find_cues` walks the DFA itself; it must find what the crate's iterator finds.
    #[test]
    fn cue_search_matches_the_crate_iterator() {
        let lex = Lexicon::new(&[], &[]).unwrap();
        let mut phrases: Vec<String> = list_lines(CUES).collect();
        phrases.sort();
        phrases.dedup();
        let reference = reference_automaton(&phrases);
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

    /// `find_cues` against the crate's iterator on generated text full of traps: cues inside
    /// words and running over later cues ("xaccording told"), case changes, digits, hyphens,
    /// non-ASCII characters next to cues, ranges that start or end inside words; also with
    /// extra cues that are short or hold punctuation and non-ASCII characters.
    #[test]
    fn cue_search_matches_the_crate_iterator_on_generated_text() {
        let pieces = [
            "said",
            "Said",
            "SAID",
            "xsaid",
            "saidx",
            "according",
            "to",
            "told",
            "Xaccording",
            "within",
            "in",
            "a",
            "post",
            "statement",
            "says",
            "add",
            "added",
            "ad",
            "ask",
            "the",
            "con",
            "confirmed",
            "rep",
            "reported",
            "“",
            "”",
            "’",
            "é",
            "Ünsaid",
            "—",
            "-",
            "well-said",
            "7",
            "said7",
            ",",
            ".",
            "(",
            ")",
            "_",
            "\n",
            "@",
            "[",
            "`",
            "{",
            "according to",
            "in a post",
            "in a statement",
            "told—",
            "étold",
            "saidé",
        ];
        let seps = [" ", " ", " ", "", "\n", ", ", "  ", "—", "“", "’"];
        let extra_sets: [&[&str]; 4] = [
            &[],
            &["ad", "x", "sai d", "to ld"],
            &["ad", "x", "ab cd", "sai d", "—said", "é said", "to ld"],
            &["told them", "a post", "d to"],
        ];
        let mut next = crate::test_rng(0x2545_f491_4f6c_dd1du64);
        for extra in extra_sets {
            let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
            let lex = Lexicon::new(&extra, &[]).unwrap();
            let mut phrases: Vec<String> = list_lines(CUES).collect();
            phrases.extend(extra.iter().flat_map(|c| list_lines(c)));
            phrases.sort();
            phrases.dedup();
            let reference = reference_automaton(&phrases);
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
