//! Sentence splitting and word tokens shared by every extraction stage.
//!
//! The splitter works inside paragraphs and survives what news copy throws at a naive one:
//! abbreviations (`U.S.`, `Mr.`, `Gen.`, `Sen.`, `St.`, `Jan.`), initials (`J. D. Vance`),
//! decimals (`3.5%`), and closing quotes after the full stop (`… peace.” He said`). Paragraphs
//! that look like headlines (short, title-cased, without final punctuation) are not body text
//! and yield no sentences, so nothing downstream extracts entities or quotes from them.

use std::ops::Range;

/// Longest sentence read as one: a longer run of text without a sentence end (a page of names,
/// text without punctuation) is read in windows of at most this many bytes, cut at a space.
/// Every stage works sentence by sentence, and some of their steps compare the words or names
/// of a sentence with each other, so a window bounds their cost whatever the text. News
/// sentences stay far below it.
pub const MAX_SENTENCE_BYTES: usize = 16384;

/// Sentences of `text` as byte ranges (trimmed), never crossing a paragraph boundary.
/// Paragraphs that look like headlines, section headings, bylines or mastheads
/// ([`is_headline_like`]) yield none.
pub fn split_sentences(text: &str, paragraphs: &[Range<usize>]) -> Vec<Range<usize>> {
    split_sentences_windowed(text, paragraphs).0
}

/// [`split_sentences`], and how many sentences were cut into windows of
/// [`MAX_SENTENCE_BYTES`].
pub fn split_sentences_windowed(
    text: &str,
    paragraphs: &[Range<usize>],
) -> (Vec<Range<usize>>, usize) {
    let mut out = Vec::with_capacity(paragraphs.len() * 4);
    let mut windowed = 0;
    for p in paragraphs {
        let para = &text[p.clone()];
        if is_headline_like(para) {
            continue;
        }
        windowed += split_paragraph(para, p.start, &mut out);
    }
    (out, windowed)
}

/// Fills `doc.sentences` unless an earlier stage already did, with a warning on the document
/// when a sentence was too long to be read as one.
pub fn ensure_sentences(doc: &mut model::Document) {
    if doc.sentences.is_empty() {
        let (sentences, windowed) = split_sentences_windowed(doc.text(), &doc.paragraphs);
        doc.sentences = sentences;
        if windowed > 0 {
            doc.warn(
                "sentences",
                format!(
                    "{windowed} sentences longer than {MAX_SENTENCE_BYTES} bytes were read in windows of at most that size"
                ),
            );
        }
    }
}

const ELLIPSIS: &[u8] = "…".as_bytes();

/// Splits one paragraph into `out`; returns how many sentences were cut into windows.
fn split_paragraph(para: &str, base: usize, out: &mut Vec<Range<usize>>) -> usize {
    let mut windowed = 0;
    let bytes = para.as_bytes();
    let mut start = 0usize;
    let mut i = 0usize;
    let mut next_a6 = first_a6(bytes);
    while i < bytes.len() {
        // Jump to the next candidate end mark.
        match find_end_mark(bytes, i, &mut next_a6) {
            Some(p) => i = p,
            None => break,
        }
        let b = bytes[i];
        if b == 0xE2 && !bytes[i..].starts_with(ELLIPSIS) {
            i += 1;
            continue;
        }
        // Run of terminal punctuation ("?!", "...", "…").
        let mut j = i;
        while j < bytes.len() {
            if matches!(bytes[j], b'.' | b'!' | b'?') {
                j += 1;
            } else if bytes[j..].starts_with(ELLIPSIS) {
                j += ELLIPSIS.len();
            } else {
                break;
            }
        }
        // Closing quotes and brackets belong to the sentence that ends here.
        let mut k = j;
        loop {
            let rest = &para[k..];
            let c = match rest.chars().next() {
                Some(c) => c,
                None => break,
            };
            if matches!(c, '”' | '’' | '"' | '\'' | ')' | ']' | '»') {
                k += c.len_utf8();
            } else {
                break;
            }
        }
        // A break needs whitespace and then something that can start a sentence.
        let rest = &para[k..];
        let ws = rest.len() - rest.trim_start().len();
        if ws == 0 {
            i = j.max(i + 1);
            continue;
        }
        let next = rest.trim_start();
        let starts_sentence = next.chars().next().is_some_and(|c| {
            c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(c, '“' | '‘' | '"' | '\'' | '(' | '«' | '—' | '–')
        });
        if !starts_sentence || (b == b'.' && j == i + 1 && !period_ends_sentence(para, i, next)) {
            i = j;
            continue;
        }
        windowed += push_trimmed(para, base, start..k, out);
        start = k + ws;
        i = start;
    }
    windowed + push_trimmed(para, base, start..para.len(), out)
}

/// Where the first 0xA6 byte of `bytes` is (`bytes.len()` if none): the start of the cache
/// [`find_end_mark`] keeps.
fn first_a6(bytes: &[u8]) -> usize {
    memchr::memchr(0xA6, bytes).unwrap_or(bytes.len())
}

