//! `/jsonrpc`: JSON-RPC 2.0 over WebSocket, served by jsonrpsee rather than by us.
//!
//! Like `/graphql`, a real protocol server for the browser suite to meet. It is jsonrpsee's tower
//! service, called from an axum handler on the same port as everything else: jsonrpsee does the
//! WebSocket handshake (on hyper's upgrade, which axum leaves in the request) and runs the
//! connection. Methods, with parameters by position or by name:
//!
//! - `echo(value, delay_ms)` → `value`, after `delay_ms` (default 0): calls sent together are
//!   answered in the order of their delays, not of their sending. (A batch is run one call after
//!   the other by jsonrpsee, so its answers keep their order.)
//! - `never()` → no answer, ever: pending until the connection goes.
//! - `add(a, b)` → `a + b` for two i64 (an overflow is an invalid-params error).
//!
//! Every JSON-RPC request (a call, a notification, each entry of a batch) counts in
//! `rpc_requests` of the connection's `?id=` tag.
//!
//! jsonrpsee selects no subprotocol: a client must offer none (a browser fails a handshake that
//! selects none of those it offered).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jsonrpsee::server::middleware::rpc::{Batch, Notification, RpcServiceBuilder, RpcServiceT};
use jsonrpsee::server::ws::is_upgrade_request;
use jsonrpsee::server::{
    stop_channel, BatchRequestConfig, Methods, RpcModule, ServerConfig, ServerHandle, StopHandle,
};
use jsonrpsee::types::error::INVALID_PARAMS_CODE;
use jsonrpsee::types::{ErrorObjectOwned, Params, Request};
use serde_json::Value;
use tower_service::Service;

use crate::restart::Conn;
use crate::{offered_protocols, Live, Server};

// jsonrpsee 0.26 has no limit on calls in flight per connection: each call is a task of its own.
// Its defaults (1024 queued answers, 10 MiB messages, unlimited batches) were measured to carry
// 1,000 concurrent calls on one connection; these leave room beyond that.

/// Answers queued per connection for the socket: a call whose answer finds the queue full waits
/// for room, so a client that reads slowly holds up its calls, never the connection. Above the
/// thousand calls the suite keeps in flight, so all their answers fit while it is not reading.
const MESSAGE_BUFFER: u32 = 4096;
/// A request (a WebSocket message: jsonrpsee's limit on those too) or an answer may be this
/// large: a batch of a thousand echoed values of some kilobytes each.
const MAX_BODY: u32 = 64 << 20;

/// What `/jsonrpc` needs for each connection: the methods, jsonrpsee's configuration, and a
/// stop handle that never fires (dropping the [`ServerHandle`] would stop every connection, so
/// it is kept, unused). `/restart` does not stop jsonrpsee through it either: a stop is graceful
/// (pending calls are awaited, so `never` would hold a connection open for ever); a restart cuts
/// the connections instead, as a crash would.
pub(crate) struct Rpc {
    pub(crate) methods: Methods,
    pub(crate) config: ServerConfig,
    pub(crate) stop: StopHandle,
    _running: ServerHandle,
}

impl Rpc {
    pub(crate) fn new() -> Result<Rpc, jsonrpsee::core::RegisterMethodError> {
        let (stop, running) = stop_channel();
        let config = ServerConfig::builder()
            .ws_only()
            .set_message_buffer_capacity(MESSAGE_BUFFER)
            .max_request_body_size(MAX_BODY)
            .max_response_body_size(MAX_BODY)
            .set_batch_request_config(BatchRequestConfig::Unlimited)
            .build();
        Ok(Rpc {
            methods: methods()?.into(),
            config,
            stop,
            _running: running,
        })
    }
}

fn invalid_params(message: impl Into<String>) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(INVALID_PARAMS_CODE, message, None::<()>)
}

/// The parameters `names` of a call, given by position (`[a, b]`) or by name (`{"a": …}`); those
/// not given are `null`.
fn args<const N: usize>(params: &Params, names: [&str; N]) -> Result<[Value; N], ErrorObjectOwned> {
    let given: Value = params.parse()?;
    Ok(std::array::from_fn(|i| {
        let arg = match &given {
            Value::Array(values) => values.get(i),
            Value::Object(values) => values.get(names[i]),
            _ => None,
        };
        arg.cloned().unwrap_or(Value::Null)
    }))
}

