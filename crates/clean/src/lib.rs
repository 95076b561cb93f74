//! Newsmill's `clean` stage: strips the boilerplate around a pasted or scraped article
//! (mastheads, credits, bylines, share prompts, ads, related links, breadcrumbs…), keeps what
//! those lines tell as metadata (date, edition, authors, image credit, dateline), finds the
//! headline and section headings by their shape, normalizes characters, and rebuilds the text
//! as body paragraphs mapped back to the source file.
//!
//! Conservative by design: a rule that is unsure keeps the line, since a lost body paragraph
//! costs more than a kept credit.

mod dates;
mod normalize;
mod options;
mod rules;

/// Test text glued from `pieces`: the empty string, then every string grown by up to three
/// pieces, for tests that check a fast path against its definition.
#[cfg(test)]
fn glued(pieces: &[&str]) -> Vec<String> {
    let mut samples = vec![String::new()];
    for _ in 0..3 {
        let mut next = Vec::new();
        for s in &samples {
            for p in pieces {
                next.push(format!("{s}{p}"));
            }
        }
        samples.extend(next);
        samples.dedup();
    }
    samples
}

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use chrono::Datelike;
use memchr::memmem::Finder;
use model::{
    BuildContext, Capability, Dateline, Document, DocumentStage, Heading, RemovedLine, StageError,
    TextBuilder,
};
use regex::Regex;

use normalize::{Normalizer, Sink, Stats};
pub use options::{
    BreadcrumbOptions, BylineOptions, CleanOptions, DateOrder, Family, StructureOptions,
};
pub use rules::PatternError;
use rules::{Hit, Kind, Rules, Zone};

/// The `clean` stage.
#[derive(Debug)]
pub struct Clean {
    options: CleanOptions,
    rules: Rules,
    norm: Normalizer,
    /// `Aug 21` after the place in `LONDON, Aug 21 (Reuters) -`.
    dateline_day: Regex,
    dateline_extra: Vec<Regex>,
}

/// What became of a source line.
#[derive(Debug, Clone)]
enum State {
    Blank,
    Removed(Hit),
    Title,
    Heading,
    Body,
}

#[derive(Debug)]
struct Line<'a> {
    /// Byte range of the line's content in the input text (no newline).
    range: Range<usize>,
    /// 1-based source line.
    number: usize,
    /// Trimmed, normalized text; empty for blank lines and for long lines (always body).
    norm: Cow<'a, str>,
    long: bool,
    prose: bool,
    state: State,
}

impl Line<'_> {
    fn kept(&self) -> bool {
        matches!(self.state, State::Body | State::Title | State::Heading)
    }
}

impl Clean {
    pub const NAME: &'static str = "clean";
    pub const NEEDS: &'static [Capability] = &[Capability::Text];
    pub const PROVIDES: &'static [Capability] = &[Capability::CleanText];

    pub fn new(options: CleanOptions, _ctx: &BuildContext) -> Result<Clean, StageError> {
        let rules = Rules::new(&options).map_err(|e| StageError::new(e.to_string()))?;
        let mut dateline_extra = Vec::new();
        if options.dateline.enabled {
            for p in &options.dateline.extra_patterns {
                dateline_extra.push(Regex::new(p).map_err(|e| {
                    StageError::new(format!(
                        "clean: option `dateline.extra_patterns` has an invalid regex `{p}`: {e}"
                    ))
                })?);
            }
        }
        let dateline_day = Regex::new(&format!(
            r"(?i)^(?:{m}\.?\s+\d{{1,2}}|\d{{1,2}}\s+{m}\.?)$",
            m = dates::MONTH
        ))
        .expect("built-in dateline pattern");
        Ok(Clean {
            norm: Normalizer {
                repair_mojibake: options.repair_mojibake,
                straighten_quotes: options.straighten_quotes,
            },
            rules,
            dateline_day,
            dateline_extra,
            options,
        })
    }
}