/// The first index from `i` on holding `.`, `!`, `?` or the start of `…`; `i` must not be
/// inside a `…`. `next_a6` is the first 0xA6 byte at or after some index at most `i`
/// (`bytes.len()` if none), kept from call to call: most paragraphs have no `…`, and
/// searching for one before every end mark cost a search each.
#[inline]
fn find_end_mark(bytes: &[u8], mut i: usize, next_a6: &mut usize) -> Option<usize> {
    // The next full stop, exclamation or question mark, found many bytes at a time; then a `…`
    // before it. `…` is sought by its last byte, 0xA6: its lead byte 0xE2 also leads the curly
    // quotes and apostrophes news copy is full of.
    let mark = memchr::memchr3(b'.', b'!', b'?', &bytes[i..]).map(|p| i + p);
    let limit = mark.unwrap_or(bytes.len());
    loop {
        if *next_a6 < i {
            *next_a6 = memchr::memchr(0xA6, &bytes[i..]).map_or(bytes.len(), |q| i + q);
        }
        let p = *next_a6;
        if p >= limit {
            return mark;
        }
        if p >= 2 && bytes[p - 2..p] == ELLIPSIS[..2] {
            return Some(p - 2);
        }
        i = p + 1;
    }
}

/// Pushes `r` without surrounding whitespace, in windows if it is longer than
/// [`MAX_SENTENCE_BYTES`] (returns 1 then, else 0).
fn push_trimmed(para: &str, base: usize, r: Range<usize>, out: &mut Vec<Range<usize>>) -> usize {
    if r.len() > MAX_SENTENCE_BYTES {
        push_windows(para, base, r, out);
        return 1;
    }
    let s = &para[r.clone()];
    // Most sentences start and end on a byte that is plainly no whitespace: no trimming.
    let plain = |b: Option<&u8>| b.is_some_and(|&b| b < 0x80 && ASCII_CLASS[b as usize] != C_SPACE);
    let lead = if plain(s.as_bytes().first()) {
        0
    } else {
        s.len() - s.trim_start().len()
    };
    let trail = if plain(s.as_bytes().last()) {
        0
    } else {
        s.len() - s.trim_end().len()
    };
    if lead + trail < s.len() {
        out.push(base + r.start + lead..base + r.end - trail);
    }
    0
}

/// Cuts a run longer than [`MAX_SENTENCE_BYTES`] into windows at most that long, each ended
/// at the last space of its second half (or on a character boundary if it has none).
fn push_windows(para: &str, base: usize, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let mut start = r.start;
    while r.end - start > MAX_SENTENCE_BYTES {
        let limit = start + MAX_SENTENCE_BYTES;
        let half = start + MAX_SENTENCE_BYTES / 2;
        let cut = match memchr::memrchr2(b' ', b'\n', &para.as_bytes()[half..limit]) {
            Some(p) => half + p,
            None => (start + 1..=limit)
                .rev()
                .find(|&i| para.is_char_boundary(i))
                .unwrap_or(limit),
        };
        push_trimmed(para, base, start..cut, out);
        start = cut;
    }
    push_trimmed(para, base, start..r.end, out);
}

/// Whether the single `.` at byte `dot` of `para` ends a sentence, given the text after it.
fn period_ends_sentence(para: &str, dot: usize, next: &str) -> bool {
    let before = &para[..dot];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '“' | '"' | '‘' | '—'))
        .map_or(0, |p| {
            p + before[p..].chars().next().map_or(1, char::len_utf8)
        });
    let word = &before[word_start..];
    if word.is_empty() {
        return true;
    }
    let next_word: &str = next
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    // Dotted acronyms (U.S., U.K., D.C.): the sentence ends only if a typical sentence opener
    // follows ("… in the U.S. The next day …"), not a name ("U.S. Senate").
    if word.contains('.') && word.split('.').all(|p| p.chars().count() <= 1) {
        return is_sentence_opener(next_word);
    }
    // A lone capital is an initial (J. D. Vance), unless it ends a sentence before an opener.
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return is_sentence_opener(next_word);
    }
    if is_abbreviation(word) {
        // "Jan." ends a sentence only before a typical opener ("… since Jan. The …").
        return is_month_abbreviation(word) && is_sentence_opener(next_word);
    }
    true
}

