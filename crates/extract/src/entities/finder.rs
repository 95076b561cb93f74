//! The person/organization/place finder: names from capitalization, lists and context; roles
//! from titles and appositives; one referent per person with all its mentions, including role
//! phrases ("the envoy", "the Russian President").

use std::borrow::Cow;
use std::ops::Range;

use model::{Document, EntityKind};

use super::lexicon::{FirstName, Lex, Lexicon, RoleClass, RoleSig};
use super::{Gender, Referents};
use crate::text::{is_headline_like, split_sentences, Token, TokenKind, TokenLog};

mod citations;
mod document;
mod learned;
mod resolve;
pub use learned::tagger_tokens;

#[derive(Debug, Clone, Copy)]
struct Item {
    start: usize,
    end: usize,
    kind: TokenKind,
    lex: Option<u32>,
    /// [`Lex::flags`] of `lex` (0 without one).
    flags: u16,
    /// An article ("the", "a", "an") that may open a role phrase.
    det: bool,
    /// A word starting with an uppercase letter.
    cap: bool,
    /// Two or more letters, all uppercase (`NATO`, `U.S.`).
    acronym: bool,
    /// A single capital and a dot (`J.`).
    initial: bool,
}

/// What a name candidate turned out to be in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hint {
    Name,
    Place(u32),
    Org(u32),
    /// A place or organization found by its shape (suffix word, context), not a list.
    NewPlace,
    NewOrg,
    Acronym,
}

#[derive(Debug, Clone)]
struct Cand {
    bytes: Range<usize>,
    hint: Hint,
    words: usize,
    first: Option<FirstName>,
    /// Known public figure this is the full name (or an alias) of.
    person: Option<u32>,
    /// Known public figures this is the surname of.
    surname_of: Vec<u32>,
    gender: Option<Gender>,
    role: Option<(Range<usize>, RoleSig)>,
    honorific: bool,
    speech: bool,
    place_ctx: bool,
    sentence_initial: bool,
    /// What the learned tagger calls the words (none when it finds no name there).
    learned: Option<EntityKind>,
    /// The tagger found no name over these words at all.
    untagged: bool,
}

#[derive(Debug, Clone)]
struct RoleMention {
    bytes: Range<usize>,
    sig: RoleSig,
}

/// Finds the referents of `doc` with the built-in lists.
pub(crate) fn find(lex: &Lexicon, doc: &Document) -> Referents {
    find_with_dates(lex, doc, false).0
}

/// [`find`], plus the sentences that may hold a date (a number, a month or weekday, a relative
/// date word), found on the way so the date finder need not scan the others.
pub(crate) fn find_with_dates(
    lex: &Lexicon,
    doc: &Document,
    keep_tokens: bool,
) -> (Referents, Vec<Range<usize>>, Option<TokenLog>) {
    let owned;
    let sentences: &[Range<usize>] = if doc.sentences.is_empty() {
        owned = split_sentences(doc.text(), &doc.paragraphs);
        &owned
    } else {
        &doc.sentences
    };
    let sentences = with_author_lines(doc, sentences);
    // Working buffers are reused across documents on the same thread (cleared, never read
    // across calls), which saves most of the allocation a document would otherwise cost.
    let mut scratch = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
    scratch.cands.clear();
    scratch.roles.clear();
    let log = keep_tokens.then(|| TokenLog::new(doc.text().len()));
    let mut f = Finder::new(lex, doc.text(), scratch, log);
    let mut date_sentences = Vec::new();
    for s in sentences.iter() {
        if f.sentence(s.clone()) {
            date_sentences.push(s.clone());
        }
    }
    let out = f.resolve();
    scratch = Scratch {
        cands: f.cands,
        roles: f.roles,
        tokens: f.tokens,
        matches: f.matches,
        items: f.items,
        consumed: f.consumed,
        openers: f.openers,
        tagged: f.tagged,
    };
    SCRATCH.with(|s| *s.borrow_mut() = scratch);
    (out, date_sentences, f.log)
}

/// The body's sentences and, in text order among them, the author lines of a paper ("Ann Lee
/// a.lee@leeds.ac.uk University of Leeds, United Kingdom"): no body text, but names of people
/// and organizations all the same. Titles, headings and bylines stay unread (their words are
/// not the story's names). Borrowed as they are when there are none.
fn with_author_lines<'s>(doc: &Document, sentences: &'s [Range<usize>]) -> Cow<'s, [Range<usize>]> {
    let text = doc.text();
    let mut lines = doc
        .paragraphs
        .iter()
        .filter(|p| {
            let para = &text[(*p).clone()];
            para.contains('@') && para.split_whitespace().any(email) && is_headline_like(para)
        })
        .peekable();
    if lines.peek().is_none() {
        return Cow::Borrowed(sentences);
    }
    let mut all = Vec::with_capacity(sentences.len() + 4);
    let mut rest = sentences.iter().peekable();
    for h in lines {
        while let Some(s) = rest.next_if(|s| s.start < h.start) {
            all.push(s.clone());
        }
        all.push(h.clone());
    }
    all.extend(rest.cloned());
    Cow::Owned(all)
}

/// An e-mail address: letters, an `@`, and a domain with a dot.
fn email(word: &str) -> bool {
    word.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty() && domain.contains('.') && !domain.starts_with('.')
    })
}

