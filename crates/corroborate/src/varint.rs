//! Unsigned LEB128 ("varint") coding, the one used by every compact list of the stage: seven
//! bits a byte, low bits first, the high bit set on every byte but a number's last. Word ids,
//! gaps between sorted ids and id lengths are mostly small, so most take a byte or two.

/// Appends `n`.
#[inline]
pub(crate) fn put(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Bytes [`put`] writes for `n`.
#[inline]
pub(crate) fn len(n: u64) -> usize {
    (64 - (n | 1).leading_zeros() as usize).div_ceil(7)
}

/// The number coded at `*at`, moving `*at` past it.
#[inline]
pub(crate) fn get(bytes: &[u8], at: &mut usize) -> u64 {
    let (mut n, mut shift) = (0u64, 0);
    loop {
        let byte = bytes[*at];
        *at += 1;
        n |= u64::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            return n;
        }
    }
}

/// How many numbers `bytes` codes: one ends at every byte without the high bit.
pub(crate) fn count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0x80 == 0).count()
}

/// The numbers `bytes` codes, in order.
pub(crate) fn iter(bytes: &[u8]) -> impl Iterator<Item = u64> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || (at < bytes.len()).then(|| get(bytes, &mut at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_come_back_as_they_went_in() {
        let numbers = [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ];
        let mut bytes = Vec::new();
        for &n in &numbers {
            let before = bytes.len();
            put(&mut bytes, n);
            assert_eq!(bytes.len() - before, len(n), "{n}");
        }
        assert_eq!(count(&bytes), numbers.len());
        assert_eq!(iter(&bytes).collect::<Vec<_>>(), numbers);
        let mut at = 0;
        for &n in &numbers {
            assert_eq!(get(&bytes, &mut at), n);
        }
        assert_eq!(at, bytes.len());
    }
}