/// Everything the stage decided about one document, computed from a shared borrow.
struct Outcome {
    text: String,
    map: model::OffsetMap,
    paragraphs: Vec<Range<usize>>,
    title: Option<String>,
    headings: Vec<Heading>,
    removed: Vec<RemovedLine>,
    hits: Vec<Hit>,
    dateline: Option<Dateline>,
    warnings: Vec<String>,
}

impl DocumentStage for Clean {
    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let out = self.analyse(doc);
        for w in out.warnings {
            doc.warn(Self::NAME, w);
        }
        self.apply_meta(doc, &out.hits);
        if doc.meta.title.is_none() {
            doc.meta.title = out.title;
        }
        if doc.meta.dateline.is_none() {
            doc.meta.dateline = out.dateline;
        }
        doc.headings = out.headings;
        doc.removed = out.removed;
        doc.set_text(out.text, out.map, out.paragraphs);
        Ok(())
    }
}

/// Writes normalized output into a [`TextBuilder`] whose map points at the source text, also
/// when the input is an earlier stage's rewrite of it.
struct MappedSink<'a> {
    input: &'a str,
    source: &'a str,
    /// Set when the input is not the source: its map to the source.
    doc: Option<&'a Document>,
    builder: TextBuilder,
}

impl Sink for MappedSink<'_> {
    fn copy(&mut self, range: Range<usize>) {
        match self.doc {
            None => self.builder.copy(self.source, range),
            Some(doc) => {
                let src = doc.source_bytes(range.clone());
                if self.source.get(src.clone()) == Some(&self.input[range.clone()]) {
                    self.builder.copy(self.source, src);
                } else {
                    self.builder.replace(src, &self.input[range]);
                }
            }
        }
    }

    fn replace(&mut self, range: Range<usize>, with: &str) {
        let src = match self.doc {
            None => range,
            Some(doc) => doc.source_bytes(range),
        };
        self.builder.replace(src, with);
    }
}

/// Sentence-final punctuation, looking through closing quotes and brackets.
fn final_char(s: &str) -> Option<char> {
    s.trim_end_matches(['”', '’', '"', '\'', ')', ']', '»', '*'])
        .chars()
        .next_back()
}

fn ends_sentence(s: &str) -> bool {
    matches!(final_char(s), Some('.' | '!' | '?' | '…'))
}

fn is_prose(line: &Line) -> bool {
    if line.long {
        return true;
    }
    // Headlines may end in `!` or `?`; prose of any length ends in a full stop. (The ending
    // is tested first: it is cheaper than counting the words.)
    match final_char(&line.norm) {
        Some('.' | '…') => rules::words_up_to(&line.norm, 8) >= 8,
        Some('!' | '?') => rules::words_up_to(&line.norm, 25) >= 25,
        _ => false,
    }
}

