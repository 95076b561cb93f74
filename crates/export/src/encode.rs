//! Byte-level encoders shared by the CSV and JSON writers.
//!
//! Exporting writes several bytes of output per byte of input, so these run over every cell
//! and string. They append to a `Vec<u8>` (no per-call I/O, no allocation once the buffer has
//! grown) and find the bytes that need quoting or escaping eight at a time: almost every cell
//! and string has none.

/// Where the encoders append: a growing `Vec<u8>`, or a [`Cursor`] over room made ahead.
pub(crate) trait Out {
    fn put(&mut self, bytes: &[u8]);
    fn put_byte(&mut self, byte: u8);
    /// What goes between the quotes of a JSON string that may need escapes.
    fn put_escaped(&mut self, bytes: &[u8]);
}

impl Out for Vec<u8> {
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }

    #[inline(always)]
    fn put_byte(&mut self, byte: u8) {
        self.push(byte);
    }

    #[inline(always)]
    fn put_escaped(&mut self, bytes: &[u8]) {
        push_json_escaped(self, bytes);
    }
}

/// Writes into a buffer of room made ahead and notes when it runs out of room (the caller
/// then makes more and writes again).
///
/// Appending to a `Vec` reloads its length and pointer around every byte written (a `u8`
/// store may alias them), ten instructions for each piece of a record; a cursor that lives in
/// one function keeps its room in registers, and taking a piece off the front of the room
/// needs one comparison. Nothing may take its address: helpers that are not inlined get the
/// room by value (see [`escape_into`]).
pub(crate) struct Cursor<'a> {
    /// The room not yet written.
    pub(crate) rest: &'a mut [u8],
    pub(crate) full: bool,
}

impl Out for Cursor<'_> {
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        if bytes.len() <= self.rest.len() {
            let (room, rest) = std::mem::take(&mut self.rest).split_at_mut(bytes.len());
            copy_small(room, bytes);
            self.rest = rest;
        } else {
            self.full = true;
        }
    }

    #[inline(always)]
    fn put_byte(&mut self, byte: u8) {
        match std::mem::take(&mut self.rest).split_first_mut() {
            Some((room, rest)) => {
                *room = byte;
                self.rest = rest;
            }
            None => self.full = true,
        }
    }

    #[inline(always)]
    fn put_escaped(&mut self, bytes: &[u8]) {
        let rest = std::mem::take(&mut self.rest);
        match escape_into(rest, bytes) {
            Some(used) => self.rest = &mut rest[used..],
            None => self.full = true,
        }
    }
}

/// `dst.copy_from_slice(src)` (same lengths), with the copies of up to sixteen bytes (ids,
/// names, keys: most of a record's strings) done as two overlapping fixed-size moves each:
/// a call to `memcpy` cost more than the bytes, and made the cursor's registers spill.
#[inline(always)]
fn copy_small(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    if n > 16 {
        dst.copy_from_slice(src);
    } else if n >= 8 {
        dst[..8].copy_from_slice(&src[..8]);
        dst[n - 8..].copy_from_slice(&src[n - 8..]);
    } else if n >= 4 {
        dst[..4].copy_from_slice(&src[..4]);
        dst[n - 4..].copy_from_slice(&src[n - 4..]);
    } else if n >= 2 {
        dst[..2].copy_from_slice(&src[..2]);
        dst[n - 2..].copy_from_slice(&src[n - 2..]);
    } else if n == 1 {
        dst[0] = src[0];
    }
}

/// [`Out::put_escaped`] of a cursor whose room is `room`: the bytes it used, or `None` when
/// the room ran out.
#[inline(never)]
fn escape_into(room: &mut [u8], bytes: &[u8]) -> Option<usize> {
    let len = room.len();
    let mut out = Cursor {
        rest: room,
        full: false,
    };
    escape(&mut out, bytes);
    (!out.full).then(|| len - out.rest.len())
}