fn is_abbreviation(word: &str) -> bool {
    // A match, not a list scan: it compiles to a test of the length and a few bytes.
    matches!(
        word,
        "Mr" | "Mrs"
            | "Ms"
            | "Mx"
            | "Dr"
            | "Prof"
            | "Gen"
            | "Sen"
            | "Rep"
            | "Gov"
            | "Lt"
            | "Col"
            | "Maj"
            | "Capt"
            | "Sgt"
            | "Cpl"
            | "Pvt"
            | "Adm"
            | "Cmdr"
            | "Cdr"
            | "Brig"
            | "St"
            | "Ste"
            | "Jr"
            | "Sr"
            | "Rev"
            | "Hon"
            | "Pres"
            | "Supt"
            | "Insp"
            | "Det"
            | "Mt"
            | "Ft"
            | "Sens"
            | "Reps"
            | "Messrs"
            | "Mme"
            | "Mlle"
            | "No"
            | "Nos"
            | "Vol"
            | "Vols"
            | "vs"
            | "v"
            | "approx"
            | "est"
            | "Inc"
            | "Corp"
            | "Ltd"
            | "Co"
            | "Bros"
            | "Ave"
            | "Blvd"
            | "Rd"
            | "Dept"
            | "Univ"
            | "Assn"
            | "Fig"
            | "pp"
            | "p"
            | "cf"
            | "e.g"
            | "i.e"
            | "etc"
            | "al"
            | "Jan"
            | "Feb"
            | "Mar"
            | "Apr"
            | "Jun"
            | "Jul"
            | "Aug"
            | "Sep"
            | "Sept"
            | "Oct"
            | "Nov"
            | "Dec"
            | "Ala"
            | "Ariz"
            | "Ark"
            | "Calif"
            | "Colo"
            | "Conn"
            | "Del"
            | "Fla"
            | "Ga"
            | "Ill"
            | "Ind"
            | "Kan"
            | "Ky"
            | "La"
            | "Md"
            | "Mass"
            | "Mich"
            | "Minn"
            | "Miss"
            | "Mo"
            | "Mont"
            | "Neb"
            | "Nev"
            | "Okla"
            | "Ore"
            | "Pa"
            | "Tenn"
            | "Tex"
            | "Va"
            | "Vt"
            | "Wash"
            | "Wis"
            | "Wyo"
            | "a.m"
            | "p.m"
    )
}

fn is_month_abbreviation(word: &str) -> bool {
    matches!(
        word,
        "Jan"
            | "Feb"
            | "Mar"
            | "Apr"
            | "Jun"
            | "Jul"
            | "Aug"
            | "Sep"
            | "Sept"
            | "Oct"
            | "Nov"
            | "Dec"
    )
}

/// Words that typically open a sentence but rarely continue a name.
pub(crate) fn is_sentence_opener(word: &str) -> bool {
    matches!(
        word,
        "The"
            | "A"
            | "An"
            | "He"
            | "She"
            | "It"
            | "They"
            | "We"
            | "I"
            | "You"
            | "But"
            | "And"
            | "Or"
            | "So"
            | "Yet"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "There"
            | "Here"
            | "In"
            | "On"
            | "At"
            | "For"
            | "With"
            | "After"
            | "Before"
            | "When"
            | "While"
            | "If"
            | "As"
            | "Its"
            | "His"
            | "Her"
            | "Their"
            | "Our"
            | "My"
            | "Meanwhile"
            | "However"
            | "Still"
            | "Now"
            | "Then"
            | "Also"
            | "Some"
            | "Many"
            | "Most"
            | "Officials"
            | "Critics"
            | "No"
            | "Not"
            | "What"
            | "Why"
            | "How"
            | "Who"
            | "Where"
            | "Despite"
            | "Although"
            | "Since"
            | "Until"
            | "According"
            | "Asked"
            | "Last"
            | "Next"
            | "Earlier"
            | "Later"
    )
}

/// Whether a paragraph looks like a headline, section heading, byline or masthead line rather
/// than body text: short and without final punctuation, or mostly title-cased.
pub fn is_headline_like(para: &str) -> bool {
    // Long paragraphs are body text; counting spaces is cheaper than walking the words.
    if para.len() > 200 && more_spaces_than(&para.as_bytes()[..400.min(para.len())], 32) {
        return false;
    }
    let trimmed = para.trim();
    if trimmed.is_empty() {
        return true;
    }
    // Body paragraphs end with a full stop or a closing quote; headlines never do.
    if trimmed.ends_with(['.', '”', '"']) {
        return false;
    }
    let last = trimmed
        .trim_end_matches(['”', '’', '"', '\'', ')', ']', '»'])
        .chars()
        .next_back();
    let terminal = matches!(last, Some('.' | '!' | '?' | '…' | ':' | ';'));
    let mut words = 0usize;
    let mut content = 0usize;
    let mut capitalized = 0usize;
    for w in trimmed.split_whitespace() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = w.chars().next() else {
            continue;
        };
        if !w.chars().any(char::is_alphabetic) {
            continue;
        }
        words += 1;
        if words > 30 {
            return false;
        }
        if is_minor_title_word(w) {
            continue;
        }
        content += 1;
        if first.is_uppercase() {
            capitalized += 1;
        }
    }
    if words == 0 {
        return true;
    }
    let title_cased = content >= 2 && capitalized * 5 >= content * 4;
    if !terminal {
        return words <= 4 || title_cased || (words <= 12 && capitalized * 5 >= content * 3);
    }
    // Tabloid headlines end with "!" or "?"; body sentences are rarely title-cased throughout.
    title_cased && words <= 25 && !trimmed.ends_with('.') && !trimmed.ends_with(['”', '"'])
}

/// Whether `bytes` hold more than `limit` ASCII spaces. Counting stops once they do: body
/// paragraphs get there in half of the bytes looked at.
fn more_spaces_than(bytes: &[u8], limit: usize) -> bool {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // One count per byte lane, at most four in a block, added up after each block.
    let sum = |lanes: u64| {
        let pairs = (lanes & 0x00ff_00ff_00ff_00ff) + (lanes >> 8 & 0x00ff_00ff_00ff_00ff);
        (pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48) as usize
    };
    let mut blocks = bytes.chunks_exact(32);
    let mut total = 0usize;
    for block in blocks.by_ref() {
        let mut lanes = 0u64;
        for chunk in block.chunks_exact(8) {
            let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes")) ^ (LOW * 0x20);
            // Top bit of each byte set when the byte is not zero, without carries across bytes.
            let nonzero = ((x & !HIGH) + !HIGH) | x;
            lanes += (!nonzero & HIGH) >> 7;
        }
        total += sum(lanes);
        if total > limit {
            return true;
        }
    }
    total + blocks.remainder().iter().filter(|&&b| b == b' ').count() > limit
}

