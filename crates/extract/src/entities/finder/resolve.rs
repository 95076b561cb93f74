//! The document-level step of the person finder: every candidate name of every sentence
//! becomes a mention of a referent (a person, place or organization), in named steps: full
//! personal names, single names, places and organizations, then the referents' names, roles
//! and genders, and the role phrases linked to the persons they describe.
//!
//! Referents are found by their key through hash indexes, so a document of many distinct
//! names costs time in proportion to its names, not to their square.

use std::collections::BTreeSet;
use std::ops::Range;

use model::EntityKind;
use rustc_hash::{FxHashMap, FxHashSet};

use super::{Cand, Finder, Hint, RoleMention};
use crate::entities::lexicon::{RoleClass, RoleSig};
use crate::entities::normalize::name_key;
use crate::entities::{Gender, Referent, ReferentMention, Referents};

/// The referents as [`Finder::resolve`] builds them, and the indexes that find one by key.
struct Resolution<'t> {
    refs: Vec<Ref>,
    /// Each candidate's referent.
    assigned: Vec<Option<usize>>,
    /// The candidates of each referent, as [`Self::assign`] gives them.
    cands_of: Vec<BTreeSet<usize>>,
    /// The largest start of the candidates up to each one: the candidates "before" a position
    /// are those up to the first whose start reaches it.
    started: Vec<usize>,
    /// Name keys made once per surface: a story repeats its names ("Trump" … "Trump").
    keys: Vec<String>,
    key_of: FxHashMap<&'t str, usize>,
    /// The first referent of each kind ([`kind_slot`]) and key.
    by_key: [FxHashMap<String, usize>; 4],
    /// The first person of each last word, then first word ("Donald J. Trump" = "Donald
    /// Trump").
    by_ends: FxHashMap<String, FxHashMap<String, usize>>,
    /// Persons whose key ends with this tail after a space ("Leyen", "der Leyen"), in order.
    by_tail: FxHashMap<String, Vec<usize>>,
    /// Persons whose key starts with this head before a space ("Lee" of "Lee Jae-myung").
    by_head: FxHashMap<String, Vec<usize>>,
}

fn kind_slot(kind: EntityKind) -> usize {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Org => 1,
        EntityKind::Place => 2,
        EntityKind::Date => 3,
    }
}

impl<'t> Resolution<'t> {
    fn new(cands: &[Cand]) -> Self {
        let started = cands
            .iter()
            .scan(0, |max, c| {
                *max = c.bytes.start.max(*max);
                Some(*max)
            })
            .collect();
        let cands = cands.len();
        Resolution {
            // Room up front: there are at most as many referents and keys as candidates.
            refs: Vec::with_capacity(cands),
            assigned: vec![None; cands],
            cands_of: Vec::with_capacity(cands),
            started,
            keys: Vec::with_capacity(cands),
            key_of: FxHashMap::default(),
            by_key: Default::default(),
            by_ends: FxHashMap::default(),
            by_tail: FxHashMap::default(),
            by_head: FxHashMap::default(),
        }
    }

    /// The index in `keys` of the [`name_key`] of `name`, made when first asked for.
    fn key_index(&mut self, name: &'t str) -> usize {
        if let Some(&k) = self.key_of.get(name) {
            return k;
        }
        self.keys.push(name_key(name));
        self.key_of.insert(name, self.keys.len() - 1);
        self.keys.len() - 1
    }

    /// Adds a referent and indexes it.
    fn push(&mut self, kind: EntityKind, key: &str) -> usize {
        let r = self.refs.len();
        let new = Ref::new(kind, key.to_string());
        self.by_key[kind_slot(kind)]
            .entry(key.to_string())
            .or_insert(r);
        if kind == EntityKind::Person {
            if new.first_end < key.len() {
                self.by_ends
                    .entry(key[new.last_start..].to_string())
                    .or_default()
                    .entry(key[..new.first_end].to_string())
                    .or_insert(r);
            }
            for (space, _) in key.match_indices(' ') {
                self.by_tail
                    .entry(key[space + 1..].to_string())
                    .or_default()
                    .push(r);
                self.by_head
                    .entry(key[..space].to_string())
                    .or_default()
                    .push(r);
            }
        }
        self.refs.push(new);
        self.cands_of.push(BTreeSet::new());
        r
    }