#[derive(Default)]
struct Scratch {
    cands: Vec<Cand>,
    roles: Vec<RoleMention>,
    tokens: Vec<Token>,
    matches: Vec<Option<(u32, usize)>>,
    items: Vec<Item>,
    consumed: Vec<bool>,
    /// Items that may open a role phrase (see `role_mentions`), in order.
    openers: Vec<usize>,
    tagged: learned::Tagged,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

struct Finder<'a> {
    lex: &'a Lexicon,
    text: &'a str,
    cands: Vec<Cand>,
    roles: Vec<RoleMention>,
    tokens: Vec<Token>,
    matches: Vec<Option<(u32, usize)>>,
    items: Vec<Item>,
    consumed: Vec<bool>,
    /// Items that may open a role phrase (see `role_mentions`), in order.
    openers: Vec<usize>,
    first_word: usize,
    /// Every sentence's tokens, when a caller keeps them for later stages that read the same
    /// sentences (claims).
    log: Option<TokenLog>,
    tagged: learned::Tagged,
    /// The items as the learned tagger reads them (they borrow the text: one list a document).
    tagger_words: Vec<ner::Token<'a>>,
}

/// A list of words with a cheap first test: which lengths occur with each first byte. Most
/// words tested against a list are in none, and comparing them with every entry is slow.
struct Words {
    /// Bit `n` of entry `b`: some word starts with byte `b` and is `n` bytes long.
    shapes: [u32; 128],
    /// Whether a word is in the list: a `match` on the words, which compiles to a test of the
    /// length and a few bytes rather than a walk of the list.
    is: fn(&str) -> bool,
}

/// A [`Words`] of the listed words.
macro_rules! words {
    ($($w:literal),* $(,)?) => {
        Words::new(&[$($w),*], |w| matches!(w, $($w)|*))
    };
}

impl Words {
    const fn new(list: &'static [&'static str], is: fn(&str) -> bool) -> Words {
        let mut shapes = [0u32; 128];
        let mut k = 0;
        while k < list.len() {
            let w = list[k].as_bytes();
            assert!(!w.is_empty() && w.len() < 32 && w[0] < 128);
            shapes[w[0] as usize] |= 1 << w.len();
            k += 1;
        }
        Words { shapes, is }
    }

    #[inline]
    fn contains(&self, w: &str) -> bool {
        match w.as_bytes().first() {
            Some(&f) if f < 128 && w.len() < 32 => {
                self.shapes[f as usize] >> w.len() & 1 != 0 && (self.is)(w)
            }
            _ => false,
        }
    }
}

static SPEECH_VERBS: Words = words![
    "said",
    "says",
    "told",
    "added",
    "explained",
    "stated",
    "noted",
    "argued",
    "insisted",
    "warned",
    "wrote",
    "tweeted",
    "posted",
    "announced",
    "asked",
    "replied",
    "claimed",
    "confirmed",
    "denied",
    "stressed",
    "emphasized",
    "emphasised",
    "remarked",
    "commented",
    "revealed",
    "suggested",
    "acknowledged",
    "described",
    "urged",
    "called",
    "declared",
    "disclosed",
    "recalled",
    "admitted",
    "criticized",
    "criticised",
    "praised",
    "spoke",
    "pointed",
    "tells",
    "adds",
    "writes",
    "recounted",
    "testified",
    "alleged",
];

static PARTICLES: Words = words![
    "von", "van", "der", "den", "de", "da", "di", "du", "la", "le", "del", "della", "dos", "das",
    "bin", "ibn", "al", "el", "ter", "ten", "y", "zu", "af",
];

static ORG_WORDS: Words = words![
    "Court",
    "Commission",
    "Council",
    "Committee",
    "Ministry",
    "Department",
    "Agency",
    "Bank",
    "University",
    "College",
    "School",
    "Institute",
    "Party",
    "Organization",
    "Organisation",
    "Association",
    "Foundation",
    "Corporation",
    "Company",
    "Group",
    "Inc",
    "Ltd",
    "LLC",
    "Corp",
    "News",
    "Times",
    "Post",
    "Journal",
    "Herald",
    "Tribune",
    "Gazette",
    "Network",
    "Channel",
    "Radio",
    "Television",
    "Forces",
    "Army",
    "Navy",
    "Guard",
    "Police",
    "Service",
    "Office",
    "Authority",
    "Board",
    "Bureau",
    "Fund",
    "Federation",
    "Alliance",
    "Front",
    "Movement",
    "Assembly",
    "Parliament",
    "Senate",
    "Congress",
    "Cabinet",
    "Administration",
    "Museum",
    "Library",
    "Academy",
    "Conservatory",
    "Consulate",
    "Embassy",
    "League",
    "Orchestra",
    "Hospital",
    "Church",
    "Club",
    "Center",
    "Centre",
    "Airlines",
    "Airways",
    "Motors",
    "Industries",
    "Holdings",
    "Partners",
    "Labs",
    "Systems",
    "Technologies",
    "Brigade",
    "Battalion",
    "Regiment",
    "Directorate",
    "Inspectorate",
    "Tribunal",
    "Union",
    "Pharmaceuticals",
    "Pharma",
    "Energy",
    "Capital",
    "Ventures",
    "Solutions",
    "Software",
    "Foods",
    "Media",
    "Entertainment",
    "Studios",
    "Electronics",
    "Petroleum",
    "Mining",
    "Steel",
    "Logistics",
    "Telecom",
    "Communications",
    "Insurance",
    "Securities",
    "Investments",
    "Financial",
    "Aerospace",
    "Therapeutics",
    "Biotech",
    "Healthcare",
    "Hotels",
    "Resorts",
    "Brewery",
    "Plc",
    "PLC",
    "GmbH",
    "AG",
    "SA",
    "Limited",
    "Incorporated",
    "Trust",
    "Society",
    "Institution",
    "Initiative",
    "Observatory",
    "Watch",
    "Project",
    "Programme",
    "Program",
];

