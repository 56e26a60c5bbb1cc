//! The retry count and the seeded random numbers that turn a [`Backoff`] into the actual waits
//! of one reconnecting socket.

use std::time::Duration;

use super::Backoff;

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
mod tests {
    use super::*;
    use crate::reconnect::jitter::Jitter;
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
        let mut retries = Retries::new(backoff.min_delay(floor), 7);
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
        let mut plain = Retries::new(backoff.jitter(Jitter::None), 3);
        let waits: Vec<u128> = (0..6).map(|_| plain.next_delay().as_millis()).collect();
        assert_eq!(
            waits,
            [100, 200, 400, 800, 1000, 1000],
            "none: exactly the ceilings"
        );
        let mut equal = Retries::new(backoff.jitter(Jitter::Equal), 3);
        for n in 0..40 {
            let (delay, ceiling) = (equal.next_delay(), backoff.ceiling(n));
            assert!(
                ceiling / 2 <= delay && delay <= ceiling,
                "retry {n}: {delay:?}"
            );
        }
    }
}
