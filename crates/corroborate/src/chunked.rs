//! An append-only vector in fixed-size chunks, for records that grow with the corpus. A `Vec`
//! doubles: on average a quarter of it is spare capacity, and while it moves to a buffer
//! twice as large both buffers are alive, so a 25 MB vector briefly costs 75 MB. Chunks cost
//! at most one chunk of spare room and never move.

/// Elements per chunk: large enough that chunk boundaries cost nothing, small enough that the
/// last chunk's spare room is small (at most `CHUNK * size_of::<T>()` bytes).
const CHUNK: usize = 1 << 14;

/// Makes room for one more element in a vector that grows for the whole of `observe` and is
/// indexed, so cannot be chunked: by an eighth rather than by doubling, so that it is at
/// most an eighth spare room (a doubled vector is on average a quarter, up to half); the
/// extra copies come to about eight moves an element.
pub fn grow_by_eighth<T>(v: &mut Vec<T>) {
    if v.len() == v.capacity() {
        v.reserve_exact((v.len() / 8).max(1 << 12));
    }
}

#[derive(Debug)]
pub struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    pub fn push(&mut self, item: T) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        if let Some(last) = self.chunks.last_mut() {
            last.push(item);
        }
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.chunks.iter().flatten()
    }

    /// Bytes held, for [`crate::memory`].
    pub fn bytes(&self) -> usize {
        crate::memory::vec(&self.chunks) + self.chunks.iter().map(crate::memory::vec).sum::<usize>()
    }
}

impl<T> std::ops::Index<usize> for Chunked<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<T> std::ops::IndexMut<usize> for Chunked<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.chunks[i / CHUNK][i % CHUNK]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_across_chunks() {
        let mut c = Chunked::default();
        for i in 0..(3 * CHUNK + 5) as u32 {
            c.push(i * 2);
        }
        assert_eq!(c.len(), 3 * CHUNK + 5);
        assert_eq!(c[CHUNK + 1], (CHUNK as u32 + 1) * 2);
        assert_eq!(c.iter().count(), c.len());
        assert_eq!(c.iter().last(), Some(&((3 * CHUNK as u32 + 4) * 2)));
    }
}
