//! The reference lists (places, organizations, public figures, first names, titles,
//! honorifics), loaded once into one Aho-Corasick automaton and looked up at each token.
//!
//! Every distinct surface form is one pattern; a pattern carries everything the lists know
//! about it (`Georgia` is a country, a US state and a first name), and the finder decides from
//! context which reading applies. Lists are evidence, not the whole answer.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Input, MatchKind};

use super::normalize::name_key;
use super::Gender;
use crate::text::{tokenize, Token, Tokens};

const COUNTRIES: &str = include_str!("../../../../data/gazetteer/countries.txt");
const CITIES: &str = include_str!("../../../../data/gazetteer/cities.txt");
const REGIONS: &str = include_str!("../../../../data/gazetteer/regions.txt");
const ORGS: &str = include_str!("../../../../data/gazetteer/orgs.txt");
const OUTLETS: &str = include_str!("../../../../data/gazetteer/outlets.txt");
const PEOPLE: &str = include_str!("../../../../data/gazetteer/people.txt");
const FIRST_NAMES: &str = include_str!("../../../../data/gazetteer/first_names.txt");
const ROLES: &str = include_str!("../../../../data/gazetteer/roles.txt");
const HONORIFICS: &str = include_str!("../../../../data/gazetteer/honorifics.txt");
const STOPWORDS: &str = include_str!("../../../../data/gazetteer/stopwords.txt");

/// Broad families of titles, used to link "the Russian leader" to "President Putin".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoleClass {
    Leader,
    Minister,
    Envoy,
    Spokesperson,
    Official,
    Legislator,
    Judicial,
    Other,
}

/// What a given first name tells about gender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FirstName {
    Male,
    Female,
    Unisex,
}

impl FirstName {
    pub(crate) fn gender(self) -> Option<Gender> {
        match self {
            FirstName::Male => Some(Gender::Male),
            FirstName::Female => Some(Gender::Female),
            FirstName::Unisex => None,
        }
    }
}

/// Everything the lists know about one surface form.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lex {
    pub place: Option<u32>,
    pub org: Option<u32>,
    /// A full name or alias of a known public figure.
    pub person: Option<u32>,
    /// The surname of known public figures (several when ambiguous).
    pub surname_of: Vec<u32>,
    pub first: Option<FirstName>,
    pub role: Option<RoleClass>,
    /// Identifies the role head (same head word = same id), for linking role phrases.
    pub head: u32,
    pub modifier: bool,
    /// The place a demonym refers to (`Russian` → Russia).
    pub demonym: Option<u32>,
    pub honorific: Option<Option<Gender>>,
    pub stop: bool,
    /// Month or weekday names: dates, never names.
    pub date_word: bool,
}

impl Lex {
    pub(crate) const PLACE: u16 = 1;
    pub(crate) const ORG: u16 = 1 << 1;
    pub(crate) const PERSON: u16 = 1 << 2;
    pub(crate) const SURNAME: u16 = 1 << 3;
    pub(crate) const FIRST: u16 = 1 << 4;
    pub(crate) const ROLE: u16 = 1 << 5;
    pub(crate) const MODIFIER: u16 = 1 << 6;
    pub(crate) const DEMONYM: u16 = 1 << 7;
    pub(crate) const HONORIFIC: u16 = 1 << 8;
    pub(crate) const STOP: u16 = 1 << 9;
    pub(crate) const DATE: u16 = 1 << 10;

    /// Which of its readings the entry has, as bits.
    fn flags(&self) -> u16 {
        let mut f = 0;
        for (on, bit) in [
            (self.place.is_some(), Self::PLACE),
            (self.org.is_some(), Self::ORG),
            (self.person.is_some(), Self::PERSON),
            (!self.surname_of.is_empty(), Self::SURNAME),
            (self.first.is_some(), Self::FIRST),
            (self.role.is_some(), Self::ROLE),
            (self.modifier, Self::MODIFIER),
            (self.demonym.is_some(), Self::DEMONYM),
            (self.honorific.is_some(), Self::HONORIFIC),
            (self.stop, Self::STOP),
            (self.date_word, Self::DATE),
        ] {
            if on {
                f |= bit;
            }
        }
        f
    }
}

/// A place or organization: its cross-document key (of the canonical name).
#[derive(Debug, Clone)]
pub(crate) struct Canon {
    pub key: String,
}

/// A known public figure.
#[derive(Debug, Clone)]
pub(crate) struct KnownPerson {
    pub name: String,
    /// [`name_key`] of `name`, which the finder needs for every mention.
    pub key: String,
    pub gender: Option<Gender>,
    pub role: RoleSig,
}

/// The parts of a title that matter for linking role phrases: its head and the places and
/// organizations it is attached to.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RoleSig {
    pub head: Option<u32>,
    pub class: Option<RoleClass>,
    pub places: Vec<u32>,
    pub orgs: Vec<u32>,
}

/// The compiled reference lists.
pub struct Lexicon {
    /// Every surface form as a trie, walked from token starts (see `matches`).
    trie: Trie,
    /// Every surface form, for the plain scan that defines `matches`.
    patterns: Vec<String>,
    /// The leftmost-longest automaton of `patterns`, built when the scan is first needed
    /// (lexicons with patterns that do not start on tokens, and tests): its failure links,
    /// which only the scan uses, cost more to work out than the rest of the lists.
    scan_nfa: OnceLock<NFA>,
    /// The first two bytes of every pattern, as bits: most words start no pattern, and this
    /// says so without walking the automaton.
    starts: Box<[u64; 1024]>,
    /// The bytes that are patterns on their own (`I`).
    singles: [bool; 256],
    /// Pattern prefixes that stop right before a non-alphanumeric character (`al` of
    /// `al Thani`, `vice` of `vice president`): a token ending in one may hold the start of
    /// a match that runs on past it (`Service president`). See [`Lexicon::matches`].
    tails: Tails,
    /// Some pattern is empty or starts with whitespace, so matches need not start on tokens:
    /// only the plain scan is exact.
    scan_only: bool,
    /// Tells lexicons apart for the per-thread [`WordMemo`], which holds walks of this one.
    id: u64,
    pub(crate) entries: Vec<Lex>,
    /// [`Lex::flags`] of each entry: the finder tests these for nearly every token.
    pub(crate) flags: Vec<u16>,
    pub(crate) places: Vec<Canon>,
    pub(crate) orgs: Vec<Canon>,
    pub(crate) people: Vec<KnownPerson>,
}

