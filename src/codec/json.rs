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

/// JSON-RPC 2.0 (feature `json`): requests and answers as [`serde_json::Value`]s, with ids
/// for request/response ([`Requester`](crate::reconnect::Requester)). A request is an object
/// with `method` and `params`; its `jsonrpc` and `id` are written in. An answer (an object with
/// an `id`, a `result` or an `error`, and no `method`) goes to its request; notifications and
/// everything else are ordinary messages.
///
/// ```
/// use serde_json::json;
/// use wasm_websocket::{Codec, JsonRpc};
/// let mut add = json!({ "method": "add", "params": [1, 2] });
/// JsonRpc.stamp(&mut add, 7).unwrap();
/// assert_eq!(add, json!({ "jsonrpc": "2.0", "id": 7, "method": "add", "params": [1, 2] }));
/// assert_eq!(JsonRpc.answers(&json!({ "jsonrpc": "2.0", "id": 7, "result": 3 })), Some(7));
/// assert_eq!(JsonRpc.answers(&json!({ "jsonrpc": "2.0", "method": "tick" })), None);
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JsonRpc;

/// A JSON protocol whose frames carry request ids: its codec sends and receives the frames as
/// [`serde_json::Value`]s, and reads and writes ids as the protocol says.
trait JsonIds {
    fn stamp(&self, request: &mut serde_json::Value, id: u64) -> Result<(), Error>;
    fn answers(&self, incoming: &serde_json::Value) -> Option<u64>;
}

/// The codec of each [`JsonIds`] protocol, written once (a blanket impl would show the private
/// trait in the docs).
macro_rules! json_ids_codec {
    ($($protocol:ty),+) => {$(
        impl Codec for $protocol {
            type Outgoing = serde_json::Value;
            type Incoming = serde_json::Value;

            fn encode(&self, value: &serde_json::Value) -> Result<Message, Error> {
                Json::<serde_json::Value>::new().encode(value)
            }

            fn decode(&self, message: Message) -> Result<serde_json::Value, Error> {
                Json::<serde_json::Value>::new().decode(message)
            }

            fn stamp(&self, request: &mut serde_json::Value, id: u64) -> Result<(), Error> {
                JsonIds::stamp(self, request, id)
            }

            fn answers(&self, incoming: &serde_json::Value) -> Option<u64> {
                JsonIds::answers(self, incoming)
            }
        }
    )+};
}

json_ids_codec!(JsonRpc, GraphqlWs);

impl JsonIds for JsonRpc {
    fn stamp(&self, request: &mut serde_json::Value, id: u64) -> Result<(), Error> {
        let object = object_of(request, "a JSON-RPC request")?;
        // What serde_json 1.0.0 has: the oldest version the manifest allows.
        if !object.contains_key("jsonrpc") {
            object.insert(
                "jsonrpc".to_owned(),
                serde_json::Value::String("2.0".to_owned()),
            );
        }
        object.insert("id".to_owned(), serde_json::Value::Number(id.into()));
        Ok(())
    }

    fn answers(&self, incoming: &serde_json::Value) -> Option<u64> {
        let object = incoming.as_object()?;
        let answer = !object.contains_key("method")
            && (object.contains_key("result") || object.contains_key("error"));
        answer.then(|| object.get("id")?.as_u64()).flatten()
    }
}

/// GraphQL over WebSocket, `graphql-transport-ws` (feature `json`): its frames as
/// [`serde_json::Value`]s, with ids for request/response: a `subscribe` frame sent as a
/// request gets its `id` written in, and its first `next` or `error` answers it (a query or a
/// mutation); the `complete` after it is an ordinary message. Subscriptions that deliver many
/// `next`s are not requests: send them with ids of the app's own, and read their `next`s from
/// the stream. [`Handshake::graphql_ws`](crate::Handshake::graphql_ws) makes the
/// `connection_init` exchange every connection needs first.
///
/// ```
/// use serde_json::json;
/// use wasm_websocket::{Codec, GraphqlWs};
/// let mut query = json!({ "type": "subscribe", "payload": { "query": "{ hello }" } });
/// GraphqlWs.stamp(&mut query, 3).unwrap();
/// assert_eq!(query["id"], "3");
/// let next = json!({ "id": "3", "type": "next", "payload": { "data": { "hello": "hi" } } });
/// assert_eq!(GraphqlWs.answers(&next), Some(3));
/// assert_eq!(GraphqlWs.answers(&json!({ "id": "3", "type": "complete" })), None);
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GraphqlWs;

impl JsonIds for GraphqlWs {
    fn stamp(&self, request: &mut serde_json::Value, id: u64) -> Result<(), Error> {
        let object = object_of(request, "a graphql-transport-ws frame")?;
        object.insert("id".to_owned(), serde_json::Value::String(id.to_string()));
        Ok(())
    }

    fn answers(&self, incoming: &serde_json::Value) -> Option<u64> {
        match incoming.get("type")?.as_str()? {
            "next" | "error" => incoming.get("id")?.as_str()?.parse().ok(),
            _ => None,
        }
    }
}

/// `value` as the JSON object `what` must be.
fn object_of<'a>(
    value: &'a mut serde_json::Value,
    what: &str,
) -> Result<&'a mut serde_json::Map<String, serde_json::Value>, Error> {
    value.as_object_mut().ok_or_else(|| Error::Encode {
        message: format!("{what} must be a JSON object"),
    })
}
