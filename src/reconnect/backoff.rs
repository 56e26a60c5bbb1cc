use std::time::Duration;

/// Exponential backoff with full jitter: the n-th retry waits a random time between zero and
/// `min(max, initial × factor^n)` ("full jitter" spreads the reconnects of many clients after a
/// server restart instead of synchronising them).
///
/// ```
/// use std::time::Duration;
/// use wasm_websocket::Backoff;
/// let backoff = Backoff::new(Duration::from_millis(500), 2.0, Duration::from_secs(30));
/// assert_eq!(backoff.ceiling(0), Duration::from_millis(500));
/// assert_eq!(backoff.ceiling(3), Duration::from_secs(4));
/// assert_eq!(backoff.ceiling(20), Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    // Private so that every value has passed through `new`'s clamping.
    initial: Duration,
    factor: f64,
    max: Duration,
}

impl Default for Backoff {
    /// 500 ms, doubling, at most 30 s.
    fn default() -> Self {
        Backoff::new(Duration::from_millis(500), 2.0, Duration::from_secs(30))
    }
}

impl Backoff {
    /// A backoff schedule; `factor` below 1 is taken as 1, a `max` below `initial` as `initial`.
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = wasm_websocket::Backoff::new(Duration::from_millis(250), 0.5, Duration::ZERO);
    /// assert_eq!((b.factor(), b.max()), (1.0, Duration::from_millis(250)));
    /// ```
    pub fn new(initial: Duration, factor: f64, max: Duration) -> Backoff {
        Backoff {
            initial,
            factor: if factor.is_finite() {
                factor.max(1.0)
            } else {
                1.0
            },
            max: max.max(initial),
        }
    }

    /// The first retry's ceiling.
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = wasm_websocket::Backoff::new(Duration::from_secs(1), 2.0, Duration::from_secs(8));
    /// assert_eq!(b.initial(), Duration::from_secs(1));
    /// ```
    pub fn initial(&self) -> Duration {
        self.initial
    }

    /// How much the ceiling grows per retry (at least 1).
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = wasm_websocket::Backoff::new(Duration::from_secs(1), f64::NAN, Duration::from_secs(8));
    /// assert_eq!(b.factor(), 1.0);
    /// ```
    pub fn factor(&self) -> f64 {
        self.factor
    }

    /// The largest ceiling (at least [`initial`](Backoff::initial)).
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = wasm_websocket::Backoff::new(Duration::from_secs(1), 2.0, Duration::from_secs(8));
    /// assert_eq!(b.max(), Duration::from_secs(8));
    /// ```
    pub fn max(&self) -> Duration {
        self.max
    }

    /// The longest wait before retry number `retry` (0 for the first).
    pub fn ceiling(&self, retry: u32) -> Duration {
        let grown = self.initial.as_secs_f64() * self.factor.powi(retry.min(1_000) as i32);
        // Never a panic, even at `Duration::MAX`: what a `Duration` cannot hold is past `max`,
        // and 0 × ∞ (a zero start with a huge factor) stays at the start.
        if grown.is_nan() {
            return self.initial;
        }
        Duration::try_from_secs_f64(grown).map_or(self.max, |ceiling| ceiling.min(self.max))
    }

    /// The wait before retry number `retry`, given a uniform random number in `[0, 1)` (taken
    /// as 0 when NaN, and clamped into `[0, 1]`).
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = wasm_websocket::Backoff::new(Duration::from_secs(1), 2.0, Duration::from_secs(8));
    /// assert_eq!(b.delay(2, 0.5), Duration::from_secs(2));
    /// ```
    pub fn delay(&self, retry: u32, unit: f64) -> Duration {
        let ceiling = self.ceiling(retry);
        let unit = if unit.is_nan() {
            0.0
        } else {
            unit.clamp(0.0, 1.0)
        };
        Duration::try_from_secs_f64(ceiling.as_secs_f64() * unit)
            .map_or(ceiling, |delay| delay.min(ceiling))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn ceilings_grow_by_the_factor_up_to_the_cap() {
        let b = Backoff::new(Duration::from_millis(100), 3.0, Duration::from_secs(2));
        let ceilings: Vec<u128> = (0..6).map(|n| b.ceiling(n).as_millis()).collect();
        assert_eq!(ceilings, [100, 300, 900, 2000, 2000, 2000]);
        assert_eq!(b.ceiling(u32::MAX), Duration::from_secs(2));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn bad_parameters_are_tamed() {
        let b = Backoff::new(Duration::from_secs(2), 0.5, Duration::from_secs(1));
        assert_eq!(b.factor, 1.0);
        assert_eq!(b.max, Duration::from_secs(2));
        assert_eq!(
            Backoff::new(Duration::ZERO, f64::NAN, Duration::ZERO).factor,
            1.0
        );
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use std::time::Duration;

    use proptest::prelude::*;

    use super::Backoff;

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
        /// wasm instance: whatever the inputs, a delay is a duration between zero and `max`.
        #[test]
        fn delays_never_panic_and_stay_within_zero_and_max(
            initial in duration(),
            factor in float(),
            max in duration(),
            retry in any::<u32>(),
            unit in float(),
        ) {
            let backoff = Backoff::new(initial, factor, max);
            let ceiling = backoff.ceiling(retry);
            let delay = backoff.delay(retry, unit);
            prop_assert!(ceiling <= backoff.max());
            prop_assert!(delay <= ceiling);
        }
    }
}
