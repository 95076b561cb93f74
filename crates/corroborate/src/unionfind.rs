//! Disjoint sets over dense `u32` ids (path halving, union by size).

pub struct UnionFind {
    parent: Vec<u32>,
    /// Empty for sets joined by root id (see [`UnionFind::by_id`]).
    size: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    /// Sets whose union puts the higher root under the lower one: 4 bytes an id rather than
    /// 8, for callers that use roots only to tell sets apart (with path halving alone, a
    /// find is still amortized logarithmic). Which id is a root differs from [`UnionFind::new`].
    pub fn by_id(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: Vec::new(),
        }
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    pub fn union(&mut self, a: u32, b: u32) {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size.is_empty() {
            self.parent[a.max(b) as usize] = a.min(b);
            return;
        }
        let (big, small) = if self.size[a as usize] >= self.size[b as usize] {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_by_id_or_by_size_the_sets_are_the_same() {
        let (mut sized, mut by_id) = (UnionFind::new(200), UnionFind::by_id(200));
        let mut state = 5u32;
        for _ in 0..150 {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let (a, b) = ((state >> 8) % 200, (state >> 20) % 200);
            sized.union(a, b);
            by_id.union(a, b);
        }
        for a in 0..200 {
            for b in 0..200 {
                let same = sized.find(a) == sized.find(b);
                assert_eq!(same, by_id.find(a) == by_id.find(b), "{a} {b}");
            }
        }
    }
}