static PLACE_WORDS: Words = words![
    "City",
    "County",
    "Province",
    "Oblast",
    "Region",
    "District",
    "Island",
    "Islands",
    "Peninsula",
    "Valley",
    "Mountains",
    "River",
    "Lake",
    "Bay",
    "Sea",
    "Strait",
    "Desert",
    "Coast",
    "Heights",
    "Street",
    "Square",
    "Avenue",
    "Krai",
    "Raion",
    "Governorate",
];

static PLACE_NOUNS_AFTER: Words = words![
    "region",
    "oblast",
    "province",
    "district",
    "county",
    "city",
    "town",
    "village",
    "area",
    "border",
    "front",
    "frontline",
    "airport",
    "port",
    "regions",
    "villages",
    "towns",
];

impl<'a> Finder<'a> {
    fn new(lex: &'a Lexicon, text: &'a str, scratch: Scratch, log: Option<TokenLog>) -> Self {
        Finder {
            lex,
            text,
            cands: scratch.cands,
            roles: scratch.roles,
            tokens: scratch.tokens,
            matches: scratch.matches,
            items: scratch.items,
            consumed: scratch.consumed,
            openers: scratch.openers,
            first_word: 0,
            log,
            tagged: scratch.tagged,
            tagger_words: Vec::new(),
        }
    }

