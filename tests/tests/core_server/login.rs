//! Login from the device's side: a throttled login is an error the user waits out, carrying the wait.

use crate::support::{Backend, Bench, ASN, PASSWORD};

/// After ten wrong passwords the core gets `auth.throttled` with its wait — not a transient error it would
/// retry by itself, not a session to drop — and the right password is refused the same while it lasts.
pub(crate) async fn a_throttled_login_tells_the_device_how_long_to_wait(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let phone = bench.core("phone");
    for i in 0..10 {
        let err = phone.login(ASN, &format!("tebakan-{i}")).await.expect_err("wrong password");
        assert_eq!(err.code(), "auth.invalid_credentials", "#{i}: {err:?}");
    }
    let err = phone.login(ASN, PASSWORD).await.expect_err("throttled even with the right password");
    assert_eq!(err.code(), "auth.throttled", "{err:?}");
    assert!(!err.is_transient(), "the user waits, the core does not retry");
    let wait = err.retry_after().expect("a wait");
    assert!((1..=60).contains(&wait.as_secs()), "{wait:?}");
    let shown = err.to_api_error();
    assert_eq!(shown.code, "auth.throttled");
    assert_eq!(shown.retry_after_secs.map(u64::from), Some(wait.as_secs()), "the UI gets the wait");
    assert!(phone.session().is_none());
}