/// User additions to the built-in lists.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    pub people: Vec<String>,
    pub orgs: Vec<String>,
    pub places: Vec<String>,
}

impl Extras {
    /// Reads a list file: `person|Name|alias,alias`, `org|…`, `place|…` lines, `#` comments.
    pub fn add_list(&mut self, content: &str) -> Result<(), String> {
        for (n, line) in content.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (kind, rest) = line
                .split_once('|')
                .ok_or_else(|| format!("line {}: expected KIND|Name", n + 1))?;
            match kind.trim().to_ascii_lowercase().as_str() {
                "person" => self.people.push(rest.to_string()),
                "org" => self.orgs.push(rest.to_string()),
                "place" => self.places.push(rest.to_string()),
                other => {
                    return Err(format!(
                        "line {}: unknown kind `{other}` (person, org or place)",
                        n + 1
                    ))
                }
            }
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty() && self.orgs.is_empty() && self.places.is_empty()
    }
}

impl Lexicon {
    /// The built-in lists, compiled on first use and shared by every stage instance.
    pub fn builtin() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| Lexicon::build(&Extras::default()))
    }

    /// The built-in lists plus the user's.
    pub fn build(extras: &Extras) -> Lexicon {
        let (b, people_roles) = Builder::with_lists(extras);
        let trie = Trie::new(&b.patterns);
        let mut starts = Box::new([0u64; 1024]);
        let mut singles = [false; 256];
        let mut tails = Tails::default();
        for p in &b.patterns {
            match *p.as_bytes() {
                [a] => singles[a as usize] = true,
                [a, b, ..] => {
                    let bit = (a as usize) << 8 | b as usize;
                    starts[bit / 64] |= 1 << (bit % 64);
                }
                [] => {}
            }
            for (k, c) in p.char_indices().skip(1) {
                if !c.is_alphanumeric() {
                    tails.insert(&p[..k]);
                }
            }
        }
        let scan_only = b
            .patterns
            .iter()
            .any(|p| p.chars().next().is_none_or(char::is_whitespace));
        let mut lex = Lexicon {
            trie,
            patterns: b.patterns,
            scan_nfa: OnceLock::new(),
            starts,
            singles,
            tails,
            scan_only,
            id: NEXT_LEXICON_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            flags: b.entries.iter().map(Lex::flags).collect(),
            entries: b.entries,
            places: b.places,
            orgs: b.orgs,
            people: b.people,
        };
        for (i, role) in people_roles.into_iter().enumerate() {
            lex.people[i].role = lex.role_sig(&role);
        }
        lex
    }

    /// Lexicon items of `text[range]`: for each token index, the longest list entry starting
    /// there and the token index it ends at (inclusive). Tokens must be those of `range`.
    ///
    /// The result is defined by one leftmost-longest scan of the whole sentence ([`Self::scan`]),
    /// keeping the matches that start and end on token edges. That scan is slow: the gazetteer
    /// holds many short common words, so it stops at nearly every token, and a DFA fast enough
    /// to scan every byte takes megabytes that do not stay in cache. This gives the same
    /// answer with an anchored lookup at each token start instead. The scan also finds
    /// matches that start inside a word; those are dropped, but one that runs on past its word
    /// (`vice president` in `Service president`) hides the entries it overlaps, so inside a
    /// word that could start such a match (it ends in a pattern prefix that continues with a
    /// non-alphanumeric character, see `tails`) every position is tried as the scan would.
    pub(crate) fn matches(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        tokens: &[Token],
        out: &mut Vec<Option<(u32, usize)>>,
    ) {
        if self.scan_only {
            return self.scan(text, range, tokens, out);
        }
        out.clear();
        out.resize(tokens.len(), None);
        self.with_memo(|memo| self.matches_memo(text, range, tokens, out, memo));
    }

    /// Runs `f` with this thread's word memo, emptied first if it was filled for another
    /// lexicon.
    fn with_memo(&self, f: impl FnOnce(&mut [(u128, WordWalk)])) {
        WORD_MEMO.with(|m| {
            let mut memo = m.borrow_mut();
            if memo.lexicon != self.id || memo.slots.is_empty() {
                memo.slots.clear();
                memo.slots.resize(WordMemo::SLOTS, (0, self.walk(&[])));
                memo.lexicon = self.id;
            }
            f(&mut memo.slots);
        });
    }

    /// Tokenizes `text[range]`, appending its tokens to `tokens`, and fills `out` with what
    /// [`Self::matches`] gives for them. One pass: each word is looked up while it is at hand,
    /// instead of being read back from the token list by a second loop.
    pub(crate) fn tokenize_matches(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        tokens: &mut Vec<Token>,
        out: &mut Vec<Option<(u32, usize)>>,
    ) {
        let from = tokens.len();
        if self.scan_only {
            tokenize(text, range.clone(), tokens);
            return self.scan(text, range, &tokens[from..], out);
        }
        out.clear();
        self.with_memo(|memo| self.tokenize_matches_memo(text, range, tokens, out, memo));
    }

    /// [`Self::matches_memo`] on tokens as the tokenizer makes them. A match that runs past
    /// its token is settled once the tokens reach its end; no lookup happens before then,
    /// since the scan resumes only there.
    fn tokenize_matches_memo(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        tokens: &mut Vec<Token>,
        out: &mut Vec<Option<(u32, usize)>>,
        memo: &mut [(u128, WordWalk)],
    ) {
        let hay = &text.as_bytes()[..range.end];
        let end = range.end;
        // Where the scan would resume: the end of the last match it reported.
        let mut at = range.start;
        // A match longer than its token: (token index, pattern, end byte).
        let mut pending: Option<(usize, u32, usize)> = None;
        let bytes = text.as_bytes();
        let mut cursor = Tokens::new(text, range);
        loop {
            // The common case in one step: an ASCII word of 2 to 15 bytes ended by a space,
            // comma or full stop, whose walk is in the memo and settles there. The bytes loaded
            // to find the word's end are its key. Anything else takes the general path below,
            // from the same place.
            let (i, _) = cursor.position();
            // An ASCII word the one-step test measured but could not settle is taken as it
            // stands, with its key: tokenizing it again would find the same end.
            let mut measured = None;
            if pending.is_none() && i >= at && i < end && i + 16 <= bytes.len() {
                match self.settled_word(bytes, i, end, memo) {
                    Step::Settled(tok) => {
                        let ti = out.len();
                        let tok_end = i + tok.len;
                        tokens.push(cursor.take_word(tok_end));
                        out.push(tok.id.map(|id| (id, ti)));
                        if tok.id.is_some() {
                            at = tok_end;
                        }
                        continue;
                    }
                    Step::Word { len, key } => measured = Some((cursor.take_word(i + len), key)),
                    Step::Other => {}
                }
            }
            let (tok, key) = match measured {
                Some((tok, key)) => (tok, Some(key)),
                None => match cursor.next_token() {
                    Some(tok) => (tok, None),
                    None => break,
                },
            };
            let ti = out.len();
            tokens.push(tok);
            out.push(None);
            if let Some((pt, id, pend)) = pending {
                if tok.end >= pend {
                    if tok.end == pend {
                        out[pt] = Some((id, ti));
                    }
                    pending = None;
                }
            }
            if at >= tok.end {
                // Inside the last match: neither looked up nor able to start one that counts.
                continue;
            }
            // The same words come back all the time: their walk is looked up, not redone. A
            // single byte (mostly punctuation) is cheaper to walk than to look up, but for a
            // one-letter word (`a`), which the one-step test takes from the memo.
            // The whole text for the key: its one 16-byte load may read past the sentence.
            let walk = if tok.end - tok.start > 1 || bytes[tok.start].is_ascii_alphabetic() {
                key.or_else(|| word_key(bytes, tok.start, tok.end))
                    .map(|k| {
                        let slot = &mut memo[WordMemo::slot(k)];
                        if slot.0 != k {
                            *slot = (k, self.walk(&hay[tok.start..tok.end]));
                        }
                        slot.1
                    })
            } else {
                None
            };
            if tok.start >= at {
                let found = match walk {
                    Some(w) => self.finish_walk(hay, tok.start, tok.end, w),
                    None => self.longest_at(hay, tok.start),
                };
                if let Some((id, mend)) = found {
                    at = mend;
                    if mend == tok.end {
                        out[ti] = Some((id, ti));
                    } else if mend > tok.end {
                        pending = Some((ti, id, mend));
                    }
                }
            }
            if at >= tok.end {
                continue;
            }
            // A single byte (punctuation mostly) has no inside: no call to learn that.
            let runs_on = tok.end - tok.start >= 2
                && match walk {
                    Some(w) => self.may_run_on_with(text, tok, end, || w.tails),
                    None => self.may_run_on(text, tok, end),
                };
            if !runs_on {
                continue;
            }
            at = self.past_inner_matches(hay, tok.start, tok.end, at);
        }
    }

    /// The word at byte `i` of `bytes` (an ASCII letter there, 16 bytes readable) when the
    /// one-step path of [`Self::tokenize_matches_memo`] can take it: its length and the entry
    /// it is (only when exactly the word); else, when the token is still plainly that word,
    /// its length and key for the general way; else nothing.
    #[inline(always)]
    fn settled_word(&self, bytes: &[u8], i: usize, end: usize, memo: &[(u128, WordWalk)]) -> Step {
        if !bytes[i].is_ascii_alphabetic() {
            return Step::Other;
        }
        let w = u128::from_le_bytes(bytes[i..i + 16].try_into().expect("sixteen bytes"));
        let mut len = crate::text::ascii_word_run(w as u64);
        if len == 8 {
            len += crate::text::ascii_word_run((w >> 64) as u64);
        }
        // Longer words have no key; a word running to the end of the range is cut there.
        if len > 15 || i + len >= end {
            return Step::Other;
        }
        // Past an ASCII byte other than an apostrophe the word ends (a full stop too when the
        // word has two letters or more and no dot of its own, so it is no acronym; one letter
        // and a dot may be an initial or `U.S.`).
        let next = bytes[i + len];
        if next >= 0x80 || next == b'\'' || (len == 1 && next == b'.') {
            return Step::Other;
        }
        let key = w & KEY_MASKS[len] | (len as u128) << 120;
        let slot = &memo[WordMemo::slot(key)];
        if slot.0 != key {
            return Step::Word { len, key };
        }
        let walk = &slot.1;
        // The walk dies on the byte after the word: no entry runs past it.
        let follower = match next {
            b' ' => 1,
            b',' => 2,
            b'.' => 4,
            _ => 0,
        };
        if walk.dead_after & follower == 0 {
            return Step::Word { len, key };
        }
        match walk.found {
            Some((id, found)) if usize::from(found) == len => {
                Step::Settled(SettledWord { len, id: Some(id) })
            }
            // No entry, and none starting inside the word can run past it (the byte after is
            // no letter or digit, and the word ends in no tail).
            None if !walk.tails => Step::Settled(SettledWord { len, id: None }),
            _ => Step::Word { len, key },
        }
    }

    fn matches_memo(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        tokens: &[Token],
        out: &mut [Option<(u32, usize)>],
        memo: &mut [(u128, WordWalk)],
    ) {
        let hay = &text.as_bytes()[..range.end];
        // Where the scan would resume: the end of the last match it reported.
        let mut at = range.start;
        for ti in 0..tokens.len() {
            let tok = tokens[ti];
            let word = &hay[tok.start..tok.end];
            // The same words come back all the time: their walk is looked up, not redone. A
            // single byte (mostly punctuation) is cheaper to walk than to look up.
            // The whole text for the key: its one 16-byte load may read past the sentence.
            let key = (word.len() > 1).then(|| word_key(text.as_bytes(), tok.start, tok.end));
            let walk = key.flatten().map(|k| {
                let slot = &mut memo[WordMemo::slot(k)];
                if slot.0 != k {
                    *slot = (k, self.walk(word));
                }
                slot.1
            });
            if tok.start >= at {
                let found = match walk {
                    Some(w) => self.finish_walk(hay, tok.start, tok.end, w),
                    None => self.longest_at(hay, tok.start),
                };
                if let Some((id, end)) = found {
                    at = end;
                    if let Some(tj) = token_ending_at(tokens, ti, at) {
                        out[ti] = Some((id, tj));
                    }
                }
            }
            if at >= tok.end {
                continue;
            }
            let runs_on = match walk {
                Some(w) => self.may_run_on_with(text, tok, range.end, || w.tails),
                None => self.may_run_on(text, tok, range.end),
            };
            if !runs_on {
                continue;
            }
            at = self.past_inner_matches(hay, tok.start, tok.end, at);
        }
    }

    /// Where the scan stands after the word `start..end`, from `at` inside it. Matches inside
    /// the word are never kept, but one that runs past it hides what it overlaps; the scan
    /// takes the leftmost, so each position is tried in turn.
    #[inline(always)]
    fn past_inner_matches(&self, hay: &[u8], start: usize, end: usize, mut at: usize) -> usize {
        let mut q = at.max(start + 1);
        while q < end {
            match self.longest_at(hay, q) {
                Some((_, e)) => {
                    q = e;
                    at = e;
                }
                None => q += 1,
            }
        }
        at
    }

    /// The longest entry starting at byte `start` of `hay` and where it ends. A walk of the
    /// automaton's trie: the call overhead of a full anchored search would cost as much as
    /// the few bytes a lookup reads.
    #[inline]
    fn longest_at(&self, hay: &[u8], start: usize) -> Option<(u32, usize)> {
        let first = hay[start];
        let pair = match hay.get(start + 1) {
            Some(&b) => {
                let bit = (first as usize) << 8 | b as usize;
                self.starts[bit / 64] & (1 << (bit % 64)) != 0
            }
            None => false,
        };
        if !pair && !self.singles[first as usize] {
            return None;
        }
        let mut found = None;
        self.walk_on(Trie::ROOT, &hay[start..], 0, &mut found);
        found.map(|(id, len)| (id, start + len))
    }

    /// Walks the trie from `sid` over `bytes`, which begin `done` bytes after the start of the
    /// entries sought, keeping in `found` the longest entry that begins at that start as
    /// (pattern, length). Returns the state reached ([`Trie::DEAD`] if the walk stopped).
    #[inline]
    fn walk_on(
        &self,
        mut sid: u32,
        bytes: &[u8],
        done: usize,
        found: &mut Option<(u32, usize)>,
    ) -> u32 {
        for (i, &b) in bytes.iter().enumerate() {
            sid = self.trie.next(sid, b);
            if sid == Trie::DEAD {
                break;
            }
            let id = self.trie.nodes[sid as usize].pattern;
            if id != Trie::NONE {
                *found = Some((id, done + i + 1));
            }
        }
        sid
    }

    /// What [`Self::longest_at`] and [`Self::may_run_on`] learn from the bytes of one word
    /// alone.
    fn walk(&self, word: &[u8]) -> WordWalk {
        let mut found = None;
        let sid = self.walk_on(Trie::ROOT, word, 0, &mut found);
        let found = found.map(|(id, len)| (id, len as u8));
        let mut dead_after = 0;
        for (k, &b) in FOLLOWERS.iter().enumerate() {
            if sid == Trie::DEAD || self.trie.next(sid, b) == Trie::DEAD {
                dead_after |= 1 << k;
            }
        }
        WordWalk {
            sid,
            found,
            tails: word.len() >= 2 && self.tails.ends(&word[1..]),
            dead_after,
        }
    }

    /// [`Self::longest_at`] at the token `start..end`, from the walk of its bytes.
    #[inline]
    fn finish_walk(
        &self,
        hay: &[u8],
        start: usize,
        end: usize,
        w: WordWalk,
    ) -> Option<(u32, usize)> {
        let mut found = w.found.map(|(id, len)| (id, len as usize));
        // Most words are followed by a space or a comma or full stop that ends every entry
        // they begin: the walk would stop at once.
        let stops = match hay.get(end) {
            Some(b' ') => w.dead_after & 1 != 0,
            Some(b',') => w.dead_after & 2 != 0,
            Some(b'.') => w.dead_after & 4 != 0,
            _ => false,
        };
        if !stops && w.sid != Trie::DEAD {
            self.walk_on(w.sid, &hay[end..], end - start, &mut found);
        }
        found.map(|(id, len)| (id, start + len))
    }

    /// Whether a match starting inside `tok` (after its first character) could run past it.
    fn may_run_on(&self, text: &str, tok: Token, end: usize) -> bool {
        let word = &text.as_bytes()[tok.start..tok.end];
        self.may_run_on_with(text, tok, end, || self.tails.ends(&word[1..]))
    }

    /// [`Self::may_run_on`], with `tails` saying whether the word after its first byte ends
    /// in a tail.
    #[inline]
    fn may_run_on_with(
        &self,
        text: &str,
        tok: Token,
        end: usize,
        tails: impl FnOnce() -> bool,
    ) -> bool {
        if tok.end - tok.start < 2 || tok.end >= end {
            return false;
        }
        // Tokens mostly end before a non-alphanumeric character; after `U.S.` or `5` a letter
        // may follow directly, and the tails do not cover that.
        let next = text.as_bytes()[tok.end];
        let follows = if next < 0x80 {
            next.is_ascii_alphanumeric()
        } else {
            text[tok.end..end]
                .chars()
                .next()
                .is_some_and(crate::text::is_alphanumeric)
        };
        follows || tails()
    }

    /// The leftmost-longest scan of `text[range]` that defines [`Self::matches`].
    fn scan(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        tokens: &[Token],
        out: &mut Vec<Option<(u32, usize)>>,
    ) {
        out.clear();
        out.resize(tokens.len(), None);
        if tokens.is_empty() {
            return;
        }
        let input = Input::new(&text[range.clone()]);
        let nfa = self.scan_nfa.get_or_init(|| {
            // Leftmost-longest: at each position the longest entry ("Donald Trump" over
            // "Donald").
            NFA::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&self.patterns)
                .expect("gazetteer patterns compile")
        });
        let iter = nfa.try_find_iter(input);
        // Leftmost-longest matches come in text order: walk the tokens alongside. A match
        // that does not start and end on token edges (`king` in `making`) is dropped.
        let mut ti = 0;
        for m in iter.expect("unanchored searches were built") {
            let s = range.start + m.start();
            let e = range.start + m.end();
            while ti < tokens.len() && tokens[ti].start < s {
                ti += 1;
            }
            if ti == tokens.len() {
                break;
            }
            if tokens[ti].start != s {
                continue;
            }
            if let Some(tj) = token_ending_at(tokens, ti, e) {
                out[ti] = Some((m.pattern().as_u32(), tj));
            }
        }
    }

    /// The signature of a title written out (`Russian President`, `NATO Secretary-General`).
    pub(crate) fn role_sig(&self, role: &str) -> RoleSig {
        let mut sig = RoleSig::default();
        let mut tokens = Vec::new();
        tokenize(role, 0..role.len(), &mut tokens);
        let mut items = Vec::new();
        self.matches(role, 0..role.len(), &tokens, &mut items);
        let mut i = 0;
        while i < tokens.len() {
            if let Some((id, end)) = items[i] {
                let lex = &self.entries[id as usize];
                if lex.role.is_some() {
                    sig.head = Some(lex.head);
                    sig.class = lex.role;
                }
                if let Some(p) = lex.demonym.or(lex.place) {
                    sig.places.push(p);
                }
                if let Some(o) = lex.org {
                    sig.orgs.push(o);
                }
                i = end + 1;
            } else {
                i += 1;
            }
        }
        sig
    }

    pub(crate) fn entry(&self, id: u32) -> &Lex {
        &self.entries[id as usize]
    }
}

