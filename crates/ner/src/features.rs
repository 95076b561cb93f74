//! Features of a token in its sentence, as 64-bit hashes.

/// One token as the tagger sees it: its text and the caller's list flags (bit `k` set when the
/// word is in the caller's list `k`: first names, known people, places…; up to 16 lists).
#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    pub text: &'a str,
    pub flags: u16,
}

/// What is computed once per token and read by its own and its neighbours' features.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Info {
    word: u64,
    shape: u64,
    /// 0 lowercase, 1 capitalized, 2 all capitals, 3 digit first, 4 anything else.
    case: u8,
    len: u8,
    flags: u16,
    /// Bits of the embedded name lists (`lists.rs`).
    lists: u8,
    /// Scored at all: capitalized, or a short word between capitalized ones.
    pub(crate) scored: bool,
    run_first: u64,
    run_last: u64,
    /// Length of the run of scored tokens (capped at 4) and the position in it.
    run_shape: u8,
    /// Suffix words of the run from this token on: 1 organization, 2 place, 3 both.
    run_suffix: u8,
    initial: bool,
}

/// Most features one token has (fixed ones plus three per set list flag on three tokens).
pub(crate) const MAX_FEATURES: usize = 40 + 3 * 16 + 3 * 4;

// The shipped model's weights are indexed by these hashes, so the function must stay the same
// bit for bit across builds and crate upgrades (a hashing crate may change its output between
// versions); it is small, and word lookups need nothing stronger.
const K: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

fn step(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(K)
}

fn lower_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase)
}

pub(crate) fn hash_lower(s: &str) -> u64 {
    if s.is_ascii() {
        return s.bytes().fold(0x1234_5678, |h, b| {
            step(h, u64::from(b.to_ascii_lowercase()))
        });
    }
    lower_chars(s).fold(0x1234_5678, |h, c| step(h, u64::from(c)))
}

fn class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else {
        c
    }
}

/// The lowercased word's hash, its shape's hash and its length in characters (at most 8):
/// one pass over the bytes of an ASCII word.
fn word_hashes(s: &str) -> (u64, u64, u8) {
    if !s.is_ascii() {
        return (hash_lower(s), shape_hash(s), s.chars().count().min(8) as u8);
    }
    let (mut word, mut shape) = (0x1234_5678, 0x8765_4321);
    let mut last = 0u8;
    for b in s.bytes() {
        word = step(word, u64::from(b.to_ascii_lowercase()));
        let class = match b {
            b'A'..=b'Z' => b'X',
            b'a'..=b'z' => b'x',
            b'0'..=b'9' => b'd',
            _ => b,
        };
        if class != last {
            shape = step(shape, u64::from(class));
            last = class;
        }
    }
    (word, shape, s.len().min(8) as u8)
}

/// The word's shape with repeats collapsed: "Prague" Xx, "NATO" X, "U.S." X.X., "McAdam" XxXx.
fn shape_hash(s: &str) -> u64 {
    let mut h = 0x8765_4321;
    let mut last = '\0';
    for c in s.chars().map(class) {
        if c != last {
            h = step(h, u64::from(c));
            last = c;
        }
    }
    h
}

fn case_of(s: &str) -> u8 {
    // Most words are ASCII and lowercase: settled by the first byte.
    match s.as_bytes().first() {
        None => return 4,
        Some(b) if b.is_ascii_lowercase() => return 0,
        Some(b) if b.is_ascii_digit() => return 3,
        Some(b) if b.is_ascii() && !b.is_ascii_uppercase() => return 4,
        _ => {}
    }
    let Some(c) = s.chars().next() else { return 4 };
    if c.is_uppercase() {
        let letters = s.chars().filter(|c| c.is_alphabetic());
        let all_upper = s.chars().filter(|c| c.is_alphabetic()).count() > 1
            && letters.clone().all(char::is_uppercase);
        if all_upper {
            2
        } else {
            1
        }
    } else if c.is_lowercase() {
        0
    } else if c.is_numeric() {
        3
    } else {
        4
    }
}

