//! The schedule of a reconnecting socket's waits: the public settings ([`Backoff`], [`Jitter`]),
//! and the retry count and seeded random numbers that turn them into the actual waits of one
//! socket ([`Retries`]).

use std::time::Duration;

/// Exponential backoff: the n-th retry waits at most `ceiling(n) = min(max, initial × factor^n)`,
/// never less than [`min_delay`](Backoff::min_delay), and how far below the ceiling is the
/// [`Jitter`] mode's choice (by default [`Jitter::Full`], which spreads the reconnects of many
/// clients after a server restart instead of synchronising them).
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
    // Private so that every value has passed through the clamping of `new` and the setters.
    initial: Duration,
    factor: f64,
    max: Duration,
    min_delay: Duration,
    jitter: Jitter,
}

impl Default for Backoff {
    /// 500 ms, doubling, at most 30 s; full jitter, no minimum delay.
    fn default() -> Self {
        Backoff::new(Duration::from_millis(500), 2.0, Duration::from_secs(30))
    }
}

impl Backoff {
    /// A backoff schedule with full jitter and no minimum delay; `factor` below 1 is taken as 1,
    /// a `max` below `initial` as `initial`.
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
            min_delay: Duration::ZERO,
            jitter: Jitter::Full,
        }
    }

    /// The same wait every time: factor 1, no jitter. Chain [`jitter`](Backoff::jitter) to
    /// spread it below `interval` after all.
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = wasm_websocket::Backoff::fixed(Duration::from_secs(3));
    /// assert_eq!(b.delay(0, 0.1), Duration::from_secs(3));
    /// assert_eq!(b.delay(9, 0.9), Duration::from_secs(3));
    /// ```
    pub fn fixed(interval: Duration) -> Backoff {
        Backoff::new(interval, 1.0, interval).with_jitter(Jitter::None)
    }

    /// No wait shorter than `min_delay` (taken as [`max`](Backoff::max) when above it), whatever
    /// the jitter draws: full jitter alone can retry almost at once, which a struggling server
    /// sees from every client it just dropped.
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = wasm_websocket::Backoff::default().with_min_delay(Duration::from_millis(200));
    /// assert_eq!(b.delay(0, 0.0), Duration::from_millis(200));
    /// assert_eq!(b.min_delay(), Duration::from_millis(200));
    /// ```
    pub fn with_min_delay(self, min_delay: Duration) -> Backoff {
        Backoff {
            min_delay: min_delay.min(self.max),
            ..self
        }
    }

    /// How each wait is picked below the ceiling (default [`Jitter::Full`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// use wasm_websocket::reconnect::Jitter;
    /// use wasm_websocket::Backoff;
    /// let b = Backoff::default().with_jitter(Jitter::None);
    /// assert_eq!(b.delay(1, 0.3), Duration::from_secs(1));
    /// assert_eq!(b.jitter(), Jitter::None);
    /// ```
    pub fn with_jitter(self, jitter: Jitter) -> Backoff {
        Backoff { jitter, ..self }
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

    /// The shortest wait (default zero; at most [`max`](Backoff::max)), set by
    /// [`with_min_delay`](Backoff::with_min_delay).
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = wasm_websocket::Backoff::fixed(Duration::from_secs(1)).with_min_delay(Duration::MAX);
    /// assert_eq!(b.min_delay(), Duration::from_secs(1));
    /// ```
    pub fn min_delay(&self) -> Duration {
        self.min_delay
    }

    /// The jitter mode, set by [`with_jitter`](Backoff::with_jitter).
    ///
    /// ```
    /// use wasm_websocket::reconnect::Jitter;
    /// use wasm_websocket::Backoff;
    /// assert_eq!(Backoff::default().jitter(), Jitter::Full);
    /// ```
    pub fn jitter(&self) -> Jitter {
        self.jitter
    }

    /// The longest wait before retry number `retry` (0 for the first): `initial × factor^retry`,
    /// at most [`max`](Backoff::max) and at least [`min_delay`](Backoff::min_delay).
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = wasm_websocket::Backoff::new(Duration::from_millis(50), 2.0, Duration::from_secs(1))
    ///     .with_min_delay(Duration::from_millis(150));
    /// assert_eq!(b.ceiling(0), Duration::from_millis(150));
    /// assert_eq!(b.ceiling(2), Duration::from_millis(200));
    /// ```
    pub fn ceiling(&self, retry: u32) -> Duration {
        let grown = self.initial.as_secs_f64() * self.factor.powi(retry.min(1_000) as i32);
        // Never a panic, even at `Duration::MAX`: what a `Duration` cannot hold is past `max`,
        // and 0 × ∞ (a zero start with a huge factor) stays at the start.
        let ceiling = if grown.is_nan() {
            self.initial
        } else {
            Duration::try_from_secs_f64(grown).map_or(self.max, |ceiling| ceiling.min(self.max))
        };
        ceiling.max(self.min_delay)
    }

    /// The wait before retry number `retry`, given a uniform random number in `[0, 1)` (taken
    /// as 0 when NaN, and clamped into `[0, 1]`): in `[floor, ceiling(retry)]`, where the
    /// [`Jitter`] mode puts it.
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = wasm_websocket::Backoff::new(Duration::from_secs(1), 2.0, Duration::from_secs(8));
    /// assert_eq!(b.delay(2, 0.5), Duration::from_secs(2));
    /// ```
    pub fn delay(&self, retry: u32, unit: f64) -> Duration {
        self.jitter.pick(self.min_delay, self.ceiling(retry), unit)
    }
}

