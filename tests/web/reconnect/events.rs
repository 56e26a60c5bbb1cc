//! `ReconnectEvents`: the socket read as one stream of its statuses, closes, messages (decoded)
//! and errors, in the order they happened, however far behind its reader is.

use futures::StreamExt;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{
    ClosedBy, Codec, Error, GiveUpReason, Json, Message, ReconnectEvent, ReconnectEvents,
    ReconnectStatus, Untyped,
};

use super::*;

/// A short name for each event, to compare orders.
fn name<T: std::fmt::Debug>(event: &ReconnectEvent<T>) -> String {
    match event {
        ReconnectEvent::Message(m) => format!("message {m:?}"),
        ReconnectEvent::Error(Error::GaveUp(_)) => "gave up".into(),
        ReconnectEvent::Error(e) => format!("error {e}"),
        ReconnectEvent::Disconnected { close, by } => {
            format!("closed {} {by:?}", close.code.as_u16())
        }
        ReconnectEvent::Status(ReconnectStatus::Waiting { attempt, .. }) => {
            format!("status waiting (attempt {attempt})")
        }
        ReconnectEvent::Status(status) => format!("status {status}"),
        ReconnectEvent::Lagged { skipped } => format!("lagged {skipped}"),
        _ => "other".into(),
    }
}

/// The names of `events`, each run of burst messages as one: "N burst messages" when they are
/// the burst's first N, in order.
fn summary(events: &[ReconnectEvent]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut run: Option<usize> = None;
    for event in events {
        match (event, run) {
            (ReconnectEvent::Message(Message::Text(t)), Some(n)) if *t == burst_text(n, 0) => {
                run = Some(n + 1);
            }
            (ReconnectEvent::Message(Message::Text(t)), None) if *t == burst_text(0, 0) => {
                run = Some(1);
            }
            _ => {
                if let Some(n) = run.take() {
                    names.push(format!("{n} burst messages"));
                }
                names.push(name(event));
            }
        }
    }
    if let Some(n) = run {
        names.push(format!("{n} burst messages"));
    }
    names
}

/// The next event (failing after 5 s), its name added to `names`.
async fn next<C: Codec>(
    events: &mut ReconnectEvents<C>,
    names: &mut Vec<String>,
) -> ReconnectEvent<C::Incoming>
where
    C::Incoming: std::fmt::Debug,
{
    let event = within(5_000, events.next()).await;
    let event = event.expect("the events went on");
    names.push(name(&event));
    event
}

#[wasm_bindgen_test]
async fn events_say_the_status_then_open_then_every_message_then_the_close() {
    browser_test!(10_000, async {
        let socket = reconnecting("/burst?n=50")
            .should_reconnect(|_| false)
            .start()
            .unwrap();
        let events: Vec<ReconnectEvent> = socket.events(Untyped).collect().await;
        let names = summary(&events);
        assert_eq!(
            names[..4],
            [
                "status connecting (attempt 1)",
                "status open",
                "50 burst messages",
                "closed 1000 Peer",
            ],
            "{names:?}"
        );
        // Why it gave up is the last error, received before the status that says so, which is
        // the last event.
        assert!(
            matches!(
                &events[events.len() - 2..],
                [
                    ReconnectEvent::Error(Error::GaveUp(why)),
                    ReconnectEvent::Status(ReconnectStatus::GaveUp(last @ GiveUpReason::ClosePolicy { by: ClosedBy::Peer, .. }))
                ] if why == last
            ),
            "{names:?}"
        );
    });
}

#[wasm_bindgen_test]
async fn a_decode_error_keeps_its_place_and_the_next_close_and_open_follow_in_order() {
    browser_test!(10_000, async {
        let socket = reconnecting("/echo").start().unwrap();
        let mut events = socket.events(Json::<Vec<u32>>::new());
        until(&mut events, |e| e.status() == Some(&ReconnectStatus::Open)).await;
        for t in ["[1]", "{not json", "[2]"] {
            events.socket().try_send(text(t)).unwrap();
        }
        let mut names = Vec::new();
        let mut typed = Vec::new();
        for _ in 0..3 {
            typed.push(next(&mut events, &mut names).await);
        }
        assert!(
            matches!(
                &typed[..],
                [
                    ReconnectEvent::Message(one),
                    ReconnectEvent::Error(Error::Decode { .. }),
                    ReconnectEvent::Message(two)
                ] if *one == [1] && *two == [2]
            ),
            "{names:?}"
        );
        // The socket's own events come after the messages, in the order they happened.
        events.socket().reconnect().unwrap();
        while next(&mut events, &mut names).await.status() != Some(&ReconnectStatus::Open) {}
        assert_eq!(
            names[3..],
            [
                "closed 1000 User",
                "status connecting (attempt 2)",
                "status open"
            ],
            "{names:?}"
        );
    });
}

