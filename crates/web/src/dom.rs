//! The parsed page flattened into what extraction scores: elements (with their parent, the
//! last element of their subtree and a class-name weight) and text blocks (the text between
//! two block-level boundaries, with the element that holds it).
//!
//! Built from html5ever's tokens in one pass, with no recursion: a page of a million nested
//! `<div>`s must not overflow the stack.

use std::cell::RefCell;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind::StartTag, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};
use html5ever::LocalName;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Heading,
    Paragraph,
    ListItem,
    Quote,
    Preformatted,
    /// Text directly inside a `<div>`, `<section>`… or split by `<br>`s.
    Loose,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagKind {
    Paragraph,
    Heading,
    ListItem,
    List,
    Quote,
    Preformatted,
    Division,
    Header,
    Article,
    Body,
    OtherBlock,
    Inline,
    Link,
    LineBreak,
}

pub struct Elem {
    pub parent: u32,
    pub kind: TagKind,
    /// +25 for class names of content, −25 for boilerplate ones.
    pub class_weight: f32,
    /// A hash of the class attribute (0 when none): siblings of the article's container
    /// with the same classes are more of it.
    pub class_key: u64,
    /// The last element of this element's subtree (elements are numbered in document order).
    pub last: u32,
    pub chars: u32,
    pub link_chars: u32,
    pub score: f32,
    /// Characters of the blocks long enough to score, in the subtree.
    pub para_chars: u32,
    /// For an element skipped with its content: the skipped element it is inside (or 0).
    pub skip_parent: u32,
}

pub struct Block {
    pub owner: u32,
    /// The innermost skipped element (navigation, boilerplate class…) around it, or 0.
    pub skip_root: u32,
    /// Inside a skipped element that does not hold most of the page's text.
    pub skipped: bool,
    pub kind: BlockKind,
    pub text: String,
    pub chars: u32,
    pub link_chars: u32,
}

pub struct Flat {
    pub elems: Vec<Elem>,
    pub blocks: Vec<Block>,
}

const ROOT: u32 = 0;

/// Deeper than this, start tags open no element (their text still counts): a page of a
/// million nested `<div>`s costs no more than a flat one.
const MAX_DEPTH: usize = 4096;
/// How far down the open elements an end tag looks for its start tag, and a new block for
/// an open `<p>` to close: bounded, so that mismatched tags cost constant time.
const MAX_SEARCH: usize = 64;

/// What the markup says about the page, for [`crate::meta`].
#[derive(Default)]
pub struct Found {
    /// `<meta>` tags: (`property`, `name` or `itemprop`; `content`).
    pub meta: Vec<(String, String)>,
    pub title_tag: Option<String>,
    pub canonical: Option<String>,
    pub lang: Option<String>,
    pub time: Option<String>,
    pub rel_authors: Vec<String>,
    pub bylines: Vec<String>,
    pub json_ld: Vec<String>,
}

/// Where the text of a small element goes while it is open (title, byline, JSON-LD).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Capture {
    Title,
    RelAuthor,
    Byline,
    JsonLd,
}

/// What a start tag opens, as decided from its name and attributes.
struct NewElem {
    kind: TagKind,
    skip: bool,
    raw: bool,
    weight: f32,
    class_key: u64,
}

fn class_key(class: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    class.trim().hash(&mut h);
    h.finish() | 1
}

struct Open {
    name: LocalName,
    /// The element's index, `None` when it opened none (too deep).
    elem: Option<u32>,
    kind: TagKind,
    /// Boilerplate or hidden: its text is not the article's, unless it holds most of the
    /// page's text (a `<form>` or an ad wrapper around the whole page).
    skip_root: bool,
    /// Script, style, title…: its text is never the article's.
    raw: bool,
}

/// Builds the flattened page from the tokens, with a simplified HTML5 tree construction:
/// void elements, `<p>` and `<li>` closed by what implies their end, end tags matched
/// against the open elements (stray ones ignored).
struct Builder {
    flat: Flat,
    found: Found,
    open: Vec<Open>,
    /// The innermost open block-level element: the owner of the text being gathered.
    open_blocks: Vec<(u32, TagKind)>,
    /// The open skipped elements, innermost last.
    skip_roots: Vec<u32>,
    /// Open raw-text elements.
    raw_open: usize,
    links_open: u32,
    text: String,
    link_chars: u32,
    capture: Option<(usize, Capture, String)>,
}

