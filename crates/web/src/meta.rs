//! The page's own metadata: `<meta>` tags (Open Graph, `article:*`, `name=author`…),
//! JSON-LD, `<title>`, the canonical link, `<html lang>`, `<time datetime>` and byline markup.
//! What the page states is preferred to anything guessed from the text.

use chrono::NaiveDate;
use serde_json::Value;

use crate::dom::Found;

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PageMeta {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<NaiveDate>,
    pub modified: Option<NaiveDate>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub section: Option<String>,
    pub image_credits: Vec<String>,
}

pub fn read(found: &Found) -> PageMeta {
    let ld = article_object(&found.json_ld);
    let ld_str = |k: &str| ld.as_ref().and_then(|o| o.get(k)).and_then(text_value);
    let meta = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            found
                .meta
                .iter()
                .find(|(name, v)| name.eq_ignore_ascii_case(k) && !v.trim().is_empty())
                .map(|(_, v)| clean(v))
        })
    };
    let outlet = meta(&["og:site_name", "application-name"]).or_else(|| {
        ld.as_ref()
            .and_then(|o| o.get("publisher"))
            .and_then(name_of)
    });
    let title = meta(&["og:title", "twitter:title"])
        .or_else(|| ld_str("headline"))
        .or_else(|| {
            let tag = clean(found.title_tag.as_deref()?);
            Some(strip_site(&tag, outlet.as_deref()))
        });
    let mut authors = ld
        .as_ref()
        .and_then(|o| o.get("author"))
        .map(names_of)
        .unwrap_or_default();
    if authors.is_empty() {
        authors = meta(&[
            "author",
            "article:author",
            "byl",
            "dc.creator",
            "sailthru.author",
        ])
        .filter(|a| !a.starts_with("http"))
        .map(|a| split_names(&a))
        .unwrap_or_default();
    }
    if authors.is_empty() {
        authors = found
            .rel_authors
            .iter()
            .map(|a| clean(a))
            .filter(|a| is_name_like(a))
            .collect();
    }
    if authors.is_empty() {
        authors = found
            .bylines
            .iter()
            .map(|b| clean(b))
            .filter(|b| b.len() < 120)
            .flat_map(|b| split_names(&b))
            .collect();
    }
    authors.dedup();
    let date = |s: Option<String>| s.as_deref().and_then(parse_date);
    let published = date(ld_str("datePublished"))
        .or_else(|| {
            date(meta(&[
                "article:published_time",
                "og:published_time",
                "date",
                "pubdate",
                "dc.date",
                "publish-date",
                "parsely-pub-date",
            ]))
        })
        .or_else(|| date(found.time.clone()));
    let modified = date(ld_str("dateModified"))
        .or_else(|| date(meta(&["article:modified_time", "og:updated_time"])));
    let url = found
        .canonical
        .clone()
        .or_else(|| meta(&["og:url"]))
        .or_else(|| ld_str("url"))
        .filter(|u| u.starts_with("http"));
    let section = meta(&["article:section"]).or_else(|| ld_str("articleSection"));
    let image_credits = ld
        .as_ref()
        .and_then(|o| o.get("image"))
        .map(image_credits)
        .unwrap_or_default();
    PageMeta {
        title: title.filter(|t| !t.is_empty()),
        authors,
        published,
        modified,
        outlet,
        url,
        language: found.lang.as_deref().map(clean).filter(|l| !l.is_empty()),
        section,
        image_credits,
    }
}

