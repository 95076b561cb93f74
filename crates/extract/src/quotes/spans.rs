//! Finding quoted spans: which marks open and close a quotation, and where each one ends.
//!
//! Works paragraph by paragraph with a stack of open marks, so a nested quotation closes
//! before its outer one and an unbalanced mark is bounded by its paragraph (or by
//! `max_chars`) instead of swallowing the rest of the document.
//!
//! Bounded whatever the text: at most [`MAX_OPEN_MARKS`] marks are open at once (each open
//! mark left at a paragraph end becomes a span, and every mark looks through the stack), and
//! at most [`MAX_MARK_WARNINGS`] stray marks are reported one by one.

use std::ops::Range;

/// Deepest nesting of open quotation marks followed; an opening mark past it is ignored (with
/// one warning for the document). Real text nests two or three deep.
pub const MAX_OPEN_MARKS: usize = 8;

/// Stray marks reported one by one; the rest are counted in one closing warning.
pub const MAX_MARK_WARNINGS: usize = 20;

/// The family a quote mark belongs to: a closer only closes an opener of its own family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkFamily {
    /// “ ”
    CurlyDouble,
    /// "
    StraightDouble,
    /// ‘ ’
    CurlySingle,
    /// '
    StraightSingle,
    /// « »
    Guillemet,
    /// ‹ ›
    SingleGuillemet,
}

impl MarkFamily {
    /// Double marks are reliable; single ones double as apostrophes, so an unclosed single
    /// opener is silently taken for an apostrophe rather than reported.
    fn is_double(self) -> bool {
        matches!(
            self,
            MarkFamily::CurlyDouble | MarkFamily::StraightDouble | MarkFamily::Guillemet
        )
    }
}

/// Where a quotation without a closing mark was ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    ParagraphEnd,
    /// At `max_chars`.
    Limit,
    /// At the comma before its own attribution ("…, said Janet Wu").
    Attribution,
}

impl Cut {
    pub fn describe(self) -> &'static str {
        match self {
            Cut::ParagraphEnd => "the paragraph end",
            Cut::Limit => "the length limit",
            Cut::Attribution => "the comma before its attribution",
        }
    }
}

/// One quoted span found in the text (byte offsets into the document text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSpan {
    /// From the opening mark to just after the closing mark (or the bound).
    pub outer: Range<usize>,
    /// The words between the marks.
    pub inner: Range<usize>,
    pub family: MarkFamily,
    /// Nesting depth: 0 for an outermost quotation.
    pub depth: usize,
    /// Index into the paragraph list.
    pub paragraph: usize,
    /// The quotation goes on in the next paragraph (which reopens it with a fresh mark).
    pub runs_on: bool,
    /// This part continues the quotation of the previous paragraph.
    pub continued: bool,
    /// No closing mark was found: where the span was cut instead.
    pub unclosed: Option<Cut>,
}

#[derive(Debug, Clone, Copy)]
struct Open {
    family: MarkFamily,
    /// Byte offset of the opening mark.
    mark: usize,
    /// Byte offset just after it.
    content: usize,
    continued: bool,
}

/// Scans every paragraph for quotations. `warnings` receives one message per unbalanced mark.
pub fn find_spans(
    text: &str,
    paragraphs: &[Range<usize>],
    max_chars: usize,
    warnings: &mut Vec<String>,
) -> Vec<RawSpan> {
    let mut out = Vec::new();
    let mut carry: Option<MarkFamily> = None;
    // One stack of open marks for all paragraphs: one allocated per paragraph was most of
    // this scan's allocations.
    let mut stack: Vec<Open> = Vec::new();
    let mut notes = Notes::default();
    for (pi, para) in paragraphs.iter().enumerate() {
        let carried = carry.take();
        scan_paragraph(
            text,
            para.clone(),
            pi,
            carried,
            paragraphs.get(pi + 1),
            &mut out,
            &mut carry,
            max_chars,
            &mut notes,
            &mut stack,
        );
    }
    notes.finish(warnings);
    out.sort_by_key(|s| (s.outer.start, s.depth));
    out
}

/// Warnings of one scan, kept bounded: a text of nothing but quote marks would otherwise
/// carry a warning per mark.
#[derive(Default)]
struct Notes {
    stray: Vec<String>,
    stray_unlisted: usize,
    /// Opening marks ignored because [`MAX_OPEN_MARKS`] were open, and where the first was.
    too_deep: usize,
    first_too_deep: usize,
}

impl Notes {
    fn stray(&mut self, message: impl FnOnce() -> String) {
        if self.stray.len() < MAX_MARK_WARNINGS {
            self.stray.push(message());
        } else {
            self.stray_unlisted += 1;
        }
    }

