//! Labor planning: workload per process from forecast volume and engineered
//! standards, heads per shift with shrinkage and the ramp-up of new hires,
//! and shift patterns chosen at least cost (see `shifts`).

pub mod shifts;

/// A warehouse process with its own engineered standard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Process {
    Receive,
    PutAway,
    Pick,
    Pack,
    Ship,
    Returns,
    Count,
}

/// The standard and shift length a process is planned with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Standard {
    pub process: Process,
    /// Engineered (or learned) units per labor hour.
    pub units_per_hour: f64,
    /// Productive hours in a shift (paid hours less breaks).
    pub productive_hours_per_shift: f64,
    /// Share of productive time spent on the standard's work (travel to
    /// indirect tasks, waiting, meetings take the rest).
    pub utilization: f64,
}

/// Heads needed for a step (DOMAIN.md): forecast units / (units per hour x
/// productive hours per shift x utilization), per shift. Fractional: the
/// roster rounds up once, after adding every effect.
pub fn heads_needed(units: f64, standard: &Standard) -> f64 {
    let per_head =
        standard.units_per_hour * standard.productive_hours_per_shift * standard.utilization;
    assert!(
        per_head > 0.0,
        "{:?}: a head must process some units",
        standard.process
    );
    units / per_head
}

/// Units per hour learned from the events (DOMAIN.md: units processed in a
/// step / labor hours in that step), pooled over the shifts given as
/// (units, labor hours) so long shifts count for more than short ones.
/// None without hours.
pub fn learned_units_per_hour(shifts: &[(f64, f64)]) -> Option<f64> {
    let (units, hours) = shifts
        .iter()
        .fold((0.0, 0.0), |(u, h), &(su, sh)| (u + su, h + sh));
    (hours > 0.0).then(|| units / hours)
}

/// A break longer than this (seconds) between two of an actor's events of
/// one process ends a work session.
pub const SESSION_GAP_SECONDS: i64 = 30 * 60;
/// A session needs at least this many events (so at least one timed
/// interval after its first) to give a rate.
pub const SESSION_EVENTS_MIN: usize = 3;

/// One unit of recorded work: `actor` did `units` of `process`, finishing
/// at `at` (seconds on any fixed clock).
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    pub actor: String,
    pub process: Process,
    pub at: i64,
    pub units: f64,
}

/// A standard learned from activity.
#[derive(Clone, Debug, PartialEq)]
pub struct LearnedRate {
    pub process: Process,
    /// The median of the sessions' rates.
    pub units_per_hour: f64,
    pub sessions: usize,
    pub actors: usize,
    pub units: f64,
}

/// Units per hour per process from the times of recorded work, robust to
/// breaks and stragglers: each actor's events of a process are cut into
/// sessions at gaps over `SESSION_GAP_SECONDS`; a session's rate is the units
/// of its events after the first over the time from first to last (the first
/// event's units were done before its clock started); the standard is the
/// median of the session rates. Processes without a session of at least
/// `SESSION_EVENTS_MIN` events and some elapsed time are left out.
pub fn learn_rates(activity: &[Activity]) -> Vec<LearnedRate> {
    let mut by: std::collections::BTreeMap<(Process, &str), Vec<(i64, f64)>> =
        std::collections::BTreeMap::new();
    for a in activity {
        if a.units.is_finite() && a.units > 0.0 {
            by.entry((a.process, a.actor.as_str()))
                .or_default()
                .push((a.at, a.units));
        }
    }
    let mut per_process: std::collections::BTreeMap<Process, (Vec<f64>, usize, f64)> =
        std::collections::BTreeMap::new();
    for ((process, _actor), mut events) in by {
        events.sort_by_key(|e| e.0);
        let mut sessions: Vec<&[(i64, f64)]> = Vec::new();
        let mut start = 0;
        for i in 1..=events.len() {
            if i == events.len() || events[i].0 - events[i - 1].0 > SESSION_GAP_SECONDS {
                sessions.push(&events[start..i]);
                start = i;
            }
        }
        let mut counted = false;
        for s in sessions {
            let seconds = s[s.len() - 1].0 - s[0].0;
            if s.len() < SESSION_EVENTS_MIN || seconds <= 0 {
                continue;
            }
            let units: f64 = s[1..].iter().map(|e| e.1).sum();
            let entry = per_process.entry(process).or_default();
            entry.0.push(units / (seconds as f64 / 3600.0));
            entry.2 += units;
            if !counted {
                entry.1 += 1;
                counted = true;
            }
        }
    }
    per_process
        .into_iter()
        .map(|(process, (mut rates, actors, units))| {
            rates.sort_by(f64::total_cmp);
            let k = rates.len();
            let median = if k % 2 == 1 {
                rates[k / 2]
            } else {
                (rates[k / 2 - 1] + rates[k / 2]) / 2.0
            };
            LearnedRate {
                process,
                units_per_hour: median,
                sessions: k,
                actors,
                units,
            }
        })
        .collect()
}

/// Workload of one shift for one process: hours of direct work and heads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Workload {
    pub process: Process,
    pub units: f64,
    pub hours: f64,
    pub heads: f64,
}

