//! The reference data every sale reads — a terminal's credentials, a station with its chain
//! of centers, the draws a ticket covers — kept in memory. Reading them from the database
//! cost three lookups per sale, each after the writer's last commit had emptied the reading
//! connection's page cache. The copy is dropped whenever a committed transaction of this
//! process changes reference data ([`Backend::reference_version`]). Another process (the
//! CLI's draw commands) cannot move that version, which is why the sale's transaction still
//! checks each draw's status and cutoff itself.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use fucai_store::{Backend, DrawRow, Reads, StationChain, StoreResult, TerminalRow};

/// Most entries one map keeps; past it the map starts over (memory stays bounded).
const MAX_ENTRIES: usize = 65_536;

#[derive(Default)]
pub(crate) struct ReferenceCache {
    snapshot: Mutex<Snapshot>,
}

#[derive(Default)]
struct Snapshot {
    version: u64,
    terminals: HashMap<String, TerminalRow>,
    chains: HashMap<i64, StationChain>,
    /// (game, first draw, count) → the draws, only when all `count` exist.
    draws: HashMap<(String, String, usize), Vec<DrawRow>>,
}

impl ReferenceCache {
    pub fn terminal(&self, store: &dyn Backend, code: &str) -> StoreResult<TerminalRow> {
        self.cached(
            store,
            |s| &mut s.terminals,
            code.to_string(),
            |r| Ok((r.terminal_by_code(code)?, true)),
        )
    }

    pub fn station_chain(&self, store: &dyn Backend, station_id: i64) -> StoreResult<StationChain> {
        self.cached(
            store,
            |s| &mut s.chains,
            station_id,
            |r| Ok((r.station_chain(station_id)?, true)),
        )
    }

    /// `count` consecutive draws of `game` from `first`; fewer when the calendar has fewer.
    pub fn draws_from(
        &self,
        store: &dyn Backend,
        game: &str,
        first: &str,
        count: usize,
    ) -> StoreResult<Vec<DrawRow>> {
        let key = (game.to_string(), first.to_string(), count);
        self.cached(
            store,
            |s| &mut s.draws,
            key,
            |r| {
                let draws = r.draws_from(game, first, count)?;
                let complete =
                    draws.len() == count && draws.first().is_some_and(|d| d.number == first);
                Ok((draws, complete))
            },
        )
    }

    /// The value under `key`, loading it (in one read transaction) when missing; `load` also
    /// says whether the value may be kept.
    fn cached<K: Eq + Hash, V: Clone>(
        &self,
        store: &dyn Backend,
        map: impl Fn(&mut Snapshot) -> &mut HashMap<K, V>,
        key: K,
        load: impl FnOnce(&dyn Reads) -> StoreResult<(V, bool)>,
    ) -> StoreResult<V> {
        // Read the version before the rows: a change committed in between moves it, and the
        // next lookup drops what this one kept.
        let version = store.reference_version();
        {
            let mut snapshot = self.snapshot.lock().expect("reference cache lock");
            if snapshot.version < version {
                *snapshot = Snapshot {
                    version,
                    ..Snapshot::default()
                };
            }
            if snapshot.version == version {
                if let Some(v) = map(&mut snapshot).get(&key) {
                    return Ok(v.clone());
                }
            }
        }
        let (value, keep) = store.read(load)?;
        if keep {
            let mut snapshot = self.snapshot.lock().expect("reference cache lock");
            if snapshot.version == version {
                let entries = map(&mut snapshot);
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
                entries.insert(key, value.clone());
            }
        }
        Ok(value)
    }
}
