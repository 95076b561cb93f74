//! Web archives (WARC 1.0/1.1, as Common Crawl and CC-NEWS write them): one document per
//! HTML `response` record, read one record at a time so that memory does not grow with the
//! file. A `.warc.gz` is a series of gzip members, one per record: each member is decoded on
//! its own, so a corrupt one fails alone and reading goes on at the next member.

use std::io::{BufRead, BufReader, Read};

use flate2::bufread::GzDecoder;

/// A record's headers (names as written) and its block.
pub struct Record {
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl Record {
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

pub fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// What reading the next record gave.
pub enum Next {
    Record(Record),
    /// A record that could not be read (truncated, corrupt, over the size limit).
    Broken(String),
    End,
}

/// Records of an uncompressed WARC, or of the gzip members of a compressed one.
pub struct Records<R: BufRead> {
    reader: R,
    gzip: bool,
    max_bytes: u64,
    /// The records of the current gzip member not yet returned (nearly always one).
    member: Option<BufReader<std::io::Cursor<Vec<u8>>>>,
    /// After a broken record: skip to the next record start before reading on.
    resync: bool,
}

impl<R: BufRead> Records<R> {
    pub fn new(reader: R, gzip: bool, max_bytes: u64) -> Self {
        Records {
            reader,
            gzip,
            max_bytes,
            member: None,
            resync: false,
        }
    }

    pub fn next_record(&mut self) -> Next {
        if !self.gzip {
            return self.plain_record();
        }
        loop {
            if let Some(member) = &mut self.member {
                match read_record(member, self.max_bytes) {
                    Ok(Some(r)) => return Next::Record(r),
                    Ok(None) => self.member = None,
                    Err(e) => {
                        self.member = None;
                        return Next::Broken(e);
                    }
                }
            }
            match self.next_member() {
                Ok(Some(bytes)) => self.member = Some(BufReader::new(std::io::Cursor::new(bytes))),
                Ok(None) => return Next::End,
                Err(e) => return Next::Broken(e),
            }
        }
    }

    fn plain_record(&mut self) -> Next {
        if self.resync {
            self.resync = false;
            if let Err(e) = skip_to_record_start(&mut self.reader) {
                return Next::Broken(format!("cannot read: {e}"));
            }
        }
        match read_record(&mut self.reader, self.max_bytes) {
            Ok(Some(r)) => Next::Record(r),
            Ok(None) => Next::End,
            Err(e) => {
                self.resync = true;
                Next::Broken(e)
            }
        }
    }

    /// The next gzip member, decompressed; after a corrupt one, reading resumes at the next
    /// gzip header in the file.
    fn next_member(&mut self) -> Result<Option<Vec<u8>>, String> {
        if self.resync {
            self.resync = false;
            skip_to_gzip_header(&mut self.reader).map_err(|e| format!("cannot read: {e}"))?;
        }
        if self
            .reader
            .fill_buf()
            .map_err(|e| format!("cannot read: {e}"))?
            .is_empty()
        {
            return Ok(None);
        }
        let mut out = Vec::new();
        let limit = self.max_bytes + 64 * 1024;
        let read = GzDecoder::new(&mut self.reader)
            .take(limit + 1)
            .read_to_end(&mut out);
        match read {
            Err(e) => {
                self.resync = true;
                Err(format!("corrupt gzip member: {e}"))
            }
            Ok(_) if out.len() as u64 > limit => {
                self.resync = true;
                Err(format!(
                    "record is over the limit of {} bytes (ingest.max_file_bytes)",
                    self.max_bytes
                ))
            }
            Ok(_) => Ok(Some(out)),
        }
    }
}

/// Reads one record: the version line, headers, a blank line, `Content-Length` bytes of
/// block and the two line ends after it. `Ok(None)` at the end of the input.
/// Real records have about a dozen headers.
const MAX_HEADERS: usize = 1000;

fn read_record(r: &mut impl BufRead, max_bytes: u64) -> Result<Option<Record>, String> {
    let mut line = String::new();
    // Blank lines between records are tolerated.
    loop {
        line.clear();
        let n = read_line(r, &mut line)?;
        if n == 0 {
            return Ok(None);
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    if !line.starts_with("WARC/") {
        return Err(format!("not a WARC record: starts with {:?}", clip(&line)));
    }
    let mut headers = Vec::new();
    loop {
        line.clear();
        if read_line(r, &mut line)? == 0 {
            return Err("truncated record: the input ends inside its headers".into());
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
        // Each line is bounded (`read_line`); their number is too, so that a stream of
        // header lines cannot grow memory without end.
        if headers.len() > MAX_HEADERS {
            return Err(format!("record has over {MAX_HEADERS} header lines"));
        }
    }
    let length: u64 = header(&headers, "Content-Length")
        .ok_or("record has no Content-Length")?
        .parse()
        .map_err(|_| "record's Content-Length is not a number".to_string())?;
    if length > max_bytes + 64 * 1024 {
        return Err(format!(
            "record is {length} bytes, over the limit of {max_bytes} (ingest.max_file_bytes)"
        ));
    }
    let mut block = Vec::with_capacity(length as usize);
    r.take(length)
        .read_to_end(&mut block)
        .map_err(|e| format!("cannot read: {e}"))?;
    if (block.len() as u64) < length {
        return Err(format!(
            "truncated record: Content-Length is {length} but only {} bytes follow",
            block.len()
        ));
    }
    Ok(Some(Record { headers, block }))
}

fn read_line(r: &mut impl BufRead, line: &mut String) -> Result<usize, String> {
    let mut bytes = Vec::new();
    let n = r
        .take(64 * 1024)
        .read_until(b'\n', &mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    line.push_str(&String::from_utf8_lossy(&bytes));
    Ok(n)
}

fn clip(s: &str) -> &str {
    let s = s.trim_end();
    match s.char_indices().nth(40) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Skips to the next line that starts a record (`WARC/`), leaving it unread.
fn skip_to_record_start(r: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() || buf.starts_with(b"WARC/") {
            return Ok(());
        }
        let skip = match memchr::memchr(b'\n', buf) {
            Some(i) => i + 1,
            None => buf.len(),
        };
        r.consume(skip);
    }
}

/// Skips to the next gzip member header (`1f 8b 08`), leaving it unread.
fn skip_to_gzip_header(r: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = r.fill_buf()?;
        if buf.len() < 3 {
            let n = buf.len();
            if n == 0 || r.fill_buf()?.len() == n {
                // End of input (or under three bytes left).
                r.consume(n);
                return Ok(());
            }
            continue;
        }
        match memchr::memmem::find(buf, b"\x1f\x8b\x08") {
            Some(0) => return Ok(()),
            Some(i) => r.consume(i),
            None => {
                let n = buf.len() - 2;
                r.consume(n);
            }
        }
    }
}

fn undo_encoding(decoder: impl Read, name: &str, max_bytes: u64) -> Result<Vec<u8>, String> {
    crate::read::read_to_limit(decoder, max_bytes, 0, " (ingest.max_file_bytes)")
        .map_err(|e| format!("cannot undo the response's {name} encoding: {e}"))
}

/// An HTTP response: status, headers and body (chunked transfer and gzip/deflate content
/// encodings undone).
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The body is at most `max_bytes` once its content encoding is undone (a small gzipped body
/// may hold gigabytes).
pub fn parse_http(block: &[u8], max_bytes: u64) -> Result<HttpResponse, String> {
    let (head, body) = match memchr::memmem::find(block, b"\r\n\r\n") {
        Some(i) => (&block[..i], &block[i + 4..]),
        None => match memchr::memmem::find(block, b"\n\n") {
            Some(i) => (&block[..i], &block[i + 2..]),
            None => return Err("HTTP response without the end of its headers".into()),
        },
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("not an HTTP status line: {:?}", clip(status_line)))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = body.to_vec();
    if header(&headers, "Transfer-Encoding").is_some_and(|t| t.contains("chunked")) {
        body = dechunk(&body).unwrap_or(body);
    }
    match header(&headers, "Content-Encoding").map(str::to_ascii_lowercase) {
        Some(e) if e.contains("gzip") => {
            let gzip = flate2::read::MultiGzDecoder::new(&body[..]);
            body = undo_encoding(gzip, "gzip", max_bytes)?;
        }
        Some(e) if e.contains("deflate") => {
            let deflate = flate2::read::ZlibDecoder::new(&body[..]);
            body = undo_encoding(deflate, "deflate", max_bytes)?;
        }
        Some(e) if e.contains("br") || e.contains("zstd") => {
            return Err(format!("response body in an unsupported encoding: {e}"))
        }
        _ => {}
    }
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut at = 0;
    loop {
        let eol = at + memchr::memmem::find(&body[at..], b"\r\n")?;
        let size_text = std::str::from_utf8(&body[at..eol]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        let start = eol + 2;
        out.extend_from_slice(body.get(start..start + size)?);
        at = start + size + 2;
    }
}

/// The `charset` parameter of a `Content-Type` value.
pub fn charset_of(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']))
    })
}