/// The workload of every process for one shift's volumes.
pub fn workload(volumes: &[(Process, f64)], standards: &[Standard]) -> Vec<Workload> {
    volumes
        .iter()
        .map(|&(process, units)| {
            let standard = standards
                .iter()
                .find(|s| s.process == process)
                .unwrap_or_else(|| panic!("no standard for {process:?}"));
            Workload {
                process,
                units,
                hours: units / standard.units_per_hour,
                heads: heads_needed(units, standard),
            }
        })
        .collect()
}

/// Productivity of a new hire in each week since starting, as a share of an
/// experienced worker's rate; from the last entry on, the rate stays.
#[derive(Clone, Debug, PartialEq)]
pub struct RampUp {
    pub weekly_productivity: Vec<f64>,
}

impl RampUp {
    pub fn productivity(&self, weeks_since_start: usize) -> f64 {
        match self.weekly_productivity.get(weeks_since_start) {
            Some(&p) => p,
            None => 1.0,
        }
    }
}

/// Heads to roster for a shift: the fractional heads needed, counting new
/// hires at their ramp-up productivity, grossed up for shrinkage (absence,
/// breaks not in the standard, training), then rounded up.
/// `new_hires` lists each new hire's weeks since starting; they are rostered
/// first, and experienced heads cover the rest.
pub fn rostered_heads_with_ramp_up(
    heads_needed: f64,
    shrinkage: f64,
    new_hires: &[usize],
    ramp: &RampUp,
) -> u32 {
    assert!(
        (0.0..1.0).contains(&shrinkage),
        "shrinkage {shrinkage} outside [0, 1)"
    );
    let on_duty_needed = heads_needed / (1.0 - shrinkage);
    let new_output: f64 = new_hires.iter().map(|&w| ramp.productivity(w)).sum();
    let experienced = (on_duty_needed - new_output).max(0.0);
    // The tolerance keeps exact quotients (14 / 0.7) from rounding up a head.
    let experienced_heads = (experienced - 1e-9).ceil().max(0.0) as u32;
    experienced_heads + new_hires.len() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    const PICK: Standard = Standard {
        process: Process::Pick,
        units_per_hour: 120.0,
        productive_hours_per_shift: 7.5,
        utilization: 0.85,
    };

    #[test]
    fn heads_follow_the_domain_formula() {
        // 12,000 units / (120 x 7.5 x 0.85) = 15.686 heads.
        assert!((heads_needed(12_000.0, &PICK) - 15.686_274_509_803_92).abs() < 1e-9);
        let w = workload(&[(Process::Pick, 12_000.0)], &[PICK]);
        assert_eq!(w[0].hours, 100.0);
    }

    #[test]
    fn learned_rate_pools_units_over_hours() {
        assert_eq!(
            learned_units_per_hour(&[(1_000.0, 8.0), (500.0, 2.0)]),
            Some(150.0)
        );
        assert_eq!(learned_units_per_hour(&[]), None);
    }

    fn steady(actor: &str, process: Process, from: i64, every: i64, n: usize) -> Vec<Activity> {
        (0..n)
            .map(|i| Activity {
                actor: actor.into(),
                process,
                at: from + every * i as i64,
                units: 1.0,
            })
            .collect()
    }

    #[test]
    fn learned_standard_is_the_median_session_rate_ignoring_breaks() {
        // One unit every 30 s is 120 an hour; one every 20 s is 180; one
        // every 36 s is 100. The lunch break between sessions does not count.
        let mut a = steady("ann", Process::Pick, 0, 30, 100);
        a.extend(steady("ann", Process::Pick, 3 * 3600 + 3000, 20, 50));
        a.extend(steady("bob", Process::Pick, 0, 36, 80));
        a.extend(steady("bob", Process::Pack, 0, 60, 2));
        let rates = learn_rates(&a);
        assert_eq!(rates.len(), 1, "two pack events are no session: {rates:?}");
        assert_eq!(rates[0].process, Process::Pick);
        assert_eq!(rates[0].sessions, 3);
        assert_eq!(rates[0].actors, 2);
        assert!((rates[0].units_per_hour - 120.0).abs() < 1e-9, "{rates:?}");
    }

    #[test]
    fn one_straggler_does_not_move_the_learned_standard() {
        let mut a = steady("ann", Process::Receive, 0, 60, 30);
        a.extend(steady("bob", Process::Receive, 0, 60, 30));
        a.extend(steady("cy", Process::Receive, 0, 600, 3));
        let rates = learn_rates(&a);
        assert!((rates[0].units_per_hour - 60.0).abs() < 1e-9, "{rates:?}");
    }

    #[test]
    fn new_hires_at_half_speed_need_more_heads() {
        let ramp = RampUp {
            weekly_productivity: vec![0.5, 0.75, 0.9],
        };
        // 14 on duty after 30% shrinkage = 20 experienced heads.
        assert_eq!(rostered_heads_with_ramp_up(14.0, 0.3, &[], &ramp), 20);
        // Four first-week hires produce two heads' worth: 18 + 4 = 22.
        assert_eq!(
            rostered_heads_with_ramp_up(14.0, 0.3, &[0, 0, 0, 0], &ramp),
            22
        );
        // Past the ramp they count in full.
        assert_eq!(rostered_heads_with_ramp_up(14.0, 0.3, &[5, 5], &ramp), 20);
    }
}
