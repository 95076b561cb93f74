//! Dates: absolute ones ("February 2022", "Aug. 15, 2025", "1994", "August 15") normalized to
//! ISO 8601 at the precision given (`2022-02`, `2025-08-15`, `1994`, `--08-15`); relative ones
//! ("on Sunday", "Monday’s talks", "last week", "three days ago") resolved against the
//! document's published date when there is one, with that anchor recorded, and left without a
//! value when there is none.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;

use regex_automata::nfa::thompson::backtrack::{self, BoundedBacktracker};
use regex_automata::nfa::thompson::{self, pikevm::PikeVM, WhichCaptures};
use regex_automata::util::captures::Captures;
use regex_automata::util::syntax::parse;
use regex_automata::{meta, Anchored, Input, PatternID, Span};

/// A date expression found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    /// Byte range in the text (without a leading "on"/"in").
    pub bytes: Range<usize>,
    /// ISO 8601 at the precision given: `2025-08-17`, `2025-08`, `2025`, `2025-W33`,
    /// `--08-15` (day without a year). `None` for a relative date without an anchor.
    pub value: Option<String>,
    /// What a relative date was resolved against (`published 2025-08-21`).
    pub anchor: Option<String>,
}

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.|Feb\\.|Mar\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sept\\.|Sep\\.|Oct\\.|Nov\\.|Dec\\.|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";
const MONTHS_FULL: &str =
    "January|February|March|April|May|June|July|August|September|October|November|December";

/// Group indices in [`Groups`], those of the one-regex form of the date forms (checked by a
/// test): looking groups up by name costs a hash of the name each time.
const G_ISO: usize = 1;
const G_IY: usize = 2;
const G_IM: usize = 3;
const G_ID: usize = 4;
const G_MO: usize = 5;
const G_PM: usize = 6;
const G_M4: usize = 7;
const G_D4: usize = 8;
const G_Y4: usize = 9;
const G_MDY: usize = 10;
const G_M1: usize = 11;
const G_D1: usize = 12;
const G_Y1: usize = 13;
const G_DMY: usize = 14;
const G_D2: usize = 15;
const G_M2: usize = 16;
const G_Y2: usize = 17;
const G_MY: usize = 18;
const G_M3: usize = 19;
const G_Y3: usize = 20;
const G_YR: usize = 21;
const G_Y5: usize = 22;
const G_Y6: usize = 23;
const G_WD: usize = 24;
const G_WP: usize = 25;
const G_W: usize = 26;
const G_WS: usize = 27;
const G_REL: usize = 28;
const G_N: usize = 29;
const G_U: usize = 30;
/// The group names in index order.
const GROUP_NAMES: [&str; 30] = [
    "iso", "iy", "im", "id", "mo", "pm", "m4", "d4", "y4", "mdy", "m1", "d1", "y1", "dmy", "d2",
    "m2", "y2", "my", "m3", "y3", "yr", "y5", "y6", "wd", "wp", "w", "ws", "rel", "n", "u",
];

