//! The clean stage's options, as read from `[stages.clean]` in pipeline.toml.

use serde::{Deserialize, Serialize};

/// Month/day order of all-numeric dates whose parts could be either (`08-07-2025`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// `08-21-2025` is August 21 (US style).
    #[default]
    Mdy,
    /// `21-08-2025` is August 21 (most of the world).
    Dmy,
}

/// A rule family's switch and the user's own patterns for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Family {
    pub enabled: bool,
    /// Extra regexes (Rust `regex` syntax) matched against each trimmed, normalized line; a
    /// match removes the line for this family anywhere in the document. Named groups `date`,
    /// `author`, `credit`, `volume`, `issue` feed the metadata. For `dateline` the patterns
    /// are matched at the start of the first paragraph (kept), groups `place` and `agency`.
    pub extra_patterns: Vec<String>,
}

impl Default for Family {
    fn default() -> Self {
        Family {
            enabled: true,
            extra_patterns: Vec::new(),
        }
    }
}

/// Bylines: `By Jane Doe`, `Jane Doe | Reuters`, a name alone at the top or the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BylineOptions {
    pub enabled: bool,
    pub extra_patterns: Vec<String>,
    /// Also take a line that is only a person's name (after the headline, or at the very end).
    pub lone_name: bool,
    /// Longest name, in words, a byline may give.
    pub max_name_words: usize,
}

impl Default for BylineOptions {
    fn default() -> Self {
        BylineOptions {
            enabled: true,
            extra_patterns: Vec::new(),
            lone_name: true,
            max_name_words: 4,
        }
    }
}

/// Breadcrumbs: `- Category` lists and `Home > World > Europe` trails around the story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BreadcrumbOptions {
    pub enabled: bool,
    pub extra_patterns: Vec<String>,
    /// Longest list item, in words, that still counts as a breadcrumb.
    pub max_item_words: usize,
}

impl Default for BreadcrumbOptions {
    fn default() -> Self {
        BreadcrumbOptions {
            enabled: true,
            extra_patterns: Vec::new(),
            max_item_words: 4,
        }
    }
}

/// Headline and section-heading recognition (by shape, never by known strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StructureOptions {
    /// Take the first line as the headline when it is shaped like one.
    pub title: bool,
    pub title_max_words: usize,
    /// Take short unpunctuated lines between paragraphs as section headings.
    pub headings: bool,
    pub heading_max_words: usize,
    /// Join a line that stops mid-sentence with the next line when that one starts in lower
    /// case (hard-wrapped newsletters, e-mail).
    pub join_wrapped_lines: bool,
}

impl Default for StructureOptions {
    fn default() -> Self {
        StructureOptions {
            title: true,
            title_max_words: 30,
            headings: true,
            heading_max_words: 14,
            join_wrapped_lines: true,
        }
    }
}

/// Options of the `clean` stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CleanOptions {
    /// How to read all-numeric dates whose first two parts could both be the month.
    pub date_order: DateOrder,
    /// Replace curly quotes and apostrophes with straight ones.
    pub straighten_quotes: bool,
    /// Repair UTF-8 text that was decoded as Windows-1252 (`â€™` → `’`).
    pub repair_mojibake: bool,
    pub structure: StructureOptions,
    pub masthead: Family,
    pub dateline: Family,
    pub image_credit: Family,
    pub byline: BylineOptions,
    pub share: Family,
    pub advertisement: Family,
    pub related: Family,
    pub link: Family,
    pub image: Family,
    pub breadcrumb: BreadcrumbOptions,
    pub copyright: Family,
}

impl Default for CleanOptions {
    fn default() -> Self {
        CleanOptions {
            date_order: DateOrder::Mdy,
            straighten_quotes: false,
            repair_mojibake: true,
            structure: StructureOptions::default(),
            masthead: Family::default(),
            dateline: Family::default(),
            image_credit: Family::default(),
            byline: BylineOptions::default(),
            share: Family::default(),
            advertisement: Family::default(),
            related: Family::default(),
            link: Family::default(),
            image: Family::default(),
            breadcrumb: BreadcrumbOptions::default(),
            copyright: Family::default(),
        }
    }
}

impl model::StageOptions for CleanOptions {
    fn docs() -> &'static [(&'static str, &'static str)] {
        &[
            ("date_order", "\"mdy\" or \"dmy\": how to read 08-07-2025 (dotted dates are always day first)"),
            ("straighten_quotes", "replace curly quotes and apostrophes with straight ones"),
            ("repair_mojibake", "repair UTF-8 read as Windows-1252 (â€™ → ’)"),
            ("structure.title", "take the first line as the headline when it is shaped like one"),
            ("structure.title_max_words", "longest headline, in words"),
            ("structure.headings", "take short unpunctuated lines between paragraphs as section headings"),
            ("structure.heading_max_words", "longest section heading, in words"),
            ("structure.join_wrapped_lines", "join a line that stops mid-sentence with a next line starting in lower case"),
            ("masthead.enabled", "remove weekday lines and date / volume / issue lines around the story; keep the date, volume and issue"),
            ("masthead.extra_patterns", "extra regexes for masthead lines (named groups date, volume, issue are kept)"),
            ("dateline.enabled", "record `WASHINGTON (AP) —` at the start of the story (the text is kept)"),
            ("dateline.extra_patterns", "extra regexes for datelines; group `place` and `agency` are recorded"),
            ("image_credit.enabled", "remove `Photo:` / `Image:` / `image source from:` / `(Getty Images)` lines; keep the credit"),
            ("image_credit.extra_patterns", "extra regexes for image credit lines (named group credit is kept)"),
            ("byline.enabled", "remove `By Jane Doe`, `Jane Doe | Reuters` lines; keep the authors"),
            ("byline.extra_patterns", "extra regexes for byline lines (named group author is kept)"),
            ("byline.lone_name", "also take a line that is only a person's name, after the headline or at the very end"),
            ("byline.max_name_words", "longest author name, in words"),
            ("share.enabled", "remove share / follow / subscribe / sign-up prompts"),
            ("share.extra_patterns", "extra regexes for share lines"),
            ("advertisement.enabled", "remove `Advertisement`, `Sponsored`, `Story continues below` lines"),
            ("advertisement.extra_patterns", "extra regexes for advertisement lines"),
            ("related.enabled", "remove `Read more:`, `Related:`, `See also:` lines"),
            ("related.extra_patterns", "extra regexes for related-content lines"),
            ("link.enabled", "remove lines that are only a link"),
            ("link.extra_patterns", "extra regexes for link lines"),
            ("image.enabled", "remove markdown image remnants and `[Image]` placeholders"),
            ("image.extra_patterns", "extra regexes for image lines"),
            ("breadcrumb.enabled", "remove `- Category` lists and `Home > World` trails around the story"),
            ("breadcrumb.extra_patterns", "extra regexes for breadcrumb lines"),
            ("breadcrumb.max_item_words", "longest breadcrumb item, in words"),
            ("copyright.enabled", "remove `© 2025 …`, `All rights reserved`, `This material may not be published…` lines above or below the story"),
            ("copyright.extra_patterns", "extra regexes for copyright lines"),
        ]
    }
}