/// How a [`Backoff`](super::Backoff) picks each wait below its ceiling.
///
/// ```
/// use std::time::Duration;
/// use wasm_websocket::reconnect::Jitter;
/// use wasm_websocket::Backoff;
/// let b = Backoff::default().with_jitter(Jitter::Equal);
/// assert_eq!(b.delay(0, 0.0), Duration::from_millis(250));
/// assert_eq!(Jitter::default(), Jitter::Full);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Jitter {
    /// Uniformly in `[min_delay, ceiling]`: the widest spread, so that the clients a server
    /// restart disconnected at once come back one by one instead of in a burst.
    #[default]
    Full,
    /// Uniformly in `[ceiling / 2, ceiling]` (and never below the minimum delay): still spread,
    /// but each wait is at least half the ceiling, for a server that must not see early retries.
    Equal,
    /// Exactly the ceiling: a plain, predictable schedule, for a single client, a server of your
    /// own or tests; many clients on it reconnect in step.
    None,
}

impl Jitter {
    /// A wait in `[floor, ceiling]` (the caller keeps `floor <= ceiling`) for a `unit` in
    /// `[0, 1]`; NaN counts as 0 and anything else outside is clamped.
    pub(super) fn pick(self, floor: Duration, ceiling: Duration, unit: f64) -> Duration {
        let unit = if unit.is_nan() {
            0.0
        } else {
            unit.clamp(0.0, 1.0)
        };
        match self {
            Jitter::Full => between(floor, ceiling, unit),
            Jitter::Equal => between(floor.max(ceiling / 2), ceiling, unit),
            Jitter::None => ceiling,
        }
    }
}

/// `low + (high − low) × unit`, kept at most `high`: an `f64` holds a long span only roughly,
/// and its rounding may overshoot what a `Duration` can hold or the span itself.
fn between(low: Duration, high: Duration, unit: f64) -> Duration {
    let span = high.saturating_sub(low);
    let offset =
        Duration::try_from_secs_f64(span.as_secs_f64() * unit).map_or(span, |o| o.min(span));
    low.saturating_add(offset).min(high)
}

/// Consecutive retries since the last stable connection: what the next delay and the retry limit
/// are computed from.
#[derive(Debug, Clone)]
pub(crate) struct Retries {
    backoff: Backoff,
    rng: Xorshift,
    count: u32,
}

impl Retries {
    pub(crate) fn new(backoff: Backoff, seed: u64) -> Retries {
        Retries {
            backoff,
            rng: Xorshift::new(seed),
            count: 0,
        }
    }

    /// How many retries have been scheduled since the last reset.
    pub(crate) fn count(&self) -> u32 {
        self.count
    }

    /// The jittered wait before the next retry, counting it.
    pub(crate) fn next_delay(&mut self) -> Duration {
        let delay = self.backoff.delay(self.count, self.rng.next_unit());
        self.count = self.count.saturating_add(1);
        delay
    }

    /// Starts the schedule over (the user asked to connect).
    pub(crate) fn reset(&mut self) {
        self.count = 0;
    }

    /// A connection that stayed up at least `stable` starts the schedule over.
    pub(crate) fn connection_lasted(&mut self, uptime: Duration, stable: Duration) {
        if uptime >= stable {
            self.count = 0;
        }
    }
}

/// A small seeded generator (xorshift64*) so that jitter is reproducible in tests.
#[derive(Debug, Clone)]
pub(crate) struct Xorshift(u64);