    fn word(&self, i: usize) -> &'a str {
        let it = &self.items[i];
        &self.text[it.start..it.end]
    }

    fn lex_of(&self, i: usize) -> Option<&'a Lex> {
        self.items[i].lex.map(|id| self.lex.entry(id))
    }

    /// The bytes of item `i`: comparing them needs no character boundary checks.
    fn word_bytes(&self, i: usize) -> &'a [u8] {
        let it = &self.items[i];
        &self.text.as_bytes()[it.start..it.end]
    }

    fn is_lower_in(&self, i: usize, words: &Words) -> bool {
        i < self.items.len()
            && self.items[i].kind == TokenKind::Word
            && words.contains(self.word(i))
    }

    fn is_lower_word(&self, i: usize, words: &[&str]) -> bool {
        i < self.items.len() && self.items[i].kind == TokenKind::Word && {
            let w = self.word_bytes(i);
            words.iter().any(|x| x.as_bytes() == w)
        }
    }

    /// Finds the candidates of one sentence; returns whether it may hold a date.
    fn sentence(&mut self, range: Range<usize>) -> bool {
        let date = self.read_items(range);
        let first_cand = self.cands.len();
        // Capitalized sequences, then role phrases not attached to a name.
        let n = self.items.len();
        let mut i = 0;
        while i < n {
            if !self.seq_member(i) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < n {
                // Capitalized words, and "of", "for", "and", particles or "of the" between
                // them ("Secretary of State", "Ursula von der Leyen", "Bank of the South").
                let joins = self.seq_member(j)
                    || (j + 1 < n
                        && self.seq_member(j + 1)
                        && (self.is_connector(j)
                            || (self.is_lower_word(j, &["the"])
                                && self.is_lower_word(j - 1, &["of", "for"]))));
                if !joins {
                    break;
                }
                j += 1;
            }
            self.sequence(i, j);
            i = j;
        }
        self.learned_names(first_cand);
        self.cited_authors(first_cand);
        self.role_mentions();
        date
    }

    /// Tokenizes the sentence at `range` into `self.items` (list entries, hyphenated names and
    /// initials as one item each); returns whether it may hold a date.
    fn read_items(&mut self, range: Range<usize>) -> bool {
        let mut matches_buf = std::mem::take(&mut self.matches);
        let (lexicon, text) = (self.lex, self.text);
        // Tokenized straight into the log when there is one, else into the scratch list.
        let tokens: &[Token] = match &mut self.log {
            Some(log) => log.record_with(range.clone(), |v| {
                lexicon.tokenize_matches(text, range, v, &mut matches_buf)
            }),
            None => {
                self.tokens.clear();
                lexicon.tokenize_matches(text, range, &mut self.tokens, &mut matches_buf);
                &self.tokens
            }
        };
        self.items.clear();
        self.openers.clear();
        let bytes = text.as_bytes();
        let flags_of = |lex: Option<u32>| lex.map_or(0, |id| self.lex.flags[id as usize]);
        // A one-byte token `b`, without slicing the text.
        let is_byte = |t: &Token, b: u8| t.end == t.start + 1 && bytes[t.start] == b;
        let mut date = false;
        let mut first_word = None;
        let mut t = 0;
        // One entry per token: said once, so that the loop below needs no second bounds check.
        let matches = &matches_buf[..tokens.len()];
        while t < tokens.len() {
            let tok = tokens[t];
            // Most tokens match nothing or a single-token entry: their end is at hand.
            let (lex, last, mut end) = match matches[t] {
                Some((id, last)) if last != t => (Some(id), last, tokens[last].end),
                Some((id, _)) => (Some(id), t, tok.end),
                None => (None, t, tok.end),
            };
            let mut next = last + 1;
            let cap = tok.kind == TokenKind::Word && {
                let b = bytes[tok.start];
                if b < 0x80 {
                    b.is_ascii_uppercase()
                } else {
                    starts_uppercase_at(text, tok.start)
                }
            };
            // Only capitalized words can be acronyms or initials: skip the counting otherwise.
            let (single_letter, acronym) = if cap {
                letters_and_acronym(&text[tok.start..end])
            } else {
                (false, false)
            };
            let mut initial = false;
            let mut lex = lex;
            // Hyphenated names: "Jean-Noël" (a first name) and "Rolls-Royce" (unknown words)
            // are one word; "Trump-Putin" (two known names) stays two.
            if cap
                && last == t
                && next + 1 < tokens.len()
                && is_byte(&tokens[next], b'-')
                && !tokens[next].space_before
                && !tokens[next + 1].space_before
                && tokens[next + 1].kind == TokenKind::Word
                && starts_uppercase_at(text, tokens[next + 1].start)
            {
                if let Some(keeps_entry) = joins_hyphenated(&lexicon.flags, matches, next, lex) {
                    end = tokens[next + 1].end;
                    next += 2;
                    if !keeps_entry {
                        lex = None;
                    }
                }
            }
            if lex.is_none()
                && cap
                && single_letter
                && next < tokens.len()
                && is_byte(&tokens[next], b'.')
                && !tokens[next].space_before
            {
                initial = true;
                end = tokens[next].end;
                next += 1;
            }
            let flags = flags_of(lex);
            date |= tok.kind == TokenKind::Number || flags & Lex::DATE != 0;
            // The first word (items before it are opening quotes or dashes).
            if first_word.is_none()
                && (tok.kind != TokenKind::Punct || is_byte(&tok, b',') || is_byte(&tok, b';'))
            {
                first_word = Some(self.items.len());
            }
            let det = tok.kind == TokenKind::Word
                && end - tok.start <= 3
                && matches!(
                    &bytes[tok.start..end],
                    b"the" | b"The" | b"a" | b"A" | b"an" | b"An"
                );
            if det || flags & (Lex::PLACE | Lex::ORG) != 0 {
                self.openers.push(self.items.len());
            }
            self.items.push(Item {
                start: tok.start,
                end,
                kind: tok.kind,
                lex,
                flags,
                det,
                cap,
                acronym,
                initial,
            });
            t = next;
        }
        self.matches = matches_buf;
        self.first_word = first_word.unwrap_or(0);
        self.consumed.clear();
        self.consumed.resize(self.items.len(), false);
        date
    }

    fn seq_member(&self, i: usize) -> bool {
        let it = &self.items[i];
        it.kind == TokenKind::Word && (it.cap || it.acronym)
    }

    fn is_connector(&self, i: usize) -> bool {
        // All connectors are lowercase: a capitalized word is none of them.
        !self.items[i].cap
            && (self.is_lower_word(i, &["of", "for", "and"]) || self.is_lower_in(i, &PARTICLES))
    }

    fn is_role(&self, i: usize) -> bool {
        self.items[i].flags & Lex::ROLE != 0
    }

    fn is_role_part(&self, i: usize) -> bool {
        let it = &self.items[i];
        it.kind == TokenKind::Word
            && it.flags & (Lex::ROLE | Lex::MODIFIER | Lex::DEMONYM | Lex::PLACE | Lex::ORG) != 0
    }

    /// First item of the title that ends with the role head at `h`.
    fn role_backward(&self, h: usize) -> usize {
        let mut s = h;
        while s > 0 && self.is_role_part(s - 1) && !self.is_name_like(s - 1) {
            s -= 1;
        }
        s
    }

    /// A capitalized word that reads as part of a personal name rather than a title word.
    fn is_name_like(&self, i: usize) -> bool {
        let it = &self.items[i];
        if !it.cap {
            return false;
        }
        match it.lex {
            None => !it.acronym,
            Some(_) => {
                it.flags & Lex::PERSON != 0
                    || (it.flags & Lex::SURNAME != 0 && it.flags & Lex::ROLE == 0)
            }
        }
    }

    fn role_sig(&self, from: usize, to: usize) -> RoleSig {
        let mut sig = RoleSig::default();
        for i in from..=to {
            if let Some(l) = self.lex_of(i) {
                if l.role.is_some() {
                    sig.head = Some(l.head);
                    sig.class = l.role;
                }
                if let Some(p) = l.demonym.or(l.place) {
                    sig.places.push(p);
                }
                if let Some(o) = l.org {
                    sig.orgs.push(o);
                }
            }
        }
        sig
    }

    fn sentence_initial(&self, i: usize) -> bool {
        i <= self.first_word
    }

    fn sequence(&mut self, mut a: usize, mut b: usize) {
        // Leading sentence openers and function words are not part of a name.
        while a < b {
            let f = self.items[a].flags;
            let stop = f & Lex::STOP != 0
                && f & (Lex::PLACE | Lex::ORG | Lex::PERSON) == 0
                && !(f & Lex::FIRST != 0 && a + 1 < b && self.is_name_like(a + 1));
            if stop || self.is_connector(a) {
                a += 1;
            } else {
                break;
            }
        }
        while b > a && self.is_connector(b - 1) {
            b -= 1;
        }
        if a >= b {
            return;
        }
        // A capitalized phrase in quotes is a title (“State of the Union”), not a name.
        if a > 0 && self.items[a - 1].kind == TokenKind::Punct {
            let open = &self.text[self.items[a - 1].start..self.items[a - 1].end];
            if matches!(open, "“" | "‘" | "\"" | "'") {
                let closes = (b..(b + 2).min(self.items.len())).any(|k| {
                    matches!(
                        &self.text[self.items[k].start..self.items[k].end],
                        "”" | "’" | "\"" | "'"
                    )
                });
                if closes {
                    return;
                }
            }
        }
        let h = (a..b).rev().find(|&i| self.is_role(i) && self.items[i].cap);
        if let Some(h) = h {
            let role_start = self
                .role_backward(h)
                .max(if self.items[h].cap { 0 } else { a });
            if role_start > a {
                self.sequence(a, role_start);
            }
            self.role_places(role_start.max(a), h);
            let mut n0 = h + 1;
            let mut role_end = h;
            if n0 < b && self.is_lower_word(n0, &["of", "for"]) {
                let name_at = (n0 + 1..b).find(|&k| {
                    self.lex_of(k).is_some_and(|l| {
                        l.first.is_some() || l.person.is_some() || l.honorific.is_some()
                    })
                });
                match name_at {
                    Some(k) => {
                        role_end = k - 1;
                        n0 = k;
                    }
                    None if b - (n0 + 1) >= 3 => {
                        n0 = b - 2;
                        role_end = n0 - 1;
                    }
                    None => {
                        role_end = b - 1;
                        n0 = b;
                    }
                }
                self.role_places(h + 1, role_end);
            }
            if n0 >= b {
                return;
            }
            let role = (
                self.items[role_start].start..self.items[role_end].end,
                self.role_sig(role_start, role_end),
            );
            self.chunks(n0, b, Some(role));
        } else {
            self.chunks(a, b, None);
        }
    }

    /// Places and organizations named inside a title are mentions too (`U.S.` in
    /// "U.S. President").
    fn role_places(&mut self, from: usize, to: usize) {
        for i in from..=to.min(self.items.len() - 1) {
            if let Some(l) = self.lex_of(i) {
                if l.role.is_some() && l.place.is_none() && l.org.is_none() {
                    continue;
                }
                let hint = match (l.place, l.org) {
                    (_, Some(o)) => Hint::Org(o),
                    (Some(p), None) => Hint::Place(p),
                    _ => continue,
                };
                let it = self.items[i];
                self.push_simple(it.start..it.end, hint);
            }
        }
    }

    fn push_simple(&mut self, bytes: Range<usize>, hint: Hint) {
        let cand = self.simple(bytes, hint);
        self.cands.push(cand);
    }

    /// Splits the name part of a capitalized sequence into names, places and organizations.
    fn chunks(&mut self, a: usize, b: usize, mut role: Option<(Range<usize>, RoleSig)>) {
        let mut i = a;
        let mut gender = None;
        let mut honorific = false;
        if role.is_none() && self.shaped_name(a, b) {
            return;
        }
        while i < b {
            let it = self.items[i];
            let l = self.lex_of(i);
            if it.kind != TokenKind::Word || !(it.cap || it.acronym) {
                i += 1;
                continue;
            }
            // The entry's readings are read from its flags: the entry itself is touched only
            // for the values a branch needs, as the entries are large and spread out.
            let f = it.flags;
            if f & Lex::HONORIFIC != 0 {
                if let Some(g) = l.and_then(|l| l.honorific) {
                    gender = g.or(gender);
                    honorific = true;
                    i += 1;
                    continue;
                }
            }
            let next_is_name = i + 1 < b && self.is_name_like(i + 1);
            if let Some(l) = l {
                let name_reading = f & (Lex::PERSON | Lex::SURNAME) != 0
                    || (f & Lex::FIRST != 0 && next_is_name)
                    || honorific;
                if !name_reading {
                    if f & Lex::ORG != 0 {
                        let o = l.org.expect("ORG flag");
                        self.push_simple(it.start..it.end, Hint::Org(o));
                        i += 1;
                        role = None;
                        continue;
                    }
                    if f & Lex::PLACE != 0 {
                        let p = l.place.expect("PLACE flag");
                        let ctx = self.place_context(i, i + 1);
                        let mut c = self.simple(it.start..it.end, Hint::Place(p));
                        c.place_ctx = ctx;
                        self.cands.push(c);
                        i += 1;
                        role = None;
                        continue;
                    }
                    const TITLE: u16 =
                        Lex::DATE | Lex::STOP | Lex::ROLE | Lex::MODIFIER | Lex::DEMONYM;
                    if f & TITLE != 0 && (f & Lex::FIRST == 0 || !next_is_name) {
                        i += 1;
                        role = None;
                        continue;
                    }
                }
            }
            if it.acronym && l.is_none() {
                let mut c = self.simple(it.start..it.end, Hint::Acronym);
                c.speech = self.speech_context(i, i + 1);
                c.sentence_initial = self.sentence_initial(i);
                self.cands.push(c);
                i += 1;
                continue;
            }
            // An unknown word right before a first name inside a title is a title word
            // ("Chief Inspector Rachel Moore"), not a name of its own.
            if l.is_none()
                && (role.is_some() || (i > a && self.is_role(i - 1)))
                && i + 1 < b
                && self
                    .lex_of(i + 1)
                    .is_some_and(|n| n.first.is_some() || n.person.is_some())
            {
                if let Some((r, _)) = role.as_mut() {
                    r.end = it.end;
                }
                i += 1;
                continue;
            }
            // A name: a first name, a known person or an unknown capitalized word, then
            // surnames, particles and initials.
            let starts_with_first = f & (Lex::FIRST | Lex::PERSON) != 0;
            let j = if f & Lex::PERSON == 0 {
                self.name_end(i, b, starts_with_first)
            } else {
                i + 1
            };
            self.push_name(i, j, gender, honorific, role.take());
            gender = None;
            honorific = false;
            i = j;
        }
    }

    /// Organizations and places named by their shape ("Kyiv School of Economics"): pushes the
    /// whole of items `a..b` as one and returns true when it is one.
    fn shaped_name(&mut self, a: usize, b: usize) -> bool {
        if b - a < 2 {
            return false;
        }
        let first_is_name = self
            .lex_of(a)
            .is_some_and(|l| l.first.is_some() || l.person.is_some() || l.honorific.is_some());
        let last = self.word(b - 1);
        let org = (a..b).any(|k| {
            ORG_WORDS.contains(self.word(k)) && self.lex_of(k).is_none_or(|l| l.org.is_none())
        });
        if !first_is_name && (org || PLACE_WORDS.contains(last)) {
            let whole = self.items[a].start..self.items[b - 1].end;
            let whole_lex = self.lex_of(a).filter(|_| b - a == 1);
            let hint = if org { Hint::NewOrg } else { Hint::NewPlace };
            if whole_lex.is_none() {
                // Places inside (Kyiv School…) still count as mentions of the place.
                self.cands.push(Cand {
                    words: b - a,
                    sentence_initial: self.sentence_initial(a),
                    ..self.simple(whole, hint)
                });
                return true;
            }
        }
        false
    }

    /// Pushes the name of items `i..j`, with the honorific's gender and the role phrase
    /// before it, if any (else one found around it).
    fn push_name(
        &mut self,
        i: usize,
        j: usize,
        gender: Option<Gender>,
        honorific: bool,
        taken_role: Option<(Range<usize>, RoleSig)>,
    ) {
        let l = self.lex_of(i);
        let first = l.and_then(|l| l.first).filter(|_| j - i > 1);
        let gender_here = gender.or(first.and_then(FirstName::gender));
        let bytes = self.items[i].start..self.items[j - 1].end;
        let mut cand = self.simple(bytes, Hint::Name);
        cand.words = (i..j).filter(|&k| self.items[k].cap).count();
        cand.first = first;
        if j - i == 1 {
            cand.person = l.and_then(|l| l.person);
            cand.surname_of = l.map(|l| l.surname_of.clone()).unwrap_or_default();
            if cand.person.is_none() && cand.surname_of.is_empty() {
                cand.place_ctx = self.place_context(i, j);
            }
        } else if let Some(p) = l.and_then(|l| l.person) {
            cand.person = Some(p);
        }
        if first.is_none() && j - i > 1 && j - i <= 3 && cand.person.is_none() {
            cand.place_ctx = self.place_context(i, j);
        }
        cand.gender = gender_here;
        cand.honorific = honorific;
        cand.sentence_initial = self.sentence_initial(i);
        cand.speech = self.speech_context(i, j);
        cand.role = if taken_role.is_none() && cand.place_ctx && first.is_none() {
            None
        } else {
            taken_role
                .or_else(|| self.role_before(i))
                .or_else(|| self.role_reversed(i, j))
                .or_else(|| self.appositive(j))
        };
        self.cands.push(cand);
    }

    /// Where a name starting at item `i` (not a known person) ends before `b`: surnames,
    /// particles and initials after it.
    fn name_end(&self, i: usize, b: usize, starts_with_first: bool) -> usize {
        let mut j = i + 1;
        while j < b {
            let itj = &self.items[j];
            let fj = itj.flags;
            let ok = if itj.kind == TokenKind::Word && !itj.cap {
                PARTICLES.contains(self.word(j)) && j + 1 < b
            } else if itj.initial {
                true
            } else if itj.lex.is_none() {
                !itj.acronym || starts_with_first
            } else {
                fj & Lex::PERSON == 0
                    && (fj & Lex::SURNAME != 0
                        || (fj & Lex::FIRST != 0 && starts_with_first)
                        || (starts_with_first
                            && fj & (Lex::ROLE | Lex::PLACE | Lex::ORG) == 0
                            && !(j + 1 < self.items.len()
                                && self.items[j + 1].kind == TokenKind::Number)))
            };
            if !ok {
                break;
            }
            // A known surname ends a name that did not start with a first name
            // ("Putin Alaska Summit").
            j += 1;
            if !starts_with_first && fj & Lex::SURNAME != 0 {
                break;
            }
        }
        j
    }

    fn simple(&self, bytes: Range<usize>, hint: Hint) -> Cand {
        Cand {
            bytes,
            hint,
            words: 1,
            first: None,
            person: None,
            surname_of: Vec::new(),
            gender: None,
            role: None,
            honorific: false,
            speech: false,
            place_ctx: false,
            sentence_initial: false,
            learned: None,
            untagged: false,
        }
    }

    /// A lowercase title right before a name: "Russian leader Vladimir Putin".
    fn role_before(&mut self, i: usize) -> Option<(Range<usize>, RoleSig)> {
        let mut h = i;
        while h > 0 && self.lex_of(h - 1).is_some_and(|l| l.honorific.is_some()) {
            h -= 1;
        }
        if h == 0 || !self.is_role(h - 1) || self.consumed[h - 1] {
            return None;
        }
        let h = h - 1;
        let s = self.extend_possessor(self.role_backward(h));
        self.role_places(s, h);
        for k in s..=h {
            self.consumed[k] = true;
        }
        Some((self.items[s].start..self.items[h].end, self.role_sig(s, h)))
    }

    /// "The Chancellor, Rachel Reeves, said" / "Georgia's president, Mikheil Kavelashvili,":
    /// the role before a name set off by a comma.
    fn role_reversed(&mut self, i: usize, j: usize) -> Option<(Range<usize>, RoleSig)> {
        let n = self.items.len();
        let mut i = i;
        while i > 0 && self.lex_of(i - 1).is_some_and(|l| l.honorific.is_some()) {
            i -= 1;
        }
        if i < 2 || self.word(i - 1) != "," || !self.is_role(i - 2) || self.consumed[i - 2] {
            return None;
        }
        let closes = j >= n
            || matches!(self.word(j), "," | "." | ";" | ")" | "—")
            || self.is_lower_in(j, &SPEECH_VERBS);
        if !closes || self.lex_of(i - 2).and_then(|l| l.role) == Some(RoleClass::Other) {
            return None;
        }
        let h = i - 2;
        let s = self.extend_possessor(self.role_backward(h));
        self.role_places(s, h);
        for k in s..=h {
            self.consumed[k] = true;
        }
        if s > 0 && self.is_lower_word(s - 1, &["the", "The", "a", "A", "an", "An"]) {
            self.consumed[s - 1] = true;
        }
        Some((self.items[s].start..self.items[h].end, self.role_sig(s, h)))
    }

    /// Extends a title back over a place or organization in the possessive ("Hungary's Prime
    /// Minister").
    fn extend_possessor(&self, s: usize) -> usize {
        if s >= 2
            && self.items[s - 1].kind == TokenKind::Possessive
            && self
                .lex_of(s - 2)
                .is_some_and(|l| l.place.is_some() || l.org.is_some())
        {
            s - 2
        } else {
            s
        }
    }

    /// "Steve Witkoff, a special envoy appointed by …": the role after a name.
    fn appositive(&mut self, j: usize) -> Option<(Range<usize>, RoleSig)> {
        let n = self.items.len();
        if j >= n || self.word(j) != "," {
            return None;
        }
        let mut k = j + 1;
        // An age: "Olena Kovalchuk, 34, a teacher".
        if k + 1 < n && self.items[k].kind == TokenKind::Number && self.word(k + 1) == "," {
            k += 2;
        }
        if self.is_lower_word(k, &["a", "an", "the"]) {
            k += 1;
        }
        let start = k;
        while k < n {
            let part = self.is_role_part(k) || self.is_lower_word(k, &["then", "now"]);
            // One plain word between title words: "chief medical officer".
            let bridge = k > start
                && k + 1 < n
                && self.is_role(k + 1)
                && self.items[k].kind == TokenKind::Word
                && !self.items[k].cap;
            if !(part || bridge) {
                break;
            }
            k += 1;
        }
        // The role is the last head in that run.
        let h = (start..k).rev().find(|&x| self.is_role(x))?;
        // Not a title prefix of a second name ("…, President Joe Biden"), nor a noun
        // modifier ("the Ukrainian general staff").
        if h + 1 < n
            && (self.is_name_like(h + 1)
                || self.is_lower_word(
                    h + 1,
                    &[
                        "staff",
                        "office",
                        "headquarters",
                        "command",
                        "forces",
                        "ministry",
                        "department",
                        "team",
                        "council",
                        "election",
                        "elections",
                        "candidate",
                        "race",
                    ],
                ))
        {
            return None;
        }
        let mut end = h;
        if h + 2 < n && self.is_lower_word(h + 1, &["of", "for", "at"]) {
            let mut e = h + 2;
            if self.is_lower_word(e, &["the"]) {
                e += 1;
            }
            let mut last = None;
            while e < n
                && (self.seq_member(e)
                    || (self.is_connector(e) && e + 1 < n && self.seq_member(e + 1)))
            {
                last = Some(e);
                e += 1;
            }
            if let Some(l) = last {
                end = l;
            }
        }
        self.role_places(start, end);
        for x in j..=end {
            self.consumed[x] = true;
        }
        Some((
            self.items[start].start..self.items[end].end,
            self.role_sig(start, end),
        ))
    }

    fn speech_context(&self, i: usize, j: usize) -> bool {
        let n = self.items.len();
        if j < n && self.is_lower_in(j, &SPEECH_VERBS) {
            return true;
        }
        // ", said Jane Doe." / "according to Jane Doe"
        let after_ok = j >= n || matches!(self.word(j), "," | "." | ";");
        if i >= 1 && after_ok && self.is_lower_word(i - 1, &["said", "says", "told", "by"]) {
            return true;
        }
        i >= 2
            && self.is_lower_word(i - 1, &["to"])
            && self.word(i - 2).eq_ignore_ascii_case("according")
    }

    fn place_context(&self, i: usize, j: usize) -> bool {
        let n = self.items.len();
        if j < n && self.is_lower_in(j, &PLACE_NOUNS_AFTER) {
            return true;
        }
        let followed_by_cap = j < n && self.items[j].cap;
        let hyphen_next = j < n && self.word_bytes(j) == b"-";
        if i >= 1
            && !followed_by_cap
            && !hyphen_next
            && self.items[i - 1].kind == TokenKind::Word
            && {
                let before = self.word_bytes(i - 1);
                [
                    "in",
                    "near",
                    "outside",
                    "across",
                    "throughout",
                    "around",
                    "towards",
                    "toward",
                ]
                .iter()
                .any(|p| before.eq_ignore_ascii_case(p.as_bytes()))
            }
        {
            return true;
        }
        i >= 2
            && self.is_lower_word(i - 1, &["of"])
            && self.is_lower_word(
                i - 2,
                &["city", "town", "village", "region", "province", "outskirts"],
            )
    }

    /// "the envoy", "the Russian President", "a high-level U.S. envoy", "Russia’s president".
    fn role_mentions(&mut self) {
        let n = self.items.len();
        let mut i = 0;
        // Only articles and listed places or organizations can open a role phrase: visit
        // those, in order, rather than every item.
        for oi in 0..self.openers.len() {
            if self.openers[oi] < i {
                continue;
            }
            i = self.openers[oi];
            let det = self.items[i].det;
            let possessor = self.items[i].flags & (Lex::PLACE | Lex::ORG) != 0
                && i + 1 < n
                && self.items[i + 1].kind == TokenKind::Possessive;
            if !(det || possessor) || self.consumed[i] {
                i += 1;
                continue;
            }
            let mut k = if possessor { i + 2 } else { i + 1 };
            while k < n && self.is_role_part(k) && !self.consumed[k] {
                k += 1;
            }
            let Some(h) = (i + 1..k).rev().find(|&x| self.is_role(x)) else {
                i += 1;
                continue;
            };
            let class = self.lex_of(h).and_then(|l| l.role);
            let title_prefix = h + 1 < n
                && (self.is_name_like(h + 1)
                    || self
                        .lex_of(h + 1)
                        .is_some_and(|l| l.honorific.is_some() || l.first.is_some()));
            if class == Some(RoleClass::Other) || title_prefix || self.consumed[h] {
                i = k.max(i + 1);
                continue;
            }
            let mut end = h;
            if h + 2 < n && self.is_lower_word(h + 1, &["of"]) {
                let mut e = h + 2;
                if self.is_lower_word(e, &["the"]) {
                    e += 1;
                }
                if e < n
                    && self
                        .lex_of(e)
                        .is_some_and(|l| l.place.is_some() || l.org.is_some())
                {
                    end = e;
                }
            }
            let mut sig = self.role_sig(i, end);
            if sig.head.is_none() {
                sig = self.role_sig(h, h);
            }
            self.roles.push(RoleMention {
                bytes: self.items[i].start..self.items[end].end,
                sig,
            });
            i = end + 1;
        }
    }
}

