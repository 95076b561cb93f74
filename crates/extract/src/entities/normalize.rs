//! The name normalizer: one key per name across spellings, so that documents that write
//! `Zelensky`, `Zelenskyy`, `ZELENSKIY` or `Zelenskij` group together.
//!
//! The key folds case and accents, drops punctuation (`U.S.` = `US`), and folds the
//! transliteration variants English-language outlets disagree on (Ukrainian/Russian `-yy`,
//! `-iy`, `-ij`, `-ii` endings, `x`/`ks`, doubled letters). It is a matching key, not a
//! display form.

use unicode_normalization::UnicodeNormalization;

/// Normalized cross-document key of a name: lowercase ASCII words separated by one space.
pub fn name_key(name: &str) -> String {
    if name.is_ascii() {
        return ascii_key(name.as_bytes());
    }
    let mut folded = String::with_capacity(name.len());
    for c in name.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' => folded.push_str("ss"),
            'æ' | 'Æ' => folded.push_str("ae"),
            'œ' | 'Œ' => folded.push_str("oe"),
            'ø' | 'Ø' => folded.push('o'),
            'đ' | 'Đ' => folded.push('d'),
            'ł' | 'Ł' => folded.push('l'),
            'ı' => folded.push('i'),
            // Apostrophes and dots join (O’Brien = OBrien, U.S. = US); other marks split words.
            '\'' | '’' | '‘' | 'ʼ' | '.' => {}
            c if c.is_alphanumeric() => folded.extend(c.to_lowercase()),
            _ => folded.push(' '),
        }
    }
    fold_words(&folded)
}

/// [`name_key`] of an ASCII name in one pass: most names need no decomposition, and folding
/// bytes as they come saves the intermediate string and the char decoding of the general path.
fn ascii_key(name: &[u8]) -> String {
    let mut out = Vec::with_capacity(name.len() + 2);
    // Where the current word starts in `out`, and its last letter kept.
    let mut word: Option<usize> = None;
    let mut prev = 0u8;
    for &b in name {
        let c = match b {
            // Apostrophes and dots join (O'Brien = OBrien, U.S. = US).
            b'\'' | b'.' => continue,
            b if b.is_ascii_alphanumeric() => b.to_ascii_lowercase(),
            _ => {
                if let Some(start) = word.take() {
                    fold_ending(&mut out, start);
                }
                continue;
            }
        };
        if word.is_none() {
            if !out.is_empty() {
                out.push(b' ');
            }
            word = Some(out.len());
            prev = 0;
        }
        if c == b'x' {
            out.extend_from_slice(b"ks");
            prev = b's';
            continue;
        }
        if prev == c && c.is_ascii_alphabetic() {
            continue;
        }
        out.push(c);
        prev = c;
    }
    if let Some(start) = word {
        fold_ending(&mut out, start);
    }
    String::from_utf8(out).expect("ASCII")
}

/// The ending rules of [`fold_word`] on the ASCII word `out[start..]`.
fn fold_ending(out: &mut Vec<u8>, start: usize) {
    let w = &out[start..];
    let n = w.len();
    if n > 4 && matches!(&w[n - 2..], b"iy" | b"ij" | b"yj" | b"yi") {
        out.truncate(out.len() - 2);
        out.push(b'i');
    } else if (n > 4 && w.ends_with(b"ey"))
        || (n > 3 && w[n - 1] == b'y' && !matches!(w[n - 2], b'a' | b'o' | b'u'))
    {
        out.pop();
        out.push(b'i');
    }
}

fn fold_words(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    for word in folded.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        fold_word(word, &mut out);
    }
    out
}

fn fold_word(word: &str, out: &mut String) {
    let start = out.len();
    let mut prev: Option<char> = None;
    for c in word.chars() {
        if c == 'x' {
            out.push_str("ks");
            prev = Some('s');
            continue;
        }
        // Doubled letters are a transliteration choice (Zelenskyy, Mohammed/Mohamed).
        if prev == Some(c) && c.is_alphabetic() {
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    // Slavic adjectival endings: -yy, -iy, -ij, -yj, -ii, -y all become -i.
    let w = &out[start..];
    for ending in ["iy", "ij", "yj", "yi"] {
        if w.len() > ending.len() + 2 && w.ends_with(ending) {
            let cut = out.len() - ending.len();
            out.truncate(cut);
            out.push('i');
            return;
        }
    }
    let w = &out[start..];
    if w.len() > 4 && w.ends_with("ey") {
        // Sergey = Sergei, Alexey = Alexei.
        out.pop();
        out.push('i');
    } else if w.len() > 3
        && w.ends_with('y')
        && !w.ends_with("ay")
        && !w.ends_with("oy")
        && !w.ends_with("uy")
    {
        // Dmitry = Dmitri.
        out.pop();
        out.push('i');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The general path, which the ASCII one must agree with.
    fn general_key(name: &str) -> String {
        let mut folded = String::new();
        for b in name.bytes() {
            match b {
                b'\'' | b'.' => {}
                b if b.is_ascii_alphanumeric() => folded.push(b.to_ascii_lowercase() as char),
                _ => folded.push(' '),
            }
        }
        fold_words(&folded)
    }

    #[test]
    fn ascii_keys_equal_the_general_fold() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let alphabet = b"aeiouyxsjklmnAEIXYZ09 '.-,\t";
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 12) as usize;
            let name: String = (0..len)
                .map(|k| alphabet[((seed >> (5 * k + 4)) % alphabet.len() as u64) as usize] as char)
                .collect();
            assert_eq!(name_key(&name), general_key(&name), "{name:?}");
        }
        for name in [
            "Zelenskyy",
            "Alexey",
            "Dmitry",
            "Ray",
            "Xi",
            "O'Brien",
            "U.S.",
            "  a  b ",
        ] {
            assert_eq!(name_key(name), general_key(name), "{name:?}");
        }
    }

    #[test]
    fn transliteration_variants_share_a_key() {
        let k = name_key("Volodymyr Zelensky");
        for v in [
            "Volodymyr Zelenskyy",
            "VOLODYMYR ZELENSKIY",
            "Volodymyr Zelenskij",
            "Volodymyr  Zelenskii",
        ] {
            assert_eq!(name_key(v), k, "{v}");
        }
        assert_eq!(name_key("Dmitry Peskov"), name_key("Dmitri Peskov"));
        assert_eq!(name_key("Oleksandr"), name_key("Olexandr"));
        assert_eq!(name_key("Sergey Lavrov"), name_key("Sergei Lavrov"));
        assert_eq!(name_key("António Costa"), name_key("Antonio Costa"));
        assert_eq!(name_key("U.S."), name_key("US"));
        assert_eq!(name_key("Recep Tayyip Erdoğan"), "recep tayip erdogan");
        assert_ne!(name_key("Putin"), name_key("Patin"));
    }
}
