//! Which blocks are the article: Readability's scoring on the flattened page. Paragraphs
//! give their parent (and, less, further ancestors) points for length and commas; the
//! element with the most points, discounted by its share of link text, is the article's
//! container, widened to the ancestor that holds most of the other strong candidates and to
//! its siblings that score close to it.

use crate::dom::{Block, BlockKind, Flat, TagKind};

/// A block of the article: its text and whether it is a heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub text: String,
    pub heading: bool,
}

use crate::dom::SCORED_CHARS as MIN_SCORED_CHARS;

pub fn select(flat: &mut Flat) -> Vec<Paragraph> {
    score(flat);
    let Some(top) = top_candidate(flat) else {
        return Vec::new();
    };
    let roots = with_siblings(flat, top);
    let in_roots = |b: &Block| roots.iter().any(|&r| contains(flat, r, b.owner));
    let mut chosen: Vec<bool> = flat
        .blocks
        .iter()
        .map(|b| !b.skipped && in_roots(b) && keep_block(b))
        .collect();
    add_adjacent_paragraphs(flat, &mut chosen, in_roots);
    let mut kept: Vec<Paragraph> = flat
        .blocks
        .iter()
        .zip(&chosen)
        .filter(|(_, &chosen)| chosen)
        .map(|(b, _)| Paragraph {
            text: b.text.clone(),
            heading: b.kind == BlockKind::Heading,
        })
        .collect();
    drop_dangling_headings(&mut kept);
    kept
}

/// Words a paragraph outside the chosen container needs to join it from next door.
const ADJACENT_MIN_WORDS: usize = 30;

/// Paragraphs of running text just before or after the chosen container join it: an article
/// whose first or last paragraphs sit in a sibling wrapper of their own (a lead paragraph
/// styled apart, a closing paragraph after an inline box). Walking outwards from the first
/// and last chosen blocks, each long paragraph with (almost) no links joins; the walk stops
/// at the second other block met since the last one that joined.
fn add_adjacent_paragraphs(flat: &Flat, chosen: &mut [bool], in_roots: impl Fn(&Block) -> bool) {
    let (Some(first), Some(last)) = (
        chosen.iter().position(|&c| c),
        chosen.iter().rposition(|&c| c),
    ) else {
        return;
    };
    let joins = |b: &Block| {
        b.kind == BlockKind::Paragraph
            && !b.skipped
            && link_density(b.chars, b.link_chars) <= 0.1
            && b.text.split_whitespace().count() >= ADJACENT_MIN_WORDS
    };
    let forward = (last + 1..flat.blocks.len()).collect::<Vec<_>>();
    let backward = (0..first).rev().collect::<Vec<_>>();
    for walk in [forward, backward] {
        let mut others = 0;
        for i in walk {
            let b = &flat.blocks[i];
            if in_roots(b) {
                continue;
            }
            if joins(b) {
                chosen[i] = true;
                others = 0;
            } else if !b.skipped {
                others += 1;
                if others > 1 {
                    break;
                }
            }
        }
    }
}

/// Words under which a first block that is no sentence is a label (a kicker, a date, a
/// byline, "Updated 3 hours ago"), not the article's opening.
const LEADING_LABEL_WORDS: usize = 15;

/// Drops the labels before the article's first heading or sentence. Run after the headline
/// is gone, so that what it leaves on top is what the page put above the text.
pub fn drop_leading_labels(paragraphs: &mut Vec<Paragraph>) {
    let labels = paragraphs
        .iter()
        .take_while(|p| {
            !p.heading
                && p.text.split_whitespace().count() < LEADING_LABEL_WORDS
                && !ends_sentence(&p.text)
        })
        .count();
    paragraphs.drain(..labels);
}

/// A heading with no text under it (followed by another heading, or last) titled a list of
/// links or a box that was left out: it goes too.
fn drop_dangling_headings(paragraphs: &mut Vec<Paragraph>) {
    let mut keep = vec![true; paragraphs.len()];
    for i in 0..paragraphs.len() {
        let next_is_text = paragraphs.get(i + 1).is_some_and(|p| !p.heading);
        keep[i] = !paragraphs[i].heading || next_is_text;
    }
    let mut flags = keep.into_iter();
    paragraphs.retain(|_| flags.next().unwrap_or(true));
}

fn contains(flat: &Flat, ancestor: u32, elem: u32) -> bool {
    ancestor <= elem && elem <= flat.elems[ancestor as usize].last
}

fn is_paragraph_like(b: &Block) -> bool {
    matches!(
        b.kind,
        BlockKind::Paragraph | BlockKind::Quote | BlockKind::Preformatted | BlockKind::Loose
    )
}

fn score(flat: &mut Flat) {
    let mut initialized = vec![false; flat.elems.len()];
    for b in 0..flat.blocks.len() {
        let block = &flat.blocks[b];
        if block.skipped || !is_paragraph_like(block) || block.chars < MIN_SCORED_CHARS {
            continue;
        }
        let commas = block.text.matches([',', '،', '、', '，']).count() as f32;
        let points = 1.0 + commas + (block.chars as f32 / 100.0).min(3.0);
        let mut elem = flat.elems[block.owner as usize].parent;
        // Text directly in a division counts for the division itself, like a paragraph.
        if !matches!(flat.elems[block.owner as usize].kind, TagKind::Paragraph) {
            elem = block.owner;
        }
        for level in 0..5 {
            if !initialized[elem as usize] {
                initialized[elem as usize] = true;
                let e = &mut flat.elems[elem as usize];
                e.score = tag_weight(e.kind) + e.class_weight;
            }
            let share = match level {
                0 => 1.0,
                1 => 0.5,
                _ => 1.0 / (level as f32 * 3.0),
            };
            flat.elems[elem as usize].score += points * share;
            if elem == 0 {
                break;
            }
            elem = flat.elems[elem as usize].parent;
        }
    }
    for (e, init) in flat.elems.iter_mut().zip(initialized) {
        e.score = if init {
            e.score * (1.0 - link_density(e.chars, e.link_chars))
        } else {
            f32::NEG_INFINITY
        };
    }
}