struct Sink(RefCell<Builder>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut b = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) if tag.kind == StartTag => return b.start(tag),
            Token::TagToken(tag) => b.end(&tag.name),
            Token::CharacterTokens(t) => b.characters(&t),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Tokenizes and flattens a page.
pub fn flatten(page: &str) -> (Flat, Found) {
    let root = Elem {
        parent: ROOT,
        kind: TagKind::Body,
        class_weight: 0.0,
        class_key: 0,
        last: 0,
        chars: 0,
        link_chars: 0,
        score: 0.0,
        para_chars: 0,
        skip_parent: 0,
    };
    let builder = Builder {
        flat: Flat {
            elems: vec![root],
            blocks: Vec::new(),
        },
        found: Found::default(),
        open: Vec::new(),
        open_blocks: vec![(ROOT, TagKind::Body)],
        skip_roots: Vec::new(),
        raw_open: 0,
        links_open: 0,
        text: String::new(),
        link_chars: 0,
        capture: None,
    };
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(page));
    let tokenizer = Tokenizer::new(Sink(RefCell::new(builder)), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut b = tokenizer.sink.0.into_inner();
    while !b.open.is_empty() {
        b.pop();
    }
    b.flush();
    b.finish()
}

fn attr<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

impl Builder {
    fn start(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let kind = classify(name.as_bytes());
        self.note_metadata(name, &tag);
        let raw = match name {
            "title" | "textarea" => Some(RawKind::Rcdata),
            "script" => Some(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                Some(RawKind::Rawtext)
            }
            _ => None,
        };
        if matches!(name, "html" | "head" | "body") {
            if name == "html" && self.found.lang.is_none() {
                self.found.lang = attr(&tag, "lang").map(str::to_string);
            }
            return TokenSinkResult::Continue;
        }
        if kind == Some(TagKind::LineBreak) {
            self.flush();
            return TokenSinkResult::Continue;
        }
        if is_void(name) || (tag.self_closing && raw.is_none()) {
            return TokenSinkResult::Continue;
        }
        self.close_implied(name, kind);
        let weight = class_weight(&tag);
        let skipped = kind.is_none()
            || is_hidden(&tag)
            || (weight == BOILERPLATE && !matches!(kind, Some(TagKind::Body | TagKind::Article)));
        let kind = kind.unwrap_or(TagKind::Inline);
        let raw_text = raw.is_some() || matches!(name, "template" | "svg" | "math");
        let new = NewElem {
            kind,
            skip: skipped && !raw_text,
            raw: raw_text,
            weight,
            class_key: attr(&tag, "class").map_or(0, class_key),
        };
        self.push(tag.name.clone(), new);
        raw.map_or(TokenSinkResult::Continue, TokenSinkResult::RawData)
    }

    /// `<p>` ends where another block starts; `<li>` where the next `<li>` does.
    fn close_implied(&mut self, name: &str, kind: Option<TagKind>) {
        let closes = |open: &str| match open {
            "p" => kind.map_or(closes_paragraph(name), is_block),
            "li" => name == "li",
            "dd" | "dt" => matches!(name, "dd" | "dt"),
            "a" => name == "a",
            "option" => name == "option",
            h if is_heading(h) => is_heading(name),
            _ => false,
        };
        let depth = self.open.len();
        for i in (depth.saturating_sub(MAX_SEARCH)..depth).rev() {
            let open: &str = &self.open[i].name;
            if closes(open) {
                while self.open.len() > i {
                    self.pop();
                }
                return;
            }
            if matches!(
                open,
                "div" | "ul" | "ol" | "dl" | "table" | "td" | "th" | "button"
            ) || (open == "section" || open == "article")
            {
                return;
            }
        }
    }

    fn push(&mut self, name: LocalName, new: NewElem) {
        let NewElem {
            kind,
            skip,
            raw,
            weight,
            class_key,
        } = new;
        self.raw_open += raw as usize;
        if self.open.len() >= MAX_DEPTH {
            let (elem, skip_root) = (None, false);
            self.open.push(Open {
                name,
                elem,
                kind: TagKind::Inline,
                skip_root,
                raw,
            });
            return;
        }
        let block = is_block(kind);
        if block || skip {
            self.flush();
        }
        let parent = self.open.iter().rev().find_map(|o| o.elem).unwrap_or(ROOT);
        let elem = self.flat.elems.len() as u32;
        self.flat.elems.push(Elem {
            parent,
            kind,
            class_weight: weight.max(-25.0),
            class_key,
            last: elem,
            chars: 0,
            link_chars: 0,
            score: 0.0,
            para_chars: 0,
            skip_parent: self.skip_roots.last().copied().unwrap_or(0),
        });
        if block {
            self.open_blocks.push((elem, kind));
        }
        if skip {
            self.skip_roots.push(elem);
        }
        if kind == TagKind::Link {
            self.links_open += 1;
        }
        let skip_root = skip;
        self.open.push(Open {
            name,
            elem: Some(elem),
            kind,
            skip_root,
            raw,
        });
    }

