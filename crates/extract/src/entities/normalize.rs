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
    let mut folded = String::with_capacity(name.len());
    if name.is_ascii() {
        // Most names: no decomposition needed.
        for b in name.bytes() {
            match b {
                b'\'' | b'.' => {}
                b if b.is_ascii_alphanumeric() => folded.push(b.to_ascii_lowercase() as char),
                _ => folded.push(' '),
            }
        }
        return fold_words(&folded);
    }
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