/// The date forms in priority order (the order of the alternation they stand for): the name
/// of the group spanning each, and its pattern.
fn date_forms() -> [(&'static str, String); 8] {
    let b = "(?-u:\\b)";
    [
        (
            "iso",
            format!(r"{b}(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}}){b}"),
        ),
        (
            "mo",
            format!(
                r"{b}(?P<pm>in|since|by|until|from|of|for|last|next|this|early|late|on|In|Since|By|Until|From|For|Last|Next|This|Early|Late|On)\s+(?P<m4>{MONTHS_FULL}){b}(?:\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?{b})?(?:,?\s+(?P<y4>\d{{4}}){b})?"
            ),
        ),
        (
            "mdy",
            format!(
                r"{b}(?P<m1>{MONTHS})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?{b}(?:,?\s+(?P<y1>\d{{4}}){b})?"
            ),
        ),
        (
            "dmy",
            format!(
                r"{b}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{MONTHS})(?:{b}|\s)(?:,?\s*(?P<y2>\d{{4}}){b})?"
            ),
        ),
        ("my", format!(r"{b}(?P<m3>{MONTHS}),?\s+(?P<y3>\d{{4}}){b}")),
        (
            "yr",
            format!(
                r"{b}(?:in|since|by|until|from|before|after|during|through|In|Since|By|Until|From|Before|After|During)\s+(?:the\s+(?:year\s+)?)?(?P<y5>1[89]\d\d|20\d\d){b}(?:\s*[-–]\s*(?P<y6>1[89]\d\d|20\d\d){b})?"
            ),
        ),
        (
            "wd",
            format!(
                r"{b}(?:(?P<wp>on|last|next|this|since|until|by|from|On|Last|Next|This|Since|Until|By|From)\s+)?(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?P<ws>['’]s)?{b}"
            ),
        ),
        (
            "rel",
            format!(
                r"(?i:{b}(?:today|yesterday|tomorrow|tonight|(?:earlier|later)\s+this\s+(?:week|month|year)|(?:last|next|this|past)\s+(?:week|month|year|weekend|night)|(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?P<u>days?|weeks?|months?|years?)\s+ago){b})"
            ),
        ),
    ]
}

/// The one regex the forms were written as, with every group: what [`DateFinder`] must agree
/// with.
#[cfg(test)]
fn date_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let alternatives: Vec<String> = date_forms()
            .iter()
            .map(|(name, body)| format!("(?P<{name}>{body})"))
            .collect();
        Regex::new(&alternatives.join("|")).expect("date regex compiles")
    })
}

/// Finds date forms with a multi-pattern regex, whose pattern id says which form matched, then
/// runs only that form's small capture engine on the match. One alternation with 30 groups
/// made the capture engine walk every earlier form and carry all the slots for each match.
struct DateFinder {
    /// The forms as patterns in priority order, without groups: leftmost-first over patterns
    /// is the alternation's semantics.
    find: meta::Regex,
    forms: Vec<Form>,
}

struct Form {
    captures: BoundedBacktracker,
    /// For the rare span too long for the backtracker's visited set.
    fallback: PikeVM,
    /// The [`Groups`] index of each of the form's groups (0 is the whole form).
    global: Vec<usize>,
}

fn date_finder() -> &'static DateFinder {
    static FINDER: OnceLock<DateFinder> = OnceLock::new();
    FINDER.get_or_init(|| {
        let forms = date_forms();
        // Parsed once for both engines: translating the Unicode classes is much of the cost.
        let hirs: Vec<_> = forms
            .iter()
            .map(|(_, p)| parse(p).expect("date form parses"))
            .collect();
        let find = meta::Regex::builder()
            .configure(
                meta::Config::new()
                    .which_captures(WhichCaptures::Implicit)
                    .auto_prefilter(false),
            )
            .build_many_from_hir(&hirs)
            .expect("date forms compile");
        let forms = forms
            .iter()
            .zip(&hirs)
            .map(|((name, _), hir)| {
                let nfa = thompson::Compiler::new()
                    .build_from_hir(hir)
                    .expect("date form compiles");
                let global = nfa
                    .group_info()
                    .pattern_names(PatternID::ZERO)
                    .map(|n| {
                        let n = n.unwrap_or(name);
                        GROUP_NAMES
                            .iter()
                            .position(|&g| g == n)
                            .expect("every date group is named")
                            + 1
                    })
                    .collect();
                Form {
                    captures: BoundedBacktracker::new_from_nfa(nfa.clone())
                        .expect("date form backtracker builds"),
                    fallback: PikeVM::new_from_nfa(nfa).expect("date form pikevm builds"),
                    global,
                }
            })
            .collect();
        DateFinder { find, forms }
    })
}

/// Literals every date form contains (a digit, a month or weekday, a relative word).
fn date_signal() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        let mut pats: Vec<&str> = vec![
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "Jan", "Feb", "Mar", "Apr", "May",
            "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "day", "Day", "tonight", "Tonight",
            "tomorrow", "Tomorrow", "week", "Week", "month", "Month", "year", "Year", "ago",
            "night", "Night",
        ];
        pats.sort_unstable();
        AhoCorasick::new(pats).expect("date signal patterns compile")
    })
}