/// A capitalized word that is a function word at the start of a sentence.
fn function_word(word: &str) -> bool {
    matches!(
        word,
        "The"
            | "A"
            | "An"
            | "In"
            | "On"
            | "At"
            | "But"
            | "And"
            | "Or"
            | "So"
            | "If"
            | "As"
            | "He"
            | "She"
            | "It"
            | "They"
            | "We"
            | "I"
            | "You"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "His"
            | "Her"
            | "Their"
            | "Its"
            | "Our"
            | "My"
            | "For"
            | "Of"
            | "To"
            | "By"
            | "With"
            | "From"
            | "After"
            | "Before"
            | "When"
            | "While"
            | "Yet"
            | "There"
            | "Here"
            | "What"
            | "Who"
            | "How"
            | "Why"
            | "Where"
            | "Some"
            | "Many"
            | "All"
            | "One"
            | "No"
            | "Not"
            | "Then"
            | "Now"
            | "Still"
            | "Also"
            | "Although"
            | "Since"
            | "During"
            | "Under"
            | "Over"
            | "Into"
            | "Is"
            | "Was"
            | "Are"
            | "Were"
            | "Do"
            | "Does"
            | "Did"
            | "Has"
            | "Have"
            | "Had"
            | "Most"
            | "More"
            | "Other"
            | "Such"
            | "Each"
            | "Every"
            | "Both"
            | "Only"
            | "Even"
            | "However"
            | "Because"
            | "Though"
    )
}

/// Prefixes and suffixes of 1 to 4 characters (of the lowercased word).
fn affixes(s: &str) -> [u64; 8] {
    if s.is_ascii() {
        let mut buf = [0u8; 64];
        let b = &mut buf[..s.len().min(64)];
        b.copy_from_slice(&s.as_bytes()[..b.len()]);
        b.make_ascii_lowercase();
        return affixes_of(b.iter().map(|&c| char::from(c)));
    }
    affixes_of(lower_chars(s).take(64))
}

fn affixes_of(chars: impl Iterator<Item = char>) -> [u64; 8] {
    let mut out = [0u64; 8];
    let mut buf = ['\0'; 64];
    let mut len = 0;
    for c in chars.take(64) {
        buf[len] = c;
        len += 1;
    }
    let chars = &buf[..len];
    for n in 1..=4 {
        let take = n.min(chars.len());
        out[n - 1] = chars[..take]
            .iter()
            .fold(n as u64, |h, &c| step(h, u64::from(c)));
        out[n + 3] = chars[chars.len() - take..]
            .iter()
            .fold(100 + n as u64, |h, &c| step(h, u64::from(c)));
    }
    out
}

/// 1 when the word names the kind of an organization, 2 a kind of place.
fn suffix_kind(s: &str) -> u8 {
    let mut buf = [0u8; 16];
    if s.len() > buf.len() || !s.is_ascii() {
        return 0;
    }
    buf[..s.len()].copy_from_slice(s.as_bytes());
    buf[..s.len()].make_ascii_lowercase();
    let lower = std::str::from_utf8(&buf[..s.len()]).unwrap_or("");
    match lower {
        "university" | "college" | "council" | "inc" | "inc." | "corp" | "corp."
        | "corporation" | "company" | "co." | "ltd" | "ltd." | "llc" | "plc" | "ministry"
        | "office" | "department" | "institute" | "committee" | "commission" | "party" | "bank"
        | "association" | "agency" | "court" | "board" | "foundation" | "society" | "library"
        | "museum" | "school" | "conservatory" | "academy" | "church" | "union" | "group"
        | "times" | "news" | "post" | "weekly" | "journal" | "press" | "club" | "league"
        | "federation" | "organization" | "organisation" | "army" | "navy" | "police"
        | "service" | "hospital" | "center" | "centre" | "network" | "orchestra" | "band"
        | "airlines" | "bureau" | "administration" | "authority" | "parliament" | "senate"
        | "congress" | "assembly" | "trust" | "fund" | "institution" | "team" | "fc" => 1,
        "street" | "river" | "mountain" | "mountains" | "mount" | "lake" | "island" | "islands"
        | "city" | "county" | "province" | "valley" | "park" | "bay" | "road" | "avenue"
        | "square" | "bridge" | "station" | "airport" | "sea" | "ocean" | "hill" | "hills"
        | "beach" | "coast" | "forest" | "region" | "district" | "village" | "town" | "palace"
        | "castle" | "cathedral" | "temple" | "tower" | "peninsula" | "desert" | "canal"
        | "falls" | "harbour" | "harbor" | "hall" | "stadium" | "gardens" => 2,
        _ => 0,
    }
}

