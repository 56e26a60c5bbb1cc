//! `Json`: the serde_json codec (feature `json`).

use crate::codec::Codec;
use crate::error::Error;
use crate::message::Message;

/// JSON through serde (feature `json`): sends `Tx` as text, receives `Rx` (by default the same
/// type) from text or binary.
///
/// ```
/// use wasm_websocket::{Codec, Json, Message};
/// let codec = Json::<Vec<u32>>::new();
/// assert_eq!(codec.encode(&vec![1, 2]).unwrap(), Message::Text("[1,2]".into()));
/// assert_eq!(codec.decode(Message::Binary(b"[3]".to_vec())).unwrap(), vec![3]);
/// assert!(codec.decode(Message::Text("{".into())).is_err());
///
/// // One type out, another in.
/// let ask = Json::<u32, String>::new();
/// assert_eq!(ask.encode(&7).unwrap(), Message::Text("7".into()));
/// assert_eq!(ask.decode(Message::Text("\"seven\"".into())).unwrap(), "seven");
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
#[derive(Debug)]
pub struct Json<Tx, Rx = Tx>(std::marker::PhantomData<fn(Tx) -> Rx>);

impl<Tx, Rx> Json<Tx, Rx> {
    /// The codec sending `Tx` and receiving `Rx`.
    pub fn new() -> Self {
        Json(std::marker::PhantomData)
    }
}

impl<Tx, Rx> Default for Json<Tx, Rx> {
    fn default() -> Self {
        Json::new()
    }
}

impl<Tx, Rx> Clone for Json<Tx, Rx> {
    fn clone(&self) -> Self {
        Json::new()
    }
}

impl<Tx: serde::Serialize, Rx: serde::de::DeserializeOwned> Codec for Json<Tx, Rx> {
    type Outgoing = Tx;
    type Incoming = Rx;

    fn encode(&self, value: &Tx) -> Result<Message, Error> {
        serde_json::to_string(value)
            .map(Message::Text)
            .map_err(|e| Error::Encode {
                message: e.to_string(),
            })
    }

    fn decode(&self, message: Message) -> Result<Rx, Error> {
        let decoded = match &message {
            Message::Text(text) => serde_json::from_str(text),
            Message::Binary(bytes) => serde_json::from_slice(bytes),
            Message::Blob(_) => {
                return Err(Error::Decode {
                    message: "a raw Blob cannot be decoded synchronously: use BinaryType::Blob"
                        .into(),
                })
            }
        };
        decoded.map_err(|e| Error::Decode {
            message: e.to_string(),
        })
    }
}
