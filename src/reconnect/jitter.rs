//! [`Jitter`]: how a [`Backoff`](super::Backoff) picks each wait between its floor and ceiling.

use std::time::Duration;

/// How a [`Backoff`](super::Backoff) picks each wait below its ceiling.
///
/// ```
/// use std::time::Duration;
/// use wasm_websocket::{Backoff, Jitter};
/// let b = Backoff::default().jitter(Jitter::Equal);
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

#[cfg(test)]
mod tests {
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