fn future_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(?-u:\b)(?:will|shall|upcoming|scheduled|plans? to|planned|expected (?:to|in|on|by|next)|due (?:to|in|on)|ahead of|set to|is to|are to|going to|next)(?-u:\b)|['’]ll(?-u:\b)")
            .expect("future regex compiles")
    })
}

/// Dates in the sentences of `text`, resolved against `published` when given.
pub fn find_dates(
    text: &str,
    sentences: &[Range<usize>],
    published: Option<NaiveDate>,
) -> Vec<DateMention> {
    find_dates_in(text, sentences, published, true)
}

/// [`find_dates`]; `prefilter: false` when the caller already kept only sentences that may
/// hold a date.
pub(crate) fn find_dates_in(
    text: &str,
    sentences: &[Range<usize>],
    published: Option<NaiveDate>,
    prefilter: bool,
) -> Vec<DateMention> {
    scan_dates(text, sentences, prefilter).resolve(text, published)
}

/// The date forms found in some sentences of a document, before they are resolved against a
/// published date. The entities stage keeps its scan in `doc.derived`; the claims stage reads
/// it to tell numbers inside dates, instead of searching those sentences again.
#[derive(Debug)]
pub(crate) struct DateScan {
    /// Length of the text scanned: a scan of another text is not this one.
    text_len: usize,
    /// The sentences searched (every one given, or those passing the prefilter), in the order
    /// given.
    sentences: Vec<Range<usize>>,
    /// Every match in search order.
    matches: Vec<RawDate>,
    /// Whether a weekday is named in a sentence that points forward (see [`scan_dates`]).
    weekday_future: [bool; 7],
}

#[derive(Debug)]
struct RawDate {
    /// Index into [`DateScan::sentences`].
    sentence: usize,
    /// The groups, relative to the sentence.
    spans: [Option<Span>; G_U + 1],
    /// Whether the writer's words in the sentence speak of the future.
    future: bool,
}

/// Pass 1 of the date finder: every match with whether its sentence speaks of the future. A
/// weekday named several times in a story is one day ("Monday’s talks" … "will meet on
/// Monday"), so weekdays take the future reading if any sentence naming them points forward.
/// A match depends only on its sentence's bytes, so a sentence's matches are the same
/// whichever other sentences are scanned with it.
pub(crate) fn scan_dates(text: &str, sentences: &[Range<usize>], prefilter: bool) -> DateScan {
    let finder = date_finder();
    let mut scan = DateScan {
        text_len: text.len(),
        sentences: Vec::with_capacity(sentences.len()),
        matches: Vec::new(),
        weekday_future: [false; 7],
    };
    let signal = date_signal();
    for s in sentences {
        let sentence = &text[s.clone()];
        // Most sentences have no date: a literal scan rules them out before the regex.
        if prefilter && !signal.is_match(sentence) {
            continue;
        }
        let index = scan.sentences.len();
        scan.sentences.push(s.clone());
        let mut future: Option<bool> = None;
        for m in finder.find.find_iter(sentence) {
            let caps = finder.groups(sentence, m.pattern(), m.range());
            // "If we're not strong today, we'll pay dearly tomorrow": inside a quotation these
            // words are the speaker's rhetoric, not dates.
            if let Some(rel) = caps.get(G_REL) {
                let before = &sentence[..rel.start()];
                let open = before.matches(['“', '"']).count();
                let close = before.matches('”').count();
                let rhetorical = matches!(
                    rel.as_str().to_ascii_lowercase().as_str(),
                    "today" | "tomorrow" | "tonight"
                );
                if rhetorical && open > close && (open - close) % 2 == 1 {
                    continue;
                }
            }
            // Tense from the writer's words: "will" inside a quotation is the speaker's.
            let fut =
                *future.get_or_insert_with(|| future_regex().is_match(&outside_quotes(sentence)));
            let explicit = caps.get(G_WP).is_some_and(|p| {
                matches!(
                    p.as_str().to_ascii_lowercase().as_str(),
                    "last" | "next" | "this"
                )
            });
            if let (Some(w), false) = (caps.get(G_W), explicit) {
                if fut {
                    if let Some(w) = weekday(w.as_str()) {
                        scan.weekday_future[w.num_days_from_monday() as usize] = true;
                    }
                }
            }
            scan.matches.push(RawDate {
                sentence: index,
                spans: caps.spans,
                future: fut,
            });
        }
    }
    scan
}

