//! Shift patterns on small hand-worked cases.

use tote_planning::labor::shifts::{ShiftPattern, five_on_two_off, plan_shifts};

/// The post-office week (Winston, *Operations Research*, section 3.5): each
/// worker works five consecutive days; Monday..Sunday need 17, 13, 15, 19,
/// 14, 16, 11. The LP bound is 22 1/3, so at least 23 heads; 23 is reached.
#[test]
fn five_on_two_off_week_needs_23_heads() {
    let required = [17, 13, 15, 19, 14, 16, 11];
    let plan = plan_shifts(&required, &five_on_two_off(1.0)).unwrap();
    assert_eq!(plan.cost, 23.0);
    assert_eq!(plan.heads.iter().sum::<u32>(), 23);
    assert!(
        plan.coverage
            .iter()
            .zip(required)
            .all(|(&have, need)| have >= need)
    );
}

/// One day in four-hour blocks (06-10, 10-14, 14-18 before the carrier
/// cut-off at 18:00, 18-22) needing 4, 6, 8, 3 heads. By hand: only the
/// early shift covers 06-10 (4 heads) and only the late shift 18-22 (3); two
/// more heads for 10-14 cost the same early or mid, but mid also helps
/// 14-18; the last 3 heads of the peak are cheapest as 4-hour part-timers.
/// 4 x 160 + 2 x 160 + 3 x 184 + 3 x 88 = 1,776.
#[test]
fn peak_before_the_cut_off_is_covered_by_part_timers() {
    let pattern = |name: &str, covers: &[usize], cost: f64| ShiftPattern {
        name: name.into(),
        covers: covers.to_vec(),
        cost_per_head: cost,
    };
    let patterns = [
        pattern("early 06-14", &[0, 1], 160.0),
        pattern("mid 10-18", &[1, 2], 160.0),
        pattern("late 14-22", &[2, 3], 184.0),
        pattern("peak 14-18", &[2], 88.0),
    ];
    let plan = plan_shifts(&[4, 6, 8, 3], &patterns).unwrap();
    assert_eq!(plan.heads, vec![4, 2, 3, 3]);
    assert_eq!(plan.cost, 1_776.0);
}

/// The solver agrees with exhaustive search on every small week.
#[test]
fn shift_program_matches_exhaustive_search_on_small_weeks() {
    let patterns = five_on_two_off(1.0);
    let weeks: [[u32; 7]; 4] = [
        [1, 0, 2, 1, 0, 1, 2],
        [2, 2, 2, 2, 2, 0, 0],
        [0, 0, 0, 0, 0, 3, 1],
        [1, 2, 1, 2, 1, 2, 1],
    ];
    for required in weeks {
        let plan = plan_shifts(&required, &patterns).unwrap();
        let mut best = u32::MAX;
        // Heads per pattern 0..=3 cover every requirement of at most 3.
        for code in 0..4u32.pow(7) {
            let heads: Vec<u32> = (0..7).map(|i| code / 4u32.pow(i) % 4).collect();
            let covered = (0..7).all(|day| {
                patterns
                    .iter()
                    .zip(&heads)
                    .filter(|(p, _)| p.covers.contains(&day))
                    .map(|(_, &h)| h)
                    .sum::<u32>()
                    >= required[day]
            });
            if covered {
                best = best.min(heads.iter().sum());
            }
        }
        assert_eq!(plan.cost, f64::from(best), "{required:?}");
    }
}
