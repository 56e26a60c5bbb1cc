//! The application-level heartbeat: its settings ([`Heartbeat`]), and its judgement apart from
//! timers and sockets ([`PeerWatch`]): given the times it is woken and the times the peer is heard
//! from, it says when to ping and when the peer is dead.
//!
//! Hidden tabs fire timers late (the crate docs' "Background tabs"), and a late wake-up can run
//! before the message events queued meanwhile, the pong among them. So a deadline met late proves
//! nothing: the peer is judged dead only when a wake-up comes on time, after a whole `timeout`
//! without a word; a late one grants the peer a fresh `timeout`.

use std::rc::Rc;
use std::time::Duration;

use crate::message::Message;

/// An application-level heartbeat: browsers cannot send WebSocket pings, so a ping message is
/// sent every `interval`, and if no pong (or, optionally, no message at all) arrives within
/// `timeout`, the connection is considered dead and closed with
/// [`CloseCode::HEARTBEAT_TIMEOUT`](crate::CloseCode::HEARTBEAT_TIMEOUT) (4900), which lets the reconnecting socket try again.
///
/// In a hidden tab pings go out late and a deadline met more than 2 s late grants the peer a
/// fresh `timeout`: throttling delays detection, never closes a live connection (see
/// [background tabs](crate#background-tabs)).
///
/// ```
/// use std::time::Duration;
/// use wasm_websocket::{Heartbeat, Message};
/// let hb = Heartbeat::new(Duration::from_secs(20), Duration::from_secs(5))
///     .ping(Message::Text("ping".into()))
///     .pong(|m| *m == Message::Text("pong".into()));
/// ```
#[derive(Clone)]
#[must_use = "a heartbeat does nothing until given to ReconnectBuilder::heartbeat"]
pub struct Heartbeat {
    pub(super) interval: Duration,
    pub(super) timeout: Duration,
    pub(super) ping: Message,
    pub(super) is_pong: Rc<dyn Fn(&Message) -> bool>,
    pub(super) any_message_counts: bool,
}

impl std::fmt::Debug for Heartbeat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Heartbeat")
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .field("ping", &self.ping)
            .field("any_message_counts", &self.any_message_counts)
            .finish_non_exhaustive()
    }
}

impl Heartbeat {
    /// Pings every `interval` (idle time after the last pong), waits `timeout` for the pong. The
    /// default ping is the text `"ping"`, the default pong the text `"pong"`.
    ///
    /// ```
    /// use std::time::Duration;
    /// let hb = wasm_websocket::Heartbeat::new(Duration::from_secs(20), Duration::from_secs(5));
    /// ```
    pub fn new(interval: Duration, timeout: Duration) -> Heartbeat {
        Heartbeat {
            interval,
            timeout,
            ping: Message::Text("ping".into()),
            is_pong: Rc::new(|m| matches!(m, Message::Text(t) if t == "pong")),
            any_message_counts: false,
        }
    }

    /// The message sent as a ping.
    ///
    /// ```
    /// # let hb = wasm_websocket::Heartbeat::new(std::time::Duration::from_secs(20), std::time::Duration::from_secs(5));
    /// let hb = hb.ping(wasm_websocket::Message::Text(r#"{"type":"ping"}"#.into()));
    /// ```
    pub fn ping(mut self, ping: Message) -> Heartbeat {
        self.ping = ping;
        self
    }

    /// Recognises the pong; pongs are consumed, not yielded.
    ///
    /// ```
    /// # let hb = wasm_websocket::Heartbeat::new(std::time::Duration::from_secs(20), std::time::Duration::from_secs(5));
    /// use wasm_websocket::Message;
    /// let hb = hb.pong(|m| matches!(m, Message::Text(t) if t.contains("pong")));
    /// ```
    pub fn pong(mut self, is_pong: impl Fn(&Message) -> bool + 'static) -> Heartbeat {
        self.is_pong = Rc::new(is_pong);
        self
    }