impl DateScan {
    /// Whether this scan was made on `text` (as far as a cheap check tells: the document's
    /// `derived` values are dropped whenever the text is replaced).
    pub(crate) fn is_of(&self, text: &str) -> bool {
        self.text_len == text.len()
    }

    fn groups<'h>(&self, text: &'h str, m: &RawDate) -> Groups<'h> {
        Groups {
            haystack: &text[self.sentences[m.sentence].clone()],
            spans: m.spans,
        }
    }

    /// Pass 2: the dates, resolved against `published` when given.
    pub(crate) fn resolve(&self, text: &str, published: Option<NaiveDate>) -> Vec<DateMention> {
        let mut out = Vec::with_capacity(self.matches.len());
        for m in &self.matches {
            let caps = self.groups(text, m);
            if let Some(r) = resolve(&caps, published, m.future, &self.weekday_future) {
                let base = self.sentences[m.sentence].start;
                out.push(DateMention {
                    bytes: base + r.0.start..base + r.0.end,
                    value: r.1,
                    anchor: r.2,
                });
            }
        }
        out
    }

    /// The byte ranges [`find_dates`] gives for `sentence` alone without a published date,
    /// or `None` when this scan did not search it.
    fn unanchored_in(&self, text: &str, sentence: &Range<usize>) -> Option<Vec<Range<usize>>> {
        // Sentences come in text order: binary search. Out of order, the search may miss a
        // sentence, which is then searched again; it never takes another sentence's dates.
        let i = self
            .sentences
            .partition_point(|s| (s.start, s.end) < (sentence.start, sentence.end));
        if self.sentences.get(i) != Some(sentence) {
            return None;
        }
        let first = self.matches.partition_point(|m| m.sentence < i);
        let base = sentence.start;
        Some(
            self.matches[first..]
                .iter()
                .take_while(|m| m.sentence == i)
                // Without an anchor, neither the tense nor the other sentences matter, and
                // only the span of what resolves is used.
                .filter_map(|m| resolve(&self.groups(text, m), None, false, &[false; 7]))
                .map(|r| base + r.0.start..base + r.0.end)
                .collect(),
        )
    }
}

/// The byte ranges of the dates in `sentence` of `text`: exactly those of
/// `find_dates(text, &[sentence], None)`, taken from `shared` when it searched that sentence.
pub(crate) fn dates_of_sentence(
    text: &str,
    sentence: &Range<usize>,
    shared: Option<&DateScan>,
) -> Vec<Range<usize>> {
    // `find_dates` searches only sentences passing the prefilter; a shared scan may have
    // searched this one without it, and found forms the prefilter misses ("TODAY").
    if !date_signal().is_match(&text[sentence.clone()]) {
        return Vec::new();
    }
    if let Some(ranges) = shared
        .filter(|scan| scan.is_of(text))
        .and_then(|scan| scan.unanchored_in(text, sentence))
    {
        return ranges;
    }
    find_dates_in(text, std::slice::from_ref(sentence), None, false)
        .into_iter()
        .map(|d| d.bytes)
        .collect()
}