fn is_minor_title_word(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "of"
            | "for"
            | "and"
            | "or"
            | "in"
            | "on"
            | "at"
            | "to"
            | "by"
            | "with"
            | "from"
            | "as"
            | "vs"
            | "de"
            | "von"
            | "der"
            | "van"
            | "is"
            | "nor"
            | "but"
    )
}

/// ASCII letters and digits.
const ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// The first index from `i` on whose byte is not an ASCII letter or digit (or `bytes.len()`).
#[inline]
fn skip_ascii_word(bytes: &[u8], mut i: usize) -> usize {
    // Eight bytes at a time: words are mostly longer than the loop overhead of one byte each.
    while let Some(chunk) = bytes.get(i..i + 8) {
        let run = ascii_word_run(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        if run < 8 {
            return i + run;
        }
        i += 8;
    }
    while i < bytes.len() && ASCII_WORD[bytes[i] as usize] {
        i += 1;
    }
    i
}

/// How many bytes of `w` (read little-endian), from its first, are ASCII letters or digits:
/// the word run [`skip_ascii_word`] finds, on bytes already loaded.
#[inline(always)]
pub(crate) fn ascii_word_run(w: u64) -> usize {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte below 0x80 is in lo..=hi when adding 0x80 - lo sets its top bit and adding
    // 0x7f - hi does not; neither sum carries into the next byte.
    let in_range = |x: u64, lo: u8, hi: u8| {
        let a = x + LOW * u64::from(0x80 - lo);
        let b = x + LOW * u64::from(0x7f - hi);
        a & !b & HIGH
    };
    let ascii = !w & HIGH;
    // Without the top bit, so that the sums above stay within each byte.
    let x = w & !HIGH;
    let word = ascii & (in_range(x, b'0', b'9') | in_range(x | (LOW * 0x20), b'a', b'z'));
    // Eight when every byte is in the run.
    ((!word & HIGH).trailing_zeros() / 8) as usize
}

/// What a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (with inner apostrophes or dots: `O’Brien`, `U.S.`), possibly with digits.
    Word,
    /// Digits with inner `,` or `.` (`1,200`, `3.5`).
    Number,
    /// The possessive clitic `’s` / `'s` / a bare `’` after a word ending in s.
    Possessive,
    /// Any other single character that is not whitespace.
    Punct,
}

/// A token of a text: a byte range and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    /// Whether whitespace separates it from the previous token.
    pub space_before: bool,
}

impl Token {
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Appends the tokens of `text[range]` to `out` (offsets into `text`). Hyphens and dashes are
/// separate punctuation tokens, so `Trump-Putin` gives two words.
pub fn tokenize(text: &str, range: Range<usize>, out: &mut Vec<Token>) {
    let mut tokens = Tokens::new(text, range);
    while let Some(t) = tokens.next_token() {
        out.push(t);
    }
}

/// The tokens of ranges of one text, as [`tokenize`] gave them to a stage that ran earlier on
/// the same text: the person finder tokenizes every sentence, and the claims stage reads the
/// sentences it needs from here instead of tokenizing them again. Tokens depend only on the
/// text and the range, so a recorded range's tokens are what tokenizing it again would give.
#[derive(Debug, Default)]
pub(crate) struct TokenLog {
    text_len: usize,
    /// Each range tokenized and its tokens' place in `tokens`, in the order tokenized.
    ranges: Vec<(Range<usize>, Range<usize>)>,
    tokens: Vec<Token>,
}

impl TokenLog {
    /// An empty log for a text of `text_len` bytes, with room for the usual one token per five
    /// or six bytes and one sentence per hundred or so: growing a whole document's log costs
    /// copies of it.
    pub(crate) fn new(text_len: usize) -> Self {
        TokenLog {
            text_len,
            ranges: Vec::with_capacity(text_len / 64 + 4),
            tokens: Vec::with_capacity(text_len / 4 + 16),
        }
    }

    /// Records `range` with the tokens `fill` appends to the log, and returns them: the caller
    /// tokenizes straight into the log rather than into a list of its own that is then copied.
    pub(crate) fn record_with(
        &mut self,
        range: Range<usize>,
        fill: impl FnOnce(&mut Vec<Token>),
    ) -> &[Token] {
        let from = self.tokens.len();
        fill(&mut self.tokens);
        debug_assert!(self.tokens.len() >= from);
        self.ranges.push((range, from..self.tokens.len()));
        &self.tokens[from..]
    }

