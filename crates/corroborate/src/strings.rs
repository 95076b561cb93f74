//! Repeated strings (names, aliases, units, subjects, outlets, quote words) stored once;
//! records hold their `u32` ids, numbered in order of first appearance.

use rustc_hash::FxHashMap;

#[derive(Debug, Default)]
pub struct Interner {
    ids: FxHashMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn get(&self, id: u32) -> &str {
        &self.strings[id as usize]
    }
}
