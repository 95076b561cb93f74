//! The shipped form of a model: a table of `i16` weights, and greedy decoding with it.

use std::borrow::Cow;

use crate::features::{features, prepare, Info, Token, MAX_FEATURES};
use crate::{kind_of, spans_of, NerError, Span, ROW, TAGS};

const MAGIC: &[u8; 8] = b"NMNER01\0";

/// A trained tagger: `2^bits` rows of [`ROW`] weights, kept as the file's little-endian bytes
/// (an embedded model is read in place, not copied).
#[derive(Debug, Clone)]
pub struct Model {
    bits: u32,
    table: Cow<'static, [u8]>,
}

/// Buffers one thread reuses from sentence to sentence.
#[derive(Debug, Default)]
pub struct Scratch {
    infos: Vec<Info>,
    tags: Vec<u8>,
    /// The scores of each scored token, in order.
    scores: Vec<[i32; TAGS]>,
}

/// Whether tag `tag` may follow `prev`: an inside tag only continues its own kind.
pub(crate) fn allowed(prev: u8, tag: u8) -> bool {
    tag == 0 || tag % 2 == 1 || prev == tag || prev + 1 == tag
}

/// The best allowed tag for `scores` after `prev` (the lowest on a tie).
pub(crate) fn best<T: PartialOrd + Copy>(scores: &[T], prev: u8) -> u8 {
    let mut top = 0u8;
    for t in 1..TAGS as u8 {
        if allowed(prev, t) && scores[t as usize] > scores[top as usize] {
            top = t;
        }
    }
    top
}

/// Greedy decoding shared by the shipped model and training: `score` sums the rows of the
/// features it is given into per-tag scores.
pub(crate) fn decode<T: PartialOrd + Copy>(
    tokens: &[Token],
    infos: &[Info],
    tags: &mut Vec<u8>,
    mut score: impl FnMut(&[u64]) -> [T; TAGS],
) {
    tags.clear();
    let mut feats = [0u64; MAX_FEATURES];
    let (mut prev1, mut prev2) = (0u8, 0u8);
    for i in 0..infos.len() {
        let tag = if infos[i].scored {
            let n = features(tokens, infos, i, prev1, prev2, &mut feats);
            best(&score(&feats[..n]), prev1)
        } else {
            0
        };
        tags.push(tag);
        (prev2, prev1) = (prev1, tag);
    }
}

impl Model {
    /// A model that tags nothing (every weight zero).
    pub fn empty(bits: u32) -> Model {
        Model {
            bits,
            table: Cow::Owned(vec![0; 2 * (ROW << bits)]),
        }
    }

    pub(crate) fn from_weights(bits: u32, weights: Vec<i16>) -> Model {
        assert_eq!(weights.len(), ROW << bits);
        let table = weights.iter().flat_map(|w| w.to_le_bytes()).collect();
        Model {
            bits,
            table: Cow::Owned(table),
        }
    }

    /// Checks the header of a model file; returns `bits`.
    fn header(bytes: &[u8]) -> Result<u32, NerError> {
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(NerError::Magic);
        }
        let bits = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if !(8..=24).contains(&bits) {
            return Err(NerError::Bits(bits));
        }
        let expected = 12 + 2 * (ROW << bits);
        if bytes.len() != expected {
            return Err(NerError::Size(bytes.len(), expected));
        }
        Ok(bits)
    }

    /// Reads a model written by [`Model::to_bytes`] (copied).
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, NerError> {
        let bits = Self::header(bytes)?;
        Ok(Model {
            bits,
            table: Cow::Owned(bytes[12..].to_vec()),
        })
    }

    /// Reads a model embedded in the binary, in place.
    pub fn from_static(bytes: &'static [u8]) -> Result<Model, NerError> {
        let bits = Self::header(bytes)?;
        Ok(Model {
            bits,
            table: Cow::Borrowed(&bytes[12..]),
        })
    }

    /// The model as bytes: magic, `bits` (u32), then the table (little-endian `i16`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(12 + self.table.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&self.table);
        out
    }

    /// Size of the weight table in bytes.
    pub fn table_bytes(&self) -> usize {
        self.table.len()
    }

    /// The names in one sentence's tokens, appended to `out` (token indices).
    pub fn tag(&self, tokens: &[Token], scratch: &mut Scratch, out: &mut Vec<Span>) {
        let mut margins = Vec::new();
        self.tag_with_margins(tokens, scratch, out, &mut margins);
    }

    /// As [`Model::tag`], and for each name appended, how far the score of its opening tag
    /// was above the score of no name at its first token (in the table's units, where the
    /// largest weight is 32,767): how sure the tagger was. Appended to `margins`.
    pub fn tag_with_margins(
        &self,
        tokens: &[Token],
        scratch: &mut Scratch,
        out: &mut Vec<Span>,
        margins: &mut Vec<i32>,
    ) {
        prepare(tokens, &mut scratch.infos);
        if !scratch.infos.iter().any(|i| i.scored) {
            return;
        }
        let shift = 64 - self.bits;
        let table: &[u8] = &self.table;
        let scores = &mut scratch.scores;
        scores.clear();
        decode(tokens, &scratch.infos, &mut scratch.tags, |feats| {
            let mut s = [0i32; TAGS];
            for &f in feats {
                let at = (f >> shift) as usize * ROW * 2;
                let row = &table[at..at + ROW * 2];
                for (acc, w) in s.iter_mut().zip(row.chunks_exact(2)) {
                    *acc += i32::from(i16::from_le_bytes([w[0], w[1]]));
                }
            }
            scores.push(s);
            s
        });
        debug_assert!(scratch.tags.iter().all(|&t| t == 0 || kind_of(t).is_some()));
        let first = out.len();
        spans_of(&scratch.tags, out);
        for span in &out[first..] {
            // The span's first token is scored; its scores are the k-th pushed.
            let k = scratch.infos[..span.start]
                .iter()
                .filter(|i| i.scored)
                .count();
            let s = scratch.scores[k];
            let tag = scratch.tags[span.start] as usize;
            margins.push(s[tag] - s[0]);
        }
    }
}