fn starts_upper(s: &str) -> bool {
    s.chars()
        .find(|c| !matches!(c, '*' | '_' | '#' | ' '))
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Share of longer words that start with a capital (title case ≈ 1, sentence case ≈ 0).
fn capital_ratio(s: &str) -> f32 {
    let long: Vec<&str> = s
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    if long.is_empty() {
        return 1.0;
    }
    let caps = long
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    caps as f32 / long.len() as f32
}

/// Markdown heading marks and bold wrappers, which are form, not words.
fn strip_marks(s: &str) -> &str {
    let s = s.trim_start_matches('#').trim();
    let s = s
        .strip_prefix("**")
        .and_then(|t| t.strip_suffix("**"))
        .unwrap_or(s);
    s.strip_prefix("__")
        .and_then(|t| t.strip_suffix("__"))
        .unwrap_or(s)
        .trim()
}

impl Clean {
    /// A headline: a short line that is not a sentence of prose.
    fn headline_shape(&self, line: &Line) -> bool {
        if line.long || line.norm.is_empty() {
            return false;
        }
        if line.norm.starts_with("# ") {
            return true;
        }
        let s = strip_marks(&line.norm);
        let max = self.options.structure.title_max_words;
        let n = rules::words_up_to(s, max.saturating_add(1));
        n >= 2
            && n <= max
            && s.len() <= 250
            && starts_upper(s)
            && !matches!(final_char(s), Some('.' | ',' | ';' | ':' | '…'))
            && !s.starts_with(['“', '"', '‘', '\'', '-', '•', '('])
    }

    /// A section label or nameplate: a few words, no sentence.
    fn label_shape(&self, line: &Line) -> bool {
        let s = &line.norm;
        let n = rules::words_up_to(s, 4);
        // Every word capitalized (`Middle East`, `WORLD`): `Peace at last` is a headline.
        !line.long
            && (1..=3).contains(&n)
            && !s.starts_with('#')
            && s.split(' ').all(starts_upper)
            && !matches!(final_char(s), Some('.' | ',' | ';' | ':' | '…' | '!' | '?'))
    }

    /// A section heading: shorter than a headline, no final punctuation, capitalized.
    fn heading_shape(&self, line: &Line) -> bool {
        if line.long || line.norm.is_empty() || line.prose {
            return false;
        }
        if line.norm.starts_with('#') {
            return rules::words_up_to(strip_marks(&line.norm), 1) >= 1;
        }
        let s = strip_marks(&line.norm);
        let max = self.options.structure.heading_max_words;
        let n = rules::words_up_to(s, max.saturating_add(1));
        if n == 0 || n > max || s.len() > 120 {
            return false;
        }
        if !starts_upper(s)
            || s.starts_with(['“', '"', '‘', '\'', '-', '•', '(', '['])
            || !s.chars().any(char::is_alphabetic)
        {
            return false;
        }
        match final_char(s) {
            Some('.' | ',' | ';' | ':' | '…' | '—' | '–' | '-') => false,
            // `What comes next?` as a heading, but `Why?` in the text stays text.
            Some('?' | '!') => n >= 3 && capital_ratio(s) >= 0.6,
            _ => !s.ends_with(['”', '"', '’']),
        }
    }

    fn analyse(&self, doc: &Document) -> Outcome {
        let input = doc.text();
        let source = doc.source_text.as_str();
        let identity = input == source;
        let mut warnings = Vec::new();
        if !identity {
            warnings.push(
                "an earlier stage rewrote the text: cleaned that text, mapped back to the source"
                    .to_string(),
            );
        }
        let mut lines = self.read_lines(doc, identity);
        let first_prose = lines.iter().position(|l| l.prose);
        let last_prose = lines.iter().rposition(|l| l.prose);

        // 2. Line rules.
        self.apply_line_rules(input, &mut lines, first_prose, last_prose);

        // 3. Structure: lone names, headline, section labels, headings.
        let wrapped = self.options.structure.join_wrapped_lines && looks_hard_wrapped(&lines);
        self.structure(&mut lines, first_prose, last_prose, wrapped);

        // 4. Text: body paragraphs, wrapped lines joined.
        let mut sink = MappedSink {
            input,
            source,
            doc: (!identity).then_some(doc),
            builder: TextBuilder::with_capacity(input.len()),
        };
        let mut stats = Stats::default();
        // Each paragraph ends on a line of its own, so there are no more than lines: sized
        // once rather than grown (and copied) a few times per document.
        let mut paragraphs: Vec<Range<usize>> = Vec::with_capacity(lines.len());
        let mut headings = Vec::new();
        let mut title = None;
        let mut removed = Vec::new();
        let mut hits = Vec::new();
        let mut open: Option<(usize, usize)> = None; // (paragraph start in text, last line index)
        for i in 0..lines.len() {
            match &lines[i].state {
                State::Blank => continue,
                State::Removed(hit) => {
                    removed.push(RemovedLine {
                        line: lines[i].number,
                        reason: hit.kind.as_str().to_string(),
                        text: input[lines[i].range.clone()].trim().to_string(),
                    });
                    hits.push(hit.clone());
                    continue;
                }
                State::Title => {
                    title = Some(strip_marks(&lines[i].norm).to_string());
                    continue;
                }
                State::Heading => {
                    if let Some((start, _)) = open.take() {
                        paragraphs.push(start..sink.builder.text().len());
                    }
                    headings.push(Heading {
                        text: strip_marks(&lines[i].norm).to_string(),
                        before_paragraph: paragraphs.len(),
                        line: lines[i].number,
                    });
                    continue;
                }
                State::Body => {}
            }
            let join = open.is_some_and(|(_, prev)| {
                prev + 1 == i && self.joins(&lines[prev], &lines[i], wrapped)
            });
            if join {
                let prev_end = lines[i - 1].range.end;
                sink.replace(prev_end..lines[i].range.start, " ");
            } else {
                if let Some((start, _)) = open.take() {
                    paragraphs.push(start..sink.builder.text().len());
                }
                if !sink.builder.text().is_empty() {
                    sink.builder.insert("\n\n");
                }
            }
            let para_start = open.map_or(sink.builder.text().len(), |(s, _)| s);
            let line = &lines[i];
            if !line.long && matches!(line.norm, Cow::Borrowed(s) if !s.is_empty()) {
                // Already found normalized when the line was read: copied as it is.
                sink.copy(line.range.clone());
            } else {
                self.norm
                    .line(input, line.range.clone(), &mut sink, &mut stats);
            }
            open = Some((para_start, i));
        }
        if let Some((start, _)) = open.take() {
            paragraphs.push(start..sink.builder.text().len());
        }
        let (text, map) = sink.builder.finish();
        if stats.mojibake > 0 {
            warnings.push(format!(
                "repaired {} mojibake sequence(s) (UTF-8 read as Windows-1252)",
                stats.mojibake
            ));
        }
        let dateline = paragraphs
            .first()
            .and_then(|p| self.find_dateline(&text[p.clone()]));
        Outcome {
            text,
            map,
            paragraphs,
            title,
            headings,
            removed,
            hits,
            dateline,
            warnings,
        }
    }

    /// Step 1: the lines of the text, normalized where short enough to be anything but prose,
    /// each with its line number in the source.
    fn read_lines<'t>(&self, doc: &'t Document, identity: bool) -> Vec<Line<'t>> {
        let input = doc.text();
        let source = doc.source_text.as_str();
        let newlines: Vec<usize> = if identity {
            Vec::new()
        } else {
            source
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect()
        };

        // 1. Lines, normalized where short enough to be anything but prose.
        // Newlines found by the `memchr` crate (several times faster than `str::split`), and
        // counted first so that the lines are stored once, not copied as the vector grows.
        let newline_at = || memchr::memchr_iter(b'\n', input.as_bytes());
        let mut lines = Vec::with_capacity(newline_at().count() + 1);
        let mut start = 0;
        for (i, end) in newline_at().chain([input.len()]).enumerate() {
            let raw = &input[start..end];
            let range = start..end;
            start = end + 1;
            let number = if identity {
                i + 1
            } else {
                let at = doc.source_bytes(range.start..range.start).start;
                newlines.partition_point(|&n| n < at) + 1
            };
            // Longer lines are body text whatever they say: no rule needs them normalized.
            let long = raw.len() > 300;
            let norm = if long {
                Cow::Borrowed("")
            } else {
                self.norm.line_string(input, range.clone())
            };
            let blank = if long {
                // Stops at the first visible character: cheap for real text.
                raw.chars()
                    .all(|c| c.is_whitespace() || c.is_control() || normalize::is_invisible(c))
            } else {
                norm.is_empty()
            };
            let mut line = Line {
                range,
                number,
                norm,
                long,
                prose: false,
                state: if blank { State::Blank } else { State::Body },
            };
            line.prose = !blank && is_prose(&line);
            lines.push(line);
        }
        lines
    }

    /// Step 2: the line rules, by zone (above, inside or below the prose); then a bulleted
    /// list right after `… are:` is given back as content.
    fn apply_line_rules(
        &self,
        input: &str,
        lines: &mut [Line],
        first_prose: Option<usize>,
        last_prose: Option<usize>,
    ) {
        for (i, line) in lines.iter_mut().enumerate() {
            if matches!(line.state, State::Blank) {
                continue;
            }
            if line.long {
                // Long lines are text for the built-in rules, but a user's pattern (a long
                // disclaimer, say) may still want them.
                if self.rules.has_extra() {
                    let norm = self.norm.line_string(input, line.range.clone());
                    if let Some(hit) = self.rules.extra(&norm) {
                        line.state = State::Removed(hit);
                    }
                }
                continue;
            }
            let zone = match (first_prose, last_prose) {
                (Some(f), _) if i < f => Zone::Head,
                (_, Some(l)) if i > l => Zone::Tail,
                _ => Zone::Body,
            };
            if let Some(hit) = self.rules.classify(&line.norm, zone) {
                line.state = State::Removed(hit);
            }
        }

        // A bulleted list right after `… are:` is content, not a breadcrumb trail.
        let mut intro_colon = false;
        for line in lines.iter_mut() {
            match &line.state {
                State::Blank => {}
                State::Removed(hit) if hit.kind == Kind::Breadcrumb && intro_colon => {
                    if line
                        .norm
                        .starts_with(['-', '*', '•', '·', '▪', '►', '▸', '–'])
                        || line.norm.starts_with(|c: char| c.is_ascii_digit())
                    {
                        line.state = State::Body;
                    } else {
                        intro_colon = false;
                    }
                }
                State::Body => intro_colon = line.norm.ends_with(':'),
                _ => intro_colon = false,
            }
        }
    }

    /// Lone names, the headline and what stands above it, section headings.
    fn structure(
        &self,
        lines: &mut [Line],
        first_prose: Option<usize>,
        last_prose: Option<usize>,
        wrapped: bool,
    ) {
        let st = &self.options.structure;
        let name_hit = |rules: &Rules, line: &Line| -> Option<Hit> {
            let authors = rules.person_name(&line.norm)?;
            let mut hit = rules::Hit {
                kind: Kind::Byline,
                meta: Default::default(),
            };
            hit.meta.authors = vec![authors];
            Some(hit)
        };
        // A name alone below the story: walk up from the end over removed lines.
        if self.rules.lone_name {
            if let Some(last) = last_prose {
                for i in (last + 1..lines.len()).rev() {
                    match lines[i].state {
                        State::Blank | State::Removed(_) => continue,
                        _ => {}
                    }
                    match name_hit(&self.rules, &lines[i]) {
                        Some(hit) => lines[i].state = State::Removed(hit),
                        None => break,
                    }
                }
            }
        }
        // Filtered lists sized for every line: collected from a filter, they grew from empty.
        let mut kept: Vec<usize> = Vec::with_capacity(lines.len());
        kept.extend((0..lines.len()).filter(|&i| lines[i].kept()));
        let head_end = first_prose.unwrap_or(0);
        let mut next = 0; // index into `kept` of the first line not yet placed
        if self.rules.lone_name {
            // A name alone as the very first line: a byline at the top.
            if let Some(&i) = kept.first() {
                if kept.len() > 1 && !lines[i].prose {
                    if let Some(hit) = name_hit(&self.rules, &lines[i]) {
                        lines[i].state = State::Removed(hit);
                        next = 1;
                    }
                }
            }
        }
        let mut title_at = None;
        if st.title {
            // A short label above a longer headline is the section (kicker) or the paper's
            // name, not the headline: `World` / `Putin agrees to security guarantees …`.
            if let (Some(&t), Some(&t2)) = (kept.get(next), kept.get(next + 1)) {
                let label = t2 < head_end
                    && kept.len() > next + 2
                    && self.label_shape(&lines[t])
                    && self.headline_shape(&lines[t2])
                    && rules::words(&lines[t2].norm) > rules::words(&lines[t].norm)
                    && self.rules.on(Kind::Breadcrumb);
                if label {
                    let near_masthead = [t.checked_sub(1), t.checked_add(1)]
                        .into_iter()
                        .flatten()
                        .flat_map(|j| neighbour(lines, j, t))
                        .any(|j| {
                            matches!(&lines[j].state, State::Removed(h) if h.kind == Kind::Masthead)
                        });
                    let kind = if near_masthead {
                        Kind::Masthead
                    } else {
                        Kind::Breadcrumb
                    };
                    lines[t].state = State::Removed(rules::Hit {
                        kind,
                        meta: Default::default(),
                    });
                    next += 1;
                }
            }
            if let Some(&t) = kept.get(next) {
                if kept.len() > next + 1 && self.headline_shape(&lines[t]) {
                    lines[t].state = State::Title;
                    title_at = Some(t);
                    next += 1;
                }
            }
        }
        // Names between the headline and the story: bylines.
        if self.rules.lone_name {
            if let Some(t) = title_at {
                for &i in &kept[next..] {
                    if i >= head_end || i <= t {
                        break;
                    }
                    match name_hit(&self.rules, &lines[i]) {
                        Some(hit) => lines[i].state = State::Removed(hit),
                        None => break,
                    }
                }
            }
        }
        if st.headings {
            self.headings(lines, wrapped);
        }
    }

    /// Section headings: body lines of a heading's shape that stand alone (not in a list of
    /// short lines, and between blank lines in hard-wrapped text).
    fn headings(&self, lines: &mut [Line], wrapped: bool) {
        let mut body: Vec<usize> = Vec::with_capacity(lines.len());
        body.extend((0..lines.len()).filter(|&i| matches!(lines[i].state, State::Body)));
        let Some(&last_body) = body.last() else {
            return;
        };
        let shaped: Vec<bool> = body
            .iter()
            .map(|&i| self.heading_shape(&lines[i]))
            .collect();
        for (k, &i) in body.iter().enumerate() {
            if i >= last_body || !shaped[k] {
                continue;
            }
            // Short lines in a row, or after `The countries are:`, are a list, not
            // headings (a markdown `#` heading is a heading wherever it stands).
            let marked = lines[i].norm.starts_with('#');
            let next_shaped = shaped.get(k + 1).copied().unwrap_or(false)
                && !lines[body[k + 1]].norm.starts_with('#');
            let prev_shaped = k > 0 && shaped[k - 1] && body[k - 1] + 2 >= i;
            let after_colon = k > 0 && lines[body[k - 1]].norm.ends_with(':');
            if !marked && (next_shaped || prev_shaped || after_colon) {
                continue;
            }
            // In hard-wrapped text only a line standing alone between blank lines can be a
            // heading; otherwise it is the start of a wrapped paragraph.
            if wrapped {
                let blank_before = i == 0 || matches!(lines[i - 1].state, State::Blank);
                let blank_after = matches!(
                    lines.get(i + 1).map(|l| &l.state),
                    Some(State::Blank) | None
                );
                if !(blank_before && blank_after) {
                    continue;
                }
            }
            lines[i].state = State::Heading;
        }
    }

    /// Whether a body line continues the paragraph of the line before it.
    fn joins(&self, prev: &Line, next: &Line, wrapped: bool) -> bool {
        if !self.options.structure.join_wrapped_lines || prev.long && next.long {
            return false;
        }
        if wrapped {
            return true;
        }
        let prev_text = if prev.long { "" } else { prev.norm.as_ref() };
        !prev.long
            && !matches!(
                final_char(prev_text),
                Some('.' | '!' | '?' | '…' | ':' | ';')
            )
            && !prev_text.ends_with(['”', '"', ')'])
            && next.norm.chars().next().is_some_and(char::is_lowercase)
    }

    fn find_dateline(&self, para: &str) -> Option<Dateline> {
        if !self.options.dateline.enabled {
            return None;
        }
        for re in &self.dateline_extra {
            if let Some(c) = re.captures(para) {
                let whole = c.get(0)?.as_str().trim().to_string();
                return Some(Dateline {
                    place: c
                        .name("place")
                        .map_or(whole.clone(), |m| m.as_str().trim().to_string()),
                    agency: c.name("agency").map(|m| m.as_str().trim().to_string()),
                    text: whole,
                });
            }
        }
        // The dash that ends a dateline comes early: `WASHINGTON (AP) —`, `LONDON, Aug 21
        // (Reuters) -`, `(CNN) —`. Parsed by hand: a regex with Unicode place classes costs
        // more than the rest of cleaning.
        let mut end = para.len().min(120);
        while !para.is_char_boundary(end) {
            end -= 1;
        }
        let (at, dash) = DATELINE_DASHES
            .iter()
            .filter_map(|d| {
                d.find(&para.as_bytes()[..end])
                    .map(|i| (i, std::str::from_utf8(d.needle()).unwrap_or_default()))
            })
            .min_by_key(|(i, _)| *i)?;
        let after = &para[at + dash.len()..];
        if !(dash == " - " || after.starts_with(' ')) {
            return None;
        }
        let prefix = para[..at].trim_end();
        let (place_part, agency) = match prefix.strip_suffix(')') {
            Some(p) => {
                let open = p.rfind('(')?;
                (
                    p[..open].trim_end().trim_end_matches(','),
                    Some(p[open + 1..].trim()),
                )
            }
            None => (prefix, None),
        };
        if let Some(a) = agency {
            if !a.chars().next().is_some_and(char::is_uppercase) || a.len() > 30 {
                return None;
            }
        }
        // `KYIV, Ukraine`; a day after a comma (`LONDON, Aug 21`) is no part of the place.
        let mut parts: Vec<&str> = place_part.split(',').map(str::trim).collect();
        parts.retain(|p| !self.dateline_day.is_match(p));
        let placeish = |p: &str| {
            !p.is_empty()
                && p.len() <= 40
                && p.split(' ')
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase))
                && p.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '’' | '-'))
        };
        let place = parts.join(", ");
        let city = parts.first().copied().unwrap_or("");
        if place.is_empty() {
            agency?;
        } else if parts.len() > 3 || !parts.iter().all(|p| placeish(p)) {
            return None;
        }
        // A city in capitals, or any place with an agency (`Washington (CNN) —`). A plain
        // hyphen needs the agency (`LONDON (Reuters) -`); a colon never counts (`TAPPER:` is
        // a transcript's speaker).
        let capitals = city.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && !city.chars().any(char::is_lowercase);
        if agency.is_none() && (!capitals || dash == " - ") {
            return None;
        }
        if matches!(
            city,
            "BREAKING"
                | "UPDATE"
                | "UPDATED"
                | "EXCLUSIVE"
                | "WATCH"
                | "LIVE"
                | "ANALYSIS"
                | "OPINION"
                | "NOTE"
                | "CORRECTION"
                | "EDITOR'S NOTE"
                | "EDITOR’S NOTE"
                | "BREAKING NEWS"
                | "URGENT"
                | "FLASH"
                | "ALERT"
                | "VIDEO"
                | "LISTEN"
                | "READ"
        ) {
            return None;
        }
        Some(Dateline {
            place,
            agency: agency.map(str::to_string),
            text: para[..at + dash.len()].trim().to_string(),
        })
    }

    /// Fills metadata from removed lines, never over what the input already gave.
    fn apply_meta(&self, doc: &mut Document, hits: &[Hit]) {
        let mut date = None;
        let mut weekday = None;
        let mut warnings = Vec::new();
        let mut updated = None;
        for hit in hits {
            if let Some(found) = &hit.meta.date {
                match found.date {
                    Some(d) if hit.meta.update => {
                        updated.get_or_insert(d);
                    }
                    Some(d) if date.is_none() => date = Some(d),
                    Some(_) => {}
                    None => warnings.push(format!(
                        "{} date `{}` is not a real date; ignored",
                        hit.kind.as_str(),
                        found.text
                    )),
                }
            }
            if hit.kind == Kind::Masthead && weekday.is_none() {
                weekday = hit.meta.weekday;
            }
        }
        // A `Published` date wins over an `Updated` one; an update date is better than none.
        let date = date.or(updated);
        if let (Some(d), Some(w)) = (date, weekday) {
            if d.weekday() != w {
                warnings.push(format!(
                    "masthead says {} but its date {d} is a {}",
                    weekday_name(w),
                    weekday_name(d.weekday())
                ));
            }
        }
        match (doc.meta.published, date) {
            (None, Some(d)) => doc.meta.published = Some(d),
            (Some(given), Some(d)) if given != d => warnings.push(format!(
                "masthead date {d} disagrees with the given published date {given}; kept {given}"
            )),
            _ => {}
        }
        if doc.meta.authors.is_empty() {
            for hit in hits {
                for a in &hit.meta.authors {
                    if !doc.meta.authors.contains(a) {
                        doc.meta.authors.push(a.clone());
                    }
                }
            }
        }
        if doc.meta.image_credits.is_empty() {
            for c in hits.iter().filter_map(|h| h.meta.credit.as_ref()) {
                if !doc.meta.image_credits.contains(c) {
                    doc.meta.image_credits.push(c.clone());
                }
            }
        }
        if doc.meta.outlet.is_none() {
            doc.meta.outlet = hits.iter().find_map(|h| h.meta.outlet.clone());
        }
        if doc.meta.volume.is_none() {
            doc.meta.volume = hits.iter().find_map(|h| h.meta.volume.clone());
        }
        if doc.meta.issue.is_none() {
            doc.meta.issue = hits.iter().find_map(|h| h.meta.issue.clone());
        }
        for w in warnings {
            doc.warn(Self::NAME, w);
        }
    }
}

