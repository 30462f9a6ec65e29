//! The single writer: every mutation is applied by one thread, in commit groups.
//!
//! Requests queue on a bounded channel. The writer takes every request waiting (up to
//! a bound), applies each to the in-memory state, makes the whole group durable in one
//! commit, and only then answers each request. While one group commits, the next one
//! queues, so under load a group holds many requests and one flush serves them all.
//! Only tokio's channels are used here, not its runtime: async and blocking callers both work.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// The most requests applied and committed together.
pub const COMMIT_GROUP_COMMANDS_MAX: usize = 8_192;
/// The most requests waiting for the writer; submitters wait beyond it.
pub const WRITER_QUEUE_REQUESTS_MAX: usize = 65_536;
const _: () = assert!(COMMIT_GROUP_COMMANDS_MAX <= WRITER_QUEUE_REQUESTS_MAX);

/// The state the writer owns. `apply` changes memory and stages what to persist;
/// `commit` persists everything staged since the last commit, atomically.
pub trait Machine: Send + 'static {
    type Command: Send + 'static;
    type Reply: Send + 'static;

    fn apply(&mut self, command: Self::Command) -> Self::Reply;

    /// On error the writer stops without answering the group's requests with success:
    /// the in-memory state is ahead of the durable one, so only a restart may go on.
    fn commit(&mut self) -> Result<(), String>;
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriterError {
    #[error("the writer has stopped; restart the server to resume from the last commit")]
    Stopped,
}

struct Request<C, R> {
    command: C,
    reply_to: oneshot::Sender<R>,
}

/// Counters the server exports as metrics.
#[derive(Debug, Default)]
pub struct WriterStats {
    pub groups: AtomicU64,
    pub commands: AtomicU64,
    pub commit_us_total: AtomicU64,
    /// Time applying commands to memory, summed: with `commit_us_total`, where a
    /// group's time goes.
    pub apply_us_total: AtomicU64,
}

/// Called after each commit with the group's size and the commit's duration.
pub type CommitObserver = Box<dyn Fn(usize, Duration) + Send>;

pub struct WriterHandle<C, R> {
    tx: mpsc::Sender<Request<C, R>>,
    pub stats: Arc<WriterStats>,
}

impl<C, R> Clone for WriterHandle<C, R> {
    fn clone(&self) -> Self {
        WriterHandle {
            tx: self.tx.clone(),
            stats: self.stats.clone(),
        }
    }
}

impl<C: Send + 'static, R: Send + 'static> WriterHandle<C, R> {
    /// Submits a command and waits until its group is durable.
    pub async fn submit(&self, command: C) -> Result<R, WriterError> {
        let (reply_to, rx) = oneshot::channel();
        self.tx
            .send(Request { command, reply_to })
            .await
            .map_err(|_| WriterError::Stopped)?;
        rx.await.map_err(|_| WriterError::Stopped)
    }

    /// Queues a command and returns its answer to wait for later. Commands one
    /// task queues reach the writer in the order queued, so a caller can keep
    /// many in flight (they share commit groups) and still fix their order.
    pub async fn enqueue(
        &self,
        command: C,
    ) -> Result<impl Future<Output = Result<R, WriterError>> + use<C, R>, WriterError> {
        let (reply_to, rx) = oneshot::channel();
        self.tx
            .send(Request { command, reply_to })
            .await
            .map_err(|_| WriterError::Stopped)?;
        Ok(async move { rx.await.map_err(|_| WriterError::Stopped) })
    }

    /// The same, for callers outside an async runtime.
    pub fn submit_blocking(&self, command: C) -> Result<R, WriterError> {
        let (reply_to, rx) = oneshot::channel();
        self.tx
            .blocking_send(Request { command, reply_to })
            .map_err(|_| WriterError::Stopped)?;
        rx.blocking_recv().map_err(|_| WriterError::Stopped)
    }
}

pub struct Writer;

/// A handle to submit with, and the writer thread to join.
pub type Spawned<M> = (
    WriterHandle<<M as Machine>::Command, <M as Machine>::Reply>,
    thread::JoinHandle<Result<(), String>>,
);

impl Writer {
    /// Starts the writer thread. It runs until every handle is dropped (then returns
    /// Ok) or a commit fails (then returns the error). A panic in `apply` or in an
    /// invariant assertion ends it too, with no reply sent for the uncommitted group.
    pub fn spawn<M: Machine>(machine: M, observer: Option<CommitObserver>) -> Spawned<M> {
        Writer::spawn_with_group_max(machine, observer, COMMIT_GROUP_COMMANDS_MAX)
    }