static NEXT_LEXICON_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The walk of the anchored automaton over the bytes of one word: where it stands after them
/// (dead or not), the longest entry it found inside them (id, length), and whether the word
/// after its first byte ends in a tail.
#[derive(Debug, Clone, Copy)]
struct WordWalk {
    sid: u32,
    found: Option<(u32, u8)>,
    tails: bool,
    /// Bit `k`: the walk dies on [`FOLLOWERS`]`[k]` right after the word.
    dead_after: u8,
}

/// A word [`Lexicon::settled_word`] took: its length and the entry it is exactly.
struct SettledWord {
    len: usize,
    id: Option<u32>,
}

/// What [`Lexicon::settled_word`] made of the bytes at a token start.
enum Step {
    /// Taken in one step.
    Settled(SettledWord),
    /// The token is the ASCII word of `len` bytes there, with its [`word_key`], but its
    /// lookup takes the general way.
    Word { len: usize, key: u128 },
    /// Neither: the tokenizer decides.
    Other,
}

/// The patterns as a trie: what the leftmost-longest automaton does on an anchored walk (it
/// follows the same trie and never a failure link), without the failure links it would work
/// out for every state.
struct Trie {
    /// State [`Trie::ROOT`] is the root; every other state is reached by one byte from its
    /// parent, whose children are chained in byte order (but the root's, which are only
    /// looked up by byte).
    nodes: Vec<TrieNode>,
    /// The children of the states with many (the root and those near it) by byte, 256 to a
    /// state: chasing the chain there would take many steps.
    dense: Vec<u32>,
}

