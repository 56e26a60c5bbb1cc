//! A handshake runs first on every connection: nothing queued goes before it, what it reads is
//! its own, and a handshake that fails or stalls ends the connection with a typed error, the
//! close policy deciding what follows.

use std::time::Duration;

use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{
    CloseCode, ClosedBy, Error, GiveUpReason, Handshake, Message, ReconnectEvent, ReconnectStatus,
    Untyped,
};

use super::*;

/// The events up to the one `want` matches, for a socket that gives up.
fn gave_up(e: &ReconnectEvent) -> bool {
    matches!(e, ReconnectEvent::Status(ReconnectStatus::GaveUp(_)))
}

#[wasm_bindgen_test]
async fn the_handshake_goes_first_on_every_connection_and_what_waited_after_it() {
    let id = tag("handshake-first");
    browser_test!(20_000, async {
        let mut events = reconnecting(&format!("/flaky?up_ms=300&id={id}"))
            .handshake(hello())
            .start()
            .unwrap()
            .events(Untyped);
        // Queued before the first connection has opened.
        events.socket().try_send(text("early")).unwrap();
        until(&mut events, |e| {
            *e == ReconnectEvent::Message(text("early"))
        })
        .await;
        until(&mut events, |e| {
            matches!(e, ReconnectEvent::Disconnected { .. })
        })
        .await;
        // Queued while the server is down.
        for t in ["a", "b", "c"] {
            events.socket().try_send(text(t)).unwrap();
        }
        let seen = until(&mut events, |e| *e == ReconnectEvent::Message(text("c"))).await;
        events.socket().close().unwrap();
        assert_eq!(
            messages(&seen),
            [text("a"), text("b"), text("c")],
            "the handshake's echo is its own: {seen:?}"
        );
        let s = stats(&id).await;
        assert_eq!(
            s.strings("texts"),
            ["hello", "early", "hello", "a", "b", "c"],
            "each connection starts with the handshake"
        );
    });
}

#[wasm_bindgen_test]
async fn a_handshake_that_stalls_ends_its_connection_with_4904_and_says_why() {
    let id = tag("handshake-stall");
    browser_test!(20_000, async {
        let stalls = Handshake::exchange(|mut io| async move { io.next().await.map(drop) })
            .timeout(Duration::from_millis(200));
        let mut events = reconnecting(&format!("/silent?id={id}"))
            .handshake(stalls)
            .should_reconnect(|close| close.code != CloseCode::HANDSHAKE_FAILED)
            .start()
            .unwrap()
            .events(Untyped);
        let seen = until(&mut events, gave_up).await;
        let failed = Error::Handshake {
            reason: "not done within 200 ms".into(),
        };
        assert!(!seen.contains(&OPEN), "never open to the app: {seen:?}");
        assert!(seen.contains(&ReconnectEvent::Error(failed)), "{seen:?}");
        match seen.last().and_then(ReconnectEvent::status) {
            Some(ReconnectStatus::GaveUp(GiveUpReason::ClosePolicy { close, by })) => {
                assert_eq!(
                    (close.code, *by),
                    (CloseCode::HANDSHAKE_FAILED, ClosedBy::Socket)
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(stats(&id).await.num("close_code"), 4904.0);
    });
}

#[wasm_bindgen_test]
async fn a_peer_that_closes_during_the_handshake_fails_it_with_its_own_close() {
    browser_test!(20_000, async {
        let mut events = reconnecting("/close?code=4403&reason=forbidden")
            .handshake(hello())
            .should_reconnect(|close| close.code.as_u16() != 4403)
            .start()
            .unwrap()
            .events(Untyped);
        let seen = until(&mut events, gave_up).await;
        assert!(
            seen.iter().any(|e| matches!(
                e,
                ReconnectEvent::Error(Error::Handshake { reason }) if reason.contains("4403")
            )),
            "{seen:?}"
        );
        match seen.last().and_then(ReconnectEvent::status) {
            Some(ReconnectStatus::GaveUp(GiveUpReason::ClosePolicy { close, by })) => {
                assert_eq!((close.code.as_u16(), *by), (4403, ClosedBy::Peer));
            }
            other => panic!("{other:?}"),
        }
    });
}

#[wasm_bindgen_test]
async fn what_the_handshake_reads_is_its_own_unless_it_keeps_it() {
    browser_test!(20_000, async {
        let keeps_welcome = Handshake::exchange(|mut io| async move {
            io.send(text("token"))?;
            io.send(text("welcome"))?;
            let token = io.next().await?;
            assert_eq!(token, text("token"));
            let welcome = io.next().await?;
            io.keep(welcome);
            Ok(())
        });
        let mut events = reconnecting("/echo")
            .handshake(keeps_welcome)
            .start()
            .unwrap()
            .events(Untyped);
        events.socket().try_send(text("after")).unwrap();
        let seen = until(&mut events, |e| {
            *e == ReconnectEvent::Message(text("after"))
        })
        .await;
        events.socket().close().unwrap();
        let opened = seen.iter().position(|e| *e == OPEN).expect("an open");
        assert_eq!(
            messages(&seen[opened..]),
            [text("welcome"), text("after")],
            "{seen:?}"
        );
        assert_eq!(messages(&seen[..opened]), Vec::<Message>::new());
    });
}
