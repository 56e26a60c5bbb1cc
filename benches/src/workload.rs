//! The workloads, written once over any Sink/Stream pair of the common message types.

use futures::{Sink, SinkExt, Stream, StreamExt};

/// What a contender sends.
pub enum Out {
    Text(String),
    Binary(Vec<u8>),
}

/// What a contender received (a Blob already read to bytes, or only its size for raw blobs).
pub enum In {
    Text(String),
    Binary(Vec<u8>),
    BlobSize(usize),
}

pub type Received = Result<In, String>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// 20,000 × 32 B text, at most 1,000 in flight.
    W1,
    /// 1,000 × 64 KiB binary, at most 16 in flight.
    W2,
    /// 2,000 sequential ping-pongs of 16 B.
    W3,
    /// 8 sequential round trips of 16 MiB binary.
    W4,
    /// W2 with `binaryType = "blob"`, Blobs read back in order.
    W5,
}

impl Workload {
    pub fn name(self) -> &'static str {
        match self {
            Workload::W1 => "W1",
            Workload::W2 => "W2",
            Workload::W3 => "W3",
            Workload::W4 => "W4",
            Workload::W5 => "W5",
        }
    }

    /// (messages, size in bytes, most in flight)
    pub fn shape(self) -> (usize, usize, usize) {
        match self {
            Workload::W1 => (20_000, 32, 1_000),
            Workload::W2 | Workload::W5 => (1_000, 64 << 10, 16),
            Workload::W3 => (2_000, 16, 1),
            Workload::W4 => (8, 16 << 20, 1),
        }
    }

    pub fn is_text(self) -> bool {
        matches!(self, Workload::W1 | Workload::W3)
    }
}

/// Text message `i`: its number padded to `size` bytes.
pub fn text_message(i: usize, size: usize) -> String {
    format!("{i:0size$}")
}

/// Binary message `i`: its number in the first 4 bytes, then a pattern.
pub fn binary_message(i: usize, size: usize) -> Vec<u8> {
    let mut v: Vec<u8> = (0..size)
        .map(|k| (k as u8).wrapping_mul(7).wrapping_add(i as u8))
        .collect();
    v[..4].copy_from_slice(&(i as u32).to_le_bytes());
    v
}

/// Checks the count-th reply: the number always, the content at sampled positions.
pub fn check(workload: Workload, i: usize, got: Received) -> Result<(), String> {
    let (_, size, _) = workload.shape();
    match (got?, workload.is_text()) {
        (In::Text(t), true) if t.len() == size && t.parse::<usize>().ok() == Some(i) => Ok(()),
        (In::Binary(b), false) if b.len() == size && b[..4] == (i as u32).to_le_bytes() => {
            let expected = |k: usize| (k as u8).wrapping_mul(7).wrapping_add(i as u8);
            if (4..size)
                .step_by((size / 64).max(1))
                .all(|k| b[k] == expected(k))
            {
                Ok(())
            } else {
                Err(format!("message {i}: content differs"))
            }
        }
        (In::BlobSize(n), false) if n == size => Ok(()),
        _ => Err(format!(
            "message {i}: wrong kind, size or number (lost or reordered?)"
        )),
    }
}

fn make(workload: Workload, i: usize) -> Out {
    let (_, size, _) = workload.shape();
    if workload.is_text() {
        Out::Text(text_message(i, size))
    } else {
        Out::Binary(binary_message(i, size))
    }
}

/// Runs `workload` once; returns the elapsed milliseconds and, for W3, every round trip's.
pub async fn run<S, R>(
    workload: Workload,
    sink: &mut S,
    stream: &mut R,
    now: impl Fn() -> f64,
) -> Result<(f64, Vec<f64>), String>
where
    S: Sink<Out, Error = String> + Unpin,
    R: Stream<Item = Received> + Unpin,
{
    let (n, _, in_flight) = workload.shape();
    // Messages are built before the clock starts: the benchmark is about the socket.
    let mut outgoing: Vec<Option<Out>> = (0..n).map(|i| Some(make(workload, i))).collect();
    let mut round_trips = Vec::new();
    let started = now();
    let (mut sent, mut received) = (0, 0);
    while received < n {
        let round_trip = now();
        while sent < n && sent - received < in_flight {
            let message = outgoing[sent].take().ok_or("message sent twice")?;
            sink.feed(message).await?;
            sent += 1;
        }
        sink.flush().await?;
        let got = stream
            .next()
            .await
            .ok_or_else(|| format!("stream ended after {received}"))?;
        check(workload, received, got)?;
        if workload == Workload::W3 {
            round_trips.push(now() - round_trip);
        }
        received += 1;
    }
    Ok((now() - started, round_trips))
}
