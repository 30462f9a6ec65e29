//! The single writer: every mutation is applied by one thread, in commit groups.
//!
//! Requests queue on a bounded channel. The writer applies each to the in-memory
//! state as it arrives (up to a bound per group) and, as soon as the committer thread
//! is free, seals the group and hands it over; the committer makes it durable in one
//! commit and only then answers each request. While one group commits, the writer
//! applies the next, so neither the flush's wait nor the commit's work is idle time
//! for the other; groups commit in the order they were sealed, at most one at a
//! time. Only tokio's channels are used here, not its runtime: async and blocking
//! callers both work.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// The most requests applied and committed together.
pub const COMMIT_GROUP_COMMANDS_MAX: usize = 8_192;
/// The most requests waiting for the writer; submitters wait beyond it.
pub const WRITER_QUEUE_REQUESTS_MAX: usize = 65_536;
const _: () = assert!(COMMIT_GROUP_COMMANDS_MAX <= WRITER_QUEUE_REQUESTS_MAX);

/// Makes one sealed commit group durable, atomically; run on the committer thread.
pub type Persist = Box<dyn FnOnce() -> Result<(), String> + Send>;

/// The state the writer owns. `apply` changes memory and stages what to persist;
/// `seal` ends the group (checking it) and returns the work that persists everything
/// staged since the last seal.
pub trait Machine: Send + 'static {
    type Command: Send + 'static;
    type Reply: Send + 'static;

    fn apply(&mut self, command: Self::Command) -> Self::Reply;

    /// When the returned work fails, the writer stops without answering that
    /// group's requests, or any later one's, with success: the in-memory state is
    /// ahead of the durable one, so only a restart may go on.
    fn seal(&mut self) -> Persist;
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
    tx: mpsc::Sender<Message<C, R>>,
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
            .send(Message::Request(Request { command, reply_to }))
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
            .send(Message::Request(Request { command, reply_to }))
            .await
            .map_err(|_| WriterError::Stopped)?;
        Ok(async move { rx.await.map_err(|_| WriterError::Stopped) })
    }

    /// The same, for callers outside an async runtime.
    pub fn submit_blocking(&self, command: C) -> Result<R, WriterError> {
        let (reply_to, rx) = oneshot::channel();
        self.tx
            .blocking_send(Message::Request(Request { command, reply_to }))
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
        let ready_tx = tx.downgrade();
        let stats = Arc::new(WriterStats::default());
        let handle = WriterHandle {
            tx,
            stats: stats.clone(),
        };
        let join = thread::Builder::new()
            .name("tote-writer".into())
            .spawn(move || run(machine, rx, ready_tx, stats, observer, group_max))
            .expect("spawn the writer thread");
        (handle, join)
    }
}

/// A sealed group on its way to the committer, with the answers it releases.
struct Sealed<R> {
    persist: Persist,
    replies: Vec<(oneshot::Sender<R>, R)>,
}

/// What the writer thread waits for: a request, or the committer saying the last
/// group is durable.
enum Message<C, R> {
    Request(Request<C, R>),
    Ready,
    /// A commit failed: the writer stops.
    Failed,
}

type Replies<R> = Vec<(oneshot::Sender<R>, R)>;

fn run<M: Machine>(
    mut machine: M,
    mut rx: mpsc::Receiver<Message<M::Command, M::Reply>>,
    ready_tx: mpsc::WeakSender<Message<M::Command, M::Reply>>,
    stats: Arc<WriterStats>,
    observer: Option<CommitObserver>,
    group_max: usize,
) -> Result<(), String> {
    let (to_committer, sealed_rx) = std::sync::mpsc::channel::<Sealed<M::Reply>>();
    let committer_stats = stats.clone();
    // Set by the committer when a group is durable, and read by the writer before
    // every request: a `Ready` message alone would queue behind the requests that
    // arrived during the commit.
    let committer_idle = Arc::new(AtomicBool::new(true));
    let idle = committer_idle.clone();
    let committer = thread::Builder::new()
        .name("tote-committer".into())
        .spawn(move || commit_loop(sealed_rx, ready_tx, &idle, &committer_stats, observer))
        .expect("spawn the committer thread");
    let mut replies: Replies<M::Reply> = Vec::new();
    // Requests beyond a full group, not yet applied. Only a full group holds any.
    let mut held: VecDeque<Request<M::Command, M::Reply>> = VecDeque::new();
    let mut stopped = false;
    loop {
        if !replies.is_empty() && committer_idle.load(Ordering::Acquire) {
            // The committer is free: seal what is applied now. Draining the queue
            // first would gather every submitter the last commit answered into one
            // group, and the writer would then wait while it commits instead of
            // applying the next group meanwhile.
            committer_idle.store(false, Ordering::Relaxed);
            if to_committer.send(seal(&mut machine, &mut replies)).is_err() {
                stopped = true;
                break;
            }
            apply_held(&mut machine, &mut held, &mut replies, &stats, group_max);
            continue;
        }
        match rx.blocking_recv() {
            Some(Message::Request(r)) if replies.len() < group_max => {
                apply_one(&mut machine, r, &mut replies, &stats)
            }
            Some(Message::Request(r)) => held.push_back(r),
            // Only a wake-up: the flag says whether the committer is free.
            Some(Message::Ready) => {}
            Some(Message::Failed) => {
                stopped = true;
                break;
            }
            None => {
                // Every handle is gone: commit what is applied or held, then stop.
                while !replies.is_empty() {
                    if to_committer.send(seal(&mut machine, &mut replies)).is_err() {
                        stopped = true;
                        break;
                    }
                    apply_held(&mut machine, &mut held, &mut replies, &stats, group_max);
                }
                break;
            }
        }
    }
    drop(to_committer);
    let result = committer
        .join()
        .map_err(|_| "the committer thread panicked".to_owned())?;
    match (stopped, result) {
        (_, Err(e)) => Err(e),
        (true, Ok(())) => Err("the committer stopped".to_owned()),
        (false, Ok(())) => Ok(()),
    }
}