/// The dashes that end a dateline, as prebuilt searchers: `str::find` sets up a new search
/// for each of them in every document.
static DATELINE_DASHES: LazyLock<[Finder<'static>; 4]> =
    LazyLock::new(|| ["—", "–", "--", " - "].map(Finder::new));

fn weekday_name(w: chrono::Weekday) -> &'static str {
    use chrono::Weekday::*;
    match w {
        Mon => "Monday",
        Tue => "Tuesday",
        Wed => "Wednesday",
        Thu => "Thursday",
        Fri => "Friday",
        Sat => "Saturday",
        Sun => "Sunday",
    }
}

/// The nearest non-blank line from `from` in the direction away from `origin`.
fn neighbour(lines: &[Line], from: usize, origin: usize) -> Option<usize> {
    let mut j = from;
    loop {
        if j >= lines.len() {
            return None;
        }
        if !matches!(lines[j].state, State::Blank) {
            return Some(j);
        }
        j = if from > origin {
            j + 1
        } else {
            j.checked_sub(1)?
        };
    }
}

/// Text hard-wrapped at a fixed width (e-mail, newsletters): many lines of similar middling
/// length, most of them breaking off mid-sentence, and none of the long lines that unwrapped
/// paragraphs make. One short paragraph per line ends its lines with full stops instead.
fn looks_hard_wrapped(lines: &[Line]) -> bool {
    let mut middling = 0;
    let mut open_ended = 0;
    let mut long = 0;
    for l in lines {
        if matches!(l.state, State::Blank) {
            continue;
        }
        let n = if l.long { usize::MAX } else { l.norm.len() };
        if (50..=100).contains(&n) {
            middling += 1;
            if !ends_sentence(&l.norm) {
                open_ended += 1;
            }
        } else if n > 110 {
            long += 1;
        }
    }
    middling >= 6 && long * 20 <= middling && open_ended * 2 >= middling
}