#[derive(Clone, Copy)]
struct TrieNode {
    /// The byte on the edge into the state.
    byte: u8,
    /// The first child in byte order and the next sibling ([`Trie::DEAD`]: none).
    first_child: u32,
    next_sibling: u32,
    /// The pattern that ends here ([`Trie::NONE`]: none).
    pattern: u32,
    /// Where the state's 256 children start in `dense` ([`Trie::NONE`]: not dense).
    dense: u32,
}

impl Trie {
    const ROOT: u32 = 0;
    const DEAD: u32 = u32::MAX;
    const NONE: u32 = u32::MAX;
    /// A state with this many children or more looks them up by byte.
    const DENSE_FROM: usize = 6;

    fn new(patterns: &[String]) -> Trie {
        let node = |byte| TrieNode {
            byte,
            first_child: Self::DEAD,
            next_sibling: Self::DEAD,
            pattern: Self::NONE,
            dense: Self::NONE,
        };
        // No more states than pattern bytes: room for them all at once.
        let room = patterns.iter().map(String::len).sum::<usize>() + 1;
        let mut nodes = Vec::with_capacity(room);
        nodes.push(node(0));
        let mut children = Vec::with_capacity(room);
        children.push(0usize);
        // The root has a child for nearly every first byte: those are found by byte.
        let mut root = [Self::DEAD; 256];
        for (id, p) in patterns.iter().enumerate() {
            let mut sid = Self::ROOT;
            for &b in p.as_bytes() {
                if sid == Self::ROOT {
                    if root[b as usize] == Self::DEAD {
                        root[b as usize] = nodes.len() as u32;
                        nodes.push(node(b));
                        children.push(0);
                        children[0] += 1;
                    }
                    sid = root[b as usize];
                    continue;
                }
                // The children are chained in byte order: the new one goes where its byte
                // belongs.
                let (mut prev, mut c) = (Self::DEAD, nodes[sid as usize].first_child);
                while c != Self::DEAD && nodes[c as usize].byte < b {
                    prev = c;
                    c = nodes[c as usize].next_sibling;
                }
                if c == Self::DEAD || nodes[c as usize].byte != b {
                    let new = nodes.len() as u32;
                    nodes.push(TrieNode {
                        next_sibling: c,
                        ..node(b)
                    });
                    children.push(0);
                    children[sid as usize] += 1;
                    match prev {
                        Self::DEAD => nodes[sid as usize].first_child = new,
                        prev => nodes[prev as usize].next_sibling = new,
                    }
                    c = new;
                }
                sid = c;
            }
            // Equal patterns: the automaton reports the first.
            if nodes[sid as usize].pattern == Self::NONE {
                nodes[sid as usize].pattern = id as u32;
            }
        }
        let mut dense = root.to_vec();
        nodes[Self::ROOT as usize].dense = 0;
        for s in 1..nodes.len() {
            if children[s] < Self::DENSE_FROM {
                continue;
            }
            let base = dense.len();
            dense.resize(base + 256, Self::DEAD);
            let mut c = nodes[s].first_child;
            while c != Self::DEAD {
                dense[base + nodes[c as usize].byte as usize] = c;
                c = nodes[c as usize].next_sibling;
            }
            nodes[s].dense = base as u32;
        }
        Trie { nodes, dense }
    }