/// Starts the next group with the requests held back from the last one.
fn apply_held<M: Machine>(
    machine: &mut M,
    held: &mut VecDeque<Request<M::Command, M::Reply>>,
    replies: &mut Replies<M::Reply>,
    stats: &WriterStats,
    group_max: usize,
) {
    while replies.len() < group_max {
        let Some(next) = held.pop_front() else { break };
        apply_one(machine, next, replies, stats);
    }
}

fn seal<M: Machine>(machine: &mut M, replies: &mut Replies<M::Reply>) -> Sealed<M::Reply> {
    Sealed {
        persist: machine.seal(),
        replies: std::mem::take(replies),
    }
}

fn apply_one<M: Machine>(
    machine: &mut M,
    request: Request<M::Command, M::Reply>,
    replies: &mut Replies<M::Reply>,
    stats: &WriterStats,
) {
    let started = Instant::now();
    let reply = machine.apply(request.command);
    stats
        .apply_us_total
        .fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
    replies.push((request.reply_to, reply));
}

fn commit_loop<C, R>(
    sealed: std::sync::mpsc::Receiver<Sealed<R>>,
    ready: mpsc::WeakSender<Message<C, R>>,
    idle: &AtomicBool,
    stats: &WriterStats,
    observer: Option<CommitObserver>,
) -> Result<(), String> {
    for group in sealed {
        let started = Instant::now();
        if let Err(e) = (group.persist)() {
            if let Some(writer) = ready.upgrade() {
                let _ = writer.blocking_send(Message::Failed);
            }
            return Err(e);
        }
        let took = started.elapsed();
        let size = group.replies.len();
        stats.groups.fetch_add(1, Ordering::Relaxed);
        stats.commands.fetch_add(size as u64, Ordering::Relaxed);
        stats
            .commit_us_total
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
        if let Some(observe) = &observer {
            observe(size, took);
        }
        idle.store(true, Ordering::Release);
        // Wakes the writer if it waits for requests. A full queue needs no wake-up,
        // and with every handle gone the writer is finishing and needs no word.
        if let Some(writer) = ready.upgrade() {
            let _ = writer.try_send(Message::Ready);
        }
        for (reply_to, reply) in group.replies {
            // A submitter that gave up waiting still had its command committed.
            let _ = reply_to.send(reply);
        }
    }
    Ok(())
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
        fn seal(&mut self) -> Persist {
            let staged = std::mem::take(&mut self.staged);
            let (committed, fail) = (self.committed.clone(), self.fail_commit);
            Box::new(move || {
                if fail {
                    return Err("disk full".into());
                }
                committed.lock().unwrap().push(staged);
                Ok(())
            })
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
    fn requests_beyond_a_full_group_wait_for_the_next_group_and_all_commit() {
        let (machine, committed) = counter(false);
        let (handle, join) = Writer::spawn_with_group_max(machine, None, 2);
        let threads: Vec<_> = (0..40)
            .map(|_| {
                let h = handle.clone();
                thread::spawn(move || h.submit_blocking(1).unwrap())
            })
            .collect();
        for t in threads {
            assert!(t.join().unwrap().is_ok());
        }
        drop(handle);
        assert_eq!(join.join().unwrap(), Ok(()));
        let groups = committed.lock().unwrap();
        assert_eq!(groups.iter().sum::<u64>(), 40);
        assert!(groups.iter().all(|&g| (1..=2).contains(&g)), "{groups:?}");
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