/// Whether the character at byte `at` of `text` is an uppercase letter; ASCII without slicing.
#[inline]
fn starts_uppercase_at(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        Some(&b) if b < 0x80 => b.is_ascii_uppercase(),
        Some(_) => text[at..].chars().next().is_some_and(char::is_uppercase),
        None => false,
    }
}

/// Whether `s` has a single letter, and whether it has two or more, all uppercase (`NATO`,
/// `U.S.`).
fn letters_and_acronym(s: &str) -> (bool, bool) {
    // One pass over ASCII bytes, which stops as soon as both answers are no (at the second
    // letter of most capitalized words); the char path when a non-ASCII byte turns up.
    let (mut letters, mut lower) = (0, false);
    for &b in s.as_bytes() {
        if b >= 0x80 {
            let (letters, acronym) = letters_and_acronym_chars(s);
            return (letters == 1, acronym);
        }
        letters += usize::from(b.is_ascii_alphabetic());
        lower |= b.is_ascii_lowercase();
        if lower && letters >= 2 {
            return (false, false);
        }
    }
    (letters == 1, letters >= 2 && !lower)
}

fn letters_and_acronym_chars(s: &str) -> (usize, bool) {
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    (
        letters,
        letters >= 2 && s.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()),
    )
}

/// Whether the capitalized word before the hyphen at token `next` (its entry `lex`) and the
/// word after it are one name: "Jean-Noël" (a first name, whose entry it keeps) and
/// "Rolls-Royce" (unknown words); not "Trump-Putin" (two known names). `flags` are the
/// lexicon's, `matches` each token's entry.
fn joins_hyphenated(
    flags: &[u16],
    matches: &[Option<(u32, usize)>],
    next: usize,
    lex: Option<u32>,
) -> Option<bool> {
    const KNOWN: u16 = Lex::PERSON
        | Lex::SURNAME
        | Lex::PLACE
        | Lex::ORG
        | Lex::ROLE
        | Lex::MODIFIER
        | Lex::DEMONYM;
    let flags_of = |lex: Option<u32>| lex.map_or(0, |id| flags[id as usize]);
    let known = |m: Option<(u32, usize)>| flags_of(m.map(|(id, _)| id)) & KNOWN != 0;
    let right = matches[next + 1];
    let left_first = flags_of(lex) & Lex::FIRST != 0;
    let right_single = right.is_none_or(|(_, e)| e == next + 1);
    (right_single && ((left_first && !known(right)) || (lex.is_none() && right.is_none())))
        .then_some(left_first)
}
