//! The creditbank HTTP service that web frontends call (student side, admin side, portal).
//!
//! The router stays thin: it reads requests, calls `creditbank-dsl` and `creditbank-engine`,
//! and writes responses. Its endpoints are built in their own issue; until then the crate only
//! fixes its place in the workspace.