    /// Whether `stack` holds [`MAX_OPEN_MARKS`] already, counting the mark at `at` ignored.
    fn full(&mut self, stack: &[Open], at: usize) -> bool {
        if stack.len() < MAX_OPEN_MARKS {
            return false;
        }
        if self.too_deep == 0 {
            self.first_too_deep = at;
        }
        self.too_deep += 1;
        true
    }

    fn finish(self, warnings: &mut Vec<String>) {
        warnings.extend(self.stray);
        if self.stray_unlisted > 0 {
            warnings.push(format!(
                "{} further stray quotation marks not listed",
                self.stray_unlisted
            ));
        }
        if self.too_deep > 0 {
            warnings.push(format!(
                "{} opening quotation marks ignored (the first at byte {}): more than {MAX_OPEN_MARKS} open at once",
                self.too_deep, self.first_too_deep
            ));
        }
    }
}

fn is_opening_context(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '(' | '['
                        | '{'
                        | '—'
                        | '–'
                        | '-'
                        | '/'
                        | ':'
                        | '“'
                        | '‘'
                        | '«'
                        | '‹'
                        | '"'
                        | '\''
                )
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn scan_paragraph(
    text: &str,
    para: Range<usize>,
    pi: usize,
    carried: Option<MarkFamily>,
    next_para: Option<&Range<usize>>,
    out: &mut Vec<RawSpan>,
    carry: &mut Option<MarkFamily>,
    max_chars: usize,
    notes: &mut Notes,
    stack: &mut Vec<Open>,
) {
    let body = &text[para.clone()];
    let bytes = body.as_bytes();
    stack.clear();
    let mut pos = 0;
    while let Some(off) = next_mark_byte(&bytes[pos..]) {
        let i = pos + off;
        let Some(c) = body[i..].chars().next() else {
            break;
        };
        pos = i + c.len_utf8();
        if !is_quote_mark(c) {
            continue;
        }
        let prev = body[..i].chars().next_back();
        let next = body[pos..].chars().next();
        let mut first_mark_seen = !body[..i].trim_start().is_empty();
        let at = para.start + i;
        let after = at + c.len_utf8();
        let mut opening = |family: MarkFamily, stack: &mut Vec<Open>, first: &mut bool| {
            if notes.full(stack, at) {
                return;
            }
            // A paragraph that reopens a quotation carried over from the paragraph before.
            let continued = !*first && carried == Some(family) && stack.is_empty();
            *first = true;
            stack.push(Open {
                family,
                mark: at,
                content: after,
                continued,
            });
        };
        match c {
            '“' | '„' => {
                // A “ right after a word, closing an open “, is a wrongly-typed closer.
                if c == '“' && !is_opening_context(prev) && top_is(stack, MarkFamily::CurlyDouble)
                {
                    close(text, stack, MarkFamily::CurlyDouble, at, after, pi, out);
                } else {
                    opening(MarkFamily::CurlyDouble, stack, &mut first_mark_seen);
                }
            }
            '”' => {
                if contains(stack, MarkFamily::CurlyDouble) {
                    close(text, stack, MarkFamily::CurlyDouble, at, after, pi, out);
                } else if is_opening_context(prev) && next.is_some_and(|n| !n.is_whitespace()) {
                    // A ” used as an opener (some editors type both marks the same way).
                    opening(MarkFamily::CurlyDouble, stack, &mut first_mark_seen);
                } else {
                    notes.stray(|| {
                        format!("closing quotation mark without an opening one at byte {at}")
                    });
                }
            }
            '«' => opening(MarkFamily::Guillemet, stack, &mut first_mark_seen),
            '»' => {
                if contains(stack, MarkFamily::Guillemet) {
                    close(text, stack, MarkFamily::Guillemet, at, after, pi, out);
                } else {
                    notes
                        .stray(|| format!("closing guillemet without an opening one at byte {at}"));
                }
            }
            '‹' => opening(MarkFamily::SingleGuillemet, stack, &mut first_mark_seen),
            '›' if contains(stack, MarkFamily::SingleGuillemet) => {
                close(text, stack, MarkFamily::SingleGuillemet, at, after, pi, out);
            }
            '"' => {
                let can_close = contains(stack, MarkFamily::StraightDouble)
                    && (!prev.is_some_and(char::is_whitespace)
                        || next.is_none_or(|n| n.is_whitespace()));
                if can_close {
                    close(text, stack, MarkFamily::StraightDouble, at, after, pi, out);
                } else if is_opening_context(prev) {
                    opening(MarkFamily::StraightDouble, stack, &mut first_mark_seen);
                } else {
                    notes.stray(|| format!("stray straight quotation mark at byte {at}"));
                }
            }
            '‘' if is_opening_context(prev) && next.is_some_and(|n| !n.is_whitespace()) => {
                opening(MarkFamily::CurlySingle, stack, &mut first_mark_seen);
            }
            '’' | '\'' => {
                let family = if c == '’' {
                    MarkFamily::CurlySingle
                } else {
                    MarkFamily::StraightSingle
                };
                let closes = contains(stack, family)
                    && prev.is_some_and(|p| !p.is_whitespace())
                    && next.is_none_or(|n| !n.is_alphanumeric());
                if closes {
                    close(text, stack, family, at, after, pi, out);
                } else if c == '\''
                    && is_opening_context(prev)
                    && next.is_some_and(char::is_alphanumeric)
                {
                    opening(MarkFamily::StraightSingle, stack, &mut first_mark_seen);
                }
                // Otherwise an apostrophe (isn’t, Trump’s, ’90s).
            }
            _ => {}
        }
    }

    close_at_paragraph_end(text, para.end, pi, next_para, stack, max_chars, carry, out);
}