    fn end(&mut self, name: &LocalName) {
        if &**name == "br" {
            self.flush();
            return;
        }
        let depth = self.open.len();
        let found = (depth.saturating_sub(MAX_SEARCH)..depth)
            .rev()
            .find(|&i| self.open[i].name == *name);
        if let Some(i) = found {
            while self.open.len() > i {
                self.pop();
            }
        }
    }

    fn pop(&mut self) {
        let Some(open) = self.open.pop() else { return };
        if let Some((depth, what, text)) = self.capture.take() {
            if depth > self.open.len() {
                self.store_capture(what, text);
            } else {
                self.capture = Some((depth, what, text));
            }
        }
        self.raw_open -= open.raw as usize;
        let Some(elem) = open.elem else { return };
        if open.skip_root {
            self.flush();
            self.skip_roots.pop();
        }
        if open.kind == TagKind::Link {
            self.links_open -= 1;
        }
        if self.open_blocks.last().is_some_and(|(e, _)| *e == elem) {
            self.flush();
            self.open_blocks.pop();
        }
        let last = self.flat.elems.len() as u32 - 1;
        self.flat.elems[elem as usize].last = last;
    }

    fn characters(&mut self, t: &str) {
        if let Some((_, what, text)) = &mut self.capture {
            if text.len() < 64 * 1024 || *what == Capture::JsonLd {
                text.push_str(t);
            }
        }
        if self.raw_open == 0 {
            self.push_text(t);
        }
    }