    /// Whether any received message proves the peer alive, not only a pong (default false).
    ///
    /// ```
    /// # let hb = wasm_websocket::Heartbeat::new(std::time::Duration::from_secs(20), std::time::Duration::from_secs(5));
    /// let hb = hb.any_message_counts(true);
    /// ```
    pub fn any_message_counts(mut self, counts: bool) -> Heartbeat {
        self.any_message_counts = counts;
        self
    }
}

/// A wake-up later than this after its due time means the page was throttled or frozen. Longer
/// than a hidden tab's 1 s timer alignment plus a busy main thread, far shorter than intensive
/// throttling's minute.
const LATE: f64 = 2_000.0;

/// What the driver should do after a wake-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Nothing now; wake again at [`PeerWatch::due`].
    Wait,
    /// Send the ping, then wake again at [`PeerWatch::due`].
    Ping,
    /// No pong within the timeout: close the connection.
    Dead,
}

/// The ping/pong state of one connection. Times are milliseconds on one monotonic clock (`platform::timer::now`).
#[derive(Debug, Clone)]
pub(super) struct PeerWatch {
    interval: f64,
    timeout: f64,
    awaiting_pong: bool,
    due: f64,
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

impl PeerWatch {
    /// Starts idle: the first ping is due one `interval` after `now`.
    pub(super) fn new(heartbeat: &Heartbeat, now: f64) -> PeerWatch {
        let interval = millis(heartbeat.interval);
        PeerWatch {
            interval,
            timeout: millis(heartbeat.timeout),
            awaiting_pong: false,
            due: now + interval,
        }
    }

    /// When the driver should wake next.
    #[cfg(test)]
    pub(super) fn due(&self) -> f64 {
        self.due
    }

    /// How long from `now` until [`PeerWatch::due`] (zero if past, or if a time is not finite).
    pub(super) fn wait_from(&self, now: f64) -> Duration {
        Duration::try_from_secs_f64((self.due - now) / 1_000.0).unwrap_or(Duration::ZERO)
    }

    /// The peer proved alive (a pong, or any message if those count): idle again. Whether a
    /// ping awaited its pong: the wake-up armed for its deadline is then not the next one (the
    /// next ping may be due sooner, when the interval is shorter than the timeout).
    pub(super) fn heard_from_peer(&mut self, now: f64) -> bool {
        let awaited = self.awaiting_pong;
        self.awaiting_pong = false;
        self.due = now + self.interval;
        awaited
    }

    /// Something (the network changed) makes the peer worth checking now: the next wake-up
    /// pings, unless a ping already awaits its pong.
    pub(super) fn check_now(&mut self, now: f64) {
        if !self.awaiting_pong {
            self.due = self.due.min(now);
        }
    }

