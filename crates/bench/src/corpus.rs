//! A corpus of any size made from the seed articles, varied so that repetition flatters
//! nothing: paragraphs shuffled across articles, people and places swapped for others from the
//! reference lists, and some articles given the boilerplate of e-paper editions.

use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};

/// One kind of name and the names of that kind the lists hold.
struct NameClass {
    names: Vec<String>,
}

pub struct Generator {
    paragraphs: Vec<String>,
    matcher: AhoCorasick,
    /// For each pattern of `matcher`: (class, index in the class).
    patterns: Vec<(usize, usize)>,
    classes: Vec<NameClass>,
    /// Seeded: the same seed gives the same corpus on every machine.
    rng: fastrand::Rng,
    produced: usize,
}

impl Generator {
    pub fn new(root: &Path, seed: u64) -> std::io::Result<Self> {
        let mut paragraphs = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(root.join("data/articles"))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file)?;
            paragraphs.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| l.split_whitespace().count() >= 12)
                    .map(str::to_string),
            );
        }
        let gazetteer = root.join("data/gazetteer");
        let mut classes = Vec::new();
        for list in ["people.txt", "cities.txt", "regions.txt", "countries.txt"] {
            let text = std::fs::read_to_string(gazetteer.join(list)).unwrap_or_default();
            let names: Vec<String> = text
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .filter_map(|l| l.split('|').next())
                .map(|n| n.trim().to_string())
                .filter(|n| n.len() > 3)
                .collect();
            classes.push(NameClass { names });
        }
        // People are also mentioned by surname alone: swap those as a class of their own,
        // index-aligned with the full names.
        let surnames: Vec<String> = classes[0]
            .names
            .iter()
            .map(|n| n.rsplit(' ').next().unwrap_or(n).to_string())
            .collect();
        classes.push(NameClass { names: surnames });
        let mut patterns = Vec::new();
        let mut words = Vec::new();
        let seed_text = paragraphs.join("\n");
        for (c, class) in classes.iter().enumerate() {
            for (i, name) in class.names.iter().enumerate() {
                if seed_text.contains(name.as_str()) {
                    patterns.push((c, i));
                    words.push(name.clone());
                }
            }
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&words)
            .expect("names build an automaton");
        Ok(Generator {
            paragraphs,
            matcher,
            patterns,
            classes,
            rng: fastrand::Rng::with_seed(seed),
            produced: 0,
        })
    }

    /// The next article: 4 to 20 paragraphs, names swapped consistently within the article.
    pub fn article(&mut self) -> (String, String) {
        self.produced += 1;
        let id = format!("gen-{:07}", self.produced);
        let count = 4 + self.rng.usize(..17);
        // One replacement per class and source name, so that an article stays coherent.
        let swaps: Vec<Vec<usize>> = self
            .classes
            .iter()
            .map(|c| {
                (0..c.names.len())
                    .map(|_| self.rng.usize(..c.names.len()))
                    .collect()
            })
            .collect();
        let mut text = String::new();
        if self.rng.usize(..4) == 0 {
            let day = 1 + self.rng.usize(..28);
            let month = 1 + self.rng.usize(..12);
            text.push_str(&format!(
                "Monday\n\n{month:02}-{day:02}-2025 Vol {}\n\n",
                1000 + self.rng.usize(..9000)
            ));
        }
        for _ in 0..count {
            let p = &self.paragraphs[self.rng.usize(..self.paragraphs.len())];
            let mut last = 0;
            for m in self.matcher.find_iter(p.as_str()) {
                let bounded = !p[..m.start()].ends_with(char::is_alphanumeric)
                    && !p[m.end()..].starts_with(char::is_alphanumeric);
                if !bounded {
                    continue;
                }
                let (class, index) = self.patterns[m.pattern().as_usize()];
                // Surnames follow the swap of their full name, so "Putin" stays with "Vladimir Putin".
                let swap_class = if class == 4 { 0 } else { class };
                let replacement_index = swaps[swap_class][index];
                text.push_str(&p[last..m.start()]);
                text.push_str(&self.classes[class].names[replacement_index]);
                last = m.end();
            }
            text.push_str(&p[last..]);
            text.push_str("\n\n");
        }
        if self.rng.usize(..3) == 0 {
            text.push_str("image source from:wire\n\n");
        }
        (id, text)
    }
}
