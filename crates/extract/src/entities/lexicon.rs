//! The reference lists (places, organizations, public figures, first names, titles,
//! honorifics), loaded once and matched in one Aho-Corasick pass per sentence.
//!
//! Every distinct surface form is one pattern; a pattern carries everything the lists know
//! about it (`Georgia` is a country, a US state and a first name), and the finder decides from
//! context which reading applies. Lists are evidence, not the whole answer.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::normalize::name_key;
use super::Gender;
use crate::text::{tokenize, Token};

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

/// A place or organization: its cross-document key (of the canonical name).
#[derive(Debug, Clone)]
pub(crate) struct Canon {
    pub key: String,
}

/// A known public figure.
#[derive(Debug, Clone)]
pub(crate) struct KnownPerson {
    pub name: String,
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
    ac: AhoCorasick,
    pub(crate) entries: Vec<Lex>,
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
        let mut b = Builder::default();
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
        // A DFA: the lists are matched against every sentence, so search speed matters more
        // than the few megabytes the table takes (built once, shared). Leftmost-longest: at
        // each position the longest entry ("Donald Trump" over "Donald").
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&b.patterns)
            .expect("gazetteer patterns compile");
        let mut lex = Lexicon {
            ac,
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
    pub(crate) fn matches(
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
        let hay = &text[range.clone()];
        // Leftmost-longest matches come in text order: walk the tokens alongside. A match
        // that does not start and end on token edges (`king` in `making`) is dropped.
        let mut ti = 0;
        for m in self.ac.find_iter(hay) {
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
            let mut tj = ti;
            while tj < tokens.len() && tokens[tj].end < e {
                tj += 1;
            }
            if tj == tokens.len() || tokens[tj].end != e {
                continue;
            }
            let id = m.pattern().as_u32();
            match out[ti] {
                Some((_, old)) if old >= tj => {}
                _ => out[ti] = Some((id, tj)),
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

fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn split_list(field: &str) -> impl Iterator<Item = &str> {
    field.split(',').map(str::trim).filter(|s| !s.is_empty())
}

#[derive(Default)]
struct Builder {
    patterns: Vec<String>,
    index: HashMap<String, usize>,
    entries: Vec<Lex>,
    places: Vec<Canon>,
    place_index: HashMap<String, u32>,
    orgs: Vec<Canon>,
    org_index: HashMap<String, u32>,
    people: Vec<KnownPerson>,
    heads: Vec<String>,
    head_index: HashMap<String, u32>,
}

impl Builder {
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
}
