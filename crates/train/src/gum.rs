//! GUM's CoNLL-U files to sentences with name spans, by the convention of the GUM name scorer:
//! a mention is named when its head (or a flat/appos word beside a common-noun head) is a
//! proper noun; the name is that word and the words reached from it through name-internal
//! relations, never across a separator; titles before a person's name are cut, edge function
//! words trimmed; people named in the plural or after "a"/"an", and names ending in a title,
//! are not names.

use std::collections::HashMap;

use ner::Kind;

/// A sentence's text and its names as byte ranges of that text.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub text: String,
    pub names: Vec<(usize, usize, Kind)>,
}

#[derive(Debug, Clone)]
struct Word {
    form: String,
    upos: String,
    xpos: String,
    deprel: String,
    /// Global index of the governor (none for the root).
    gov: Option<usize>,
    sentence: usize,
    /// Byte range in the sentence text.
    bytes: (usize, usize),
}

#[derive(Debug, Clone)]
struct Mention {
    start: usize,
    end: usize,
    kind: Option<Kind>,
}

const TITLES: &[&str] = &[
    "president",
    "vice",
    "senator",
    "sen.",
    "governor",
    "gov.",
    "minister",
    "prime",
    "premier",
    "professor",
    "prof.",
    "emeritus",
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "doctor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "judge",
    "justice",
    "chancellor",
    "secretary",
    "ambassador",
    "general",
    "gen.",
    "colonel",
    "captain",
    "lieutenant",
    "sergeant",
    "director",
    "chairman",
    "chairwoman",
    "chair",
    "ceo",
    "mayor",
    "sheriff",
    "chief",
    "editor",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "sir",
    "lord",
    "lady",
    "dame",
    "saint",
    "st.",
    "rev.",
    "reverend",
    "father",
    "deputy",
    "attorney",
    "commissioner",
    "administrator",
    "representative",
    "rep.",
    "congressman",
    "congresswoman",
    "mp",
    "councillor",
];
const SEPARATORS: &[&str] = &[",", ";", ":", "(", ")", "[", "]", "—", "–"];
const FUNCTION: &[&str] = &["DET", "PUNCT", "ADP", "PART", "CCONJ", "SCONJ", "AUX"];
const NOMINAL: &[&str] = &["NOUN", "PROPN", "PRON", "NUM", "X", "SYM"];
const EDGE_TRIM: &[&str] = &["DET", "PUNCT", "ADP", "CCONJ", "SCONJ", "PART"];
const NMOD_CASES: &[&str] = &[
    "of", "for", "on", "de", "del", "della", "di", "du", "des", "da", "von", "van",
];

fn capitalised(w: &Word) -> bool {
    w.form
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase() || c.is_numeric())
}

/// Reads one CoNLL-U document.
pub fn read(src: &str) -> Vec<Sentence> {
    let mut sentences: Vec<Sentence> = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut open: HashMap<String, Vec<Mention>> = HashMap::new();
    let mut mentions = Vec::new();
    let mut block: Vec<Vec<&str>> = Vec::new();
    for line in src.lines().chain(std::iter::once("")) {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if !block.is_empty() {
                let base = words.len();
                let text = sentence(&block, sentences.len(), &mut words);
                sentences.push(Sentence {
                    text,
                    names: Vec::new(),
                });
                for (g, cols) in block
                    .iter()
                    .filter(|c| !c[0].contains(['-', '.']))
                    .enumerate()
                {
                    brackets(cols[9], base + g, &mut open, &mut mentions);
                }
                block.clear();
            }
            continue;
        }
        block.push(line.split('\t').collect());
    }
    for m in &mentions {
        if let Some((a, b, kind)) = named(m, &mentions, &words) {
            let s = words[a].sentence;
            if words[b].sentence == s {
                sentences[s]
                    .names
                    .push((words[a].bytes.0, words[b].bytes.1, kind));
            }
        }
    }
    sentences
}

/// Rebuilds one sentence's text from its tokens (multi-word tokens by their surface line);
/// appends its words with their byte ranges.
fn sentence(block: &[Vec<&str>], index: usize, words: &mut Vec<Word>) -> String {
    let mut text = String::new();
    let base = words.len();
    let mut cover_to = 0usize;
    // The surface token of a multi-word token ("Zurbarán’s"): a word that reads on at the
    // next position gets its part of the token, any other the whole token.
    let mut surface = (0, 0);
    let mut next_part = 0;
    for cols in block {
        if cols.len() < 10 || cols[0].contains('.') {
            continue;
        }
        let space = !cols[9].split('|').any(|kv| kv == "SpaceAfter=No");
        if let Some((_, b)) = cols[0].split_once('-') {
            cover_to = b.parse().unwrap_or(0);
            let start = text.len();
            text.push_str(cols[1]);
            surface = (start, text.len());
            next_part = start;
            if space {
                text.push(' ');
            }
            continue;
        }
        let id: usize = cols[0].parse().unwrap_or(0);
        let gov = cols[6]
            .parse::<usize>()
            .ok()
            .filter(|&h| h > 0)
            .map(|h| base + h - 1);
        let bytes = if id <= cover_to {
            if text[next_part..surface.1].starts_with(cols[1]) {
                next_part += cols[1].len();
                (next_part - cols[1].len(), next_part)
            } else {
                surface
            }
        } else {
            let start = text.len();
            text.push_str(cols[1]);
            let end = text.len();
            if space {
                text.push(' ');
            }
            (start, end)
        };
        words.push(Word {
            form: cols[1].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            deprel: cols[7].to_string(),
            gov,
            sentence: index,
            bytes,
        });
    }
    text.truncate(text.trim_end().len());
    text
}