    /// The tokens of `range` of `text`, if they were recorded (on this text: the document's
    /// `derived` values are dropped whenever the text is replaced).
    pub(crate) fn get(&self, text: &str, range: &Range<usize>) -> Option<&[Token]> {
        if self.text_len != text.len() {
            return None;
        }
        // Sentences are tokenized in text order: binary search. Out of order, the search may
        // miss a range, which is then tokenized again; it never returns another range's tokens.
        let i = self
            .ranges
            .partition_point(|(r, _)| (r.start, r.end) < (range.start, range.end));
        match self.ranges.get(i) {
            Some((r, toks)) if r == range => Some(&self.tokens[toks.clone()]),
            _ => None,
        }
    }
}

/// The tokens of a range one at a time, for a caller that does its own work on each as it is
/// made (the person finder looks each word up while it is at hand) instead of reading them
/// back from a list. Gives exactly what [`tokenize`] gives.
pub(crate) struct Tokens<'t> {
    text: &'t str,
    end: usize,
    i: usize,
    space_before: bool,
}

impl<'t> Tokens<'t> {
    pub(crate) fn new(text: &'t str, range: Range<usize>) -> Self {
        Tokens {
            text,
            end: range.end,
            i: range.start,
            space_before: true,
        }
    }

    /// Where the next token or the whitespace before it starts, and whether whitespace came
    /// right before that.
    #[inline(always)]
    pub(crate) fn position(&self) -> (usize, bool) {
        (self.i, self.space_before)
    }

    /// Takes the word `start..end` found by the caller at [`Self::position`], which must be
    /// exactly what [`Self::next_token`] would give: a word starting there, ended by an ASCII
    /// byte before the end of the range.
    #[inline(always)]
    pub(crate) fn take_word(&mut self, end: usize) -> Token {
        let token = Token {
            start: self.i,
            end,
            kind: TokenKind::Word,
            space_before: self.space_before,
        };
        let space = self.text.as_bytes()[end] == b' ';
        self.i = end + usize::from(space);
        self.space_before = space;
        token
    }

    #[inline(always)]
    pub(crate) fn next_token(&mut self) -> Option<Token> {
        let (text, end) = (self.text, self.end);
        // Cut at the end so indexing below `end` needs no second bounds check.
        let bytes = &text.as_bytes()[..end];
        let mut i = self.i;
        let mut space_before = self.space_before;
        while i < end {
            let b = bytes[i];
            let start = i;
            let kind;
            // ASCII first, without decoding: the classes below are what `char` says of it. One
            // table lookup sorts the byte, where a chain of class tests would take several.
            if b < 0x80 {
                match ASCII_CLASS[b as usize] {
                    C_LETTER => {
                        i = word_end(text, start, i + 1, end);
                        kind = TokenKind::Word;
                    }
                    C_DIGIT => {
                        i = number_end(bytes, i + 1, end);
                        kind = TokenKind::Number;
                    }
                    C_SPACE => {
                        space_before = true;
                        i += 1;
                        continue;
                    }
                    _ if b == b'\'' && possessive_at(text, i + 1, end, space_before) => {
                        i += 2;
                        kind = TokenKind::Possessive;
                    }
                    _ => {
                        i += 1;
                        kind = TokenKind::Punct;
                    }
                }
            } else {
                let c = text[i..end].chars().next().unwrap_or(' ');
                if c.is_whitespace() {
                    space_before = true;
                    i += c.len_utf8();
                    continue;
                }
                if !('\u{2000}'..='\u{206f}').contains(&c) && c.is_alphabetic() {
                    // General Punctuation (quotes, dashes) is never alphabetic: no table lookup.
                    i = word_end(text, start, i + c.len_utf8(), end);
                    kind = TokenKind::Word;
                } else if c == '’' && possessive_at(text, i + c.len_utf8(), end, space_before) {
                    i += c.len_utf8() + 1;
                    kind = TokenKind::Possessive;
                } else {
                    i += c.len_utf8();
                    kind = TokenKind::Punct;
                }
            }
            let token = Token {
                start,
                end: i,
                kind,
                space_before,
            };
            // Most tokens are followed by one plain space: take it here rather than in a turn
            // of the loop of its own.
            let space = i < end && bytes[i] == b' ';
            self.i = i + usize::from(space);
            self.space_before = space;
            return Some(token);
        }
        self.i = i;
        None
    }
}

const C_OTHER: u8 = 0;
const C_LETTER: u8 = 1;
const C_DIGIT: u8 = 2;
const C_SPACE: u8 = 3;

/// The tokenizer's class of each ASCII byte: ASCII letters, digits, and whitespace as `char`
/// has it plus vertical tab (0x0b), which `char::is_whitespace` also counts.
const ASCII_CLASS: [u8; 128] = {
    let mut t = [C_OTHER; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphabetic() {
            C_LETTER
        } else if c.is_ascii_digit() {
            C_DIGIT
        } else if c.is_ascii_whitespace() || c == 0x0b {
            C_SPACE
        } else {
            C_OTHER
        };
        b += 1;
    }
    t
};

/// Whether the `'` or `’` ending right before byte `after` is the possessive clitic: glued to
/// the previous token and followed by an `s` that ends the word.
#[inline(always)]
fn possessive_at(text: &str, after: usize, end: usize, space_before: bool) -> bool {
    !space_before
        && text[after..end].starts_with(['s', 'S'])
        && !text[after + 1..end]
            .chars()
            .next()
            .is_some_and(is_alphanumeric)
}