    /// Makes candidate `c` a mention of referent `r`.
    fn assign(&mut self, c: usize, r: usize) {
        self.assigned[c] = Some(r);
        self.cands_of[r].insert(c);
    }

    fn find(&self, kind: EntityKind, key: &str) -> Option<usize> {
        self.by_key[kind_slot(kind)].get(key).copied()
    }

    /// The referent of `kind` with `key`, added if there is none.
    fn find_or_push(&mut self, kind: EntityKind, key: &str) -> usize {
        match self.find(kind, key) {
            Some(r) => r,
            None => self.push(kind, key),
        }
    }

    /// A person already known by this key, or by the same surname and first name.
    fn find_person(&self, key: &str) -> Option<usize> {
        if let Some(r) = self.find(EntityKind::Person, key) {
            return Some(r);
        }
        let (first, last) = (key.split(' ').next()?, key.rsplit(' ').next()?);
        if first == last {
            return None;
        }
        self.by_ends.get(last)?.get(first).copied()
    }

    /// [`Self::find_person`], or a new person.
    fn person(&mut self, key: &str) -> usize {
        match self.find_person(key) {
            Some(r) => r,
            None => self.push(EntityKind::Person, key),
        }
    }

    /// The person whose surname (or name tail, "von der Leyen") `key` is; the nearest one
    /// before `at` when several share it.
    fn surname_match(&self, key: &str, at: usize) -> Option<usize> {
        let matching = self.by_tail.get(key)?;
        let first = *matching.first()?;
        if matching.len() == 1 {
            return Some(first);
        }
        // The one mentioned last before `at`, by its last candidate there.
        let before = self.started.partition_point(|&s| s < at);
        let last_before = |r: usize| self.cands_of[r].range(..before).next_back().copied();
        let best = matching
            .iter()
            .filter_map(|&r| Some((last_before(r)?, r)))
            .max()
            .map(|(_, r)| r);
        best.or(Some(first))
    }

    /// The one known public figure whose name starts with `key` (names written family name
    /// first: "Lee" for Lee Jae-myung); none when several do.
    fn by_family_name(&self, key: &str) -> Option<usize> {
        let mut hits = self
            .by_head
            .get(key)?
            .iter()
            .filter(|&&r| self.refs[r].known.is_some());
        let first = *hits.next()?;
        hits.next().is_none().then_some(first)
    }
}

/// The name mentions of every referent, grouped by referent in candidate order (one list,
/// not one growing list per referent).
struct NamesByReferent {
    at: Vec<usize>,
    starts: Vec<usize>,
}

impl NamesByReferent {
    fn new(cands: &[Cand], assigned: &[Option<usize>], refs: usize) -> Self {
        let mut count = vec![0usize; refs];
        for r in assigned.iter().flatten() {
            count[*r] += 1;
        }
        let mut at = Vec::with_capacity(refs + 1);
        at.push(0);
        for &n in &count {
            at.push(at.last().copied().unwrap_or(0) + n);
        }
        let mut starts = vec![0; at[refs]];
        let mut fill = at.clone();
        for (c, r) in cands.iter().zip(assigned) {
            if let Some(r) = *r {
                starts[fill[r]] = c.bytes.start;
                fill[r] += 1;
            }
        }
        NamesByReferent { at, starts }
    }

    fn of(&self, r: usize) -> &[usize] {
        &self.starts[self.at[r]..self.at[r + 1]]
    }
}

impl<'a> Finder<'a> {
    // Out of line: called once per document, and a profile should show it on its own.
    #[inline(never)]
    pub(super) fn resolve(&mut self) -> Referents {
        let mut res = Resolution::new(&self.cands);
        self.full_names(&mut res);
        self.single_names(&mut res);
        self.places_and_orgs(&mut res);
        // Last of the assignments: `cands_of` is not read after this point.
        self.settle_by_document(&res.refs, &mut res.assigned);
        let mut infos = self.referent_infos(&res);
        let names = NamesByReferent::new(&self.cands, &res.assigned, res.refs.len());
        self.add_known_figures(&res, &mut infos);
        let role_links = self.link_roles(&res, &infos, &names);
        self.referents(res, &infos, &names, role_links)
    }

