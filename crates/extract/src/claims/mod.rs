//! Numeric claims: percentages, fractions, counts and money, with what they are about.
//!
//! A claim is a number as the text states it — "about 70% of Donetsk", "approximately
//! three-quarters of Donetsk", "five key Ukrainian regions", "$1.5bn in aid" — with its value
//! normalized (70% → 0.70, three-quarters → 0.75, five → 5, $1.5bn → 1.5e9), its unit, the
//! hedge in front of it (`about`, `more than`) and its subject (`Donetsk`, `regions`, `aid`).
//! Years, dates, times, ordinals and labels (`Article 5`, `COVID-19`) are not claims.

use std::cell::OnceCell;
use std::ops::Range;
use std::sync::Arc;

use model::{BuildContext, Claim, Document, DocumentStage, StageError, StageOptions};
use serde::{Deserialize, Serialize};

use crate::entities::{dates_of_sentence, DateScan, Found};
use crate::records::spans;
use crate::text::{ensure_sentences, tokenize, Token, TokenKind, TokenLog};

/// Options of the claims stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClaimsOptions {
    /// Report percentages (`70%`, `70 percent`, `5 percentage points`).
    pub percentages: bool,
    /// Report fractions in words (`three-quarters`, `a third of`, `half of`, `one in five`).
    pub fractions: bool,
    /// Report counts (`five key regions`, `32 members`).
    pub counts: bool,
    /// Report amounts of money (`$1.5 billion`, `€20m`, `300 million euros`).
    pub money: bool,
}

impl Default for ClaimsOptions {
    fn default() -> Self {
        ClaimsOptions {
            percentages: true,
            fractions: true,
            counts: true,
            money: true,
        }
    }
}

impl StageOptions for ClaimsOptions {
    fn docs() -> &'static [(&'static str, &'static str)] {
        &[
            (
                "percentages",
                "report percentages (70%, 70 percent, 5 percentage points)",
            ),
            (
                "fractions",
                "report fractions in words (three-quarters, a third of, half of, one in five)",
            ),
            ("counts", "report counts (five key regions, 32 members)"),
            (
                "money",
                "report amounts of money ($1.5 billion, €20m, 300 million euros)",
            ),
        ]
    }
}

/// The numeric-claims stage. Stage name `claims`; needs `Text`; provides `Claims`.
pub struct Claims {
    options: ClaimsOptions,
}

impl Claims {
    pub const NAME: &'static str = "claims";
    pub const DESCRIPTION: &'static str =
        "numeric claims: percentages, fractions, counts and money, normalized, with qualifier and subject";

    pub fn new(options: ClaimsOptions, _ctx: &BuildContext) -> Result<Self, StageError> {
        Ok(Claims { options })
    }
}

impl DocumentStage for Claims {
    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        ensure_sentences(doc);
        let shared = Shared {
            tokens: doc.derived.get::<Arc<Found>>().map(|f| &f.tokens),
            dates: doc.derived.get::<Arc<DateScan>>().map(|s| &**s),
        };
        let found = find_claims_in(doc.text(), &doc.sentences, &self.options, shared);
        let ranges: Vec<Range<usize>> = found.iter().map(|c| c.bytes.clone()).collect();
        let spans = spans(doc, &ranges);
        doc.claims = found
            .into_iter()
            .zip(spans)
            .enumerate()
            .map(|(i, (c, span))| Claim {
                id: crate::records::numbered('c', i + 1),
                text: doc.text()[c.bytes].to_string(),
                value: c.value,
                unit: c.unit,
                subject: c.subject,
                qualifier: c.qualifier,
                span,
            })
            .collect();
        Ok(())
    }
}

/// A claim found in the text, before it gets an id and a span.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundClaim {
    pub bytes: Range<usize>,
    pub value: f64,
    pub unit: String,
    pub subject: Option<String>,
    pub qualifier: Option<String>,
}

/// Claims in the sentences of `text`.
pub fn find_claims(
    text: &str,
    sentences: &[Range<usize>],
    options: &ClaimsOptions,
) -> Vec<FoundClaim> {
    find_claims_in(text, sentences, options, Shared::default())
}

/// What earlier stages found on the same text and claims may reuse; each is checked against
/// the text and the sentence before use, and what is missing is computed here.
#[derive(Default, Clone, Copy)]
struct Shared<'a> {
    /// The person finder's tokens of the sentences.
    tokens: Option<&'a TokenLog>,
    /// The entities stage's date scan.
    dates: Option<&'a DateScan>,
}

/// [`find_claims`], reading a sentence's tokens and dates from `shared` when they are there.
fn find_claims_in(
    text: &str,
    sentences: &[Range<usize>],
    options: &ClaimsOptions,
    shared: Shared<'_>,
) -> Vec<FoundClaim> {
    let mut out = Vec::new();
    let mut own = Vec::new();
    for s in sentences {
        let tokens: &[Token] = match shared.tokens.and_then(|log| log.get(text, s)) {
            // The tokens at hand: the token test alone. A number token starts with an ASCII
            // digit, a currency sign is one of those `may_hold_claim` looks for, and a word
            // passes only when it is a whole run of ASCII letters spelling a number word: a
            // sentence with such a token passes the byte prefilter too.
            Some(tokens) => {
                if !tokens.iter().any(|t| may_start_quantity(text, t)) {
                    continue;
                }
                debug_assert!(may_hold_claim(text, s.clone()));
                tokens
            }
            None => {
                // Most sentences hold no number at all: rule them out before tokenizing.
                if !may_hold_claim(text, s.clone()) {
                    continue;
                }
                own.clear();
                tokenize(text, s.clone(), &mut own);
                if !own.iter().any(|t| may_start_quantity(text, t)) {
                    continue;
                }
                &own
            }
        };
        Scanner {
            text,
            sentence: s.clone(),
            toks: tokens,
            dates: OnceCell::new(),
            shared_dates: shared.dates,
            options,
        }
        .scan(&mut out);
    }
    out
}

