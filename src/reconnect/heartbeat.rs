//! The application-level heartbeat's settings.

use std::rc::Rc;
use std::time::Duration;

use crate::message::Message;

/// An application-level heartbeat: browsers cannot send WebSocket pings, so a ping message is
/// sent every `interval`, and if no pong (or, optionally, no message at all) arrives within
/// `timeout`, the connection is considered dead and closed with
/// [`CloseCode::HEARTBEAT_TIMEOUT`](crate::CloseCode::HEARTBEAT_TIMEOUT) (4900), which lets the reconnecting socket try again.
///
/// **Background tabs.** Browsers run timers late in hidden tabs (Chrome: at most once a second;
/// chained timers once a minute once a loaded page has been hidden for a minute; a frozen tab not
/// at all until it thaws). Pings then go out late, and a deadline met more than 2 s late is not
/// taken as the peer's death, since the pong may be queued behind the timer: the peer gets a fresh
/// `timeout`. So throttling can only delay detection (until timers run on time, at the latest when
/// the tab is shown again); it never closes a live connection. The backoff between attempts
/// stretches the same way.
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
