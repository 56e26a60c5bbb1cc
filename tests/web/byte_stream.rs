//! The byte stream (feature `io`): exact bytes both ways in odd sizes, `futures::io::copy`, and
//! a clear error for a text message.

use futures::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use futures::SinkExt;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::Message;

use crate::util::*;

/// Bytes `0..len` of a pattern that shows any loss, duplication or reordering.
fn pattern(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(7919) >> 3) as u8)
        .collect()
}

#[wasm_bindgen_test]
async fn sixteen_mib_in_odd_sized_writes_and_reads_come_back_exact() {
    let id = tag("io-16");
    browser_test!(120_000, async {
        let sent = pattern(16 << 20);
        let io = connected(&format!("/echo?id={id}")).await.into_io();
        let (mut reader, mut writer) = io.split();
        let write = async {
            for chunk in sent.chunks(7_919) {
                writer.write_all(chunk).await.unwrap();
            }
            writer.flush().await.unwrap();
        };
        let read = async {
            let mut got = vec![0u8; sent.len()];
            let mut at = 0;
            while at < got.len() {
                let end = (at + 4_099).min(got.len());
                let n = reader.read(&mut got[at..end]).await.unwrap();
                assert!(n > 0, "the stream ended after {at} bytes");
                at += n;
            }
            got
        };
        let ((), got) = futures::join!(write, read);
        assert!(got == sent, "the bytes that came back differ");
        let mut io = reader.reunite(writer).unwrap();
        io.close().await.unwrap();
        let s = stats(&id).await;
        assert_eq!(s.num("bytes"), (16 << 20) as f64);
        assert_eq!(s.num("close_code"), 1000.0);
    });
}

#[wasm_bindgen_test]
async fn futures_io_copy_streams_into_the_socket_and_the_end_is_a_clean_close() {
    let id = tag("io-copy");
    browser_test!(30_000, async {
        let sent = pattern(1 << 20);
        let mut io = connected(&format!("/echo?id={id}")).await.into_io();
        let copied = futures::io::copy(futures::io::Cursor::new(sent.clone()), &mut io)
            .await
            .unwrap();
        assert_eq!(copied, sent.len() as u64);
        let mut got = vec![0u8; sent.len()];
        io.read_exact(&mut got).await.unwrap();
        assert!(got == sent);
        io.close().await.unwrap();
        let mut rest = Vec::new();
        assert_eq!(
            io.read_to_end(&mut rest).await.unwrap(),
            0,
            "a clean close is the end"
        );
    });
}

#[wasm_bindgen_test]
async fn a_text_message_is_invalid_data_and_the_stream_goes_on() {
    browser_test!(10_000, async {
        let mut ws = connected("/echo").await;
        ws.send(Message::Text("not bytes".into())).await.unwrap();
        ws.send(Message::Binary(vec![1, 2, 3])).await.unwrap();
        let mut io = ws.into_io();
        let error = io.fill_buf().await.unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
        let mut got = [0u8; 3];
        io.read_exact(&mut got).await.unwrap();
        assert_eq!(got, [1, 2, 3]);
    });
}
