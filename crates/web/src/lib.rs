//! Web pages in, articles out: the `extract_html` stage turns a document read from an HTML
//! page (ingest marks it [`Format::Html`]) into its article's text — paragraphs, headings
//! and list items, one per paragraph, blank lines between them — and fills the document's
//! metadata from the page's own markup (JSON-LD, Open Graph, `<title>`, canonical link…),
//! keeping what ingest knew (a WARC record's URL and fetch date) only where the page is
//! silent. Plain-text documents pass through untouched.
//!
//! Tokenizing is html5ever's (see the README for the measurements behind the choice); the
//! tree is built from its tokens in one pass ([`dom`]), without the full HTML5 tree builder.

mod article;
mod dom;
mod meta;

use model::{Capability, Document, DocumentStage, Format, StageError, StageOptions};
use serde::{Deserialize, Serialize};

pub use article::Paragraph;
pub use meta::{host_of, parse_date, PageMeta};

/// A page's article: its blocks and metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    pub paragraphs: Vec<Paragraph>,
    pub meta: PageMeta,
}

impl Article {
    /// The text the other stages read: one block per paragraph, blank lines between.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for p in &self.paragraphs {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&p.text);
        }
        out
    }
}

/// Extracts the article and metadata of an HTML page.
pub fn extract(page: &str) -> Article {
    let (mut flat, found) = dom::flatten(page);
    let meta = meta::read(&found);
    let mut paragraphs = article::select(&mut flat);
    // The headline is the document's title, not a paragraph of its body.
    if let Some(title) = &meta.title {
        paragraphs.retain(|p| !(p.heading && same_words(&p.text, title)));
    }
    article::drop_leading_labels(&mut paragraphs);
    Article { paragraphs, meta }
}

fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// Options of the `extract_html` stage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExtractHtmlOptions {}

impl StageOptions for ExtractHtmlOptions {
    fn docs() -> &'static [(&'static str, &'static str)] {
        &[]
    }
}

pub struct ExtractHtml;

impl ExtractHtml {
    pub const NAME: &'static str = "extract_html";
    pub const NEEDS: &'static [Capability] = &[Capability::Text];
    pub const PROVIDES: &'static [Capability] = &[Capability::ArticleText];

    pub fn new(_: ExtractHtmlOptions, _: &model::BuildContext) -> Result<Self, StageError> {
        Ok(ExtractHtml)
    }
}

impl DocumentStage for ExtractHtml {
    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        if doc.format != Format::Html {
            return Ok(());
        }
        let article = extract(doc.text());
        let text = article.text();
        apply_meta(doc, article.meta);
        doc.replace_source(text);
        if doc.text().trim().is_empty() {
            return Err(StageError::new("no article text found in the page"));
        }
        Ok(())
    }
}

/// The page's metadata over what ingest knew; ingest's values (a WARC record's URL and
/// fetch date) stay where the page says nothing.
fn apply_meta(doc: &mut Document, page: PageMeta) {
    let m = &mut doc.meta;
    m.title = page.title.or(m.title.take());
    if !page.authors.is_empty() {
        m.authors = page.authors;
    }
    m.published = page.published.or(m.published);
    m.modified = page.modified.or(m.modified);
    m.url = page.url.or(m.url.take());
    m.outlet = page
        .outlet
        .or(m.outlet.take())
        .or_else(|| m.url.as_deref().and_then(host_of));
    m.language = page.language.or(m.language.take());
    m.section = page.section.or(m.section.take());
    if !page.image_credits.is_empty() {
        m.image_credits = page.image_credits;
    }
}