#[wasm_bindgen_test]
async fn relay_applies_every_event_and_renders_once_per_frame_and_at_the_end() {
    browser_test!(10_000, async {
        let socket = reconnecting("/burst?n=2000")
            .should_reconnect(|_| false)
            .start()
            .unwrap();
        let messages = std::cell::Cell::new(0u32);
        let renders = std::cell::RefCell::new(Vec::new());
        socket
            .events(Untyped)
            .relay(
                |event| {
                    if let ReconnectEvent::Message(_) = event {
                        messages.set(messages.get() + 1);
                    }
                },
                || renders.borrow_mut().push(messages.get()),
            )
            .await;
        let renders = renders.into_inner();
        assert_eq!(messages.get(), 2_000, "every message applied");
        assert_eq!(
            renders.last(),
            Some(&2_000),
            "a render after the last event"
        );
        assert!(
            renders.len() < 200,
            "a render per frame, not per message: {} renders",
            renders.len()
        );
    });
}

/// A reader that reads nothing while 3,000 messages arrive (more than any bound the socket
/// keeps on what is not a message) still gets the open before them, every one of them in
/// order, and the close and the status the socket ended on, with nothing let go.
#[wasm_bindgen_test]
async fn a_reader_behind_a_burst_gets_the_open_every_message_and_the_last_status() {
    browser_test!(30_000, async {
        let socket = reconnecting("/burst?n=3000")
            .should_reconnect(|_| false)
            .start()
            .unwrap();
        // Behind: nothing read until the burst has come and the server has closed.
        until_status(&socket, |s| matches!(s, ReconnectStatus::GaveUp(_))).await;
        let mut events = socket.events(Untyped);
        let seen: Vec<ReconnectEvent> = (&mut events).collect().await;
        assert_eq!(
            summary(&seen)[..4],
            [
                "status connecting (attempt 1)",
                "status open",
                "3000 burst messages",
                "closed 1000 Peer",
            ],
            "{:?}",
            summary(&seen)
        );
        assert_eq!(
            seen.last(),
            Some(&ReconnectEvent::Status(events.socket().status())),
            "the last event is the status the socket ended on"
        );
        assert!(
            !seen
                .iter()
                .any(|e| matches!(e, ReconnectEvent::Lagged { .. })),
            "{:?}",
            summary(&seen)
        );
    });
}

/// A reader behind four connections of 1,000 messages each (more than any bound the socket
/// keeps on what is not a message) gets each connection's open, its messages and its close, in
/// order, and the retries between them.
#[wasm_bindgen_test]
async fn a_reader_behind_reconnects_and_bursts_gets_every_open_and_close_in_order() {
    let id = tag("behind-reconnects");
    browser_test!(30_000, async {
        // Each connection a burst the server closes; the 4th close is the 3rd retry's.
        let socket = reconnecting(&format!("/burst?n=1000&id={id}"))
            .max_retries(3)
            .start()
            .unwrap();
        until_status(&socket, |s| matches!(s, ReconnectStatus::GaveUp(_))).await;
        let seen: Vec<ReconnectEvent> = socket.events(Untyped).collect().await;
        let mut expected: Vec<String> = Vec::new();
        for attempt in 1..=4 {
            expected.extend([
                format!("status connecting (attempt {attempt})"),
                "status open".into(),
                "1000 burst messages".into(),
                "closed 1000 Peer".into(),
            ]);
            if attempt < 4 {
                expected.push(format!("status waiting (attempt {})", attempt + 1));
            }
        }
        expected.push("gave up".into());
        let got = summary(&seen);
        assert_eq!(got[..got.len() - 1], expected, "{got:?}");
        assert!(
            matches!(
                seen.last().and_then(ReconnectEvent::status),
                Some(ReconnectStatus::GaveUp(GiveUpReason::RetryLimit {
                    retries: 3,
                    ..
                }))
            ),
            "{got:?}"
        );
        assert_eq!(stats(&id).await.num("connections"), 4.0);
    });
}