/// The sentence without its quoted passages (“…” or "…").
fn outside_quotes(sentence: &str) -> std::borrow::Cow<'_, str> {
    if !sentence.contains(['“', '"']) {
        return std::borrow::Cow::Borrowed(sentence);
    }
    let mut out = String::with_capacity(sentence.len());
    let mut inside = false;
    for c in sentence.chars() {
        match c {
            '“' => inside = true,
            '”' => inside = false,
            '"' => inside = !inside,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A match's groups, indexed like the one-regex form (`G_*`).
struct Groups<'h> {
    haystack: &'h str,
    spans: [Option<Span>; G_U + 1],
}

/// One group of a match.
#[derive(Clone, Copy)]
struct Group<'h> {
    haystack: &'h str,
    span: Span,
}

impl<'h> Group<'h> {
    fn start(&self) -> usize {
        self.span.start
    }
    fn end(&self) -> usize {
        self.span.end
    }
    fn range(&self) -> Range<usize> {
        self.span.range()
    }
    fn as_str(&self) -> &'h str {
        &self.haystack[self.span.range()]
    }
}

impl<'h> Groups<'h> {
    fn get(&self, group: usize) -> Option<Group<'h>> {
        self.spans[group].map(|span| Group {
            haystack: self.haystack,
            span,
        })
    }
}

impl DateFinder {
    /// The groups of the `form` match at `span` of `haystack`. The search is anchored on the
    /// match but sees the whole haystack, so word boundaries at its edges read as before.
    fn groups<'h>(&self, haystack: &'h str, form: PatternID, span: Range<usize>) -> Groups<'h> {
        thread_local! {
            // Per form, made when first needed.
            static CACHES: RefCell<Vec<Option<(backtrack::Cache, Captures)>>> =
                const { RefCell::new(Vec::new()) };
        }
        let id = form.as_usize();
        let form = &self.forms[id];
        let input = Input::new(haystack).span(span).anchored(Anchored::Yes);
        let mut spans = [None; G_U + 1];
        CACHES.with(|c| {
            let mut c = c.borrow_mut();
            if c.len() < self.forms.len() {
                c.resize_with(self.forms.len(), || None);
            }
            let (cache, caps) = c[id].get_or_insert_with(|| {
                (
                    form.captures.create_cache(),
                    form.captures.create_captures(),
                )
            });
            if form.captures.try_search(cache, &input, caps).is_err() {
                form.fallback
                    .search(&mut form.fallback.create_cache(), &input, caps);
            }
            debug_assert!(caps.is_match(), "a found form matches on its span");
            for (local, &global) in form.global.iter().enumerate() {
                spans[global] = caps.get_group(local);
            }
        });
        Groups { haystack, spans }
    }
}

type Resolved = (Range<usize>, Option<String>, Option<String>);

