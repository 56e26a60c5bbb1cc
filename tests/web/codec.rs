//! Codecs: one type out and another in, and any codee codec, on a real connection.

use codee::binary::MsgpackSerdeCodec;
use futures::{SinkExt, StreamExt};
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::codec::CodeeCodec;
use wasm_websocket::{Codec, Json, Message};

use crate::util::*;

/// What the client sends.
#[derive(Debug, PartialEq, serde::Serialize)]
struct Ask {
    n: u32,
    text: String,
}

/// What it receives: the echo, read as another type.
#[derive(Debug, PartialEq, serde::Deserialize)]
struct Answer {
    n: u64,
    text: String,
}

fn ask() -> Ask {
    Ask {
        n: 7,
        text: "hé".into(),
    }
}

fn answer() -> Answer {
    Answer {
        n: 7,
        text: "hé".into(),
    }
}

#[wasm_bindgen_test]
async fn json_sends_one_type_and_receives_another() {
    browser_test!(10_000, async {
        let mut socket = connected("/echo").await.typed(Json::<Ask, Answer>::new());
        socket.send(ask()).await.unwrap();
        assert_eq!(socket.next().await.unwrap().unwrap(), answer());
    });
}

#[wasm_bindgen_test]
async fn a_codee_msgpack_codec_sends_binary_and_decodes_the_echo() {
    browser_test!(10_000, async {
        let codec = CodeeCodec::<MsgpackSerdeCodec, Ask, Answer>::new();
        assert!(
            matches!(codec.encode(&ask()), Ok(Message::Binary(_))),
            "msgpack goes out as binary"
        );
        let mut socket = connected("/echo").await.typed(codec);
        socket.send(ask()).await.unwrap();
        assert_eq!(socket.next().await.unwrap().unwrap(), answer());
        // Not msgpack: one error item, and the stream goes on.
        socket.socket().send_text("not msgpack").await.unwrap();
        socket.send(ask()).await.unwrap();
        assert!(matches!(
            socket.next().await.unwrap(),
            Err(wasm_websocket::Error::Decode { .. })
        ));
        assert_eq!(socket.next().await.unwrap().unwrap(), answer());
    });
}
