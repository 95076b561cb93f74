//! Byte accounting of the stage's structures, printed to standard error when the environment
//! variable `NEWSMILL_DEBUG_MEMORY` is set: capacities times element sizes, plus what the
//! allocator rounds each small allocation up to, so that a change of layout can be weighed
//! before it is measured.

use std::collections::HashMap;
use std::mem::size_of;

/// Whether to report.
pub fn enabled() -> bool {
    std::env::var_os("NEWSMILL_DEBUG_MEMORY").is_some()
}

/// What the allocator takes for one allocation of `n` bytes (glibc: 8 bytes of header,
/// 16-byte steps, 32 at least); nothing for an empty one.
pub fn chunk(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        (n + 8).next_multiple_of(16).max(32)
    }
}

/// A vector's buffer.
pub fn vec<T>(v: &Vec<T>) -> usize {
    chunk(v.capacity() * size_of::<T>())
}

/// A hash map's table (entries and control bytes), not what its entries own.
pub fn map<K, V>(m: &HashMap<K, V>) -> usize {
    let cap = m.capacity();
    if cap == 0 {
        return 0;
    }
    let buckets = if cap < 8 {
        (cap + 1).next_power_of_two()
    } else {
        (cap * 8 / 7).next_power_of_two()
    };
    chunk(buckets * size_of::<(K, V)>() + buckets + 16)
}

/// Boxed slices: the list of boxes and each box's buffer.
pub fn boxes<T>(v: &Vec<Box<[T]>>) -> usize {
    vec(v) + v.iter().map(|b| chunk(size_of_val(&**b))).sum::<usize>()
}

/// Resident memory of the process, in kB.
pub fn rss_kb() -> u64 {
    status_kb("VmRSS")
}

/// A `/proc/self/status` field in kB, 0 where there is none.
fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// Prints one phase's structures and their total.
pub fn report(phase: &str, items: &[(&str, usize)]) {
    if !enabled() {
        return;
    }
    let total: usize = items.iter().map(|i| i.1).sum();
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let start = START.get_or_init(std::time::Instant::now);
    eprintln!(
        "corroborate memory, {phase}: {:.1} MB accounted, RSS {:.1} MB, peak so far {:.1} MB (+{:.1} s)",
        total as f64 / 1e6,
        rss_kb() as f64 / 1e3,
        // The peak between two reports tells a transient the reports miss.
        status_kb("VmHWM") as f64 / 1e3,
        start.elapsed().as_secs_f64()
    );
    for (name, bytes) in items {
        eprintln!("  {name:<28} {:>9.2} MB", *bytes as f64 / 1e6);
    }
}