/// The decimal digits of 0 to 99, two to an entry.
const PAIRS: [[u8; 2]; 100] = {
    let mut pairs = [[0; 2]; 100];
    let mut i = 0;
    while i < 100 {
        pairs[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    pairs
};

/// Appends `n` in decimal (what `n.to_string()` gives, without the allocation).
#[inline(always)]
pub(crate) fn push_usize(out: &mut impl Out, n: usize) {
    // Offsets and counts are nearly all below 100 000. Appending an array of known length
    // compiles to a few stores, where a slice of variable length (itoa's) costs a call to
    // memcpy, which cost more than the digits.
    if n < 10 {
        out.put_byte(b'0' + n as u8);
    } else if n < 100 {
        out.put(&PAIRS[n]);
    } else if n < 1000 {
        let [c, d] = PAIRS[n % 100];
        out.put(&[b'0' + (n / 100) as u8, c, d]);
    } else if n < 10_000 {
        let ([a, b], [c, d]) = (PAIRS[n / 100], PAIRS[n % 100]);
        out.put(&[a, b, c, d]);
    } else if n < 100_000 {
        let ([a, b], [c, d]) = (PAIRS[n / 100 % 100], PAIRS[n % 100]);
        out.put(&[b'0' + (n / 10_000) as u8, a, b, c, d]);
    } else {
        out.put(itoa::Buffer::new().format(n).as_bytes());
    }
}

/// Appends `separator` and `n` in decimal, as one append for numbers below 100 000 (a CSV
/// cell's comma and its digits).
#[inline(always)]
pub(crate) fn push_separated_usize(out: &mut impl Out, separator: u8, n: usize) {
    if n < 10 {
        out.put(&[separator, b'0' + n as u8]);
    } else if n < 100 {
        let [c, d] = PAIRS[n];
        out.put(&[separator, c, d]);
    } else if n < 1000 {
        let [c, d] = PAIRS[n % 100];
        out.put(&[separator, b'0' + (n / 100) as u8, c, d]);
    } else if n < 10_000 {
        let ([a, b], [c, d]) = (PAIRS[n / 100], PAIRS[n % 100]);
        out.put(&[separator, a, b, c, d]);
    } else {
        out.put_byte(separator);
        push_usize(out, n);
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that equals `byte`. Bits above the first match may be
/// spurious (borrows), so only the lowest set bit (the first match, little-endian) is exact;
/// the result is zero exactly when no byte matches.
#[inline(always)]
fn bytes_equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// Like [`bytes_equal`], for bytes below `limit` (at most 0x80).
#[inline(always)]
fn bytes_below(word: u64, limit: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGHS
}

#[inline(always)]
fn word_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"))
}

/// Whether any byte of `bytes` is one that `flags` (over eight bytes read little-endian)
/// marks, or `special` (the same bytes) for strings shorter than four bytes.
#[inline(always)]
fn any_special(bytes: &[u8], flags: impl Fn(u64) -> u64, special: &[bool; 256]) -> bool {
    let n = bytes.len();
    if n >= 8 {
        // Whole words, then the last eight bytes (overlapping the last word read): a
        // byte-at-a-time tail cost more than the word.
        let mut at = 0;
        while at + 8 < n {
            if flags(word_at(bytes, at)) != 0 {
                return true;
            }
            at += 8;
        }
        flags(word_at(bytes, n - 8)) != 0
    } else if n >= 4 {
        // First four and last four bytes (overlapping) as one word.
        let head = u32::from_le_bytes(bytes[..4].try_into().expect("four bytes"));
        let tail = u32::from_le_bytes(bytes[n - 4..].try_into().expect("four bytes"));
        flags(u64::from(head) | u64::from(tail) << 32) != 0
    } else {
        bytes.iter().any(|&b| special[usize::from(b)])
    }
}

/// Index of the first byte of `bytes` at or after `from` for which `flags` (over eight bytes
/// read little-endian) has a bit, or which `special` marks (the two must agree);
/// `bytes.len()` if there is none.
#[inline(always)]
fn find_special(
    bytes: &[u8],
    mut from: usize,
    flags: impl Fn(u64) -> u64,
    special: &[bool; 256],
) -> usize {
    let n = bytes.len();
    // Two words a round: long texts (a document's) have runs of hundreds of bytes between
    // escapes.
    while from + 16 <= n {
        let (low, high) = (flags(word_at(bytes, from)), flags(word_at(bytes, from + 8)));
        if low | high != 0 {
            return if low != 0 {
                from + (low.trailing_zeros() / 8) as usize
            } else {
                from + 8 + (high.trailing_zeros() / 8) as usize
            };
        }
        from += 16;
    }
    if from + 8 <= n {
        let found = flags(word_at(bytes, from));
        if found != 0 {
            return from + (found.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    if from >= n {
        return n;
    }
    if n >= 8 {
        // The last eight bytes, without those already scanned: no match among those means no
        // borrow out of them, so the lowest bit left is exact.
        let scanned = 8 - (n - from);
        let found = flags(word_at(bytes, n - 8)) >> (8 * scanned);
        return if found != 0 {
            from + (found.trailing_zeros() / 8) as usize
        } else {
            n
        };
    }
    bytes[from..]
        .iter()
        .position(|&b| special[usize::from(b)])
        .map_or(n, |i| from + i)
}

/// A byte table marking `extra` and, with `controls`, every byte below 0x20.
const fn byte_table(extra: &[u8], controls: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = controls && b < 0x20;
        b += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
}

const JSON_SPECIAL: [bool; 256] = byte_table(b"\"\\", true);
const CSV_SPECIAL: [bool; 256] = byte_table(b",\"\n\r", false);

/// JSON strings escape `"`, `\` and control characters (what serde_json escapes, no more).
#[inline(always)]
fn json_flags(w: u64) -> u64 {
    // Flipping bit 1 of every byte moves `"` (0x22) to 0x20 and keeps the control bytes
    // below it (and every other byte at 0x21 or above): one comparison finds both.
    bytes_below(w ^ (ONES * 0x02), 0x21) | bytes_equal(w, b'\\')
}

fn next_json_escape(bytes: &[u8], from: usize) -> usize {
    find_special(bytes, from, json_flags, &JSON_SPECIAL)
}

/// Appends `s` as a JSON string, quotes included, byte for byte as serde_json writes it.
#[inline(always)]
pub(crate) fn push_json_str(out: &mut impl Out, s: &str) {
    out.put_byte(b'"');
    push_json_body(out, s);
    out.put_byte(b'"');
}

/// Appends what goes between the quotes of `s` as a JSON string. Records write their
/// quotes as part of the constant text around a value (`","text":"`), one append fewer
/// each side.
#[inline(always)]
pub(crate) fn push_json_body(out: &mut impl Out, s: &str) {
    let bytes = s.as_bytes();
    // Most strings are short (ids, names, keys) and have nothing to escape: one check and
    // one copy.
    if bytes.len() < 16 && !any_special(bytes, json_flags, &JSON_SPECIAL) {
        out.put(bytes);
    } else {
        out.put_escaped(bytes);
    }
}

#[inline(never)]
fn push_json_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() + 1);
    escape(out, bytes);
}

/// `bytes` escaped as in a JSON string, byte for byte as serde_json writes it.
#[inline(always)]
fn escape(out: &mut impl Out, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut start = 0;
    loop {
        let i = next_json_escape(bytes, start);
        out.put(&bytes[start..i]);
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'"' => out.put(b"\\\""),
            b'\\' => out.put(b"\\\\"),
            b'\n' => out.put(b"\\n"),
            b'\r' => out.put(b"\\r"),
            b'\t' => out.put(b"\\t"),
            0x08 => out.put(b"\\b"),
            0x0c => out.put(b"\\f"),
            _ => out.put(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]),
        }
        start = i + 1;
    }
}

/// Whether a CSV field must be quoted: it holds the delimiter, a quote or a line break (the
/// csv crate's rule for its default `QuoteStyle::Necessary`).
#[inline(always)]
pub(crate) fn csv_needs_quotes(bytes: &[u8]) -> bool {
    any_special(
        bytes,
        |w| {
            bytes_equal(w, b',')
                | bytes_equal(w, b'"')
                | bytes_equal(w, b'\n')
                | bytes_equal(w, b'\r')
        },
        &CSV_SPECIAL,
    )
}

/// Hands a field's encoding to `put` piece by piece: the formula guard (`'`) when `guarded`
/// (inside the quotes when the field needs them: it is part of the value), and inner quotes
/// doubled. Pieces rather than a buffer, so that a field of tens of megabytes can go
/// straight to a file.
#[inline(always)]
pub(crate) fn csv_field(s: &str, guarded: bool, mut put: impl FnMut(&[u8])) {
    let guard: &[u8] = if guarded { b"'" } else { b"" };
    if !csv_needs_quotes(s.as_bytes()) {
        put(guard);
        put(s.as_bytes());
        return;
    }
    csv_quoted(s, guard, put);
}

/// The quoted form of a field that needs quotes.
pub(crate) fn csv_quoted(s: &str, guard: &[u8], mut put: impl FnMut(&[u8])) {
    put(b"\"");
    put(guard);
    let mut parts = s.split('"');
    if let Some(first) = parts.next() {
        put(first.as_bytes());
    }
    for part in parts {
        put(b"\"\"");
        put(part.as_bytes());
    }
    put(b"\"");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings that put every special byte at every position of an eight-byte word, next to
    /// multi-byte characters and the bytes just around the special ones.
    fn samples() -> Vec<String> {
        let mut out = vec![String::new(), "plain".to_string(), "é“x”€".repeat(5)];
        let specials = [
            '"', '\\', '\n', '\r', '\t', '\u{8}', '\u{c}', '\0', '\u{1f}', '\u{7f}', ',', '!', '#',
            '[', ']', '+', '-', ' ', '\u{a0}', '“',
        ];
        for c in specials {
            for pad in 0..18 {
                out.push(format!("{}{c}{}", "a".repeat(pad), "b".repeat(pad % 7)));
                out.push(format!("{c}{}{c}{c}", "é".repeat(pad)));
            }
        }
        out
    }

    #[test]
    fn json_strings_match_serde_json() {
        for s in samples() {
            let mut out = Vec::new();
            push_json_str(&mut out, &s);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&s).unwrap(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn csv_fields_match_the_csv_crate() {
        for s in samples() {
            let mut out = Vec::new();
            csv_field(&s, false, |piece| out.extend_from_slice(piece));
            out.extend_from_slice(b",x\r\n");
            let mut reference = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new());
            reference.write_record([s.as_str(), "x"]).unwrap();
            assert_eq!(out, reference.into_inner().unwrap(), "{s:?}");
        }
    }

    #[test]
    fn small_copies_copy_every_byte() {
        for n in 0..40 {
            let src: Vec<u8> = (1..=n as u8).collect();
            let mut dst = vec![0u8; n];
            copy_small(&mut dst, &src);
            assert_eq!(dst, src);
        }
    }

    #[test]
    fn separated_numbers_are_the_separator_and_the_number() {
        for n in [
            0,
            9,
            10,
            99,
            100,
            999,
            1000,
            9999,
            10_000,
            123_456,
            usize::MAX,
        ] {
            let mut out = b"x".to_vec();
            push_separated_usize(&mut out, b',', n);
            assert_eq!(out, format!("x,{n}").as_bytes());
        }
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [
            0,
            7,
            9,
            10,
            42,
            99,
            100,
            507,
            999,
            1000,
            4096,
            9999,
            10_000,
            12345,
            99_999,
            100_000,
            123_456_789,
            usize::MAX,
        ] {
            let mut out = Vec::new();
            push_usize(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }
}