    /// Step 1: full personal names (two words or more, or known figures), longest first so
    /// that "Al Thani" finds "Mohammed bin Abdulrahman Al Thani".
    fn full_names(&self, res: &mut Resolution<'a>) {
        let (text, lex) = (self.text, self.lex);
        let full_name = |c: &Cand| {
            let full = c.words >= 2
                && (c.first.is_some()
                    || c.person.is_some()
                    || c.role.is_some()
                    || c.honorific
                    || (c.learned == Some(EntityKind::Person) && !c.place_ctx)
                    || (c.speech && !c.sentence_initial && c.learned.is_none()));
            c.hint == Hint::Name && (full || c.person.is_some())
        };
        // Only these are taken here: sorting just them keeps their order and sorts less.
        let mut by_length: Vec<usize> = Vec::with_capacity(self.cands.len());
        by_length.extend((0..self.cands.len()).filter(|&ci| full_name(&self.cands[ci])));
        by_length.sort_by_key(|&ci| std::cmp::Reverse(self.cands[ci].words));
        for ci in by_length {
            let c = &self.cands[ci];
            let key_at;
            let key: &str = match c.person {
                Some(p) => &lex.people[p as usize].key,
                None => {
                    key_at = res.key_index(&text[c.bytes.clone()]);
                    &res.keys[key_at]
                }
            };
            let key = key.to_string();
            if c.first.is_none() && c.person.is_none() {
                if let Some(r) = res.surname_match(&key, c.bytes.start) {
                    res.assign(ci, r);
                    continue;
                }
            }
            let r = res.person(&key);
            res.refs[r].known = res.refs[r].known.or(c.person);
            res.assign(ci, r);
        }
    }

    /// Step 2: single names: a surname of someone named in full, a known figure, or a name by
    /// context (title, honorific, speech verb).
    fn single_names(&self, res: &mut Resolution<'a>) {
        let (text, lex) = (self.text, self.lex);
        // Last words of the names taken in step 1, ASCII lowercased for the test below.
        let surnames: FxHashSet<String> = self
            .cands
            .iter()
            .zip(&res.assigned)
            .filter(|(c, a)| a.is_some() && c.words >= 2)
            .filter_map(|(c, _)| text[c.bytes.clone()].rsplit(' ').next())
            .map(str::to_ascii_lowercase)
            .collect();
        for (ci, c) in self.cands.iter().enumerate() {
            if res.assigned[ci].is_some() {
                continue;
            }
            let name = &text[c.bytes.clone()];
            let is_name = c.hint == Hint::Name;
            // A listed place or organization is a person only when it is the surname of
            // someone named in full ("Jordan" after "Michael Jordan"): test that cheaply.
            // A name the tagger typed (any kind) may still be the surname of someone named
            // in full ("Al Thani" after "Mohammed bin Abdulrahman Al Thani").
            let maybe_surname = is_name
                || c.learned.is_some()
                || (matches!(c.hint, Hint::Place(_) | Hint::Org(_) | Hint::Acronym)
                    && surnames.contains(&name.to_ascii_lowercase()));
            if !maybe_surname {
                continue;
            }
            let k = res.key_index(name);
            let key = res.keys[k].clone();
            let by_surname = res.surname_match(&key, c.bytes.start);
            // Names written family name first ("Lee" for Lee Jae-myung).
            let by_surname = by_surname.or_else(|| is_name.then(|| res.by_family_name(&key))?);
            if let Some(r) = by_surname {
                res.assign(ci, r);
                continue;
            }
            if !is_name {
                continue;
            }
            if c.surname_of.len() == 1 {
                let p = c.surname_of[0];
                let r = res.person(&lex.people[p as usize].key);
                res.refs[r].known = Some(p);
                res.assign(ci, r);
                continue;
            }
            // A single capitalized word with only a speech verb after it is as often an
            // organization ("Eurostat said") as a person: not enough.
            let evidence = c.role.is_some()
                || c.honorific
                || !c.surname_of.is_empty()
                || (c.learned == Some(EntityKind::Person) && !c.place_ctx);
            if evidence {
                let r = res.person(&key);
                res.assign(ci, r);
            }
        }
    }