fn resolve(
    caps: &Groups<'_>,
    published: Option<NaiveDate>,
    future: bool,
    weekday_future: &[bool; 7],
) -> Option<Resolved> {
    let anchor = || published.map(|p| format!("published {p}"));
    let num = |group: usize| caps.get(group).and_then(|m| m.as_str().parse::<u32>().ok());
    if caps.get(G_ISO).is_some() {
        let (y, m, d) = (num(G_IY)? as i32, num(G_IM)?, num(G_ID)?);
        NaiveDate::from_ymd_opt(y, m, d)?;
        let whole = caps.get(G_ISO)?;
        return Some((whole.range(), Some(format!("{y:04}-{m:02}-{d:02}")), None));
    }
    if let Some(whole) = caps.get(G_MO) {
        let month = month_number(caps.get(G_M4)?.as_str())?;
        let start = caps.get(G_M4)?.start();
        let prefix = caps.get(G_PM).map(|m| m.as_str().to_ascii_lowercase());
        let span = match prefix.as_deref() {
            Some("last" | "next" | "this" | "early" | "late") => whole.start()..whole.end(),
            _ => start..whole.end(),
        };
        return Some(month_date(
            span,
            month,
            num(G_D4),
            num(G_Y4).map(|y| y as i32),
            prefix.as_deref(),
            published,
            future,
        ));
    }
    if let Some(whole) = caps.get(G_MDY) {
        let month = month_number(caps.get(G_M1)?.as_str())?;
        return Some(month_date(
            whole.range(),
            month,
            num(G_D1),
            num(G_Y1).map(|y| y as i32),
            None,
            published,
            future,
        ));
    }
    if let Some(whole) = caps.get(G_DMY) {
        let month = month_number(caps.get(G_M2)?.as_str())?;
        let end = caps.get(G_Y2).map_or(caps.get(G_M2)?.end(), |m| m.end());
        return Some(month_date(
            whole.start()..end,
            month,
            num(G_D2),
            num(G_Y2).map(|y| y as i32),
            None,
            published,
            future,
        ));
    }
    if let Some(whole) = caps.get(G_MY) {
        let month = month_number(caps.get(G_M3)?.as_str())?;
        let y = num(G_Y3)?;
        return Some((whole.range(), Some(format!("{y:04}-{month:02}")), None));
    }
    if caps.get(G_YR).is_some() {
        let y = caps.get(G_Y5)?;
        return Some(match caps.get(G_Y6) {
            Some(y2) => (
                y.start()..y2.end(),
                Some(format!("{}/{}", y.as_str(), y2.as_str())),
                None,
            ),
            None => (y.range(), Some(y.as_str().to_string()), None),
        });
    }
    if let Some(whole) = caps.get(G_WD) {
        let w = caps.get(G_W)?;
        let prefix = caps.get(G_WP).map(|m| m.as_str().to_ascii_lowercase());
        let possessive = caps.get(G_WS).is_some();
        // A weekday alone ("Fox News Sunday") is too often part of a name.
        if prefix.is_none() && !possessive {
            return None;
        }
        let span = match prefix.as_deref() {
            Some("last" | "next" | "this") => whole.start()..w.end(),
            _ => w.start()..w.end(),
        };
        let Some(p) = published else {
            return Some((span, None, None));
        };
        let target = weekday(w.as_str())?;
        let fut = match prefix.as_deref() {
            Some("next") => true,
            Some("last" | "since") => false,
            _ => weekday_future[target.num_days_from_monday() as usize],
        };
        let date = if fut {
            let mut d = p + Duration::days(1);
            while d.weekday() != target {
                d += Duration::days(1);
            }
            d
        } else {
            let mut d = p;
            while d.weekday() != target {
                d -= Duration::days(1);
            }
            if prefix.as_deref() == Some("last") && d == p {
                d -= Duration::days(7);
            }
            d
        };
        return Some((span, Some(date.to_string()), anchor()));
    }
    if let Some(whole) = caps.get(G_REL) {
        let Some(p) = published else {
            return Some((whole.range(), None, None));
        };
        let phrase = whole.as_str().to_ascii_lowercase();
        let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
        let value = relative(&phrase, p, caps)?;
        return Some((whole.range(), Some(value), anchor()));
    }
    None
}

fn month_date(
    span: Range<usize>,
    month: u32,
    day: Option<u32>,
    year: Option<i32>,
    prefix: Option<&str>,
    published: Option<NaiveDate>,
    future: bool,
) -> Resolved {
    if let Some(y) = year {
        let value = match day {
            Some(d) if NaiveDate::from_ymd_opt(y, month, d).is_some() => {
                format!("{y:04}-{month:02}-{d:02}")
            }
            _ => format!("{y:04}-{month:02}"),
        };
        return (span, Some(value), None);
    }
    let day = day.filter(|&d| NaiveDate::from_ymd_opt(2024, month, d).is_some());
    let Some(p) = published else {
        let value = match day {
            Some(d) => format!("--{month:02}-{d:02}"),
            None => format!("--{month:02}"),
        };
        return (span, Some(value), None);
    };
    let value = match day {
        // A day and month: the occurrence nearest the published date.
        Some(d) => {
            let best = [p.year() - 1, p.year(), p.year() + 1]
                .into_iter()
                .filter_map(|y| NaiveDate::from_ymd_opt(y, month, d))
                .min_by_key(|x| (*x - p).num_days().abs())
                .unwrap_or(p);
            best.to_string()
        }
        // A month alone is most often past ("a heated exchange in February"), unless the
        // text points forward to a month still to come this year.
        None => {
            let ahead = prefix == Some("next") || (future && month > p.month());
            let y = match (prefix, ahead) {
                (Some("next"), _) if month <= p.month() => p.year() + 1,
                (_, true) => p.year(),
                (Some("last"), _) if month >= p.month() => p.year() - 1,
                _ if month > p.month() => p.year() - 1,
                _ => p.year(),
            };
            format!("{y:04}-{month:02}")
        }
    };
    (span, Some(value), Some(format!("published {p}")))
}

