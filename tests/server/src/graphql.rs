//! `/graphql`: GraphQL over WebSocket, served by async-graphql rather than by us.
//!
//! The point is a server nobody on this project wrote: its handshake rules (no `subscribe`
//! before `connection_ack`, one `connection_init` only) and its close codes are async-graphql's
//! own, so the browser suite finds out how the client library fares against a real protocol
//! server. We only add what a test needs to see: every client frame's `type`, per `?id=` tag, read
//! off the wire before async-graphql parses it.
//!
//! The schema:
//!
//! ```graphql
//! type Query { hello: String }
//! type Mutation { say(room: String!, text: String!): Boolean! }
//! type Subscription { said(room: String!): String!, count(to: Int!, everyMs: Int!): Int! }
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::futures_util::Stream;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::{Context, Data, Object, Schema, Subscription};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{self, ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tokio::sync::broadcast;

use crate::restart::Conn;
use crate::{offered_protocols, Live, Params, Server, KEPT_TEXTS};

/// How many `said` messages a slow subscriber may fall behind before its subscription ends with
/// an error, rather than silently skipping some.
const ROOM_BACKLOG: usize = 4096;
/// How many client frame types `/stats` keeps per tag (`gql_frames`).
pub(crate) const KEPT_FRAMES: usize = 5 * KEPT_TEXTS;

/// The schema `/graphql` serves.
pub(crate) type GqlSchema = Schema<Query, Mutation, Subscription>;

/// The `said` rooms: one broadcast channel per room name, made on first use.
#[derive(Debug, Default)]
pub(crate) struct Rooms(Mutex<HashMap<String, broadcast::Sender<String>>>);

impl Rooms {
    fn room(&self, name: &str) -> Option<broadcast::Sender<String>> {
        let mut rooms = self.0.lock().ok()?;
        Some(
            rooms
                .entry(name.to_owned())
                .or_insert_with(|| broadcast::channel(ROOM_BACKLOG).0)
                .clone(),
        )
    }
}

/// The token a client sent in its `connection_init` payload, if any.
#[derive(Debug, Clone)]
pub(crate) struct Token(pub(crate) String);

pub(crate) struct Query;

#[Object]
impl Query {
    /// `"world"`, with the connection's token when it sent one: a query a test can run over the
    /// socket to see the connection work (`hello` → `"world"`, or `"world, TOKEN"`).
    async fn hello(&self, ctx: &Context<'_>) -> Option<String> {
        Some(match ctx.data_opt::<Token>() {
            Some(Token(token)) => format!("world, {token}"),
            None => "world".to_owned(),
        })
    }
}

pub(crate) struct Mutation {
    rooms: Arc<Rooms>,
}

#[Object]
impl Mutation {
    /// Publishes `text` to every `said(room)` subscriber. True when at least one subscriber was
    /// there to receive it, so a test can tell a publish that reached nobody.
    async fn say(&self, room: String, text: String) -> bool {
        self.rooms
            .room(&room)
            .is_some_and(|room| room.send(text).is_ok())
    }
}

pub(crate) struct Subscription {
    rooms: Arc<Rooms>,
}

#[Subscription]
impl Subscription {
    /// Every text `say` publishes to `room` from now on. A subscriber that falls more than
    /// `ROOM_BACKLOG` messages behind gets an error and the end of the subscription.
    async fn said(&self, room: String) -> impl Stream<Item = async_graphql::Result<String>> {
        let receiver = self.rooms.room(&room).map(|r| r.subscribe());
        futures_util::stream::unfold(receiver, |receiver| async move {
            let mut receiver = receiver?;
            match receiver.recv().await {
                Ok(text) => Some((Ok(text), Some(receiver))),
                Err(broadcast::error::RecvError::Lagged(n)) => Some((
                    Err(format!("fell {n} messages behind the room").into()),
                    None,
                )),
                Err(broadcast::error::RecvError::Closed) => None,
            }
        })
    }

    /// 0, 1, …, `to - 1`, one every `every_ms` (the first `every_ms` after the subscription
    /// starts), then complete: a subscription whose timing and end a test knows in advance.
    async fn count(&self, to: i32, every_ms: i32) -> impl Stream<Item = i32> {
        let every = Duration::from_millis(every_ms.max(0) as u64);
        futures_util::stream::iter(0..to.max(0)).then(move |i| async move {
            tokio::time::sleep(every).await;
            i
        })
    }
}

/// The schema, with its rooms.
pub(crate) fn schema() -> GqlSchema {
    let rooms = Arc::new(Rooms::default());
    Schema::build(
        Query,
        Mutation {
            rooms: rooms.clone(),
        },
        Subscription { rooms },
    )
    .finish()
}

/// Accepts a `connection_init` payload `{"token": "..."}` (or none); refuses the token `"bad"`,
/// which makes async-graphql close the connection with its own code for a refused init.
async fn on_connection_init(payload: serde_json::Value) -> async_graphql::Result<Data> {
    let mut data = Data::default();
    match payload.get("token").and_then(serde_json::Value::as_str) {
        Some("bad") => return Err("Forbidden: bad token".into()),
        Some(token) => data.insert(Token(token.to_owned())),
        None => {}
    }
    Ok(data)
}

/// The `type` of a graphql-ws client frame, as `/stats` reports it: `(not json)` or `(no type)`
/// for a frame async-graphql will refuse.
fn frame_type(message: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(message) {
        Ok(value) => value
            .get("type")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("(no type)")
            .to_owned(),
        Err(_) => "(not json)".to_owned(),
    }
}

/// The subprotocols async-graphql speaks, for the upgrade to select from.
pub(crate) const PROTOCOLS: [&str; 2] = ALL_WEBSOCKET_PROTOCOLS;

/// `/graphql`: the handshake as async-graphql-axum does it (one of async-graphql's subprotocols,
/// else its 400), then [`Server::graphql_session`].
pub(crate) async fn socket(
    State(server): State<Arc<Server>>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    extract::Query(params): extract::Query<Params>,
    headers: HeaderMap,
    protocol: Result<GraphQLProtocol, StatusCode>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let Ok(upgrade) = upgrade else {
        return (StatusCode::UPGRADE_REQUIRED, "websocket only").into_response();
    };
    if !server.graphql.admit(&conn) {
        return (StatusCode::SERVICE_UNAVAILABLE, "restarting").into_response();
    }
    let protocol = match protocol {
        Ok(protocol) => protocol,
        Err(status) => {
            return (status, "offer the graphql-transport-ws subprotocol").into_response()
        }
    };
    let tag = params.get("id").cloned();
    let live = Live::start(server.clone(), &params, false, offered_protocols(&headers));
    let mut number = 0;
    server.update(tag.as_deref(), |s| {
        s.gql_connections += 1;
        number = s.gql_connections;
    });
    upgrade
        .protocols(PROTOCOLS)
        .on_upgrade(move |ws| async move {
            let _live = live;
            server
                .graphql_session(ws, protocol, tag.as_deref(), number)
                .await;
        })
}

impl Server {
    /// Records a frame of `/graphql` connection number `number` of its tag: what every endpoint
    /// records, and the frame's `type` in `gql_frames`.
    fn gql_received(&self, tag: Option<&str>, number: u64, msg: &Message) {
        self.received(tag, msg);
        let body = match msg {
            Message::Text(t) => t.as_bytes(),
            Message::Binary(b) => b,
            _ => return,
        };
        let kind = frame_type(body);
        self.update(tag, |s| {
            if s.gql_frames.len() < KEPT_FRAMES {
                s.gql_frames.push(format!("{number}:{kind}"));
            }
        });
    }

    /// Runs one `/graphql` connection through async-graphql until either side ends it, then reads
    /// on until the client's Close frame so `/stats` has it.
    pub(crate) async fn graphql_session(
        &self,
        ws: WebSocket,
        protocol: GraphQLProtocol,
        tag: Option<&str>,
        number: u64,
    ) {
        let (mut sink, mut stream) = ws.split();
        // The tap sees each frame as async-graphql pulls it, so in arrival order, and before
        // async-graphql parses (and perhaps refuses) it.
        let tapped = (&mut stream).inspect(|msg| {
            if let Ok(msg) = msg {
                self.gql_received(tag, number, msg);
            }
        });
        GraphQLWebSocket::new_with_pair(&mut sink, tapped, self.schema.clone(), protocol)
            .on_connection_init(on_connection_init)
            .serve()
            .await;
        // async-graphql has closed (its Close frame is sent) or the client has: whatever comes
        // now is recorded, up to the client's Close frame.
        while let Some(Ok(msg)) = stream.next().await {
            self.gql_received(tag, number, &msg);
        }
    }
}
