//! The metrics service: a background task tails the event table from a cursor and
//! feeds the projector and the board (`tote-metrics`), so pages and
//! `GET /v1/metrics...` only read the board. It starts from the first event at
//! boot, and is woken after each commit of the writer (with a slow poll as a
//! safety net), so an idle server does no work.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use tote_core::{OrgId, Timestamp};
use tote_store::{Queries, StoreError};

/// Events read per page while catching up.
const PAGE_EVENTS: usize = 1_000;
/// The longest the tail sleeps when no commit wakes it.
const POLL: Duration = Duration::from_secs(2);

/// The board and what it was built from (shared with `tote report weekly`).
pub type Kpi = tote_metrics::Live;

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
            state: RwLock::new(Kpi::new(tote_metrics::CARRYING_RATE_ANNUAL)),
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
                let done =
                    tokio::task::spawn_blocking(move || service.catch_up(crate::routes::now()))
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
