//! `SocketUpdates`: messages and events as one stream, in the order they happened.

use futures::StreamExt;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{
    ClosedBy, Codec, Error, Json, ReadyState, ReconnectStatus, SocketUpdate, SocketUpdates, Untyped,
};

use super::*;

/// A short name for each update, to compare orders.
fn name<T: std::fmt::Debug>(update: &SocketUpdate<T>) -> String {
    match update {
        SocketUpdate::Message(m) => format!("message {m:?}"),
        SocketUpdate::Error(Error::GaveUp(_)) => "gave up".into(),
        SocketUpdate::Error(e) => format!("error {e}"),
        SocketUpdate::Opened => "opened".into(),
        SocketUpdate::Closed { close, by } => format!("closed {} {by:?}", close.code.as_u16()),
        SocketUpdate::State { status, .. } => format!("state {status}"),
        _ => "other".into(),
    }
}

/// The next update (failing after 5 s), its name added to `names`.
async fn next<C: Codec>(
    updates: &mut SocketUpdates<C>,
    names: &mut Vec<String>,
) -> SocketUpdate<C::Incoming>
where
    C::Incoming: std::fmt::Debug,
{
    let update = within(5_000, updates.next()).await;
    let update = update.expect("the updates went on");
    names.push(name(&update));
    update
}

#[wasm_bindgen_test]
async fn updates_say_the_state_then_open_then_every_message_then_the_close() {
    browser_test!(10_000, async {
        let socket = reconnecting("/burst?n=50")
            .should_reconnect(|_| false)
            .start()
            .unwrap();
        let updates: Vec<_> = socket.updates(Untyped).unwrap().collect().await;
        let names: Vec<String> = updates.iter().map(name).collect();
        let opened = names.iter().position(|n| n == "opened").unwrap();
        let closed = names.iter().position(|n| n.starts_with("closed")).unwrap();
        assert_eq!(names[0], "state connecting (attempt 1)", "{names:?}");
        let messages: Vec<_> = updates
            .iter()
            .enumerate()
            .filter_map(|(i, u)| match u {
                SocketUpdate::Message(wasm_websocket::Message::Text(t)) => Some((i, t.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(
            messages.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>(),
            (0..50).map(|i| i.to_string()).collect::<Vec<_>>(),
            "every message, in order"
        );
        assert!(
            messages.iter().all(|(i, _)| opened < *i && *i < closed),
            "between the open and the close: {names:?}"
        );
        assert_eq!(names[closed], format!("closed 1000 {:?}", ClosedBy::Peer));
        // Why it gave up is the last error, received before the event that says so, which
        // makes the last state.
        assert_eq!(names[closed + 1], "gave up", "{names:?}");
        assert!(
            matches!(
                &updates[closed + 2..],
                [SocketUpdate::State {
                    ready_state: ReadyState::Closed,
                    status: ReconnectStatus::GaveUp(_),
                }]
            ),
            "{names:?}"
        );
    });
}

#[wasm_bindgen_test]
async fn a_decode_error_keeps_its_place_and_the_next_close_and_open_follow_in_order() {
    browser_test!(10_000, async {
        let (socket, events) = started_and_open(reconnecting("/echo")).await;
        drop(events);
        socket.try_send(text("[1]")).unwrap();
        socket.try_send(text("{not json")).unwrap();
        socket.try_send(text("[2]")).unwrap();
        let mut updates = socket.updates(Json::<Vec<u32>>::new()).unwrap();
        let mut names = Vec::new();
        for _ in 0..4 {
            next(&mut updates, &mut names).await;
        }
        // The socket's own events come after the messages in the order they happened.
        updates.socket().reconnect().unwrap();
        while !matches!(next(&mut updates, &mut names).await, SocketUpdate::Opened) {}
        while !matches!(
            next(&mut updates, &mut names).await,
            SocketUpdate::State {
                status: ReconnectStatus::Open,
                ..
            }
        ) {}
        assert_eq!(
            [&names[0], &names[1], &names[3]],
            ["state open", "message [1]", "message [2]"]
        );
        assert!(names[2].starts_with("error "), "{names:?}");
        let rest = &names[4..];
        assert_eq!(
            rest.first().map(String::as_str),
            Some("closed 1000 User"),
            "{names:?}"
        );
        assert_eq!(
            rest.iter().filter(|n| *n == "state open").count(),
            1,
            "each state once: {names:?}"
        );
        let opened = rest.iter().position(|n| n == "opened").unwrap();
        assert!(
            rest[..opened]
                .iter()
                .any(|n| n.starts_with("state connecting")),
            "connecting before the open: {names:?}"
        );
    });
}

#[wasm_bindgen_test]
async fn relay_applies_every_update_and_renders_once_per_frame_and_at_the_end() {
    browser_test!(10_000, async {
        let socket = reconnecting("/burst?n=2000")
            .should_reconnect(|_| false)
            .start()
            .unwrap();
        let messages = std::cell::Cell::new(0u32);
        let renders = std::cell::RefCell::new(Vec::new());
        socket
            .updates(Untyped)
            .unwrap()
            .relay(
                |update| {
                    if let SocketUpdate::Message(_) = update {
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
            "a render after the last update"
        );
        assert!(
            renders.len() < 200,
            "a render per frame, not per message: {} renders",
            renders.len()
        );
    });
}