/// Whether a token could start a quantity: a number, a currency sign or a number word.
/// Asked of every token of every sentence when the tokens are shared, so a word is looked up
/// by its key read in one load, as [`may_hold_claim`] does with letter runs.
#[inline(always)]
fn may_start_quantity(text: &str, t: &Token) -> bool {
    match t.kind {
        TokenKind::Number => true,
        TokenKind::Punct => {
            const SIGNS: [&str; 5] = ["€", "£", "¥", "₴", "₽"];
            let b = &text.as_bytes()[t.range()];
            // Most punctuation is one ASCII byte; the other signs start with 0xC2 or 0xE2.
            match b {
                [b'$'] => true,
                [0xc2 | 0xe2, ..] => SIGNS.iter().any(|s| s.as_bytes() == b),
                _ => false,
            }
        }
        TokenKind::Word => {
            let bytes = text.as_bytes();
            let found = match t.end - t.start {
                len @ 3..=8 => {
                    let key = run_key(bytes, t.start, len);
                    NUMBER_WORDS[word_slot(key)] == key
                }
                9 => bytes[t.range()].eq_ignore_ascii_case(b"seventeen"),
                _ => false,
            };
            debug_assert_eq!(found, maybe_number_word(&text[t.range()]));
            found
        }
        TokenKind::Possessive => false,
    }
}

/// Whether a quantity may start at the token: [`may_start_quantity`], or the article of "a
/// third of". [`Scanner::quantity`] finds none at any other token.
#[inline(always)]
fn may_open_quantity(text: &str, t: &Token) -> bool {
    may_start_quantity(text, t)
        || t.kind == TokenKind::Word
            && matches!(
                &text.as_bytes()[t.range()],
                [b'a' | b'A'] | [b'a' | b'A', b'n' | b'N']
            )
}

struct Scanner<'a> {
    text: &'a str,
    sentence: Range<usize>,
    toks: &'a [Token],
    /// Dates of the sentence, looked for only once a number might be one.
    dates: OnceCell<Vec<Range<usize>>>,
    shared_dates: Option<&'a DateScan>,
    options: &'a ClaimsOptions,
}

