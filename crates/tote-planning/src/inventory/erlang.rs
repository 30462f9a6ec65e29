//! Erlang C: staffing queue-like stations (a returns desk, a problem-solve
//! station, a contact queue) where work arrives at random and waits.

/// Queue figures for one staffing level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ErlangC {
    /// Offered load A = arrival rate x handling time, in Erlangs.
    pub load_erlangs: f64,
    /// Probability an arrival waits at all.
    pub wait_probability: f64,
    /// Share of arrivals answered within the target time.
    pub service_level: f64,
    /// A / N: the share of time servers are busy.
    pub occupancy: f64,
    /// Mean wait over all arrivals, seconds.
    pub average_wait_s: f64,
}

/// Erlang C for `servers` servers, `arrivals` per `interval_s` seconds, each
/// taking `handle_time_s`; None when the load reaches the servers (the
/// queue grows without bound). Uses the stable Erlang B recursion.
pub fn erlang_c(
    arrivals: f64,
    interval_s: f64,
    handle_time_s: f64,
    servers: u32,
    answer_target_s: f64,
) -> Option<ErlangC> {
    let load = arrivals * handle_time_s / interval_s;
    let n = f64::from(servers);
    if n <= load {
        return None;
    }
    let mut blocking = 1.0;
    for k in 1..=servers {
        blocking = load * blocking / (f64::from(k) + load * blocking);
    }
    let wait_probability = n * blocking / (n - load * (1.0 - blocking));
    let service_level =
        1.0 - wait_probability * (-(n - load) * answer_target_s / handle_time_s).exp();
    let average_wait_s = wait_probability * handle_time_s / (n - load);
    Some(ErlangC {
        load_erlangs: load,
        wait_probability,
        service_level,
        occupancy: load / n,
        average_wait_s,
    })
}

/// The fewest servers whose service level reaches `target`.
pub fn servers_for_service_level(
    arrivals: f64,
    interval_s: f64,
    handle_time_s: f64,
    answer_target_s: f64,
    target: f64,
) -> u32 {
    let load = arrivals * handle_time_s / interval_s;
    let mut servers = load.floor() as u32 + 1;
    loop {
        let q = erlang_c(
            arrivals,
            interval_s,
            handle_time_s,
            servers,
            answer_target_s,
        )
        .expect("servers exceed the load");
        if q.service_level >= target {
            return servers;
        }
        servers += 1;
    }
}

/// Heads to roster so `on_duty` are working after shrinkage (breaks,
/// absence, training): ceil(on_duty / (1 - shrinkage)).
pub fn rostered_heads(on_duty: u32, shrinkage: f64) -> u32 {
    assert!(
        (0.0..1.0).contains(&shrinkage),
        "shrinkage {shrinkage} outside [0, 1)"
    );
    // A hair below the exact quotient so 14 / 0.7 stays 20 despite rounding.
    (f64::from(on_duty) / (1.0 - shrinkage) - 1e-9).ceil() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_server_queue_is_m_m_1() {
        // M/M/1 with utilisation 0.5: P(wait) = 0.5.
        let q = erlang_c(1.0, 60.0, 30.0, 1, 0.0).unwrap();
        assert!((q.wait_probability - 0.5).abs() < 1e-12);
    }

    #[test]
    fn overloaded_stations_have_no_steady_state() {
        assert_eq!(erlang_c(100.0, 1800.0, 180.0, 10, 20.0), None);
    }
}