impl Xorshift {
    pub(crate) fn new(seed: u64) -> Xorshift {
        Xorshift(seed | 1)
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn next_unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod jitter_tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    const UNITS: [f64; 7] = [0.0, 0.25, 0.5, 0.75, 1.0, f64::NAN, -3.0];

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn full_spreads_over_the_whole_range_above_the_floor() {
        let picks = UNITS.map(|u| Jitter::Full.pick(ms(100), ms(900), u));
        assert_eq!(picks, [100, 300, 500, 700, 900, 100, 100].map(ms));
        assert_eq!(Jitter::Full.pick(Duration::ZERO, ms(800), 0.5), ms(400));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn equal_stays_in_the_upper_half_and_above_the_floor() {
        let picks = UNITS.map(|u| Jitter::Equal.pick(Duration::ZERO, ms(800), u));
        assert_eq!(picks, [400, 500, 600, 700, 800, 400, 400].map(ms));
        assert_eq!(Jitter::Equal.pick(ms(600), ms(800), 0.0), ms(600));
        assert_eq!(Jitter::Equal.pick(ms(600), ms(800), 0.5), ms(700));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn none_is_exactly_the_ceiling() {
        for unit in UNITS {
            assert_eq!(Jitter::None.pick(ms(100), ms(900), unit), ms(900));
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_extremes_stay_in_range() {
        for unit in UNITS {
            for jitter in [Jitter::Full, Jitter::Equal, Jitter::None] {
                assert_eq!(
                    jitter.pick(Duration::MAX, Duration::MAX, unit),
                    Duration::MAX
                );
                assert_eq!(jitter.pick(ms(1), ms(1), unit), ms(1));
            }
            let full = Jitter::Full.pick(Duration::ZERO, Duration::MAX, unit);
            let equal = Jitter::Equal.pick(Duration::ZERO, Duration::MAX, unit);
            assert!(
                full <= equal && equal >= Duration::MAX / 2,
                "{unit}: {full:?} {equal:?}"
            );
        }
    }
}

#[cfg(test)]
mod retries_tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn seeded_jitter_stays_within_the_ceiling_and_is_reproducible() {
        let b = Backoff::default();
        let mut one = Xorshift::new(42);
        let mut two = Xorshift::new(42);
        for retry in 0..200 {
            let d = b.delay(retry % 12, one.next_unit());
            assert!(d <= b.ceiling(retry % 12), "{d:?}");
            assert_eq!(d, b.delay(retry % 12, two.next_unit()));
        }
        let units: Vec<f64> = (0..1000).map(|_| one.next_unit()).collect();
        assert!(units.iter().all(|u| (0.0..1.0).contains(u)));
        let mean = units.iter().sum::<f64>() / 1000.0;
        assert!((0.4..0.6).contains(&mean), "mean {mean}");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn retries_grow_and_a_stable_connection_resets_them() {
        let backoff = Backoff::new(Duration::from_millis(100), 2.0, Duration::from_secs(1));
        let mut retries = Retries::new(backoff, 9);
        for n in 0..6 {
            assert_eq!(retries.count(), n);
            assert!(retries.next_delay() <= backoff.ceiling(n));
        }
        retries.connection_lasted(Duration::from_secs(1), Duration::from_secs(5));
        assert_eq!(retries.count(), 6, "a short connection keeps the schedule");
        retries.connection_lasted(Duration::from_secs(5), Duration::from_secs(5));
        assert_eq!(retries.count(), 0, "a stable one starts it over");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_seeded_schedule_with_a_floor_never_waits_under_it() {
        let floor = Duration::from_millis(100);
        let backoff = Backoff::new(Duration::from_millis(50), 2.0, Duration::from_secs(2));
        let mut retries = Retries::new(backoff.with_min_delay(floor), 7);
        for n in 0..40 {
            let delay = retries.next_delay();
            assert!(delay >= floor, "retry {n} waited {delay:?}");
            assert!(
                delay <= backoff.ceiling(n).max(floor),
                "retry {n} waited {delay:?}"
            );
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn seeded_schedules_follow_the_jitter_mode() {
        let backoff = Backoff::new(Duration::from_millis(100), 2.0, Duration::from_secs(1));
        let mut plain = Retries::new(backoff.with_jitter(Jitter::None), 3);
        let waits: Vec<u128> = (0..6).map(|_| plain.next_delay().as_millis()).collect();
        assert_eq!(
            waits,
            [100, 200, 400, 800, 1000, 1000],
            "none: exactly the ceilings"
        );
        let mut equal = Retries::new(backoff.with_jitter(Jitter::Equal), 3);
        for n in 0..40 {
            let (delay, ceiling) = (equal.next_delay(), backoff.ceiling(n));
            assert!(
                ceiling / 2 <= delay && delay <= ceiling,
                "retry {n}: {delay:?}"
            );
        }
    }
}