    /// Step 3: places and organizations.
    fn places_and_orgs(&self, res: &mut Resolution<'a>) {
        let (text, lex) = (self.text, self.lex);
        for (ci, c) in self.cands.iter().enumerate() {
            if res.assigned[ci].is_some() {
                continue;
            }
            let (kind, key): (EntityKind, String) = match c.hint {
                Hint::Place(p) => (EntityKind::Place, lex.places[p as usize].key.clone()),
                Hint::Org(o) => (EntityKind::Org, lex.orgs[o as usize].key.clone()),
                hint => {
                    let Some(kind) = kind_by_shape(hint, c) else {
                        continue;
                    };
                    let k = res.key_index(&text[c.bytes.clone()]);
                    (kind, res.keys[k].clone())
                }
            };
            let r = res.find_or_push(kind, &key);
            res.assign(ci, r);
        }
    }

    /// Step 4: each referent's fullest name, role, gender and role signatures from its
    /// mentions.
    fn referent_infos<'s>(&'s self, res: &Resolution<'a>) -> Vec<RefInfo<'s>> {
        let text = self.text;
        let mut infos: Vec<RefInfo> = res.refs.iter().map(|_| RefInfo::default()).collect();
        for (ci, c) in self.cands.iter().enumerate() {
            let Some(r) = res.assigned[ci] else { continue };
            let info = &mut infos[r];
            let surface = &text[c.bytes.clone()];
            // The fullest form: more words; for places and organizations, on a tie, more
            // letters ("United States" over "U.S.", "U.S." over "US").
            let w = word_count(surface);
            let fuller = info.name.as_ref().is_none_or(|n| {
                let nw = info.name_words;
                w > nw
                    || (w == nw
                        && res.refs[r].kind != EntityKind::Person
                        && surface.len() > n.len())
            });
            if fuller {
                info.name = Some(surface);
                info.name_words = w;
            }
            if c.honorific {
                info.gender = info.gender.or(c.gender);
                info.honorific_gender = info.honorific_gender.or(c.gender);
            }
            info.gender = info.gender.or(c.gender);
            if let Some((rb, sig)) = &c.role {
                let role = &text[rb.clone()];
                match &info.role {
                    None => info.role = Some(role),
                    Some(old) => {
                        if role.len() > old.len()
                            && role.to_lowercase().ends_with(&old.to_lowercase())
                        {
                            info.role = Some(role);
                        }
                    }
                }
                info.sigs.push(sig);
            }
        }
        infos
    }