/// Whether `text[range]` may hold a claim: an ASCII digit, a currency sign, or a run of
/// ASCII letters that is a number word. Every sentence [`find_claims`] would look at passes (a
/// number token starts with a digit; a number word is ASCII letters only, so a whole run), and
/// most sentences fail it after one cheap pass over their bytes.
fn may_hold_claim(text: &str, range: Range<usize>) -> bool {
    let bytes = &text.as_bytes()[range];
    let mut i = 0;
    while i < bytes.len() {
        match BYTE_CLASS[usize::from(bytes[i])] {
            LETTER => {
                // Most runs are no number word: find the run's end eight bytes at a time and
                // read its key in one load, instead of a byte loop doing both.
                let start = i;
                i = letter_run_end(bytes, i + 1);
                let found = match i - start {
                    len @ 3..=8 => {
                        let key = run_key(bytes, start, len);
                        NUMBER_WORDS[word_slot(key)] == key
                    }
                    9 => bytes[start..i].eq_ignore_ascii_case(b"seventeen"),
                    _ => false,
                };
                debug_assert_eq!(found, is_number_word(&bytes[start..i]));
                if found {
                    return true;
                }
                // A space ends most runs: step over it without another dispatch.
                if bytes.get(i) == Some(&b' ') {
                    i += 1;
                }
            }
            DIGIT => return true,
            LEAD => {
                const SIGNS: [&str; 5] = ["€", "£", "¥", "₴", "₽"];
                if SIGNS.iter().any(|c| bytes[i..].starts_with(c.as_bytes())) {
                    return true;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    false
}

const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The first index from `i` on that holds no ASCII letter (or `bytes.len()`).
fn letter_run_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = bytes.get(i..i + 8) {
        let non = non_letter_lanes(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        if non != 0 {
            // Little-endian: the lowest set lane is the first non-letter byte.
            return i + (non.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && BYTE_CLASS[usize::from(bytes[i])] == LETTER {
        i += 1;
    }
    i
}

/// Bit 7 of each byte lane of `w` set where that byte is not an ASCII letter. `| 0x20` folds
/// capitals onto `a..=z` and no other byte below 0x80 onto that range; the two sums test
/// `>= b'a'` and `> b'z'` on seven-bit lanes, which cannot carry into the next lane.
fn non_letter_lanes(w: u64) -> u64 {
    let y = (w | 0x2020_2020_2020_2020) & !HIGHS;
    let at_least_a = y.wrapping_add(0x1f1f_1f1f_1f1f_1f1f);
    let past_z = y.wrapping_add(0x0505_0505_0505_0505);
    !(at_least_a & !past_z & !w) & HIGHS
}

/// [`word_key`] of the `len` (at most eight) bytes from `start`, read with one load when eight
/// bytes are there: big-endian, the first byte lands in the highest lane as `word_key` puts it.
fn run_key(bytes: &[u8], start: usize, len: usize) -> u64 {
    match bytes.get(start..start + 8) {
        Some(chunk) => {
            let shift = 64 - 8 * len as u32;
            let w = u64::from_be_bytes(chunk.try_into().expect("eight bytes"));
            (w | 0x2020_2020_2020_2020) >> shift
        }
        None => word_key(&bytes[start..start + len]),
    }
}

const OTHER: u8 = 0;
const LETTER: u8 = 1;
/// An ASCII digit or `$`.
const DIGIT: u8 = 2;
/// The lead byte of a currency sign (`£`, `¥`: 0xC2; `€`, `₴`, `₽`: 0xE2).
const LEAD: u8 = 3;

const BYTE_CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphabetic() {
            LETTER
        } else if c.is_ascii_digit() || c == b'$' {
            DIGIT
        } else if c == 0xC2 || c == 0xE2 {
            LEAD
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

/// Every word of three to eight letters that [`small_number`], [`denominator`] or
/// [`scale_word`] knows, as a [`word_key`] in the slot [`word_slot`] gives it (empty slots are
/// zero, which no word's key is). The one longer word, "seventeen", is tested apart.
const NUMBER_WORDS: [u64; 128] = {
    const WORDS: [&str; 55] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "eighteen", "nineteen",
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "dozen",
        "half", "halves", "third", "thirds", "quarter", "quarters", "fourth", "fourths", "fifth",
        "fifths", "sixth", "sixths", "seventh", "sevenths", "eighth", "eighths", "ninth", "ninths",
        "tenth", "tenths", "hundred", "thousand", "million", "billion", "trillion", "mln", "trn",
    ];
    let mut table = [0u64; 128];
    let mut i = 0;
    while i < WORDS.len() {
        let k = word_key(WORDS[i].as_bytes());
        let slot = word_slot(k);
        assert!(
            table[slot] == 0,
            "two number words share a slot: pick another multiplier"
        );
        table[slot] = k;
        i += 1;
    }
    table
};

/// A slot of [`NUMBER_WORDS`] (multiplicative hashing; the multiplier was picked so that no
/// two of its words collide, which the table's construction checks at compile time).
const fn word_slot(key: u64) -> usize {
    (key.wrapping_mul(0x1294_32b1_6029_8a43) >> 57) as usize
}

/// A word of up to eight bytes packed into a number, ASCII letters folded to lowercase. A
/// word has the key of a number word only if it is that word but for the case of ASCII
/// letters: number words are lowercase letters, `| 0x20` makes one only out of a letter, and
/// no key starts with a zero byte.
const fn word_key(w: &[u8]) -> u64 {
    let mut k = 0u64;
    let mut i = 0;
    while i < w.len() {
        k = k << 8 | (w[i] | 0x20) as u64;
        i += 1;
    }
    k
}

/// Whether `word` is, ignoring ASCII case, one of the number, fraction or scale words of three
/// letters or more.
fn is_number_word(word: &[u8]) -> bool {
    match word.len() {
        3..=8 => {
            let key = word_key(word);
            NUMBER_WORDS[word_slot(key)] == key
        }
        9 => word.eq_ignore_ascii_case(b"seventeen"),
        _ => false,
    }
}

/// Whether a word could be a number or fraction word (cheap first-letter and length test
/// before lowercasing).
fn maybe_number_word(word: &str) -> bool {
    let b = word.as_bytes();
    if b.len() < 3 || b.len() > 9 {
        return false;
    }
    if !matches!(
        b[0].to_ascii_lowercase(),
        b'o' | b't' | b'f' | b's' | b'e' | b'n' | b'h' | b'q' | b'd' | b'z' | b'm' | b'b'
    ) {
        return false;
    }
    let fast = is_number_word(b);
    debug_assert_eq!(fast, {
        let w = Lower::of(word);
        let w = w.as_str();
        small_number(w).is_some() || denominator(w).is_some() || scale_word(w).is_some()
    });
    fast
}

/// Lowercase form of a short ASCII word (empty for any other word), without allocating: the
/// word itself when it has no capital (most words), else a copy in a stack buffer.
enum Lower<'a> {
    Same(&'a str),
    Copy { buf: [u8; 24], len: usize },
}

impl<'a> Lower<'a> {
    fn of(word: &'a str) -> Lower<'a> {
        if word.len() > 24 || !word.is_ascii() {
            return Lower::Same("");
        }
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return Lower::Same(word);
        }
        let mut buf = [0; 24];
        for (i, b) in word.bytes().enumerate() {
            buf[i] = b.to_ascii_lowercase();
        }
        Lower::Copy {
            buf,
            len: word.len(),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Lower::Same(w) => w,
            Lower::Copy { buf, len } => std::str::from_utf8(&buf[..*len]).unwrap_or(""),
        }
    }
}

fn small_number(w: &str) -> Option<f64> {
    Some(match w {
        "zero" => 0.0,
        "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "dozen" => 12.0,
        _ => return None,
    })
}

fn scale_word(w: &str) -> Option<f64> {
    Some(match w {
        "hundred" => 1e2,
        "thousand" | "k" => 1e3,
        "million" | "m" | "mn" | "mln" => 1e6,
        "billion" | "bn" | "b" => 1e9,
        "trillion" | "tn" | "trn" => 1e12,
        _ => return None,
    })
}

/// Denominator of a fraction word: third → 3, quarters → 4, half → 2.
fn denominator(w: &str) -> Option<f64> {
    Some(match w {
        "half" | "halves" => 2.0,
        "third" | "thirds" => 3.0,
        "quarter" | "quarters" | "fourth" | "fourths" => 4.0,
        "fifth" | "fifths" => 5.0,
        "sixth" | "sixths" => 6.0,
        "seventh" | "sevenths" => 7.0,
        "eighth" | "eighths" => 8.0,
        "ninth" | "ninths" => 9.0,
        "tenth" | "tenths" => 10.0,
        _ => return None,
    })
}

fn currency_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "dollar" | "dollars" => "USD",
        "euro" | "euros" => "EUR",
        "pound" | "pounds" | "sterling" => "GBP",
        "ruble" | "rubles" | "rouble" | "roubles" => "RUB",
        "hryvnia" | "hryvnias" | "hryvnias'" => "UAH",
        "yuan" | "renminbi" => "CNY",
        "yen" => "JPY",
        "rupee" | "rupees" => "INR",
        "franc" | "francs" => "CHF",
        _ => return None,
    })
}

const QUALIFIERS: &[&str] = &[
    "more than",
    "less than",
    "fewer than",
    "at least",
    "at most",
    "up to",
    "just over",
    "just under",
    "close to",
    "as many as",
    "as much as",
    "as few as",
    "upwards of",
    "well over",
    "an estimated",
    "roughly",
    "about",
    "approximately",
    "around",
    "nearly",
    "almost",
    "some",
    "over",
    "under",
    "estimated",
    "only",
    "just",
    "exactly",
    "precisely",
    "barely",
    "below",
    "above",
    "beyond",
    "maybe",
    "perhaps",
];

fn is_period(w: &str) -> bool {
    matches!(
        w,
        "quarter"
            | "year"
            | "month"
            | "week"
            | "day"
            | "period"
            | "decade"
            | "half"
            | "season"
            | "years"
            | "months"
            | "weeks"
            | "days"
    )
}

/// Plurals that do not end in -s.
fn irregular_plural(w: &str) -> bool {
    matches!(
        w,
        "people"
            | "children"
            | "men"
            | "women"
            | "police"
            | "staff"
            | "personnel"
            | "cattle"
            | "sheep"
            | "fish"
            | "livestock"
            | "civilians"
            | "feet"
            | "teeth"
            | "mice"
            | "geese"
            | "data"
            | "media"
            | "criteria"
            | "aircraft"
            | "offspring"
            | "clergy"
    )
}

/// Common verbs and adverbs that end a subject noun phrase ("two-thirds of voters now say").
fn verbish(w: &str) -> bool {
    matches!(
        w,
        "now"
            | "also"
            | "still"
            | "already"
            | "just"
            | "only"
            | "even"
            | "say"
            | "said"
            | "go"
            | "goes"
            | "went"
            | "live"
            | "lives"
            | "work"
            | "works"
            | "remain"
            | "remains"
            | "support"
            | "supports"
            | "oppose"
            | "opposes"
            | "believe"
            | "believes"
            | "think"
            | "thinks"
            | "want"
            | "wants"
            | "need"
            | "needs"
            | "blame"
            | "blames"
            | "die"
            | "died"
            | "fled"
            | "left"
            | "lost"
            | "won"
            | "hold"
            | "holds"
            | "held"
            | "control"
            | "controls"
            | "under"
            | "over"
            | "about"
            | "between"
            | "among"
            | "them"
            | "us"
            | "you"
            | "it"
            | "familiar"
            | "according"
            | "across"
            | "including"
            | "like"
            | "such"
            | "there"
            | "here"
            | "so"
            | "then"
            | "who"
            | "what"
            | "where"
            | "not"
            | "no"
            | "do"
            | "does"
            | "did"
    )
}

/// Words that end a subject noun phrase.
fn stops_phrase(w: &str) -> bool {
    matches!(
        w,
        "of" | "in"
            | "on"
            | "at"
            | "for"
            | "to"
            | "by"
            | "with"
            | "as"
            | "and"
            | "or"
            | "but"
            | "that"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "has"
            | "have"
            | "had"
            | "will"
            | "would"
            | "could"
            | "should"
            | "can"
            | "may"
            | "might"
            | "must"
            | "from"
            | "than"
            | "into"
            | "across"
            | "during"
            | "since"
            | "after"
            | "before"
            | "while"
            | "when"
            | "where"
            | "if"
            | "the"
            | "a"
            | "an"
            | "it"
            | "they"
            | "he"
            | "she"
            | "we"
            | "its"
            | "their"
            | "his"
            | "her"
            | "this"
            | "these"
            | "those"
            | "said"
            | "says"
            | "ago"
            | "more"
            | "less"
            | "per"
            | "each"
            | "a.m"
            | "p.m"
    )
}

/// Capitalized words right before a number that make it a label, not a quantity.
fn is_label(w: &str) -> bool {
    matches!(
        w,
        "Article"
            | "No"
            | "Nos"
            | "Vol"
            | "Volume"
            | "Section"
            | "Chapter"
            | "Resolution"
            | "Flight"
            | "Route"
            | "Highway"
            | "Phase"
            | "Level"
            | "Category"
            | "Stage"
            | "Title"
            | "Amendment"
            | "Part"
            | "Room"
            | "Building"
            | "Gate"
            | "Terminal"
            | "Channel"
            | "Page"
            | "Episode"
            | "Season"
            | "Act"
            | "Rule"
            | "Paragraph"
            | "Clause"
            | "Item"
            | "Number"
            | "Block"
            | "Unit"
            | "Grade"
            | "Class"
            | "Type"
            | "Model"
            | "Version"
            | "Figure"
            | "Table"
            | "Apollo"
            | "Windows"
            | "Air"
            | "Force"
            | "Su"
            | "MiG"
            | "F"
    )
}

/// Drops binary floating-point noise (0.07 not 0.07000000000000001).
fn tidy(v: f64) -> f64 {
    if v != 0.0 && v.abs() < 1e6 {
        let scale = 10f64.powi(12 - v.abs().log10().ceil() as i32);
        (v * scale).round() / scale
    } else {
        v
    }
}

struct Quantity {
    /// Token range of the number itself (with currency sign and scale).
    first: usize,
    last: usize,
    value: f64,
    unit: String,
    /// Whether a following "of X" names the subject (fractions, percentages).
    of_subject: bool,
}

impl Scanner<'_> {
    fn word(&self, i: usize) -> &str {
        &self.text[self.toks[i].range()]
    }

    fn lower(&self, i: usize) -> Lower<'_> {
        Lower::of(self.word(i))
    }

    fn is(&self, i: usize, w: &str) -> bool {
        i < self.toks.len() && self.word(i).eq_ignore_ascii_case(w)
    }

    fn in_date(&self, i: usize) -> bool {
        let t = &self.toks[i];
        self.dates
            .get_or_init(|| dates_of_sentence(self.text, &self.sentence, self.shared_dates))
            .iter()
            .any(|d| d.start <= t.start && t.end <= d.end)
    }

    fn scan(&self, out: &mut Vec<FoundClaim>) {
        let n = self.toks.len();
        let mut i = 0;
        while i < n {
            // Most tokens start no quantity: `quantity` would lowercase and look up each.
            if !may_open_quantity(self.text, &self.toks[i]) {
                debug_assert!(self.quantity_here(i).is_none());
                i += 1;
                continue;
            }
            match self.quantity(i) {
                Some(q) => {
                    let next = q.last + 1;
                    if let Some(c) = self.claim(q) {
                        out.push(c);
                    }
                    i = next;
                }
                None => i += 1,
            }
        }
    }

    /// A quantity starting at token `i`, if any. Whether it lies in a date is asked last:
    /// finding the sentence's dates costs more than all the rest.
    fn quantity(&self, i: usize) -> Option<Quantity> {
        let q = self.quantity_here(i)?;
        (!self.in_date(i)).then_some(q)
    }

    /// [`Scanner::quantity`] before the date test.
    fn quantity_here(&self, i: usize) -> Option<Quantity> {
        let t = self.toks[i];
        let n = self.toks.len();
        match t.kind {
            TokenKind::Number => self.number(i),
            TokenKind::Punct => {
                // Currency sign before a number: $1.5 billion, €20m, US$5.
                let cur = match self.word(i) {
                    "$" => "USD",
                    "€" => "EUR",
                    "£" => "GBP",
                    "¥" => "JPY",
                    "₴" => "UAH",
                    "₽" => "RUB",
                    _ => return None,
                };
                if i + 1 < n
                    && self.toks[i + 1].kind == TokenKind::Number
                    && !self.toks[i + 1].space_before
                {
                    let mut q = self.numeric(i + 1)?;
                    if q.unit != "count" {
                        return None;
                    }
                    q.first = i;
                    let prefix = (i > 0 && !t.space_before).then(|| self.word(i - 1));
                    q.unit = match (prefix, cur) {
                        (Some("US"), "USD") => "USD",
                        (Some("C"), "USD") => "CAD",
                        (Some("A"), "USD") => "AUD",
                        (Some("HK"), "USD") => "HKD",
                        _ => cur,
                    }
                    .to_string();
                    if prefix.is_some_and(|p| matches!(p, "US" | "C" | "A" | "HK")) {
                        q.first = i - 1;
                    }
                    return self.options.money.then_some(q);
                }
                None
            }
            TokenKind::Word => self.worded(i),
            TokenKind::Possessive => None,
        }
    }

    /// A quantity from the number at token `i`, unless it lies in a date.
    fn numeric(&self, i: usize) -> Option<Quantity> {
        let q = self.number(i)?;
        (!self.in_date(i)).then_some(q)
    }

    /// [`Scanner::numeric`] before the date test.
    fn number(&self, i: usize) -> Option<Quantity> {
        let n = self.toks.len();
        let raw = self.word(i);
        // Labels and codes: "Article 5", "COVID-19", "F-16", times "10:30".
        if i > 0 {
            let prev = self.word(i - 1);
            if is_label(prev) || ((prev == "-" || prev == "/") && !self.toks[i].space_before) {
                return None;
            }
        }
        if i + 1 < n && !self.toks[i + 1].space_before && matches!(self.word(i + 1), ":" | "/") {
            return None;
        }
        let digits_end = raw
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(raw.len());
        let (num, suffix) = raw.split_at(digits_end);
        let suffix_lower = Lower::of(suffix);
        let suffix_lower = suffix_lower.as_str();
        if matches!(suffix_lower, "st" | "nd" | "rd" | "th" | "s") {
            return None; // ordinals and decades
        }
        let mut value: f64 = num.replace(',', "").parse().ok()?;
        let mut last = i;
        let mut unit = "count".to_string();
        if !suffix.is_empty() {
            value *= scale_word(suffix_lower)?;
        } else if i + 1 < n {
            let next = self.lower(i + 1);
            if let Some(s) = scale_word(next.as_str())
                .filter(|_| self.toks[i + 1].space_before || next.as_str().len() <= 3)
            {
                if !matches!(next.as_str(), "b" | "k") || !self.toks[i + 1].space_before {
                    value *= s;
                    last = i + 1;
                }
            }
        }
        // A bare year is a date, not a count.
        let bare = suffix.is_empty() && last == i && !num.contains([',', '.']);
        if bare && (1800.0..=2100.0).contains(&value) && num.len() == 4 {
            let unit_follows = i + 1 < n && self.is(i + 1, "%");
            if !unit_follows {
                return None;
            }
        }
        let after = last + 1;
        if after < n {
            let w = self.lower(after);
            let w = w.as_str();
            if self.word(after) == "%" || w == "percent" || w == "pct" {
                unit = "percent".into();
                value /= 100.0;
                last = after;
            } else if w == "per" && self.is(after + 1, "cent") {
                unit = "percent".into();
                value /= 100.0;
                last = after + 1;
            } else if w == "percentage" && self.is(after + 1, "points") {
                unit = "percentage points".into();
                value /= 100.0;
                last = after + 1;
            } else if let Some(c) = currency_word(w) {
                unit = c.into();
                last = after;
            } else if w == "a" || (w == ":" && !self.toks[after].space_before) {
                // "a.m." / times are not claims.
                if self.is(after + 1, ".") || self.word(after) == ":" {
                    return None;
                }
            } else if matches!(w, "am" | "pm" | "a.m." | "p.m.") {
                return None;
            }
        }
        // "nine out of 10", "one in five"
        if unit == "count" && last == i {
            if let Some(q) = self.ratio(i, value) {
                return Some(q);
            }
        }
        let enabled = match unit.as_str() {
            "percent" | "percentage points" => self.options.percentages,
            "count" => self.options.counts,
            _ => self.options.money,
        };
        if !enabled {
            return None;
        }
        Some(Quantity {
            first: i,
            last,
            value,
            unit: unit.clone(),
            of_subject: unit.starts_with("percent"),
        })
    }

    /// "one in five", "nine out of 10": a fraction.
    fn ratio(&self, i: usize, num: f64) -> Option<Quantity> {
        let mut k = i + 1;
        if self.is(k, "in") {
            k += 1;
        } else if self.is(k, "out") && self.is(k + 1, "of") {
            k += 2;
        } else {
            return None;
        }
        if k >= self.toks.len() {
            return None;
        }
        let den = match self.toks[k].kind {
            TokenKind::Number => self.word(k).replace(',', "").parse::<f64>().ok()?,
            TokenKind::Word => small_number(self.lower(k).as_str())?,
            _ => return None,
        };
        if den <= num || den == 0.0 || !self.options.fractions {
            return None;
        }
        Some(Quantity {
            first: i,
            last: k,
            value: num / den,
            unit: "fraction".into(),
            of_subject: false,
        })
    }

    fn worded(&self, i: usize) -> Option<Quantity> {
        let n = self.toks.len();
        // "mum-of-three", "Catch-22": part of a compound word, not a quantity.
        if i > 0 && self.word(i - 1) == "-" && !self.toks[i].space_before {
            return None;
        }
        // Every quantity in words starts with a number word, "a", "an" or "half": most words
        // are none of these, and telling so is cheaper than lowercasing them.
        let word = self.word(i);
        if word.len() > 2 && !is_number_word(word.as_bytes()) {
            return None;
        }
        let w = self.lower(i);
        let w = w.as_str();
        if small_number(w).is_none() && !matches!(w, "a" | "an" | "half") {
            return None;
        }
        // Fractions: three-quarters, two-thirds, a third of, half of, one-fifth.
        if let Some(num) = small_number(w).filter(|v| *v >= 1.0 && *v <= 10.0) {
            if i + 2 < n
                && self.word(i + 1) == "-"
                && !self.toks[i + 1].space_before
                && !self.toks[i + 2].space_before
            {
                if let Some(den) = denominator(self.lower(i + 2).as_str()) {
                    return self.options.fractions.then_some(Quantity {
                        first: i,
                        last: i + 2,
                        value: num / den,
                        unit: "fraction".into(),
                        of_subject: true,
                    });
                }
            }
            if num == 1.0 && i + 1 < n {
                if let Some(den) = denominator(self.lower(i + 1).as_str()) {
                    if self.is(i + 2, "of") && den > 1.0 {
                        return self.options.fractions.then_some(Quantity {
                            first: i,
                            last: i + 1,
                            value: 1.0 / den,
                            unit: "fraction".into(),
                            of_subject: true,
                        });
                    }
                }
            }
        }
        if matches!(w, "a" | "one") && i + 2 < n && self.is(i + 2, "of") {
            if let Some(den) = denominator(self.lower(i + 1).as_str()) {
                if den > 2.0 || self.is(i + 1, "half") {
                    return self.options.fractions.then_some(Quantity {
                        first: i,
                        last: i + 1,
                        value: 1.0 / den,
                        unit: "fraction".into(),
                        of_subject: true,
                    });
                }
            }
        }
        if w == "half"
            && (self.is(i + 1, "of") || self.is(i + 1, "the"))
            && !(i > 0 && self.is(i - 1, "a"))
        {
            return self.options.fractions.then_some(Quantity {
                first: i,
                last: i,
                value: 0.5,
                unit: "fraction".into(),
                of_subject: true,
            });
        }
        // Counts in words: five, twenty-five, two hundred, three million, a dozen.
        let (mut value, mut last) = match small_number(w) {
            Some(v) => (v, i),
            None if matches!(w, "a" | "an") && i + 1 < n => {
                let nx = self.lower(i + 1);
                match nx.as_str() {
                    "dozen" => (12.0, i + 1),
                    "hundred" | "thousand" | "million" | "billion" | "trillion" => {
                        (scale_word(nx.as_str())?, i + 1)
                    }
                    _ => return None,
                }
            }
            None => return None,
        };
        if w == "one" && last == i {
            // "one" is mostly a pronoun or "one of"; only "one in five" counts.
            return self.ratio(i, 1.0);
        }
        // twenty-five
        if (20.0..=90.0).contains(&value) && i + 2 < n && self.word(i + 1) == "-" {
            if let Some(u) = small_number(self.lower(i + 2).as_str()).filter(|u| *u < 10.0) {
                value += u;
                last = i + 2;
            }
        }
        loop {
            if last + 1 >= n {
                break;
            }
            let nx = self.lower(last + 1);
            match scale_word(nx.as_str()).filter(|_| nx.as_str().len() > 3) {
                Some(s) => {
                    value *= s;
                    last += 1;
                }
                None => break,
            }
        }
        if let Some(q) = (last == i).then(|| self.ratio(i, value)).flatten() {
            return Some(q);
        }
        let mut unit = "count".to_string();
        if last + 1 < n {
            let nx = self.lower(last + 1);
            if nx.as_str() == "percent" {
                unit = "percent".into();
                value /= 100.0;
                last += 1;
            } else if let Some(c) = currency_word(nx.as_str()) {
                unit = c.into();
                last += 1;
            }
        }
        // Hyphenated compounds ("five-year plan") still count; "two-thirds" handled above.
        let enabled = match unit.as_str() {
            "percent" => self.options.percentages,
            "count" => self.options.counts,
            _ => self.options.money,
        };
        enabled.then_some(Quantity {
            first: i,
            last,
            value,
            of_subject: unit == "percent",
            unit,
        })
    }

    fn claim(&self, q: Quantity) -> Option<FoundClaim> {
        // The hedge in front: one or more words ending right before the number.
        let mut start = q.first;
        let mut qualifier = None;
        // A hedge's last word is the token right before the number: most hedges end otherwise,
        // and telling so by their last bytes is cheaper than splitting them into words.
        let before = q.first.checked_sub(1).map(|p| self.word(p).as_bytes());
        let ends_before = |qual: &str| {
            let (qual, w) = (qual.as_bytes(), before.unwrap_or_default());
            let Some(cut) = qual.len().checked_sub(w.len()) else {
                return false;
            };
            !w.is_empty()
                && !w.contains(&b' ')
                && qual[cut..].eq_ignore_ascii_case(w)
                && (cut == 0 || qual[cut - 1] == b' ')
        };
        for qual in QUALIFIERS.iter().filter(|qual| ends_before(qual)) {
            let len = qual.split(' ').count();
            if q.first < len {
                continue;
            }
            let from = q.first - len;
            if qual
                .split(' ')
                .enumerate()
                .all(|(k, w)| self.is(from + k, w))
            {
                // "picked up to 0.7%", "went over 50": a verb's particle, not a hedge.
                let verb_before = from > 0 && {
                    let v = self.lower(from - 1);
                    let v = v.as_str();
                    v.ends_with("ed")
                        || matches!(
                            v,
                            "went"
                                | "go"
                                | "goes"
                                | "rose"
                                | "risen"
                                | "grew"
                                | "ran"
                                | "shot"
                                | "come"
                                | "came"
                        )
                };
                if verb_before && qual.split(' ').next() == Some("up") {
                    break;
                }
                qualifier = Some(qual.to_string());
                start = from;
                break;
            }
        }
        let mut end = q.last;
        let mut subject = None;
        let mut k = q.last + 1;
        // "of (the) X": the subject of a share.
        if q.of_subject || q.unit == "fraction" || q.unit == "count" {
            if self.is(k, "of") {
                let mut s = k + 1;
                if self.is(s, "the") || self.is(s, "its") || self.is(s, "their") {
                    s += 1;
                }
                if let Some((e, subj)) = self.noun_phrase(s, q.unit == "count") {
                    end = e;
                    subject = Some(subj);
                }
            } else if q.unit == "count" {
                if let Some((e, subj)) = self.noun_phrase(k, true) {
                    end = e;
                    subject = Some(subj);
                }
            } else if q.unit != "fraction" {
                if let Some((e, subj)) = self.noun_phrase(k, false) {
                    if !is_period(&subj) {
                        end = e;
                        subject = Some(subj);
                    }
                }
            }
        } else {
            // Money: "$1.5 billion in aid", "€20m for reconstruction".
            if self.is(k, "in") || self.is(k, "for") || self.is(k, "of") || self.is(k, "worth") {
                k += 1;
                if self.is(k, "of") {
                    k += 1;
                }
                if self.is(k, "the") {
                    k += 1;
                }
                if let Some((e, subj)) = self.noun_phrase(k, false) {
                    if !is_period(&subj) {
                        end = e;
                        subject = Some(subj);
                    }
                }
            }
        }
        // A bare small count without a noun ("the two met") says too little to report.
        if q.unit == "count" && subject.is_none() {
            return None;
        }
        Some(FoundClaim {
            bytes: self.toks[start].start..self.toks[end].end,
            value: tidy(q.value),
            unit: q.unit,
            subject,
            qualifier,
        })
    }

    /// A short noun phrase from token `k`: a capitalized name ("Donetsk", "NATO members") or
    /// up to four lowercase words. Returns its last token and its subject: the name, or the
    /// head noun (the first plural word for counts, else the last word).
    fn noun_phrase(&self, k: usize, count: bool) -> Option<(usize, String)> {
        let n = self.toks.len();
        if k >= n || self.toks[k].kind != TokenKind::Word {
            return None;
        }
        let first_word = self.lower(k);
        if stops_phrase(first_word.as_str())
            || verbish(first_word.as_str())
            || small_number(first_word.as_str()).is_some()
        {
            return None;
        }
        let cap = self.word(k).chars().next().is_some_and(char::is_uppercase);
        let mut e = k;
        let mut words = 1;
        while e + 1 < n && words < 4 {
            let t = self.toks[e + 1];
            if t.kind == TokenKind::Possessive && !cap {
                // "the world's coral reefs": the phrase goes on after the possessive.
                if e + 2 < n && self.toks[e + 2].kind == TokenKind::Word {
                    e += 2;
                    words += 1;
                    continue;
                }
                break;
            }
            if t.kind != TokenKind::Word {
                // "resource-rich": a hyphen inside a word run continues it.
                if self.word(e + 1) == "-"
                    && !t.space_before
                    && e + 2 < n
                    && self.toks[e + 2].kind == TokenKind::Word
                    && !self.toks[e + 2].space_before
                {
                    e += 2;
                    continue;
                }
                break;
            }
            let w = self.lower(e + 1);
            let w = w.as_str();
            if stops_phrase(w) || verbish(w) || (w.len() > 4 && w.ends_with("ed")) {
                break;
            }
            let next_cap = self
                .word(e + 1)
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
            if cap && !count && !next_cap {
                break;
            }
            e += 1;
            words += 1;
        }
        if cap && !count {
            return Some((
                e,
                self.text[self.toks[k].start..self.toks[e].end].to_string(),
            ));
        }
        // The head: for counts the first plural noun, else the last word.
        let mut head = e;
        if count {
            for x in k..=e {
                if self.toks[x].kind != TokenKind::Word {
                    continue;
                }
                let w = self.lower(x);
                let w = w.as_str();
                let plural =
                    (w.len() > 3 && w.ends_with('s') && !w.ends_with("ss")) || irregular_plural(w);
                if plural {
                    head = x;
                    break;
                }
            }
        }
        Some((head, self.word(head).to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Row = (String, f64, String, Option<String>, Option<String>);

    fn claims(text: &str) -> Vec<Row> {
        let whole = std::slice::from_ref(&(0..text.len())).to_vec();
        find_claims(text, &whole, &ClaimsOptions::default())
            .into_iter()
            .map(|c| {
                (
                    text[c.bytes].to_string(),
                    c.value,
                    c.unit,
                    c.subject,
                    c.qualifier,
                )
            })
            .collect()
    }

    #[test]
    fn shares_counts_and_money_are_normalized() {
        let c = claims("Russia holds about 70% of Donetsk and approximately three-quarters of the region, while five key Ukrainian regions and 32 members wait for $1.5 billion in aid.");
        assert_eq!(
            c[0],
            (
                "about 70% of Donetsk".into(),
                0.70,
                "percent".into(),
                Some("Donetsk".into()),
                Some("about".into())
            )
        );
        assert_eq!(c[1].1, 0.75);
        assert_eq!(c[1].3.as_deref(), Some("region"));
        assert_eq!(
            c[2],
            (
                "five key Ukrainian regions".into(),
                5.0,
                "count".into(),
                Some("regions".into()),
                None
            )
        );
        assert_eq!(c[3].1, 32.0);
        assert_eq!(c[4].1, 1.5e9);
        assert_eq!(c[4].2, "USD");
        assert_eq!(c[4].3.as_deref(), Some("aid"));
    }

    #[test]
    fn number_words_are_known_whatever_their_case() {
        let words = [
            "zero",
            "One",
            "TWO",
            "seventeen",
            "Seventeen",
            "dozen",
            "half",
            "Halves",
            "thirds",
            "quarter",
            "Quarters",
            "hundred",
            "thousand",
            "Million",
            "bn",
            "mln",
            "trn",
            "k",
            "seventeens",
            "eleventh",
            "once",
            "tent",
            "halve",
            "quarterly",
            "billions",
            "t@n",
            "Z\u{e9}ro",
            "on",
            "",
        ];
        for w in words {
            let l = Lower::of(w);
            let l = l.as_str();
            let slow = (3..=9).contains(&w.len())
                && (small_number(l).is_some()
                    || denominator(l).is_some()
                    || scale_word(l).is_some());
            assert_eq!(is_number_word(w.as_bytes()), slow, "{w}");
        }
    }

    /// Every sentence the token test keeps passes the byte prefilter first.
    #[test]
    fn prefilter_keeps_every_candidate_sentence() {
        let mut checked = 0;
        for text in crate::seed_texts() {
            let paragraphs: Vec<Range<usize>> = text
                .split_inclusive('\n')
                .scan(0, |at, p| {
                    let r = *at..*at + p.len();
                    *at = r.end;
                    Some(r)
                })
                .collect();
            let sentences = crate::text::split_sentences(&text, &paragraphs);
            for s in sentences.iter().chain(std::iter::once(&(0..text.len()))) {
                let mut tokens = Vec::new();
                tokenize(&text, s.clone(), &mut tokens);
                let candidate = tokens.iter().any(|t| may_start_quantity(&text, t));
                if candidate {
                    assert!(may_hold_claim(&text, s.clone()), "{}", &text[s.clone()]);
                    checked += 1;
                }
            }
        }
        assert!(checked > 0);
    }

    /// Claims read the dates of a sentence from a scan the entities stage shared when there is
    /// one: every way of making that scan gives what claims find alone.
    #[test]
    fn shared_dates_give_the_claims_found_alone() {
        let own = [
            "On Aug. 15, 2025, 12 soldiers and 3,000 civilians left; by March 3rd, 2024 about 70% had returned.",
            "TWO DAYS AGO FIVE SHIPS SANK. TODAY 40 more came; three days ago two boats came.",
            "“We will win today,” he said of the 30 tanks; \"tonight\" 5 planes flew, next Tuesday’s 7 talks.",
            "In 2022, 3 million refugees fled; from 1998 – 2003 the army lost a third of its 200 tanks.",
            "Unicode digits: in ٢٠٢٤, on March ١٥, ٣ days ago 4 people, 2024-٠٨-١٥ and March\u{a0}5, 2024 $5bn.",
            "Last Friday's vote saw 52% back it; since Monday, €20m and 300 million euros were pledged.",
            "The 21st of March, 2024: 4 July,2020 - 5 Sept. 2021 cost £1.5 billion, half of the budget.\n\nFox News Sunday: 3 guests.",
        ];
        let texts: Vec<String> = crate::seed_texts()
            .into_iter()
            .chain(own.iter().map(|t| t.to_string()))
            .collect();
        let mut shared_sentences = 0;
        for text in &texts {
            let mut doc = Document::new("d", "d.txt", text.clone());
            let found =
                crate::entities::shared_referents(crate::entities::Lexicon::builtin(), &mut doc);
            let sentences = doc.sentences.clone();
            let every_other: Vec<Range<usize>> = sentences.iter().step_by(2).cloned().collect();
            let scans = [
                crate::entities::scan_dates(text, &found.date_sentences, false),
                crate::entities::scan_dates(text, &sentences, false),
                crate::entities::scan_dates(text, &sentences, true),
                crate::entities::scan_dates(text, &every_other, false),
            ];
            let alone = find_claims(text, &sentences, &ClaimsOptions::default());
            // The finder tokenized every sentence, as tokenizing it again does.
            for s in &sentences {
                let mut tokens = Vec::new();
                tokenize(text, s.clone(), &mut tokens);
                assert_eq!(found.tokens.get(text, s), Some(&tokens[..]));
            }
            let tokens_only = Shared {
                tokens: Some(&found.tokens),
                dates: None,
            };
            assert_eq!(
                find_claims_in(text, &sentences, &ClaimsOptions::default(), tokens_only),
                alone
            );
            for s in &sentences {
                let want: Vec<Range<usize>> =
                    crate::entities::find_dates(text, std::slice::from_ref(s), None)
                        .into_iter()
                        .map(|d| d.bytes)
                        .collect();
                for scan in scans.iter().map(Some).chain([None]) {
                    assert_eq!(
                        dates_of_sentence(text, s, scan),
                        want,
                        "{}",
                        &text[s.clone()]
                    );
                }
            }
            for scan in &scans {
                for tokens in [None, Some(&found.tokens)] {
                    let shared = Shared {
                        tokens,
                        dates: Some(scan),
                    };
                    let with = find_claims_in(text, &sentences, &ClaimsOptions::default(), shared);
                    assert_eq!(with, alone, "{text}");
                }
            }
            shared_sentences += found.date_sentences.len();
        }
        assert!(shared_sentences > 0);
    }

    #[test]
    fn labels_years_and_ordinals_are_not_claims() {
        assert!(claims(
            "NATO’s Article 5 dates from 1949, the 10th such clause; COVID-19 hit in the 1990s."
        )
        .is_empty());
    }

    /// The prefilter before it built the word key while scanning.
    fn reference_may_hold_claim(text: &str, range: Range<usize>) -> bool {
        let bytes = &text.as_bytes()[range];
        let mut i = 0;
        while i < bytes.len() {
            match BYTE_CLASS[usize::from(bytes[i])] {
                LETTER => {
                    let start = i;
                    i += 1;
                    while i < bytes.len() && BYTE_CLASS[usize::from(bytes[i])] == LETTER {
                        i += 1;
                    }
                    if is_number_word(&bytes[start..i]) {
                        return true;
                    }
                }
                DIGIT => return true,
                LEAD => {
                    const SIGNS: [&str; 5] = ["€", "£", "¥", "₴", "₽"];
                    if SIGNS.iter().any(|c| bytes[i..].starts_with(c.as_bytes())) {
                        return true;
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        false
    }

    #[test]
    fn letter_lanes_are_the_ascii_letters() {
        for b in 0..=255u8 {
            for lane in 0..8 {
                let mut word = [b'a'; 8];
                word[lane] = b;
                let non = non_letter_lanes(u64::from_le_bytes(word));
                let want = if b.is_ascii_alphabetic() {
                    0
                } else {
                    0x80 << (8 * lane)
                };
                assert_eq!(non, want, "{b:#x} in lane {lane}");
            }
        }
    }

    #[test]
    fn prefilter_equals_the_two_pass_prefilter() {
        let mut texts = crate::seed_texts();
        texts.push(
            "Seventeen SEVENTEENS twenty-five Half quarters mln trn k bn a dozen €5 £ ¥ ₴ ₽ \
             € x€ $ 0 9 naïve thirtyéone twelve’s one\u{a0}two ELEVEN eleventh hundredth"
                .to_string(),
        );
        for text in &texts {
            let starts: Vec<usize> = (0..=text.len())
                .filter(|&b| text.is_char_boundary(b))
                .collect();
            for (k, &a) in starts.iter().enumerate() {
                for len in [0usize, 1, 5, 9, 17, 40, 120] {
                    let mut b = (a + len).min(text.len());
                    while !text.is_char_boundary(b) {
                        b += 1;
                    }
                    if k % 2 == 0 || text.len() < 1000 {
                        assert_eq!(
                            may_hold_claim(text, a..b),
                            reference_may_hold_claim(text, a..b),
                            "{:?}",
                            &text[a..b]
                        );
                    }
                }
            }
        }
    }
}
