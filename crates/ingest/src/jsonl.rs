//! JSONL articles: `{"id": …, "text": …}` plus optional `title`, `url`, `published`,
//! `author` and `source`, one per line.

use std::io::BufRead;

use chrono::NaiveDate;
use model::Document;
use serde::Deserialize;

use crate::{decode, IngestOptions, STAGE};

/// One physical line of a JSONL input, numbered from 1.
pub struct Line {
    pub number: usize,
    pub bytes: Result<Vec<u8>, String>,
}

/// Lines of a JSONL input, blank ones skipped, each bounded in size.
pub struct Lines<R> {
    reader: R,
    number: usize,
    max_bytes: u64,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R, max_bytes: u64) -> Self {
        Lines {
            reader,
            number: 0,
            max_bytes,
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        loop {
            let mut buf = Vec::new();
            self.number += 1;
            match self.reader.read_until(b'\n', &mut buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    return Some(Line {
                        number: self.number,
                        bytes: Err(format!("cannot read: {e}")),
                    })
                }
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let bytes = if buf.len() as u64 > self.max_bytes {
                Err(format!(
                    "line is {} bytes, over the limit of {} (ingest.max_file_bytes)",
                    buf.len(),
                    self.max_bytes
                ))
            } else {
                Ok(buf)
            };
            return Some(Line {
                number: self.number,
                bytes,
            });
        }
    }
}

#[derive(Deserialize)]
struct Article {
    id: Option<serde_json::Value>,
    text: Option<String>,
    title: Option<String>,
    url: Option<String>,
    published: Option<String>,
    author: Option<Authors>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Authors {
    One(String),
    Many(Vec<String>),
}

/// A document from one JSONL line. Problems become a failed document that names the line.
pub fn parse_line(line: Line, label: &str, _options: &IngestOptions) -> Document {
    let source = format!("{label}:{}", line.number);
    let fallback_id = format!("line-{}", line.number);
    let bytes = match line.bytes {
        Ok(b) => b,
        Err(message) => return Document::failed(fallback_id, source, STAGE, message),
    };
    let decoded = decode(&bytes);
    let article: Article = match serde_json::from_str(decoded.text.trim_end()) {
        Ok(a) => a,
        Err(e) => {
            return Document::failed(fallback_id, source, STAGE, format!("invalid JSON: {e}"))
        }
    };
    let id = match article.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => fallback_id,
    };
    let Some(text) = article.text else {
        return Document::failed(id, source, STAGE, "no \"text\" field");
    };
    let text = crate::decode(text.as_bytes()).text; // line endings inside the JSON string
    if text.trim().is_empty() {
        return Document::failed(id, source, STAGE, "empty \"text\"");
    }
    let mut doc = Document::new(id, source, text);
    if let Some(w) = decoded.warning {
        doc.warn(STAGE, w);
    }
    doc.meta.title = article.title.filter(|t| !t.trim().is_empty());
    doc.meta.url = article.url;
    doc.meta.outlet = article.source;
    doc.meta.authors = match article.author {
        Some(Authors::One(a)) if !a.trim().is_empty() => vec![a],
        Some(Authors::Many(v)) => v,
        _ => Vec::new(),
    };
    if let Some(p) = article.published {
        match parse_published(&p) {
            Some(date) => doc.meta.published = Some(date),
            None => doc.warn(
                STAGE,
                format!("\"published\" is not a date (YYYY-MM-DD or RFC 3339): {p:?}"),
            ),
        }
    }
    doc
}

fn parse_published(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Document {
        let line = Line {
            number: 3,
            bytes: Ok(s.as_bytes().to_vec()),
        };
        parse_line(line, "in.jsonl", &IngestOptions::default())
    }

    #[test]
    fn fields_are_read() {
        let d = parse(
            r#"{"id":7,"text":"Hi.\r\nThere.","author":["A","B"],"published":"2025-08-21T10:00:00Z","source":"AP"}"#,
        );
        assert!(d.is_ok());
        assert_eq!(d.id, "7");
        assert_eq!(d.text, "Hi.\nThere.");
        assert_eq!(d.meta.authors, vec!["A", "B"]);
        assert_eq!(d.meta.published.unwrap().to_string(), "2025-08-21");
        assert_eq!(d.meta.outlet.as_deref(), Some("AP"));
    }

    #[test]
    fn bad_lines_fail_with_their_line_number() {
        let d = parse("{not json");
        assert!(!d.is_ok());
        assert_eq!(d.source, "in.jsonl:3");
        assert!(d.failure.unwrap().message.starts_with("invalid JSON"));
        let d = parse(r#"{"id":"x"}"#);
        assert_eq!(d.failure.unwrap().message, "no \"text\" field");
    }
}