/// White space collapsed (the tokenizer has decoded the entities).
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Story headline | The Outlet` → `Story headline`: the longest part between separators,
/// or everything but the part naming the site.
fn strip_site(title: &str, site: Option<&str>) -> String {
    let mut parts: Vec<&str> = vec![title];
    for sep in [" | ", " – ", " — ", " - ", " :: ", " · "] {
        parts = parts.iter().flat_map(|p| p.split(sep)).collect();
    }
    let parts: Vec<&str> = parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return title.to_string();
    }
    if let Some(site) = site {
        let kept: Vec<&str> = parts
            .iter()
            .copied()
            .filter(|p| !p.eq_ignore_ascii_case(site))
            .collect();
        if kept.len() < parts.len() {
            return kept.join(" - ");
        }
    }
    parts
        .iter()
        .max_by_key(|p| p.len())
        .map_or(title, |p| p)
        .to_string()
}

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "ReviewNewsArticle",
    "BackgroundNewsArticle",
    "LiveBlogPosting",
    "TechArticle",
    "ScholarlyArticle",
    "SocialMediaPosting",
    "Report",
    "WebPage",
];

/// The JSON-LD object that describes the article (the first of an article type; a
/// `WebPage` only when nothing better is there), looked for in arrays and `@graph`s.
fn article_object(blobs: &[String]) -> Option<serde_json::Map<String, Value>> {
    let mut objects = Vec::new();
    for blob in blobs {
        if let Ok(v) = serde_json::from_str::<Value>(blob.trim()) {
            collect_objects(v, &mut objects, 0);
        }
    }
    let rank = |o: &serde_json::Map<String, Value>| {
        let types: Vec<&str> = match o.get("@type") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        types
            .iter()
            .filter_map(|t| ARTICLE_TYPES.iter().position(|a| a == t))
            .min()
    };
    objects
        .into_iter()
        .filter_map(|o| rank(&o).map(|r| (r == ARTICLE_TYPES.len() - 1, o)))
        .min_by_key(|(is_page, _)| *is_page)
        .map(|(_, o)| o)
}

fn collect_objects(v: Value, out: &mut Vec<serde_json::Map<String, Value>>, depth: usize) {
    if depth > 3 {
        return;
    }
    match v {
        Value::Array(items) => items
            .into_iter()
            .for_each(|i| collect_objects(i, out, depth + 1)),
        Value::Object(mut o) => {
            if let Some(graph) = o.remove("@graph") {
                collect_objects(graph, out, depth + 1);
            }
            out.push(o);
        }
        _ => {}
    }
}

fn text_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(clean(s)).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(text_value),
        _ => None,
    }
}

fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::Object(o) => o.get("name").and_then(text_value),
        Value::Array(a) => a.iter().find_map(name_of),
        Value::String(s) => Some(clean(s)).filter(|s| !s.is_empty() && !s.starts_with("http")),
        _ => None,
    }
}

fn names_of(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(name_of).collect(),
        other => name_of(other).map(|n| split_names(&n)).unwrap_or_default(),
    }
}

fn image_credits(v: &Value) -> Vec<String> {
    let one = |o: &serde_json::Map<String, Value>| {
        ["creditText", "copyrightHolder", "author"]
            .iter()
            .find_map(|k| o.get(*k).and_then(|c| text_value(c).or_else(|| name_of(c))))
    };
    match v {
        Value::Object(o) => one(o).into_iter().collect(),
        Value::Array(a) => a
            .iter()
            .filter_map(|i| i.as_object().and_then(one))
            .take(1)
            .collect(),
        _ => Vec::new(),
    }
}

/// `By Jane Doe and John Roe` → both names.
fn split_names(s: &str) -> Vec<String> {
    let s = s.trim();
    let s = ["By ", "by ", "BY "]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s);
    s.split([',', '&', ';', '|'])
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|n| is_name_like(n))
        .map(str::to_string)
        .collect()
}

fn is_name_like(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (1..=5).contains(&words) && s.len() < 60 && !s.contains("http") && !s.contains('@')
}

/// The date part of an ISO 8601 / RFC 3339 timestamp, or of `YYYY/MM/DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let head = s.get(..10)?;
    NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(head, "%Y/%m/%d"))
        .ok()
        .or_else(|| {
            chrono::DateTime::parse_from_rfc2822(s)
                .ok()
                .map(|d| d.date_naive())
        })
}

/// The host of a URL without `www.`: the outlet when the page names none.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}