    /// The same with a smaller commit group bound: 1 commits every command alone,
    /// which is the baseline group commit is measured against.
    pub fn spawn_with_group_max<M: Machine>(
        machine: M,
        observer: Option<CommitObserver>,
        group_max: usize,
    ) -> Spawned<M> {
        assert!((1..=COMMIT_GROUP_COMMANDS_MAX).contains(&group_max));
        let (tx, rx) = mpsc::channel(WRITER_QUEUE_REQUESTS_MAX);
        let stats = Arc::new(WriterStats::default());
        let handle = WriterHandle {
            tx,
            stats: stats.clone(),
        };
        let join = thread::Builder::new()
            .name("tote-writer".into())
            .spawn(move || run(machine, rx, &stats, observer, group_max))
            .expect("spawn the writer thread");
        (handle, join)
    }
}

fn run<M: Machine>(
    mut machine: M,
    mut rx: mpsc::Receiver<Request<M::Command, M::Reply>>,
    stats: &WriterStats,
    observer: Option<CommitObserver>,
    group_max: usize,
) -> Result<(), String> {
    let mut group: Vec<Request<M::Command, M::Reply>> =
        Vec::with_capacity(COMMIT_GROUP_COMMANDS_MAX);
    let mut replies: Vec<(oneshot::Sender<M::Reply>, M::Reply)> =
        Vec::with_capacity(COMMIT_GROUP_COMMANDS_MAX);
    loop {
        match rx.blocking_recv() {
            Some(first) => group.push(first),
            None => return Ok(()),
        }
        while group.len() < group_max {
            match rx.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        let applying = Instant::now();
        for request in group.drain(..) {
            let reply = machine.apply(request.command);
            replies.push((request.reply_to, reply));
        }
        stats
            .apply_us_total
            .fetch_add(applying.elapsed().as_micros() as u64, Ordering::Relaxed);
        let started = Instant::now();
        machine.commit()?;
        let took = started.elapsed();
        let size = replies.len();
        stats.groups.fetch_add(1, Ordering::Relaxed);
        stats.commands.fetch_add(size as u64, Ordering::Relaxed);
        stats
            .commit_us_total
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
        if let Some(observe) = &observer {
            observe(size, took);
        }
        for (reply_to, reply) in replies.drain(..) {
            // A submitter that gave up waiting still had its command committed.
            let _ = reply_to.send(reply);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Counts to a limit; commits record how many commands each group held.
    struct Counter {
        value: u64,
        staged: u64,
        committed: Arc<Mutex<Vec<u64>>>,
        fail_commit: bool,
    }

    impl Machine for Counter {
        type Command = u64;
        type Reply = Result<u64, String>;
        fn apply(&mut self, add: u64) -> Self::Reply {
            if self.value + add > 100 {
                return Err(format!("{} + {add} exceeds 100", self.value));
            }
            self.value += add;
            self.staged += 1;
            Ok(self.value)
        }
        fn commit(&mut self) -> Result<(), String> {
            if self.fail_commit {
                return Err("disk full".into());
            }
            self.committed.lock().unwrap().push(self.staged);
            self.staged = 0;
            Ok(())
        }
    }

    fn counter(fail_commit: bool) -> (Counter, Arc<Mutex<Vec<u64>>>) {
        let committed = Arc::new(Mutex::new(Vec::new()));
        let machine = Counter {
            value: 0,
            staged: 0,
            committed: committed.clone(),
            fail_commit,
        };
        (machine, committed)
    }

    #[test]
    fn a_failing_request_fails_alone_and_its_group_commits() {
        let (machine, committed) = counter(false);
        let (handle, join) = Writer::spawn(machine, None);
        let threads: Vec<_> = (0..20)
            .map(|_| {
                let h = handle.clone();
                thread::spawn(move || h.submit_blocking(10).unwrap())
            })
            .collect();
        let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 10);
        assert_eq!(results.iter().filter(|r| r.is_err()).count(), 10);
        drop(handle);
        assert_eq!(join.join().unwrap(), Ok(()));
        assert_eq!(committed.lock().unwrap().iter().sum::<u64>(), 10);
    }

    #[test]
    fn every_answer_waits_for_the_commit_of_its_own_group() {
        let (machine, committed) = counter(false);
        let (handle, join) = Writer::spawn(machine, None);
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (h, committed) = (handle.clone(), committed.clone());
                thread::spawn(move || {
                    for _ in 0..10 {
                        // The reply is the command's place in apply order; by the time
                        // it arrives, at least that many commands must be committed.
                        let place = h.submit_blocking(1).unwrap().unwrap();
                        let durable: u64 = committed.lock().unwrap().iter().sum();
                        assert!(
                            durable >= place,
                            "answered {place} with only {durable} committed"
                        );
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        drop(handle);
        assert_eq!(join.join().unwrap(), Ok(()));
    }

    #[test]
    fn a_failed_commit_stops_the_writer_and_answers_nobody_with_success() {
        let (machine, _) = counter(true);
        let (handle, join) = Writer::spawn(machine, None);
        assert_eq!(handle.submit_blocking(1), Err(WriterError::Stopped));
        assert_eq!(handle.submit_blocking(1), Err(WriterError::Stopped));
        assert_eq!(join.join().unwrap(), Err("disk full".into()));
    }
}
