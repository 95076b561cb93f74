//! The cheap test that most sentences fail: whether a sentence may hold a claim at all.

use std::ops::Range;

use super::vocabulary::{denominator, scale_word, small_number, Lower};

/// Whether `text[range]` may hold a claim: an ASCII digit, a currency sign, or a run of
/// ASCII letters that is a number word. Every sentence [`find_claims`] would look at passes (a
/// number token starts with a digit; a number word is ASCII letters only, so a whole run), and
/// most sentences fail it after one cheap pass over their bytes.
pub(super) fn may_hold_claim(text: &str, range: Range<usize>) -> bool {
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

/// The first index from `i` on that holds no ASCII letter (or `bytes.len()`).
pub(super) fn letter_run_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|b| !b.is_ascii_alphabetic())
        .map_or(bytes.len(), |p| i + p)
}

/// [`word_key`] of the `len` (at most eight) bytes from `start`, read with one load when eight
/// bytes are there: big-endian, the first byte lands in the highest lane as `word_key` puts it.
pub(super) fn run_key(bytes: &[u8], start: usize, len: usize) -> u64 {
    match bytes.get(start..start + 8) {
        Some(chunk) => {
            let shift = 64 - 8 * len as u32;
            let w = u64::from_be_bytes(chunk.try_into().expect("eight bytes"));
            (w | 0x2020_2020_2020_2020) >> shift
        }
        None => word_key(&bytes[start..start + len]),
    }
}

pub(super) const OTHER: u8 = 0;
pub(super) const LETTER: u8 = 1;
/// An ASCII digit or `$`.
pub(super) const DIGIT: u8 = 2;
/// The lead byte of a currency sign (`£`, `¥`: 0xC2; `€`, `₴`, `₽`: 0xE2).
pub(super) const LEAD: u8 = 3;

pub(super) const BYTE_CLASS: [u8; 256] = {
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
pub(super) const NUMBER_WORDS: [u64; 128] = {
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
pub(super) const fn word_slot(key: u64) -> usize {
    (key.wrapping_mul(0x1294_32b1_6029_8a43) >> 57) as usize
}

/// A word of up to eight bytes packed into a number, ASCII letters folded to lowercase. A
/// word has the key of a number word only if it is that word but for the case of ASCII
/// letters: number words are lowercase letters, `| 0x20` makes one only out of a letter, and
/// no key starts with a zero byte.
pub(super) const fn word_key(w: &[u8]) -> u64 {
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
pub(super) fn is_number_word(word: &[u8]) -> bool {
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
pub(super) fn maybe_number_word(word: &str) -> bool {
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
