//! JSONL articles: `{"id": …, "text": …}` plus optional `title`, `url`, `published`,
//! `author` and `source`, one per line.

use std::io::BufRead;

use chrono::NaiveDate;
use model::{Document, Format};
use serde::Deserialize;

use crate::decode::{decode_owned, decode_string};
use crate::{IngestOptions, STAGE};

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
    /// The last line's length: lines of a file are alike, so a new line's buffer starts
    /// at about that size (up to 1 MiB) rather than growing and being copied several times.
    last_len: usize,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R, max_bytes: u64) -> Self {
        Lines {
            reader,
            number: 0,
            max_bytes,
            last_len: 0,
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        loop {
            let guess = (self.last_len + self.last_len / 8).min(1 << 20);
            let mut buf = Vec::with_capacity(guess);
            self.number += 1;
            match read_line(&mut self.reader, &mut buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    return Some(Line {
                        number: self.number,
                        bytes: Err(format!("cannot read: {e}")),
                    })
                }
            }
            self.last_len = buf.len();
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

/// `BufRead::read_until(b'\n', buf)`, finding the newline with the `memchr` crate (the
/// standard library's byte search is several times slower on long lines).
fn read_line(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut read = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let (done, used) = match memchr::memchr(b'\n', available) {
            Some(i) => {
                buf.extend_from_slice(&available[..=i]);
                (true, i + 1)
            }
            None => {
                buf.extend_from_slice(available);
                (available.is_empty(), available.len())
            }
        };
        reader.consume(used);
        read += used;
        if done {
            return Ok(read);
        }
    }
}

#[derive(Deserialize, Default)]
struct Article {
    id: Option<serde_json::Value>,
    text: Option<String>,
    /// A web page instead of a text: the `extract_html` stage finds its article.
    html: Option<String>,
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
    let source = numbered(label, ':', line.number);
    // Only failures and articles without an id need it.
    let number = line.number;
    let fallback_id = || numbered("line", '-', number);
    let bytes = match line.bytes {
        Ok(b) => b,
        Err(message) => return Document::failed(fallback_id(), source, STAGE, message),
    };
    let decoded = decode_owned(bytes);
    let json = decoded.text.trim_end();
    let parsed = match fast::article(json) {
        Some(a) => Ok(a),
        None => serde_json::from_str::<Article>(json),
    };
    let article = match parsed {
        Ok(a) => a,
        Err(e) => {
            return Document::failed(fallback_id(), source, STAGE, format!("invalid JSON: {e}"))
        }
    };
    let id = match article.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => fallback_id(),
    };
    let (text, format, field) = match (article.text, article.html) {
        (Some(text), _) => (text, Format::Text, "text"),
        (None, Some(html)) => (html, Format::Html, "html"),
        (None, None) => return Document::failed(id, source, STAGE, "no \"text\" field"),
    };
    let text = decode_string(text); // a BOM or line endings inside the JSON string
    if text.trim().is_empty() {
        return Document::failed(id, source, STAGE, format!("empty \"{field}\""));
    }
    let mut doc = Document::new(id, source, text);
    doc.format = format;
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

/// The common shape of an article line, read without serde: an object of the known keys,
/// each once, with string (or null) values, `author` also an array of strings, and string
/// ids. serde's field-by-field reading cost more than the rest of reading a line; this
/// reads a text once, copying the runs between escapes whole.
///
/// Anything else (unknown keys, numbers, duplicates, odd escapes, control characters, any
/// syntax error) gets `None`, and serde reads the line as before: the fast path only ever
/// returns what serde would, and serde keeps the say on every error message.
mod fast {
    use super::{Article, Authors};

    pub(super) fn article(json: &str) -> Option<Article> {
        let bytes = json.as_bytes();
        // JSON strings cannot hold control characters, and whitespace between tokens
        // other than spaces is rare: a line with any byte below 0x20 is left to serde.
        if has_control(bytes) {
            return None;
        }
        let mut p = Parser { json, at: 0 };
        p.space();
        p.eat(b'{')?;
        let mut article = Article::default();
        let mut seen = 0u8;
        p.space();
        if p.peek() == Some(b'}') {
            p.at += 1;
        } else {
            loop {
                p.space();
                let key = p.plain_key()?;
                p.space();
                p.eat(b':')?;
                p.space();
                let bit = match key {
                    "id" => 1,
                    "text" => 2,
                    "title" => 4,
                    "url" => 8,
                    "published" => 16,
                    "author" => 32,
                    "source" => 64,
                    "html" => 128,
                    _ => return None,
                };
                if seen & bit != 0 {
                    return None;
                }
                seen |= bit;
                match key {
                    "id" => article.id = p.opt_string()?.map(serde_json::Value::String),
                    "text" => article.text = p.opt_string()?,
                    "title" => article.title = p.opt_string()?,
                    "url" => article.url = p.opt_string()?,
                    "published" => article.published = p.opt_string()?,
                    "source" => article.source = p.opt_string()?,
                    "html" => article.html = p.opt_string()?,
                    _ => article.author = p.authors()?,
                }
                p.space();
                match p.next()? {
                    b',' => {}
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        p.space();
        (p.at == bytes.len()).then_some(article)
    }

    /// Whether any byte is below 0x20, eight bytes at a time.
    pub(super) fn has_control(bytes: &[u8]) -> bool {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        let mut words = bytes.chunks_exact(8);
        let mut found = 0;
        for w in &mut words {
            let w = u64::from_le_bytes(w.try_into().expect("eight bytes"));
            // With every high bit set first no byte borrows from the next; a byte keeps
            // its high bit when its low seven bits reach 0x20, and bytes from 0x80 up are
            // masked out by `w` itself.
            found |= !((w | HIGHS).wrapping_sub(ONES * 0x20) | w) & HIGHS;
        }
        found != 0 || words.remainder().iter().any(|&b| b < 0x20)
    }

    struct Parser<'a> {
        json: &'a str,
        at: usize,
    }

    impl<'a> Parser<'a> {
        fn peek(&self) -> Option<u8> {
            self.json.as_bytes().get(self.at).copied()
        }

        fn next(&mut self) -> Option<u8> {
            let b = self.peek()?;
            self.at += 1;
            Some(b)
        }

        fn eat(&mut self, want: u8) -> Option<()> {
            (self.next()? == want).then_some(())
        }

        /// JSON whitespace; the line has no tabs or line breaks (see `has_control`).
        fn space(&mut self) {
            while self.peek() == Some(b' ') {
                self.at += 1;
            }
        }

        /// A key without escapes.
        fn plain_key(&mut self) -> Option<&'a str> {
            self.eat(b'"')?;
            let rest = &self.json.as_bytes()[self.at..];
            let end = memchr::memchr2(b'"', b'\\', rest)?;
            if rest[end] != b'"' {
                return None;
            }
            let key = &self.json[self.at..self.at + end];
            self.at += end + 1;
            Some(key)
        }

        fn opt_string(&mut self) -> Option<Option<String>> {
            match self.peek()? {
                b'"' => self.string().map(Some),
                b'n' => {
                    let null = self.json.as_bytes().get(self.at..self.at + 4)? == b"null";
                    self.at += 4;
                    null.then_some(None)
                }
                _ => None,
            }
        }

        fn authors(&mut self) -> Option<Option<Authors>> {
            if self.peek()? != b'[' {
                return Some(self.opt_string()?.map(Authors::One));
            }
            self.at += 1;
            let mut all = Vec::new();
            self.space();
            if self.peek()? == b']' {
                self.at += 1;
                return Some(Some(Authors::Many(all)));
            }
            loop {
                self.space();
                if self.peek()? != b'"' {
                    return None;
                }
                all.push(self.string()?);
                self.space();
                match self.next()? {
                    b',' => {}
                    b']' => return Some(Some(Authors::Many(all))),
                    _ => return None,
                }
            }
        }

        /// A string value (at its opening quote), unescaped.
        fn string(&mut self) -> Option<String> {
            let bytes = self.json.as_bytes();
            self.at += 1;
            let mut out = String::new();
            loop {
                // Escapes come in runs (`\n\n` between paragraphs): the next one is looked
                // for only when it does not follow at once.
                let end = if bytes.get(self.at) == Some(&b'\\') {
                    self.at
                } else {
                    self.at + memchr::memchr2(b'"', b'\\', &bytes[self.at..])?
                };
                if out.capacity() == 0 {
                    // Room for the rest of the line (mostly this string) at the first escape
                    // or the end, so that a long text is not copied again as it grows.
                    out.reserve(if bytes[end] == b'"' {
                        end - self.at
                    } else {
                        bytes.len() - self.at
                    });
                }
                out.push_str(&self.json[self.at..end]);
                self.at = end + 1;
                if bytes[end] == b'"' {
                    return Some(out);
                }
                let c = match self.next()? {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    b'u' => {
                        let high = self.hex4()?;
                        if (0xD800..0xDC00).contains(&high) {
                            // A surrogate pair; anything else about surrogates is serde's.
                            if self.next()? != b'\\' || self.next()? != b'u' {
                                return None;
                            }
                            let low = self.hex4()?;
                            if !(0xDC00..0xE000).contains(&low) {
                                return None;
                            }
                            char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?
                        } else {
                            char::from_u32(high)?
                        }
                    }
                    _ => return None,
                };
                out.push(c);
            }
        }

        fn hex4(&mut self) -> Option<u32> {
            let digits = self.json.get(self.at..self.at + 4)?;
            if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            self.at += 4;
            u32::from_str_radix(digits, 16).ok()
        }
    }
}

/// `{prefix}{sep}{n}`, written without the formatting machinery, which costs several times
/// more for every line read.
fn numbered(prefix: &str, sep: char, n: usize) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut out = String::with_capacity(prefix.len() + 1 + digits.len() - at);
    out.push_str(prefix);
    out.push(sep);
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
    out
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
        assert_eq!(d.text(), "Hi.\nThere.");
        assert_eq!(d.meta.authors, vec!["A", "B"]);
        assert_eq!(d.meta.published.unwrap().to_string(), "2025-08-21");
        assert_eq!(d.meta.outlet.as_deref(), Some("AP"));
    }

    #[test]
    fn lines_read_as_read_until_reads_them() {
        let text = "a\n\n{\"x\": 1}\r\nlast without newline";
        for capacity in [1, 2, 3, 5, 64] {
            let mut ours = std::io::BufReader::with_capacity(capacity, text.as_bytes());
            let mut std_reader = std::io::BufReader::with_capacity(capacity, text.as_bytes());
            loop {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                let n = read_line(&mut ours, &mut a).unwrap();
                assert_eq!(n, std_reader.read_until(b'\n', &mut b).unwrap());
                assert_eq!(a, b);
                if n == 0 {
                    break;
                }
            }
        }
    }

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        for n in [0, 7, 10, 99, 100, 123_456, usize::MAX] {
            assert_eq!(numbered("in.jsonl", ':', n), format!("in.jsonl:{n}"));
            assert_eq!(numbered("line", '-', n), format!("line-{n}"));
        }
    }

    #[test]
    fn the_fast_path_reads_what_serde_reads() {
        let lines = [
            r#"{"id":"a","text":"x\ny \"q\" \\ \/ \b\f\r\t \u00e9\ud83d\ude00 end"}"#,
            r#" { "id" : "b" , "text" : "t" , "title" : null , "author" : [ "A" , "B" ] } "#,
            r#"{"text":"t","author":"Jane","url":"u","published":"2025-01-02","source":"S"}"#,
            r#"{"text":"t","author":[]}"#,
            r#"{}"#,
            r#"{"id":null,"text":"é “x”"}"#,
        ];
        for line in lines {
            let fast = fast::article(line).expect(line);
            let serde: Article = serde_json::from_str(line).unwrap();
            assert_eq!(fast.id, serde.id, "{line}");
            assert_eq!(fast.text, serde.text, "{line}");
            assert_eq!(fast.title, serde.title, "{line}");
            assert_eq!(fast.url, serde.url, "{line}");
            assert_eq!(fast.published, serde.published, "{line}");
            assert_eq!(fast.source, serde.source, "{line}");
            let authors = |a: Option<Authors>| match a {
                None => None,
                Some(Authors::One(a)) => Some(vec![a]),
                Some(Authors::Many(v)) => Some(v),
            };
            assert_eq!(authors(fast.author), authors(serde.author), "{line}");
        }
        // Left to serde, whether it reads them or not.
        for line in [
            r#"{"id":7,"text":"t"}"#,
            r#"{"text":"t","lang":"en"}"#,
            r#"{"text":"t","text":"u"}"#,
            r#"{"t\u0065xt":"t"}"#,
            "{\"text\":\"a\tb\"}",
            "{\"text\":\"t\"}\t",
            r#"{"text":"\ud800"}"#,
            r#"{"text":"\udc00x"}"#,
            r#"{"text":"t",}"#,
            r#"{"text":"t"} x"#,
            r#"{"text":"t""#,
            r#"{"text":nul}"#,
            r#"{"author":["A",null]}"#,
        ] {
            assert!(fast::article(line).is_none(), "{line}");
        }
    }

    #[test]
    fn control_bytes_are_found_anywhere() {
        for b in 0..=255u8 {
            for at in 0..20 {
                let mut line = vec![b'a'; 20];
                line[at] = b;
                assert_eq!(fast::has_control(&line), b < 0x20, "{b:#x} at {at}");
            }
        }
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
