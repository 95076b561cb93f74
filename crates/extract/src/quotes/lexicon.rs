//! The words attribution looks for: speech cues (one Aho-Corasick automaton), speaker nouns,
//! pronouns and the small closed classes (prepositions, determiners) that tell a subject from
//! an object. Built once per stage.

use std::collections::HashSet;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};

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
    cues: AhoCorasick,
    cue_kinds: Vec<CueKind>,
    speaker_nouns: HashSet<String>,
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
        let cues = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&phrases)
            .map_err(|e| format!("cannot build the cue automaton: {e}"))?;
        let mut speaker_nouns: HashSet<String> = list_lines(SPEAKER_NOUNS).collect();
        speaker_nouns.extend(extra_nouns.iter().flat_map(|n| list_lines(n)));
        Ok(Lexicon {
            cues,
            cue_kinds,
            speaker_nouns,
        })
    }

    /// Every cue in `text[range]` on word boundaries, in text order, appended to `out`.
    pub fn find_cues(&self, text: &str, range: Range<usize>, out: &mut Vec<CueHit>) {
        let bytes = text.as_bytes();
        for m in self.cues.find_iter(Input::new(text).span(range)) {
            let (s, e) = (m.start(), m.end());
            if s > 0 && is_word_byte_before(text, s) {
                continue;
            }
            if e < bytes.len() && is_word_byte_after(text, e) {
                continue;
            }
            out.push(CueHit {
                bytes: s..e,
                kind: self.cue_kinds[m.pattern().as_usize()],
            });
        }
    }

    pub fn is_speaker_noun(&self, lower: &str) -> bool {
        self.speaker_nouns.contains(lower)
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
