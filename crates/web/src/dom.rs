//! The parsed page flattened into what extraction scores: elements (with their parent, the
//! last element of their subtree and a class-name weight) and text blocks (the text between
//! two block-level boundaries, with the element that holds it).
//!
//! The walk is iterative: a page of a million nested `<div>`s must not overflow the stack.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use tl::{Node, NodeHandle, Parser, VDom};

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
    /// The last element of this element's subtree (elements are numbered in document order).
    pub last: u32,
    pub chars: u32,
    pub link_chars: u32,
    pub score: f32,
}

pub struct Block {
    pub owner: u32,
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

enum Step {
    Enter(NodeHandle),
    Exit { elem: u32, block: bool, link: bool },
}

struct Walker<'p, 'a> {
    parser: &'p Parser<'a>,
    flat: Flat,
    /// The innermost open block-level element: the owner of the text being gathered.
    open_blocks: Vec<(u32, TagKind)>,
    open: Vec<u32>,
    text: String,
    link_chars: u32,
    links_open: u32,
}

pub fn flatten(dom: &VDom<'_>) -> Flat {
    let root = Elem {
        parent: ROOT,
        kind: TagKind::Body,
        class_weight: 0.0,
        last: 0,
        chars: 0,
        link_chars: 0,
        score: 0.0,
    };
    let mut w = Walker {
        parser: dom.parser(),
        flat: Flat {
            elems: vec![root],
            blocks: Vec::new(),
        },
        open_blocks: vec![(ROOT, TagKind::Body)],
        open: vec![ROOT],
        text: String::new(),
        link_chars: 0,
        links_open: 0,
    };
    let mut stack: Vec<Step> = dom
        .children()
        .iter()
        .rev()
        .map(|h| Step::Enter(*h))
        .collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::Enter(handle) => w.enter(handle, &mut stack),
            Step::Exit { elem, block, link } => w.exit(elem, block, link),
        }
    }
    w.flush();
    w.finish()
}

impl Walker<'_, '_> {
    fn enter(&mut self, handle: NodeHandle, stack: &mut Vec<Step>) {
        let Some(node) = handle.get(self.parser) else {
            return;
        };
        let tag = match node {
            Node::Tag(tag) => tag,
            Node::Raw(raw) => return self.push_text(&raw.as_utf8_str()),
            Node::Comment(_) => return,
        };
        let name = tag.name().as_bytes();
        let Some(kind) = classify(name) else {
            return; // skipped with everything inside
        };
        let attrs = tag.attributes();
        if is_hidden(attrs) {
            return;
        }
        let class_weight = class_weight(attrs);
        if class_weight == BOILERPLATE {
            return;
        }
        if kind == TagKind::LineBreak {
            self.flush();
            return;
        }
        let block = is_block(kind);
        if block {
            self.flush();
        }
        let parent = *self.open.last().expect("root stays open");
        let elem = self.flat.elems.len() as u32;
        self.flat.elems.push(Elem {
            parent,
            kind,
            class_weight,
            last: elem,
            chars: 0,
            link_chars: 0,
            score: 0.0,
        });
        self.open.push(elem);
        if block {
            self.open_blocks.push((elem, kind));
        }
        let link = kind == TagKind::Link;
        self.links_open += link as u32;
        stack.push(Step::Exit { elem, block, link });
        let children = tag.children();
        let first = stack.len();
        stack.extend(children.top().iter().map(|h| Step::Enter(*h)));
        stack[first..].reverse();
    }

    fn exit(&mut self, elem: u32, block: bool, link: bool) {
        if block {
            self.flush();
            self.open_blocks.pop();
        }
        self.links_open -= link as u32;
        self.open.pop();
        let last = self.flat.elems.len() as u32 - 1;
        self.flat.elems[elem as usize].last = last;
    }

    /// Appends a text node, entities decoded and white space collapsed.
    fn push_text(&mut self, raw: &str) {
        let decoded = html_escape::decode_html_entities(raw);
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
            kind: block_kind(kind),
            text: text.to_string(),
            chars,
            link_chars: self.link_chars.min(chars),
        };
        self.flat.blocks.push(block);
        self.text.clear();
        self.link_chars = 0;
    }

    fn finish(mut self) -> Flat {
        let flat = &mut self.flat;
        for b in &flat.blocks {
            let e = &mut flat.elems[b.owner as usize];
            e.chars += b.chars;
            e.link_chars += b.link_chars;
        }
        // Children come after their parents: one backward pass sums every subtree.
        for i in (1..flat.elems.len()).rev() {
            let (chars, links, parent) = {
                let e = &flat.elems[i];
                (e.chars, e.link_chars, e.parent as usize)
            };
            flat.elems[parent].chars += chars;
            flat.elems[parent].link_chars += links;
        }
        flat.elems[0].last = flat.elems.len() as u32 - 1;
        self.flat
    }
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
        b"article" | b"main" => TagKind::Article,
        b"body" | b"html" => TagKind::Body,
        b"address" | b"hr" | b"details" | b"summary" | b"hgroup" => TagKind::OtherBlock,
        b"a" => TagKind::Link,
        b"br" => TagKind::LineBreak,
        b"head" | b"script" | b"style" | b"noscript" | b"template" | b"iframe" | b"nav"
        | b"footer" | b"aside" | b"form" | b"button" | b"select" | b"input" | b"textarea"
        | b"svg" | b"canvas" | b"video" | b"audio" | b"figure" | b"figcaption" | b"table"
        | b"menu" | b"dialog" | b"object" | b"embed" | b"map" | b"label" | b"option"
        | b"header" | b"picture" | b"math" | b"title" | b"meta" | b"link" => return None,
        _ => TagKind::Inline,
    })
}

fn is_hidden(attrs: &tl::Attributes<'_>) -> bool {
    if attrs.contains("hidden") {
        return true;
    }
    fn value<'t>(attrs: &'t tl::Attributes<'_>, k: &'t str) -> Option<&'t [u8]> {
        attrs.get(k).flatten().map(|v| v.as_bytes())
    }
    if value(attrs, "aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case(b"true")) {
        return true;
    }
    if let Some(role) = value(attrs, "role") {
        let role = role.to_ascii_lowercase();
        if matches!(
            &role[..],
            b"navigation" | b"complementary" | b"banner" | b"contentinfo" | b"dialog" | b"menu"
        ) {
            return true;
        }
    }
    value(attrs, "style").is_some_and(|s| {
        let s: Vec<u8> = s
            .iter()
            .filter(|b| !b.is_ascii_whitespace())
            .map(u8::to_ascii_lowercase)
            .collect();
        memchr::memmem::find(&s, b"display:none").is_some()
            || memchr::memmem::find(&s, b"visibility:hidden").is_some()
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
    "hidden",
    "legends",
    "menu",
    "modal",
    "most-popular",
    "mostpopular",
    "navbar",
    "newsletter",
    "outbrain",
    "pager",
    "pagination",
    "popular",
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
    "credit",
    "tags",
    "print",
    "topics",
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

fn class_weight(attrs: &tl::Attributes<'_>) -> f32 {
    let mut weight = 0.0;
    let p = patterns();
    for name in [attrs.class(), attrs.id()].into_iter().flatten() {
        let name = name.as_bytes();
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