/// [`char::is_alphanumeric`], answered without the Unicode tables for ASCII and for General
/// Punctuation (U+2000 to U+206F, none of it a letter or digit): the curly quotes and dashes
/// that follow words in news copy would each cost a slow table search.
#[inline(always)]
pub(crate) fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        !('\u{2000}'..='\u{206f}').contains(&c) && c.is_alphanumeric()
    }
}

/// The end of the number whose first digit ends right before byte `i`.
#[inline(always)]
fn number_end(bytes: &[u8], mut i: usize, end: usize) -> usize {
    while i < end {
        let d = bytes[i];
        if d.is_ascii_digit() {
            i += 1;
        } else if (d == b',' || d == b'.') && i + 1 < end && bytes[i + 1].is_ascii_digit() {
            i += 2;
        } else {
            break;
        }
    }
    // "10th", "1990s", "5bn": letters glued to digits stay in the token.
    while i < end && bytes[i].is_ascii_alphabetic() {
        i += 1;
    }
    i
}

/// The end of the word starting at byte `start` whose first character ends right before `i`.
#[inline(always)]
fn word_end(text: &str, start: usize, mut i: usize, end: usize) -> usize {
    let bytes = &text.as_bytes()[..end];
    loop {
        // ASCII letters and digits: the common case, without decoding.
        i = skip_ascii_word(bytes, i);
        if i >= end {
            break;
        }
        // An ASCII space or punctuation other than ' and . ends the word at once.
        let nb = bytes[i];
        if nb < 0x80 && nb != b'\'' && nb != b'.' {
            break;
        }
        let Some(n) = text[i..end].chars().next() else {
            break;
        };
        if is_alphanumeric(n) {
            i += n.len_utf8();
            continue;
        }
        // Inner apostrophe (O’Brien, don’t) but not the possessive ’s.
        if matches!(n, '\'' | '’') {
            let after = &text[i + n.len_utf8()..end];
            let mut it = after.chars();
            let a = it.next();
            let a2 = it.next();
            let possessive = matches!(a, Some('s' | 'S')) && !a2.is_some_and(is_alphanumeric);
            if a.is_some_and(char::is_alphabetic) && !possessive {
                i += n.len_utf8();
                continue;
            }
            break;
        }
        // Dotted acronyms: U.S., U.K., D.C. (single letters separated by dots).
        if n == '.' {
            let word = &text[start..i];
            // The part after the last dot: a byte search, not a split.
            let dot = word.bytes().rposition(|b| b == b'.');
            let last_seg = &word[dot.map_or(0, |d| d + 1)..];
            if last_seg.chars().count() == 1 {
                let after = &text[i + 1..end];
                let a = after.chars().next();
                let a2 = after.chars().nth(1);
                if a.is_some_and(char::is_alphabetic) && a2 == Some('.') {
                    i += 1;
                    continue;
                }
                if word.contains('.') {
                    // Closing dot of U.S.
                    i += 1;
                }
            }
        }
        break;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphanumeric_test_agrees_with_char() {
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn word_runs_skip_as_the_byte_loop_does() {
        // Every byte value at every offset of a chunk, after and before letters.
        for b in 0..=255u8 {
            for at in 0..20 {
                let mut bytes = b"abcdefghijklmnopqrstuvwxyz0123456789".to_vec();
                bytes[at] = b;
                for from in 0..bytes.len() {
                    let want = from
                        + bytes[from..]
                            .iter()
                            .position(|b| !b.is_ascii_alphanumeric())
                            .unwrap_or(bytes.len() - from);
                    assert_eq!(
                        skip_ascii_word(&bytes, from),
                        want,
                        "{b} at {at} from {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn word_runs_of_a_loaded_word_are_the_byte_loop_runs() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = *b"aZ09mq7x";
                bytes[at] = b;
                let want = bytes
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .unwrap_or(8);
                assert_eq!(
                    ascii_word_run(u64::from_le_bytes(bytes)),
                    want,
                    "{b} at {at}"
                );
            }
        }
    }

    fn sentences(text: &str) -> Vec<&str> {
        split_sentences(text, std::slice::from_ref(&(0..text.len())))
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn end_marks_are_found_as_the_byte_loop_finds_them() {
        // What the splitter stops at: an end mark, or the lead byte of `…`.
        let want = |bytes: &[u8], from: usize| {
            (from..bytes.len()).find(|&p| {
                matches!(bytes[p], b'.' | b'!' | b'?') || bytes[p..].starts_with(ELLIPSIS)
            })
        };
        for b in 0..=255u8 {
            for at in 0..20 {
                let mut bytes = b"abcdefghij klmnopqrst uvwxyz".to_vec();
                bytes[at] = b;
                for from in 0..bytes.len() {
                    assert_eq!(
                        find_end_mark(&bytes, from, &mut first_a6(&bytes)),
                        want(&bytes, from),
                        "{b} at {at}"
                    );
                }
                // The cache kept across calls, as the splitter keeps it.
                let mut next_a6 = first_a6(&bytes);
                for from in 0..bytes.len() {
                    let found = find_end_mark(&bytes, from, &mut next_a6);
                    assert_eq!(found, want(&bytes, from), "{b} at {at}");
                }
            }
        }
        let text = "a…b’c”d!e?f.g\u{2026}h\u{a6}iЦjæ “k” l… …".repeat(3);
        for from in (0..text.len()).filter(|&p| text.is_char_boundary(p)) {
            assert_eq!(
                find_end_mark(text.as_bytes(), from, &mut first_a6(text.as_bytes())),
                want(text.as_bytes(), from)
            );
        }
        let mut next_a6 = first_a6(text.as_bytes());
        for from in (0..text.len()).filter(|&p| text.is_char_boundary(p)) {
            let found = find_end_mark(text.as_bytes(), from, &mut next_a6);
            assert_eq!(found, want(text.as_bytes(), from));
        }
    }

    #[test]
    fn spaces_are_counted_as_the_byte_loop_counts_them() {
        let text = "a b  c\u{a0}d\te \u{2026} ".repeat(200);
        for end in 0..text.len().min(3000) {
            let bytes = &text.as_bytes()[..end];
            let want = bytes.iter().filter(|&&b| b == b' ').count();
            for limit in [
                0,
                1,
                7,
                31,
                32,
                33,
                64,
                want.saturating_sub(1),
                want,
                want + 1,
            ] {
                assert_eq!(
                    more_spaces_than(bytes, limit),
                    want > limit,
                    "{end} {limit}"
                );
            }
        }
        assert!(more_spaces_than(&[b' '; 4000], 3999));
        assert!(!more_spaces_than(&[b' '; 4000], 4000));
    }

    #[test]
    fn a_run_without_sentence_end_is_read_in_windows_cut_at_spaces() {
        let text = "John Smith met Jane Doe and ".repeat(2000);
        let whole = [Range {
            start: 0,
            end: text.len(),
        }];
        let (sentences, windowed) = split_sentences_windowed(&text, &whole);
        assert_eq!(windowed, 1);
        assert!(sentences.len() >= text.len() / MAX_SENTENCE_BYTES);
        for s in &sentences {
            assert!(s.len() <= MAX_SENTENCE_BYTES, "{s:?}");
            assert!(!text[s.clone()].starts_with(' ') && !text[s.clone()].ends_with(' '));
        }
        // Nothing but the spaces at the cuts is left out.
        let kept: usize = sentences.iter().map(ExactSizeIterator::len).sum();
        assert!(text.trim_end().len() - kept < sentences.len());
        // A run with no space at all is cut on character boundaries.
        let word = format!("the word is {} and it ends.", "é".repeat(20_000));
        let whole = [Range {
            start: 0,
            end: word.len(),
        }];
        let (sentences, _) = split_sentences_windowed(&word, &whole);
        assert!(sentences
            .iter()
            .all(|s| word.is_char_boundary(s.start) && s.len() <= MAX_SENTENCE_BYTES));
        assert_eq!(sentences.last().map(|s| s.end), Some(word.len()));
    }

    #[test]
    fn abbreviations_initials_and_decimals_do_not_split() {
        let s = sentences(
            "Sen. Lindsey Graham met Gen. Mark Milley in St. Louis on Jan. 5 with Mr. J. D. Vance. \
             Growth was 3.5 percent. The U.S. Senate voted.",
        );
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[0].ends_with("Vance."));
    }

    #[test]
    fn sentence_ends_after_acronym_before_an_opener_and_after_closing_quotes() {
        let s = sentences(
            "They met in the U.S. The talks ended. “We agreed.” He left. “Why?” she asked.",
        );
        assert_eq!(
            s,
            vec![
                "They met in the U.S.",
                "The talks ended.",
                "“We agreed.”",
                "He left.",
                "“Why?” she asked."
            ]
        );
    }

    #[test]
    fn headlines_and_bylines_are_not_body() {
        assert!(is_headline_like("Historic Agreement During Alaska Summit"));
        assert!(is_headline_like(
            "Security Guarantees: A NATO-Like Commitment"
        ));
        assert!(is_headline_like("Ukraine Security Guarantees: Putin’s Shocking Concession! Robust Security Guarantees for Ukraine Revealed!"));
        assert!(is_headline_like("Charlotte Hayes"));
        assert!(is_headline_like("08-21-2025 Vol 2059"));
        assert!(!is_headline_like("Putin met Trump in Alaska."));
        assert!(!is_headline_like("“Yes,” he said."));
    }

    /// The tokenizer as it was before its ASCII shortcut, to check the shortcut against.
    fn reference_tokenize(text: &str, range: Range<usize>, out: &mut Vec<Token>) {
        let end = range.end;
        // Cut at the end so indexing below `end` needs no second bounds check.
        let bytes = &text.as_bytes()[..end];
        let mut i = range.start;
        let mut space_before = true;
        while i < end {
            let b = bytes[i];
            if b.is_ascii_whitespace() {
                space_before = true;
                i += 1;
                continue;
            }
            let c = if b < 0x80 {
                b as char
            } else {
                text[i..end].chars().next().unwrap_or(' ')
            };
            if c.is_whitespace() {
                space_before = true;
                i += c.len_utf8();
                continue;
            }
            let start = i;
            let kind;
            if c.is_ascii_digit() {
                i += 1;
                while i < end {
                    let d = bytes[i];
                    if d.is_ascii_digit() {
                        i += 1;
                    } else if (d == b',' || d == b'.')
                        && i + 1 < end
                        && bytes[i + 1].is_ascii_digit()
                    {
                        i += 2;
                    } else {
                        break;
                    }
                }
                // "10th", "1990s", "5bn": letters glued to digits stay in the token.
                while i < end && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                kind = TokenKind::Number;
            } else if !('\u{2000}'..='\u{206f}').contains(&c) && c.is_alphabetic() {
                // General Punctuation (quotes, dashes) is never alphabetic: no table lookup.
                i += c.len_utf8();
                loop {
                    // ASCII letters and digits: the common case, without decoding.
                    i = skip_ascii_word(bytes, i);
                    if i >= end {
                        break;
                    }
                    // An ASCII space or punctuation other than ' and . ends the word at once.
                    let nb = bytes[i];
                    if nb < 0x80 && nb != b'\'' && nb != b'.' {
                        break;
                    }
                    let Some(n) = text[i..end].chars().next() else {
                        break;
                    };
                    if n.is_alphanumeric() {
                        i += n.len_utf8();
                        continue;
                    }
                    // Inner apostrophe (O’Brien, don’t) but not the possessive ’s.
                    if matches!(n, '\'' | '’') {
                        let after = &text[i + n.len_utf8()..end];
                        let mut it = after.chars();
                        let a = it.next();
                        let a2 = it.next();
                        let possessive =
                            matches!(a, Some('s' | 'S')) && !a2.is_some_and(char::is_alphanumeric);
                        if a.is_some_and(char::is_alphabetic) && !possessive {
                            i += n.len_utf8();
                            continue;
                        }
                        break;
                    }
                    // Dotted acronyms: U.S., U.K., D.C. (single letters separated by dots).
                    if n == '.' {
                        let word = &text[start..i];
                        let last_seg = word.rsplit('.').next().unwrap_or(word);
                        if last_seg.chars().count() == 1 {
                            let after = &text[i + 1..end];
                            let a = after.chars().next();
                            let a2 = after.chars().nth(1);
                            if a.is_some_and(char::is_alphabetic) && a2 == Some('.') {
                                i += 1;
                                continue;
                            }
                            if word.contains('.') {
                                // Closing dot of U.S.
                                i += 1;
                            }
                        }
                    }
                    break;
                }
                kind = TokenKind::Word;
            } else if matches!(c, '\'' | '’')
                && !space_before
                && text[i + c.len_utf8()..end].starts_with(['s', 'S'])
                && !text[i + c.len_utf8() + 1..end]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
            {
                i += c.len_utf8() + 1;
                kind = TokenKind::Possessive;
            } else {
                i += c.len_utf8();
                kind = TokenKind::Punct;
            }
            out.push(Token {
                start,
                end: i,
                kind,
                space_before,
            });
            space_before = false;
        }
    }

    #[test]
    fn tokens_equal_the_char_by_char_tokenizer() {
        let pieces = [
            "a", "Z", "5", "’s", "'s", "'S", "’", "'", "s", " ", "\u{b}", "\u{a0}", ".", ",", "-",
            "U.S.", "é", "中", "—", "“", "\u{2028}", "٣", "1,2", "x.", "\t", "\n", "$", "k",
        ];
        let mut next = crate::test_rng(0x9e37_79b9_7f4a_7c15u64);
        for _ in 0..20_000 {
            let text: String = (0..1 + next(12))
                .map(|_| pieces[next(pieces.len())])
                .collect();
            let cuts: Vec<usize> = (0..=text.len())
                .filter(|&p| text.is_char_boundary(p))
                .collect();
            let (a, b) = (cuts[next(cuts.len())], cuts[next(cuts.len())]);
            let r = a.min(b)..a.max(b);
            let (mut got, mut want) = (Vec::new(), Vec::new());
            tokenize(&text, r.clone(), &mut got);
            reference_tokenize(&text, r, &mut want);
            assert_eq!(got, want, "{text:?}");
        }
        for b in 0..0x80u8 {
            let text = format!("ab{0}cd e{0} 1{0}2 x{0}s {0}", b as char);
            let (mut got, mut want) = (Vec::new(), Vec::new());
            tokenize(&text, 0..text.len(), &mut got);
            reference_tokenize(&text, 0..text.len(), &mut want);
            assert_eq!(got, want, "byte {b}");
        }
    }

    #[test]
    fn tokens_keep_acronyms_and_split_possessives() {
        let text = "Trump’s U.S. envoy, Steve Witkoff-led 1,200.5 talks";
        let mut toks = Vec::new();
        tokenize(text, 0..text.len(), &mut toks);
        let words: Vec<&str> = toks.iter().map(|t| &text[t.range()]).collect();
        assert_eq!(
            words,
            vec![
                "Trump", "’s", "U.S.", "envoy", ",", "Steve", "Witkoff", "-", "led", "1,200.5",
                "talks"
            ]
        );
        assert_eq!(toks[1].kind, TokenKind::Possessive);
    }
}
