use serde::Serialize;

/// What the component's parse cache has saved, since its instance started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CacheStats {
    /// Files held.
    pub entries: u64,
    /// Files served from the cache: after a stat, or with none while the
    /// host's watch saw no change.
    pub hits: u64,
    /// Of the hits, those served with no stat.
    pub unchecked: u64,
    /// Files read and parsed: new, changed, or not yet trusted.
    pub misses: u64,
}

/// Instances' counters added up, as one session of several reports them.
impl std::ops::AddAssign for CacheStats {
    fn add_assign(&mut self, other: CacheStats) {
        self.entries += other.entries;
        self.hits += other.hits;
        self.unchecked += other.unchecked;
        self.misses += other.misses;
    }
}