    /// Metadata tags, and elements whose text is metadata (title, bylines, JSON-LD).
    fn note_metadata(&mut self, name: &str, tag: &Tag) {
        let found = &mut self.found;
        match name {
            "meta" => {
                let key = attr(tag, "property")
                    .or_else(|| attr(tag, "name"))
                    .or_else(|| attr(tag, "itemprop"));
                if let (Some(k), Some(v)) = (key, attr(tag, "content")) {
                    found.meta.push((k.to_string(), v.to_string()));
                }
            }
            "link"
                if found.canonical.is_none()
                    && attr(tag, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
            {
                found.canonical = attr(tag, "href").map(str::to_string);
            }
            "time" if found.time.is_none() => {
                found.time = attr(tag, "datetime").map(str::to_string)
            }
            _ => {}
        }
        let capture = match name {
            "title" if found.title_tag.is_none() => Some(Capture::Title),
            "script" if attr(tag, "type").is_some_and(|t| t.contains("ld+json")) => {
                Some(Capture::JsonLd)
            }
            "a" if attr(tag, "rel").is_some_and(|r| r.eq_ignore_ascii_case("author")) => {
                Some(Capture::RelAuthor)
            }
            _ if attr(tag, "class").is_some_and(|c| c.to_ascii_lowercase().contains("byline")) => {
                Some(Capture::Byline)
            }
            _ => None,
        };
        if let (Some(what), None) = (capture, &self.capture) {
            if !is_void(name) {
                self.capture = Some((self.open.len() + 1, what, String::new()));
            }
        }
    }

    fn store_capture(&mut self, what: Capture, text: String) {
        let found = &mut self.found;
        match what {
            Capture::Title => found.title_tag = Some(text),
            Capture::JsonLd => found.json_ld.push(text),
            Capture::RelAuthor => found.rel_authors.push(text),
            Capture::Byline => found.bylines.push(text),
        }
    }

    /// Appends a text node, white space collapsed.
    fn push_text(&mut self, decoded: &str) {
        let before = self.text.len();
        let mut space = decoded.starts_with(is_space) && !self.text.is_empty();
        for word in decoded.split(is_space).filter(|w| !w.is_empty()) {
            if space && !self.text.ends_with(' ') {
                self.text.push(' ');
            }
            self.text.push_str(word);
            space = true;
        }
        if decoded.ends_with(is_space) && !self.text.is_empty() && self.text.len() > before {
            self.text.push(' ');
        }
        if self.links_open > 0 {
            self.link_chars += self.text[before..].trim().chars().count() as u32;
        }
    }

    /// Ends the text gathered so far as a block of the innermost open block element.
    fn flush(&mut self) {
        let text = self.text.trim();
        if text.is_empty() {
            self.text.clear();
            self.link_chars = 0;
            return;
        }
        let (owner, kind) = *self.open_blocks.last().expect("root stays open");
        let chars = text.chars().count() as u32;
        let block = Block {
            owner,
            skip_root: self.skip_roots.last().copied().unwrap_or(0),
            skipped: false,
            kind: block_kind(kind),
            text: text.to_string(),
            chars,
            link_chars: self.link_chars.min(chars),
        };
        self.flat.blocks.push(block);
        self.text.clear();
        self.link_chars = 0;
    }

    fn finish(mut self) -> (Flat, Found) {
        let flat = &mut self.flat;
        for b in flat.blocks.iter().filter(|b| b.chars >= SCORED_CHARS) {
            flat.elems[b.owner as usize].para_chars += b.chars;
        }
        sum_subtrees(&mut flat.elems, |e| &mut e.para_chars);
        // A skipped element holding half the page's paragraph text or more is a wrapper
        // with an unlucky name, not boilerplate.
        let total = flat.elems[0].para_chars;
        let released = |e: &Elem| total > 0 && e.para_chars * 2 >= total;
        for b in &mut flat.blocks {
            let mut root = b.skip_root;
            while root != 0 && !b.skipped {
                let e = &flat.elems[root as usize];
                b.skipped = !released(e);
                root = e.skip_parent;
            }
        }
        for b in flat.blocks.iter().filter(|b| !b.skipped) {
            let e = &mut flat.elems[b.owner as usize];
            e.chars += b.chars;
            e.link_chars += b.link_chars;
        }
        sum_subtrees(&mut flat.elems, |e| &mut e.chars);
        sum_subtrees(&mut flat.elems, |e| &mut e.link_chars);
        flat.elems[0].last = flat.elems.len() as u32 - 1;
        (self.flat, self.found)
    }
}

/// Blocks shorter than this (in characters) are not paragraphs that score.
pub const SCORED_CHARS: u32 = 25;

/// Adds each element's `field` to its parent's: children come after their parents, so one
/// backward pass sums every subtree.
fn sum_subtrees(elems: &mut [Elem], field: impl Fn(&mut Elem) -> &mut u32) {
    for i in (1..elems.len()).rev() {
        let parent = elems[i].parent as usize;
        let value = *field(&mut elems[i]);
        *field(&mut elems[parent]) += value;
    }
}

/// Skipped elements that still end an open `<p>` (the HTML standard's list, as it applies).
fn closes_paragraph(name: &str) -> bool {
    matches!(
        name,
        "nav"
            | "aside"
            | "footer"
            | "form"
            | "figure"
            | "figcaption"
            | "table"
            | "menu"
            | "dialog"
            | "fieldset"
    )
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "image"
            | "frame"
            | "basefont"
            | "bgsound"
    )
}

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

fn is_block(kind: TagKind) -> bool {
    !matches!(kind, TagKind::Inline | TagKind::Link | TagKind::LineBreak)
}

fn block_kind(kind: TagKind) -> BlockKind {
    match kind {
        TagKind::Paragraph => BlockKind::Paragraph,
        TagKind::Heading => BlockKind::Heading,
        TagKind::ListItem => BlockKind::ListItem,
        TagKind::Quote => BlockKind::Quote,
        TagKind::Preformatted => BlockKind::Preformatted,
        _ => BlockKind::Loose,
    }
}