    /// A wake-up at `now`.
    pub(super) fn woken(&mut self, now: f64) -> Verdict {
        // A stale or early wake-up (a timer armed before the peer was last heard from).
        if now < self.due {
            return Verdict::Wait;
        }
        let late = now - self.due > LATE;
        if !self.awaiting_pong {
            self.awaiting_pong = true;
            self.due = now + self.timeout;
            Verdict::Ping
        } else if late {
            self.due = now + self.timeout;
            Verdict::Wait
        } else {
            Verdict::Dead
        }
    }
}

/// Ping every 20 s, wait 5 s for the pong.
#[cfg(test)]
fn watch(now: f64) -> PeerWatch {
    PeerWatch::new(
        &Heartbeat::new(Duration::from_secs(20), Duration::from_secs(5)),
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn a_check_now_pings_at_once_unless_a_ping_awaits_its_pong() {
        let mut w = watch(0.0);
        w.check_now(1_000.0);
        assert_eq!(w.woken(1_000.0), Verdict::Ping, "long before the interval");
        let due = w.due();
        w.check_now(2_000.0);
        assert_eq!(w.due(), due, "the pending pong's deadline stands");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn it_pings_after_the_interval_and_a_pong_in_time_keeps_the_peer() {
        let mut w = watch(0.0);
        assert_eq!(w.due(), 20_000.0);
        assert_eq!(w.woken(10_000.0), Verdict::Wait, "early");
        assert_eq!(w.woken(20_000.0), Verdict::Ping);
        assert_eq!(w.due(), 25_000.0);
        w.heard_from_peer(21_000.0);
        assert_eq!(
            w.woken(25_000.0),
            Verdict::Wait,
            "the old deadline is stale"
        );
        assert_eq!(w.woken(41_000.0), Verdict::Ping);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn silence_for_a_whole_timeout_on_time_is_death() {
        let mut w = watch(0.0);
        assert_eq!(w.woken(20_000.0), Verdict::Ping);
        assert_eq!(w.woken(25_000.0), Verdict::Dead);
        let mut w = watch(0.0);
        assert_eq!(w.woken(20_000.0), Verdict::Ping);
        assert_eq!(
            w.woken(25_000.0 + LATE),
            Verdict::Dead,
            "at the limit of on time"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_late_deadline_grants_a_fresh_timeout_instead_of_declaring_death() {
        let mut w = watch(0.0);
        assert_eq!(w.woken(20_000.0), Verdict::Ping);
        // A hidden tab's timer fires a minute late; the pong may be queued behind it.
        assert_eq!(w.woken(85_000.0), Verdict::Wait);
        assert_eq!(w.due(), 90_000.0);
        w.heard_from_peer(85_001.0);
        assert_eq!(w.woken(90_000.0), Verdict::Wait);
        // And a peer that is really gone is found once timers run on time.
        assert_eq!(w.woken(105_001.0), Verdict::Ping);
        assert_eq!(w.woken(110_001.0), Verdict::Dead);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_late_interval_only_pings_late() {
        let mut w = watch(0.0);
        assert_eq!(w.woken(200_000.0), Verdict::Ping);
        assert_eq!(w.due(), 205_000.0);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn nonsense_times_never_panic() {
        let mut w = PeerWatch::new(&Heartbeat::new(Duration::MAX, Duration::MAX), f64::MAX);
        for now in [f64::NAN, f64::INFINITY, -1.0, 0.0, f64::MAX] {
            let _ = w.woken(now);
            let _ = w.wait_from(now);
            w.heard_from_peer(now);
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use proptest::prelude::*;

    use super::{watch, Verdict, LATE};

    proptest! {
        /// A live peer answers each ping within the timeout. When a wake-up comes late (the
        /// page was throttled or frozen), the pong that arrived meanwhile may be handled only
        /// after it; on time, it was handled before. Whatever the lateness, never dead.
        #[test]
        fn late_wake_ups_never_kill_a_peer_that_answers(
            wake_ups in prop::collection::vec((0.0f64..600_000.0, 0.0f64..1.0), 1..50),
        ) {
            let mut w = watch(0.0);
            // When the browser received the pong to the last ping, not yet handled.
            let mut pong_at: Option<f64> = None;
            for (i, (late, answer)) in wake_ups.iter().enumerate() {
                let now = w.due() + late;
                let on_time = *late <= LATE;
                if let Some(at) = pong_at.filter(|at| *at <= now && on_time) {
                    w.heard_from_peer(at);
                    pong_at = None;
                }
                match w.woken(now) {
                    Verdict::Dead => prop_assert!(false, "declared dead at wake-up {i}"),
                    Verdict::Ping => pong_at = Some(now + answer * 5_000.0),
                    Verdict::Wait => {}
                }
                if pong_at.is_some_and(|at| at <= now) {
                    w.heard_from_peer(now);
                    pong_at = None;
                }
            }
        }

        /// A peer that never answers is declared dead at the first deadline met on time.
        #[test]
        fn a_silent_peer_dies_at_the_first_deadline_met_on_time(
            lateness in prop::collection::vec(LATE + 1.0..600_000.0, 0..10),
        ) {
            let mut w = watch(0.0);
            prop_assert_eq!(w.woken(w.due()), Verdict::Ping);
            for late in lateness {
                prop_assert_eq!(w.woken(w.due() + late), Verdict::Wait);
            }
            prop_assert_eq!(w.woken(w.due()), Verdict::Dead);
        }
    }
}