/// The marks still open at the paragraph end (`para_end`): each double one becomes a span
/// to the end (or to `max_chars`), or runs on when the next paragraph reopens it.
#[allow(clippy::too_many_arguments)]
fn close_at_paragraph_end(
    text: &str,
    para_end: usize,
    pi: usize,
    next_para: Option<&Range<usize>>,
    stack: &[Open],
    max_chars: usize,
    carry: &mut Option<MarkFamily>,
    out: &mut Vec<RawSpan>,
) {
    let reopens = next_para.and_then(|np| {
        let t = text[np.clone()].trim_start();
        let c = t.chars().next()?;
        match c {
            '“' | '„' => Some(MarkFamily::CurlyDouble),
            '"' => Some(MarkFamily::StraightDouble),
            '«' => Some(MarkFamily::Guillemet),
            _ => None,
        }
    });
    let depth_base = 0;
    for (depth, open) in stack.iter().enumerate() {
        if !open.family.is_double() {
            continue; // an apostrophe after all
        }
        let end = trim_end(text, open.content..para_end);
        let runs_on = depth == 0 && reopens == Some(open.family);
        let mut inner = trim_inner(text, open.content..end);
        let mut unclosed = (!runs_on).then_some(Cut::ParagraphEnd);
        // Bytes are at least as many as characters: only long spans need counting.
        if inner.len() > max_chars {
            if let Some((cut, _)) = text[inner.clone()].char_indices().nth(max_chars) {
                inner = inner.start..trim_end(text, inner.start..inner.start + cut);
                unclosed = Some(Cut::Limit);
            }
        }
        if runs_on {
            *carry = Some(open.family);
        }
        if !inner.is_empty() {
            out.push(RawSpan {
                outer: open.mark..inner.end,
                inner,
                family: open.family,
                depth: depth_base + depth,
                paragraph: pi,
                runs_on,
                continued: open.continued,
                unclosed,
            });
        }
    }
}

/// Characters that may open or close a quotation.
pub(crate) fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '“' | '”' | '„' | '«' | '»' | '‹' | '›' | '"' | '‘' | '’' | '\''
    )
}

/// Offset of the first byte in `bytes` that may start a quote mark. Every byte of the text
/// passes through here: `memchr3` (vectorized) finds the ASCII marks and the lead byte of
/// U+2018–U+203A, and only the bytes before that hit are searched for U+00AB/U+00BB's lead,
/// so each byte is looked at by each search at most once per paragraph.
fn next_mark_byte(bytes: &[u8]) -> Option<usize> {
    let common = memchr::memchr3(b'"', b'\'', 0xE2, bytes);
    let before = &bytes[..common.unwrap_or(bytes.len())];
    memchr::memchr(0xC2, before).or(common)
}

