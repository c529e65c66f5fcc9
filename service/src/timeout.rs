//! The request timeout, armed only when a request has to wait.
//!
//! A request over the timeout is answered `408` (in the common error shape, by `app::observe`)
//! and its work is dropped, as `tower_http`'s `Timeout` does. That layer registers a timer with
//! the runtime for every request, though: under load the two workers then take turns on the
//! timer's lock and wake each other's event loop, one `futex` and one `write` system call for
//! nearly every request (strace, `POST /v1/evaluate`), where the request itself needs none.
//! Most requests never wait: the body came with the headers, and the handler answers at its
//! first poll. So the timer is registered only when the request's future first returns
//! `Pending`, for the deadline counted from when the request came in; the timeout is the same.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use axum::http::{Request, Response, StatusCode};
use pin_project_lite::pin_project;
use tokio::time::{Instant, Sleep};
use tower::{Layer, Service};

/// Answers `408` when a request takes longer than the timeout (see the module).
#[derive(Clone, Copy, Debug)]
pub struct TimeoutLayer {
    timeout: Duration,
}

impl TimeoutLayer {
    /// A timeout of `timeout` per request.
    pub fn new(timeout: Duration) -> Self {
        TimeoutLayer { timeout }
    }
}

impl<S> Layer<S> for TimeoutLayer {
    type Service = Timeout<S>;

    fn layer(&self, inner: S) -> Timeout<S> {
        Timeout {
            inner,
            timeout: self.timeout,
        }
    }
}

/// The service of [`TimeoutLayer`].
#[derive(Clone, Debug)]
pub struct Timeout<S> {
    inner: S,
    timeout: Duration,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for Timeout<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = TimeoutFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        TimeoutFuture {
            inner: self.inner.call(request),
            // A deadline past what `Instant` can hold is no deadline.
            deadline: Instant::now().checked_add(self.timeout),
            sleep: None,
        }
    }
}

pin_project! {
    /// A request's answer, or `408` at its deadline.
    pub struct TimeoutFuture<F> {
        #[pin]
        inner: F,
        deadline: Option<Instant>,
        // Registered with the runtime's timer the first time the request waits.
        sleep: Option<Pin<Box<Sleep>>>,
    }
}

impl<F, ResBody, E> Future for TimeoutFuture<F>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
    ResBody: Default,
{
    type Output = Result<Response<ResBody>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(answer) = this.inner.poll(cx) {
            return Poll::Ready(answer);
        }
        let Some(deadline) = *this.deadline else {
            return Poll::Pending;
        };
        let sleep = this
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        ready!(sleep.as_mut().poll(cx));
        let mut response = Response::new(ResBody::default());
        *response.status_mut() = StatusCode::REQUEST_TIMEOUT;
        Poll::Ready(Ok(response))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;
    use tower::ServiceExt;

    /// A service that answers after `wait` (at once when zero, without yielding).
    fn after(
        wait: Duration,
    ) -> impl Service<
        Request<()>,
        Response = Response<String>,
        Error = Infallible,
        Future = impl Future<Output = Result<Response<String>, Infallible>>,
    > + Clone {
        tower::service_fn(move |_: Request<()>| async move {
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            Ok::<_, Infallible>(Response::new("answered".to_string()))
        })
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_that_waits_past_its_deadline_is_408_and_one_within_it_is_answered() {
        let limit = TimeoutLayer::new(Duration::from_millis(100));
        let late = limit
            .layer(after(Duration::from_millis(150)))
            .oneshot(Request::new(()))
            .await
            .unwrap();
        assert_eq!(late.status(), StatusCode::REQUEST_TIMEOUT);
        assert!(late.body().is_empty());
        let in_time = limit
            .layer(after(Duration::from_millis(50)))
            .oneshot(Request::new(()))
            .await
            .unwrap();
        assert_eq!(in_time.status(), StatusCode::OK);
        assert_eq!(in_time.body(), "answered");
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_counts_from_the_call_not_from_the_first_wait() {
        let limit = TimeoutLayer::new(Duration::from_millis(100));
        let mut service = limit.layer(after(Duration::from_millis(60)));
        let future = service.call(Request::new(()));
        // 60 ms pass before the request is first polled: 60 more would be over the deadline.
        tokio::time::advance(Duration::from_millis(60)).await;
        assert_eq!(future.await.unwrap().status(), StatusCode::REQUEST_TIMEOUT);
    }

    #[tokio::test]
    async fn a_request_answered_at_once_registers_no_timer() {
        let limit = TimeoutLayer::new(Duration::from_secs(30));
        let mut future = std::pin::pin!(limit.layer(after(Duration::ZERO)).call(Request::new(())));
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(answer) => assert_eq!(answer.unwrap().status(), StatusCode::OK),
            Poll::Pending => panic!("an answer ready at once waited"),
        }
        assert!(future.sleep.is_none());
    }
}