/// A word that may stand inside a name between capitalized words: "of", "the", particles
/// ("von", "de", "bin"), "and", "&", a hyphen, a possessive.
fn joins_names(word: &str, case: u8) -> bool {
    if case == 4 {
        return word.chars().count() <= 2;
    }
    matches!(
        word,
        "of" | "the"
            | "for"
            | "and"
            | "on"
            | "upon"
            | "at"
            | "de"
            | "du"
            | "da"
            | "di"
            | "do"
            | "dos"
            | "das"
            | "des"
            | "del"
            | "della"
            | "der"
            | "den"
            | "van"
            | "von"
            | "ter"
            | "ten"
            | "zu"
            | "la"
            | "le"
            | "les"
            | "el"
            | "al"
            | "bin"
            | "ibn"
            | "y"
            | "e"
            | "'s"
            | "’s"
            | "in"
            | "upon-"
            | "a"
    )
}

/// Fills `infos` for the tokens of one sentence.
pub(crate) fn prepare(tokens: &[Token], infos: &mut Vec<Info>) {
    infos.clear();
    let mut initial = true;
    for t in tokens {
        let case = case_of(t.text);
        infos.push(Info {
            case,
            flags: t.flags,
            initial: initial && case != 4,
            ..Info::default()
        });
        if case != 4 {
            initial = false;
        }
    }
    let n = tokens.len();
    for i in 0..n {
        let capital = |k: usize| matches!(infos[k].case, 1 | 2);
        // A capitalized function word ("The", "But", "He") opens a name only right before
        // another capitalized word: elsewhere it is not scored (most sentences start so).
        if capital(i) && function_word(tokens[i].text) && !(i + 1 < n && capital(i + 1)) {
            continue;
        }
        let short_between = joins_names(tokens[i].text, infos[i].case)
            && (i.saturating_sub(2)..i).any(capital)
            && (i + 1..(i + 3).min(n)).any(capital);
        infos[i].scored = capital(i) || short_between;
    }
    if !infos.iter().any(|i| i.scored) {
        return;
    }
    let lists = crate::lists::table();
    // Words up to two away from a scored one are read by its features: `window` counts the
    // scored words in i-2..=i+2.
    let mut window = infos.iter().take(3).filter(|i| i.scored).count();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            window += usize::from(infos.get(i + 2).is_some_and(|x| x.scored));
            window -= usize::from(i >= 3 && infos[i - 3].scored);
        }
        if window == 0 {
            continue;
        }
        let info = &mut infos[i];
        (info.word, info.shape, info.len) = word_hashes(t.text);
        info.lists = lists.get(info.word);
    }
    runs(tokens, infos);
}

