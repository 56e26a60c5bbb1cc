//! `test-server [--port PORT] [--static PREFIX=DIR]...`: the loopback server of the browser suite
//! (default port 9001); each `--static` serves a folder of built pages, e.g. `/demo/=www/dist`.

use tokio::net::TcpListener;

const USAGE: &str = "usage: test-server [--port PORT] [--static PREFIX=DIR]...";

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mut port: u16 = 9001;
    let mut mounts = Vec::new();
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_default();
        match arg.as_str() {
            "--port" => match value.parse() {
                Ok(p) => port = p,
                Err(_) => exit_usage(&format!("{value:?} is not a port")),
            },
            "--static" => match value.parse::<test_server::Mount>() {
                Ok(mount)
                    if mounts
                        .iter()
                        .any(|m: &test_server::Mount| m.prefix == mount.prefix) =>
                {
                    exit_usage(&format!("{} is mounted twice", mount.prefix))
                }
                Ok(mount) => mounts.push(mount),
                Err(e) => exit_usage(&e),
            },
            _ => exit_usage(&format!("unknown argument {arg:?}")),
        }
    }
    let listener = match TcpListener::bind(("127.0.0.1", port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("test-server: cannot bind 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    match listener.local_addr() {
        Ok(addr) => println!("test-server listening on ws://{addr}"),
        Err(e) => eprintln!("test-server: {e}"),
    }
    test_server::serve(listener, mounts).await;
}

fn exit_usage(problem: &str) -> ! {
    eprintln!("test-server: {problem}\n{USAGE}");
    std::process::exit(2);
}