fn tag_weight(kind: TagKind) -> f32 {
    match kind {
        TagKind::Division | TagKind::Article => 5.0,
        TagKind::Preformatted | TagKind::Quote => 3.0,
        TagKind::List | TagKind::ListItem | TagKind::OtherBlock => -3.0,
        TagKind::Heading => -5.0,
        TagKind::Header => -25.0,
        _ => 0.0,
    }
}

fn link_density(chars: u32, link_chars: u32) -> f32 {
    if chars == 0 {
        0.0
    } else {
        link_chars as f32 / chars as f32
    }
}

/// The best-scoring element, moved up to an ancestor when that holds several other strong
/// candidates or scores better still (an article split across several containers).
fn top_candidate(flat: &Flat) -> Option<u32> {
    let mut ranked: Vec<u32> = (0..flat.elems.len() as u32)
        .filter(|&e| flat.elems[e as usize].score.is_finite())
        .collect();
    ranked.sort_by(|a, b| {
        let (sa, sb) = (flat.elems[*a as usize].score, flat.elems[*b as usize].score);
        sb.total_cmp(&sa).then(a.cmp(b))
    });
    let &top = ranked.first()?;
    let top_score = flat.elems[top as usize].score;
    let strong: Vec<u32> = ranked[1..ranked.len().min(5)]
        .iter()
        .copied()
        .filter(|&e| flat.elems[e as usize].score >= top_score * 0.75)
        .collect();
    let mut best = top;
    if strong.len() >= 2 {
        let mut ancestor = flat.elems[top as usize].parent;
        while ancestor != 0 {
            let holding = strong
                .iter()
                .filter(|&&e| contains(flat, ancestor, e))
                .count();
            if holding >= 2 {
                best = ancestor;
                break;
            }
            ancestor = flat.elems[ancestor as usize].parent;
        }
    }
    Some(climb(flat, best))
}

/// Readability's climb: go up while the parent scores better than the child, as long as it
/// keeps at least a third of the child's score.
fn climb(flat: &Flat, mut top: u32) -> u32 {
    let mut last = flat.elems[top as usize].score;
    let threshold = last / 3.0;
    let mut parent = flat.elems[top as usize].parent;
    while parent != 0 {
        let score = flat.elems[parent as usize].score;
        if !score.is_finite() {
            parent = flat.elems[parent as usize].parent;
            continue;
        }
        if score < threshold {
            break;
        }
        if score > last {
            top = parent;
            break;
        }
        last = score;
        parent = flat.elems[parent as usize].parent;
    }
    top
}

/// The top candidate and those of its siblings that score near it or read like paragraphs.
fn with_siblings(flat: &Flat, top: u32) -> Vec<u32> {
    let parent = flat.elems[top as usize].parent;
    if top == 0 {
        return vec![0];
    }
    let top_score = flat.elems[top as usize].score;
    let threshold = (top_score * 0.2).max(10.0);
    let mut roots = Vec::new();
    let mut child = parent + 1;
    let end = flat.elems[parent as usize].last;
    while child <= end {
        let e = &flat.elems[child as usize];
        // Readability's bonus: a sibling with the container's own classes is likelier more of it.
        let same_class = e.class_key != 0 && e.class_key == flat.elems[top as usize].class_key;
        let bonus = if same_class { top_score * 0.2 } else { 0.0 };
        if child == top || e.score + bonus >= threshold || sibling_paragraph(flat, child) {
            roots.push(child);
        }
        child = e.last + 1;
    }
    roots
}

fn sibling_paragraph(flat: &Flat, elem: u32) -> bool {
    let e = &flat.elems[elem as usize];
    if e.kind != TagKind::Paragraph {
        return false;
    }
    let density = link_density(e.chars, e.link_chars);
    if e.chars > 80 {
        return density < 0.25;
    }
    let text = flat
        .blocks
        .iter()
        .find(|b| b.owner == elem && !b.skipped)
        .map_or("", |b| b.text.as_str());
    e.chars > 0 && density == 0.0 && (text.ends_with('.') || text.ends_with(". "))
}

/// Link lists (half their text or more in links) and one-word fragments inside the article's container stay out.
fn keep_block(b: &Block) -> bool {
    let density = link_density(b.chars, b.link_chars);
    match b.kind {
        // A heading inside the container whose text is a link (an anchor to itself) still
        // heads its section; one over a list of links goes with `drop_dangling_headings`.
        BlockKind::Heading => true,
        // Loose text (not in a <p>) that is short and no sentence: labels, dates, credits.
        BlockKind::Loose if b.chars < 40 => density == 0.0 && ends_sentence(&b.text),
        _ => density < 0.5 || b.chars > 200,
    }
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '!', '?', '"', '”', '’', ':', ';', '»', '…', '。'])
}