/// The `Entity=` brackets of word `g`: opens `(id-type…`, closes `id)`, or both `(id-type…)`.
fn brackets(
    misc: &str,
    g: usize,
    open: &mut HashMap<String, Vec<Mention>>,
    out: &mut Vec<Mention>,
) {
    let Some(ent) = misc.split('|').find_map(|kv| kv.strip_prefix("Entity=")) else {
        return;
    };
    let mut rest = ent;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('(') {
            let stop = r.find(['(', ')']).unwrap_or(r.len());
            let body = &r[..stop];
            let (id, fields) = body.split_once('-').unwrap_or((body, ""));
            let id = id.split('[').next().unwrap_or(id).to_string();
            let kind = match fields.split('-').next().unwrap_or("") {
                "person" => Some(Kind::Person),
                "organization" => Some(Kind::Org),
                "place" => Some(Kind::Place),
                _ => None,
            };
            let m = Mention {
                start: g,
                end: g,
                kind,
            };
            if r[stop..].starts_with(')') {
                out.push(m);
                rest = &r[stop + 1..];
            } else {
                open.entry(id).or_default().push(m);
                rest = &r[stop..];
            }
        } else {
            let stop = rest.find(')').unwrap_or(rest.len());
            let id = rest[..stop].split('[').next().unwrap_or("").to_string();
            if let Some(mut m) = open.get_mut(&id).and_then(Vec::pop) {
                m.end = g;
                out.push(m);
            }
            rest = rest.get(stop + 1..).unwrap_or("");
        }
    }
}

fn has(list: &[&str], x: &str) -> bool {
    list.contains(&x)
}

/// The name inside mention `m` (first and last word), if it is named.
fn named(m: &Mention, mentions: &[Mention], words: &[Word]) -> Option<(usize, usize, Kind)> {
    let kind = m.kind?;
    let span = m.start..=m.end;
    let inside = |g: Option<usize>| g.is_some_and(|g| span.contains(&g));
    let heads: Vec<usize> = span.clone().filter(|&g| !inside(words[g].gov)).collect();
    let content: Vec<usize> = heads
        .iter()
        .copied()
        .filter(|&g| !has(FUNCTION, &words[g].upos))
        .collect();
    let h = content
        .iter()
        .copied()
        .find(|&g| has(NOMINAL, &words[g].upos))
        .or(content.first().copied())
        .or(heads.first().copied())?;
    let mut deps: HashMap<usize, Vec<usize>> = HashMap::new();
    for g in span.clone() {
        if let Some(gov) = words[g].gov.filter(|&x| span.contains(&x)) {
            deps.entry(gov).or_default().push(g);
        }
    }
    let separated =
        |a: usize, b: usize| (a.min(b) + 1..a.max(b)).any(|g| has(SEPARATORS, &words[g].form));
    let glue = |g: usize| {
        capitalised(&words[g])
            || has(
                &["of", "for", "and", "&", "-", "the"],
                &words[g].form.to_lowercase(),
            )
    };
    let anchor: Vec<usize> = if words[h].upos == "PROPN" {
        std::iter::once(h)
            .chain(
                heads
                    .iter()
                    .copied()
                    .filter(|&g| g > h && words[g].upos == "PROPN" && (h + 1..g).all(glue)),
            )
            .collect()
    } else {
        let beside = deps.get(&h).cloned().unwrap_or_default();
        beside
            .into_iter()
            .chain(heads.iter().copied())
            .filter(|&d| {
                let base = words[d].deprel.split(':').next().unwrap_or("");
                words[d].upos == "PROPN" && (base == "flat" || base == "appos") && !separated(h, d)
            })
            .collect()
    };
    if anchor.is_empty() {
        return None;
    }
    let own_mention = |d: usize| {
        mentions.iter().any(|o| {
            !std::ptr::eq(o, m)
                && o.start >= m.start
                && o.end <= m.end
                && (o.start..=o.end).contains(&d)
                && !words[d].gov.is_some_and(|x| (o.start..=o.end).contains(&x))
        })
    };
    let takes = |x: usize, d: usize| {
        let (w, rel) = (&words[d], words[d].deprel.as_str());
        let base = rel.split(':').next().unwrap_or("");
        if separated(x, d) {
            return false;
        }
        if matches!(base, "flat" | "goeswith" | "fixed") {
            return true;
        }
        if kind == Kind::Person {
            return matches!(rel, "compound" | "amod") && capitalised(w);
        }
        if !capitalised(w) {
            return false;
        }
        match rel {
            "compound" | "amod" | "nmod:desc" | "nmod:unmarked" | "dep" => true,
            "nmod" => {
                let case = deps
                    .get(&d)
                    .and_then(|c| c.iter().find(|&&c| words[c].deprel == "case"));
                d > x && case.is_some_and(|&c| has(NMOD_CASES, &words[c].form.to_lowercase()))
            }
            "conj" | "nmod:poss" => !own_mention(d),
            _ => false,
        }
    };
    let mut core: Vec<usize> = anchor.clone();
    let mut todo = anchor.clone();
    while let Some(x) = todo.pop() {
        for &d in deps.get(&x).map(Vec::as_slice).unwrap_or(&[]) {
            if !core.contains(&d) && takes(x, d) {
                core.push(d);
                todo.push(d);
            }
        }
    }
    let (mut a, mut b) = (*core.iter().min()?, *core.iter().max()?);
    trim(words, &mut a, &mut b);
    if kind == Kind::Person {
        (a, b) = person_name(m, words, anchor[0], a, b)?;
    }
    Some((a, b, kind))
}