/// The words between the marks without the spaces some styles put inside them (« oui »).
fn trim_inner(text: &str, r: Range<usize>) -> Range<usize> {
    let slice = &text[r.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let end = r.start + slice.trim_end().len();
    (r.start + lead).min(end)..end
}

fn trim_end(text: &str, r: Range<usize>) -> usize {
    r.start + text[r].trim_end().len()
}

fn top_is(stack: &[Open], family: MarkFamily) -> bool {
    stack.last().is_some_and(|o| o.family == family)
}

fn contains(stack: &[Open], family: MarkFamily) -> bool {
    stack.iter().any(|o| o.family == family)
}

/// Closes the innermost open mark of `family`. Single marks opened inside it and never closed
/// were apostrophes (’90s, ‘em) and are dropped.
fn close(
    text: &str,
    stack: &mut Vec<Open>,
    family: MarkFamily,
    at: usize,
    after: usize,
    pi: usize,
    out: &mut Vec<RawSpan>,
) {
    let Some(pos) = stack.iter().rposition(|o| o.family == family) else {
        return;
    };
    stack.truncate(pos + 1);
    let open = stack.pop().expect("position found above");
    let inner = trim_inner(text, open.content..at);
    // Single marks need real words inside: ’n’ in rock ’n’ roll is not a quotation.
    let too_short = !family.is_double()
        && text[inner.clone()]
            .chars()
            .filter(|c| c.is_alphanumeric())
            .count()
            < 2;
    if inner.is_empty() || too_short || text[inner.clone()].trim().is_empty() {
        return;
    }
    out.push(RawSpan {
        outer: open.mark..after,
        inner,
        family,
        depth: stack.len(),
        paragraph: pi,
        runs_on: false,
        continued: open.continued,
        unclosed: None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> (Vec<String>, Vec<String>) {
        let paras: &[Range<usize>] = &[Range {
            start: 0,
            end: text.len(),
        }];
        let mut w = Vec::new();
        let s = find_spans(text, paras, 2000, &mut w);
        (
            s.iter()
                .map(|s| text[s.inner.clone()].to_string())
                .collect(),
            w,
        )
    }

    /// Every quote mark starts with one of these bytes: an ASCII mark, or the lead byte of
    /// U+00AB/U+00BB and of U+2018–U+203A.
    fn is_mark_byte(b: u8) -> bool {
        matches!(b, b'"' | b'\'' | 0xC2 | 0xE2)
    }

    #[test]
    fn mark_bytes_are_found_as_by_a_plain_scan() {
        let text =
            "plain ascii words then “curly” and \"straight\" and 'single' and «guillemets», \
                    café — dash ’90s… AT&T #1 $%()*+,-./ end'";
        let bytes = text.as_bytes();
        for from in 0..bytes.len() {
            let want = bytes[from..].iter().position(|&b| is_mark_byte(b));
            assert_eq!(next_mark_byte(&bytes[from..]), want, "from {from}");
        }
    }

    #[test]
    fn curly_single_quotes_are_told_apart_from_apostrophes() {
        let (s, w) =
            spans("Speaking to CNN’s show, Witkoff called it a ‘gamechanger.’ It isn’t over.");
        assert_eq!(s, vec!["gamechanger."]);
        assert!(w.is_empty());
    }

    #[test]
    fn nested_quotes_close_inside_out() {
        let (s, _) = spans("“He told me ‘we will win’ and left,” she said.");
        assert_eq!(s, vec!["He told me ‘we will win’ and left,", "we will win"]);
    }

    #[test]
    fn unclosed_mark_is_bounded_and_reported() {
        let text = "“This never ends, she said.\nNext paragraph “is fine” here.";
        let paras = vec![
            0..text.find('\n').unwrap(),
            text.find('\n').unwrap() + 1..text.len(),
        ];
        let mut w = Vec::new();
        let s = find_spans(text, &paras, 2000, &mut w);
        let got: Vec<&str> = s.iter().map(|s| &text[s.inner.clone()]).collect();
        assert_eq!(got, vec!["This never ends, she said.", "is fine"]);
        assert_eq!(s[0].unclosed, Some(Cut::ParagraphEnd));
        assert_eq!(s[1].unclosed, None);
        assert!(w.is_empty());
    }

    #[test]
    fn open_marks_past_the_cap_are_ignored_with_one_warning() {
        let text = "Jane Doe said, “a ‘b « c \" ".repeat(40);
        let (s, w) = spans(&text);
        // Only the marks of the followed depth make spans, whatever the length.
        assert!(s.len() <= 2 * MAX_OPEN_MARKS, "{} spans", s.len());
        let deep: Vec<&String> = w.iter().filter(|w| w.contains("more than")).collect();
        assert_eq!(deep.len(), 1, "{w:?}");
    }

    #[test]
    fn stray_marks_are_listed_up_to_the_cap_then_counted() {
        let (_, w) = spans(&"word » ".repeat(100));
        assert_eq!(w.len(), MAX_MARK_WARNINGS + 1, "{w:?}");
        assert!(w[MAX_MARK_WARNINGS].ends_with("further stray quotation marks not listed"));
    }

    #[test]
    fn straight_and_guillemet_marks() {
        let (s, _) = spans("He said \"we are ready\" and «nous sommes prêts» too, with 'care'.");
        assert_eq!(s, vec!["we are ready", "nous sommes prêts", "care"]);
    }
}