    /// The state after `b` from state `sid` (not dead), or [`Trie::DEAD`].
    #[inline(always)]
    fn next(&self, sid: u32, b: u8) -> u32 {
        let n = &self.nodes[sid as usize];
        if n.dense != Self::NONE {
            return self.dense[n.dense as usize + b as usize];
        }
        let mut c = n.first_child;
        while c != Self::DEAD {
            let child = &self.nodes[c as usize];
            if child.byte >= b {
                return if child.byte == b { c } else { Self::DEAD };
            }
            c = child.next_sibling;
        }
        Self::DEAD
    }
}

/// The bytes that most often follow a word.
const FOLLOWERS: [u8; 3] = [b' ', b',', b'.'];

/// Walks of words seen on this thread, for one lexicon at a time: a direct-mapped table (a
/// word evicts the one in its slot), as a hash map lookup costs more than most walks it saves.
#[derive(Default)]
struct WordMemo {
    lexicon: u64,
    /// ([`word_key`], its walk); key 0 (no word has it: the length is in the key) is empty.
    slots: Vec<(u128, WordWalk)>,
}

impl WordMemo {
    /// Enough for the common vocabulary of news copy; half a megabyte.
    const SLOTS: usize = 1 << 14;

    #[inline]
    fn slot(key: u128) -> usize {
        let h = ((key as u64) ^ ((key >> 64) as u64).rotate_left(29))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> (64 - Self::SLOTS.trailing_zeros())) as usize
    }
}