/// The kind of an element, or `None` for one that never holds article text (navigation,
/// forms, media, tables, page header and footer…), which is skipped with its content.
fn classify(name: &[u8]) -> Option<TagKind> {
    let mut lower = [0u8; 12];
    if name.len() > lower.len() {
        return Some(TagKind::Inline);
    }
    for (l, b) in lower.iter_mut().zip(name) {
        *l = b.to_ascii_lowercase();
    }
    Some(match &lower[..name.len()] {
        b"p" => TagKind::Paragraph,
        b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => TagKind::Heading,
        b"li" | b"dd" | b"dt" => TagKind::ListItem,
        b"ul" | b"ol" | b"dl" => TagKind::List,
        b"blockquote" => TagKind::Quote,
        b"pre" => TagKind::Preformatted,
        b"div" | b"section" | b"center" => TagKind::Division,
        // Often holds only the headline and byline, but a page whose markup leaves a
        // `<header>` unclosed has everything in it: scored down, not dropped.
        b"header" => TagKind::Header,
        b"article" | b"main" => TagKind::Article,
        // Not skipped: a page whose head is left open by a stray tag has its body inside.
        b"body" | b"html" | b"head" => TagKind::Body,
        b"address" | b"hr" | b"details" | b"summary" | b"hgroup" => TagKind::OtherBlock,
        b"a" => TagKind::Link,
        b"br" => TagKind::LineBreak,
        b"script" | b"style" | b"noscript" | b"template" | b"iframe" | b"nav" | b"footer"
        | b"aside" | b"form" | b"button" | b"select" | b"input" | b"textarea" | b"svg"
        | b"canvas" | b"video" | b"audio" | b"figure" | b"figcaption" | b"table" | b"menu"
        | b"dialog" | b"object" | b"embed" | b"map" | b"label" | b"option" | b"picture"
        | b"math" | b"title" | b"meta" | b"link" => return None,
        _ => TagKind::Inline,
    })
}

fn is_hidden(tag: &Tag) -> bool {
    if attr(tag, "hidden").is_some() {
        return true;
    }
    if attr(tag, "aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return true;
    }
    if let Some(role) = attr(tag, "role") {
        let role = role.to_ascii_lowercase();
        if matches!(
            &role[..],
            "navigation" | "complementary" | "banner" | "contentinfo" | "dialog" | "menu"
        ) {
            return true;
        }
    }
    attr(tag, "style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// A class weight that means "drop this subtree".
pub const BOILERPLATE: f32 = f32::NEG_INFINITY;

/// Boilerplate class and id names (Readability's "unlikely candidates", with share bars,
/// cookie notices, newsletters and paywall prompts), unless a content name is also there.
const BOILERPLATE_NAMES: &[&str] = &[
    "-ad-",
    "ad-break",
    "advert",
    "agegate",
    "banner",
    "breadcrumb",
    "combx",
    "comment",
    "community",
    "consent",
    "cookie",
    "cover-wrap",
    "disqus",
    "donate",
    "footer",
    "gdpr",
    "legends",
    "menu",
    "modal",
    "most-popular",
    "mostpopular",
    "navbar",
    "newsletter",
    "outbrain",
    "pagination",
    "popup",
    "promo",
    "recirc",
    "recommend",
    "related",
    "remark",
    "replies",
    "rss",
    "share",
    "sharing",
    "shoutbox",
    "sidebar",
    "signup",
    "skip-link",
    "skyscraper",
    "social",
    "sponsor",
    "subscribe",
    "supplemental",
    "taboola",
    "toolbar",
    "tooltip",
    "trending",
    "widget",
    "yom-remote",
    "read-more",
    "readmore",
    "also-read",
    "more-stories",
    "byline",
    "author-bio",
    "caption",
];
const CONTENT_NAMES: &[&str] = &[
    "and", "article", "body", "column", "content", "main", "shadow",
];
const NEGATIVE_NAMES: &[&str] = &[
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "foot",
    "footer",
    "footnote",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "tool",
    "widget",
];
const POSITIVE_NAMES: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "hentry",
    "h-entry",
    "main",
    "page",
    "pagination",
    "post",
    "text",
    "blog",
    "story",
];

struct Patterns {
    boilerplate: AhoCorasick,
    content: AhoCorasick,
    negative: AhoCorasick,
    positive: AhoCorasick,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let build = |names: &[&str]| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(names)
                .expect("fixed patterns")
        };
        Patterns {
            boilerplate: build(BOILERPLATE_NAMES),
            content: build(CONTENT_NAMES),
            negative: build(NEGATIVE_NAMES),
            positive: build(POSITIVE_NAMES),
        }
    })
}

fn class_weight(tag: &Tag) -> f32 {
    let mut weight = 0.0;
    let p = patterns();
    for name in [attr(tag, "class"), attr(tag, "id")].into_iter().flatten() {
        if name.is_empty() {
            continue;
        }
        if p.boilerplate.is_match(name) && !p.content.is_match(name) {
            return BOILERPLATE;
        }
        if p.negative.is_match(name) {
            weight -= 25.0;
        }
        if p.positive.is_match(name) {
            weight += 25.0;
        }
    }
    weight
}