    /// Step 5: what the lists know of the public figures among the referents.
    fn add_known_figures<'s>(&'s self, res: &Resolution<'a>, infos: &mut [RefInfo<'s>]) {
        for (r, info) in infos.iter_mut().enumerate() {
            if let Some(p) = res.refs[r].known {
                let known = &self.lex.people[p as usize];
                if info
                    .name
                    .as_ref()
                    .is_none_or(|n| word_count(n) < word_count(&known.name))
                {
                    info.name = Some(&known.name);
                }
                info.gender = info.honorific_gender.or(info.gender).or(known.gender);
                info.known_sig = Some(&known.role);
            }
        }
    }

    /// Step 6: role phrases ("the Russian president") to the person they describe.
    fn link_roles(
        &self,
        res: &Resolution<'a>,
        infos: &[RefInfo<'_>],
        names: &NamesByReferent,
    ) -> Vec<(usize, Range<usize>)> {
        // Every referent is made for a name mention, so it has one.
        let persons: Vec<usize> = (0..res.refs.len())
            .filter(|&r| res.refs[r].kind == EntityKind::Person && !names.of(r).is_empty())
            .filter(|&r| !infos[r].sigs.is_empty() || infos[r].known_sig.is_some())
            .collect();
        let names_of = |r: usize| names.of(r);
        self.roles
            .iter()
            .filter_map(|rm| Some((link_role(&persons, infos, &names_of, rm)?, rm.bytes.clone())))
            .collect()
    }

    /// Step 7: the referents in order of first mention, and every mention pointing at its
    /// referent.
    fn referents(
        &self,
        mut res: Resolution<'a>,
        infos: &[RefInfo<'_>],
        names: &NamesByReferent,
        role_links: Vec<(usize, Range<usize>)>,
    ) -> Referents {
        let refs = std::mem::take(&mut res.refs);
        // Each referent's first mention, found once rather than at every comparison.
        let mut first_mention: Vec<usize> = (0..refs.len())
            .map(|r| names.of(r).iter().copied().min().unwrap_or(usize::MAX))
            .collect();
        let mut has_mention: Vec<bool> = (0..refs.len()).map(|r| !names.of(r).is_empty()).collect();
        for (r, bytes) in &role_links {
            first_mention[*r] = first_mention[*r].min(bytes.start);
            has_mention[*r] = true;
        }
        let mut order: Vec<usize> = Vec::with_capacity(refs.len());
        order.extend((0..refs.len()).filter(|&r| has_mention[r]));
        order.sort_by_key(|&r| first_mention[r]);
        let mut out = Referents::default();
        let mut new_index = vec![usize::MAX; refs.len()];
        for (ni, &r) in order.iter().enumerate() {
            new_index[r] = ni;
            let info = &infos[r];
            let name = info.name.unwrap_or_default();
            let key = match (refs[r].kind, refs[r].known) {
                (EntityKind::Person, Some(p)) => self.lex.people[p as usize].key.clone(),
                (EntityKind::Person, None) => match res.key_of.get(name) {
                    Some(&k) => res.keys[k].clone(),
                    None => name_key(name),
                },
                _ => refs[r].key.clone(),
            };
            let person = refs[r].kind == EntityKind::Person;
            out.referents.push(Referent {
                name: name.to_string(),
                kind: refs[r].kind,
                gender: if person { info.gender } else { None },
                role: info.role.map(str::to_string),
                key,
            });
        }
        // In the order they were found; sorting by referent on equal spans too keeps the same
        // mention at the dedup below as listing them referent by referent would.
        out.mentions.reserve(self.cands.len() + role_links.len());
        for (c, r) in self.cands.iter().zip(&res.assigned) {
            if let Some(r) = *r {
                out.mentions.push(ReferentMention {
                    bytes: c.bytes.clone(),
                    referent: new_index[r],
                    by_role: false,
                });
            }
        }
        for (r, bytes) in role_links {
            out.mentions.push(ReferentMention {
                bytes,
                referent: new_index[r],
                by_role: true,
            });
        }
        out.mentions
            .sort_by_key(|m| (m.bytes.start, m.bytes.end, m.referent));
        out.mentions.dedup_by(|a, b| a.bytes == b.bytes);
        out
    }
}

/// The kind of a candidate no list knows, by its shape and context; `None` when there is not
/// enough to go on.
fn kind_by_shape(hint: Hint, c: &Cand) -> Option<EntityKind> {
    match (hint, c.learned) {
        // The tagger's kind over a guess by shape, but for a name after "in", "near"… (a
        // place by its context).
        (_, Some(kind)) if kind != EntityKind::Person && !c.place_ctx => Some(kind),
        _ => match hint {
            Hint::NewOrg => Some(EntityKind::Org),
            Hint::NewPlace => Some(EntityKind::Place),
            Hint::Acronym if c.speech && !c.sentence_initial => Some(EntityKind::Org),
            // A place by its context ("in Brindle"), unless the tagger read the words and
            // found no name ("in Economics").
            Hint::Name
                if c.place_ctx && !c.sentence_initial && c.first.is_none() && !c.untagged =>
            {
                Some(EntityKind::Place)
            }
            _ => None,
        },
    }
}

#[derive(Debug, Clone)]
pub(super) struct Ref {
    pub(super) kind: EntityKind,
    key: String,
    known: Option<u32>,
    /// Where the key's first word ends and its last word starts, found once: every new name
    /// is compared with them all (see [`find_person`]).
    first_end: usize,
    last_start: usize,
}

impl Ref {
    fn new(kind: EntityKind, key: String) -> Ref {
        // Keys are short: a plain byte loop beats the string searchers.
        let b = key.as_bytes();
        let first_end = b.iter().position(|&c| c == b' ').unwrap_or(b.len());
        let last_start = b.iter().rposition(|&c| c == b' ').map_or(0, |i| i + 1);
        Ref {
            kind,
            key,
            known: None,
            first_end,
            last_start,
        }
    }
}

#[derive(Debug, Default)]
struct RefInfo<'a> {
    /// Borrowed from the text or the lists until the referent is built.
    name: Option<&'a str>,
    /// [`word_count`] of `name`, while the mentions are read.
    name_words: usize,
    gender: Option<Gender>,
    honorific_gender: Option<Gender>,
    role: Option<&'a str>,
    /// Borrowed from the candidates and the lists: role signatures are only compared.
    sigs: Vec<&'a RoleSig>,
    known_sig: Option<&'a RoleSig>,
}