thread_local! {
    static WORD_MEMO: std::cell::RefCell<WordMemo> = const {
        std::cell::RefCell::new(WordMemo {
            lexicon: u64::MAX,
            slots: Vec::new(),
        })
    };
}

/// The word `hay[start..end]` if at most 15 bytes, with its length, as a map key that needs no
/// allocation.
#[inline]
fn word_key(hay: &[u8], start: usize, end: usize) -> Option<u128> {
    let len = end - start;
    if len > 15 {
        return None;
    }
    let bytes = match hay.get(start..start + 16) {
        // One load, the bytes after the word masked off.
        Some(b) => u128::from_le_bytes(b.try_into().expect("sixteen bytes")),
        None => {
            let mut buf = [0u8; 16];
            buf[..len].copy_from_slice(&hay[start..end]);
            u128::from_le_bytes(buf)
        }
    };
    Some(bytes & KEY_MASKS[len] | (len as u128) << 120)
}

/// The masks keeping the first `len` bytes of a key, for `len` below 16: a variable shift of
/// a 128-bit value takes several instructions, one load of the mask does not.
const KEY_MASKS: [u128; 16] = {
    let mut m = [0u128; 16];
    let mut len = 0;
    while len < 16 {
        m[len] = (1u128 << (8 * len)) - 1;
        len += 1;
    }
    m
};

/// The token from `ti` on that ends at byte `end`, if one does.
fn token_ending_at(tokens: &[Token], ti: usize, end: usize) -> Option<usize> {
    let tj = ti + tokens[ti..].iter().position(|t| t.end >= end)?;
    (tokens[tj].end == end).then_some(tj)
}

/// A set of strings, stored reversed in a trie, asked whether a word ends in one of them.
struct Tails {
    /// The root's children by byte (0: none), as every word starts there.
    root: [u32; 256],
    /// Each node's edges as (byte, node), sorted by byte; node 0 is the root.
    edges: Vec<Vec<(u8, u32)>>,
    /// Whether the bytes from the root to the node, reversed, are in the set.
    end: Vec<bool>,
}

impl Default for Tails {
    fn default() -> Tails {
        Tails {
            root: [0; 256],
            edges: vec![Vec::new()],
            end: vec![false],
        }
    }
}

impl Tails {
    fn insert(&mut self, s: &str) {
        let mut node = 0;
        for &b in s.as_bytes().iter().rev() {
            node = match self.edges[node].binary_search_by_key(&b, |e| e.0) {
                Ok(i) => self.edges[node][i].1 as usize,
                Err(i) => {
                    let new = self.edges.len();
                    self.edges[node].insert(i, (b, new as u32));
                    self.edges.push(Vec::new());
                    self.end.push(false);
                    if node == 0 {
                        self.root[b as usize] = new as u32;
                    }
                    new
                }
            };
        }
        self.end[node] = true;
    }

    /// Whether some non-empty suffix of `word` is in the set.
    fn ends(&self, word: &[u8]) -> bool {
        let Some((&last, rest)) = word.split_last() else {
            return false;
        };
        let mut node = self.root[last as usize] as usize;
        if node == 0 {
            return false;
        }
        for &b in rest.iter().rev() {
            if self.end[node] {
                return true;
            }
            match self.edges[node].iter().find(|e| e.0 == b) {
                Some(e) => node = e.1 as usize,
                None => return false,
            }
        }
        self.end[node]
    }
}

fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn split_list(field: &str) -> impl Iterator<Item = &str> {
    field.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// The hasher of the list builder's maps: rustc-hash's, which hashes the short names of the
/// lists in a fraction of the default hasher's time. The maps are only looked up, never
/// iterated, and hold the built-in lists and the user's own: nothing to defend against.
type ShortKeys = rustc_hash::FxBuildHasher;

#[derive(Default)]
struct Builder {
    patterns: Vec<String>,
    index: HashMap<String, usize, ShortKeys>,
    entries: Vec<Lex>,
    places: Vec<Canon>,
    place_index: HashMap<String, u32, ShortKeys>,
    orgs: Vec<Canon>,
    org_index: HashMap<String, u32, ShortKeys>,
    people: Vec<KnownPerson>,
    heads: Vec<String>,
    head_index: HashMap<String, u32, ShortKeys>,
}

impl Builder {
    /// The built-in lists and `extras`, with the role of each known person as written.
    fn with_lists(extras: &Extras) -> (Builder, Vec<String>) {
        let mut b = Builder::default();
        // Each line gives a few surface forms (case variants, aliases, demonyms): room for
        // them up front, as growing the pattern index rehashes every pattern each time.
        let lines = [
            COUNTRIES,
            CITIES,
            REGIONS,
            ORGS,
            OUTLETS,
            PEOPLE,
            FIRST_NAMES,
            ROLES,
            HONORIFICS,
            STOPWORDS,
        ]
        .iter()
        .map(|t| t.bytes().filter(|&c| c == b'\n').count())
        .sum::<usize>()
            + extras.people.len()
            + extras.orgs.len()
            + extras.places.len();
        b.index.reserve(3 * lines);
        b.place_index.reserve(lines);
        b.org_index.reserve(lines);
        b.patterns.reserve(3 * lines);
        b.entries.reserve(3 * lines);
        b.load_places(COUNTRIES, true);
        b.load_places(CITIES, false);
        b.load_places(REGIONS, false);
        for line in &extras.places {
            b.place_line(line, false);
        }
        for text in [ORGS, OUTLETS] {
            for line in data_lines(text) {
                b.org_line(line);
            }
        }
        for line in &extras.orgs {
            b.org_line(line);
        }
        b.load_first_names();
        b.load_roles();
        b.load_honorifics();
        b.load_stopwords();
        b.load_dates();
        let mut people_roles = Vec::new();
        for line in data_lines(PEOPLE) {
            people_roles.push(b.person_line(line));
        }
        for line in &extras.people {
            people_roles.push(b.person_line(line));
        }
        (b, people_roles)
    }

    fn entry(&mut self, pattern: &str) -> &mut Lex {
        let i = match self.index.get(pattern) {
            Some(&i) => i,
            None => {
                self.patterns.push(pattern.to_string());
                self.entries.push(Lex::default());
                self.index
                    .insert(pattern.to_string(), self.entries.len() - 1);
                self.entries.len() - 1
            }
        };
        &mut self.entries[i]
    }

    fn canon_place(&mut self, name: &str) -> u32 {
        let key = name_key(name);
        if let Some(&i) = self.place_index.get(&key) {
            return i;
        }
        self.places.push(Canon { key: key.clone() });
        let i = (self.places.len() - 1) as u32;
        self.place_index.insert(key, i);
        i
    }

    fn load_places(&mut self, text: &str, countries: bool) {
        for line in data_lines(text) {
            self.place_line(line, countries);
        }
    }

    fn place_line(&mut self, line: &str, with_demonyms: bool) {
        let mut fields = line.split('|');
        let name = fields.next().unwrap_or("").trim();
        if name.is_empty() {
            return;
        }
        let id = self.canon_place(name);
        self.entry(name).place.get_or_insert(id);
        if let Some(aliases) = fields.next() {
            for a in split_list(aliases) {
                self.entry(a).place.get_or_insert(id);
            }
        }
        if with_demonyms {
            if let Some(demonyms) = fields.next() {
                for d in split_list(demonyms) {
                    let e = self.entry(d);
                    e.demonym.get_or_insert(id);
                    e.modifier = true;
                }
            }
        }
    }

    fn org_line(&mut self, line: &str) {
        let mut fields = line.split('|');
        let name = fields.next().unwrap_or("").trim();
        if name.is_empty() {
            return;
        }
        let key = name_key(name);
        let id = match self.org_index.get(&key) {
            Some(&i) => i,
            None => {
                self.orgs.push(Canon { key: key.clone() });
                let i = (self.orgs.len() - 1) as u32;
                self.org_index.insert(key, i);
                i
            }
        };
        let mut forms = vec![name.to_string()];
        if let Some(aliases) = fields.next() {
            forms.extend(split_list(aliases).map(str::to_string));
        }
        for f in forms {
            // "The New York Times" is also written "the New York Times".
            if let Some(rest) = f.strip_prefix("The ") {
                if !rest.is_empty() {
                    self.entry(rest).org.get_or_insert(id);
                }
            }
            self.entry(&f).org.get_or_insert(id);
        }
    }

    fn person_line(&mut self, line: &str) -> String {
        let f: Vec<&str> = line.split('|').map(str::trim).collect();
        let name = f.first().copied().unwrap_or("");
        let gender = match f.get(1).copied() {
            Some("M") => Some(Gender::Male),
            Some("F") => Some(Gender::Female),
            _ => None,
        };
        let role = f.get(2).copied().unwrap_or("").to_string();
        let id = self.people.len() as u32;
        self.people.push(KnownPerson {
            name: name.to_string(),
            key: name_key(name),
            gender,
            role: RoleSig::default(),
        });
        let mut forms = vec![name];
        if let Some(aliases) = f.get(3) {
            forms.extend(split_list(aliases));
        }
        for form in forms {
            if form.contains(' ') {
                self.entry(form).person.get_or_insert(id);
                // The surname: the last word, unless it is too short to be telling.
                let last = form.rsplit(' ').next().unwrap_or(form);
                if last.chars().count() >= 4 && last.chars().next().is_some_and(char::is_uppercase)
                {
                    let e = self.entry(last);
                    if !e.surname_of.contains(&id) {
                        e.surname_of.push(id);
                    }
                }
            } else {
                let e = self.entry(form);
                if !e.surname_of.contains(&id) {
                    e.surname_of.push(id);
                }
            }
        }
        role
    }

    fn load_first_names(&mut self) {
        let mut section = FirstName::Unisex;
        for line in data_lines(FIRST_NAMES) {
            match line {
                "@male" => section = FirstName::Male,
                "@female" => section = FirstName::Female,
                "@unisex" => section = FirstName::Unisex,
                _ => {
                    for name in line.split_whitespace() {
                        let e = self.entry(name);
                        e.first = Some(match (e.first, section) {
                            (None, s) => s,
                            (Some(a), b) if a == b => a,
                            _ => FirstName::Unisex,
                        });
                    }
                }
            }
        }
    }

    fn load_roles(&mut self) {
        let mut class: Option<RoleClass> = None;
        for line in data_lines(ROLES) {
            if let Some(rest) = line.strip_prefix("@heads ") {
                class = Some(match rest.trim() {
                    "leader" => RoleClass::Leader,
                    "minister" => RoleClass::Minister,
                    "envoy" => RoleClass::Envoy,
                    "spokesperson" => RoleClass::Spokesperson,
                    "official" => RoleClass::Official,
                    "legislator" => RoleClass::Legislator,
                    "judicial" => RoleClass::Judicial,
                    _ => RoleClass::Other,
                });
                continue;
            }
            if line == "@modifiers" {
                class = None;
                continue;
            }
            let lower = line.to_lowercase();
            let forms = case_forms(&lower);
            match class {
                Some(c) => {
                    let head = match self.head_index.get(&lower) {
                        Some(&h) => h,
                        None => {
                            self.heads.push(lower.clone());
                            let h = (self.heads.len() - 1) as u32;
                            self.head_index.insert(lower.clone(), h);
                            h
                        }
                    };
                    for f in forms {
                        let e = self.entry(&f);
                        if e.role.is_none() {
                            e.role = Some(c);
                            e.head = head;
                        }
                    }
                }
                None => {
                    for f in forms {
                        self.entry(&f).modifier = true;
                    }
                }
            }
        }
    }

    fn load_honorifics(&mut self) {
        for line in data_lines(HONORIFICS) {
            let (word, g) = line.split_once('|').unwrap_or((line, "-"));
            let gender = match g {
                "M" => Some(Gender::Male),
                "F" => Some(Gender::Female),
                _ => None,
            };
            self.entry(word).honorific = Some(gender);
        }
    }

    fn load_stopwords(&mut self) {
        for line in data_lines(STOPWORDS) {
            for w in line.split_whitespace() {
                self.entry(w).stop = true;
            }
        }
    }

    fn load_dates(&mut self) {
        for w in [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Sept",
            "Oct",
            "Nov",
            "Dec",
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ] {
            self.entry(w).date_word = true;
        }
        // Relative date words: never names, and they tell the date finder where to look.
        for w in [
            "today",
            "Today",
            "yesterday",
            "Yesterday",
            "tomorrow",
            "Tomorrow",
            "tonight",
            "Tonight",
            "week",
            "Week",
            "weekend",
            "month",
            "Month",
            "year",
            "Year",
            "ago",
        ] {
            self.entry(w).date_word = true;
        }
    }
}

/// `secretary of state` → `secretary of state`, `Secretary of State`, `Secretary Of State`;
/// short all-letter heads also in capitals (`CEO`, `MP`).
fn case_forms(lower: &str) -> Vec<String> {
    let mut forms = vec![lower.to_string()];
    let title: String = lower
        .split(' ')
        .map(|w| {
            if matches!(w, "of" | "for" | "the" | "and" | "in") {
                w.to_string()
            } else {
                capitalize_hyphenated(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    forms.push(title);
    let first_only = capitalize_first(lower);
    forms.push(first_only);
    if lower.len() <= 3 && !lower.contains(' ') {
        forms.push(lower.to_uppercase());
    }
    forms.sort();
    forms.dedup();
    forms
}

fn capitalize_first(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn capitalize_hyphenated(w: &str) -> String {
    w.split('-')
        .map(capitalize_first)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lists_load_and_merge_readings() {
        let lex = Lexicon::builtin();
        let text = "Russian President Vladimir Putin met Georgia officials in Kyiv";
        let mut toks = Vec::new();
        tokenize(text, 0..text.len(), &mut toks);
        let mut items = Vec::new();
        lex.matches(text, 0..text.len(), &toks, &mut items);
        let (russian, _) = items[0].unwrap();
        assert!(lex.entry(russian).demonym.is_some());
        let (president, _) = items[1].unwrap();
        assert_eq!(lex.entry(president).role, Some(RoleClass::Leader));
        let (putin, end) = items[2].unwrap();
        assert_eq!(end, 3);
        assert!(lex.entry(putin).person.is_some());
        let (georgia, _) = items[5].unwrap();
        assert!(lex.entry(georgia).place.is_some() && lex.entry(georgia).first.is_some());
        let putin = &lex.people[lex.entry(putin).person.unwrap() as usize];
        assert_eq!(putin.role.class, Some(RoleClass::Leader));
        assert_eq!(putin.role.places.len(), 1);
    }

    /// `matches` must agree with the plain scan on every sentence of `text`.
    fn assert_same_as_scan(lex: &Lexicon, text: &str) {
        let mut doc = model::Document::new("d", "d.txt", text.to_string());
        crate::text::ensure_sentences(&mut doc);
        let mut ranges = doc.sentences.clone();
        ranges.push(0..text.len());
        let (mut toks, mut fast, mut slow) = (Vec::new(), Vec::new(), Vec::new());
        for r in ranges {
            toks.clear();
            tokenize(text, r.clone(), &mut toks);
            lex.matches(text, r.clone(), &toks, &mut fast);
            lex.scan(text, r.clone(), &toks, &mut slow);
            assert_eq!(fast, slow, "{:?}", &text[r]);
            // Tokenizing and looking up in one pass gives the same, after what was there.
            let mut fused_toks = vec![Token {
                start: 0,
                end: 0,
                kind: crate::text::TokenKind::Punct,
                space_before: false,
            }];
            lex.tokenize_matches(text, r.clone(), &mut fused_toks, &mut fast);
            assert_eq!(fused_toks[1..], toks[..], "{:?}", &text[r]);
            assert_eq!(fast, slow, "{:?}", &text[r]);
        }
    }

    #[test]
    fn token_lookups_equal_the_scan() {
        let lex = Lexicon::builtin();
        for text in [
            // Matches inside a word that run on into the next ones.
            "The Postal Service president Joe Biden met the novice president in Doha.",
            "A deal Thani signed; the Royal Thani and Mohammed bin Abdulrahman Al Thani.",
            "Donald Trumpism, Putinism and U.S.A Today in Kyiv-based Rolls-Royce plants.",
            "The 1990s Kyiv, 5bn Paris; subprime minister Keir Starmer’s office.",
            "Mr. J. D. Vance and Sen. Lindsey Graham (R-S.C.) said on Jan. 5 in St. Louis.",
            "",
            "   ",
        ] {
            assert_same_as_scan(lex, text);
        }
        // A letter right after a token: `X.S.` then `Africa`.
        let extras = Extras {
            places: vec!["S.Africa".into()],
            ..Extras::default()
        };
        assert_same_as_scan(
            &Lexicon::build(&extras),
            "In X.S.Africa and 5S.Africa today.",
        );
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/articles");
        for e in std::fs::read_dir(dir).unwrap() {
            assert_same_as_scan(lex, &std::fs::read_to_string(e.unwrap().path()).unwrap());
        }
        // Pieces of patterns glued at random: many matches start inside words.
        let mut next = crate::test_rng(0x2545_f491_4f6c_dd1du64);
        let (b, _) = Builder::with_lists(&Extras::default());
        let patterns = b.patterns;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..1 + next(12) {
                let p = patterns[next(patterns.len())].as_str();
                let cuts: Vec<usize> = (0..=p.len()).filter(|&i| p.is_char_boundary(i)).collect();
                let (a, b) = (cuts[next(cuts.len())], cuts[next(cuts.len())]);
                text.push_str(if next(3) == 0 {
                    &p[a.min(b)..a.max(b)]
                } else {
                    p
                });
                text.push_str([" ", "", "-", ". ", "’s ", ", ", "5", "é"][next(8)]);
            }
            assert_same_as_scan(lex, &text);
        }
    }

    #[test]
    fn word_keys_tell_words_apart_whatever_follows() {
        let mut seen = std::collections::HashMap::new();
        let text = b"abcdefghijklmnopqrstuvwxyzabcdefghij";
        for start in 0..8 {
            for len in 1..=15 {
                let word = &text[start..start + len];
                // The same word at the end of a text, where the 16-byte load falls short.
                let alone = word_key(word, 0, len).unwrap();
                assert_eq!(word_key(text, start, start + len), Some(alone));
                assert_ne!(alone, 0);
                if let Some(other) = seen.insert(alone, word) {
                    assert_eq!(other, word);
                }
            }
        }
        assert_eq!(word_key(text, 0, 16), None);
    }

    /// The token lookups against the plain scan on real articles: the seed articles, or a
    /// whole corpus of JSON lines with a `text` field when one is named:
    /// `NEWSMILL_CORPUS=corpus.jsonl cargo test --release -p extract -- corpus`.
    #[test]
    fn token_lookups_equal_the_scan_on_a_corpus() {
        let lex = Lexicon::builtin();
        if let Ok(path) = std::env::var("NEWSMILL_CORPUS") {
            for line in std::fs::read_to_string(path).unwrap().lines() {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                assert_same_as_scan(lex, v["text"].as_str().unwrap());
            }
            return;
        }
        let seeds = crate::seed_texts();
        assert!(seeds.len() >= 5, "the seed articles are in data/articles");
        for text in seeds {
            assert_same_as_scan(lex, &text);
        }
    }
}
