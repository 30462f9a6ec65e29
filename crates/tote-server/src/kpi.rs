//! The metrics service: a background task tails the event table from a cursor and
//! feeds the projector and the board (`tote-metrics`), so pages and
//! `GET /v1/metrics...` only read the board. It starts from the first event at
//! boot, and is woken after each commit of the writer (with a slow poll as a
//! safety net), so an idle server does no work.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use tote_core::{OrgId, Timestamp};
use tote_metrics::{Board, EventIn, Projector, ScorecardConfig, Targets};
use tote_store::{Queries, StoreError};

/// Events read per page while catching up.
const PAGE_EVENTS: usize = 1_000;
/// The longest the tail sleeps when no commit wakes it.
const POLL: Duration = Duration::from_secs(2);
/// Annual carrying rate for carrying cost (capital, storage, insurance, obsolescence).
pub const CARRYING_RATE_ANNUAL: Decimal = Decimal::from_parts(25, 0, 0, false, 2);

/// The board and what it was built from.
pub struct Kpi {
    pub board: Board,
    pub projector: Projector,
    pub targets: Targets,
    pub scorecards: ScorecardConfig,
    settings_seen: (Option<String>, Option<String>),
}

impl Default for Kpi {
    fn default() -> Kpi {
        let targets = Targets::default();
        let mut board = Board::new(CARRYING_RATE_ANNUAL);
        targets.apply_to(&mut board);
        Kpi {
            board,
            projector: Projector::new(),
            targets,
            scorecards: ScorecardConfig::default(),
            settings_seen: (None, None),
        }
    }
}

impl Kpi {
    /// Applies events as the store gives them.
    pub fn apply(&mut self, events: &[tote_core::Event]) {
        for e in events {
            let Some(at) = e.at_timestamp() else { continue };
            self.projector.apply(
                &mut self.board,
                &EventIn {
                    seq: e.seq,
                    kind: e.kind.as_str(),
                    at,
                    actor: &e.actor,
                    subject: &e.subject,
                    data: e.data.get(),
                },
            );
        }
        self.sync_settings();
    }

    /// Settings arrive as events; the latest of each kind is in force.
    fn sync_settings(&mut self) {
        let s = &self.projector.settings;
        if s.targets != self.settings_seen.0 {
            self.settings_seen.0 = s.targets.clone();
            if let Some(t) = s.targets.as_deref().and_then(|t| serde_json::from_str::<Targets>(t).ok()) {
                self.board.clear_targets();
                t.apply_to(&mut self.board);
                self.targets = t;
            }
        }
        if s.scorecards != self.settings_seen.1 {
            self.settings_seen.1 = s.scorecards.clone();
            if let Some(c) = s.scorecards.as_deref().and_then(|c| serde_json::from_str(c).ok()) {
                self.scorecards = c;
            }
        }
    }

    /// Moves the clock on, so deadlines that passed without an event count.
    pub fn advance(&mut self, now: Timestamp) {
        self.projector.advance(&mut self.board, now);
    }
}

pub struct KpiService {
    pub state: RwLock<Kpi>,
    reader: Arc<dyn Queries>,
    wake: tokio::sync::Notify,
    /// One catch-up at a time, so events are applied once and in order.
    tail: Mutex<()>,
}

impl KpiService {
    pub fn new(reader: Arc<dyn Queries>) -> Arc<KpiService> {
        Arc::new(KpiService {
            state: RwLock::new(Kpi::default()),
            reader,
            wake: tokio::sync::Notify::new(),
            tail: Mutex::new(()),
        })
    }

    /// Called after each commit: the tail reads what it added.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn read(&self) -> std::sync::RwLockReadGuard<'_, Kpi> {
        self.state.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Kpi> {
        self.state.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Applies every committed event not yet applied (blocking: call it off the
    /// async workers). Returns how many were read.
    pub fn catch_up(&self, now: Timestamp) -> Result<u64, StoreError> {
        let _tail = self.tail.lock().unwrap_or_else(|p| p.into_inner());
        let mut after = self.read().projector.seq;
        let mut read = 0u64;
        loop {
            let page = self.reader.events(OrgId::DEFAULT, after, PAGE_EVENTS)?;
            let n = page.items.len();
            if n > 0 {
                self.write().apply(&page.items);
                read += n as u64;
            }
            match page.last_seq {
                Some(last) if n == PAGE_EVENTS => after = last,
                _ => break,
            }
        }
        self.write().advance(now);
        Ok(read)
    }

    /// The background task: catch up at boot (timed), then after every commit.
    pub fn spawn(self: Arc<KpiService>) {
        tokio::spawn(async move {
            let mut first = true;
            loop {
                let started = Instant::now();
                let service = self.clone();
                let done = tokio::task::spawn_blocking(move || {
                    service.catch_up(crate::routes::now())
                })
                .await;
                match done {
                    Ok(Ok(n)) if first => {
                        let k = self.read();
                        tracing::info!(
                            events = n,
                            orders = k.projector.orders.len(),
                            cells = k.board.cells(),
                            seconds = started.elapsed().as_secs_f64(),
                            "metrics: replayed the event history"
                        );
                    }
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => tracing::warn!("metrics: could not read events: {e}"),
                    Err(e) => tracing::error!("metrics: the tail failed: {e}"),
                }
                first = false;
                let _ = tokio::time::timeout(POLL, self.wake.notified()).await;
            }
        });
    }
}
