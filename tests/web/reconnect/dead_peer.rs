//! Peers that are gone while their TCP connection stays open (a frozen server, a dropped NAT
//! mapping, a laptop on another network): the browser would wait out its close timeout (20 s in
//! Firefox, longer in Chromium) for an answer that never comes; the socket moves on at once.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{
    CloseCode, ClosedBy, Heartbeat, ReconnectBuilder, ReconnectEvent, ReconnectEvents,
    ReconnectingSocket, WebSocket,
};

use super::*;

/// Far below the browsers' close timeouts, and a generous multiple of what the tests wait for
/// (heartbeat interval + timeout + backoff, under a second).
const PROMPTLY_MS: f64 = 5_000.0;

/// A reconnecting socket whose first connection goes to `first`, every later one to `/pong`.
fn first_then_pong(first: String) -> ReconnectBuilder {
    let calls = Rc::new(Cell::new(0u32));
    let live = url("/pong");
    ReconnectingSocket::builder(move || {
        calls.set(calls.get() + 1);
        WebSocket::builder(if calls.get() == 1 {
            first.clone()
        } else {
            live.clone()
        })
    })
    .backoff(fast())
}

/// The new connection works: an echo comes back through it.
async fn echoes(events: &mut ReconnectEvents) {
    events.socket().try_send(text("alive")).unwrap();
    assert_eq!(received(events).await, Ok(text("alive")));
}

#[wasm_bindgen_test]
async fn the_heartbeat_replaces_a_half_open_peer_at_once() {
    let id = tag("half-open-heartbeat");
    browser_test!(20_000, async {
        let live_before = settled_live_callbacks().await;
        let mut events = started_and_open(
            first_then_pong(url(&format!("/half-open?ms=8000&id={id}"))).heartbeat(Heartbeat::new(
                Duration::from_millis(300),
                Duration::from_millis(300),
            )),
        )
        .await;
        let opened = js_sys::Date::now();
        let seen = until(&mut events, |e| *e == OPEN).await;
        let took = js_sys::Date::now() - opened;
        assert!(
            matches!(&seen[0], ReconnectEvent::Disconnected { close, by: ClosedBy::Socket } if close.code == CloseCode::HEARTBEAT_TIMEOUT && !close.was_clean),
            "{seen:?}"
        );
        assert!(took < PROMPTLY_MS, "replaced after {took} ms");
        echoes(&mut events).await;
        drop(events);
        // The dead connection ends when the server lets go; nothing of it stays in the page.
        let s = stats(&id).await;
        assert_eq!((s.num("connections"), s.num("live_tagged")), (1.0, 0.0));
        assert_eq!(settled_live_callbacks().await, live_before);
    });
}

/// `Date.now()` an hour behind while it lives (NTP, a user, a VM resumed), as it is again once
/// dropped.
struct ClockSteppedBack(js_sys::Function);

impl ClockSteppedBack {
    fn start() -> ClockSteppedBack {
        let step = js_sys::Function::new_no_args(
            "const real = Date.now; Date.now = () => real() - 3600000; \
             return () => { Date.now = real; };",
        );
        let restore = step.call0(&JsValue::NULL).unwrap();
        ClockSteppedBack(restore.unchecked_into())
    }
}

impl Drop for ClockSteppedBack {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::NULL);
    }
}

/// Durations are measured on a monotonic clock: with the wall clock stepped back an hour after
/// the open, the heartbeat still finds the silent peer (within the test's time, not an hour).
#[wasm_bindgen_test]
async fn a_clock_stepped_back_does_not_hide_a_dead_peer() {
    browser_test!(20_000, async {
        let mut events = started_and_open(first_then_pong(url("/half-open?ms=8000")).heartbeat(
            Heartbeat::new(Duration::from_millis(300), Duration::from_millis(300)),
        ))
        .await;
        let _stepped = ClockSteppedBack::start();
        let seen = until(&mut events, |e| *e == OPEN).await;
        assert!(
            matches!(&seen[0], ReconnectEvent::Disconnected { close, by: ClosedBy::Socket } if close.code == CloseCode::HEARTBEAT_TIMEOUT),
            "{seen:?}"
        );
        echoes(&mut events).await;
    });
}

#[wasm_bindgen_test]
async fn reconnect_replaces_a_half_open_peer_at_once() {
    let id = tag("half-open-reconnect");
    browser_test!(20_000, async {
        let mut events =
            started_and_open(first_then_pong(url(&format!("/half-open?ms=8000&id={id}")))).await;
        let asked = js_sys::Date::now();
        events.socket().reconnect().unwrap();
        let seen = until(&mut events, |e| *e == OPEN).await;
        let took = js_sys::Date::now() - asked;
        assert!(
            matches!(&seen[..], [ReconnectEvent::Disconnected { close, by: ClosedBy::User }, c, OPEN] if close.code == CloseCode::NORMAL && *c == connecting(2)),
            "{seen:?}"
        );
        assert!(took < PROMPTLY_MS, "replaced after {took} ms");
        echoes(&mut events).await;
        drop(events);
        assert_eq!(stats(&id).await.num("live_tagged"), 0.0);
    });
}

/// When the page may have slept (`wake`) under an open connection, the heartbeat checks the
/// peer at once instead of waiting out its interval (600 s here).
async fn a_wake_up_checks_the_peer_at_once(wake: WakeUp, id: &str) {
    let mut events = started_and_open(first_then_pong(url(&format!("/silent?id={id}"))).heartbeat(
        Heartbeat::new(Duration::from_secs(600), Duration::from_millis(300)),
    ))
    .await;
    let changed = js_sys::Date::now();
    wake.fire();
    let seen = until(&mut events, |e| *e == OPEN).await;
    let took = js_sys::Date::now() - changed;
    assert!(
        matches!(&seen[0], ReconnectEvent::Disconnected { close, by: ClosedBy::Socket } if close.code == CloseCode::HEARTBEAT_TIMEOUT),
        "{seen:?}"
    );
    assert!(took < PROMPTLY_MS, "checked after {took} ms");
    echoes(&mut events).await;
    drop(events);
    assert_eq!(stats(id).await.strings("texts"), ["ping"]);
}

#[wasm_bindgen_test]
async fn an_online_event_checks_the_peer_at_once() {
    let id = tag("online-ping");
    browser_test!(
        20_000,
        a_wake_up_checks_the_peer_at_once(WakeUp::Online, &id)
    );
}

#[wasm_bindgen_test]
async fn becoming_visible_checks_the_peer_at_once() {
    let id = tag("visible-ping");
    browser_test!(
        20_000,
        a_wake_up_checks_the_peer_at_once(WakeUp::Visible, &id)
    );
}

#[wasm_bindgen_test]
async fn coming_back_from_the_page_cache_checks_the_peer_at_once() {
    let id = tag("pageshow-ping");
    browser_test!(
        20_000,
        a_wake_up_checks_the_peer_at_once(WakeUp::BackFromCache, &id)
    );
}

#[wasm_bindgen_test]
async fn resuming_a_frozen_page_checks_the_peer_at_once() {
    let id = tag("resume-ping");
    browser_test!(
        20_000,
        a_wake_up_checks_the_peer_at_once(WakeUp::Resumed, &id)
    );
}
