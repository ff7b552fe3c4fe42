//! Issue #14: slow clients. A client that trickles its request head is cut off; one that
//! trickles its body cannot hold the server past the grace period of a shutdown.

use std::time::Duration;

use gongkai_web::server::{Timeouts, serve};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

use crate::support::Harness;

const SHORT: Timeouts = Timeouts {
    header: Duration::from_secs(1),
    body_idle: Duration::from_secs(3),
    grace: Duration::from_secs(1),
};

async fn listening(
    h: &Harness,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<usize>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let router = gongkai_web::router(h.app.clone());
    let server = tokio::spawn(serve(
        listener,
        router,
        async {
            let _ = stopped.await;
        },
        SHORT,
    ));
    (address, stop, server)
}

#[tokio::test]
async fn a_trickled_request_head_is_cut_off() {
    let h = Harness::fixture().await;
    let (address, stop, server) = listening(&h).await;
    let mut client = TcpStream::connect(address).await.unwrap();
    client
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    // The rest of the head never comes: the server answers 408 or closes, well before 30 s.
    let mut reply = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), client.read_to_end(&mut reply)).await;
    assert!(read.is_ok(), "the connection stayed open");
    // A normal request still works.
    let mut ok = TcpStream::connect(address).await.unwrap();
    ok.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut reply = String::new();
    ok.read_to_string(&mut reply).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    let _ = stop.send(());
    assert_eq!(
        tokio::time::timeout(Duration::from_secs(30), server)
            .await
            .unwrap()
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn a_trickling_body_does_not_hold_shutdown() {
    let h = Harness::fixture().await;
    let (address, stop, server) = listening(&h).await;
    let mut slow = TcpStream::connect(address).await.unwrap();
    slow.write_all(
        b"POST /agencies/street/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n",
    )
    .await
    .unwrap();
    let trickle = tokio::spawn(async move {
        for _ in 0..600 {
            if slow.write_all(b"a").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = stop.send(());
    let cut = tokio::time::timeout(Duration::from_secs(30), server)
        .await
        .expect("the server stopped within its grace period, not after the client")
        .unwrap();
    assert_eq!(cut, 1, "the trickling connection was closed");
    trickle.abort();
}

#[tokio::test]
async fn a_stalled_body_is_cut_off() {
    let h = Harness::fixture().await;
    let (address, stop, server) = listening(&h).await;
    let mut client = TcpStream::connect(address).await.unwrap();
    client
        .write_all(
            b"POST /agencies/street/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nnumber=20",
        )
        .await
        .unwrap();
    // No more bytes: after the idle time the request fails and the server answers or closes.
    let mut reply = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), client.read_to_end(&mut reply)).await;
    assert!(read.is_ok(), "the request waited for its body forever");
    let _ = stop.send(());
    assert_eq!(
        tokio::time::timeout(Duration::from_secs(30), server)
            .await
            .unwrap()
            .unwrap(),
        0
    );
}