/// The run of scored tokens each scored token sits in.
fn runs(tokens: &[Token], infos: &mut [Info]) {
    let mut i = 0;
    while i < infos.len() {
        if !infos[i].scored {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < infos.len() && infos[j].scored {
            j += 1;
        }
        let (first, last) = (infos[i].word, infos[j - 1].word);
        let mut suffix = 0u8;
        for k in (i..j).rev() {
            suffix |= suffix_kind(tokens[k].text);
            let len = (j - i).min(4) as u8;
            let pos = if j - i == 1 {
                0
            } else if k == i {
                1
            } else if k == j - 1 {
                2
            } else {
                3
            };
            let info = &mut infos[k];
            info.run_first = first;
            info.run_last = last;
            info.run_shape = len * 4 + pos;
            info.run_suffix = suffix;
        }
        i = j;
    }
}

/// The features of token `i` after the tags `prev1` (just before) and `prev2`, into `out`;
/// returns how many.
pub(crate) fn features(
    tokens: &[Token],
    infos: &[Info],
    i: usize,
    prev1: u8,
    prev2: u8,
    out: &mut [u64; MAX_FEATURES],
) -> usize {
    let none = Info::default();
    let at = |k: isize| -> &Info {
        usize::try_from(i as isize + k)
            .ok()
            .and_then(|k| infos.get(k))
            .unwrap_or(&none)
    };
    let (w, m1, m2, p1, p2) = (at(0), at(-1), at(-2), at(1), at(2));
    let mut n = 0;
    let mut push = |template: u64, value: u64| {
        out[n] = mix(template.wrapping_mul(K) ^ value);
        n += 1;
    };
    push(1, 0);
    push(2, w.word);
    push(3, w.shape);
    for (k, a) in affixes(tokens[i].text).into_iter().enumerate() {
        push(4 + k as u64, a);
    }
    push(12, u64::from(w.len));
    push(13, m1.word);
    push(14, p1.word);
    push(15, m2.word);
    push(16, p2.word);
    push(17, m1.shape);
    push(18, p1.shape);
    push(19, step(m2.shape, u64::from(m2.case)));
    push(20, step(p2.shape, u64::from(p2.case)));
    push(21, u64::from(prev1));
    push(22, u64::from(prev1) * 16 + u64::from(prev2));
    push(23, step(w.shape, u64::from(prev1)));
    push(24, u64::from(w.initial) * 8 + u64::from(w.case));
    push(25, step(m1.word, w.word));
    push(26, step(w.word, p1.word));
    push(27, u64::from(w.run_shape));
    push(28, w.run_first);
    push(29, w.run_last);
    push(30, u64::from(w.run_suffix) * 8 + u64::from(w.run_shape & 3));
    push(31, step(w.word, u64::from(prev1)));
    push(32, step(m1.word, p1.shape));
    push(33, u64::from(m1.case) * 8 + u64::from(p1.case));
    push(34, u64::from(w.lists) * 16 + u64::from(p1.lists));
    push(35, u64::from(m1.lists) * 16 + u64::from(w.lists));
    push(36, u64::from(w.lists) * 8 + u64::from(w.case));
    for (base, info) in [(400u64, w), (500, m1), (600, p1)] {
        let mut f = info.lists;
        while f != 0 {
            push(
                base + u64::from(f.trailing_zeros()),
                u64::from(info.case == 0),
            );
            f &= f - 1;
        }
    }
    for (base, info) in [(100u64, w), (200, m1), (300, p1)] {
        let mut f = info.flags;
        while f != 0 {
            let bit = u64::from(f.trailing_zeros());
            push(base + bit, u64::from(info.case == 0));
            f &= f - 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_pass_hashes_as_the_general_one() {
        for w in ["Prague", "U.S.", "x-ray", "McAdam", "2024", "NATO"] {
            assert_eq!(
                word_hashes(w),
                (hash_lower(w), shape_hash(w), w.len().min(8) as u8)
            );
        }
    }

    #[test]
    fn shapes_collapse_repeats() {
        assert_eq!(shape_hash("Prague"), shape_hash("Xy"));
        assert_ne!(shape_hash("Prague"), shape_hash("NATO"));
        assert_eq!(shape_hash("U.S."), shape_hash("A.B."));
    }

    #[test]
    fn only_capitalized_words_and_short_words_between_them_are_scored() {
        let words = ["the", "Bank", "of", "the", "South", "said", "so"];
        let tokens: Vec<Token> = words.iter().map(|w| Token { text: w, flags: 0 }).collect();
        let mut infos = Vec::new();
        prepare(&tokens, &mut infos);
        let scored: Vec<bool> = infos.iter().map(|i| i.scored).collect();
        assert_eq!(scored, [false, true, true, true, true, false, false]);
    }
}
