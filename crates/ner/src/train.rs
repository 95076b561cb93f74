//! Fitting a model: the averaged perceptron, in a fixed order with a fixed seed.

use crate::features::{features, prepare, Info, Token, MAX_FEATURES};
use crate::model::{best, Model};
use crate::{ROW, TAGS};

/// One training sentence: its tokens and their gold tags (see [`crate::tags_of`]).
#[derive(Debug, Clone)]
pub struct Example<'a> {
    pub tokens: Vec<Token<'a>>,
    pub tags: Vec<u8>,
}

/// An averaged perceptron over a hashed table of `2^bits` rows.
pub struct Trainer {
    bits: u32,
    weights: Vec<f32>,
    /// Sum over updates of each weight times how long it held (for the average).
    totals: Vec<f64>,
    stamps: Vec<u32>,
    now: u32,
}

impl Trainer {
    pub fn new(bits: u32) -> Trainer {
        let size = ROW << bits;
        Trainer {
            bits,
            weights: vec![0.0; size],
            totals: vec![0.0; size],
            stamps: vec![0; size],
            now: 0,
        }
    }

    fn index(&self, feature: u64, tag: u8) -> usize {
        (feature >> (64 - self.bits)) as usize * ROW + tag as usize
    }

    fn update(&mut self, at: usize, delta: f32) {
        let held = f64::from(self.now - self.stamps[at]);
        self.totals[at] += held * f64::from(self.weights[at]);
        self.stamps[at] = self.now;
        self.weights[at] += delta;
    }

    /// Runs `epochs` passes over `examples`, each in an order shuffled from `seed`.
    pub fn train(&mut self, examples: &[Example], epochs: usize, seed: u64) {
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut rng = seed | 1;
        let mut infos = Vec::new();
        for _ in 0..epochs {
            for k in (1..order.len()).rev() {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                order.swap(k, (rng % (k as u64 + 1)) as usize);
            }
            for &e in &order {
                prepare(&examples[e].tokens, &mut infos);
                self.sentence(&examples[e].tokens, &infos, &examples[e].tags);
            }
        }
    }

    /// One sentence, greedy with the current weights; wrong tags update their features.
    fn sentence(&mut self, tokens: &[Token], infos: &[Info], gold: &[u8]) {
        let mut feats = [0u64; MAX_FEATURES];
        let (mut prev1, mut prev2) = (0u8, 0u8);
        for i in 0..infos.len() {
            if !infos[i].scored {
                (prev2, prev1) = (prev1, 0);
                continue;
            }
            self.now += 1;
            let n = features(tokens, infos, i, prev1, prev2, &mut feats);
            let mut scores = [0f32; TAGS];
            for &f in &feats[..n] {
                let at = self.index(f, 0);
                for (s, w) in scores.iter_mut().zip(&self.weights[at..at + TAGS]) {
                    *s += w;
                }
            }
            let guess = best(&scores, prev1);
            if guess != gold[i] {
                for &f in &feats[..n] {
                    self.update(self.index(f, gold[i]), 1.0);
                    self.update(self.index(f, guess), -1.0);
                }
            }
            (prev2, prev1) = (prev1, guess);
        }
    }

    /// The averaged weights, scaled into `i16`.
    pub fn finish(&self) -> Model {
        let now = f64::from(self.now.max(1));
        let averaged: Vec<f64> = (0..self.weights.len())
            .map(|k| {
                let held = f64::from(self.now - self.stamps[k]);
                (self.totals[k] + held * f64::from(self.weights[k])) / now
            })
            .collect();
        let top = averaged.iter().fold(0f64, |m, w| m.max(w.abs()));
        let scale = if top > 0.0 { 32767.0 / top } else { 1.0 };
        let weights = averaged
            .iter()
            .map(|w| (w * scale).round() as i16)
            .collect();
        Model::from_weights(self.bits, weights)
    }
}