fn int(value: Value, name: &str) -> Result<i64, ErrorObjectOwned> {
    value
        .as_i64()
        .ok_or_else(|| invalid_params(format!("{name} must be an i64")))
}

fn methods() -> Result<RpcModule<()>, jsonrpsee::core::RegisterMethodError> {
    let mut module = RpcModule::new(());
    module.register_async_method("echo", |params, _, _| async move {
        let [value, delay_ms] = args(&params, ["value", "delay_ms"])?;
        let delay_ms = match delay_ms {
            Value::Null => 0,
            ms => ms
                .as_u64()
                .ok_or_else(|| invalid_params("delay_ms must be a u64"))?,
        };
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        Ok::<_, ErrorObjectOwned>(value)
    })?;
    module.register_async_method("never", |_, _, _| {
        std::future::pending::<Result<(), ErrorObjectOwned>>()
    })?;
    module.register_method("add", |params, _, _| {
        let [a, b] = args(&params, ["a", "b"])?;
        let (a, b) = (int(a, "a")?, int(b, "b")?);
        a.checked_add(b)
            .ok_or_else(|| invalid_params("a + b overflows i64"))
    })?;
    Ok(module)
}

/// `/jsonrpc`: jsonrpsee's handshake and connection, through a tower service built for this
/// connection alone, so its middleware knows the connection's tag. (Its connection limit,
/// jsonrpsee's `max_connections`, is then per service, so it never refuses one.)
pub(crate) async fn socket(
    State(server): State<Arc<Server>>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    Query(params): Query<crate::Params>,
    request: axum::extract::Request,
) -> Response {
    if !is_upgrade_request(&request) {
        return (StatusCode::UPGRADE_REQUIRED, "websocket only").into_response();
    }
    if !server.jsonrpc.admit(&conn) {
        return (StatusCode::SERVICE_UNAVAILABLE, "restarting").into_response();
    }
    let tag = params.get("id").cloned();
    let live = Live::start(
        server.clone(),
        &params,
        false,
        offered_protocols(request.headers()),
    );
    server.update(tag.as_deref(), |s| s.rpc_connections += 1);
    let counting = {
        let server = server.clone();
        let tag: Option<Arc<str>> = tag.map(Into::into);
        RpcServiceBuilder::new().layer_fn(move |service| CountRequests {
            service,
            server: server.clone(),
            tag: tag.clone(),
        })
    };
    let mut service = jsonrpsee::server::Server::builder()
        .set_config(server.rpc.config.clone())
        .set_rpc_middleware(counting)
        .to_service_builder()
        .build(server.rpc.methods.clone(), server.rpc.stop.clone());
    let closed = service.on_session_closed();
    match service.call(request).await {
        Ok(response) => {
            // Live until jsonrpsee's connection task ends (at once if the upgrade failed).
            tokio::spawn(async move {
                closed.await;
                drop(live);
            });
            response.map(Body::new)
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// The jsonrpsee middleware that counts each request in `rpc_requests` of its connection's tag.
#[derive(Clone)]
struct CountRequests<S> {
    service: S,
    server: Arc<Server>,
    tag: Option<Arc<str>>,
}

impl<S> CountRequests<S> {
    fn count(&self, n: usize) {
        self.server
            .update(self.tag.as_deref(), |s| s.rpc_requests += n as u64);
    }
}

impl<S: RpcServiceT + Send + Sync> RpcServiceT for CountRequests<S> {
    type MethodResponse = S::MethodResponse;
    type NotificationResponse = S::NotificationResponse;
    type BatchResponse = S::BatchResponse;

    fn call<'a>(
        &self,
        request: Request<'a>,
    ) -> impl Future<Output = Self::MethodResponse> + Send + 'a {
        self.count(1);
        self.service.call(request)
    }

    fn batch<'a>(&self, batch: Batch<'a>) -> impl Future<Output = Self::BatchResponse> + Send + 'a {
        self.count(batch.len());
        self.service.batch(batch)
    }

    fn notification<'a>(
        &self,
        n: Notification<'a>,
    ) -> impl Future<Output = Self::NotificationResponse> + Send + 'a {
        self.count(1);
        self.service.notification(n)
    }
}