fn relative(phrase: &str, p: NaiveDate, caps: &Groups<'_>) -> Option<String> {
    let week = |d: NaiveDate| {
        let w = d.iso_week();
        format!("{:04}-W{:02}", w.year(), w.week())
    };
    let month = |d: NaiveDate| format!("{:04}-{:02}", d.year(), d.month());
    let shift_months = |d: NaiveDate, m: i32| {
        let total = d.year() * 12 + d.month0() as i32 + m;
        NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
    };
    Some(match phrase {
        "today" | "tonight" => p.to_string(),
        "yesterday" | "last night" => (p - Duration::days(1)).to_string(),
        "tomorrow" => (p + Duration::days(1)).to_string(),
        "this week" | "earlier this week" | "later this week" => week(p),
        "last week" | "past week" => week(p - Duration::days(7)),
        "next week" => week(p + Duration::days(7)),
        "last weekend" | "this weekend" | "past weekend" => {
            let mut d = p;
            while d.weekday() != Weekday::Sat {
                d -= Duration::days(1);
            }
            if phrase != "this weekend" && p.weekday() == Weekday::Sat {
                d -= Duration::days(7);
            }
            format!("{}/{}", d, d + Duration::days(1))
        }
        "next weekend" => {
            let mut d = p + Duration::days(1);
            while d.weekday() != Weekday::Sat {
                d += Duration::days(1);
            }
            format!("{}/{}", d, d + Duration::days(1))
        }
        "this month" | "earlier this month" | "later this month" => month(p),
        "last month" | "past month" => month(shift_months(p, -1)?),
        "next month" => month(shift_months(p, 1)?),
        "this year" | "earlier this year" | "later this year" => p.year().to_string(),
        "last year" | "past year" => (p.year() - 1).to_string(),
        "next year" => (p.year() + 1).to_string(),
        _ => {
            let n = match caps.get(G_N)?.as_str().to_ascii_lowercase().as_str() {
                "a" | "an" | "one" => 1,
                "two" => 2,
                "three" => 3,
                "four" => 4,
                "five" => 5,
                "six" => 6,
                "seven" => 7,
                "eight" => 8,
                "nine" => 9,
                "ten" => 10,
                digits => digits.parse().ok()?,
            };
            let unit = caps.get(G_U)?.as_str().to_ascii_lowercase();
            match unit.trim_end_matches('s') {
                "day" => (p - Duration::days(n)).to_string(),
                "week" => week(p - Duration::days(7 * n)),
                "month" => month(shift_months(p, -(n as i32))?),
                _ => (p.year() - n as i32).to_string(),
            }
        }
    })
}

fn month_number(m: &str) -> Option<u32> {
    let m = m.trim_end_matches('.');
    let prefix = m.get(..3)?;
    Some(match prefix {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    })
}

fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "Monday" => Weekday::Mon,
        "Tuesday" => Weekday::Tue,
        "Wednesday" => Weekday::Wed,
        "Thursday" => Weekday::Thu,
        "Friday" => Weekday::Fri,
        "Saturday" => Weekday::Sat,
        "Sunday" => Weekday::Sun,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str, published: Option<NaiveDate>) -> Vec<(String, Option<String>)> {
        let whole = std::slice::from_ref(&(0..text.len())).to_vec();
        let sentences = crate::text::split_sentences(text, &whole);
        find_dates(text, &sentences, published)
            .into_iter()
            .map(|d| (text[d.bytes].to_string(), d.value))
            .collect()
    }

    #[test]
    fn group_indices_match_the_pattern() {
        let names: Vec<_> = date_regex().capture_names().skip(1).collect();
        let want: Vec<_> = GROUP_NAMES.iter().map(|&n| Some(n)).collect();
        assert_eq!(names, want);
        assert_eq!(date_regex().captures_len(), G_U + 1);
    }

    #[test]
    fn form_search_gives_the_groups_of_the_one_regex() {
        let sentences = [
            "The invasion began in February 2022; the memorandum dates back to 1994.",
            "On Aug. 15, 2025 they met, and again on 3 September 2025 and on August 15.",
            "On Sunday, leaders met. Monday’s talks will follow. Last week he spoke.",
            "three days ago he left; 2 weeks ago, an hour ago, A year ago, one month ago.",
            "Published 2025-08-21, revised 2025-13-40 and 12025-08-21 and 2025-08-211.",
            "in March 3rd, 2024 and since June, by July 4th 1999, until Oct. 2023, late May.",
            "the 21st of March, 2024; 4 July,2020; 5 Sept. 2021; 30 Feb and 31st of Dec.",
            "From 1998 – 2003, during the year 2001, in the 1990s, through 2010-2012, after 1850.",
            "Last Friday's vote, next Tuesday, this Wednesday’s, since Monday, Fox News Sunday.",
            "TODAY, Tonight, tomorrow, yesterday, earlier this week, later  this\tyear, past weekend.",
            "The Mayday 24 May flight and Marching 12 and Augusta 2020 are not all dates.",
            "“We will win today,” he said tomorrow; \"tonight\" and next month and this year.",
            "Unicode digits: in ٢٠٢٤, on March ١٥, ٣ days ago, 2024-٠٨-١٥ and March\u{a0}5, 2024.",
            "",
        ];
        let finder = date_finder();
        for sentence in sentences {
            let old: Vec<Vec<Option<Range<usize>>>> = date_regex()
                .captures_iter(sentence)
                .map(|c| (0..=G_U).map(|g| c.get(g).map(|m| m.range())).collect())
                .collect();
            let new: Vec<Vec<Option<Range<usize>>>> = finder
                .find
                .find_iter(sentence)
                .map(|m| {
                    let g = finder.groups(sentence, m.pattern(), m.range());
                    let mut v: Vec<_> = (0..=G_U).map(|i| g.get(i).map(|x| x.range())).collect();
                    v[0] = Some(m.range());
                    v
                })
                .collect();
            assert_eq!(new, old, "{sentence}");
            assert!(!old.is_empty() || sentence.is_empty(), "{sentence}");
        }
    }

    #[test]
    fn absolute_dates_keep_their_precision() {
        let d = dates(
            "The invasion began in February 2022; the memorandum dates back to 1994. On Aug. 15, 2025 they met, and again on 3 September 2025 and on August 15.",
            None,
        );
        let values: Vec<_> = d.iter().map(|(t, v)| (t.as_str(), v.as_deref())).collect();
        assert_eq!(
            values,
            vec![
                ("February 2022", Some("2022-02")),
                ("Aug. 15, 2025", Some("2025-08-15")),
                ("3 September 2025", Some("2025-09-03")),
                ("August 15", Some("--08-15")),
            ]
        );
    }

    #[test]
    fn relative_dates_resolve_against_the_published_date() {
        let published = NaiveDate::from_ymd_opt(2025, 8, 21); // a Thursday
        let d = dates(
            "On Sunday, leaders met. Monday’s talks will follow. Last week he spoke; three days ago he left.",
            published,
        );
        let values: Vec<_> = d.iter().map(|(t, v)| (t.as_str(), v.as_deref())).collect();
        assert_eq!(
            values,
            vec![
                ("Sunday", Some("2025-08-17")),
                ("Monday", Some("2025-08-25")),
                ("Last week", Some("2025-W33")),
                ("three days ago", Some("2025-08-18")),
            ]
        );
        let unanchored = dates("On Sunday, leaders met.", None);
        assert_eq!(unanchored, vec![("Sunday".to_string(), None)]);
    }
}