/// Drops function words at either edge of `a..=b`.
fn trim(words: &[Word], a: &mut usize, b: &mut usize) {
    while *a < *b && has(EDGE_TRIM, &words[*a].upos) {
        *a += 1;
    }
    while *b > *a && has(EDGE_TRIM, &words[*b].upos) {
        *b -= 1;
    }
}

/// A person's name without its leading titles; none for people named in the plural, after
/// "a"/"an", by a title at the end ("the President") or without a proper noun left.
fn person_name(
    m: &Mention,
    words: &[Word],
    anchor: usize,
    mut a: usize,
    mut b: usize,
) -> Option<(usize, usize)> {
    let title = |g: usize| has(TITLES, &words[g].form.to_lowercase());
    let lower = words[m.start].form.to_lowercase();
    if words[anchor].xpos == "NNPS" || lower == "a" || lower == "an" || title(b) {
        return None;
    }
    if let Some(t) = (a..=b).rev().find(|&g| title(g)) {
        a = t + 1;
        trim(words, &mut a, &mut b);
    }
    (a..=b).any(|g| words[g].upos == "PROPN").then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two sentences of our own in GUM's CoNLL-U: a titled person, an organization with an
    /// "of" name, a place, a multi-word token with a possessive, and a description (no name).
    const DOC: &str = "# text = President Ada Brisk visited the University of Tollund.
1\tPresident\tpresident\tPROPN\tNNP\t_\t3\tnmod:desc\t_\tEntity=(1-person-giv:act-cf1-1-coref
2\tAda\tAda\tPROPN\tNNP\t_\t3\tcompound\t_\t_
3\tBrisk\tBrisk\tPROPN\tNNP\t_\t4\tnsubj\t_\tEntity=1)
4\tvisited\tvisit\tVERB\tVBD\t_\t0\troot\t_\t_
5\tthe\tthe\tDET\tDT\t_\t6\tdet\t_\tEntity=(2-organization-new-cf2-1-sgl
6\tUniversity\tUniversity\tPROPN\tNNP\t_\t4\tobj\t_\t_
7\tof\tof\tADP\tIN\t_\t8\tcase\t_\t_
8\tTollund\tTollund\tPROPN\tNNP\t_\t6\tnmod\t_\tEntity=(3-place-new-cf3-1-sgl)2)|SpaceAfter=No
9\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_

# text = Brisk's office faces the river.
1-2\tBrisk's\t_\t_\t_\t_\t_\t_\t_\t_
1\tBrisk\tBrisk\tPROPN\tNNP\t_\t3\tnmod:poss\t_\tEntity=(1-person-giv:act-cf1-1-coref)
2\t's\t's\tPART\tPOS\t_\t1\tcase\t_\t_
3\toffice\toffice\tNOUN\tNN\t_\t4\tnsubj\t_\t_
4\tfaces\tface\tVERB\tVBZ\t_\t0\troot\t_\t_
5\tthe\tthe\tDET\tDT\t_\t6\tdet\t_\tEntity=(4-place-new-cf4-1-sgl
6\triver\triver\tNOUN\tNN\t_\t4\tobj\t_\tEntity=4)|SpaceAfter=No
7\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_

";

    #[test]
    fn names_follow_the_scorer_convention() {
        let sentences = read(DOC);
        let names: Vec<Vec<(&str, Kind)>> = sentences
            .iter()
            .map(|s| {
                s.names
                    .iter()
                    .map(|&(a, b, k)| (&s.text[a..b], k))
                    .collect()
            })
            .collect();
        assert_eq!(
            sentences[0].text,
            "President Ada Brisk visited the University of Tollund."
        );
        assert_eq!(
            names[0],
            [
                ("Ada Brisk", Kind::Person),
                ("Tollund", Kind::Place),
                ("University of Tollund", Kind::Org)
            ]
        );
        assert_eq!(names[1], [("Brisk", Kind::Person)]);
    }
}
