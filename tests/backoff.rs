//! The backoff policy as an app computes it, through its public API (pure arithmetic, so
//! native): ceilings, the floor, fixed waits, tamed parameters, and delays in range whatever the
//! inputs.
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use proptest::prelude::*;
use wasm_websocket::reconnect::Jitter;
use wasm_websocket::Backoff;

#[test]
fn ceilings_grow_by_the_factor_up_to_the_cap() {
    let b = Backoff::new(Duration::from_millis(100), 3.0, Duration::from_secs(2));
    let ceilings: Vec<u128> = (0..6).map(|n| b.ceiling(n).as_millis()).collect();
    assert_eq!(ceilings, [100, 300, 900, 2000, 2000, 2000]);
    assert_eq!(b.ceiling(u32::MAX), Duration::from_secs(2));
}

#[test]
fn the_floor_lifts_low_ceilings_and_never_passes_max() {
    let b = Backoff::new(Duration::from_millis(10), 2.0, Duration::from_secs(1));
    let lifted = b.with_min_delay(Duration::from_millis(50));
    let ceilings: Vec<u128> = (0..8).map(|n| lifted.ceiling(n).as_millis()).collect();
    assert_eq!(ceilings, [50, 50, 50, 80, 160, 320, 640, 1000]);
    assert_eq!(
        b.with_min_delay(Duration::MAX).min_delay(),
        Duration::from_secs(1)
    );
    assert_eq!(
        b.with_min_delay(Duration::MAX).delay(0, 0.0),
        Duration::from_secs(1)
    );
}

#[test]
fn fixed_waits_the_same_every_time() {
    let b = Backoff::fixed(Duration::from_secs(3));
    assert_eq!((b.factor(), b.jitter()), (1.0, Jitter::None));
    for retry in [0, 1, 7, u32::MAX] {
        assert_eq!(b.delay(retry, 0.3), Duration::from_secs(3));
    }
}

#[test]
fn bad_parameters_are_tamed() {
    let b = Backoff::new(Duration::from_secs(2), 0.5, Duration::from_secs(1));
    assert_eq!(b.factor(), 1.0);
    assert_eq!(b.max(), Duration::from_secs(2));
    assert_eq!(
        Backoff::new(Duration::ZERO, f64::NAN, Duration::ZERO).factor(),
        1.0
    );
}

/// Any duration, the extremes included.
fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        Just(Duration::MAX),
        (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
        (0u64..100_000).prop_map(Duration::from_millis),
    ]
}

/// Any `f64`, NaN, infinities and negatives included.
fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-1.0),
        Just(0.0),
        Just(1.0),
        any::<f64>(),
        -10.0..10.0f64,
    ]
}

proptest! {
    /// The driver computes delays inside a spawned task, where a panic would abort the
    /// wasm instance: whatever the inputs, a delay lies between the floor and its ceiling, and
    /// that is at most `max`.
    #[test]
    fn delays_never_panic_and_stay_within_zero_and_max(
        initial in duration(),
        factor in float(),
        max in duration(),
        retry in any::<u32>(),
        unit in float(),
        min_delay in duration(),
        jitter in prop_oneof![Just(Jitter::Full), Just(Jitter::Equal), Just(Jitter::None)],
    ) {
        let backoff = Backoff::new(initial, factor, max).with_min_delay(min_delay).with_jitter(jitter);
        let ceiling = backoff.ceiling(retry);
        let delay = backoff.delay(retry, unit);
        prop_assert!(min_delay.min(backoff.max()) <= delay);
        prop_assert!(delay <= ceiling);
        prop_assert!(ceiling <= backoff.max());
    }
}