fn word_count(s: &str) -> usize {
    // Names hold single spaces: counting them is enough.
    s.bytes().filter(|&b| b == b' ').count() + 1
}

/// The person a role phrase refers to: the best match of head and nationality among the
/// persons with a role, the most recently mentioned on ties, else the next one mentioned.
/// `persons` are the candidates, in referent order: persons with a name mention and a role
/// (their own or the lists'), the only ones that can score.
fn link_role<'n>(
    persons: &[usize],
    infos: &[RefInfo<'_>],
    names_of: &impl Fn(usize) -> &'n [usize],
    rm: &RoleMention,
) -> Option<usize> {
    let mut best: Option<(i32, usize, usize)> = None; // (score, recency rank, ref)
    for &r in persons {
        let info = &infos[r];
        let mut score = i32::MIN;
        for sig in &info.sigs {
            score = score.max(sig_score(sig, &rm.sig));
        }
        // What the lists know about a public figure helps only a phrase that names a country
        // or body ("the Russian President"), never a bare "the president".
        if !rm.sig.places.is_empty() || !rm.sig.orgs.is_empty() {
            if let Some(sig) = &info.known_sig {
                score = score.max(sig_score(sig, &rm.sig));
            }
        }
        if score <= 0 {
            continue;
        }
        // Most recent name mention before the phrase; else the first one after.
        let names = names_of(r).iter().copied();
        let rank = match names.clone().filter(|&p| p < rm.bytes.start).max() {
            Some(before) => usize::MAX / 2 + before,
            None => usize::MAX / 2 - names.min().unwrap_or(0).min(usize::MAX / 2),
        };
        let cand = (score, rank, r);
        if best.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
            best = Some(cand);
        }
    }
    best.map(|b| b.2)
}

fn sig_score(person: &RoleSig, mention: &RoleSig) -> i32 {
    let head = match (person.head, mention.head) {
        (Some(a), Some(b)) if a == b => 4,
        // "The Russian President" for "Russian leader Vladimir Putin": same family of titles,
        // and only with a matching country.
        _ => match (person.class, mention.class) {
            (Some(RoleClass::Leader), Some(RoleClass::Leader))
                if mention.places.iter().any(|p| person.places.contains(p)) =>
            {
                2
            }
            _ => return 0,
        },
    };
    let mut score = head;
    if !mention.places.is_empty() {
        if person.places.is_empty() {
            score += 0;
        } else if mention.places.iter().any(|p| person.places.contains(p)) {
            score += 4;
        } else {
            return 0;
        }
    } else if person.places.is_empty() {
        // A bare "the president" is most often the one the text titles plainly.
        score += 1;
    }
    if !mention.orgs.is_empty() && !person.orgs.is_empty() {
        if mention.orgs.iter().any(|o| person.orgs.contains(o)) {
            score += 3;
        } else {
            return 0;
        }
    }
    score
}
